import XCTest
final class PlaceholderGLPKTests: XCTestCase { func testNothing() {} }

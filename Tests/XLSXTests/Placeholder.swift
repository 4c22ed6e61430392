import XCTest
final class PlaceholderXLSXTests: XCTestCase { func testNothing() {} }

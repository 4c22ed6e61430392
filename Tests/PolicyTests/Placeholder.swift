import XCTest
final class PlaceholderPolicyTests: XCTestCase { func testNothing() {} }

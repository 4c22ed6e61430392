import XCTest
final class PlaceholderPlannerCLITests: XCTestCase { func testNothing() {} }

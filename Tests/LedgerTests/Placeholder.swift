import XCTest
final class PlaceholderLedgerTests: XCTestCase { func testNothing() {} }

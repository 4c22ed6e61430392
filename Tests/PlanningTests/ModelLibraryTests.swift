import XCTest
@testable import Planning

final class PlanningSmokeTests: XCTestCase {
    func testModelsAreFound() throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: try ModelLibrary.path("annual-totals.mod")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: try ModelLibrary.path("annual-months.mod")))
    }
}

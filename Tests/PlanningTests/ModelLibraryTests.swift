import Foundation
import PlannerResources
import XCTest
@testable import Planning

final class PlanningSmokeTests: XCTestCase {
    func testModelsAreFound() throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: try ModelLibrary.path("annual-totals.mod")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: try ModelLibrary.path("annual-months.mod")))
    }

    /// The models are read from the resource bundle beside the binary (here the test bundle's
    /// folder, .build/debug), not from the source tree through the path the code was built from.
    func testModelsComeFromTheResourceBundle() throws {
        guard (ProcessInfo.processInfo.environment["PLANNER_MODELS"] ?? "").isEmpty else { return }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let path = try ModelLibrary.path("annual-totals.mod")
        XCTAssertTrue(path.hasSuffix(PlannerResources.bundleName + "/models/annual-totals.mod"), path)
        XCTAssertFalse(ModelLibrary.directory.hasPrefix(root + "/models"), ModelLibrary.directory)
        XCTAssertEqual(FileManager.default.contents(atPath: path), FileManager.default.contents(atPath: root + "/models/annual-totals.mod"))
    }
}

import Foundation
import PlannerResources
import XCTest
@testable import Planning

final class PlanningSmokeTests: XCTestCase {
    func testModelsAreFound() throws {
        for name in ["annual-totals.mod", "annual-months.mod", "annual-classes.mod", "roster-days.mod", "roster-teams.mod"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: try ModelLibrary.path(name)), name)
        }
        XCTAssertThrowsError(try ModelLibrary.path("staffing.mod"), "staffing is annual-totals.mod in staffing mode")
    }

    /// Every constraint of every model is named after the rule it implements (the rule ID of
    /// docs/RULES.md in lower case with `_`, or an extension of it such as `plan_basis_year`),
    /// or is one of the few rows that are not a rule (a definition, the load's shape,
    /// re-planning, the staffing question).
    func testEveryRowIsNamedByItsRule() throws {
        // The repository's docs/RULES.md (the models themselves come from the resource bundle).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let rules = try String(contentsOf: root.appendingPathComponent("docs/RULES.md"), encoding: .utf8)
        let ids = try NSRegularExpression(pattern: #"^\| ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+) \|"#, options: .anchorsMatchLines)
            .matches(in: rules, range: NSRange(rules.startIndex..., in: rules))
            .map { String(rules[Range($0.range(at: 1), in: rules)!]).lowercased().replacingOccurrences(of: "-", with: "_") }
        XCTAssertTrue(ids.contains("plan_share60") && ids.contains("freq_cap"), "\(ids)")
        let notRules = ["total_visits", "balance_", "random_lo", "random_hi", "keep_", "load_", "staffing_"]
        let statement = try NSRegularExpression(pattern: #"^s\.t\. ([a-z_0-9]+)"#, options: .anchorsMatchLines)
        var seen = 0
        for name in ["annual-totals.mod", "annual-months.mod", "annual-classes.mod", "roster-days.mod", "roster-teams.mod"] {
            let text = try String(contentsOfFile: try ModelLibrary.path(name), encoding: .utf8)
            for m in statement.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let row = String(text[Range(m.range(at: 1), in: text)!])
                seen += 1
                let byRule = ids.contains { row.hasPrefix($0) || $0.hasPrefix(row + "_") }
                XCTAssertTrue(byRule || notRules.contains { row.hasPrefix($0) }, "\(name): row \(row) is not named by a rule")
            }
        }
        XCTAssertGreaterThan(seen, 50)
    }

    /// `--write-model` writes each stage's data section; glpsol solves the model file with it to
    /// the objective the planner recorded, and its report names the rows by rule.
    func testGlpsolSolvesEachStageFromItsExportedData() throws {
        guard FileManager.default.fileExists(atPath: "/usr/bin/glpsol") else {
            return XCTFail("glpsol (Debian glpk-utils) is needed for this test: run bash .ci/setup")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("write-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        var options = PlanOptions()
        options.writeModel = dir.appendingPathComponent("m.lp").path
        let doc = try AnnualPlanner.plan(try StaffingModelTests.hand(), options: options)
        XCTAssertEqual(doc.solver.stages.map(\.name), ["annual-totals", "annual-months", "annual-classes"])
        for (i, stage) in doc.solver.stages.enumerated() {
            let report = dir.appendingPathComponent("sol-\(i + 1).txt").path
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/glpsol")
            p.arguments = ["-m", try ModelLibrary.path(stage.name + ".mod"), "-d", dir.appendingPathComponent("m-\(i + 1).dat").path,
                           "--cuts", "-o", report]
            p.standardOutput = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, stage.name)
            let sol = try String(contentsOfFile: report, encoding: .utf8)
            let line = try XCTUnwrap(sol.split(separator: "\n").first { $0.hasPrefix("Objective:") })
            let value = try XCTUnwrap(line.split(separator: " ").compactMap { Double($0) }.first)
            XCTAssertEqual(value, stage.objective, accuracy: 1e-6, stage.name)
            XCTAssertEqual(sol.contains(" plan_decompose_"), true, stage.name)
            let lp = try String(contentsOfFile: dir.appendingPathComponent("m-\(i + 1).lp").path, encoding: .utf8)
            XCTAssertTrue(lp.contains(" plan_decompose_"), stage.name)
        }
        let stage1 = try String(contentsOfFile: dir.appendingPathComponent("sol-1.txt").path, encoding: .utf8)
        for row in ["plan_share60", "plan_ratio", "freq_key_cover[blue_1]", "freq_cap[blue_1]", "plan_special_split[p1]", "plan_basis[12]"] {
            XCTAssertTrue(stage1.contains(row), row)
        }
    }

    /// The models are read from the resource bundle beside the binary (here the test bundle's
    /// folder, .build/debug), not from the source tree through the path the code was built from.
    func testModelsComeFromTheResourceBundle() throws {
        // Without the override (a developer's PLANNER_MODELS is put back afterwards).
        if let before = ProcessInfo.processInfo.environment["PLANNER_MODELS"] {
            unsetenv("PLANNER_MODELS")
            addTeardownBlock { setenv("PLANNER_MODELS", before, 1) }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let path = try ModelLibrary.path("annual-totals.mod")
        XCTAssertTrue(path.hasSuffix(PlannerResources.bundleName + "/models/annual-totals.mod"), path)
        XCTAssertFalse(ModelLibrary.directory.hasPrefix(root + "/models"), ModelLibrary.directory)
        XCTAssertEqual(FileManager.default.contents(atPath: path), FileManager.default.contents(atPath: root + "/models/annual-totals.mod"))
    }
}

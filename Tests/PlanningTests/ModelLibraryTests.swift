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
        let root = URL(fileURLWithPath: ModelLibrary.directory).deletingLastPathComponent()
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
}

import Foundation
import XCTest

/// `planner roster --out DIR` writes the month's printable on-site inspection plan
/// (现场检查方案-YYYY-MM.html, roster-sheet-YYYY-MM.html in English) and, with PLANNER_PDF=always,
/// its PDF: A4, the CJK text in an embedded font, a first page that is not blank; the roster
/// beside it still verifies. A missing template stops the run before any work (exit 72).
final class RosterDocumentCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    // MARK: Tests

    func testRosterWritesTheDocumentAndItsA4PDFWithAnEmbeddedCJKFont() throws {
        let small = try CLIFixture.smallScenario(), plan = try CLIFixture.smallPlan(), out = path("r")
        let r = try CLI.run(["roster", small, "--plan", plan, "--month", "3", "--out", out], environment: ["PLANNER_PDF": "always"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let html = "\(out)/现场检查方案-2027-03.html", pdf = "\(out)/现场检查方案-2027-03.pdf"
        XCTAssertTrue(r.stdout.contains("可打印的现场检查方案：\(html)\n  PDF：\(pdf)"), r.stdout)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(text.contains("<h1>2027年3月现场检查方案</h1>"), "the title")
        XCTAssertFalse(text.lowercased().contains("<script"))
        XCTAssertNil(text.range(of: "https?://", options: .regularExpression))

        // The document holds the roster's every visit and draw.
        let roster = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/roster-2027-03.json"))) as! [String: Any]
        let assignments = roster["assignments"] as! [[String: Any]], draws = roster["draws"] as! [[String: Any]]
        XCTAssertFalse(assignments.isEmpty)
        for a in assignments {
            XCTAssertTrue(text.contains("<table class=\"visit\" id=\"visit-\(a["visit"] as! String)\">"), "\(a["visit"]!)")
            XCTAssertTrue(text.contains("<td>\(a["unit"] as! String)</td>"), "\(a["unit"]!)")
        }
        for d in draws { XCTAssertTrue(text.contains("<td>\(d["id"] as! String)</td><td>"), "\(d["id"]!)") }
        XCTAssertTrue(text.contains("<tr><td>检查家次</td><td>\(assignments.count)</td></tr>"))

        // The PDF: A4, an embedded CJK font, a first page that is not blank.
        try PDFChecks.check(pdf, texts: ["2027年3月现场检查方案"])

        // The roster beside it still verifies.
        let v = try CLI.run(["verify", "\(out)/roster-2027-03.json", "--scenario", small, "--plan", plan])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
    }

    /// In English, roster-sheet-YYYY-MM.html; with PLANNER_PDF=never no PDF, and the summary says so.
    func testEnglishRunWritesRosterSheetHTMLAndNoPDFWhenToldNot() throws {
        let out = path("r")
        let r = try CLI.run(["roster", try CLIFixture.smallScenario(), "--plan", try CLIFixture.smallPlan(), "--month", "3", "--out", out, "--lang", "en"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let html = "\(out)/roster-sheet-2027-03.html"
        XCTAssertTrue(r.stdout.contains("The on-site inspection plan to print: \(html)\n  No PDF printed (PLANNER_PDF=never)"), r.stdout)
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains("<h1>On-site inspection plan 2027-03</h1>"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/roster-sheet-2027-03.pdf"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/现场检查方案-2027-03.html"))
    }

    /// A templates folder without the roster's template: exit 72 naming the file, before any work.
    func testMissingRosterTemplateExitsSeventyTwoBeforeAnyWork() throws {
        let empty = path("templates"), out = path("r")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let r = try CLI.run(["roster", try CLIFixture.smallScenario(), "--plan", try CLIFixture.smallPlan(), "--month", "3", "--out", out],
                            environment: ["PLANNER_TEMPLATES": empty])
        XCTAssertEqual(r.status, 72, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("\(empty)/roster-document.mustache"), r.stderr)
        XCTAssertFalse(r.stdout.contains("2027年3月"), "stopped before rostering: " + r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/roster-2027-03.json"))
    }
}

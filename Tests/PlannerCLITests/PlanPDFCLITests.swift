import Foundation
import XCTest

/// `planner plan` prints 执法计划.pdf from 执法计划.html with the real headless Chromium
/// (PLANNER_PDF), and `planner print`: the PDF checked with poppler (A4, CJK fonts embedded,
/// its text, a page not blank), byte-identical across runs; without Chromium the HTML is still
/// written and the summary says how to get the PDF.
final class PlanPDFCLITests: XCTestCase {
    var dir = ""
    override func setUp() { dir = CLI.tempDir().path }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    let noChromium = ["PLANNER_CHROMIUM": "/nonexistent/chromium"]

    func files(_ p: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []).sorted() }

    func testPlanPrintsAnA4PDFWithEmbeddedChineseFontsTheSameEveryTime() throws {
        let scenario = try CLIFixture.smallScenario()
        let out = dir + "/plan"
        let r = try CLI.run(["plan", scenario, "--out", out, "--time-limit", "10"], environment: ["PLANNER_PDF": "always"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("打印 PDF"), "progress on standard error: \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("可打印报送的计划文书：\(out)/执法计划.html\n  PDF：\(out)/执法计划.pdf"), r.stdout)
        XCTAssertTrue(files(out).contains("执法计划.pdf"), "\(files(out))")
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/plan.json"))) as! [String: Any]
        let authority = (plan["authority"] as! [String: Any])["name"] as! String
        let pages = try PDFChecks.check(out + "/执法计划.pdf", minPages: 5, texts: [authority, "编制依据", "双随机抽查", "第1页/共"])
        XCTAssertTrue(try PDFChecks.run("pdftotext", [out + "/执法计划.pdf", "-"]).filter { !$0.isWhitespace }.contains("第\(pages)页/共\(pages)页"),
                      "the last page's footer")
        // The same inputs give the same PDF, byte for byte (Chromium's print time is not kept).
        let again = dir + "/again"
        XCTAssertEqual(try CLI.run(["plan", scenario, "--out", again, "--time-limit", "10"], environment: ["PLANNER_PDF": "always"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again + "/执法计划.pdf")),
                       try Data(contentsOf: URL(fileURLWithPath: out + "/执法计划.pdf")), "byte-identical PDFs")
        // And the plan printed is the plan verified.
        XCTAssertEqual(try CLI.run(["verify", out + "/plan.json", "--scenario", scenario]).status, 0)
    }

    func testEnglishPlanPrintsPlanPDFWithEnglishFooter() throws {
        let out = dir + "/en"
        let r = try CLI.run(["plan", try CLIFixture.smallScenario(), "--out", out, "--time-limit", "10", "--lang", "en"], environment: ["PLANNER_PDF": "always"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(files(out).contains("plan.pdf"), "\(files(out))")
        XCTAssertTrue(r.stdout.contains("\n  PDF: \(out)/plan.pdf\n"), r.stdout)
        try PDFChecks.check(out + "/plan.pdf", texts: ["Page1of"])
    }

    func testWithoutChromiumTheHTMLIsWrittenAndTheSummarySaysHowToGetThePDF() throws {
        let out = dir + "/plan"
        let r = try CLI.run(["plan", try CLIFixture.smallScenario(), "--out", out, "--time-limit", "10"],
                            environment: noChromium.merging(["PLANNER_PDF": "auto"]) { $1 })
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(files(out).contains("执法计划.html"))
        XCTAssertFalse(files(out).contains { $0.hasSuffix(".pdf") }, "\(files(out))")
        XCTAssertTrue(r.stdout.contains("未打印 PDF"), r.stdout)
        XCTAssertTrue(r.stdout.contains("planner print \(out)/执法计划.html"), r.stdout)
        XCTAssertTrue(r.stdout.contains("apt-get install chromium"), r.stdout)

        // planner print makes it later, beside the HTML.
        let printed = try CLI.run(["print", out + "/执法计划.html"])
        XCTAssertEqual(printed.status, 0, printed.stdout + printed.stderr)
        XCTAssertTrue(printed.stdout.contains("PDF 已写入 \(out)/执法计划.pdf"), printed.stdout)
        try PDFChecks.check(out + "/执法计划.pdf", minPages: 5, texts: ["编制依据"])
        // Without Chromium, print exits 72 and says what to install.
        let missing = try CLI.run(["print", out + "/执法计划.html", "--out", dir + "/x.pdf"], environment: noChromium)
        XCTAssertEqual(missing.status, 72, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("PLANNER_CHROMIUM"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.pdf"))
        // A file that is not there: exit 73, naming it.
        let absent = try CLI.run(["print", dir + "/nothing.html"])
        XCTAssertEqual(absent.status, 73, absent.stderr)
        XCTAssertTrue(absent.stderr.contains(dir + "/nothing.html"), absent.stderr)
    }

    func testPDFAlwaysWithoutChromiumWritesNothingAndABadValueIsAUsageError() throws {
        let out = dir + "/plan"
        let r = try CLI.run(["plan", try CLIFixture.smallScenario(), "--out", out, "--time-limit", "10"],
                            environment: noChromium.merging(["PLANNER_PDF": "always"]) { $1 })
        XCTAssertEqual(r.status, 72, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("PLANNER_PDF=always"), r.stderr)
        XCTAssertTrue(r.stderr.contains("apt-get install chromium"), r.stderr)
        XCTAssertFalse(r.stderr.contains("求解"), "refused before the solve: \(r.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written: \(files(dir))")
        XCTAssertEqual(files(dir).filter { $0.contains("staging") }, [], "no staging folder left")

        let bad = try CLI.run(["plan", try CLIFixture.smallScenario(), "--out", out], environment: ["PLANNER_PDF": "sometimes"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("PLANNER_PDF=sometimes"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testReplanPrintsItsPlanToo() throws {
        let out = dir + "/replan"
        let r = try CLI.run(["replan", try CLIFixture.smallScenario(), "--plan", try CLIFixture.smallPlan(), "--from-month", "7",
                             "--out", out, "--time-limit", "10"], environment: ["PLANNER_PDF": "always"])
        XCTAssertTrue([0, 2].contains(r.status), r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("\n  PDF：\(out)/执法计划.pdf\n"), r.stdout)
        try PDFChecks.check(out + "/执法计划.pdf", minPages: 5, texts: ["编制依据"])
    }
}

import Foundation
import XCTest

/// `planner whatif --out` and `planner city --out` write their comparison and roll-up as a
/// printable document (情景比较.html, 全市汇总.html; whatif.html, city-summary.html in English)
/// and print it to PDF as `planner plan` prints its plan: with PLANNER_PDF=always an A4 PDF with
/// an embedded CJK font beside the HTML; a city run prints the roll-up only, never the
/// authorities' plans. A missing template stops either command with exit 72 before any work.
final class CompareDocumentCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    // MARK: - whatif

    /// The demo's sweep (CLIFixture.demoSweep, PLANNER_PDF=never): 情景比较.html beside the CSV,
    /// its table the CSV's rows, the conclusion printed and in the document, no PDF.
    func testWhatIfWritesTheComparisonDocument() throws {
        let (r, out) = try CLIFixture.demoSweep.get()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let html = try String(contentsOfFile: "\(out)/情景比较.html", encoding: .utf8)
        let csv = String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(out)/情景比较.csv")).dropFirst(3), as: UTF8.self)
        let csvRows = CSVRows.parse(csv).dropFirst()
        let rows = try Self.rows(of: "compare", in: html)
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows.map { Array($0.dropFirst()) }, Array(csvRows), "the document's table is the CSV's")
        XCTAssertEqual(rows.map { $0[0] }, ["1", "2", "3", "4"])
        // The JSON's visits in the same order.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/情景比较.json"))) as! [String: Any]
        let variants = json["variants"] as! [[String: Any]]
        XCTAssertEqual(rows.map { $0[4] }, variants.map { String($0["visits"] as! Int) })
        // One bar per variant, labelled by its officers.
        let svg = try XCTUnwrap(html.components(separatedBy: "<svg id=\"chart-whatif\"").dropFirst().first?.components(separatedBy: "</svg>").first)
        XCTAssertEqual(svg.components(separatedBy: "fill=\"#ef6c00\"").count - 1, 4 + 1)
        for label in ["8人", "9人", "10人", "11人"] { XCTAssertTrue(svg.contains(">\(label)</text>"), label) }
        // The conclusion, on screen and in the document.
        for sentence in ["符合全部规则的最少执法人员：10人（现有人员）。", "人员少于10人的方案均不符合。"] {
            XCTAssertTrue(r.stdout.contains("  " + sentence), r.stdout)
            XCTAssertTrue(html.contains("<p class=\"conclusion\">\(sentence)</p>"), sentence)
        }
        XCTAssertTrue(html.contains("<dd>执法人员增减 -2..+1</dd>"))
        XCTAssertTrue(r.stdout.contains("可打印的情景比较：\(out)/情景比较.html\n  未打印 PDF（PLANNER_PDF=never）"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/情景比较.pdf"))
        XCTAssertFalse(html.lowercased().contains("<script"))
    }

    /// PLANNER_PDF=always on the small district: 情景比较.pdf, A4, the CJK font embedded.
    func testWhatIfPrintsTheComparisonToPDF() throws {
        let out = path("whatif")
        let r = try CLI.run(["whatif", try CLIFixture.smallScenario(), "--staff", "-1,0", "--time-limit", "10", "--out", out],
                            environment: ["PLANNER_PDF": "always"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("可打印的情景比较：\(out)/情景比较.html\n  PDF：\(out)/情景比较.pdf"), r.stdout)
        try PDFChecks.check("\(out)/情景比较.pdf")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/情景比较.html"))

        // English: whatif.html and whatif.pdf.
        let en = path("whatif-en")
        let e = try CLI.run(["whatif", try CLIFixture.smallScenario(), "--staff", "0", "--time-limit", "10", "--out", en, "--lang", "en"],
                            environment: ["PLANNER_PDF": "always"])
        XCTAssertEqual(e.status, 0, e.stdout + e.stderr)
        let html = try String(contentsOfFile: "\(en)/whatif.html", encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(html.contains("<h2>1. Conclusion</h2>"))
        try PDFChecks.check("\(en)/whatif.pdf")
        XCTAssertTrue(e.stdout.contains("The comparison to print: \(en)/whatif.html\n  PDF: \(en)/whatif.pdf"), e.stdout)
    }

    /// Templates missing: exit 72 before any variant is solved; nothing written.
    func testWhatIfAndCityWithoutTheirTemplatesExitSeventyTwo() throws {
        // The plan's templates only.
        let only = path("templates")
        try FileManager.default.createDirectory(atPath: only, withIntermediateDirectories: true)
        let source = CLI.root.appendingPathComponent("Sources/PlannerResources/templates").path
        for name in ["plan-document", "plan-style", "bar-chart", "table"] {
            try FileManager.default.copyItem(atPath: "\(source)/\(name).mustache", toPath: "\(only)/\(name).mustache")
        }
        let out = path("out")
        let w = try CLI.run(["whatif", try CLIFixture.smallScenario(), "--staff", "0", "--out", out], environment: ["PLANNER_TEMPLATES": only])
        XCTAssertEqual(w.status, 72, w.stdout + w.stderr)
        XCTAssertTrue(w.stderr.contains("\(only)/whatif-document.mustache"), w.stderr)
        XCTAssertFalse(w.stderr.contains("求解"), "stopped before the solve: " + w.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/情景比较.csv"))
        // Without --out there is no document: the comparison is only printed.
        let plain = try CLI.run(["whatif", try CLIFixture.smallScenario(), "--staff", "0", "--time-limit", "10"], environment: ["PLANNER_TEMPLATES": only])
        XCTAssertEqual(plain.status, 0, plain.stdout + plain.stderr)

        let c = try CLI.run(["city", try CityFixture.demoCopy(), "--out", out], environment: ["PLANNER_TEMPLATES": only])
        XCTAssertEqual(c.status, 72, c.stdout + c.stderr)
        XCTAssertTrue(c.stderr.contains("\(only)/city-document.mustache"), c.stderr)
        XCTAssertFalse(c.stderr.contains("编制"), "stopped before planning: " + c.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/city.json"))
    }

    // MARK: - city

    /// The demo city (CityFixture.dispatched, PLANNER_PDF=never): 全市汇总.html with a row per
    /// authority equal to city.json's, every link to an authority's 执法计划.html that exists, the
    /// dispatch orders, no PDF anywhere.
    func testCityWritesTheRollUpDocument() throws {
        let (r, out) = try CityFixture.dispatched.get()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let html = try String(contentsOfFile: "\(out)/全市汇总.html", encoding: .utf8)
        let doc = try CityFixture.json(out + "/city.json")
        let authorities = doc["authorities"] as! [[String: Any]]
        let rows = try Self.rows(of: "rollup", in: html)
        for a in authorities {
            let name = a["name"] as! String
            let line = try XCTUnwrap(rows.first { $0[0] == name }, name)
            let m = a["metrics"] as! [String: Any]
            XCTAssertEqual(line[3], String(a["units"] as! Int), name)
            XCTAssertEqual(line[6], String(m["visits"] as! Int), name)
            XCTAssertEqual(line[13], String(m["general_units_drawn"] as! Int), name)
        }
        let totals = doc["totals"] as! [String: Any]
        XCTAssertEqual(try XCTUnwrap(rows.last)[0], "全市合计")
        XCTAssertEqual(try XCTUnwrap(rows.last)[6], String(totals["visits"] as! Int))
        // Every link is relative and reaches an authority's printable plan.
        let links = Self.matches(#"href="([^"]*)""#, html)
        XCTAssertEqual(Set(links), Set(authorities.map { "\($0["folder"] as! String)/执法计划.html" }))
        for l in links { XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(l)"), l) }
        // The dispatch orders, as city.json lists them.
        let orders = doc["dispatch"] as! [[String: Any]]
        let listed = try Self.rows(of: "dispatch", in: html)
        XCTAssertEqual(listed.map { Array($0[1...3]) }, orders.map { [$0["from"] as! String, $0["to"] as! String, String($0["person_days"] as! Int)] })
        XCTAssertFalse(orders.isEmpty)
        // One bar per district and the city bureau.
        let svg = try XCTUnwrap(html.components(separatedBy: "<svg id=\"chart-districts\"").dropFirst().first?.components(separatedBy: "</svg>").first)
        let districts = Set(authorities.map { $0["level"] as! String == "city" ? "" : ($0["district"] as? String ?? "") })
        XCTAssertEqual(svg.components(separatedBy: "height=\"11.0\"").count - 1, districts.count)
        XCTAssertTrue(r.stdout.contains("可打印报送的全市汇总：\(out)/全市汇总.html\n  未打印 PDF（PLANNER_PDF=never）"), r.stdout)
        XCTAssertEqual(try CityFixture.files(out, recursive: true).filter { $0.hasSuffix(".pdf") }, [])
        // English: city-summary.html, links to plan.html.
        let (_, en) = try CityFixture.english.get()
        let english = try String(contentsOfFile: "\(en)/city-summary.html", encoding: .utf8)
        XCTAssertTrue(english.contains("<h2>2. The authorities&#39; plans</h2>") || english.contains("<h2>2. The authorities' plans</h2>"))
        for l in Self.matches(#"href="([^"]*)""#, english) {
            XCTAssertTrue(l.hasSuffix("/plan.html"), l)
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(en)/\(l)"), l)
        }
    }

    /// A small generated city with PLANNER_PDF=always: 全市汇总.pdf, A4 with the CJK font; no
    /// authority's plan is printed.
    func testCityPrintsOnlyTheRollUp() throws {
        let city = path("city"), out = path("city-out")
        let g = try CLI.run(["generate", "--city", "--units", "400", "--seed", "7", "--out", city])
        XCTAssertEqual(g.status, 0, g.stdout + g.stderr)
        let r = try CLI.run(["city", city, "--out", out, "--time-limit", "10"], environment: ["PLANNER_PDF": "always"])
        XCTAssertTrue([0, 2].contains(r.status), r.stdout + r.stderr)
        try PDFChecks.check("\(out)/全市汇总.pdf")
        XCTAssertEqual(try CityFixture.files(out, recursive: true).filter { $0.hasSuffix(".pdf") }, ["全市汇总.pdf"])
        XCTAssertTrue(r.stdout.contains("可打印报送的全市汇总：\(out)/全市汇总.html\n  PDF：\(out)/全市汇总.pdf"), r.stdout)
        XCTAssertEqual(r.stderr.components(separatedBy: "打印 PDF").count - 1, 1, "one print: " + r.stderr)
    }

    // MARK: - Helpers

    /// The body rows of `<table id="ID">`, cells' tags removed and entities undone.
    static func rows(of id: String, in html: String) throws -> [[String]] {
        let start = try XCTUnwrap(html.range(of: "<table id=\"\(id)\""), "no table \(id)")
        let end = try XCTUnwrap(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
        let body = try XCTUnwrap(String(html[start.upperBound..<end.lowerBound]).components(separatedBy: "<tbody>").dropFirst().first)
        return body.components(separatedBy: "<tr").dropFirst().map { tr in
            tr.components(separatedBy: "</tr>")[0].components(separatedBy: "<td").dropFirst().map { td in
                let inner = td.drop { $0 != ">" }.dropFirst()
                let cell = String(inner[..<(inner.range(of: "</td>")?.lowerBound ?? inner.endIndex)])
                return CityXLSX.unescape(cell.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression).replacingOccurrences(of: "&#39;", with: "'"))
            }
        }
    }

    /// The first capture group of every match.
    static func matches(_ pattern: String, _ text: String) -> [String] {
        let re = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { CityXLSX.unescape(ns.substring(with: $0.range(at: 1))) }
    }
}

/// A CSV (RFC 4180: quoted fields may hold commas and quotes) as rows of fields.
enum CSVRows {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" || c == "\r\n" { row.append(field); rows.append(row); row = []; field = "" }
            else if c != "\r" { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

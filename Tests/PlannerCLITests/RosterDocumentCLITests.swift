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

    // MARK: poppler's tools (as Tests/OutputTests/PDFPrinterTests.swift)

    func tool(_ name: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" } + ["/usr/bin/\(name)"]
        guard let found = path.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw MissingTool(name: "\(name) (poppler-utils)")
        }
        return found
    }

    /// Runs a tool; its standard output (standard error discarded), and a failed exit fails the test.
    func run(_ name: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try tool(name))
        p.arguments = args
        let out = path("\(name)-\(UUID().uuidString.prefix(6)).out")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(name) \(args.joined(separator: " "))")
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self)
    }

    /// The share of dark pixels (< 128) of a page rendered as a greyscale PGM by pdftoppm.
    func darkShare(pdf: String, page: Int) throws -> Double {
        let prefix = path("page\(page)")
        _ = try run("pdftoppm", ["-gray", "-r", "30", "-f", "\(page)", "-l", "\(page)", "-singlefile", pdf, prefix])
        let pgm = try XCTUnwrap(FileManager.default.contents(atPath: prefix + ".pgm"), "pdftoppm wrote no \(prefix).pgm")
        // Binary PGM: "P5", width, height, maxval (whitespace-separated), one whitespace, pixels.
        var fields: [String] = []
        var i = pgm.startIndex
        while fields.count < 4 {
            while i < pgm.endIndex, [0x20, 0x0A, 0x0D, 0x09].contains(pgm[i]) { i += 1 }
            var field = ""
            while i < pgm.endIndex, ![0x20, 0x0A, 0x0D, 0x09].contains(pgm[i]) { field.append(Character(UnicodeScalar(pgm[i]))); i += 1 }
            fields.append(field)
        }
        i += 1
        XCTAssertEqual(fields[0], "P5")
        let width = try XCTUnwrap(Int(fields[1])), height = try XCTUnwrap(Int(fields[2]))
        let pixels = pgm[i...]
        XCTAssertEqual(pixels.count, width * height, "PGM size")
        XCTAssertEqual(Double(width) / Double(height), 210.0 / 297.0, accuracy: 0.01, "an A4 page image")
        return Double(pixels.filter { $0 < 128 }.count) / Double(pixels.count)
    }

    // MARK: Tests

    func testRosterWritesTheDocumentAndItsA4PDFWithAnEmbeddedCJKFont() throws {
        let small = try CLIFixture.smallScenario(), plan = try CLIFixture.smallPlan(), out = path("r")
        let r = try CLI.run(["roster", small, "--plan", plan, "--month", "3", "--out", out], environment: ["PLANNER_PDF": "always"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let html = "\(out)/现场检查方案-2027-03.html", pdf = "\(out)/现场检查方案-2027-03.pdf"
        XCTAssertTrue(r.stdout.contains("可打印的现场检查方案：\(html)（PDF：\(pdf)）"), r.stdout)
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
        let data = try XCTUnwrap(FileManager.default.contents(atPath: pdf))
        XCTAssertTrue(data.starts(with: Array("%PDF".utf8)), "a PDF")
        let info = try run("pdfinfo", [pdf])
        XCTAssertNotNil(info.range(of: #"Page size:\s+[0-9.]+ x [0-9.]+ pts \(A4\)"#, options: .regularExpression), "A4 pages: \(info)")
        let fonts = try run("pdffonts", [pdf]).split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let cjk = fonts.filter { $0.first.map { $0.contains("WenQuanYi") || $0.contains("CJK") } ?? false }
        XCTAssertFalse(cjk.isEmpty, "a named CJK font: \(fonts.map { $0.joined(separator: " ") })")
        for f in cjk { XCTAssertEqual(f.count >= 7 ? f[f.count - 5] : "", "yes", "CJK font embedded: \(f.joined(separator: " "))") }
        let first = try darkShare(pdf: pdf, page: 1)
        XCTAssertGreaterThan(first, 0.002, "page 1 is not blank")
        XCTAssertLessThan(first, 0.5)

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
        XCTAssertTrue(r.stdout.contains("The on-site inspection plan to print: \(html) (PLANNER_PDF=never: no PDF printed)"), r.stdout)
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

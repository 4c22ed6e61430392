import ChildProcess
import Foundation
import XCTest
@testable import Output

/// A tool a test needs is missing: the test fails (it never skips in silence); `bash .ci/setup`
/// installs it.
struct MissingTool: Error, CustomStringConvertible {
    let name: String
    var description: String { "\(name) is needed by this test and is not installed: run bash .ci/setup" }
}

/// `PDFPrinter` with the real Chromium, checked with poppler's tools (`pdfinfo`, `pdffonts`,
/// `pdftotext`, `pdftoppm`), all installed by `.ci/setup`.
final class PDFPrinterTests: XCTestCase {
    var dir: String!
    override func setUp() {
        dir = NSTemporaryDirectory() + "pdf-printer-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Two pages (a forced page break), Chinese text in a CJK font with TrueType outlines and
    /// in Noto Sans CJK, and an inline SVG.
    static let html = """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>执法计划</title>
        <style>
          @page { size: A4; }
          body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; font-size: 14pt; }
          .noto { font-family: "Noto Sans CJK SC"; }
          .break { page-break-after: always; }
        </style></head>
        <body>
          <p>年度执法计划：安全生产分类分级执法</p>
          <p class="noto">重点检查单位一览</p>
          <svg width="300" height="120" xmlns="http://www.w3.org/2000/svg">
            <rect x="0" y="0" width="300" height="120" fill="#000000"/>
            <circle cx="60" cy="60" r="40" fill="#ffffff"/>
          </svg>
          <div class="break"></div>
          <p>第二页：检查人员与日程</p>
        </body></html>
        """

    // MARK: Tools

    func tool(_ name: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" } + ["/usr/bin/\(name)"]
        guard let found = path.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw MissingTool(name: "\(name) (poppler-utils)")
        }
        return found
    }

    func run(_ name: String, _ args: [String]) throws -> String {
        let (status, output) = try ChildProcess.run([try tool(name)] + args)
        XCTAssertEqual(status, 0, "\(name) \(args.joined(separator: " ")): \(output)")
        return output
    }

    func requireChromium() throws {
        do { _ = try PDFPrinter.chromium() } catch { throw MissingTool(name: "chromium (\(error))") }
    }

    func entries(_ p: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []).sorted() }

    /// Our temporary folders, and Chromium's own, in the temporary directory.
    func temporaryLeftovers() -> Set<String> {
        Set(entries(FileManager.default.temporaryDirectory.path).filter {
            $0.hasPrefix("planner-pdf-") || $0.hasPrefix(".org.chromium.") || $0.hasPrefix("planner-run-")
        })
    }

    /// Processes still running with a profile of ours, and zombie children of this process
    /// (looked for up to 3 s: processes killed a moment ago may still be exiting).
    func leftoverProcesses() -> [String] {
        var found = scanProcesses()
        let deadline = Date().addingTimeInterval(3)
        while !found.isEmpty && Date() < deadline {
            usleep(50_000)
            found = scanProcesses()
        }
        return found
    }

    func scanProcesses() -> [String] {
        var found: [String] = []
        for p in entries("/proc") where Int32(p) != nil {
            if let cmd = FileManager.default.contents(atPath: "/proc/\(p)/cmdline"),
               String(decoding: cmd, as: UTF8.self).contains("planner-pdf-") {
                found.append("\(p): \(String(decoding: cmd, as: UTF8.self).replacingOccurrences(of: "\0", with: " ").prefix(120))")
            }
            if let stat = try? String(contentsOfFile: "/proc/\(p)/stat", encoding: .utf8),
               let close = stat.lastIndex(of: ")") {
                let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
                if fields.count > 1, fields[0] == "Z", Int32(fields[1]) == getpid() { found.append("\(p): zombie child") }
            }
        }
        return found
    }

    /// The share of dark pixels (< 128) of a page rendered as a greyscale PGM by pdftoppm.
    func darkShare(pdf: String, page: Int) throws -> Double {
        let prefix = dir + "/page\(page)"
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
        XCTAssertEqual(fields[3], "255")
        let pixels = pgm[i...]
        XCTAssertEqual(pixels.count, width * height, "PGM size")
        XCTAssertEqual(Double(width) / Double(height), 210.0 / 297.0, accuracy: 0.01, "an A4 page image")
        return Double(pixels.filter { $0 < 128 }.count) / Double(pixels.count)
    }

    // MARK: Tests

    func testPrintsTwoA4PagesWithEmbeddedCJKFontsPageNumbersAndTheSVG() throws {
        try requireChromium()
        let pdf = dir + "/执法计划.pdf"
        let before = temporaryLeftovers()
        let start = Date()
        try PDFPrinter.print(html: Self.html, to: pdf)
        let seconds = Date().timeIntervalSince(start)
        print("PDFPrinter: one two-page print took \(String(format: "%.2f", seconds)) s")

        let data = try XCTUnwrap(FileManager.default.contents(atPath: pdf))
        XCTAssertTrue(data.starts(with: Array("%PDF".utf8)), "a PDF")
        XCTAssertEqual(entries(dir), ["执法计划.pdf"], "nothing beside the PDF")

        let info = try run("pdfinfo", [pdf])
        XCTAssertNotNil(info.range(of: #"Pages:\s+2\n"#, options: .regularExpression), "2 pages: \(info)")
        let size = try XCTUnwrap(info.range(of: #"Page size:\s+[0-9.]+ x [0-9.]+ pts \(A4\)"#, options: .regularExpression), "A4 pages: \(info)")
        let numbers = info[size].split(separator: " ").compactMap { Double($0) }
        XCTAssertEqual(numbers.count, 2)
        XCTAssertEqual(numbers[0], 595.28, accuracy: 1, "A4 width in points")
        XCTAssertEqual(numbers[1], 841.89, accuracy: 1, "A4 height in points")

        // name type encoding emb sub uni object ID: every font embedded, a named CJK one among them.
        let fonts = try run("pdffonts", [pdf]).split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        XCTAssertFalse(fonts.isEmpty, "fonts listed")
        for f in fonts {
            XCTAssertGreaterThanOrEqual(f.count, 7, "\(f)")
            if f.count >= 7 { XCTAssertEqual(f[f.count - 5], "yes", "embedded: \(f.joined(separator: " "))") }
        }
        let cjk = fonts.filter { $0.first.map { $0.contains("WenQuanYi") || $0.contains("CJK") } ?? false }
        XCTAssertFalse(cjk.isEmpty, "a named CJK font: \(fonts.map { $0.joined(separator: " ") })")
        for f in cjk { XCTAssertEqual(f[f.count - 5], "yes", "CJK font embedded: \(f.joined(separator: " "))") }

        // The text, the Noto-set line and the footer (pdftotext drops the narrow spaces).
        let text = try run("pdftotext", ["-layout", pdf, "-"])
        let compact = text.filter { !$0.isWhitespace }
        for expected in ["年度执法计划：安全生产分类分级执法", "重点检查单位一览", "第二页：检查人员与日程",
                         "第1页/共2页", "第2页/共2页"] {
            XCTAssertTrue(compact.contains(expected), "\(expected) in the text: \(text)")
        }

        // Page 1 carries the black SVG rectangle (300×120 px of 794×1123: about 4 %); page 2
        // only text; neither is blank.
        let first = try darkShare(pdf: pdf, page: 1), second = try darkShare(pdf: pdf, page: 2)
        XCTAssertGreaterThan(first, 0.02, "page 1 shows the SVG")
        XCTAssertGreaterThan(second, 0.0005, "page 2 is not blank")
        XCTAssertLessThan(first, 0.5)

        XCTAssertEqual(temporaryLeftovers(), before, "no temporary folder left behind")
        XCTAssertEqual(leftoverProcesses(), [], "no browser process or zombie left behind")
    }

    func testPrintsAnHTMLFileWithAnEnglishFooterOverAnOldPDF() throws {
        try requireChromium()
        let html = dir + "/计划 plan.html", pdf = dir + "/out/plan.pdf"
        try Data(Self.html.replacingOccurrences(of: "<div class=\"break\"></div>", with: "").utf8).write(to: URL(fileURLWithPath: html))
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: pdf))
        try PDFPrinter.print(htmlFile: html, to: pdf, footer: PDFPrinter.englishFooter)
        let info = try run("pdfinfo", [pdf])
        XCTAssertNotNil(info.range(of: #"Pages:\s+1\n"#, options: .regularExpression), info)
        let text = try run("pdftotext", [pdf, "-"])
        XCTAssertTrue(text.contains("Page 1 of 1"), text)
        XCTAssertEqual(entries(dir + "/out"), ["plan.pdf"])
    }

    func testTheSameHTMLPrintsTheSameBytesWithoutDates() throws {
        try requireChromium()
        let a = dir + "/a.pdf", b = dir + "/b.pdf"
        try PDFPrinter.print(html: Self.html, to: a)
        Thread.sleep(forTimeInterval: 1.1)  // another second on Chromium's clock
        try PDFPrinter.print(html: Self.html, to: b)
        let first = try XCTUnwrap(FileManager.default.contents(atPath: a)), second = try XCTUnwrap(FileManager.default.contents(atPath: b))
        XCTAssertEqual(first, second, "two prints of one HTML are byte-identical")
        let text = String(decoding: first, as: UTF8.self)
        XCTAssertFalse(text.contains("/CreationDate"), "no print date")
        XCTAssertFalse(text.contains("/ModDate"), "no modification date")
        // The offsets are intact: poppler reads it without complaint and finds both pages.
        let info = try run("pdfinfo", [a])
        XCTAssertNotNil(info.range(of: #"Pages:\s+2\n"#, options: .regularExpression), info)
        XCTAssertFalse(info.contains("CreationDate"), info)
    }

    func testBlankingTheDatesKeepsTheLengthAndTheOtherEntries() {
        var bytes = Array("<</Producer (Skia/PDF m156)\n/CreationDate (D:20261203051246+00'00')\n/ModDate (D:20261203051246+00'00')>>".utf8)
        let length = bytes.count
        XCTAssertTrue(PDFPrinter.blankDates(in: &bytes))
        XCTAssertEqual(bytes.count, length)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("<</Producer (Skia/PDF m156)\n "), text)
        XCTAssertFalse(text.contains("D:2026"), text)
        XCTAssertTrue(text.hasSuffix(" >>"), text)
        var none = Array("<</Producer (x)>>".utf8)
        XCTAssertFalse(PDFPrinter.blankDates(in: &none))
    }

    func testTheFooterTemplateEscapesTextAndPlacesThePageNumbers() {
        let t = PDFPrinter.footerTemplate("<b>第 %page% 页 / 共 %pages% 页</b> & more")
        XCTAssertTrue(t.contains("&lt;b&gt;第 <span class=\"pageNumber\"></span> 页 / 共 <span class=\"totalPages\"></span> 页&lt;/b&gt; &amp; more"), t)
        XCTAssertTrue(t.contains("font-size:9px"), t)
        XCTAssertTrue(t.contains("WenQuanYi Micro Hei"), t)
    }

    func testAMissingChromiumIsUnavailableAndWritesNothing() throws {
        XCTAssertThrowsError(try PDFPrinter.chromium(environment: ["PLANNER_CHROMIUM": "/nonexistent"])) { e in
            let u = try? XCTUnwrap(e as? PDFPrinter.Unavailable, "\(e)")
            XCTAssertTrue(u?.description.contains("PLANNER_CHROMIUM=/nonexistent") ?? false, "\(e)")
            XCTAssertTrue(u?.description.contains("bash .ci/setup") ?? false, "\(e)")
            XCTAssertTrue(u?.description.contains("chromium") ?? false, "\(e)")
        }
        let previous = getenv("PLANNER_CHROMIUM").map { String(cString: $0) }
        setenv("PLANNER_CHROMIUM", "/nonexistent", 1)
        defer { if let previous { setenv("PLANNER_CHROMIUM", previous, 1) } else { unsetenv("PLANNER_CHROMIUM") } }
        let pdf = dir + "/plan.pdf"
        XCTAssertThrowsError(try PDFPrinter.print(html: Self.html, to: pdf)) { e in
            XCTAssertTrue(e is PDFPrinter.Unavailable, "\(e)")
            XCTAssertTrue("\(e)".contains("找不到") || "\(e)".contains("不是可执行文件"), "\(e)")
            XCTAssertTrue("\(e)".contains("run `bash .ci/setup`"), "\(e)")
        }
        XCTAssertEqual(entries(dir), [], "no PDF, no temporary file")
    }

    func testChromiumIsFoundOnPathOrThroughPlannerChromium() throws {
        let bin = dir + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let fake = bin + "/chromium"
        try Data("#!/bin/sh\nexit 0\n".utf8).write(to: URL(fileURLWithPath: fake))
        XCTAssertNotEqual(try? PDFPrinter.chromium(environment: ["PATH": bin]), fake, "a file without execute permission is passed over")
        chmod(fake, 0o755)
        XCTAssertEqual(try PDFPrinter.chromium(environment: ["PATH": "/nonexistent:" + bin]), fake)
        XCTAssertEqual(try PDFPrinter.chromium(environment: ["PATH": bin, "PLANNER_CHROMIUM": "/bin/sh"]), "/bin/sh")
    }

    func testAChromiumThatDoesNotStartIsAFailureWithItsOutput() throws {
        let fake = dir + "/broken-chromium"
        try Data("#!/bin/sh\necho 'cannot open display: sorry' >&2\nexit 1\n".utf8).write(to: URL(fileURLWithPath: fake))
        chmod(fake, 0o755)
        let previous = getenv("PLANNER_CHROMIUM").map { String(cString: $0) }
        setenv("PLANNER_CHROMIUM", fake, 1)
        defer { if let previous { setenv("PLANNER_CHROMIUM", previous, 1) } else { unsetenv("PLANNER_CHROMIUM") } }
        let before = temporaryLeftovers()
        XCTAssertThrowsError(try PDFPrinter.print(html: Self.html, to: dir + "/plan.pdf", timeout: 20)) { e in
            let f = e as? PDFPrinter.Failure
            XCTAssertNotNil(f, "\(e)")
            XCTAssertTrue(f?.reason.contains("Chromium 意外退出 (Chromium ended unexpectedly)") ?? false, "\(e)")
            XCTAssertEqual(f?.chromiumOutput, "cannot open display: sorry", "\(e)")
            XCTAssertTrue("\(e)".hasPrefix("无法打印 PDF (cannot print the PDF): \(self.dir!)/plan.pdf: "), "\(e)")
        }
        XCTAssertFalse(entries(dir).contains { $0.contains("plan.pdf") }, "no PDF, no temporary file: \(entries(dir))")
        XCTAssertEqual(temporaryLeftovers(), before, "no temporary folder left behind")
        XCTAssertEqual(leftoverProcesses(), [], "no zombie left behind")
    }

    func testABadOutputPathIsAClearErrorAndLeavesNoPartialFile() throws {
        try requireChromium()
        // The target is a folder.
        let folder = dir + "/plan.pdf"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        XCTAssertThrowsError(try PDFPrinter.print(html: Self.html, to: folder)) { e in
            XCTAssertEqual((e as? OutputError)?.code, .refused, "\(e)")
            XCTAssertTrue("\(e)".contains("拒绝写入输出 (output refused)"), "\(e)")
        }
        // The target's folder would be under a regular file.
        let file = dir + "/file.txt"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try PDFPrinter.print(html: Self.html, to: file + "/plan.pdf")) { e in
            XCTAssertEqual((e as? OutputError)?.code, .refused, "\(e)")
            XCTAssertTrue("\(e)".contains("file.txt/plan.pdf"), "\(e)")
        }
        XCTAssertEqual(entries(dir), ["file.txt", "plan.pdf"])
        XCTAssertEqual(entries(folder), [], "nothing written into the folder")
    }

    func testAFailedPrintKeepsTheOldFileAndLeavesNothingBehind() throws {
        try requireChromium()
        let pdf = dir + "/plan.pdf"
        try Data("old".utf8).write(to: URL(fileURLWithPath: pdf))
        let before = temporaryLeftovers()
        // No such HTML file.
        XCTAssertThrowsError(try PDFPrinter.print(htmlFile: dir + "/missing.html", to: pdf)) { e in
            XCTAssertTrue(e is PDFPrinter.Failure, "\(e)")
            XCTAssertTrue("\(e)".contains("missing.html"), "\(e)")
        }
        // A timeout too short for Chromium to start: the browser is killed mid-way.
        XCTAssertThrowsError(try PDFPrinter.print(html: Self.html, to: pdf, timeout: 0.2)) { e in
            XCTAssertTrue(e is PDFPrinter.Failure, "\(e)")
            XCTAssertTrue("\(e)".contains("打印超时 (timed out after"), "\(e)")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: pdf), Data("old".utf8), "the old file untouched")
        XCTAssertEqual(entries(dir), ["plan.pdf"], "no partial file")
        XCTAssertEqual(temporaryLeftovers(), before, "no temporary folder left behind")
        XCTAssertEqual(leftoverProcesses(), [], "no browser process or zombie left behind")
    }
}

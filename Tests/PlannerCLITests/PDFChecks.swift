import Foundation
import XCTest

/// A printed document checked with poppler's tools (Debian `poppler-utils`, installed by
/// `.ci/setup`): its pages are A4, its fonts embedded with a named CJK font among them, its
/// text, and a page rendered to pixels is not blank.
enum PDFChecks {
    static func tool(_ name: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" } + ["/usr/bin/\(name)"]
        guard let found = path.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { throw MissingTool(name: "\(name) (poppler-utils)") }
        return found
    }

    /// Runs a poppler tool; its standard output (a failure names the command and its error output).
    static func run(_ name: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try tool(name))
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(name) \(args.joined(separator: " ")): \(String(decoding: errors, as: UTF8.self))", file: file, line: line)
        return String(decoding: data, as: UTF8.self)
    }

    /// Checks `pdf` is a real printed document: at least `minPages` A4 pages, every font
    /// embedded and a named CJK one among them, `texts` in its text (white space ignored), page 1
    /// not blank. Returns the page count.
    @discardableResult
    static func check(_ pdf: String, minPages: Int = 1, texts: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: pdf), "no \(pdf)", file: file, line: line)
        XCTAssertTrue(data.starts(with: Array("%PDF".utf8)), "\(pdf) is a PDF", file: file, line: line)
        let info = try run("pdfinfo", [pdf], file: file, line: line)
        let pagesLine = try XCTUnwrap(info.range(of: #"Pages:\s+[0-9]+"#, options: .regularExpression), info, file: file, line: line)
        let pages = Int(info[pagesLine].split(separator: " ").last!)!
        XCTAssertGreaterThanOrEqual(pages, minPages, info, file: file, line: line)
        XCTAssertNotNil(info.range(of: #"Page size:\s+[0-9.]+ x [0-9.]+ pts \(A4\)"#, options: .regularExpression), "A4 pages: \(info)", file: file, line: line)
        // name type encoding emb sub uni object ID
        let fonts = try run("pdffonts", [pdf], file: file, line: line).split(separator: "\n").dropFirst(2)
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        XCTAssertFalse(fonts.isEmpty, "fonts listed", file: file, line: line)
        for f in fonts where f.count >= 7 { XCTAssertEqual(f[f.count - 5], "yes", "embedded: \(f.joined(separator: " "))", file: file, line: line) }
        let cjk = fonts.filter { $0.first.map { $0.contains("WenQuanYi") || $0.contains("CJK") } ?? false }
        XCTAssertFalse(cjk.isEmpty, "a named CJK font embedded: \(fonts.map { $0.joined(separator: " ") })", file: file, line: line)
        let text = try run("pdftotext", ["-layout", pdf, "-"], file: file, line: line).filter { !$0.isWhitespace }
        for t in texts { XCTAssertTrue(text.contains(t.filter { !$0.isWhitespace }), "\(t) in the text of \(pdf)", file: file, line: line) }
        XCTAssertGreaterThan(try darkShare(pdf, page: 1), 0.001, "page 1 of \(pdf) is not blank", file: file, line: line)
        return pages
    }

    /// The share of dark pixels (< 128) of a page rendered as a greyscale PGM by pdftoppm.
    static func darkShare(_ pdf: String, page: Int) throws -> Double {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pdf-page-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try run("pdftoppm", ["-gray", "-r", "30", "-f", "\(page)", "-l", "\(page)", "-singlefile", pdf, dir + "/page"])
        let pgm = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/page.pgm"), "pdftoppm wrote no page image")
        // Binary PGM: "P5", width, height, maxval, one white space, the pixels.
        var fields: [String] = [], i = pgm.startIndex
        while fields.count < 4 {
            while i < pgm.endIndex, [0x20, 0x0A, 0x0D, 0x09].contains(pgm[i]) { i += 1 }
            var field = ""
            while i < pgm.endIndex, ![0x20, 0x0A, 0x0D, 0x09].contains(pgm[i]) { field.append(Character(UnicodeScalar(pgm[i]))); i += 1 }
            fields.append(field)
        }
        let pixels = pgm[(i + 1)...]
        guard fields[0] == "P5", let w = Int(fields[1]), let h = Int(fields[2]), pixels.count == w * h else {
            throw CLIFixture.Failure(description: "pdftoppm wrote no readable page image (\(fields))")
        }
        return Double(pixels.filter { $0 < 128 }.count) / Double(pixels.count)
    }
}

import Foundation
import XCTest
@testable import XLSX

/// `writeTable` sizes columns with `WidthEstimator` (shortcuts, a saturation stop) and builds a
/// cell's reference only when the cell is refused: widths and errors must be what the plain
/// per-cell estimate (`Sheet.estimatedWidth`) and eager references gave.
final class SheetWidthTests: XCTestCase {
    static let texts: [String] = [
        "", "a", "plain ascii 123", "浦东新区应急管理局", "陆家嘴街道（重点）", "１２３ＡＢＣ", "a\nbb\nccc", "中\r\n文字",
        "e\u{301}", "\u{3099}か", "か\u{3099}", "國\u{302A}", "😀👍🏽", "🇨🇳", "한국어", "\u{1100}\u{1161}", "tab\tx", "\u{85}x",
        "x\u{2028}yy", "ideographic　space", "〇〒〜", "﹏ﾟ", String(repeating: "长", count: 70), String(repeating: "w", count: 90),
        "913101151B1X2W0459", "0.0026991410000000004", "\u{200D}", "a\u{200D}b", "\u{0}", "\u{7F}", "é", "ｶﾞ",
    ]
    static let numbers: [Double] = [0, -0.0, 1, -1, 7, 10, 99, 100, 12345, -12345, 9_999_999_999, 1e10, 1e15, 0.5, 0.25, 1.005,
                                    2.675, -0.004, 123456.789, 1e-7, 3.14159, 0.9321, 0.75, 1e300, -1e300, 5e-324]
    static let formats: [CellFormat] = [.plain, .percent, .decimal(2), .decimal(0), .wrap, .plain.bordered(), .percent.bordered(),
                                        CellFormat(numberFormat: "0.0"), CellFormat(numberFormat: "#,##0.000"), CellFormat(numberFormat: "yyyy-mm-dd")]

    func testEstimatorGivesTheWidthsOfEstimatedWidth() {
        var values: [CellValue] = Self.texts.map(CellValue.string)
        values += Self.numbers.map(CellValue.number)
        values += [0, 1, -1, 9, 10, -10, 123456789, -9_007_199_254_740_992, Int.max, Int.min].map(CellValue.integer)
        values += [.bool(true), .bool(false), .empty, .date(CellDate(year: 2027, month: 3, day: 1)!)]
        for format in Self.formats {
            let estimator = WidthEstimator(format: format)
            for value in values {
                XCTAssertEqual(estimator.width(of: value, atMostInteresting: 0), Sheet.estimatedWidth(of: value, format: format),
                               "\(value) in \(format)")
                // With a floor, never more than the floor unless it is the true width.
                for floor in [1, 5, 20, 58] {
                    let w = estimator.width(of: value, atMostInteresting: floor)
                    XCTAssertTrue(w <= floor || w == Sheet.estimatedWidth(of: value, format: format), "\(value) floor \(floor)")
                    XCTAssertTrue(w >= Sheet.estimatedWidth(of: value, format: format) || Sheet.estimatedWidth(of: value, format: format) <= floor)
                }
            }
        }
        for text in Self.texts {
            XCTAssertEqual(WidthEstimator.textWidth(text), TextWidth.of(text), text.debugDescription)
        }
    }

    /// Random text over an alphabet of ASCII, CJK, combining marks, line breaks and emoji.
    func testEstimatorMatchesOnRandomText() {
        let alphabet: [String] = ["a", " ", "中", "，", "\u{301}", "\u{302A}", "\n", "\r", "😀", "\u{200D}", "🏽", "ｶ", "\u{FF9E}", "1", "\u{3000}"]
        var state: UInt64 = 42
        for _ in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let n = Int(state >> 59)
            var text = ""
            for i in 0..<n { text += alphabet[Int((state >> UInt64(i * 3 % 50)) % UInt64(alphabet.count))] }
            XCTAssertEqual(WidthEstimator.textWidth(text), TextWidth.of(text), text.debugDescription)
        }
    }

    /// The widths `writeTable` sets: for each column the widest of header + 2 and every cell,
    /// padded and clamped, as computed cell by cell.
    func testTableWidthsAreThoseOfEveryCell() throws {
        let dir = NSTemporaryDirectory() + "sheet-width-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wb = try Workbook(path: dir + "/w.xlsx")
        let sheet = try wb.addSheet(name: "表")
        var rows: [[CellValue]] = []
        for i in 0..<400 {
            rows.append([.string(Self.texts[i % Self.texts.count]), .number(Self.numbers[i % Self.numbers.count]),
                         .integer(i * 37 - 5000), .string(String(repeating: "字", count: i % 40)), .number(Double(i) / 3)])
        }
        let header = ["名称", "数值", "整数", "长文本", "比例"]
        let formats: [CellFormat?] = [nil, .decimal(2), nil, .wrap, .percent]
        let layout = try sheet.writeTable(header: header, rows: rows, title: "标题", columnFormats: formats)
        try wb.close()
        let expected: [Double] = header.indices.map { c in
            let format = (c < formats.count ? formats[c] ?? .plain : .plain).bordered()
            var content = TextWidth.of(header[c]) + 2
            for r in rows { content = max(content, Sheet.estimatedWidth(of: r[c], format: format)) }
            return TextWidth.columnWidth(forContentWidth: content)
        }
        XCTAssertEqual(layout.columnWidths, expected)
    }

    /// A refused cell is still named (its reference is built lazily, only then).
    func testARefusedCellIsNamed() throws {
        let dir = NSTemporaryDirectory() + "sheet-width-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wb = try Workbook(path: dir + "/w.xlsx")
        let sheet = try wb.addSheet(name: "表")
        XCTAssertThrowsError(try sheet.writeTable(header: ["a", "b"], rows: [["x", 1], ["y", .number(.nan)]])) {
            XCTAssertTrue("\($0)".contains("B3 on sheet \"表\""), "\($0)")
        }
        XCTAssertThrowsError(try sheet.write(row: 4, col: 2, .integer(9_007_199_254_740_993))) {
            XCTAssertTrue("\($0)".contains("C5 on sheet \"表\""), "\($0)")
        }
    }
}

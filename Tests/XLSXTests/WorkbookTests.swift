import Foundation
import XCTest
import XLSX

final class WorkbookTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "xlsx-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func contents(of directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    private func expectError(_ code: XLSXError.Code, file: StaticString = #filePath, line: UInt = #line,
                             _ body: () throws -> Void) -> XLSXError? {
        do {
            try body()
            XCTFail("expected XLSXError.\(code), nothing was thrown", file: file, line: line)
            return nil
        } catch let error as XLSXError {
            XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected XLSXError.\(code), got \(error)", file: file, line: line)
            return nil
        }
    }

    private static let date = CellDate(year: 2024, month: 3, day: 1)!

    /// The roster every test writes: two Chinese sheets, a titled table with
    /// text, integers, percentages, decimals, dates and booleans.
    private func writeRoster(to path: String, created: Date = DocumentProperties.fixedCreationDate) throws {
        let workbook = try Workbook(path: path, properties: DocumentProperties(created: created, title: "执法计划"))
        let summary = try workbook.addSheet(name: "年度汇总")
        let layout = try summary.writeTable(
            header: ["单位名称", "检查次数", "完成率", "风险分值", "计划日期", "重点单位"],
            rows: [
                ["华东化工有限公司", 12, 0.875, 3.14159, .date(Self.date), true],
                ["城南加油站", 4, 1.0, 0.5, .date(CellDate("2024-12-31")!), false],
                ["Acme Logistics", 0, 0, 12, .empty],
            ],
            title: "2024年度执法检查汇总",
            columnFormats: [nil, nil, .percent, .decimal(2), nil, nil])
        try summary.setPageSetup(PageSetup(orientation: .landscape, paper: .a4,
                                           repeatRows: layout.headingRows, fitToWidth: true))

        let plan = try workbook.addSheet(name: "检查计划")
        try plan.write(row: 0, col: 0, "执法人员", format: .bold)
        try plan.write(row: 0, col: 1, "张三、李四")
        try plan.write(row: 1, col: 0, .number(0.25), format: .percent)
        try plan.write(row: 1, col: 1, .bool(true))
        try plan.write(row: 2, col: 0, .date(Self.date))
        try plan.write(row: 2, col: 1, "较长的备注文字，需要自动换行。", format: .wrap)
        try plan.merge(rows: 4...4, cols: 0...3, "合并标题", format: .bold.aligned(.center))
        try plan.writeRow(row: 5, ["甲", "乙", 3, 4.5])
        try plan.setColumnWidth(1, width: 30)
        try plan.setColumnWidth(2...3, width: 12)
        try plan.freezePanes(row: 1)
        try workbook.close()
    }

    // MARK: - Content

    func testWritesChineseWorkbookThatIsAValidZip() throws {
        let path = directory + "/汇总.xlsx"
        try writeRoster(to: path)

        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        let zip = try ZipInspector(path: path)
        for entry in ["[Content_Types].xml", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml",
                      "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "docProps/core.xml"] {
            XCTAssertTrue(zip.names.contains(entry), "missing \(entry) in \(zip.names)")
        }

        let workbookXML = try zip.text(of: "xl/workbook.xml")
        XCTAssertTrue(workbookXML.contains("<sheet name=\"年度汇总\" sheetId=\"1\""), workbookXML)
        XCTAssertTrue(workbookXML.contains("<sheet name=\"检查计划\" sheetId=\"2\""), workbookXML)
        XCTAssertTrue(workbookXML.contains("_xlnm.Print_Titles\" localSheetId=\"0\">'年度汇总'!$1:$2<"), workbookXML)
        XCTAssertTrue(workbookXML.contains("_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">'年度汇总'!$A$2:$F$5<"),
                      workbookXML)

        let strings = try zip.text(of: "xl/sharedStrings.xml")
        for text in ["单位名称", "检查次数", "完成率", "华东化工有限公司", "城南加油站", "2024年度执法检查汇总",
                     "执法人员", "张三、李四", "合并标题", "Acme Logistics"] {
            XCTAssertTrue(strings.contains("<t>\(text)</t>"), "sharedStrings lacks \(text)")
        }

        let sheet1 = try zip.text(of: "xl/worksheets/sheet1.xml")
        XCTAssertTrue(sheet1.contains("<mergeCell ref=\"A1:F1\"/>"), "title merged across the header")
        XCTAssertTrue(sheet1.contains("<autoFilter ref=\"A2:F5\"/>"))
        XCTAssertTrue(sheet1.contains("<pane ySplit=\"2\" topLeftCell=\"A3\""), "panes frozen below the header")
        XCTAssertTrue(sheet1.contains("paperSize=\"9\""), "A4")
        XCTAssertTrue(sheet1.contains("orientation=\"landscape\""))
        XCTAssertTrue(sheet1.contains("<pageSetUpPr fitToPage=\"1\"/>"))
        XCTAssertTrue(sheet1.contains("t=\"b\"><v>1</v>"), "booleans are real booleans")
        XCTAssertTrue(sheet1.contains("<v>45352</v>"), "2024-03-01 is Excel serial 45352")
        XCTAssertTrue(sheet1.contains("<v>0.875</v>"))
        XCTAssertTrue(sheet1.contains("<v>12</v>"))
        // Column A holds "华东化工有限公司" (8 CJK = 16) + 2 padding.
        XCTAssertTrue(sheet1.contains("<col min=\"1\" max=\"1\" width=\"18.7109375\""), sheet1)

        let styles = try zip.text(of: "xl/styles.xml")
        XCTAssertTrue(styles.contains("formatCode=\"yyyy-mm-dd\""))
        XCTAssertTrue(styles.contains("formatCode=\"0.0%\""))
        XCTAssertTrue(styles.contains("formatCode=\"0.00\""))
        XCTAssertTrue(styles.contains("<b/>"))
        XCTAssertTrue(styles.contains("rgb=\"FFD9E1F2\""), "header fill")

        let sheet2 = try zip.text(of: "xl/worksheets/sheet2.xml")
        XCTAssertTrue(sheet2.contains("<mergeCell ref=\"A5:D5\"/>"))
        XCTAssertTrue(sheet2.contains("<col min=\"2\" max=\"2\" width=\"30.7109375\""), sheet2)

        let core = try zip.text(of: "docProps/core.xml")
        XCTAssertTrue(core.contains("<dc:title>执法计划</dc:title>"))
        XCTAssertTrue(core.contains(">2000-01-01T00:00:00Z</dcterms:created>"), core)
    }

    /// A sheet to file: several tables, only the heading frozen, no autofilter, A4 fit to width,
    /// page numbers in the footer and the heading repeated on every page.
    func testFiledPrintSetupWithSeveralTables() throws {
        let path = directory + "/filed.xlsx"
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addSheet(name: "年度汇总")
        try sheet.merge(rows: 0...0, cols: 0...2, "2027年度执法计划汇总", format: .tableTitle)
        try sheet.write(row: 1, col: 0, "编制单位：浦东新区应急管理局")
        let first = try sheet.writeTable(header: ["项目", "人·日"], rows: [["监督检查工作日", 580]], title: "执法工作日测算",
                                         startRow: 3, freezeHeader: false, autofilter: false)
        _ = try sheet.writeTable(header: ["规则", "结论"], rows: [["PLAN-SHARE60", "符合"]], title: "逐条规则核验",
                                 startRow: first.lastRow + 2, freezeHeader: false, autofilter: false)
        try sheet.freezePanes(row: 3)
        try sheet.setPageSetup(.filed(repeatRows: 0...2))
        XCTAssertNotNil(expectError(.invalidArgument) {
            try sheet.setPageSetup(PageSetup(footer: String(repeating: "页", count: 100)))
        }, "a footer over 255 bytes is refused before libxlsxwriter sees it")
        try workbook.close()

        let zip = try ZipInspector(path: path)
        let xml = try zip.text(of: "xl/worksheets/sheet1.xml")
        XCTAssertTrue(xml.contains("<pane ySplit=\"3\" topLeftCell=\"A4\""), "frozen below the heading only: " + xml)
        XCTAssertFalse(xml.contains("<autoFilter"), xml)
        XCTAssertTrue(xml.contains("paperSize=\"9\""), "A4")
        // One page wide (fitToWidth defaults to 1 and is omitted), any number of pages long.
        XCTAssertTrue(xml.contains("fitToHeight=\"0\"") && (!xml.contains("fitToWidth=") || xml.contains("fitToWidth=\"1\"")), xml)
        XCTAssertTrue(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), xml)
        XCTAssertTrue(xml.contains("<headerFooter><oddFooter>&amp;C&amp;P/&amp;N</oddFooter></headerFooter>"), xml)
        let workbookXML = try zip.text(of: "xl/workbook.xml")
        XCTAssertTrue(workbookXML.contains("_xlnm.Print_Titles\" localSheetId=\"0\">'年度汇总'!$1:$3<"), workbookXML)
        XCTAssertFalse(workbookXML.contains("_FilterDatabase"), workbookXML)
    }

    func testTableLayoutAndWidths() throws {
        let workbook = try Workbook(path: directory + "/t.xlsx")
        let sheet = try workbook.addSheet(name: "名册")
        let layout = try sheet.writeTable(header: ["单位名称", "id"], rows: [["很长很长很长的单位名称（有限公司）", 1]],
                                          title: "名册", startRow: 2, startCol: 1)
        XCTAssertEqual(layout.titleRow, 2)
        XCTAssertEqual(layout.headerRow, 3)
        XCTAssertEqual(layout.dataRows, 4..<5)
        XCTAssertEqual(layout.columns, 1...2)
        XCTAssertEqual(layout.headingRows, 2...3)
        XCTAssertEqual(layout.lastRow, 4)
        XCTAssertEqual(layout.columnWidths, [36, 8], "17 CJK/fullwidth characters = 34, + 2 padding; short column clamps to 8")

        let empty = try workbook.addSheet(name: "空表").writeTable(header: ["只有表头"], rows: [])
        XCTAssertNil(empty.titleRow)
        XCTAssertTrue(empty.dataRows.isEmpty)
        XCTAssertEqual(empty.lastRow, 0)
        try workbook.close()
    }

    func testTextWidthCountsCJKDouble() {
        XCTAssertEqual(TextWidth.of("单位名称"), 8)
        XCTAssertEqual(TextWidth.of("abc"), 3)
        XCTAssertEqual(TextWidth.of("ＡＢ，"), 6, "fullwidth forms")
        XCTAssertEqual(TextWidth.of("A公司"), 5)
        XCTAssertEqual(TextWidth.of("ab\n单位名称x"), 9, "widest line")
        XCTAssertEqual(TextWidth.of(""), 0)
        XCTAssertEqual(TextWidth.columnWidth(forContentWidth: 1), 8)
        XCTAssertEqual(TextWidth.columnWidth(forContentWidth: 20), 22)
        XCTAssertEqual(TextWidth.columnWidth(forContentWidth: 500), 60)
    }

    func testCellDate() {
        XCTAssertEqual(CellDate("2024-03-01"), CellDate(year: 2024, month: 3, day: 1))
        XCTAssertEqual(CellDate("2024-3-1"), CellDate(year: 2024, month: 3, day: 1))
        XCTAssertEqual(CellDate("2024/3/1"), CellDate(year: 2024, month: 3, day: 1))
        XCTAssertEqual(CellDate("2024-02-29")?.isoString, "2024-02-29")
        XCTAssertNil(CellDate("2023-02-29"))
        XCTAssertNil(CellDate("24-3-1"))
        XCTAssertNil(CellDate("2024-13-01"))
        XCTAssertNil(CellDate("1899-12-31"), "before Excel's epoch")
        XCTAssertNil(CellDate("2024-03-01T00:00"))
        let utc = TimeZone(identifier: "UTC")!
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let instant = Date(timeIntervalSince1970: 1_709_251_200 - 3_600) // 2024-02-29T23:00Z
        XCTAssertEqual(CellDate(instant, timeZone: utc)?.isoString, "2024-02-29")
        XCTAssertEqual(CellDate(instant, timeZone: shanghai)?.isoString, "2024-03-01")
    }

    func testColumnNames() {
        XCTAssertEqual(Sheet.columnName(0), "A")
        XCTAssertEqual(Sheet.columnName(25), "Z")
        XCTAssertEqual(Sheet.columnName(26), "AA")
        XCTAssertEqual(Sheet.columnName(16_383), "XFD")
    }

    // MARK: - Sheet names

    func testInvalidSheetNamesThrow() throws {
        let workbook = try Workbook(path: directory + "/names.xlsx")
        let tooLong = String(repeating: "汇", count: 32)
        let error = expectError(.invalidSheetName) { _ = try workbook.addSheet(name: tooLong) }
        XCTAssertTrue(error?.message.contains(tooLong) ?? false)
        XCTAssertTrue(error?.message.contains("31") ?? false)

        for bad in ["年度[汇总]", "a:b", "计划*", "what?", "2024/03", "a\\b", "x]"] {
            _ = expectError(.invalidSheetName) { _ = try workbook.addSheet(name: bad) }
        }
        for bad in ["", "'开头", "结尾'", "History", "HISTORY", "tab\tname"] {
            _ = expectError(.invalidSheetName) { _ = try workbook.addSheet(name: bad) }
        }

        _ = try workbook.addSheet(name: String(repeating: "汇", count: 31))
        _ = try workbook.addSheet(name: "年度汇总")
        _ = try workbook.addSheet(name: "Data")
        _ = try workbook.addSheet(name: "O'Brien")
        _ = expectError(.duplicateSheetName) { _ = try workbook.addSheet(name: "年度汇总") }
        let caseError = expectError(.duplicateSheetName) { _ = try workbook.addSheet(name: "DATA") }
        XCTAssertTrue(caseError?.message.contains("\"Data\"") ?? false, caseError?.message ?? "")
        _ = try workbook.addSheet(name: "Ärger")
        XCTAssertEqual(workbook.sheetNames, [String(repeating: "汇", count: 31), "年度汇总", "Data", "O'Brien", "Ärger"])
        _ = expectError(.duplicateSheetName) { _ = try workbook.addSheet(name: "äRGER") }

        XCTAssertEqual(workbook.sheet(named: "data")?.name, "Data")
        XCTAssertNil(workbook.sheet(named: "不存在"))

        // The failures left the workbook usable.
        try workbook.close()
        let zip = try ZipInspector(path: directory + "/names.xlsx")
        let xml = try zip.text(of: "xl/workbook.xml")
        XCTAssertTrue(xml.contains("name=\"\(String(repeating: "汇", count: 31))\""))
        XCTAssertTrue(xml.contains("name=\"O'Brien\""))
    }

    // MARK: - All-or-nothing

    func testNonexistentDirectoryThrowsAndLeavesNothingBehind() throws {
        let missing = directory + "/不存在的目录"
        let path = missing + "/计划.xlsx"
        let workbook = try Workbook(path: path)
        try workbook.addSheet(name: "年度汇总").write(row: 0, col: 0, "单位名称")
        let error = expectError(.saveFailed) { try workbook.close() }
        XCTAssertEqual(error?.path, path)
        XCTAssertTrue(error?.message.contains(path) ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("Error creating output xlsx file") ?? false, error?.message ?? "")
        XCTAssertTrue(workbook.isClosed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
        XCTAssertEqual(try contents(of: directory), [])
        _ = expectError(.workbookClosed) { try workbook.close() }
    }

    func testFailedRenameLeavesTargetAndNoTemporaryFile() throws {
        // The target is a directory: libxlsxwriter succeeds, the rename cannot.
        let path = directory + "/roster.xlsx"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let workbook = try Workbook(path: path)
        try workbook.addSheet(name: "名册").write(row: 0, col: 0, "张三")
        let error = expectError(.saveFailed) { try workbook.close() }
        XCTAssertTrue(error?.message.contains(path) ?? false)
        XCTAssertEqual(try contents(of: directory), ["roster.xlsx"])
        XCTAssertEqual(try contents(of: path), [], "the directory in the way was left untouched")
    }

    func testSuccessLeavesOnlyTheTargetAndReplacesAtomically() throws {
        let path = directory + "/计划.xlsx"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try writeRoster(to: path)
        XCTAssertEqual(try contents(of: directory), ["计划.xlsx"])
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data("old".utf8))
        XCTAssertNoThrow(try ZipInspector(path: path))
    }

    func testDroppedWorkbookWritesNothing() throws {
        let path = directory + "/abandoned.xlsx"
        try Data("previous".utf8).write(to: URL(fileURLWithPath: path))
        do {
            let workbook = try Workbook(path: path)
            let sheet = try workbook.addSheet(name: "年度汇总")
            try sheet.writeTable(header: ["单位名称"], rows: [["甲公司"]], title: "标题")
            // Dropped without close(): deinit frees libxlsxwriter's memory and writes nothing.
        }
        XCTAssertEqual(try contents(of: directory), ["abandoned.xlsx"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data("previous".utf8))
    }

    func testEverythingThrowsAfterClose() throws {
        let workbook = try Workbook(path: directory + "/closed.xlsx")
        let sheet = try workbook.addSheet(name: "表一")
        try workbook.close()
        _ = expectError(.workbookClosed) { try sheet.write(row: 0, col: 0, "迟到") }
        _ = expectError(.workbookClosed) { try sheet.writeTable(header: ["a"], rows: []) }
        _ = expectError(.workbookClosed) { try sheet.setColumnWidth(0, width: 10) }
        _ = expectError(.workbookClosed) { try sheet.setPageSetup(.landscapeA4) }
        _ = expectError(.workbookClosed) { _ = try workbook.addSheet(name: "表二") }
        _ = expectError(.workbookClosed) { try workbook.close() }
        XCTAssertNil(workbook.sheet(named: "表一"))
    }

    func testEmptyWorkbookStillOpens() throws {
        let path = directory + "/empty.xlsx"
        try Workbook(path: path).close()
        XCTAssertTrue(try ZipInspector(path: path).names.contains("xl/workbook.xml"))
    }

    func testRelativePathWritesIntoCurrentDirectory() throws {
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        try Workbook(path: "relative.xlsx").close()
        XCTAssertEqual(try contents(of: directory), ["relative.xlsx"])
    }

    // MARK: - Values

    func testInvalidValuesAndCellsThrow() throws {
        let workbook = try Workbook(path: directory + "/values.xlsx")
        let sheet = try workbook.addSheet(name: "数值")
        _ = expectError(.invalidArgument) { try sheet.write(row: 0, col: 0, .number(.nan)) }
        _ = expectError(.invalidArgument) { try sheet.write(row: 0, col: 0, .number(.infinity)) }
        _ = expectError(.invalidArgument) { try sheet.write(row: 0, col: 0, .integer(9_007_199_254_740_993)) }
        _ = expectError(.invalidArgument) { try sheet.write(row: 0, col: 0, "a\u{0}b") }
        _ = expectError(.invalidArgument) {
            try sheet.write(row: 0, col: 0, .string(String(repeating: "长", count: 32_768)))
        }
        _ = expectError(.cellOutOfRange) { try sheet.write(row: -1, col: 0, "x") }
        _ = expectError(.cellOutOfRange) { try sheet.write(row: 0, col: 16_384, "x") }
        _ = expectError(.cellOutOfRange) { try sheet.write(row: 1_048_576, col: 0, "x") }
        _ = expectError(.invalidArgument) { try sheet.writeTable(header: [], rows: []) }
        _ = expectError(.invalidArgument) { try sheet.writeTable(header: ["a"], rows: [["x", "y"]]) }
        _ = expectError(.invalidArgument) { try sheet.writeTable(header: ["a"], rows: [[.number(.nan)]]) }
        _ = expectError(.invalidArgument) { try sheet.setColumnWidth(0, width: 300) }
        _ = expectError(.invalidArgument) {
            try sheet.write(row: 0, col: 0, 1, format: CellFormat(fontSize: 0))
        }

        try sheet.write(row: 1_048_575, col: 16_383, "最后一格")
        try sheet.write(row: 0, col: 0, .integer(9_007_199_254_740_992))
        try sheet.write(row: 0, col: 1, .string(String(repeating: "长", count: 32_767)))
        try workbook.close()
        let xml = try ZipInspector(path: directory + "/values.xlsx").text(of: "xl/worksheets/sheet1.xml")
        XCTAssertTrue(xml.contains("<c r=\"XFD1048576\""))
        XCTAssertTrue(xml.contains("<dimension ref=\"A1:XFD1048576\"/>"))
    }

    func testPiecesKeepEveryCharacterAndCutAtASeparator() {
        let units = (1...3000).map { "91310115MA\(String(format: "%07d", $0))X" }.joined(separator: "、")
        let pieces = Sheet.pieces(of: units)
        XCTAssertEqual(pieces.joined(), units)
        XCTAssertGreaterThan(pieces.count, 1)
        XCTAssertTrue(pieces.allSatisfy { $0.utf16.count <= Sheet.maxCellCharacters })
        XCTAssertTrue(pieces.dropLast().allSatisfy { $0.hasSuffix("、") }, "cut after a separator, not inside an id")
        // No separator: cut between characters, never inside a surrogate pair.
        let emoji = String(repeating: "😀", count: 20_000)
        let cut = Sheet.pieces(of: emoji)
        XCTAssertEqual(cut.joined(), emoji)
        XCTAssertTrue(cut.allSatisfy { $0.utf16.count <= Sheet.maxCellCharacters && $0.unicodeScalars.allSatisfy { $0 == "😀" } })
        XCTAssertEqual(Sheet.pieces(of: "短"), ["短"])
    }

    func testTextOverTheCellLimitIsSplitOverContinuationRowsAndReadable() throws {
        let path = directory + "/long.xlsx"
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addSheet(name: "抽取")
        let long = String(repeating: "长", count: 40_000)
        let layout = try sheet.writeTable(header: ["抽取编号", "抽中单位"], rows: [["D-1", .string(long)], ["D-2", "短\u{0}名"]],
                                          title: String(repeating: "题", count: 33_000))
        XCTAssertEqual(layout.dataRows, 2..<5, "one continuation row")
        XCTAssertEqual(layout.continuedRows, [3])
        try workbook.close()
        let strings = try ZipInspector(path: path).text(of: "xl/sharedStrings.xml")
        let first = String(repeating: "长", count: 32_767), rest = String(repeating: "长", count: 40_000 - 32_767)
        XCTAssertTrue(strings.contains("<t>\(first)</t>"), "the first piece fills a cell")
        XCTAssertTrue(strings.contains("<t>\(rest)</t>"), "the rest continues below")
        XCTAssertTrue(strings.contains("Excel's cell limit"), "a cut title says so")
        XCTAssertTrue(strings.contains("<t>短\u{2400}名</t>"), "a NUL shown as ␀, not a failed workbook")
        let xml = try ZipInspector(path: path).text(of: "xl/worksheets/sheet1.xml")
        XCTAssertTrue(xml.contains("<c r=\"B4\""), "continuation in B4")
        XCTAssertTrue(xml.contains("<c r=\"A5\"") && xml.contains("<c r=\"B5\""), "the next row follows")
        XCTAssertTrue(xml.contains("<autoFilter ref=\"A2:B5\"/>"), xml)
    }

    func testRejectedTableWritesNothing() throws {
        let path = directory + "/rejected.xlsx"
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addSheet(name: "名册")
        let header = ["单位名称", "分值"]
        _ = expectError(.invalidArgument) {
            try sheet.writeTable(header: header, rows: [["甲", 1], ["乙", .number(.nan)]], title: "标题")
        }
        _ = expectError(.invalidArgument) {
            try sheet.writeTable(header: header, rows: [["甲", 1, 2]])
        }
        _ = expectError(.invalidArgument) {
            try sheet.writeTable(header: header, rows: [["甲", 1]], columnFormats: [nil, CellFormat(fontSize: 500)])
        }
        _ = expectError(.invalidArgument) {
            try sheet.writeTable(header: header, rows: [], columnFormats: [nil, nil, nil])
        }
        _ = expectError(.cellOutOfRange) {
            try sheet.writeTable(header: header, rows: [["甲"]], startRow: 1_048_575)
        }
        try workbook.close()
        let xml = try ZipInspector(path: path).text(of: "xl/worksheets/sheet1.xml")
        XCTAssertTrue(xml.contains("<sheetData/>"), xml)
        XCTAssertFalse(xml.contains("mergeCell"))
        XCTAssertFalse(xml.contains("autoFilter"))
    }

    func testErrorDescriptionIsReadable() throws {
        let workbook = try Workbook(path: directory + "/e.xlsx")
        let error = expectError(.invalidSheetName) { _ = try workbook.addSheet(name: "a/b") }
        XCTAssertEqual(error?.description,
                       "XLSXError.invalidSheetName: invalid sheet name \"a/b\": it contains '/'; "
                       + "Excel forbids [ ] : * ? / \\ in sheet names")
    }

    // MARK: - Determinism

    func testSameContentGivesByteIdenticalFiles() throws {
        let first = directory + "/a.xlsx"
        let second = directory + "/b.xlsx"
        try writeRoster(to: first)
        Thread.sleep(forTimeInterval: 2.1) // past both DOS (2 s) and core.xml (1 s) timestamp resolution
        try writeRoster(to: second)
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        XCTAssertFalse(a.isEmpty)
        XCTAssertEqual(a, b, "same content must give byte-identical files")

        // libxlsxwriter stamps every zip entry with 1980-01-01 00:00, not the wall clock.
        let zip = try ZipInspector(path: first)
        XCTAssertFalse(zip.entries.isEmpty)
        for entry in zip.entries {
            XCTAssertEqual(entry.dosDate, (0 << 9) | (1 << 5) | 1, "\(entry.name) date")
            XCTAssertEqual(entry.dosTime, 0, "\(entry.name) time")
        }
    }

    func testCreationDateIsTheOnlyTimestamp() throws {
        let fixed = directory + "/fixed.xlsx"
        let other = directory + "/other.xlsx"
        try writeRoster(to: fixed)
        let created = Date(timeIntervalSince1970: 1_735_689_600) // 2025-01-01T00:00:00Z
        try writeRoster(to: other, created: created)
        let core = try ZipInspector(path: other).text(of: "docProps/core.xml")
        XCTAssertTrue(core.contains(">2025-01-01T00:00:00Z</dcterms:created>"), core)
        XCTAssertTrue(core.contains(">2025-01-01T00:00:00Z</dcterms:modified>"), core)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: fixed)),
                          try Data(contentsOf: URL(fileURLWithPath: other)))
    }
}

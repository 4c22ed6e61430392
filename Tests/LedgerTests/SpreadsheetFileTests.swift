import Foundation
import XCTest
import XLSX
import ZIPFoundation
@testable import Ledger

/// Files planners actually have: .xlsx workbooks, GBK/GB18030 CSV, dates as Chinese Excel
/// writes them.
final class SpreadsheetFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("SpreadsheetFileTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// One deflated part of a hand-made workbook.
    static func addPart(_ archive: Archive, _ name: String, _ data: Data) throws {
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
            position, size in data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    // A ledger with Chinese headers, a pass-through column, numbers, booleans and dates.
    private static let header = ["统一社会信用代码", "单位名称", "所属区", "所属街镇", "行业类别", "经营方式/细分行业",
                                 "规模", "危化品许可证", "近三年行政处罚次数", "最近死亡事故日期", "上次检查日期",
                                 "纬度", "经度", "备注"]
    private static let rows: [[String]] = [
        [code(1), "甲化工有限公司", "浦东新区", "张江镇", "危险化学品", "生产", "中型", "是", "3", "2025-06-01", "2026-11-20",
         "31.2304", "121.4737", "老厂区"],
        [code(2), "乙食品厂", "浦东新区", "唐镇", "工贸", "轻工", "小型", "否", "0", "", "2026-03-05", "", "", ""],
        [code(3), "丙仓储", "浦东新区", "曹路镇", "危险化学品", "储存", "大型", "是", "12", "", "", "31.25", "121.6", "含\"引号\",逗号"],
    ]

    private static var csvText: String {
        func quote(_ s: String) -> String {
            s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([header] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// The ledger's .xlsx twin as Excel would hold it: shared strings, numbers as numbers, one
    /// date as a formatted date cell and one as a bare serial in a date column.
    private func writeXLSXTwin(to file: String) throws {
        let workbook = try Workbook(path: file)
        let sheet = try workbook.addSheet(name: "台账")
        try sheet.writeRow(row: 0, Self.header.map { CellValue.string($0) })
        for (r, row) in Self.rows.enumerated() {
            for (c, text) in row.enumerated() where !text.isEmpty {
                let value: CellValue
                switch Self.header[c] {
                case "近三年行政处罚次数": value = .integer(Int(text)!)
                case "纬度", "经度": value = .number(Double(text)!)
                case "最近死亡事故日期": value = .date(CellDate(text)!)                       // formatted yyyy-mm-dd
                case "上次检查日期":                                                    // bare serial, General format
                    let d = CivilDate(text)!
                    value = .integer(d.dayNumber - CivilDate(year: 1899, month: 12, day: 30)!.dayNumber)
                default: value = .string(text)
                }
                try sheet.write(row: r + 1, col: c, value)
            }
        }
        try workbook.close()
    }

    // MARK: - xlsx

    func testXLSXLedgerLoadsTheSameUnitsAsItsCSVTwin() throws {
        let csv = try LedgerLoader.load(data: Data(Self.csvText.utf8), file: "ledger.csv")
        let file = path("台账.xlsx")
        try writeXLSXTwin(to: file)
        let xlsx = try LedgerLoader.load(path: file)
        XCTAssertEqual(xlsx.units, csv.units)
        XCTAssertEqual(xlsx.extraHeaders, ["备注"])
        XCTAssertEqual(xlsx.units[0].lastInspected, CivilDate(year: 2026, month: 11, day: 20), "bare serial in a date column")
        XCTAssertEqual(xlsx.units[0].lastFatalAccident, CivilDate(year: 2025, month: 6, day: 1), "date-formatted cell")
        XCTAssertEqual(xlsx.units[2].penalties3y, 12)
        XCTAssertEqual(xlsx.units[0].latitude, 31.2304)
        XCTAssertEqual(xlsx.encoding, .xlsx(sheet: "台账"))
        XCTAssertEqual(csv.encoding, .utf8)
    }

    func testXLSXProblemsNameFileRowHeaderAndValue() throws {
        let file = path("bad.xlsx")
        let workbook = try Workbook(path: file)
        let sheet = try workbook.addSheet(name: "Sheet1")
        try sheet.writeRow(row: 0, ["统一社会信用代码", "单位名称", "所属区", "所属街镇", "行业类别", "规模", "上次检查日期"])
        try sheet.writeRow(row: 1, [.string(code(4)), "甲", "浦东新区", "唐镇", "工贸", "巨型", "2027/2/30"])
        try workbook.close()
        XCTAssertThrowsError(try LedgerLoader.load(path: file)) { error in
            let p = (error as? InputError)?.problems ?? []
            XCTAssertEqual(p.count, 2, "\(error)")
            XCTAssertEqual(Set(p.map { $0.column ?? "" }), ["规模", "上次检查日期"])
            XCTAssertTrue(p.allSatisfy { $0.file == file && $0.row == 2 })
            XCTAssertEqual(p.first { $0.column == "上次检查日期" }?.value, "2027/2/30")
            XCTAssertFalse("\(error)".contains("GBK"), "an xlsx is not called GBK: \(error)")
        }
        // A value past the header's last column: named by row, not blamed on commas.
        let wide = path("wide.xlsx")
        let book = try Workbook(path: wide)
        let s = try book.addSheet(name: "Sheet1")
        try s.writeRow(row: 0, ["id", "name", "district", "town", "category", "scale"])
        try s.writeRow(row: 1, [.string(code(5)), "甲", "浦东新区", "唐镇", "mining", "small"])
        try s.writeRow(row: 2, [.string(code(6)), "乙", "浦东新区", "唐镇", "mining", "small", .empty, "多余"])
        try book.close()
        XCTAssertThrowsError(try LedgerLoader.load(path: wide)) { error in
            let p = (error as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.row }, [3], "\(error)")
            XCTAssertTrue(p.first?.message.contains("past the header") ?? false, "\(error)")
            XCTAssertFalse(p.first?.message.contains("comma") ?? true, "\(error)")
        }
    }

    /// A minimal workbook by hand: inline strings, element prefixes, cells without `r`, a row
    /// number gap, no shared strings and no styles part.
    func testXLSXWithInlineStringsAndPrefixedElements() throws {
        let file = path("inline.xlsx")
        let archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .create)
        func add(_ name: String, _ xml: String) throws { try Self.addPart(archive, name, Data(xml.utf8)) }
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <x:sheets><x:sheet name="名录" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>
            </Relationships>
            """)
        func row(_ r: Int?, _ cells: [String]) -> String {
            let attr = r.map { " r=\"\($0)\"" } ?? ""
            return "<x:row\(attr)>" + cells.map { $0.isEmpty ? "<x:c/>" : "<x:c t=\"inlineStr\"><x:is><x:t>\($0)</x:t></x:is></x:c>" }.joined() + "</x:row>"
        }
        try add("xl/worksheets/data.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
            \(row(1, ["id", "name", "district", "town", "category", "scale", "last_inspected"]))
            \(row(nil, [code(5), "A &amp; B 公司", "浦东新区", "唐镇", "mining", "small", "2027年1月5日"]))
            <x:row r="5"><x:c r="A5" t="inlineStr"><x:is><x:r><x:t>\(code(6))</x:t></x:r></x:is></x:c>\
            <x:c r="B5" t="inlineStr"><x:is><x:r><x:t>丁</x:t></x:r><x:r><x:t>公司</x:t></x:r></x:is></x:c>\
            <x:c r="C5" t="inlineStr"><x:is><x:t>浦东新区</x:t></x:is></x:c><x:c r="D5" t="inlineStr"><x:is><x:t>唐镇</x:t></x:is></x:c>\
            <x:c r="E5" t="inlineStr"><x:is><x:t>mining</x:t></x:is></x:c><x:c r="F5" t="inlineStr"><x:is><x:t>small</x:t></x:is></x:c>\
            <x:c r="G5"><x:v>46392</x:v></x:c></x:row>
            </x:sheetData></x:worksheet>
            """)
        let l = try LedgerLoader.load(path: file)
        XCTAssertEqual(l.units.map(\.name), ["A & B 公司", "丁公司"])
        XCTAssertEqual(l.units.map { $0.lastInspected?.description }, ["2027-01-05", "2027-01-05"])
        XCTAssertEqual(l.encoding, .xlsx(sheet: "名录"))
    }

    /// Issue 9: a crafted row number past Excel's rows (Int.max) is a damaged workbook, not an
    /// overflow on the next unnumbered row.
    func testRowNumbersPastExcelsRowsAreAnError() throws {
        for r in ["9223372036854775807", "-3", "x"] {
            let file = path("rows\(r.count).xlsx")
            let archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .create)
            func add(_ name: String, _ xml: String) throws { try Self.addPart(archive, name, Data(xml.utf8)) }
            try add("xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>
                """)
            func cells(_ values: [String]) -> String { values.map { "<c t=\"inlineStr\"><is><t>\($0)</t></is></c>" }.joined() }
            try add("xl/worksheets/sheet1.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1">\(cells(["id", "name", "district", "town", "category", "scale"]))</row>
                <row r="\(r)">\(cells([code(1), "甲", "浦东新区", "唐镇", "mining", "small"]))</row>
                <row>\(cells([code(2), "乙", "浦东新区", "唐镇", "mining", "small"]))</row>
                </sheetData></worksheet>
                """)
            XCTAssertThrowsError(try LedgerLoader.load(path: file), r) { e in
                let p = (e as? InputError)?.problems ?? []
                XCTAssertEqual(p.map { $0.value }, [r])
                XCTAssertEqual(p.map { $0.row }, [2])
            }
        }
    }

    /// Issue 9, found by the fuzzer: a zip whose directory points past the end of the file (a
    /// trap in ZIPFoundation's in-memory archive) and a worksheet with a tag name that is not
    /// UTF-8 (a trap in Foundation's XMLParser) are damaged workbooks, named by the file.
    func testAWorkbookPointingPastItsEndOrWithNamesNotInUTF8IsAnInputError() throws {
        let good = path("good.xlsx")
        try writeXLSXTwin(to: good)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        let end = try XCTUnwrap((0...(bytes.count - 22)).reversed().first { bytes[$0..<$0 + 4] == [0x50, 0x4B, 0x05, 0x06] })
        var beyond = bytes
        let offset = UInt32(bytes.count + 100)
        for i in 0..<4 { beyond[end + 16 + i] = UInt8(truncatingIfNeeded: offset >> (8 * UInt32(i))) }
        let pastEnd = path("past-end.xlsx")
        try Data(beyond).write(to: URL(fileURLWithPath: pastEnd))

        // A worksheet whose element name holds a byte that is not UTF-8.
        let mangled = path("mangled.xlsx")
        let archive = try Archive(url: URL(fileURLWithPath: mangled), accessMode: .create)
        func add(_ name: String, _ data: Data) throws { try Self.addPart(archive, name, data) }
        try add("xl/workbook.xml", Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>
            """.utf8))
        try add("xl/worksheets/sheet1.xml", Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>id</t></is></c></row><S".utf8)
                + Data([0xE6, 0x98]) + Data("r\"><is><t>x</t></is></c></row></sheetData></worksheet>".utf8))

        for (file, mention) in [(pastEnd, "past the end"), (mangled, "is not UTF-8")] {
            XCTAssertThrowsError(try LedgerLoader.load(path: file), file) { error in
                let message = "\(error)"
                XCTAssertTrue(error is InputError, message)
                XCTAssertTrue(message.contains(file), message)
                XCTAssertTrue(message.contains(mention), message)
            }
        }
        // The workbook they were made from still loads.
        XCTAssertEqual(try LedgerLoader.load(path: good).units.count, Self.rows.count)
    }

    /// Found by the fuzzer: a cell reference of 40 letters overflowed the column arithmetic.
    func testCellReferencesHaveAtMostThreeLetters() {
        XCTAssertEqual(XLSXSheet.columnIndex("A1"), 0)
        XCTAssertEqual(XLSXSheet.columnIndex("ab12"), 27)
        XCTAssertEqual(XLSXSheet.columnIndex("XFD1"), 16_383)
        XCTAssertNil(XLSXSheet.columnIndex("AAAA1"))
        XCTAssertNil(XLSXSheet.columnIndex(String(repeating: "Z", count: 40) + "1"))
        XCTAssertNil(XLSXSheet.columnIndex("12"))
    }

    /// A worksheet part over 10 MB (libxml2's limit for a document given in one piece): 2,000
    /// units of 30 columns each, their 24 remark cells long inline strings (a debug build parses
    /// cells, not bytes, slowly: 16,000 rows of shared-string remarks took 15 s to load).
    func testLargeWorksheetLoads() throws {
        let file = path("large.xlsx")
        let archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .create)
        func add(_ name: String, _ data: Data) throws { try Self.addPart(archive, name, data) }
        try add("xl/workbook.xml", Data("<workbook><sheets><sheet name=\"台账\" sheetId=\"1\"/></sheets></workbook>".utf8))
        let header = ["id", "name", "district", "town", "category", "scale"] + (1...24).map { "备注\($0)" }
        var shared = header + ["浦东新区", "唐镇", "mining", "small", "一段较长的备注文字"]
        func index(_ s: String) -> Int { shared.firstIndex(of: s)! }
        var xml = "<worksheet><sheetData>"
        xml += "<row r=\"1\">" + header.map { "<c t=\"s\"><v>\(index($0))</v></c>" }.joined() + "</row>"
        let fixed = ["浦东新区", "唐镇", "mining", "small"].map { "<c t=\"s\"><v>\(index($0))</v></c>" }.joined()
        let remark = String(repeating: "一段较长的备注文字，", count: 8)
        let notes = String(repeating: "<c t=\"inlineStr\"><is><t>\(remark)</t></is></c>", count: 24)
        for i in 0..<2_000 {
            shared.append(code(10_000 + i))
            xml += "<row r=\"\(i + 2)\"><c t=\"s\"><v>\(shared.count - 1)</v></c><c t=\"inlineStr\"><is><t>单位\(i)</t></is></c>"
                + fixed + notes + "</row>"
        }
        xml += "</sheetData></worksheet>"
        XCTAssertGreaterThan(xml.utf8.count, 10_000_000)
        try add("xl/worksheets/sheet1.xml", Data(xml.utf8))
        try add("xl/sharedStrings.xml", Data(("<sst>" + shared.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>").utf8))
        let l = try LedgerLoader.load(path: file)
        XCTAssertEqual(l.units.count, 2_000)
        XCTAssertEqual(l.units.last?.name, "单位1999")
        XCTAssertEqual(l.units.last?.id, code(11_999))
        XCTAssertEqual(l.units.first?.town, "唐镇")
    }

    func testTruncatedOrCorruptXLSXGivesAClearErrorNamingTheFile() throws {
        let good = path("good.xlsx")
        try writeXLSXTwin(to: good)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let truncated = path("truncated.xlsx")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        let garbage = path("garbage.xlsx")
        try Data("this is not a workbook at all".utf8).write(to: URL(fileURLWithPath: garbage))
        let notWorkbook = path("other.zip.xlsx")
        let archive = try Archive(url: URL(fileURLWithPath: notWorkbook), accessMode: .create)
        let readme = Data("hello".utf8)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(readme.count)) { p, n in
            readme.subdata(in: Int(p)..<Int(p) + n)
        }
        for (file, mention) in [(truncated, "zip"), (garbage, "zip"), (notWorkbook, "workbook.xml")] {
            XCTAssertThrowsError(try LedgerLoader.load(path: file), file) { error in
                let message = "\(error)"
                XCTAssertTrue(error is InputError, message)
                XCTAssertTrue(message.contains(file), message)
                XCTAssertTrue(message.contains(".xlsx"), message)
                XCTAssertTrue(message.contains(mention), message)
                XCTAssertFalse(message.contains("GBK"), message)
                XCTAssertEqual((error as? InputError)?.problems.count, 1, message)
            }
        }
        // An old-format .xls is recognised and refused with that reason.
        let xls = path("old.xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0]).write(to: URL(fileURLWithPath: xls))
        XCTAssertThrowsError(try LedgerLoader.load(path: xls)) { error in
            XCTAssertTrue("\(error)".contains(".xls"), "\(error)")
            XCTAssertTrue("\(error)".contains(xls), "\(error)")
        }
    }

    /// A one-entry stored zip written byte by byte, so a record can say what a fuzzer found.
    static func handMadeZip(flags: UInt16 = 0, directoryUncompressedSize: UInt32? = nil, zip64DirectoryAt: UInt64? = nil) -> Data {
        var out = Data()
        func u16(_ v: UInt16) { out.append(contentsOf: [UInt8(v & 0xFF), UInt8(v >> 8)]) }
        func u32(_ v: UInt32) { u16(UInt16(v & 0xFFFF)); u16(UInt16(v >> 16)) }
        func u64(_ v: UInt64) { u32(UInt32(v & 0xFFFF_FFFF)); u32(UInt32(v >> 32)) }
        let name = Data("xl/workbook.xml".utf8), content = Data("<workbook/>".utf8)
        let size = UInt32(content.count)
        u32(0x0403_4b50); u16(20); u16(flags); u16(0); u16(0); u16(0); u32(0); u32(size); u32(size)
        u16(UInt16(name.count)); u16(0); out.append(name); out.append(content)
        let directory = UInt32(out.count)
        u32(0x0201_4b50); u16(20); u16(20); u16(flags); u16(0); u16(0); u16(0); u32(0)
        u32(size); u32(directoryUncompressedSize ?? size)
        u16(UInt16(name.count)); u16(0); u16(0); u16(0); u16(0); u32(0); u32(0); out.append(name)
        let directorySize = UInt32(out.count) - directory
        if let far = zip64DirectoryAt {
            // A ZIP64 end record and its locator just before the end record, as ZIPFoundation looks for them.
            let record = UInt64(out.count)
            u32(0x0606_4b50); u64(44); u16(45); u16(45); u32(0); u32(0); u64(1); u64(1); u64(UInt64(directorySize)); u64(far)
            u32(0x0706_4b50); u32(0); u64(record); u32(1)
        }
        u32(0x0605_4b50); u16(0); u16(0); u16(1); u16(1); u32(directorySize); u32(directory); u16(0)
        return out
    }

    /// Fuzzing found these: records whose offsets ZIPFoundation follows past the end of the bytes
    /// (it then traps). Each is an input error naming the file.
    func testZipRecordsThatPointPastTheEndAreInputErrorsNotCrashes() throws {
        XCTAssertNil(ZipStructure.problem(Self.handMadeZip()), "the hand-made zip itself is sound")
        XCTAssertNil(ZipStructure.problem(Self.handMadeZip(flags: 0x8)), "a descriptor flag with room for one is sound")
        let cases: [(String, Data, String)] = [
            ("stored entry larger than the file, with a data descriptor",
             Self.handMadeZip(flags: 0x8, directoryUncompressedSize: 1_000_000), "truncated"),
            ("stored entry whose uncompressed size runs past the file",
             Self.handMadeZip(directoryUncompressedSize: 1_000_000), "truncated"),
            ("ZIP64 directory far past the end", Self.handMadeZip(zip64DirectoryAt: 1 << 40), "ZIP64"),
        ]
        for (what, bytes, mention) in cases {
            let file = path("\(what).xlsx")
            try bytes.write(to: URL(fileURLWithPath: file))
            XCTAssertThrowsError(try StaffLoader.load(path: file), what) { error in
                XCTAssertTrue(error is InputError, "\(what): \(error)")
                XCTAssertTrue("\(error)".contains(file), "\(what): \(error)")
                XCTAssertTrue("\(error)".contains(mention), "\(what): \(error)")
            }
        }
    }

    func testStaffAndScenarioMayNameXLSXFiles() throws {
        let staffFile = path("人员.xlsx")
        let workbook = try Workbook(path: staffFile)
        let sheet = try workbook.addSheet(name: "执法人员")
        try sheet.writeRow(row: 0, ["工号", "姓名", "执法证", "可任组长", "不可用日期"])
        try sheet.writeRow(row: 1, ["E01", "王伟", "是", "是", "2027/3/1..2027/3/5;2027年7月1日"])
        try sheet.writeRow(row: 2, ["E02", "李娜", .bool(true), .bool(false), .date(CellDate(year: 2027, month: 8, day: 2)!)])
        try workbook.close()
        try writeXLSXTwin(to: path("台账.xlsx"))
        try """
            year: 2027
            authority: { name: 浦东新区应急管理局, level: district, district: 浦东新区 }
            ledger: 台账.xlsx
            staff: 人员.xlsx
            """.write(toFile: path("scenario.yaml"), atomically: true, encoding: .utf8)
        let s = try ScenarioLoader.load(path: path("scenario.yaml"))
        let ledger = try LedgerLoader.load(path: try XCTUnwrap(s.ledgerPath))
        XCTAssertEqual(ledger.units.count, 3)
        let staff = try StaffLoader.load(path: try XCTUnwrap(s.staffPath))
        XCTAssertEqual(staff.map(\.id), ["E01", "E02"])
        XCTAssertTrue(staff[1].certified)
        XCTAssertFalse(staff[1].leader)
        XCTAssertFalse(staff[0].isAvailable(on: CivilDate(year: 2027, month: 3, day: 4)!))
        XCTAssertFalse(staff[0].isAvailable(on: CivilDate(year: 2027, month: 7, day: 1)!))
        XCTAssertTrue(staff[0].isAvailable(on: CivilDate(year: 2027, month: 3, day: 6)!))
        XCTAssertFalse(staff[1].isAvailable(on: CivilDate(year: 2027, month: 8, day: 2)!), "a date cell in the unavailable column")
    }

    // MARK: - GBK / GB18030

    func testGBKCopyOfALedgerLoadsIdenticallyAndSaysSo() throws {
        let utf8 = try LedgerLoader.load(data: Data(Self.csvText.utf8), file: "ledger.csv")
        let gbkData = try XCTUnwrap(Self.csvText.data(using: CSVTable.gb18030))
        XCTAssertNil(String(data: gbkData, encoding: .utf8), "the copy really is not UTF-8")
        let file = path("ledger-gbk.csv")
        try gbkData.write(to: URL(fileURLWithPath: file))
        let gbk = try LedgerLoader.load(path: file)
        XCTAssertEqual(gbk.units, utf8.units)
        XCTAssertEqual(gbk.extraHeaders, ["备注"])
        XCTAssertEqual(gbk.encoding, .gb18030)
        // Staff rolls too.
        let staff = "工号,姓名,执法证,不可用日期\nE01,王伟,是,2027/3/1..2027/3/2\n"
        let s = try StaffLoader.load(data: try XCTUnwrap(staff.data(using: CSVTable.gb18030)), file: "staff.csv")
        XCTAssertEqual(s.map(\.name), ["王伟"])
        // Problems in a GBK file still name the row, the header as written and the value.
        let bad = Self.csvText.replacingOccurrences(of: "中型", with: "中等")
        let p = problems(data: try XCTUnwrap(bad.data(using: CSVTable.gb18030)))
        XCTAssertEqual(p.map { "\($0.row ?? 0):\($0.column ?? ""):\($0.value ?? "")" }, ["2:规模:中等"])
    }

    func testBytesThatAreNeitherUTF8NorGB18030AreRefusedByLine() {
        var data = Data("\(minimalHeader)\n".utf8)
        data.append(contentsOf: [0xFF, 0xFF, 0x2C, 0x80])
        data.append(Data(",x,x,x,x\n".utf8))
        let p = problems(data: data)
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p.first?.row, 2)
        XCTAssertTrue(p.first?.message.contains("GB18030") ?? false)
    }

    // MARK: - Dates as Chinese Excel writes them

    func testEveryDateFormInLedgerStaffAndExecutedFiles() throws {
        let forms = ["2027-01-05", "2027-1-5", "2027/1/5", "2027/01/05", "2027.1.5", "2027年1月5日", "2027/1/5 0:00"]
        let expected = CivilDate(year: 2027, month: 1, day: 5)
        for form in forms {
            let l = try ledger("\(minimalHeader),last_inspected,上次检查日期_备注\n\(code(7)),a,浦东新区,唐镇,mining,small,\(form),x")
            XCTAssertEqual(l.units[0].lastInspected, expected, form)
            XCTAssertEqual(CivilDate(lenient: form), expected, form)
        }
        for bad in ["2027/2/30", "2027年13月1日", "2027.2.29", "27/1/5", "2027/1", "2027-1/5", "1/5/2027", "2027年1月5", "yesterday"] {
            let p = problems("\(minimalHeader),last_fatal_accident\n\(code(8)),a,浦东新区,唐镇,mining,small,\(bad)")
            XCTAssertEqual(p.map { $0.column }, ["last_fatal_accident"], bad)
            XCTAssertEqual(p.first?.value, bad)
            XCTAssertNil(CivilDate(lenient: bad), bad)
        }
        // Staff: dates and ranges in every form.
        let s = try StaffLoader.load(data: Data("""
            id,name,certified,unavailable
            E01,a,yes,2027/3/1..2027/3/3；2027年5月6日;2027.6.1..2027.6.2
            """.utf8), file: "staff.csv")
        XCTAssertEqual(s[0].unavailable.map(\.description), ["2027-03-01..2027-03-03", "2027-05-06", "2027-06-01..2027-06-02"])
        XCTAssertThrowsError(try StaffLoader.load(data: Data("id,name,certified,unavailable\nE01,a,yes,2027/3/5..2027/3/1\n".utf8), file: "staff.csv"))
        XCTAssertThrowsError(try StaffLoader.load(data: Data("id,name,certified,unavailable\nE01,a,yes,2027/2/29\n".utf8), file: "staff.csv"))
        // executed.csv
        let executed = path("executed.csv")
        try "检查编号,检查日期\nV-0001,2027/1/5\nV-0002,2027年2月8日\n".write(toFile: executed, atomically: true, encoding: .utf8)
        let visits = try ExecutedLoader.load(path: executed, year: 2027, visitIds: ["V-0001", "V-0002"])
        XCTAssertEqual(visits.map(\.date.description), ["2027-01-05", "2027-02-08"])
        try "检查编号,检查日期\nV-0001,2027/2/30\n".write(toFile: executed, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ExecutedLoader.load(path: executed, year: 2027, visitIds: ["V-0001"])) { error in
            XCTAssertEqual((error as? InputError)?.problems.first?.column, "检查日期")
            XCTAssertEqual((error as? InputError)?.problems.first?.value, "2027/2/30")
        }
    }

    func testExcelSerials() {
        XCTAssertEqual(CivilDate(excelSerial: 1)?.description, "1900-01-01")
        XCTAssertEqual(CivilDate(excelSerial: 59)?.description, "1900-02-28")
        XCTAssertNil(CivilDate(excelSerial: 60), "Excel's phantom 1900-02-29")
        XCTAssertEqual(CivilDate(excelSerial: 61)?.description, "1900-03-01")
        XCTAssertEqual(CivilDate(excelSerial: 46392)?.description, "2027-01-05")
        XCTAssertEqual(CivilDate(excelSerial: 46392.75)?.description, "2027-01-05")
        XCTAssertNil(CivilDate(excelSerial: 0))
        // Serials are dates only in .xlsx sheets: in a CSV a bare number is not a date.
        XCTAssertEqual(problems("\(minimalHeader),last_inspected\n\(code(9)),a,浦东新区,唐镇,mining,small,46392").map { $0.column }, ["last_inspected"])
    }
}

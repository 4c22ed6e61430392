import CSV
import Foundation
import XCTest
import ZIPFoundation
@testable import Ledger
@testable import Planning
@testable import Policy
@testable import Reports

/// Small solved plans for the report tests (year 2026, the official calendar), each re-checked
/// by the independent verifier before a report is made of it.
enum RT {
    static let year = 2026
    static let district = "浦东新区"
    static let town = "陆家嘴街道"

    /// A valid unified social credit code: "91310115MA" + 7 digits + GB 32100 check character.
    static func code(_ n: Int) -> String {
        let body = "91310115MA" + String(format: "%07d", n)
        return body + String(CreditCode.checkCharacter(for: body)!)
    }

    /// A medium industry-and-trade unit (KEY-M9), with sewage treatment if asked.
    static func key(_ n: Int, _ risk: RiskLevel = .orange, sewage: Bool = false) -> LedgerUnit {
        var u = LedgerUnit(id: code(n), name: "重点单位\(n)有限公司", district: district, town: town, category: .industryTrade, scale: .medium)
        u.activity = .machinery
        u.riskLevel = risk
        u.sewageTreatment = sewage
        return u
    }

    static func general(_ n: Int) -> LedgerUnit {
        var u = LedgerUnit(id: code(n), name: "一般单位\(n)商贸有限公司", district: district, town: town, category: .industryTrade, scale: .small)
        u.activity = .commerce
        return u
    }

    static func scenario(inspection: Double) -> Scenario {
        var s = Scenario(year: year, authority: Authority(name: "浦东新区应急管理局", level: .district, district: district), seed: 20260101)
        s.workdays.otherEnforcement = [WorkdayItem(name: nil, days: 248 - inspection)]
        s.joint.visits = 0
        return s
    }

    /// 20 orange key units (4 with sewage treatment), 60 general units, and a campaign of 4
    /// visits on the sewage units — all key units, so every campaign visit is to a key unit.
    static func planWithCampaignOnKeyUnits(file: StaticString = #filePath, line: UInt = #line) throws -> PlanDocument {
        var units = (1...20).map { key($0, sewage: $0 <= 4) }
        units += (1...60).map { general(1000 + $0) }
        var s = scenario(inspection: 70)
        s.campaigns = [Campaign(name: "有限空间作业专项", months: [5, 6, 7, 8],
                                match: [try FieldMatch.make(field: "sewage_treatment", values: ["true"]).get()], visits: 4)]
        return try solved(s, units, file: file, line: line)
    }

    /// Too few workdays for 20 key units: FREQ-KEY-COVER (and others) fail.
    static func shortPlan(file: StaticString = #filePath, line: UInt = #line) throws -> PlanDocument {
        let units = (1...20).map { key($0) } + (1...10).map { general(1000 + $0) }
        return try solved(scenario(inspection: 8), units, file: file, line: line)
    }

    static func solved(_ s: Scenario, _ units: [LedgerUnit], file: StaticString, line: UInt) throws -> PlanDocument {
        let ctx = try PlanContext(scenario: s, ledger: Ledger(units: units),
                                  staff: [StaffMember(id: "E001", name: "执法1", certified: true)],
                                  calendar: try WorkCalendar.builtin(year: s.year))
        let doc = try AnnualPlanner.plan(ctx)
        // Every solved plan re-checked independently: the same verdicts as the planner's own.
        let again = PlanVerifier.checks(doc, context: ctx)
        XCTAssertEqual(again.map { $0.pass }, doc.checks.map { $0.pass }, "verifier and planner disagree", file: file, line: line)
        XCTAssertEqual(PlanVerifier.metricDifferences(doc), [], file: file, line: line)
        return doc
    }

    static func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("reports-tests-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// One entry of an xlsx, read with ZIPFoundation (the package the ledger reader uses).
    static func unzip(_ xlsx: String, _ entry: String) throws -> String {
        let archive = try Archive(url: URL(fileURLWithPath: xlsx), accessMode: .read)
        guard let e = archive[entry] else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: "\(xlsx):\(entry)"]) }
        var data = Data()
        _ = try archive.extract(e) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }

    /// The sheet names in workbook order.
    static func sheetNames(_ xlsx: String) throws -> [String] {
        try unzip(xlsx, "xl/workbook.xml").components(separatedBy: "<sheet name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    /// The XML (`xl/worksheets/sheetN.xml`) of the sheet named `name`.
    static func sheetXML(_ xlsx: String, named name: String) throws -> String {
        let names = try sheetNames(xlsx)
        let i = try XCTUnwrap(names.firstIndex(of: name), "no sheet \(name) in \(names)")
        return try unzip(xlsx, "xl/worksheets/sheet\(i + 1).xml")
    }

    /// The text of the cells of sheet `name` (shared strings the sheet refers to), in order.
    static func sheetTexts(_ xlsx: String, named name: String) throws -> [String] {
        let shared = try unzip(xlsx, "xl/sharedStrings.xml").components(separatedBy: "<si>").dropFirst().map { si -> String in
            si.components(separatedBy: "<t").dropFirst().map { t in
                let body = t.drop { $0 != ">" }.dropFirst()
                return String(body.prefix { $0 != "<" })
            }.joined()
        }
        let xml = try sheetXML(xlsx, named: name)
        return xml.components(separatedBy: "t=\"s\"").dropFirst().compactMap { c -> String? in
            guard let v = c.range(of: "<v>") else { return nil }
            let n = Int(c[v.upperBound...].prefix { $0.isNumber })!
            return shared[n].replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    /// True when `s` holds a CJK or full-width character.
    static func hasCJK(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x3000...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
    }

    /// A CSV as Excel reads it: the UTF-8 byte order mark first (Excel's cue for UTF-8), then the
    /// header and the rows, parsed by CSV.swift (quotes, embedded newlines).
    static func csv(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> (header: [String], rows: [[String]]) {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: path), path, file: file, line: line)
        XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF], "\(path) starts with the UTF-8 BOM", file: file, line: line)
        return try csv(text: String(decoding: data.dropFirst(3), as: UTF8.self), file: file, line: line)
    }

    /// CSV text parsed by CSV.swift: the header and the rows.
    static func csv(text: String, file: StaticString = #filePath, line: UInt = #line) throws -> (header: [String], rows: [[String]]) {
        let path = "the CSV"
        var records: [[String]] = []
        let reader = try CSVReader(string: text, hasHeaderRow: false)
        while let r = reader.next() { records.append(r) }
        let header = try XCTUnwrap(records.first, "\(path) has a header", file: file, line: line)
        return (header, Array(records.dropFirst()))
    }

    /// The cells of sheet `name`, row by row: shared strings resolved, numbers as written.
    static func cells(_ xlsx: String, _ name: String) throws -> [[String: String]] {
        let shared = try RT.unzip(xlsx, "xl/sharedStrings.xml").components(separatedBy: "<si>").dropFirst().map { si -> String in
            si.components(separatedBy: "<t").dropFirst().map { t in String(t.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }) }.joined()
                .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        }
        let xml = try RT.sheetXML(xlsx, named: name)
        return xml.components(separatedBy: "<row ").dropFirst().map { row in
            var out: [String: String] = [:]
            for c in row.components(separatedBy: "<c ").dropFirst() {
                let head = c.prefix { $0 != ">" }
                guard let r = head.range(of: "r=\"") else { continue }
                let ref = String(head[r.upperBound...].prefix { $0 != "\"" })
                let column = String(ref.prefix { $0.isLetter })
                guard let v = c.range(of: "<v>") else { continue }
                let value = String(c[v.upperBound...].prefix { $0 != "<" })
                out[column] = head.contains("t=\"s\"") ? shared[Int(value)!] : value
            }
            return out
        }
    }

    /// The rows under the header row whose first cell is `first`, as arrays of columns A….
    static func table(_ rows: [[String: String]], headedBy first: String, columns: Int) throws -> [[String]] {
        let letters = (0..<columns).map { String(UnicodeScalar(UInt8(65 + $0))) }
        let start = try XCTUnwrap(rows.firstIndex { $0["A"] == first }, "a header row starting \(first)")
        return rows[(start + 1)...].prefix { $0["A"] != nil }.map { r in letters.map { r[$0] ?? "" } }
    }


    /// The golden files of the printable documents (Tests/ReportsTests/Golden).
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// `text` equals the golden file `name`, or the test fails naming the first line that differs
    /// (readable without a diff tool). `UPDATE_GOLDEN=1` rewrites the file instead, on purpose.
    static func matchGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: goldenFolder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        guard text != golden else { return }
        let a = text.components(separatedBy: "\n"), b = golden.components(separatedBy: "\n")
        let i = zip(a, b).enumerated().first { $1.0 != $1.1 }?.offset ?? min(a.count, b.count)
        XCTFail("\(name) differs from the golden file at line \(i + 1):\n  now:    \(i < a.count ? a[i] : "<end>")\n  golden: \(i < b.count ? b[i] : "<end>")\n(UPDATE_GOLDEN=1 rewrites it)",
                file: file, line: line)
    }

    /// A printable document as the issue asks: no script, nothing fetched (no URL, link, image,
    /// frame, import), laid out for A4.
    static func assertSelfContainedA4(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(text.lowercased().contains("<script"), "no script", file: file, line: line)
        XCTAssertNil(text.range(of: "https?://", options: .regularExpression), "nothing fetched", file: file, line: line)
        for tag in ["<link", "<img", "<iframe", "src=", "@import", "url("] { XCTAssertFalse(text.contains(tag), tag, file: file, line: line) }
        XCTAssertTrue(text.contains("@page { size: A4;"), "A4", file: file, line: line)
    }
}

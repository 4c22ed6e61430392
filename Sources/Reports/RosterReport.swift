import Foundation
import Ledger
import Mustache
import Output
import Planning
import Policy
import XLSX

/// A month's roster as a planner prints it: one sheet per week, Chinese headers, names with
/// staff ids, the focus items of each visit's on-site inspection plan (现场检查方案).
public struct RosterReport {
    public let doc: RosterDocument
    public let names: [String: String]
    public let lang: Lang
    public init(doc: RosterDocument, names: [String: String], lang: Lang) { self.doc = doc; self.names = names; self.lang = lang }

    var zh: Bool { lang == .zh }
    func person(_ id: String) -> String { names[id].map { "\($0)(\(id))" } ?? id }

    public var header: [String] {
        zh ? ["日期", "单位名称", "统一社会信用代码", "地址", "所属街镇", "检查类型", "检查组长", "组员", "专家", "检查重点", "检查编号", "专项", "人员抽取编号", "行程"]
           : ["date", "unit", "credit code", "address", "town", "kind", "leader", "members", "experts", "focus", "visit", "campaign", "draw", "trip"]
    }

    public func rows(_ assignments: [RosterDocument.Assignment]) -> [[String]] {
        assignments.sorted { ($0.date, $0.trip, $0.visit) < ($1.date, $1.trip, $1.visit) }.map { a in
            [Self.dated(a.date, lang), a.unitName, a.unit, a.address, a.town, PlanReport.kindLabel(a.kind, lang), person(a.leader),
             a.team.filter { $0 != a.leader }.map(person).joined(separator: "、"), a.experts.map(person).joined(separator: "、"),
             a.focus.joined(separator: "；"), a.visit, a.campaign ?? "", a.draw ?? "", a.trip]
        }
    }

    /// `2027-03-02（周二）`, `2027-03-02 (Tue)`: a roster date with its weekday; the text as
    /// given when it is not a date.
    public static func dated(_ iso: String, _ lang: Lang) -> String {
        guard let d = CivilDate(iso) else { return iso }
        let zh = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"], en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return lang == .zh ? "\(iso)（\(zh[d.weekday - 1])）" : "\(iso) (\(en[d.weekday - 1]))"
    }

    /// The column of `header` holding the focus items.
    static let focusColumn = 9

    /// The month's file names but the JSON's: 现场检查方案-2027-03 (.csv, .xlsx, .html, .pdf), or
    /// roster-sheet-2027-03 in English.
    static func stem(year: Int, month: Int, lang: Lang) -> String {
        String(format: lang == .zh ? "现场检查方案-%04d-%02d" : "roster-sheet-%04d-%02d", year, month)
    }

    var stem: String { Self.stem(year: doc.year, month: doc.month, lang: lang) }

    /// The printable on-site inspection plan's file name (`RosterHTML`).
    public var htmlName: String { RosterHTML.fileName(year: doc.year, month: doc.month, lang: lang) }

    /// roster-YYYY-MM.json, a CSV, a workbook and the printable document (`RosterHTML`) in `dir`,
    /// each written atomically. `templates`: `RosterHTML.library()`, loaded once by a caller
    /// writing several months (loaded here otherwise, before any file is written).
    public func write(to dir: String, templates: MustacheLibrary? = nil) throws {
        let library = try templates ?? RosterHTML.library()
        try FileOutput.write(try doc.json(), to: "\(dir)/\(RosterDocument.fileName(year: doc.year, month: doc.month))")
        try CSVOutput.write(path: "\(dir)/\(stem).csv", header: header, rows: rows(doc.assignments), bom: true)
        try workbook(to: "\(dir)/\(stem).xlsx")
        try FileOutput.write(Data(try RosterHTML(report: self).render(library: library).utf8), to: "\(dir)/\(htmlName)")
    }

    func workbook(to path: String) throws {
        let wb = try Workbook(path: path + ".part", properties: DocumentProperties(
            title: zh ? "\(doc.year)年\(doc.month)月现场检查方案（\(doc.authority.name)）" : "Roster \(doc.year)-\(doc.month)"))
        // One sheet per ISO week of the month.
        var weeks: [(String, [RosterDocument.Assignment])] = []
        for a in doc.assignments.sorted(by: { $0.date < $1.date }) {
            guard let d = CivilDate(a.date) else { continue }
            let monday = d.adding(days: 1 - d.weekday)
            let label = zh ? "\(monday.month)月\(monday.day)日起" : "week of \(monday)"
            if weeks.last?.0 == label { weeks[weeks.count - 1].1.append(a) } else { weeks.append((label, [a])) }
        }
        for (label, list) in weeks {
            let sheet = try wb.addSheet(name: label)
            // Focus items one per line, wrapped in a column of their own width.
            let cells = rows(list).map { r in
                r.enumerated().map { i, v in CellValue.string(i == Self.focusColumn ? v.replacingOccurrences(of: "；", with: "\n") : v) }
            }
            let l = try sheet.writeTable(header: header, rows: cells,
                                         title: zh ? "\(doc.authority.name) 现场检查方案（\(label)）" : "\(doc.authority.name) roster (\(label))",
                                         columnFormats: header.indices.map { $0 == Self.focusColumn ? .wrap : nil })
            try sheet.setColumnWidth(Self.focusColumn, width: 40)
            try sheet.setPageSetup(.filed(repeatRows: l.headingRows))
        }
        let un = try wb.addSheet(name: zh ? "未安排及专家缺口" : "Unassigned")
        _ = try un.writeTable(header: zh ? ["检查编号", "类别", "原因"] : ["visit", "what", "reason"],
                              rows: doc.unassigned.map { [.string($0.visit), .string(zh ? "未安排" : "unassigned"), .string($0.reason)] }
                                + doc.expertShortfalls.map { [.string($0.visit), .string(zh ? "缺专家" : "no expert"), .string($0.reason)] },
                              title: zh ? "未安排的检查及缺少匹配专家的重点检查" : "Unassigned visits and expert shortfalls")
        let dr = try wb.addSheet(name: zh ? "人员抽取记录" : "Inspector draws")
        _ = try dr.writeTable(header: zh ? ["抽取编号", "日期", "种子", "方法", "抽取池", "抽取池SHA-256", "抽中"] : ["draw", "date", "seed", "method", "pool", "pool SHA-256", "drawn"],
                              rows: doc.draws.map { [.string($0.id), .string(Self.dated($0.date, lang)), .string(String($0.seed)), .string($0.method),
                                                     .string($0.pool.joined(separator: ";")), .string($0.poolSha256), .string($0.drawn.map(person).joined(separator: "、"))] },
                              title: zh ? "双随机：检查人员随机抽取记录（sha256-weighted/1，可复现）" : "Random inspector draws")
        try wb.close()
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
        try fm.moveItem(atPath: path + ".part", toPath: path)
    }
}

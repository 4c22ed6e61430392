import Foundation
import Ledger
import Output
import Policy
import XLSX

/// The classification as an XLSX workbook a planner opens in Excel: the summary, the key-unit
/// list in the shape of a plan's attachment (附件清单, PLAN-DOCUMENTS.md §2), and every unit.
public struct ClassificationWorkbook {
    public let table: ClassificationTable
    public let summary: ClassificationSummary
    public let lang: Lang

    public init(table: ClassificationTable, summary: ClassificationSummary, lang: Lang) {
        self.table = table; self.summary = summary; self.lang = lang
    }

    public func write(to path: String) throws {
        let dir = PathText.parent(path)
        if !dir.isEmpty { try FileOutput.makeDirectory(dir) }
        let zh = lang == .zh
        let wb = try Workbook(path: path, properties: DocumentProperties(
            title: zh ? "\(summary.year)年度执法对象分类分级" : "Classification \(summary.year)"))
        try writeSummary(try wb.addSheet(name: zh ? "分类汇总" : "Summary"))
        try writeKeyList(try wb.addSheet(name: zh ? "重点检查单位清单" : "Key units"))
        let all = try wb.addSheet(name: zh ? "全部单位" : "All units")
        let layout = try all.writeTable(header: ClassificationTable.peopleHeader(lang),
                                        rows: table.peopleRows(lang).map { $0.map(CellValue.string) },
                                        title: zh ? "\(summary.year)年度执法对象分类分级明细（共\(summary.total)家）"
                                                  : "All units, \(summary.year) (\(summary.total))")
        try all.setPageSetup(PageSetup(repeatRows: layout.headingRows, fitToWidth: true))
        try wb.close()
    }

    func writeSummary(_ sheet: Sheet) throws {
        let zh = lang == .zh
        let s = summary
        let total = max(1, s.total)
        var row = 0
        let key = s.byClass[.key] ?? 0, general = s.byClass[.general] ?? 0
        var l = try sheet.writeTable(header: zh ? ["类别", "单位数", "占比"] : ["Class", "Units", "Share"], rows: [
            [.string(UnitClass.key.label(lang)), .integer(key), .number(Double(key) / Double(total))],
            [.string(UnitClass.general.label(lang)), .integer(general), .number(Double(general) / Double(total))],
            [.string(zh ? "合计" : "Total"), .integer(s.total), .number(s.total == 0 ? 0 : 1)],
        ], title: zh ? "\(s.year)年度执法对象分类分级汇总" : "Classification summary \(s.year)",
           columnFormats: [nil, nil, .percent])
        row = l.lastRow + 2
        l = try sheet.writeTable(header: zh ? ["规则", "条款", "情形", "符合单位数", "因特殊情况未纳入"] : ["Rule", "Clause", "Criterion", "Units", "Exempted"],
            rows: KeyRule.allCases.map { r in
                [.string(r.id), .string(r.clause), .string(r.title(lang)), .integer(s.byRule[r] ?? 0),
                 r.isDefault ? .integer(s.exemptedByRule[r] ?? 0) : .string("—")]
            }, title: zh ? "按纳入重点的情形" : "By rule", startRow: row)
        row = l.lastRow + 2
        let authorities = s.byAuthority.sorted { ($0.value.tier.sortIndex, $0.key) < ($1.value.tier.sortIndex, $1.key) }
        l = try sheet.writeTable(header: zh ? ["执法层级", "执法主体", "重点", "一般", "合计"] : ["Level", "Authority", "Key", "General", "Total"],
            rows: authorities.map { name, v in
                [.string(v.tier.label(lang)), .string(name), .integer(v.key), .integer(v.general), .integer(v.key + v.general)]
            }, title: zh ? "按执法层级（TIER-ONE：一家单位对应一个层级）" : "By enforcing level (TIER-ONE)", startRow: row)
        row = l.lastRow + 2
        _ = try sheet.writeTable(header: zh ? ["行业类别", "重点", "一般"] : ["Category", "Key", "General"],
            rows: Category.allCases.compactMap { c in
                s.byCategory[c].map { [.string(c.label(lang)), .integer($0.key), .integer($0.general)] }
            }, title: zh ? "按行业类别" : "By category", startRow: row)
        try sheet.setColumnWidth(2, width: 40)
    }

    /// 纳入重点的情形: each rule that makes the unit key with its title and clause, one per line
    /// (`KEY-M9 大中型工贸单位〔三(一)9〕`), and the KEY-D rules an exemption sets aside.
    static func whyKey(_ c: Classification, _ lang: Lang) -> String {
        let shown = c.rules.filter { !$0.isDefault || c.exemption == nil }
        guard !shown.isEmpty else { return c.explanation(lang) }
        var text = shown.map { RuleCatalogue.describe($0.id, lang) }.joined(separator: lang == .zh ? "；\n" : ";\n")
        let setAside = c.rules.filter { $0.isDefault && c.exemption != nil }
        if !setAside.isEmpty, let e = c.exemption {
            text += lang == .zh ? "\n（\(setAside.map { $0.id }.joined(separator: "、"))因特殊情况不适用：\(e)）"
                                : "\n(\(setAside.map { $0.id }.joined(separator: ", ")) set aside by exemption: \(e))"
        }
        return text
    }

    /// 序号, 单位名称, 统一社会信用代码, 所属区/街镇, 行业类别, 纳入重点的情形, 检查频次, 计划检查月份, 承办机构.
    func writeKeyList(_ sheet: Sheet) throws {
        let zh = lang == .zh
        var rows: [[CellValue]] = []
        for (u, c) in zip(table.units, table.classifications) where c.unitClass == .key {
            rows.append([.integer(rows.count + 1), .string(u.name), .string(u.id), .string("\(u.district)/\(u.town)"),
                         .string(u.category.label(lang)), .string(Self.whyKey(c, lang)),
                         .string(zh ? "1次/年（全覆盖）" : "1/year (full coverage)"),
                         .string(zh ? "待年度计划安排" : "set by the annual plan"), .string(c.authority)])
        }
        let layout = try sheet.writeTable(
            header: zh ? ["序号", "单位名称", "统一社会信用代码", "所属区/街镇", "行业类别", "纳入重点的情形", "检查频次", "计划检查月份", "承办机构"]
                       : ["No.", "Name", "Credit code", "District/town", "Category", "Why key", "Frequency", "Planned month", "Authority"],
            rows: rows,
            title: zh ? "\(summary.year)年度重点检查单位清单（共\(rows.count)家）" : "Key units \(summary.year) (\(rows.count))",
            columnFormats: [nil, nil, nil, nil, nil, .wrap])
        try sheet.setColumnWidth(5, width: 50)
        try sheet.setPageSetup(.filed(repeatRows: layout.headingRows))
    }
}

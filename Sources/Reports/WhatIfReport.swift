import Foundation
import Ledger
import Planning
import XLSX

/// The what-if comparison: one row per variant, Chinese by default.
public struct WhatIfReport {
    public let results: [VariantResult]
    public let lang: Lang
    /// 编制单位 on the filed sheet: the authority's name.
    public var authority = ""
    public init(results: [VariantResult], lang: Lang) { self.results = results; self.lang = lang }
    var zh: Bool { lang == .zh }

    public var header: [String] {
        zh ? ["方案", "执法人员", "监督检查工作日", "检查总家次", "重点占比", "家次/工作日", "重点单位覆盖", "抽中一般单位", "富余组·日", "结论", "未达标规则及差额"]
           : ["variant", "officers", "inspection workdays", "visits", "key share", "visits/workday", "key units covered", "general drawn", "spare team-days", "verdict", "shortfalls"]
    }

    public var rows: [[String]] {
        results.map { r in
            let shorts = r.checks.filter { !$0.pass }.map { "\($0.rule) −\(PlanReport.f($0.shortfall))" }
            return [r.name, String(r.staff), PlanReport.f(r.inspectionWorkdays), String(r.visits), String(format: "%.1f%%", r.keyShare * 100),
                    String(format: "%.3f", r.visitsPerWorkday), "\(r.keyUnitsCovered)/\(r.keyUnits)", String(r.generalUnitsDrawn),
                    PlanReport.f(r.spareTeamDays), PlanReport.verdict(pass: r.compliant, lang), shorts.joined(separator: "; ")]
        }
    }

    public func table() -> String {
        var t = TextTable(header: header, align: [.left] + Array(repeating: .right, count: 9) + [.left])
        for r in rows { t.add(r) }
        return t.render()
    }

    public func chart() -> String {
        let varyingStaff = Set(results.map { $0.staff }).count == results.count
        let xs = varyingStaff ? results.map { Double($0.staff) } : results.indices.map(Double.init)
        return SVGChart(
            title: zh ? "检查家次与执法力量" : "Visits against staffing",
            xLabel: varyingStaff ? (zh ? "执法人员（人）" : "certified officers") : (zh ? "方案" : "variant"),
            yLabel: zh ? "家次" : "visits",
            x: xs, xTicks: varyingStaff ? results.map { String($0.staff) } : results.indices.map { String($0 + 1) },
            series: [
                .init(name: zh ? "计划检查家次" : "planned visits", color: "#1565c0", values: results.map { Double($0.visits) }),
                .init(name: zh ? "比例要求下限" : "ratio minimum", color: "#ef6c00",
                      values: results.map { ($0.checks.first { $0.rule.hasPrefix("PLAN-RATIO") }?.threshold ?? 0) * $0.inspectionWorkdays }),
                .init(name: zh ? "重点单位应检次数" : "key visits due", color: "#6a1b9a",
                      values: results.map { Double($0.checks.first { $0.rule == "FREQ-KEY-COVER" }?.threshold ?? 0) }),
            ],
            verdicts: results.map { $0.compliant }, verdictLabels: (PlanReport.verdict(pass: true, lang), PlanReport.verdict(pass: false, lang))).render()
    }

    public func write(to dir: String) throws {
        try FileOutput.makeDirectory(dir)
        let stem = zh ? "情景比较" : "whatif"
        try CSVOutput.write(path: "\(dir)/\(stem).csv", header: header, rows: rows, bom: true)
        try FileOutput.write(chart(), to: "\(dir)/\(stem).svg")
        let path = "\(dir)/\(stem).xlsx"
        let wb = try Workbook(path: path + ".part")
        let sheet = try wb.addSheet(name: zh ? "情景比较" : "Variants")
        let numeric: Set<Int> = [1, 2, 3, 8]
        let top = try FiledSheet.writeHeading(sheet, title: zh ? "执法力量情景比较" : "What-if comparison", authority: authority, columns: header.count, lang: lang)
        let l = try sheet.writeTable(header: header, rows: rows.map { r in r.enumerated().map { i, v in numeric.contains(i) ? (Double(v).map(CellValue.number) ?? .string(v)) : .string(v) } },
                                     startRow: top)
        try FiledSheet.finish(sheet, frozenThrough: l.headerRow)
        try wb.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
    }
}

import Foundation
import Ledger
import Output
import Planning
import Policy
import XLSX

/// The what-if comparison: one row per variant, Chinese by default.
public struct WhatIfReport {
    public let results: [VariantResult]
    public let lang: Lang
    /// 编制单位 on the filed sheet: the authority's name.
    public var authority = ""
    /// The plan year (the document's title), when known.
    public var year: Int? = nil
    /// What the variants vary, in words (`执法人员增减 -2..+1`), for the document's title.
    public var varied = ""
    public init(results: [VariantResult], lang: Lang) { self.results = results; self.lang = lang }
    var zh: Bool { lang == .zh }

    public var header: [String] {
        zh ? ["方案", "执法人员", "监督检查工作日", "检查总家次", "重点占比", "家次/工作日", "重点单位覆盖", "抽中一般单位", "富余组·日", "结论", "求解状态", "未达标规则及差额"]
           : ["variant", "officers", "inspection workdays", "visits", "key share", "visits/workday", "key units covered", "general drawn", "spare team-days", "verdict", "solver", "shortfalls"]
    }

    /// GLPK's status in words: whether the variant's plan is proven optimal.
    public func status(_ r: VariantResult) -> String {
        switch r.solverStatus {
        case SolverState.optimal.rawValue: return zh ? "最优" : "optimal"
        case SolverState.notSolved.rawValue: return zh ? "未求解" : "not solved"
        case SolverState.timeLimit.rawValue: return zh ? "未证明最优(超时)" : "not proven (time limit)"
        case SolverState.noSolution.rawValue: return zh ? "无方案(超时)" : "no plan (time limit)"
        case SolverState.withinGap.rawValue: return zh ? "未证明最优(间隙\(String(format: "%.2g", r.solverGap)))" : "not proven (gap \(String(format: "%.2g", r.solverGap)))"
        default: return zh ? "未证明最优(\(r.solverStatus))" : "not proven (\(r.solverStatus))"
        }
    }

    /// A sentence under the table when some variant's plan is not proven optimal, else nil.
    public func unprovenNote() -> String? {
        let open = results.filter { !$0.provenOptimal && $0.solverStatus != SolverState.notSolved.rawValue }
        guard !open.isEmpty else { return nil }
        let names = open.map { "\($0.name)（\($0.solverStatus)）" }.joined(separator: "、")
        return zh ? "注意：\(open.count)个方案的计划未被证明最优，其数字不一定是该方案能达到的最好结果（可用 --time-limit 延长时限）：\(names)"
                  : "Note: \(open.count) variant plan(s) not proven optimal; their figures may not be the best the variant can do (try a longer --time-limit): "
                    + open.map { "\($0.name) (\($0.solverStatus))" }.joined(separator: ", ")
    }

    /// The comparison's conclusion in words, one sentence a line: how many variants comply and
    /// which; when the staffing differs between variants, the smallest staffing that complies
    /// (and whether every smaller one falls short); none complies: the rules most often short.
    public func conclusion() -> [String] {
        guard !results.isEmpty else { return [] }
        var lines: [String] = []
        let ok = results.filter { $0.compliant }
        let list = ok.map { $0.name }.joined(separator: zh ? "、" : ", ")
        if ok.isEmpty {
            lines.append(zh ? "比较\(results.count)个方案：没有一个方案符合全部规则。" : "\(results.count) variants compared: none meets every rule.")
            var count: [String: Int] = [:], order: [String] = []
            for r in results { for c in r.checks where !c.pass { if count[c.rule] == nil { order.append(c.rule) }; count[c.rule, default: 0] += 1 } }
            if !order.isEmpty {
                let rules = order.map { zh ? "\($0)（\(count[$0]!)个方案）" : "\($0) (\(count[$0]!) variants)" }.joined(separator: zh ? "、" : ", ")
                lines.append(zh ? "未达标的规则：\(rules)。" : "Rules short: \(rules).")
            }
        } else if ok.count == results.count {
            lines.append(zh ? "比较\(results.count)个方案：全部符合全部规则。" : "\(results.count) variants compared: every one meets every rule.")
        } else {
            lines.append(zh ? "比较\(results.count)个方案：\(ok.count)个符合全部规则（\(list)），\(results.count - ok.count)个不符合。"
                            : "\(results.count) variants compared: \(ok.count) meet every rule (\(list)), \(results.count - ok.count) do not.")
        }
        if Set(results.map { $0.staff }).count > 1, let least = ok.min(by: { ($0.staff, $0.name) < ($1.staff, $1.name) }) {
            let fewer = results.filter { $0.staff < least.staff }
            lines.append(zh ? "符合全部规则的最少执法人员：\(least.staff)人（\(least.name)）。"
                            : "The smallest staffing that meets every rule: \(least.staff) certified officers (\(least.name)).")
            if !fewer.isEmpty && fewer.allSatisfy({ !$0.compliant }) {
                lines.append(zh ? "人员少于\(least.staff)人的方案均不符合。" : "Every variant with fewer officers falls short.")
            }
        }
        return lines
    }

    /// The document's file name: 情景比较.html, whatif.html in English.
    public var htmlName: String { zh ? "情景比较.html" : "whatif.html" }

    public var rows: [[String]] {
        results.map { r in
            let shorts = r.checks.filter { !$0.pass }.map { "\($0.rule) −\(PlanReport.f($0.shortfall))" }
            return [r.name, String(r.staff), PlanReport.f(r.inspectionWorkdays), String(r.visits), String(format: "%.1f%%", r.keyShare * 100),
                    String(format: "%.3f", r.visitsPerWorkday), "\(r.keyUnitsCovered)/\(r.keyUnits)", String(r.generalUnitsDrawn),
                    PlanReport.f(r.spareTeamDays), PlanReport.verdict(pass: r.compliant, lang), status(r), shorts.joined(separator: "; ")]
        }
    }

    public func table() -> String {
        var t = TextTable(header: header, align: [.left] + Array(repeating: .right, count: 9) + [.left, .left])
        for r in rows { t.add(r) }
        return t.render()
    }

    /// The visits the ratio rule (PLAN-RATIO-BUREAU or -LOCAL) asks of a variant: its threshold
    /// per inspection workday times the variant's inspection workdays.
    static func ratioMinimum(_ r: VariantResult) -> Double {
        (r.checks.first { $0.ruleID == .ratioBureau || $0.ruleID == .ratioLocal }?.threshold ?? 0) * r.inspectionWorkdays
    }

    /// The key-unit visits due (FREQ-KEY-COVER's threshold).
    static func keyVisitsDue(_ r: VariantResult) -> Double {
        Double(r.checks.first { $0.ruleID == .keyCover }?.threshold ?? 0)
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
                .init(name: zh ? "比例要求下限" : "ratio minimum", color: "#ef6c00", values: results.map(Self.ratioMinimum)),
                .init(name: zh ? "重点单位应检次数" : "key visits due", color: "#6a1b9a", values: results.map(Self.keyVisitsDue)),
            ],
            verdicts: results.map { $0.compliant }, verdictLabels: (PlanReport.verdict(pass: true, lang), PlanReport.verdict(pass: false, lang))).render()
    }

    /// One entry per variant for machines: the table's figures, the rule checks and whether
    /// GLPK proved the variant's plan optimal.
    struct JSONVariant: Encodable {
        let name: String
        let staff: Int
        let staffDelta: Int
        let inspectionWorkdays: Double
        let visits: Int
        let keyShare: Double
        let visitsPerWorkday: Double
        let keyUnits: Int
        let keyUnitsCovered: Int
        let generalUnitsDrawn: Int
        let spareTeamDays: Double
        let compliant: Bool
        let solverStatus: String
        let solverGap: Double
        let provenOptimal: Bool
        let checks: [PlanDocument.RuleCheck]
    }

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let variants = results.map { r in
            JSONVariant(name: r.name, staff: r.staff, staffDelta: r.staffDelta, inspectionWorkdays: r.inspectionWorkdays, visits: r.visits,
                        keyShare: r.keyShare, visitsPerWorkday: r.visitsPerWorkday, keyUnits: r.keyUnits, keyUnitsCovered: r.keyUnitsCovered,
                        generalUnitsDrawn: r.generalUnitsDrawn, spareTeamDays: r.spareTeamDays, compliant: r.compliant,
                        solverStatus: r.solverStatus, solverGap: r.solverGap, provenOptimal: r.provenOptimal, checks: r.checks)
        }
        return try e.encode(["variants": variants])
    }

    public func write(to dir: String) throws {
        try FileOutput.makeDirectory(dir)
        let stem = zh ? "情景比较" : "whatif"
        try CSVOutput.write(path: "\(dir)/\(stem).csv", header: header, rows: rows, bom: true)
        try FileOutput.write(String(decoding: try json(), as: UTF8.self) + "\n", to: "\(dir)/\(stem).json")
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
        try WhatIfHTML(report: self).write(to: "\(dir)/\(htmlName)")
    }
}

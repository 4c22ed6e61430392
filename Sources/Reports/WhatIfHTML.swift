import Foundation
import Mustache
import Output
import Planning
import PlannerResources
import Policy

/// The what-if comparison as a printable document (`情景比较.html`, `whatif.html` in English),
/// beside 情景比较.csv/.json/.svg/.xlsx: one self-contained HTML file (styles and the chart
/// inline, no script, nothing fetched), A4, laid out by `templates/whatif-document.mustache`
/// with the plan's style, table and bar-chart partials.
///
/// The view model takes every figure from `WhatIfReport` (its `rows` are the CSV's, its
/// `results` 情景比较.json's variants): the template formats and computes nothing. The same
/// comparison gives the same bytes.
public struct WhatIfHTML {
    public let report: WhatIfReport
    var zh: Bool { report.lang == .zh }

    public init(report: WhatIfReport) { self.report = report }

    /// The templates the document needs (`PlanHTML.library(names:)`).
    public static let templates = ["whatif-document", "plan-style", "doc-style", "bar-chart", "table"]

    public func render(library: MustacheLibrary? = nil) throws -> String {
        try PlanHTML.render(view(), template: "whatif-document", library: library, names: Self.templates)
    }

    public func write(to path: String) throws {
        try FileOutput.write(Data(try render().utf8), to: path)
    }

    // MARK: - The view model

    struct Fact { let label, value: String }
    struct Short { let rule, text: String; let fix: String? }
    struct Shortfalls { let name: String; let items: [Short] }
    struct Words {
        let conclusionTitle, tableTitle, rulesTitle, shortfallsTitle, fixLabel, noShortfalls, colon, footer: String
    }
    struct View {
        let lang, title: String
        let facts: [Fact]
        let words: Words
        let conclusion: [String]
        let note: String?
        let table: PlanHTML.Table
        let chart: PlanHTML.ChartView
        let rules: PlanHTML.Table
        let shortfalls: [Shortfalls]
        let hasShortfalls: Bool
        let numericColumns: [String]
    }

    var title: String {
        let a = report.authority, y = report.year.map(String.init) ?? ""
        if zh { return "\(a)\(y.isEmpty ? "" : y + "年度")执法力量情景比较" }
        return "What-if comparison" + (a.isEmpty && y.isEmpty ? "" : ": " + [a, y].filter { !$0.isEmpty }.joined(separator: ", "))
    }

    func view() -> View {
        let table = comparisonTable(), rules = ruleTable()
        var numeric: [String] = []
        for t in [table, rules] { numeric += t.numeric.sorted().map { "table.\(t.kind) td:nth-child(\($0 + 1))" } }
        var facts: [Fact] = []
        if !report.authority.isEmpty { facts.append(Fact(label: zh ? "编制单位" : "Prepared by", value: report.authority)) }
        if let y = report.year { facts.append(Fact(label: zh ? "计划年度" : "Plan year", value: String(y))) }
        if !report.varied.isEmpty { facts.append(Fact(label: zh ? "比较内容" : "Varied", value: report.varied)) }
        facts.append(Fact(label: zh ? "方案数" : "Variants", value: String(report.results.count)))
        let shorts = shortfalls()
        return View(lang: zh ? "zh-CN" : "en", title: title, facts: facts,
                    words: Words(conclusionTitle: zh ? "一、结论" : "1. Conclusion",
                                 tableTitle: zh ? "二、各方案比较" : "2. The variants compared",
                                 rulesTitle: zh ? "三、各方案规则核验" : "3. Rule checks of each variant",
                                 shortfallsTitle: zh ? "未达标项及调整建议" : "Shortfalls and fixes",
                                 fixLabel: zh ? "调整建议" : "Fix",
                                 noShortfalls: zh ? "各方案全部规则符合。" : "Every variant passes every rule.",
                                 colon: zh ? "：" : ": ",
                                 footer: zh ? "本文件由 planner whatif 生成，数字与同一目录的 情景比较.csv、情景比较.json 一致；每个方案均为完整的年度计划。"
                                            : "Written by planner whatif; its figures are those of whatif.csv and whatif.json in the same folder. Each variant is a full annual plan."),
                    conclusion: report.conclusion(), note: report.unprovenNote(),
                    table: table, chart: chart(), rules: rules, shortfalls: shorts, hasShortfalls: !shorts.isEmpty, numericColumns: numeric)
    }

    /// The CSV's table with a number before each variant (the chart's label when the staffing
    /// does not tell the variants apart); variants short of a rule in bold.
    func comparisonTable() -> PlanHTML.Table {
        let rows = report.rows.enumerated().map { i, r in PlanHTML.Row(cells: [String(i + 1)] + r, strong: !report.results[i].compliant) }
        return PlanHTML.Table(id: "compare", header: [zh ? "序号" : "No."] + report.header, rows: rows, numeric: [0, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    /// Every rule any variant checks, in the order first met.
    var ruleIDs: [String] {
        var seen = Set<String>(), out: [String] = []
        for r in report.results { for c in r.checks where seen.insert(c.rule).inserted { out.append(c.rule) } }
        return out
    }

    /// One row per variant, one column per rule: its verdict with the shortfall (不符合（差14家次）).
    func ruleTable() -> PlanHTML.Table {
        let ids = ruleIDs
        let rows = report.results.enumerated().map { i, r in
            PlanHTML.Row(cells: [String(i + 1), r.name] + ids.map { id in r.checks.first { $0.rule == id }.map { PlanReport.verdict($0, report.lang) } ?? "" },
                         strong: !r.compliant)
        }
        return PlanHTML.Table(id: "variant-rules", header: [zh ? "序号" : "No.", zh ? "方案" : "Variant"] + ids, rows: rows, numeric: [0])
    }

    func shortfalls() -> [Shortfalls] {
        report.results.filter { !$0.compliant }.map { r in
            Shortfalls(name: r.name, items: r.checks.filter { !$0.pass }.map { c in
                let t = c.finding == nil ? c : c.rendered(report.lang)
                return Short(rule: t.rule, text: t.message, fix: t.fix)
            })
        }
    }

    /// The variants' labels in the chart: the officers when they tell the variants apart, else
    /// the variants' numbers in the table.
    var byStaff: Bool { Set(report.results.map { $0.staff }).count == report.results.count }

    /// Each variant's planned visits (green: compliant, red: short) beside the visits the ratio
    /// rule asks and the key visits due: the figures of 情景比较.svg, as bars.
    func chart() -> PlanHTML.ChartView {
        let results = report.results
        let labels = byStaff ? results.map { zh ? "\($0.staff)人" : String($0.staff) } : results.indices.map { String($0 + 1) }
        let horizontal = results.count > 12
        var series: [BarChart.Series] = [
            .init(name: zh ? "计划检查家次" : "planned visits", color: "#2e7d32", values: results.map { Double($0.visits) },
                  colors: results.map { $0.compliant ? "#2e7d32" : "#c62828" }),
            .init(name: zh ? "比例要求下限" : "ratio minimum", color: "#ef6c00", values: results.map(WhatIfReport.ratioMinimum)),
        ]
        if !horizontal {
            series.append(.init(name: zh ? "重点单位应检次数" : "key visits due", color: "#6a1b9a", values: results.map(WhatIfReport.keyVisitsDue)))
        }
        let chart = BarChart(id: "chart-whatif", title: zh ? "各方案检查家次与规则要求" : "Visits of each variant against the rules",
                             categories: labels, series: series, horizontal: horizontal)
        let axis = byStaff ? (zh ? "横轴为各方案的持证执法人员数" : "variants by certified officers")
                           : (zh ? "横轴为方案序号（见表）" : "variants by their number in the table")
        return PlanHTML.ChartView(caption: zh ? "图1　各方案计划检查家次（绿色符合全部规则，红色不符合）；\(axis)"
                                              : "Figure 1. Planned visits of each variant (green: every rule passes; red: short); \(axis)",
                                  drawing: chart.drawing())
    }
}

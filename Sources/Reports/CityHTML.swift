import Foundation
import Mustache
import Output
import Planning
import PlannerResources
import Policy

/// The city roll-up as a printable document (`全市汇总.html`, `city-summary.html` in English),
/// beside city.json and the roll-up workbook: title (city, year), the roll-up table (one row
/// per authority, a subtotal per district, the city's total, as 全市汇总.xlsx), the dispatch
/// orders, the authorities short of a rule with their shortfalls and fixes, key share by
/// district against the floor as an inline chart, and a relative link to each authority's
/// printable plan (`<folder>/执法计划.html`). One self-contained A4 file (no script, nothing
/// fetched), laid out by `templates/city-document.mustache` with the plan's style and partials.
///
/// Every figure comes from `CityReport` (city.json's rows, totals and orders), formatted here,
/// never computed in the template; no timing is shown, so the same run gives the same bytes.
public struct CityHTML {
    public let report: CityReport
    var zh: Bool { report.lang == .zh }

    public init(report: CityReport) { self.report = report }

    /// The templates the document needs (`PlanHTML.library(names:)`).
    public static let templates = ["city-document", "plan-style", "doc-style", "bar-chart", "table"]

    /// 全市汇总.html, or city-summary.html for an English run.
    public static func fileName(_ lang: Lang) -> String { lang == .zh ? "全市汇总.html" : "city-summary.html" }

    public func render(library: MustacheLibrary? = nil) throws -> String {
        try PlanHTML.render(view(), template: "city-document", library: library, names: Self.templates)
    }

    public func write(to path: String) throws {
        try FileOutput.write(Data(try render().utf8), to: path)
    }

    // MARK: - The view model

    struct Fact { let label, value: String }
    struct Cell { let text: String; let href: String? }
    /// A roll-up row; `kind` is its class: "" (an authority), "subtotal" or "total".
    struct RollRow { let cells: [Cell]; let kind: String }
    struct RollUp { let header: [String]; let rows: [RollRow] }
    struct Short { let rule, text: String; let fix: String? }
    struct ShortAuthority { let name, folder, href: String; let items: [Short] }
    struct Link { let name, level, href: String; let compliant: Bool }
    struct Words {
        let summaryTitle, rollupTitle, dispatchTitle, shortTitle, unmendedTitle, plansTitle, unassignedTitle: String
        let fixLabel, noShort, colon, shortMark, footer: String
        let dispatchNone: String?
    }
    struct View {
        let lang, title: String
        let facts: [Fact]
        let words: Words
        let summary: [String]
        let rollup: RollUp
        let chart: PlanHTML.ChartView
        let dispatch: PlanHTML.Table
        let hasDispatch: Bool
        let unmended: PlanHTML.Table
        let hasUnmended: Bool
        let short: [ShortAuthority]
        let hasShort: Bool
        let unassigned: PlanHTML.Table
        let hasUnassigned: Bool
        let plans: [Link]
        let numericColumns: [String]
    }

    var title: String { zh ? "\(report.city)\(report.year)年度安全生产执法计划汇总" : "\(report.city) enforcement plans \(report.year): roll-up" }

    /// An authority's printable plan, relative to the roll-up (which sits beside the folders).
    func planLink(_ folder: String) -> String { "\(folder)/\(PlanHTML.fileName(report.lang))" }

    func view() -> View {
        let t = CityReport.totals(report.rows)
        let facts = [
            Fact(label: zh ? "城市" : "City", value: report.city),
            Fact(label: zh ? "计划年度" : "Plan year", value: String(report.year)),
            Fact(label: zh ? "执法主体" : "Authorities", value: String(t.authorities)),
            Fact(label: zh ? "达标主体" : "Compliant", value: "\(t.compliant)/\(t.authorities)"),
            Fact(label: zh ? "台账单位" : "Ledger units", value: String(report.ledgerUnits)),
            Fact(label: zh ? "双随机抽取种子" : "Draw seed", value: String(report.seed)),
        ]
        let rollup = rollupTable(), dispatch = dispatchTable(), unmended = unmendedTable(), unassigned = unassignedTable()
        var numeric: [String] = (Array(3..<14) + Array(15..<(15 + shortRules.count))).map { "table.rollup td:nth-child(\($0 + 1))" }
        for tab in [dispatch, unmended] { numeric += tab.numeric.sorted().map { "table.\(tab.kind) td:nth-child(\($0 + 1))" } }
        let short = shortAuthorities()
        let dispatchNone: String? = !report.dispatchEnabled
            ? (zh ? "未启用执法力量调用（city.yaml dispatch.enabled）。" : "Dispatch is not enabled (city.yaml dispatch.enabled).")
            : (zh ? "无需调用：各主体均有足够的监督检查工作日。" : "None needed: every authority has the person-days it needs.")
        return View(lang: zh ? "zh-CN" : "en", title: title, facts: facts,
                    words: Words(summaryTitle: zh ? "一、概况" : "1. Summary",
                                 rollupTitle: zh ? "二、各执法主体计划汇总" : "2. The authorities' plans",
                                 dispatchTitle: zh ? "三、执法力量调用（调度单）" : "3. Staff dispatch orders",
                                 shortTitle: zh ? "四、未达标的执法主体及差额" : "4. Authorities short of a rule",
                                 unmendedTitle: zh ? "调用后仍未达标" : "Still short after dispatch",
                                 plansTitle: zh ? "五、各执法主体计划文书" : "5. Each authority's printable plan",
                                 unassignedTitle: zh ? "未分配与冲突的执法对象" : "Units unassigned or claimed twice",
                                 fixLabel: zh ? "调整建议" : "Fix",
                                 noShort: zh ? "全部执法主体的计划符合全部规则。" : "Every authority's plan passes every rule.",
                                 colon: zh ? "：" : ": ",
                                 shortMark: zh ? "（未达标）" : " (short)",
                                 footer: zh ? "本文件由 planner city 生成，数字与同一目录的 city.json、全市汇总.xlsx 一致；各执法主体的计划见其目录中的 plan.json 与执法计划.html。"
                                            : "Written by planner city; its figures are those of city.json and city-summary.xlsx in the same folder; each authority's plan is in its folder (plan.json, plan.html).",
                                 dispatchNone: (report.dispatch?.orders ?? []).isEmpty ? dispatchNone : nil),
                    summary: summary(t), rollup: rollup, chart: chart(),
                    dispatch: dispatch, hasDispatch: !dispatch.isEmpty, unmended: unmended, hasUnmended: !unmended.isEmpty,
                    short: short, hasShort: !short.isEmpty, unassigned: unassigned, hasUnassigned: !unassigned.isEmpty,
                    plans: report.rows.map { Link(name: $0.authority.name, level: zh ? "（\(report.levelName($0.authority.level))）" : " (\($0.authority.level))", href: planLink($0.folder), compliant: $0.compliant) },
                    numericColumns: numeric)
    }

    func summary(_ t: CityReport.Totals) -> [String] {
        let r = report
        var lines = [zh ? "台账\(r.ledgerUnits)家单位：已分配\(t.units)家，未分配\(r.unassigned.count)家，冲突\(r.conflicts.count)家。"
                        : "Ledger: \(r.ledgerUnits) units; assigned \(t.units), unassigned \(r.unassigned.count), conflicts \(r.conflicts.count).",
                     zh ? "\(t.authorities)个执法主体中\(t.compliant)个的计划符合全部规则。"
                        : "\(t.compliant) of \(t.authorities) authorities' plans pass every rule.",
                     zh ? "全市计划检查\(t.visits)家次，重点检查工作量占比\(Self.percent(t.keyShare))，每监督检查工作日\(Self.ratio(t.visitsPerWorkday))家次。"
                        : "The city plans \(t.visits) visits; key share \(Self.percent(t.keyShare)); \(Self.ratio(t.visitsPerWorkday)) visits per inspection workday."]
        if let d = r.dispatch, !d.orders.isEmpty {
            let days = d.orders.reduce(0) { $0 + $1.personDays }
            lines.append(zh ? "执法力量调用（TIER-DISPATCH）：\(d.orders.count)张调度单，共\(days)人·日。"
                            : "Dispatch (TIER-DISPATCH): \(d.orders.count) orders, \(days) person-days.")
        }
        return lines
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
    static func ratio(_ v: Double) -> String { String(format: "%.3f", v) }

    /// The rules some plan falls short of, in the order first met: the roll-up's shortfall columns.
    var shortRules: [String] {
        var seen = Set<String>(), out: [String] = []
        for r in report.rows { for c in r.checks where !c.pass && seen.insert(c.rule).inserted { out.append(c.rule) } }
        return out
    }

    /// One line of the roll-up: the workbook's columns (without the folder, which is the link).
    func cells(name: String, href: String?, level: String, district: String, _ t: CityReport.Totals, compliant: Bool,
               shorts: [String: Double]) -> [Cell] {
        let texts = [level, district, String(t.units), String(t.keyUnits), String(t.keyUnitsCovered), String(t.visits), String(t.keyVisits),
                     String(t.specialVisits), Self.percent(t.keyShare), PlanReport.f(t.inspectionWorkdays), Self.ratio(t.visitsPerWorkday),
                     String(t.generalUnits), String(t.generalUnitsDrawn), compliant ? (zh ? "达标" : "yes") : (zh ? "未达标" : "no")]
            + shortRules.map { id in shorts[id].map { PlanReport.f($0) } ?? "" }
        return [Cell(text: name, href: href)] + texts.map { Cell(text: $0, href: nil) }
    }

    /// As the workbook: each district's authorities then its subtotal, the city bureau first,
    /// the city's total last.
    func rollupTable() -> RollUp {
        let header = (zh ? ["执法主体", "层级", "所属区", "单位数", "重点单位", "重点已覆盖", "检查家次", "重点检查家次", "专项检查家次", "重点占比",
                            "监督检查工作日", "每工作日家次", "一般单位", "抽取一般单位", "是否达标"]
                         : ["Authority", "Level", "District", "Units", "Key units", "Key covered", "Visits", "Key visits", "Special visits", "Key share",
                            "Inspection workdays", "Visits per workday", "General units", "Drawn", "Compliant"])
            + shortRules.map { zh ? "\($0) 差额" : "\($0) short" }
        var rows: [RollRow] = []
        for (d, group) in report.districts {
            for r in group {
                rows.append(RollRow(cells: cells(name: r.authority.name, href: planLink(r.folder), level: report.levelName(r.authority.level),
                                                 district: r.authority.district ?? "", CityReport.totals([r]), compliant: r.compliant,
                                                 shorts: report.shorts([r])), kind: r.compliant ? "" : "strong"))
            }
            if !d.isEmpty {
                rows.append(RollRow(cells: cells(name: zh ? "\(d)小计" : "\(d) subtotal", href: nil, level: "", district: d, CityReport.totals(group),
                                                 compliant: group.allSatisfy { $0.compliant }, shorts: report.shorts(group)), kind: "subtotal"))
            }
        }
        rows.append(RollRow(cells: cells(name: zh ? "全市合计" : "City total", href: nil, level: "", district: "", CityReport.totals(report.rows),
                                         compliant: report.compliant, shorts: report.shorts(report.rows)), kind: "total"))
        return RollUp(header: header, rows: rows)
    }

    func dispatchTable() -> PlanHTML.Table {
        let rows = report.rows
        let list = (report.dispatch?.orders ?? []).enumerated().map { i, o in
            [String(format: "DP-%d-%03d", report.year, i + 1), rows[o.from].authority.name, rows[o.to].authority.name, String(o.personDays),
             o.months.map { zh ? "\($0)月" : String($0) }.joined(separator: zh ? "、" : ", "), o.rule]
        }
        return PlanHTML.Table(id: "dispatch", header: zh ? ["调度单号", "调出主体", "调入主体", "调用人·日", "月份", "所补规则"]
                                                        : ["Order", "From", "To", "Person-days", "Months", "Rule"],
                              plain: list, numeric: [3])
    }

    func unmendedTable() -> PlanHTML.Table {
        let list = (report.dispatch?.unmended ?? []).map { u in
            [report.rows[u.authority].authority.name, u.rule,
             u.personDays.map(String.init) ?? (zh ? "增加人·日也无法达标" : "more person-days would not mend it")]
        }
        return PlanHTML.Table(id: "unmended", header: zh ? ["执法主体", "规则", "仍缺人·日"] : ["Authority", "Rule", "Person-days lacking"],
                              plain: list, numeric: [2])
    }

    func unassignedTable() -> PlanHTML.Table {
        var list = report.conflicts.map { [$0.id, zh ? "冲突" : "conflict", $0.authorities.joined(separator: zh ? "、" : ", ")] }
        list += report.unassigned.map { [$0.id, zh ? "未分配" : "unassigned", $0.reason(report.lang)] }
        return PlanHTML.Table(id: "unassigned", header: zh ? ["统一社会信用代码", "情况", "说明"] : ["Credit code", "Kind", "Reason"], plain: list)
    }

    /// The authorities short of a rule, each with its shortfalls worded in the run's language.
    func shortAuthorities() -> [ShortAuthority] {
        report.rows.filter { !$0.compliant }.map { r in
            ShortAuthority(name: r.authority.name, folder: zh ? "（\(r.folder)）" : " (\(r.folder))", href: planLink(r.folder), items: r.checks.filter { !$0.pass }.map { c in
                let t = c.finding == nil ? c : c.rendered(report.lang)
                return Short(rule: t.rule, text: t.message, fix: t.fix)
            })
        }
    }

    /// Key share by district (the city bureau as 市局) against PLAN-SHARE60's floor: one bar per
    /// district, red when below the floor.
    func chart() -> PlanHTML.ChartView {
        let groups = report.districts
        let shares = groups.map { CityReport.totals($0.rows).keyShare * 100 }
        let floors = Set(report.rows.compactMap { r in r.checks.first { $0.ruleID == .share60 }?.threshold })
        let floor = floors.count == 1 ? floors.first! * 100 : nil
        let chart = BarChart(id: "chart-districts", title: zh ? "各区重点检查工作量占比" : "Key share by district",
                             categories: groups.map { $0.name.isEmpty ? (zh ? "市局" : "city bureau") : $0.name },
                             series: [.init(name: zh ? "重点检查工作量占比" : "key share", color: "#2e7d32", values: shares,
                                            colors: shares.map { v in floor.map { v + 1e-9 < $0 ? "#c62828" : "#2e7d32" } ?? "#2e7d32" })],
                             reference: floor.map { ($0, zh ? "不少于\(PlanReport.f($0))%" : "floor \(PlanReport.f($0))%") },
                             horizontal: true, format: { String(format: "%.1f%%", $0) }, minimumTop: 100)
        return PlanHTML.ChartView(caption: zh ? "图1　各区重点检查工作量占比（PLAN-SHARE60；市局为市级执法主体）"
                                              : "Figure 1. Key share by district (PLAN-SHARE60; the city bureau on its own)",
                                  drawing: chart.drawing())
    }
}

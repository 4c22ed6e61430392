import Foundation
import Ledger
import Mustache
import Output
import Planning
import PlannerResources
import Policy

/// A month's on-site inspection plan as the document a bureau files and the teams carry
/// (`现场检查方案-YYYY-MM.html`, `roster-sheet-YYYY-MM.html` in English): one self-contained HTML
/// file (styles inline, no script, nothing fetched), laid out for A4. A title page (authority,
/// month, visits, team-days, workdays, with the visits of each day), then each working day on a
/// page of its own and, under it, each team: its leader (检查组长), officers (组员) and experts,
/// every unit it inspects (name, credit code, address, town, kind of check, campaign) with the
/// focus items (检查重点) of that visit, the team's 回避 statement, and for random visits the
/// inspector draw records (ids, seed, pool, who was drawn). Visits left unassigned or without an
/// expert are listed; a signature block (编制、审核、批准) is left blank for hand signing.
///
/// As `PlanHTML`: the layout is the Mustache template `roster-document.mustache` (with the plan's
/// `plan-style` and `table` partials); this type builds its view model, `View`, in one place from
/// the `RosterDocument` (roster-YYYY-MM.json) and the names `RosterReport` has, every text formatted
/// here and none computed in the template. Nothing depends on the clock or the solver's timings:
/// the same roster gives the same bytes.
public struct RosterHTML {
    public let report: RosterReport
    var doc: RosterDocument { report.doc }
    var lang: Lang { report.lang }
    var zh: Bool { lang == .zh }

    public init(report: RosterReport) { self.report = report }

    /// The templates the on-site inspection plan renders with.
    public static let templates = ["roster-document", "roster-draw", "plan-style", "table"]

    /// Its templates, from the resource bundle or `PLANNER_TEMPLATES` (`PlanHTML.library`).
    public static func library(folder: String? = nil) throws -> MustacheLibrary {
        try PlanHTML.library(folder: folder, names: templates)
    }

    /// The file's name in an output folder: 现场检查方案-2027-03.html, or roster-sheet-2027-03.html
    /// for an English run (beside the month's CSV and workbook).
    public static func fileName(year: Int, month: Int, lang: Lang) -> String {
        RosterReport.stem(year: year, month: month, lang: lang) + ".html"
    }

    /// The document's text.
    public func render(library: MustacheLibrary? = nil) throws -> String {
        try PlanHTML.render(view(), template: "roster-document", library: library, names: Self.templates)
    }

    // MARK: - The view model

    typealias Table = PlanHTML.Table
    typealias Row = PlanHTML.Row

    struct Fact { let label, value: String }
    /// One line of a visit's card: a label and its text, or a list (the focus items).
    struct Line { let label, text: String; let list: List?; let id: String }
    struct List { let items: [String] }
    struct VisitView { let id, title: String; let lines: [Line] }
    struct DrawView {
        let id, role: String
        let record: Table
        let pool, poolSha256: String
    }
    struct TeamView {
        let id, number: String
        let members: Table
        let visits: [VisitView]
        let avoidance: String
        let draws: [DrawView]
        let hasDraws: Bool
    }
    struct DayView { let id, date, summary: String; let teams: [TeamView] }

    struct Words {
        let introTitle, daysTitle, scheduleTitle: String
        let intro: [String]
        let drawsTitle, poolLabel, poolShaLabel: String
        let otherDrawsTitle: String
        let unassignedTitle, noUnassigned: String
        let signTitle: String
        let signRows: [String]
        let dateLabel, colon, footer: String
    }

    struct View {
        let lang, title, authority, month, seed: String
        let words: Words
        let totals: Table
        let days: Table
        let dayPages: [DayView]
        let otherDraws: [DrawView]
        let hasOtherDraws: Bool
        let unassigned: Table
        /// Selectors of right-aligned columns (`plan-style`'s rule).
        let numericColumns: [String]
    }

    var title: String { zh ? "\(doc.year)年\(doc.month)月现场检查方案" : "On-site inspection plan \(doc.year)-\(String(format: "%02d", doc.month))" }
    func person(_ id: String) -> String { report.person(id) }
    func people(_ ids: [String]) -> String { ids.isEmpty ? (zh ? "无" : "none") : ids.map(person).joined(separator: zh ? "、" : ", ") }

    /// The assignments of one day and one team (the same officers, leader first), in the order
    /// the roster's CSV lists them (trip, then visit).
    struct Group { let date: String; let team: [String]; var visits: [RosterDocument.Assignment] }

    func groups() -> [(date: String, teams: [Group])] {
        let sorted = doc.assignments.sorted { ($0.date, $0.trip, $0.visit) < ($1.date, $1.trip, $1.visit) }
        var days: [(date: String, teams: [Group])] = []
        for a in sorted {
            if days.last?.date != a.date { days.append((a.date, [])) }
            let d = days.count - 1
            if let t = days[d].teams.firstIndex(where: { $0.team == a.team }) { days[d].teams[t].visits.append(a) }
            else { days[d].teams.append(Group(date: a.date, team: a.team, visits: [a])) }
        }
        return days
    }

    func view() -> View {
        let days = groups()
        let teamDays = days.reduce(0) { $0 + $1.teams.count }
        let officers = Set(doc.assignments.flatMap { $0.team }), experts = Set(doc.assignments.flatMap { $0.experts })
        let random = doc.assignments.filter { $0.draw != nil }.count
        let f: [(String, String)] = [
            (zh ? "编制单位" : "Prepared by", doc.authority.name),
            (zh ? "检查月份" : "Month", zh ? "\(doc.year)年\(doc.month)月" : String(format: "%04d-%02d", doc.year, doc.month)),
            (zh ? "检查家次" : "Visits", String(doc.assignments.count)),
            (zh ? "检查工作日（天）" : "Working days with visits", String(days.count)),
            (zh ? "检查组（组·日）" : "Teams (team-days)", String(teamDays)),
            (zh ? "参加检查的执法人员（人）" : "Officers on the teams", String(officers.count)),
            (zh ? "参加检查的专家（人）" : "Experts on the teams", String(experts.count)),
            (zh ? "随机抽取人员的检查（家次）" : "Visits with drawn inspectors", String(random)),
            (zh ? "人员随机抽取（次）" : "Inspector draws", String(doc.draws.count)),
            (zh ? "未安排的检查（家次）" : "Visits unassigned", String(doc.unassigned.count)),
            (zh ? "缺少匹配专家的重点检查（家次）" : "Key visits without a matching expert", String(doc.expertShortfalls.count)),
            (zh ? "双随机抽取种子（公开）" : "Published draw seed", String(doc.seed)),
        ]
        let totals = Table(id: "totals", header: zh ? ["项目", "内容"] : ["Item", "Value"], plain: f.map { [$0.0, $0.1] }, numeric: [])
        var dayRows = days.map { Row(cells: [RosterReport.dated($0.date, lang), String($0.teams.count), String($0.teams.reduce(0) { $0 + $1.visits.count })], strong: false) }
        dayRows.append(Row(cells: [zh ? "合计" : "Total", String(teamDays), String(doc.assignments.count)], strong: true))
        let dayTable = Table(id: "days", header: zh ? ["日期", "检查组", "检查家次"] : ["Date", "Teams", "Visits"], rows: dayRows, numeric: [1, 2])

        // Draws a visit names (its own, and its leader's `<id>-L`) are shown with its team; any other
        // the roster holds is listed at the end, so every draw of roster-YYYY-MM.json is in the document.
        var shown = Set<String>()
        let pages: [DayView] = days.map { day in
            let teams = day.teams.enumerated().map { t, g in teamView(g, number: t + 1, shown: &shown) }
            let n = day.teams.reduce(0) { $0 + $1.visits.count }
            return DayView(id: "day-\(day.date)", date: RosterReport.dated(day.date, lang),
                           summary: zh ? "本日\(day.teams.count)个检查组，检查\(n)家次。" : "\(day.teams.count) team(s), \(n) visit(s) this day.", teams: teams)
        }
        let others = doc.draws.filter { !shown.contains($0.id) }.map { drawView($0) }
        let unassigned = Table(id: "unassigned", header: zh ? ["检查编号", "类别", "原因"] : ["Visit", "What", "Reason"],
                               plain: doc.unassigned.map { [$0.visit, zh ? "未安排" : "unassigned", $0.reason] }
                                 + doc.expertShortfalls.map { [$0.visit, zh ? "缺少匹配专家" : "no matching expert", $0.reason] }, numeric: [])
        return View(lang: zh ? "zh-CN" : "en", title: title, authority: doc.authority.name,
                    month: zh ? "\(doc.year)年\(doc.month)月" : String(format: "%04d-%02d", doc.year, doc.month), seed: String(doc.seed),
                    words: words(), totals: totals, days: dayTable, dayPages: pages, otherDraws: others, hasOtherDraws: !others.isEmpty,
                    unassigned: unassigned, numericColumns: ["table.days td:nth-child(2)", "table.days td:nth-child(3)", "table.draw td:nth-child(3)",
                                                             "table.draw td:nth-child(5)", "table.draw td:nth-child(6)"])
    }

    func teamView(_ g: Group, number: Int, shown: inout Set<String>) -> TeamView {
        let leader = g.visits[0].leader
        var experts: [String] = []
        for a in g.visits { for x in a.experts where !experts.contains(x) { experts.append(x) } }
        let id = "team-\(g.date)-\(number)"
        let members = Table(id: "\(id)-members", kind: "members", header: zh ? ["职责", "姓名（编号）"] : ["Role", "Name (id)"],
                            plain: [[zh ? "检查组长" : "Leader", person(leader)],
                                    [zh ? "组员" : "Officers", people(g.team.filter { $0 != leader })],
                                    [zh ? "专家" : "Experts", people(experts)]], numeric: [])
        var draws: [DrawView] = []
        let visits = g.visits.map { a -> VisitView in
            var lines: [Line] = []
            func line(_ key: String, _ label: String, _ text: String) { lines.append(Line(label: label, text: text, list: nil, id: key)) }
            line("unit", zh ? "单位名称" : "Unit", a.unitName)
            line("code", zh ? "统一社会信用代码" : "Credit code", a.unit)
            line("address", zh ? "地址" : "Address", a.address.isEmpty ? (zh ? "（未填）" : "(blank)") : a.address)
            line("town", zh ? "所属街镇" : "Town", a.town.isEmpty ? (zh ? "（未填）" : "(blank)") : a.town)
            line("kind", zh ? "检查类型" : "Kind of check", PlanReport.kindLabel(a.kind, lang))
            if let c = a.campaign { line("campaign", zh ? "专项" : "Campaign", c) }
            line("experts", zh ? "专家" : "Experts", people(a.experts))
            lines.append(Line(label: zh ? "检查重点" : "Focus items", text: a.focus.isEmpty ? (zh ? "（无）" : "(none)") : "",
                              list: a.focus.isEmpty ? nil : List(items: a.focus), id: "focus"))
            if let d = a.draw {
                let ids = [d + "-L", d].filter { id in doc.draws.contains { $0.id == id } }
                line("draw", zh ? "人员抽取编号" : "Inspector draws", ids.isEmpty ? d : ids.joined(separator: zh ? "、" : ", "))
                for id in ids where !shown.contains(id) {
                    shown.insert(id)
                    if let r = doc.draws.first(where: { $0.id == id }) { draws.append(drawView(r)) }
                }
            }
            return VisitView(id: a.visit, title: a.visit + (zh ? "　" : " ") + a.unitName, lines: lines)
        }
        let avoidance = zh
            ? "回避：本检查组的检查组长、组员和专家均不在上述被检查单位的回避名单中（执法人员名录库“回避单位”），与被检查单位无利害关系，无须回避。"
            : "Conflicts of interest (回避): the leader, the officers and the experts of this team are none of them listed as having to recuse from the units above (the staff file's conflicts column); none has a conflict of interest with them."
        return TeamView(id: id, number: zh ? "第\(number)检查组" : "Team \(number)", members: members, visits: visits,
                        avoidance: avoidance, draws: draws, hasDraws: !draws.isEmpty)
    }

    func drawView(_ d: RosterDocument.Draw) -> DrawView {
        let leader = d.id.hasSuffix("-L")
        let record = Table(id: "draw-\(d.id)", kind: "draw",
                           header: zh ? ["抽取编号", "日期", "种子", "方法", "抽取数", "抽取池人数", "抽中"] : ["Draw", "Date", "Seed", "Method", "k", "Pool size", "Drawn"],
                           plain: [[d.id, RosterReport.dated(d.date, lang), String(d.seed), d.method, String(d.k), String(d.pool.count), people(d.drawn)]],
                           numeric: [2, 4, 5])
        return DrawView(id: d.id, role: zh ? (leader ? "检查组长抽取" : "组员抽取") : (leader ? "Leader draw" : "Member draw"),
                        record: record, pool: people(d.pool), poolSha256: d.poolSha256)
    }

    func words() -> Words {
        let json = RosterDocument.fileName(year: doc.year, month: doc.month)
        return Words(
            introTitle: zh ? "一、编制说明" : "1. About this plan",
            daysTitle: zh ? "每日检查安排一览" : "Visits by day",
            scheduleTitle: zh ? "二、每日检查安排" : "2. The visits, day by day",
            intro: zh ? [
                "本方案依据年度执法计划（plan.json）中本月的检查安排编制，逐日列明各检查组的被检查单位、检查组长、组员、专家及检查重点。",
                "每个检查组由至少两名持证执法人员组成，其中一人为检查组长；重点检查单位的全覆盖检查按“执法+专家”配备与单位风险相匹配的专家。",
                "检查人员与被检查单位存在利害关系的，依执法人员名录库的“回避单位”予以回避；本方案的每个检查组均已核对。",
                "双随机抽查的检查人员以 sha256-weighted/1 方法分两步随机抽取（先抽检查组长，编号以 -L 结尾；再抽组员），种子公开，可用 planner verify \(json) --scenario 场景 --plan plan.json 复核。",
            ] : [
                "This plan staffs the visits the annual plan (plan.json) puts in this month: for each working day, each team's units, leader, officers, experts and focus items.",
                "Every team has at least two certified officers, one of them the leader; full-coverage visits to key units take an expert matching the unit's hazards (\"enforcement + expert\").",
                "No one inspects a unit listed against them in the staff file's conflicts column (回避); every team of this plan was checked for it.",
                "Inspectors of random spot checks are drawn with sha256-weighted/1 in two steps (the leader first, its id ending in -L; then the other officer) from the published seed; planner verify \(json) --scenario SCENARIO --plan plan.json re-runs every draw.",
            ],
            drawsTitle: zh ? "检查人员随机抽取记录" : "Inspector draw records",
            poolLabel: zh ? "抽取池" : "Pool",
            poolShaLabel: zh ? "抽取池SHA-256" : "Pool SHA-256",
            otherDrawsTitle: zh ? "其他人员抽取记录" : "Other inspector draws",
            unassignedTitle: zh ? "三、未安排的检查及缺少匹配专家的重点检查" : "3. Visits unassigned and key visits without a matching expert",
            noUnassigned: zh ? "本月计划的检查均已安排，重点检查均已配备专家。" : "Every visit of the month is staffed, every key visit with an expert.",
            signTitle: zh ? "编制与审批" : "Preparation and approval",
            signRows: zh ? ["编制单位（盖章）", "编制", "审核", "批准"] : ["Prepared by (seal)", "Prepared by", "Reviewed by", "Approved by"],
            dateLabel: zh ? "日期" : "Date",
            colon: zh ? "：" : ": ",
            footer: zh ? "本文件由 planner 依据 \(json) 生成，全部安排与 \(json) 一致。" : "Made by planner from \(json); every assignment is \(json)'s.")
    }
}

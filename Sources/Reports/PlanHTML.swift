import Foundation
import Ledger
import Mustache
import Output
import Planning
import PlannerResources
import Policy

/// The plan as the document a bureau files (`执法计划.html`, `plan.html` in English; issue 14): one self-contained HTML
/// file (styles and charts inline, no script, nothing fetched), laid out for A4 with a page break
/// before each section, in the order of a real plan (PLAN-DOCUMENTS.md): title and 编制依据,
/// 执法力量测算, 年度目标与指标, 重点检查安排, 双随机抽查, 季度计划 and 月度计划, the key-unit
/// list as attachment, and a signature block left blank for hand signing.
///
/// The layout is the Mustache templates of `templates/` (PlannerResources' bundle); this type
/// builds their view model, `View`, in one place from the `PlanDocument` (and the tables
/// `PlanReport` already makes of it for the CSVs): every figure is plan.json's, formatted here,
/// never computed in a template. Mustache escapes every text (`{{ }}`); the charts are
/// templates too (`bar-chart.mustache`), so no markup is made by hand. Nothing depends on the
/// clock or the solver's timings: the same plan gives the same bytes.
public struct PlanHTML {
    public let report: PlanReport
    var doc: PlanDocument { report.doc }
    var lang: Lang { report.lang }
    var zh: Bool { lang == .zh }
    /// The authority's key units, in plan.json's order (the attachment's rows).
    let ownKeyUnits: [PlanDocument.Unit]
    /// Key units with a full-coverage (`key`) visit in the plan.
    let coveredKeyUnits: Set<String>

    /// `PlanReport`'s quarterly and monthly rows, when its caller has them already (`write(to:)`).
    let quarterlyRows: [[String]]?, monthlyRows: [[String]]?

    public init(report: PlanReport) { self.init(report: report, quarterlyRows: nil, monthlyRows: nil) }

    init(report: PlanReport, quarterlyRows: [[String]]?, monthlyRows: [[String]]?) {
        self.report = report
        self.quarterlyRows = quarterlyRows
        self.monthlyRows = monthlyRows
        ownKeyUnits = report.doc.units.filter { $0.ownUnit && $0.isKey }
        coveredKeyUnits = Set(report.doc.visits.filter { $0.visitKind == .key }.map { $0.unit })
    }

    /// The file's name in an output folder: 执法计划.html, or plan.html for an English run (as
    /// 执法计划.xlsx and plan.xlsx).
    public static func fileName(_ lang: Lang) -> String { lang == .zh ? "执法计划.html" : "plan.html" }

    /// The templates the printable plan renders with.
    public static let templates = ["plan-document", "plan-style", "bar-chart", "table"]

    /// The templates, loaded once per process from the resource bundle (or `PLANNER_TEMPLATES`):
    /// `names` (the plan's by default; `RosterHTML.templates` for the on-site inspection plan),
    /// each one missing or unreadable a `ResourceError` naming its file.
    public static func library(folder: String? = nil, names: [String] = templates) throws -> MustacheLibrary {
        let dir = try folder ?? PlannerResources.templatesFolder()
        var library = MustacheLibrary()
        for name in names {
            let path = (dir as NSString).appendingPathComponent("\(name).mustache")
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ResourceError(looked: [path], template: "文件不存在或无法读取 (file not found or unreadable)")
            }
            do {
                try library.register(String(decoding: data, as: UTF8.self), named: name)
            } catch {
                throw ResourceError(looked: [path], template: "不是有效的 Mustache 模板 (not a valid Mustache template): \(error)")
            }
        }
        return library
    }

    /// The document's text.
    public func render(library: MustacheLibrary? = nil) throws -> String {
        try Self.render(view(), template: "plan-document", library: library, names: Self.templates)
    }

    /// A printable document's text: `view` rendered with `template` from `library`, or from the
    /// templates `names` loaded now (`library(names:)`).
    static func render(_ view: Any, template: String, library: MustacheLibrary?, names: [String]) throws -> String {
        let lib = try library ?? Self.library(names: names)
        guard let html = lib.render(view, withTemplate: template) else {
            throw ResourceError(looked: ["\(template).mustache"], template: "未载入 (not loaded)")
        }
        return html
    }

    public func write(to path: String) throws {
        try FileOutput.write(Data(try render().utf8), to: path)
    }

    // MARK: - The view model

    /// A row: its cells' texts (plain strings, so that a long list renders quickly), bold or not.
    struct Row { let cells: [String]; let strong: Bool }
    /// A table; `kind` is its class, shared by tables of one layout (every draw's list of units),
    /// and the columns of `numeric` (from 0) are right-aligned by a rule of the document's style.
    struct Table {
        let id: String
        let kind: String
        let header: [String]
        let rows: [Row]
        let numeric: Set<Int>
        let isEmpty: Bool
        init(id: String, kind: String? = nil, header: [String], rows: [Row], numeric: Set<Int>) {
            self.id = id; self.kind = kind ?? id; self.header = header; self.rows = rows; self.numeric = numeric; isEmpty = rows.isEmpty
        }
        init(id: String, kind: String? = nil, header: [String], plain: [[String]], numeric: Set<Int> = []) {
            self.init(id: id, kind: kind, header: header, rows: plain.map { Row(cells: $0, strong: false) }, numeric: numeric)
        }
    }
    struct Section { let id, number, title: String }
    /// A rule of the basis: its title in the document's language and the policy's own words
    /// (Chinese, quoted verbatim: `RuleCatalogue.policyWords`).
    struct Basis { let rule, clause, text, original: String }
    struct Finding { let rule, text: String; let fix: String? }
    struct DrawView {
        let id, month, pool, poolSize, k, seed, method, poolSha256: String
        let pinned: Bool
        let units: Table
    }
    struct ChartView { let caption: String; let drawing: BarChart.Drawing }

    struct Words {
        let docTitle, authorityLabel, yearLabel, seedLabel: String
        let provisional: String?
        /// A re-plan: the month it re-plans from, the months kept and the previous plan's SHA-256.
        let replan: String?
        let basisIntro, basisHeaderRule, basisHeaderClause, basisHeaderText: String
        let basisHeaderOriginal: String
        let workdaysIntro, figuresTitle, checksTitle, shortfallsTitle, fixLabel, noShortfalls: String
        let mattersTitle, keyByRiskTitle, campaignsTitle, jointTitle, noCampaigns: String
        let drawIntro, drawMethodTitle, drawRerunTitle: String
        let drawSteps: [String]
        let drawRerun: [String]
        let drawHeader: [String]
        let drawnHeader: [String]
        let pinnedNote: String
        let quarterlyTitle, monthlyTitle, annexIntro: String
        let contentsTitle, noDraws: String
        let signTitle: String
        let signRows: [String]
        let dateLabel, poolShaLabel, colon: String
        let solverLine: String
        let footer: String
    }

    struct View {
        let lang: String
        let title: String
        let authority: String
        let year: String
        let seed: String
        let words: Words
        let sections: [Section]
        let s1, s2, s3, s4, s5, s6, s7, s8: Section
        let basis: [Basis]
        let workdays: Table
        let workdayChart: ChartView
        let figures: Table
        let figuresNote: String?
        let checks: Table
        let findings: [Finding]
        let hasFindings: Bool
        let shareChart: ChartView
        let matters: Table
        let keyByRisk: Table
        let riskChart: ChartView
        let townChart: ChartView
        let campaigns: Table
        let joint: Table
        let draws: [DrawView]
        let hasDraws: Bool
        let quarterly: Table
        let monthly: Table
        /// The key-unit list in tables of `keyListChunk` rows (one long table is slow to print).
        let keyList: [Table]
        let keyUnitCount: String
        /// CSS selectors of the numeric columns of every kind of table, e.g. `table.monthly td:nth-child(4)`.
        let numericColumns: [String]
    }

    func view() -> View {
        let sections = sectionTitles()
        let words = words()
        let counts = keyCounts()
        let breakdown = report.visitBreakdown()
        let tables = (workdays: workdayTable(), figures: figureTable(breakdown), checks: checkTable(), keyByRisk: keyByRiskTable(counts), matters: matterTable(),
                      campaigns: campaignTable(), joint: jointTable(), keyList: keyListTable(),
                      quarterly: Table(id: "quarterly", header: report.quarterlyHeader, plain: quarterlyRows ?? report.quarterlyRows, numeric: [1, 2, 3, 4, 5, 6, 7, 8]),
                      monthly: Table(id: "monthly", header: report.monthlyHeader, plain: monthlyRows ?? report.monthlyRows, numeric: [3, 4, 5, 6, 7]))
        let draws = drawViews(words)
        var numeric: [String] = []
        var kinds = Set<String>()
        for t in [tables.workdays, tables.figures, tables.checks, tables.matters, tables.keyByRisk, tables.campaigns, tables.joint, tables.quarterly,
                  tables.monthly] + tables.keyList.prefix(1) + draws.map({ $0.units }) where kinds.insert(t.kind).inserted {
            numeric += t.numeric.sorted().map { "table.\(t.kind) td:nth-child(\($0 + 1))" }
        }
        return View(lang: zh ? "zh-CN" : "en", title: title, authority: doc.authority.name, year: String(doc.year), seed: String(doc.seed),
                    words: words, sections: sections,
                    s1: sections[0], s2: sections[1], s3: sections[2], s4: sections[3], s5: sections[4], s6: sections[5], s7: sections[6], s8: sections[7],
                    basis: basis(), workdays: tables.workdays, workdayChart: workdayChart(), figures: tables.figures,
                    figuresNote: breakdown.note,
                    checks: tables.checks, findings: findings(), hasFindings: doc.checks.contains { !$0.pass }, shareChart: shareChart(),
                    matters: tables.matters, keyByRisk: tables.keyByRisk, riskChart: riskChart(counts), townChart: townChart(),
                    campaigns: tables.campaigns, joint: tables.joint,
                    draws: draws, hasDraws: !doc.draws.isEmpty,
                    quarterly: tables.quarterly, monthly: tables.monthly,
                    keyList: tables.keyList, keyUnitCount: String(ownKeyUnits.count), numericColumns: numeric)
    }

    var title: String { zh ? "\(doc.year)年度安全生产监督检查计划" : "Work-safety inspection plan \(doc.year)" }

    /// The section headings, in the order of a filed plan.
    func sectionTitles() -> [Section] {
        let t = zh ? ["编制依据", "执法力量测算", "年度目标与指标", "重点检查安排", "双随机抽查", "季度计划和月度计划", "附件：重点检查单位清单", "编制与审批"]
                   : ["Basis", "Enforcement capacity", "Annual targets and figures", "Key inspections", "Random spot checks (double random)",
                      "Quarterly and monthly plans", "Attachment: key-unit list", "Preparation and approval"]
        let numbers = zh ? ["一、", "二、", "三、", "四、", "五、", "六、", "", ""] : ["1. ", "2. ", "3. ", "4. ", "5. ", "6. ", "", ""]
        let ids = ["basis", "workdays", "targets", "key", "draws", "schedule", "annex", "approval"]
        return (0..<8).map { Section(id: ids[$0], number: numbers[$0], title: t[$0]) }
    }

    func words() -> Words {
        let w = doc.workdays
        let provisional: String? = w.calendarProvisional
            ? (zh ? "【暂定】\(doc.year)年工作日按暂定日历计算：\(w.calendarSource)" : "[PROVISIONAL] \(doc.year) workdays from a provisional calendar: \(w.calendarSource)")
            : nil
        let sv = doc.solver
        let gap = String(format: "%.2g", sv.mipGap)
        let stages = sv.stages.map { "\($0.name) \($0.status)" }
        return Words(
            docTitle: title,
            authorityLabel: zh ? "编制单位" : "Prepared by",
            yearLabel: zh ? "计划年度" : "Plan year",
            seedLabel: zh ? "双随机抽取种子（公开）" : "Published draw seed",
            provisional: provisional,
            replan: doc.previousPlan.map { p in
                let kept = p.keptMonths.isEmpty ? "" : (zh ? "，保留\(months(p.keptMonths))的安排" : "; months kept: \(months(p.keptMonths))")
                let sha = p.sha256.map { zh ? "；原计划 plan.json 的 SHA-256：\($0)" : "; SHA-256 of the previous plan.json: \($0)" } ?? ""
                return zh ? "本计划为年中重新编制：自\(p.fromMonth)月起重新安排\(kept)\(sha)。"
                          : "A re-plan: re-planned from month \(p.fromMonth)\(kept)\(sha)."
            },
            basisIntro: zh ? "本计划依据安全生产分类分级执法的实施意见编制，下列条款按规则编号列出（规则编号见 docs/RULES.md），计划中每一项安排均可追溯至相应条款。"
                           : "This plan follows the policy on classified and graded work-safety enforcement; the clauses below are listed by rule ID (docs/RULES.md), and every figure of the plan traces back to one of them.",
            basisHeaderRule: zh ? "规则编号" : "Rule",
            basisHeaderClause: zh ? "条款" : "Clause",
            basisHeaderText: zh ? "内容" : "Text",
            basisHeaderOriginal: zh ? "政策原文" : "The policy's words (Chinese)",
            workdaysIntro: zh ? "执法工作日按法定工作日与持证执法人员数测算，扣除其他执法工作日与非执法工作日后为监督检查工作日；各项数值及来源如下表。"
                              : "Enforcement workdays: calendar workdays times certified officers, less other enforcement and non-enforcement days, leave the inspection workdays; each figure and its source below.",
            figuresTitle: zh ? "计划指标" : "Plan figures",
            checksTitle: zh ? "规则核验" : "Rule checks",
            shortfallsTitle: zh ? "未达标项及调整建议" : "Shortfalls and fixes",
            fixLabel: zh ? "调整建议" : "Fix",
            noShortfalls: zh ? "全部规则符合。" : "Every rule passes.",
            mattersTitle: zh ? "检查事项" : "Inspection matters",
            keyByRiskTitle: zh ? "重点检查单位（按风险等级和行业类别）" : "Key units by risk level and category",
            campaignsTitle: zh ? "专项执法" : "Special campaigns",
            jointTitle: zh ? "工业企业跨部门联合双随机抽查" : "Joint cross-department random check of industrial units",
            noCampaigns: zh ? "本年度无专项执法。" : "No special campaign this year.",
            drawIntro: zh ? "一般检查单位以“双随机、一公开”方式抽查。每次抽取的种子、抽取池规模、抽取池SHA-256及抽中单位如下，任何人均可复核。"
                          : "General units are inspected by double-random spot checks. Each draw's seed, pool size, pool SHA-256 and the units drawn are below; anyone can re-run them.",
            drawMethodTitle: zh ? "抽取方法（sha256-weighted/1）" : "The method (sha256-weighted/1)",
            drawRerunTitle: zh ? "如何复核" : "How to re-run a draw",
            drawSteps: zh ? [
                "对抽取池中的每家单位 m（统一社会信用代码），计算 h = SHA-256（UTF-8 文本“种子:抽取编号:m”），例如“\(doc.seed):\(doc.draws.first?.id ?? "D-\(doc.year)-01"):m”。",
                "取 h 的前 8 个字节，按大端序读作无符号整数 n，令 u = (n + 0.5) ÷ 2^64（0 < u < 1）。",
                "得分 = ln(u) ÷ w，w 为该单位的抽取权重（plan.json 中单位的 draw_weight）。",
                "按得分从高到低排序（得分相同按单位编号升序），取前 k 家为抽中单位。",
            ] : [
                "For each member m of the pool (its credit code): h = SHA-256 of the UTF-8 text \"seed:draw id:m\", e.g. \"\(doc.seed):\(doc.draws.first?.id ?? "D-\(doc.year)-01"):m\".",
                "n = the first 8 bytes of h read as a big-endian unsigned integer; u = (n + 0.5) / 2^64, so 0 < u < 1.",
                "score = ln(u) / w, with w the unit's draw weight (draw_weight in plan.json).",
                "Sort by score, highest first (ties by unit id ascending); the first k are drawn.",
            ],
            drawRerun: zh ? [
                "抽取池SHA-256为池中全部单位编号按升序排列、以换行符连接后的SHA-256，可证明所用抽取池。",
                "用本计划的 plan.json 运行 planner verify plan.json，或独立脚本 python3 docs/redraw.py plan.json，即重新执行每一次抽取并与公布结果比对。",
            ] : [
                "The pool SHA-256 is the SHA-256 of the pool's unit ids sorted ascending and joined with newlines: it proves which pool was used.",
                "planner verify plan.json, or the independent script python3 docs/redraw.py plan.json, re-runs every draw from this plan's plan.json and compares it with the published result.",
            ],
            drawHeader: zh ? ["抽取编号", "月份", "抽取池", "池中单位数", "抽取数", "种子", "方法"] : ["Draw", "Month", "Pool", "Pool size", "k", "Seed", "Method"],
            drawnHeader: zh ? ["序号", "抽中单位名称", "统一社会信用代码", "所属街镇"] : ["No.", "Unit drawn", "Credit code", "Town"],
            pinnedNote: zh ? "此次抽取保留自原计划，其抽取池为原计划的台账。" : "Kept from the plan this one re-plans: its pool was that plan's ledger.",
            quarterlyTitle: zh ? "季度计划" : "Quarterly plan",
            monthlyTitle: zh ? "月度计划" : "Monthly plan",
            annexIntro: zh ? "依据四(五)、五(十二)，本计划所列重点检查单位如下，清单实行动态管理。承办机构：\(doc.authority.name)；检查频次为每年至少一次（FREQ-KEY-COVER），按FREQ-INCREASE增加的每年两次，每家单位年度检查不超过\(doc.policy.maxVisitsPerUnit)次（FREQ-CAP），每次检查的月份见“计划检查月份”；纳入重点的情形按规则编号列出，其条款与政策原文见“编制依据”。"
                           : "The key units of this plan (四(五), 五(十二)); the list is managed dynamically. Inspected by \(doc.authority.name); each unit at least once a year (FREQ-KEY-COVER), twice where FREQ-INCREASE applies, at most \(doc.policy.maxVisitsPerUnit) visits a unit a year (FREQ-CAP), each visit's month under Planned months; the rules that make a unit key by ID, their clauses and the policy's words under Basis.",
            contentsTitle: zh ? "目录" : "Contents",
            noDraws: zh ? "本年度无双随机抽取。" : "No random draw this year.",
            signTitle: zh ? "编制与审批" : "Preparation and approval",
            signRows: zh ? ["编制单位（盖章）", "编制人", "审核", "批准"] : ["Prepared by (seal)", "Prepared by", "Reviewed by", "Approved by"],
            dateLabel: zh ? "日期" : "Date",
            poolShaLabel: zh ? "抽取池SHA-256" : "Pool SHA-256",
            colon: zh ? "：" : ": ",
            solverLine: zh ? "求解：GLPK \(sv.status)，相对间隙 \(gap)（类别层面整数规划 \(sv.stages.count) 个：\(stages.joined(separator: "，"))；单位按优先级排入月份）。"
                           : "Solver: GLPK \(sv.status), gap \(gap) (class-level integer programs: \(stages.joined(separator: ", ")); units placed by priority).",
            footer: zh ? "本文件由 planner 依据 plan.json 生成，全部数值与 plan.json 一致。" : "Made by planner from plan.json; every figure is plan.json's.")
    }

    /// 编制依据: every rule the plan checks and every rule that makes one of its units key, with
    /// its clause and the policy's words.
    func basis() -> [Basis] {
        var ids: [String] = []
        for c in doc.checks where RuleCatalogue.clause(c.rule) != nil && !ids.contains(c.rule) { ids.append(c.rule) }
        let keyRules = Set(ownKeyUnits.flatMap { $0.rules })
        for r in KeyRule.allCases where keyRules.contains(r.rawValue) { ids.append(r.rawValue) }
        return ids.map {
            Basis(rule: $0, clause: RuleCatalogue.clause($0) ?? "", text: RuleCatalogue.title($0, lang) ?? $0,
                  original: RuleCatalogue.policyWords($0).map { "“\($0)”" } ?? RuleCatalogue.title($0, .zh) ?? "")
        }
    }


    // MARK: 执法力量测算

    func workdayTable() -> Table {
        let w = doc.workdays
        let f = PlanReport.f
        var rows: [Row] = []
        func add(_ item: String, _ how: String, _ value: String, _ source: String, strong: Bool = false) {
            rows.append(Row(cells: [item, how, value, source], strong: strong))
        }
        add(zh ? "国家法定工作日（天）" : "calendar workdays (days)", "", String(w.calendar),
            (zh ? "国务院节假日安排通知：" : "State Council holiday notice: ") + w.calendarSource + (w.calendarProvisional ? (zh ? "（暂定）" : " (provisional)") : ""))
        add(zh ? "执法人员数（人）" : "certified officers", "", String(w.staff), zh ? "执法人员名录库中的持证执法人员（RULES.md §7.9）" : "certified officers in the staff file (RULES.md §7.9)")
        add(zh ? "总法定工作日" : "gross enforcement workdays", "\(w.calendar) × \(w.staff)", f(w.gross), zh ? "法定工作日 × 执法人员数" : "calendar workdays × officers", strong: true)
        add(zh ? "其他执法工作日" : "other enforcement", zh ? "\(w.otherEnforcementItems.count)项合计" : "sum of \(w.otherEnforcementItems.count)", f(w.otherEnforcement),
            zh ? "场景文件 workdays.other_enforcement" : "scenario workdays.other_enforcement")
        for i in w.otherEnforcementItems { add((zh ? "　其中：" : "  of which: ") + i.name, "", f(i.days), "") }
        add(zh ? "非执法工作日" : "non-enforcement", zh ? "\(w.nonEnforcementItems.count)项合计" : "sum of \(w.nonEnforcementItems.count)", f(w.nonEnforcement),
            zh ? "场景文件 workdays.non_enforcement" : "scenario workdays.non_enforcement")
        for i in w.nonEnforcementItems { add((zh ? "　其中：" : "  of which: ") + i.name, "", f(i.days), "") }
        var how = "\(f(w.gross)) − \(f(w.otherEnforcement)) − \(f(w.nonEnforcement))"
        if let b = w.borrowed {
            add(zh ? "执法力量调入" : "borrowed", "", "+" + f(b), zh ? "全市调度单（四(十)）" : "city dispatch orders (四(十))")
            how += " + \(f(b))"
        }
        if let l = w.lent {
            add(zh ? "执法力量调出" : "lent", "", "−" + f(l), zh ? "全市调度单（四(十)）" : "city dispatch orders (四(十))")
            how += " − \(f(l))"
        }
        add(zh ? "监督检查工作日" : "inspection workdays", how, f(w.inspection), zh ? "总法定工作日 − 其他执法 − 非执法" : "gross − other − non-enforcement", strong: true)
        return Table(id: "workdays", header: zh ? ["项目", "计算", "人·日", "来源"] : ["Item", "Calculation", "Person-days", "Source"], rows: rows, numeric: [2])
    }

    func workdayChart() -> ChartView {
        let months = doc.months
        let chart = BarChart(id: "chart-capacity", title: zh ? "各月检查家次、检查用时与可用执法力量（组·日）" : "Visits, effort and capacity (team-days) by month",
                             categories: months.map { zh ? "\($0.month)月" : String($0.month) },
                             series: [.init(name: zh ? "检查用时" : "effort", color: "#1f77b4", values: months.map { $0.effortTeamDays }),
                                      .init(name: zh ? "可用" : "capacity", color: "#bbbbbb", values: months.map { $0.capacityTeamDays }),
                                      .init(name: zh ? "检查家次" : "visits", color: "#ff7f0e", values: months.map { Double($0.visits) })])
        return ChartView(caption: zh ? "图1　各月检查家次、检查用时与可用执法力量" : "Figure 1. Visits, effort and capacity by month", drawing: chart.drawing())
    }

    // MARK: 年度目标与指标

    func figureTable(_ b: (total: [String], parts: [(String, Int)], across: [(String, String)], note: String?)) -> Table {
        let m = doc.metrics
        var rows: [[String]] = [b.total]
        rows += b.parts.map { [$0.0.trimmingCharacters(in: .whitespaces), String($0.1)] }
        rows += b.across.map { [$0.0, $0.1] }
        rows.append([zh ? "重点检查单位（已覆盖/总数）" : "key units covered", "\(m.keyUnitsCovered)/\(m.keyUnits)"])
        rows.append([zh ? "一般检查单位（抽中/总数）" : "general units drawn", "\(m.generalUnitsDrawn)/\(m.generalUnits)"])
        rows.append([zh ? "检查总家次 ÷ 监督检查工作日" : "visits per inspection workday", String(format: "%.3f", m.visitsPerWorkday)])
        rows.append([zh ? "检查用时/可用（组·日）" : "effort/capacity (team-days)", "\(PlanReport.f(m.effortTeamDays))/\(PlanReport.f(m.capacityTeamDays))"])
        return Table(id: "figures", header: zh ? ["计划指标", "数值"] : ["Figure", "Value"], plain: rows, numeric: [1])
    }

    func checkTable() -> Table {
        let checks = PlanReport.localized(doc.checks, of: doc, lang)
        return Table(id: "checks", header: zh ? ["规则", "内容（条款）", "实际", "要求", "结论"] : ["Rule", "What (clause)", "Figure", "Threshold", "Verdict"],
                     rows: checks.map { c in
                         Row(cells: [c.rule, PlanReport.ruleText(c, lang), PlanReport.figure(c), PlanReport.threshold(c), PlanReport.verdict(c, lang)], strong: !c.pass)
                     }, numeric: [2, 3])
    }

    func findings() -> [Finding] {
        PlanReport.localized(doc.checks, of: doc, lang).filter { !$0.pass }.map { Finding(rule: $0.rule, text: $0.message, fix: $0.fix) }
    }

    /// Each month's key inspection work (visits to key units of any kind plus campaign visits,
    /// RULES.md §7.8) over its visits, against the plan's floor.
    func shareChart() -> ChartView {
        var key = [Int: Int](), all = [Int: Int]()
        for v in doc.visits {
            all[v.month, default: 0] += 1
            let cls = report.unitIndex[v.unit].flatMap { doc.units[$0].unitClass }
            if KeyShare.counts(unitClass: cls, kind: v.visitKind) { key[v.month, default: 0] += 1 }
        }
        let months = doc.months.map { $0.month }
        let shares = months.map { KeyShare.share(key[$0] ?? 0, of: all[$0] ?? 0) * 100 }
        let floor = doc.policy.keyShareMin * 100
        let chart = BarChart(id: "chart-share", title: zh ? "各月重点检查工作量占比" : "Key inspection share by month",
                             categories: months.map { zh ? "\($0)月" : String($0) },
                             series: [.init(name: zh ? "重点检查工作量占比" : "key share", color: "#2e7d32", values: shares)],
                             reference: (floor, zh ? "不少于\(PlanReport.f(floor))%" : "floor \(PlanReport.f(floor))%"),
                             format: { String(format: "%.0f%%", $0) }, minimumTop: 100)
        return ChartView(caption: zh ? "图2　各月重点检查工作量占比（PLAN-SHARE60）" : "Figure 2. Key share by month (PLAN-SHARE60)", drawing: chart.drawing())
    }

    // MARK: 重点检查安排

    var riskLevels: [String] { RiskLevel.allCases.sorted().map { $0.rawValue } }
    func riskLabel(_ r: String) -> String { RiskLevel(rawValue: r).map { zh ? $0.zh : $0.rawValue } ?? r }
    func categoryLabel(_ c: String) -> String { Category(rawValue: c).map { $0.label(lang) } ?? c }

    /// Key units by risk level (rows) and category (columns), with the units a key visit covers.
    /// The key units counted once: by risk level and category, and those a key visit covers.
    struct KeyCounts {
        var levels: [String] = [], categories: [String] = []
        var cell: [String: [String: Int]] = [:]
        var units: [String: Int] = [:], covered: [String: Int] = [:]
        var byCategory: [String: Int] = [:]
        var total = 0, totalCovered = 0
    }

    func keyCounts() -> KeyCounts {
        var k = KeyCounts()
        for u in ownKeyUnits {
            k.cell[u.riskLevel, default: [:]][u.category, default: 0] += 1
            k.units[u.riskLevel, default: 0] += 1
            k.byCategory[u.category, default: 0] += 1
            k.total += 1
            if coveredKeyUnits.contains(u.id) { k.covered[u.riskLevel, default: 0] += 1; k.totalCovered += 1 }
        }
        let knownCategories = Category.allCases.map { $0.rawValue }
        k.categories = knownCategories.filter { k.byCategory[$0] != nil } + k.byCategory.keys.filter { !knownCategories.contains($0) }.sorted()
        k.levels = riskLevels.filter { k.units[$0] != nil } + k.units.keys.filter { !riskLevels.contains($0) }.sorted()
        return k
    }

    /// Key units by risk level (rows) and category (columns), with the units a key visit covers.
    func keyByRiskTable(_ k: KeyCounts) -> Table {
        var rows: [Row] = k.levels.map { r in
            Row(cells: [riskLabel(r)] + k.categories.map { String(k.cell[r]?[$0] ?? 0) } + [String(k.units[r] ?? 0), String(k.covered[r] ?? 0)], strong: false)
        }
        rows.append(Row(cells: [zh ? "合计" : "total"] + k.categories.map { String(k.byCategory[$0] ?? 0) } + [String(k.total), String(k.totalCovered)],
                        strong: true))
        return Table(id: "key-by-risk",
                     header: [zh ? "风险等级" : "Risk level"] + k.categories.map(categoryLabel) + (zh ? ["合计", "已安排全覆盖检查"] : ["Total", "Covered by a key visit"]),
                     rows: rows, numeric: Set(1...(k.categories.count + 2)))
    }

    func riskChart(_ k: KeyCounts) -> ChartView {
        let chart = BarChart(id: "chart-risk", title: zh ? "重点检查单位（按风险等级）" : "Key units by risk level",
                             categories: k.levels.map(riskLabel),
                             series: [.init(name: zh ? "重点检查单位" : "key units", color: "#bbbbbb", values: k.levels.map { Double(k.units[$0] ?? 0) }),
                                      .init(name: zh ? "已安排全覆盖检查" : "covered", color: "#c62828", values: k.levels.map { Double(k.covered[$0] ?? 0) })])
        return ChartView(caption: zh ? "图3　重点检查单位及已安排全覆盖检查（按风险等级）" : "Figure 3. Key units and those covered, by risk level", drawing: chart.drawing())
    }

    func townChart() -> ChartView {
        var count: [String: Int] = [:]
        for v in doc.visits { count[report.nameAndTown(v.unit).town, default: 0] += 1 }
        let towns = count.keys.sorted { (count[$0]!, $1) > (count[$1]!, $0) }
        let chart = BarChart(id: "chart-towns", title: zh ? "各街镇检查家次" : "Visits by town or street",
                             categories: towns.map { $0.isEmpty ? (zh ? "（未填）" : "(blank)") : $0 },
                             series: [.init(name: zh ? "检查家次" : "visits", color: "#1f77b4", values: towns.map { Double(count[$0]!) })],
                             horizontal: true)
        return ChartView(caption: zh ? "图4　各街镇检查家次" : "Figure 4. Visits by town or street", drawing: chart.drawing())
    }

    func months(_ ms: [Int]) -> String { ms.map { zh ? "\($0)月" : String($0) }.joined(separator: zh ? "、" : ", ") }

    /// 检查事项: one row per inspection matter, as the attachment of a filed plan lists them
    /// (PLAN-DOCUMENTS §2): basis, objects and how many, how, how often, when, who, joint or not.
    func matterTable() -> Table {
        let m = doc.metrics, p = doc.policy, who = doc.authority.name
        func monthsWith(_ n: (PlanDocument.Month) -> Int) -> String { months(doc.months.filter { n($0) > 0 }.map { $0.month }) }
        let yes = zh ? "是" : "yes", no = zh ? "否" : "no"
        var rows: [[String]] = []
        rows.append([zh ? "重点检查单位全覆盖检查" : "full coverage of key units", RuleCatalogue.describe(RuleID.keyCover.rawValue, lang),
                     zh ? "重点检查单位\(m.keyUnits)家" : "\(m.keyUnits) key units",
                     zh ? "全覆盖检查，“执法+专家”" : "full-coverage visit with an expert",
                     zh ? "1次/年/单位；上限\(p.maxVisitsPerUnit)次/年/单位" : "1/year per unit; at most \(p.maxVisitsPerUnit)",
                     String(doc.months.reduce(0) { $0 + $1.key }),
                     monthsWith { $0.key }, who, no])
        rows.append([zh ? "一般检查单位双随机抽查" : "random spot checks of general units", RuleCatalogue.describe(RuleID.generalRandom.rawValue, lang),
                     zh ? "一般检查单位\(m.generalUnits)家，“双随机”抽取\(m.generalUnitsDrawn)家（抽查比例\(PlanReport.f(p.generalSampleRate * 100))%）"
                        : "\(m.generalUnits) general units, \(m.generalUnitsDrawn) drawn (rate \(PlanReport.f(p.generalSampleRate * 100))%)",
                     zh ? "“双随机、一公开”" : "double random, results published",
                     zh ? "1次/年/单位" : "1/year per unit", String(m.randomVisits), monthsWith { $0.random }, who, no])
        for c in p.campaigns {
            rows.append([c.name, RuleCatalogue.describe(RuleID.special.rawValue, lang),
                         zh ? "符合条件单位\(c.eligible)家" : "\(c.eligible) eligible units", zh ? "专项执法" : "special campaign",
                         zh ? "按专项安排" : "as the campaign sets", String(c.visits), months(c.months), who, no])
        }
        if p.jointVisits > 0 || m.jointVisits > 0 {
            rows.append([zh ? "工业企业跨部门联合双随机抽查" : "joint cross-department random check", RuleCatalogue.describe(RuleID.joint.rawValue, lang),
                         zh ? "工业一般检查单位，“双随机”抽取" : "industrial general units, drawn at random",
                         zh ? "跨部门联合检查" : "joint check with other departments", zh ? "1次/年" : "once a year",
                         String(m.jointVisits), monthsWith { $0.joint }, who, yes])
        }
        return Table(id: "matters",
                     header: zh ? ["检查事项", "实施依据", "检查对象（含数量）", "检查方式", "检查频次和上限", "计划检查家次", "时间安排", "承办机构", "是否跨部门联合"]
                                : ["Matter", "Basis", "Objects (number)", "How", "Frequency and cap", "Visits", "Months", "Authority", "Joint"],
                     plain: rows, numeric: [5])
    }

    func campaignTable() -> Table {
        Table(id: "campaigns", header: zh ? ["专项名称", "实施月份", "计划检查家次", "符合条件单位数"] : ["Campaign", "Months", "Visits", "Eligible units"],
              plain: doc.policy.campaigns.map { [$0.name, months($0.months), String($0.visits), String($0.eligible)] }, numeric: [2, 3])
    }

    func jointTable() -> Table {
        let p = doc.policy
        let draws = doc.draws.filter { $0.drawPool == .industrial }
        var rows = [[zh ? "计划检查家次" : "visits", String(p.jointVisits)],
                    [zh ? "实施月份" : "months", months(doc.months.filter { $0.joint > 0 }.map { $0.month })],
                    [zh ? "已安排家次" : "visits placed", String(doc.metrics.jointVisits)]]
        if !draws.isEmpty { rows.append([zh ? "抽取编号" : "draws", draws.map { $0.id }.joined(separator: zh ? "、" : ", ")]) }
        return Table(id: "joint", header: zh ? ["项目", "内容"] : ["Item", "Value"], plain: rows, numeric: [])
    }

    // MARK: 双随机抽查

    func drawViews(_ words: Words) -> [DrawView] {
        doc.draws.map { d in
            let units: [[String]] = d.drawn.enumerated().map { i, id in
                let u = report.nameAndTown(id)
                return [String(i + 1), u.name, id, u.town]
            }
            let pool = zh ? (d.drawPool == .industrial ? "未抽中的工业一般检查单位" : "未抽中的一般检查单位") : d.pool
            return DrawView(id: d.id, month: zh ? "\(d.month)月" : String(d.month), pool: pool, poolSize: String(d.poolSize), k: String(d.k),
                            seed: String(d.seed), method: d.method, poolSha256: d.poolSha256, pinned: d.pinned == true,
                            units: Table(id: "drawn-\(d.id)", kind: "drawn", header: words.drawnHeader, plain: units, numeric: [0]))
        }
    }

    // MARK: 附件

    /// Rows per table of the key-unit list: a landscape page holds one such table (the style
    /// keeps each whole, `break-inside: avoid`, with its header row). Chromium lays a table out
    /// across pages in time that grows with its length times its pages: one table of 14,693
    /// rows (a 50,000-unit district) did not print in 120 s; in tables of a page they print in
    /// about 13 s (BENCHMARKS.md).
    static let keyListChunk = 45

    /// 附件：重点检查单位清单 — one row per key unit of the authority (PLAN-DOCUMENTS §2), one
    /// line each, in the compact form of a filed attachment: the rules by ID (their clauses and
    /// the policy's words are in 编制依据); the authority, the frequency and the yearly cap in the
    /// introduction (each planned visit's month is in the row).
    /// Split into tables of `keyListChunk` rows; the first has the id `key-units`, each the class.
    func keyListTable() -> [Table] {
        var months: [String: [Int]] = [:]
        for v in doc.visits { months[v.unit, default: []].append(v.month) }
        let rows: [[String]] = ownKeyUnits.enumerated().map { i, u in
            [String(i + 1), u.name, u.id, u.town, categoryLabel(u.category), riskLabel(u.riskLevel),
             u.rules.joined(separator: "、") + (u.exemption.map { zh ? "（特殊情况：\($0)）" : " (exemption: \($0))" } ?? ""),
             self.months((months[u.id] ?? []).sorted())]
        }
        let header = zh ? ["序号", "单位名称", "统一社会信用代码", "所属街镇", "行业类别", "风险等级", "纳入重点的情形", "计划检查月份"]
                        : ["No.", "Name", "Credit code", "Town", "Category", "Risk level", "Why key (rule)", "Planned months"]
        let chunks = stride(from: 0, to: max(rows.count, 1), by: Self.keyListChunk).map { Array(rows[$0..<min($0 + Self.keyListChunk, rows.count)]) }
        return chunks.enumerated().map { i, part in
            Table(id: i == 0 ? "key-units" : "key-units-\(i + 1)", kind: "key-units", header: header, plain: part, numeric: [0])
        }
    }
}

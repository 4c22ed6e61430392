import Foundation
import Ledger
import Output
import Planning
import Policy

/// How a plan reads to people: the printed summary, the quarterly and monthly CSVs.
public struct PlanReport {
    public let doc: PlanDocument
    public let lang: Lang
    /// Each unit id's first listing in `doc.units`: tables look units up by position, never
    /// through copies of the records (a large plan's tables copied 200,000 of them four times).
    let unitIndex: [String: Int]

    public init(doc: PlanDocument, lang: Lang) {
        self.doc = doc
        self.lang = lang
        unitIndex = PlanDocument.firstListings(of: doc.units)
    }

    /// Whether the unit of this id is a key unit (false for an id the plan does not list).
    func isKey(_ id: String) -> Bool { unitIndex[id].map { doc.units[$0].isKey } ?? false }
    /// The name and town of the unit of this id (empty for an id the plan does not list).
    func nameAndTown(_ id: String) -> (name: String, town: String) {
        unitIndex[id].map { (doc.units[$0].name, doc.units[$0].town) } ?? ("", "")
    }

    var zh: Bool { lang == .zh }
    /// A figure: whole numbers without decimals, others to 2 places; a number no Int holds (a
    /// tampered plan's 1e19) as Swift prints it, never trapping.
    public static func f(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e15 else { return "\(v)" }
        return v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
    }

    /// A visit kind as tables show it: 重点检查, 双随机抽查… in Chinese, the kind itself in English
    /// (and for `triggered` or a kind the vocabulary does not know).
    public static func kindLabel(_ kind: String, _ lang: Lang) -> String {
        guard lang == .zh, let k = VisitKind(rawValue: kind), k != .triggered else { return kind }
        return k.zh
    }

    /// The rule's title, e.g. 重点检查工作量占比不少于60%; the ID itself when the catalogue has none.
    /// The verifier's own lines (PLAN-FORMAT, PLAN-SCENARIO) have titles too.
    public static func ruleTitle(_ rule: String, _ lang: Lang) -> String {
        RuleCatalogue.title(rule, lang) ?? rule
    }

    /// Title and clause, e.g. 重点检查工作量占比不少于60%〔五(十二)〕.
    public static func ruleText(_ rule: String, _ lang: Lang) -> String {
        ruleTitle(rule, lang) + (RuleCatalogue.clause(rule).map { lang == .zh ? "〔\($0)〕" : " [\($0)]" } ?? "")
    }

    /// A shortfall in its unit: 14家次, 3 visits.
    public static func amount(_ value: Double, unit: String, _ lang: Lang) -> String {
        lang == .zh ? f(value) + (ShortfallUnit(rawValue: unit)?.zh ?? unit) : "\(f(value)) \(unit)"
    }

    /// 符合 / 不符合 (Chinese), PASS / FAIL (English).
    public static func verdict(pass: Bool, _ lang: Lang) -> String {
        lang == .zh ? (pass ? "符合" : "不符合") : (pass ? "PASS" : "FAIL")
    }

    /// The verdict with the shortfall: 不符合（差14家次）, FAIL (short 14 visits).
    public static func verdict(_ c: PlanDocument.RuleCheck, _ lang: Lang) -> String {
        guard !c.pass, c.shortfall > 0 else { return verdict(pass: c.pass, lang) }
        let a = amount(c.shortfall, unit: c.unit, lang)
        return lang == .zh ? "不符合（差\(a)）" : "FAIL (short \(a))"
    }

    /// The checks with their messages and fixes in `lang`: plan.json keeps them in Chinese; for
    /// English the verifier's findings are worded again (figures and verdicts stay the stored ones).
    public static func localized(_ checks: [PlanDocument.RuleCheck], of doc: PlanDocument, _ lang: Lang) -> [PlanDocument.RuleCheck] {
        guard lang != .zh else { return checks }
        let again = PlanVerifier.checks(doc)
        return checks.enumerated().map { i, c in
            guard i < again.count, again[i].rule == c.rule, again[i].pass == c.pass else { return c }
            let found = again[i].rendered(lang)
            var d = c
            d.message = found.message
            d.fix = found.fix
            return d
        }
    }

    /// Title and clause of a check's rule; a campaign's line names its campaign (PLAN-SPECIAL has
    /// one line per campaign), e.g. 专项执法「有限空间作业专项」〔四(十)〕.
    public static func ruleText(_ c: PlanDocument.RuleCheck, _ lang: Lang) -> String {
        guard c.ruleID == .special else { return ruleText(c.rule, lang) }
        let name: Substring
        if case .campaign(let campaign, _, _, _, _, _, _, _, _)? = c.finding {
            name = Substring(campaign)
        } else {
            // A check read from plan.json: the campaign is named in its message.
            let (open, close): (Character, Character) = lang == .zh ? ("「", "」") : ("\"", "\"")
            guard let a = c.message.firstIndex(of: open), let b = c.message[c.message.index(after: a)...].firstIndex(of: close) else { return ruleText(c.rule, lang) }
            name = c.message[c.message.index(after: a)..<b]
        }
        return ruleTitle(c.rule, lang) + (lang == .zh ? "「\(name)」" : " \"\(name)\"") + (RuleCatalogue.clause(c.rule).map { lang == .zh ? "〔\($0)〕" : " [\($0)]" } ?? "")
    }

    /// The rule-by-rule table: rule, title and clause, figure, threshold, verdict.
    public static func checkTable(_ checks: [PlanDocument.RuleCheck], _ lang: Lang) -> String {
        var r = TextTable(header: lang == .zh ? ["规则", "内容（条款）", "实际", "要求", "结论"] : ["rule", "what (clause)", "figure", "threshold", "verdict"],
                          align: [.left, .left, .right, .right, .left])
        for c in checks { r.add([c.rule, ruleText(c, lang), figure(c), threshold(c), verdict(c, lang)]) }
        return r.render()
    }

    /// One wrapped line per failing rule: its message and the fix.
    public static func failureLines(_ checks: [PlanDocument.RuleCheck], _ lang: Lang, prefix: String = "  ") -> String {
        checks.filter { !$0.pass }.map { c in
            TextTable.wrapNote("\(c.message)\(c.fix.map { " — \($0)" } ?? "")", indent: "\(prefix)\(c.rule): ")
        }.joined()
    }

    /// 检查总家次 and its 其中 lines, one per kind of visit, so that they add up to the total: a
    /// campaign visit to a key unit is counted once, under 专项执法 (RULES.md §7.8), and the note
    /// says so. Then the figures that count across kinds (not 其中 lines).
    public func visitBreakdown() -> (total: [String], parts: [(String, Int)], across: [(String, String)], note: String?) {
        var count: [String: Int] = [:]
        for v in doc.visits { count[v.kind, default: 0] += 1 }
        let known = VisitKind.allCases.map { $0.rawValue }
        let kinds = known.filter { $0 != VisitKind.triggered.rawValue || count[$0] != nil } + count.keys.filter { !known.contains($0) }.sorted()
        func label(_ k: String) -> String {
            switch VisitKind(rawValue: k) {
            case .key: return zh ? "其中重点检查（全覆盖）" : "  of which key-unit coverage"
            case .special: return zh ? "其中专项执法" : "  of which special campaigns"
            case .random: return zh ? "其中双随机抽查" : "  of which random spot checks"
            case .joint: return zh ? "其中跨部门联合抽查" : "  of which joint checks"
            case .triggered: return zh ? "其中触发式检查" : "  of which triggered"
            case nil: return zh ? "其中\(Self.kindLabel(k, lang))" : "  of which \(k)"
            }
        }
        let parts = kinds.map { (label($0), count[$0] ?? 0) }
        let specialToKey = doc.visits.filter { $0.visitKind == .special && isKey($0.unit) }.count
        let m = doc.metrics
        let keyish = doc.visits.filter { KeyShare.counts(unitClass: unitIndex[$0.unit].flatMap { doc.units[$0].unitClass }, kind: $0.visitKind) }.count
        let share = String(format: "%.1f%%", m.keyShare * 100)
        let across: [(String, String)] = [
            (zh ? "重点检查工作量（重点单位+专项执法）" : "key inspection work (key units + campaigns)", zh ? "\(keyish)（\(share)）" : "\(keyish) (\(share))"),
            (zh ? "对重点检查单位的检查（各类合计）" : "visits to key units (all kinds)", String(m.keyVisits)),
        ]
        let note: String? = specialToKey == 0 ? nil : (zh
            ? "注：专项执法中对重点检查单位的\(specialToKey)家次只计入“其中专项执法”一行，不重复计入重点检查（全覆盖）；它们计入重点检查工作量。"
            : "Note: \(specialToKey) campaign visits to key units are counted once, under special campaigns, not again under key-unit coverage; they count towards key inspection work.")
        return ([zh ? "检查总家次" : "visits", String(m.visits)], parts, across, note)
    }

    /// Each rule with its figure, threshold and verdict (符合/不符合); the solver status.
    public func summary() -> String {
        let w = doc.workdays
        var s = zh ? "\(doc.year)年度执法计划 — \(doc.authority.name)\n\n" : "Enforcement plan \(doc.year) — \(doc.authority.name)\n\n"
        if w.calendarProvisional {
            s += TextTable.wrapNote(zh ? "【暂定】\(doc.year)年工作日按暂定日历计算：\(w.calendarSource)" : "[PROVISIONAL] \(doc.year) workdays from a provisional calendar: \(w.calendarSource)") + "\n"
        }
        var t = TextTable(header: zh ? ["执法工作日测算", "人·日"] : ["Workdays", "person-days"])
        t.add([zh ? "国家法定工作日 × 执法人员" : "calendar workdays × certified officers", "\(w.calendar) × \(w.staff) = \(Self.f(w.gross))"])
        t.add([zh ? "其他执法工作日" : "other enforcement", Self.f(w.otherEnforcement)])
        t.add([zh ? "非执法工作日" : "non-enforcement", Self.f(w.nonEnforcement)])
        if let b = w.borrowed { t.add([zh ? "执法力量调入（全市调度单）" : "borrowed (city dispatch orders)", "+" + Self.f(b)]) }
        if let l = w.lent { t.add([zh ? "执法力量调出（全市调度单）" : "lent (city dispatch orders)", "−" + Self.f(l)]) }
        t.add([zh ? "监督检查工作日" : "inspection workdays", Self.f(w.inspection)])
        s += t.render() + "\n"
        var k = TextTable(header: zh ? ["计划指标", "数值"] : ["Plan figures", "value"])
        let b = visitBreakdown()
        k.add(b.total)
        for (label, n) in b.parts { k.add([label, String(n)]) }
        for (label, v) in b.across { k.add([label, v]) }
        let m = doc.metrics
        k.add([zh ? "重点检查单位（已覆盖/总数）" : "key units covered", "\(m.keyUnitsCovered)/\(m.keyUnits)"])
        k.add([zh ? "一般检查单位（抽中/总数）" : "general units drawn", "\(m.generalUnitsDrawn)/\(m.generalUnits)"])
        k.add([zh ? "检查用时/可用（组·日）" : "effort/capacity (team-days)", "\(Self.f(m.effortTeamDays))/\(Self.f(m.capacityTeamDays))"])
        s += k.render()
        if let note = b.note { s += TextTable.wrapNote(note) }
        s += "\n"
        let checks = Self.localized(doc.checks, of: doc, lang)
        s += Self.checkTable(checks, lang)
        if checks.contains(where: { !$0.pass }) {
            s += zh ? "\n未达标项及调整建议：\n" : "\nShortfalls and fixes:\n"
            s += Self.failureLines(checks, lang)
        }
        let sv = doc.solver
        s += "\n" + TextTable.wrapNote(zh ? "求解：GLPK \(sv.status)，相对间隙 \(String(format: "%.2g", sv.mipGap))，用时 \(String(format: "%.3f", sv.seconds)) 秒（类别层面整数规划 \(sv.stages.count) 个：\(sv.stages.map { "\($0.name) \($0.status)" }.joined(separator: "，"))；单位按优先级排入月份）"
                : "Solver: GLPK \(sv.status), gap \(String(format: "%.2g", sv.mipGap)), \(String(format: "%.3f", sv.seconds)) s (class-level integer programs: \(sv.stages.map { "\($0.name) \($0.status)" }.joined(separator: ", ")); units placed by priority)")
        return s
    }

    public static func figure(_ c: PlanDocument.RuleCheck) -> String {
        switch c.ruleID {
        case .share60?: return String(format: "%.1f%%", c.figure * 100)
        case .ratioBureau?, .ratioLocal?: return String(format: "%.3f", c.figure)
        default: return f(c.figure)
        }
    }
    /// The threshold as the rule compares with it: ≥ a minimum, ≤ a cap, 0 problems.
    public static func threshold(_ c: PlanDocument.RuleCheck) -> String {
        if c.ruleID == .share60 { return String(format: "≥%.0f%%", c.threshold * 100) }
        switch c.ruleID?.comparison {
        case .atMost?: return "≤" + f(c.threshold)
        case .noProblems?: return "0"
        case .atLeast?, nil: return "≥" + f(c.threshold)
        }
    }

    // MARK: - Quarterly and monthly plans (PLAN-DECOMPOSE)

    public var monthlyHeader: [String] {
        zh ? ["月份", "检查类型", "执法检查专题", "检查数量", "其中重点检查单位", "检查用时（组·日）", "可用（组·日）", "工作日"]
           : ["month", "kind", "topic", "visits", "to key units", "effort (team-days)", "capacity (team-days)", "workdays"]
    }

    /// One row per month and kind of inspection (and campaign).
    public var monthlyRows: [[String]] {
        var rows: [[String]] = []
        for month in doc.months {
            let vs = doc.visits.filter { $0.month == month.month }
            var groups: [(String, String?)] = []
            for v in vs where !groups.contains(where: { $0.0 == v.kind && $0.1 == v.campaign }) { groups.append((v.kind, v.campaign)) }
            for (kind, campaign) in groups {
                let g = vs.filter { $0.kind == kind && $0.campaign == campaign }
                let topic = campaign ?? Self.kindLabel(kind, lang)
                let effort = Double(g.count) * doc.policy.effort.teamDays(for: kind)
                rows.append([zh ? "\(month.month)月" : String(month.month), Self.kindLabel(kind, lang), topic, String(g.count),
                             String(g.filter { isKey($0.unit) }.count), Self.f(effort), Self.f(month.capacityTeamDays), String(month.workdays)])
            }
            if vs.isEmpty {
                rows.append([zh ? "\(month.month)月" : String(month.month), "", "", "0", "0", "0", Self.f(month.capacityTeamDays), String(month.workdays)])
            }
        }
        return rows
    }

    public var quarterlyHeader: [String] {
        zh ? ["季度", "检查总家次", "重点检查", "专项执法", "双随机抽查", "跨部门联合抽查", "检查用时（组·日）", "可用（组·日）", "工作日", "检查重点"]
           : ["quarter", "visits", "key", "special", "random", "joint", "effort (team-days)", "capacity (team-days)", "workdays", "focus"]
    }

    public var quarterlyRows: [[String]] {
        (1...4).map { q in
            let ms = doc.months.filter { ($0.month - 1) / 3 + 1 == q }
            let campaigns = Set(doc.visits.filter { ($0.month - 1) / 3 + 1 == q && $0.visitKind == .special }.compactMap { $0.campaign }).sorted()
            let focus = (zh ? ["重点检查单位全覆盖（高风险优先）"] : ["full coverage of key units, higher risk first"]) + campaigns
            return [zh ? "第\(q)季度" : "Q\(q)", String(ms.reduce(0) { $0 + $1.visits }), String(ms.reduce(0) { $0 + $1.key }),
                    String(ms.reduce(0) { $0 + $1.special }), String(ms.reduce(0) { $0 + $1.random }), String(ms.reduce(0) { $0 + $1.joint }),
                    Self.f(ms.reduce(0) { $0 + $1.effortTeamDays }), Self.f(ms.reduce(0) { $0 + $1.capacityTeamDays }),
                    String(ms.reduce(0) { $0 + $1.workdays }), focus.joined(separator: "；")]
        }
    }

    /// The key-unit list (附件清单) rows: 序号, 单位名称, 统一社会信用代码, 所属街镇, 行业类别,
    /// 纳入重点的情形, 检查频次, 计划检查月份, 承办机构.
    public var keyListHeader: [String] {
        zh ? ["序号", "单位名称", "统一社会信用代码", "所属街镇", "行业类别", "纳入重点的情形", "特殊情况说明", "检查频次", "计划检查月份", "承办机构"]
           : ["No.", "Name", "Credit code", "Town", "Category", "Rules", "Exemption", "Frequency", "Planned months", "Authority"]
    }

    public var keyListRows: [[String]] {
        var months: [String: [Int]] = [:]
        for v in doc.visits { months[v.unit, default: []].append(v.month) }
        let cap = doc.policy.maxVisitsPerUnit
        return doc.units.filter { $0.ownUnit && $0.isKey }.enumerated().map { i, u in
            let category = Category(rawValue: u.category).map { $0.label(lang) } ?? u.category
            return [String(i + 1), u.name, u.id, u.town, category, u.rules.map { RuleCatalogue.describe($0, lang) }.joined(separator: "；\n"), u.exemption ?? "",
                    zh ? "\(u.requiredVisits)次/年；上限\(cap)次/年" : "\(u.requiredVisits)/year; at most \(cap)",
                    (months[u.id] ?? []).sorted().map { zh ? "\($0)月" : String($0) }.joined(separator: "、"), u.authority]
        }
    }

    /// 双随机抽取记录, what 一公开 publishes: one row per unit drawn, with the draw's seed, method
    /// and the full SHA-256 of its pool in a column of its own (a draw that took no unit keeps one row).
    public var drawHeader: [String] {
        zh ? ["抽取编号", "月份", "抽取池", "池中单位数", "抽取数", "种子", "方法", "抽取池SHA-256", "序号", "抽中单位名称", "统一社会信用代码", "所属街镇"]
           : ["draw", "month", "pool", "pool size", "k", "seed", "method", "pool SHA-256", "no.", "unit drawn", "credit code", "town"]
    }

    /// The column of `drawHeader` holding the pool's SHA-256.
    static let drawShaColumn = 7

    public var drawRows: [[String]] {
        return doc.draws.flatMap { d -> [[String]] in
            let head = [d.id, String(d.month), zh ? (d.drawPool == .industrial ? "未抽中的工业一般检查单位" : "未抽中的一般检查单位") : d.pool,
                        String(d.poolSize), String(d.k), String(d.seed), d.method, d.poolSha256]
            if d.drawn.isEmpty { return [head + ["", "", "", ""]] }
            return d.drawn.enumerated().map { i, id in
                let u = nameAndTown(id)
                return head + [String(i + 1), u.name, id, u.town]
            }
        }
    }

    public var visitHeader: [String] {
        zh ? ["检查编号", "月份", "单位名称", "统一社会信用代码", "所属街镇", "检查类型", "专项", "抽取编号"]
           : ["visit", "month", "name", "credit code", "town", "kind", "campaign", "draw"]
    }

    public var visitRows: [[String]] {
        return doc.visits.map { v in
            let u = nameAndTown(v.unit)
            return [v.id, String(v.month), u.name, v.unit, u.town, Self.kindLabel(v.kind, lang), v.campaign ?? "", v.draw ?? ""]
        }
    }

    /// The files `write(to:)` puts in a folder, plan.json first.
    public var fileNames: [String] {
        ["plan.json"] + (zh ? ["季度计划.csv", "月度计划.csv", "重点检查单位清单.csv", "检查安排.csv", "双随机抽取记录.csv", "执法计划.xlsx"]
                            : ["quarterly.csv", "monthly.csv", "key-units.csv", "visits.csv", "draws.csv", "plan.xlsx"])
            + [PlanHTML.fileName(lang)]
    }

    /// Writes plan.json, the CSVs, the workbook and the printable plan (`PlanHTML`) into `dir`. All or nothing is the caller's:
    /// write into an `OutputFolder`'s staging folder and commit it (the CLI does). `lap` is told
    /// when each kind of file is written ("plan.json", "tables", "CSVs", "XLSX": planner-bench times them).
    public func write(to dir: String, lap: (String) -> Void = { _ in }) throws {
        try FileOutput.makeDirectory(dir)
        let names = Array(fileNames.dropFirst())
        // Two at a time, on the machine's cores: the tables (computed once, for the CSVs and the
        // sheets), plan.json and the CSVs, beside the workbook, the longest piece, whose summary
        // sheet needs no table and whose table sheets wait for them. (The tables come first, in
        // the first piece: one core runs the pieces in order, and the second never waits for
        // nothing.) The files are the same as written one after the other.
        // The templates first: a missing bundle fails before any file is written.
        let templates = try PlanHTML.library()
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var tables: PlanWorkbook.Rows?
        try Self.together({
            let rows = PlanWorkbook.Rows(quarterly: quarterlyRows, monthly: monthlyRows, keyList: keyListRows, visits: visitRows, draws: drawRows)
            tables = rows
            ready.signal()
            try doc.writeJSON(to: "\(dir)/plan.json")
            try CSVOutput.write(path: "\(dir)/\(names[0])", header: quarterlyHeader, rows: rows.quarterly, bom: true)
            try CSVOutput.write(path: "\(dir)/\(names[1])", header: monthlyHeader, rows: rows.monthly, bom: true)
            try CSVOutput.write(path: "\(dir)/\(names[2])", header: keyListHeader, rows: rows.keyList, bom: true)
            try CSVOutput.write(path: "\(dir)/\(names[3])", header: visitHeader, rows: rows.visits, bom: true)
            try CSVOutput.write(path: "\(dir)/\(names[4])", header: drawHeader, rows: rows.draws, bom: true)
            let html = PlanHTML(report: self, quarterlyRows: rows.quarterly, monthlyRows: rows.monthly)
            try FileOutput.write(Data(try html.render(library: templates).utf8), to: "\(dir)/\(names[6])")
        }, {
            try PlanWorkbook(report: self, rows: {
                ready.wait()
                return tables!
            }).write(to: "\(dir)/\(names[5])")
        })
        lap("files")
    }

    /// Runs two pieces of work at the same time and waits for both; the first one's error wins
    /// when both fail (the order the files were written in one after the other).
    ///
    /// The second may wait for something the first does before it can fail: the pieces are
    /// taken in order (one thread runs the first, then the second, when there is only one core),
    /// so the first has always started when the second waits.
    static func together(_ first: () throws -> Void, _ second: () throws -> Void) throws {
        final class Errors: @unchecked Sendable {
            private let lock = NSLock()
            private var errors: [Int: Error] = [:]
            func record(_ i: Int, _ e: Error) { lock.lock(); errors[i] = e; lock.unlock() }
            var first: Error? { lock.lock(); defer { lock.unlock() }; return errors[0] ?? errors[1] }
        }
        try withoutActuallyEscaping(first) { first in
            try withoutActuallyEscaping(second) { second in
                nonisolated(unsafe) let jobs = [first, second]
                let errors = Errors()
                DispatchQueue.concurrentPerform(iterations: 2) { i in
                    do { try jobs[i]() } catch { errors.record(i, error) }
                }
                if let e = errors.first { throw e }
            }
        }
    }
}

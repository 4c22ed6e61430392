import Foundation
import Ledger
import Policy

// What `planner verify` checks of a plan before its rules: that the file is well formed
// (PLAN-FORMAT), that every draw is a published draw (seed, id, method), and — given the
// scenario — what the plan states of its scenario (PLAN-SCENARIO). Every number read from a
// file is range-checked here, and the rules convert numbers only through the helpers below,
// so no plan.json, however made, can trap the verifier.

/// ⌈v⌉ as an Int without trapping: NaN is 0, anything beyond ±10^15 is clamped there.
func ceilInt(_ v: Double) -> Int { PolicyArithmetic.ceiling(v) }

/// A count read from a file, clamped to 0…2^40 so that sums and differences cannot overflow.
func clampCount(_ v: Int) -> Int { min(max(v, 0), 1 << 40) }

/// A figure for a message: whole numbers without decimals, others to 2 places; numbers no Int
/// holds (or not finite) as Swift prints them.
func safeFigure(_ v: Double) -> String {
    guard v.isFinite, abs(v) < 1e15 else { return "\(v)" }
    return v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
}

extension PlanVerifier {
    /// Statuses of a solver (and its stages) that produced a plan: `optimal`, `within_gap`
    /// (a solution within the MIP gap) or `time_limit` (the best solution found in time).
    public static let solvedStatuses = Set(SolverState.allCases.filter(\.hasSolution).map(\.rawValue))

    /// PLAN-FORMAT: what makes a plan.json not a plan (DATA.md §4), each naming the JSON path and
    /// its value: the schema, numbers out of range (not finite, negative counts, months outside
    /// 1–12, shares above 1 …), `months` not the twelve months once each, duplicate unit ids,
    /// unknown kinds or campaigns, a solver status that is not a solution. Draws are checked by
    /// `drawRecordProblems` (FREQ-GENERAL-RANDOM).
    public static func formatProblems(_ doc: PlanDocument) -> [Phrase] {
        var out: [Phrase] = []
        func bad(_ path: String, _ value: String, _ why: String, _ whyEn: String) {
            out.append(Phrase("\(path) = \(value)：\(why)", "\(path) = \(value): \(whyEn)"))
        }
        // Paths are built only for a finding (a large plan checks a million fields).
        func int(_ path: @autoclosure () -> String, _ v: Int, _ r: ClosedRange<Int>) {
            if !r.contains(v) { bad(path(), "\(v)", "应在\(r.lowerBound)–\(r.upperBound)之间", "expected \(r.lowerBound)–\(r.upperBound)") }
        }
        func real(_ path: @autoclosure () -> String, _ v: Double, _ r: ClosedRange<Double>) {
            if !(v.isFinite && r.contains(v)) {
                bad(path(), "\(v)", "应为\(safeFigure(r.lowerBound))–\(safeFigure(r.upperBound))之间的有限数", "expected a finite number in \(safeFigure(r.lowerBound))–\(safeFigure(r.upperBound))")
            }
        }
        func text(_ s: String) -> String { "\"\(s)\"" }
        let big = 1_000_000_000, bigReal = 1e12

        if doc.schema != "enforcement-plan/1" { bad("schema", text(doc.schema), "应为 enforcement-plan/1", "expected enforcement-plan/1") }
        int("year", doc.year, 1000...9999)
        if AuthorityLevel(rawValue: doc.authority.level) == nil {
            bad("authority.level", text(doc.authority.level), "应为 city、district、town 或 zone", "expected city, district, town or zone")
        }

        if let prev = doc.previousPlan {
            int("previous_plan.from_month", prev.fromMonth, 1...12)
            for (i, m) in prev.keptMonths.enumerated() { int("previous_plan.kept_months[\(i)]", m, 1...12) }
            if let h = prev.sha256, h.utf8.count != 64 || !h.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) {
                bad("previous_plan.sha256", text(String(h.prefix(80))), "应为64位小写十六进制", "expected 64 lowercase hex digits")
            }
        }

        let w = doc.workdays
        int("workdays.calendar", w.calendar, 0...366)
        int("workdays.staff", w.staff, 0...big)
        // Person-days may be negative: staffing and what-if plans lower deductions below zero as a
        // lever, and deductions above the gross leave negative inspection days.
        real("workdays.gross", w.gross, -bigReal...bigReal)
        real("workdays.other_enforcement", w.otherEnforcement, -bigReal...bigReal)
        real("workdays.non_enforcement", w.nonEnforcement, -bigReal...bigReal)
        real("workdays.inspection", w.inspection, -bigReal...bigReal)
        for (i, item) in w.otherEnforcementItems.enumerated() { real("workdays.other_enforcement_items[\(i)].days", item.days, -bigReal...bigReal) }
        for (i, item) in w.nonEnforcementItems.enumerated() { real("workdays.non_enforcement_items[\(i)].days", item.days, -bigReal...bigReal) }

        // The workday figures add up (执法工作日测算, DATA.md §3): gross ≤ staff × calendar
        // workdays (less with officers on the staff part of the year), each deduction the sum of
        // its items, inspection = max(0, gross − other − non-enforcement).
        func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(a), abs(b)) }
        if w.gross.isFinite && w.gross > Double(w.staff) * Double(w.calendar) + 1e-6 {
            bad("workdays.gross", "\(w.gross)", "超过执法人员\(w.staff)人×法定工作日\(w.calendar)天", "more than \(w.staff) officers × \(w.calendar) workdays")
        }
        let otherSum = w.otherEnforcementItems.reduce(0) { $0 + $1.days }, nonSum = w.nonEnforcementItems.reduce(0) { $0 + $1.days }
        if !near(w.otherEnforcement, otherSum) {
            bad("workdays.other_enforcement", "\(w.otherEnforcement)", "与各项之和\(otherSum)不符", "differs from the sum of its items, \(otherSum)")
        }
        if !near(w.nonEnforcement, nonSum) {
            bad("workdays.non_enforcement", "\(w.nonEnforcement)", "与各项之和\(nonSum)不符", "differs from the sum of its items, \(nonSum)")
        }
        // Dispatch orders (TIER-DISPATCH) add borrowed and take lent person-days; an authority
        // lends no more than its own.
        if let b = w.borrowed { real("workdays.borrowed", b, 0...bigReal) }
        if let l = w.lent { real("workdays.lent", l, 0...bigReal) }
        let own = max(0, w.gross - w.otherEnforcement - w.nonEnforcement)
        let inspection = own + (w.borrowed ?? 0) - (w.lent ?? 0)
        if let l = w.lent, l.isFinite, l > own + 1e-6 {
            bad("workdays.lent", "\(l)", "超过本主体的监督检查工作日\(own)", "more than the authority's own inspection workdays, \(own)")
        } else if !near(w.inspection, inspection) {
            bad("workdays.inspection", "\(w.inspection)", w.borrowed == nil && w.lent == nil ? "应为总工作日减去扣除 = \(inspection)" : "应为总工作日减去扣除，加调入减调出 = \(inspection)",
                w.borrowed == nil && w.lent == nil ? "expected gross minus deductions = \(inspection)" : "expected gross minus deductions plus borrowed minus lent = \(inspection)")
        }

        let m = doc.metrics
        for (name, v) in [("visits", m.visits), ("key_visits", m.keyVisits), ("special_visits", m.specialVisits), ("key_units", m.keyUnits),
                          ("key_units_covered", m.keyUnitsCovered), ("general_units", m.generalUnits), ("general_units_drawn", m.generalUnitsDrawn),
                          ("random_visits", m.randomVisits), ("joint_visits", m.jointVisits)] {
            int("metrics.\(name)", v, 0...big)
        }
        real("metrics.key_share", m.keyShare, 0...1)
        for (name, v) in [("visits_per_workday", m.visitsPerWorkday), ("effort_team_days", m.effortTeamDays), ("capacity_team_days", m.capacityTeamDays)] {
            real("metrics.\(name)", v, 0...bigReal)
        }

        var unitIds = Set<String>(minimumCapacity: doc.units.count)
        for i in doc.units.indices {
            let id = doc.units[i].id
            if id.isEmpty { bad("units[\(i)].id", text(id), "单位编号为空", "empty unit id") }
            else if !unitIds.insert(id).inserted { bad("units[\(i)].id", text(id), "单位编号重复", "the unit is listed twice") }
            if UnitClass(rawValue: doc.units[i].class) == nil { bad("units[\(i)].class", text(doc.units[i].class), "应为 key 或 general", "expected key or general") }
            int("units[\(i)].required_visits", doc.units[i].requiredVisits, 0...12)
            real("units[\(i)].draw_weight", doc.units[i].drawWeight, 0...1e9)
        }

        let campaignNames = Set(doc.policy.campaigns.map { $0.name })
        for (i, v) in doc.visits.enumerated() {
            int("visits[\(i)].month", v.month, 1...12)
            if v.visitKind == nil {
                bad("visits[\(i)].kind", text(v.kind), "应为 key、special、random、joint 或 triggered", "expected key, special, random, joint or triggered")
            }
            if v.visitKind == .special && !campaignNames.contains(v.campaign ?? "") {
                bad("visits[\(i)].campaign", v.campaign.map(text) ?? "null", "专项检查须属于 policy.campaigns 中的专项", "a campaign visit must name a campaign of policy.campaigns")
            }
        }

        if doc.months.isEmpty { bad("months", "[]", "应逐月列出1–12月", "expected the twelve months 1–12") }
        var seenMonths = Set<Int>()
        for (i, mo) in doc.months.enumerated() {
            int("months[\(i)].month", mo.month, 1...12)
            if (1...12).contains(mo.month) && !seenMonths.insert(mo.month).inserted {
                bad("months[\(i)].month", "\(mo.month)", "月份重复", "the month is listed twice")
            }
            int("months[\(i)].workdays", mo.workdays, 0...31)
            real("months[\(i)].capacity_team_days", mo.capacityTeamDays, 0...bigReal)
            real("months[\(i)].effort_team_days", mo.effortTeamDays, 0...bigReal)
            for (name, v) in [("visits", mo.visits), ("key", mo.key), ("random", mo.random), ("special", mo.special), ("joint", mo.joint)] {
                int("months[\(i)].\(name)", v, 0...big)
            }
        }
        // The months' workdays are the calendar's, and their team-days at most what the inspection
        // workdays give (two officers a team, less the reserve; each month rounded to 0.01).
        if doc.months.count == 12 && seenMonths.count == 12 {
            let days = doc.months.reduce(0) { $0 &+ clampCount($1.workdays) }
            if days != w.calendar {
                bad("months[].workdays", "\(days)", "各月工作日之和应为 workdays.calendar = \(w.calendar)", "the months' workdays should add up to workdays.calendar = \(w.calendar)")
            }
            let capacity = doc.months.reduce(0.0) { $0 + $1.capacityTeamDays }
            let most = WorkdayBudget.teamDays(personDays: max(0, w.inspection), reserveShare: doc.policy.reserveShare) + 0.01 * 12
            if capacity.isFinite && most.isFinite && capacity > most {
                bad("months[].capacity_team_days", safeFigure(capacity), "超过监督检查工作日可组成的组·日\(safeFigure(most))", "more than the inspection workdays give, \(safeFigure(most)) team-days")
            }
        }
        let missingMonths = (1...12).filter { !seenMonths.contains($0) }
        if !doc.months.isEmpty && !missingMonths.isEmpty {
            bad("months", "[" + doc.months.map { String($0.month) }.joined(separator: ",") + "]",
                "缺少" + missingMonths.map { "\($0)月" }.joined(separator: "、"), "months " + missingMonths.map(String.init).joined(separator: ", ") + " are missing")
        }

        let p = doc.policy
        real("policy.key_share_min", p.keyShareMin, 0...1)
        real("policy.visits_per_workday_min", p.visitsPerWorkdayMin, 0...100)
        real("policy.general_sample_rate", p.generalSampleRate, 0...1)
        int("policy.max_visits_per_unit", p.maxVisitsPerUnit, 1...12)
        int("policy.increased_visits", p.increasedVisits, 1...12)
        real("policy.reserve_share", p.reserveShare, 0...0.9)
        real("policy.monthly_tolerance", p.monthlyTolerance, 0...1)
        real("policy.effort_key", p.effortKey, 0...1000)
        real("policy.effort_general", p.effortGeneral, 0...1000)
        real("policy.effort_special", p.effortSpecial, 0...1000)
        var names = Set<String>()
        for (i, c) in p.campaigns.enumerated() {
            if c.name.isEmpty || !names.insert(c.name).inserted {
                bad("policy.campaigns[\(i)].name", text(c.name), "专项名称为空或重复", "empty or repeated campaign name")
            }
            if c.months.isEmpty { bad("policy.campaigns[\(i)].months", "[]", "专项须有月份", "a campaign needs months") }
            var cm = Set<Int>()
            for (j, x) in c.months.enumerated() {
                int("policy.campaigns[\(i)].months[\(j)]", x, 1...12)
                if !cm.insert(x).inserted { bad("policy.campaigns[\(i)].months[\(j)]", "\(x)", "月份重复", "the month is listed twice") }
            }
            int("policy.campaigns[\(i)].visits", c.visits, 0...1_000_000)
            int("policy.campaigns[\(i)].eligible", c.eligible, 0...big)
        }
        int("policy.joint_visits", p.jointVisits, 0...100_000)
        for (j, x) in p.jointMonths.enumerated() { int("policy.joint_months[\(j)]", x, 1...12) }

        if !solvedStatuses.contains(doc.solver.status) {
            bad("solver.status", text(doc.solver.status), "求解器未给出可行方案（应为 optimal、within_gap 或 time_limit）",
                "the solver gave no plan (expected optimal, within_gap or time_limit)")
        }
        for (i, st) in doc.solver.stages.enumerated() where !solvedStatuses.contains(st.status) {
            bad("solver.stages[\(i)].status", text(st.status), "该阶段未求得方案", "the stage found no solution")
        }
        for (name, v) in [("objective", doc.solver.objective), ("mip_gap", doc.solver.mipGap), ("seconds", doc.solver.seconds)] where !v.isFinite {
            bad("solver.\(name)", "\(v)", "应为有限数", "expected a finite number")
        }
        // The gap is what the proof of optimality leaves open: none when optimal, never negative.
        for (path, status, g) in [("solver", doc.solver.status, doc.solver.mipGap)]
            + doc.solver.stages.enumerated().map({ ("solver.stages[\($0.offset)]", $0.element.status, $0.element.mipGap) }) where g.isFinite {
            if g < 0 || (SolverState.isOptimal(status) && g > 1e-9) {
                bad("\(path).mip_gap", "\(g)", SolverState.isOptimal(status) ? "求解状态为最优时差距应为0" : "差距不能为负",
                    SolverState.isOptimal(status) ? "an optimal solution leaves no gap" : "a gap is never negative")
            }
        }
        if doc.solver.level != "class" {
            bad("solver.level", text(doc.solver.level), "应为 class（类别层面的整数规划）", "expected class (the class-level integer programs)")
        }
        return out
    }

    /// A draw's record against the documented scheme (DATA.md §5): the plan's published seed (and
    /// the scenario's), the method `sha256-weighted/1`, a month 1–12, a pool `general` or
    /// `industrial`, the id the planner gives it (`D-YYYY-MM` / `J-YYYY-MM`, `…-n` only after
    /// kept draws of a re-plan hold the lower ids), `k` ≥ 1 (the planner draws only where it
    /// needs units), and `drawn` as long as `min(k, pool_size)` without repeats. Only a sound
    /// record is re-run.
    static func drawRecordProblems(_ d: PlanDocument.Draw, plan: PlanDocument, scenarioSeed: UInt64?, pinned: Set<String>) -> [Phrase] {
        var out: [Phrase] = []
        if d.seed != plan.seed {
            out.append(Phrase("\(d.id)：种子\(d.seed)不是计划公布的种子\(plan.seed)", "\(d.id): seed \(d.seed) is not the plan's published seed \(plan.seed)"))
        }
        if let s = scenarioSeed, d.seed != s {
            out.append(Phrase("\(d.id)：种子\(d.seed)不是场景公布的种子\(s)", "\(d.id): seed \(d.seed) is not the scenario's published seed \(s)"))
        }
        if d.method != RandomDraw.method {
            out.append(Phrase("\(d.id)：抽取方法「\(d.method)」未定义（应为 \(RandomDraw.method)）", "\(d.id): unknown draw method \"\(d.method)\" (expected \(RandomDraw.method))"))
        }
        let monthOK = (1...12).contains(d.month)
        if !monthOK { out.append(Phrase("\(d.id)：month = \(d.month)，应在1–12之间", "\(d.id): month = \(d.month), expected 1–12")) }
        if let pool = d.drawPool {
            guard monthOK else { return out + Self.drawnProblems(d) }
            let industrial = pool == .industrial
            let base = Placement.drawIdBase(industrial: industrial, year: plan.year, month: d.month)
            let expected: Phrase
            let ok: Bool
            if d.pinned == true {
                expected = Phrase(base + "或" + base + "-n", base + " or " + base + "-n")
                let suffix = d.id.hasPrefix(base + "-") ? String(d.id.dropFirst(base.count + 1)) : ""
                ok = d.id == base || (Int(suffix).map { $0 >= 2 && String($0) == suffix } ?? false)
            } else {
                let id = Placement.drawId(industrial: industrial, year: plan.year, month: d.month, taken: pinned)
                expected = Phrase(both: id)
                ok = d.id == id
            }
            if !ok {
                out.append(Phrase("\(d.id)：抽取编号不符合编号规则，应为\(expected.zh)（DATA.md §5）", "\(d.id): the draw id does not follow the scheme, expected \(expected.en) (DATA.md §5)"))
            }
        } else {
            out.append(Phrase("\(d.id)：抽取池「\(d.pool)」未定义（应为 general 或 industrial）", "\(d.id): unknown pool \"\(d.pool)\" (expected general or industrial)"))
        }
        return out + drawnProblems(d)
    }

    /// A draw's k, pool size and units drawn (DATA.md §5).
    static func drawnProblems(_ d: PlanDocument.Draw) -> [Phrase] {
        var out: [Phrase] = []
        if d.k < 1 || d.k > 100_000_000 || d.poolSize < 0 || d.poolSize > 100_000_000 {
            out.append(Phrase("\(d.id)：k = \(d.k)、pool_size = \(d.poolSize)超出范围", "\(d.id): k = \(d.k), pool_size = \(d.poolSize) out of range"))
        } else if d.drawn.count != min(d.k, d.poolSize) {
            out.append(Phrase("\(d.id)：抽中\(d.drawn.count)家，应为min(k = \(d.k), pool_size = \(d.poolSize))", "\(d.id): \(d.drawn.count) drawn, expected min(k = \(d.k), pool_size = \(d.poolSize))"))
        }
        if Set(d.drawn).count != d.drawn.count {
            out.append(Phrase("\(d.id)：抽中单位重复", "\(d.id): a unit is drawn twice"))
        }
        return out
    }

    /// The plan as its scenario makes it, and where the plan states otherwise (PLAN-SCENARIO).
    /// Without a scenario the plan is its own reference.
    static func reference(_ doc: PlanDocument, context: PlanContext?) -> (PlanDocument, [Phrase]) {
        guard let ctx = context else { return (doc, []) }
        var problems: [Phrase] = []
        func differAt(_ path: Phrase, _ plan: String, _ scenario: String) {
            problems.append(Phrase("\(path.zh)：计划为\(plan)，场景为\(scenario)", "\(path.en): the plan states \(plan), the scenario \(scenario)"))
        }
        func differ(_ path: String, _ plan: String, _ scenario: String) { differAt(Phrase(both: path), plan, scenario) }
        func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }
        func real(_ path: String, _ a: Double, _ b: Double) { if !same(a, b) { differ(path, "\(a)", "\(b)") } }
        func int(_ path: String, _ a: Int, _ b: Int) { if a != b { differ(path, "\(a)", "\(b)") } }
        func list(_ ms: [Int]) -> String { "[" + ms.map(String.init).joined(separator: ",") + "]" }
        let s = ctx.scenario
        var ref = doc

        if doc.seed != s.seed { differ("seed", "\(doc.seed)", "\(s.seed)") }
        int("year", doc.year, s.year)
        if doc.authority.name != s.authority.name { differ("authority.name", doc.authority.name, s.authority.name) }
        if doc.authority.level != s.authority.level.rawValue { differ("authority.level", doc.authority.level, s.authority.level.rawValue) }
        ref.seed = s.seed
        ref.year = s.year
        ref.authority.name = s.authority.name
        ref.authority.level = s.authority.level.rawValue

        let w = Placement.workdaysInfo(ctx), pw = doc.workdays
        int("workdays.calendar", pw.calendar, w.calendar)
        int("workdays.staff", pw.staff, w.staff)
        real("workdays.gross", pw.gross, w.gross)
        real("workdays.other_enforcement", pw.otherEnforcement, w.otherEnforcement)
        real("workdays.non_enforcement", pw.nonEnforcement, w.nonEnforcement)
        real("workdays.inspection", pw.inspection, w.inspection)
        ref.workdays = w

        let pol = Placement.policyInfo(ctx), pp = doc.policy
        real("policy.key_share_min", pp.keyShareMin, pol.keyShareMin)
        real("policy.visits_per_workday_min", pp.visitsPerWorkdayMin, pol.visitsPerWorkdayMin)
        real("policy.general_sample_rate", pp.generalSampleRate, pol.generalSampleRate)
        int("policy.max_visits_per_unit", pp.maxVisitsPerUnit, pol.maxVisitsPerUnit)
        int("policy.increased_visits", pp.increasedVisits, pol.increasedVisits)
        real("policy.reserve_share", pp.reserveShare, pol.reserveShare)
        real("policy.monthly_tolerance", pp.monthlyTolerance, pol.monthlyTolerance)
        real("policy.effort_key", pp.effortKey, pol.effortKey)
        real("policy.effort_general", pp.effortGeneral, pol.effortGeneral)
        real("policy.effort_special", pp.effortSpecial, pol.effortSpecial)
        int("policy.joint_visits", pp.jointVisits, pol.jointVisits)
        if pp.jointMonths.sorted() != pol.jointMonths.sorted() { differ("policy.joint_months", list(pp.jointMonths), list(pol.jointMonths)) }
        let stated = Dictionary(pp.campaigns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for c in pol.campaigns {
            guard let sc = stated[c.name] else {
                problems.append(Phrase("专项「\(c.name)」：场景要求\(c.visits)家次（\(list(c.months))月），计划未列出",
                                   "campaign \"\(c.name)\": the scenario asks for \(c.visits) visits (months \(list(c.months))), the plan does not list it"))
                continue
            }
            if sc.months.sorted() != c.months.sorted() { differAt(Phrase("专项「\(c.name)」months", "campaign \"\(c.name)\" months"), list(sc.months), list(c.months)) }
            if sc.visits != c.visits { differAt(Phrase("专项「\(c.name)」visits", "campaign \"\(c.name)\" visits"), "\(sc.visits)", "\(c.visits)") }
            if sc.eligible != c.eligible { differAt(Phrase("专项「\(c.name)」eligible", "campaign \"\(c.name)\" eligible"), "\(sc.eligible)", "\(c.eligible)") }
            if sc.match != c.match { differAt(Phrase("专项「\(c.name)」match", "campaign \"\(c.name)\" match"), "\(sc.match)", "\(c.match)") }
        }
        let scenarioNames = Set(pol.campaigns.map { $0.name })
        for c in pp.campaigns where !scenarioNames.contains(c.name) {
            problems.append(Phrase("专项「\(c.name)」：场景中没有这个专项", "campaign \"\(c.name)\": not a campaign of the scenario"))
        }
        ref.policy = pol

        let months = Placement.monthsInfo(ctx)
        var statedMonth: [Int: PlanDocument.Month] = [:]
        for m in doc.months where statedMonth[m.month] == nil { statedMonth[m.month] = m }
        for m in months {
            guard let sm = statedMonth[m.month] else { continue }   // PLAN-FORMAT names a missing month
            let at = Phrase("\(m.month)月", "month \(m.month) ")
            if sm.workdays != m.workdays { differAt(Phrase(at.zh + "workdays", at.en + "workdays"), "\(sm.workdays)", "\(m.workdays)") }
            if !same(sm.capacityTeamDays, m.capacityTeamDays) {
                differAt(Phrase(at.zh + "capacity_team_days", at.en + "capacity_team_days"), "\(sm.capacityTeamDays)", "\(m.capacityTeamDays)")
            }
        }
        ref.months = months

        // Units as the ledger makes them (class, level, required visits, draw weight, category):
        // TIER-ONE names a unit whose class or level differs; here the figures the rules use.
        let index = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        let own = Set(ctx.own)
        var required: [String] = [], weights: [String] = []
        for i in ref.units.indices where ref.units[i].closed != true {
            guard let k = index[ref.units[i].id] else { continue }
            let u = Placement.unitInfo(ctx, k, own: own.contains(k))
            if u.requiredVisits != ref.units[i].requiredVisits { required.append("\(u.id) \(ref.units[i].requiredVisits)≠\(u.requiredVisits)") }
            if !same(u.drawWeight, ref.units[i].drawWeight) { weights.append("\(u.id) \(ref.units[i].drawWeight)≠\(u.drawWeight)") }
            ref.units[i] = u
        }
        if !required.isEmpty {
            problems.append(Phrase("\(required.count)家单位的应检次数（required_visits）与台账不符，如" + required.prefix(3).joined(separator: "、"),
                               "\(required.count) units' required_visits differ from the ledger, e.g. " + required.prefix(3).joined(separator: ", ")))
        }
        if !weights.isEmpty {
            problems.append(Phrase("\(weights.count)家单位的抽取权重（draw_weight）与台账不符，如" + weights.prefix(3).joined(separator: "、"),
                               "\(weights.count) units' draw_weight differs from the ledger, e.g. " + weights.prefix(3).joined(separator: ", ")))
        }
        PlanMetrics.fill(&ref)   // monthly effort with the scenario's efforts
        return (ref, problems)
    }
}

import Foundation
import Ledger
import Policy

/// One unit-level difference between a plan and its re-plan, with the reason.
public struct PlanChange: Codable, Sendable, Equatable {
    public var unit: String
    public var name: String
    public var change: String          // added | removed | moved
    public var kind: String
    public var campaign: String?
    public var fromMonth: Int?
    public var toMonth: Int?
    public var visit: String
    public var reason: String
}

/// What to do with planned visits of past months (before the re-planning month) that were not
/// carried out (not in executed.csv): carry them into the remaining months, keeping their
/// 检查编号, or drop them with a reason.
public enum MissedCarry: String, Sendable, CaseIterable, Codable {
    /// Carry missed key visits (重点检查: full coverage of key units is the law); drop the rest.
    case key
    /// Carry every missed visit (random, campaign and joint too).
    case all
    /// Drop every missed visit (a key unit still short of its visits is planned again, as new).
    case none
}

public struct MissedOptions: Sendable {
    public var carry: MissedCarry
    /// The reason recorded for dropped visits (the planner's own words); a default otherwise.
    public var dropReason: String?
    public init(carry: MissedCarry = .key, dropReason: String? = nil) { self.carry = carry; self.dropReason = dropReason }
}

/// A planned visit of a past month that was not carried out, and what the re-plan did with it.
public struct MissedVisit: Codable, Sendable, Equatable {
    public var visit: String
    public var unit: String
    public var name: String
    public var kind: String
    public var campaign: String?
    /// The month the plan had it in.
    public var month: Int
    /// `carried` (into `toMonth`, same visit id) or `dropped`.
    public var action: String
    public var toMonth: Int?
    public var reason: String
}

/// How far the year got before the re-planning month (from executed.csv).
public struct CoverageToDate: Codable, Sendable, Equatable {
    /// The last month counted (the month before the re-planning month).
    public var throughMonth: Int
    /// Key units this authority inspects (the current ledger), and those with a key visit carried out.
    public var keyUnits: Int
    public var keyUnitsCovered: Int
    /// Visits the plan had in the months to date, those carried out, and those missed.
    public var plannedVisits: Int
    public var doneVisits: Int
    public var missedVisits: Int
    /// Visits carried out outside the plan (触发式 and the like), and planned ones done early.
    public var outsidePlanVisits: Int
    public var earlyVisits: Int
}

/// A re-plan: the new plan, its changes, the missed visits and the coverage to date (the last
/// two only when what was carried out is known).
public struct ReplanOutcome: Sendable {
    public var plan: PlanDocument
    public var changes: [PlanChange]
    public var missed: [MissedVisit]
    public var coverage: CoverageToDate?
}

/// Mid-year re-planning: carried-out visits and every visit of the months before the
/// re-planning month (and of kept months) stay exactly as they were, draws included; the rest
/// of the year is re-optimised with the new ledger, staff and campaigns, keeping what need not
/// change. Given `missed`, a visit of the months before that was not carried out is carried into
/// the remaining months (same id) or dropped, as `MissedOptions` says; without it every visit of
/// those months is taken as carried out as planned.
public enum Replanner {
    public static func replan(_ ctx: PlanContext, previous: PlanDocument, executed: [ExecutedVisit], fromMonth: Int,
                              keepMonths: Set<Int> = [], options: PlanOptions = PlanOptions()) throws -> (PlanDocument, [PlanChange]) {
        let r = try run(ctx, previous: previous, executed: executed, fromMonth: fromMonth, keepMonths: keepMonths, options: options)
        return (r.plan, r.changes)
    }

    /// `previousSHA256`: the SHA-256 of the previous plan's file, recorded in the new plan's
    /// `previous_plan` so its kept draws can be checked against that file.
    public static func run(_ ctx: PlanContext, previous: PlanDocument, executed: [ExecutedVisit], fromMonth: Int,
                           keepMonths: Set<Int> = [], missed missedOptions: MissedOptions? = nil,
                           options: PlanOptions = PlanOptions(), previousSHA256: String? = nil) throws -> ReplanOutcome {
        // A plan that is not well formed (months outside 1–12 and the like) is never re-planned:
        // `planner replan` refuses any plan that does not verify before it gets here.
        let format = PlanVerifier.formatProblems(previous)
        if !format.isEmpty {
            throw InputError.problems(format.map { InputProblem(file: "plan.json", message: "计划文件格式不符，不能据以重新编制 (the plan is not well formed; nothing re-planned): \($0.zh)") })
        }
        var pins = Pins()
        pins.previous = previous
        pins.frozenMonths = Set(1..<fromMonth).union(keepMonths)
        var kept: [String: PlanDocument.Visit] = [:]
        for v in previous.visits where pins.frozenMonths.contains(v.month) { kept[v.id] = v }
        let byId = Dictionary(previous.visits.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for e in executed {
            if let id = e.visit, var v = byId[id] { v.month = e.date.month; kept[id] = v }
        }
        // Missed visits of past months: carried (kept, in a remaining month) or dropped.
        let doneIds = Set(executed.compactMap { $0.visit })
        var missed: [MissedVisit] = []
        if let mo = missedOptions {
            missed = carryOrDrop(ctx, previous: previous, doneIds: doneIds, fromMonth: fromMonth, keepMonths: keepMonths,
                                 kept: kept, options: mo)
            for m in missed {
                if m.action == "carried", var v = byId[m.visit] { v.month = m.toMonth!; kept[m.visit] = v }
                else { kept[m.visit] = nil; pins.retired.insert(m.visit) }
            }
        }
        // A draw is kept whole: all of its visits (but those dropped), or none; the draws of past
        // months are kept in any case (they were made and published).
        let keptDraws = Set(kept.values.compactMap { $0.draw })
        for v in previous.visits where v.draw.map(keptDraws.contains) ?? false && kept[v.id] == nil && !pins.retired.contains(v.id) { kept[v.id] = v }
        pins.draws = previous.draws.filter { keptDraws.contains($0.id) || $0.month < fromMonth }.map { var d = $0; d.pinned = true; return d }
        // Visits outside the plan: kind key for key units, otherwise triggered (触发式).
        let classOf = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, ctx.classifications[$0].unitClass) }, uniquingKeysWith: { a, _ in a })
        var next = (previous.visits.compactMap { Int($0.id.dropFirst(2)) }.max() ?? 0) + 1
        var extra: [PlanDocument.Visit] = []
        let known = Set(ctx.units.map { $0.id }).union(previous.units.map { $0.id })
        let strangers = executed.compactMap { $0.unit }.filter { !known.contains($0) }
        if !strangers.isEmpty {
            throw InputError.problems(strangers.map { InputProblem(file: "executed", column: "unit", value: $0,
                message: "台账和原计划中都没有这家单位 (the unit is neither in the ledger nor in the plan)") })
        }
        for e in executed where e.visit == nil {
            guard let u = e.unit else { continue }
            extra.append(PlanDocument.Visit(id: String(format: "V-%04d", next), unit: u, month: e.date.month,
                                            kind: classOf[u] == .key ? VisitKind.key : .triggered, campaign: nil, draw: nil))
            next += 1
        }
        pins.visits = kept.values.sorted { $0.id < $1.id } + extra
        let inLedger = Set(ctx.units.map { $0.id })
        let keptUnits = Set(pins.visits.map { $0.unit })
        pins.closedUnits = previous.units.filter { !inLedger.contains($0.id) && keptUnits.contains($0.id) }
            .map { var u = $0; u.closed = true; u.requiredVisits = 0; return u }
        var doc = try AnnualPlanner.plan(ctx, options: options, pins: pins)   // its checks are the verifier's
        doc.previousPlan = .init(sha256: previousSHA256, fromMonth: fromMonth, keptMonths: keepMonths.sorted())
        var coverage: CoverageToDate? = nil
        if missedOptions != nil {
            let own = Set(ctx.own)
            let keyIds = Set(ctx.keyUnits.filter { own.contains($0) }.map { ctx.units[$0].id })
            let toDate = previous.visits.filter { $0.month < fromMonth && $0.visitKind != .triggered }
            var coveredKey = Set<String>()
            for e in executed {
                if let id = e.visit, let v = byId[id], v.visitKind == .key, keyIds.contains(v.unit) { coveredKey.insert(v.unit) }
                if e.visit == nil, let u = e.unit, keyIds.contains(u) { coveredKey.insert(u) }
            }
            coverage = CoverageToDate(throughMonth: fromMonth - 1, keyUnits: keyIds.count, keyUnitsCovered: coveredKey.count,
                                      plannedVisits: toDate.count, doneVisits: toDate.filter { doneIds.contains($0.id) }.count,
                                      missedVisits: missed.count, outsidePlanVisits: extra.count,
                                      earlyVisits: previous.visits.filter { $0.month >= fromMonth && doneIds.contains($0.id) }.count)
        }
        return ReplanOutcome(plan: doc, changes: changes(previous: previous, new: doc, pins: pins, ctx: ctx, missed: missed),
                             missed: missed, coverage: coverage)
    }

    /// Past months' visits not carried out, each carried or dropped. A carried visit goes to the
    /// earliest remaining month (not kept, with workdays) whose carried-in visits stay within half
    /// of its team-days, or else the one with the most team-days left; a campaign visit only into
    /// its campaign's months.
    static func carryOrDrop(_ ctx: PlanContext, previous: PlanDocument, doneIds: Set<String>, fromMonth: Int, keepMonths: Set<Int>,
                            kept: [String: PlanDocument.Visit], options: MissedOptions) -> [MissedVisit] {
        let index = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        let names = Dictionary(previous.units.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let e = ctx.scenario.effort
        let own = Set(ctx.own)
        let open = (fromMonth...12).filter { !keepMonths.contains($0) && ctx.calendar.workdays(inMonth: $0) > 0 && ctx.capacity[$0 - 1] > 0 }
        var load = Array(repeating: 0.0, count: 12)
        for v in kept.values where v.month >= fromMonth { load[v.month - 1] += e.teamDays(for: v.kind) }
        var out: [MissedVisit] = []
        let list = previous.visits.filter { $0.month < fromMonth && $0.visitKind != .triggered && !doneIds.contains($0.id) }
            .sorted { ($0.month, $0.id) < ($1.month, $1.id) }
        for v in list {
            var m = MissedVisit(visit: v.id, unit: v.unit, name: names[v.unit] ?? "", kind: v.kind, campaign: v.campaign,
                                month: v.month, action: "dropped", toMonth: nil, reason: "")
            let carry = options.carry == .all || (options.carry == .key && v.visitKind == .key)
            let i = index[v.unit]
            var months = open
            if let c = v.campaign {
                let cm = Set(ctx.scenario.campaigns.first { $0.name == c }?.months ?? [])
                months = open.filter { cm.contains($0) }
            }
            if i == nil || !own.contains(i!) {
                m.reason = "\(v.month)月未执行；单位已不在本主体台账中，不再安排"
            } else if v.visitKind == .key && ctx.classifications[i!].unitClass != .key {
                m.reason = "\(v.month)月未执行；单位已不是重点检查单位，不再顺延"
            } else if !carry {
                m.reason = options.dropReason.map { "\(v.month)月未执行：\($0)" }
                    ?? "\(v.month)月未执行，按 --carry-missed \(options.carry.rawValue) 不顺延"
            } else if months.isEmpty {
                m.reason = v.campaign.map { "\(v.month)月未执行；专项执法「\($0)」已无剩余月份，无法顺延" }
                    ?? "\(v.month)月未执行；本年已无可安排的月份"
            } else {
                let effort = e.teamDays(for: v.kind)
                let to = months.first { load[$0 - 1] + effort <= ctx.capacity[$0 - 1] / 2 + 1e-9 }
                    ?? months.max { ctx.capacity[$0 - 1] - load[$0 - 1] < ctx.capacity[$1 - 1] - load[$1 - 1] }!
                load[to - 1] += effort
                m.action = "carried"
                m.toMonth = to
                m.reason = "\(v.month)月未执行，顺延至\(to)月" + (v.visitKind == .key ? "（重点检查单位须全覆盖）" : "")
            }
            out.append(m)
        }
        return out
    }

    static func changes(previous: PlanDocument, new: PlanDocument, pins: Pins, ctx: PlanContext, missed: [MissedVisit] = []) -> [PlanChange] {
        let kept = Set(pins.visits.map { $0.id })
        let old = previous.visits.filter { !kept.contains($0.id) && !pins.retired.contains($0.id) }
        let now = new.visits.filter { !kept.contains($0.id) }
        let oldUnits = Dictionary(previous.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newUnits = Dictionary(new.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let oldCampaigns = Set(previous.policy.campaigns.map { $0.name })
        let explanation = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, ctx.classifications[$0].explanation) }, uniquingKeysWith: { a, _ in a })
        func reason(_ unit: String, _ kind: String, _ campaign: String?, _ change: String) -> String {
            let o = oldUnits[unit], n = newUnits[unit]
            if n == nil || n?.closed == true { return "单位已不在台账中（关闭或注销）" }
            if o == nil { return "台账新增单位" + (n?.isKey == true ? "，为重点检查单位：\(explanation[unit] ?? "")" : "") }
            if o?.isGeneral == true && n?.isKey == true { return "新纳入重点检查单位：\(explanation[unit] ?? "")" }
            if o?.isKey == true && n?.isGeneral == true { return "不再为重点检查单位：\(explanation[unit] ?? "")" }
            if let c = campaign, !oldCampaigns.contains(c) { return "新增专项执法「\(c)」" }
            if change == "added", let m = missed.first(where: { $0.unit == unit && $0.kind == kind && $0.action == "dropped" }) {
                return "\(m.month)月的检查（\(m.visit)）未执行且已取消，按全年规则另行安排"
            }
            if o?.ownUnit == true && n?.ownUnit == false { return "改由\(n?.authority ?? "其他主体")检查" }
            if kind == VisitKind.random.rawValue { return "双随机抽取随剩余月份的抽取数或抽取池变化重新进行" }
            let carried = missed.contains { $0.action == "carried" } ? "顺延未执行的检查、" : ""
            return change == "moved" ? "为满足全年规则重新平衡月度安排（\(carried)人员可用工作日等变化）" : "为满足全年规则重新优化（\(carried)人员、专项或重点单位变化）"
        }
        var out: [PlanChange] = []
        // A visit keeps its id (检查编号) when it moves: same id, another month.
        let nowById = Dictionary(now.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let oldIds = Set(old.map { $0.id })
        for o in old {
            if let n = nowById[o.id] {
                guard n.month != o.month else { continue }
                out.append(PlanChange(unit: n.unit, name: newUnits[n.unit]?.name ?? "", change: "moved", kind: n.kind, campaign: n.campaign,
                                      fromMonth: o.month, toMonth: n.month, visit: n.id, reason: reason(n.unit, n.kind, n.campaign, "moved")))
            } else {
                out.append(PlanChange(unit: o.unit, name: oldUnits[o.unit]?.name ?? "", change: "removed", kind: o.kind, campaign: o.campaign,
                                      fromMonth: o.month, toMonth: nil, visit: o.id, reason: reason(o.unit, o.kind, o.campaign, "removed")))
            }
        }
        for a in now where !oldIds.contains(a.id) {
            out.append(PlanChange(unit: a.unit, name: newUnits[a.unit]?.name ?? "", change: "added", kind: a.kind, campaign: a.campaign,
                                  fromMonth: nil, toMonth: a.month, visit: a.id, reason: reason(a.unit, a.kind, a.campaign, "added")))
        }
        // Missed visits of past months: carried (moved, same id) or dropped, with the reason.
        for m in missed {
            out.append(PlanChange(unit: m.unit, name: m.name, change: m.action == "carried" ? "moved" : "removed", kind: m.kind,
                                  campaign: m.campaign, fromMonth: m.month, toMonth: m.toMonth, visit: m.visit, reason: m.reason))
        }
        return out.sorted { ($0.toMonth ?? $0.fromMonth ?? 0, $0.unit, $0.change, $0.visit) < ($1.toMonth ?? $1.fromMonth ?? 0, $1.unit, $1.change, $1.visit) }
    }
}

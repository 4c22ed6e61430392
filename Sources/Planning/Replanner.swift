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

/// Mid-year re-planning: carried-out visits and every visit of the months before the
/// re-planning month (and of kept months) stay exactly as they were, draws included; the rest
/// of the year is re-optimised with the new ledger, staff and campaigns, keeping what need not
/// change.
public enum Replanner {
    public static func replan(_ ctx: PlanContext, previous: PlanDocument, executed: [ExecutedVisit], fromMonth: Int,
                              keepMonths: Set<Int> = [], options: PlanOptions = PlanOptions()) throws -> (PlanDocument, [PlanChange]) {
        var pins = Pins()
        pins.previous = previous
        pins.frozenMonths = Set(1..<fromMonth).union(keepMonths)
        var kept: [String: PlanDocument.Visit] = [:]
        for v in previous.visits where pins.frozenMonths.contains(v.month) { kept[v.id] = v }
        let byId = Dictionary(previous.visits.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for e in executed {
            if let id = e.visit, var v = byId[id] { v.month = e.date.month; kept[id] = v }
        }
        // A draw is kept whole: all of its visits, or none.
        let keptDraws = Set(kept.values.compactMap { $0.draw })
        for v in previous.visits where v.draw.map(keptDraws.contains) ?? false && kept[v.id] == nil { kept[v.id] = v }
        pins.draws = previous.draws.filter { keptDraws.contains($0.id) }.map { var d = $0; d.pinned = true; return d }
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
                                            kind: classOf[u] == .key ? "key" : "triggered", campaign: nil, draw: nil))
            next += 1
        }
        pins.visits = kept.values.sorted { $0.id < $1.id } + extra
        let inLedger = Set(ctx.units.map { $0.id })
        let keptUnits = Set(pins.visits.map { $0.unit })
        pins.closedUnits = previous.units.filter { !inLedger.contains($0.id) && keptUnits.contains($0.id) }
            .map { var u = $0; u.closed = true; u.requiredVisits = 0; return u }
        let doc = try AnnualPlanner.plan(ctx, options: options, pins: pins)   // its checks are the verifier's
        return (doc, changes(previous: previous, new: doc, pins: pins, ctx: ctx))
    }

    static func changes(previous: PlanDocument, new: PlanDocument, pins: Pins, ctx: PlanContext) -> [PlanChange] {
        let kept = Set(pins.visits.map { $0.id })
        let old = previous.visits.filter { !kept.contains($0.id) }
        let now = new.visits.filter { !kept.contains($0.id) }
        let oldIds = Set(old.map { $0.id }), nowIds = Set(now.map { $0.id })
        var removed = old.filter { !nowIds.contains($0.id) }
        var added = now.filter { !oldIds.contains($0.id) }
        let oldUnits = Dictionary(previous.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newUnits = Dictionary(new.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let oldCampaigns = Set(previous.policy.campaigns.map { $0.name })
        let explanation = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, ctx.classifications[$0].explanation) }, uniquingKeysWith: { a, _ in a })
        func reason(_ unit: String, _ kind: String, _ campaign: String?, _ change: String) -> String {
            let o = oldUnits[unit], n = newUnits[unit]
            if n == nil || n?.closed == true { return "单位已不在台账中（关闭或注销）" }
            if o == nil { return "台账新增单位" + (n?.class == "key" ? "，为重点检查单位：\(explanation[unit] ?? "")" : "") }
            if o?.class == "general" && n?.class == "key" { return "新纳入重点检查单位：\(explanation[unit] ?? "")" }
            if o?.class == "key" && n?.class == "general" { return "不再为重点检查单位：\(explanation[unit] ?? "")" }
            if let c = campaign, !oldCampaigns.contains(c) { return "新增专项执法「\(c)」" }
            if o?.ownUnit == true && n?.ownUnit == false { return "改由\(n?.authority ?? "其他主体")检查" }
            if kind == "random" { return "双随机抽取随剩余月份的抽取数或抽取池变化重新进行" }
            return change == "moved" ? "为满足全年规则重新平衡月度安排（人员可用工作日等变化）" : "为满足全年规则重新优化（人员、专项或重点单位变化）"
        }
        var out: [PlanChange] = []
        // Same unit, kind and campaign removed from one month and added in another: a move.
        for (i, a) in added.enumerated().reversed() {
            if let j = removed.firstIndex(where: { $0.unit == a.unit && $0.kind == a.kind && $0.campaign == a.campaign }) {
                let r = removed.remove(at: j)
                added.remove(at: i)
                out.append(PlanChange(unit: a.unit, name: newUnits[a.unit]?.name ?? "", change: "moved", kind: a.kind, campaign: a.campaign,
                                      fromMonth: r.month, toMonth: a.month, visit: a.id, reason: reason(a.unit, a.kind, a.campaign, "moved")))
            }
        }
        for r in removed {
            out.append(PlanChange(unit: r.unit, name: oldUnits[r.unit]?.name ?? "", change: "removed", kind: r.kind, campaign: r.campaign,
                                  fromMonth: r.month, toMonth: nil, visit: r.id, reason: reason(r.unit, r.kind, r.campaign, "removed")))
        }
        for a in added {
            out.append(PlanChange(unit: a.unit, name: newUnits[a.unit]?.name ?? "", change: "added", kind: a.kind, campaign: a.campaign,
                                  fromMonth: nil, toMonth: a.month, visit: a.id, reason: reason(a.unit, a.kind, a.campaign, "added")))
        }
        return out.sorted { ($0.toMonth ?? $0.fromMonth ?? 0, $0.unit, $0.change) < ($1.toMonth ?? $1.fromMonth ?? 0, $1.unit, $1.change) }
    }
}

import Foundation
import Ledger
import Policy

/// Re-checks a month's roster against its rules without the solver: team size and
/// certificates, leader, experts on key visits, 回避, availability, workdays, daily load,
/// every visit of the month once, every inspector draw reproducible.
public enum RosterVerifier {
    public static func checks(_ r: RosterDocument, plan: PlanDocument?, ctx: PlanContext, experts: [StaffMember]) -> [PlanDocument.RuleCheck] {
        var out: [PlanDocument.RuleCheck] = []
        let staff = Dictionary(ctx.staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let expertById = Dictionary(experts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let p = plan?.policy
        let effort = (p?.effort ?? Effort()).teamDays(for:)
        func check(_ rule: String, _ problems: [String], _ what: String, total: Int) {
            out.append(.init(rule: rule, figure: Double(problems.count), threshold: 0, pass: problems.isEmpty,
                             shortfall: Double(problems.count), unit: "problems",
                             message: what + (problems.isEmpty ? "：\(total)项均符合" : "：" + problems.prefix(3).joined(separator: "；")
                                + (problems.count > 3 ? " 等\(problems.count)处" : "")), fix: nil))
        }

        // SITE-TEAM: two certified officers or more, the leader among them and allowed to lead.
        var team: [String] = []
        for a in r.assignments {
            let certified = a.team.filter { staff[$0]?.certified == true }
            if Set(a.team).count != a.team.count { team.append("\(a.visit)：组员重复") }
            if certified.count < 2 || certified.count != a.team.count { team.append("\(a.visit)：持证执法人员少于2人或组内有非持证人员") }
            if !a.team.contains(a.leader) || staff[a.leader]?.leader != true { team.append("\(a.visit)：组长\(a.leader)不在组内或不可任组长") }
            if a.experts.contains(where: { staff[$0] != nil && expertById[$0] == nil }) { team.append("\(a.visit)：执法人员被列为专家") }
        }
        check("SITE-TEAM", team, "每次检查至少两名持证执法人员、一人任组长", total: r.assignments.count)

        // FREQ-KEY-COVER 执法+专家: an expert on every key visit, or the shortfall stated.
        let shortfall = Set(r.expertShortfalls.map { $0.visit })
        var experts: [String] = []
        for a in r.assignments where a.kind == "key" {
            if a.experts.isEmpty && !shortfall.contains(a.visit) { experts.append("\(a.visit)：重点检查无专家且未说明") }
            for x in a.experts where expertById[x] == nil { experts.append("\(a.visit)：专家\(x)不在专家库") }
        }
        check("FREQ-KEY-COVER", experts, "重点检查“执法+专家”", total: r.assignments.filter { $0.kind == "key" }.count)

        // 回避: nobody inspects a unit on their conflicts list.
        var avoid: [String] = []
        for a in r.assignments {
            for id in a.team + a.experts where (staff[id]?.conflicts ?? expertById[id]?.conflicts ?? []).contains(a.unit) {
                avoid.append("\(a.visit)：\(id)须回避单位\(a.unit)")
            }
        }
        check("AVOIDANCE", avoid, "回避", total: r.assignments.count)

        // Workdays and availability.
        var days: [String] = []
        var load: [String: Double] = [:]
        for a in r.assignments {
            guard let d = CivilDate(a.date), d.year == r.year, d.month == r.month, ctx.calendar.isWorkday(d) else {
                days.append("\(a.visit)：\(a.date)不是\(r.month)月的工作日"); continue
            }
            for id in a.team + a.experts {
                if let m = staff[id] ?? expertById[id], !m.isAvailable(on: d) { days.append("\(a.visit)：\(id)在\(a.date)不可用") }
                load["\(id)@\(a.date)", default: 0] += effort(a.kind)
            }
        }
        check("AVAILABILITY", days, "工作日（含调休上班日）且人员可用", total: r.assignments.count)
        let over = load.filter { $0.value > 1 + 1e-9 }.keys.sorted()
        check("LOAD", over.map { "\($0)工作量超过1天" }, "每人每天工作量不超过1天", total: load.count)

        // Every visit of the month once.
        var once: [String] = []
        let listed = r.assignments.map { $0.visit } + r.unassigned.map { $0.visit }
        if Set(listed).count != listed.count { once.append("有检查被重复安排") }
        if let plan {
            let expected = Set(plan.visits.filter { $0.month == r.month }.map { $0.id })
            let missing = expected.subtracting(listed), extra = Set(listed).subtracting(expected)
            if !missing.isEmpty { once.append("\(missing.count)次检查未出现：\(missing.sorted().prefix(3).joined(separator: "、"))") }
            if !extra.isEmpty { once.append("\(extra.count)次检查不在年度计划\(r.month)月中") }
            let byId = Dictionary(plan.visits.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for a in r.assignments where byId[a.visit].map({ $0.unit != a.unit || $0.kind != a.kind }) ?? false {
                once.append("\(a.visit)：单位或检查类型与年度计划不符")
            }
        }
        check("PLAN-DECOMPOSE", once, "年度计划当月每次检查恰好出现一次", total: listed.count)

        // 双随机 second draw: each random visit's officers re-drawn from the recorded pool.
        var draws: [String] = []
        let drawById = Dictionary(r.draws.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for a in r.assignments where a.kind == "random" {
            guard let id = a.draw, let d = drawById[id] else { draws.append("\(a.visit)：随机检查无人员抽取记录"); continue }
            if Set(d.drawn) != Set(a.team) { draws.append("\(a.visit)：检查组与抽取结果不符") }
        }
        // Replay each day's draws in visit order: the pool must be exactly the certified officers
        // available that day, free of conflicts with the unit, with room left — so a draw cannot be
        // steered by choosing its pool.
        let visitOfDraw = Dictionary(r.assignments.compactMap { a in a.draw.map { ($0, a) } }, uniquingKeysWith: { a, _ in a })
        var roomByDay: [String: [String: Double]] = [:]
        for d in r.draws.sorted(by: { ($0.date, visitOfDraw[$0.id]?.visit ?? $0.id) < ($1.date, visitOfDraw[$1.id]?.visit ?? $1.id) }) {
            guard let date = CivilDate(d.date), let a = visitOfDraw[d.id] else { continue }
            if roomByDay[d.date] == nil {
                roomByDay[d.date] = Dictionary(uniqueKeysWithValues: ctx.staff.filter { $0.certified && $0.isAvailable(on: date) }.map { ($0.id, 1.0) })
            }
            let e = effort(a.kind)
            let expected = Set(roomByDay[d.date]!.filter { $0.value + 1e-9 >= e && !(staff[$0.key]?.conflicts.contains(a.unit) ?? false) }.keys)
            if expected != Set(d.pool) {
                let missing = expected.subtracting(d.pool).sorted(), extra = Set(d.pool).subtracting(expected).sorted()
                draws.append("\(d.id)：抽取池不是当日全部可用且无需回避的持证执法人员"
                    + (missing.isEmpty ? "" : "（缺\(missing.joined(separator: "、"))）") + (extra.isEmpty ? "" : "（多\(extra.joined(separator: "、"))）"))
            }
            for o in d.drawn { roomByDay[d.date]![o, default: 0] -= e }
        }
        for d in r.draws {
            do {
                let ranking = try RandomDraw.rank(seed: d.seed, id: d.id, pool: d.pool.map { DrawMember(id: $0) })
                let team = drawnTeam(ranking: ranking, k: d.k) { staff[$0]?.leader == true }
                if team != d.drawn { draws.append("\(d.id)：重新抽取结果与记录不符") }
                if RandomDraw.poolSHA256(d.pool) != d.poolSha256 { draws.append("\(d.id)：抽取池哈希不符") }
                if let date = CivilDate(d.date) {
                    for o in d.pool where staff[o]?.certified != true || staff[o]?.isAvailable(on: date) != true {
                        draws.append("\(d.id)：抽取池中\(o)无执法证或当日不可用")
                    }
                }
            } catch { draws.append("\(d.id)：\(error)") }
        }
        check("FREQ-GENERAL-RANDOM", draws, "随机抽取执法检查人员，可复现", total: r.draws.count)
        return out
    }
}

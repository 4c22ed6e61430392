import Foundation
import Ledger
import Policy

/// Re-checks a month's roster against its rules without the solver: team size and
/// certificates, leader, experts on key visits, 回避, availability, workdays, daily load,
/// every visit of the month once, every inspector draw reproducible.
public enum RosterVerifier {
    /// Every rule line of the roster, messages in Chinese (`RuleCheck.rendered(_:)` gives another
    /// language); problems are named in both languages (`Finding.roster`).
    public static func checks(_ r: RosterDocument, plan: PlanDocument?, ctx: PlanContext, experts: [StaffMember]) -> [PlanDocument.RuleCheck] {
        var out: [PlanDocument.RuleCheck] = []
        let staff = Dictionary(ctx.staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // PLAN-FORMAT: the roster file itself (listed first, only when something is wrong).
        var format: [Phrase] = []
        if r.schema != "enforcement-roster/1" { format.append(Phrase("schema = \"\(r.schema)\"：应为 enforcement-roster/1", "schema = \"\(r.schema)\": expected enforcement-roster/1")) }
        if r.year != ctx.year { format.append(Phrase("year = \(r.year)：场景为\(ctx.year)年", "year = \(r.year): the scenario is of \(ctx.year)")) }
        if !(1...12).contains(r.month) { format.append(Phrase("month = \(r.month)：应在1–12之间", "month = \(r.month): expected 1–12")) }
        if r.seed != ctx.scenario.seed { format.append(Phrase("seed = \(r.seed)：不是场景公布的种子\(ctx.scenario.seed)", "seed = \(r.seed): not the scenario's published seed \(ctx.scenario.seed)")) }
        if let plan, r.seed != plan.seed { format.append(Phrase("seed = \(r.seed)：不是年度计划公布的种子\(plan.seed)", "seed = \(r.seed): not the annual plan's published seed \(plan.seed)")) }
        if let plan, r.year != plan.year { format.append(Phrase("year = \(r.year)：年度计划为\(plan.year)年", "year = \(r.year): the annual plan is of \(plan.year)")) }
        for (i, d) in r.days.enumerated() where d.officersAvailable < 0 || d.expertsAvailable < 0 || d.visits < 0 || !d.teamDays.isFinite || d.teamDays < 0 {
            format.append(Phrase("days[\(i)]：人数、组·日或检查数为负数或不是有限数", "days[\(i)]: a count or team-days negative or not finite"))
        }
        if !PlanVerifier.solvedStatuses.contains(r.solver.status) { format.append(Phrase("solver.status = \"\(r.solver.status)\"：求解器未给出可行方案", "solver.status = \"\(r.solver.status)\": the solver gave no roster")) }
        if !format.isEmpty {
            out.append(.init(.format, .rosterFormat(problems: format), figure: Double(format.count), threshold: 0, pass: false,
                             shortfall: Double(format.count)))
        }
        let expertById = Dictionary(experts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let p = plan?.policy
        let effort: (String) -> Double = (p?.effort ?? Effort()).teamDays(for:)
        func check(_ rule: RuleID, _ problems: [Phrase], total: Int) {
            out.append(.init(rule, .roster(rule: rule, problems: problems, total: total), figure: Double(problems.count), threshold: 0,
                             pass: problems.isEmpty, shortfall: Double(problems.count), unit: .problems))
        }

        // SITE-TEAM: two certified officers or more, the leader among them and allowed to lead.
        var team: [Phrase] = []
        for a in r.assignments {
            let certified = a.team.filter { staff[$0]?.certified == true }
            if Set(a.team).count != a.team.count { team.append(Phrase("\(a.visit)：组员重复", "\(a.visit): a member listed twice")) }
            if certified.count < 2 || certified.count != a.team.count { team.append(Phrase("\(a.visit)：持证执法人员少于2人或组内有非持证人员", "\(a.visit): fewer than two certified officers, or an uncertified member")) }
            if !a.team.contains(a.leader) || staff[a.leader]?.leader != true { team.append(Phrase("\(a.visit)：组长\(a.leader)不在组内或不可任组长", "\(a.visit): leader \(a.leader) not in the team or not allowed to lead")) }
            if a.experts.contains(where: { staff[$0] != nil && expertById[$0] == nil }) { team.append(Phrase("\(a.visit)：执法人员被列为专家", "\(a.visit): an officer listed as an expert")) }
        }
        check(.siteTeam, team, total: r.assignments.count)

        // FREQ-KEY-COVER 执法+专家: an expert on every key visit, or the shortfall stated.
        let shortfall = Set(r.expertShortfalls.map { $0.visit })
        var experts: [Phrase] = []
        for a in r.assignments where a.visitKind == .key {
            if a.experts.isEmpty && !shortfall.contains(a.visit) { experts.append(Phrase("\(a.visit)：重点检查无专家且未说明", "\(a.visit): a key visit without an expert, not stated as a shortfall")) }
            for x in a.experts where expertById[x] == nil { experts.append(Phrase("\(a.visit)：专家\(x)不在专家库", "\(a.visit): expert \(x) is not in the expert file")) }
        }
        check(.keyCover, experts, total: r.assignments.filter { $0.visitKind == .key }.count)

        // 回避: nobody inspects a unit on their conflicts list.
        var avoid: [Phrase] = []
        for a in r.assignments {
            for id in a.team + a.experts where (staff[id]?.conflicts ?? expertById[id]?.conflicts ?? []).contains(a.unit) {
                avoid.append(Phrase("\(a.visit)：\(id)须回避单位\(a.unit)", "\(a.visit): \(id) must not inspect \(a.unit) (conflict of interest)"))
            }
        }
        check(.avoidance, avoid, total: r.assignments.count)

        // Workdays and availability.
        var days: [Phrase] = []
        var load: [String: Double] = [:]
        for a in r.assignments {
            // A roster of another year than the scenario's (a format finding above) has no workdays in
            // this calendar: its dates are not looked up in it.
            guard let d = CivilDate(a.date), d.year == r.year, d.month == r.month, ctx.calendar.contains(d), ctx.calendar.isWorkday(d) else {
                days.append(Phrase("\(a.visit)：\(a.date)不是\(r.month)月的工作日", "\(a.visit): \(a.date) is not a workday of month \(r.month)")); continue
            }
            for id in a.team + a.experts {
                if let m = staff[id] ?? expertById[id], !m.isAvailable(on: d) { days.append(Phrase("\(a.visit)：\(id)在\(a.date)不可用", "\(a.visit): \(id) is not available on \(a.date)")) }
                load["\(id)@\(a.date)", default: 0] += effort(a.kind)
            }
        }
        check(.availability, days, total: r.assignments.count)
        let over = load.filter { $0.value > 1 + 1e-9 }.keys.sorted()
        check(.load, over.map { Phrase("\($0)工作量超过1天", "\($0): more than one day's work") }, total: load.count)

        // Every visit of the month once.
        var once: [Phrase] = []
        let listed = r.assignments.map { $0.visit } + r.unassigned.map { $0.visit }
        if Set(listed).count != listed.count { once.append(Phrase("有检查被重复安排", "a visit is listed twice")) }
        if let plan {
            let expected = Set(plan.visits.filter { $0.month == r.month }.map { $0.id })
            let missing = expected.subtracting(listed), extra = Set(listed).subtracting(expected)
            if !missing.isEmpty { once.append(Phrase("\(missing.count)次检查未出现：\(missing.sorted().prefix(3).joined(separator: "、"))", "\(missing.count) visits missing: \(missing.sorted().prefix(3).joined(separator: ", "))")) }
            if !extra.isEmpty { once.append(Phrase("\(extra.count)次检查不在年度计划\(r.month)月中", "\(extra.count) visits are not in month \(r.month) of the annual plan")) }
            let byId = Dictionary(plan.visits.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for a in r.assignments where byId[a.visit].map({ $0.unit != a.unit || $0.kind != a.kind }) ?? false {
                once.append(Phrase("\(a.visit)：单位或检查类型与年度计划不符", "\(a.visit): unit or kind differs from the annual plan"))
            }
        }
        // A visit listed as unassigned is in the roster but not carried out as planned: a shortfall
        // (`planner roster` exits 2 for it), so the check fails, naming them.
        if !r.unassigned.isEmpty {
            let shown = r.unassigned.prefix(3).map { "\($0.visit)（\($0.reason)）" }
            once.append(Phrase("\(r.unassigned.count)次检查未能安排：" + shown.joined(separator: "、"), "\(r.unassigned.count) visits unassigned: " + shown.joined(separator: ", ")))
        }
        check(.decompose, once, total: listed.count)

        // 双随机 second draw, in two steps (DATA.md §6): the leader drawn first under `<id>-L` from
        // the leader-capable part of the pool, then the other k − 1 members under `<id>` from the
        // rest of the pool; the team is exactly the leader and those members, never larger than k.
        var draws: [Phrase] = []
        let drawById = Dictionary(r.draws.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var used = Set<String>()
        var drawnVisits: [(a: RosterDocument.Assignment, leader: RosterDocument.Draw, members: RosterDocument.Draw)] = []
        // Draw ids follow the scheme (DATA.md §6): `R-YYYY-MM-<visit>` and its leader draw `…-L`.
        let prefix = "R-" + String(format: "%04d-%02d", r.year, r.month) + "-"
        var seenDraws = Set<String>()
        for d in r.draws where !seenDraws.insert(d.id).inserted { draws.append(Phrase("\(d.id)：抽取编号重复", "\(d.id): the draw id is listed twice")) }
        for a in r.assignments where a.visitKind == .random || (a.visitKind == .joint && a.draw != nil) {
            guard let id = a.draw, let d = drawById[id] else { draws.append(Phrase("\(a.visit)：随机检查无人员抽取记录", "\(a.visit): a random visit without an inspector draw")); continue }
            if id != prefix + a.visit { draws.append(Phrase("\(id)：抽取编号不符合编号规则，应为\(prefix + a.visit)（DATA.md §6）", "\(id): the draw id does not follow the scheme, expected \(prefix + a.visit) (DATA.md §6)")) }
            guard let l = drawById[DrawnTeam.leaderDrawId(id)] else { draws.append(Phrase("\(a.visit)：无组长抽取记录\(DrawnTeam.leaderDrawId(id))", "\(a.visit): no leader draw \(DrawnTeam.leaderDrawId(id))")); continue }
            used.formUnion([id, l.id])
            drawnVisits.append((a, l, d))
            if l.k != 1 || l.drawn.count != 1 { draws.append(Phrase("\(l.id)：组长抽取应恰好抽取1人", "\(l.id): a leader draw draws exactly one")) }
            if l.pool.contains(where: { staff[$0]?.leader != true }) { draws.append(Phrase("\(l.id)：组长抽取池中有不可任组长者", "\(l.id): the leader pool holds someone who may not lead")) }
            if l.drawn.first != a.leader { draws.append(Phrase("\(a.visit)：组长\(a.leader)不是组长抽取\(l.id)的结果", "\(a.visit): leader \(a.leader) is not what \(l.id) drew")) }
            if d.k != RosterPlanner.teamSize - 1 || d.drawn.count != d.k {
                draws.append(Phrase("\(d.id)：组员抽取应抽取\(RosterPlanner.teamSize - 1)人（检查组\(RosterPlanner.teamSize)人），记录为k=\(d.k)、抽中\(d.drawn.count)人", "\(d.id): a member draw draws \(RosterPlanner.teamSize - 1) (a team of \(RosterPlanner.teamSize)); recorded k=\(d.k), \(d.drawn.count) drawn"))
            }
            if a.team.count != RosterPlanner.teamSize { draws.append(Phrase("\(a.visit)：随机检查组\(a.team.count)人，应为\(RosterPlanner.teamSize)人", "\(a.visit): a random team of \(a.team.count), expected \(RosterPlanner.teamSize)")) }
            if Set(a.team) != Set(l.drawn + d.drawn) || a.team.count != l.drawn.count + d.drawn.count { draws.append(Phrase("\(a.visit)：检查组与抽取结果不符", "\(a.visit): the team is not the draws' result")) }
            if let leader = l.drawn.first, d.pool.contains(leader) { draws.append(Phrase("\(d.id)：组员抽取池含已抽中的组长\(leader)", "\(d.id): the member pool holds the leader drawn, \(leader)")) }
        }
        for d in r.draws where !used.contains(d.id) { draws.append(Phrase("\(d.id)：抽取记录无对应的检查", "\(d.id): a draw with no visit")) }
        // Replay each day's draws in visit order: the pool must be exactly the certified officers
        // available that day, free of conflicts with the unit, with room left — so a draw cannot be
        // steered by choosing its pool. The -L draw's pool is the part of it who may lead; the
        // second draw's pool is the rest of it (without the leader drawn).
        var roomByDay: [String: [String: Double]] = [:]
        for (a, l, d) in drawnVisits.sorted(by: { ($0.members.date, $0.a.visit) < ($1.members.date, $1.a.visit) }) {
            // A draw is replayed on the day of its visit: a date that is no date, or another day,
            // would skip or bend the pool check.
            guard let date = CivilDate(d.date), date.year == r.year, date.month == r.month else {
                draws.append(Phrase("\(d.id)：抽取日期「\(d.date)」不是\(r.year)年\(r.month)月的日期", "\(d.id): draw date \"\(d.date)\" is not a date of \(r.year)-\(r.month)")); continue
            }
            if d.date != a.date { draws.append(Phrase("\(d.id)：抽取日期\(d.date)不是检查日期\(a.date)", "\(d.id): drawn on \(d.date), not on the visit's day \(a.date)")) }
            if l.date != d.date { draws.append(Phrase("\(l.id)：组长抽取与组员抽取日期不同", "\(l.id): the leader and member draws are of different days")) }
            if roomByDay[d.date] == nil {
                roomByDay[d.date] = Dictionary(ctx.staff.filter { $0.certified && $0.isAvailable(on: date) }.map { ($0.id, 1.0) }, uniquingKeysWith: { a, _ in a })
            }
            let e = effort(a.kind)
            let eligible = Set(roomByDay[d.date]!.filter { $0.value + 1e-9 >= e && !(staff[$0.key]?.conflicts.contains(a.unit) ?? false) }.keys)
            func compare(_ expected: Set<String>, _ x: RosterDocument.Draw, _ what: Phrase) {
                guard expected != Set(x.pool) else { return }
                let missing = expected.subtracting(x.pool).sorted(), extra = Set(x.pool).subtracting(expected).sorted()
                draws.append(Phrase("\(x.id)：抽取池不是\(what.zh)" + (missing.isEmpty ? "" : "（缺\(missing.joined(separator: "、"))）") + (extra.isEmpty ? "" : "（多\(extra.joined(separator: "、"))）"),
                                    "\(x.id): the pool is not \(what.en)" + (missing.isEmpty ? "" : " (missing \(missing.joined(separator: ", ")))") + (extra.isEmpty ? "" : " (extra \(extra.joined(separator: ", ")))")))
            }
            compare(eligible.filter { staff[$0]?.leader == true }, l, Phrase("当日全部可用、无需回避且可任组长的持证执法人员", "every certified officer available that day, free of conflicts and allowed to lead"))
            compare(eligible.subtracting(l.drawn), d, Phrase("当日全部可用且无需回避的持证执法人员（除已抽中的组长）", "every certified officer available that day and free of conflicts (but the leader drawn)"))
            for o in l.drawn + d.drawn { roomByDay[d.date]![o, default: 0] -= e }
        }
        for d in r.draws {
            // The published seed (the plan's, which is the scenario's), the documented method, a
            // k the pool can give: otherwise the draw is not re-run.
            var sound = true
            if d.seed != ctx.scenario.seed || (plan.map { d.seed != $0.seed } ?? false) {
                draws.append(Phrase("\(d.id)：种子\(d.seed)不是公布的种子\(plan?.seed ?? ctx.scenario.seed)", "\(d.id): seed \(d.seed) is not the published seed \(plan?.seed ?? ctx.scenario.seed)")); sound = false
            }
            if d.method != RandomDraw.method { draws.append(Phrase("\(d.id)：抽取方法「\(d.method)」未定义（应为 \(RandomDraw.method)）", "\(d.id): unknown draw method \"\(d.method)\" (expected \(RandomDraw.method))")); sound = false }
            if d.k < 0 || d.k > d.pool.count || d.drawn.count != d.k {
                draws.append(Phrase("\(d.id)：k = \(d.k)，抽取池\(d.pool.count)人，抽中\(d.drawn.count)人", "\(d.id): k = \(d.k), a pool of \(d.pool.count), \(d.drawn.count) drawn")); sound = false
            }
            guard sound else { continue }
            do {
                let ranking = try RandomDraw.rank(seed: d.seed, id: d.id, pool: d.pool.map { DrawMember(id: $0) })
                if Array(ranking.prefix(d.k)) != d.drawn { draws.append(Phrase("\(d.id)：重新抽取结果与记录不符", "\(d.id): re-running the draw gives a different result")) }
                if RandomDraw.poolSHA256(d.pool) != d.poolSha256 { draws.append(Phrase("\(d.id)：抽取池哈希不符", "\(d.id): the pool's SHA-256 differs")) }
                if let date = CivilDate(d.date) {
                    for o in d.pool where staff[o]?.certified != true || staff[o]?.isAvailable(on: date) != true {
                        draws.append(Phrase("\(d.id)：抽取池中\(o)无执法证或当日不可用", "\(d.id): \(o) in the pool is not certified or not available that day"))
                    }
                }
            } catch { draws.append(Phrase(both: "\(d.id)：\(error)")) }
        }
        check(.generalRandom, draws, total: r.draws.count)
        return out
    }
}

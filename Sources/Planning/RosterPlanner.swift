import Foundation
import GLPK
import Ledger
import Policy

/// What earlier rosters of the year leave behind: each officer's visits so far (fairness) and
/// who led the last visit to each unit (prefer someone else next time).
public struct RosterHistory: Sendable {
    public var visitsByOfficer: [String: Int] = [:]
    public var lastLeader: [String: String] = [:]
    public init() {}

    public mutating func absorb(_ r: RosterDocument) {
        for a in r.assignments {
            for o in a.team { visitsByOfficer[o, default: 0] += 1 }
            lastLeader[a.unit] = a.leader
        }
    }
}

/// Inputs of the rosters of one authority's year.
public struct RosterContext: Sendable {
    public let plan: PlanDocument
    public let ctx: PlanContext
    public let experts: [StaffMember]
    public let focus: FocusCatalogue

    public init(plan: PlanDocument, ctx: PlanContext, experts: [StaffMember], focus: FocusCatalogue) {
        self.plan = plan; self.ctx = ctx; self.experts = experts; self.focus = focus
    }

    public static func load(plan: PlanDocument, scenario: Scenario, ledgers: LedgerReader) throws -> RosterContext {
        let ctx = try PlanContext.load(scenario: scenario, ledgers: ledgers)
        let experts = try scenario.expertsPath.map { try StaffLoader.load(path: $0, experts: true) } ?? []
        let focus = try FocusCatalogue.load(path: FocusCatalogue.defaultPath())
        return RosterContext(plan: plan, ctx: ctx, experts: experts, focus: focus)
    }
}

/// DATA.md §6: the team of a random visit, drawn in two steps from the eligible pool (the
/// certified officers available that day, free of conflicts with the unit, with room left):
/// first the leader, one officer (k = 1) from those of the pool who may lead, under the draw id
/// `<id>-L`; then the other `k − 1` members from the rest of the pool, under `<id>`. The team is
/// never larger than `k`. One definition, used by the roster planner and its verifier.
public struct DrawnTeam: Sendable, Equatable {
    /// The `-L` draw: its pool (the leader-capable part of the eligible pool) and the leader.
    public var leaderDrawId: String
    public var leaderPool: [String]
    public var leader: String?
    /// The second draw: its pool (the eligible pool without the leader) and the members drawn.
    public var memberDrawId: String
    public var memberPool: [String]
    public var members: [String]
    /// How many members the second draw asks for (team size − 1).
    public var memberK: Int

    /// Leader first, then the members in the order drawn; empty when no one may lead.
    public var team: [String] { leader.map { [$0] + members } ?? [] }
    /// A whole team of the requested size with a leader.
    public var complete: Bool { leader != nil && members.count == memberK }

    public static func leaderDrawId(_ id: String) -> String { id + "-L" }
}

public func drawnTeam(seed: UInt64, id: String, pool: [String], k: Int, mayLead: (String) -> Bool) throws -> DrawnTeam {
    let leaderPool = pool.filter(mayLead)
    let leaderId = DrawnTeam.leaderDrawId(id)
    let leader = leaderPool.isEmpty ? nil : try RandomDraw.rank(seed: seed, id: leaderId, pool: leaderPool.map { DrawMember(id: $0) }).first
    let rest = pool.filter { $0 != leader }
    let members = leader == nil || k <= 1 ? [] : Array(try RandomDraw.rank(seed: seed, id: id, pool: rest.map { DrawMember(id: $0) }).prefix(k - 1))
    return DrawnTeam(leaderDrawId: leaderId, leaderPool: leaderPool, leader: leader, memberDrawId: id, memberPool: rest,
                     members: members, memberK: max(0, k - 1))
}

/// A month's roster: days first (models/roster-days.mod), then the 双随机 draw of inspectors
/// for random visits, then teams and experts day by day (models/roster-teams.mod).
public enum RosterPlanner {
    /// Officers on a drawn (random or joint) team: the leader and one member (DATA.md §6's `k`).
    public static let teamSize = 2

    /// Price of a visit of the month left unassigned (roster-days.mod `unassigned_cost`).
    static let unassignedCost = 1000.0

    /// - Parameter translate: solve each workday's teams model through GLPK's MathProg
    ///   translator (models/roster-teams.mod with its data section), as before issue 11, instead
    ///   of building the same problem through GLPK's API. The roster is the same, only slower:
    ///   for benchmarks (`planner-bench roster --translate`) and the check that both agree.
    public static func roster(_ rc: RosterContext, month: Int, history: RosterHistory = RosterHistory(),
                              timeLimit: Double = 10, translate: Bool = false) throws -> RosterDocument {
        var month = MonthRoster(rc, month: month, history: history)
        month.translate = translate
        let runner = try ModelRunner(timeLimit: timeLimit, mipGap: 1e-4)
        let perDay = try month.visitsPerDay(runner)
        let onDay = month.visitsOntoDays(perDay)
        for (i, date) in month.dates.enumerated() {
            try month.rosterDay(i, date: date, visits: onDay[i], runner: runner)
        }
        return month.finished()
    }

    /// One month's roster as it is built, stage by stage.
    struct MonthRoster {
        let rc: RosterContext
        let month: Int
        let unitIndex: [String: Int]
        let dates: [CivilDate]
        let officers: [StaffMember]
        /// The month's visits of units in the ledger.
        let knownVisits: [PlanDocument.Visit]
        /// Whole teams each workday offers: two certified officers, one of whom may lead.
        let teams: [Int]
        var history: RosterHistory
        let average: Double
        var doc: RosterDocument
        var unassigned: [String: String] = [:]
        var stages: [PlanDocument.Stage] = []
        var tripNo = 0
        var translate = false

        init(_ rc: RosterContext, month: Int, history: RosterHistory) {
            let ctx = rc.ctx, plan = rc.plan
            self.rc = rc
            self.month = month
            unitIndex = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
            let visits = plan.visits.filter { $0.month == month }
            dates = ctx.calendar.workdayDates(inMonth: month)
            let officers = ctx.staff.filter { $0.certified }
            self.officers = officers
            teams = dates.map { d in min(officers.filter { $0.isAvailable(on: d) }.count / 2, officers.filter { $0.leader && $0.isAvailable(on: d) }.count) }
            doc = RosterDocument(year: plan.year, month: month, authority: plan.authority, seed: plan.seed, assignments: [], unassigned: [],
                                 expertShortfalls: [], draws: [], days: [],
                                 solver: .init(status: SolverState.optimal.rawValue, objective: 0, mipGap: 0, seconds: 0, level: "day", stages: []))
            let index = unitIndex
            knownVisits = visits.filter { index[$0.unit] != nil }
            for v in visits where index[v.unit] == nil { unassigned[v.id] = "单位\(v.unit)不在台账中 (unit not in the ledger)" }
            self.history = history
            average = max(1.0, Double(history.visitsByOfficer.values.reduce(0, +)) / Double(max(1, officers.count)))
        }

        func effort(_ kind: String) -> Double { rc.plan.policy.effort.teamDays(for: VisitKind(rawValue: kind)) }
        /// The planned kinds, in the order visits go onto days.
        static let kinds: [VisitKind] = [.key, .special, .random, .joint]

        /// Stage 1 (roster-days.mod): how many visits of each kind on each day.
        mutating func visitsPerDay(_ runner: ModelRunner) throws -> [VisitKind: [Int]] {
            guard !dates.isEmpty && !knownVisits.isEmpty else { return [:] }
            let expAvail = dates.map { d in rc.experts.filter { $0.isAvailable(on: d) }.count }
            var d = MathProgData()
            d.set("D", dates.map { .number($0.day) })
            d.set("K", Self.kinds.map { MathProgSymbol($0.rawValue) })
            d.param("n", Self.kinds.map { k in (MathProgSymbol(k.rawValue), Double(knownVisits.filter { $0.visitKind == k }.count)) })
            d.param("eff", Self.kinds.map { (MathProgSymbol($0.rawValue), rc.plan.policy.effort.teamDays(for: $0)) })
            d.table(["cap", "expcap"], rows: dates.indices.map { (.number(dates[$0].day), [Double(teams[$0]), Double(expAvail[$0])]) })
            d.param("grid", AnnualPlanner.effortGrid(rc.plan.policy.effort))
            d.param("unassigned_cost", RosterPlanner.unassignedCost)
            d.param("expert_short_cost", RosterPlanner.expertShortCost)
            let r = try runner.run("roster-days.mod", data: d, stageName: "days").requireSolution()
            stages.append(r.stage)
            var perDay: [VisitKind: [Int]] = [:]
            for k in Self.kinds { perDay[k] = try dates.map { try r.int("x", .text(k.rawValue), .number($0.day)) } }
            return perDay
        }

        /// Visits onto days: by kind, same town together, nearest first.
        mutating func visitsOntoDays(_ perDay: [VisitKind: [Int]]) -> [[PlanDocument.Visit]] {
            var onDay = Array(repeating: [PlanDocument.Visit](), count: dates.count)
            for k in Self.kinds {
                var queue = knownVisits.filter { $0.visitKind == k }.sorted(by: travelOrder)
                for (i, c) in (perDay[k] ?? []).enumerated() where c > 0 {
                    onDay[i] += queue.prefix(c)
                    queue.removeFirst(min(c, queue.count))
                }
                for v in queue {
                    unassigned[v.id] = "\(month)月可用执法人员不足，无法安排到任何工作日 (no workday of the month has certified officers left for it)"
                }
            }
            return onDay
        }

        func unit(_ v: PlanDocument.Visit) -> LedgerUnit { rc.ctx.units[unitIndex[v.unit]!] }

        func travelOrder(_ a: PlanDocument.Visit, _ b: PlanDocument.Visit) -> Bool {
            let ua = unit(a), ub = unit(b)
            if ua.town != ub.town { return ua.town < ub.town }
            let la = ua.latitude ?? 0, lb = ub.latitude ?? 0
            if la != lb { return la < lb }
            return a.id < b.id
        }

        /// One day: draws for random visits, then teams for trips.
        mutating func rosterDay(_ i: Int, date: CivilDate, visits: [PlanDocument.Visit], runner: ModelRunner) throws {
            let ds = date.description
            var room: [String: Double] = [:]
            for o in officers where o.isAvailable(on: date) { room[o.id] = 1.0 }
            var xroom: [String: Double] = [:]
            for x in rc.experts where x.isAvailable(on: date) { xroom[x.id] = 1.0 }
            let todays = visits.sorted { $0.id < $1.id }
            doc.days.append(.init(date: ds, officersAvailable: room.count, expertsAvailable: xroom.count,
                                  teamDays: Double(teams[i]), visits: todays.count))
            try drawTeams(todays, date: ds, room: &room)
            let trips = trips(todays)
            guard !trips.isEmpty else { return }
            let staffed = try RosterPlanner.staffTrips(trips, date: date, rc: rc, room: room, xroom: xroom, history: history, average: average,
                                         effort: effort, runner: runner, translate: translate)
            stages.append(staffed.stage)
            assign(trips, staffed, date: ds, xroom: xroom)
            for a in doc.assignments where a.date == ds {
                for o in a.team { history.visitsByOfficer[o, default: 0] += 1 }
            }
        }

        /// 双随机 second draw: officers of every random visit (and joint visits) drawn.
        mutating func drawTeams(_ todays: [PlanDocument.Visit], date ds: String, room: inout [String: Double]) throws {
            let plan = rc.plan
            for v in todays where v.isDrawn {
                let u = unit(v)
                let e = effort(v.kind)
                let pool = officers.filter { (room[$0.id] ?? 0) + 1e-9 >= e && !$0.conflicts.contains(u.id) }.map { $0.id }
                let drawId = "R-\(String(format: "%04d-%02d", plan.year, month))-\(v.id)"
                let mayLead = Set(officers.filter { $0.leader }.map { $0.id })
                let drawn = try drawnTeam(seed: plan.seed, id: drawId, pool: pool, k: RosterPlanner.teamSize, mayLead: mayLead.contains)
                guard let leader = drawn.leader else {
                    unassigned[v.id] = "\(ds) 抽取池（无冲突且有空的持证执法人员\(pool.count)人）中无可任组长者 (no officer in the pool of \(pool.count) free certified officers without conflicts may lead)"
                    continue
                }
                guard drawn.complete else {
                    unassigned[v.id] = "\(ds) 无冲突且有空的持证执法人员不足\(RosterPlanner.teamSize)人 (fewer than \(RosterPlanner.teamSize) free certified officers without conflicts)"
                    continue
                }
                let team = drawn.team
                for o in team { room[o, default: 0] -= e }
                doc.draws.append(.init(id: drawn.leaderDrawId, seed: plan.seed, method: RandomDraw.method, date: ds, pool: drawn.leaderPool,
                                       poolSha256: RandomDraw.poolSHA256(drawn.leaderPool), k: 1, drawn: [leader]))
                doc.draws.append(.init(id: drawId, seed: plan.seed, method: RandomDraw.method, date: ds, pool: drawn.memberPool,
                                       poolSha256: RandomDraw.poolSHA256(drawn.memberPool), k: drawn.memberK, drawn: drawn.members))
                tripNo += 1
                doc.assignments.append(RosterPlanner.assignment(v, u, ds, team, leader, [], drawId, trip: "T\(tripNo)", rc: rc))
            }
        }

        /// Trips of the other visits: same town (nearest first), up to one team-day.
        func trips(_ todays: [PlanDocument.Visit]) -> [[PlanDocument.Visit]] {
            var trips: [[PlanDocument.Visit]] = []
            for v in todays.filter({ $0.visitKind == .key || $0.visitKind == .special }).sorted(by: travelOrder) {
                let town = unit(v).town
                if let t = trips.lastIndex(where: { trip in unit(trip[0]).town == town
                        && trip.reduce(0.0, { $0 + effort($1.kind) }) + effort(v.kind) <= 1.0 + 1e-9
                        && !trip.contains(where: { $0.unit == v.unit }) }) {
                    trips[t].append(v)
                } else { trips.append([v]) }
            }
            return trips
        }

        /// The staffed trips' assignments; the unstaffed ones unassigned, key visits without an expert listed.
        mutating func assign(_ trips: [[PlanDocument.Visit]], _ staffed: Staffing, date ds: String, xroom: [String: Double]) {
            for (t, trip) in trips.enumerated() {
                guard let team = staffed.teams[t] else {
                    for v in trip { unassigned[v.id] = staffed.reasons[t] ?? "\(ds) 无法组成检查组 (no team could be formed)" }
                    continue
                }
                tripNo += 1
                for v in trip {
                    let u = unit(v)
                    let experts = v.visitKind == .key ? (staffed.experts[t] ?? []) : []
                    doc.assignments.append(RosterPlanner.assignment(v, u, ds, team.members, team.leader, experts, nil, trip: "T\(tripNo)", rc: rc))
                    if v.visitKind == .key && experts.isEmpty {
                        let free = rc.experts.filter { xroom[$0.id] != nil && !$0.conflicts.contains(v.unit) }
                        doc.expertShortfalls.append(.init(visit: v.id, reason: xroom.isEmpty
                            ? "\(ds) 专家库无可用专家 (no expert available that day)"
                            : free.isEmpty ? "\(ds) 当日可用专家均须回避该单位 (every expert available that day must recuse from this unit)"
                            : "\(ds) 可用专家已全部安排 (every available expert is already on another visit)"))
                    }
                }
            }
        }

        /// The roster, sorted, with its solver summary.
        func finished() -> RosterDocument {
            var doc = doc
            doc.assignments.sort { $0.visit < $1.visit }
            doc.unassigned = unassigned.map { .init(visit: $0.key, reason: $0.value) }.sorted { $0.visit < $1.visit }
            doc.expertShortfalls.sort { $0.visit < $1.visit }
            doc.solver = ModelRunner.summary(stages, objective: stages.reduce(0) { $0 + $1.objective }, level: "day")
            return doc
        }
    }

    static func assignment(_ v: PlanDocument.Visit, _ u: LedgerUnit, _ date: String, _ team: [String], _ leader: String,
                           _ experts: [String], _ draw: String?, trip: String, rc: RosterContext) -> RosterDocument.Assignment {
        .init(visit: v.id, unit: v.unit, date: date, kind: v.kind, team: team, leader: leader, experts: experts,
              focus: rc.focus.items(for: u), draw: draw, campaign: v.campaign, unitName: u.name, town: u.town,
              address: u.address ?? "", trip: trip)
    }

    struct Staffing {
        var teams: [Int: (members: [String], leader: String)] = [:]
        var experts: [Int: [String]] = [:]
        var reasons: [Int: String] = [:]
        var stage: PlanDocument.Stage
    }

    /// roster-days.mod: price of an expert-day short on a day.
    static let expertShortCost = 10.0
    /// roster-teams.mod: price of a trip left without a team, of a key trip without an expert,
    /// of a whole specialty mismatch, of each expert sent (so none goes needlessly), and of
    /// sending the leader who led the last visit to the unit.
    static let unstaffedTripCost = 1000.0
    static let tripWithoutExpertCost = 100.0
    static let mismatchCost = 10.0
    static let expertCost = 0.01
    static let lastLeaderCost = 5.0

    /// models/roster-teams.mod for one day.
    static func staffTrips(_ trips: [[PlanDocument.Visit]], date: CivilDate, rc: RosterContext, room: [String: Double],
                           xroom: [String: Double], history: RosterHistory, average: Double,
                           effort: (String) -> Double, runner: ModelRunner, translate: Bool = false) throws -> Staffing {
        let ctx = rc.ctx
        let unitIndex = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        let officers = ctx.staff.filter { $0.certified && (room[$0.id] ?? 0) > 1e-9 }
        let experts = rc.experts.filter { (xroom[$0.id] ?? 0) > 1e-9 }
        let eff = trips.map { $0.reduce(0.0) { $0 + effort($1.kind) } }
        // Staff ids are free text: the model sees o1…, x1… instead (RosterTeamsModel).
        var m = RosterTeamsModel()
        m.eff = eff
        m.needexp = trips.map { $0.contains { $0.visitKind == .key } }
        m.room = officers.map { room[$0.id] ?? 0 }
        m.leader = officers.map(\.leader)
        m.fair = officers.map { ((Double(history.visitsByOfficer[$0.id] ?? 0) / average) * 1000).rounded() / 1000 }
        m.xroom = experts.map { xroom[$0.id] ?? 0 }
        for (t, trip) in trips.enumerated() {
            let unitIds = Set(trip.map { $0.unit })
            for (o, officer) in officers.enumerated() where unitIds.isDisjoint(with: officer.conflicts) && (room[officer.id] ?? 0) + 1e-9 >= eff[t] {
                m.pairs.append((t, o, officer.leader && unitIds.contains(where: { history.lastLeader[$0] == officer.id })))
            }
            if m.needexp[t] {
                let hazards = Set(trip.flatMap { rc.focus.specialties(for: ctx.units[unitIndex[$0.unit]!]) })
                let specific = hazards.subtracting([.general])
                for (x, expert) in experts.enumerated() where unitIds.isDisjoint(with: expert.conflicts) && (xroom[expert.id] ?? 0) + 1e-9 >= eff[t] {
                    let has = Set(expert.specialties)
                    let miss: Double = specific.isEmpty ? (has.contains(.general) ? 0 : 0.5)
                        : Double(specific.subtracting(has).count) / Double(specific.count)
                    m.xpairs.append((t, x, miss))
                }
            }
        }
        // Built through GLPK's API: the problem the translator would make of the model file and
        // this data, without translating it every workday (models/README.md).
        let stage: PlanDocument.Stage
        let a: (Int) throws -> Bool, l: (Int) throws -> Bool, e: (Int) throws -> Bool
        typealias M = RosterTeamsModel
        if translate {
            let r = try runner.run("roster-teams.mod", data: m.data, stageName: "teams-\(date)").requireSolution()
            stage = r.stage
            a = { p in try r.isSet("a", M.ts(m.pairs[p].t), M.os(m.pairs[p].o)) }
            l = { p in try m.leader[m.pairs[p].o] && r.isSet("l", M.ts(m.pairs[p].t), M.os(m.pairs[p].o)) }
            e = { k in try r.isSet("e", M.ts(m.xpairs[k].t), M.xs(m.xpairs[k].x)) }
        } else {
            // Built through GLPK's API; a large day on part of its staff first (RosterTeamsModel+Sifting).
            let answer = try m.solve(runner: runner, stageName: "teams-\(date)")
            stage = answer.stage
            a = { answer.a[$0] }
            l = { answer.l[$0] }
            e = { answer.e[$0] }
        }
        var out = Staffing(stage: stage)
        var xByTrip = Array(repeating: [Int](), count: trips.count)
        for (k, q) in m.xpairs.enumerated() { xByTrip[q.t].append(k) }
        var first = 0
        for t in trips.indices {
            var members: [String] = [], leader: String?
            var p = first
            while p < m.pairs.count && m.pairs[p].t == t {
                let officer = officers[m.pairs[p].o]
                if try a(p) { members.append(officer.id) }
                if try leader == nil && l(p) { leader = officer.id }
                p += 1
            }
            first = p
            if members.count >= 2, let leader {
                out.teams[t] = ([leader] + members.filter { $0 != leader }, leader)
                out.experts[t] = try xByTrip[t].filter(e)
                    .map { experts[m.xpairs[$0].x].id }
            } else {
                out.reasons[t] = "\(date) 无冲突且有空的持证执法人员不足2人或无可任组长者 (fewer than two free certified officers without conflicts, or none who may lead)"
            }
        }
        return out
    }
}

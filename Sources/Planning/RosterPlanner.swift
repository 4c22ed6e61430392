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

    public static func load(plan: PlanDocument, scenario: Scenario) throws -> RosterContext {
        let ctx = try PlanContext.load(scenario: scenario)
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

    public static func roster(_ rc: RosterContext, month: Int, history: RosterHistory = RosterHistory(),
                              timeLimit: Double = 10) throws -> RosterDocument {
        let ctx = rc.ctx, plan = rc.plan
        let year = plan.year
        let unitIndex = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        let visits = plan.visits.filter { $0.month == month }
        let dates = ctx.calendar.workdayDates(inMonth: month)
        let officers = ctx.staff.filter { $0.certified }
        let p = plan.policy
        let effort = p.effort.teamDays(for:)

        var doc = RosterDocument(year: year, month: month, authority: plan.authority, seed: plan.seed, assignments: [], unassigned: [],
                                 expertShortfalls: [], draws: [], days: [],
                                 solver: .init(status: "optimal", objective: 0, mipGap: 0, seconds: 0, level: "day", stages: []))
        var unassigned: [String: String] = [:]
        let knownVisits = visits.filter { unitIndex[$0.unit] != nil }
        for v in visits where unitIndex[v.unit] == nil { unassigned[v.id] = "单位\(v.unit)不在台账中 (unit not in the ledger)" }

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var options = SolveOptions(timeLimit: timeLimit, relativeMIPGap: 1e-4)
        options.messageLevel = .off
        options.cuts = .all

        // ---- Stage 1: how many visits of each kind on each day.
        let kinds = ["key", "special", "random", "joint"]
        let avail = dates.map { d in officers.filter { $0.isAvailable(on: d) }.count }
        // A team needs two certified officers, one of whom may lead: whole teams a day.
        let teams = dates.map { d in min(officers.filter { $0.isAvailable(on: d) }.count / 2, officers.filter { $0.leader && $0.isAvailable(on: d) }.count) }
        let expAvail = dates.map { d in rc.experts.filter { $0.isAvailable(on: d) }.count }
        var perDay: [String: [Int]] = [:]
        var stageStatuses: [PlanDocument.Stage] = []
        if !dates.isEmpty && !knownVisits.isEmpty {
            var dat = "data;\nset D :=" + dates.map { " \($0.day)" }.joined() + ";\nset K := key special random joint;\n"
            dat += "param n :=" + kinds.map { k in " \(k) \(knownVisits.filter { $0.kind == k }.count)" }.joined() + ";\n"
            dat += "param eff :=" + kinds.map { " \($0) \(num(effort($0)))" }.joined() + ";\n"
            dat += "param: cap expcap :=\n" + dates.indices.map { "  \(dates[$0].day) \(teams[$0]) \(expAvail[$0])\n" }.joined() + ";\n"
            dat += "param grid := \(num(AnnualPlanner.effortGrid(p.effort)));\nparam penalty := 1000;\nend;\n"
            let (stage, r) = try solve("roster-days.mod", dat, work: work, name: "days", options: options)
            stageStatuses.append(stage)
            for k in kinds { perDay[k] = dates.map { Int((r.value(named: "x[\(k),\($0.day)]") ?? 0).rounded()) } }
        }

        // Visits onto days: by kind, same town together, nearest first.
        func travelOrder(_ a: PlanDocument.Visit, _ b: PlanDocument.Visit) -> Bool {
            let ua = ctx.units[unitIndex[a.unit]!], ub = ctx.units[unitIndex[b.unit]!]
            if ua.town != ub.town { return ua.town < ub.town }
            let la = ua.latitude ?? 0, lb = ub.latitude ?? 0
            if la != lb { return la < lb }
            return a.id < b.id
        }
        var onDay = Array(repeating: [PlanDocument.Visit](), count: dates.count)
        for k in kinds {
            var queue = knownVisits.filter { $0.kind == k }.sorted(by: travelOrder)
            for (i, c) in (perDay[k] ?? []).enumerated() where c > 0 {
                onDay[i] += queue.prefix(c)
                queue.removeFirst(min(c, queue.count))
            }
            for v in queue {
                unassigned[v.id] = "\(month)月可用执法人员不足，无法安排到任何工作日 (no workday of the month has certified officers left for it)"
            }
        }

        // ---- Day by day: draws for random visits, then teams for trips.
        var history = history
        let average = max(1.0, Double(history.visitsByOfficer.values.reduce(0, +)) / Double(max(1, officers.count)))
        var tripNo = 0
        for (i, date) in dates.enumerated() {
            let ds = date.description
            var room: [String: Double] = [:]
            for o in officers where o.isAvailable(on: date) { room[o.id] = 1.0 }
            var xroom: [String: Double] = [:]
            for x in rc.experts where x.isAvailable(on: date) { xroom[x.id] = 1.0 }
            let todays = onDay[i].sorted { $0.id < $1.id }
            doc.days.append(.init(date: ds, officersAvailable: room.count, expertsAvailable: xroom.count,
                                  teamDays: Double(teams[i]), visits: todays.count))

            // 双随机 second draw: officers of every random visit (and joint visits) drawn.
            for v in todays where v.kind == "random" || v.kind == "joint" {
                let u = ctx.units[unitIndex[v.unit]!]
                let e = effort(v.kind)
                let pool = officers.filter { (room[$0.id] ?? 0) + 1e-9 >= e && !$0.conflicts.contains(u.id) }.map { $0.id }
                let drawId = "R-\(String(format: "%04d-%02d", year, month))-\(v.id)"
                let mayLead = Set(officers.filter { $0.leader }.map { $0.id })
                let drawn = try drawnTeam(seed: plan.seed, id: drawId, pool: pool, k: teamSize, mayLead: mayLead.contains)
                guard let leader = drawn.leader else {
                    unassigned[v.id] = "\(ds) 抽取池（无冲突且有空的持证执法人员\(pool.count)人）中无可任组长者 (no officer in the pool of \(pool.count) free certified officers without conflicts may lead)"
                    continue
                }
                guard drawn.complete else {
                    unassigned[v.id] = "\(ds) 无冲突且有空的持证执法人员不足\(teamSize)人 (fewer than \(teamSize) free certified officers without conflicts)"
                    continue
                }
                let team = drawn.team
                for o in team { room[o, default: 0] -= e }
                doc.draws.append(.init(id: drawn.leaderDrawId, seed: plan.seed, method: RandomDraw.method, date: ds, pool: drawn.leaderPool,
                                       poolSha256: RandomDraw.poolSHA256(drawn.leaderPool), k: 1, drawn: [leader]))
                doc.draws.append(.init(id: drawId, seed: plan.seed, method: RandomDraw.method, date: ds, pool: drawn.memberPool,
                                       poolSha256: RandomDraw.poolSHA256(drawn.memberPool), k: drawn.memberK, drawn: drawn.members))
                tripNo += 1
                doc.assignments.append(assignment(v, u, ds, team, leader, [], drawId, trip: "T\(tripNo)", rc: rc))
            }

            // Trips of the other visits: same town (nearest first), up to one team-day.
            var trips: [[PlanDocument.Visit]] = []
            for v in todays.filter({ $0.kind == "key" || $0.kind == "special" }).sorted(by: travelOrder) {
                let town = ctx.units[unitIndex[v.unit]!].town
                if let t = trips.lastIndex(where: { trip in ctx.units[unitIndex[trip[0].unit]!].town == town
                        && trip.reduce(0.0, { $0 + effort($1.kind) }) + effort(v.kind) <= 1.0 + 1e-9
                        && !trip.contains(where: { $0.unit == v.unit }) }) {
                    trips[t].append(v)
                } else { trips.append([v]) }
            }
            guard !trips.isEmpty else { continue }
            let staffed = try staffTrips(trips, date: date, rc: rc, room: room, xroom: xroom, history: history, average: average,
                                         effort: effort, work: work, options: options)
            stageStatuses.append(staffed.stage)
            for (t, trip) in trips.enumerated() {
                guard let team = staffed.teams[t] else {
                    for v in trip { unassigned[v.id] = staffed.reasons[t] ?? "\(ds) 无法组成检查组 (no team could be formed)" }
                    continue
                }
                tripNo += 1
                for v in trip {
                    let u = ctx.units[unitIndex[v.unit]!]
                    let experts = v.kind == "key" ? (staffed.experts[t] ?? []) : []
                    doc.assignments.append(assignment(v, u, ds, team.members, team.leader, experts, nil, trip: "T\(tripNo)", rc: rc))
                    if v.kind == "key" && experts.isEmpty {
                        let free = rc.experts.filter { xroom[$0.id] != nil && !$0.conflicts.contains(v.unit) }
                        doc.expertShortfalls.append(.init(visit: v.id, reason: xroom.isEmpty
                            ? "\(ds) 专家库无可用专家 (no expert available that day)"
                            : free.isEmpty ? "\(ds) 当日可用专家均须回避该单位 (every expert available that day must recuse from this unit)"
                            : "\(ds) 可用专家已全部安排 (every available expert is already on another visit)"))
                    }
                }
            }
            for a in doc.assignments where a.date == ds {
                for o in a.team { history.visitsByOfficer[o, default: 0] += 1 }
            }
        }
        doc.assignments.sort { $0.visit < $1.visit }
        doc.unassigned = unassigned.map { .init(visit: $0.key, reason: $0.value) }.sorted { $0.visit < $1.visit }
        doc.expertShortfalls.sort { $0.visit < $1.visit }
        let worst = stageStatuses.map { $0.status }.max { rank($0) < rank($1) } ?? "optimal"
        doc.solver = .init(status: worst, objective: stageStatuses.reduce(0) { $0 + $1.objective },
                           mipGap: stageStatuses.map { $0.mipGap }.max() ?? 0, seconds: stageStatuses.reduce(0) { $0 + $1.seconds },
                           level: "day", stages: stageStatuses)
        return doc
    }

    static func rank(_ status: String) -> Int {
        ["optimal", "within_gap", "time_limit", "time_limit_no_solution", "infeasible", "unbounded", "failed"].firstIndex(of: status) ?? 9
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

    /// models/roster-teams.mod for one day.
    static func staffTrips(_ trips: [[PlanDocument.Visit]], date: CivilDate, rc: RosterContext, room: [String: Double],
                           xroom: [String: Double], history: RosterHistory, average: Double,
                           effort: (String) -> Double, work: URL, options: SolveOptions) throws -> Staffing {
        let ctx = rc.ctx
        let unitIndex = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        let officers = ctx.staff.filter { $0.certified && (room[$0.id] ?? 0) > 1e-9 }
        let experts = rc.experts.filter { (xroom[$0.id] ?? 0) > 1e-9 }
        let eff = trips.map { $0.reduce(0.0) { $0 + effort($1.kind) } }
        // Staff ids are free text: the model sees o1…, x1… instead.
        var sym: [String: String] = [:]
        for (i, o) in officers.enumerated() { sym[o.id] = "o\(i + 1)" }
        for (i, x) in experts.enumerated() { sym["expert:" + x.id] = "x\(i + 1)" }
        func os(_ o: StaffMember) -> String { sym[o.id]! }
        func xs(_ x: StaffMember) -> String { sym["expert:" + x.id]! }
        var dat = "data;\nset T :=" + trips.indices.map { " t\($0)" }.joined() + ";\n"
        dat += "set O :=" + officers.map { " \(os($0))" }.joined() + ";\n"
        dat += "set X :=" + experts.map { " \(xs($0))" }.joined() + ";\n"
        var pairs: [String] = [], lastled: [String] = []
        var xpairs: [String] = []
        for (t, trip) in trips.enumerated() {
            let unitIds = Set(trip.map { $0.unit })
            for o in officers where unitIds.isDisjoint(with: o.conflicts) && (room[o.id] ?? 0) + 1e-9 >= eff[t] {
                pairs.append("(t\(t),\(os(o)))")
                if o.leader && unitIds.contains(where: { history.lastLeader[$0] == o.id }) { lastled.append("t\(t) \(os(o)) 1") }
            }
            if trip.contains(where: { $0.kind == "key" }) {
                let hazards = Set(trip.flatMap { rc.focus.specialties(for: ctx.units[unitIndex[$0.unit]!]) })
                for x in experts where unitIds.isDisjoint(with: x.conflicts) && (xroom[x.id] ?? 0) + 1e-9 >= eff[t] {
                    let specific = hazards.subtracting([.general])
                    let has = Set(x.specialties)
                    let miss: Double = specific.isEmpty ? (has.contains(.general) ? 0 : 0.5)
                        : Double(specific.subtracting(has).count) / Double(specific.count)
                    xpairs.append("t\(t) \(xs(x)) \(num(miss))")
                }
            }
        }
        dat += "set TO :=" + pairs.map { " \($0)" }.joined() + ";\n"
        dat += "set TX :=" + xpairs.map { " (" + $0.split(separator: " ").prefix(2).joined(separator: ",") + ")" }.joined() + ";\n"
        dat += "param eff :=" + trips.indices.map { " t\($0) \(num(eff[$0]))" }.joined() + ";\n"
        dat += "param needexp :=" + trips.indices.map { " t\($0) \(trips[$0].contains { $0.kind == "key" } ? 1 : 0)" }.joined() + ";\n"
        if !officers.isEmpty {
            dat += "param: room leader fair :=\n" + officers.map {
                "  \(os($0)) \(num(room[$0.id] ?? 0)) \($0.leader ? 1 : 0) \(num(((Double(history.visitsByOfficer[$0.id] ?? 0) / average) * 1000).rounded() / 1000))\n"
            }.joined() + ";\n"
        }
        if !lastled.isEmpty { dat += "param lastled :=\n" + lastled.map { "  \($0)\n" }.joined() + ";\n" }
        if !xpairs.isEmpty { dat += "param mismatch :=\n" + xpairs.map { "  \($0)\n" }.joined() + ";\n" }
        if !experts.isEmpty { dat += "param xroom :=" + experts.map { " \(xs($0)) \(num(xroom[$0.id] ?? 0))" }.joined() + ";\n" }
        dat += "end;\n"
        let (stage, r) = try solve("roster-teams.mod", dat, work: work, name: "teams-\(date)", options: options)
        var out = Staffing(stage: stage)
        for (t, _) in trips.enumerated() {
            let members = officers.filter { (r.value(named: "a[t\(t),\(os($0))]") ?? 0) > 0.5 }.map { $0.id }
            let leader = officers.first { $0.leader && (r.value(named: "l[t\(t),\(os($0))]") ?? 0) > 0.5 }?.id
            if members.count >= 2, let leader {
                out.teams[t] = ([leader] + members.filter { $0 != leader }, leader)
                out.experts[t] = experts.filter { (r.value(named: "e[t\(t),\(xs($0))]") ?? 0) > 0.5 }.map { $0.id }
            } else {
                out.reasons[t] = "\(date) 无冲突且有空的持证执法人员不足2人或无可任组长者 (fewer than two free certified officers without conflicts, or none who may lead)"
            }
        }
        return out
    }

    static func solve(_ model: String, _ data: String, work: URL, name: String, options: SolveOptions) throws -> (PlanDocument.Stage, SolveResult) {
        let path = work.appendingPathComponent("\(name).dat").path
        try data.write(toFile: path, atomically: true, encoding: .utf8)
        // PLANNER_DEBUG_DIR keeps every data section solved, for glpsol: glpsol -m models/X.mod -d FILE.
        if let keep = ProcessInfo.processInfo.environment["PLANNER_DEBUG_DIR"], !keep.isEmpty {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? data.write(toFile: "\(keep)/\(model)-\(name).dat", atomically: true, encoding: .utf8)
        }
        let m = try MathProgModel(modelFile: try ModelLibrary.path(model), dataFiles: [path])
        let r = try m.solve(options)
        guard r.hasSolution else { throw PlanningError.noSolution(stage: name, status: "\(r.status)") }
        return (PlanDocument.Stage(name: name, status: AnnualPlanner.statusName(r.status), objective: r.objectiveValue ?? 0,
                                   mipGap: AnnualPlanner.gap(r), seconds: r.solveSeconds, rows: m.problem.rowCount,
                                   columns: m.problem.columnCount), r)
    }
}

import Foundation
import GLPK

/// One day of `models/roster-teams.mod`: its data, written as the model's data section
/// (``data``) or built straight into the problem GLPK's translator would make of model and
/// data together (``build()``), without translating.
///
/// The build follows `glp_mpl_build_prob` step for step — the same rows and columns in the same
/// order under the same names (rows named after rules: `site_team[t0]`, `load_officer_day[o3]`
/// …), the objective `cost` also as a free row, each row's elements in the translator's order,
/// every number as it reads back from the data section's text — so GLPK solves the very same
/// problem. `RosterTeamsModelTests` checks the two problems equal element by element
/// (``LinearProgram/structureText()``) on every day of the demo's rosters.
///
/// Symbols as in the data section: trips `t0…`, officers `o1…`, experts `x1…`.
struct RosterTeamsModel {
    /// Team-days of each trip (`eff`) and whether it has a key visit (`needexp`).
    var eff: [Double] = []
    var needexp: [Bool] = []
    /// Officers available with room left: `room`, `leader`, `fair`.
    var room: [Double] = []
    var leader: [Bool] = []
    var fair: [Double] = []
    /// Experts available: `xroom`.
    var xroom: [Double] = []
    /// `TO`, trip-major, officers in order within a trip (the order the translator first meets
    /// them, which numbers the columns); `lastled` of the pair.
    var pairs: [(t: Int, o: Int, lastled: Bool)] = []
    /// `TX`, trip-major, experts in order within a trip; `mismatch` of the pair.
    var xpairs: [(t: Int, x: Int, mismatch: Double)] = []

    static func ts(_ t: Int) -> MathProgSymbol { .text("t\(t)") }
    static func os(_ o: Int) -> MathProgSymbol { .text("o\(o + 1)") }
    static func xs(_ x: Int) -> MathProgSymbol { .text("x\(x + 1)") }

    /// The data section (`glpsol -m models/roster-teams.mod -d FILE` solves the same problem).
    var data: MathProgData {
        typealias S = RosterTeamsModel
        var d = MathProgData()
        d.set("T", eff.indices.map(S.ts))
        d.set("O", room.indices.map(S.os))
        d.set("X", xroom.indices.map(S.xs))
        d.set("TO", tuples: pairs.map { [S.ts($0.t), S.os($0.o)] })
        d.set("TX", tuples: xpairs.map { [S.ts($0.t), S.xs($0.x)] })
        d.param("eff", eff.indices.map { (S.ts($0), eff[$0]) })
        d.param("needexp", needexp.indices.map { (S.ts($0), needexp[$0] ? 1 : 0) })
        if !room.isEmpty {
            d.table(["room", "leader", "fair"], rows: room.indices.map { (S.os($0), [room[$0], leader[$0] ? 1 : 0, fair[$0]]) })
        }
        let lastled = pairs.filter(\.lastled)
        if !lastled.isEmpty { d.param("lastled", indexed: lastled.map { ([S.ts($0.t), S.os($0.o)], 1) }, layout: .lines) }
        if !xpairs.isEmpty { d.param("mismatch", indexed: xpairs.map { ([S.ts($0.t), S.xs($0.x)], $0.mismatch) }, layout: .lines) }
        if !xroom.isEmpty { d.param("xroom", xroom.indices.map { (S.xs($0), xroom[$0]) }) }
        d.param("unstaffed_cost", RosterPlanner.unstaffedTripCost)
        d.param("no_expert_cost", RosterPlanner.tripWithoutExpertCost)
        d.param("mismatch_cost", RosterPlanner.mismatchCost)
        d.param("expert_cost", RosterPlanner.expertCost)
        d.param("lastled_cost", RosterPlanner.lastLeaderCost)
        return d
    }

    /// The columns of a built problem, by pair, leader pair, expert pair and trip.
    struct Columns {
        var a: [Column] = []
        /// `l[t,o]` of pair p, nil when the officer may not lead.
        var l: [Column?] = []
        var e: [Column] = []
        var un: [Column] = []
        var xmiss: [Column] = []
    }

    /// A number as the translator reads it from the data section.
    static func read(_ v: Double) -> Double {
        Double(MathProgNumberFormat.sixDecimals.text(v)) ?? v
    }

    /// The problem `glp_mpl_build_prob` makes of roster-teams.mod and ``data``.
    func build(name: String = "roster-teams") throws -> (LinearProgram, Columns) {
        typealias S = RosterTeamsModel
        let rd = S.read
        let eff = eff.map(rd), room = room.map(rd), fair = fair.map(rd), xroom = xroom.map(rd)
        let unstaffed = rd(RosterPlanner.unstaffedTripCost), noExpert = rd(RosterPlanner.tripWithoutExpertCost)
        let mismatchCost = rd(RosterPlanner.mismatchCost), expertCost = rd(RosterPlanner.expertCost)
        let lastledCost = rd(RosterPlanner.lastLeaderCost)
        func pair(_ t: Int, _ o: Int) -> String { "[t\(t),o\(o + 1)]" }
        func xpair(_ t: Int, _ x: Int) -> String { "[t\(t),x\(x + 1)]" }

        // Objective coefficients, as the translator sums the terms of `cost`.
        let aObj = pairs.map { fair[$0.o] * eff[$0.t] }
        let lObj = pairs.map { $0.lastled ? lastledCost * 1 : 0 }
        let eObj = xpairs.map { mismatchCost * rd($0.mismatch) + expertCost }

        let lp = try LinearProgram(name: name, direction: .minimize, objectiveName: "cost")
        var cols = Columns()
        var specs: [ColumnSpec] = []
        specs.reserveCapacity(pairs.count * 2 + xpairs.count + eff.count * 2)
        for (p, q) in pairs.enumerated() { specs.append(ColumnSpec(name: "a" + pair(q.t, q.o), kind: .binary, objective: aObj[p])) }
        var lIndex: [Int?] = []
        var nl = 0
        for (p, q) in pairs.enumerated() {
            if leader[q.o] {
                lIndex.append(nl); nl += 1
                specs.append(ColumnSpec(name: "l" + pair(q.t, q.o), kind: .binary, objective: lObj[p]))
            } else { lIndex.append(nil) }
        }
        for (k, q) in xpairs.enumerated() { specs.append(ColumnSpec(name: "e" + xpair(q.t, q.x), kind: .binary, objective: eObj[k])) }
        for t in eff.indices { specs.append(ColumnSpec(name: "un[t\(t)]", kind: .binary, objective: unstaffed)) }
        for t in eff.indices { specs.append(ColumnSpec(name: "xmiss[t\(t)]", kind: .continuous, lower: 0, objective: noExpert)) }
        let all = try lp.addColumns(specs)
        var at = 0
        cols.a = Array(all[at..<at + pairs.count]); at += pairs.count
        let ls = Array(all[at..<at + nl]); at += nl
        cols.l = lIndex.map { $0.map { ls[$0] } }
        cols.e = Array(all[at..<at + xpairs.count]); at += xpairs.count
        cols.un = Array(all[at..<at + eff.count]); at += eff.count
        cols.xmiss = Array(all[at..<at + eff.count])

        // Pairs by trip (contiguous, trip-major) and by officer / expert (trips in order).
        var byTrip = Array(repeating: [Int](), count: eff.count), byOfficer = Array(repeating: [Int](), count: room.count)
        for (p, q) in pairs.enumerated() { byTrip[q.t].append(p); byOfficer[q.o].append(p) }
        var xByTrip = Array(repeating: [Int](), count: eff.count), byExpert = Array(repeating: [Int](), count: xroom.count)
        for (k, q) in xpairs.enumerated() { xByTrip[q.t].append(k); byExpert[q.x].append(k) }

        // Each row's terms in the order the translator hands them to glp_set_mat_row (measured
        // against it, RosterTeamsModelTests): GLPK keeps a row's elements last given first.
        var rows: [RowSpec] = []
        func row(_ name: String, _ terms: [(Column, Double)], _ bounds: RowBounds) {
            rows.append(RowSpec(name: name, coefficients: terms, bounds: bounds))
        }
        for t in eff.indices {
            row("site_team[t\(t)]", [(cols.un[t], 2)] + byTrip[t].map { (cols.a[$0], 1.0) }, .fixed(2))
        }
        for t in eff.indices {
            row("site_team_leader[t\(t)]", [(cols.un[t], 1)] + byTrip[t].compactMap { p in cols.l[p].map { ($0, 1.0) } }, .fixed(1))
        }
        // The translator writes a zero right-hand side it computed as −0.
        for (p, q) in pairs.enumerated() {
            guard let l = cols.l[p] else { continue }
            row("site_team_leads_own" + pair(q.t, q.o), [(l, 1), (cols.a[p], -1)], .upper(-0.0))
        }
        for o in room.indices {
            row("load_officer_day[o\(o + 1)]", byOfficer[o].reversed().map { (cols.a[$0], eff[pairs[$0].t]) }, .upper(room[o]))
        }
        for t in eff.indices {
            row("freq_key_cover_expert[t\(t)]", [(cols.xmiss[t], 1)] + xByTrip[t].map { (cols.e[$0], 1.0) },
                .lower(needexp[t] ? 1 : -0.0))
        }
        for x in xroom.indices {
            row("load_expert_day[x\(x + 1)]", byExpert[x].reversed().map { (cols.e[$0], eff[xpairs[$0].t]) }, .upper(xroom[x]))
        }
        // cost: fairness terms, specialty mismatches (last first), unstaffed trips, trips without
        // an expert, the experts not yet listed (last first), the last leaders.
        let mismatched = xpairs.indices.filter { rd(xpairs[$0].mismatch) != 0 }
        var cost: [(Column, Double)] = pairs.indices.map { (cols.a[$0], aObj[$0]) }
        cost += mismatched.reversed().map { (cols.e[$0], eObj[$0]) }
        cost += cols.un.map { ($0, unstaffed) } + cols.xmiss.map { ($0, noExpert) }
        cost += xpairs.indices.reversed().filter { rd(xpairs[$0].mismatch) == 0 }.map { (cols.e[$0], eObj[$0]) }
        cost += pairs.indices.compactMap { p in cols.l[p].map { ($0, lObj[p]) } }
        row("cost", cost, .free)
        try lp.addRows(rows)
        return (lp, cols)
    }
}

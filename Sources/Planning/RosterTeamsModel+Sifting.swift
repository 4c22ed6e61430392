import Foundation
import GLPK

/// Solving a large day on a few of its pairs, with a proof that the others would not help
/// (column generation).
///
/// A district of 50,000 units offers some 450 officers and 160 experts on a day of 50 trips:
/// nearly every officer may go on every trip, so the whole day is a problem of ~37,000 columns
/// whose LP alone takes GLPK seconds, though each trip needs two officers and an expert. Such a
/// day starts from the pairs a greedy roster uses and each trip's cheapest few. The LP
/// relaxation of that part is solved, and its duals price every pair left out; the pairs that
/// could lower it come in, a few per trip, until none can. The part's relaxation is then the
/// whole day's, a lower bound LB on its optimum. The part's MIP gives an answer z. Any pair left
/// out raises the cost of an answer that uses it by at least its reduced cost (reduced-cost
/// fixing), so the pairs priced within z − LB come in too and the part is solved again: its
/// optimum is the whole day's. If the rounds run out, the whole day is solved instead. Either
/// way the roster is an optimum of models/roster-teams.mod, within the runner's MIP gap (among
/// equally good teams it may pick another than a solve of the whole day would).
///
/// The officers' side (`a`, `l`, `un`) and the experts' side (`e`, `xmiss`) share no row: the day
/// is two problems in one, and each side's gap z − LB bounds only its own pairs (the experts'
/// LP may split an expert between two short trips while the officers' is exact).
///
/// Prices, with the duals y of `site_team[t]`, `site_team_leader[t]`, `freq_key_cover_expert[t]`
/// and π of the officer's (expert's) load row (0 when the officer is not in the part): `a[t,o]`
/// prices to `fair·eff − y_site[t] − eff·π_o + μ` and `l[t,o]` to `lastled·cost − y_leader[t] − μ`,
/// with μ ≤ 0 the dual of the pair's own row `l ≤ a`, free to choose for a pair left out. The
/// least a used pair adds is `fair·eff − y_site[t] − eff·π_o + min(0, lastled·cost − y_leader[t])`
/// for one who may lead (μ as large as `l`'s price allows), `fair·eff − y_site[t] − eff·π_o`
/// otherwise; an expert's pair adds `mismatch·cost + expert_cost − y_cover[t] − eff·ρ_x`.
extension RosterTeamsModel {
    /// Days with more officer–trip pairs than this are solved by column generation (the bundled
    /// scenarios' days have at most ~1,200; a 50,000-unit district's about 22,000).
    static let siftAbovePairs = 4_000

    /// The day's numbers as the translator reads them back from the data section (six
    /// decimals), worked out once: the prices column generation compares.
    struct Prices {
        let eff: [Double], room: [Double], fair: [Double], xroom: [Double]
        /// By expert pair.
        let mismatch: [Double]
        let unstaffed: Double, noExpert: Double, mismatchCost: Double, expertCost: Double, lastled: Double

        init(_ m: RosterTeamsModel) {
            let rd = RosterTeamsModel.read
            eff = m.eff.map(rd); room = m.room.map(rd); fair = m.fair.map(rd); xroom = m.xroom.map(rd)
            mismatch = m.xpairs.map { rd($0.mismatch) }
            unstaffed = rd(RosterPlanner.unstaffedTripCost); noExpert = rd(RosterPlanner.tripWithoutExpertCost)
            mismatchCost = rd(RosterPlanner.mismatchCost); expertCost = rd(RosterPlanner.expertCost)
            lastled = rd(RosterPlanner.lastLeaderCost)
        }

        /// What officer o on trip t costs (`fair·eff`); an expert pair k (`mismatch·cost + expert_cost`).
        func officer(_ o: Int, on t: Int) -> Double { fair[o] * eff[t] }
        func expert(_ k: Int) -> Double { mismatchCost * mismatch[k] + expertCost }
    }

    /// A day's answer: the pairs, leader pairs and expert pairs chosen.
    struct Answer {
        var stage: PlanDocument.Stage
        /// By pair (``pairs``): officer on the trip; officer leads it. By expert pair: expert joins.
        var a: [Bool]
        var l: [Bool]
        var e: [Bool]
        /// Pairs and expert pairs in the problem last solved; rounds of pricing (0: the whole day).
        var pairsSolved: Int
        var xpairsSolved: Int
        var rounds: Int
    }

    /// Solves the day: by column generation above `siftAbovePairs` pairs, whole otherwise or
    /// when the rounds run out.
    func solve(runner: ModelRunner, stageName: String, siftAbovePairs: Int = Self.siftAbovePairs) throws -> Answer {
        if pairs.count > siftAbovePairs, let answer = try generateColumns(runner: runner, stageName: stageName) {
            return answer
        }
        let (lp, cols) = try build()
        let r = try runner.run(problem: lp, model: "roster-teams.mod", data: data, stageName: stageName).requireSolution()
        return Answer(stage: r.stage, a: try cols.a.map { try r.result.value(of: $0) > 0.5 },
                      l: try cols.l.map { try $0.map { try r.result.value(of: $0) > 0.5 } ?? false },
                      e: try cols.e.map { try r.result.value(of: $0) > 0.5 },
                      pairsSolved: pairs.count, xpairsSolved: xpairs.count, rounds: 0)
    }

    /// A part of the day as a model of its own: the pairs and expert pairs kept, all trips, and
    /// the officers and experts of those pairs renumbered in order. Its data section is what
    /// `PLANNER_DEBUG_DIR` keeps for a day solved by column generation.
    func part(pairs keep: [Bool], xpairs keepX: [Bool]) -> RosterTeamsModel {
        var officer = [Int?](repeating: nil, count: room.count), expert = [Int?](repeating: nil, count: xroom.count)
        var inO = [Bool](repeating: false, count: room.count), inX = [Bool](repeating: false, count: xroom.count)
        for (p, q) in pairs.enumerated() where keep[p] { inO[q.o] = true }
        for (k, q) in xpairs.enumerated() where keepX[k] { inX[q.x] = true }
        var m = RosterTeamsModel()
        m.eff = eff
        m.needexp = needexp
        for o in room.indices where inO[o] {
            officer[o] = m.room.count
            m.room.append(room[o]); m.leader.append(leader[o]); m.fair.append(fair[o])
        }
        for x in xroom.indices where inX[x] {
            expert[x] = m.xroom.count
            m.xroom.append(xroom[x])
        }
        for (p, q) in pairs.enumerated() where keep[p] { m.pairs.append((q.t, officer[q.o]!, q.lastled)) }
        for (k, q) in xpairs.enumerated() where keepX[k] { m.xpairs.append((q.t, expert[q.x]!, q.mismatch)) }
        return m
    }

    /// The pairs a column generation starts from: for each trip, in order, the cheapest leader
    /// and member with room left and the best expert with room left (a greedy roster), and the
    /// `few` cheapest pairs of each kind the trip allows.
    func startingPairs(few: Int = 3) -> (pairs: [Bool], xpairs: [Bool]) {
        let price = Prices(self)
        var keep = [Bool](repeating: false, count: pairs.count), keepX = [Bool](repeating: false, count: xpairs.count)
        var left = price.room, xleft = price.xroom
        var byTrip = Array(repeating: [Int](), count: eff.count), xByTrip = Array(repeating: [Int](), count: eff.count)
        for (p, q) in pairs.enumerated() { byTrip[q.t].append(p) }
        for (k, q) in xpairs.enumerated() { xByTrip[q.t].append(k) }
        let member = pairs.map { price.fair[$0.o] }
        let lead = pairs.map { price.fair[$0.o] + ($0.lastled ? price.lastled : 0) }
        for t in eff.indices {
            let need = price.eff[t]
            let members = byTrip[t].sorted { (member[$0], $0) < (member[$1], $1) }
            let leaders = byTrip[t].filter { leader[pairs[$0].o] }.sorted { (lead[$0], $0) < (lead[$1], $1) }
            for p in members.prefix(few) + leaders.prefix(few) { keep[p] = true }
            if let head = leaders.first(where: { left[pairs[$0].o] + 1e-9 >= need }),
               let second = members.first(where: { pairs[$0].o != pairs[head].o && left[pairs[$0].o] + 1e-9 >= need }) {
                for p in [head, second] { keep[p] = true; left[pairs[p].o] -= need }
            }
            let experts = xByTrip[t].sorted { (price.mismatch[$0], $0) < (price.mismatch[$1], $1) }
            for k in experts.prefix(few) { keepX[k] = true }
            if let k = experts.first(where: { xleft[xpairs[$0].x] + 1e-9 >= need }) {
                keepX[k] = true
                xleft[xpairs[k].x] -= need
            }
        }
        return (keep, keepX)
    }

    /// The LP relaxation of a growing part of the day, kept between rounds so that each round's
    /// simplex starts from the last one's basis: the trips' rows from the start, an officer's or
    /// an expert's load row when the first of their pairs comes in.
    final class RelaxedPart {
        let day: RosterTeamsModel
        let price: Prices
        let lp: LinearProgram
        var site: [Row] = [], lead: [Row] = [], cover: [Row] = []
        var load: [Row?], xload: [Row?]
        /// Objective terms by side: (column, price), for the side costs of the relaxation.
        var officerTerms: [(Column, Double)] = [], expertTerms: [(Column, Double)] = []
        /// The columns of each pair in, by pair; the 0/1 columns not yet made binary.
        var a: [Int: Column] = [:], l: [Int: Column] = [:], e: [Int: Column] = [:]
        var relaxedBinaries: [Column] = []

        init(_ day: RosterTeamsModel, prices: Prices) throws {
            self.day = day
            price = prices
            lp = try LinearProgram(name: "roster-teams-relaxed", direction: .minimize)
            load = Array(repeating: nil, count: day.room.count)
            xload = Array(repeating: nil, count: day.xroom.count)
            let n = day.eff.count
            let un = try lp.addColumns((0..<n).map { ColumnSpec(name: "un[t\($0)]", upper: 1, objective: prices.unstaffed) })
            let xmiss = try lp.addColumns((0..<n).map { ColumnSpec(name: "xmiss[t\($0)]", objective: prices.noExpert) })
            officerTerms = un.map { ($0, prices.unstaffed) }
            relaxedBinaries = un
            expertTerms = xmiss.map { ($0, prices.noExpert) }
            site = try lp.addRows((0..<n).map { RowSpec(name: "site_team[t\($0)]", coefficients: [(un[$0], 2)], bounds: .fixed(2)) })
            lead = try lp.addRows((0..<n).map { RowSpec(name: "site_team_leader[t\($0)]", coefficients: [(un[$0], 1)], bounds: .fixed(1)) })
            cover = try lp.addRows((0..<n).map {
                RowSpec(name: "freq_key_cover_expert[t\($0)]", coefficients: [(xmiss[$0], 1)], bounds: .lower(day.needexp[$0] ? 1 : 0))
            })
        }

        /// The 0/1 columns in so far made binary: the relaxation becomes the part's MIP.
        func makeBinary() throws {
            try lp.makeBinary(relaxedBinaries)
            relaxedBinaries = []
        }

        /// Load rows (`load_officer_day[o…]`, `load_expert_day[x…]`) for the staff of new pairs not in yet.
        private func addLoadRows(_ staff: [Int], to rows: inout [Row?], row: String, symbol: String, room: [Double]) throws {
            let fresh = Array(Set(staff).filter { rows[$0] == nil }).sorted()
            let added = try lp.addRows(fresh.map { RowSpec(name: "\(row)[\(symbol)\($0 + 1)]", coefficients: [], bounds: .upper(room[$0])) })
            for (i, r) in zip(fresh, added) { rows[i] = r }
        }

        /// A 0/1 column of the relaxation (continuous in [0, 1] until ``makeBinary()``) in existing rows.
        private func column(_ name: String, price: Double, in rows: [(Row, Double)], officers: Bool) throws -> Column {
            let c = try lp.addColumn(name: name, upper: 1, objective: price)
            try lp.setCoefficients(of: c, rows)
            if officers { officerTerms.append((c, price)) } else { expertTerms.append((c, price)) }
            relaxedBinaries.append(c)
            return c
        }

        func add(pairs new: [Int]) throws {
            let d = day
            try addLoadRows(new.map { d.pairs[$0].o }, to: &load, row: "load_officer_day", symbol: "o", room: price.room)
            for p in new {
                let q = d.pairs[p], pair = "[t\(q.t),o\(q.o + 1)]"
                let a = try column("a" + pair, price: price.officer(q.o, on: q.t), in: [(site[q.t], 1), (load[q.o]!, price.eff[q.t])], officers: true)
                self.a[p] = a
                if d.leader[q.o] {
                    let l = try column("l" + pair, price: q.lastled ? price.lastled : 0, in: [(lead[q.t], 1)], officers: true)
                    try lp.addRow(name: "site_team_leads_own" + pair, coefficients: [(l, 1), (a, -1)], bounds: .upper(0))
                    self.l[p] = l
                }
            }
        }

        func add(xpairs new: [Int]) throws {
            let d = day
            try addLoadRows(new.map { d.xpairs[$0].x }, to: &xload, row: "load_expert_day", symbol: "x", room: price.xroom)
            for k in new {
                let q = d.xpairs[k]
                e[k] = try column("e[t\(q.t),x\(q.x + 1)]", price: price.expert(k), in: [(cover[q.t], 1), (xload[q.x]!, price.eff[q.t])], officers: false)
            }
        }
    }

    /// Column generation (see the extension's note); nil when the rounds run out.
    private func generateColumns(runner: ModelRunner, stageName: String, maxRounds: Int = 40, perTrip: Int = 12) throws -> Answer? {
        let price = Prices(self)
        let eff = price.eff
        // A price may fall below 0 by GLPK's tolerances without the pair helping.
        let tolerance = 1e-7
        var (keep, keepX) = startingPairs()
        let relaxed = try RelaxedPart(self, prices: price)
        try relaxed.add(pairs: keep.indices.filter { keep[$0] })
        try relaxed.add(xpairs: keepX.indices.filter { keepX[$0] })
        // Each round's simplex starts from the last round's basis.
        var options = runner.options
        options.presolve = false
        options.simplexMethod = .primal
        var seconds = 0.0
        // The least each pair left out would add to an answer, at the last relaxation's duals.
        var added = [Double](repeating: 0, count: pairs.count), xadded = [Double](repeating: 0, count: xpairs.count)
        var bound: (officers: Double, experts: Double)?
        var rounds = 0
        while bound == nil {
            rounds += 1
            guard rounds <= maxRounds else { return nil }
            let r = try relaxed.lp.solve(options)
            seconds += r.solveSeconds
            guard r.status == .optimal, let d = r.rowDuals else { return nil }
            let site = relaxed.site.map { d[$0.index] }, lead = relaxed.lead.map { d[$0.index] }
            let cover = relaxed.cover.map { d[$0.index] }
            var best = Array(repeating: [(Double, Int)](), count: self.eff.count)
            var xbest = Array(repeating: [(Double, Int)](), count: self.eff.count)
            for (p, q) in pairs.enumerated() where !keep[p] {
                let pi = relaxed.load[q.o].map { d[$0.index] } ?? 0
                var least = price.officer(q.o, on: q.t) - site[q.t] - eff[q.t] * pi
                if leader[q.o] { least += min(0, (q.lastled ? price.lastled : 0) - lead[q.t]) }
                added[p] = least
                if least < -tolerance { best[q.t].append((least, p)) }
            }
            for (k, q) in xpairs.enumerated() where !keepX[k] {
                let rho = relaxed.xload[q.x].map { d[$0.index] } ?? 0
                let least = price.expert(k) - cover[q.t] - eff[q.t] * rho
                xadded[k] = least
                if least < -tolerance { xbest[q.t].append((least, k)) }
            }
            var newPairs: [Int] = [], newXpairs: [Int] = []
            for t in best.indices {
                newPairs += best[t].sorted(by: <).prefix(perTrip).map(\.1)
                newXpairs += xbest[t].sorted(by: <).prefix(perTrip).map(\.1)
            }
            if newPairs.isEmpty && newXpairs.isEmpty {
                bound = (try relaxed.officerTerms.reduce(0) { $0 + $1.1 * (try r.value(of: $1.0)) },
                         try relaxed.expertTerms.reduce(0) { $0 + $1.1 * (try r.value(of: $1.0)) })
            } else {
                newPairs.sort(); newXpairs.sort()
                for p in newPairs { keep[p] = true }
                for k in newXpairs { keepX[k] = true }
                try relaxed.add(pairs: newPairs)
                try relaxed.add(xpairs: newXpairs)
            }
        }
        guard let bound else { return nil }
        // The part's MIP, branching from the relaxation's basis; then, side by side, every pair
        // that could still beat its answer, and the MIP again.
        func solvePart() throws -> ModelRun {
            try relaxed.makeBinary()
            let r = try runner.run(problem: relaxed.lp, model: "roster-teams.mod", data: self.part(pairs: keep, xpairs: keepX).data,
                                   stageName: stageName, fromBasis: true).requireSolution()
            seconds += r.stage.seconds
            return r
        }
        var r = try solvePart()
        func side(_ terms: [(Column, Double)]) throws -> Double { try terms.reduce(0) { $0 + $1.1 * (try r.result.value(of: $1.0)) } }
        let z = (officers: try side(relaxed.officerTerms), experts: try side(relaxed.expertTerms))
        let gap = (officers: z.officers - bound.officers, experts: z.experts - bound.experts)
        let slack = runner.options.relativeMIPGap * (abs(z.officers + z.experts) + 1e-9)
        var newPairs: [Int] = [], newXpairs: [Int] = []
        if gap.officers > slack { newPairs = pairs.indices.filter { !keep[$0] && added[$0] <= gap.officers + tolerance } }
        if gap.experts > slack { newXpairs = xpairs.indices.filter { !keepX[$0] && xadded[$0] <= gap.experts + tolerance } }
        if !newPairs.isEmpty || !newXpairs.isEmpty {
            for p in newPairs { keep[p] = true }
            for k in newXpairs { keepX[k] = true }
            try relaxed.add(pairs: newPairs)
            try relaxed.add(xpairs: newXpairs)
            r = try solvePart()
        }
        var answer = Answer(stage: r.stage, a: Array(repeating: false, count: pairs.count), l: Array(repeating: false, count: pairs.count),
                            e: Array(repeating: false, count: xpairs.count), pairsSolved: relaxed.a.count,
                            xpairsSolved: relaxed.e.count, rounds: rounds)
        answer.stage.seconds = seconds
        for (p, c) in relaxed.a { answer.a[p] = try r.result.value(of: c) > 0.5 }
        for (p, c) in relaxed.l { answer.l[p] = try r.result.value(of: c) > 0.5 }
        for (k, c) in relaxed.e { answer.e[k] = try r.result.value(of: c) > 0.5 }
        return answer
    }
}

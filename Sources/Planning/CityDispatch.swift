import Foundation
import GLPK
import Ledger
import Policy

/// A dispatch order (执法力量调用, TIER-DISPATCH): inspection person-days one authority lends
/// another in the months given (DATA.md §7 `dispatch`).
public struct DispatchOrder: Sendable, Equatable {
    public var from: Int
    public var to: Int
    /// Person-days per month, 1…12 at 0…11.
    public var byMonth: [Int]
    /// The rule the borrower falls short of without them.
    public var rule: String
    public var personDays: Int { byMonth.reduce(0, +) }
    public var months: [Int] { (1...12).filter { byMonth[$0 - 1] > 0 } }
    public init(from: Int, to: Int, byMonth: [Int], rule: String) { self.from = from; self.to = to; self.byMonth = byMonth; self.rule = rule }
}

/// What the dispatch stage found: the orders, and what no dispatch could mend.
public struct DispatchOutcome: Sendable {
    public var orders: [DispatchOrder] = []
    /// Authorities still short after dispatch, with the rule that binds and, when more
    /// person-days would mend it, how many the city as a whole lacks for it.
    public struct Unmended: Sendable, Equatable {
        public var authority: Int
        public var rule: String
        /// Person-days the authority still lacks (nil: more person-days do not mend the rule).
        public var personDays: Int?
    }
    public var unmended: [Unmended] = []
    /// Person-days the city as a whole lacks: the borrowers' needs no lender could meet.
    public var cityShortPersonDays: Int = 0
    public var solverStatus = "optimal"
    public var seconds = 0.0
    public init() {}
}

/// The city-level dispatch program (models/city-dispatch.mod): who lends whom how many
/// person-days in which months.
public enum CityDispatcher {
    /// An authority short of inspection person-days: what it needs each month (1…12 at 0…11).
    public struct Borrower: Sendable, Equatable {
        public var authority: Int
        public var district: String
        public var need: [Int]
        public var rule: String
        public init(authority: Int, district: String, need: [Int], rule: String) {
            self.authority = authority; self.district = district; self.need = need; self.rule = rule
        }
    }
    /// An authority with spare capacity: at most `cap` a month (max_lend_share of its inspection
    /// person-days), and at most `keep` up to each month (what its own plan leaves free).
    public struct Lender: Sendable, Equatable {
        public var authority: Int
        public var district: String
        public var cap: [Int]
        public var keep: [Int]
        public init(authority: Int, district: String, cap: [Int], keep: [Int]) {
            self.authority = authority; self.district = district; self.cap = cap; self.keep = keep
        }
    }

    public struct Solution: Sendable {
        public var orders: [DispatchOrder]
        /// Borrowers given their whole need.
        public var met: Set<Int>
        public var status: String
        public var seconds: Double
    }

    /// Solves the four stages (most borrowers met, fewest cross-district orders, fewest orders,
    /// fewest person-days). Orders are listed by borrower, then lender, in authority order.
    public static func solve(borrowers: [Borrower], lenders: [Lender], timeLimit: Double = 60) throws -> Solution {
        guard !borrowers.isEmpty else { return Solution(orders: [], met: [], status: SolverState.optimal.rawValue, seconds: 0) }
        let runner = try ModelRunner(timeLimit: timeLimit, mipGap: 0)
        func a(_ k: Int) -> MathProgSymbol { .text("a\(k)") }
        func b(_ k: Int) -> MathProgSymbol { .text("b\(k)") }
        var base = MathProgData()
        base.set("A", borrowers.map { a($0.authority) })
        base.set("B", lenders.map { b($0.authority) })
        func monthly(_ sym: MathProgSymbol, _ values: [Int]) -> [([MathProgSymbol], Double)] {
            (1...12).map { m in ([sym, MathProgSymbol.number(m)], Double(values[m - 1])) }
        }
        var same: [([MathProgSymbol], Double)] = []
        for l in lenders { for r in borrowers { same.append(([b(l.authority), a(r.authority)], l.district == r.district ? 1 : 0)) } }
        base.param("need", indexed: borrowers.flatMap { monthly(a($0.authority), $0.need) })
        base.param("cap", indexed: lenders.flatMap { monthly(b($0.authority), $0.cap) })
        base.param("keep", indexed: lenders.flatMap { monthly(b($0.authority), $0.keep) })
        base.param("same", indexed: same)
        var seconds = 0.0, statuses: [String] = []
        var bounds: [(String, Double)] = []
        var last: ModelRun? = nil
        for stage in 1...4 {
            var d = base
            d.param("stage", stage)
            for (name, v) in bounds { d.param(name, v) }
            let r = try runner.run("city-dispatch.mod", data: d, stageName: "dispatch-\(stage)").requireSolution()
            seconds += r.stage.seconds
            statuses.append(r.stage.status)
            let objective = r.stage.objective.rounded()
            switch stage {
            case 1: bounds.append(("met_min", -objective))
            case 2: bounds.append(("cross_max", objective))
            case 3: bounds.append(("orders_max", objective))
            default: break
            }
            last = r
        }
        guard let r = last else { throw PlanningError.noSolution(stage: "dispatch", status: "none") }
        var met = Set<Int>()
        for br in borrowers where try r.isSet("z", a(br.authority)) { met.insert(br.authority) }
        var orders: [DispatchOrder] = []
        for br in borrowers.sorted(by: { $0.authority < $1.authority }) where met.contains(br.authority) {
            for l in lenders.sorted(by: { $0.authority < $1.authority }) {
                guard (1...12).contains(where: { min(br.need[$0 - 1], l.cap[$0 - 1]) > 0 }) else { continue }
                let byMonth = try (1...12).map { m in
                    min(br.need[m - 1], l.cap[m - 1]) > 0 ? try r.int("x", b(l.authority), a(br.authority), .number(m)) : 0
                }
                if byMonth.contains(where: { $0 > 0 }) {
                    orders.append(DispatchOrder(from: l.authority, to: br.authority, byMonth: byMonth, rule: br.rule))
                }
            }
        }
        return Solution(orders: orders, met: met, status: SolverStatusName.worst(statuses), seconds: seconds)
    }

    /// Lenders of other districts each borrower may draw on: the `crossDistrict` largest offers
    /// (the year's lending limit, then the authority's order). Fewest orders favour large offers,
    /// and the program over all lenders of a city is slow for little gain; every lender of the
    /// borrower's own district stays a candidate.
    public static let crossDistrict = 8

    /// The lenders the program considers: for each borrower, those of its district and the
    /// `crossDistrict` largest offers of other districts.
    public static func candidateLenders(_ lenders: [Lender], for borrowers: [Borrower]) -> [Lender] {
        func offer(_ l: Lender) -> Int { min(l.cap.reduce(0, +), l.keep.max() ?? 0) }
        var keep = Set<Int>()
        for r in borrowers {
            for l in lenders where l.district == r.district { keep.insert(l.authority) }
            let others = lenders.filter { $0.district != r.district }.sorted { (offer($0), -$0.authority) > (offer($1), -$1.authority) }
            for l in others.prefix(crossDistrict) { keep.insert(l.authority) }
        }
        return lenders.filter { keep.contains($0.authority) }
    }

    /// `total` person-days spread over the months by `weight` (largest remainders; ties to the
    /// earlier month), whole numbers summing to `total`.
    public static func spread(_ total: Int, weight: [Double]) -> [Int] {
        let sum = weight.reduce(0, +)
        guard total > 0, sum > 0 else { return Array(repeating: 0, count: 12) }
        let exact = weight.map { Double(total) * $0 / sum }
        var out = exact.map { Int($0.rounded(.down)) }
        let left = total - out.reduce(0, +)
        let order = (0..<12).sorted { (exact[$0] - Double(out[$0]), -$0) > (exact[$1] - Double(out[$1]), -$1) }
        for i in order.prefix(left) { out[i] += 1 }
        return out
    }
}

extension CityDispatcher {
    /// The figures of one authority's plan a dispatch is worked out from.
    public struct Capacity: Sendable {
        /// The authority's own inspection person-days per month (before any dispatch).
        public var personDays: [Double]
        /// Each month's share of the year (the spread of a need over the months).
        public var weight: [Double]
        public var district: String
        public var failing: [String]

        public init(_ ctx: PlanContext, _ doc: PlanDocument) {
            personDays = ctx.monthWeight.map { ctx.budget.own * $0 }
            weight = ctx.monthWeight
            district = ctx.scenario.authority.district ?? ""
            failing = doc.checks.filter { !$0.pass }.map { $0.rule }
        }

        /// What authority `k` (compliant) can lend: `share` of each month's person-days, and in
        /// all no more than the person-days it can lose with every rule still met (the staffing
        /// model's `days` question, models/annual-totals.mod; `margin` kept back).
        func lender(_ k: Int, _ ctx: PlanContext, share: Double, options: PlanOptions, margin: Double = 0.1) throws -> Lender {
            let model = StaffingModel(inputs: ModelInputs(ctx), ctx: ctx, today: ctx.budget, options: options)
            let r = try model.solve("days")
            let spare = r.hasSolution ? max(0, Int((-(try r.value("add_days")) * (1 - margin)).rounded(.down))) : 0
            return Lender(authority: k, district: district, cap: personDays.map { max(0, Int((share * $0 + 1e-9).rounded(.down))) },
                          keep: Array(repeating: spare, count: 12))
        }
    }

    /// The dispatch stage of a city run: each short authority's need (the fewest person-days,
    /// spread over its months, that make its plan compliant, found by re-planning), the program,
    /// and the transfers each authority is re-planned with.
    public static func dispatch(_ inputs: CityInputs, short: [Int], capacities: [Capacity], excluding: Set<Int> = [], jobs: Int,
                                options: PlanOptions, lap: (String) -> Void = { _ in }) throws -> (outcome: DispatchOutcome, transfers: [Int: WorkdayTransfers]) {
        let lock = NSLock()
        nonisolated(unsafe) var needs = [Int: Int?]()
        nonisolated(unsafe) var failure: Error? = nil
        DispatchQueue.concurrentPerform(iterations: short.count) { i in
            let k = short[i]
            do {
                let e = try need(inputs, k, weight: capacities[k].weight, options: options)
                lock.lock(); needs[k] = e; lock.unlock()
            } catch { lock.lock(); failure = failure ?? error; lock.unlock() }
        }
        if let failure { throw failure }
        let shortSet = Set(short)
        let borrowers = short.compactMap { k -> Borrower? in
            guard let e = needs[k] ?? nil else { return nil }
            return Borrower(authority: k, district: capacities[k].district, need: spread(e, weight: capacities[k].weight),
                            rule: capacities[k].failing.first ?? "")
        }
        lap("needs")
        let candidates = (0..<inputs.count).filter { !shortSet.contains($0) && !excluding.contains($0) }
        nonisolated(unsafe) var offers = [Lender?](repeating: nil, count: candidates.count)
        DispatchQueue.concurrentPerform(iterations: candidates.count) { i in
            let k = candidates[i]
            do {
                let l = try capacities[k].lender(k, try inputs.context(k), share: inputs.city.dispatch.maxLendShare, options: options)
                lock.lock(); offers[i] = l; lock.unlock()
            } catch { lock.lock(); failure = failure ?? error; lock.unlock() }
        }
        if let failure { throw failure }
        let lenders = candidateLenders(offers.compactMap { $0 }.filter { l in l.cap.contains { $0 > 0 } && l.keep.last! > 0 }, for: borrowers)
        lap("offers")
        let solution = try solve(borrowers: borrowers, lenders: lenders, timeLimit: options.timeLimit)
        lap("program")
        var outcome = DispatchOutcome()
        outcome.orders = solution.orders
        outcome.solverStatus = solution.status
        outcome.seconds = solution.seconds
        var transfers: [Int: WorkdayTransfers] = [:]
        for o in solution.orders {
            for m in 0..<12 {
                transfers[o.to, default: WorkdayTransfers()].borrowed[m] += Double(o.byMonth[m])
                transfers[o.from, default: WorkdayTransfers()].lent[m] += Double(o.byMonth[m])
            }
        }
        var unmetNeed = 0
        for k in short where !solution.met.contains(k) {
            let e = needs[k] ?? nil
            outcome.unmended.append(.init(authority: k, rule: capacities[k].failing.first ?? "", personDays: e))
            unmetNeed += e ?? 0
        }
        if unmetNeed > 0 {
            // What the lenders could still give, whatever the months.
            let lent = solution.orders.reduce(into: [Int: Int]()) { $0[$1.from, default: 0] += $1.personDays }
            let left = lenders.reduce(0) { $0 + max(0, min($1.cap.reduce(0, +), $1.keep.last!) - (lent[$1.authority] ?? 0)) }
            // Spare enough in sum but not in the months needed: the whole need is short.
            outcome.cityShortPersonDays = unmetNeed > left ? unmetNeed - left : unmetNeed
        }
        return (outcome, transfers)
    }

    /// The fewest whole person-days, spread over the months by `weight`, with which authority
    /// `k`'s plan complies; nil when more person-days do not mend it. The staffing model's `days`
    /// question (models/annual-totals.mod, every rule hard, the year's capacity) gives the first
    /// guess, or says that no number of days meets every rule; plans with the guess and one
    /// person-day less confirm it (a guess too small is raised until a plan complies, up to four
    /// times the authority's own person-days or 2,000).
    public static func need(_ inputs: CityInputs, _ k: Int, weight: [Double], options: PlanOptions) throws -> Int? {
        func compliant(_ e: Int) throws -> Bool {
            var s = inputs.scenario(k)
            s.transfers.borrowed = spread(e, weight: weight).map(Double.init)
            return try AnnualPlanner.plan(try inputs.context(k, scenario: s), options: options).compliant
        }
        let ctx = try inputs.context(k)
        let model = StaffingModel(inputs: ModelInputs(ctx), ctx: ctx, today: ctx.budget, options: options)
        let r = try model.solve("days")
        guard r.hasSolution else { return nil }
        let guess = max(1, Int((try r.value("add_days") - 1e-6).rounded(.up)))
        let limit = max(2_000, Int(4 * ctx.budget.own), guess)
        var lo: Int, hi: Int
        if try compliant(guess) {
            (lo, hi) = (guess - 1, guess)
            if lo >= 1, try compliant(lo) { (lo, hi) = (0, lo) }
        } else {
            // Gallop up from the guess.
            var step = 1
            (lo, hi) = (guess, guess + step)
            while try !compliant(hi) {
                if hi >= limit { return nil }
                lo = hi; step *= 2; hi = min(limit, hi + step)
            }
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if try compliant(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }
}

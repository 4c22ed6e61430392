import Foundation
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

import Foundation
import XCTest
@testable import Planning

/// The city dispatch program (models/city-dispatch.mod, TIER-DISPATCH) on instances small enough
/// to solve by hand: most borrowers met, then fewest orders across districts, then fewest orders,
/// then fewest person-days. Each instance is built so that its optimum is unique, and the optimum
/// is worked out in the comment above the assertions.
final class CityDispatchTests: XCTestCase {
    typealias Borrower = CityDispatcher.Borrower
    typealias Lender = CityDispatcher.Lender

    /// Twelve months from the first few (the rest 0).
    static func months(_ head: Int...) -> [Int] { head + Array(repeating: 0, count: 12 - head.count) }
    /// The same figure every month.
    static func every(_ v: Int) -> [Int] { Array(repeating: v, count: 12) }
    /// No `keep` limit worth the name.
    static let free = every(1_000)

    func solve(_ borrowers: [Borrower], _ lenders: [Lender]) throws -> CityDispatcher.Solution {
        let s = try CityDispatcher.solve(borrowers: borrowers, lenders: lenders, timeLimit: 10)
        XCTAssertEqual(s.status, "optimal")
        return s
    }

    /// (from, to, byMonth) of each order, in the solution's order.
    func triples(_ s: CityDispatcher.Solution) -> [String] {
        s.orders.map { "\($0.from)→\($0.to) \($0.byMonth)" }
    }

    /// Borrower 0 in 宝山区 needs 10 person-days in January. Lenders: 1 (宝山区, cap 6 in
    /// January), 2 (宝山区, cap 4), 3 (闵行区, cap 20), every keep ample.
    ///
    /// Stage 1: 0 can be met (6 + 4 + 20 ≥ 10), met = 1. Stage 2: 1 and 2 together give exactly
    /// 10, so no cross-district order is needed: cross = 0 (3 alone would be 1 order but cross
    /// = 1). Stage 3: with cross = 0 both 1 and 2 are needed: 2 orders. Stage 4: 10 person-days,
    /// and with caps 6 and 4 the split is forced: 1 → 0 lends 6, 2 → 0 lends 4.
    func testSameDistrictLendersComeFirstEvenWithMoreOrders() throws {
        let s = try solve(
            [Borrower(authority: 0, district: "宝山区", need: Self.months(10), rule: "FREQ-KEY-COVER")],
            [Lender(authority: 1, district: "宝山区", cap: Self.months(6), keep: Self.free),
             Lender(authority: 2, district: "宝山区", cap: Self.months(4), keep: Self.free),
             Lender(authority: 3, district: "闵行区", cap: Self.months(20), keep: Self.free)])
        XCTAssertEqual(s.met, [0])
        XCTAssertEqual(s.orders, [DispatchOrder(from: 1, to: 0, byMonth: Self.months(6), rule: "FREQ-KEY-COVER"),
                                  DispatchOrder(from: 2, to: 0, byMonth: Self.months(4), rule: "FREQ-KEY-COVER")], "\(triples(s))")
        XCTAssertEqual(s.orders.map { $0.months }, [[1], [1]])
        XCTAssertEqual(s.orders.map { $0.personDays }, [6, 4])
    }

    /// Borrower 0 in 宝山区 needs 10 in January. Lenders: 1 and 2 (宝山区, cap 3 each: 6 < 10),
    /// 3 (闵行区, cap 20), 4 (闵行区, cap 9).
    ///
    /// Stage 2: the district's lenders give at most 6, so one cross-district order at least:
    /// cross = 1. Stage 3: one order alone suffices only from 3 (4 gives 9 < 10); 4 + 1 or 4 + 2
    /// would be 2 orders: orders = 1. Stage 4: 3 lends exactly 10 in January.
    func testOneCrossDistrictOrderFromTheLenderThatCoversAlone() throws {
        let s = try solve(
            [Borrower(authority: 0, district: "宝山区", need: Self.months(10), rule: "FREQ-KEY-COVER")],
            [Lender(authority: 1, district: "宝山区", cap: Self.months(3), keep: Self.free),
             Lender(authority: 2, district: "宝山区", cap: Self.months(3), keep: Self.free),
             Lender(authority: 3, district: "闵行区", cap: Self.months(20), keep: Self.free),
             Lender(authority: 4, district: "闵行区", cap: Self.months(9), keep: Self.free)])
        XCTAssertEqual(s.met, [0])
        XCTAssertEqual(s.orders, [DispatchOrder(from: 3, to: 0, byMonth: Self.months(10), rule: "FREQ-KEY-COVER")], "\(triples(s))")
    }

    /// The yearly limit binds. Borrower 0 in 奉贤区 needs 5 in January and 5 in February.
    /// Lenders: 1 (奉贤区, cap 5 a month, keep 7: it may lose 7 person-days in the year, up to any
    /// month), 2 (奉贤区, cap 3 in February only), 3 (闵行区, cap 20 a month).
    ///
    /// Without `keep`, 1 alone would cover both months (0 cross, 1 order). With it, 1 gives at
    /// most 7 of the 10: stage 2 still finds cross = 0 with 1 and 2 together (5 + 2 from 1, 3
    /// from 2), stage 3 2 orders. Stage 4: 10 person-days; only 1 can give January, so 1 lends 5
    /// in January; February: 1 has 7 − 5 = 2 left, so 2 lends 3 and 1 lends 2. Unique.
    func testKeepLimitsWhatALenderGivesOverTheYear() throws {
        let s = try solve(
            [Borrower(authority: 0, district: "奉贤区", need: Self.months(5, 5), rule: "FREQ-KEY-COVER")],
            [Lender(authority: 1, district: "奉贤区", cap: Self.every(5), keep: Self.every(7)),
             Lender(authority: 2, district: "奉贤区", cap: Self.months(0, 3), keep: Self.free),
             Lender(authority: 3, district: "闵行区", cap: Self.every(20), keep: Self.free)])
        XCTAssertEqual(s.met, [0])
        XCTAssertEqual(s.orders, [DispatchOrder(from: 1, to: 0, byMonth: Self.months(5, 2), rule: "FREQ-KEY-COVER"),
                                  DispatchOrder(from: 2, to: 0, byMonth: Self.months(0, 3), rule: "FREQ-KEY-COVER")], "\(triples(s))")
        XCTAssertEqual(s.orders[0].months, [1, 2])
        XCTAssertEqual(s.orders[1].months, [2])
    }

    /// `keep` is cumulative: what is free up to each month. Lender 1 (宝山区, cap 5 a month) has
    /// nothing free by the end of January (keep 0) and 5 from February on; lender 3 (闵行区) can
    /// lend only in January (cap 5). Borrower 0 (宝山区) needs 5 in January and 5 in February.
    ///
    /// 1 cannot give January, so 3 must: cross = 1. 3 cannot give February, so 1 must: 2
    /// orders, 3 → 0 [5, 0], 1 → 0 [0, 5] (listed by lender).
    func testKeepIsCumulativeByMonth() throws {
        let s = try solve(
            [Borrower(authority: 0, district: "宝山区", need: Self.months(5, 5), rule: "FREQ-KEY-COVER")],
            [Lender(authority: 3, district: "闵行区", cap: Self.months(5), keep: Self.free),
             Lender(authority: 1, district: "宝山区", cap: Self.every(5), keep: [0] + Array(repeating: 5, count: 11))])
        XCTAssertEqual(s.met, [0])
        XCTAssertEqual(s.orders, [DispatchOrder(from: 1, to: 0, byMonth: Self.months(0, 5), rule: "FREQ-KEY-COVER"),
                                  DispatchOrder(from: 3, to: 0, byMonth: Self.months(5), rule: "FREQ-KEY-COVER")], "\(triples(s))")
    }

    /// A need no lender can meet. Borrower 0 (宝山区) needs 10 in January; borrower 5 (闵行区)
    /// needs 2 in January. Lenders: 1 (宝山区, cap 3), 3 (闵行区, cap 4): 7 < 10 in January.
    ///
    /// Stage 1: 0 can never be met (and a borrower that is not met gets nothing), 5 can: met =
    /// {5}. Stage 2: 3 is in 5's district: cross = 0. Stage 3: 1 order; stage 4: 2 person-days.
    func testANeedThatCannotBeMetGetsNoOrder() throws {
        let s = try solve(
            [Borrower(authority: 0, district: "宝山区", need: Self.months(10), rule: "FREQ-KEY-COVER"),
             Borrower(authority: 5, district: "闵行区", need: Self.months(2), rule: "PLAN-RATIO-BUREAU")],
            [Lender(authority: 1, district: "宝山区", cap: Self.months(3), keep: Self.free),
             Lender(authority: 3, district: "闵行区", cap: Self.months(4), keep: Self.free)])
        XCTAssertEqual(s.met, [5])
        XCTAssertFalse(s.orders.contains { $0.to == 0 }, "\(triples(s))")
        XCTAssertEqual(s.orders, [DispatchOrder(from: 3, to: 5, byMonth: Self.months(2), rule: "PLAN-RATIO-BUREAU")], "\(triples(s))")
    }

    /// A need spread over the year that a lender's monthly cap misses in one month cannot be met
    /// by it; and with no lender at all nothing is met.
    func testANeedInAMonthNoLenderCoversIsNotMet() throws {
        let s = try solve(
            [Borrower(authority: 0, district: "宝山区", need: Self.months(2, 2, 2), rule: "FREQ-KEY-COVER")],
            [Lender(authority: 1, district: "宝山区", cap: Self.months(9, 0, 9), keep: Self.free)])
        XCTAssertEqual(s.met, [])
        XCTAssertEqual(s.orders, [])
        let none = try solve([Borrower(authority: 0, district: "宝山区", need: Self.months(1), rule: "FREQ-KEY-COVER")], [])
        XCTAssertEqual(none.met, [])
        XCTAssertEqual(none.orders, [])
    }

    /// `spread`: whole person-days summing to the total, by largest remainders, ties to the
    /// earlier month.
    func testSpreadSumsToTheTotalByLargestRemainders() {
        // 10 over three equal months: 3⅓ each; floors 3 + 3 + 3 = 9, the 1 left to January.
        XCTAssertEqual(CityDispatcher.spread(10, weight: [1, 1, 1] + Array(repeating: 0, count: 9)), Self.months(4, 3, 3))
        // 7 by 0.5, 0.25, 0.25: 3.5, 1.75, 1.75; floors 3 + 1 + 1 = 5; the 2 left go to the
        // largest remainders, February and March (0.75 > 0.5).
        XCTAssertEqual(CityDispatcher.spread(7, weight: [0.5, 0.25, 0.25] + Array(repeating: 0, count: 9)), Self.months(3, 2, 2))
        // 12 over twelve equal months: 1 each.
        XCTAssertEqual(CityDispatcher.spread(12, weight: Self.every(1).map(Double.init)), Self.every(1))
        // 5 over twelve equal months: 5/12 each, all remainders tie: the first five months.
        XCTAssertEqual(CityDispatcher.spread(5, weight: Self.every(1).map(Double.init)), Self.months(1, 1, 1, 1, 1))
        // Workday weights of a year: always the total, never a negative month.
        let workdays: [Double] = [20, 15, 22, 21, 19, 20, 22, 22, 21, 16, 21, 22]
        for total in [0, 1, 11, 37, 250, 1_001] {
            let s = CityDispatcher.spread(total, weight: workdays)
            XCTAssertEqual(s.count, 12)
            XCTAssertEqual(s.reduce(0, +), total, "\(total): \(s)")
            XCTAssertTrue(s.allSatisfy { $0 >= 0 })
            // Each month within 1 of its exact share.
            for m in 0..<12 { XCTAssertLessThan(abs(Double(s[m]) - Double(total) * workdays[m] / 241), 1.0, "\(total) month \(m + 1)") }
        }
        XCTAssertEqual(CityDispatcher.spread(0, weight: workdays), Self.every(0))
    }
}

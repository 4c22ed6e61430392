import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// Small annual plans whose optimum is worked out by hand from models/annual-totals.mod and
/// models/annual-months.mod; the plan must reproduce the numbers.
///
/// Common ground (year 2026, one certified officer, no staff unavailability):
/// - month weights are workdays / 248; a month's team-days = inspection × weight / 2 × 0.9;
/// - the models take each month's team-days down to the hundredth the plan publishes, and time
///   carries forward (PLAN-BASIS): the visits up to each month fit the team-days up to it. With
///   inspection = 40 person-days:
///     month      1    2    3    4    5    6    7    8    9    10   11   12
///     workdays   21   16   22   21   19   21   23   21   22   18   21   23
///     team-days  1.52 1.16 1.59 1.52 1.37 1.52 1.66 1.52 1.59 1.30 1.52 1.66   Σ = 17.93
///   (= 18 × wd / 248, down to 0.01), so the year holds ⌊17.93 / 0.5⌋ = 35 half-day visits —
///   not the 33 that rounding every month down on its own would leave.
/// - stage 1 objective = 1000 × (2·Σ short_cover + the other shortfalls) − Σ value·X − 0.2·(R + J),
///   value red 2.0, orange 1.0, yellow 0.3, blue 0.1 per extra key visit X.
/// - stage 2 objective = 1000 × (overflow + empty months) + balance slack + 0.5 × random-band
///   slack + 0.001 × Σ urgency × month × key visits (urgency red 4, orange 3, yellow 2, blue 1).
final class HandSolvedPlanTests: XCTestCase {
    /// Expected team-days of each 2026 month for `inspection` person-days (no unavailability).
    static func capacity(_ inspection: Double, reserve: Double = 0.10) -> [Double] {
        PT.workdaysPerMonth2026.map { inspection * Double($0) / 248 / 2 * (1 - reserve) }
    }

    /// The brief's instance: 4 key units — one red with a fatal accident in 2025 (KEY-D2, so
    /// FREQ-INCREASE: 2 required visits), two orange, one yellow — 40 general units, sample rate
    /// 0.05, one officer with 40 inspection person-days.
    ///
    /// By hand: required key visits 2 + 1 + 1 + 1 = 5; extra X ≤ orange 2, yellow 1, red 0 (already at
    /// the cap of 2), so key visits K ≤ 8. Draws: ⌈0.05 × 40⌉ = 2 ≤ R ≤ 40. Capacity 33 visits.
    /// PLAN-RATIO-BUREAU wants T ≥ 0.75 × 40 = 30 but PLAN-SHARE60 wants K ≥ 0.6 T, i.e. T ≤ 13:
    /// the scenario is over-constrained. With K = 8 and T = 8 + R the shortfalls are
    ///   share  max(0, 0.6(8 + R) − 8)   ratio  max(0, 22 − R)
    /// whose sum falls (slope −0.4) up to R = 22 and rises after it (slope +0.6): R = 22, T = 30,
    /// short_share = 0.6 × 30 − 8 = 10, short_ratio = 0.
    /// Objective = 1000 × 10 − (2 × 1.0 + 1 × 0.3) − 0.2 × 22 = 10000 − 2.3 − 4.4 = 9993.3.
    func testBriefInstanceIsShortOnKeyShareByTenVisits() throws {
        var units = [PT.key(1, .red, increase: true), PT.key(2, .orange), PT.key(3, .orange), PT.key(4, .yellow)]
        units += (1...40).map { PT.general(1000 + $0) }
        let (doc, ctx) = try PT.plan(PT.districtScenario(inspection: 40), units)

        XCTAssertEqual(ctx.budget.inspection, 40)
        XCTAssertEqual(ctx.required[0], 2, "FREQ-INCREASE: KEY-D2 doubles the required visits")
        XCTAssertEqual(ctx.classifications[0].rules.map { $0.id }, ["KEY-M9", "KEY-D2"])
        XCTAssertEqual([1, 2, 3].map { ctx.required[$0] }, [1, 1, 1])
        for (m, expected) in Self.capacity(40).enumerated() { XCTAssertEqual(ctx.capacity[m], expected, accuracy: 1e-9) }

        XCTAssertEqual(doc.solver.stages[0].name, "annual-totals")
        XCTAssertEqual(doc.solver.stages[0].objective, 9993.3, accuracy: 1e-6)
        XCTAssertEqual(doc.solver.objective, 9993.3, accuracy: 1e-6)
        let m = doc.metrics
        XCTAssertEqual(m.visits, 30)
        XCTAssertEqual(m.keyVisits, 8)
        XCTAssertEqual(m.randomVisits, 22)
        XCTAssertEqual(m.specialVisits, 0)
        XCTAssertEqual(m.jointVisits, 0)
        XCTAssertEqual(m.keyUnits, 4)
        XCTAssertEqual(m.keyUnitsCovered, 4)
        XCTAssertEqual(m.generalUnits, 40)
        XCTAssertEqual(m.generalUnitsDrawn, 22)
        XCTAssertEqual(m.keyShare, 0.2667)
        XCTAssertEqual(m.visitsPerWorkday, 0.75)
        XCTAssertEqual(m.effortTeamDays, 15)
        XCTAssertEqual(doc.keyVisitsPerUnit, [PT.code(1): 2, PT.code(2): 2, PT.code(3): 2, PT.code(4): 2])
        XCTAssertFalse(doc.visitsPerMonth.contains(0), "PLAN-DECOMPOSE: every month has visits")

        // Stage 2 spreads the draws over the year (one a month at least: each month's band of
        // random visits, ⌊0.75 × 22 × wd / 248⌋, is 1), so the key visits share the early months.
        XCTAssertEqual(doc.draws.count, 12)
        XCTAssertTrue(doc.draws.allSatisfy { $0.k >= 1 })

        assertVerified(doc, ctx, failing: ["PLAN-SHARE60"])
        let share = try XCTUnwrap(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "PLAN-SHARE60" })
        XCTAssertEqual(share.shortfall, 10, "⌈0.6 × 30⌉ − 8")
        XCTAssertEqual(share.figure, 0.2667)
        XCTAssertTrue(share.fix?.contains("差10家次") ?? false, share.fix ?? "")
        let ratio = try XCTUnwrap(doc.check("PLAN-RATIO-BUREAU"))
        XCTAssertTrue(ratio.pass)
        XCTAssertEqual(ratio.figure, 0.75, "binding: exactly 30 visits for 40 workdays")
        XCTAssertFalse(doc.compliant)
    }

    /// A compliant instance with a unique optimum: 20 key units (1 red with KEY-D2 → 2 visits,
    /// 3 orange, 6 yellow, 10 blue), 40 general units, the same 40 inspection person-days.
    ///
    /// By hand: required 2 + 3 + 6 + 10 = 21 key visits; capacity 35 visits; draws ≥ 2;
    /// ratio needs 30. Spare capacity goes by value: orange X = 3 (3.0), yellow X = 6 (1.8),
    /// then random (0.2 each) before blue (0.1): K = 30, R = 35 − 30 = 5. Share 30/35 ≥ 0.6.
    /// Objective = −(3 × 1.0 + 6 × 0.3) − 0.2 × 5 = −5.8 (next best: R = 4 and one blue extra, −5.7).
    func testTwentyKeyUnitsAndFortyGeneralFillTheYearExactly() throws {
        var units = [PT.key(1, .red, increase: true)]
        units += (2...4).map { PT.key($0, .orange) } + (5...10).map { PT.key($0, .yellow) } + (11...20).map { PT.key($0, .blue) }
        units += (1...40).map { PT.general(1000 + $0) }
        let (doc, ctx) = try PT.plan(PT.districtScenario(inspection: 40), units)

        XCTAssertEqual(doc.solver.stages[0].objective, -5.8, accuracy: 1e-6)
        let m = doc.metrics
        XCTAssertEqual(m.visits, 35)
        XCTAssertEqual(m.keyVisits, 30)
        XCTAssertEqual(m.randomVisits, 5)
        XCTAssertEqual(m.keyUnitsCovered, 20)
        XCTAssertEqual(m.generalUnitsDrawn, 5)
        XCTAssertEqual(m.keyShare, 0.8571)
        XCTAssertEqual(m.visitsPerWorkday, 0.875)
        let kv = doc.keyVisitsPerUnit
        for n in 1...10 { XCTAssertEqual(kv[PT.code(n)], 2, "red, orange and yellow units: two visits") }
        for n in 11...20 { XCTAssertEqual(kv[PT.code(n)], 1, "blue units: the required one") }

        // PLAN-BASIS month by month: 17.5 of the 17.93 team-days used; no month ahead of the
        // team-days accrued up to it.
        let published = Self.capacity(40).map { ($0 * 100).rounded(.down) / 100 }
        XCTAssertEqual(published.reduce(0, +), 17.93, accuracy: 1e-9)
        XCTAssertEqual(doc.visitsPerMonth.reduce(0, +), 35)
        var accrued = 0.0, spent = 0.0
        for (i, month) in doc.months.enumerated() {
            XCTAssertEqual(month.capacityTeamDays, (Self.capacity(40)[i] * 100).rounded() / 100)
            accrued += published[i]; spent += month.effortTeamDays
            XCTAssertLessThanOrEqual(spent, accrued + 1e-9, "month \(i + 1): ahead of the team-days accrued")
        }

        // Stage 2: key visits cost 0.001 × urgency × month, random visits nothing, so the key
        // visits take the early months (red first) and the 5 draws the last months, one each
        // (each month's band of random visits is ⌈1.25 × 5 × wd / 248⌉ = 1).
        XCTAssertEqual(doc.visits.filter { $0.unit == PT.code(1) }.map { $0.month }, [1, 2], "red first")
        XCTAssertEqual(doc.draws.map { $0.id }, ["D-2026-08", "D-2026-09", "D-2026-10", "D-2026-11", "D-2026-12"])
        XCTAssertEqual(doc.draws.map { $0.k }, [1, 1, 1, 1, 1])
        XCTAssertEqual(doc.draws.map { $0.poolSize }, [40, 39, 38, 37, 36])

        assertVerified(doc, ctx)
        XCTAssertTrue(doc.compliant)
    }
}

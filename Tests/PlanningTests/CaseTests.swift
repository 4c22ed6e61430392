import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// Scenarios on which the planner once gave a wrong answer, each with the answer worked out by
/// hand. The scenarios live under `scenarios/`.
final class CaseTests: XCTestCase {
    static func scenarioPath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenarios/\(name)/scenario.yaml").path
    }

    /// `scenarios/town-spare-capacity`: 北新泾街道 (a street office, 2026), 55 general units and no
    /// key unit, 2 certified officers, two campaigns (工贸有限空间 Feb–Nov on industry & trade, ≥ 9
    /// visits, 39 eligible; 危化品经营使用 in Jan/Mar/Jun/Sep/Dec, ≥ 2, 13 eligible); efforts 0.4
    /// team-day for random and campaign visits.
    ///
    /// Once: 10 visits using 4 of 10.81 team-days, five shortfalls. Cause: stage 1 kept one
    /// visit's worth (0.5, the largest effort) per month for rounding, and a month of this office
    /// holds under one team-day, so the year's room fell from 10.81 to 4.2 team-days.
    ///
    /// By hand: inspection workdays 248 × 2 − 177 − 295 = 24; team-days 24 / 2 × 0.9 = 10.8 (10.81
    /// as the months' published hundredths add up), room for ⌊10.81 / 0.4⌋ = 27 visits.
    /// PLAN-RATIO-LOCAL: T ≥ 1 × 24; FREQ-GENERAL-RANDOM: R ≥ ⌈0.1 × 55⌉ = 6; PLAN-SPECIAL: S₁ ≥ 9,
    /// S₂ ≥ 2; PLAN-SHARE60 (campaign visits are key work): S ≥ 0.6 (S + R), i.e. R ≤ 2S/3.
    /// Spare room goes to more draws: R = 10 needs S ≥ 15 (T = 25, 10 team-days); R = 11 needs
    /// S ≥ 17, T = 28 > 27. So R = 10, 15 ≤ S ≤ 17, every rule met.
    func testTownSpareCapacityMeetsEveryRule() throws {
        let scenario = try ScenarioLoader.load(path: Self.scenarioPath("town-spare-capacity"))
        let ctx = try PlanContext.load(scenario: scenario, ledgers: .files)
        XCTAssertEqual(ctx.budget.inspection, 24)
        let doc = try AnnualPlanner.plan(ctx)

        XCTAssertEqual(doc.solver.status, "optimal")
        let m = doc.metrics
        XCTAssertEqual(m.randomVisits, 10, "the spare room goes to more draws")
        XCTAssertEqual(m.generalUnitsDrawn, 10)
        XCTAssertTrue((15...17).contains(m.specialVisits), "\(m.specialVisits) campaign visits")
        XCTAssertEqual(m.visits, m.randomVisits + m.specialVisits)
        XCTAssertGreaterThanOrEqual(m.visits, 24, "PLAN-RATIO-LOCAL: one visit per inspection workday")
        XCTAssertLessThanOrEqual(m.effortTeamDays, 10.81)
        XCTAssertEqual(m.effortTeamDays, Double(m.visits) * 0.4, accuracy: 1e-9)
        let perCampaign = Dictionary(grouping: doc.visits(kind: "special"), by: { $0.campaign ?? "" }).mapValues { $0.count }
        XCTAssertGreaterThanOrEqual(perCampaign["工贸企业有限空间作业专项"] ?? 0, 9)
        XCTAssertGreaterThanOrEqual(perCampaign["危险化学品经营使用单位专项"] ?? 0, 2)
        XCTAssertFalse(doc.visitsPerMonth.contains(0), "PLAN-DECOMPOSE: every month has visits")
        XCTAssertTrue(doc.compliant, doc.checks.filter { !$0.pass }.map { "\($0.rule): \($0.message)" }.joined(separator: "; "))
        assertVerified(doc, ctx)
    }
}

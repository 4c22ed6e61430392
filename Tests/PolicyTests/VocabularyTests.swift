import XCTest
import Ledger
@testable import Policy

/// The vocabulary of plans as types (rule IDs, visit kinds, draw pools) and the arithmetic the
/// planner and the verifier share.
final class VocabularyTests: XCTestCase {
    func testRuleIDsAreTheStringsOfRULESmdAndPlanJSON() {
        XCTAssertEqual(RuleID.allCases.map { $0.rawValue }, [
            "FREQ-KEY-COVER", "FREQ-CAP", "FREQ-GENERAL-RANDOM", "FREQ-JOINT", "PLAN-SHARE60", "PLAN-RATIO-BUREAU",
            "PLAN-RATIO-LOCAL", "PLAN-BASIS", "PLAN-DECOMPOSE", "PLAN-SPECIAL", "PLAN-KEYLIST", "TIER-ONE", "SITE-TEAM",
            "AVOIDANCE", "AVAILABILITY", "LOAD", "PLAN-FORMAT", "PLAN-SCENARIO", "SOLVER"])
        for r in RuleID.allCases { XCTAssertEqual(RuleID(rawValue: r.id), r) }
        XCTAssertNil(RuleID(rawValue: "PLAN-SHARE50"))
    }

    func testEveryPolicyRuleHasAClauseAndTheVerifiersOwnLinesNone() {
        XCTAssertEqual(RuleID.share60.clause, "五(十二)")
        XCTAssertEqual(RuleID.keyCover.clause, "三(三)")
        XCTAssertEqual(RuleID.siteTeam.clause, "五(十三)")
        for r in [RuleID.format, .scenario, .solver, .avoidance, .availability, .load] {
            XCTAssertNil(r.clause, r.id)
            XCTAssertFalse(r.isPolicyRule, r.id)
        }
        // Reports title the verifier's own lines, but not the what-if SOLVER line or a roster's own.
        XCTAssertEqual(RuleCatalogue.title("PLAN-FORMAT", .zh), "计划文件格式与数值范围（DATA.md）")
        XCTAssertNil(RuleCatalogue.title("SOLVER", .zh))
        XCTAssertNil(RuleCatalogue.title("LOAD", .en))
        XCTAssertEqual(RuleCatalogue.describe("PLAN-RATIO-LOCAL", .en), "PLAN-RATIO-LOCAL visits per inspection workday at least 1 [五(十二)]")
    }

    func testComparisonsAndShortfallUnits() {
        XCTAssertEqual(RuleID.cap.comparison, .atMost)
        XCTAssertEqual(RuleID.basis.comparison, .atMost)
        XCTAssertEqual(RuleID.share60.comparison, .atLeast)
        XCTAssertEqual(RuleID.tierOne.comparison, .noProblems)
        XCTAssertEqual(RuleID.basis.shortfallUnit, .teamDays)
        XCTAssertEqual(ShortfallUnit.teamDays.rawValue, "team-days")
        XCTAssertEqual(ShortfallUnit.visits.zh, "家次")
        XCTAssertEqual(RuleID.ratio(for: .city), .ratioBureau)
        XCTAssertEqual(RuleID.ratio(for: .district), .ratioBureau)
        XCTAssertEqual(RuleID.ratio(for: .town), .ratioLocal)
        XCTAssertEqual(RuleID.ratio(for: .zone), .ratioLocal)
    }

    func testVisitKindsAndDrawPools() {
        XCTAssertEqual(VisitKind.allCases.map { $0.rawValue }, ["key", "special", "random", "joint", "triggered"])
        XCTAssertEqual(VisitKind.allCases.filter { $0.isDrawn }, [.random, .joint])
        XCTAssertEqual(VisitKind.random.pool, .general)
        XCTAssertEqual(VisitKind.joint.pool, .industrial)
        XCTAssertNil(VisitKind.key.pool)
        XCTAssertEqual(DrawPool.allCases.map { $0.rawValue }, ["general", "industrial"])
        for p in DrawPool.allCases { XCTAssertEqual(p.visitKind.pool, p) }
        XCTAssertNil(VisitKind(rawValue: "favour"))
    }

    // MARK: - Shared arithmetic

    /// ⌈rate × G⌉ with the 1e-9 guard: 10% of 30 is 3 (0.1 × 30 = 3.0000000000000004 in binary).
    func testDrawMinimum() {
        XCTAssertEqual(RandomDraw.minimum(rate: 0.1, of: 30), 3)
        XCTAssertEqual(RandomDraw.minimum(rate: 0.05, of: 50), 3)
        XCTAssertEqual(RandomDraw.minimum(rate: 0.05, of: 0), 0)
        XCTAssertEqual(RandomDraw.minimum(rate: 1, of: 7), 7)
    }

    /// RULES.md §7.8: a key unit's visit of any kind counts, and a campaign visit to any unit.
    func testKeyShareCounting() {
        XCTAssertTrue(KeyShare.counts(unitClass: .key, kind: .random))
        XCTAssertTrue(KeyShare.counts(unitClass: .general, kind: .special))
        XCTAssertTrue(KeyShare.counts(unitClass: nil, kind: .special))
        XCTAssertFalse(KeyShare.counts(unitClass: .general, kind: .joint))
        XCTAssertFalse(KeyShare.counts(unitClass: nil, kind: nil))
        XCTAssertEqual(KeyShare.needed(share: 0.6, of: 5), 3)
        XCTAssertEqual(KeyShare.needed(share: 0.6, of: 10), 6)
        XCTAssertEqual(KeyShare.needed(share: 0.6, of: 11), 7)
        XCTAssertEqual(KeyShare.share(3, of: 0), 0)
        XCTAssertEqual(KeyShare.share(3, of: 4), 0.75)
    }

    func testCapacityFromTheWorkdayBudget() {
        // Two officers a team, 10% kept for triggered inspections.
        XCTAssertEqual(WorkdayBudget.teamDays(personDays: 100, reserveShare: 0.1), 45)
        // An officer of a 250-workday year brings 250 / 2 × 0.8 = 100 team-days.
        XCTAssertEqual(WorkdayBudget.officers(forTeamDays: 0, calendarWorkdays: 250, reserveShare: 0.2), 0)
        XCTAssertEqual(WorkdayBudget.officers(forTeamDays: 100, calendarWorkdays: 250, reserveShare: 0.2), 1)
        XCTAssertEqual(WorkdayBudget.officers(forTeamDays: 100.5, calendarWorkdays: 250, reserveShare: 0.2), 2)
        // A year without workdays counts as one workday, never a division by zero.
        XCTAssertEqual(WorkdayBudget.officers(forTeamDays: 1, calendarWorkdays: 0, reserveShare: 0), 2)
        XCTAssertEqual(WorkdayBudget.visitsNeeded(ratio: 0.75, workdays: 400), 300)
        XCTAssertEqual(WorkdayBudget.visitsNeeded(ratio: 0.75, workdays: 401), 301)
        XCTAssertEqual(WorkdayBudget.visitsNeeded(ratio: 1, workdays: 0), 0)
    }

    func testCeilingNeverTraps() {
        XCTAssertEqual(PolicyArithmetic.ceiling(.nan), 0)
        XCTAssertEqual(PolicyArithmetic.ceiling(.infinity), 1_000_000_000_000_000)
        XCTAssertEqual(PolicyArithmetic.ceiling(-1e300), -1_000_000_000_000_000)
        XCTAssertEqual(PolicyArithmetic.ceiling(2.0000001), 3)
    }
}

import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// PlanMatch: a plan belongs to a scenario when authority, year and seed agree and most of the
/// units it visits are in the scenario's ledger (a few closed since are not a mismatch).
final class PlanMatchTests: XCTestCase {
    func testAuthorityYearSeedAndLedgerAreCompared() throws {
        let units = (1...4).map { RF.unit($0) }
        let ctx = try RF.context(units, [RF.officer("E001", leader: true), RF.officer("E002")])
        let plan = try RF.plan(ctx, (1...4).map { (String(format: "V-%04d", $0), RF.code($0), 3, "key") })
        let ids = Set(units.map { $0.id })
        func problems(_ s: Scenario, _ ledger: Set<String>) -> [String] {
            PlanMatch.problems(plan: plan, planPath: "p.json", scenario: s, scenarioPath: "s.yaml", ledgerUnits: ledger).map { $0.column ?? "" }
        }
        XCTAssertEqual(problems(ctx.scenario, ids), [])
        // One unit closed since (1 of 4 missing): still the scenario's plan.
        XCTAssertEqual(problems(ctx.scenario, ids.subtracting([RF.code(1)])), [])
        // Three of four missing: another ledger.
        XCTAssertEqual(problems(ctx.scenario, [RF.code(1)]), ["visits.unit"])
        var s = ctx.scenario
        s.seed += 1
        s.year += 1
        s.authority.name = "徐汇区应急管理局"
        let all = PlanMatch.problems(plan: plan, planPath: "p.json", scenario: s, scenarioPath: "s.yaml", ledgerUnits: [])
        XCTAssertEqual(all.map { $0.column ?? "" }, ["authority.name", "year", "seed", "visits.unit"])
        XCTAssertTrue(all.allSatisfy { $0.file == "p.json" && $0.message.contains("s.yaml") }, "\(all)")
        XCTAssertTrue(all[0].message.contains("徐汇区应急管理局") && all[0].message.contains("浦东新区应急管理局"), all[0].message)
        XCTAssertThrowsError(try PlanMatch.check(plan: plan, planPath: "p.json", scenario: s, scenarioPath: "s.yaml", ledgerUnits: ids))
    }
}

import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
import Synthetic

/// Same inputs, same plan; a generated district plans compliant; plan.json reads back.
final class DeterminismTests: XCTestCase {
    /// plan.json bytes with the measured timings (the only thing allowed to differ) zeroed.
    static func bytesWithoutTimings(_ doc: PlanDocument) throws -> Data {
        var d = doc
        d.solver.seconds = 0
        for i in d.solver.stages.indices { d.solver.stages[i].seconds = 0 }
        return try d.json()
    }

    func testSameInputsTwiceGiveByteIdenticalPlans() throws {
        let (a, ctx) = try VerifierBrokenPlanTests.slackPlan()
        let (b, _) = try VerifierBrokenPlanTests.slackPlan()
        let again = try AnnualPlanner.plan(ctx, options: WIF.options)
        let bytes = try Self.bytesWithoutTimings(a)
        XCTAssertEqual(bytes, try Self.bytesWithoutTimings(b))
        XCTAssertEqual(bytes, try Self.bytesWithoutTimings(again))
        XCTAssertGreaterThan(a.visits.count, 0)
    }

    /// 浦东新区 generated with 2,000 units for 2027 (provisional calendar, staff with leave,
    /// three campaigns, the default joint check): the plan is compliant, re-verifies against
    /// the ledger, and is the same twice.
    func testGeneratedDistrictPlansCompliantAndVerifies() throws {
        let d = Generator.district(ShanghaiGeography.district(named: "浦东新区")!, units: 2000, seed: 11, year: 2027)
        let ledger = Ledger(units: d.units)
        let ctx = try PlanContext(scenario: d.scenario, ledger: ledger, staff: d.staff, calendar: try WorkCalendar.builtin(year: 2027))
        XCTAssertEqual(ctx.monthWeight.reduce(0, +), 1, accuracy: 1e-12)
        let doc = try AnnualPlanner.plan(ctx, options: WIF.options)
        assertVerified(doc, ctx)
        XCTAssertEqual(doc.metrics.keyUnitsCovered, doc.metrics.keyUnits)
        XCTAssertEqual(doc.units.count, 2000)
        XCTAssertEqual(doc.policy.campaigns.count, d.scenario.campaigns.count)
        for c in doc.policy.campaigns {
            XCTAssertGreaterThanOrEqual(doc.visits.filter { $0.campaign == c.name }.count, c.visits, c.name)
        }
        let again = try AnnualPlanner.plan(try PlanContext(scenario: d.scenario, ledger: ledger, staff: d.staff,
                                                           calendar: try WorkCalendar.builtin(year: 2027)))
        XCTAssertEqual(try Self.bytesWithoutTimings(doc), try Self.bytesWithoutTimings(again))
    }

    func testPlanJSONRoundTrips() throws {
        let (doc, ctx) = try VerifierBrokenPlanTests.slackPlan()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plan-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("plan.json").path
        try doc.json().write(to: URL(fileURLWithPath: path))

        let back = try PlanDocument.load(path: path)
        XCTAssertEqual(back.visits, doc.visits)
        XCTAssertEqual(back.draws, doc.draws)
        XCTAssertEqual(back.metrics, doc.metrics)
        XCTAssertEqual(back.months, doc.months)
        XCTAssertEqual(back.checks, doc.checks)
        XCTAssertEqual(back.solver.stages, doc.solver.stages)
        XCTAssertEqual(back.units.map { $0.id }, doc.units.map { $0.id })
        XCTAssertEqual(back.units.map { $0.drawWeight }, doc.units.map { $0.drawWeight })
        XCTAssertEqual(try back.json(), try doc.json(), "writing the loaded plan gives the same bytes")
        // A loaded plan verifies as the original did.
        XCTAssertEqual(PlanVerifier.checks(back, context: ctx), PlanVerifier.checks(doc, context: ctx))
        assertVerified(back, ctx)

        // DATA.md §4's keys, snake_case.
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        for key in ["schema", "year", "authority", "seed", "workdays", "metrics", "units", "visits", "draws", "solver"] {
            XCTAssertNotNil(object[key], key)
        }
        XCTAssertEqual(object["schema"] as? String, "enforcement-plan/1")
        let draw = try XCTUnwrap((object["draws"] as? [[String: Any]])?.first)
        for key in ["id", "month", "seed", "method", "pool_size", "pool_sha256", "k", "drawn"] { XCTAssertNotNil(draw[key], key) }
        let metrics = try XCTUnwrap(object["metrics"] as? [String: Any])
        for key in ["visits", "key_visits", "special_visits", "key_share", "visits_per_workday", "key_units", "key_units_covered",
                    "general_units", "general_units_drawn"] { XCTAssertNotNil(metrics[key], key) }
        let visit = try XCTUnwrap((object["visits"] as? [[String: Any]])?.first)
        for key in ["id", "unit", "month", "kind", "campaign", "draw"] { XCTAssertTrue(visit.keys.contains(key), key) }
    }

    func testLoadingSomethingElseIsAnError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plan-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("plan.json").path
        try Data("{\"schema\": \"enforcement-plan/1\"}".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try PlanDocument.load(path: path)) { e in
            XCTAssertTrue("\(e)".contains("not an enforcement-plan/1 file"), "\(e)")
        }
        XCTAssertThrowsError(try PlanDocument.load(path: dir.appendingPathComponent("missing.json").path))
    }
}

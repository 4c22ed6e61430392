import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
@testable import Synthetic

/// Reruns are byte-identical; roster files round-trip; a whole generated year rosters month by
/// month with history, verifies, and spreads the visits fairly over the officers.
final class RosterYearTests: XCTestCase {
    static func generated(units: Int, seed: UInt64, year: Int = 2027) throws -> (PlanContext, PlanDocument, [StaffMember]) {
        let d = Generator.district(ShanghaiGeography.district(named: "浦东新区")!, units: units, seed: seed, year: year)
        let ctx = try PlanContext(scenario: d.scenario, ledger: Ledger(units: d.units), staff: d.staff,
                                  calendar: try WorkCalendar.builtin(year: year))
        let plan = try AnnualPlanner.plan(ctx, options: WIF.options)
        XCTAssertEqual(plan.solver.status, "optimal", "the plan rostered is proven optimal")
        return (ctx, plan, d.experts)
    }

    func testSameInputsTwiceGiveByteIdenticalRosters() throws {
        let f = try RosterVerifierTests.fixture()
        let again = try RF.roster(f.plan, f.ctx, experts: f.experts, month: 2)
        XCTAssertEqual(try RF.bytesWithoutTimings(f.roster), try RF.bytesWithoutTimings(again))

        let (ctx, plan, experts) = try Self.generated(units: 300, seed: 11)
        let month = try XCTUnwrap((1...12).max { m1, m2 in plan.visits.filter { $0.month == m1 }.count < plan.visits.filter { $0.month == m2 }.count })
        var h = RosterHistory()
        h.visitsByOfficer = ["E001": 3, "E002": 1]
        let rc = RosterContext(plan: plan, ctx: ctx, experts: experts, focus: RF.focus)
        let a = try RosterPlanner.roster(rc, month: month, history: h)
        let b = try RosterPlanner.roster(rc, month: month, history: h)
        assertRoster(a, plan: plan, ctx: ctx, experts: experts)
        XCTAssertGreaterThan(a.assignments.count, 10)
        XCTAssertGreaterThan(a.solver.stages.count, 1)
        XCTAssertEqual(try RF.bytesWithoutTimings(a), try RF.bytesWithoutTimings(b))
    }

    func testRosterFileRoundTrips() throws {
        let f = try RosterVerifierTests.fixture()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-rt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(RosterDocument.fileName(year: 2026, month: 2)).path
        XCTAssertTrue(path.hasSuffix("/roster-2026-02.json"))
        let bytes = try f.roster.json()
        try bytes.write(to: URL(fileURLWithPath: path))
        let loaded = try RosterDocument.load(path: path)
        XCTAssertEqual(try loaded.json(), bytes)
        XCTAssertEqual(loaded.assignments, f.roster.assignments)
        // The contract's keys (DATA.md §6).
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        for k in ["schema", "year", "month", "authority", "seed", "assignments", "unassigned", "expert_shortfalls", "draws"] {
            XCTAssertNotNil(obj[k], k)
        }
        let a = try XCTUnwrap((obj["assignments"] as? [[String: Any]])?.first)
        for k in ["visit", "unit", "date", "kind", "team", "leader", "experts", "focus", "draw"] { XCTAssertTrue(a.keys.contains(k), k) }
        let d = try XCTUnwrap((obj["draws"] as? [[String: Any]])?.first)
        for k in ["id", "seed", "method", "pool", "pool_sha256", "k", "drawn"] { XCTAssertNotNil(d[k], k) }
        // History read back from files equals history from the documents.
        var h1 = RosterHistory(), h2 = RosterHistory()
        h1.absorb(f.roster); h2.absorb(loaded)
        XCTAssertEqual(h1.visitsByOfficer, h2.visitsByOfficer)
        XCTAssertEqual(h1.lastLeader, h2.lastLeader)
    }

    func testAGeneratedYearRostersVerifiesAndIsFair() throws {
        let (ctx, plan, experts) = try Self.generated(units: 600, seed: 5)
        let rc = RosterContext(plan: plan, ctx: ctx, experts: experts, focus: RF.focus)
        var history = RosterHistory()
        var staffed = 0, unassigned = 0, shortfalls = 0, repeats = 0, sameLeader = 0
        let started = Date()
        for m in 1...12 {
            let r = try RosterPlanner.roster(rc, month: m, history: history)
            XCTAssertEqual(r.month, m)
            XCTAssertEqual(r.year, 2027)
            assertRoster(r, plan: plan, ctx: ctx, experts: experts)
            XCTAssertNotEqual(r.solver.status, "infeasible")
            for a in r.assignments { XCTAssertTrue(ctx.calendar.isWorkday(RF.date(a.date))) }
            staffed += r.assignments.count; unassigned += r.unassigned.count; shortfalls += r.expertShortfalls.count
            for a in r.assignments {
                if let last = history.lastLeader[a.unit] { repeats += 1; if last == a.leader { sameLeader += 1 } }
            }
            history.absorb(r)
        }
        let officers = ctx.staff.filter { $0.certified }.map { $0.id }
        let counts = officers.map { history.visitsByOfficer[$0] ?? 0 }
        let leaders = ctx.staff.filter { $0.certified && $0.leader }.map { $0.id }
        print("roster year 2027 (600 units, seed 5): \(plan.visits.count) visits planned, \(staffed) staffed, \(unassigned) unassigned, "
              + "\(shortfalls) without expert; officers \(officers.count) (leaders \(leaders)), visits per officer "
              + "\(Dictionary(uniqueKeysWithValues: zip(officers, counts)).sorted { $0.key < $1.key }); "
              + String(format: "%.1fs", Date().timeIntervalSince(started)))
        XCTAssertEqual(staffed + unassigned, plan.visits.count)
        XCTAssertGreaterThan(staffed, plan.visits.count * 9 / 10)
        let mx = counts.max() ?? 0, mn = counts.min() ?? 0
        XCTAssertGreaterThan(mn, 0)
        // Every team is one leader and one other officer (drawn teams never grow: DATA.md §6), so
        // a leader's share is staffed / leaders and another officer's staffed / others: across
        // the groups the spread is that ratio (here 4 others / 2 leaders = 2), not more.
        XCTAssertEqual(counts.reduce(0, +), 2 * staffed, "every team exactly two officers")
        let groupRatio = Double(officers.count - leaders.count) / Double(max(1, leaders.count))
        XCTAssertLessThanOrEqual(Double(mx), Double(mn) * max(1, groupRatio) * 1.1 + 5, "visits per certified officer: max \(mx), min \(mn)")
        // Within officers who may lead and within those who may not, the year's visits are even
        // (every team needs a leader, so leaders carry about twice as many when they are a third).
        for group in [leaders, officers.filter { !leaders.contains($0) }] where !group.isEmpty {
            let c = group.map { history.visitsByOfficer[$0] ?? 0 }
            XCTAssertLessThanOrEqual(Double(c.max()!), Double(c.min()!) * 1.15 + 3, "\(group): \(c)")
        }
        // Leader rotation: repeat visits to a unit are led by someone else as often as not.
        print("roster year: repeat visits led by the same leader: \(sameLeader) of \(repeats)")
        XCTAssertLessThanOrEqual(sameLeader * 2, repeats)
        // Every uncertified staff member stays out of teams all year.
        for s in ctx.staff where !s.certified { XCTAssertNil(history.visitsByOfficer[s.id], s.id) }
    }
}

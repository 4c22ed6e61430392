import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// The 双随机 draw of inspectors for a random visit equals an independent re-run of
/// `sha256-weighted/1` (DATA.md §5) computed outside Swift.
///
/// Expected values from this throwaway script (python3, standard library only):
///
///     # Independent re-run of sha256-weighted/1 (DATA.md §5) for a roster inspector draw.
///     import hashlib, math
///     seed, draw_id = 20260101, "R-2026-03-V-0007"
///     pool = ["E001", "E002", "E003", "E004", "E005", "E006"]
///     def score(m, w=1.0):
///         h = hashlib.sha256(f"{seed}:{draw_id}:{m}".encode("utf-8")).digest()
///         n = int.from_bytes(h[:8], "big")
///         u = (n + 0.5) / 2**64
///         return math.log(u) / w
///     ranking = sorted(pool, key=lambda m: (-score(m), m.encode("utf-8")))
///     print("ranking", ranking, [round(score(m), 6) for m in ranking])
///     print("pool_sha256", hashlib.sha256("\n".join(sorted(pool, key=lambda s: s.encode())).encode()).hexdigest())
///
/// Output:
///
///     ranking ['E005', 'E006', 'E002', 'E001', 'E003', 'E004'] [-0.64535, -0.792676, -0.902827, -0.983436, -1.086331, -1.148911]
///     pool_sha256 77f7c0b29a711b6ab07e0aef5f171c7ee6b358dc755c099be90101ff00994ec9
///
/// With E001 and E004 the only officers who may lead, the team is the first two (E005, E006)
/// extended until it holds a leader: E005, E006, E002, E001; the leader is E001.
final class RosterDrawTests: XCTestCase {
    func testInspectorDrawEqualsAnIndependentRerun() throws {
        let g = RF.general(7), k = RF.unit(1, town: RF.townB)
        let staff = [
            RF.officer("E001", leader: true), RF.officer("E002"), RF.officer("E003"),
            RF.officer("E004", leader: true), RF.officer("E005"), RF.officer("E006"),
            RF.officer("E007", leader: true, certified: false),   // no certificate: never in the pool
            RF.officer("E008", leader: true, conflicts: [g.id]),  // 回避: not in this draw's pool
        ]
        let experts = [RF.expert("X001", [.general])]
        let ctx = try RF.context([k, g], staff)
        XCTAssertEqual(ctx.scenario.seed, 20260101)
        let plan = try RF.plan(ctx, [("V-0001", k.id, 3, "key"), ("V-0007", g.id, 3, "random")])
        let r = try RF.roster(plan, ctx, experts: experts, month: 3)
        assertRoster(r, plan: plan, ctx: ctx, experts: experts)

        let a = try XCTUnwrap(r.assignment("V-0007"))
        XCTAssertEqual(a.draw, "R-2026-03-V-0007")
        XCTAssertEqual(r.draws.count, 1)
        let d = r.draws[0]
        XCTAssertEqual(d.id, "R-2026-03-V-0007")
        XCTAssertEqual(d.seed, 20260101)
        XCTAssertEqual(d.method, "sha256-weighted/1")
        XCTAssertEqual(d.date, a.date)
        XCTAssertEqual(d.pool, ["E001", "E002", "E003", "E004", "E005", "E006"])
        XCTAssertEqual(d.poolSha256, "77f7c0b29a711b6ab07e0aef5f171c7ee6b358dc755c099be90101ff00994ec9")
        XCTAssertEqual(d.k, 2)
        XCTAssertEqual(d.drawn, ["E005", "E006", "E002", "E001"])
        XCTAssertEqual(a.leader, "E001")
        XCTAssertEqual(a.team, ["E001", "E005", "E006", "E002"])
        XCTAssertEqual(a.experts, [])
        // The library's own ranking agrees with the script's.
        XCTAssertEqual(try RandomDraw.rank(seed: 20260101, id: "R-2026-03-V-0007", pool: d.pool.map { DrawMember(id: $0) }),
                       ["E005", "E006", "E002", "E001", "E003", "E004"])
    }

    func testDrawIsTheFirstTwoWhenOneOfThemMayLead() throws {
        // Same draw, E005 may lead: the team is just the first two, E005 leading.
        let g = RF.general(7)
        let staff = (1...6).map { RF.officer(String(format: "E%03d", $0), leader: $0 == 5 || $0 == 1) }
        let ctx = try RF.context([g], staff)
        let plan = try RF.plan(ctx, [("V-0007", g.id, 3, "random")])
        let r = try RF.roster(plan, ctx, month: 3)
        assertRoster(r, plan: plan, ctx: ctx, experts: [])
        XCTAssertEqual(r.draws.map { $0.drawn }, [["E005", "E006"]])
        XCTAssertEqual(r.assignment("V-0007")?.team, ["E005", "E006"])
        XCTAssertEqual(r.assignment("V-0007")?.leader, "E005")
    }
}

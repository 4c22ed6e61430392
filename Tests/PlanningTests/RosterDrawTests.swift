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
/// Since DATA.md §6's two-step draw the same script, run for the two draws a random visit now
/// gets (E001 and E004 the only officers of the pool who may lead):
///
///     lead = ["E001", "E004"]
///     draw_id = "R-2026-03-V-0007-L"; ranking(lead)  -> ['E001', 'E004'] [-0.324773, -1.886013]
///     sha256(lead)                                   -> c36854d377321f6e4dce310ba2c2fcf22b9a6007a893be5ab12c1eb2d75ed580
///     rest = pool without E001
///     draw_id = "R-2026-03-V-0007";   ranking(rest)  -> ['E005', 'E006', 'E002', 'E003', 'E004']
///     sha256(rest)                                   -> 6dbb810625c8bb2be422cde821375f61a6bc79d1acc4dec4878c5c26bdab50fe
///
/// so the leader is E001 (k = 1 from the leaders) and the other member E005 (k − 1 = 1 from
/// the rest): a team of two. Before, the team was the first two of one ranking extended until it
/// held a leader: E005, E006, E002, E001 — four officers, all charged capacity.
/// With E001 and E005 leaders: '-L' ranks E005 (-0.213621) before E001 (-0.324773); the rest
/// (E001, E002, E003, E004, E006) ranks E006 first: the team is E005, E006.
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
        XCTAssertEqual(a.draw, "R-2026-03-V-0007", "the assignment names the second draw")
        XCTAssertEqual(r.draws.map { $0.id }, ["R-2026-03-V-0007-L", "R-2026-03-V-0007"])
        let l = r.draws[0], d = r.draws[1]
        for x in [l, d] {
            XCTAssertEqual(x.seed, 20260101)
            XCTAssertEqual(x.method, "sha256-weighted/1")
            XCTAssertEqual(x.date, a.date)
        }
        XCTAssertEqual(l.pool, ["E001", "E004"])
        XCTAssertEqual(l.poolSha256, "c36854d377321f6e4dce310ba2c2fcf22b9a6007a893be5ab12c1eb2d75ed580")
        XCTAssertEqual(l.k, 1)
        XCTAssertEqual(l.drawn, ["E001"])
        XCTAssertEqual(d.pool, ["E002", "E003", "E004", "E005", "E006"])
        XCTAssertEqual(d.poolSha256, "6dbb810625c8bb2be422cde821375f61a6bc79d1acc4dec4878c5c26bdab50fe")
        XCTAssertEqual(d.k, 1)
        XCTAssertEqual(d.drawn, ["E005"])
        XCTAssertEqual(a.leader, "E001")
        XCTAssertEqual(a.team, ["E001", "E005"])
        XCTAssertEqual(a.experts, [])
        // The library's own rankings agree with the script's.
        XCTAssertEqual(try RandomDraw.rank(seed: 20260101, id: "R-2026-03-V-0007-L", pool: l.pool.map { DrawMember(id: $0) }), ["E001", "E004"])
        XCTAssertEqual(try RandomDraw.rank(seed: 20260101, id: "R-2026-03-V-0007", pool: d.pool.map { DrawMember(id: $0) }),
                       ["E005", "E006", "E002", "E003", "E004"])
    }

    func testLeaderDrawnFirstThenTheOtherMember() throws {
        let g = RF.general(7)
        let staff = (1...6).map { RF.officer(String(format: "E%03d", $0), leader: $0 == 5 || $0 == 1) }
        let ctx = try RF.context([g], staff)
        let plan = try RF.plan(ctx, [("V-0007", g.id, 3, "random")])
        let r = try RF.roster(plan, ctx, month: 3)
        assertRoster(r, plan: plan, ctx: ctx, experts: [])
        XCTAssertEqual(r.draws.map { $0.drawn }, [["E005"], ["E006"]])
        XCTAssertEqual(r.draws.map { $0.pool }, [["E001", "E005"], ["E001", "E002", "E003", "E004", "E006"]])
        XCTAssertEqual(r.assignment("V-0007")?.team, ["E005", "E006"])
        XCTAssertEqual(r.assignment("V-0007")?.leader, "E005")
    }

    /// Regression: with leaders rare, the one-step draw grew a team until it included one (a team
    /// of 9 was seen in a district). Eleven officers, one of whom may lead, ranked last by the
    /// member draw's id: every random visit of the month still gets a team of exactly two, the
    /// leader from its own draw; both draws replay to the recorded result.
    func testRareLeadersNeverGrowATeamBeyondTheTeamSize() throws {
        let gs = (21...26).map { RF.general($0) }
        // E011 is the only leader.
        let staff = (1...11).map { RF.officer(String(format: "E%03d", $0), leader: $0 == 11) }
        let ctx = try RF.context(gs, staff)
        let plan = try RF.plan(ctx, gs.enumerated().map { (String(format: "V-%04d", 21 + $0.offset), $0.element.id, 3, "random") })
        let r = try RF.roster(plan, ctx, month: 3)
        assertRoster(r, plan: plan, ctx: ctx, experts: [])
        XCTAssertEqual(r.assignments.count, 6)
        for a in r.assignments {
            XCTAssertEqual(a.team.count, 2, "\(a.visit): \(a.team)")
            XCTAssertEqual(a.leader, "E011")
            let l = try XCTUnwrap(r.rosterDraw((a.draw ?? "") + "-L"))
            XCTAssertEqual(l.pool, ["E011"])
            XCTAssertEqual(l.drawn, ["E011"])
            let d = try XCTUnwrap(r.rosterDraw(a.draw ?? ""))
            XCTAssertFalse(d.pool.contains("E011"))
            XCTAssertEqual(d.k, 1)
            XCTAssertEqual(a.team, ["E011"] + d.drawn)
            // Reproducible: each draw is the first k of a re-run ranking of its pool.
            for x in [l, d] {
                XCTAssertEqual(Array(try RandomDraw.rank(seed: x.seed, id: x.id, pool: x.pool.map { DrawMember(id: $0) }).prefix(x.k)), x.drawn)
            }
        }
        // The same inputs give the same roster, byte for byte.
        XCTAssertEqual(try RF.bytesWithoutTimings(RF.roster(plan, ctx, month: 3)), try RF.bytesWithoutTimings(r))
        // The old one-step rule (the first two of the member draw's ranking of the whole pool,
        // extended until it holds the leader) would have made larger teams here.
        let oldSizes = try r.assignments.map { a -> Int in
            let d = r.rosterDraw(a.draw!)!
            let whole = try RandomDraw.rank(seed: d.seed, id: d.id, pool: (d.pool + ["E011"]).map { DrawMember(id: $0) })
            return max(2, whole.firstIndex(of: "E011")! + 1)
        }
        XCTAssertGreaterThan(oldSizes.max()!, 2, "\(oldSizes)")
    }

    func testNoOneWhoMayLeadLeavesTheVisitUnassignedWithAReason() throws {
        let g = RF.general(7)
        let staff = (1...4).map { RF.officer(String(format: "E%03d", $0), leader: $0 == 1, conflicts: $0 == 1 ? [g.id] : []) }
        let ctx = try RF.context([g], staff)
        let plan = try RF.plan(ctx, [("V-0007", g.id, 3, "random")])
        let r = try RF.roster(plan, ctx, month: 3)
        assertRoster(r, plan: plan, ctx: ctx, experts: [])
        XCTAssertNil(r.assignment("V-0007"))
        XCTAssertTrue(r.unassignedReason("V-0007")?.contains("无可任组长者") == true, r.unassignedReason("V-0007") ?? "assigned")
        XCTAssertEqual(r.draws, [])
    }
}

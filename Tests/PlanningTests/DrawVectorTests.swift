import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

// The draws of a small plan re-run independently of the Swift code (DATA.md §5). The plan is
// HandSolvedPlanTests' brief instance (4 key units, 40 general units, 40 inspection person-days:
// 22 random visits) with general units given FREQ-DECREASE / FREQ-INCREASE flags so that the
// weights differ. The months and sizes of the draws (stage 2's choice: one draw a month, k = 1,
// 1, 1, 1, 2, 2, 3, 3, 3, 1, 1, 3) are inputs; each pool is the authority's general units not
// drawn earlier in the year. The script below recomputes every credit code, weight, pool,
// pool_sha256 and drawn list; its output is pasted as literals.
//
// ```python
// # Independent re-run of the plan's draws (DATA.md §5, sha256-weighted/1).
// import hashlib, math
// ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
// W = [pow(3, i, 31) for i in range(17)]
// def code(n):  # GB 32100-2015 check character
//     body = "91310115MA" + f"{n:07d}"
//     s = sum(ALPHA.index(c) * w for c, w in zip(body, W))
//     return body + ALPHA[(31 - s % 31) % 31]
// def weight(n):  # draw_weight: 1 × FREQ-DECREASE/INCREASE factors (PARAMETERS.md)
//     k = n - 1000
//     if 1 <= k <= 5: return 0.6          # standardisation
//     if 6 <= k <= 8: return 0.8          # liability insurance
//     if 9 <= k <= 10: return 0.6 * 0.8   # both
//     if 11 <= k <= 12: return 1.5        # one penalty
//     if k == 13: return 2.0              # fatal accident on record (2019, outside KEY-D2's window)
//     if k == 14: return 0.7              # safety culture
//     return 1.0
// def u(seed, did, m):
//     h = hashlib.sha256(f"{seed}:{did}:{m}".encode()).digest()
//     return (int.from_bytes(h[:8], "big") + 0.5) / 2**64
// def draw(seed, did, pool, k):  # pool: {id: weight}
//     scored = sorted(((math.log(u(seed, did, m)) / w, m) for m, w in pool.items()),
//                     key=lambda t: (-t[0], t[1].encode()))
//     return [m for _, m in scored[:k]]
// def pool_sha256(ids):
//     return hashlib.sha256("\n".join(sorted(ids, key=str.encode)).encode()).hexdigest()
// seed = 20260101
// general = {code(n): round(weight(n) * 1e6) / 1e6 for n in range(1001, 1041)}
// drawn = set()
// for month, k in zip(range(1, 13), [1, 1, 1, 1, 2, 2, 3, 3, 3, 1, 1, 3]):
//     did = f"D-2026-{month:02d}"
//     pool = {m: w for m, w in general.items() if m not in drawn}
//     d = draw(seed, did, pool, k)
//     print(did, len(pool), pool_sha256(pool), d)
//     drawn |= set(d)
// ```
//
// Output (python3 3.11.7, this machine):
//
// ```
// D-2026-01 40 666f50110c52ee073ae5a78a905a9652623abec057164a33ebef100bd3b421fd ['91310115MA0001037U']
// D-2026-02 39 682bb7690bed741b616dd81e9f185b90560c031b98e181b16c2bdaa5e0fac572 ['91310115MA0001013D']
// D-2026-03 38 e7b39433f00762c5db06a6e90d906722141501d4e847daaa702ae096bcc8b7b8 ['91310115MA00010205']
// D-2026-04 37 a6d736e2d5b9983f77407439d353fccc3c71f767d9d29379e01b07131090dacc ['91310115MA00010117']
// D-2026-05 36 365a27e27b93329982c9cfbb7c4d4ec83600f19fa0a1ec92b3d25a9ad206f11b ['91310115MA0001033F', '91310115MA0001027T']
// D-2026-06 34 9edf038ef97394ea484e8546e5cd28868e5ad76aa564b11265f3a43a70615237 ['91310115MA00010392', '91310115MA00010407']
// D-2026-07 32 dddbae82812fef495d4edf877b9162526682c4775fcf234da6fb87346e78d296 ['91310115MA0001014G', '91310115MA0001008U', '91310115MA0001032C']
// D-2026-08 29 5656b215391bc347526cfa4eb99fdb959893aefa0e044d7a03e024e6203a4564 ['91310115MA00010218', '91310115MA0001012A', '91310115MA00010016']
// D-2026-09 26 0986579789487242d2b01a8f3a3b7866ca049c0b3a6f3b606fb0bcd80b0e017a ['91310115MA0001018W', '91310115MA0001005J', '91310115MA0001025L']
// D-2026-10 23 15aa4e9fa89ea5fbe82c0e340b546829605b4ca17fefd717011661a7b2023ad4 ['91310115MA0001038Y']
// D-2026-11 22 b45464bee274571e256342520eedc9c40b58a76e93cfb1cfad823bd1b6fc93cb ['91310115MA0001036Q']
// D-2026-12 21 01390b100ebc8eaaa5cae57b6f66faa94c9860c64e59d9f6b55c690990678e9b ['91310115MA0001034J', '91310115MA0001026P', '91310115MA00010306']
// ```

final class DrawVectorTests: XCTestCase {
    /// General unit 1000 + n with the flags the script's `weight(n)` reads.
    static func weightedGeneral(_ n: Int) -> LedgerUnit {
        var u = PT.general(1000 + n)
        switch n {
        case 1...5: u.standardisation = .level2
        case 6...8: u.liabilityInsurance = true
        case 9...10: u.standardisation = .level3; u.liabilityInsurance = true
        case 11...12: u.penalties3y = 1                                        // not KEY-D4 (needs 2)
        case 13: u.lastFatalAccident = CivilDate(year: 2019, month: 5, day: 1)! // before KEY-D2's window
        case 14: u.safetyCulture = true
        default: break
        }
        return u
    }

    static let expected: [(id: String, poolSize: Int, poolSHA256: String, drawn: [String])] = [
        ("D-2026-01", 40, "666f50110c52ee073ae5a78a905a9652623abec057164a33ebef100bd3b421fd", ["91310115MA0001037U"]),
        ("D-2026-02", 39, "682bb7690bed741b616dd81e9f185b90560c031b98e181b16c2bdaa5e0fac572", ["91310115MA0001013D"]),
        ("D-2026-03", 38, "e7b39433f00762c5db06a6e90d906722141501d4e847daaa702ae096bcc8b7b8", ["91310115MA00010205"]),
        ("D-2026-04", 37, "a6d736e2d5b9983f77407439d353fccc3c71f767d9d29379e01b07131090dacc", ["91310115MA00010117"]),
        ("D-2026-05", 36, "365a27e27b93329982c9cfbb7c4d4ec83600f19fa0a1ec92b3d25a9ad206f11b", ["91310115MA0001033F", "91310115MA0001027T"]),
        ("D-2026-06", 34, "9edf038ef97394ea484e8546e5cd28868e5ad76aa564b11265f3a43a70615237", ["91310115MA00010392", "91310115MA00010407"]),
        ("D-2026-07", 32, "dddbae82812fef495d4edf877b9162526682c4775fcf234da6fb87346e78d296", ["91310115MA0001014G", "91310115MA0001008U", "91310115MA0001032C"]),
        ("D-2026-08", 29, "5656b215391bc347526cfa4eb99fdb959893aefa0e044d7a03e024e6203a4564", ["91310115MA00010218", "91310115MA0001012A", "91310115MA00010016"]),
        ("D-2026-09", 26, "0986579789487242d2b01a8f3a3b7866ca049c0b3a6f3b606fb0bcd80b0e017a", ["91310115MA0001018W", "91310115MA0001005J", "91310115MA0001025L"]),
        ("D-2026-10", 23, "15aa4e9fa89ea5fbe82c0e340b546829605b4ca17fefd717011661a7b2023ad4", ["91310115MA0001038Y"]),
        ("D-2026-11", 22, "b45464bee274571e256342520eedc9c40b58a76e93cfb1cfad823bd1b6fc93cb", ["91310115MA0001036Q"]),
        ("D-2026-12", 21, "01390b100ebc8eaaa5cae57b6f66faa94c9860c64e59d9f6b55c690990678e9b", ["91310115MA0001034J", "91310115MA0001026P", "91310115MA00010306"]),
    ]

    func testDrawsEqualAnIndependentRerun() throws {
        var units = [PT.key(1, .red, increase: true), PT.key(2, .orange), PT.key(3, .orange), PT.key(4, .yellow)]
        units += (1...40).map(Self.weightedGeneral)
        let (doc, ctx) = try PT.plan(PT.districtScenario(inspection: 40), units)

        // The weights plan.json publishes are the script's.
        let w = Dictionary(uniqueKeysWithValues: doc.units.map { ($0.id, $0.drawWeight) })
        XCTAssertEqual((1...5).map { w[PT.code(1000 + $0)] }, Array(repeating: 0.6, count: 5))
        XCTAssertEqual((6...8).map { w[PT.code(1000 + $0)] }, Array(repeating: 0.8, count: 3))
        XCTAssertEqual((9...10).map { w[PT.code(1000 + $0)] }, [0.48, 0.48])
        XCTAssertEqual((11...12).map { w[PT.code(1000 + $0)] }, [1.5, 1.5])
        XCTAssertEqual(w[PT.code(1013)], 2.0)
        XCTAssertEqual(w[PT.code(1014)], 0.7)
        XCTAssertEqual(w[PT.code(1015)], 1.0)
        XCTAssertTrue((4..<44).allSatisfy { ctx.classifications[$0].unitClass == .general })

        XCTAssertEqual(doc.metrics.randomVisits, 22)
        XCTAssertEqual(doc.draws.map { $0.month }, Array(1...12))
        XCTAssertEqual(doc.draws.map { $0.k }, [1, 1, 1, 1, 2, 2, 3, 3, 3, 1, 1, 3])
        XCTAssertEqual(doc.draws.count, Self.expected.count)
        for (d, e) in zip(doc.draws, Self.expected) {
            XCTAssertEqual(d.id, e.id)
            XCTAssertEqual(d.seed, 20260101)
            XCTAssertEqual(d.method, "sha256-weighted/1")
            XCTAssertEqual(d.pool, "general")
            XCTAssertEqual(d.poolSize, e.poolSize, d.id)
            XCTAssertEqual(d.poolSha256, e.poolSHA256, d.id)
            XCTAssertEqual(d.drawn, e.drawn, d.id)
            XCTAssertEqual(doc.visits.filter { $0.draw == d.id }.map { $0.unit }.sorted(), e.drawn.sorted(), d.id)
        }
        // The September draw, spelt out: a pool of 26 = 40 − the 14 drawn in January–August.
        let sep = try XCTUnwrap(doc.draws.first { $0.id == "D-2026-09" })
        XCTAssertEqual(sep.poolSize, 26)
        XCTAssertEqual(sep.drawn, ["91310115MA0001018W", "91310115MA0001005J", "91310115MA0001025L"])
        XCTAssertEqual(sep.poolSha256, "0986579789487242d2b01a8f3a3b7866ca049c0b3a6f3b606fb0bcd80b0e017a")
        XCTAssertEqual(PT.code(1018), "91310115MA0001018W")
    }
}

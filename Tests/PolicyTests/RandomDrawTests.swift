import Crypto
import Foundation
@testable import Policy
import XCTest

// Reference vectors for the draw `sha256-weighted/1` (DATA.md §5), computed independently of
// the Swift code with Python 3.11's hashlib and math.log on this machine (Debian, glibc), by
// running the script below and pasting its output here as literals. `u` values are Python's
// repr (shortest round-tripping), so the Double literals are bit-exact.
//
// ```python
// # Reference vectors for sha256-weighted/1 (DATA.md §5), independent of the Swift code.
// import hashlib, math
//
// def n_of(seed, did, m):
//     h = hashlib.sha256(f"{seed}:{did}:{m}".encode("utf-8")).digest()
//     return int.from_bytes(h[:8], "big")
//
// def u(seed, did, m):
//     return (n_of(seed, did, m) + 0.5) / 2**64   # the spec's expression, as written
//
// def rank(seed, did, pool):  # pool: [(id, weight)]
//     scored = [(math.log(u(seed, did, m)) / w, m) for m, w in pool]
//     scored.sort(key=lambda t: (-t[0], t[1].encode("utf-8")))  # score desc, then id bytes asc
//     return [m for _, m in scored]
//
// def pool_sha256(ids):
//     text = "\n".join(sorted(ids, key=lambda s: s.encode("utf-8")))
//     return hashlib.sha256(text.encode("utf-8")).hexdigest()
//
// # Python's int + float rounds n to the nearest double first, exactly as Swift's Double(n) + 0.5.
// for n in [0, 1, 2**53 + 1, 2**63 + 1025, 2**64 - 1025, 2**64 - 1024, 2**64 - 1] + \
//          [n_of(7, "x", f"M{i}") for i in range(10000)]:
//     assert (n + 0.5) / 2**64 == (float(n) + 0.5) / 18446744073709551616.0
//
// print("u from n at the edges:", [(n, (n + 0.5) / 2**64) for n in
//       [0, 1, 2**53 + 1, 2**64 - 1025, 2**64 - 1024, 2**64 - 1]])
// print("(a) u values, seed 20270101, id D-2027-03")
// for m in ["91310115MA1K4A0001", "91310115MA1K4A0002", "91310115MA1K4A0003"]:
//     print(f"  {m}: n={n_of(20270101, 'D-2027-03', m)} u={u(20270101, 'D-2027-03', m)!r}")
//
// units = [
//     ("91310115MA1K4A0001", 1.0), ("91310115MA1K4A0002", 0.5), ("91310115MA1K4A0003", 2.0),
//     ("91310115MA1K4A0004", 1.0), ("91310115MA1K4A0005", 1.5), ("91310115MA1K4A0006", 0.5),
//     ("91310115MA1K4A0007", 2.0), ("91310115MA1K4A0008", 1.0), ("91310115MA1K4A0009", 3.0),
//     ("91310115MA1K4A0010", 0.25),
// ]
// r = rank(20270101, "D-2027-03", units)
// print("(b) drawn k=3:", r[:3])
// print("(c) ranking:", r)
// print("(d) pool_sha256:", pool_sha256([m for m, _ in units]))
// insp = [(f"E{i:03d}", 1.0) for i in range(1, 13)]
// ri = rank(20270101, "R-2027-03-V-0007", insp)
// print("(e) inspectors k=2:", ri[:2], "ranking:", ri)
// print("    pool_sha256:", pool_sha256([m for m, _ in insp]))
// print("empty pool_sha256:", pool_sha256([]))
// two = [("91310115MA1K4B0001", 3.0), ("91310115MA1K4B0002", 1.0)]
// hits = sum(1 for i in range(1, 2001) if rank(20270101, f"T-{i}", two)[0] == two[0][0])
// print("statistical: first drawn", hits, "of 2000")
// ```
//
// Output:
//
// ```
// u from n at the edges: [(0, 2.710505431213761e-20), (1, 8.131516293641283e-20), (9007199254740993, 0.00048828125), (18446744073709550591, 0.9999999999999999), (18446744073709550592, 1.0), (18446744073709551615, 1.0)]
// (a) u values, seed 20270101, id D-2027-03
//   91310115MA1K4A0001: n=1061422517520576314 u=0.05753982997104211
//   91310115MA1K4A0002: n=15829526021078023684 u=0.8581203250734308
//   91310115MA1K4A0003: n=4713967258899890743 u=0.25554467715624
// (b) drawn k=3: ['91310115MA1K4A0006', '91310115MA1K4A0009', '91310115MA1K4A0002']
// (c) ranking: ['91310115MA1K4A0006', '91310115MA1K4A0009', '91310115MA1K4A0002', '91310115MA1K4A0007', '91310115MA1K4A0008', '91310115MA1K4A0003', '91310115MA1K4A0005', '91310115MA1K4A0004', '91310115MA1K4A0001', '91310115MA1K4A0010']
// (d) pool_sha256: 898a6aa59ff76f963721703d8ce86bd79593749eccd512dd4857b75cb0223d4f
// (e) inspectors k=2: ['E003', 'E005'] ranking: ['E003', 'E005', 'E008', 'E002', 'E004', 'E007', 'E001', 'E011', 'E010', 'E009', 'E006', 'E012']
//     pool_sha256: d4c8ecf61fb21390729791d086e2d01d326e595dca77b76c42de17819cce4f55
// empty pool_sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
// statistical: first drawn 1535 of 2000
// ```

/// The Python vectors above as values, shared by RandomDrawTests and RandomDrawTopTests.
enum DrawVectors {
    static let seed: UInt64 = 20270101

    /// The unit pool of vectors (b)–(d): realistic 18-character codes, mixed weights, in id order.
    static let units: [DrawMember] = [
        DrawMember(id: "91310115MA1K4A0001", weight: 1.0), DrawMember(id: "91310115MA1K4A0002", weight: 0.5),
        DrawMember(id: "91310115MA1K4A0003", weight: 2.0), DrawMember(id: "91310115MA1K4A0004", weight: 1.0),
        DrawMember(id: "91310115MA1K4A0005", weight: 1.5), DrawMember(id: "91310115MA1K4A0006", weight: 0.5),
        DrawMember(id: "91310115MA1K4A0007", weight: 2.0), DrawMember(id: "91310115MA1K4A0008", weight: 1.0),
        DrawMember(id: "91310115MA1K4A0009", weight: 3.0), DrawMember(id: "91310115MA1K4A0010", weight: 0.25),
    ]
    static let unitRanking = [
        "91310115MA1K4A0006", "91310115MA1K4A0009", "91310115MA1K4A0002", "91310115MA1K4A0007",
        "91310115MA1K4A0008", "91310115MA1K4A0003", "91310115MA1K4A0005", "91310115MA1K4A0004",
        "91310115MA1K4A0001", "91310115MA1K4A0010",
    ]
    /// The inspector pool of vector (e).
    static let inspectors: [DrawMember] = (1...12).map { DrawMember(id: String(format: "E%03d", $0), weight: 1) }
}

final class RandomDrawTests: XCTestCase {
    private let seed = DrawVectors.seed
    private let units = DrawVectors.units
    private let unitRanking = DrawVectors.unitRanking
    private var inspectors: [DrawMember] { DrawVectors.inspectors }

    // MARK: - Python vectors

    /// (a) `u` for three members, bit for bit.
    func testUMatchesPython() {
        XCTAssertEqual(RandomDraw.u(seed: seed, id: "D-2027-03", member: "91310115MA1K4A0001"), 0.05753982997104211)
        XCTAssertEqual(RandomDraw.u(seed: seed, id: "D-2027-03", member: "91310115MA1K4A0002"), 0.8581203250734308)
        XCTAssertEqual(RandomDraw.u(seed: seed, id: "D-2027-03", member: "91310115MA1K4A0003"), 0.25554467715624)
    }

    /// Step 2's double arithmetic at its edges, as Python's `(n + 0.5) / 2**64` gives it.
    func testUFromNMatchesPythonAtTheEdges() {
        XCTAssertEqual(RandomDraw.u(n: 0), 2.710505431213761e-20)
        XCTAssertEqual(RandomDraw.u(n: 1), 8.131516293641283e-20)
        XCTAssertEqual(RandomDraw.u(n: 9007199254740993), 0.00048828125)
        XCTAssertEqual(RandomDraw.u(n: 1061422517520576314), 0.05753982997104211)
        XCTAssertEqual(RandomDraw.u(n: 18446744073709550591), 0.9999999999999999)
        // Double(n) rounds up to 2^64 from here on: u is 1.0 (documented; chance 2^-54).
        XCTAssertEqual(RandomDraw.u(n: 18446744073709550592), 1.0)
        XCTAssertEqual(RandomDraw.u(n: .max), 1.0)
    }

    /// (b) the drawn list and the whole record of a weighted draw of 3 units.
    func testWeightedUnitDrawMatchesPython() throws {
        let r = try RandomDraw.draw(seed: seed, id: "D-2027-03", pool: units, k: 3)
        XCTAssertEqual(r.drawn, ["91310115MA1K4A0006", "91310115MA1K4A0009", "91310115MA1K4A0002"])
        XCTAssertEqual(r.id, "D-2027-03")
        XCTAssertEqual(r.seed, 20270101)
        XCTAssertEqual(r.method, "sha256-weighted/1")
        XCTAssertEqual(r.method, RandomDraw.method)
        XCTAssertEqual(r.poolSize, 10)
        XCTAssertEqual(r.k, 3)
        XCTAssertEqual(r.poolSHA256, "898a6aa59ff76f963721703d8ce86bd79593749eccd512dd4857b75cb0223d4f")
        XCTAssertEqual(r.ranking, unitRanking)
    }

    /// (c) the full ranking of that pool.
    func testFullRankingMatchesPython() throws {
        XCTAssertEqual(try RandomDraw.rank(seed: seed, id: "D-2027-03", pool: units), unitRanking)
        // The pool's order does not matter.
        XCTAssertEqual(try RandomDraw.rank(seed: seed, id: "D-2027-03", pool: units.reversed()), unitRanking)
    }

    /// (d) pool_sha256, whatever the order of the ids given.
    func testPoolSHA256MatchesPython() {
        let ids = units.map(\.id)
        XCTAssertEqual(RandomDraw.poolSHA256(ids), "898a6aa59ff76f963721703d8ce86bd79593749eccd512dd4857b75cb0223d4f")
        XCTAssertEqual(RandomDraw.poolSHA256(ids.reversed()), RandomDraw.poolSHA256(ids))
        XCTAssertEqual(RandomDraw.poolSHA256(inspectors.map(\.id)),
                       "d4c8ecf61fb21390729791d086e2d01d326e595dca77b76c42de17819cce4f55")
        XCTAssertEqual(RandomDraw.poolSHA256([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// (e) two inspectors of twelve, all of weight 1.
    func testInspectorDrawMatchesPython() throws {
        let r = try RandomDraw.draw(seed: seed, id: "R-2027-03-V-0007", pool: inspectors, k: 2)
        XCTAssertEqual(r.drawn, ["E003", "E005"])
        XCTAssertEqual(r.ranking, ["E003", "E005", "E008", "E002", "E004", "E007",
                                   "E001", "E011", "E010", "E009", "E006", "E012"])
        XCTAssertEqual(r.poolSHA256, "d4c8ecf61fb21390729791d086e2d01d326e595dca77b76c42de17819cce4f55")
        XCTAssertEqual(r.poolSize, 12)
    }

    // MARK: - Ranking order

    func testEqualScoresRankByIdAscending() {
        XCTAssertTrue(RandomDraw.ranksBefore((-1.0, "91310115MA1K4A0001"), (-1.0, "91310115MA1K4A0002")))
        XCTAssertFalse(RandomDraw.ranksBefore((-1.0, "91310115MA1K4A0002"), (-1.0, "91310115MA1K4A0001")))
        XCTAssertFalse(RandomDraw.ranksBefore((-1.0, "E001"), (-1.0, "E001")))
        // Score decides first: a higher (less negative) score wins whatever the ids.
        XCTAssertTrue(RandomDraw.ranksBefore((-0.5, "Z"), (-1.0, "A")))
        XCTAssertFalse(RandomDraw.ranksBefore((-1.0, "A"), (-0.5, "Z")))
        // Score 0 (u == 1.0) is the best possible; -inf (a huge -ln u over a tiny weight) the worst.
        XCTAssertTrue(RandomDraw.ranksBefore((0, "Z"), (-1e-300, "A")))
        XCTAssertTrue(RandomDraw.ranksBefore((-1e300, "Z"), (-.infinity, "A")))
        XCTAssertTrue(RandomDraw.ranksBefore((-.infinity, "A"), (-.infinity, "B")))
    }

    /// Ids compare by UTF-8 bytes (as Python's str order does), not by Swift's `String <`, which
    /// normalises: "e" + combining acute (65 CC 81) comes before precomposed "é" (C3 A9).
    func testIdsCompareByUTF8Bytes() {
        let decomposed = "e\u{301}x", precomposed = "\u{E9}a"
        XCTAssertTrue(RandomDraw.idPrecedes(decomposed, precomposed))
        XCTAssertFalse(RandomDraw.idPrecedes(precomposed, decomposed))
        XCTAssertFalse(decomposed < precomposed, "Swift's String order differs here; that is why bytes are used")
        XCTAssertTrue(RandomDraw.idPrecedes("E001", "E002"))
        XCTAssertTrue(RandomDraw.idPrecedes("E01", "E010"))
        XCTAssertTrue(RandomDraw.idPrecedes("Z", "a"))
        XCTAssertTrue(RandomDraw.idPrecedes("", "0"))
    }

    // MARK: - k

    func testKLargerThanPoolDrawsTheWholePoolRanked() throws {
        let r = try RandomDraw.draw(seed: seed, id: "D-2027-03", pool: units, k: 50)
        XCTAssertEqual(r.drawn, unitRanking)
        XCTAssertEqual(r.k, 50)
        XCTAssertEqual(r.poolSize, 10)
    }

    func testKZeroDrawsNone() throws {
        let r = try RandomDraw.draw(seed: seed, id: "D-2027-03", pool: units, k: 0)
        XCTAssertEqual(r.drawn, [])
        XCTAssertEqual(r.ranking, unitRanking)
    }

    func testEmptyPoolDrawsNone() throws {
        let r = try RandomDraw.draw(seed: seed, id: "D-2027-03", pool: [], k: 3)
        XCTAssertEqual(r.drawn, [])
        XCTAssertEqual(r.ranking, [])
        XCTAssertEqual(r.poolSize, 0)
        XCTAssertEqual(r.poolSHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testNegativeKThrows() {
        XCTAssertThrowsError(try RandomDraw.draw(seed: seed, id: "D-2027-03", pool: units, k: -1)) { e in
            let d = "\(e)"
            XCTAssertTrue(d.contains("抽取数量不能为负数"), d)
            XCTAssertTrue(d.contains("k, must be >= 0, got -1"), d)
            XCTAssertNil((e as? DrawError)?.member)
        }
    }

    // MARK: - Bad pools

    private func assertBadWeight(_ w: Double, says zh: String, _ en: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
        var pool = units
        pool[4] = DrawMember(id: "91310115MA1K4A0005", weight: w)
        for call in [{ _ = try RandomDraw.draw(seed: self.seed, id: "D-2027-03", pool: pool, k: 3) },
                     { _ = try RandomDraw.rank(seed: self.seed, id: "D-2027-03", pool: pool) }] {
            XCTAssertThrowsError(try call(), file: file, line: line) { e in
                guard let e = e as? DrawError else { return XCTFail("not a DrawError: \(e)", file: file, line: line) }
                XCTAssertEqual(e.member, "91310115MA1K4A0005", file: file, line: line)
                XCTAssertTrue(e.description.hasPrefix("抽取池中成员「91310115MA1K4A0005」的权重"), e.description, file: file, line: line)
                XCTAssertTrue(e.description.contains(zh), e.description, file: file, line: line)
                XCTAssertTrue(e.description.contains(en), e.description, file: file, line: line)
                XCTAssertTrue(e.description.contains("\"91310115MA1K4A0005\""), e.description, file: file, line: line)
            }
        }
    }

    func testZeroWeightThrowsNamingTheMember() {
        assertBadWeight(0, says: "必须大于0", "must be > 0, got 0.0")
    }

    func testNegativeWeightThrowsNamingTheMember() {
        assertBadWeight(-1, says: "必须大于0", "must be > 0, got -1.0")
    }

    func testNaNAndInfiniteWeightsThrowNamingTheMember() {
        assertBadWeight(.nan, says: "必须是有限的正数", "must be a finite number > 0, got nan")
        assertBadWeight(.infinity, says: "必须是有限的正数", "must be a finite number > 0, got inf")
        assertBadWeight(-.infinity, says: "必须是有限的正数", "must be a finite number > 0, got -inf")
    }

    func testDuplicateIdsThrow() {
        let pool = units + [DrawMember(id: "91310115MA1K4A0003", weight: 1)]
        XCTAssertThrowsError(try RandomDraw.draw(seed: seed, id: "D-2027-03", pool: pool, k: 3)) { e in
            XCTAssertEqual((e as? DrawError)?.member, "91310115MA1K4A0003")
            XCTAssertEqual("\(e)", "抽取池中成员「91310115MA1K4A0003」重复出现 (pool member \"91310115MA1K4A0003\" is listed more than once)")
        }
        XCTAssertThrowsError(try RandomDraw.rank(seed: seed, id: "R-1", pool: inspectors + inspectors.prefix(1)))
    }

    // MARK: - Determinism and distribution

    func testSameInputsSameResultOtherSeedOrIdOtherResult() throws {
        let a = try RandomDraw.draw(seed: seed, id: "D-2027-03", pool: units, k: 3)
        let b = try RandomDraw.draw(seed: seed, id: "D-2027-03", pool: units, k: 3)
        XCTAssertEqual(a, b)
        let otherSeed = try RandomDraw.draw(seed: seed + 1, id: "D-2027-03", pool: units, k: 3)
        let otherId = try RandomDraw.draw(seed: seed, id: "D-2027-04", pool: units, k: 3)
        XCTAssertNotEqual(otherSeed.ranking, a.ranking)
        XCTAssertNotEqual(otherId.ranking, a.ranking)
        XCTAssertNotEqual(RandomDraw.u(seed: seed + 1, id: "D-2027-03", member: "91310115MA1K4A0001"),
                          RandomDraw.u(seed: seed, id: "D-2027-03", member: "91310115MA1K4A0001"))
        // The pool fingerprint depends on the pool only.
        XCTAssertEqual(otherSeed.poolSHA256, a.poolSHA256)
    }

    /// Weights 3 and 1: the first should lead about 75% of 2,000 independent draws.
    func testWeightsShapeTheOddsOverTwoThousandDraws() throws {
        let two = [DrawMember(id: "91310115MA1K4B0001", weight: 3), DrawMember(id: "91310115MA1K4B0002", weight: 1)]
        var hits = 0
        for i in 1...2000 {
            let r = try RandomDraw.draw(seed: seed, id: "T-\(i)", pool: two, k: 1)
            if r.drawn == ["91310115MA1K4B0001"] { hits += 1 }
        }
        XCTAssertGreaterThanOrEqual(hits, 1400)
        XCTAssertLessThanOrEqual(hits, 1600)
        XCTAssertEqual(hits, 1535, "the Python reference counts 1535")
    }

    /// A pool the size of a district's ledger: every member ranked once, the record consistent.
    func testHundredThousandMemberPool() throws {
        let pool = (0..<100_000).map { DrawMember(id: String(format: "91310115MA%08X", $0), weight: $0 % 3 == 0 ? 2 : 1) }
        let start = Date()
        let r = try RandomDraw.draw(seed: seed, id: "D-2027-12", pool: pool, k: 300)
        let elapsed = Date().timeIntervalSince(start)
        print("RandomDraw: 100,000 members in \(String(format: "%.3f", elapsed)) s (this build's configuration)")
        XCTAssertEqual(r.drawn.count, 300)
        XCTAssertEqual(r.ranking.count, 100_000)
        XCTAssertEqual(Set(r.ranking).count, 100_000)
        XCTAssertEqual(Array(r.ranking.prefix(300)), r.drawn)
    }

    /// The pool hash sorts by UTF-8 bytes whichever path it takes: ASCII ids use String's order,
    /// others the byte comparison; both give the bytes' order.
    func testPoolHashSortsByBytesForAsciiAndOtherIds() {
        let ascii = ["E10", "E2", "e1", "E1", "91310115MA0001018W", "91310115MA00010016", "Z"]
        let bytewise = ascii.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        XCTAssertEqual(ascii.sorted(), bytewise)
        XCTAssertEqual(RandomDraw.poolSHA256(ascii), RandomDraw.poolSHA256(ascii.reversed()))
        let joined = bytewise.joined(separator: "\n")
        XCTAssertEqual(RandomDraw.poolSHA256(ascii), SHA256.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined())
        let mixed = ascii + ["张三", "K"]
        let mixedBytes = mixed.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: "\n")
        XCTAssertEqual(RandomDraw.poolSHA256(mixed.shuffled()), SHA256.hash(data: Data(mixedBytes.utf8)).map { String(format: "%02x", $0) }.joined())
    }
}

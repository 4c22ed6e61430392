import Crypto
import Foundation
@testable import Policy
import XCTest

/// `RandomDraw.drawTop` (issue 11): the draw of a pool already in byte order, ranking only the
/// first k. It must give exactly what `draw` gives — the Python vectors of RandomDrawTests (b)–(e)
/// and the full ranking's prefix for every k — and find duplicates as equal neighbours.
final class RandomDrawTopTests: XCTestCase {
    private let seed = DrawVectors.seed
    /// Vectors (b)–(d) of RandomDrawTests (Python 3.11 hashlib + math.log), the pool in id order.
    private let units = DrawVectors.units
    private let unitRanking = DrawVectors.unitRanking

    func testPythonVectorsForEveryK() throws {
        for k in 0...12 {
            let r = try RandomDraw.drawTop(seed: seed, id: "D-2027-03", sortedPool: units, k: k)
            XCTAssertEqual(r.drawn, Array(unitRanking.prefix(k)), "k = \(k)")
            XCTAssertEqual(r.ranking, r.drawn)
            XCTAssertEqual(r.poolSHA256, "898a6aa59ff76f963721703d8ce86bd79593749eccd512dd4857b75cb0223d4f")
            XCTAssertEqual(r.poolSize, 10)
            XCTAssertEqual(r.k, k)
            XCTAssertEqual(r.method, RandomDraw.method)
        }
        let inspectors = DrawVectors.inspectors
        let r = try RandomDraw.drawTop(seed: seed, id: "R-2027-03-V-0007", sortedPool: inspectors, k: 2)
        XCTAssertEqual(r.drawn, ["E003", "E005"])
        XCTAssertEqual(r.poolSHA256, "d4c8ecf61fb21390729791d086e2d01d326e595dca77b76c42de17819cce4f55")
        let empty = try RandomDraw.drawTop(seed: seed, id: "D-2027-03", sortedPool: [], k: 3)
        XCTAssertEqual(empty.drawn, [])
        XCTAssertEqual(empty.poolSHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// Large pools with mixed weights, many draw ids and k from 1 to beyond the pool: the bounded
    /// selection equals the full ranking's prefix, the fingerprint equals `poolSHA256`'s.
    func testTopKIsTheFullRankingsPrefix() throws {
        let pool = (0..<3_000).map { DrawMember(id: String(format: "91310115MA%08X", $0 * 7), weight: [1, 0.5, 2, 1.5][$0 % 4]) }
        XCTAssertEqual(pool.map(\.id), pool.map(\.id).sorted { RandomDraw.idPrecedes($0, $1) })
        for (n, k) in [(1, 1), (2, 7), (3, 150), (4, 2_999), (5, 3_000), (6, 4_000)] {
            let full = try RandomDraw.draw(seed: seed + UInt64(n), id: "D-2027-0\(n)", pool: pool, k: k)
            let top = try RandomDraw.drawTop(seed: seed + UInt64(n), id: "D-2027-0\(n)", sortedPool: pool, k: k)
            XCTAssertEqual(top.drawn, full.drawn, "k = \(k)")
            XCTAssertEqual(top.poolSHA256, full.poolSHA256)
            XCTAssertEqual(top.poolSize, full.poolSize)
        }
    }

    /// A pool not in byte order is still drawn and fingerprinted right (sorted for the hash).
    func testUnsortedPoolStillRight() throws {
        let shuffled = [units[4], units[0], units[9], units[2], units[7], units[1], units[8], units[3], units[6], units[5]]
        let r = try RandomDraw.drawTop(seed: seed, id: "D-2027-03", sortedPool: shuffled, k: 3)
        XCTAssertEqual(r.drawn, Array(unitRanking.prefix(3)))
        XCTAssertEqual(r.poolSHA256, "898a6aa59ff76f963721703d8ce86bd79593749eccd512dd4857b75cb0223d4f")
        // Non-ASCII ids in byte order: the same fingerprint and draw as `draw`.
        let mixed = ["E1", "K", "Z", "e\u{301}x", "\u{E9}a", "张三"].map { DrawMember(id: $0) }
        XCTAssertEqual(mixed.map(\.id), mixed.map(\.id).sorted { RandomDraw.idPrecedes($0, $1) })
        let a = try RandomDraw.drawTop(seed: seed, id: "X", sortedPool: mixed, k: 4)
        let b = try RandomDraw.draw(seed: seed, id: "X", pool: mixed.reversed(), k: 4)
        XCTAssertEqual(a.drawn, b.drawn)
        XCTAssertEqual(a.poolSHA256, b.poolSHA256)
    }

    /// Duplicates: as neighbours of a sorted pool, anywhere in an unsorted one, and ids Swift takes
    /// as equal (canonically equivalent) though their bytes differ — the same errors as `draw`.
    func testDuplicatesThrowAsDrawDoes() {
        var sorted = units
        sorted.insert(DrawMember(id: "91310115MA1K4A0003", weight: 1), at: 3)
        XCTAssertThrowsError(try RandomDraw.drawTop(seed: seed, id: "D", sortedPool: sorted, k: 3)) { e in
            XCTAssertEqual((e as? DrawError)?.member, "91310115MA1K4A0003")
        }
        XCTAssertThrowsError(try RandomDraw.drawTop(seed: seed, id: "D", sortedPool: units + [units[0]], k: 3)) { e in
            XCTAssertEqual((e as? DrawError)?.member, "91310115MA1K4A0001")
        }
        let equivalent = [DrawMember(id: "e\u{301}"), DrawMember(id: "x"), DrawMember(id: "\u{E9}")]
        XCTAssertThrowsError(try RandomDraw.drawTop(seed: seed, id: "D", sortedPool: equivalent, k: 1))
        XCTAssertThrowsError(try RandomDraw.draw(seed: seed, id: "D", pool: equivalent, k: 1))
        XCTAssertThrowsError(try RandomDraw.drawTop(seed: seed, id: "D", sortedPool: [DrawMember(id: "A", weight: 0)], k: 1)) { e in
            XCTAssertEqual((e as? DrawError)?.member, "A")
        }
        XCTAssertThrowsError(try RandomDraw.drawTop(seed: seed, id: "D", sortedPool: units, k: -1))
    }

    /// `poolSHA256` of ids already in byte order (no sort) equals the sorted text's hash.
    func testPoolHashOfSortedIdsUnchanged() {
        let ids = (0..<20_000).map { String(format: "91310115MA%08X", $0) }
        let text = ids.joined(separator: "\n")
        let expected = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(RandomDraw.poolSHA256(ids), expected)
        XCTAssertEqual(RandomDraw.poolSHA256(ids.reversed()), expected)
        XCTAssertEqual(RandomDraw.joinedSHA256(ids), expected)
    }
}

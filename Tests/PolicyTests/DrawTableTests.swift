import Foundation
@testable import Policy
import XCTest

/// `DrawTable` (issue 11): many pools drawn from one table of members must give exactly what
/// `RandomDraw.draw` gives for each pool on its own — drawn ids, pool size and fingerprint — and
/// report a pool's bad member as `draw` does, whatever order the table was built in.
final class DrawTableTests: XCTestCase {
    private let seed = DrawVectors.seed

    /// Members in a scrambled order with mixed weights; pools as filters of the table's order,
    /// with gaps (several runs of neighbours) and without: each equals `draw` of the same members.
    func testEveryPoolDrawsAsDrawDoes() throws {
        let members = (0..<2_000).map { i in
            DrawMember(id: String(format: "91310115MA%08X", (i * 7_919) % 2_000), weight: [1, 0.5, 2, 1.5][i % 4])
        }
        let table = DrawTable(members)
        XCTAssertEqual(table.count, members.count)
        let ids = (0..<table.count).map(table.id)
        XCTAssertEqual(ids, members.map(\.id).sorted { RandomDraw.idPrecedes($0, $1) })
        XCTAssertEqual(table.order.map { members[$0].id }, ids)
        let filters: [(String, (Int) -> Bool)] = [
            ("all", { _ in true }), ("every third", { $0 % 3 != 0 }), ("a block", { (300..<700).contains($0) }),
            ("first and last", { $0 == 0 || $0 == 1_999 }), ("none", { _ in false }),
        ]
        for (n, (name, keep)) in filters.enumerated() {
            let pool = (0..<table.count).filter(keep)
            for k in [0, 1, 9, 250, pool.count, pool.count + 5] {
                let drawId = "D-2027-0\(n + 1)"
                let (r, drawn) = try table.draw(seed: seed, id: drawId, positions: pool, k: k)
                let full = try RandomDraw.draw(seed: seed, id: drawId, pool: pool.map { members[table.order[$0]] }, k: k)
                XCTAssertEqual(r.drawn, full.drawn, "\(name), k = \(k)")
                XCTAssertEqual(r.poolSHA256, full.poolSHA256, name)
                XCTAssertEqual(r.poolSize, pool.count, name)
                XCTAssertEqual(drawn.map(table.id), r.drawn, name)
                XCTAssertTrue(drawn.allSatisfy(pool.contains), name)
            }
        }
    }

    /// The Python vectors, through a table of the pool reversed.
    func testPythonVectors() throws {
        let table = DrawTable(DrawVectors.units.reversed())
        let (r, _) = try table.draw(seed: seed, id: "D-2027-03", positions: Array(0..<table.count), k: 4)
        XCTAssertEqual(r.drawn, Array(DrawVectors.unitRanking.prefix(4)))
        XCTAssertEqual(r.poolSHA256, "898a6aa59ff76f963721703d8ce86bd79593749eccd512dd4857b75cb0223d4f")
    }

    /// A repeated id or a bad weight is the error of the pools that hold it, not of the table;
    /// positions of an id are all its listings (canonically equivalent ids included).
    func testBadMembersAreErrorsOfThePoolsThatHoldThem() throws {
        let table = DrawTable([DrawMember(id: "B"), DrawMember(id: "A", weight: 0), DrawMember(id: "C"), DrawMember(id: "B", weight: 2)])
        XCTAssertEqual((0..<4).map(table.id), ["A", "B", "B", "C"])
        XCTAssertEqual(table.positions(of: "B"), [1, 2])
        XCTAssertEqual(table.positions(of: "Z"), [])
        XCTAssertEqual(table.positions(of: ""), [])
        XCTAssertThrowsError(try table.draw(seed: seed, id: "D", positions: [1, 2, 3], k: 1)) { e in
            XCTAssertEqual((e as? DrawError)?.member, "B")
        }
        XCTAssertThrowsError(try table.draw(seed: seed, id: "D", positions: [0, 3], k: 1)) { e in
            XCTAssertEqual((e as? DrawError)?.member, "A")
        }
        XCTAssertThrowsError(try table.draw(seed: seed, id: "D", positions: [3], k: -1))
        XCTAssertEqual(try table.draw(seed: seed, id: "D", positions: [2, 3], k: 5).result.drawn.sorted(), ["B", "C"])
        let equivalent = DrawTable([DrawMember(id: "e\u{301}"), DrawMember(id: "x"), DrawMember(id: "\u{E9}")])
        XCTAssertEqual(equivalent.positions(of: "\u{E9}").count, 2)
        XCTAssertThrowsError(try equivalent.draw(seed: seed, id: "D", positions: [0, 1, 2], k: 1)) { e in
            XCTAssertNotNil((e as? DrawError)?.member)
        }
        XCTAssertEqual(try equivalent.draw(seed: seed, id: "D", positions: [0, 1], k: 2).result.poolSize, 2)
    }
}

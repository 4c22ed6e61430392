import CSV
import Foundation
@testable import Ledger
import XCTest

/// A large CSV file parsed in pieces (issue 11) gives exactly the records CSV.swift gives for
/// the whole text: the pieces are cut only where CSV.swift ends a record, whatever the file
/// holds — quoted commas, quotes and line breaks, CR, LF and CR LF, blank lines, Chinese text,
/// and quotes CSV.swift reads leniently (inside an unquoted field, or after a closing quote).
final class CSVPiecesTests: XCTestCase {
    private func whole(_ text: String) throws -> [[String]] {
        let reader = try CSVReader(string: text, hasHeaderRow: false)
        var out: [[String]] = []
        while let r = reader.next() { out.append(r) }
        return out
    }

    /// Parsed piece by piece at the cuts `recordBoundaries` finds near every target.
    private func byPieces(_ text: String, every step: Int) throws -> [[String]] {
        let bytes = Array(text.utf8)
        let cuts = CSVTable.recordBoundaries(bytes, near: Array(stride(from: step, to: max(step, bytes.count), by: step)))
        XCTAssertEqual(cuts, cuts.sorted())
        XCTAssertEqual(Set(cuts).count, cuts.count)
        let bounds = [0] + cuts + [bytes.count]
        var out: [[String]] = []
        for i in 0 ..< bounds.count - 1 {
            out += try whole(String(decoding: bytes[bounds[i] ..< bounds[i + 1]], as: UTF8.self))
        }
        return out
    }

    func testHandWrittenEdgesParseTheSameInPieces() throws {
        let texts = [
            "a,b,c\n1,2,3\n",
            "id,name\r\n1,\"x, y\"\r\n2,\"say \"\"hi\"\"\"\r\n\r\n3,\"two\nlines\"\r\n",
            "a,b\r1,2\r3,4",
            "a,b\n1,ab\"c\n2,\"q\"x,y\n3,\"open\n,still\"\n4,\"\"\n",
            "名称,街镇\n\"上海某某\n有限公司\",浦东\n某厂,\"闵行\"\"区\"\"\"\n\n\n末行,无换行",
            "\"a\"\r\n\"b\"\r\"c\"\n\"\"\"\"\n,\n,,\n",
            "x\n\"unterminated, \n quote",
        ]
        for text in texts {
            let expected = try whole(text)
            for step in 1...9 {
                XCTAssertEqual(try byPieces(text, every: step), expected, "step \(step): \(text.debugDescription)")
            }
        }
    }

    func testRandomTextsParseTheSameInPieces() throws {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [String] = ["a", "b", "1", ",", "\"", "\"\"", "\n", "\r", "\r\n", " ", "街", "镇", "é"]
        for round in 0 ..< 400 {
            let text = (0 ..< Int.random(in: 0 ... 80, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            let expected = try whole(text)
            for step in [1, 2, 3, 5, 11] {
                XCTAssertEqual(try byPieces(text, every: step), expected, "round \(round), step \(step): \(text.debugDescription)")
            }
        }
    }

    /// The ledger loader with pieces forced on a small file: the same table, row numbers included.
    func testTheTableIsTheSameReadInPieces() throws {
        var lines = ["id,name,town"]
        for i in 1 ... 500 {
            lines.append(i % 50 == 0 ? "" : "91310115MA\(String(format: "%08d", i)),\"某某, 有限公司\(i)\",\"镇\n\(i % 7)\"")
        }
        let data = Data(lines.joined(separator: "\r\n").utf8)
        let saved = CSVTable.piecewiseBytes
        defer { CSVTable.piecewiseBytes = saved }
        let one = try CSVTable.parse(data: data, file: "t.csv")
        CSVTable.piecewiseBytes = 1
        let pieces = try CSVTable.parse(data: data, file: "t.csv")
        XCTAssertEqual(pieces.header, one.header)
        XCTAssertEqual(pieces.records.map(\.row), one.records.map(\.row))
        XCTAssertEqual(pieces.records.map(\.fields), one.records.map(\.fields))
        XCTAssertEqual(one.records.count, 490)
        XCTAssertEqual(one.records.last?.row, 500)   // line 501 is blank
    }
}

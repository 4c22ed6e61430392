import Foundation
import XCTest
@testable import Output

/// `CSVOutput.encode` scans each field once into one buffer; its bytes must be those CSV.swift's
/// `CSVWriter` writes (`referenceEncode`) for every field, quoting edge cases included.
final class CSVOutputTests: XCTestCase {
    /// Fields that exercise every quoting rule: quotes, commas, CR, LF, CRLF, a quote or comma
    /// followed by a combining mark (one character, not a quote to `String.contains`), empty
    /// fields, Chinese, emoji, NUL, a bridged NSString.
    static let edgeFields: [String] = [
        "", "plain", "浦东新区应急管理局", "a,b", "say \"hi\"", "\"", "\"\"", ",", "line\nbreak", "cr\rhere",
        "crlf\r\nend", "\r\n", "\n", "\r", "\"\u{301}", "a,\u{301}b", "\u{301}\"x", "x\"\u{301},y", "e\u{301}",
        "😀,👍🏽", "tab\there", "nul\u{0}byte", "  spaced  ", "913101151B1X2W0459", "0.0026991410000000004",
        "中文，逗号", "引号“中”", "\u{2028}\u{85}", "end\"", NSString(string: "bridged, \"ns\"") as String,
        NSString(string: "桥接字符串") as String, String(repeating: "长", count: 5000) + ",",
    ]

    func testEncodeMatchesCSVWriterOnEdgeFields() throws {
        let header = ["编号", "name,with comma", "say \"x\""]
        var rows: [[String]] = []
        for (i, f) in Self.edgeFields.enumerated() {
            rows.append([String(i), f, Self.edgeFields[(i * 7 + 3) % Self.edgeFields.count]])
            rows.append([f])                        // shorter rows
        }
        rows.append([])                             // a row without fields writes nothing, not even a newline
        rows.append(["after empty"])
        for bom in [false, true] {
            for crlf in [false, true] {
                let new = try CSVOutput.encode(header: header, rows: rows, bom: bom, crlf: crlf)
                let old = try CSVOutput.referenceEncode(header: header, rows: rows, bom: bom, crlf: crlf)
                XCTAssertEqual(new, old, "bom \(bom) crlf \(crlf): \(firstDifference(new, old))")
            }
        }
        // Each field on its own, so a divergence names the field.
        for f in Self.edgeFields {
            XCTAssertEqual(try CSVOutput.encode(header: [f], rows: [[f, f]], bom: true),
                           try CSVOutput.referenceEncode(header: [f], rows: [[f, f]], bom: true), "field \(f.debugDescription)")
        }
        // An empty header: the first row has no newline before it.
        XCTAssertEqual(try CSVOutput.encode(header: [], rows: [["a"], ["b"]]), try CSVOutput.referenceEncode(header: [], rows: [["a"], ["b"]]))
        XCTAssertEqual(try CSVOutput.encode(header: [], rows: []), try CSVOutput.referenceEncode(header: [], rows: []))
    }

    /// Random fields drawn from an alphabet rich in the characters quoting depends on.
    func testEncodeMatchesCSVWriterOnRandomFields() throws {
        var rng = SplitMix(seed: 11)
        let alphabet: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r", "\r\n", "\u{301}", "\u{200D}", "中", "，", "😀", "🏽", "é", "\t", "\u{0}"]
        var rows: [[String]] = []
        for _ in 0..<2000 {
            let width = Int(rng.next() % 6)
            rows.append((0..<width).map { _ in
                let n = Int(rng.next() % 8)
                return (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            })
        }
        let new = try CSVOutput.encode(header: ["a", "b"], rows: rows, bom: true)
        let old = try CSVOutput.referenceEncode(header: ["a", "b"], rows: rows, bom: true)
        XCTAssertEqual(new, old, firstDifference(new, old))
    }

    private func firstDifference(_ a: Data, _ b: Data) -> String {
        let x = [UInt8](a), y = [UInt8](b)
        let i = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        return "first difference at byte \(i) of \(x.count) / \(y.count)"
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

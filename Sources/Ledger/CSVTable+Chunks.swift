import CSV
import Foundation

// A large CSV file is parsed in pieces on the machine's cores (issue 11: parsing was a third of
// loading a 200,000-unit ledger). The pieces are cut only between records, where CSV.swift
// itself ends one, so each piece parsed on its own gives exactly the records the whole file
// gives, in order.
extension CSVTable {
    /// Files smaller than this are parsed in one piece.
    nonisolated(unsafe) static var piecewiseBytes = 4 << 20

    /// Every record of the text (blank lines too, as `[""]`), in order, as CSV.swift reads the
    /// whole text; nil when CSV.swift cannot read it (its error is then the whole text's).
    static func records(of text: String, utf8 bytes: [UInt8]) -> [[String]]? {
        let pieces = bytes.count < piecewiseBytes ? 1 : max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        let cuts = pieces == 1 ? [] : recordBoundaries(bytes, near: (1..<pieces).map { bytes.count * $0 / pieces })
        if cuts.isEmpty { return readAll(text) }
        let bounds = [0] + cuts + [bytes.count]
        final class Parts: @unchecked Sendable {
            var records: [[[String]]?]
            let lock = NSLock()
            init(_ n: Int) { records = Array(repeating: nil, count: n) }
        }
        let parts = Parts(bounds.count - 1)
        DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { i in
            let piece = String(decoding: bytes[bounds[i] ..< bounds[i + 1]], as: UTF8.self)
            let read = readAll(piece)
            parts.lock.lock(); parts.records[i] = read; parts.lock.unlock()
        }
        guard parts.records.allSatisfy({ $0 != nil }) else { return nil }
        var all: [[String]] = []
        all.reserveCapacity(parts.records.reduce(0) { $0 + $1!.count })
        for part in parts.records { all.append(contentsOf: part!) }
        return all
    }

    /// The records of one text, nil when CSV.swift reports an error.
    private static func readAll(_ text: String) -> [[String]]? {
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false) else { return nil }
        var records: [[String]] = []
        while let fields = reader.next() { records.append(fields) }
        return reader.error == nil ? records : nil
    }

    /// Byte offsets where a record starts, the first at or after each target (ascending), as
    /// CSV.swift reads records (no field trimming, delimiter `,`): a field that starts with `"`
    /// is quoted up to a `"` followed by `,`, a line break or the end (`""` and a `"` before any
    /// other character stay inside it, both characters taken); any other field runs to `,` or a
    /// line break; a line break is CR, LF or CR LF. UTF-8 multi-byte characters never hold these
    /// bytes, so bytes stand for characters. A boundary at the very end is left out.
    static func recordBoundaries(_ bytes: [UInt8], near targets: [Int]) -> [Int] {
        let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        var cuts: [Int] = []
        guard !targets.isEmpty else { return cuts }
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            var i = 0, t = 0
            var fieldStart = true, quoted = false
            func recordEnds(at end: Int) {
                while t < targets.count && targets[t] <= end {
                    if end < n && cuts.last != end { cuts.append(end) }
                    t += 1
                }
            }
            while i < n && t < targets.count {
                let c = b[i]
                if quoted {
                    i += 1
                    guard c == quote else { continue }
                    guard i < n else { break }
                    let d = b[i]
                    i += 1
                    if d == cr || d == lf {
                        if d == cr && i < n && b[i] == lf { i += 1 }
                        quoted = false; fieldStart = true
                        recordEnds(at: i)
                    } else if d == comma {
                        quoted = false; fieldStart = true
                    }
                    continue
                }
                i += 1
                if c == cr || c == lf {
                    if c == cr && i < n && b[i] == lf { i += 1 }
                    fieldStart = true
                    recordEnds(at: i)
                } else if c == comma {
                    fieldStart = true
                } else if fieldStart && c == quote {
                    quoted = true; fieldStart = false
                } else {
                    fieldStart = false
                }
            }
        }
        return cuts
    }
}

import CSV
import Foundation
import Ledger

/// Writes CSV files atomically: a reader never sees half a file. The bytes are those of
/// CSV.swift's `CSVWriter` (RFC 4180 quoting): a field is quoted when it contains a `"`, a comma,
/// a CR or an LF (as whole characters, `String.contains`), its quotes doubled; rows end with the
/// newline, and the file with one more. Each field is scanned once, as UTF-8, into one buffer.
public enum CSVOutput {
    /// - Parameter bom: a UTF-8 byte-order mark, so that Excel shows Chinese correctly.
    public static func encode(header: [String], rows: [[String]], bom: Bool = false, crlf: Bool = false) throws -> Data {
        var out: [UInt8] = []
        var estimate = 64
        for f in header { estimate += f.utf8.count + 1 }
        out.reserveCapacity(estimate * (rows.count + 1) + rows.count * 16)
        if bom { out += [0xEF, 0xBB, 0xBF] }
        var firstRow = true
        func write(row: [String]) {
            var firstField = true
            for field in row {
                // CSVWriter writes the newline before a row's first field (none before the first
                // row, none for a row without fields).
                if firstField {
                    if firstRow { firstRow = false } else { if crlf { out.append(13) }; out.append(10) }
                    firstField = false
                } else {
                    out.append(0x2C)
                }
                appendField(field, to: &out)
            }
        }
        write(row: header)
        for r in rows { write(row: r) }
        if crlf { out.append(13) }
        out.append(10)
        return Data(out)
    }

    /// One field: bytes as they are, or quoted with its quotes doubled.
    static func appendField(_ field: String, to out: inout [UInt8]) {
        var special = false
        let scanned: Bool? = field.utf8.withContiguousStorageIfAvailable { bytes in
            for b in bytes where b == 0x22 || b == 0x2C || b == 0x0A || b == 0x0D { special = true; break }
            if !special { out.append(contentsOf: bytes) }
            return true
        }
        if scanned == nil {
            var copy = field
            copy.makeContiguousUTF8()
            appendField(copy, to: &out)
            return
        }
        guard special else { return }
        // Rare: decide exactly as CSVWriter does (whole-character `contains`; a quote followed
        // by a combining mark is not a quote character), then double its quotes as it does.
        if field.contains("\"") || field.contains(",") || field.contains("\r") || field.contains("\n") || field.contains("\r\n") {
            out.append(0x22)
            out.append(contentsOf: field.replacingOccurrences(of: "\"", with: "\"\"").utf8)
            out.append(0x22)
        } else {
            out.append(contentsOf: field.utf8)
        }
    }

    /// The bytes CSV.swift's `CSVWriter` writes (one scalar at a time); `encode` writes the
    /// same bytes, which `CSVOutputTests` checks.
    static func referenceEncode(header: [String], rows: [[String]], bom: Bool = false, crlf: Bool = false) throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        if bom { var b: [UInt8] = [0xEF, 0xBB, 0xBF]; _ = stream.write(&b, maxLength: 3) }
        let writer = try CSVWriter(stream: stream, newline: crlf ? .crlf : .lf)
        try writer.write(row: header)
        for r in rows { try writer.write(row: r) }
        var nl: [UInt8] = crlf ? [13, 10] : [10]
        _ = stream.write(&nl, maxLength: nl.count)
        stream.close()
        return stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    }

    public static func write(path: String, header: [String], rows: [[String]], bom: Bool = false) throws {
        let data = try encode(header: header, rows: rows, bom: bom)
        try FileOutput.write(data, to: path)
    }
}

/// Atomic file writes with errors a person can act on (`OutputError`, never `InputError`).
public enum FileOutput {
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { temporary in try data.write(to: URL(fileURLWithPath: temporary)) }
    }

    /// Writes one file all or nothing, whatever writes it (a library such as GLPK given a path):
    /// the target must be a new path or a regular file (a symlink, FIFO, device or folder is
    /// refused and left untouched); `body` writes a fresh file beside it, which is then renamed
    /// over the target (the rename replaces a directory entry, it follows no link). A failure
    /// removes the fresh file and is an `OutputError`.
    public static func write(to path: String, _ body: (String) throws -> Void) throws {
        try OutputFolder.checkFileTarget(path)
        let dir = PathText.parent(path)
        if !dir.isEmpty { try makeDirectory(dir) }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = (dir.isEmpty ? "" : dir.hasSuffix("/") ? dir : dir + "/") + ".\(name).\(UUID().uuidString).tmp"
        do {
            try body(temporary)
        } catch {
            unlink(temporary)
            if let e = error as? OutputError { throw e }
            throw OutputError.writeFailed(path, "无法写入 (cannot write): \(error)")
        }
        // Checked again just before the rename: the target may have changed meanwhile.
        do { try OutputFolder.checkFileTarget(path) } catch { unlink(temporary); throw error }
        guard rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw OutputError.system(path, "无法写入 (cannot write)", errno: e)
        }
    }

    public static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

    public static func makeDirectory(_ dir: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError.writeFailed(dir, "无法创建目录 (cannot create folder): \(error.localizedDescription)")
        }
    }
}

import CSV
import Foundation

/// A column of the data contract: its English key, its Chinese header, whether it must be present.
public struct ColumnSpec: Sendable {
    public let key: String
    public let zh: String
    public let required: Bool
    public init(_ key: String, _ zh: String, required: Bool = false) {
        self.key = key; self.zh = zh; self.required = required
    }
}

/// A table file read into memory: the header row and the records, each with its spreadsheet row
/// number. A CSV file (UTF-8, with or without BOM, or GB18030/GBK as Chinese Excel saves
/// "CSV") is parsed by CSV.swift (RFC 4180: quoted fields with commas, quotes and newlines,
/// CRLF); an Excel workbook (.xlsx) by `XLSXSheet` (its first worksheet). The kind of file is
/// told by its first bytes, not its name.
struct CSVTable {
    let file: String
    let header: [String]
    /// (spreadsheet row, fields); blank lines are skipped.
    let records: [(row: Int, fields: [String])]
    /// How the file was written: UTF-8, GB18030 (converted) or an Excel workbook.
    var encoding: SourceEncoding = .utf8
    /// Whether a field may hold a character no spreadsheet can hold (one pass over the bytes
    /// says; only then are fields checked one by one). A workbook's cells are always checked.
    var mayHoldForbidden = true

    static func read(path: String, displayName: String? = nil) throws -> CSVTable {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            throw InputError.unreadable(file: name, reason: exists
                ? (isDir.boolValue ? "是目录而不是CSV文件 (is a directory, not a CSV file)" : "无法读取 (cannot be read)")
                : "文件不存在 (file not found)")
        }
        let ext = (path as NSString).pathExtension.lowercased()
        return try parse(data: data, file: name, xlsxByName: ext == "xlsx" || ext == "xlsm")
    }

    static let zipMagic: [UInt8] = [0x50, 0x4B]                         // "PK": a zip archive (.xlsx)
    static let ole2Magic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] // .xls, encrypted .xlsx

    /// - Parameter xlsxByName: the file is named .xlsx, so a file that is not a workbook is a
    ///   broken workbook rather than a CSV file.
    static func parse(data: Data, file: String, xlsxByName: Bool = false) throws -> CSVTable {
        var bytes = [UInt8](data)
        if bytes.starts(with: ole2Magic) {
            throw InputError.unreadable(file: file, reason:
                "是旧版Excel（.xls）或加密的工作簿，无法读取；请在Excel中“另存为”Excel工作簿（.xlsx，不设密码）或 CSV UTF-8"
                + " (an old-format .xls or a password-protected workbook: save it as an unprotected .xlsx or as CSV UTF-8)")
        }
        if bytes.starts(with: zipMagic) || xlsxByName {
            return try XLSXSheet.read(data: data, file: file)
        }
        var encoding = SourceEncoding.utf8
        let text: String
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let bad = invalidUTF8Lines(bytes)
        if bad.isEmpty {
            text = String(decoding: bytes, as: UTF8.self)
        } else if looksLikeLegacyChinese(bytes), let decoded = decodeGB18030(bytes) {
            // Chinese Excel's "CSV (逗号分隔)" is GBK, which GB18030 contains.
            text = decoded
            encoding = .gb18030
        } else {
            let headerNames = firstLineFields(bytes)
            throw InputError.problems(bad.map { line, field, hex in
                InputProblem(file: file, row: line,
                             column: field < headerNames.count && !headerNames[field].isEmpty ? headerNames[field] : "第\(field + 1)列 (column \(field + 1))",
                             value: hex,
                             message: "既不是UTF-8也不是GB18030（GBK）编码的文字；请在Excel中“另存为 CSV UTF-8”或Excel工作簿（.xlsx）后重试"
                                + " (bytes that are neither UTF-8 nor GB18030/GBK text: save the file as 'CSV UTF-8' or as .xlsx and retry)")
            })
        }
        // Pieces of a large file are parsed side by side (`records(of:utf8:)`); a text CSV.swift
        // cannot read is read again whole, for its error.
        let all: [[String]]
        if let pieces = records(of: text, utf8: encoding == .utf8 ? bytes : Array(text.utf8)) {
            all = pieces
        } else {
            let reader: CSVReader
            do {
                reader = try CSVReader(string: text, hasHeaderRow: false)
            } catch {
                throw InputError.unreadable(file: file, reason: "无法解析为CSV (not parseable as CSV): \(error)")
            }
            var whole: [[String]] = []
            while let fields = reader.next() { whole.append(fields) }
            if let error = reader.error {
                throw InputError.unreadable(file: file, reason: "CSV解析出错 (CSV error): \(error)")
            }
            all = whole
        }
        var header: [String]? = nil
        var records: [(Int, [String])] = []
        records.reserveCapacity(all.count)
        for (i, fields) in all.enumerated() {
            if fields.count == 1 && fields[0].trimmedField.isEmpty { continue }
            if header == nil {
                header = fields.map { $0.headerCell }
            } else {
                records.append((i + 1, fields))
            }
        }
        guard let header else {
            throw InputError.problem(file: file, row: 1, value: "", "文件为空，缺少表头行 (empty file: the header row is missing)")
        }
        var table = CSVTable(file: file, header: header, records: records, encoding: encoding)
        table.mayHoldForbidden = encoding == .utf8 ? InputText.mayHoldForbidden(bytes) : InputText.mayHoldForbidden(Array(text.utf8))
        return table
    }

    /// Foundation's GB18030 (`kCFStringEncodingGB_18030_2000` as an NSStringEncoding; works on
    /// Linux and Apple platforms alike).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// The text of GB18030 (or GBK, its subset) bytes, nil when they are not; a GB18030 BOM is
    /// dropped.
    static func decodeGB18030(_ bytes: [UInt8]) -> String? {
        var b = bytes[...]
        if b.starts(with: [0x84, 0x31, 0x95, 0x33]) { b = b.dropFirst(4) }
        guard let s = String(data: Data(b), encoding: gb18030) else { return nil }
        return s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s
    }

    /// The length of the valid UTF-8 sequence starting at `i`, nil if the bytes there are not one.
    @inline(__always)
    static func utf8Length(_ b: [UInt8], _ i: Int) -> Int? {
        let c = b[i], n = b.count
        if c < 0x80 { return 1 }
        var len = 0
        if c & 0xE0 == 0xC0, c >= 0xC2 { len = 2 } else if c & 0xF0 == 0xE0 { len = 3 } else if c & 0xF8 == 0xF0, c <= 0xF4 { len = 4 }
        guard len > 0 && i + len <= n else { return nil }
        for k in 1..<len where b[i + k] & 0xC0 != 0x80 { return nil }
        if len == 3 {
            let v = (UInt32(c & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6)
            if v < 0x800 || (0xD800...0xDFFF).contains(v | UInt32(b[i + 2] & 0x3F)) { return nil }
        }
        if len == 4 {
            let v = (UInt32(c & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12)
            if v < 0x10000 || v > 0x10FFFF { return nil }
        }
        return len
    }

    /// The fields of the first line (the header), decoded leniently: names for messages only.
    static func firstLineFields(_ b: [UInt8]) -> [String] {
        let end = b.firstIndex(of: 0x0A) ?? b.count
        return String(decoding: b[..<end], as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0).headerCell.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }

    /// Lines (1-based) holding bytes that are not valid UTF-8, with the field (0-based, counted
    /// by unquoted commas) and the first bad bytes in hex.
    static func invalidUTF8Lines(_ b: [UInt8], limit: Int = 20) -> [(Int, Int, String)] {
        var out: [(Int, Int, String)] = []
        var i = 0, line = 1, lastLine = 0, field = 0, quoted = false
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                if c == 0x0A { line += 1; if !quoted { field = 0 } }
                else if c == 0x22 { quoted.toggle() }
                else if c == 0x2C && !quoted { field += 1 }
                i += 1; continue
            }
            if let len = utf8Length(b, i) { i += len; continue }
            if line != lastLine {
                let hex = b[i..<min(n, i + 4)].map { String(format: "%02X", $0) }.joined(separator: " ")
                out.append((line, field, "0x" + hex))
                lastLine = line
                if out.count >= limit { break }
            }
            i += 1
        }
        return out
    }

    /// Whether bytes that are not all UTF-8 look like a GB18030/GBK file rather than a UTF-8
    /// file with a few bad bytes: no more valid multi-byte UTF-8 characters than invalid bytes.
    /// (A UTF-8 file with one pasted GBK word is refused by line, not decoded as mojibake.)
    static func looksLikeLegacyChinese(_ b: [UInt8]) -> Bool {
        var valid = 0, invalid = 0, i = 0
        while i < b.count {
            if b[i] < 0x80 { i += 1; continue }
            if let len = utf8Length(b, i) { valid += 1; i += len } else { invalid += 1; i += 1 }
        }
        return invalid > 0 && valid <= invalid
    }
}

/// Maps a file's headers onto a contract's columns and decodes the fields of one row,
/// collecting every problem instead of stopping at the first.
struct ColumnMap {
    let file: String
    let specs: [ColumnSpec]
    /// key → column index in the file
    let index: [String: Int]
    /// key → header as the file spells it
    let written: [String: String]
    /// indexes and headers of columns the contract does not know (passed through)
    let extras: [(Int, String)]
    let width: Int
    /// The table is an .xlsx sheet: numbers in date fields are Excel date serials, and rows
    /// are padded to the header's width.
    var excelSerials = false
    /// Fields are checked for characters no spreadsheet can hold.
    var checkCharacters = true

    static func build(table: CSVTable, specs: [ColumnSpec], problems: inout [InputProblem]) -> ColumnMap {
        var lookup: [String: String] = [:]
        for s in specs { lookup[s.key.lowercased()] = s.key; lookup[s.zh] = s.key }
        var index: [String: Int] = [:], written: [String: String] = [:], extras: [(Int, String)] = []
        for (i, h) in table.header.enumerated() {
            if let p = InputText.forbiddenProblem(in: h) {
                problems.append(InputProblem(file: table.file, row: 1, column: "第\(i + 1)列 (column \(i + 1))", value: h, message: "表头" + p))
                continue
            }
            guard let key = lookup[h] ?? lookup[h.lowercased()] else {
                if !h.isEmpty { extras.append((i, h)) }
                continue
            }
            if let first = written[key] {
                problems.append(InputProblem(file: table.file, row: 1, column: h, value: h,
                    message: "与第\(index[key]! + 1)列「\(first)」重复：同一字段只能有一列 (duplicate of column '\(first)')"))
                continue
            }
            index[key] = i; written[key] = h
        }
        for s in specs where s.required && index[s.key] == nil {
            problems.append(InputProblem(file: table.file, row: 1, column: s.zh, value: table.header.joined(separator: ","),
                message: "缺少必填列「\(s.zh)」(required column '\(s.key)' is missing; head it '\(s.zh)' or '\(s.key)')"))
        }
        var map = ColumnMap(file: table.file, specs: specs, index: index, written: written, extras: extras, width: table.header.count)
        if case .xlsx = table.encoding { map.excelSerials = true }
        map.checkCharacters = table.mayHoldForbidden
        return map
    }

    func row(_ row: Int, _ fields: [String]) -> RowReader { RowReader(map: self, row: row, fields: fields) }
}

/// The fields of one row, decoded by contract key. Problems accumulate in `problems`.
struct RowReader {
    let map: ColumnMap
    let row: Int
    let fields: [String]
    var problems: [InputProblem] = []

    init(map: ColumnMap, row: Int, fields: [String]) {
        self.map = map; self.row = row; self.fields = fields
    }

    mutating func fail(_ key: String, _ value: String, _ message: String) {
        problems.append(InputProblem(file: map.file, row: row, column: map.written[key] ?? key, value: value, message: message))
    }

    /// The trimmed text of a column; nil when the column is absent or the cell blank.
    func text(_ key: String) -> String? {
        guard let i = map.index[key], i < fields.count else { return nil }
        let t = fields[i].trimmedField
        return t.isEmpty ? nil : t
    }

    mutating func required(_ key: String) -> String {
        if let t = text(key) { return t }
        fail(key, "", "必填项为空 (required value is empty)")
        return ""
    }

    static let trueWords: Set<String> = ["yes", "true", "1", "是", "y"]
    static let falseWords: Set<String> = ["no", "false", "0", "否", "n"]
    static let boolWords: [String: Bool] = Dictionary(uniqueKeysWithValues: trueWords.map { ($0, true) } + falseWords.map { ($0, false) })

    mutating func bool(_ key: String) -> Bool {
        guard let t = text(key) else { return false }
        // Fast path for what spreadsheets hold a million times: 是 / 否 (UTF-8 E6 98 AF / E5 90 A6).
        var u = t.utf8.makeIterator()
        if t.utf8.count == 3, let a = u.next(), let b = u.next(), let c = u.next() {
            if (a, b, c) == (0xE6, 0x98, 0xAF) { return true }
            if (a, b, c) == (0xE5, 0x90, 0xA6) { return false }
        }
        if let b = RowReader.boolWords[t] ?? RowReader.boolWords[t.lowercased()] { return b }
        fail(key, t, "应为 是/否、yes/no、true/false 或 1/0，空白为否 (expected a yes/no value)")
        return false
    }

    mutating func requiredBool(_ key: String) -> Bool {
        if text(key) == nil { fail(key, "", "必填项为空，应为 是/否 (required yes/no value is empty)"); return false }
        return bool(key)
    }

    /// The forms of a date the loaders accept, for messages.
    static let dateForms = "2027-01-05、2027-1-5、2027/1/5、2027.1.5 或 2027年1月5日"

    mutating func date(_ key: String) -> CivilDate? {
        guard let t = text(key) else { return nil }
        if let d = parseDate(t) { return d }
        fail(key, t, "不是有效日期，应为真实日期，写作 \(RowReader.dateForms)"
              + " (not a valid date: expected a day that exists, written YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日)")
        return nil
    }

    /// A date in any form `CivilDate(lenient:)` reads, or in an .xlsx sheet an Excel date serial.
    func parseDate(_ t: String) -> CivilDate? {
        if let d = CivilDate(lenient: t) { return d }
        if map.excelSerials, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let v = StrictNumber.decimal(t) {
            return CivilDate(excelSerial: v)
        }
        return nil
    }

    /// A date or a range `first..last` (each end as `parseDate` reads it), nil if neither.
    func parseSpan(_ t: String) -> DateSpan? {
        if let span = DateSpan(t) { return span }
        let ends = t.components(separatedBy: "..").map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(ends.count), let a = parseDate(ends[0]), let b = parseDate(ends[ends.count - 1]) else { return nil }
        return DateSpan(first: a, last: b)
    }

    mutating func count(_ key: String) -> Int {
        guard let t = text(key) else { return 0 }
        guard let v = StrictNumber.integer(t) else {
            fail(key, t, "应为不小于0的整数，空白为0 (expected a whole number ≥ 0)")
            return 0
        }
        if v < 0 { fail(key, t, "不能为负数，应为不小于0的整数 (must not be negative)") }
        return max(0, v)
    }

    mutating func decimal(_ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let t = text(key) else { return nil }
        guard let v = StrictNumber.decimal(t), range.contains(v) else {
            fail(key, t, "应为 \(range.lowerBound) 到 \(range.upperBound) 之间的十进制数 (expected a decimal number in \(range))")
            return nil
        }
        return v
    }

    mutating func term<T: LedgerTerm>(_ key: String, _: T.Type) -> T? {
        guard let t = text(key) else { return nil }
        if let v = T(term: t) { return v }
        fail(key, t, "不是可用的取值；可用：\(T.validList) (unknown value)")
        return nil
    }

    mutating func requiredTerm<T: LedgerTerm>(_ key: String, _ type: T.Type) -> T? {
        if text(key) == nil { fail(key, "", "必填项为空；可用：\(T.validList) (required value is empty)"); return nil }
        return term(key, type)
    }

    /// `;`-separated list (also accepts the full-width ；).
    func list(_ key: String) -> [String] {
        guard let t = text(key) else { return [] }
        return t.split(whereSeparator: { $0 == ";" || $0 == "；" })
            .map { String($0).trimmedField }.filter { !$0.isEmpty }
    }

    var extras: [String] { map.extras.map { $0.0 < fields.count ? fields[$0.0] : "" } }

    /// Reports a row whose field count differs from the header's, and fields holding characters
    /// no spreadsheet can hold (NUL and other control characters); true when the row is usable.
    mutating func checkWidth() -> Bool {
        var clean = true
        if map.checkCharacters {
            for (i, f) in fields.enumerated() {
                guard let p = InputText.forbiddenProblem(in: f) else { continue }
                problems.append(InputProblem(file: map.file, row: row, column: map.headerName(at: i) ?? "第\(i + 1)列 (column \(i + 1))",
                                             value: f, message: p))
                clean = false
            }
        }
        guard fields.count != map.width else { return clean }
        let msg: String
        if map.excelSerials {
            // A workbook row is never short (missing cells are blank); a wide one has cells past the header.
            msg = "本行第\(fields.count)列有内容，但表头只有\(map.width)列：请给该列加表头或删除多余内容"
                + " (the row has a value in column \(fields.count), past the header's \(map.width) columns: head that column or clear it)"
        } else {
            msg = fields.count < map.width
                ? "本行只有\(fields.count)列，表头有\(map.width)列：缺少的列可能因漏写逗号 (short row: \(fields.count) fields, header has \(map.width))"
                : "本行有\(fields.count)列，多于表头的\(map.width)列：含逗号的值需用英文双引号括起 (row has \(fields.count) fields, header has \(map.width); quote values containing commas)"
        }
        // Short: the first missing column and the row as read; wide: the first column past the
        // header and what stands there.
        let col = fields.count < map.width ? (map.headerName(at: fields.count) ?? "第\(fields.count + 1)列 (column \(fields.count + 1))")
                                           : "第\(map.width + 1)列 (column \(map.width + 1))"
        let value = fields.count < map.width ? fields.joined(separator: ",") : fields[map.width...].joined(separator: ",")
        problems.append(InputProblem(file: map.file, row: row, column: col, value: value, message: msg))
        return false
    }
}

extension ColumnMap {
    func headerName(at i: Int) -> String? {
        written.first(where: { index[$0.key] == i })?.value ?? extras.first(where: { $0.0 == i })?.1
    }
}

extension String {
    /// A header cell as a column name: trimmed, and without the invisible characters a copy or a
    /// second byte-order mark leaves (U+FEFF, U+200B…U+200D, U+2060).
    var headerCell: String {
        let t = trimmedField
        guard t.unicodeScalars.contains(where: { $0 == "\u{FEFF}" || (0x200B...0x200D).contains($0.value) || $0 == "\u{2060}" }) else { return t }
        var u = String.UnicodeScalarView()
        u.append(contentsOf: t.unicodeScalars.filter { !($0 == "\u{FEFF}" || (0x200B...0x200D).contains($0.value) || $0 == "\u{2060}") })
        return String(u).trimmedField
    }

    /// Trims spaces, tabs, line breaks, NBSP and the ideographic space from both ends. Returns
    /// `self` unchanged (no allocation) in the common case of nothing to trim: loading a
    /// 100,000-row ledger trims three million fields.
    @inlinable
    public var trimmedField: String {
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            switch s.value { case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000: return true; default: return false }
        }
        let u = unicodeScalars
        guard let f = u.first, let l = u.last else { return self }
        if !isSpace(f) && !isSpace(l) { return self }
        var start = u.startIndex, end = u.endIndex
        while start < end, isSpace(u[start]) { start = u.index(after: start) }
        while end > start, isSpace(u[u.index(before: end)]) { end = u.index(before: end) }
        return String(u[start..<end])
    }
}

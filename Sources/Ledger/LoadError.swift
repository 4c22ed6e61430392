/// One thing wrong with an input file, located so that a person can find and fix it.
public struct InputProblem: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// Spreadsheet row (the header is row 1), or nil for a problem of the whole file.
    public var row: Int?
    /// The column header as the file spells it, or a YAML key path.
    public var column: String?
    public var value: String?
    /// What is wrong and what would be valid.
    public var message: String

    public init(file: String, row: Int? = nil, column: String? = nil, value: String? = nil, message: String) {
        self.file = file; self.row = row; self.column = column; self.value = value; self.message = message
    }

    public var description: String {
        var place = InputText.printable(file, limit: 400)
        if let row { place += " 第\(row)行(row \(row))" }
        if let column { place += " 列「\(InputText.printable(column))」" }
        var s = place + ": "
        if let value { s += "值「\(InputText.printable(value))」" + " — " }
        return s + message
    }
}

/// Input that cannot be used. Loading is all-or-nothing: when this is thrown, nothing was loaded.
public struct InputError: Error, CustomStringConvertible, Sendable {
    private enum Kind: Sendable {
        case problems([InputProblem], more: Int)
        case unreadable(file: String, reason: String)
    }
    private let kind: Kind

    /// The most problems one error lists; the rest are counted.
    public static let listLimit = 100

    public static func problems(_ list: [InputProblem]) -> InputError {
        InputError(kind: .problems(Array(list.prefix(listLimit)), more: max(0, list.count - listLimit)))
    }
    public static func unreadable(file: String, reason: String) -> InputError {
        InputError(kind: .unreadable(file: file, reason: reason))
    }
    public static func problem(file: String, row: Int? = nil, column: String? = nil, value: String? = nil, _ message: String) -> InputError {
        problems([InputProblem(file: file, row: row, column: column, value: value, message: message)])
    }

    /// The problems listed (at most `listLimit`).
    public var problems: [InputProblem] {
        switch kind {
        case .problems(let p, _): return p
        case .unreadable(let file, let reason): return [InputProblem(file: file, message: reason)]
        }
    }

    /// How many problems were found but not listed.
    public var unlisted: Int {
        if case .problems(_, let more) = kind { return more }
        return 0
    }

    public var description: String {
        let list = problems
        var lines = ["输入有误，未载入任何数据 (input rejected, nothing loaded): \(list.count + unlisted) 处问题"]
        lines += list.map { "  - \($0)" }
        if unlisted > 0 { lines.append("  … 另有 \(unlisted) 处问题未列出 (and \(unlisted) more)") }
        return lines.joined(separator: "\n")
    }
}

/// Text checks shared by every loader: characters no spreadsheet can hold, and values shown so
/// that a message stays printable.
public enum InputText {
    /// Whether a spreadsheet cell can hold the scalar: XML 1.0 (and so .xlsx) has no C0 control
    /// characters other than tab, line feed and carriage return, and no U+FFFE, U+FFFF.
    @inline(__always)
    public static func isStorable(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: return true
        case 0x00...0x1F, 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }

    /// The first character a spreadsheet cannot hold: its position (1-based, in characters as
    /// Unicode scalars) and the scalar; nil when there is none. Scans bytes first (fields are
    /// almost always clean).
    public static func forbidden(in text: String) -> (position: Int, scalar: Unicode.Scalar)? {
        var suspicious = false
        for b in text.utf8 where (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0xEF {
            suspicious = true; break
        }
        guard suspicious else { return nil }
        for (i, s) in text.unicodeScalars.enumerated() where !isStorable(s) { return (i + 1, s) }
        return nil
    }

    /// Whether UTF-8 bytes may hold a character no spreadsheet can hold: a C0 control other than
    /// tab, line feed and carriage return, or U+FFFE/U+FFFF (EF BF BE/BF). One pass, no decoding.
    public static func mayHoldForbidden(_ b: [UInt8]) -> Bool {
        b.withUnsafeBufferPointer { p in
            let n = p.count
            var i = 0
            while i < n {
                let c = p[i]
                if c < 0x20 {
                    if c != 0x09 && c != 0x0A && c != 0x0D { return true }
                } else if c == 0xEF, i + 2 < n, p[i + 1] == 0xBF, p[i + 2] >= 0xBE {
                    return true
                }
                i += 1
            }
            return false
        }
    }

    /// The problem of a field holding a character no spreadsheet can hold, or nil.
    public static func forbiddenProblem(in text: String) -> String? {
        guard let (position, scalar) = forbidden(in: text) else { return nil }
        let name = scalar.value == 0 ? "空字符(NUL) U+0000" : "控制字符 U+\(hex(scalar.value))"
        let nameEN = scalar.value == 0 ? "a NUL character (U+0000)" : "the control character U+\(hex(scalar.value))"
        return "第\(position)个字符是\(name)，电子表格无法保存，请删除"
            + " (character \(position) is \(nameEN), which no spreadsheet can hold: remove it)"
    }

    /// `text` as a message may show it: characters that are not printable as `<U+0000>`, at
    /// most `limit` characters (then "…" and the length).
    public static func printable(_ text: String, limit: Int = 160) -> String {
        var out = ""
        var n = 0
        for s in text.unicodeScalars {
            if n == limit {
                let total = text.unicodeScalars.count
                return out + "…（共\(total)个字符 \(total) characters）"
            }
            n += 1
            if !isStorable(s) || s.value == 0x7F || (0x80...0x9F).contains(s.value) || s == "\u{FEFF}" || s == "\u{200B}" {
                out += "<U+\(hex(s.value))>"
            } else if s == "\n" { out += "\\n" } else if s == "\r" { out += "\\r" } else if s == "\t" { out += "\\t" } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}

/// Numbers as people write them in a spreadsheet or a scenario: decimal only.
///
/// Swift's `Double(_:)` also reads hexadecimal floats (`0x1p4` is 16), `nan`, `inf` and
/// `infinity`, and turns `1e400` into infinity; none of these is a number a person means in an
/// input file. `StrictNumber` takes `[+-]digits[.digits][e[+-]digits]` (or `.5`, `5.`) and a
/// finite result only.
public enum StrictNumber {
    public static func decimal(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { decimal(utf8: $0, text) }
    }

    private static func decimal(utf8 u: UnsafeBufferPointer<UInt8>, _ text: String) -> Double? {
        var i = 0
        func digits() -> Int { let s = i; while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }; return i - s }
        if i < u.count, u[i] == 43 || u[i] == 45 { i += 1 }
        let whole = digits()
        var fraction = 0
        if i < u.count, u[i] == 46 { i += 1; fraction = digits() }
        guard whole + fraction > 0 else { return nil }
        if i < u.count, u[i] == 101 || u[i] == 69 {
            i += 1
            if i < u.count, u[i] == 43 || u[i] == 45 { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == u.count, let v = Double(text), v.isFinite else { return nil }
        return v
    }

    /// A whole number in decimal (optional sign); nil for anything else or out of `Int`'s range.
    public static func integer(_ text: String) -> Int? {
        let u = text.utf8
        guard let f = u.first else { return nil }
        let body = (f == 43 || f == 45) ? u.dropFirst() : u[...]
        guard !body.isEmpty, body.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }

    /// An `Int` for a finite value within `range`, nil otherwise (never traps: NaN, infinities
    /// and values past `Int` have no `Int`).
    public static func int(_ v: Double, in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard v.isFinite, v >= -9.2e18, v <= 9.2e18 else { return nil }
        let i = Int(v)
        return range.contains(i) ? i : nil
    }
}

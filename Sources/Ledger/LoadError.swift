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
        var place = file
        if let row { place += " 第\(row)行(row \(row))" }
        if let column { place += " 列「\(column)」" }
        var s = place + ": "
        if let value { s += "值「\(value)」" + " — " }
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

import Foundation

/// One symbol of a MathProg set or subscript: a number or a symbolic value.
///
/// MathProg has two spellings of a symbol, and this type knows both:
/// - ``dataText``: as written in a data section. A symbolic value that is not a plain name
///   (`[A-Za-z_][A-Za-z0-9_]*`) is written as a string literal in single quotes, with a quote
///   inside doubled (`'O''Brien'`, `'北区'`, `'a b'`).
/// - ``glpkText``: as GLPK spells it inside the names of generated rows and columns
///   (`x[3,north]`, `x[3,'a b']`), the spelling ``SolveResult/variable(_:_:)`` looks up.
public enum MathProgSymbol: Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral
{
    case number(Int)
    case text(String)

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .number(value) }
    public init(_ value: String) { self = .text(value) }
    public init(_ value: Int) { self = .number(value) }

    /// The symbol as written in a data section.
    public var dataText: String {
        switch self {
        case .number(let n): return String(n)
        case .text(let s): return Self.isPlainName(s) ? s : Self.quoted(s)
        }
    }

    /// The symbol as GLPK writes it in row and column names (GLPK's `format_symbol`): plain
    /// when it starts with a letter or `_` and goes on with letters, digits and `+-._`,
    /// otherwise quoted.
    public var glpkText: String {
        switch self {
        case .number(let n): return String(n)
        case .text(let s):
            let bytes = Array(s.utf8)
            guard let first = bytes.first, Self.isASCIILetter(first) || first == UInt8(ascii: "_") else { return Self.quoted(s) }
            let extra: Set<UInt8> = [UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_")]
            let plain = bytes.dropFirst().allSatisfy { Self.isASCIILetter($0) || Self.isASCIIDigit($0) || extra.contains($0) }
            return plain ? s : Self.quoted(s)
        }
    }

    public var description: String { dataText }

    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    static func isPlainName(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, isASCIILetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isASCIILetter($0) || isASCIIDigit($0) || $0 == UInt8(ascii: "_") }
    }

    static func isASCIILetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
    static func isASCIIDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
}

/// How numbers are written into a data section.
public enum MathProgNumberFormat: Sendable, Equatable {
    /// Whole numbers as integers (`3`), others with six decimals (`0.466667`): the planner's
    /// format since its first data files, kept so that exported data files stay comparable.
    case sixDecimals
    /// Whole numbers as integers, others in the shortest text that reads back as the same
    /// `Double` (`0.05`, `0.4753`): for values a `check` statement compares exactly.
    case exact

    public func text(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        switch self {
        case .sixDecimals: return String(format: "%.6f", v)
        case .exact: return "\(v)"
        }
    }
}

/// A MathProg data section, built statement by statement: sets (of symbols or of tuples),
/// scalar and indexed parameters, and tables (`param: a b :=` with one row per key).
///
/// Output is deterministic: the statements in the order added, each key in the order given.
/// ```swift
/// var d = MathProgData()
/// d.set("C", ["red_2", "blue_1"])
/// d.param("n", [("red_2", 3), ("blue_1", 10)])
/// d.param("share_min", 0.6)
/// d.text   // "data;\n\nset C := red_2 blue_1;\nparam n := red_2 3 blue_1 10;\nparam share_min := 0.600000;\n\nend;\n"
/// ```
public struct MathProgData: Sendable {
    /// How a parameter's entries are laid out: all on the statement's line, or one a line.
    public enum Layout: Sendable { case inline, lines }

    public var numberFormat: MathProgNumberFormat
    private var body = ""
    private var names: [String] = []

    public init(numberFormat: MathProgNumberFormat = .sixDecimals) {
        self.numberFormat = numberFormat
    }

    /// The whole data section: `data;`, the statements, `end;`.
    public var text: String { "data;\n\n" + body + "\nend;\n" }

    /// The names of the sets and parameters given so far, in order.
    public var declaredNames: [String] { names }

    /// `set NAME := a b c;`
    public mutating func set(_ name: String, _ members: [MathProgSymbol]) {
        declare(name)
        body += "set \(name) :=" + members.map { " " + $0.dataText }.joined() + ";\n"
    }

    /// `set NAME := (a,1) (b,2);` — a set of tuples (all of one arity).
    public mutating func set(_ name: String, tuples: [[MathProgSymbol]]) {
        declare(name)
        body += "set \(name) :=" + tuples.map { " (" + $0.map(\.dataText).joined(separator: ",") + ")" }.joined() + ";\n"
    }

    /// `param NAME := 0.5;`
    public mutating func param(_ name: String, _ value: Double, format: MathProgNumberFormat? = nil) {
        declare(name)
        body += "param \(name) := \((format ?? numberFormat).text(value));\n"
    }

    /// `param NAME := 3;`
    public mutating func param(_ name: String, _ value: Int) { param(name, Double(value)) }

    /// `param NAME := plan;` — a symbolic parameter.
    public mutating func param(_ name: String, symbol: MathProgSymbol) {
        declare(name)
        body += "param \(name) := \(symbol.dataText);\n"
    }

    /// `param NAME := a 1 b 2;` — a parameter over one index.
    public mutating func param(_ name: String, _ entries: [(MathProgSymbol, Double)], layout: Layout = .inline,
                               format: MathProgNumberFormat? = nil) {
        param(name, indexed: entries.map { ([$0.0], $0.1) }, layout: layout, format: format)
    }

    /// `param NAME := a 1 3 b 2 4;` — a parameter over several indices (each key a tuple).
    public mutating func param(_ name: String, indexed entries: [([MathProgSymbol], Double)], layout: Layout = .inline,
                               format: MathProgNumberFormat? = nil) {
        declare(name)
        let f = format ?? numberFormat
        let items = entries.map { key, value in (key.map(\.dataText) + [f.text(value)]).joined(separator: " ") }
        switch layout {
        case .inline: body += "param \(name) :=" + items.map { " " + $0 }.joined() + ";\n"
        case .lines: body += "param \(name) :=\n" + items.map { "  \($0)\n" }.joined() + ";\n"
        }
    }

    /// `param: a b c := key va vb vc ...;` — several parameters over one index, one row per key.
    /// Each row must hold one value per column.
    public mutating func table(_ columns: [String], rows: [(MathProgSymbol, [Double])], format: MathProgNumberFormat? = nil) {
        precondition(rows.allSatisfy { $0.1.count == columns.count }, "a table row must have one value per column")
        columns.forEach { declare($0) }
        let f = format ?? numberFormat
        body += "param: " + columns.joined(separator: " ") + " :=\n"
        body += rows.map { key, values in "  " + ([key.dataText] + values.map(f.text)).joined(separator: " ") + "\n" }.joined()
        body += ";\n"
    }

    /// An empty line (layout only).
    public mutating func blankLine() { body += "\n" }

    private mutating func declare(_ name: String) {
        precondition(MathProgSymbol.isPlainName(name), "'\(name)' is not a MathProg name")
        precondition(!names.contains(name), "'\(name)' is given twice in one data section")
        names.append(name)
    }
}

// MARK: - Reading results by MathProg name

/// The name GLPK gives the row or column of `name[subscripts]` (`K[red_2]`, `S[p1,3]`, `R`).
public func mathProgName(_ name: String, _ subscripts: [MathProgSymbol]) -> String {
    subscripts.isEmpty ? name : name + "[" + subscripts.map(\.glpkText).joined(separator: ",") + "]"
}

extension SolveResult {
    /// The value of the MathProg variable `name[subscripts]` in the reported solution.
    ///
    /// - Throws: ``GLPKError/Code/unknownName`` naming the model and the variable when the solved
    ///   problem has no such column (a variable renamed in the `.mod` file, a wrong subscript,
    ///   or a variable no constraint or objective uses, which GLPK leaves out);
    ///   ``GLPKError/Code/noSolution`` when the solve produced no solution.
    public func variable(_ name: String, _ subscripts: MathProgSymbol...) throws -> Double {
        try variable(name, subscripts)
    }

    public func variable(_ name: String, _ subscripts: [MathProgSymbol]) throws -> Double {
        try named(name, subscripts, what: ("variable", "value"), index: columnIndexByName, values: columnValues)
    }

    /// The value of an integer variable, rounded to the nearest whole number.
    public func integer(_ name: String, _ subscripts: MathProgSymbol...) throws -> Int {
        Int(try variable(name, subscripts).rounded())
    }

    /// The activity of the MathProg constraint `name[subscripts]`; throws as ``variable(_:_:)-swift.method``.
    public func constraint(_ name: String, _ subscripts: MathProgSymbol...) throws -> Double {
        try named(name, subscripts, what: ("constraint", "activity"), index: rowIndexByName, values: rowActivities)
    }

    /// A column's value or a row's activity by MathProg name: an unknown name and a missing
    /// solution are errors naming the model.
    private func named(_ name: String, _ subscripts: [MathProgSymbol], what: (kind: String, figure: String),
                       index: [String: Int], values: [Double]) throws -> Double {
        let full = mathProgName(name, subscripts)
        guard let i = index[full] else {
            throw GLPKError.unknownName("model '\(modelName)' has no \(what.kind) \(full)")
        }
        guard hasSolution, i < values.count else {
            throw GLPKError.noSolution("model '\(modelName)': no \(what.figure) for \(what.kind) \(full): \(status)")
        }
        return values[i]
    }

    /// The names of the rows of the solved problem, in order (e.g. to list a model's rules).
    public var rowNames: [String] {
        rowIndexByName.sorted { $0.value < $1.value }.map(\.key)
    }
}

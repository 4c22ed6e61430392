/// Whether the objective is minimised or maximised.
public enum ObjectiveDirection: Sendable, Equatable, CustomStringConvertible {
    case minimize
    case maximize

    public var description: String { self == .minimize ? "minimise" : "maximise" }
}

/// The domain of a column (structural variable).
public enum ColumnKind: Sendable, Equatable, CustomStringConvertible {
    /// A real-valued variable.
    case continuous
    /// An integer-valued variable; its finite bounds must be whole numbers.
    case integer
    /// A 0/1 variable. Bounds default to [0, 1]; other bounds must lie in {0, 1}.
    case binary

    public var description: String {
        switch self {
        case .continuous: return "continuous"
        case .integer: return "integer"
        case .binary: return "binary"
        }
    }
}

/// Bounds of a row's activity (the value of its linear form).
///
/// Infinite values are accepted where they mean "no bound" (`.lower(-.infinity)`
/// is `.free`); NaN, `lower > upper` and bounds pointing the wrong way
/// (`.upper(-.infinity)`) are rejected with ``GLPKError/Code/invalidBounds``.
public enum RowBounds: Sendable, Equatable, CustomStringConvertible {
    /// No bound: −∞ < activity < +∞.
    case free
    /// activity ≥ value.
    case lower(Double)
    /// activity ≤ value.
    case upper(Double)
    /// lower ≤ activity ≤ upper. Equal ends make a fixed row.
    case range(Double, Double)
    /// activity = value.
    case fixed(Double)

    public var description: String {
        switch self {
        case .free: return "free"
        case .lower(let x): return "≥ \(x)"
        case .upper(let x): return "≤ \(x)"
        case .range(let l, let u): return "in [\(l), \(u)]"
        case .fixed(let x): return "= \(x)"
        }
    }

    var lowerUpper: (Double?, Double?) {
        switch self {
        case .free: return (nil, nil)
        case .lower(let x): return (x, nil)
        case .upper(let x): return (nil, x)
        case .range(let l, let u): return (l, u)
        case .fixed(let x): return (x, x)
        }
    }
}

/// A handle to a column of one ``LinearProgram``.
///
/// Handles are only made by the model they belong to; using one with another
/// model throws ``GLPKError/Code/invalidIndex``.
public struct Column: Hashable, Sendable, CustomStringConvertible {
    /// 0-based position of the column in its model (GLPK's own number is `index + 1`).
    /// Also the position of its value in ``SolveResult/columnValues``.
    public let index: Int
    let modelID: UInt64

    init(index: Int, modelID: UInt64) {
        self.index = index
        self.modelID = modelID
    }

    var glpkIndex: Int32 { Int32(index + 1) }
    public var description: String { "column #\(index)" }
}

/// A handle to a row (constraint) of one ``LinearProgram``.
public struct Row: Hashable, Sendable, CustomStringConvertible {
    /// 0-based position of the row in its model (GLPK's own number is `index + 1`).
    /// Also the position of its value in ``SolveResult/rowActivities``.
    public let index: Int
    let modelID: UInt64

    init(index: Int, modelID: UInt64) {
        self.index = index
        self.modelID = modelID
    }

    var glpkIndex: Int32 { Int32(index + 1) }
    public var description: String { "row #\(index)" }
}

/// Everything needed to add one column; used by ``LinearProgram/addColumns(_:)``.
public struct ColumnSpec: Sendable, Equatable {
    public var name: String
    public var kind: ColumnKind
    /// `nil` (or −∞) means no lower bound.
    public var lower: Double?
    /// `nil` (or +∞) means no upper bound.
    public var upper: Double?
    /// Objective coefficient.
    public var objective: Double

    /// Bounds default to `[0, +∞)` for continuous and integer columns and to
    /// `[0, 1]` for binary ones.
    public init(name: String, kind: ColumnKind = .continuous,
                lower: Double? = 0, upper: Double? = nil, objective: Double = 0) {
        self.name = name
        self.kind = kind
        self.lower = lower
        self.upper = kind == .binary && upper == nil ? 1 : upper
        self.objective = objective
    }
}

/// Everything needed to add one row; used by ``LinearProgram/addRows(_:)``.
public struct RowSpec: Sendable {
    public var name: String
    public var coefficients: [(Column, Double)]
    public var bounds: RowBounds

    public init(name: String, coefficients: [(Column, Double)], bounds: RowBounds) {
        self.name = name
        self.coefficients = coefficients
        self.bounds = bounds
    }
}

/// A file format GLPK can write.
public enum ModelFileFormat: Sendable, Equatable, CustomStringConvertible {
    /// Free MPS. GLPK 5.0's MPS writer has no objective-sense record, so a
    /// maximisation is written as the equivalent minimisation of the negated
    /// objective (see ``LinearProgram/write(to:format:)``).
    case freeMPS
    /// CPLEX LP format. Keeps the objective sense.
    case cplexLP

    public var description: String { self == .freeMPS ? "free MPS" : "CPLEX LP" }
}

import CGLPK
import CGLPKGuard

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A linear or mixed-integer program held by GLPK.
///
/// `LinearProgram` is the only type in this module that owns a GLPK problem
/// object (`glp_prob`); it creates it in `init` and deletes it in `deinit`.
/// The raw pointer never leaves the module.
///
/// Every mutating call checks its arguments in Swift first (names, handles,
/// bounds, coefficients) and throws ``GLPKError`` for bad data, because GLPK
/// itself would call `abort()` on most of them.
///
/// ## Threads
/// GLPK keeps its whole state (heap, terminal settings, hooks) per thread.
/// A `LinearProgram` must therefore be created, modified, solved, exported and
/// released on **one** thread. It is deliberately not `Sendable`. Calls from
/// another thread throw ``GLPKError/Code/wrongThread``; if the last reference
/// is dropped on another thread, the GLPK problem is leaked (with a note on
/// stderr) rather than freed into the wrong thread's heap. Several models may
/// live on one thread, and different threads may each solve their own models
/// in parallel. Under Swift concurrency, keep a model inside one task that
/// does not hop executors (or use a dedicated thread).
///
/// ## Example
/// ```swift
/// let lp = try LinearProgram(name: "toy", direction: .maximize)
/// let x = try lp.addColumn(name: "x", kind: .integer, objective: 5)
/// let y = try lp.addColumn(name: "y", kind: .integer, objective: 4)
/// try lp.addRow(name: "cap", coefficients: [(x, 2), (y, 3)], bounds: .upper(5))
/// let result = try lp.solve()
/// print(result.status, result.objectiveValue ?? .nan, try result.value(of: x))
/// ```
public final class LinearProgram {
    /// The owned `glp_prob *`. Valid while `stamp` matches the current thread
    /// and environment generation.
    let prob: OpaquePointer
    let stamp: EnvironmentStamp
    /// Identifies this model in the handles it makes.
    let id: UInt64

    public let name: String
    public private(set) var direction: ObjectiveDirection

    private(set) var columnNames: [String] = []
    private(set) var rowNames: [String] = []
    private(set) var columnKinds: [ColumnKind] = []
    private(set) var columnIndexByName: [String: Int] = [:]
    private(set) var rowIndexByName: [String: Int] = [:]
    private(set) var integerColumnCount = 0
    /// Set for problems built by the MathProg translator: adding rows or
    /// columns would break `glp_mpl_postsolve`.
    private(set) var structureFrozen = false
    /// Scratch space for spotting a column repeated within one row in O(row
    /// length): `columnMarks[j] == markStamp` means "already seen in this row".
    private var columnMarks: [Int] = []
    private var markStamp = 0

    /// GLPK's limits on rows and columns (glpk/prob.h: M_MAX, N_MAX).
    static let maxRowsOrColumns = 100_000_000

    /// Creates an empty problem.
    ///
    /// - Parameters:
    ///   - name: the problem name (also written to MPS/LP files); 1...255 bytes, no whitespace.
    ///   - direction: minimise (default) or maximise the objective.
    ///   - objectiveName: the objective's name in exported files.
    public init(name: String, direction: ObjectiveDirection = .minimize,
                objectiveName: String = "obj") throws {
        try NameRules.validate(name, what: "problem")
        try NameRules.validate(objectiveName, what: "objective")
        quietTerminal()
        self.stamp = .current
        self.id = cglpk_next_object_id()
        self.prob = glp_create_prob()
        self.name = name
        self.direction = direction
        glp_set_prob_name(prob, name)
        glp_set_obj_name(prob, objectiveName)
        glp_set_obj_dir(prob, direction == .minimize ? GLP_MIN : GLP_MAX)
    }

    /// An empty problem to be filled by GLPK itself (MathProg, copies); the
    /// caller then calls `reloadFromGLPK()`.
    init(unfilledNamed name: String) {
        quietTerminal()
        self.stamp = .current
        self.id = cglpk_next_object_id()
        self.prob = glp_create_prob()
        self.name = name
        self.direction = .minimize
    }

    deinit {
        let now = EnvironmentStamp.current
        if now == stamp {
            glp_delete_prob(prob)
        } else if now.thread != stamp.thread {
            // Freeing into another thread's GLPK heap would corrupt it; leak instead.
            writeToStandardError("GLPK: LinearProgram '\(name)' was released on a thread other than the one "
                    + "that created it; its GLPK problem object was leaked instead of freed.\n")
        }
        // else: a GLPK fatal error already freed the whole environment, and this object with it.
    }

    // MARK: - Shape

    /// Number of columns (structural variables).
    public var columnCount: Int { columnNames.count }
    /// Number of rows (constraints).
    public var rowCount: Int { rowNames.count }
    /// True when at least one column is integer or binary (solved with branch and bound).
    public var isMIP: Bool { integerColumnCount > 0 }
    /// Number of non-zero constraint coefficients.
    public func nonZeroCount() throws -> Int {
        try checkUsable()
        return Int(glp_get_num_nz(prob))
    }

    /// All column handles, in order.
    public var columns: [Column] { (0..<columnCount).map { Column(index: $0, modelID: id) } }
    /// All row handles, in order.
    public var rows: [Row] { (0..<rowCount).map { Row(index: $0, modelID: id) } }

    /// The column with this name, if any.
    public func column(named name: String) -> Column? {
        columnIndexByName[name].map { Column(index: $0, modelID: id) }
    }

    /// The row with this name, if any.
    public func row(named name: String) -> Row? {
        rowIndexByName[name].map { Row(index: $0, modelID: id) }
    }

    /// The column at a 0-based position; throws if out of range.
    public func column(at index: Int) throws -> Column {
        guard index >= 0 && index < columnCount else {
            throw GLPKError.invalidIndex(
                "column index \(index) is out of range: model '\(name)' has \(columnCount) columns (0...\(columnCount - 1))")
        }
        return Column(index: index, modelID: id)
    }

    /// The row at a 0-based position; throws if out of range.
    public func row(at index: Int) throws -> Row {
        guard index >= 0 && index < rowCount else {
            throw GLPKError.invalidIndex(
                "row index \(index) is out of range: model '\(name)' has \(rowCount) rows (0...\(rowCount - 1))")
        }
        return Row(index: index, modelID: id)
    }

    public func name(of column: Column) throws -> String {
        try validate(column)
        return columnNames[column.index]
    }

    public func name(of row: Row) throws -> String {
        try validate(row)
        return rowNames[row.index]
    }

    public func kind(of column: Column) throws -> ColumnKind {
        try validate(column)
        return columnKinds[column.index]
    }

    // MARK: - Building

    /// Adds one column and returns its handle.
    ///
    /// - Parameters:
    ///   - lower: lower bound; `nil` or −∞ for none. Defaults to 0.
    ///   - upper: upper bound; `nil` or +∞ for none. Binary columns default to 1.
    /// - Throws: ``GLPKError`` for a bad or duplicate name, NaN or crossed
    ///   bounds, non-integral bounds on an integer column, bounds outside
    ///   {0, 1} on a binary column, or a non-finite objective coefficient.
    @discardableResult
    public func addColumn(name: String, kind: ColumnKind = .continuous,
                          lower: Double? = 0, upper: Double? = nil,
                          objective: Double = 0) throws -> Column {
        try addColumns([ColumnSpec(name: name, kind: kind, lower: lower, upper: upper, objective: objective)])[0]
    }

    /// Adds many columns at once (one `glp_add_cols` call). All specs are
    /// validated before anything is added: either all columns are added or none.
    @discardableResult
    public func addColumns(_ specs: [ColumnSpec]) throws -> [Column] {
        try checkUsable()
        try checkStructureMutable()
        guard !specs.isEmpty else { return [] }
        guard columnCount + specs.count <= Self.maxRowsOrColumns else {
            throw GLPKError.invalidIndex("GLPK allows at most \(Self.maxRowsOrColumns) columns")
        }
        var prepared: [(bounds: GLPKBounds, binary: Bool)] = []
        prepared.reserveCapacity(specs.count)
        var newNames: Set<String> = []
        for spec in specs {
            try NameRules.validate(spec.name, what: "column")
            if columnIndexByName[spec.name] != nil || !newNames.insert(spec.name).inserted {
                throw GLPKError.duplicateName("model '\(name)' already has a column named '\(spec.name)'")
            }
            guard spec.objective.isFinite else {
                throw GLPKError.invalidCoefficient(
                    "column '\(spec.name)': objective coefficient \(spec.objective) is not a finite number")
            }
            prepared.append(try Self.columnBounds(for: spec))
        }

        let first = Int(glp_add_cols(prob, Int32(specs.count))) - 1
        var handles: [Column] = []
        handles.reserveCapacity(specs.count)
        for (offset, spec) in specs.enumerated() {
            let j = Int32(first + offset + 1)
            glp_set_col_name(prob, j, spec.name)
            switch spec.kind {
            case .continuous:
                break
            case .integer:
                glp_set_col_kind(prob, j, GLP_IV)
            case .binary:
                glp_set_col_kind(prob, j, prepared[offset].binary ? GLP_BV : GLP_IV)
            }
            if !prepared[offset].binary {
                let b = prepared[offset].bounds
                glp_set_col_bnds(prob, j, b.type, b.lower, b.upper)
            }
            if spec.objective != 0 { glp_set_obj_coef(prob, j, spec.objective) }
            columnIndexByName[spec.name] = first + offset
            columnNames.append(spec.name)
            columnKinds.append(spec.kind)
            if spec.kind != .continuous { integerColumnCount += 1 }
            handles.append(Column(index: first + offset, modelID: id))
        }
        return handles
    }

    /// Makes continuous columns bounded by [0, 1] binary: an LP relaxation, grown and solved
    /// column by column, becomes its MIP, which the next solve without presolve branches on from
    /// the relaxation's basis.
    /// - Throws: ``GLPKError`` for a handle from another model, or a column that is not
    ///   continuous in [0, 1] (nothing is changed then).
    public func makeBinary(_ columns: [Column]) throws {
        try checkUsable()
        try checkStructureMutable()
        for c in columns {
            try validate(c)
            let j = c.glpkIndex
            guard columnKinds[c.index] == .continuous, glp_get_col_type(prob, j) == GLP_DB,
                  glp_get_col_lb(prob, j) == 0, glp_get_col_ub(prob, j) == 1 else {
                throw GLPKError.invalidBounds("column '\(columnNames[c.index])' is not a continuous column bounded by [0, 1]; only such a column can be made binary")
            }
        }
        for c in columns {
            glp_set_col_kind(prob, c.glpkIndex, GLP_BV)
            columnKinds[c.index] = .binary
            integerColumnCount += 1
        }
    }

    /// Sets a column's coefficients in existing rows (GLPK's `glp_set_mat_col`), replacing any it
    /// had: how a column joins rows already in the problem, e.g. a column generated after a solve.
    /// Zero coefficients are dropped; the basis of the last solve stays (the next solve without
    /// presolve starts from it).
    /// - Throws: ``GLPKError`` for a handle from another model, a repeated row or a non-finite coefficient.
    public func setCoefficients(of column: Column, _ terms: [(Row, Double)]) throws {
        try checkUsable()
        try checkStructureMutable()
        try validate(column)
        var seen: Set<Int> = []
        for (row, value) in terms {
            try validate(row)
            guard value.isFinite else {
                throw GLPKError.invalidCoefficient(
                    "column '\(columnNames[column.index])': coefficient \(value) in row '\(rowNames[row.index])' is not a finite number")
            }
            guard seen.insert(row.index).inserted else {
                throw GLPKError.invalidCoefficient(
                    "column '\(columnNames[column.index])': row '\(rowNames[row.index])' appears more than once; combine its coefficients into one term")
            }
        }
        let kept = terms.filter { $0.1 != 0 }
        let indices: [Int32] = [0] + kept.map { Int32($0.0.index + 1) }
        let values: [Double] = [0] + kept.map(\.1)
        glp_set_mat_col(prob, column.glpkIndex, Int32(kept.count), indices, values)
    }

    /// Adds one row `bounds(Σ coefficient × column)` and returns its handle.
    ///
    /// Zero coefficients are dropped. A column may appear only once per row.
    /// - Throws: ``GLPKError`` for a bad or duplicate name, a handle from
    ///   another model, a repeated column, a non-finite coefficient, or bad bounds.
    @discardableResult
    public func addRow(name: String, coefficients: [(Column, Double)], bounds: RowBounds) throws -> Row {
        try addRows([RowSpec(name: name, coefficients: coefficients, bounds: bounds)])[0]
    }

    /// Adds many rows at once (one `glp_add_rows` call, then one
    /// `glp_set_mat_row` per row). All rows are validated first: either all
    /// are added or none.
    @discardableResult
    public func addRows(_ specs: [RowSpec]) throws -> [Row] {
        try checkUsable()
        try checkStructureMutable()
        guard !specs.isEmpty else { return [] }
        guard rowCount + specs.count <= Self.maxRowsOrColumns else {
            throw GLPKError.invalidIndex("GLPK allows at most \(Self.maxRowsOrColumns) rows")
        }
        // Validate everything first.
        var prepared: [GLPKBounds] = []
        prepared.reserveCapacity(specs.count)
        var newNames: Set<String> = []
        if columnMarks.count < columnCount {
            columnMarks.append(contentsOf: repeatElement(0, count: columnCount - columnMarks.count))
        }
        var longest = 0
        for spec in specs {
            markStamp += 1
            try NameRules.validate(spec.name, what: "row")
            if rowIndexByName[spec.name] != nil || !newNames.insert(spec.name).inserted {
                throw GLPKError.duplicateName("model '\(name)' already has a row named '\(spec.name)'")
            }
            prepared.append(try GLPKBounds.make(lower: spec.bounds.lowerUpper.0, upper: spec.bounds.lowerUpper.1,
                                                what: "row '\(spec.name)'"))
            for (column, value) in spec.coefficients {
                try validate(column, context: "row '\(spec.name)'")
                guard value.isFinite else {
                    throw GLPKError.invalidCoefficient(
                        "row '\(spec.name)': coefficient \(value) of column '\(columnNames[column.index])' is not a finite number")
                }
                if columnMarks[column.index] == markStamp {
                    throw GLPKError.invalidCoefficient(
                        "row '\(spec.name)': column '\(columnNames[column.index])' appears more than once; "
                            + "combine its coefficients into one term")
                }
                columnMarks[column.index] = markStamp
            }
            longest = max(longest, spec.coefficients.count)
        }

        // Then load. GLPK arrays are 1-based: element 0 is unused.
        let first = Int(glp_add_rows(prob, Int32(specs.count))) - 1
        var indices = [Int32](repeating: 0, count: longest + 1)
        var values = [Double](repeating: 0, count: longest + 1)
        var handles: [Row] = []
        handles.reserveCapacity(specs.count)
        for (offset, spec) in specs.enumerated() {
            let i = Int32(first + offset + 1)
            glp_set_row_name(prob, i, spec.name)
            let b = prepared[offset]
            glp_set_row_bnds(prob, i, b.type, b.lower, b.upper)
            var count = 0
            for (column, value) in spec.coefficients where value != 0 {
                count += 1
                indices[count] = column.glpkIndex
                values[count] = value
            }
            if count > 0 {
                glp_set_mat_row(prob, i, Int32(count), indices, values)
            }
            rowIndexByName[spec.name] = first + offset
            rowNames.append(spec.name)
            handles.append(Row(index: first + offset, modelID: id))
        }
        return handles
    }

    // MARK: - Changing

    /// Sets the objective direction.
    public func setDirection(_ direction: ObjectiveDirection) throws {
        try checkUsable()
        glp_set_obj_dir(prob, direction == .minimize ? GLP_MIN : GLP_MAX)
        self.direction = direction
    }

    /// Sets a column's objective coefficient.
    public func setObjectiveCoefficient(_ value: Double, for column: Column) throws {
        try checkUsable()
        try validate(column)
        guard value.isFinite else {
            throw GLPKError.invalidCoefficient(
                "objective coefficient \(value) for column '\(columnNames[column.index])' is not a finite number")
        }
        glp_set_obj_coef(prob, column.glpkIndex, value)
    }

    /// The objective's constant term (0 unless set).
    public func objectiveConstant() throws -> Double {
        try checkUsable()
        return glp_get_obj_coef(prob, 0)
    }

    /// Sets the objective's constant term.
    public func setObjectiveConstant(_ value: Double) throws {
        try checkUsable()
        guard value.isFinite else {
            throw GLPKError.invalidCoefficient("objective constant \(value) is not a finite number")
        }
        glp_set_obj_coef(prob, 0, value)
    }

    /// Changes a column's bounds, with the same rules as ``addColumn(name:kind:lower:upper:objective:)``.
    public func setBounds(of column: Column, lower: Double?, upper: Double?) throws {
        try checkUsable()
        try validate(column)
        let j = column.glpkIndex
        let kind = columnKinds[column.index]
        let spec = ColumnSpec(name: columnNames[column.index], kind: kind, lower: lower, upper: upper)
        let prepared = try Self.columnBounds(for: spec)
        if kind == .binary {
            glp_set_col_kind(prob, j, prepared.binary ? GLP_BV : GLP_IV)
            if prepared.binary { return }
        }
        glp_set_col_bnds(prob, j, prepared.bounds.type, prepared.bounds.lower, prepared.bounds.upper)
    }

    /// Changes a row's bounds.
    public func setBounds(of row: Row, _ bounds: RowBounds) throws {
        try checkUsable()
        try validate(row)
        let b = try GLPKBounds.make(lower: bounds.lowerUpper.0, upper: bounds.lowerUpper.1,
                                    what: "row '\(rowNames[row.index])'")
        glp_set_row_bnds(prob, row.glpkIndex, b.type, b.lower, b.upper)
    }

    // MARK: - Validation helpers

    /// Throws unless this model may be touched from the calling thread.
    func checkUsable() throws {
        try stamp.check("GLPK model '\(name)'")
    }

    private func checkStructureMutable() throws {
        if structureFrozen {
            throw GLPKError.invalidState(
                "model '\(name)' was built by the MathProg translator; its rows and columns cannot be "
                    + "changed (that would break the translator's post-solve). Change the .mod/.dat files instead")
        }
    }

    func validate(_ column: Column, context: @autoclosure () -> String = "") throws {
        func prefix() -> String {
            let c = context()
            return c.isEmpty ? "" : "\(c): "
        }
        guard column.modelID == id else {
            throw GLPKError.invalidIndex("\(prefix())\(column) belongs to a different model, not to '\(name)'")
        }
        guard column.index >= 0 && column.index < columnCount else {
            throw GLPKError.invalidIndex(
                "\(prefix())\(column) is out of range: model '\(name)' has \(columnCount) columns")
        }
    }

    func validate(_ row: Row) throws {
        guard row.modelID == id else {
            throw GLPKError.invalidIndex("\(row) belongs to a different model, not to '\(name)'")
        }
        guard row.index >= 0 && row.index < rowCount else {
            throw GLPKError.invalidIndex("\(row) is out of range: model '\(name)' has \(rowCount) rows")
        }
    }

    /// Bounds for a column spec; `binary` is true when the column should be
    /// GLPK's binary kind (integer in [0, 1]).
    private static func columnBounds(for spec: ColumnSpec) throws -> (bounds: GLPKBounds, binary: Bool) {
        let what = "column '\(spec.name)'"
        switch spec.kind {
        case .continuous:
            return (try GLPKBounds.make(lower: spec.lower, upper: spec.upper, what: what), false)
        case .integer:
            let b = try GLPKBounds.make(lower: spec.lower, upper: spec.upper, what: what)
            for (label, value) in [("lower", spec.lower), ("upper", spec.upper)] {
                if let v = value, v.isFinite, v.rounded() != v {
                    throw GLPKError.invalidBounds(
                        "\(what) is integer but its \(label) bound \(v) is not a whole number")
                }
            }
            return (b, false)
        case .binary:
            let lower = spec.lower ?? 0
            let upper = spec.upper ?? 1
            for (label, value) in [("lower", lower), ("upper", upper)] where value != 0 && value != 1 {
                throw GLPKError.invalidBounds("\(what) is binary but its \(label) bound is \(value), not 0 or 1")
            }
            let b = try GLPKBounds.make(lower: lower, upper: upper, what: what)
            return (b, lower == 0 && upper == 1)
        }
    }

    // MARK: - Adopting problems built by GLPK

    /// Rebuilds the Swift-side bookkeeping from the GLPK problem (after
    /// `glp_mpl_build_prob` or `glp_copy_prob`).
    func reloadFromGLPK(freezeStructure: Bool) {
        let n = Int(glp_get_num_cols(prob))
        let m = Int(glp_get_num_rows(prob))
        columnNames = []
        columnKinds = []
        columnIndexByName = [:]
        rowNames = []
        rowIndexByName = [:]
        integerColumnCount = 0
        columnNames.reserveCapacity(n)
        for j in 0..<n {
            let raw = glp_get_col_name(prob, Int32(j + 1))
            let name = raw.map { String(cString: $0) } ?? "C\(j + 1)"
            columnNames.append(name)
            if columnIndexByName[name] == nil { columnIndexByName[name] = j }
            let kind: ColumnKind
            switch glp_get_col_kind(prob, Int32(j + 1)) {
            case GLP_BV: kind = .binary
            case GLP_IV: kind = .integer
            default: kind = .continuous
            }
            columnKinds.append(kind)
            if kind != .continuous { integerColumnCount += 1 }
        }
        rowNames.reserveCapacity(m)
        for i in 0..<m {
            let raw = glp_get_row_name(prob, Int32(i + 1))
            let name = raw.map { String(cString: $0) } ?? "R\(i + 1)"
            rowNames.append(name)
            if rowIndexByName[name] == nil { rowIndexByName[name] = i }
        }
        direction = glp_get_obj_dir(prob) == GLP_MAX ? .maximize : .minimize
        structureFrozen = freezeStructure
    }
}

/// `LinearProgram` is bound to the thread that created it (GLPK's state is per thread).
@available(*, unavailable, message: "a GLPK model must stay on the thread that created it")
extension LinearProgram: @unchecked Sendable {}

/// Writes `text` to standard error with write(2). Swift 6 refuses C's global `stderr` (shared
/// mutable state); a failed write is ignored, as `fputs`'s was.
func writeToStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

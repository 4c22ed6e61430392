import CGLPK
import CGLPKGuard

/// How much GLPK prints while solving. Anything but `.off` echoes GLPK's
/// own log to stdout; the log is captured in ``SolveResult/glpkOutput`` either way.
public enum MessageLevel: Sendable, Equatable {
    case off
    case errorsOnly
    case normal
    case all

    var glpk: Int32 {
        switch self {
        case .off: return GLP_MSG_OFF
        case .errorsOnly: return GLP_MSG_ERR
        case .normal: return GLP_MSG_ON
        case .all: return GLP_MSG_ALL
        }
    }
}

/// Cutting-plane families GLPK's branch and bound may generate (all off by default, as in GLPK).
public struct CutFamilies: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let mixedIntegerRounding = CutFamilies(rawValue: 1 << 0)
    public static let gomory = CutFamilies(rawValue: 1 << 1)
    public static let cover = CutFamilies(rawValue: 1 << 2)
    public static let clique = CutFamilies(rawValue: 1 << 3)
    public static let all: CutFamilies = [.mixedIntegerRounding, .gomory, .cover, .clique]
}

/// Which simplex variant solves LPs and, without presolve, the LP relaxation of a MIP.
public enum SimplexMethod: Sendable, Equatable {
    /// Primal simplex (GLPK's own default).
    case primal
    /// Dual simplex, falling back to primal if the dual fails. Measured about
    /// 20× faster than primal on a 2000 × 5000 covering relaxation.
    case dualThenPrimal

    var glpk: Int32 { self == .primal ? GLP_PRIMAL : GLP_DUALP }
}

/// How branch and bound picks the variable to branch on.
public enum BranchingRule: Sendable, Equatable {
    case firstFractional
    case lastFractional
    case mostFractional
    /// GLPK's default. Its probing is not interrupted by the time limit:
    /// measured overshoots of ~1–5 s on 1000–2000-row covering models.
    case driebeckTomlin
    /// Hybrid pseudocost; its strong-branching start can overshoot the time limit by several seconds.
    case pseudocost

    var glpk: Int32 {
        switch self {
        case .firstFractional: return GLP_BR_FFV
        case .lastFractional: return GLP_BR_LFV
        case .mostFractional: return GLP_BR_MFV
        case .driebeckTomlin: return GLP_BR_DTH
        case .pseudocost: return GLP_BR_PCH
        }
    }
}

/// Options for ``LinearProgram/solve(_:)``.
public struct SolveOptions: Sendable, Equatable {
    /// Wall-clock budget in seconds for the whole solve (> 0). GLPK checks it
    /// only at certain points (simplex iterations, branch-and-bound nodes), so
    /// a solve can overrun it: measured overruns were ≈0.2 s typically and up
    /// to ~5 s when GLPK's branching probes a large root node (see ``branching``).
    public var timeLimit: Double
    /// Relative MIP gap at which branch and bound stops (≥ 0). Keep it above
    /// 0: with 0, GLPK may fail to prove optimality of models with tiny
    /// objective terms and run until the time limit.
    public var relativeMIPGap: Double
    /// Use GLPK's LP presolver (LPs) or MIP preprocessor (`glp_intopt` presolve).
    public var presolve: Bool
    /// GLPK's terminal output level.
    public var messageLevel: MessageLevel
    /// Cutting planes for branch and bound.
    public var cuts: CutFamilies
    /// GLPK's feasibility pump heuristic (helps find a first integer solution).
    public var feasibilityPump: Bool
    /// Simplex variant for LPs (and MIP relaxations when presolve is off).
    public var simplexMethod: SimplexMethod
    /// Branching rule for branch and bound.
    public var branching: BranchingRule

    /// For tests of the fatal-error guard only: an invalid simplex message
    /// level makes `glp_simplex` raise a genuine GLPK fatal error.
    var rawMessageLevelOverride: Int32?

    public init(timeLimit: Double = 60, relativeMIPGap: Double = 1e-6, presolve: Bool = true,
                messageLevel: MessageLevel = .off, cuts: CutFamilies = [], feasibilityPump: Bool = false,
                simplexMethod: SimplexMethod = .dualThenPrimal, branching: BranchingRule = .driebeckTomlin) {
        self.timeLimit = timeLimit
        self.relativeMIPGap = relativeMIPGap
        self.presolve = presolve
        self.messageLevel = messageLevel
        self.cuts = cuts
        self.feasibilityPump = feasibilityPump
        self.simplexMethod = simplexMethod
        self.branching = branching
    }

    func validate() throws {
        guard timeLimit.isFinite, timeLimit > 0 else {
            throw GLPKError.invalidOption("time limit must be a positive number of seconds, not \(timeLimit)")
        }
        guard relativeMIPGap.isFinite, relativeMIPGap >= 0, relativeMIPGap < 1 else {
            throw GLPKError.invalidOption("relative MIP gap must be in [0, 1), not \(relativeMIPGap)")
        }
    }
}

/// Why GLPK could not produce an answer (as opposed to answering "infeasible").
public enum SolverFailure: Sendable, Equatable, CustomStringConvertible {
    case invalidBasis
    case singularMatrix
    case illConditionedMatrix
    case invalidBounds
    case solverFailed
    case objectiveLimitReached
    case iterationLimit
    case rootLPNotOptimal
    case stopped
    case noConvergence
    case numericalInstability
    case invalidData
    case resultOutOfRange
    case unexpected(code: Int32, status: Int32)

    init(code: Int32, status: Int32 = 0) {
        switch code {
        case GLP_EBADB: self = .invalidBasis
        case GLP_ESING: self = .singularMatrix
        case GLP_ECOND: self = .illConditionedMatrix
        case GLP_EBOUND: self = .invalidBounds
        case GLP_EFAIL: self = .solverFailed
        case GLP_EOBJLL, GLP_EOBJUL: self = .objectiveLimitReached
        case GLP_EITLIM: self = .iterationLimit
        case GLP_EROOT: self = .rootLPNotOptimal
        case GLP_ESTOP: self = .stopped
        case GLP_ENOCVG: self = .noConvergence
        case GLP_EINSTAB: self = .numericalInstability
        case GLP_EDATA: self = .invalidData
        case GLP_ERANGE: self = .resultOutOfRange
        default: self = .unexpected(code: code, status: status)
        }
    }

    public var description: String {
        switch self {
        case .invalidBasis: return "the starting basis is invalid"
        case .singularMatrix: return "the basis matrix became singular"
        case .illConditionedMatrix: return "the basis matrix is too ill-conditioned"
        case .invalidBounds: return "some variable has invalid bounds (for example non-integer bounds on an integer variable)"
        case .solverFailed: return "the solver failed (numerical difficulties)"
        case .objectiveLimitReached: return "the objective limit was reached"
        case .iterationLimit: return "the simplex iteration limit was reached"
        case .rootLPNotOptimal: return "the LP relaxation was not solved to optimality before branch and bound"
        case .stopped: return "the search was stopped by a callback"
        case .noConvergence: return "the solver did not converge"
        case .numericalInstability: return "the solver hit numerical instability"
        case .invalidData: return "the problem data are invalid"
        case .resultOutOfRange: return "a result was out of range"
        case .unexpected(let code, let status):
            return "GLPK returned unexpected code \(code) (status \(status))"
        }
    }
}

/// The outcome of a solve, in words a planner can show.
public enum SolveStatus: Sendable, Equatable, CustomStringConvertible {
    /// Proven optimal (LP optimum, or the branch-and-bound tree was exhausted).
    case optimal
    /// Branch and bound stopped because the relative gap between the best
    /// solution and the best bound fell to `gap`, at or below the requested tolerance.
    case withinGap(gap: Double)
    /// The time limit ran out. With `bestFound`, the best solution found so
    /// far is reported (not proven optimal); otherwise there is no solution.
    case timeLimit(bestFound: Bool)
    /// The constraints cannot all be met (for a MIP: no integer solution exists).
    case infeasible
    /// The objective can improve without limit (for a MIP: its LP relaxation is unbounded).
    case unbounded
    /// GLPK gave up without an answer.
    case failed(SolverFailure)

    /// Whether the result carries column values.
    public var hasSolution: Bool {
        switch self {
        case .optimal, .withinGap: return true
        case .timeLimit(let found): return found
        case .infeasible, .unbounded, .failed: return false
        }
    }

    public var description: String {
        switch self {
        case .optimal:
            return "An optimal solution was found and proven optimal."
        case .withinGap(let gap):
            return "A solution within the requested relative gap of the optimum was found (achieved gap \(Self.format(gap)))."
        case .timeLimit(true):
            return "The time limit ran out; the best solution found so far is reported, but it is not proven optimal."
        case .timeLimit(false):
            return "The time limit ran out before any feasible solution was found."
        case .infeasible:
            return "The model is infeasible: no assignment satisfies all constraints."
        case .unbounded:
            return "The model is unbounded: the objective can be improved without limit."
        case .failed(let why):
            return "GLPK could not solve the model: \(why)."
        }
    }

    private static func format(_ gap: Double) -> String {
        if gap == 0 { return "0" }
        return gap >= 1e-4 ? "\((gap * 1e4).rounded() / 1e2)%" : "\(gap)"
    }
}

/// What a solve produced.
public struct SolveResult: Sendable {
    public let status: SolveStatus
    /// Objective value of the reported solution; nil without a solution.
    public let objectiveValue: Double?
    /// MIPs only: relative gap |objective − bound| / (|objective| + ε) as GLPK
    /// computes it; 0 when proven optimal; the last value observed during
    /// branch and bound otherwise; nil for LPs or when unknown.
    public let mipGap: Double?
    /// MIPs only: the best bound on the optimum known when the search ended
    /// (equals the objective when proven optimal); nil if unknown.
    public let bestBound: Double?
    /// Wall-clock seconds spent inside GLPK's solver routines.
    public let solveSeconds: Double
    /// Whether branch and bound was used.
    public let isMIP: Bool
    /// Column values by ``Column/index``; empty without a solution.
    public let columnValues: [Double]
    /// Row activities (values of the linear forms) by ``Row/index``; empty without a solution.
    public let rowActivities: [Double]
    /// LPs with an optimal basic solution only: row duals (shadow prices) by ``Row/index``.
    public let rowDuals: [Double]?
    /// LPs with an optimal basic solution only: column reduced costs by ``Column/index``.
    public let reducedCosts: [Double]?
    /// GLPK's terminal output during the solve (empty at message level off, unless GLPK had something to say).
    public let glpkOutput: String

    let modelID: UInt64
    let modelName: String
    let columnIndexByName: [String: Int]
    let rowIndexByName: [String: Int]

    public var hasSolution: Bool { status.hasSolution }

    /// The value of a column in the reported solution.
    public func value(of column: Column) throws -> Double {
        guard column.modelID == modelID, column.index >= 0 else {
            throw GLPKError.invalidIndex("\(column) does not belong to model '\(modelName)'")
        }
        return try solutionValue(columnValues, at: column.index, what: "\(column)")
    }

    /// The value of the column with this name, or nil if there is no such
    /// column or no solution.
    public func value(named name: String) -> Double? {
        guard let j = columnIndexByName[name], j < columnValues.count else { return nil }
        return columnValues[j]
    }

    /// The activity (value of the linear form) of a row in the reported solution.
    public func activity(of row: Row) throws -> Double {
        guard row.modelID == modelID, row.index >= 0 else {
            throw GLPKError.invalidIndex("\(row) does not belong to model '\(modelName)'")
        }
        return try solutionValue(rowActivities, at: row.index, what: "\(row)")
    }

    /// The activity of the row with this name, or nil if there is no such row or no solution.
    public func activity(named name: String) -> Double? {
        guard let i = rowIndexByName[name], i < rowActivities.count else { return nil }
        return rowActivities[i]
    }

    /// The dual value (shadow price) of a row; LPs solved to optimality only.
    public func dual(of row: Row) throws -> Double {
        guard row.modelID == modelID, row.index >= 0 else {
            throw GLPKError.invalidIndex("\(row) does not belong to model '\(modelName)'")
        }
        guard let duals = rowDuals else {
            throw GLPKError.noSolution(
                "dual values exist only for LPs solved to optimality; status: \(status)")
        }
        return try solutionValue(duals, at: row.index, what: "\(row)")
    }

    private func solutionValue(_ values: [Double], at index: Int, what: String) throws -> Double {
        guard hasSolution else {
            throw GLPKError.noSolution("no value for \(what): \(status)")
        }
        guard index < values.count else {
            throw GLPKError.invalidIndex("\(what) was added after this solve")
        }
        return values[index]
    }
}

// MARK: - Solving

extension LinearProgram {
    /// Solves the model: `glp_simplex` for LPs; `glp_intopt` (with its MIP
    /// preprocessor when `presolve` is on, otherwise after `glp_simplex`) for
    /// models with integer or binary columns.
    ///
    /// Solver outcomes (infeasible, time limit, numerical failure, ...) are
    /// reported in ``SolveResult/status``; the method throws only for bad
    /// options, wrong-thread use, or a GLPK fatal error caught by the guard.
    public func solve(_ options: SolveOptions = SolveOptions()) throws -> SolveResult {
        try checkUsable()
        try options.validate()
        var log = ""
        var seconds = 0.0
        let echo = options.messageLevel != .off
        let msgLev = options.rawMessageLevelOverride ?? options.messageLevel.glpk
        let budgetMs = min(options.timeLimit * 1000, Double(Int32.max))

        func remainingMs() -> Int32 {
            Int32(max(1, (budgetMs - seconds * 1000).rounded(.up)))
        }

        func timed(_ operation: String, _ call: (UnsafeMutablePointer<Int32>) -> Int32) throws -> Int32 {
            let clock = ContinuousClock()
            let start = clock.now
            let outcome = try guarded(operation, echo: echo, call)
            let elapsed = start.duration(to: clock.now)
            seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            log += outcome.output
            return outcome.code
        }

        func simplex(presolve: Bool, method: SimplexMethod = options.simplexMethod) throws -> Int32 {
            var parm = glp_smcp()
            glp_init_smcp(&parm)
            parm.msg_lev = msgLev
            parm.meth = method.glpk
            parm.presolve = presolve ? GLP_ON : GLP_OFF
            parm.tm_lim = remainingMs()
            return try timed("glp_simplex") { fatal in cglpk_simplex(prob, &parm, fatal) }
        }

        /// Status of the basic (LP) solution after glp_simplex returned `code`.
        func lpStatus(code: Int32) -> SolveStatus {
            let status = glp_get_status(prob)
            switch code {
            case 0:
                switch status {
                case GLP_OPT: return .optimal
                case GLP_NOFEAS: return .infeasible
                case GLP_UNBND: return .unbounded
                default: return .failed(SolverFailure(code: code, status: status))
                }
            case GLP_ETMLIM:
                return .timeLimit(bestFound: status == GLP_FEAS)
            case GLP_ENOPFS:
                return .infeasible
            default:
                return .failed(SolverFailure(code: code, status: status))
            }
        }

        /// The presolver ("no dual feasible solution") and the dual simplex
        /// (status "infeasible" with the dual infeasible) can stop without
        /// saying whether the primal is unbounded or infeasible; a primal
        /// simplex run from the current basis decides.
        func settleDualInfeasible() throws -> SolveStatus {
            let code = try simplex(presolve: false, method: .primal)
            return lpStatus(code: code)
        }

        /// Runs glp_simplex and settles undecided endings.
        func solveLP(presolve: Bool) throws -> SolveStatus {
            let code = try simplex(presolve: presolve)
            if code == GLP_ENODFS { return try settleDualInfeasible() }
            if code == 0 {
                let status = glp_get_status(prob)
                if status != GLP_OPT && status != GLP_NOFEAS && status != GLP_UNBND {
                    return try settleDualInfeasible()
                }
            }
            return lpStatus(code: code)
        }

        var progress = cglpk_mip_progress()
        var status: SolveStatus
        let mip = isMIP

        if !mip {
            status = try solveLP(presolve: options.presolve)
        } else {
            var mayBranch = true
            status = .failed(.solverFailed)
            if !options.presolve {
                // Without the MIP preprocessor glp_intopt needs an optimal LP basis.
                let relaxation = try solveLP(presolve: false)
                if relaxation != .optimal {
                    mayBranch = false
                    switch relaxation {
                    case .timeLimit: status = .timeLimit(bestFound: false)
                    default: status = relaxation
                    }
                }
            }
            if mayBranch {
                if seconds * 1000 >= budgetMs {
                    status = .timeLimit(bestFound: false)
                } else {
                    var parm = glp_iocp()
                    glp_init_iocp(&parm)
                    parm.msg_lev = msgLev
                    parm.presolve = options.presolve ? GLP_ON : GLP_OFF
                    parm.tm_lim = remainingMs()
                    parm.mip_gap = options.relativeMIPGap
                    parm.br_tech = options.branching.glpk
                    parm.mir_cuts = options.cuts.contains(.mixedIntegerRounding) ? GLP_ON : GLP_OFF
                    parm.gmi_cuts = options.cuts.contains(.gomory) ? GLP_ON : GLP_OFF
                    parm.cov_cuts = options.cuts.contains(.cover) ? GLP_ON : GLP_OFF
                    parm.clq_cuts = options.cuts.contains(.clique) ? GLP_ON : GLP_OFF
                    parm.fp_heur = options.feasibilityPump ? GLP_ON : GLP_OFF
                    let code = try timed("glp_intopt") { fatal in cglpk_intopt(prob, &parm, &progress, fatal) }
                    let mipStatus = glp_mip_status(prob)
                    switch code {
                    case 0:
                        switch mipStatus {
                        case GLP_OPT: status = .optimal
                        case GLP_NOFEAS: status = .infeasible
                        default: status = .failed(SolverFailure(code: code, status: mipStatus))
                        }
                    case GLP_EMIPGAP:
                        let gap = progress.has_gap != 0 ? min(progress.mip_gap, options.relativeMIPGap) : options.relativeMIPGap
                        status = .withinGap(gap: gap)
                    case GLP_ETMLIM:
                        status = .timeLimit(bestFound: mipStatus == GLP_FEAS || mipStatus == GLP_OPT)
                    case GLP_ENOPFS:
                        status = .infeasible
                    case GLP_ENODFS:
                        status = try settleDualInfeasible()
                        if status == .optimal {
                            // The relaxation is bounded after all; report what intopt said.
                            status = .failed(SolverFailure(code: code, status: mipStatus))
                        }
                    default:
                        status = .failed(SolverFailure(code: code, status: mipStatus))
                    }
                }
            }
        }

        return collectResult(status: status, mip: mip, progress: progress, seconds: seconds, log: log)
    }

    private func collectResult(status: SolveStatus, mip: Bool, progress: cglpk_mip_progress,
                               seconds: Double, log: String) -> SolveResult {
        let n = columnCount
        let m = rowCount
        var columnValues: [Double] = []
        var rowActivities: [Double] = []
        var rowDuals: [Double]?
        var reducedCosts: [Double]?
        var objective: Double?
        var gap: Double?
        var bound: Double?

        if status.hasSolution {
            if mip {
                objective = glp_mip_obj_val(prob)
                columnValues = (0..<n).map { glp_mip_col_val(prob, Int32($0 + 1)) }
                rowActivities = (0..<m).map { glp_mip_row_val(prob, Int32($0 + 1)) }
            } else {
                objective = glp_get_obj_val(prob)
                columnValues = (0..<n).map { glp_get_col_prim(prob, Int32($0 + 1)) }
                rowActivities = (0..<m).map { glp_get_row_prim(prob, Int32($0 + 1)) }
                if status == .optimal {
                    rowDuals = (0..<m).map { glp_get_row_dual(prob, Int32($0 + 1)) }
                    reducedCosts = (0..<n).map { glp_get_col_dual(prob, Int32($0 + 1)) }
                }
            }
        }
        if mip {
            switch status {
            case .optimal:
                gap = 0
                bound = objective
            case .withinGap(let g):
                gap = g
                bound = progress.has_bound != 0 ? progress.best_bound : nil
            case .timeLimit(true):
                gap = progress.has_gap != 0 ? progress.mip_gap : nil
                bound = progress.has_bound != 0 ? progress.best_bound : nil
            default:
                break
            }
        }
        return SolveResult(
            status: status, objectiveValue: objective, mipGap: gap, bestBound: bound,
            solveSeconds: seconds, isMIP: mip, columnValues: columnValues, rowActivities: rowActivities,
            rowDuals: rowDuals, reducedCosts: reducedCosts, glpkOutput: log,
            modelID: id, modelName: name, columnIndexByName: columnIndexByName, rowIndexByName: rowIndexByName)
    }
}

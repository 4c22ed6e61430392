import Foundation
import GLPK
import Ledger
import Output

/// The solver statuses a plan or roster records (`solver.status`, `solver.stages[].status`),
/// best first: a plan's status is the worst of its stages'. What-if and staffing add two of
/// their own for a variant without a plan: `no_solution` (GLPK found none in time) and
/// `not_solved` (nothing to solve: e.g. no inspection workday).
public enum SolverState: String, CaseIterable, Sendable {
    case optimal
    case withinGap = "within_gap"
    case timeLimit = "time_limit"
    case timeLimitNoSolution = "time_limit_no_solution"
    case infeasible, unbounded, failed
    case noSolution = "no_solution"
    case notSolved = "not_solved"

    public init(_ s: SolveStatus) {
        switch s {
        case .optimal: self = .optimal
        case .withinGap: self = .withinGap
        case .timeLimit(let found): self = found ? .timeLimit : .timeLimitNoSolution
        case .infeasible: self = .infeasible
        case .unbounded: self = .unbounded
        case .failed: self = .failed
        }
    }

    /// A status under which the plan holds a solution (proven optimal or not).
    public var hasSolution: Bool { self == .optimal || self == .withinGap || self == .timeLimit }

    /// Whether a recorded status text is `optimal`.
    public static func isOptimal(_ name: String) -> Bool { name == SolverState.optimal.rawValue }
}

/// The status order of ``SolverState`` over the texts plans record.
public enum SolverStatusName {
    static let order = SolverState.allCases.map(\.rawValue)

    static func name(_ s: SolveStatus) -> String { SolverState(s).rawValue }

    /// The least good of the statuses ("optimal" for none); an unknown name ranks last.
    public static func worst(_ names: [String]) -> String {
        names.max { rank($0) < rank($1) } ?? SolverState.optimal.rawValue
    }

    static func rank(_ name: String) -> Int { order.firstIndex(of: name) ?? order.count }
}

/// One model solved by ``ModelRunner``: what the plan records of it, and its solution, read by
/// MathProg name (a name the model does not have throws, naming the model and the variable).
struct ModelRun {
    /// The model file's name without `.mod` (`annual-totals`).
    let model: String
    let stage: PlanDocument.Stage
    let result: SolveResult

    var hasSolution: Bool { result.hasSolution }

    /// Throws ``PlanningError/noSolution`` (stage named `stage.name`) when GLPK found no solution.
    @discardableResult
    func requireSolution() throws -> ModelRun {
        guard result.hasSolution else { throw PlanningError.noSolution(stage: stage.name, status: "\(result.status)") }
        return self
    }

    /// A variable's value, rounded to a whole number.
    func int(_ name: String, _ subscripts: MathProgSymbol...) throws -> Int {
        Int(try result.variable(name, subscripts).rounded())
    }

    func value(_ name: String, _ subscripts: MathProgSymbol...) throws -> Double {
        try result.variable(name, subscripts)
    }

    /// Whether a 0/1 variable is set.
    func isSet(_ name: String, _ subscripts: MathProgSymbol...) throws -> Bool {
        try result.variable(name, subscripts) > 0.5
    }
}

/// The one way the planner solves a model of `models/`: the data section written to a file,
/// the model translated with it, solved with the run's options (time limit, MIP gap, cuts), its
/// status named, and — for `--write-model` — the problem and its data exported. Every stage
/// of the annual plan, the rosters and the staffing answer go through here.
///
/// One runner per thread (GLPK models stay on the thread that made them); its temporary folder
/// goes with it.
final class ModelRunner {
    /// Numbers the data sections PLANNER_DEBUG_DIR keeps, across threads (what-if variants).
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    }
    private static let debugCounter = Counter()

    let options: SolveOptions
    /// `--write-model FILE.mps|FILE.lp`: stage n is written as `FILE-n.mps|lp` and its data as `FILE-n.dat`.
    let export: String?
    private let work: URL

    /// - Parameters:
    ///   - mipGap: relative MIP gap at which GLPK stops.
    ///   - export: `--write-model` target, or nil.
    init(timeLimit: Double, mipGap: Double, export: String? = nil) throws {
        var o = SolveOptions(timeLimit: timeLimit, relativeMIPGap: mipGap)
        o.messageLevel = .off
        // Measured: without cuts GLPK's branch and bound stalls on the annual capacity knapsack
        // even at 38 columns; with them the stages close at the root.
        o.cuts = .all
        options = o
        self.export = export
        work = FileManager.default.temporaryDirectory.appendingPathComponent("planner-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw OutputError.writeFailed(work.path, "临时文件夹（TMPDIR）不可写 (the temporary folder, TMPDIR, cannot be written): \(error.localizedDescription)")
        }
    }

    deinit { try? FileManager.default.removeItem(at: work) }

    /// PLANNER_DEBUG_DIR keeps every data section solved, for glpsol: glpsol -m models/X.mod
    /// -d FILE; numbered in the order solved, so no run overwrites another's.
    private static func keepForDebugging(_ text: @autoclosure () -> String, model: String, stage: String) {
        guard let keep = ProcessInfo.processInfo.environment["PLANNER_DEBUG_DIR"], !keep.isEmpty else { return }
        let n = debugCounter.next()
        try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
        try? text().write(toFile: "\(keep)/\(String(format: "%04d", n))-\(model)-\(stage).dat", atomically: true, encoding: .utf8)
    }

    /// Solves `models/<model>` with `data`.
    ///
    /// - Parameters:
    ///   - stageName: the stage's name in the plan or roster (default: the model's name).
    ///   - exportNumber: with ``export`` set, the number n of the files `FILE-n.*` this stage is written to.
    func run(_ model: String, data: MathProgData, stageName: String? = nil, exportNumber: Int? = nil) throws -> ModelRun {
        let modelName = (model as NSString).deletingPathExtension
        let name = stageName ?? modelName
        let text = data.text
        let dataPath = work.appendingPathComponent("\(name).dat").path
        do {
            try text.write(toFile: dataPath, atomically: true, encoding: .utf8)
        } catch {
            throw OutputError.writeFailed(dataPath, "临时文件夹（TMPDIR）不可写 (the temporary folder, TMPDIR, cannot be written): \(error.localizedDescription)")
        }
        Self.keepForDebugging(text, model: modelName, stage: name)
        let m = try MathProgModel(modelFile: try ModelLibrary.path(model), dataFiles: [dataPath])
        let r = try m.solve(options)
        if let target = export, let n = exportNumber {
            let ext = (target as NSString).pathExtension.lowercased()
            let base = (target as NSString).deletingPathExtension
            // Each file all or nothing, never through a symlink or onto a device (FileOutput).
            try FileOutput.write(to: "\(base)-\(n).\(ext.isEmpty ? "mps" : ext)") { temporary in
                _ = try m.problem.write(to: temporary, format: ext == "lp" ? .cplexLP : .freeMPS)
            }
            // The data section too, so `glpsol -m models/<model> -d FILE-n.dat` re-solves it.
            try FileOutput.write(text, to: "\(base)-\(n).dat")
        }
        let stage = PlanDocument.Stage(name: name, status: SolverStatusName.name(r.status), objective: r.objectiveValue ?? 0,
                                       mipGap: Self.gap(r), seconds: r.solveSeconds,
                                       rows: m.problem.rowCount, columns: m.problem.columnCount)
        return ModelRun(model: modelName, stage: stage, result: r)
    }

    /// Solves a problem of `models/<model>` already built through GLPK's API (the same rows
    /// and columns, under the same names, as the translator makes of the model and `data`):
    /// nothing is translated. `data` is written only for `PLANNER_DEBUG_DIR`, so that
    /// `glpsol -m models/<model> -d FILE` re-solves the same problem.
    ///
    /// - Parameter fromBasis: branch from the basis of the problem's last solve (its LP
    ///   relaxation, grown by column generation), without GLPK's presolver.
    func run(problem: LinearProgram, model: String, data: @autoclosure () -> MathProgData, stageName: String,
             fromBasis: Bool = false) throws -> ModelRun {
        let modelName = (model as NSString).deletingPathExtension
        if ProcessInfo.processInfo.environment["PLANNER_DEBUG_DIR"]?.isEmpty == false {
            Self.keepForDebugging(data().text, model: modelName, stage: stageName)
        }
        var options = options
        if fromBasis { options.presolve = false }
        let r = try problem.solve(options)
        let stage = PlanDocument.Stage(name: stageName, status: SolverStatusName.name(r.status), objective: r.objectiveValue ?? 0,
                                       mipGap: Self.gap(r), seconds: r.solveSeconds,
                                       rows: problem.rowCount, columns: problem.columnCount)
        return ModelRun(model: modelName, stage: stage, result: r)
    }

    /// The MIP gap a stage records: 0 when proven optimal, GLPK's last gap otherwise (0 if unknown).
    static func gap(_ r: SolveResult) -> Double {
        switch r.status {
        case .optimal: return 0
        default: return r.mipGap ?? 0
        }
    }

    /// A plan's or roster's solver summary from its stages: the worst status, the largest gap,
    /// the seconds added up.
    static func summary(_ stages: [PlanDocument.Stage], objective: Double, level: String) -> PlanDocument.Solver {
        PlanDocument.Solver(status: SolverStatusName.worst(stages.map(\.status)), objective: objective,
                            mipGap: stages.map(\.mipGap).max() ?? 0, seconds: stages.reduce(0) { $0 + $1.seconds },
                            level: level, stages: stages)
    }
}

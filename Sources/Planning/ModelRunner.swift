import Foundation
import GLPK
import Ledger
import Output

/// The solver statuses a plan or roster records (`solver.status`, `solver.stages[].status`),
/// best first: a plan's status is the worst of its stages'.
enum SolverStatusName {
    static let order = ["optimal", "within_gap", "time_limit", "time_limit_no_solution", "infeasible", "unbounded", "failed"]

    static func name(_ s: SolveStatus) -> String {
        switch s {
        case .optimal: return "optimal"
        case .withinGap: return "within_gap"
        case .timeLimit(let found): return found ? "time_limit" : "time_limit_no_solution"
        case .infeasible: return "infeasible"
        case .unbounded: return "unbounded"
        case .failed: return "failed"
        }
    }

    /// The least good of the statuses ("optimal" for none); an unknown name ranks last.
    static func worst(_ names: [String]) -> String {
        names.max { rank($0) < rank($1) } ?? "optimal"
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
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: work) }

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
        try text.write(toFile: dataPath, atomically: true, encoding: .utf8)
        // PLANNER_DEBUG_DIR keeps every data section solved, for glpsol: glpsol -m models/X.mod -d FILE.
        if let keep = ProcessInfo.processInfo.environment["PLANNER_DEBUG_DIR"], !keep.isEmpty {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? text.write(toFile: "\(keep)/\(model)-\(name).dat", atomically: true, encoding: .utf8)
        }
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
    func run(problem: LinearProgram, model: String, data: @autoclosure () -> MathProgData, stageName: String) throws -> ModelRun {
        let modelName = (model as NSString).deletingPathExtension
        if let keep = ProcessInfo.processInfo.environment["PLANNER_DEBUG_DIR"], !keep.isEmpty {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? data().text.write(toFile: "\(keep)/\(model)-\(stageName).dat", atomically: true, encoding: .utf8)
        }
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

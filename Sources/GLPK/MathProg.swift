import CGLPK
import CGLPKGuard
import Foundation

/// A GNU MathProg (GMPL) model translated by GLPK's translator, ready to solve.
///
/// Reads a model file (`.mod`) and any number of data files (`.dat`, read in
/// order), generates the model, and builds a ``LinearProgram`` from it
/// (`glp_mpl_alloc_wksp` → `glp_mpl_read_model` → `glp_mpl_read_data` →
/// `glp_mpl_generate` → `glp_mpl_build_prob`). ``solve(_:)`` then solves it
/// and runs the statements after the model's `solve;` (`glp_mpl_postsolve`).
///
/// Translator errors (syntax, data, failed `check` statements) are thrown as
/// ``GLPKError/Code/mathProgError`` with GLPK's own message, for example
/// `plan.mod:12: syntax error in variable statement`.
///
/// This type owns the translator workspace (`glp_tran`); the problem itself
/// is owned by ``problem``. Same thread rules as ``LinearProgram``: create,
/// solve and release on one thread. Not `Sendable`.
public final class MathProgModel {
    /// The generated problem. Its rows and columns cannot be changed (that
    /// would break the translator's post-solve); bounds, objective
    /// coefficients and export are available.
    public let problem: LinearProgram
    public let modelPath: String
    public let dataPaths: [String]
    /// Text GLPK printed while translating and generating (including output
    /// of `display`/`printf` statements before `solve;`).
    public let translatorOutput: String
    /// Output of `display`/`printf` statements after `solve;`, once the first
    /// successful solve has run the post-solve; empty before.
    public private(set) var displayOutput: String = ""

    private let translator: Translator
    private var postsolved = false

    /// Translates a model and its data files and builds the problem.
    ///
    /// - Parameters:
    ///   - modelFile: path of the `.mod` file. If `dataFiles` is non-empty, a
    ///     `data;` section inside the model file is skipped (as `glpsol -d` does).
    ///   - dataFiles: paths of `.dat` files, read in order.
    ///   - randomSeed: seed for MathProg's random functions (`Uniform01()` …); GLPK's default if nil.
    public init(modelFile: String, dataFiles: [String] = [], randomSeed: Int32? = nil) throws {
        for path in [modelFile] + dataFiles {
            guard !path.isEmpty, !path.utf8.contains(0) else {
                throw GLPKError.mathProg("'\(path)' is not a usable file path", output: "")
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw GLPKError.mathProg("MathProg file '\(path)' does not exist or cannot be read", output: "")
            }
        }
        modelPath = modelFile
        dataPaths = dataFiles

        let translator = Translator()
        if let seed = randomSeed {
            glp_mpl_init_rand(translator.tran, seed)
        }
        var log = ""
        let skipModelData: Int32 = dataFiles.isEmpty ? 0 : 1

        var (code, output) = try guarded("reading MathProg model '\(modelFile)'") { fatal in
            cglpk_mpl_read_model(translator.tran, modelFile, skipModelData, fatal)
        }
        log += output
        guard code == 0 else {
            throw GLPKError.mathProg("MathProg model '\(modelFile)' could not be translated", output: output)
        }
        for dataFile in dataFiles {
            (code, output) = try guarded("reading MathProg data '\(dataFile)'") { fatal in
                cglpk_mpl_read_data(translator.tran, dataFile, fatal)
            }
            log += output
            guard code == 0 else {
                throw GLPKError.mathProg("MathProg data file '\(dataFile)' could not be read", output: output)
            }
        }
        (code, output) = try guarded("generating MathProg model '\(modelFile)'") { fatal in
            cglpk_mpl_generate(translator.tran, nil, fatal)
        }
        log += output
        guard code == 0 else {
            throw GLPKError.mathProg("MathProg model '\(modelFile)' could not be generated", output: output)
        }

        let baseName = URL(fileURLWithPath: modelFile).deletingPathExtension().lastPathComponent
        let problem = LinearProgram(unfilledNamed: baseName.isEmpty ? "mathprog" : baseName)
        (_, output) = try guarded("building the problem from '\(modelFile)'") { fatal in
            cglpk_mpl_build_prob(translator.tran, problem.prob, fatal)
        }
        log += output
        problem.reloadFromGLPK(freezeStructure: true)

        self.translator = translator
        self.problem = problem
        self.translatorOutput = log
    }

    /// Solves ``problem`` and, the first time a solve yields a solution, runs
    /// the model's post-solve statements (`glp_mpl_postsolve`), whose output
    /// goes to ``displayOutput`` and is appended to the result's `glpkOutput`.
    ///
    /// GLPK allows the post-solve only once per translation; later solves
    /// (for example after changing bounds) just solve.
    ///
    /// - Throws: as ``LinearProgram/solve(_:)``, plus ``GLPKError/Code/mathProgError``
    ///   if a post-solve statement fails (for example a failing `check`).
    public func solve(_ options: SolveOptions = SolveOptions()) throws -> SolveResult {
        try translator.stamp.check("MathProg model '\(modelPath)'")
        let result = try problem.solve(options)
        guard result.hasSolution, !postsolved else { return result }
        guard Int(glp_get_num_rows(problem.prob)) == problem.rowCount,
              Int(glp_get_num_cols(problem.prob)) == problem.columnCount
        else {
            throw GLPKError.invalidState("the problem no longer matches its MathProg translation")
        }
        let solution = result.isMIP ? GLP_MIP : GLP_SOL
        let (code, output) = try guarded("MathProg post-solve of '\(modelPath)'") { fatal in
            cglpk_mpl_postsolve(translator.tran, problem.prob, solution, fatal)
        }
        postsolved = true
        guard code == 0 else {
            throw GLPKError.mathProg("MathProg post-solve statements of '\(modelPath)' failed", output: output)
        }
        displayOutput = Self.stripChatter(output)
        return SolveResult(
            status: result.status, objectiveValue: result.objectiveValue, mipGap: result.mipGap,
            bestBound: result.bestBound, solveSeconds: result.solveSeconds, isMIP: result.isMIP,
            columnValues: result.columnValues, rowActivities: result.rowActivities,
            rowDuals: result.rowDuals, reducedCosts: result.reducedCosts,
            glpkOutput: result.glpkOutput + output,
            modelID: result.modelID, modelName: result.modelName,
            columnIndexByName: result.columnIndexByName, rowIndexByName: result.rowIndexByName)
    }

    /// Translates, solves and post-solves in one call.
    public static func solve(modelFile: String, dataFiles: [String] = [],
                             options: SolveOptions = SolveOptions()) throws -> SolveResult {
        try MathProgModel(modelFile: modelFile, dataFiles: dataFiles).solve(options)
    }

    /// The column with a MathProg name such as `x[2,'north']` (as GLPK spells it).
    public func column(named name: String) -> Column? { problem.column(named: name) }
    /// The row with a MathProg name such as `capacity[3]`.
    public func row(named name: String) -> Row? { problem.row(named: name) }

    /// Drops GLPK's own progress line ("Model has been successfully processed").
    private static func stripChatter(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Model has been successfully processed") }
            .joined(separator: "\n")
    }
}

@available(*, unavailable, message: "a GLPK model must stay on the thread that created it")
extension MathProgModel: @unchecked Sendable {}

/// Owns one `glp_tran` (MathProg translator workspace) and frees it on the
/// thread that allocated it.
private final class Translator {
    let tran: OpaquePointer
    let stamp: EnvironmentStamp

    init() {
        quietTerminal()
        stamp = .current
        tran = glp_mpl_alloc_wksp()
    }

    deinit {
        let now = EnvironmentStamp.current
        if now == stamp {
            glp_mpl_free_wksp(tran)
        } else if now.thread != stamp.thread {
            writeToStandardError("GLPK: a MathProg translator workspace was released on another thread and was leaked.\n")
        }
    }
}

import ArgumentParser
import Foundation
import Ledger
import Output
import Policy
import Reports
import Planning

extension Lang: ExpressibleByArgument {}

/// Options every report-writing command shares.
struct LanguageOption: ParsableArguments {
    @Option(name: .long, help: "Language of reports and summaries: zh (default) or en.")
    var lang: Lang = .zh
}

/// Runs a command body, turning bad input into a readable message and exit code 1.
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as InputError {
        printError(e.description)
        throw ExitCode(1)
    }
}

/// The longest `--time-limit` (seconds per stage): a day.
let timeLimitRange = 0.0...86_400.0

/// `--time-limit`: seconds, more than 0 and at most a day (GLPK takes milliseconds as an int).
func validateTimeLimit(_ t: Double) throws {
    guard t.isFinite, t > 0, t <= timeLimitRange.upperBound else {
        throw ValidationError("--time-limit \(t)：应为大于0、不超过\(Int(timeLimitRange.upperBound))的秒数（一天） (expected seconds greater than 0 and at most \(Int(timeLimitRange.upperBound)), a day)")
    }
}

/// Opens `--out` as an all-or-nothing output folder: checked (a symlink, FIFO, device, file or
/// a folder the planner did not write is refused), locked against a second run, stale staging
/// folders removed. Call it before the work, so a refused `--out` costs nothing.
func openOutputFolder(_ out: String) throws -> OutputFolder {
    try OutputFolder.open(out, recognises: OutputNames.isPlannerFile)
}

/// Writes the complete new folder into `folder.staging` and swaps it in. Whatever goes wrong
/// while writing is an `OutputError` (exit 73), never reported as rejected input.
func writingOutputs(to folder: OutputFolder, _ body: (String) throws -> Void) throws {
    do {
        try body(folder.staging)
    } catch let e as OutputError {
        folder.discard()
        throw e
    } catch {
        folder.discard()
        throw OutputError.writeFailed(folder.path, "\(error)")
    }
    try folder.commit()
}

/// A path inside `folder.path` mapped into its staging folder (which becomes `folder.path` on
/// commit); any other path as given.
func inside(_ path: String, of folder: OutputFolder) -> String {
    let target = URL(fileURLWithPath: folder.path).standardizedFileURL.path
    let given = URL(fileURLWithPath: path).standardizedFileURL.path
    guard given.hasPrefix(target + "/") else { return path }
    return (folder.staging as NSString).appendingPathComponent(String(given.dropFirst(target.count + 1)))
}

/// Checks a one-file output (`classify --out FILE`, `--write-model FILE`) before the work.
func checkOutputFile(_ path: String) throws {
    try OutputFolder.checkFileTarget(path)
}

/// Runs a body that writes one output file: its failures are `OutputError`s.
func writingOutputFile(_ path: String, _ body: () throws -> Void) throws {
    do { try body() } catch let e as OutputError { throw e } catch {
        throw OutputError.writeFailed(path, "\(error)")
    }
}

/// What a SCENARIO|LEDGER argument names: a scenario file, a folder holding `scenario.yaml`,
/// or a bare ledger CSV.
struct ResolvedInput {
    var scenario: Scenario?
    var ledger: Ledger

    static func load(_ path: String, year: Int?) throws -> ResolvedInput {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError.unreadable(file: path, reason: "文件或目录不存在 (no such file or folder)")
        }
        var scenarioPath: String? = nil
        if isDir.boolValue {
            let candidate = (path as NSString).appendingPathComponent("scenario.yaml")
            guard FileManager.default.fileExists(atPath: candidate) else {
                throw InputError.unreadable(file: path, reason: "目录中没有 scenario.yaml (the folder holds no scenario.yaml)")
            }
            scenarioPath = candidate
        } else if path.lowercased().hasSuffix(".yaml") || path.lowercased().hasSuffix(".yml") {
            scenarioPath = path
        }
        if let scenarioPath {
            var s = try ScenarioLoader.load(path: scenarioPath)
            if let year { s.year = year }
            guard let lp = s.ledgerPath else {
                throw InputError.problem(file: scenarioPath, column: "ledger", "场景未指定台账文件 (the scenario names no ledger)")
            }
            return ResolvedInput(scenario: s, ledger: try LedgerLoader.load(path: lp))
        }
        guard year != nil else {
            throw ValidationError("给出台账文件时须用 --year 指明计划年度（“近三年”从该年1月1日倒算）。 A bare ledger needs --year: the plan year.")
        }
        return ResolvedInput(scenario: nil, ledger: try LedgerLoader.load(path: path))
    }
}

/// Units that might be key were a blank field filled in (RULES.md §2): listed by row and column
/// with the rule, at most `limit` lines, so a planner can complete the ledger.
func missingFieldsText(_ list: [LedgerChecks.MissingField], lang: Lang, limit: Int = 20) -> String {
    guard !list.isEmpty else { return "" }
    var s = "\n" + TextTable.wrapNote(lang == .zh ? "台账字段为空、可能漏判为一般检查单位的\(list.count)家（按一般检查单位处理，请核实补填）："
                                                : "\(list.count) units classified general only because a field is blank (treated as general; check and fill in):")
    for m in list.prefix(limit) { s += TextTable.wrapNote(m.text(lang), indent: "  ") }
    if list.count > limit { s += lang == .zh ? "  …另有\(list.count - limit)家\n" : "  … and \(list.count - limit) more\n" }
    return s
}

/// Refuses a plan that does not verify as what it states (not well formed, a draw that is not
/// the published one, metrics or verdicts other than the verifier's). Shortfalls a plan states
/// itself are no reason to refuse: re-planning is how they get fixed.
/// `previous`: the plans it re-plans, newest first (`--previous`), against which its kept draws
/// are checked; a re-plan without them is refused (its kept draws cannot be re-run).
func requireGenuinePlan(_ plan: PlanDocument, path: String, previous: [String], lang: Lang, refusal: (zh: String, en: String)) throws {
    let chain = try previous.map { try PlanDocument.loadWithDigest(path: $0) }
    let verdict = PlanVerifier.verify(plan, previous: chain)
    guard !verdict.genuine else { return }
    throw InputError.problems(verdict.integrityProblems.map {
        InputProblem(file: path, message: "计划未通过核验（planner verify \(path)），\(refusal.zh) (the plan does not verify; \(refusal.en)): \($0.text(lang))")
    })
}

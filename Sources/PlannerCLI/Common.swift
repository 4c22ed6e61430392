import ArgumentParser
import Foundation
import Ledger
import LedgerStore
import Output
import PlannerResources
import Policy
import Reports
import Planning

extension Lang: ExpressibleByArgument {}

/// Options every report-writing command shares.
struct LanguageOption: ParsableArguments {
    @Option(name: .long, help: "Language of reports and summaries: zh (default) or en.")
    var lang: Lang = .zh
}

/// `--db` and `--ledger-seq`: read the ledger from the ledger database (DATA.md §8) instead
/// of the file the scenario names.
struct DatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: "Read the ledger from this database instead of the scenario's file: an SQLite file (PATH or sqlite:PATH) or postgres://user@host:port/database.")
    var db: String?

    @Option(name: .customLong("ledger-seq"), help: "With a database: the ledger as it stood at this change sequence (a plan's ledger.seq), to make that plan again.")
    var ledgerSeq: Int?

    /// `--db` as a ledger reference: a bare path is an SQLite file.
    var reference: String? { db.map(Self.reference) }

    static func reference(_ db: String) -> String { PathText.isDatabaseReference(db) ? db : "sqlite:" + db }

    func validate() throws {
        if let ledgerSeq, ledgerSeq < 0 { throw ValidationError("--ledger-seq \(ledgerSeq)：应为不小于0的变更序号 (expected a change sequence ≥ 0)") }
    }

    /// The scenario with its ledger taken from `--db` when given.
    func apply(_ s: Scenario) -> Scenario {
        var s = s
        if let r = reference { s.ledgerPath = r }
        if let n = ledgerSeq { s.ledgerSeq = n }
        return s
    }
}

/// Runs a command body, turning bad input (or a database that cannot be used) into a
/// readable message and exit code 1.
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as InputError {
        printError(e.description)
        throw ExitCode(1)
    } catch let e as LedgerStoreError {
        printError(e.message)
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
    } catch let e as ResourceError {
        // An incomplete installation (a template missing), not a folder that cannot be written.
        folder.discard()
        throw e
    } catch {
        folder.discard()
        throw OutputError.writeFailed(folder.path, "\(error)")
    }
    try folder.commit()
}

/// `PLANNER_PDF` (auto, never, always; `DocumentPDF`), checked before any work: an unknown
/// value is a usage error (exit 64); `always` without Chromium is an incomplete installation
/// (exit 72, saying what to install).
func pdfMode() throws -> DocumentPDF.Mode {
    let mode: DocumentPDF.Mode
    do { mode = try DocumentPDF.mode() } catch let e as DocumentPDF.ModeError { throw ValidationError(e.description) }
    if mode == .always {
        do { _ = try PDFPrinter.chromium() } catch let e as PDFPrinter.Unavailable {
            printError("PLANNER_PDF=always：" + e.description)
            throw ExitCode(72)
        }
    }
    return mode
}

/// Prints `dir/htmlName` (a document just written into a staging folder) to PDF beside it as
/// `mode` says, saying so on standard error: a print takes seconds.
func printPDF(dir: String, htmlName: String, lang: Lang, mode: DocumentPDF.Mode) throws -> DocumentPDF.Outcome {
    if mode != .never { printError(lang == .zh ? "打印 PDF（\(htmlName)）…" : "Printing the PDF (\(htmlName))…") }
    let outcome = try DocumentPDF.print(dir: dir, htmlName: htmlName, lang: lang, mode: mode)
    if case .failed(let why) = outcome { printError((lang == .zh ? "警告：" : "Warning: ") + why) }
    return outcome
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

    /// - Parameter database: `--db`/`--ledger-seq`: the ledger comes from the database; `path`
    ///   may then be nil (a bare database, with `--year`).
    static func load(_ path: String?, year: Int?, database: DatabaseOption) throws -> ResolvedInput {
        guard let path else {
            guard let r = database.reference else {
                throw ValidationError("请给出场景、台账文件，或用 --db 指定台账数据库 (give a scenario, a ledger file, or --db)")
            }
            guard year != nil else {
                throw ValidationError("给出台账数据库时须用 --year 指明计划年度 (a bare database needs --year: the plan year)")
            }
            return ResolvedInput(scenario: nil, ledger: try LedgerSource.load(r, seq: database.ledgerSeq))
        }
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
            var s = database.apply(try ScenarioLoader.load(path: scenarioPath))
            if let year { s.year = year }
            guard let lp = s.ledgerPath else {
                throw InputError.problem(file: scenarioPath, column: "ledger", "场景未指定台账文件 (the scenario names no ledger)")
            }
            return ResolvedInput(scenario: s, ledger: try LedgerSource.load(lp, seq: s.ledgerSeq))
        }
        guard year != nil else {
            throw ValidationError("给出台账文件时须用 --year 指明计划年度（“近三年”从该年1月1日倒算）。 A bare ledger needs --year: the plan year.")
        }
        if database.db != nil {
            throw ValidationError("--db 与台账文件 \(path) 只能给出一个 (give either a ledger file or --db, not both)")
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

/// Stores what a command made from a ledger database in that database (DATA.md §8): a plan or
/// a month's roster with the files it wrote, status `draft`. Prints the stored id; a failure
/// is said (the files stay written) and exits 1.
func storeInDatabase(reference: String?, provenance: LedgerProvenance?, kind: StoredDocument.Kind, authority: String, level: String,
                     year: Int, month: Int? = nil, planID: Int? = nil, folder: String, files: [String], lang: Lang,
                     quiet: Bool = false) throws -> Int? {
    guard let reference, PathText.isDatabaseReference(reference), let provenance else { return nil }
    let zh = lang == .zh
    do {
        let store = try LedgerStore.open(reference)
        defer { store.close() }
        let by = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "planner"
        let id = try store.saveDocument(StoredDocument(kind: kind, authority: authority, level: level, year: year,
                                                       month: month, ledgerSeq: provenance.seq, createdAt: LedgerClock.now(), createdBy: by, planID: planID),
                                        folder: folder, files: files)
        let what = kind == .plan ? (zh ? "计划" : "plan") : (zh ? "\(month ?? 0)月现场检查方案" : "roster of month \(month ?? 0)")
        if !quiet { print(zh ? "\(what)已存入台账数据库（编号 \(id)，状态：草稿；台账变更序号 \(provenance.seq)）"
                 : "The \(what) is stored in the ledger database (id \(id), status draft; ledger change \(provenance.seq))") }
        return id
    } catch {
        printError(zh ? "文件已写入 \(folder)，但未能存入台账数据库：\(error)" : "The files are written to \(folder), but storing them in the database failed: \(error)")
        throw ExitCode(1)
    }
}

/// The regular files of a folder, by name.
func filesIn(_ folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { n in
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(n), isDirectory: &isDir) && !isDir.boolValue && !n.hasPrefix(".")
    }.sorted()
}

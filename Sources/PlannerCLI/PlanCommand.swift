import ArgumentParser
import Foundation
import Ledger
import Output
import Planning
import Policy
import Reports

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Solve the annual enforcement plan with GLPK and write plan.json, CSV, XLSX and the printable plan (HTML and PDF).",
        discussion: """
        Exit codes: 0 compliant plan; 2 plan written with shortfalls (each named by rule with its
        size and a fix); 1 bad input; 64 usage; 73 --out refused or not writable; 74 standard
        output or error not writable; 75 another run is writing --out (README, "Exit codes").
        --out is replaced as a whole: a new folder, an empty one or an earlier output folder.
        The printable plan 执法计划.html is printed to 执法计划.pdf by headless Chromium when it is
        installed (PLANNER_PDF=auto, the default; never: no PDF; always: no Chromium is an error
        before the work, exit 72, and a failed print is one after it, exit 73: nothing is written).
        """)

    @Argument(help: "A scenario YAML, or a folder holding scenario.yaml.")
    var scenario: String

    @Option(help: "Folder for plan.json, the quarterly/monthly CSVs, the workbook and the printable plan (执法计划.html and .pdf).")
    var out: String

    @Option(name: .customLong("write-model"), help: "Also write the models solved (FILE.mps or FILE.lp; numbered FILE-1, FILE-2, FILE-3).")
    var writeModel: String?

    @Option(name: .customLong("time-limit"), help: "Seconds GLPK may spend per stage; on the limit the best plan found is written with its gap.")
    var timeLimit: Double = 60

    @OptionGroup var database: DatabaseOption

    @OptionGroup var language: LanguageOption

    func validate() throws {
        try validateTimeLimit(timeLimit)
        if let w = writeModel, !["mps", "lp"].contains((w as NSString).pathExtension.lowercased()) {
            throw ValidationError("--write-model \(w)：文件名应以 .mps（自由格式MPS）或 .lp（CPLEX LP）结尾 (use a .mps or .lp file name)")
        }
    }

    func run() throws {
        let lang = language.lang
        var missing: [LedgerChecks.MissingField] = []
        var ledgerNote: String? = nil
        var reference: String? = nil
        // --out is checked and locked before any work: a refused or busy folder costs nothing.
        let folder = try openOutputFolder(out)
        if let w = writeModel { try checkOutputFile(w) }
        // So are the printable plan's templates (PLANNER_TEMPLATES or the bundle): exit 72 at once.
        _ = try PlanHTML.library()
        let pdf = try pdfMode()
        let doc: PlanDocument = try reportingInputErrors {
            let s = database.apply(try ScenarioFile.load(scenario))
            reference = s.ledgerPath
            printError(lang == .zh ? "载入台账与人员…" : "Loading ledger and staff…")
            let ctx = try PlanContext.load(scenario: s, ledgers: .filesAndDatabases)
            missing = ctx.missingFields
            ledgerNote = ctx.ledgerEncoding.ledgerNote(lang)
            printError(lang == .zh ? "求解年度计划（\(ctx.own.count)家本主体单位）…" : "Solving the annual plan (\(ctx.own.count) units)…")
            var options = PlanOptions()
            options.timeLimit = timeLimit
            // Models asked for inside --out go into the new folder, or the swap would drop them.
            options.writeModel = writeModel.map { inside($0, of: folder) }
            if let w = options.writeModel { try FileOutput.makeDirectory(PathText.parent(w).isEmpty ? "." : PathText.parent(w)) }
            return try AnnualPlanner.plan(ctx, options: options)
        }
        var printed = DocumentPDF.Outcome.skipped
        try writingOutputs(to: folder) { dir in
            try PlanReport(doc: doc, lang: lang).write(to: dir)
            printed = try printPDF(dir: dir, htmlName: PlanHTML.fileName(lang), lang: lang, mode: pdf)
        }
        if let ledgerNote { print(ledgerNote + "\n") }
        print(PlanReport(doc: doc, lang: lang).summary(), terminator: "")
        print(missingFieldsText(missing, lang: lang), terminator: "")
        print(lang == .zh ? "\n计划已写入 \(out)/" : "\nPlan written to \(out)/")
        print(DocumentPDF.summaryLine(folder: out, htmlName: PlanHTML.fileName(lang), outcome: printed, lang: lang,
                                      what: lang == .zh ? "可打印报送的计划文书" : "The plan to print and file"))
        _ = try storeInDatabase(reference: reference, provenance: doc.ledger, kind: .plan, authority: doc.authority.name, level: doc.authority.level,
                                year: doc.year, folder: out, files: filesIn(out), lang: lang)
        if !doc.compliant { throw ExitCode(2) }
    }
}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-check a plan against every rule without the solver, re-running every draw.",
        discussion: "Exit 0 when every rule passes, 1 otherwise.")

    @Argument(help: "plan.json, or a roster-YYYY-MM.json (then --scenario is required and --plan recommended).")
    var plan: String

    @Option(help: "The scenario the plan claims to come from: also re-classify the ledger and check campaign eligibility.")
    var scenario: String?

    @Option(name: .customLong("plan"), help: "For a roster: the annual plan it staffs (checks every visit of the month once).")
    var annualPlan: String?

    @Option(help: "For a re-plan: the plan.json it re-plans (repeat for a re-plan of a re-plan, newest first). Its kept draws, which cannot be re-run, must be that plan's exactly.")
    var previous: [String] = []

    @OptionGroup var database: DatabaseOption

    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        struct Schema: Decodable { let schema: String? }
        if let data = FileManager.default.contents(atPath: plan),
           (try? JSONDecoder().decode(Schema.self, from: data))?.schema == "enforcement-roster/1" {
            return try verifyRoster(lang)
        }
        let (doc, ctx, earlier): (PlanDocument, PlanContext?, [(plan: PlanDocument, sha256: String)]) = try reportingInputErrors {
            let doc = try PlanDocument.load(path: plan)
            let earlier = try previous.map { try PlanDocument.loadWithDigest(path: $0) }
            return (doc, try scenario.map { try PlanContext.load(scenario: database.apply(try ScenarioFile.load($0)), ledgers: .filesAndDatabases) }, earlier)
        }
        // Well-formedness (PLAN-FORMAT), published draws, the scenario as the reference
        // (PLAN-SCENARIO), every rule, and the stated figures against the visits.
        let verdict = PlanVerifier.verify(doc, context: ctx, previous: earlier)
        let zh = lang == .zh
        print(zh ? "核验 \(plan)（\(doc.authority.name)，\(doc.year)年，\(doc.visits.count)家次，\(doc.draws.count)次抽取）\n" : "Verifying \(plan) (\(doc.authority.name), \(doc.year), \(doc.visits.count) visits, \(doc.draws.count) draws)\n")
        let kept = doc.draws.filter { $0.pinned == true }.count
        if kept > 0 && earlier.isEmpty {
            print(zh ? "注：\(kept)次抽取是重新编制时保留的原计划抽取，其抽取池为原计划的台账，不能据本计划重新抽取；须加 --previous 原计划的 plan.json（再次重新编制的，依次给出各版原计划，新者在前）核验。\n"
                     : "Note: \(kept) draws were kept from the plan this one re-plans; their pools were that plan's ledger and cannot be re-run from this plan. Give --previous with that plan's plan.json (for a re-plan of a re-plan, each earlier plan, newest first).\n")
        }
        print(VerdictText.plan(verdict, lang), terminator: "")
        print(VerdictText.conclusion(pass: verdict.pass, lang))
        if !verdict.pass { throw ExitCode(1) }
    }
}

extension VerifyCommand {
    func verifyRoster(_ lang: Lang) throws {
        let (roster, annual, ctx, experts): (RosterDocument, PlanDocument?, PlanContext, [StaffMember]) = try reportingInputErrors {
            guard let scenario else { throw ValidationError("核验现场检查方案需要 --scenario（人员、专家、日历） (verifying a roster needs --scenario: staff, experts, calendar)") }
            let roster = try RosterDocument.load(path: plan)
            let annual = try annualPlan.map { try PlanDocument.load(path: $0) }
            let s = database.apply(try ScenarioFile.load(scenario))
            let ctx = try PlanContext.load(scenario: s, ledgers: .filesAndDatabases)
            let experts = try s.expertsPath.map { try StaffLoader.load(path: $0, experts: true) } ?? []
            return (roster, annual, ctx, experts)
        }
        let checks = RosterVerifier.checks(roster, plan: annual, ctx: ctx, experts: experts)
        let zh = lang == .zh
        print(zh ? "核验 \(plan)（\(roster.year)年\(roster.month)月，\(roster.assignments.count)次检查，\(roster.draws.count)次人员抽取）\n"
                 : "Verifying \(plan) (\(roster.year)-\(roster.month), \(roster.assignments.count) visits, \(roster.draws.count) draws)\n")
        print(VerdictText.roster(checks, lang), terminator: "")
        let ok = checks.allSatisfy { $0.pass }
        print(VerdictText.conclusion(pass: ok, lang))
        if !ok { throw ExitCode(1) }
    }
}

/// A SCENARIO argument: a YAML file or a folder holding scenario.yaml.
enum ScenarioFile {
    static func load(_ path: String) throws -> Scenario {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError.unreadable(file: path, reason: "文件或目录不存在 (no such file or folder)")
        }
        return try ScenarioLoader.load(path: isDir.boolValue ? (path as NSString).appendingPathComponent("scenario.yaml") : path)
    }
}

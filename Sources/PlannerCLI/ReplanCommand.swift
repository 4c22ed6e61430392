import ArgumentParser
import Foundation
import Ledger
import LedgerStore
import Planning
import Policy
import Reports

struct ReplanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replan",
        abstract: "Re-plan the rest of the year: carried-out visits and earlier (and kept) months stay exactly as they were.",
        discussion: """
        The scenario states the year as it is now: its ledger (new, closed and newly key units),
        staff (joining or leaving: unavailable dates), campaigns. Writes the new plan (plan.json,
        CSV, XLSX, verified like any plan) and the changes unit by unit with their reasons
        (变更清单.csv, changes.json).

        With --done, a planned visit of a month before --from-month that is not in the file was
        missed: --carry-missed key (default) carries missed key visits into the remaining months
        (same 检查编号; full coverage of key units is the law) and drops the others; all carries
        every missed visit; none drops them all (a key unit still short is planned again). Dropped
        visits are listed with the reason (--drop-reason). Coverage to date (key units covered,
        visits done of those planned) is printed and written to changes.json and 变更清单.csv.
        Without --done, the visits of earlier months are taken as carried out as planned.

        The plan must be the scenario's (authority, year, seed; its units in the ledger, bar a few
        closed since) and must verify as what it states (`planner verify`: well formed, every draw
        the published one, figures and verdicts as stated; shortfalls it states are accepted).
        Exit codes as for `plan` (1 bad input, a plan of another scenario or one that does not
        verify included).
        """)

    @Argument(help: "A scenario YAML, or a folder holding scenario.yaml (as things are now).")
    var scenario: String

    @Option(help: "The plan being re-planned (plan.json).")
    var plan: String

    @Option(help: "Visits carried out: a CSV with columns visit,date (or unit,date for visits outside the plan).")
    var done: String?

    @Option(name: .customLong("from-month"), help: "The first month to re-plan (earlier months stay as they were).")
    var fromMonth: Int

    @Option(name: .customLong("keep-months"), help: "Published months to keep as they are, e.g. 7,8.")
    var keepMonths: String?

    @Option(name: .customLong("carry-missed"), help: "Missed visits of earlier months (with --done): key (default: carry key visits, drop the rest), all, or none.")
    var carryMissed: MissedCarry = .key

    @Option(name: .customLong("drop-reason"), help: "The reason recorded for missed visits that are dropped, e.g. 单位停产.")
    var dropReason: String?

    @Option(help: "Folder for the new plan and the list of changes.")
    var out: String

    @Option(name: .customLong("time-limit"), help: "Seconds GLPK may spend per stage.")
    var timeLimit: Double = 60

    @Option(name: .customLong("previous"), help: "When --plan is itself a re-plan: the plan.json it re-plans (repeat, newest first), against which its kept draws are checked.")
    var previousPlans: [String] = []

    @OptionGroup var database: DatabaseOption

    @OptionGroup var language: LanguageOption

    var kept: Set<Int>? {
        guard let keepMonths else { return [] }
        let list = keepMonths.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard list.allSatisfy({ $0 != nil && (1...12).contains($0!) }) else { return nil }
        return Set(list.map { $0! })
    }

    func validate() throws {
        try validateTimeLimit(timeLimit)
        guard (1...12).contains(fromMonth) else { throw ValidationError("--from-month \(fromMonth)：月份应为1–12 (expected 1-12)") }
        guard kept != nil else { throw ValidationError("--keep-months \(keepMonths ?? "")：应为逗号分隔的1–12月份，如 7,8 (expected months 1-12 separated by commas, e.g. 7,8)") }
    }

    func run() throws {
        let lang = language.lang
        let zh = lang == .zh
        let folder = try openOutputFolder(out)
        _ = try PlanHTML.library()
        let pdf = try pdfMode()
        var reference: String? = nil, previousLedger: LedgerProvenance? = nil
        let outcome: ReplanOutcome = try reportingInputErrors {
            let s = database.apply(try ScenarioFile.load(scenario))
            reference = s.ledgerPath
            let (previous, previousSHA256) = try PlanDocument.loadWithDigest(path: plan)
            previousLedger = previous.ledger
            // Only a plan that verifies is re-planned: its draws are kept as published (pinned),
            // so a draw `planner verify` rejects must never be carried into a plan that passes.
            // Shortfalls the plan states itself are no reason to refuse (re-planning fixes them).
            try requireGenuinePlan(previous, path: plan, previous: previousPlans, lang: lang, refusal: ("不能据以重新编制", "replan refuses it"))
            let executed = try done.map { try ExecutedLoader.load(path: $0, year: previous.year, visitIds: Set(previous.visits.map { $0.id })) } ?? []
            printError(zh ? "载入新台账与人员…" : "Loading the current ledger and staff…")
            let ctx = try PlanContext.load(scenario: s, ledgers: .filesAndDatabases)
            // A plan of another scenario (authority, year, seed or ledger) is refused.
            try PlanMatch.check(plan: previous, planPath: plan, scenario: s, scenarioPath: scenario, ledgerUnits: Set(ctx.units.map { $0.id }))
            printError(zh ? "重新优化\(fromMonth)月起的计划…" : "Re-planning from month \(fromMonth)…")
            var options = PlanOptions()
            options.timeLimit = timeLimit
            let result = try Replanner.run(ctx, previous: previous, executed: executed, fromMonth: fromMonth, keepMonths: kept!,
                                            missed: done == nil ? nil : MissedOptions(carry: carryMissed, dropReason: dropReason),
                                            options: options, previousSHA256: previousSHA256)
            return result
        }
        var printed = DocumentPDF.Outcome.skipped
        try writingOutputs(to: folder) { dir in
            try PlanReport(doc: outcome.plan, lang: lang).write(to: dir)
            try ChangeReport(outcome: outcome, lang: lang).write(to: dir)
            printed = try printPDF(dir: dir, htmlName: PlanHTML.fileName(lang), lang: lang, mode: pdf)
        }
        let doc = outcome.plan
        print(PlanReport(doc: doc, lang: lang).summary(), terminator: "")
        let report = ChangeReport(outcome: outcome, lang: lang)
        print("\n" + report.summary(), terminator: "")
        if done == nil && fromMonth > 1 {
            print(zh ? "未提供 --done（执行记录）：\(fromMonth - 1)月及以前的计划检查视为已按计划执行。"
                     : "No --done given: the planned visits of months 1–\(fromMonth - 1) are taken as carried out as planned.")
        }
        if let now = doc.ledger {
            // What the database changed since the plan being re-planned was made.
            if let was = previousLedger, was.seq <= now.seq {
                print(zh ? "台账数据库：原计划依据变更序号 \(was.seq)，本次依据 \(now.seq)（其间 \(now.seq - was.seq) 项变更已计入：新增、关闭和新列为重点的单位见变更清单）。"
                         : "Ledger database: the plan saw change \(was.seq), this re-plan sees \(now.seq) (\(now.seq - was.seq) changes since; units added, closed or made key are in the change list).")
            } else {
                print(zh ? "台账数据库：本次依据变更序号 \(now.seq)。" : "Ledger database: this re-plan sees change \(now.seq).")
            }
        }
        print(zh ? "\n新计划与变更清单已写入 \(out)/" : "\nNew plan and changes written to \(out)/")
        print(DocumentPDF.summaryLine(folder: out, htmlName: PlanHTML.fileName(lang), outcome: printed, lang: lang,
                                      what: zh ? "可打印报送的计划文书" : "The plan to print and file"))
        _ = try storeInDatabase(reference: reference, provenance: doc.ledger, kind: .plan, authority: doc.authority.name, level: doc.authority.level,
                                year: doc.year, folder: out, files: filesIn(out), lang: lang)
        if !doc.compliant { throw ExitCode(2) }
    }
}

extension MissedCarry: ExpressibleByArgument {}

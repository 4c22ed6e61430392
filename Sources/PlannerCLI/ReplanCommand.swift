import ArgumentParser
import Foundation
import Ledger
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
        (变更清单.csv, changes.json). Exit codes as for `plan`.
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

    @Option(help: "Folder for the new plan and the list of changes.")
    var out: String

    @Option(name: .customLong("time-limit"), help: "Seconds GLPK may spend per stage.")
    var timeLimit: Double = 60

    @OptionGroup var language: LanguageOption

    var kept: Set<Int>? {
        guard let keepMonths else { return [] }
        let list = keepMonths.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard list.allSatisfy({ $0 != nil && (1...12).contains($0!) }) else { return nil }
        return Set(list.map { $0! })
    }

    func validate() throws {
        guard (1...12).contains(fromMonth) else { throw ValidationError("--from-month \(fromMonth): expected 1-12") }
        guard kept != nil else { throw ValidationError("--keep-months \(keepMonths ?? ""): expected months 1-12 separated by commas, e.g. 7,8") }
    }

    func run() throws {
        let lang = language.lang
        let zh = lang == .zh
        let (doc, changes): (PlanDocument, [PlanChange]) = try reportingInputErrors {
            let s = try ScenarioFile.load(scenario)
            let previous = try PlanDocument.load(path: plan)
            guard previous.year == s.year else {
                throw InputError.problem(file: plan, column: "year", value: String(previous.year), "计划年度与场景（\(s.year)）不一致 (the plan's year differs from the scenario's)")
            }
            let executed = try done.map { try ExecutedLoader.load(path: $0, year: previous.year, visitIds: Set(previous.visits.map { $0.id })) } ?? []
            printError(zh ? "载入新台账与人员…" : "Loading the current ledger and staff…")
            let ctx = try PlanContext.load(scenario: s)
            printError(zh ? "重新优化\(fromMonth)月起的计划…" : "Re-planning from month \(fromMonth)…")
            var options = PlanOptions()
            options.timeLimit = timeLimit
            let (doc, changes) = try Replanner.replan(ctx, previous: previous, executed: executed, fromMonth: fromMonth,
                                                      keepMonths: kept!, options: options)
            try PlanReport(doc: doc, lang: lang).write(to: out)
            try ChangeReport(changes: changes, lang: lang).write(to: out)
            return (doc, changes)
        }
        print(PlanReport(doc: doc, lang: lang).summary(), terminator: "")
        let report = ChangeReport(changes: changes, lang: lang)
        print("\n" + report.summary(), terminator: "")
        print(zh ? "\n新计划与变更清单已写入 \(out)/" : "\nNew plan and changes written to \(out)/")
        if !doc.compliant { throw ExitCode(2) }
    }
}

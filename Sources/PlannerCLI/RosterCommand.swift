import ArgumentParser
import Foundation
import Ledger
import Planning
import Policy
import Reports

struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Day-by-day on-site inspection rosters (现场检查方案) for the visits the annual plan puts in a month.",
        discussion: """
        The plan must be the scenario's: the same authority, year and seed, and its units in the
        scenario's ledger (a few closed since are listed as unassigned; more than half missing
        means another ledger). Exit codes: 0 every visit staffed; 2 roster written with unassigned
        visits or expert shortfalls; 1 bad input (a plan of another scenario included); 64 usage.
        """)

    @Argument(help: "A scenario YAML, or a folder holding scenario.yaml.")
    var scenario: String

    @Option(help: "The annual plan (plan.json).")
    var plan: String

    @Option(help: "One month, 1-12.")
    var month: Int?

    @Option(help: "A range of months, e.g. 1-12 (earlier months' rosters feed fairness).")
    var months: String?

    @Option(help: "Folder for roster-YYYY-MM.json, CSV and XLSX.")
    var out: String

    @OptionGroup var language: LanguageOption

    var range: ClosedRange<Int>? {
        if let month { return month...month }
        guard let months else { return nil }
        let parts = months.split(separator: "-").compactMap { Int($0) }
        if parts.count == 1 { return parts[0]...parts[0] }
        guard parts.count == 2, parts[0] <= parts[1] else { return nil }
        return parts[0]...parts[1]
    }

    func validate() throws {
        guard (month == nil) != (months == nil) else { throw ValidationError("give --month M or --months A-B (one of them)") }
        guard let r = range, r.lowerBound >= 1, r.upperBound <= 12 else { throw ValidationError("months must be within 1-12, e.g. --month 3 or --months 1-12") }
    }

    func run() throws {
        let lang = language.lang
        var incomplete = false
        try reportingInputErrors {
            let s = try ScenarioFile.load(scenario)
            let doc = try PlanDocument.load(path: plan)
            let rc = try RosterContext.load(plan: doc, scenario: s)
            // A plan of another scenario (authority, year, seed or ledger) is refused.
            try PlanMatch.check(plan: doc, planPath: plan, scenario: s, scenarioPath: scenario, ledgerUnits: Set(rc.ctx.units.map { $0.id }))
            var history = RosterHistory()
            // Earlier months already rostered in --out feed fairness and leader rotation.
            for m in 1..<range!.lowerBound {
                let f = "\(out)/\(RosterDocument.fileName(year: doc.year, month: m))"
                if FileManager.default.fileExists(atPath: f) { history.absorb(try RosterDocument.load(path: f)) }
            }
            let names = Dictionary((rc.ctx.staff + rc.experts).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            try FileOutput.makeDirectory(out)
            for m in range! {
                let r = try RosterPlanner.roster(rc, month: m, history: history)
                history.absorb(r)
                try RosterReport(doc: r, names: names, lang: lang).write(to: out)
                let line = lang == .zh
                    ? "\(doc.year)年\(m)月：安排\(r.assignments.count)次检查，未安排\(r.unassigned.count)次，缺专家\(r.expertShortfalls.count)次，人员抽取\(r.draws.count)次（GLPK \(r.solver.status)）"
                    : "\(doc.year)-\(m): \(r.assignments.count) visits staffed, \(r.unassigned.count) unassigned, \(r.expertShortfalls.count) without expert, \(r.draws.count) inspector draws (GLPK \(r.solver.status))"
                print(line)
                for u in r.unassigned.prefix(5) { print("  \(lang == .zh ? "未安排" : "unassigned") \(u.visit): \(u.reason)") }
                if !r.unassigned.isEmpty || !r.expertShortfalls.isEmpty { incomplete = true }
            }
            print(lang == .zh ? "现场检查方案已写入 \(out)/" : "Rosters written to \(out)/")
        }
        if incomplete { throw ExitCode(2) }
    }
}

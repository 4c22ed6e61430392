import ArgumentParser
import Foundation
import Ledger
import LedgerStore
import Output
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
        Each month's printable plan 现场检查方案-YYYY-MM.html is printed to its PDF by headless
        Chromium as for `planner plan` (PLANNER_PDF=auto, never or always).
        """)

    @Argument(help: "A scenario YAML, or a folder holding scenario.yaml.")
    var scenario: String

    @Option(help: "The annual plan (plan.json).")
    var plan: String

    @Option(help: "One month, 1-12.")
    var month: Int?

    @Option(help: "A range of months, e.g. 1-12 (earlier months' rosters feed fairness).")
    var months: String?

    @Option(help: "Folder for roster-YYYY-MM.json, CSV, XLSX and the printable on-site inspection plan (HTML and PDF).")
    var out: String

    @Option(name: .customLong("previous"), help: "When --plan is itself a re-plan: the plan.json it re-plans (repeat, newest first), against which its kept draws are checked.")
    var previousPlans: [String] = []

    @Option(name: .customLong("time-limit"), help: "Seconds GLPK may spend on each model (the month's days, then each workday's teams).")
    var timeLimit: Double = 10

    @OptionGroup var database: DatabaseOption

    @OptionGroup var language: LanguageOption

    var range: ClosedRange<Int>? {
        if let month { return month...month }
        guard let months else { return nil }
        // Every part must be a number: "3-x" is no range (not month 3 alone).
        let texts = months.split(separator: "-", omittingEmptySubsequences: false)
        let parsed = texts.map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parsed.allSatisfy({ $0 != nil }) else { return nil }
        let parts = parsed.map { $0! }
        if parts.count == 1 { return parts[0]...parts[0] }
        guard parts.count == 2, parts[0] <= parts[1] else { return nil }
        return parts[0]...parts[1]
    }

    func validate() throws {
        try validateTimeLimit(timeLimit)
        guard (month == nil) != (months == nil) else { throw ValidationError("请给出 --month M 或 --months A-B 之一 (give --month M or --months A-B, one of them)") }
        guard let r = range, r.lowerBound >= 1, r.upperBound <= 12 else {
            throw ValidationError(month != nil ? "--month \(month!)：月份应为1–12 (expected a month 1-12)" : "--months \(months ?? "")：应为1–12内的月份，如 --months 1-12 或 --months 3 (expected months within 1-12, e.g. --months 1-12 or --months 3)")
        }
    }

    func run() throws {
        let lang = language.lang
        var incomplete = false
        // --out is checked and locked before any work; the new folder replaces it as a whole.
        let folder = try openOutputFolder(out)
        // So are the printable plan's templates (PLANNER_TEMPLATES or the bundle): exit 72 at once.
        let templates = try RosterHTML.library()
        let pdf = try pdfMode()
        try reportingInputErrors {
            let s = database.apply(try ScenarioFile.load(scenario))
            let doc = try PlanDocument.load(path: plan)
            // A roster is drawn from a plan as published: a plan whose draws or figures do not
            // verify is refused (its random visits would be rostered unchecked).
            try requireGenuinePlan(doc, path: plan, previous: previousPlans, lang: lang, refusal: ("不能据以编排现场检查", "roster refuses it"))
            let rc = try RosterContext.load(plan: doc, scenario: s, ledgers: .filesAndDatabases)
            // A plan of another scenario (authority, year, seed or ledger) is refused.
            try PlanMatch.check(plan: doc, planPath: plan, scenario: s, scenarioPath: scenario, ledgerUnits: Set(rc.ctx.units.map { $0.id }))
            // Months of the plan's year already rostered in --out: earlier ones feed fairness and
            // leader rotation; every month not rostered now is kept (its sheets written again in
            // this run's language). Files of another year or language are not carried over.
            var earlier: [Int: RosterDocument] = [:]
            for m in 1...12 where !range!.contains(m) {
                let f = "\(out)/\(RosterDocument.fileName(year: doc.year, month: m))"
                if FileManager.default.fileExists(atPath: f) { earlier[m] = try RosterDocument.load(path: f) }
            }
            var history = RosterHistory()
            for m in 1..<range!.lowerBound { if let r = earlier[m] { history.absorb(r) } }
            let names = Dictionary((rc.ctx.staff + rc.experts).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            var rosters: [RosterDocument] = []
            for m in range! {
                let r = try RosterPlanner.roster(rc, month: m, history: history, timeLimit: timeLimit)
                history.absorb(r)
                rosters.append(r)
                let line = lang == .zh
                    ? "\(doc.year)年\(m)月：安排\(r.assignments.count)次检查，未安排\(r.unassigned.count)次，缺专家\(r.expertShortfalls.count)次，人员抽取\(r.draws.count)次（GLPK \(r.solver.status)）"
                    : "\(doc.year)-\(m): \(r.assignments.count) visits staffed, \(r.unassigned.count) unassigned, \(r.expertShortfalls.count) without expert, \(r.draws.count) inspector draws (GLPK \(r.solver.status))"
                print(line)
                for u in r.unassigned.prefix(5) { print("  \(lang == .zh ? "未安排" : "unassigned") \(u.visit): \(u.reason)") }
                if !r.unassigned.isEmpty || !r.expertShortfalls.isEmpty { incomplete = true }
            }
            var printed: [(html: String, outcome: DocumentPDF.Outcome)] = []
            try writingOutputs(to: folder) { dir in
                let reports = (earlier.values.sorted(by: { $0.month < $1.month }) + rosters).map { RosterReport(doc: $0, names: names, lang: lang) }
                for report in reports { try report.write(to: dir, templates: templates) }
                // Every month's document printed, kept months' too: the folder is replaced as a whole.
                for report in reports {
                    printed.append((report.htmlName, try printPDF(dir: dir, htmlName: report.htmlName, lang: lang, mode: pdf)))
                }
                // A kept month's roster-YYYY-MM.json stays the very file it was.
                for m in earlier.keys {
                    let name = RosterDocument.fileName(year: doc.year, month: m)
                    try FileOutput.write(try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(name)")), to: "\(dir)/\(name)")
                }
            }
            print(lang == .zh ? "现场检查方案已写入 \(out)/" : "Rosters written to \(out)/")
            for p in printed {
                print(DocumentPDF.summaryLine(folder: out, htmlName: p.html, outcome: p.outcome, lang: lang,
                                              what: lang == .zh ? "可打印的现场检查方案" : "The on-site inspection plan to print"))
            }
            // Made from a ledger database: each new month's roster is stored there too.
            for r in rosters {
                let stem = (RosterDocument.fileName(year: doc.year, month: r.month) as NSString).deletingPathExtension
                _ = try storeInDatabase(reference: s.ledgerPath, provenance: rc.ctx.ledgerProvenance, kind: .roster, authority: doc.authority.name,
                                        level: doc.authority.level, year: doc.year, month: r.month, folder: out,
                                        files: filesIn(out).filter { $0.hasPrefix(stem) || $0.contains(String(format: "%04d-%02d", doc.year, r.month)) }, lang: lang)
            }
        }
        if incomplete { throw ExitCode(2) }
    }
}

import ArgumentParser
import Foundation
import GLPK
import Ledger
import LedgerStore
import Output
import Planning
import PlannerResources
import Policy
import Reports

struct CityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "city",
        abstract: "Plan every authority of a city folder in one run (one unit, one level), with a roll-up and staff dispatch.",
        discussion: """
        FOLDER holds city.yaml, the unified ledger and one scenario per authority (docs/DATA.md §7).
        Each authority's plan is written to OUT/<its folder>/ as `planner plan` writes it; OUT/city.json
        and the roll-up workbook sum them up; 全市汇总.html is the roll-up to print, printed to
        全市汇总.pdf (PLANNER_PDF; the authorities' plans are not printed). Exit codes: 0 every
        plan compliant; 2 written with shortfalls; 1 bad input, or units two authorities claim
        (nothing planned); 64 usage; 72 a template missing; 73 --out refused or not writable;
        75 another run is writing --out.
        """)

    @Argument(help: "The city folder (holding city.yaml), or its city.yaml.")
    var folder: String

    @Option(help: "Folder for the authorities' plans, city.json, the roll-up workbook and the printable roll-up (全市汇总.html and .pdf).")
    var out: String

    @Option(help: "Plans solved at once (default: the machine's cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("time-limit"), help: "Seconds GLPK may spend per stage of each plan.")
    var timeLimit: Double = 60

    @OptionGroup var database: DatabaseOption

    @OptionGroup var language: LanguageOption

    func validate() throws {
        try validateTimeLimit(timeLimit)
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs \(jobs)：应在1到256之间 (expected 1…256)") }
    }

    func run() throws {
        let lang = language.lang, zh = lang == .zh
        let started = Date()
        let outFolder = try openOutputFolder(out)
        // The templates of the plans and of the printable roll-up: exit 72 before any work.
        _ = try PlanHTML.library()
        _ = try PlanHTML.library(names: CityHTML.templates)
        let pdf = try pdfMode()
        func say(_ zhText: String, _ en: String) { printError(zh ? zhText : en) }
        let inputs: CityInputs = try reportingInputErrors {
            let city = try CityFolder.load(folder: folder, ledger: database.reference, ledgerSeq: database.ledgerSeq)
            say("载入统一台账并分级分类（\(city.authorities.count)个执法主体）…", "Loading and classifying the ledger (\(city.authorities.count) authorities)…")
            return try CityInputs.load(city, ledgers: .filesAndDatabases)
        }
        let a = inputs.assignment
        if !a.conflicts.isEmpty {
            var lines = [zh ? "有\(a.conflicts.count)家单位被两个以上执法主体认领（一家单位只能由一个层级检查，TIER-ONE），未编制任何计划："
                            : "\(a.conflicts.count) units are claimed by two or more authorities (one unit, one level: TIER-ONE); nothing was planned:"]
            for c in a.conflicts.prefix(50) {
                lines.append(zh ? "  \(c.id)：\(c.authorities.joined(separator: "、"))" : "  \(c.id): \(c.authorities.joined(separator: ", "))")
            }
            if a.conflicts.count > 50 { lines.append(zh ? "  … 另有\(a.conflicts.count - 50)家" : "  … and \(a.conflicts.count - 50) more") }
            lines.append(zh ? "请核对区局场景的 delegate（委托街镇、功能区）与街镇、功能区场景是否一致。"
                            : "Check the district scenarios' `delegate` lists against the town and zone scenarios.")
            printError(lines.joined(separator: "\n"))
            outFolder.discard()
            throw ExitCode(1)
        }
        if !a.unassigned.isEmpty {
            say("\(a.unassigned.count)家单位没有执法主体的场景，列入 city.json 的 units.unassigned。",
                "\(a.unassigned.count) units have no authority in the folder: listed in city.json units.unassigned.")
        }
        var report: CityReport? = nil
        var printed = DocumentPDF.Outcome.skipped
        try writingCityOutputs(to: outFolder) { dir in
            report = try CityRun.run(inputs, to: dir, jobs: jobs, timeLimit: timeLimit, lang: lang, started: started,
                                     progress: { printError($0) })
            // Only the roll-up is printed: a PDF per authority would take minutes for a large city.
            printed = try printPDF(dir: dir, htmlName: CityHTML.fileName(lang), lang: lang, mode: pdf)
        }
        guard let report else { return }
        print(report.summary(), terminator: "")
        print(zh ? "\n全市计划已写入 \(out)/" : "\nCity plans written to \(out)/")
        print(DocumentPDF.summaryLine(folder: out, htmlName: CityHTML.fileName(lang), outcome: printed, lang: lang,
                                      what: zh ? "可打印报送的全市汇总" : "The city roll-up to print and file"))
        if let provenance = inputs.ledger.provenance {
            // Read from a ledger database: every authority's plan is stored there as a draft.
            var ids: [Int] = []
            for k in 0..<inputs.count {
                let dir = (out as NSString).appendingPathComponent(inputs.folder(k)), a = inputs.scenario(k).authority
                guard FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("plan.json")) else { continue }
                if let id = try storeInDatabase(reference: inputs.city.defaults.ledger, provenance: provenance, kind: .plan, authority: a.name,
                                                level: a.level.rawValue, year: inputs.city.defaults.year, folder: dir, files: filesIn(dir),
                                                lang: lang, quiet: true) { ids.append(id) }
            }
            if let first = ids.min(), let last = ids.max() {
                print(zh ? "\(ids.count)个计划已存入台账数据库（编号 \(first)–\(last)，状态：草稿；台账变更序号 \(provenance.seq)）"
                         : "\(ids.count) plans stored in the ledger database (ids \(first)–\(last), status draft; ledger change \(provenance.seq))")
            }
        }
        if !report.compliant { throw ExitCode(2) }
    }

    /// As `writingOutputs`, but a planning error (solver, a plan that does not verify) keeps its
    /// own exit code instead of being reported as an output failure.
    func writingCityOutputs(to folder: OutputFolder, _ body: (String) throws -> Void) throws {
        do {
            try body(folder.staging)
        } catch let e as OutputError {
            folder.discard(); throw e
        } catch let e as GLPKError {
            folder.discard(); throw e
        } catch let e as CityPlanError {
            folder.discard(); throw e
        } catch let e as PlanningError {
            folder.discard(); throw e
        } catch let e as ResourceError {
            folder.discard(); throw e
        } catch let e as InputError {
            folder.discard(); printError(e.description); throw ExitCode(1)
        } catch {
            folder.discard()
            throw OutputError.writeFailed(folder.path, "\(error)")
        }
        try folder.commit()
    }
}

import Foundation
import Ledger
import Planning
import Policy

/// One loader the fuzzer drives: the bytes of one input file go through the entry points the
/// command line uses for that kind of file, then through what the command does next with what
/// was loaded (classification, the workday budget, the verifier). Rejecting an input (any thrown
/// error) is a correct answer; only a trap, a hang or running out of memory is a finding.
enum FuzzTarget: String, CaseIterable {
    /// A ledger (CSV in UTF-8 or GB18030, or .xlsx bytes): `LedgerLoader`, then the plan
    /// context (`classify`/`plan`: classification, tiers, draw weights).
    case ledger
    /// A staff roll: `StaffLoader`, then the plan context (the workday budget).
    case staff
    /// An expert pool: `StaffLoader(experts: true)`, then the roster verifier with it.
    case experts
    /// A scenario YAML: `ScenarioLoader.load(path:)`, then the plan context with its policy,
    /// workdays and delegation over the fixture's ledger and staff.
    case scenario
    /// A what-if variant YAML: `ScenarioLoader.variant(path:base:)`, the staff change, the context.
    case variant
    /// A calendar YAML: `WorkCalendar.resolve(year:file:)`, then the plan context.
    case calendar
    /// `replan --done executed.csv`: `ExecutedLoader` against the fixture plan's visits.
    case executed
    /// `planner verify plan.json [--scenario]`: `PlanDocument.load`, the verifier without and
    /// with the fixture scenario, the metric re-count, the plan-scenario match of roster/replan.
    case plan
    /// `planner verify roster.json --scenario --plan`: `RosterDocument.load`, the roster verifier.
    case roster
    /// A city folder's `city.yaml` (`planner city`): `CityFolder.head(path:)`, then a scenario
    /// of the folder read with its defaults. Listed files are looked at (stat), never read.
    case city

    /// A town office's scenario inside a city folder (no year, seed or ledger of its own).
    static let cityScenario = "authority: { level: town, district: 闵行区, town: 古美街道 }\nstaff: staff.csv\n"

    /// The name the input file gets in the work folder (loaders look at the extension).
    var fileName: String {
        switch self {
        case .ledger: return "ledger.csv"
        case .staff: return "staff.csv"
        case .experts: return "experts.csv"
        case .scenario: return "scenario.yaml"
        case .variant: return "variant.yaml"
        case .calendar: return "calendar.yaml"
        case .executed: return "executed.csv"
        case .plan: return "plan.json"
        case .roster: return "roster.json"
        case .city: return "city.yaml"
        }
    }

    /// Runs one input: nil when it was accepted, else why it was rejected. Deterministic;
    /// writes only into the process's work folder.
    @discardableResult
    func run(_ data: Data, fixture f: Fixture) -> String? {
        do {
            switch self {
            case .ledger:
                let ledger = try LedgerLoader.load(data: data, file: fileName)
                _ = LedgerChecks.missingFields(ledger)
                _ = try PlanContext(scenario: f.scenario, ledger: ledger, staff: f.staff, calendar: f.calendar)
            case .staff:
                let staff = try StaffLoader.load(data: data, file: fileName)
                _ = try PlanContext(scenario: f.scenario, ledger: f.ledger, staff: staff, calendar: f.calendar)
            case .experts:
                let experts = try StaffLoader.load(data: data, file: fileName, experts: true)
                _ = RosterVerifier.checks(f.roster, plan: f.plan, ctx: f.context, experts: experts)
            case .scenario:
                let s = try ScenarioLoader.load(path: try f.work.write(data, as: fileName))
                // The files it names are the fixture's: a fuzzed path must not read /dev/zero.
                let calendar = try WorkCalendar.resolve(year: s.year, file: nil)
                _ = try PlanContext(scenario: s, ledger: f.ledger, staff: f.staff, calendar: calendar)
            case .variant:
                let v = try ScenarioLoader.variant(path: try f.work.write(data, as: fileName), base: f.scenario)
                let (roll, employment) = WhatIf.staff(f.staff, delta: v.staffDelta, from: v.staffFrom, year: v.scenario.year)
                _ = try PlanContext(scenario: v.scenario, ledger: f.ledger, staff: roll, calendar: f.calendar, employment: employment)
            case .calendar:
                let calendar = try WorkCalendar.resolve(year: f.scenario.year, file: try f.work.write(data, as: fileName))
                _ = calendar.workdaysPerQuarter
                _ = try PlanContext(scenario: f.scenario, ledger: f.ledger, staff: f.staff, calendar: calendar)
            case .executed:
                _ = try ExecutedLoader.load(path: try f.work.write(data, as: fileName), year: f.plan.year,
                                            visitIds: f.visitIds)
            case .plan:
                let path = try f.work.write(data, as: fileName)
                let doc = try PlanDocument.load(path: path)
                _ = PlanVerifier.checks(doc, context: nil).map { $0.rendered(.en) }
                _ = PlanVerifier.checks(doc, context: f.context)
                _ = PlanVerifier.metricDifferences(doc)
                // What `verify` and `replan` run: the stated verdicts, and kept draws against a
                // previous plan (the fixture's, as if this one re-planned it).
                _ = PlanVerifier.verify(doc).checks.map { $0.rendered(.en) }
                _ = PlanVerifier.verify(doc, previous: [(f.plan, "")])
                _ = PlanMatch.problems(plan: doc, planPath: path, scenario: f.scenario, scenarioPath: f.scenarioPath,
                                       ledgerUnits: f.unitIds)
            case .city:
                // The folder a well-formed city.yaml names: the ledger and one town's scenario.
                _ = try f.work.write(Data(), as: "ledger.csv")
                try FileManager.default.createDirectory(atPath: f.work.path + "/town", withIntermediateDirectories: true)
                _ = try f.work.write(Data(FuzzTarget.cityScenario.utf8), as: "town/scenario.yaml")
                let head = try CityFolder.head(path: try f.work.write(data, as: fileName))
                let s = try ScenarioLoader.parse(yaml: FuzzTarget.cityScenario, file: "town/scenario.yaml", folder: f.work.path + "/town",
                                                 city: head.defaults)
                _ = Classifier(scenario: s)
            case .roster:
                let roster = try RosterDocument.load(path: try f.work.write(data, as: fileName))
                _ = RosterVerifier.checks(roster, plan: f.plan, ctx: f.context, experts: f.experts)
                _ = RosterVerifier.checks(roster, plan: nil, ctx: f.context, experts: f.experts).map { $0.rendered(.en) }
            }
            return nil
        } catch {
            // A rejected input: the answer the loaders are meant to give.
            return "\(error)"
        }
    }
}

/// What the targets load once: a small complete scenario (`Tests/Fuzz/fixture`: ledger, staff,
/// experts, its plan and a roster of March), so that a fuzzed file of one kind meets real
/// files of the other kinds.
final class Fixture {
    let scenarioPath: String
    let scenario: Scenario
    let ledger: Ledger
    let staff: [StaffMember]
    let experts: [StaffMember]
    let calendar: WorkCalendar
    let context: PlanContext
    let plan: PlanDocument
    let roster: RosterDocument
    let unitIds: Set<String>
    let visitIds: Set<String>
    let work: WorkFolder

    /// `PLANNER_FUZZ_FIXTURE` or `Tests/Fuzz/fixture` of the checkout this was built from.
    static func defaultFolder() -> String {
        if let env = ProcessInfo.processInfo.environment["PLANNER_FUZZ_FIXTURE"], !env.isEmpty { return env }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("Tests/Fuzz/fixture").path
    }

    init(folder: String, work: WorkFolder) throws {
        scenarioPath = (folder as NSString).appendingPathComponent("scenario.yaml")
        scenario = try ScenarioLoader.load(path: scenarioPath)
        ledger = try LedgerLoader.load(path: scenario.ledgerPath ?? "")
        staff = try StaffLoader.load(path: scenario.staffPath ?? "")
        experts = try StaffLoader.load(path: scenario.expertsPath ?? "", experts: true)
        calendar = try WorkCalendar.resolve(year: scenario.year, file: scenario.calendarPath)
        context = try PlanContext(scenario: scenario, ledger: ledger, staff: staff, calendar: calendar)
        plan = try PlanDocument.load(path: (folder as NSString).appendingPathComponent("plan.json"))
        roster = try RosterDocument.load(path: (folder as NSString).appendingPathComponent("roster.json"))
        unitIds = Set(ledger.units.map { $0.id })
        visitIds = Set(plan.visits.map { $0.id })
        self.work = work
        // A fuzzed scenario or variant sits in the work folder: the files it names there by
        // relative path exist (loaders may check that they do), though they are never read.
        for name in ["ledger.csv", "staff.csv", "experts.csv", "calendar-2027.yaml"] {
            guard let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(name)) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: name])
            }
            _ = try work.write(data, as: name)
        }
    }
}

/// The process's own temporary folder: inputs that loaders read by path are written here,
/// always under the same name per target, and the folder goes when the process exits.
final class WorkFolder {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("planner-fuzz-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Plain write(2): Foundation's `Data.write(to:)` syncs every file to disk, which made
    /// the path-reading targets ten times slower.
    func write(_ data: Data, as name: String) throws -> String {
        let p = (path as NSString).appendingPathComponent(name)
        let fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: p]) }
        defer { close(fd) }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var done = 0
            while done < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + done, buffer.count - done)
                guard n > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: p]) }
                done += n
            }
        }
        return p
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

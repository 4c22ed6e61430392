import Foundation
import Ledger
import Policy

/// Everything a city-wide run (DATA.md §7) plans from, loaded and checked before any plan:
/// the unified ledger read and classified once, each authority's units (TIER-ONE), staff roll
/// and calendar. Any input problem of any file stops the run here, all reported at once.
public struct CityInputs: Sendable {
    public let city: CityFolder
    public let ledger: Ledger
    /// Every ledger unit classified once (class, rules, risk; tier and authority as the city run
    /// assigns them, for the assigned units).
    public let classifications: [Classification]
    public let assignment: CityAssignment
    /// The blank fields that might make a unit key, over the whole ledger.
    public let missingFields: [LedgerChecks.MissingField]
    public let staff: [[StaffMember]]
    public let calendars: [WorkCalendar]
    /// The ledger file's SHA-256 (lowercase hex).
    public let ledgerSha256: String

    public var count: Int { city.authorities.count }
    public func folder(_ k: Int) -> String { city.authorities[k].folder }
    public func scenario(_ k: Int) -> Scenario { assignment.scenarios[k] }

    /// Loads the ledger, classifies it, assigns its units and loads every authority's staff and
    /// calendar (the ledger through `ledgers`). `progress` gets a line per stage.
    public static func load(_ city: CityFolder, ledgers: LedgerReader, progress: (String) -> Void = { _ in }) throws -> CityInputs {
        let ledger = try ledgers.read(city.defaults.ledger, city.defaults.ledgerSeq)
        let sha = PathText.isDatabaseReference(city.defaults.ledger) ? "" : FileManager.default.contents(atPath: city.defaults.ledger).map(FileDigest.sha256) ?? ""
        let future = LedgerChecks.datesAfterYear(ledger, year: city.defaults.year)
        if !future.isEmpty { throw InputError.problems(future) }
        progress("classify")
        let classifications = Classifier(year: city.defaults.year).classify(ledger.units)
        progress("assign")
        let assignment = CityAssignment.make(city, units: ledger.units, classes: classifications.map { $0.unitClass })
        var classified = classifications
        for (k, own) in assignment.own.enumerated() {
            let a = assignment.scenarios[k].authority
            let tier: Tier = switch a.level { case .city: .city; case .district: .district; case .town: .town; case .zone: .zone }
            for i in own { classified[i].tier = tier; classified[i].authority = a.name }
        }
        progress("staff")
        // Staff rolls and calendars, every problem of every authority at once.
        var problems: [InputProblem] = []
        var staff: [[StaffMember]] = [], calendars: [WorkCalendar] = []
        for s in assignment.scenarios {
            do {
                let (roll, calendar) = try PlanContext.staffAndCalendar(scenario: s)
                // Deductions above the gross leave no inspection day: an input problem now, not mid-run.
                _ = try PlanContext.budget(scenario: s, calendar: calendar, certified: roll.filter { $0.certified }, employment: [:])
                staff.append(roll); calendars.append(calendar)
            } catch let e as InputError {
                problems += e.problems
            }
        }
        if !problems.isEmpty { throw InputError.problems(problems) }
        return CityInputs(city: city, ledger: ledger, classifications: classified, assignment: assignment,
                          missingFields: LedgerChecks.missingFields(ledger), staff: staff, calendars: calendars, ledgerSha256: sha)
    }

    /// The ledger of authority `k` alone: its units in ledger order, with their rows.
    public func ledger(_ k: Int) -> Ledger {
        let own = assignment.own[k]
        var l = Ledger(units: own.map { ledger.units[$0] }, extraHeaders: ledger.extraHeaders, source: ledger.source)
        if !ledger.rows.isEmpty { l.rows = own.map { ledger.rows[$0] } }
        l.headers = ledger.headers
        l.encoding = ledger.encoding
        return l
    }

    /// Authority `k`'s plan context: exactly what `planner plan` builds for the scenario alone
    /// (same delegation), on its own units. `scenario` replaces the authority's (dispatch
    /// re-plans with moved person-days).
    public func context(_ k: Int, scenario: Scenario? = nil) throws -> PlanContext {
        let s = scenario ?? self.scenario(k)
        let own = assignment.own[k]
        let area = PlanContext.missingFields(missingFields, authority: s.authority)
        let classified = PlanContext.ClassifiedLedger(scenario: s, classifications: own.map { classifications[$0] }, missingFields: area)
        var ctx = try PlanContext(scenario: s, ledger: ledger(k), staff: staff[k], calendar: calendars[k], classified: classified)
        ctx.ledgerEncoding = ledger.encoding
        ctx.ledgerProvenance = ledger.provenance
        return ctx
    }
}

/// A city-wide plan error that is not the input's: a plan the verifier does not confirm.
public struct CityPlanError: Error, CustomStringConvertible {
    public var authority: String
    public var problems: [String]
    public var description: String {
        "\(authority)的计划未通过核验（程序缺陷，不是输入问题） (the plan of \(authority) does not verify: a bug, not the input): "
            + problems.joined(separator: "; ")
    }
}

/// Plans every authority of a city, `jobs` at a time (GLPK's environment is per thread: each
/// worker solves its own problems), the largest first.
public enum CityPlanning {
    /// One authority's planned and verified result, handed to `each` on the worker's thread.
    public struct Planned: @unchecked Sendable {
        public var index: Int
        public var doc: PlanDocument
        public var context: PlanContext
        public var seconds: Double
    }

    /// Plans authorities `indices` (all when nil) and calls `each` for every plan (on worker
    /// threads, one call at a time per plan). The first error stops the others as soon as they
    /// finish their current plan and is rethrown.
    public static func planAll(_ inputs: CityInputs, indices: [Int]? = nil, jobs: Int, options: PlanOptions = PlanOptions(),
                               scenario: @escaping @Sendable (Int) -> Scenario? = { _ in nil },
                               each: @escaping @Sendable (Planned) throws -> Void) throws {
        let order = (indices ?? Array(0..<inputs.count)).sorted {
            (inputs.assignment.own[$0].count, $1) > (inputs.assignment.own[$1].count, $0)
        }
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        nonisolated(unsafe) var failure: Error? = nil
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, order.count))) { _ in
            while true {
                lock.lock()
                guard failure == nil, next < order.count else { lock.unlock(); return }
                let k = order[next]; next += 1
                lock.unlock()
                do {
                    let start = Date()
                    let ctx = try inputs.context(k, scenario: scenario(k))
                    let doc = try AnnualPlanner.plan(ctx, options: options)
                    let verdict = PlanVerifier.verify(doc, context: ctx)
                    guard verdict.genuine, verdict.scenarioProblems.isEmpty else {
                        throw CityPlanError(authority: ctx.scenario.authority.name,
                                            problems: (verdict.integrityProblems + verdict.scenarioProblems).map { $0.zh })
                    }
                    try each(Planned(index: k, doc: doc, context: ctx, seconds: Date().timeIntervalSince(start)))
                } catch {
                    lock.lock(); if failure == nil { failure = error }; lock.unlock()
                }
            }
        }
        if let failure { throw failure }
    }
}

import Foundation
import Ledger
import Policy

/// Everything the annual plan of one authority is computed from, derived once from the
/// scenario, the ledger, the staff roll and the calendar.
public struct PlanContext: Sendable {
    public let scenario: Scenario
    public let calendar: WorkCalendar
    /// Every unit of the ledger with its classification (in ledger order).
    public let units: [LedgerUnit]
    public let classifications: [Classification]
    /// Indexes (into `units`) of the units this authority inspects.
    public let own: [Int]
    public let budget: WorkdayBudget
    /// Team-days for planned visits per month (1…12; 0 for a month without workdays).
    public let capacity: [Double]
    /// Each month's share of the year's capacity (sums to 1).
    public let monthWeight: [Double]
    /// Officer person-days available per month after unavailability.
    public let availablePersonDays: [Int]
    /// Required full-coverage visits per unit index (key units of this authority).
    public let required: [Int: Int]
    /// Draw weight per unit index (general units of this authority).
    public let drawWeight: [Int: Double]
    public let staff: [StaffMember]
    /// Units of the authority's area that might be key were a blank field filled in.
    public let missingFields: [LedgerChecks.MissingField]
    /// For each of the scenario's campaigns (in its order), the own units it matches, ascending.
    public let campaignUnits: [[Int]]
    /// How the ledger file was written (set by `load`; summaries mention a converted encoding).
    public var ledgerEncoding: SourceEncoding = .utf8
    /// The database and change sequence the ledger was read from (plan.json `ledger`).
    public var ledgerProvenance: LedgerProvenance? = nil

    public var year: Int { scenario.year }
    public var policy: PolicyParameters { scenario.policy }

    public var keyUnits: [Int] { own.filter { classifications[$0].unitClass == .key } }
    public var generalUnits: [Int] { own.filter { classifications[$0].unitClass == .general } }

    /// Industrial general units: the pool of the joint cross-department check (FREQ-JOINT).
    public func isIndustrial(_ i: Int) -> Bool { Category.isIndustrial(units[i].category, units[i].activity) }

    /// Whether a district-level joint check is due (FREQ-JOINT applies to district bureaus).
    public var jointDue: Bool { scenario.authority.level == .district && scenario.joint.visits > 0 }

    /// - Parameter employment: officers on the staff only part of the year (what-if variants:
    ///   joining or leaving on a date); everyone else is on the staff all year.
    ///
    /// The stages, in order: no ledger date after the plan year; classify and find this
    /// authority's units; the blank fields of its area; the workday budget (refused when the
    /// deductions exceed it); the months' capacity; each own unit's required visits or draw weight.
    ///
    /// - Parameter classified: this ledger already checked and classified for a scenario of the
    ///   same year, authority and delegation (what-if variants share it); computed when nil or
    ///   made for another scenario.
    public init(scenario: Scenario, ledger: Ledger, staff: [StaffMember], calendar: WorkCalendar,
                employment: [String: DateSpan] = [:], classified: ClassifiedLedger? = nil) throws {
        let c = classified.flatMap { $0.fits(scenario) ? $0 : nil } ?? ClassifiedLedger(scenario: scenario, ledger: ledger)
        if !c.future.isEmpty { throw InputError.problems(c.future) }
        self.scenario = scenario
        self.calendar = calendar
        self.units = ledger.units
        self.staff = staff
        (classifications, own) = (c.classifications, c.own)
        missingFields = c.missingFields
        campaignUnits = scenario.campaigns.map { [own] in $0.matching(ledger.units, among: own) }

        let certified = staff.filter { $0.certified }
        budget = try Self.budget(scenario: scenario, calendar: calendar, certified: certified, employment: employment)
        (availablePersonDays, monthWeight, capacity) = Self.months(calendar: calendar, certified: certified, employment: employment,
                                                                   budget: budget, reserveShare: scenario.policy.reserveShare,
                                                                   transfers: scenario.transfers)
        (required, drawWeight) = Self.visitsDue(own: own, units: ledger.units, classifications: classifications, scenario: scenario)
    }

    /// What a plan takes from the ledger alone and the scenario's year, authority and delegation:
    /// the dates after the year, every unit classified, the authority's units, the blank fields
    /// of its area. What-if variants (other staff, rates, effort) share one (`WhatIf.sweep`).
    public struct ClassifiedLedger: Sendable {
        let year: Int
        let authority: Authority
        let delegation: Delegation
        let future: [InputProblem]
        let classifications: [Classification]
        let own: [Int]
        let missingFields: [LedgerChecks.MissingField]

        public init(scenario: Scenario, ledger: Ledger) {
            year = scenario.year
            authority = scenario.authority
            delegation = scenario.delegation
            future = LedgerChecks.datesAfterYear(ledger, year: scenario.year)
            if future.isEmpty {
                (classifications, own) = PlanContext.ownUnits(ledger.units, scenario: scenario)
                missingFields = PlanContext.missingFields(ledger, authority: scenario.authority)
            } else {
                (classifications, own, missingFields) = ([], [], [])
            }
        }

        /// A ledger already checked and classified for `scenario`, every unit its own (a city
        /// run's authority, on its own units).
        public init(scenario: Scenario, classifications: [Classification], missingFields: [LedgerChecks.MissingField]) {
            year = scenario.year
            authority = scenario.authority
            delegation = scenario.delegation
            future = []
            self.classifications = classifications
            own = Array(classifications.indices)
            self.missingFields = missingFields
        }

        /// Whether `s` classifies the ledger the same way (same year, authority, delegation).
        func fits(_ s: Scenario) -> Bool { s.year == year && s.authority == authority && s.delegation == delegation }
    }

    /// Every unit classified, and the indexes of those this authority inspects (which carry the
    /// scenario's own name for it as their authority).
    static func ownUnits(_ units: [LedgerUnit], scenario: Scenario) -> (classifications: [Classification], own: [Int]) {
        var classifications = Classifier(scenario: scenario).classify(units)
        let a = scenario.authority
        var own: [Int] = []
        for (i, c) in classifications.enumerated() {
            if claims(a, tier: c.tier, unit: units[i]) {
                own.append(i)
                classifications[i].authority = a.name   // the scenario's own name for itself
            }
        }
        return (classifications, own)
    }

    /// Whether authority `a` inspects a unit of tier `tier` (given by `a`'s own delegation).
    public static func claims(_ a: Authority, tier: Tier, unit u: LedgerUnit) -> Bool {
        switch a.level {
        case .city: return tier == .city
        case .district: return tier == .district && u.district == a.district
        case .town: return tier == .town && u.town == a.town && u.district == (a.district ?? u.district)
        case .zone: return tier == .zone && u.zone == a.zone
        }
    }

    /// The blank fields that might make a unit key, in the authority's district (all of them for
    /// the city or an authority without a district).
    static func missingFields(_ ledger: Ledger, authority a: Authority) -> [LedgerChecks.MissingField] {
        missingFields(LedgerChecks.missingFields(ledger), authority: a)
    }

    /// Those of `list` in the authority's area.
    public static func missingFields(_ list: [LedgerChecks.MissingField], authority a: Authority) -> [LedgerChecks.MissingField] {
        let area = a.district
        return list.filter { m in
            guard a.level != .city, let area else { return true }
            return m.district == area
        }
    }

    /// Each month's workdays (1…12 at 0…11) summed over `officers`, counting the days each is on
    /// the staff (`employment`) and, with `availability`, not unavailable. Linear in officers:
    /// the months' dates are listed once, and officers with no unavailability of their own share
    /// the counts of their employment span (most have none, or the same joining or leaving date).
    static func officerWorkdays(calendar: WorkCalendar, officers: [StaffMember], employment: [String: DateSpan],
                                availability: Bool) -> [Int] {
        let days = (1...12).map { calendar.workdayDates(inMonth: $0) }
        var total = Array(repeating: 0, count: 12)
        var bySpan: [DateSpan?: [Int]] = [:]
        for o in officers {
            let span = employment[o.id]
            if availability && !o.unavailable.isEmpty {
                for m in 0..<12 {
                    for d in days[m] where (span?.contains(d) ?? true) && o.isAvailable(on: d) { total[m] += 1 }
                }
                continue
            }
            let counts: [Int]
            if let known = bySpan[span] { counts = known } else {
                counts = days.map { ds in span.map { s in ds.filter { s.contains($0) }.count } ?? ds.count }
                bySpan[span] = counts
            }
            for m in 0..<12 { total[m] += counts[m] }
        }
        return total
    }

    /// 执法工作日测算: the certified officers' workdays less the deductions; an input problem at
    /// the scenario's `workdays` when the deductions exceed them.
    static func budget(scenario: Scenario, calendar: WorkCalendar, certified: [StaffMember],
                       employment: [String: DateSpan]) throws -> WorkdayBudget {
        let staffWorkdays = employment.isEmpty ? nil
            : officerWorkdays(calendar: calendar, officers: certified, employment: employment, availability: false).reduce(0, +)
        var budget = WorkdayBudget(calendarWorkdays: calendar.totalWorkdays, staff: certified.count, deductions: scenario.workdays,
                                   staffWorkdays: staffWorkdays)
        budget.borrowed = scenario.transfers.borrowedTotal
        budget.lent = scenario.transfers.lentTotal
        if let p = budget.problem {
            let deductions = budget.otherEnforcementTotal + budget.nonEnforcementTotal
            throw InputError.problems([scenario.problem(key: "workdays", value: String(format: "%.1f", deductions), p)])
        }
        return budget
    }

    /// Each month's officer person-days available, its share of the year's, and its team-days
    /// for planned visits: inspection person-days follow the officers' availability
    /// (`WorkdayBudget.teamDays`: two officers a team, less the reserve).
    static func months(calendar: WorkCalendar, certified: [StaffMember], employment: [String: DateSpan], budget: WorkdayBudget,
                       reserveShare: Double, transfers: WorkdayTransfers = WorkdayTransfers()) -> (available: [Int], weight: [Double], capacity: [Double]) {
        let avail = [0] + officerWorkdays(calendar: calendar, officers: certified, employment: employment, availability: true)
        let totalAvail = avail.reduce(0, +)
        var weight = Array(repeating: 0.0, count: 12), cap = Array(repeating: 0.0, count: 12)
        for m in 1...12 where totalAvail > 0 {
            weight[m - 1] = Double(avail[m]) / Double(totalAvail)
            // Dispatched person-days (TIER-DISPATCH) count in the months the orders name.
            let personDays = max(0, budget.own * weight[m - 1] + transfers.net(m))
            cap[m - 1] = WorkdayBudget.teamDays(personDays: personDays, reserveShare: reserveShare)
        }
        return (Array(avail[1...12]), weight, cap)
    }

    /// Required full-coverage visits of the own key units (FREQ-KEY-COVER, more for FREQ-INCREASE)
    /// and draw weights of the own general units (FREQ-DECREASE / FREQ-INCREASE).
    static func visitsDue(own: [Int], units: [LedgerUnit], classifications: [Classification],
                          scenario: Scenario) -> (required: [Int: Int], drawWeight: [Int: Double]) {
        var required: [Int: Int] = [:], drawWeight: [Int: Double] = [:]
        let w = scenario.drawWeights
        for i in own {
            let c = classifications[i], u = units[i]
            if c.unitClass == .key {
                // FREQ-INCREASE: accidents, blacklisting, repeated violations, open major hazard.
                let increase = !c.exempted && c.exemption == nil && c.rules.contains { [.d1, .d2, .d3, .d4].contains($0) }
                required[i] = min(scenario.policy.maxVisitsPerUnit, increase ? max(1, scenario.policy.increasedVisits) : 1)
            } else {
                var f = 1.0
                if u.standardisation != .none { f *= w.standardisation }
                if u.safetyCulture { f *= w.safetyCulture }
                if u.liabilityInsurance { f *= w.liabilityInsurance }
                if u.penalties3y >= 1 { f *= w.penalties }
                if u.lastFatalAccident != nil || u.lastBlacklisted != nil { f *= w.accidentOrBlacklist }
                drawWeight[i] = (f * 1e6).rounded() / 1e6
            }
        }
        return (required, drawWeight)
    }

    /// Loads everything a scenario names: ledger (through `ledgers`), staff, calendar
    /// (all-or-nothing).
    public static func load(scenario: Scenario, ledgers: LedgerReader) throws -> PlanContext {
        guard let lp = scenario.ledgerPath else {
            throw InputError.problem(file: scenario.source ?? "scenario", column: "ledger", "场景未指定台账文件 (the scenario names no ledger)")
        }
        let ledger = try ledgers.read(lp, scenario.ledgerSeq)
        let (staff, calendar) = try staffAndCalendar(scenario: scenario)
        var context = try PlanContext(scenario: scenario, ledger: ledger, staff: staff, calendar: calendar)
        context.ledgerEncoding = ledger.encoding
        context.ledgerProvenance = ledger.provenance
        return context
    }

    /// The staff roll (with at least one certified officer) and the calendar a scenario names.
    public static func staffAndCalendar(scenario: Scenario) throws -> (staff: [StaffMember], calendar: WorkCalendar) {
        guard let sp = scenario.staffPath else {
            throw InputError.problem(file: scenario.source ?? "scenario", column: "staff", "编制计划需要执法人员名录 (a plan needs the staff roll: add `staff: staff.csv`)")
        }
        let staff = try StaffLoader.load(path: sp)
        if !staff.contains(where: { $0.certified }) {
            // No officer, no inspection day: say so about the staff roll, not as deductions
            // exceeding a gross of 0.
            throw InputError.problem(file: sp, row: staff.isEmpty ? 1 : 2, column: "执法证 (certified)", value: staff.isEmpty ? "" : "否",
                "执法人员名录中没有持证执法人员，无法编制计划 (the staff roll has no certified officer: a plan needs at least two)")
        }
        do { return (staff, try WorkCalendar.resolve(year: scenario.year, file: scenario.calendarPath)) }
        catch let e as CalendarError { throw calendarProblem(e, scenario: scenario) }
    }

    /// A calendar error as an input problem: located in the calendar file when it comes from
    /// one, else at the scenario's `year` (no built-in calendar for that year).
    public static func calendarProblem(_ e: CalendarError, scenario: Scenario) -> InputError {
        if let file = e.file { return InputError.problem(file: file, row: e.line, column: e.keyPath, value: e.value, e.message) }
        let key = scenario.calendarPath == nil ? "year" : "calendar"
        return InputError.problems([scenario.problem(key: key, value: e.value ?? String(scenario.year), e.message)])
    }

    /// Priority inside a class: never inspected first, then longest since the last
    /// inspection, then credit code (deterministic).
    public func priorityOrder(_ a: Int, _ b: Int) -> Bool {
        let ua = units[a], ub = units[b]
        switch (ua.lastInspected, ub.lastInspected) {
        case (nil, nil): return ua.id < ub.id
        case (nil, _): return true
        case (_, nil): return false
        case let (x?, y?): return x != y ? x < y : ua.id < ub.id
        }
    }
}

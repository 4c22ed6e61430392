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
    /// How the ledger file was written (set by `load`; summaries mention a converted encoding).
    public var ledgerEncoding: SourceEncoding = .utf8

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
    public init(scenario: Scenario, ledger: Ledger, staff: [StaffMember], calendar: WorkCalendar,
                employment: [String: DateSpan] = [:]) throws {
        let future = LedgerChecks.datesAfterYear(ledger, year: scenario.year)
        if !future.isEmpty { throw InputError.problems(future) }
        self.scenario = scenario
        self.calendar = calendar
        self.units = ledger.units
        self.staff = staff
        let classifier = Classifier(scenario: scenario)
        var classifications = classifier.classify(ledger.units)
        let a = scenario.authority
        var own: [Int] = []
        for (i, c) in classifications.enumerated() {
            let u = ledger.units[i]
            let mine: Bool
            switch a.level {
            case .city: mine = c.tier == .city
            case .district: mine = c.tier == .district && u.district == a.district
            case .town: mine = c.tier == .town && u.town == a.town && u.district == (a.district ?? u.district)
            case .zone: mine = c.tier == .zone && u.zone == a.zone
            }
            if mine {
                own.append(i)
                classifications[i].authority = a.name   // the scenario's own name for itself
            }
        }
        self.classifications = classifications
        self.own = own
        let area = a.district
        missingFields = LedgerChecks.missingFields(ledger).filter { m in
            guard a.level != .city, let area else { return true }
            return m.district == area
        }

        let certified = staff.filter { $0.certified }
        func employed(_ o: StaffMember, _ d: CivilDate) -> Bool { employment[o.id]?.contains(d) ?? true }
        let staffWorkdays = employment.isEmpty ? nil
            : certified.reduce(0) { n, o in n + calendar.workdayDates.filter { employed(o, $0) }.count }
        budget = WorkdayBudget(calendarWorkdays: calendar.totalWorkdays, staff: certified.count, deductions: scenario.workdays,
                               staffWorkdays: staffWorkdays)
        if let p = budget.problem {
            let deductions = budget.otherEnforcementTotal + budget.nonEnforcementTotal
            throw InputError.problems([scenario.problem(key: "workdays", value: String(format: "%.1f", deductions), p)])
        }
        var avail = Array(repeating: 0, count: 13)
        for m in 1...12 {
            for d in calendar.workdayDates(inMonth: m) {
                avail[m] += certified.reduce(0) { $0 + ($1.isAvailable(on: d) && employed($1, d) ? 1 : 0) }
            }
        }
        availablePersonDays = Array(avail[1...12])
        let totalAvail = avail.reduce(0, +)
        var weight = Array(repeating: 0.0, count: 12), cap = Array(repeating: 0.0, count: 12)
        for m in 1...12 where totalAvail > 0 {
            weight[m - 1] = Double(avail[m]) / Double(totalAvail)
            // Inspection person-days follow the officers' availability; two officers make a team.
            cap[m - 1] = max(0, budget.inspection) * weight[m - 1] / 2 * (1 - scenario.policy.reserveShare)
        }
        monthWeight = weight
        capacity = cap

        var required: [Int: Int] = [:], drawWeight: [Int: Double] = [:]
        let w = scenario.drawWeights
        for i in own {
            let c = classifications[i], u = ledger.units[i]
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
        self.required = required
        self.drawWeight = drawWeight
    }

    /// Loads everything a scenario names: ledger, staff, calendar (all-or-nothing).
    public static func load(scenario: Scenario) throws -> PlanContext {
        guard let lp = scenario.ledgerPath else {
            throw InputError.problem(file: scenario.source ?? "scenario", column: "ledger", "场景未指定台账文件 (the scenario names no ledger)")
        }
        guard let sp = scenario.staffPath else {
            throw InputError.problem(file: scenario.source ?? "scenario", column: "staff", "编制计划需要执法人员名录 (a plan needs the staff roll: add `staff: staff.csv`)")
        }
        let ledger = try LedgerLoader.load(path: lp)
        let staff = try StaffLoader.load(path: sp)
        if !staff.contains(where: { $0.certified }) {
            // No officer, no inspection day: say so about the staff roll, not as deductions
            // exceeding a gross of 0.
            throw InputError.problem(file: sp, row: staff.isEmpty ? 1 : 2, column: "执法证 (certified)", value: staff.isEmpty ? "" : "否",
                "执法人员名录中没有持证执法人员，无法编制计划 (the staff roll has no certified officer: a plan needs at least two)")
        }
        let calendar: WorkCalendar
        do { calendar = try WorkCalendar.resolve(year: scenario.year, file: scenario.calendarPath) }
        catch let e as CalendarError { throw calendarProblem(e, scenario: scenario) }
        var context = try PlanContext(scenario: scenario, ledger: ledger, staff: staff, calendar: calendar)
        context.ledgerEncoding = ledger.encoding
        return context
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

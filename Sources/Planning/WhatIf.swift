import Foundation
import Ledger
import Policy

/// One row of a what-if comparison: the plan a variant gets, in the figures planners compare.
public struct VariantResult: Sendable {
    public var name: String
    public var staff: Int
    public var staffDelta: Int
    public var inspectionWorkdays: Double
    public var visits: Int
    public var keyShare: Double
    public var visitsPerWorkday: Double
    public var keyUnits: Int
    public var keyUnitsCovered: Int
    public var generalUnitsDrawn: Int
    public var spareTeamDays: Double
    public var checks: [PlanDocument.RuleCheck]
    /// GLPK's status of the variant's plan (the worse of its two stages): `optimal`,
    /// `within_gap`, `time_limit`…; `not_solved` when the variant has no inspection days.
    public var solverStatus: String
    /// Relative MIP gap GLPK reported when it stopped short of proving optimality (0 when proven).
    public var solverGap: Double = 0
    public var compliant: Bool { checks.allSatisfy { $0.pass } }
    /// Whether GLPK proved the variant's plan optimal. A plan at its time limit or stopped
    /// within the gap tolerance may be compliant, but its figures are not the best the
    /// variant can do: the comparison says so instead of presenting it as the answer.
    public var provenOptimal: Bool { SolverState.isOptimal(solverStatus) }
}

/// What-if sweeps: every variant planned from the same loaded ledger and staff.
public enum WhatIf {
    /// The staff roll with `delta` full-time certified officers added (+) or removed (−), from
    /// `from` (default: the whole year). Removed: the last certified officers of the file.
    /// Returns the roll and the employment spans of those joining or leaving mid-year.
    public static func staff(_ staff: [StaffMember], delta: Int, from: CivilDate?, year: Int) -> ([StaffMember], [String: DateSpan]) {
        var roll = staff
        var employment: [String: DateSpan] = [:]
        let first = CivilDate(year: year, month: 1, day: 1)!, last = CivilDate(year: year, month: 12, day: 31)!
        if delta > 0 {
            for i in 1...delta {
                var m = StaffMember(id: "ADD-\(i)", name: "新增执法人员\(i)", certified: true)
                m.leader = i % 2 == 1
                m.specialties = [.general]
                roll.append(m)
                if let from, from > first { employment[m.id] = DateSpan(first: from, last: last) }
            }
        } else if delta < 0 {
            let leaving = roll.indices.filter { roll[$0].certified }.suffix(-delta)
            if let from, from > first {
                for i in leaving { employment[roll[i].id] = DateSpan(first: first, last: from.adding(days: -1)) }
            } else {
                for i in leaving.reversed() { roll.remove(at: i) }
            }
        }
        return (roll, employment)
    }

    /// Plans one variant.
    ///
    /// - Parameter classified: the ledger classified once for the sweep (used when it fits the
    ///   variant's scenario).
    public static func evaluate(_ v: Variant, ledger: Ledger, staff: [StaffMember], options: PlanOptions = PlanOptions(),
                                classified: PlanContext.ClassifiedLedger? = nil) throws -> VariantResult {
        let s = v.scenario
        let calendar: WorkCalendar
        do { calendar = try WorkCalendar.resolve(year: s.year, file: s.calendarPath) }
        catch let e as CalendarError { throw PlanContext.calendarProblem(e, scenario: s) }
        let (roll, employment) = Self.staff(staff, delta: v.staffDelta, from: v.staffFrom, year: s.year)
        let officers = roll.filter { $0.certified }.count
        let budget = budget(s, calendar: calendar, roll: roll, employment: employment)
        if let problem = budget.problem {
            // No inspection days at all (0, never negative): a row that says so and by how many
            // person-days the deductions exceed the gross, not an aborted sweep.
            return VariantResult(name: v.name, staff: officers, staffDelta: v.staffDelta, inspectionWorkdays: budget.inspection, visits: 0,
                                 keyShare: 0, visitsPerWorkday: 0, keyUnits: 0, keyUnitsCovered: 0, generalUnitsDrawn: 0, spareTeamDays: 0,
                                 checks: [.init(rule: RuleID.basis.rawValue, figure: budget.unclamped, threshold: 0, pass: false,
                                                shortfall: budget.deficit, unit: ShortfallUnit.personDays.rawValue, message: problem,
                                                fix: "减少其他执法或非执法工作日\(personDays(budget.deficit))人·日以上，"
                                                    + (budget.officersToCoverDeductions.map { "或增加\($0)名以上执法人员；" } ?? "")
                                                    + "随人员增减的扣除项请写作 workdays.*_per_officer")],
                                 solverStatus: SolverState.notSolved.rawValue)
        }
        let ctx = try PlanContext(scenario: s, ledger: ledger, staff: roll, calendar: calendar, employment: employment, classified: classified)
        let doc: PlanDocument
        do { doc = try AnnualPlanner.plan(ctx, options: options) } catch let e as PlanningError {
            // GLPK found no plan within the time limit: a row that says so, not an aborted sweep.
            return VariantResult(name: v.name, staff: officers, staffDelta: v.staffDelta, inspectionWorkdays: budget.inspection, visits: 0,
                                 keyShare: 0, visitsPerWorkday: 0, keyUnits: ctx.keyUnits.count, keyUnitsCovered: 0, generalUnitsDrawn: 0,
                                 spareTeamDays: 0,
                                 checks: [.init(rule: RuleID.solver.rawValue, figure: 0, threshold: 0, pass: false, shortfall: 0, unit: "",
                                                message: e.description, fix: "用 --time-limit 延长时限")],
                                 solverStatus: SolverState.noSolution.rawValue)
        }
        let m = doc.metrics
        // Officers on the staff at the end of the year (leavers mid-year not counted).
        let yearEnd = CivilDate(year: s.year, month: 12, day: 31)!
        return VariantResult(name: v.name, staff: roll.filter { $0.certified && (employment[$0.id]?.contains(yearEnd) ?? true) }.count,
                             staffDelta: v.staffDelta, inspectionWorkdays: doc.workdays.inspection, visits: m.visits,
                             keyShare: m.keyShare, visitsPerWorkday: m.visitsPerWorkday, keyUnits: m.keyUnits,
                             keyUnitsCovered: m.keyUnitsCovered, generalUnitsDrawn: m.generalUnitsDrawn,
                             spareTeamDays: round2(m.capacityTeamDays - m.effortTeamDays), checks: doc.checks,
                             solverStatus: doc.solver.status, solverGap: doc.solver.mipGap)
    }

    /// The workday budget of a variant's staff (the same figures PlanContext derives).
    static func budget(_ s: Scenario, calendar: WorkCalendar, roll: [StaffMember], employment: [String: DateSpan]) -> WorkdayBudget {
        let certified = roll.filter { $0.certified }
        let staffWorkdays = employment.isEmpty ? nil
            : PlanContext.officerWorkdays(calendar: calendar, officers: certified, employment: employment, availability: false).reduce(0, +)
        return WorkdayBudget(calendarWorkdays: calendar.totalWorkdays, staff: certified.count, deductions: s.workdays, staffWorkdays: staffWorkdays)
    }

    /// Plans every variant, two at a time on this machine's cores; `progress` is told as each
    /// finishes (in finishing order); results come back in variant order.
    public static func sweep(_ variants: [Variant], ledger: Ledger, staff: [StaffMember], options: PlanOptions = PlanOptions(),
                             progress: @escaping @Sendable (Int, VariantResult) -> Void = { _, _ in }) throws -> [VariantResult] {
        final class Box: @unchecked Sendable {
            var results: [Result<VariantResult, Error>?]
            let lock = NSLock()
            init(_ n: Int) { results = Array(repeating: nil, count: n) }
        }
        let box = Box(variants.count)
        // Variants differ in staff, rates or effort, not in what classifies the ledger: classify once.
        let classified = variants.first.map { PlanContext.ClassifiedLedger(scenario: $0.scenario, ledger: ledger) }
        DispatchQueue.concurrentPerform(iterations: variants.count) { i in
            // A GLPK problem lives and dies on this thread (GLPK keeps its environment per thread).
            let r = Result { try evaluate(variants[i], ledger: ledger, staff: staff, options: options, classified: classified) }
            box.lock.lock(); box.results[i] = r; box.lock.unlock()
            if case .success(let v) = r { progress(i, v) }
        }
        return try box.results.map { try $0!.get() }
    }
}

/// Person-days as reports print them: whole numbers bare, else one decimal.
func personDays(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }

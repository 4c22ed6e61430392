import Foundation
import GLPK
import Ledger
import Policy

/// The answer to "how many inspectors do we need to meet every rule this year?".
public struct StaffingAnswer: Encodable, Sendable {
    /// Full-time certified officers to add (negative: a surplus that could go).
    public var additionalOfficers: Int
    public var officersNow: Int
    /// Inspection workdays (person-days) with that staff.
    public var inspectionWorkdays: Double
    /// The rule that binds at that level: the one a plan with one officer fewer breaks.
    public var binding: String?
    public var bindingMessage: String?
    /// What the integer program answered before the monthly check (rounding to whole visits
    /// per month can move the answer by one).
    public var modelAnswer: Int
    /// Compliance of full plans at the answer and one officer fewer.
    public var compliantAtAnswer: Bool
    public var compliantWithOneFewer: Bool?
    public var levers: Levers
    /// Rules no staffing level can satisfy (e.g. a campaign asking more visits than units).
    public var unsatisfiable: [String]
    /// `bindingMessage` and `unsatisfiable` in both languages, for the reports (the JSON
    /// answer keeps the Chinese texts above).
    public var bindingPhrase: Phrase?
    public var unsatisfiablePhrases: [Phrase] = []
    /// `binding` as a type.
    public var bindingRule: RuleID? { binding.flatMap(RuleID.init(rawValue:)) }
    /// True when a line of `unsatisfiable` says a plan was not proven optimal (SOLVER), not
    /// that a rule cannot be met.
    public var unprovenPlans = false

    public struct Levers: Encodable, Sendable {
        /// The highest sampling rate today's staff can carry (nil: no rate is the obstacle).
        public var generalSampleRateMax: Double?
        public var generalSampleRateNow: Double
        /// Effort per visit (team-days) that would let today's staff meet every rule.
        public var effortScaleMax: Double?
        public var effortKeyNow: Double
        /// Inspection person-days to add by cutting other or non-enforcement deductions
        /// (negative: days that could go back to other work).
        public var deductionsCut: Double?
        /// True when each lever was confirmed by a full plan (today's staff short); false for
        /// the class-level model's headroom estimates (today's staff sufficient).
        public var confirmed = false
        /// Efforts per visit (team-days) that would let today's staff meet every rule, each a
        /// multiple of `effortGrid` (0.05): rounded down so the plan stays compliant.
        public var effortKeyMax: Double? = nil
        public var effortGeneralMax: Double? = nil
        public var effortSpecialMax: Double? = nil
        public var effortGeneralNow: Double = 0
        public var effortSpecialNow: Double = 0
        public var effortGrid: Double = Staffing.effortGrid
    }

    /// Person-days by which today's deductions exceed today's gross (0 when they do not).
    public var deductionsDeficit: Double = 0
    /// Officers to add before there is any inspection day (only when deductionsDeficit > 0).
    public var officersToCoverDeductions: Int? = nil
    /// Every full plan solved for this answer (officers added, or the lever tried), with
    /// GLPK's status: only compliant plans proven optimal confirm a level or a lever.
    public var plans: [PlanRun] = []
    /// The plans GLPK did not prove optimal (time limit, within the gap tolerance).
    public var notProvenOptimal: [String] { plans.filter { !SolverState.isOptimal($0.solverStatus) }.map { "\($0.what) \($0.solverStatus)" } }

    public struct PlanRun: Codable, Sendable {
        public var what: String
        public var compliant: Bool
        public var solverStatus: String
        public var mipGap: Double
    }

    enum CodingKeys: String, CodingKey {
        case additionalOfficers, officersNow, inspectionWorkdays, binding, bindingMessage, modelAnswer, compliantAtAnswer,
             compliantWithOneFewer, levers, unsatisfiable, deductionsDeficit, officersToCoverDeductions, plans, notProvenOptimal
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(additionalOfficers, forKey: .additionalOfficers)
        try c.encode(officersNow, forKey: .officersNow)
        try c.encode(inspectionWorkdays, forKey: .inspectionWorkdays)
        try c.encodeIfPresent(binding, forKey: .binding)
        try c.encodeIfPresent(bindingMessage, forKey: .bindingMessage)
        try c.encode(modelAnswer, forKey: .modelAnswer)
        try c.encode(compliantAtAnswer, forKey: .compliantAtAnswer)
        try c.encodeIfPresent(compliantWithOneFewer, forKey: .compliantWithOneFewer)
        try c.encode(levers, forKey: .levers)
        try c.encode(unsatisfiable, forKey: .unsatisfiable)
        try c.encode(deductionsDeficit, forKey: .deductionsDeficit)
        try c.encodeIfPresent(officersToCoverDeductions, forKey: .officersToCoverDeductions)
        try c.encode(plans, forKey: .plans)
        try c.encode(notProvenOptimal, forKey: .notProvenOptimal)
    }
}

extension PlanDocument.RuleCheck {
    /// "RULE：message" in both languages (the message in Chinese when the check was read from a file).
    var ruleLine: Phrase {
        Phrase("\(rule)：\(rendered(.zh).message)", "\(rule): \(rendered(.en).message)")
    }
    /// "message — fix" in both languages.
    var messageAndFix: Phrase {
        let zh = rendered(.zh), en = rendered(.en)
        return Phrase("\(zh.message)\(zh.fix.map { " — \($0)" } ?? "")", "\(en.message)\(en.fix.map { " — \($0)" } ?? "")")
    }
}

/// Minimum staffing as an optimisation (models/annual-totals.mod in staffing mode: the plan's own
/// rules), confirmed by full plans.
///
/// Every model stays integral: the lever candidates put efforts on `effortGrid` (0.05
/// team-day), and a plan confirms a level or a lever only when GLPK proved it optimal (a plan
/// stopped at the time limit or within the gap tolerance is reported, never counted).
public enum Staffing {
    /// The step of team-days effort levers are rounded down to: with every effort a multiple
    /// of 0.05 the monthly model's capacity rows have small whole coefficients on the 0.05 grid
    /// (and, with equal efforts, an integral LP); rounding down keeps the plan compliant, since
    /// a shorter visit only frees team-days.
    public static let effortGrid = 0.05

    /// An effort put on the grid, downwards (never below one step).
    public static func onGrid(_ effort: Double) -> Double {
        max(effortGrid, ((effort / effortGrid) + 1e-9).rounded(.down) * effortGrid).roundedTo(2)
    }

    public static func analyse(_ ctx: PlanContext, ledger: Ledger, options: PlanOptions = PlanOptions()) throws -> StaffingAnswer {
        try analyse(scenario: ctx.scenario, ledger: ledger, staff: ctx.staff, calendar: ctx.calendar, options: options, context: ctx)
    }

    /// Answers for any staff level, also when today's deductions exceed today's gross
    /// person-days (then at least `officersToCoverDeductions` officers must be added before
    /// there is any inspection day; the answer says how many in all).
    public static func analyse(scenario: Scenario, ledger: Ledger, staff: [StaffMember], calendar: WorkCalendar,
                               options: PlanOptions = PlanOptions(), context: PlanContext? = nil) throws -> StaffingAnswer {
        let today = WorkdayBudget(calendarWorkdays: calendar.totalWorkdays, staff: staff.filter { $0.certified }.count,
                                  deductions: scenario.workdays)
        let levels = Levels(scenario: scenario, ledger: ledger, staff: staff, calendar: calendar, options: options)

        // The class-level model needs a context with some inspection days: today's, or, when
        // the deductions take them all, the least staff that has some (the model itself works
        // from today's figures, whose inspection days may be negative).
        guard let shift = today.officersToCoverDeductions else { return noInspectionDays(scenario, calendar: calendar, today: today) }
        let (baseRoll, _) = WhatIf.staff(staff, delta: shift, from: nil, year: scenario.year)
        // Today's context when it has inspection days (the caller's, if given: classified once).
        let baseCtx = try shift == 0 && today.deficit == 0 && context != nil ? context!
            : PlanContext(scenario: scenario, ledger: ledger, staff: baseRoll, calendar: calendar)
        let model = StaffingModel(inputs: ModelInputs(baseCtx), ctx: baseCtx, today: today, options: options)

        var levers = try leversFor(scenario: scenario, today: today, model: model)
        let r = try model.solve("officers")
        guard r.hasSolution, let add = try Optional(r.value("add")) else {
            return try noLevelWorks(today: today, shift: shift, levers: levers, levels: levels)
        }
        let modelAnswer = Int(add.rounded())
        // Confirm with full plans (monthly rounding can move the answer by one either way); a
        // plan confirms only when it is compliant and proven optimal.
        let start = max(modelAnswer, today.deficit > 0 ? shift : modelAnswer)
        guard let (k, best, fewer) = try confirmedLevel(from: start, levels: levels, officersNow: today.staff) else {
            return try unconfirmed(start, modelAnswer: modelAnswer, today: today, shift: shift, levers: levers, levels: levels)
        }
        // Levers are recommendations only when today's staff is short: then each is confirmed by
        // a full plan. With enough staff they are headroom estimates of the class-level model.
        if k > 0 {
            try confirm(&levers, scenario: scenario, ledger: ledger, staff: staff, calendar: calendar, options: options, notes: &levels.notes)
        }
        levers.confirmed = k > 0
        return answer(k: k, best: best, fewer: fewer, modelAnswer: modelAnswer, today: today, shift: shift, levers: levers, levels: levels)
    }

    /// Today's deductions take every workday of every officer: adding staff adds no inspection day.
    static func noInspectionDays(_ scenario: Scenario, calendar: WorkCalendar, today: WorkdayBudget) -> StaffingAnswer {
        let rule = Phrase(
            "\(RuleID.basis.rawValue)：每名执法人员扣除的工作日(\(personDays(today.perOfficer)))不少于日历工作日(\(calendar.totalWorkdays))，增加人员不增加监督检查工作日",
            "\(RuleID.basis.rawValue): each officer's deductions (\(personDays(today.perOfficer)) days) are not fewer than the calendar's workdays (\(calendar.totalWorkdays)); adding officers adds no inspection workday")
        var a = StaffingAnswer(additionalOfficers: 0, officersNow: today.staff, inspectionWorkdays: 0, binding: RuleID.basis.rawValue,
                               bindingMessage: rule.zh, modelAnswer: 0, compliantAtAnswer: false, compliantWithOneFewer: nil,
                               levers: .init(generalSampleRateMax: nil, generalSampleRateNow: scenario.policy.generalSampleRate,
                                             effortScaleMax: nil, effortKeyNow: scenario.effort.key, deductionsCut: nil),
                               unsatisfiable: [rule.zh], deductionsDeficit: today.deficit, officersToCoverDeductions: nil)
        a.bindingPhrase = rule
        a.unsatisfiablePhrases = [rule]
        return a
    }

    /// No staffing level meets every rule: say which rules fail whatever the staff.
    static func noLevelWorks(today: WorkdayBudget, shift: Int, levers: StaffingAnswer.Levers, levels: Levels) throws -> StaffingAnswer {
        let ample = try levels.plan(adding: max(10, today.staff, shift + 10))
        let failing = ample?.checks.filter { !$0.pass } ?? []
        var a = StaffingAnswer(additionalOfficers: 0, officersNow: today.staff, inspectionWorkdays: today.inspection,
                               binding: failing.first?.rule, bindingMessage: failing.first?.message, modelAnswer: 0,
                               compliantAtAnswer: false, compliantWithOneFewer: nil, levers: levers,
                               unsatisfiable: failing.map { $0.ruleLine.zh },
                               deductionsDeficit: today.deficit, officersToCoverDeductions: today.deficit > 0 ? shift : nil,
                               plans: levels.notes.plans)
        a.bindingPhrase = failing.first.map { Phrase($0.rendered(.zh).message, $0.rendered(.en).message) }
        a.unsatisfiablePhrases = failing.map(\.ruleLine)
        return a
    }

    /// Whether a plan confirms its level: compliant and proven optimal.
    static func confirms(_ d: PlanDocument?) -> Bool { d.map { $0.compliant && SolverState.isOptimal($0.solver.status) } ?? false }

    /// The least level a full plan confirms, searching up (at most two steps) from the model's
    /// answer and then down while one officer fewer still confirms: the level, its plan, and
    /// the plan with one officer fewer (`.none` when there is no such level; `.some(nil)` when
    /// it has no plan). Nil when no level near the answer confirms.
    static func confirmedLevel(from start: Int, levels: Levels, officersNow: Int) throws
        -> (k: Int, best: PlanDocument, fewer: PlanDocument??)? {
        var k = start
        // The model's answer is usually right: plan it and one officer fewer at once.
        try levels.prefetch(k - 1 >= -officersNow ? [k, k - 1] : [k])
        var atK = try levels.plan(adding: k)
        var steps = 0
        while !confirms(atK) && steps < 2 { k += 1; atK = try levels.plan(adding: k); steps += 1 }
        guard let confirmed = atK, confirms(confirmed) else { return nil }
        var best = confirmed
        var fewer: PlanDocument?? = k - 1 >= -officersNow ? .some(try levels.plan(adding: k - 1)) : .none
        while case .some(let f) = fewer, confirms(f), steps < 6 {
            k -= 1; best = f!; steps += 1
            fewer = k - 1 >= -officersNow ? .some(try levels.plan(adding: k - 1)) : .none
        }
        return (k, best, fewer)
    }

    /// The class-level optimum does not survive monthly placement (e.g. a joint check too big
    /// for any month), or GLPK did not prove the plans: name what fails instead of claiming a
    /// staffing level works.
    static func unconfirmed(_ k: Int, modelAnswer: Int, today: WorkdayBudget, shift: Int, levers: StaffingAnswer.Levers,
                            levels: Levels) throws -> StaffingAnswer {
        let p = try levels.plan(adding: k)
        var failing = p?.checks.filter { !$0.pass }.map(\.ruleLine) ?? []
        let unproven = p.map { !SolverState.isOptimal($0.solver.status) } ?? false
        if let p, unproven {
            failing.append(Phrase("\(RuleID.solver.rawValue)：增加\(k)人的计划未被证明最优（\(p.solver.status)）；请用 --time-limit 延长时限",
                                  "\(RuleID.solver.rawValue): the plan with \(k) officers added was not proven optimal (\(p.solver.status)); allow more time with --time-limit"))
        }
        let first = p?.checks.first { !$0.pass }
        var a = StaffingAnswer(additionalOfficers: k, officersNow: today.staff, inspectionWorkdays: p?.workdays.inspection ?? 0,
                               binding: first?.rule, bindingMessage: first?.message,
                               modelAnswer: modelAnswer, compliantAtAnswer: false, compliantWithOneFewer: nil, levers: levers,
                               unsatisfiable: failing.map(\.zh), deductionsDeficit: today.deficit,
                               officersToCoverDeductions: today.deficit > 0 ? shift : nil, plans: levels.notes.plans)
        a.bindingPhrase = first.map { Phrase($0.rendered(.zh).message, $0.rendered(.en).message) }
        a.unsatisfiablePhrases = failing
        a.unprovenPlans = unproven
        return a
    }

    /// The confirmed answer: one officer fewer names the binding rule (its first failing rule;
    /// no inspection days at all: PLAN-BASIS).
    static func answer(k: Int, best: PlanDocument, fewer: PlanDocument??, modelAnswer: Int, today: WorkdayBudget, shift: Int,
                       levers: StaffingAnswer.Levers, levels: Levels) -> StaffingAnswer {
        let fewerPlan = fewer.flatMap { $0 }
        let binding = fewerPlan?.checks.first { !$0.pass }
        let noDays = fewer != nil && fewerPlan == nil && levels.noDays(adding: k - 1)
        var answer = StaffingAnswer(additionalOfficers: k, officersNow: today.staff, inspectionWorkdays: best.workdays.inspection,
                                    binding: noDays ? RuleID.basis.rawValue : binding?.rule,
                                    bindingMessage: noDays ? Self.noDaysWithOneFewer.zh : binding?.messageAndFix.zh,
                                    modelAnswer: modelAnswer, compliantAtAnswer: true, compliantWithOneFewer: fewer == nil ? nil : (fewerPlan?.compliant ?? false),
                                    levers: levers, unsatisfiable: [],
                                    deductionsDeficit: today.deficit, officersToCoverDeductions: today.deficit > 0 ? shift : nil,
                                    plans: levels.notes.plans)
        answer.bindingPhrase = noDays ? Self.noDaysWithOneFewer : binding?.messageAndFix
        // One fewer compliant but not proven optimal: the answer may not be the least.
        if let f = fewerPlan, f.compliant, !SolverState.isOptimal(f.solver.status) { answer.compliantWithOneFewer = nil }
        return answer
    }

    static let noDaysWithOneFewer = Phrase("扣除项超过总法定工作日，没有监督检查工作日",
                                           "the deductions exceed the gross workdays: no inspection workday is left")

    /// Full plans by officers added, each planned once, and the notes of every plan solved.
    final class Levels {
        let scenario: Scenario, ledger: Ledger, staff: [StaffMember], calendar: WorkCalendar, options: PlanOptions
        var notes = Notes()
        /// nil: that staff leaves no inspection days at all (deductions exceed the gross) or GLPK
        /// found no plan in time, which confirm nothing.
        private var solved: [Int: PlanDocument?] = [:]

        init(scenario: Scenario, ledger: Ledger, staff: [StaffMember], calendar: WorkCalendar, options: PlanOptions) {
            self.scenario = scenario; self.ledger = ledger; self.staff = staff; self.calendar = calendar; self.options = options
        }

        /// A full plan with k officers added.
        func plan(adding k: Int) throws -> PlanDocument? {
            try prefetch([k])
            return solved[k]!
        }

        func noDays(adding k: Int) -> Bool {
            let (roll, _) = WhatIf.staff(staff, delta: k, from: nil, year: scenario.year)
            return WhatIf.budget(scenario, calendar: calendar, roll: roll, employment: [:]).problem != nil
        }

        /// Plans the levels not yet planned, two at a time on this machine's cores (each plan
        /// keeps its GLPK problems on its own thread); recorded in the order given.
        func prefetch(_ levels: [Int]) throws {
            let todo = levels.filter { solved[$0] == nil }
            guard !todo.isEmpty else { return }
            final class Box: @unchecked Sendable {
                var results: [Result<PlanDocument?, Error>?]
                let lock = NSLock()
                init(_ n: Int) { results = Array(repeating: nil, count: n) }
            }
            let box = Box(todo.count)
            let (scenario, ledger, staff, calendar, options) = (scenario, ledger, staff, calendar, options)
            let one: @Sendable (Int) throws -> PlanDocument? = { k in
                let (roll, _) = WhatIf.staff(staff, delta: k, from: nil, year: scenario.year)
                if WhatIf.budget(scenario, calendar: calendar, roll: roll, employment: [:]).problem != nil { return nil }
                let c = try PlanContext(scenario: scenario, ledger: ledger, staff: roll, calendar: calendar)
                return try AnnualPlanner.plan(c, options: options)
            }
            DispatchQueue.concurrentPerform(iterations: todo.count) { i in
                let r = Result { try one(todo[i]) }
                box.lock.lock(); box.results[i] = r; box.lock.unlock()
            }
            for (i, k) in todo.enumerated() {
                let what = k >= 0 ? "+\(k)" : "\(k)"
                switch box.results[i]! {
                case .success(let doc):
                    if let doc { notes.record(doc, what: what) }
                    solved[k] = .some(doc)
                case .failure(is PlanningError):
                    // No plan within the time limit: confirms nothing, and is listed.
                    notes.plans.append(.init(what: what, compliant: false, solverStatus: SolverState.noSolution.rawValue, mipGap: 0))
                    solved[k] = .some(nil)
                case .failure(let e):
                    throw e
                }
            }
        }
    }

    /// The plans solved for an answer, in the order solved.
    struct Notes {
        var plans: [StaffingAnswer.PlanRun] = []
        mutating func record(_ d: PlanDocument, what: String) {
            plans.append(.init(what: what, compliant: d.compliant, solverStatus: d.solver.status, mipGap: d.solver.mipGap))
        }
    }

    /// Each lever is a class-level estimate; keep it only if a full plan with it complies and is
    /// proven optimal, stepping a little further (at most three steps) when monthly rounding
    /// needs it. Efforts step down the 0.05 grid.
    static func confirm(_ levers: inout StaffingAnswer.Levers, scenario: Scenario, ledger: Ledger, staff: [StaffMember],
                        calendar: WorkCalendar, options: PlanOptions, notes: inout Notes) throws {
        /// One lever: its candidates in the order tried (at most three steps), each a named edit.
        struct Lever {
            var candidates: [(what: String, edit: (inout Scenario) -> Void)]
            var found: Int? = nil
            var next = 0
            var open: Bool { found == nil && next < candidates.count }
        }
        var list: [Lever] = [Lever(candidates: []), Lever(candidates: []), Lever(candidates: [])]
        if let r = levers.generalSampleRateMax, r < levers.generalSampleRateNow {
            list[0].candidates = (0..<3).map { step in
                let candidate = max(0, r - Double(step) * 0.01)
                return ("sample_rate=\(candidate)", { $0.policy.generalSampleRate = candidate })
            }
        }
        if let key = levers.effortKeyMax, let general = levers.effortGeneralMax, let special = levers.effortSpecialMax {
            list[1].candidates = (0..<3).compactMap { step in
                let down = Double(step) * effortGrid
                let e = ((key - down).roundedTo(2), (general - down).roundedTo(2), (special - down).roundedTo(2))
                guard e.0 > 1e-9, e.1 > 1e-9, e.2 > 1e-9 else { return nil }
                return ("effort=\(e.0)/\(e.1)/\(e.2)", { $0.effort.key = e.0; $0.effort.general = e.1; $0.effort.special = e.2 })
            }
        }
        if let d = levers.deductionsCut, d != 0 {
            list[2].candidates = (0..<3).map { step in
                let candidate = d + Double(step) * 10
                return ("deductions-\(candidate)", { $0.workdays.otherEnforcement.append(WorkdayItem(name: "调整", days: -candidate)) })
            }
        }
        // Round by round, the next candidate of every lever still open, planned at once (two at a
        // time on this machine's cores); a candidate confirms with a compliant plan proven optimal.
        final class Box: @unchecked Sendable {
            var results: [Result<PlanDocument?, Error>?]
            let lock = NSLock()
            init(_ n: Int) { results = Array(repeating: nil, count: n) }
        }
        while list.contains(where: { $0.open }) {
            let round = list.indices.filter { list[$0].open }
            let scenarios = round.map { i -> Scenario in var s = scenario; list[i].candidates[list[i].next].edit(&s); return s }
            let box = Box(round.count)
            let officers = staff.filter { $0.certified }.count
            DispatchQueue.concurrentPerform(iterations: round.count) { j in
                let r = Result { () throws -> PlanDocument? in
                    let s = scenarios[j]
                    if WorkdayBudget(calendarWorkdays: calendar.totalWorkdays, staff: officers, deductions: s.workdays).problem != nil { return nil }
                    return try AnnualPlanner.plan(try PlanContext(scenario: s, ledger: ledger, staff: staff, calendar: calendar), options: options)
                }
                box.lock.lock(); box.results[j] = r; box.lock.unlock()
            }
            for (j, i) in round.enumerated() {
                let what = list[i].candidates[list[i].next].what
                switch box.results[j]! {
                case .success(let doc):
                    if let doc {
                        notes.record(doc, what: what)
                        if doc.compliant && SolverState.isOptimal(doc.solver.status) { list[i].found = list[i].next }
                    }
                case .failure(is PlanningError):
                    notes.plans.append(.init(what: what, compliant: false, solverStatus: SolverState.noSolution.rawValue, mipGap: 0))
                case .failure(let e):
                    throw e
                }
                list[i].next += 1
            }
        }
        if !list[0].candidates.isEmpty {
            levers.generalSampleRateMax = list[0].found.map { max(0, levers.generalSampleRateMax! - Double($0) * 0.01) }
        }
        if !list[1].candidates.isEmpty {
            let down = list[1].found.map { Double($0) * effortGrid }
            levers.effortKeyMax = down.map { (levers.effortKeyMax! - $0).roundedTo(2) }
            levers.effortGeneralMax = down.map { (levers.effortGeneralMax! - $0).roundedTo(2) }
            levers.effortSpecialMax = down.map { (levers.effortSpecialMax! - $0).roundedTo(2) }
            levers.effortScaleMax = levers.effortKeyMax.map { ($0 / levers.effortKeyNow).roundedTo(3) }
        } else if levers.effortKeyMax != nil {
            levers.effortKeyMax = nil; levers.effortGeneralMax = nil; levers.effortSpecialMax = nil; levers.effortScaleMax = nil
        }
        if !list[2].candidates.isEmpty {
            levers.deductionsCut = list[2].found.map { levers.deductionsCut! + Double($0) * 10 }
        }
    }

    /// The levers for today's staff, from the class-level model; efforts on the grid.
    static func leversFor(scenario: Scenario, today: WorkdayBudget, model: StaffingModel) throws -> StaffingAnswer.Levers {
        let e = scenario.effort
        let g = Double(max(1, model.inputs.totals.generalPool))
        var levers = StaffingAnswer.Levers(generalSampleRateMax: nil, generalSampleRateNow: scenario.policy.generalSampleRate,
                                           effortScaleMax: nil, effortKeyNow: e.key, deductionsCut: nil)
        levers.effortGeneralNow = e.general
        levers.effortSpecialNow = e.special
        let draws = try model.solve("draws")
        if draws.hasSolution, let obj = draws.result.objectiveValue {
            levers.generalSampleRateMax = ((-obj / g) * 10_000).rounded(.down) / 10_000
        }
        let effort = try model.solve("effort")
        if effort.hasSolution, let need = effort.result.objectiveValue, need > 0 {
            let available = model.capfactor * today.inspection - model.rounding
            if available > 0 {
                // Every effort scaled by the same factor, then down onto the grid.
                let f = available / need
                let candidate = (onGrid(e.key * f), onGrid(e.general * f), onGrid(e.special * f))
                levers.effortKeyMax = candidate.0
                levers.effortGeneralMax = candidate.1
                levers.effortSpecialMax = candidate.2
                levers.effortScaleMax = (candidate.0 / e.key).roundedTo(3)
            }
        }
        let days = try model.solve("days")
        if days.hasSolution { levers.deductionsCut = (try days.value("add_days") * 10).rounded(.up) / 10 }
        return levers
    }
}

/// models/annual-totals.mod in staffing mode with the data of one authority: the class-level
/// figures of a context with some inspection days (the plan's own rows: unit cap, campaign
/// split, joint month and all), the workday figures of today's staff.
struct StaffingModel {
    let inputs: ModelInputs
    let today: WorkdayBudget
    let capfactor: Double
    let rounding: Double
    let options: PlanOptions

    init(inputs: ModelInputs, ctx: PlanContext, today: WorkdayBudget, options: PlanOptions) {
        self.inputs = inputs
        self.today = today
        self.options = options
        capfactor = WorkdayBudget.teamDays(personDays: 1, reserveShare: ctx.policy.reserveShare)
        rounding = Self.rounding(ctx)
    }

    /// The data section for one staffing question (`officers`, `days`, `draws`, `effort`).
    func data(_ mode: String) -> MathProgData {
        var t = inputs.totals
        t.staffing = StaffingFigures(mode: mode, workdays: today.unclamped, perOfficer: today.perOfficerNet,
                                     capfactor: capfactor, rounding: rounding, officersNow: today.staff)
        return t.data
    }

    /// Team-days the annual model does not see: it takes each month's team-days down to the
    /// hundredth the plan publishes (time left unused carries forward, so whole visits lose
    /// nothing more; models/README.md).
    static func rounding(_ ctx: PlanContext) -> Double {
        (1...12).reduce(0.0) { total, m in
            let cap = ctx.capacity[m - 1]
            guard ctx.calendar.workdays(inMonth: m) > 0, cap > 0 else { return total }
            return total + cap - (cap * 100 + 1e-9).rounded(.down) / 100
        }
    }

    func solve(_ mode: String) throws -> ModelRun {
        let runner = try ModelRunner(timeLimit: options.timeLimit, mipGap: 1e-9)
        return try runner.run("annual-totals.mod", data: data(mode), stageName: "staffing-\(mode)")
    }
}

extension Double {
    func roundedTo(_ places: Int) -> Double {
        let f = pow(10.0, Double(places))
        return (self * f).rounded() / f
    }
}

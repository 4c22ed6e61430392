import Foundation
import GLPK
import Ledger
import Policy

/// The answer to "how many inspectors do we need to meet every rule this year?".
public struct StaffingAnswer: Codable, Sendable {
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

    public struct Levers: Codable, Sendable {
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
    }
}

/// Minimum staffing as an optimisation (models/staffing.mod), confirmed by full plans.
public enum Staffing {
    public static func analyse(_ ctx: PlanContext, ledger: Ledger, options: PlanOptions = PlanOptions()) throws -> StaffingAnswer {
        let inputs = ModelInputs(ctx)
        let officersNow = ctx.staff.filter { $0.certified }.count
        let cal = Double(ctx.calendar.totalWorkdays)
        let capfactor = (1 - ctx.policy.reserveShare) / 2
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("staffing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        func solve(_ mode: String) throws -> SolveResult {
            let t = inputs.totals
            var dat = "data;\nparam mode := '\(mode)';\n"
            dat += "set C :=" + inputs.classes.map { " \($0.name)" }.joined() + ";\n"
            dat += "set P :=" + t.campaigns.indices.map { " p\($0 + 1)" }.joined() + ";\n"
            if !inputs.classes.isEmpty {
                dat += "param: n req :=\n" + t.classes.map { "  \($0.0.name) \($0.count) \($0.0.required)\n" }.joined() + ";\n"
            }
            if !t.campaigns.isEmpty {
                dat += "param: camp_min camp_max :=\n" + t.campaigns.enumerated().map { "  p\($0.offset + 1) \($0.element.min) \($0.element.max)\n" }.joined() + ";\n"
            }
            dat += """
            param maxv := \(t.maxVisits);
            param months := \(t.months.count);
            param eff_key := \(num(t.effort.key));
            param eff_gen := \(num(t.effort.general));
            param eff_spec := \(num(t.effort.special));
            param G := \(t.generalPool);
            param draw_min := \(t.drawMin);
            param joint_min := \(min(t.jointMin, t.jointMax));
            param share_min := \(num(t.shareMin));
            param ratio_min := \(num(t.ratioMin));
            param W0 := \(num(max(0, ctx.budget.inspection)));
            param cal := \(num(cal));
            param capfactor := \(num(capfactor));
            param officers_now := \(officersNow);
            end;

            """
            let path = work.appendingPathComponent("staffing-\(mode).dat").path
            try dat.write(toFile: path, atomically: true, encoding: .utf8)
            var o = SolveOptions(timeLimit: options.timeLimit, relativeMIPGap: 1e-9)
            o.messageLevel = .off
            o.cuts = .all
            return try MathProgModel(modelFile: try ModelLibrary.path("staffing.mod"), dataFiles: [path]).solve(o)
        }

        /// A full plan with k officers added; nil when that staff leaves no inspection days at
        /// all (deductions exceed the gross), which is not compliant either.
        func plan(adding k: Int) throws -> PlanDocument? {
            let (roll, _) = WhatIf.staff(ctx.staff, delta: k, from: nil, year: ctx.year)
            let budget = WorkdayBudget(calendarWorkdays: ctx.calendar.totalWorkdays, staff: roll.filter { $0.certified }.count,
                                       deductions: ctx.scenario.workdays)
            if budget.problem != nil { return nil }
            let c = try PlanContext(scenario: ctx.scenario, ledger: ledger, staff: roll, calendar: ctx.calendar)
            return try AnnualPlanner.plan(c, options: options)
        }

        var levers = try leversFor(ctx: ctx, solve: solve, capfactor: capfactor, inputs: inputs)
        let r = try solve("officers")
        guard r.hasSolution, let add = r.value(named: "add") else {
            // No level works: say which rules fail whatever the staff.
            let ample = try plan(adding: max(10, officersNow))
            let failing = ample?.checks.filter { !$0.pass } ?? []
            return StaffingAnswer(additionalOfficers: 0, officersNow: officersNow, inspectionWorkdays: ctx.budget.inspection,
                                  binding: failing.first?.rule, bindingMessage: failing.first?.message, modelAnswer: 0,
                                  compliantAtAnswer: false, compliantWithOneFewer: nil, levers: levers,
                                  unsatisfiable: failing.map { "\($0.rule)：\($0.message)" })
        }
        let modelAnswer = Int(add.rounded())
        // Confirm with full plans (monthly rounding can move the answer by one either way).
        var k = modelAnswer
        var atK = try plan(adding: k)
        var steps = 0
        while !(atK?.compliant ?? false) && steps < 2 { k += 1; atK = try plan(adding: k); steps += 1 }
        guard let confirmed = atK, confirmed.compliant else {
            // The class-level optimum does not survive monthly placement (e.g. a joint check too
            // big for any month): name what fails instead of claiming a staffing level works.
            let p = try plan(adding: modelAnswer)
            let failing = p?.checks.filter { !$0.pass } ?? []
            return StaffingAnswer(additionalOfficers: modelAnswer, officersNow: officersNow, inspectionWorkdays: p?.workdays.inspection ?? 0,
                                  binding: failing.first?.rule, bindingMessage: failing.first?.message, modelAnswer: modelAnswer,
                                  compliantAtAnswer: false, compliantWithOneFewer: nil, levers: levers,
                                  unsatisfiable: failing.map { "\($0.rule)：\($0.message)" })
        }
        var best = confirmed
        var fewer: PlanDocument?? = k - 1 >= -officersNow ? .some(try plan(adding: k - 1)) : .none
        while case .some(.some(let f)) = fewer, f.compliant, steps < 6 {
            k -= 1; best = f; steps += 1
            fewer = k - 1 >= -officersNow ? .some(try plan(adding: k - 1)) : .none
        }
        // One officer fewer: its first failing rule binds (no inspection days at all: PLAN-BASIS).
        let fewerPlan = fewer.flatMap { $0 }
        let binding = fewerPlan?.checks.first { !$0.pass }
        let noDays = fewer != nil && fewerPlan == nil
        // Levers are recommendations only when today's staff is short: then each is confirmed by
        // a full plan. With enough staff they are headroom estimates of the class-level model.
        if k > 0 { try confirm(&levers, ctx: ctx, ledger: ledger, options: options) }
        levers.confirmed = k > 0
        return StaffingAnswer(additionalOfficers: k, officersNow: officersNow, inspectionWorkdays: best.workdays.inspection,
                              binding: noDays ? "PLAN-BASIS" : binding?.rule,
                              bindingMessage: noDays ? "少一人时扣除项超过总法定工作日，没有监督检查工作日" : binding.map { "\($0.message)\($0.fix.map { " — \($0)" } ?? "")" },
                              modelAnswer: modelAnswer, compliantAtAnswer: true, compliantWithOneFewer: fewer == nil ? nil : (fewerPlan?.compliant ?? false),
                              levers: levers, unsatisfiable: [])
    }

    /// Each lever is a class-level estimate; keep it only if a full plan with it complies,
    /// stepping a little further (at most three steps) when monthly rounding needs it.
    static func confirm(_ levers: inout StaffingAnswer.Levers, ctx: PlanContext, ledger: Ledger, options: PlanOptions) throws {
        func compliant(_ edit: (inout Scenario) -> Void) throws -> Bool {
            var s = ctx.scenario
            edit(&s)
            let b = WorkdayBudget(calendarWorkdays: ctx.calendar.totalWorkdays, staff: ctx.budget.staff, deductions: s.workdays)
            if b.problem != nil { return false }
            return try AnnualPlanner.plan(try PlanContext(scenario: s, ledger: ledger, staff: ctx.staff, calendar: ctx.calendar), options: options).compliant
        }
        if let r = levers.generalSampleRateMax, r < levers.generalSampleRateNow {
            var rate: Double? = nil
            for step in 0..<3 {
                let candidate = max(0, r - Double(step) * 0.01)
                if try compliant({ $0.policy.generalSampleRate = candidate }) { rate = candidate; break }
            }
            levers.generalSampleRateMax = rate
        }
        if let f = levers.effortScaleMax {
            var scale: Double? = nil
            for step in 0..<3 {
                let candidate = f - Double(step) * 0.01
                guard candidate > 0 else { break }
                if try compliant({ $0.effort.key *= candidate; $0.effort.general *= candidate; $0.effort.special *= candidate }) { scale = candidate; break }
            }
            levers.effortScaleMax = scale
        }
        if let d = levers.deductionsCut, d != 0 {
            var cut: Double? = nil
            for step in 0..<3 {
                let candidate = d + Double(step) * 10
                if try compliant({ $0.workdays.otherEnforcement.append(WorkdayItem(name: "调整", days: -candidate)) }) { cut = candidate; break }
            }
            levers.deductionsCut = cut
        }
    }

    static func leversFor(ctx: PlanContext, solve: (String) throws -> SolveResult, capfactor: Double, inputs: ModelInputs) throws -> StaffingAnswer.Levers {
        let g = Double(max(1, inputs.totals.generalPool))
        var levers = StaffingAnswer.Levers(generalSampleRateMax: nil, generalSampleRateNow: ctx.policy.generalSampleRate,
                                           effortScaleMax: nil, effortKeyNow: ctx.scenario.effort.key, deductionsCut: nil)
        let draws = try solve("draws")
        if draws.hasSolution, let obj = draws.objectiveValue {
            levers.generalSampleRateMax = ((-obj / g) * 10_000).rounded(.down) / 10_000
        }
        let effort = try solve("effort")
        if effort.hasSolution, let need = effort.objectiveValue, need > 0 {
            let available = capfactor * max(0, ctx.budget.inspection)
            levers.effortScaleMax = ((available / need) * 1000).rounded(.down) / 1000
        }
        let days = try solve("days")
        if days.hasSolution, let d = days.value(named: "add_days") { levers.deductionsCut = (d * 10).rounded(.up) / 10 }
        return levers
    }
}

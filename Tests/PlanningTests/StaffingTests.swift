import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
import Synthetic

/// Staffing.analyse answers "how many officers to add (or could go)"; every answer here is
/// checked by planning the year with k and with k − 1 officers added, and verifying both plans.
final class StaffingTests: XCTestCase {
    typealias Case = WIF.Analysis

    /// The answer for a district with `extraDeductions` more person-days of deductions; the
    /// demo-like district's answers (and plans) are shared with WhatIfTests (WIF.analysis).
    func analyse(extraDeductions: Double, district: SyntheticDistrict? = nil) throws -> Case {
        guard let district else { return try WIF.analysis(extraDeductions: extraDeductions) }
        let s = WIF.scenario(district, extraDeductions: extraDeductions)
        let ledger = Ledger(units: district.units)
        let ctx = try PlanContext(scenario: s, ledger: ledger, staff: district.staff, calendar: try WIF.calendar())
        return Case(district: district, scenario: s, ledger: ledger, ctx: ctx, answer: try Staffing.analyse(ctx, ledger: ledger, options: WIF.options),
                    extraDeductions: nil)
    }

    /// The plan with `delta` officers added (the demo-like district's: solved once per process).
    func plan(_ c: Case, adding delta: Int) throws -> (PlanDocument, PlanContext) {
        if let extra = c.extraDeductions { return try WIF.demoLikePlan(extraDeductions: extra, delta: delta) }
        let ctx = try WIF.context(c.scenario, units: c.district.units, staff: c.district.staff, delta: delta)
        return (try AnnualPlanner.plan(ctx, options: WIF.options), ctx)
    }

    /// What every answer must satisfy: compliant at k (verified), not at k − 1 (verified), the
    /// binding rule the first one the k − 1 plan breaks, the figures those of the plan at k.
    func assertConfirmedByPlans(_ c: Case, file: StaticString = #filePath, line: UInt = #line) throws {
        let a = c.answer
        let k = a.additionalOfficers
        XCTAssertEqual(a.officersNow, c.district.staff.filter { $0.certified }.count, file: file, line: line)
        XCTAssertEqual(a.unsatisfiable, [], file: file, line: line)
        XCTAssertEqual(a.notProvenOptimal, [], "every plan the answer rests on proven optimal", file: file, line: line)

        let (atK, ctxK) = try plan(c, adding: k)
        wifAssertCompliant(atK, ctxK, "plan with \(k) officers added", file: file, line: line)
        XCTAssertEqual(ctxK.staff.filter { $0.certified }.count, a.officersNow + k, file: file, line: line)
        XCTAssertEqual(a.inspectionWorkdays, atK.workdays.inspection, file: file, line: line)
        XCTAssertEqual(a.inspectionWorkdays, c.ctx.budget.inspection + Double(k * c.ctx.calendar.totalWorkdays), file: file, line: line)
        XCTAssertTrue(a.compliantAtAnswer, file: file, line: line)

        let (fewer, ctxFewer) = try plan(c, adding: k - 1)
        let checks = wifVerify(fewer, ctxFewer, file: file, line: line)
        let firstFailing = checks.first { !$0.pass }
        XCTAssertNotNil(firstFailing, "one officer fewer must break a rule", file: file, line: line)
        XCTAssertFalse(fewer.compliant, file: file, line: line)
        XCTAssertEqual(a.compliantWithOneFewer, false, file: file, line: line)
        XCTAssertEqual(a.binding, firstFailing?.rule, "binding = the first rule the k − 1 plan breaks", file: file, line: line)
        if let f = firstFailing {
            XCTAssertTrue(a.bindingMessage?.hasPrefix(f.message) ?? false, "\(a.bindingMessage ?? "nil") vs \(f.message)", file: file, line: line)
            if let fix = f.fix { XCTAssertTrue(a.bindingMessage?.hasSuffix(fix) ?? false, file: file, line: line) }
        }
        // The integer program's answer is within one of the confirmed one (monthly rounding).
        XCTAssertLessThanOrEqual(abs(a.modelAnswer - k), 1, file: file, line: line)
    }

    /// (a) Short: 500 person-days more deductions leave 80 inspection person-days; officers must be added.
    func testShortDistrictAnswerIsCompliantAndOneFewerIsNot() throws {
        let c = try analyse(extraDeductions: 500)
        XCTAssertGreaterThan(c.answer.additionalOfficers, 0)
        let (today, todayCtx) = try plan(c, adding: 0)
        XCTAssertFalse(wifVerify(today, todayCtx).allSatisfy { $0.pass }, "today's staff is short")
        XCTAssertFalse(today.compliant)
        try assertConfirmedByPlans(c)
        // (c) Short of staff, key units go uncovered first.
        XCTAssertEqual(c.answer.binding, "FREQ-KEY-COVER")
        XCTAssertTrue(c.answer.bindingMessage?.contains("重点检查单位全覆盖") ?? false)
    }

    /// (b) Surplus: 500 person-days fewer deductions; fewer officers still meet every rule.
    func testSurplusDistrictAnswerIsNegativeAndConfirmed() throws {
        let c = try analyse(extraDeductions: -500)
        XCTAssertLessThan(c.answer.additionalOfficers, 0, "a surplus that could go")
        let (today, todayCtx) = try plan(c, adding: 0)
        wifAssertCompliant(today, todayCtx, "today's staff")
        try assertConfirmedByPlans(c)
        // Every level from the answer to today's staff is compliant too (the answer is the least).
        for delta in c.answer.additionalOfficers..<0 {
            let (doc, ctx) = try plan(c, adding: delta)
            wifAssertCompliant(doc, ctx, "delta \(delta)")
        }
    }

    /// The demo-like district as generated: exactly enough staff (k = 0), one fewer is short.
    func testDemoLikeDistrictHasExactlyEnoughStaff() throws {
        let c = try analyse(extraDeductions: 0)
        XCTAssertEqual(c.answer.additionalOfficers, 0)
        XCTAssertEqual(c.answer.modelAnswer, 0)
        try assertConfirmedByPlans(c)
        XCTAssertEqual(c.answer.binding, "FREQ-KEY-COVER")
    }

    /// A smaller generated district (800 units), made short by raising its deductions.
    func testSmallerDistrictShortAnswer() throws {
        let d = WIF.district(units: 800, seed: 3)
        let c = try analyse(extraDeductions: 300, district: d)
        XCTAssertGreaterThan(c.answer.additionalOfficers, 0)
        try assertConfirmedByPlans(c)
    }

    /// The other levers, each checked by planning today's staff with the lever pulled.
    func testDeductionsLeverIsConfirmedByPlans() throws {
        // Short district: cutting the deductions by `deductionsCut` person-days is enough.
        let short = try analyse(extraDeductions: 500)
        let cut = try XCTUnwrap(short.answer.levers.deductionsCut)
        XCTAssertGreaterThan(cut, 0)
        XCTAssertLessThanOrEqual(cut, Double(short.answer.additionalOfficers * 248), "no more days than the officers the answer adds")
        var s = short.scenario
        s.workdays.otherEnforcement.append(WorkdayItem(name: "削减", days: -cut.rounded(.up)))
        let ctxCut = try PlanContext(scenario: s, ledger: short.ledger, staff: short.district.staff, calendar: try WIF.calendar())
        wifAssertCompliant(try AnnualPlanner.plan(ctxCut, options: WIF.options), ctxCut, "deductions cut by \(cut)")
        XCTAssertLessThan(try XCTUnwrap(short.answer.levers.effortScaleMax), 1, "visits would have to be quicker")
        XCTAssertEqual(short.answer.levers.generalSampleRateNow, 0.05)

        // Surplus district: deductionsCut is negative (days that could go back to other work);
        // the staff could carry a higher sampling rate and slower visits. (Pulling these
        // levers all the way does not always give a compliant plan: see the defects below.)
        let surplus = try analyse(extraDeductions: -500)
        XCTAssertLessThan(try XCTUnwrap(surplus.answer.levers.deductionsCut), 0)
        XCTAssertGreaterThan(try XCTUnwrap(surplus.answer.levers.generalSampleRateMax), surplus.answer.levers.generalSampleRateNow)
        XCTAssertGreaterThan(try XCTUnwrap(surplus.answer.levers.effortScaleMax), 1)
    }

    /// The committed demo: 10 certified officers are exactly enough (its README's claim).
    func testCommittedDemoNeedsNoMoreOfficers() throws {
        let s = try ScenarioLoader.load(path: WIF.demoScenarioPath)
        let ctx = try PlanContext.load(scenario: s, ledgers: .files)
        let ledger = try LedgerLoader.load(path: s.ledgerPath!)
        let a = try Staffing.analyse(ctx, ledger: ledger, options: WIF.options)
        XCTAssertEqual(a.notProvenOptimal, [])
        XCTAssertEqual(a.officersNow, 10)
        XCTAssertEqual(a.additionalOfficers, 0)
        XCTAssertEqual(a.binding, "FREQ-KEY-COVER")
        XCTAssertEqual(a.inspectionWorkdays, 580)
        XCTAssertEqual(a.compliantWithOneFewer, false)
        // Nine officers: 2480 − 248 − 1900 = 332 person-days → at most 332 × 0.9 / 2 = 149.4
        // team-days = 298 half-day visits, fewer than the 358 key units.
        let (roll, _) = WhatIf.staff(ctx.staff, delta: -1, from: nil, year: 2027)
        let nine = try PlanContext(scenario: s, ledger: ledger, staff: roll, calendar: ctx.calendar)
        XCTAssertEqual(nine.budget.inspection, 332)
        XCTAssertEqual(ctx.keyUnits.count, 358)
        let doc = try AnnualPlanner.plan(nine, options: WIF.options)
        XCTAssertEqual(wifVerify(doc, nine).first { !$0.pass }?.rule, "FREQ-KEY-COVER")
    }

    // MARK: - Regressions (defects found by this suite, fixed)

    /// Regression (fixed) (Sources/Planning/Staffing.swift, `var fewer: PlanDocument? = k - 1 >= -officersNow ? try plan(adding: k - 1) : nil`,
    /// and `plan(adding:)` → PlanContext.init): when the answer's inspection person-days are
    /// fewer than one officer's calendar workdays (248 in 2027), the plan with one officer fewer
    /// has negative inspection days, PlanContext.init throws InputError("workdays ... deductions
    /// exceed gross"), and Staffing.analyse throws instead of answering — although the answer
    /// (here k = 0, compliant) is well defined. `planner staffing` then exits 1 with "输入有误".
    /// Should: treat a level without inspection days as not compliant (binding PLAN-BASIS), as
    /// WhatIf.evaluate does for its rows.
    func testAnswerWhoseOneFewerHasNoInspectionDays() throws {
        let d = WIF.district(units: 400, seed: 1)          // 4 certified officers
        let ctx0 = try PlanContext(scenario: d.scenario, ledger: Ledger(units: d.units), staff: d.staff, calendar: try WIF.calendar())
        let c = try analyse(extraDeductions: ctx0.budget.inspection - 220, district: d)   // 220 person-days: compliant
        XCTAssertEqual(c.answer.additionalOfficers, 0)
        XCTAssertTrue(c.answer.compliantAtAnswer)
        XCTAssertEqual(c.answer.compliantWithOneFewer, false)
        XCTAssertEqual(c.answer.binding, "PLAN-BASIS")
    }

    /// Regression (fixed) (Sources/Planning/Staffing.swift, the confirmation loop
    /// `while !atK.compliant && steps < 3 { k += 1; ... }`, and StaffingCommand.run in
    /// Sources/PlannerCLI/WhatIfCommand.swift which prints "满足全部规则需 N 人" without looking
    /// at compliantAtAnswer): a 100-unit district (5 officers) with 200 person-days more
    /// deductions (91 inspection person-days). the staffing model (then a separate staffing.mod) answered 0, but the plan at 0 breaks
    /// PLAN-SHARE60 and PLAN-BASIS (the 10-visit joint check must fit in one month, which no
    /// month's 3.7 team-days can hold; and key + campaign visits to the same key units exceed
    /// the two-visit cap — neither was in that model). The loop then adds officers blindly:
    /// each one makes PLAN-RATIO-BUREAU worse (short 141, 332, 522 visits), and the answer is
    /// additionalOfficers = 3 with compliantAtAnswer = false, unsatisfiable = [] — and the CLI
    /// prints that 8 officers meet every rule. Should: when no level near the model's answer
    /// is compliant, report the failing rules as `unsatisfiable` (or say the answer is not
    /// confirmed) instead of an unconfirmed k; the CLI should not claim compliance when
    /// compliantAtAnswer is false.
    func testUnconfirmedAnswerIsNotReportedAsSufficient() throws {
        let c = try analyse(extraDeductions: 200, district: WIF.district(units: 100, seed: 1))
        let (atK, ctxK) = try plan(c, adding: c.answer.additionalOfficers)
        XCTAssertEqual(c.answer.compliantAtAnswer, atK.compliant)
        if !c.answer.compliantAtAnswer {
            XCTAssertFalse(c.answer.unsatisfiable.isEmpty, "an answer no plan confirms must say which rules fail")
        } else {
            wifAssertCompliant(atK, ctxK)
        }
    }

    /// Regression (fixed) (the levers in Sources/Planning/Staffing.swift `leversFor` are answers of the
    /// staffing model never confirmed by a plan, unlike the officer answer; two ways they fail):
    ///
    /// 1. deductionsCut < 0 ("days that could go back to other work"): the surplus district
    ///    (1080 inspection person-days) gets −536.6; with 536 person-days more deductions
    ///    (544 left) the plan fails PLAN-SPECIAL (粉尘涉爆 7 of 9): the staffing model subtracted the
    ///    whole-step `rounding` of today's months (W = 1080), but at W = 544 the months lose
    ///    more (capTotal 241 team-days < the 241.5 the minimum visits need).
    ///
    /// 2. generalSampleRateMax = 0.4753: the plan at that rate fails PLAN-SHARE60 (565/951 =
    ///    59.4%), a planner defect (models/annual-totals.mod: `X{c} <= xmax[c]` and
    ///    `S{p} <= camp_max[p]` draw on the same per-unit room of key units but are not
    ///    coupled; Placement — campaign visits first since 53f8244, then `placeKeyVisits` with
    ///    cap = room − count — silently drops the extra key visits that no longer fit). Stage 1
    ///    decides K[orange_1] = 162 (81 units × 2) for a share of 580/966 = 60.04%; placement
    ///    keeps 147. A compliant plan exists (those 15 extra visits could go to yellow_1 units,
    ///    66 of which have room); 0.4653 passes.
    /// Now: with a surplus the levers are not recommendations, only the class-level model's
    /// headroom estimates, and the answer says so (`confirmed` false); with a shortage each
    /// lever is confirmed by a full plan (testDeductionsLeverIsConfirmedByPlans).
    func testSurplusLeversAreHeadroomEstimatesOnly() throws {
        let surplus = try analyse(extraDeductions: -500)
        XCTAssertLessThan(surplus.answer.additionalOfficers, 0)
        XCTAssertFalse(surplus.answer.levers.confirmed)
        let short = try analyse(extraDeductions: 500)
        XCTAssertGreaterThan(short.answer.additionalOfficers, 0)
        XCTAssertTrue(short.answer.levers.confirmed)
    }

    /// Regression (fixed) (Sources/Planning/AnnualPlanner.swift, `effortGrid`: `Int(($0 * 100).rounded())`,
    /// and ModelInputs' `capTotal`, which with equal efforts assumes a month's team-days fill
    /// exactly in grid steps). An effort that is not a whole number of hundredths (0.4444,
    /// 0.515, 0.534 — the scenario loader accepts any number in 0.01…10) gets a grid that is
    /// not a divisor of it (0.44, 0.52, 0.53); stage 1's capacity then counts team-days the
    /// months cannot fill with whole visits, stage 2 has to go over, and the plan fails
    /// PLAN-BASIS. The committed demo with effort 0.4444 for every kind: 252.42 of 260.99
    /// team-days used, yet January, April, September and October are over (by 0.44 in all).
    /// The effort lever (effortScaleMax = 1.068 for the demo → 0.534) hits this: PLAN-BASIS
    /// fails in six months. Should: use the efforts' exact common step (or reject efforts that
    /// are not multiples of 0.01), and confirm the lever by a plan.
    func testEffortNotInHundredthsStaysWithinMonthlyCapacity() throws {
        let s0 = try ScenarioLoader.load(path: WIF.demoScenarioPath)
        let base = try PlanContext.load(scenario: s0, ledgers: .files)
        var s = s0
        s.effort.key = 0.4444; s.effort.general = 0.4444; s.effort.special = 0.4444
        let ctx = try PlanContext(scenario: s, ledger: Ledger(units: base.units), staff: base.staff, calendar: base.calendar)
        wifAssertCompliant(try AnnualPlanner.plan(ctx, options: WIF.options), ctx, "effort 0.4444")
        // The demo's staff suffices, so its levers are headroom estimates, not confirmed plans.
        let a = try Staffing.analyse(base, ledger: Ledger(units: base.units), options: WIF.options)
        XCTAssertFalse(a.levers.confirmed)
    }

    // MARK: - Issue 8: integral models, any staff level

    /// Efforts are put on the 0.05 grid downwards (never below one step).
    func testOnGridRoundsEffortsDown() {
        XCTAssertEqual(Staffing.effortGrid, 0.05)
        XCTAssertEqual(Staffing.onGrid(0.067), 0.05)
        XCTAssertEqual(Staffing.onGrid(0.5335), 0.5)
        XCTAssertEqual(Staffing.onGrid(0.4665), 0.45)
        XCTAssertEqual(Staffing.onGrid(0.45), 0.45)
        XCTAssertEqual(Staffing.onGrid(0.7), 0.7)
        XCTAssertEqual(Staffing.onGrid(0.01), 0.05, "one step at least")
    }

    /// The effort lever of a short district (its scale, e.g. 0.93, puts 0.5 at 0.465, off any
    /// grid the monthly model closes on) is put on the 0.05 grid, and the plan that confirms it
    /// is compliant (verified) and proven optimal.
    func testEffortLeverIsOnTheGridAndConfirmedByAnOptimalPlan() throws {
        let c = try analyse(extraDeductions: 500)
        let l = c.answer.levers
        XCTAssertTrue(l.confirmed)
        let e = (try XCTUnwrap(l.effortKeyMax), try XCTUnwrap(l.effortGeneralMax), try XCTUnwrap(l.effortSpecialMax))
        for v in [e.0, e.1, e.2] {
            XCTAssertEqual((v / 0.05).rounded() * 0.05, v, accuracy: 1e-9, "\(v) on the 0.05 grid")
            XCTAssertLessThan(v, 0.5, "shorter visits than today's 0.5")
        }
        XCTAssertEqual(l.effortScaleMax ?? 0, e.0 / 0.5, accuracy: 1e-9)
        var s = c.scenario
        s.effort.key = e.0; s.effort.general = e.1; s.effort.special = e.2
        let ctx = try PlanContext(scenario: s, ledger: c.ledger, staff: c.district.staff, calendar: try WIF.calendar())
        let doc = try AnnualPlanner.plan(ctx, options: WIF.options)
        wifAssertCompliant(doc, ctx, "efforts \(e)")
        XCTAssertEqual(doc.solver.status, "optimal")
        XCTAssertTrue(doc.solver.stages.allSatisfy { $0.status == "optimal" })
        // The answer lists the plan it solved for the lever, and every plan it solved was proven.
        XCTAssertTrue(c.answer.plans.contains { $0.what == "effort=\(e.0)/\(e.1)/\(e.2)" && $0.compliant && $0.solverStatus == "optimal" },
                      "\(c.answer.plans)")
        XCTAssertEqual(c.answer.notProvenOptimal, [])
    }

    /// Deductions larger than today's gross: no longer an input error; the answer says how many
    /// officers to add. By hand: the demo-like district is exactly staffed at W inspection
    /// person-days (k = 0, one fewer short: testDemoLikeDistrictHasExactlyEnoughStaff). Add
    /// m × C person-days of deductions (C = the calendar's workdays, m·C > W): totals do not grow
    /// with the staff, so each officer added brings C person-days, m officers give back exactly
    /// W (compliant) and m − 1 give W − C (short): N = m. Before any inspection day is left,
    /// ⌊(m·C − W) / C⌋ + 1 officers are needed.
    func testDeductionsAboveTheGrossAnswerHowManyOfficersToAdd() throws {
        let d = WIF.demoLike()
        let ledger = Ledger(units: d.units)
        let cal = try WIF.calendar()
        let w = try PlanContext(scenario: d.scenario, ledger: ledger, staff: d.staff, calendar: cal).budget.inspection
        let C = Double(cal.totalWorkdays)
        let m = Int((w / C).rounded(.down)) + 2
        let s = WIF.scenario(d, extraDeductions: Double(m) * C)
        // Today: deductions over the gross; a plan is refused, naming the person-days over.
        XCTAssertThrowsError(try PlanContext(scenario: s, ledger: ledger, staff: d.staff, calendar: cal)) { e in
            XCTAssertTrue("\(e)".contains("至少需增加\(Int(((Double(m) * C - w) / C).rounded(.down)) + 1)名"), "\(e)")
        }
        let a = try Staffing.analyse(scenario: s, ledger: ledger, staff: d.staff, calendar: cal, options: WIF.options)
        XCTAssertEqual(a.deductionsDeficit, Double(m) * C - w)
        XCTAssertEqual(a.officersToCoverDeductions, Int(((Double(m) * C - w) / C).rounded(.down)) + 1)
        XCTAssertEqual(a.additionalOfficers, m, "N = m, by hand")
        XCTAssertTrue(a.compliantAtAnswer)
        XCTAssertEqual(a.compliantWithOneFewer, false)
        XCTAssertEqual(a.unsatisfiable, [])
        XCTAssertEqual(a.inspectionWorkdays, w)
        XCTAssertEqual(a.binding, "FREQ-KEY-COVER")
        // Confirmed by the plans at m (compliant) and m − 1 (short), both verified.
        let atM = try WIF.context(s, units: d.units, staff: d.staff, delta: m)
        XCTAssertEqual(atM.budget.inspection, w)
        wifAssertCompliant(try AnnualPlanner.plan(atM, options: WIF.options), atM, "m officers added")
        let fewer = try WIF.context(s, units: d.units, staff: d.staff, delta: m - 1)
        XCTAssertEqual(fewer.budget.inspection, w - C)
        XCTAssertFalse(wifVerify(try AnnualPlanner.plan(fewer, options: WIF.options), fewer).allSatisfy { $0.pass })
        // Levers for today's staff: only cutting deductions can help (by at least the deficit).
        XCTAssertNil(a.levers.generalSampleRateMax)
        XCTAssertNil(a.levers.effortKeyMax)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(a.levers.deductionsCut), a.deductionsDeficit)
    }

    /// Per-officer deductions follow the staff. By hand: the demo-like district's totals T moved
    /// to p = ⌊T / n⌋ per officer (n officers; the remainder T − n·p stays a total) leave today's
    /// W = n·C − T unchanged, so the answer is still 0; three officers added bring 3(C − p), not 3C.
    func testPerOfficerDeductionsMakeEachAddedOfficerBringFewerDays() throws {
        let d = WIF.demoLike()
        let ledger = Ledger(units: d.units)
        let cal = try WIF.calendar()
        let C = Double(cal.totalWorkdays)
        let n = d.staff.filter { $0.certified }.count
        var s = d.scenario
        let totals = s.workdays.otherEnforcementTotal + s.workdays.nonEnforcementTotal
        let p = (totals / Double(n)).rounded(.down)
        s.workdays = WorkdayDeductions()
        s.workdays.nonEnforcementPerOfficer = [WorkdayItem(name: "培训、会议、休假", days: p)]
        s.workdays.otherEnforcement = [WorkdayItem(name: "余数", days: totals - p * Double(n))]
        let ctx = try PlanContext(scenario: s, ledger: ledger, staff: d.staff, calendar: cal)
        XCTAssertEqual(ctx.budget.inspection, Double(n) * C - totals, "today's figure unchanged")
        XCTAssertEqual(ctx.budget.nonEnforcement.map { $0.name }, ["培训、会议、休假（每人\(Int(p))日）"])
        let a = try Staffing.analyse(ctx, ledger: ledger, options: WIF.options)
        XCTAssertEqual(a.additionalOfficers, 0, "exactly staffed, as with totals")
        // Three more officers: W + 3(C − p), not W + 3C.
        let plus3 = try WIF.context(s, units: d.units, staff: d.staff, delta: 3)
        XCTAssertEqual(plus3.budget.inspection, ctx.budget.inspection + 3 * (C - p))
        wifVerify(try AnnualPlanner.plan(plus3, options: WIF.options), plus3)
    }
}

import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
import Synthetic

/// Fixtures shared by WhatIfTests, StaffingTests and ReplanTests (names prefixed `WIF` so they
/// cannot collide with other files of the target).
enum WIF {
    static let year = 2027
    static let pudong = ShanghaiGeography.district(named: "浦东新区")!

    static func calendar() throws -> WorkCalendar { try WorkCalendar.builtin(year: year) }

    /// Options of every plan these tests solve: 10 s per stage (the production default is 60 s).
    /// Each stage closes in well under a second, and every plan is asserted proven optimal
    /// (`wifVerify`), so a limit reached fails the test instead of passing on a worse plan.
    static var options: PlanOptions {
        var o = PlanOptions()
        o.timeLimit = 10
        return o
    }

    /// A generated district in the proportions of the committed demo (`planner generate
    /// --district 浦东新区 --units 1200 --seed 7`): with its own staff it is compliant, one
    /// officer fewer is not (checked in StaffingTests). Generated once per test process.
    static func demoLike() -> SyntheticDistrict {
        WIFShared.shared.value("demo-like") { Generator.district(pudong, units: 1200, seed: 7, year: year) }
    }

    /// The demo-like district with `extraDeductions` more person-days of deductions, and its
    /// staffing answer (`Staffing.analyse`, several full plans). Shared by StaffingTests and
    /// WhatIfTests: made once per test process, on first use.
    struct Analysis {
        let district: SyntheticDistrict
        let scenario: Scenario
        let ledger: Ledger
        let ctx: PlanContext
        let answer: StaffingAnswer
        /// The demo-like district's deductions (nil: another district, whose plans are not shared).
        let extraDeductions: Double?
    }

    static func analysis(extraDeductions: Double) throws -> Analysis {
        try WIFShared.shared.value("demo-like analysis \(extraDeductions)") {
            let d = demoLike()
            let s = scenario(d, extraDeductions: extraDeductions)
            let ledger = Ledger(units: d.units)
            let ctx = try PlanContext(scenario: s, ledger: ledger, staff: d.staff, calendar: try calendar())
            return Analysis(district: d, scenario: s, ledger: ledger, ctx: ctx, answer: try Staffing.analyse(ctx, ledger: ledger, options: options),
                            extraDeductions: extraDeductions)
        }
    }

    /// The plan of the demo-like district with `extraDeductions` more person-days of deductions
    /// and `delta` officers added (as `context(_:units:staff:delta:)` makes the roll), solved
    /// once per test process: StaffingTests confirms answers with the same levels WhatIfTests
    /// compares its sweeps against.
    static func demoLikePlan(extraDeductions: Double, delta: Int) throws -> (PlanDocument, PlanContext) {
        try WIFShared.shared.value("demo-like plan \(extraDeductions) \(delta)") {
            let d = demoLike()
            let ctx = try context(scenario(d, extraDeductions: extraDeductions), units: d.units, staff: d.staff, delta: delta)
            return (try AnnualPlanner.plan(ctx, options: options), ctx)
        }
    }

    /// An 800-unit generated district of 2027 with its own staff (compliant), its context and
    /// its plan: made once per seed and test process (ReplanTests, VerifierTamperTests).
    static func planned800(seed: UInt64) throws -> (SyntheticDistrict, PlanContext, PlanDocument) {
        try WIFShared.shared.value("800 units, seed \(seed), planned") { () throws -> (SyntheticDistrict, PlanContext, PlanDocument) in
            let d = district(units: 800, seed: seed)
            let ctx = try PlanContext(scenario: d.scenario, ledger: Ledger(units: d.units), staff: d.staff, calendar: try calendar())
            return (d, ctx, try AnnualPlanner.plan(ctx, options: options))
        }
    }

    static func district(units: Int, seed: UInt64) -> SyntheticDistrict {
        Generator.district(pudong, units: units, seed: seed, year: year)
    }

    /// The scenario with `days` person-days more (negative: fewer) other-enforcement deductions.
    static func scenario(_ d: SyntheticDistrict, extraDeductions days: Double) -> Scenario {
        var s = d.scenario
        if days != 0 { s.workdays.otherEnforcement.append(WorkdayItem(name: "测试调整", days: days)) }
        return s
    }

    /// A plan context with `delta` full-time certified officers added (+) or removed (−), as
    /// `WhatIf.staff` makes the roll (the same roll Staffing.analyse plans with).
    static func context(_ s: Scenario, units: [LedgerUnit], staff: [StaffMember], delta: Int = 0, from: CivilDate? = nil) throws -> PlanContext {
        let (roll, employment) = WhatIf.staff(staff, delta: delta, from: from, year: s.year)
        return try PlanContext(scenario: s, ledger: Ledger(units: units), staff: roll, calendar: try calendar(), employment: employment)
    }

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var demoScenarioPath: String { root.appendingPathComponent("scenarios/demo/scenario.yaml").path }

    static func tempDir() -> URL {
        let u = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("whatif-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// Officer-days of the calendar on or after `date`.
    static func workdays(from date: CivilDate, _ cal: WorkCalendar) -> Int { cal.workdayDates.filter { $0 >= date }.count }
}

/// Values the Planning tests share within one test process (a generated district, staffing
/// answers, plans): each is made once, on first use, and only read afterwards (all are values).
final class WIFShared: @unchecked Sendable {
    static let shared = WIFShared()
    private let lock = NSLock()
    private var values: [String: Any] = [:]

    func value<T>(_ key: String, _ make: () throws -> T) rethrows -> T {
        lock.lock()
        if let v = values[key] as? T { lock.unlock(); return v }
        lock.unlock()
        let v = try make()
        lock.lock(); values[key] = v; lock.unlock()
        return v
    }
}

extension XCTestCase {
    /// The independent verifier's verdicts (given the context, so classification, tiers and
    /// campaign matches are re-derived from the ledger). Asserts they agree with the verdicts
    /// the plan carries, that the stated metrics are the visits' own, and that GLPK proved every
    /// stage optimal (a verdict on a plan stopped at its time limit would say nothing).
    @discardableResult
    func wifVerify(_ doc: PlanDocument, _ ctx: PlanContext, file: StaticString = #filePath, line: UInt = #line) -> [PlanDocument.RuleCheck] {
        XCTAssertEqual(doc.solver.status, "optimal", "proven optimal", file: file, line: line)
        XCTAssertEqual(doc.solver.stages.map { $0.status }, ["optimal", "optimal", "optimal"], file: file, line: line)
        let checks = PlanVerifier.checks(doc, context: ctx)
        XCTAssertEqual(checks.map { "\($0.rule) \($0.pass)" }, doc.checks.map { "\($0.rule) \($0.pass)" },
                       "the plan's own verdicts and the verifier's differ", file: file, line: line)
        XCTAssertEqual(PlanVerifier.metricDifferences(doc), [], file: file, line: line)
        return checks
    }

    /// Verifies `doc` and asserts every rule passes.
    func wifAssertCompliant(_ doc: PlanDocument, _ ctx: PlanContext, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) {
        let failing = wifVerify(doc, ctx, file: file, line: line).filter { !$0.pass }
        XCTAssertEqual(failing.map { $0.rule }, [], "\(what): " + failing.map { "\($0.rule) \($0.message)" }.joined(separator: " | "), file: file, line: line)
        XCTAssertTrue(doc.compliant, what, file: file, line: line)
    }
}

final class WhatIfTests: XCTestCase {
    // MARK: - The staff roll of a variant

    func testStaffAddsFullTimeCertifiedOfficers() throws {
        let staff = WIF.demoLike().staff
        let certified = staff.filter { $0.certified }.count
        let (roll, employment) = WhatIf.staff(staff, delta: 3, from: nil, year: 2027)
        XCTAssertEqual(roll.count, staff.count + 3)
        XCTAssertEqual(Array(roll.prefix(staff.count)), staff, "the existing roll is kept as it is")
        XCTAssertEqual(roll.suffix(3).map { $0.id }, ["ADD-1", "ADD-2", "ADD-3"])
        XCTAssertTrue(roll.suffix(3).allSatisfy { $0.certified && $0.unavailable.isEmpty })
        XCTAssertEqual(roll.suffix(3).map { $0.leader }, [true, false, true])
        XCTAssertEqual(roll.filter { $0.certified }.count, certified + 3)
        XCTAssertTrue(employment.isEmpty, "added for the whole year")

        // Joining on 1 July: on the roll, employed from that day to the year's end.
        let july = CivilDate(year: 2027, month: 7, day: 1)!
        let (roll2, employment2) = WhatIf.staff(staff, delta: 2, from: july, year: 2027)
        XCTAssertEqual(roll2.count, staff.count + 2)
        XCTAssertEqual(employment2, ["ADD-1": DateSpan(first: july, last: CivilDate(year: 2027, month: 12, day: 31)!)!,
                                     "ADD-2": DateSpan(first: july, last: CivilDate(year: 2027, month: 12, day: 31)!)!])
        // From 1 January is the whole year.
        XCTAssertTrue(WhatIf.staff(staff, delta: 2, from: CivilDate(year: 2027, month: 1, day: 1)!, year: 2027).1.isEmpty)
    }

    func testStaffRemovesTheLastCertifiedOfficers() throws {
        var staff = WIF.demoLike().staff
        staff.append(StaffMember(id: "U-1", name: "辅助人员", certified: false))   // never removed, never counted
        let certifiedIds = staff.filter { $0.certified }.map { $0.id }
        let (roll, employment) = WhatIf.staff(staff, delta: -3, from: nil, year: 2027)
        XCTAssertEqual(roll.map { $0.id }, staff.map { $0.id }.filter { !certifiedIds.suffix(3).contains($0) })
        XCTAssertTrue(roll.contains { $0.id == "U-1" })
        XCTAssertTrue(employment.isEmpty)

        // Leaving on 1 July: still on the roll, employed until 30 June.
        let july = CivilDate(year: 2027, month: 7, day: 1)!
        let (roll2, employment2) = WhatIf.staff(staff, delta: -3, from: july, year: 2027)
        XCTAssertEqual(roll2, staff)
        XCTAssertEqual(Set(employment2.keys), Set(certifiedIds.suffix(3)))
        for span in employment2.values {
            XCTAssertEqual(span, DateSpan(first: CivilDate(year: 2027, month: 1, day: 1)!, last: CivilDate(year: 2027, month: 6, day: 30)!)!)
        }
        // The context counts their days until June only: 3 × the workdays from July fewer.
        let d = WIF.demoLike()
        let cal = try WIF.calendar()
        let whole = try WIF.context(d.scenario, units: d.units, staff: staff)
        let leaving = try WIF.context(d.scenario, units: d.units, staff: staff, delta: -3, from: july)
        XCTAssertEqual(leaving.budget.inspection, whole.budget.inspection - Double(3 * WIF.workdays(from: july, cal)))
        XCTAssertEqual(leaving.availablePersonDays.prefix(6), whole.availablePersonDays.prefix(6), "January to June unchanged")
        XCTAssertTrue(zip(leaving.availablePersonDays.suffix(6), whole.availablePersonDays.suffix(6)).allSatisfy { $0 < $1 })
    }

    // MARK: - Sweeps

    /// A staff sweep from k−3 to k+2 around the staffing answer k of a short district: the
    /// verdict flips exactly at k, and every row is the verdict of a full plan at that level.
    func testSweepVerdictsFlipExactlyAtTheStaffingAnswer() throws {
        let a = try WIF.analysis(extraDeductions: 500)
        let (d, s, ledger, ctx) = (a.district, a.scenario, a.ledger, a.ctx)
        let k = a.answer.additionalOfficers
        XCTAssertGreaterThan(k, 0, "the district is short of staff")

        let deltas = Array((k - 3)...(k + 2))
        let variants = deltas.map { Variant(name: "人员\($0)", scenario: s, staffDelta: $0) }
        let seen = WIFSeenIndexes()
        let results = try WhatIf.sweep(variants, ledger: ledger, staff: d.staff, options: WIF.options) { i, _ in seen.add(i) }
        XCTAssertEqual(results.map { $0.name }, variants.map { $0.name }, "results in variant order")
        XCTAssertEqual(seen.sorted, Array(deltas.indices), "progress told once per variant")
        XCTAssertEqual(results.map { $0.compliant }, deltas.map { $0 >= k }, "verdicts: " + results.map { "\($0.staffDelta):\($0.compliant)" }.joined(separator: " "))

        // k−3 leaves no inspection days at all (this district: k = 2, 80 person-days now): the
        // row shows 0, never a negative number, and the person-days the deductions are over.
        let cal = Double(ctx.calendar.totalWorkdays)
        XCTAssertLessThan(ctx.budget.inspection + Double(deltas[0]) * cal, 0)
        XCTAssertEqual(results[0].inspectionWorkdays, 0)
        let certified = d.staff.filter { $0.certified }.count
        for (delta, r) in zip(deltas, results) {
            XCTAssertEqual(r.staffDelta, delta)
            XCTAssertEqual(r.staff, certified + delta)
            let unclamped = ctx.budget.inspection + Double(delta) * cal
            XCTAssertEqual(r.inspectionWorkdays, max(0, unclamped), "\(delta)")
            XCTAssertGreaterThanOrEqual(r.inspectionWorkdays, 0)
            if unclamped < 0 {
                // No inspection days at all: a row that says so, not an aborted sweep.
                XCTAssertEqual(r.solverStatus, "not_solved")
                XCTAssertEqual(r.checks.map { $0.rule }, ["PLAN-BASIS"])
                XCTAssertEqual(r.checks[0].shortfall, -unclamped, "the person-days the deductions exceed the gross")
                XCTAssertFalse(r.compliant)
                continue
            }
            // The same verdicts as a full plan at that level, verified independently (the plans
            // StaffingTests confirms the answer with).
            let (doc, c) = try WIF.demoLikePlan(extraDeductions: 500, delta: delta)
            let checks = wifVerify(doc, c)
            XCTAssertEqual(r.checks, doc.checks, "delta \(delta)")
            XCTAssertEqual(checks.allSatisfy { $0.pass }, delta >= k, "delta \(delta)")
            XCTAssertEqual(r.solverStatus, "optimal")
            XCTAssertEqual(r.visits, doc.metrics.visits)
            XCTAssertEqual(r.keyUnitsCovered, doc.metrics.keyUnitsCovered)
            XCTAssertEqual(r.spareTeamDays, ((doc.metrics.capacityTeamDays - doc.metrics.effortTeamDays) * 100).rounded() / 100, accuracy: 1e-9)
            if delta < k {
                XCTAssertEqual(r.checks.first { !$0.pass }?.rule, "FREQ-KEY-COVER", "short of staff: key units go uncovered first")
                XCTAssertLessThan(r.keyUnitsCovered, r.keyUnits)
            }
        }
    }

    /// More officers are not always better: each one raises the visits PLAN-RATIO demands, so
    /// the key share falls as staff grows. In a district with a surplus the verdicts flip
    /// exactly at the staffing answer k (k − 1 fails), stay PASS up to k + 3, and the key share
    /// falls towards the 60% floor (PLAN-SHARE60 binds at k + 3: 0.6005).
    func testSurplusVerdictsFlipAtTheAnswerAndTheKeyShareFalls() throws {
        let a = try WIF.analysis(extraDeductions: -500)
        let (d, s, ledger) = (a.district, a.scenario, a.ledger)
        let k = a.answer.additionalOfficers
        XCTAssertLessThan(k, 0, "a surplus")
        let deltas = Array((k - 1)...(k + 3))
        let results = try WhatIf.sweep(deltas.map { Variant(name: "\($0)", scenario: s, staffDelta: $0) }, ledger: ledger, staff: d.staff, options: WIF.options)
        XCTAssertEqual(results.map { $0.compliant }, deltas.map { $0 >= k },
                       results.map { "\($0.staffDelta): " + $0.checks.filter { !$0.pass }.map { $0.rule }.joined(separator: ",") }.joined(separator: " | "))
        let shares = results.dropFirst().map { $0.keyShare }
        XCTAssertEqual(shares, shares.sorted(by: >), "more officers, more visits the key units cannot carry")
        let most = results.last!
        XCTAssertGreaterThanOrEqual(most.keyShare, 0.6)
        XCTAssertLessThan(most.keyShare, 0.61, "the share is at its floor")
        // Every row is the verdict of the verified plan at that level.
        for (delta, r) in zip(deltas, results) {
            let (doc, c) = try WIF.demoLikePlan(extraDeductions: -500, delta: delta)
            XCTAssertEqual(wifVerify(doc, c), r.checks, "delta \(delta)")
            XCTAssertEqual(r.solverStatus, "optimal")
        }
        let (most3, c3) = try WIF.demoLikePlan(extraDeductions: -500, delta: k + 3)
        XCTAssertTrue(wifVerify(most3, c3).allSatisfy { $0.pass })
    }

    // MARK: - Deductions per officer (issue 8)

    /// With fewer officers, deductions stated per officer shrink with the staff, and inspection
    /// workdays stay positive; the same deductions stated as totals leave no inspection days and
    /// the row shows 0 (never negative) with the person-days over. By hand: per officer p, rest R
    /// as a total: (n + δ)(C − p) − R; totals T: max(0, (n + δ)C − T).
    func testPerOfficerDeductionsScaleWithTheStaffInWhatIf() throws {
        let d = WIF.demoLike()
        let ledger = Ledger(units: d.units)
        let cal = try WIF.calendar()
        let C = Double(cal.totalWorkdays)
        let n = d.staff.filter { $0.certified }.count
        let totals = d.scenario.workdays.otherEnforcementTotal + d.scenario.workdays.nonEnforcementTotal
        let p = (totals / Double(n)).rounded(.down)
        let rest = totals - p * Double(n)
        var perOfficer = d.scenario
        perOfficer.workdays = WorkdayDeductions()
        perOfficer.workdays.nonEnforcementPerOfficer = [WorkdayItem(name: "培训", days: p)]
        perOfficer.workdays.otherEnforcement = [WorkdayItem(name: nil, days: rest)]
        let deltas = [-(n / 2), -2, 0, 2]
        XCTAssertLessThan(Double(n - n / 2) * C - totals, 0, "half the staff cannot carry the totals")
        let variants = deltas.map { Variant(name: "per \($0)", scenario: perOfficer, staffDelta: $0) }
            + deltas.map { Variant(name: "total \($0)", scenario: d.scenario, staffDelta: $0) }
        let results = try WhatIf.sweep(variants, ledger: ledger, staff: d.staff, options: WIF.options)
        for (i, delta) in deltas.enumerated() {
            let per = results[i], tot = results[deltas.count + i]
            XCTAssertEqual(per.inspectionWorkdays, Double(n + delta) * (C - p) - rest, accuracy: 1e-9, "per officer, \(delta)")
            XCTAssertGreaterThan(per.inspectionWorkdays, 0)
            XCTAssertEqual(tot.inspectionWorkdays, max(0, Double(n + delta) * C - totals), accuracy: 1e-9, "totals, \(delta)")
            XCTAssertGreaterThanOrEqual(tot.inspectionWorkdays, 0)
            // Every solved variant is the verified plan at that level.
            let c = try WIF.context(perOfficer, units: d.units, staff: d.staff, delta: delta)
            XCTAssertEqual(c.budget.inspection, per.inspectionWorkdays)
            XCTAssertEqual(wifVerify(try AnnualPlanner.plan(c, options: WIF.options), c), per.checks, "per officer, \(delta)")
            XCTAssertEqual(per.solverStatus, "optimal")
        }
        let half = results[deltas.count]
        XCTAssertEqual(half.solverStatus, "not_solved")
        XCTAssertEqual(half.checks.map { $0.rule }, ["PLAN-BASIS"])
        XCTAssertEqual(half.checks[0].shortfall, totals - Double(n - n / 2) * C, "person-days over the gross")
        XCTAssertTrue(half.checks[0].fix?.contains("per_officer") ?? false, half.checks[0].fix ?? "")

        // Three officers leaving on 1 July: their per-officer days count for the half year they stay.
        let july = CivilDate(year: 2027, month: 7, day: 1)!
        let leaving = try WhatIf.sweep([Variant(name: "leave", scenario: perOfficer, staffDelta: -3, staffFrom: july)], ledger: ledger, staff: d.staff,
                                       options: WIF.options)[0]
        let officerDays = Double(n) * C - Double(3 * WIF.workdays(from: july, cal))
        XCTAssertEqual(leaving.inspectionWorkdays, officerDays - ((p * officerDays / C) * 10).rounded() / 10 - rest, accuracy: 1e-9)
        let c = try WIF.context(perOfficer, units: d.units, staff: d.staff, delta: -3, from: july)
        XCTAssertEqual(c.budget.inspection, leaving.inspectionWorkdays)
        XCTAssertEqual(wifVerify(try AnnualPlanner.plan(c, options: WIF.options), c), leaving.checks)
    }

    // MARK: - Variant files

    func testVariantFileLosesThreeOfficersFromJulyAndLowersTheSampleRate() throws {
        let dir = WIF.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("减员.yaml").path
        try "name: 7月起减少3名执法人员\nstaff_delta: -3\nstaff_from: 2027-07-01\npolicy: { general_sample_rate: 0.03 }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let base = try ScenarioLoader.load(path: WIF.demoScenarioPath)
        let v = try ScenarioLoader.variant(path: path, base: base)
        XCTAssertEqual(v.name, "7月起减少3名执法人员")
        XCTAssertEqual(v.staffDelta, -3)
        XCTAssertEqual(v.staffFrom, CivilDate(year: 2027, month: 7, day: 1))
        XCTAssertEqual(v.scenario.policy.generalSampleRate, 0.03)
        // Everything the variant does not restate is the base's.
        XCTAssertEqual(v.scenario.workdays, base.workdays)
        XCTAssertEqual(v.scenario.campaigns, base.campaigns)
        XCTAssertEqual(v.scenario.ledgerPath, base.ledgerPath)
        XCTAssertEqual(v.scenario.seed, base.seed)
        XCTAssertEqual(v.scenario.policy.keyShareMin, base.policy.keyShareMin)
        XCTAssertEqual(v.scenario.effort, base.effort)

        let ledger = try LedgerLoader.load(path: base.ledgerPath!)
        let staff = try StaffLoader.load(path: base.staffPath!)
        let results = try WhatIf.sweep([Variant(name: "现有人员", scenario: base), v], ledger: ledger, staff: staff, options: WIF.options)
        let (b, r) = (results[0], results[1])
        XCTAssertTrue(b.compliant)
        let cal = try WIF.calendar()
        let lost = Double(3 * WIF.workdays(from: v.staffFrom!, cal))
        XCTAssertLessThan(r.inspectionWorkdays, b.inspectionWorkdays)
        XCTAssertEqual(r.inspectionWorkdays, b.inspectionWorkdays - lost, "three officers' workdays from July")
        // The sample rate applied: 3% of the general units must be drawn, not 5%.
        let general = b.checks.first { $0.rule == "FREQ-GENERAL-RANDOM" }!
        let generalVariant = r.checks.first { $0.rule == "FREQ-GENERAL-RANDOM" }!
        let generalUnits = try PlanContext.load(scenario: base, ledgers: .files).generalUnits.count
        XCTAssertEqual(general.threshold, (0.05 * Double(generalUnits)).rounded(.up))
        XCTAssertEqual(generalVariant.threshold, (0.03 * Double(generalUnits)).rounded(.up))
        XCTAssertLessThan(r.visits, b.visits)
        XCTAssertFalse(r.compliant, "losing three of ten officers for half the year leaves key units uncovered")
        XCTAssertEqual(r.checks.first { !$0.pass }?.rule, "FREQ-KEY-COVER")

        // The variant's plan, built and verified directly with the same roll and employment.
        let (roll, employment) = WhatIf.staff(staff, delta: -3, from: v.staffFrom, year: 2027)
        let ctx = try PlanContext(scenario: v.scenario, ledger: ledger, staff: roll, calendar: cal, employment: employment)
        XCTAssertEqual(ctx.budget.inspection, r.inspectionWorkdays)
        let doc = try AnnualPlanner.plan(ctx, options: WIF.options)
        XCTAssertEqual(wifVerify(doc, ctx), r.checks)
        XCTAssertEqual(doc.policy.generalSampleRate, 0.03)
        // The capacity lost falls in July to December.
        let basePlanCapacity = try PlanContext.load(scenario: base, ledgers: .files).capacity
        XCTAssertEqual(ctx.capacity.suffix(6).reduce(0, +) / ctx.capacity.reduce(0, +),
                       Double(ctx.availablePersonDays.suffix(6).reduce(0, +)) / Double(ctx.availablePersonDays.reduce(0, +)), accuracy: 1e-9)
        XCTAssertTrue(zip(ctx.capacity.suffix(6), basePlanCapacity.suffix(6)).allSatisfy { $0 < $1 })
    }

    func testBadVariantFilesNameFileLineAndKey() throws {
        let dir = WIF.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = try ScenarioLoader.load(path: WIF.demoScenarioPath)
        func problems(_ yaml: String, _ name: String) throws -> [InputProblem] {
            let path = dir.appendingPathComponent(name).path
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try ScenarioLoader.variant(path: path, base: base)
                XCTFail("\(name) was accepted")
                return []
            } catch let e as InputError {
                XCTAssertTrue(e.problems.allSatisfy { $0.file == path }, "\(e)")
                XCTAssertTrue(e.description.contains(path), e.description)
                return e.problems
            }
        }
        // An unknown key (a misspelt staff_delta must not silently mean "no change").
        let unknown = try problems("name: 减员\nstaff_delt: -3\nstaff_from: 2027-07-01\n", "unknown.yaml")
        XCTAssertEqual(unknown.map { $0.column }, ["staff_delt"])
        XCTAssertEqual(unknown.first?.row, 2)
        XCTAssertEqual(unknown.first?.value, "staff_delt")
        XCTAssertTrue(unknown.first?.message.contains("staff_delta") ?? false, "lists the keys that exist")
        XCTAssertTrue(unknown.first.map { "\($0)" }?.contains("第2行") ?? false)

        // An unknown key inside a section: its key path.
        let nested = try problems("name: 抽查\npolicy:\n  general_sample_rat: 0.03\n", "nested.yaml")
        XCTAssertEqual(nested.map { $0.column }, ["policy.general_sample_rat"])
        XCTAssertEqual(nested.first?.row, 3)

        // A scenario key a variant may not restate (the ledger is the same for every variant).
        let ledger = try problems("name: 换台账\nledger: other.csv\n", "ledger.yaml")
        XCTAssertEqual(ledger.map { $0.column }, ["ledger"])
        XCTAssertEqual(ledger.first?.row, 2)

        // staff_from outside the plan year, and not a date at all.
        let outside = try problems("name: 减员\nstaff_delta: -3\nstaff_from: 2026-07-01\n", "outside.yaml")
        XCTAssertEqual(outside.map { $0.column }, ["staff_from"])
        XCTAssertEqual(outside.first?.row, 3)
        XCTAssertEqual(outside.first?.value, "2026-07-01")
        XCTAssertTrue(outside.first?.message.contains("2027") ?? false)
        let notDate = try problems("name: 减员\nstaff_delta: -3\nstaff_from: 2027-02-30\n", "notdate.yaml")
        XCTAssertEqual(notDate.map { $0.column }, ["staff_from"])
        XCTAssertEqual(notDate.first?.row, 3)

        // Every problem at once (all-or-nothing), each in its place.
        let many = try problems("name: 多处\nstaff_delta: many\nstaff_from: 2028-01-01\npolicy: { general_sample_rate: 1.5 }\nfoo: 1\n", "many.yaml")
        XCTAssertEqual(Set(many.compactMap { $0.column }), ["staff_delta", "staff_from", "policy.general_sample_rate", "foo"])
        XCTAssertEqual(Dictionary(many.map { ($0.column ?? "", $0.row ?? 0) }, uniquingKeysWith: { a, _ in a }),
                       ["staff_delta": 2, "staff_from": 3, "policy.general_sample_rate": 4, "foo": 5])
    }

    func testVariantFileWithoutNameIsNamedAfterTheFile() throws {
        let dir = WIF.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("增员两人.yaml").path
        try "staff_delta: 2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let base = try ScenarioLoader.load(path: WIF.demoScenarioPath)
        let v = try ScenarioLoader.variant(path: path, base: base)
        XCTAssertEqual(v.name, "增员两人")
        XCTAssertEqual(v.staffDelta, 2)
        XCTAssertNil(v.staffFrom)
    }
}

/// Indexes the sweep's progress callback reported (it runs on the sweep's threads).
final class WIFSeenIndexes: @unchecked Sendable {
    private var list: [Int] = []
    private let lock = NSLock()
    func add(_ i: Int) { lock.lock(); list.append(i); lock.unlock() }
    var sorted: [Int] { lock.lock(); defer { lock.unlock() }; return list.sorted() }
}

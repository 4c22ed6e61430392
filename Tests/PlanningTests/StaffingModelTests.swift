import Foundation
import XCTest
@testable import GLPK
@testable import Ledger
@testable import Planning
@testable import Policy

/// Staffing is answered by the plan's own stage-1 model (annual-totals.mod in staffing mode), so
/// its answers keep the plan's rules: the yearly cap shared by extra key visits and campaign
/// visits (FREQ-CAP, `freq_cap[c]`) and the campaign split (`plan_special_split[p]`), which the
/// hand-copied models/staffing.mod had lost.
final class StaffingModelTests: XCTestCase {
    /// A district of 2026 (248 workdays) with 2 officers and 40 inspection person-days: 10 blue
    /// key units (medium machinery, one visit due, cap 2), 100 small general commerce units, and
    /// a campaign of at least 5 visits on medium units — the key units only.
    static func hand(rate: Double = 0.05) throws -> PlanContext {
        var s = PT.districtScenario(inspection: 40, officers: 2)
        s.policy.generalSampleRate = rate
        s.campaigns = [PT.campaign("中型企业专项", months: Array(1...12), field: "scale", values: ["medium"], visits: 5)]
        let units = (1...10).map { PT.key($0, .blue) } + (11...110).map { PT.general($0) }
        return try PT.context(s, units, officers: 2)
    }

    func model(_ ctx: PlanContext) -> StaffingModel {
        let today = WorkdayBudget(calendarWorkdays: ctx.calendar.totalWorkdays, staff: ctx.staff.filter { $0.certified }.count,
                                  deductions: ctx.scenario.workdays)
        return StaffingModel(inputs: ModelInputs(ctx), ctx: ctx, today: today, options: PlanOptions())
    }

    /// The highest sampling rate today's staff carries, by hand. Key-ish visits (key + campaign,
    /// PLAN-SHARE60) are bounded by the key units' room: 10 units × 2 visits = 20, whether the
    /// room beyond the due visit holds an extra key visit or a campaign visit. So draws ≤ 20 ×
    /// 0.4 / 0.6 = 13.3 → 13 of 100 general units: 0.13. (PLAN-RATIO asks 0.75 × 40 = 30 visits,
    /// 20 + 13 = 33 fit in 16.5 of 0.45 × 40 = 18 team-days.)
    ///
    /// The drifted staffing.mod counted that room twice (extra key visits up to 10 and campaign
    /// visits up to the 10 eligible units): 30 key-ish visits, capacity then binding at
    /// 0.5 × (21 + 14) = 17.5 team-days → 14 draws, 0.14 — a rate whose plan breaks PLAN-SHARE60
    /// (14 draws need ⌈14 × 1.5⌉ = 21 key-ish visits; only 20 fit under the cap). Checked with
    /// glpsol on the old model and this data: R = 14, K = 16 (X = 6) and S = 5 on the same 10 units.
    func testDrawsLeverKeepsTheUnitCapSharedWithCampaignVisits() throws {
        let ctx = try Self.hand()
        let draws = try model(ctx).solve("draws")
        XCTAssertEqual(draws.stage.status, "optimal")
        XCTAssertEqual(try draws.int("R") + (try draws.int("J")), 13)
        let c = try XCTUnwrap(ModelInputs(ctx).classes.first)
        // The answer respects the unit cap and the split.
        XCTAssertEqual(try draws.int("X", .text(c.name)) + (try draws.int("SK", "p1", .text(c.name))), 10)
        XCTAssertEqual(try draws.int("S", "p1"), try draws.int("SK", "p1", .text(c.name)) + (try draws.int("SG", "p1")))
        XCTAssertEqual(try draws.int("SG", "p1"), 0, "no general unit is eligible")

        let answer = try Staffing.analyse(ctx, ledger: Ledger(units: ctx.units))
        XCTAssertEqual(answer.levers.generalSampleRateMax, 0.13)

        let at = try Self.hand(rate: 0.13)
        let plan = try AnnualPlanner.plan(at)
        assertVerified(plan, at)
        XCTAssertEqual(plan.metrics.randomVisits, 13)

        // What the drifted model answered fails the plan's own rules.
        let drifted = try Self.hand(rate: 0.14)
        let broken = try AnnualPlanner.plan(drifted)
        XCTAssertEqual(broken.check("PLAN-SHARE60")?.pass, false)
    }

    /// Staffing mode is the plan's model with its rows (rule IDs) plus the staffing rows; in plan
    /// mode the staffing rows and variables do not exist.
    func testStaffingModeHasThePlansRowsAndPlanModeNoStaffingRows() throws {
        let ctx = try Self.hand()
        let m = model(ctx)
        let officers = try m.solve("officers")
        XCTAssertEqual(officers.stage.status, "optimal")
        XCTAssertEqual(officers.stage.name, "staffing-officers")
        let rows = Set(officers.result.rowNames)
        let c = try XCTUnwrap(m.inputs.classes.first).name
        for row in ["freq_key_cover[\(c)]", "freq_cap[\(c)]", "plan_special[p1]", "plan_special_split[p1]", "plan_share60",
                    "plan_ratio", "freq_general_random", "freq_joint_once", "plan_decompose_nonempty[1]",
                    "plan_basis_year[1]", "plan_basis_days[1]", "staffing_rules_hard[1]", "staffing_officers[1]"] {
            XCTAssertTrue(rows.contains(row), "\(row) missing: \(rows.sorted())")
        }
        XCTAssertFalse(rows.contains("plan_basis[1]"), "the months' team-days depend on the staff")
        XCTAssertEqual(try officers.int("add"), 0, "one officer fewer leaves no inspection days (the scenario's deduction totals stay)")

        let runner = try ModelRunner(timeLimit: 60, mipGap: 1e-6)
        let plan = try runner.run("annual-totals.mod", data: m.inputs.totals.data)
        let planRows = plan.result.rowNames
        XCTAssertTrue(planRows.contains("plan_basis[1]"))
        XCTAssertFalse(planRows.contains { $0.hasPrefix("staffing_") || $0.hasPrefix("plan_basis_") }, "\(planRows)")
        XCTAssertThrowsError(try plan.value("add"), "no staffing column in plan mode") { error in
            XCTAssertEqual((error as? GLPKError)?.code, .unknownName)
            XCTAssertEqual((error as? GLPKError)?.message, "model 'annual-totals' has no variable add")
        }
    }

    /// The model checks the draw minimum the planner computed (⌈rate × general units⌉).
    func testModelChecksTheDrawMinimum() throws {
        let ctx = try Self.hand(rate: 0.13)
        var totals = ModelInputs(ctx).totals
        XCTAssertEqual(totals.drawMin, 13)
        totals.drawMin = 12
        let runner = try ModelRunner(timeLimit: 60, mipGap: 1e-6)
        XCTAssertThrowsError(try runner.run("annual-totals.mod", data: totals.data)) { error in
            XCTAssertEqual((error as? GLPKError)?.code, .mathProgError)
            XCTAssertTrue("\(error)".contains("check"), "\(error)")
        }
    }
}

/// Reading results by name: a variable renamed in a model makes the plan fail loudly, naming the
/// model and the variable, instead of reading it as 0 visits.
final class ModelBoundaryTests: XCTestCase {
    func testRenamedVariableInAModelFailsThePlanNamingIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for name in ["annual-totals.mod", "annual-months.mod", "annual-classes.mod"] {
            var text = try String(contentsOfFile: try ModelLibrary.path(name), encoding: .utf8)
            if name == "annual-totals.mod" {
                // J, the joint check's visits, becomes Joint (JM, JB, Jprev stay).
                text = text.replacingOccurrences(of: #"\bJ\b"#, with: "Joint", options: .regularExpression)
            }
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let before = ProcessInfo.processInfo.environment["PLANNER_MODELS"]
        setenv("PLANNER_MODELS", dir.path, 1)
        addTeardownBlock { if let before { setenv("PLANNER_MODELS", before, 1) } else { unsetenv("PLANNER_MODELS") } }

        let ctx = try StaffingModelTests.hand()
        XCTAssertThrowsError(try AnnualPlanner.plan(ctx)) { error in
            XCTAssertEqual((error as? GLPKError)?.code, .unknownName)
            XCTAssertEqual("\(error)", "model 'annual-totals' has no variable J")
        }
    }

    /// One status order for plans, rosters and staffing: a plan's status is its worst stage's.
    func testStatusNamesAndWorstOfOrder() {
        XCTAssertEqual(SolverStatusName.name(.optimal), "optimal")
        XCTAssertEqual(SolverStatusName.name(.withinGap(gap: 1e-7)), "within_gap")
        XCTAssertEqual(SolverStatusName.name(.timeLimit(bestFound: true)), "time_limit")
        XCTAssertEqual(SolverStatusName.name(.timeLimit(bestFound: false)), "time_limit_no_solution")
        XCTAssertEqual(SolverStatusName.worst([]), "optimal")
        XCTAssertEqual(SolverStatusName.worst(["optimal", "within_gap", "optimal"]), "within_gap")
        XCTAssertEqual(SolverStatusName.worst(["time_limit", "within_gap"]), "time_limit")
        XCTAssertEqual(SolverStatusName.worst(["infeasible", "unbounded", "time_limit_no_solution"]), "unbounded")
        XCTAssertEqual(SolverStatusName.worst(["failed", "something else"]), "something else", "an unknown name ranks last")
        let stages = [PlanDocument.Stage(name: "a", status: "optimal", objective: 1, mipGap: 0, seconds: 0.5, rows: 1, columns: 1),
                      PlanDocument.Stage(name: "b", status: "within_gap", objective: 2, mipGap: 1e-7, seconds: 0.25, rows: 1, columns: 1)]
        let s = ModelRunner.summary(stages, objective: 1, level: "class")
        XCTAssertEqual(s.status, "within_gap")
        XCTAssertEqual(s.mipGap, 1e-7)
        XCTAssertEqual(s.seconds, 0.75)
        XCTAssertEqual(s.objective, 1)
        XCTAssertEqual(s.stages.count, 2)
    }
}

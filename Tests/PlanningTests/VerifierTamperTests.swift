import Foundation
import Policy
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
import Synthetic

/// The verifier must not be fooled (issue 9): real solved plans tampered the way someone who
/// wants a chosen unit drawn, a lighter plan or a crash would, each caught with the rule and a
/// message naming what is wrong; the untampered plan still passes.
final class VerifierTamperTests: XCTestCase {

    func failing(_ v: ReadVerdict) -> Set<String> { Set(v.checks.filter { !$0.pass }.map { $0.rule }) }
    func message(_ v: ReadVerdict, _ rule: String) -> String {
        v.checks.filter { $0.rule == rule }.map { $0.message }.joined(separator: " | ")
    }

    func testTheUntamperedPlansPass() throws {
        for (doc, ctx) in [try VerifierBrokenPlanTests.slackPlan(), try VerifierBrokenPlanTests.fullPlan()] {
            for c in [ctx, nil] as [PlanContext?] {
                let v = PlanVerifier.verify(doc, context: c).read()
                XCTAssertTrue(v.pass, v.checks.filter { !$0.pass }.map { "\($0.rule): \($0.message)" }.joined(separator: " | "))
                XCTAssertTrue(v.genuine, v.integrityProblems.joined(separator: " | "))
                XCTAssertEqual(v.checks.filter { $0.rule == "PLAN-FORMAT" }.map { $0.pass }, [true])
                XCTAssertEqual(v.checks.filter { $0.rule == "PLAN-SCENARIO" }.map { $0.pass }, c == nil ? [] : [true], "PLAN-SCENARIO only given the scenario")
                // The rule lines alone (what a plan states) carry neither while they pass.
                XCTAssertEqual(PlanVerifier.checks(doc, context: c).map { $0.rule }, doc.checks.map { $0.rule })
            }
            // The planner's own verdicts carry no verifier-only line.
            XCTAssertFalse(doc.checks.contains { $0.rule == "PLAN-FORMAT" || $0.rule == "PLAN-SCENARIO" })
            // Through JSON and back: decode(data:) gives the same plan.
            let back = try PlanDocument.decode(data: try doc.json())
            XCTAssertEqual(try back.json(), try doc.json())
        }
    }

    // MARK: Draws: the published seed and the documented id

    /// The draw of the month with the fewest drawn, and a general unit it did not draw.
    func target(_ doc: PlanDocument) throws -> (draw: Int, unit: String) {
        let i = try XCTUnwrap(doc.draws.indices.filter { doc.draws[$0].pool == "general" }.min { doc.draws[$0].k < doc.draws[$1].k })
        let drawn = Set(doc.draws.flatMap { $0.drawn })
        let unit = try XCTUnwrap(doc.units.last { $0.ownUnit && $0.class == "general" && !drawn.contains($0.id) })
        return (i, unit.id)
    }

    /// Tries `variants` of a draw until the chosen unit is drawn; the tampered plan is then
    /// consistent in itself (drawn list, pool hash and visits re-derived), as a careful forger
    /// would leave it.
    func forge(_ doc: PlanDocument, draw i: Int, unit: String, _ variant: (inout PlanDocument.Draw, Int) -> Void) throws -> PlanDocument {
        for n in 1...20_000 {
            var t = doc
            let old = t.draws[i].id
            variant(&t.draws[i], n)
            for j in t.visits.indices where t.visits[j].draw == old { t.visits[j].draw = t.draws[i].id }
            try redraw(&t)
            if t.draws[i].drawn.contains(unit) {
                PlanMetrics.fill(&t)
                XCTAssertEqual(PlanVerifier.metricDifferences(t), [])
                return t
            }
        }
        struct ForgeFailed: Error, CustomStringConvertible { var description: String { "no variant of the draw within 20,000 draws the unit" } }
        throw ForgeFailed()
    }

    func testChangingADrawsSeedUntilAChosenUnitIsDrawnFails() throws {
        let (doc, ctx) = try VerifierBrokenPlanTests.fullPlan()
        let (i, unit) = try target(doc)
        let t = try forge(doc, draw: i, unit: unit) { d, n in d.seed = doc.seed &+ UInt64(n) }
        let d = t.draws[i]
        XCTAssertNotEqual(d.seed, doc.seed)
        for c in [ctx, nil] as [PlanContext?] {
            let v = PlanVerifier.verify(t, context: c).read()
            XCTAssertEqual(failing(v), ["FREQ-GENERAL-RANDOM"])
            XCTAssertTrue(message(v, "FREQ-GENERAL-RANDOM").contains("\(d.id)：种子\(d.seed)不是计划公布的种子\(doc.seed)"), message(v, "FREQ-GENERAL-RANDOM"))
            XCTAssertFalse(v.genuine)
        }
        let en = PlanVerifier.verify(t).read(.en)
        XCTAssertTrue(message(en, "FREQ-GENERAL-RANDOM").contains("seed \(d.seed) is not the plan's published seed \(doc.seed)"))

        // The plan's own seed changed with it (every draw re-run at the new seed): only the
        // scenario can tell, and it does.
        var all = doc
        all.seed = d.seed
        for j in all.draws.indices { all.draws[j].seed = d.seed }
        try redraw(&all)
        PlanMetrics.fill(&all)
        XCTAssertTrue(PlanVerifier.verify(all).read().pass, "plan.json alone: its published seed is its own")
        let v = PlanVerifier.verify(all, context: ctx).read()
        XCTAssertEqual(failing(v), ["FREQ-GENERAL-RANDOM", "PLAN-SCENARIO"])
        XCTAssertTrue(message(v, "FREQ-GENERAL-RANDOM").contains("不是场景公布的种子\(doc.seed)"), message(v, "FREQ-GENERAL-RANDOM"))
        XCTAssertTrue(message(v, "PLAN-SCENARIO").contains("seed：计划为\(d.seed)，场景为\(doc.seed)"), message(v, "PLAN-SCENARIO"))
    }

    func testChangingADrawsIdUntilAChosenUnitIsDrawnFails() throws {
        let (doc, ctx) = try VerifierBrokenPlanTests.fullPlan()
        let (i, unit) = try target(doc)
        let expected = doc.draws[i].id
        let t = try forge(doc, draw: i, unit: unit) { d, n in d.id = "\(expected)-\(n + 1)" }
        let v = PlanVerifier.verify(t, context: ctx).read()
        XCTAssertEqual(failing(v), ["FREQ-GENERAL-RANDOM"])
        XCTAssertTrue(message(v, "FREQ-GENERAL-RANDOM").contains("\(t.draws[i].id)：抽取编号不符合编号规则，应为\(expected)"), message(v, "FREQ-GENERAL-RANDOM"))
        // An id of another month or kind fails the same way.
        var other = doc
        other.draws[i].id = "J" + expected.dropFirst()
        XCTAssertTrue(PlanVerifier.verify(other).read().drawProblems.contains { $0.contains("抽取编号不符合编号规则，应为\(expected)") })
    }

    func testARepeatedOrUnknownDrawIsRejectedWithoutBeingRerun() throws {
        let (doc, _) = try VerifierBrokenPlanTests.fullPlan()
        let i = try XCTUnwrap(doc.draws.firstIndex { $0.pool == "general" })
        var t = doc
        t.draws.append(doc.draws[i])
        XCTAssertTrue(PlanVerifier.verify(t).read().drawProblems.contains("\(doc.draws[i].id)：抽取编号重复"))
        t = doc
        t.draws[i].method = "coin-toss/1"
        let v = PlanVerifier.verify(t).read(.en)
        XCTAssertEqual(failing(v), ["FREQ-GENERAL-RANDOM"])
        XCTAssertTrue(message(v, "FREQ-GENERAL-RANDOM").contains("unknown draw method \"coin-toss/1\""), message(v, "FREQ-GENERAL-RANDOM"))
        t = doc
        t.draws[i].pool = "friends"
        XCTAssertTrue(PlanVerifier.verify(t).read().drawProblems.contains { $0.contains("抽取池「friends」未定义") })
        // A draw marked as kept from an earlier plan still needs the published seed and an id of the scheme.
        t = doc
        t.draws[i].pinned = true
        t.draws[i].seed = 7
        t.draws[i].id = "anything"
        for j in t.visits.indices where t.visits[j].draw == doc.draws[i].id { t.visits[j].draw = "anything" }
        let pinned = PlanVerifier.verify(t).read()
        XCTAssertTrue(pinned.drawProblems.contains { $0.contains("anything：种子7不是计划公布的种子") }, pinned.drawProblems.joined(separator: " | "))
        XCTAssertTrue(pinned.drawProblems.contains { $0.contains("anything：抽取编号不符合编号规则") }, pinned.drawProblems.joined(separator: " | "))
    }

    // MARK: The scenario is the reference

    /// The issue's plan: sampling rate, campaigns and key share set to 0 and the matching visits
    /// deleted. plan.json alone still fails on the key-share floor; with the scenario every
    /// discrepancy is named and the rules fail on the scenario's figures.
    func testALighterPolicyStatedInThePlanFailsAgainstTheScenario() throws {
        let (doc, ctx) = try VerifierBrokenPlanTests.slackPlan()
        var t = doc
        t.policy.generalSampleRate = 0
        t.policy.keyShareMin = 0
        t.policy.campaigns = []
        t.policy.jointVisits = 0
        t.visits.removeAll { $0.kind == "special" || $0.kind == "random" || $0.kind == "joint" }
        t.draws = []
        PlanMetrics.fill(&t)
        t.checks = PlanVerifier.checks(t)
        XCTAssertEqual(PlanVerifier.metricDifferences(t), [])
        let alone = PlanVerifier.verify(t).read()
        XCTAssertTrue(failing(alone).contains("PLAN-SHARE60"), "a stated 0% is below the 60% floor")
        XCTAssertFalse(failing(alone).contains("FREQ-GENERAL-RANDOM"), "plan.json alone trusts its stated 0% sample")

        let v = PlanVerifier.verify(t, context: ctx).read()
        XCTAssertTrue(failing(v).isSuperset(of: ["PLAN-SCENARIO", "FREQ-GENERAL-RANDOM", "PLAN-SPECIAL", "FREQ-JOINT"]), "\(failing(v))")
        let s = message(v, "PLAN-SCENARIO")
        for needle in ["policy.key_share_min：计划为0.0，场景为0.6", "policy.general_sample_rate：计划为0.0，场景为0.05",
                       "专项「有限空间作业专项」：场景要求2家次", "计划未列出", "policy.joint_visits：计划为0，场景为3"] {
            XCTAssertTrue(s.contains(needle), "\(needle) in \(s)")
        }
        let random = try XCTUnwrap(v.checks.first { $0.rule == "FREQ-GENERAL-RANDOM" })
        XCTAssertEqual(random.threshold, 1, "⌈5% × 10⌉ from the scenario")
        let special = try XCTUnwrap(v.checks.first { $0.rule == "PLAN-SPECIAL" })
        XCTAssertEqual(special.shortfall, 2)
        let en = message(PlanVerifier.verify(t, context: ctx).read(.en), "PLAN-SCENARIO")
        XCTAssertTrue(en.contains("policy.general_sample_rate: the plan states 0.0, the scenario 0.05"), en)
        XCTAssertTrue(en.contains("campaign \"有限空间作业专项\": the scenario asks for 2 visits"), en)
    }

    /// Fewer inspection workdays stated (so fewer visits seem to meet the ratio), a unit's
    /// required visits lowered with its second visit deleted, a draw weight raised: plan.json
    /// alone cannot tell the last two; the scenario's workdays and the ledger tell all three.
    func testWorkdaysRequiredVisitsAndWeightsComeFromTheScenario() throws {
        let (doc, ctx) = try VerifierBrokenPlanTests.slackPlan()
        var t = doc
        t.workdays.inspection = 28
        t.workdays.otherEnforcement += 12
        let red = PT.code(1)
        let r = try XCTUnwrap(t.units.firstIndex { $0.id == red })
        XCTAssertEqual(t.units[r].requiredVisits, 2)
        t.units[r].requiredVisits = 1
        let second = try XCTUnwrap(t.visits.lastIndex { $0.unit == red && $0.kind == "key" && doc.visitsPerMonth[$0.month - 1] > 1 })
        t.visits.remove(at: second)
        let w = try XCTUnwrap(t.units.firstIndex { $0.ownUnit && $0.class == "general" })
        t.units[w].drawWeight = 1000
        try redraw(&t)
        PlanMetrics.fill(&t)
        t.checks = PlanVerifier.checks(t)
        // plan.json alone: the lowered required visits and the weight are invisible; the lowered
        // inspection days no longer give the months' team-days (PLAN-FORMAT).
        let alone = PlanVerifier.verify(t).read()
        XCTAssertEqual(alone.checks.first { $0.rule == "FREQ-KEY-COVER" }?.pass, true)
        XCTAssertTrue(message(alone, "PLAN-FORMAT").contains("months[].capacity_team_days"), message(alone, "PLAN-FORMAT"))
        let v = PlanVerifier.verify(t, context: ctx).read()
        XCTAssertTrue(failing(v).isSuperset(of: ["PLAN-SCENARIO", "FREQ-KEY-COVER"]), "\(failing(v))")
        let s = message(v, "PLAN-SCENARIO")
        for needle in ["workdays.inspection：计划为28.0，场景为40.0", "workdays.other_enforcement", "应检次数（required_visits）与台账不符，如\(red) 1≠2",
                       "抽取权重（draw_weight）与台账不符，如\(t.units[w].id) 1000.0≠1.0"] {
            XCTAssertTrue(s.contains(needle), "\(needle) in \(s)")
        }
        XCTAssertEqual(v.checks.first { $0.rule == "FREQ-KEY-COVER" }?.shortfall, 1, "the ledger's 2 visits for the red unit")
    }

    // MARK: Numbers out of range never trap

    func testNumbersOutOfRangeFailNamingPathAndValue() throws {
        let (doc, ctx) = try VerifierBrokenPlanTests.slackPlan()
        let cases: [(String, (inout PlanDocument) -> Void)] = [
            ("workdays.inspection = 1e+19", { $0.workdays.inspection = 1e19 }),
            ("workdays.inspection = nan", { $0.workdays.inspection = .nan }),
            ("workdays.calendar = -5", { $0.workdays.calendar = -5 }),
            ("policy.campaigns[0].visits = -9223372036854775808", { $0.policy.campaigns[0].visits = Int.min }),
            ("policy.campaigns[0].visits = 9223372036854775807", { $0.policy.campaigns[0].visits = Int.max }),
            ("policy.key_share_min = 1e+300", { $0.policy.keyShareMin = 1e300 }),
            ("policy.general_sample_rate = inf", { $0.policy.generalSampleRate = .infinity }),
            ("policy.max_visits_per_unit = -9223372036854775808", { $0.policy.maxVisitsPerUnit = Int.min }),
            ("policy.joint_visits = -9223372036854775808", { $0.policy.jointVisits = Int.min }),
            ("policy.effort_key = -1.0", { $0.policy.effortKey = -1 }),
            ("months[0].capacity_team_days = 1e+308", { $0.months[0].capacityTeamDays = 1e308 }),
            ("months[3].visits = -1", { $0.months[3].visits = -1 }),
            ("units[0].required_visits = 9223372036854775807", { $0.units[0].requiredVisits = Int.max }),
            ("units[12].draw_weight = nan", { $0.units[12].drawWeight = .nan }),
            ("metrics.visits = -9223372036854775808", { $0.metrics.visits = Int.min }),
        ]
        for (needle, edit) in cases {
            var t = doc
            edit(&t)
            for c in [ctx, nil] as [PlanContext?] {
                for lang in [Lang.zh, .en] {
                    let v = PlanVerifier.verify(t, context: c).read(lang)   // must not trap
                    XCTAssertFalse(v.pass, needle)
                    XCTAssertTrue(failing(v).contains("PLAN-FORMAT"), needle)
                    XCTAssertTrue(message(v, "PLAN-FORMAT").contains(needle), "\(needle) in \(message(v, "PLAN-FORMAT"))")
                }
            }
        }
        // Draw counts: a negative k or pool size is rejected, never handed to the draw.
        for (k, size) in [(Int.min, 10), (Int.max, 10), (1, -1), (-1, Int.min), (0, 10)] {
            var t = doc
            let i = try XCTUnwrap(t.draws.firstIndex { $0.pool == "general" })
            t.draws[i].k = k
            t.draws[i].poolSize = size
            let v = PlanVerifier.verify(t, context: ctx).read()
            XCTAssertTrue(v.drawProblems.contains { $0.contains("k = \(k)、pool_size = \(size)超出范围") }, v.drawProblems.joined(separator: " | "))
        }
    }

    /// A file whose numbers no field can hold is an input error naming the JSON path and the value.
    func testDecodingNamesThePathAndValueOfANumberNoFieldHolds() throws {
        let (doc, _) = try VerifierBrokenPlanTests.slackPlan()
        let text = String(decoding: try doc.json(), as: UTF8.self)
        func decodeError(_ edited: String) -> InputProblem? {
            do { _ = try PlanDocument.decode(data: Data(edited.utf8), source: "t.json"); return nil }
            catch let e as InputError { return e.problems.first } catch { return nil }
        }
        let calendar = "\"calendar\" : \(doc.workdays.calendar)"
        XCTAssertTrue(text.contains(calendar))
        let p = try XCTUnwrap(decodeError(text.replacingOccurrences(of: calendar, with: "\"calendar\" : 1e19")))
        XCTAssertEqual(p.file, "t.json")
        XCTAssertEqual(p.column, "workdays.calendar")
        XCTAssertEqual(p.value, "1e+19")
        let m = try XCTUnwrap(decodeError(text.replacingOccurrences(of: "\"month\" : 1,", with: "\"month\" : -9223372036854775809,")))
        XCTAssertTrue(m.column?.hasSuffix(".month") == true, "\(m)")
        XCTAssertEqual(m.value, "-9223372036854775809")
        let f = try XCTUnwrap(decodeError(text.replacingOccurrences(of: "\"month\" : 1,", with: "\"month\" : 1.5,")))
        XCTAssertEqual(f.value, "1.5")
        let huge = try XCTUnwrap(decodeError(text.replacingOccurrences(of: calendar, with: "\"calendar\" : 1e400")))
        XCTAssertTrue(huge.message.contains("不是有效的 JSON"), huge.message)
        let missing = try XCTUnwrap(decodeError(text.replacingOccurrences(of: "\"seed\" :", with: "\"sead\" :")))
        XCTAssertTrue(missing.message.contains("seed"), missing.message)
        XCTAssertNotNil(decodeError("[]"))
        XCTAssertNotNil(decodeError(""))
        // Rosters decode the same way.
        XCTAssertThrowsError(try RosterDocument.decode(data: Data("{\"month\": 1e19}".utf8)))
    }

    // MARK: Structure

    func testStructuralTamperingFailsPlanFormat() throws {
        let (doc, ctx) = try VerifierBrokenPlanTests.slackPlan()
        let cases: [(String, (inout PlanDocument) -> Void)] = [
            ("schema = \"enforcement-plan/0\"", { $0.schema = "enforcement-plan/0" }),
            ("months = []", { $0.months = [] }),
            ("months[1].month = 1：月份重复", { $0.months[1].month = 1 }),
            ("months[4].month = 13", { $0.months[4].month = 13 }),
            ("months[5].month = 0", { $0.months[5].month = 0 }),
            ("visits[0].month = 14", { $0.visits[0].month = 14 }),
            ("visits[0].kind = \"favour\"", { $0.visits[0].kind = "favour" }),
            ("solver.status = \"infeasible\"", { $0.solver.status = "infeasible" }),
            ("solver.stages[1].status = \"time_limit_no_solution\"", { $0.solver.stages[1].status = "time_limit_no_solution" }),
            ("authority.level = \"village\"", { $0.authority.level = "village" }),
            ("units[3].id = \"\(doc.units[2].id)\"：单位编号重复", { $0.units[3].id = $0.units[2].id }),
            ("policy.campaigns[0].months = []", { $0.policy.campaigns[0].months = [] }),
            ("policy.campaigns[0].months[1] = 13", { $0.policy.campaigns[0].months[1] = 13 }),
            ("year = 99999", { $0.year = 99999 }),
            // Figures that do not add up, caught from plan.json alone.
            ("workdays.inspection = 28.0：应为总工作日减去扣除 = 40.0", { $0.workdays.inspection = 28 }),
            ("workdays.non_enforcement = 0.0：与各项之和", { $0.workdays.nonEnforcement = 0; $0.workdays.nonEnforcementItems = [.init(name: "x", days: 5)] }),
            ("workdays.gross = 1000.0：超过执法人员1人×法定工作日", { $0.workdays.gross = 1000 }),
            ("months[].capacity_team_days", { $0.months[0].capacityTeamDays += 5 }),
            ("months[].workdays = 249", { $0.months[0].workdays += 1 }),
            // An optimal plan with a gap, a negative gap, an unknown level.
            ("solver.mip_gap = 0.9：求解状态为最优时差距应为0", { $0.solver.status = "optimal"; $0.solver.mipGap = 0.9 }),
            ("solver.stages[0].mip_gap = -0.5：差距不能为负", { $0.solver.stages[0].status = "time_limit"; $0.solver.stages[0].mipGap = -0.5 }),
            ("solver.level = \"bogus\"", { $0.solver.level = "bogus" }),
        ]
        for (needle, edit) in cases {
            var t = doc
            edit(&t)
            let v = PlanVerifier.verify(t, context: ctx).read()
            XCTAssertTrue(failing(v).contains("PLAN-FORMAT"), needle)
            XCTAssertTrue(message(v, "PLAN-FORMAT").contains(needle), "\(needle) in \(message(v, "PLAN-FORMAT"))")
            XCTAssertFalse(v.genuine, needle)
            XCTAssertFalse(PlanVerifier.verify(t).read().pass, needle)
        }
        // A campaign visit under a campaign the plan does not list.
        var t = doc
        let s = try XCTUnwrap(t.visits.firstIndex { $0.kind == "special" })
        t.visits[s].campaign = "别的专项"
        XCTAssertTrue(message(PlanVerifier.verify(t).read(), "PLAN-FORMAT").contains("visits[\(s)].campaign = \"别的专项\""))
        // A unit drawn again in a later draw (a kept one too, which is not re-run).
        t = doc
        let two = t.draws.indices.filter { !t.draws[$0].drawn.isEmpty }
        XCTAssertGreaterThanOrEqual(two.count, 2)
        let ordered = two.sorted { (t.draws[$0].pool == "industrial" ? 0 : 1, t.draws[$0].month) < (t.draws[$1].pool == "industrial" ? 0 : 1, t.draws[$1].month) }
        t.draws[ordered[0]].pinned = true
        t.draws[ordered[1]].drawn[0] = t.draws[ordered[0]].drawn[0]
        XCTAssertTrue(PlanVerifier.verify(t).read().drawProblems.contains("\(t.draws[ordered[1]].id)：\(t.draws[ordered[0]].drawn[0])在此前的抽取中已被抽中"),
                      PlanVerifier.verify(t).read().drawProblems.joined(separator: " | "))
        // A unit drawn twice in one draw.
        t = doc
        let d = try XCTUnwrap(t.draws.firstIndex { $0.drawn.count >= 2 })
        t.draws[d].drawn[1] = t.draws[d].drawn[0]
        XCTAssertTrue(PlanVerifier.verify(t).read().drawProblems.contains("\(t.draws[d].id)：抽中单位重复"))
    }

    // MARK: What replan asks of a plan

    /// An honest plan with shortfalls is genuine (re-planning is how they are fixed); a plan
    /// whose stated verdicts are not the verifier's, or whose draws do not verify, is not.
    func testGenuineMeansWhatItStates() throws {
        var units = (1...20).map { PT.key($0, .orange) }
        units += (1...100).map { PT.general(1000 + $0) }
        let (short, _) = try PT.plan(PT.districtScenario(inspection: 20), units)
        XCTAssertFalse(short.compliant)
        let v = PlanVerifier.verify(short).read()
        XCTAssertFalse(v.pass)
        XCTAssertTrue(v.genuine, v.integrityProblems.joined(separator: " | "))
        var lying = short
        for i in lying.checks.indices { lying.checks[i].pass = true; lying.checks[i].shortfall = 0 }
        XCTAssertFalse(PlanVerifier.verify(lying).read().genuine)
        XCTAssertTrue(PlanVerifier.verify(lying).read().statedDifferences.contains { $0.contains("计划所列结论与核验结果不符") })
    }

    /// Re-plans keep (pin) earlier draws: a re-plan and a re-plan of it verify and are genuine
    /// (what `planner replan` asks), and a kept draw moved to another seed is still caught.
    func testReplansOfReplansVerifyAndKeptDrawsNeedThePublishedSeed() throws {
        let (_, ctx, plan) = try WIF.planned800(seed: 1)
        wifAssertCompliant(plan, ctx, "the plan re-planned")
        let (first, _) = try Replanner.replan(ctx, previous: plan, executed: [], fromMonth: 5, keepMonths: [9])
        XCTAssertTrue(PlanVerifier.verify(plan).read().genuine)
        let (second, _) = try Replanner.replan(ctx, previous: first, executed: [], fromMonth: 10)
        // A kept draw is checked against the plans it was kept from (newest first).
        let chains: [String: [(plan: PlanDocument, sha256: String)]] = ["first": [(plan, "")], "second": [(first, ""), (plan, "")]]
        for (name, doc) in [("first", first), ("second", second)] {
            XCTAssertTrue(doc.draws.contains { $0.pinned == true }, name)
            // Without them, the kept draws are not taken on trust.
            let alone = PlanVerifier.verify(doc).read(.en)
            XCTAssertFalse(alone.genuine, name)
            XCTAssertTrue(alone.drawProblems.contains { $0.contains("give the plan they were kept from with --previous") }, alone.drawProblems.joined(separator: " | "))
            // The second's chain must go back to the first plan: the first alone is not enough.
            if name == "second" { XCTAssertFalse(PlanVerifier.verify(doc, previous: [(first, "")]).read().genuine) }
            for c in [ctx, nil] as [PlanContext?] {
                let v = PlanVerifier.verify(doc, context: c, previous: chains[name]!).read()
                XCTAssertTrue(v.pass, "\(name): " + v.checks.filter { !$0.pass }.map { "\($0.rule): \($0.message)" }.joined(separator: " | "))
                XCTAssertTrue(v.genuine, "\(name): " + v.integrityProblems.joined(separator: " | "))
            }
        }
        // The re-planner itself refuses a plan that is not well formed (no trap on month 13).
        var bad = plan
        bad.visits[0].month = 13
        XCTAssertThrowsError(try Replanner.replan(ctx, previous: bad, executed: [], fromMonth: 5)) { e in
            XCTAssertTrue("\(e)".contains("visits[0].month = 13"), "\(e)")
        }
        var t = second
        let i = try XCTUnwrap(t.draws.firstIndex { $0.pinned == true })
        t.draws[i].seed = t.seed &+ 3
        let v = PlanVerifier.verify(t).read()
        XCTAssertFalse(v.genuine)
        XCTAssertTrue(v.drawProblems.contains { $0.hasPrefix("\(t.draws[i].id)：种子\(t.seed &+ 3)不是计划公布的种子") }, v.drawProblems.joined(separator: " | "))
    }

    /// A kept (pinned) draw is not re-run (its pool was the earlier ledger): editing its `drawn`
    /// list fools the plan alone, not `verify --previous`, which holds it to the previous plan's
    /// record, the file the re-plan names, and a previous plan that itself verifies.
    func testKeptDrawsAreCheckedAgainstThePreviousPlan() throws {
        let (_, ctx, plan) = try WIF.planned800(seed: 1)
        wifAssertCompliant(plan, ctx, "the plan re-planned")
        let digest = FileDigest.sha256(Data("the previous plan's bytes".utf8))
        let next = try Replanner.run(ctx, previous: plan, executed: [], fromMonth: 7, previousSHA256: digest).plan
        XCTAssertEqual(next.previousPlan, .init(sha256: digest, fromMonth: 7, keptMonths: []))
        let good = PlanVerifier.verify(next, previous: [(plan, digest)]).read()
        XCTAssertTrue(good.pass && good.genuine, good.integrityProblems.joined(separator: " | "))

        // Steer a kept general draw: a chosen unit in place of a drawn one, its visit moved too.
        var t = next
        let i = try XCTUnwrap(t.draws.firstIndex { $0.pinned == true && $0.pool == "general" && !$0.drawn.isEmpty })
        let everDrawn = Set(t.draws.flatMap { $0.drawn }), visited = Set(t.visits.map { $0.unit })
        let chosen = try XCTUnwrap(t.units.first { $0.class == "general" && $0.ownUnit && !everDrawn.contains($0.id) && !visited.contains($0.id) }?.id)
        let old = t.draws[i].drawn[0]
        t.draws[i].drawn[0] = chosen
        for j in t.visits.indices where t.visits[j].draw == t.draws[i].id && t.visits[j].unit == old { t.visits[j].unit = chosen }
        // The plan alone cannot re-run the kept draw: it is not taken on trust …
        XCTAssertFalse(PlanVerifier.verify(t).read().genuine)
        // … and the previous plan names it.
        let caught = PlanVerifier.verify(t, previous: [(plan, digest)]).read()
        XCTAssertFalse(caught.pass)
        XCTAssertFalse(caught.genuine)
        XCTAssertTrue(caught.drawProblems.contains("\(t.draws[i].id)：保留的抽取与原计划的记录不符"), caught.drawProblems.joined(separator: " | "))
        XCTAssertTrue(caught.checks.contains { $0.rule == "FREQ-GENERAL-RANDOM" && !$0.pass })

        // Another file than the one the re-plan names.
        let other = PlanVerifier.verify(next, previous: [(plan, FileDigest.sha256(Data("another file".utf8)))]).read(.en)
        XCTAssertTrue(other.drawProblems.contains { $0.hasPrefix("the previous plan given is not the one this plan re-plans") }, other.drawProblems.joined(separator: " | "))

        // A previous plan that does not verify itself.
        var forged = plan
        let g = try XCTUnwrap(forged.draws.firstIndex { $0.pool == "general" })
        forged.draws[g].seed = forged.seed &+ 1
        let bad = PlanVerifier.verify(next, previous: [(forged, digest)]).read(.en)
        XCTAssertTrue(bad.drawProblems.contains { $0.hasPrefix("the previous plan does not verify") }, bad.drawProblems.joined(separator: " | "))

        // A plan that is not a re-plan has no previous plan to be checked against.
        let none = PlanVerifier.verify(plan, previous: [(plan, digest)]).read(.en)
        XCTAssertTrue(none.drawProblems.contains { $0.hasPrefix("this plan is not a re-plan") }, none.drawProblems.joined(separator: " | "))

        // Marking a fresh plan's draws as kept (pinned), to have them skipped, fails; so does
        // claiming it is a re-plan without giving the plan it re-plans.
        var pins = plan
        for j in pins.draws.indices { pins.draws[j].pinned = true }
        let pinned = PlanVerifier.verify(pins).read(.en)
        XCTAssertFalse(pinned.pass)
        XCTAssertTrue(pinned.drawProblems.contains { $0.hasPrefix("the plan is not a re-plan (no previous_plan) yet marks \(plan.draws.count) draws") }, pinned.drawProblems.joined(separator: " | "))
        pins.previousPlan = .init(sha256: nil, fromMonth: 1, keptMonths: [])
        let claimed = PlanVerifier.verify(pins).read(.en)
        XCTAssertFalse(claimed.pass)
        XCTAssertTrue(claimed.drawProblems.contains { $0.hasPrefix("\(plan.draws.count) kept draws cannot be re-run") }, claimed.drawProblems.joined(separator: " | "))

        // previous_plan is part of the format.
        var wrong = next
        wrong.previousPlan = .init(sha256: "XYZ", fromMonth: 13, keptMonths: [0])
        let f = PlanVerifier.formatProblems(wrong).text(.zh)
        XCTAssertTrue(f.contains { $0.hasPrefix("previous_plan.from_month = 13") }, f.joined(separator: " | "))
        XCTAssertTrue(f.contains { $0.hasPrefix("previous_plan.kept_months[0] = 0") }, f.joined(separator: " | "))
        XCTAssertTrue(f.contains { $0.hasPrefix("previous_plan.sha256 = \"XYZ\"") }, f.joined(separator: " | "))
    }

    // MARK: Rosters

    /// An inspector draw re-ranked at another seed, or filed under another id, fails; a negative
    /// or huge k never traps; the roster's own seed must be the published one.
    /// A draw whose date is no date (or another day than its visit's) used to skip the replay of
    /// its pool, so a pool of one's choosing passed; a roster whose visits are all listed as
    /// unassigned passed too. Both fail now.
    func testARosterDrawOnNoDateOrWithEveryVisitUnassignedFails() throws {
        let f = try RosterVerifierTests.fixture()
        let a = try XCTUnwrap(f.roster.assignments.firstIndex { $0.draw != nil })
        let id = try XCTUnwrap(f.roster.assignments[a].draw)
        for bad in ["not a date", "2027-13-40", "2025-02-03"] {
            var r = f.roster
            for j in r.draws.indices where r.draws[j].id == id || r.draws[j].id == id + "-L" {
                r.draws[j].date = bad
                r.draws[j].pool = Array(r.draws[j].pool.prefix(r.draws[j].k))   // a pool of one's choosing
                r.draws[j].poolSha256 = RandomDraw.poolSHA256(r.draws[j].pool)
                r.draws[j].drawn = Array(try RandomDraw.rank(seed: r.draws[j].seed, id: r.draws[j].id, pool: r.draws[j].pool.map { DrawMember(id: $0) }).prefix(r.draws[j].k))
            }
            let failed = RF.failing(r, f.plan, f.ctx, f.experts)
            XCTAssertTrue(failed["FREQ-GENERAL-RANDOM"]?.contains("\(id)：抽取日期「\(bad)」不是") == true, "\(bad): \(failed)")
        }
        // Another workday of the month than the visit's.
        var r = f.roster
        let other = try XCTUnwrap(r.assignments.map { $0.date }.first { $0 != r.assignments[a].date })
        for j in r.draws.indices where r.draws[j].id == id || r.draws[j].id == id + "-L" { r.draws[j].date = other }
        var failed = RF.failing(r, f.plan, f.ctx, f.experts)
        XCTAssertTrue(failed["FREQ-GENERAL-RANDOM"]?.contains("\(id)：抽取日期\(other)不是检查日期\(r.assignments[a].date)") == true, "\(failed)")

        // Every visit moved to unassigned, no draws.
        r = f.roster
        r.unassigned += r.assignments.map { .init(visit: $0.visit, reason: "无人") }
        r.assignments = []
        r.draws = []
        failed = RF.failing(r, f.plan, f.ctx, f.experts)
        XCTAssertTrue(failed["PLAN-DECOMPOSE"]?.contains("\(f.roster.assignments.count)次检查未能安排") == true, "\(failed)")
    }

    /// `planner verify ROSTER --lang en` reads in English, as a plan's verification does.
    func testRosterVerdictsInEnglish() throws {
        let f = try RosterVerifierTests.fixture()
        let en = RosterVerifier.checks(f.roster, plan: f.plan, ctx: f.ctx, experts: f.experts).rendered(.en)
        XCTAssertTrue(en.allSatisfy { $0.pass }, en.map { $0.message }.joined(separator: " | "))
        XCTAssertTrue(en.first { $0.rule == "SITE-TEAM" }?.message.hasPrefix("two certified officers or more on every visit") == true)
        var r = f.roster
        let i = try XCTUnwrap(r.draws.firstIndex { !$0.id.hasSuffix("-L") })
        r.draws[i].seed = r.seed &+ 1
        let failed = RosterVerifier.checks(r, plan: f.plan, ctx: f.ctx, experts: f.experts).rendered(.en).filter { !$0.pass }
        XCTAssertEqual(failed.map { $0.rule }, ["FREQ-GENERAL-RANDOM"])
        XCTAssertTrue(failed[0].message.contains("\(r.draws[i].id): seed \(r.seed &+ 1) is not the published seed \(r.seed)"), failed[0].message)
        XCTAssertNil(failed[0].message.range(of: "[\u{4e00}-\u{9fff}]", options: .regularExpression), failed[0].message)
    }

    func testARosterDrawAtAnotherSeedOrIdFails() throws {
        let f = try RosterVerifierTests.fixture()
        var r = f.roster
        let i = try XCTUnwrap(r.draws.firstIndex { !$0.id.hasSuffix("-L") })
        r.draws[i].seed = r.seed &+ 1
        r.draws[i].drawn = Array(try RandomDraw.rank(seed: r.draws[i].seed, id: r.draws[i].id, pool: r.draws[i].pool.map { DrawMember(id: $0) }).prefix(r.draws[i].k))
        var failed = RF.failing(r, f.plan, f.ctx, f.experts)
        XCTAssertTrue(failed["FREQ-GENERAL-RANDOM"]?.contains("\(r.draws[i].id)：种子\(r.seed &+ 1)不是公布的种子\(r.seed)") == true, "\(failed)")

        r = f.roster
        let a = try XCTUnwrap(r.assignments.firstIndex { $0.draw != nil })
        let id = try XCTUnwrap(r.assignments[a].draw)
        let forged = id + "x"
        r.assignments[a].draw = forged
        for j in r.draws.indices where r.draws[j].id == id || r.draws[j].id == id + "-L" {
            r.draws[j].id = r.draws[j].id == id ? forged : forged + "-L"
            r.draws[j].drawn = Array(try RandomDraw.rank(seed: r.draws[j].seed, id: r.draws[j].id, pool: r.draws[j].pool.map { DrawMember(id: $0) }).prefix(r.draws[j].k))
        }
        failed = RF.failing(r, f.plan, f.ctx, f.experts)
        XCTAssertTrue(failed["FREQ-GENERAL-RANDOM"]?.contains("\(forged)：抽取编号不符合编号规则，应为\(id)") == true, "\(failed)")

        for k in [-1, Int.min, Int.max] {
            r = f.roster
            r.draws[i].k = k
            failed = RF.failing(r, f.plan, f.ctx, f.experts)   // must not trap
            XCTAssertTrue(failed["FREQ-GENERAL-RANDOM"]?.contains("k = \(k)") == true, "\(failed)")
        }

        r = f.roster
        r.seed = 1
        r.month = 13
        r.schema = "x"
        failed = RF.failing(r, f.plan, f.ctx, f.experts)
        for needle in ["schema = \"x\"", "month = 13", "seed = 1：不是场景公布的种子\(f.ctx.scenario.seed)"] {
            XCTAssertTrue(failed["PLAN-FORMAT"]?.contains(needle) == true, "\(needle) in \(failed)")
        }
    }
}

import Foundation
import Policy
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// `PlanVerifier` on hand-broken plans: a compliant plan is edited the way a careless person or
/// program might, metrics are recomputed (`PlanMetrics.fill`) so only the edit is wrong, and
/// exactly the rule the edit breaks must fail.
final class VerifierBrokenPlanTests: XCTestCase {

    // MARK: Compliant plans to break

    /// Slack everywhere: 10 key units (a red one with KEY-D2 needing 2 visits, 3 orange, 6
    /// yellow), 10 general units (industrial, so that the joint check always finds its pool —
    /// see PlannerDefectTests; 2 with sewage treatment for a campaign of 2 in May–August), a
    /// joint check of 3, inspection 40 person-days (35 visits; the ratio asks ⌈0.75 × 40⌉ = 30).
    /// Two key units of 黄浦区 are in the ledger too.
    /// By hand: every key unit twice (K = 20), every general unit drawn (J = 3, R = 7), S = 2:
    /// T = 32 of 35 visits, share 22/32, ratio 32/40.
    static func slackPlan() throws -> (PlanDocument, PlanContext) {
        var units = [PT.key(1, .red, increase: true)] + (2...4).map { PT.key($0, .orange) } + (5...10).map { PT.key($0, .yellow) }
        units += (1...10).map { n -> LedgerUnit in
            var u = PT.general(1000 + n, industrial: true)
            u.sewageTreatment = n >= 9
            return u
        }
        units += (1...2).map { PT.key(3000 + $0, .orange, district: "黄浦区", town: "外滩街道") }
        var s = PT.districtScenario(inspection: 40)
        s.joint.visits = 3
        s.campaigns = [PT.campaign("有限空间作业专项", months: [5, 6, 7, 8], field: "sewage_treatment", values: ["true"], visits: 2)]
        return try PT.plan(s, units)
    }

    /// Capacity-bound: 20 orange key units, 100 general units, inspection 51 (22.89 team-days,
    /// 45 visits): K = 40, R = 5.
    static func fullPlan() throws -> (PlanDocument, PlanContext) {
        var units = (1...20).map { PT.key($0, .orange) }
        units += (1...100).map { PT.general(1000 + $0) }
        return try PT.plan(PT.districtScenario(inspection: 51), units)
    }

    func testTheBasePlansAreCompliantAsComputed() throws {
        let (p, pctx) = try Self.slackPlan()
        XCTAssertEqual(p.metrics.keyVisits, 20)
        XCTAssertEqual(p.metrics.specialVisits, 2)
        XCTAssertEqual(p.metrics.jointVisits, 3)
        XCTAssertEqual(p.metrics.randomVisits, 7)
        XCTAssertEqual(p.metrics.visits, 32)
        XCTAssertEqual(p.solver.stages[0].objective, -(3 * 1.0 + 6 * 0.3) - 0.2 * 10, accuracy: 1e-6)
        XCTAssertEqual(pctx.own.count, 20, "黄浦区's units are another authority's")
        assertVerified(p, pctx)
        let (f, fctx) = try Self.fullPlan()
        XCTAssertEqual(f.metrics.keyVisits, 40)
        XCTAssertEqual(f.metrics.randomVisits, 5)
        assertVerified(f, fctx)
    }

    // MARK: Editing helpers

    var nextId = 0
    func newVisitId() -> String { nextId += 1; return String(format: "V-X%03d", nextId) }

    /// The month with the most spare team-days (room for at least `visits` more half-day visits).
    func roomyMonth(_ doc: PlanDocument, visits: Int = 1, except: Set<Int> = []) throws -> Int {
        let m = doc.months.filter { !except.contains($0.month) }
            .max { ($0.capacityTeamDays - $0.effortTeamDays) < ($1.capacityTeamDays - $1.effortTeamDays) }!
        XCTAssertGreaterThanOrEqual(m.capacityTeamDays - m.effortTeamDays, 0.5 * Double(visits), "no room to add visits")
        return m.month
    }

    /// Adds a random visit in `month` to that month's draw (creating `D-YYYY-MM` if needed); call
    /// `redraw` afterwards to pick its unit.
    func addRandomVisit(_ doc: inout PlanDocument, month: Int) {
        let id = String(format: "D-%04d-%02d", doc.year, month)
        if let i = doc.draws.firstIndex(where: { $0.id == id }) {
            doc.draws[i].k += 1
        } else {
            doc.draws.append(PlanDocument.Draw(id: id, month: month, seed: doc.seed, method: RandomDraw.method, pool: "general",
                                               poolSize: 0, poolSha256: "", k: 1, drawn: []))
        }
        doc.visits.append(PlanDocument.Visit(id: newVisitId(), unit: "", month: month, kind: "random", campaign: nil, draw: id))
    }

    /// Key visits of units that have more key visits than they need (removable without a
    /// coverage shortfall), one per unit, latest first.
    func extraKeyVisits(_ doc: PlanDocument) -> [Int] {
        let need = Dictionary(uniqueKeysWithValues: doc.units.map { ($0.id, max(1, $0.requiredVisits)) })
        let per = doc.keyVisitsPerUnit
        var seen = Set<String>()
        return doc.visits.indices.reversed().filter { i in
            let v = doc.visits[i]
            guard v.kind == "key", per[v.unit, default: 0] > need[v.unit, default: 1], !seen.contains(v.unit) else { return false }
            seen.insert(v.unit)
            return true
        }
    }

    func failing(_ doc: PlanDocument, _ ctx: PlanContext? = nil) -> Set<String> {
        Set(PlanVerifier.checks(doc, context: ctx).filter { !$0.pass }.map { $0.rule })
    }

    // MARK: One rule broken at a time

    /// The red unit needs 2 full-coverage visits; one is deleted.
    func testRemovingAKeyVisitFailsKeyCover() throws {
        var (doc, ctx) = try Self.slackPlan()
        let red = PT.code(1)
        let i = try XCTUnwrap(doc.visits.firstIndex { $0.unit == red && $0.kind == "key" && doc.visitsPerMonth[$0.month - 1] > 1 })
        doc.visits.remove(at: i)
        PlanMetrics.fill(&doc)
        assertVerified(doc, ctx, failing: ["FREQ-KEY-COVER"], planned: false)
        let cover = try XCTUnwrap(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "FREQ-KEY-COVER" && $0.unit == "visits" })
        XCTAssertFalse(cover.pass)
        XCTAssertEqual(cover.shortfall, 1)
        XCTAssertEqual(doc.metrics.keyUnitsCovered, 9)
    }

    /// RULES.md §7.11: a plan stating a laxer key share or ratio than 五(十二)'s floors fails,
    /// even when its figures meet the stated value; a stricter value is checked as stated and
    /// named as the scenario's.
    func testAPlanStatingThresholdsBelowTheFloorsFails() throws {
        var (doc, ctx) = try Self.slackPlan()
        doc.policy.keyShareMin = 0.5
        doc.policy.visitsPerWorkdayMin = 0.5
        // Given the scenario, its own values are the thresholds and the plan's are named as not the
        // scenario's (VerifierTamperTests); here plan.json alone.
        XCTAssertEqual(failing(doc, ctx), ["PLAN-SCENARIO"])
        XCTAssertEqual(failing(doc), ["PLAN-SHARE60", "PLAN-RATIO-BUREAU"])
        let share = try XCTUnwrap(PlanVerifier.checks(doc).first { $0.rule == "PLAN-SHARE60" })
        XCTAssertTrue(share.message.contains("低于政策底线60%"), share.message)
        XCTAssertNotNil(share.fix)
        // Figures that only meet the lax value fail on the floor: 32 visits for 48 workdays.
        doc.workdays.inspection = 48
        doc.policy.visitsPerWorkdayMin = 0.75
        let ratio = try XCTUnwrap(PlanVerifier.checks(doc).first { $0.rule == "PLAN-RATIO-BUREAU" })
        XCTAssertFalse(ratio.pass)
        XCTAssertEqual(ratio.shortfall, 4, "⌈0.75 × 48⌉ − 32")
        // Stricter than the floor: the scenario's value, said so.
        doc.workdays.inspection = 40
        doc.policy.keyShareMin = 0.65
        let strict = try XCTUnwrap(PlanVerifier.checks(doc).first { $0.rule == "PLAN-SHARE60" })
        XCTAssertTrue(strict.pass, strict.message)
        XCTAssertTrue(strict.message.contains("本场景从严"), strict.message)
        doc.policy.keyShareMin = 0.9
        XCTAssertEqual(failing(doc), ["PLAN-SHARE60"], "22/32 is short of a stricter 90%")
    }

    /// A third visit to the red unit (already at the yearly cap of 2), in a month with room.
    func testAThirdVisitToAUnitFailsTheYearlyCap() throws {
        var (doc, ctx) = try Self.slackPlan()
        let red = PT.code(1)
        let month = try roomyMonth(doc, except: Set(doc.visits.filter { $0.unit == red }.map { $0.month }))
        doc.visits.append(PlanDocument.Visit(id: newVisitId(), unit: red, month: month, kind: "key", campaign: nil, draw: nil))
        PlanMetrics.fill(&doc)
        assertVerified(doc, ctx, failing: ["FREQ-CAP"], planned: false)
        let all = PlanVerifier.checks(doc, context: ctx)
        XCTAssertEqual(all.filter { $0.rule == "FREQ-KEY-COVER" }.map { $0.pass }, [true], "coverage holds, on one line of its own")
        let cap = try XCTUnwrap(all.first { $0.rule == "FREQ-CAP" }, "the yearly cap is its own rule line")
        XCTAssertEqual(all.filter { $0.rule == "FREQ-CAP" }.count, 1)
        XCTAssertFalse(cap.pass, "the cap check fails")
        XCTAssertEqual(cap.unit, "units")
        XCTAssertEqual(cap.figure, 3)
        XCTAssertEqual(cap.shortfall, 1)
        XCTAssertTrue(cap.message.contains(red))
    }

    /// 14 second visits to orange units become random visits in the same months (same effort):
    /// key share (40 − 14)/45 = 57.8% < 60%.
    func testReplacingKeyVisitsByRandomVisitsFailsShare60() throws {
        var (doc, ctx) = try Self.fullPlan()
        let extra = extraKeyVisits(doc)
        XCTAssertGreaterThanOrEqual(extra.count, 14)
        let chosen = Array(extra.prefix(14))
        let months = chosen.map { doc.visits[$0].month }
        for i in chosen.sorted(by: >) { doc.visits.remove(at: i) }
        for m in months { addRandomVisit(&doc, month: m) }
        try redraw(&doc)
        PlanMetrics.fill(&doc)
        XCTAssertEqual(doc.metrics.visits, 45)
        XCTAssertEqual(doc.metrics.keyVisits, 26)
        assertVerified(doc, ctx, failing: ["PLAN-SHARE60"], planned: false)
        let share = try XCTUnwrap(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "PLAN-SHARE60" })
        XCTAssertEqual(share.shortfall, 1, "⌈0.6 × 45⌉ − 26")
    }

    /// Three random visits dropped (their draws shrunk accordingly): 29 visits for 40 workdays
    /// is under 0.75 (30 visits).
    func testDroppingVisitsFailsTheRatio() throws {
        var (doc, ctx) = try Self.slackPlan()
        var toDrop = 3
        for i in doc.draws.indices.sorted(by: { doc.draws[$0].month > doc.draws[$1].month }) where doc.draws[i].pool == "general" && toDrop > 0 {
            let n = min(toDrop, doc.draws[i].k, doc.visitsPerMonth[doc.draws[i].month - 1] - 1)   // no month left empty
            let gone = Set(doc.draws[i].drawn.suffix(n))
            doc.visits.removeAll { $0.draw == doc.draws[i].id && gone.contains($0.unit) }
            doc.draws[i].k -= n
            toDrop -= n
        }
        doc.draws.removeAll { $0.k == 0 }
        try redraw(&doc)
        PlanMetrics.fill(&doc)
        XCTAssertEqual(doc.metrics.visits, 29)
        XCTAssertFalse(doc.visitsPerMonth.contains(0))
        assertVerified(doc, ctx, failing: ["PLAN-RATIO-BUREAU"], planned: false)
        XCTAssertEqual(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "PLAN-RATIO-BUREAU" }?.shortfall, 1)
    }

    /// A published draw's drawn list altered (one unit swapped for another general unit) while
    /// the visits stay: re-running the draw gives a different result.
    func testAlteringADrawFailsGeneralRandom() throws {
        var (doc, ctx) = try Self.slackPlan()
        let i = try XCTUnwrap(doc.draws.firstIndex { $0.pool == "general" })
        let other = try XCTUnwrap(doc.units.first { $0.ownUnit && $0.class == "general" && !doc.draws[i].drawn.contains($0.id) })
        doc.draws[i].drawn[0] = other.id
        assertVerified(doc, ctx, failing: ["FREQ-GENERAL-RANDOM"], planned: false)
        let check = try XCTUnwrap(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "FREQ-GENERAL-RANDOM" })
        XCTAssertTrue(check.message.contains(doc.draws[i].id), check.message)
        XCTAssertNotNil(check.fix)
    }

    /// Draws re-run two at a time (a large plan's) find what one at a time finds, in the same
    /// order: here two altered draws of the capacity-bound plan, checked both ways.
    func testDrawsReRunSideBySideFindTheSameInTheSameOrder() throws {
        var (doc, ctx) = try Self.fullPlan()
        let general = doc.draws.indices.filter { doc.draws[$0].pool == "general" && !doc.draws[$0].drawn.isEmpty }
        XCTAssertGreaterThanOrEqual(general.count, 2)
        for i in general.prefix(2) {
            let other = try XCTUnwrap(doc.units.first { $0.ownUnit && $0.class == "general" && !doc.draws[i].drawn.contains($0.id) })
            doc.draws[i].drawn[0] = other.id
        }
        let saved = Audit.parallelRerunMembers
        defer { Audit.parallelRerunMembers = saved }
        let oneByOne = PlanVerifier.evaluate(doc, context: ctx, keptDraws: .trusted).draws
        Audit.parallelRerunMembers = 0
        let sideBySide = PlanVerifier.evaluate(doc, context: ctx, keptDraws: .trusted).draws
        XCTAssertEqual(sideBySide.map(\.en), oneByOne.map(\.en))
        XCTAssertTrue(oneByOne.contains { $0.en.contains(doc.draws[general[0]].id) && $0.en.contains("different result") }, "\(oneByOne)")
        XCTAssertTrue(oneByOne.contains { $0.en.contains(doc.draws[general[1]].id) && $0.en.contains("different result") }, "\(oneByOne)")
    }

    /// A pool member the draw refuses (a general unit's weight set to 0 in the plan) is a finding
    /// of each draw whose pool holds it, one at a time and side by side alike.
    func testAPoolMemberTheDrawRefusesIsAFindingOfItsDraws() throws {
        var (doc, _) = try Self.fullPlan()
        let drawnIds = Set(doc.draws.flatMap(\.drawn))
        let u = try XCTUnwrap(doc.units.firstIndex { $0.ownUnit && $0.class == "general" && !drawnIds.contains($0.id) })
        doc.units[u].drawWeight = 0
        let saved = Audit.parallelRerunMembers
        defer { Audit.parallelRerunMembers = saved }
        for threshold in [saved, 0] {
            Audit.parallelRerunMembers = threshold
            let draws = PlanVerifier.evaluate(doc, context: nil, keptDraws: .trusted).draws
            let general = doc.draws.filter { $0.pool == "general" }
            XCTAssertFalse(general.isEmpty)
            for d in general {
                XCTAssertTrue(draws.contains { $0.en.contains(d.id) && $0.en.contains("weight of pool member \"\(doc.units[u].id)\" must be > 0") },
                              "\(d.id): \(draws.map(\.en))")
            }
        }
    }

    /// A random visit pointed at a general unit nobody drew, the draw record left alone.
    func testARandomVisitToAnUndrawnUnitFailsGeneralRandom() throws {
        var (doc, ctx) = try Self.fullPlan()
        let drawn = Set(doc.draws.flatMap { $0.drawn })
        let i = try XCTUnwrap(doc.visits.firstIndex { $0.kind == "random" })
        let other = try XCTUnwrap(doc.units.first { $0.ownUnit && $0.class == "general" && !drawn.contains($0.id) })
        doc.visits[i].unit = other.id
        PlanMetrics.fill(&doc)
        assertVerified(doc, ctx, failing: ["FREQ-GENERAL-RANDOM"], planned: false)
        let check = try XCTUnwrap(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "FREQ-GENERAL-RANDOM" })
        XCTAssertTrue(check.message.contains("抽中单位与检查安排不一致"), check.message)
        let en = try XCTUnwrap(PlanVerifier.checks(doc, context: ctx).rendered(.en).first { $0.rule == "FREQ-GENERAL-RANDOM" })
        XCTAssertTrue(en.message.contains("the visits do not match the units drawn"), en.message)
    }

    /// A campaign visit moved out of May–August into a month with room.
    func testACampaignVisitOutsideItsMonthsFailsSpecial() throws {
        var (doc, ctx) = try Self.slackPlan()
        let i = try XCTUnwrap(doc.visits.firstIndex { $0.kind == "special" && doc.visitsPerMonth[$0.month - 1] > 1 })
        doc.visits[i].month = try roomyMonth(doc, except: [5, 6, 7, 8])
        PlanMetrics.fill(&doc)
        assertVerified(doc, ctx, failing: ["PLAN-SPECIAL"], planned: false)
        let check = try XCTUnwrap(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "PLAN-SPECIAL" })
        XCTAssertEqual(check.shortfall, 0, "the count is met; the month is wrong")
        XCTAssertTrue(check.message.contains("1家次不在专项月份"), check.message)
    }

    /// A campaign visit pointed at a unit the campaign does not match (given the scenario).
    func testACampaignVisitOnANonMatchingUnitFailsSpecial() throws {
        var (doc, ctx) = try Self.slackPlan()
        let i = try XCTUnwrap(doc.visits.firstIndex { $0.kind == "special" })
        let month = doc.visits[i].month
        let unit = try XCTUnwrap(doc.units.first { u in u.ownUnit && u.class == "general" && !doc.visits.contains { $0.unit == u.id && $0.month == month } && u.id != PT.code(1009) && u.id != PT.code(1010) && (doc.visitsPerUnit[u.id] ?? 0) < 2 })
        doc.visits[i].unit = unit.id
        PlanMetrics.fill(&doc)
        assertVerified(doc, ctx, failing: ["PLAN-SPECIAL"], planned: false)
        // Without the scenario the verifier cannot know the campaign's match: plan.json alone passes.
        XCTAssertTrue(PlanVerifier.checks(doc).allSatisfy { $0.pass })
    }

    /// The joint check's visits turned into ordinary random visits of the same month (the draws
    /// re-run so that they stay reproducible): no joint check.
    func testWithoutJointVisitsFreqJointFails() throws {
        var (doc, ctx) = try Self.slackPlan()
        let j = try XCTUnwrap(doc.draws.first { $0.pool == "industrial" })
        doc.visits.removeAll { $0.draw == j.id }
        doc.draws.removeAll { $0.id == j.id }
        for _ in 0..<j.k { addRandomVisit(&doc, month: j.month) }
        try redraw(&doc)
        PlanMetrics.fill(&doc)
        XCTAssertEqual(doc.metrics.jointVisits, 0)
        XCTAssertEqual(doc.metrics.visits, 32)
        assertVerified(doc, ctx, failing: ["FREQ-JOINT"], planned: false)
        XCTAssertEqual(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "FREQ-JOINT" }?.shortfall, 3)
    }

    /// The joint check split over two months.
    func testAJointCheckOverTwoMonthsFailsFreqJoint() throws {
        var (doc, ctx) = try Self.slackPlan()
        let j = try XCTUnwrap(doc.draws.first { $0.pool == "industrial" })
        // One joint visit moved to another month: FREQ-JOINT sees two months, and the drawn
        // unit's visit is no longer in its draw's month (FREQ-GENERAL-RANDOM).
        let i = try XCTUnwrap(doc.visits.firstIndex { $0.draw == j.id })
        doc.visits[i].month = try roomyMonth(doc, except: [j.month])
        PlanMetrics.fill(&doc)
        assertVerified(doc, ctx, failing: ["FREQ-JOINT", "FREQ-GENERAL-RANDOM"], planned: false)
    }

    /// Every key visit of the capacity-bound hand instance (HandSolvedPlanTests) put in January:
    /// January far over its team-days (PLAN-BASIS) and February–July empty (PLAN-DECOMPOSE;
    /// its five random visits are in August to December).
    func testAllKeyVisitsInOneMonthFailBasisAndDecompose() throws {
        var units = [PT.key(1, .red, increase: true)]
        units += (2...4).map { PT.key($0, .orange) } + (5...10).map { PT.key($0, .yellow) } + (11...20).map { PT.key($0, .blue) }
        units += (1...40).map { PT.general(1000 + $0) }
        var (doc, ctx) = try PT.plan(PT.districtScenario(inspection: 40), units)
        assertVerified(doc, ctx)
        for i in doc.visits.indices where doc.visits[i].kind == "key" { doc.visits[i].month = 1 }
        PlanMetrics.fill(&doc)
        XCTAssertEqual(doc.visitsPerMonth, [30, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        assertVerified(doc, ctx, failing: ["PLAN-BASIS", "PLAN-DECOMPOSE"], planned: false)
        let checks = PlanVerifier.checks(doc, context: ctx)
        XCTAssertEqual(checks.first { $0.rule == "PLAN-BASIS" }?.shortfall, 13.48, "15 team-days in a month of 1.52, nothing accrued before")
        XCTAssertEqual(checks.first { $0.rule == "PLAN-DECOMPOSE" }?.shortfall, 6)
    }

    /// A second visit of an orange unit pointed at a key unit of 黄浦区, which its own bureau
    /// inspects.
    func testAVisitToAnotherAuthoritysUnitFailsTierOne() throws {
        var (doc, ctx) = try Self.slackPlan()
        let i = try XCTUnwrap(extraKeyVisits(doc).first { doc.unitsById[doc.visits[$0].unit]?.requiredVisits == 1 })
        doc.visits[i].unit = PT.code(3001)
        PlanMetrics.fill(&doc)
        XCTAssertEqual(doc.unitsById[PT.code(3001)]?.ownUnit, false)
        assertVerified(doc, ctx, failing: ["TIER-ONE"], planned: false)
        let tier = try XCTUnwrap(PlanVerifier.checks(doc).first { $0.rule == "TIER-ONE" })
        XCTAssertFalse(tier.pass, "caught from plan.json alone")
        XCTAssertTrue(tier.message.contains(PT.code(3001)), tier.message)
    }

    /// A city run's plan lists only the authority's own units (DATA.md §7): it verifies against
    /// the scenario like the plan that lists the whole ledger; one own unit left out does not.
    func testAPlanListingExactlyItsOwnUnitsPassesTierOne() throws {
        var (doc, ctx) = try Self.slackPlan()
        doc.units = doc.units.filter { $0.ownUnit }
        XCTAssertLessThan(doc.units.count, ctx.units.count)
        XCTAssertEqual(doc.units.count, ctx.own.count)
        XCTAssertEqual(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "TIER-ONE" }?.pass, true)
        doc.units.removeLast()
        let tier = try XCTUnwrap(PlanVerifier.checks(doc, context: ctx).first { $0.rule == "TIER-ONE" })
        XCTAssertFalse(tier.pass)
        XCTAssertTrue(tier.message.contains("台账有\(ctx.units.count)家"), tier.message)
    }

    /// A unit's class edited in plan.json (a key unit relabelled general): caught against the
    /// ledger the scenario names.
    func testAUnitRelabelledAgainstTheLedgerFailsTierOne() throws {
        var (doc, ctx) = try Self.slackPlan()
        let i = try XCTUnwrap(doc.units.firstIndex { $0.id == PT.code(3002) })
        doc.units[i].class = "general"
        assertVerified(doc, ctx, failing: ["TIER-ONE"], planned: false)
        XCTAssertTrue(PlanVerifier.checks(doc).allSatisfy { $0.pass }, "plan.json alone cannot tell")
    }
}

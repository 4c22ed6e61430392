import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
@testable import Reports

/// Verdict messages are values (`Finding`, `Phrase`): the verifier measures, Reports words them in
/// Chinese or English. Each case here is worded by hand from its figures.
final class VerdictTextTests: XCTestCase {
    func words(_ f: Finding, _ lang: Lang) -> (String, String?) { (VerdictText.message(f, lang), VerdictText.fix(f, lang)) }

    func testKeyCoverShortfallInBothLanguages() {
        let f = Finding.keyCover(covered: 3, keyUnits: 5, missing: 2, teamDays: 1.5, officers: 1)
        XCTAssertEqual(words(f, .zh).0, "重点检查单位全覆盖：3/5家达到应检次数")
        XCTAssertEqual(words(f, .zh).1, "差2家次：需增加1.50组·日（3人·日）监督检查工作日，约1名执法人员")
        XCTAssertEqual(words(f, .en).0, "full coverage of key units: 3/5 get their required visits")
        XCTAssertEqual(words(f, .en).1, "short of 2 visits: 1.50 team-days (3 person-days) more inspection workdays, about 1 more officers")
        let covered = Finding.keyCover(covered: 5, keyUnits: 5, missing: 0, teamDays: 0, officers: 0)
        XCTAssertNil(words(covered, .zh).1)
        XCTAssertNil(words(covered, .en).1)
    }

    /// RULES.md §7.11: a laxer stated share fails and says so; a stricter one is the scenario's.
    func testKeyShareAgainstThePolicyFloor() {
        let lax = Finding.share(keyVisits: 55, visits: 100, share: 0.55, stated: 0.5, floor: 0.6, short: 5, dropGeneral: 10)
        XCTAssertEqual(words(lax, .zh).0, "重点检查工作量（重点单位+专项执法）55/100家次 = 55.0%；计划所列要求50%低于政策底线60%，不符合五(十二)")
        XCTAssertEqual(words(lax, .zh).1, "差5家次：增加5家次重点或专项检查，或减少约10家次一般检查")
        XCTAssertEqual(words(lax, .en).0, "key inspection work (key units + special campaigns) 55/100 visits = 55.0%; the plan states 50%, below the policy floor of 60%")
        XCTAssertEqual(words(lax, .en).1, "short of 5 visits: add 5 key or campaign visits, or drop about 10 general visits")
        let laxButMet = Finding.share(keyVisits: 70, visits: 100, share: 0.7, stated: 0.5, floor: 0.6, short: 0, dropGeneral: 0)
        XCTAssertEqual(words(laxButMet, .zh).1, "按政策底线60%重新编制计划")
        XCTAssertEqual(words(laxButMet, .en).1, "plan again at the policy floor of 60%")
        let strict = Finding.share(keyVisits: 70, visits: 100, share: 0.7, stated: 0.7, floor: 0.6, short: 0, dropGeneral: 0)
        XCTAssertEqual(words(strict, .zh).0, "重点检查工作量（重点单位+专项执法）70/100家次 = 70.0%（本场景从严：70%，政策底线60%）")
        XCTAssertEqual(words(strict, .en).0, "key inspection work (key units + special campaigns) 70/100 visits = 70.0% (stricter in this scenario: 70%; policy floor 60%)")
        XCTAssertNil(words(strict, .en).1)
    }

    func testRatioShortfallNamesTheEffortThatWouldFit() {
        let f = Finding.ratio(visits: 300, workdays: 500, ratio: 0.6, stated: 0.75, floor: 0.75, short: 75, effortBound: 0.8, teamDays: 37.5)
        XCTAssertEqual(words(f, .zh).0, "检查总家次/监督检查工作日 = 300/500 = 0.600")
        XCTAssertEqual(words(f, .zh).1, "差75家次：每次检查用时降至≤0.80组·日，或提高抽查比例、增加专项检查以增加75家次（需37.50组·日）")
        XCTAssertEqual(words(f, .en).0, "visits / inspection workdays = 300/500 = 0.600")
        XCTAssertEqual(words(f, .en).1, "short of 75 visits: bring a visit's effort down to ≤0.80 team-days, or raise the sampling rate or add campaign visits for 75 more visits (37.50 team-days)")
    }

    func testDrawsWithProblemsListTheFirstThree() {
        let problems = (1...4).map { Phrase("D-2027-0\($0)：重新抽取结果与记录不符", "D-2027-0\($0): re-running the draw gives a different result") }
        let f = Finding.generalRandom(drawn: 12, rate: 0.05, generalUnits: 240, needed: 12, draws: 4, problems: problems, short: 0, teamDays: 0)
        XCTAssertEqual(words(f, .zh).0, "双随机抽取一般检查单位12家（应≥5%×240 = 12家），4次抽取：D-2027-01：重新抽取结果与记录不符；D-2027-02：重新抽取结果与记录不符；D-2027-03：重新抽取结果与记录不符")
        XCTAssertEqual(words(f, .en).0, "12 general units drawn at random (need ≥5% × 240 = 12), 4 draws: D-2027-01: re-running the draw gives a different result; D-2027-02: re-running the draw gives a different result; D-2027-03: re-running the draw gives a different result")
        XCTAssertEqual(words(f, .zh).1, "按记录的种子与抽取池重新抽取")
        let clean = Finding.generalRandom(drawn: 12, rate: 0.05, generalUnits: 240, needed: 12, draws: 4, problems: [], short: 0, teamDays: 0)
        XCTAssertEqual(words(clean, .zh).0, "双随机抽取一般检查单位12家（应≥5%×240 = 12家），4次抽取均可复现")
        XCTAssertEqual(words(clean, .en).0, "12 general units drawn at random (need ≥5% × 240 = 12), 4 draws, all reproducible")
        let short = Finding.generalRandom(drawn: 10, rate: 0.05, generalUnits: 240, needed: 12, draws: 4, problems: [], short: 2, teamDays: 1)
        XCTAssertEqual(words(short, .zh).1, "差2家：需1组·日")
        XCTAssertEqual(words(short, .en).1, "short of 2 units: 1 team-days")
    }

    /// Campaign names are the scenario's own words in both languages; months read 4月、5月 / months 4, 5.
    func testCampaignWithTooFewEligibleUnits() {
        let f = Finding.campaign(name: "有限空间作业专项", visits: 8, months: [4, 5], eligible: 6, minimum: 10, outside: 1, mismatched: 2, short: 2, teamDays: 2)
        XCTAssertEqual(words(f, .zh).0, "专项执法「有限空间作业专项」8家次（4月、5月，符合条件单位6家）；1家次不在专项月份；2家次单位不符合专项条件")
        XCTAssertEqual(words(f, .zh).1, "符合条件的单位只有6家：降低专项最少家次或放宽条件")
        XCTAssertEqual(words(f, .en).0, "campaign \"有限空间作业专项\": 8 visits (months 4, 5; 6 eligible units); 1 visits outside its months; 2 visits to units it does not cover")
        XCTAssertEqual(words(f, .en).1, "only 6 units are eligible: lower the campaign's minimum or widen its criteria")
        let oneMonth = Finding.campaign(name: "X", visits: 2, months: [6], eligible: 9, minimum: 4, outside: 0, mismatched: 0, short: 2, teamDays: 3)
        XCTAssertEqual(words(oneMonth, .en).0, "campaign \"X\": 2 visits (month 6; 9 eligible units)")
        XCTAssertEqual(words(oneMonth, .zh).1, "差2家次：需3组·日")
    }

    func testJointCheckOutsideItsMonths() {
        let f = Finding.joint(visits: 5, months: [3], setMonths: [6], allowed: false, short: 0, teamDays: 0)
        XCTAssertEqual(words(f, .zh).0, "工业企业跨部门联合双随机抽查5家次（3月），不在规定月份6月")
        XCTAssertEqual(words(f, .en).0, "joint cross-department random check of industrial units: 5 visits (month 3), outside the set month 6")
        let spread = Finding.joint(visits: 5, months: [3, 4], setMonths: [], allowed: true, short: 1, teamDays: 0.5)
        XCTAssertEqual(words(spread, .zh).0, "工业企业跨部门联合双随机抽查5家次，分散在2个月")
        XCTAssertEqual(words(spread, .en).1, "short of 1 visits: 0.50 team-days")
    }

    func testBasisDecomposeCapAndTier() {
        let basis = Finding.basis(reserveShare: 0.1, overMonths: [3, 4], overBy: 2.3456, officers: 1)
        XCTAssertEqual(words(basis, .zh).0, "计划检查用时与可用检查组·日（已扣除10%用于触发式检查，未用组·日可顺延）：3月、4月超出")
        XCTAssertEqual(words(basis, .zh).1, "超出2.35组·日：约增加1名执法人员，或减少这些月份的检查")
        XCTAssertEqual(words(basis, .en).0, "planned effort within the team-days available (10% kept for triggered inspections, unused team-days carried forward): over in months 3, 4")
        XCTAssertEqual(words(.decompose(emptyMonths: [8]), .zh).0, "分解为季度、月度计划：8月无检查")
        XCTAssertEqual(words(.decompose(emptyMonths: []), .en).0, "broken into quarterly and monthly plans: every month with workdays has visits")
        XCTAssertEqual(words(.cap(maxVisits: 3, over: 2, example: "91310115A"), .zh).0, "单家单位年度检查次数上限3次：2家超出，如 91310115A")
        XCTAssertEqual(words(.cap(maxVisits: 3, over: 0, example: nil), .en).0, "at most 3 visits a year to one unit")
        XCTAssertNil(words(.cap(maxVisits: 3, over: 0, example: nil), .en).1)
        let tier = Finding.tierOne(problems: [Phrase("V-0001：单位X不属本执法主体", "V-0001: unit X is not this authority's")])
        XCTAssertEqual(words(tier, .zh).0, "一家单位对应一个执法层级：V-0001：单位X不属本执法主体")
        XCTAssertEqual(words(tier, .en).1, "re-classify from the ledger or drop the visits to units not this authority's")
    }

    /// PLAN-FORMAT names at most ten problems and counts the rest.
    func testFormatProblemsAreCounted() {
        let ps = (1...12).map { Phrase("months[\($0)].month = 13：应在1–12之间", "months[\($0)].month = 13: expected 1–12") }
        let zh = words(.planFormat(problems: ps), .zh).0, en = words(.planFormat(problems: ps), .en).0
        XCTAssertTrue(zh.hasPrefix("计划文件格式不符（DATA.md §4）：months[1].month = 13：应在1–12之间；months[2]"), zh)
        XCTAssertTrue(zh.hasSuffix("months[10].month = 13：应在1–12之间 等12处"), zh)
        XCTAssertTrue(en.hasSuffix("months[10].month = 13: expected 1–12 and 2 more"), en)
        XCTAssertFalse(en.contains("months[11]"), en)
        XCTAssertEqual(words(.planFormat(problems: []), .en).0, "the plan file is well formed, its numbers in range (DATA.md §4)")
        XCTAssertNil(words(.planFormat(problems: []), .en).1)
        XCTAssertEqual(words(.planScenario(problems: [Phrase("seed：计划为1，场景为2", "seed: the plan states 1, the scenario 2")]), .en).0,
                       "the plan states its scenario (seed, policy, workdays, calendar, campaigns, ledger): 1 differences: seed: the plan states 1, the scenario 2")
    }

    func testRosterLines() {
        XCTAssertEqual(words(.roster(rule: .avoidance, problems: [], total: 7), .zh).0, "回避：7项均符合")
        XCTAssertEqual(words(.roster(rule: .avoidance, problems: [], total: 7), .en).0, "conflicts of interest (回避): all 7 comply")
        let ps = (1...5).map { Phrase("V-000\($0)：组员重复", "V-000\($0): a member listed twice") }
        XCTAssertEqual(words(.roster(rule: .siteTeam, problems: ps, total: 9), .en).0,
                       "two certified officers or more on every visit, one of them leading: V-0001: a member listed twice; V-0002: a member listed twice; V-0003: a member listed twice and 2 more")
        let format = words(.rosterFormat(problems: [Phrase("month = 13：应在1–12之间", "month = 13: expected 1–12")]), .zh)
        XCTAssertEqual(format.0, "检查方案文件格式不符（DATA.md §6）：month = 13：应在1–12之间")
        XCTAssertEqual(format.1, "使用 planner roster 生成的原始检查方案")
    }

    /// A check the verifier just made is worded again in English; one read from plan.json (no
    /// finding) keeps its stored words.
    func testChecksAreRenderedFromTheirFindings() {
        let made = PlanDocument.RuleCheck(.decompose, .decompose(emptyMonths: [2]), figure: 11, threshold: 12, pass: false, shortfall: 1)
        XCTAssertEqual(made.message, "分解为季度、月度计划：2月无检查")      // plan.json keeps Chinese
        XCTAssertEqual(made.unit, "months")
        let read = PlanDocument.RuleCheck(rule: "PLAN-DECOMPOSE", figure: 11, threshold: 12, pass: false, shortfall: 1, unit: "months",
                                          message: "分解为季度、月度计划：2月无检查", fix: "在这些月份安排检查")
        XCTAssertEqual(read, made, "the finding is not part of what the file holds")
        let en = VerdictText.checks([made, read], .en)
        XCTAssertEqual(en[0].message, "broken into quarterly and monthly plans: no visits in month 2")
        XCTAssertEqual(en[0].fix, "plan visits in these months")
        XCTAssertEqual(en[1].message, read.message)
        XCTAssertEqual(VerdictText.problems([Phrase("甲", "A")], .en), ["A"])
    }

    /// `planner verify` lays a verdict out as a table, the failing lines with their fixes, then
    /// each stated figure that differs from the visits.
    func testPlanVerdictLayout() {
        let line = PlanDocument.RuleCheck(.decompose, .decompose(emptyMonths: [2]), figure: 11, threshold: 12, pass: false, shortfall: 1)
        let v = PlanVerifier.Verdict(checks: [line], formatProblems: [], drawProblems: [], scenarioProblems: [],
                                     metricDifferences: [Discrepancy.metrics.phrase], statedDifferences: [])
        let en = VerdictText.plan(v, .en)
        XCTAssertTrue(en.contains("PLAN-DECOMPOSE"), en)
        XCTAssertTrue(en.contains("  FAIL PLAN-DECOMPOSE: broken into"), en)
        XCTAssertTrue(en.contains("— plan visits in these months\n"), en)
        XCTAssertTrue(en.hasSuffix("  FAIL the stated metrics differ from the visits\n"), en)
        let zh = VerdictText.plan(v, .zh)
        XCTAssertTrue(zh.hasSuffix("  不符合 metrics 与检查安排不一致\n"), zh)
        XCTAssertEqual(VerdictText.conclusion(pass: false, .en), "\nSome rules fail.")
        XCTAssertEqual(PlanReport.threshold(line), "≥12")
        XCTAssertEqual(PlanReport.threshold(PlanDocument.RuleCheck(rule: "FREQ-CAP", figure: 3, threshold: 3, pass: true, shortfall: 0, unit: "units", message: "", fix: nil)), "≤3")
        XCTAssertEqual(PlanReport.threshold(PlanDocument.RuleCheck(rule: "TIER-ONE", figure: 0, threshold: 0, pass: true, shortfall: 0, unit: "problems", message: "", fix: nil)), "0")
    }

    /// A campaign's line is titled with its campaign, from the finding or, read from plan.json,
    /// from the message (a name with 」 in it is still whole when the finding is there).
    func testCampaignLineTitleNamesTheCampaign() {
        let f = Finding.campaign(name: "甲」乙专项", visits: 2, months: [6], eligible: 9, minimum: 2, outside: 0, mismatched: 0, short: 0, teamDays: 0)
        let made = PlanDocument.RuleCheck(.special, f, figure: 2, threshold: 2, pass: true, shortfall: 0)
        XCTAssertEqual(PlanReport.ruleText(made, .zh), "专项执法「甲」乙专项」〔四(十)〕")
        XCTAssertEqual(PlanReport.ruleText(made, .en), "special campaigns \"甲」乙专项\" [四(十)]")
        var read = made
        read.finding = nil
        read.message = "专项执法「有限空间作业专项」2家次（6月，符合条件单位9家）"
        XCTAssertEqual(PlanReport.ruleText(read, .zh), "专项执法「有限空间作业专项」〔四(十)〕")
    }
}

import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
import Synthetic

/// Issue 11 (speed to the I/O floor): the faster paths give the same figures as the plain
/// day-by-day, visit-by-visit definitions, and a context with ten thousand officers is built in
/// linear time.
final class PlanSpeedTests: XCTestCase {
    /// Officers with unavailability, joining and leaving dates, and neither: each month's counts
    /// are the day-by-day counts (on the staff, and available when asked).
    func testOfficerWorkdaysEqualTheDayByDayCount() throws {
        let cal = try WIF.calendar()
        var roll: [StaffMember] = []
        var employment: [String: DateSpan] = [:]
        for i in 0..<40 {
            var o = StaffMember(id: "O\(i)", name: "执法人员\(i)", certified: true)
            if i % 3 == 0 {
                o.unavailable = [DateSpan(first: CivilDate(year: WIF.year, month: 1 + i % 12, day: 3)!,
                                          last: CivilDate(year: WIF.year, month: 1 + i % 12, day: 20)!)!]
            }
            if i % 4 == 1 { employment[o.id] = DateSpan(first: CivilDate(year: WIF.year, month: 1 + i % 12, day: 15)!, last: CivilDate(year: WIF.year, month: 12, day: 31)!)! }
            if i % 4 == 2 { employment[o.id] = DateSpan(first: CivilDate(year: WIF.year, month: 1, day: 1)!, last: CivilDate(year: WIF.year, month: 1 + i % 12, day: 9)!)! }
            roll.append(o)
        }
        for availability in [false, true] {
            let fast = PlanContext.officerWorkdays(calendar: cal, officers: roll, employment: employment, availability: availability)
            let slow = (1...12).map { m in
                cal.workdayDates(inMonth: m).reduce(0) { n, d in
                    n + roll.filter { (employment[$0.id]?.contains(d) ?? true) && (!availability || $0.isAvailable(on: d)) }.count
                }
            }
            XCTAssertEqual(fast, slow, "availability \(availability)")
        }
        // The context's figures are those counts.
        let d = WIF.demoLike()
        let ctx = try PlanContext(scenario: d.scenario, ledger: Ledger(units: d.units), staff: roll, calendar: cal, employment: employment)
        XCTAssertEqual(ctx.availablePersonDays, PlanContext.officerWorkdays(calendar: cal, officers: roll, employment: employment, availability: true))
        XCTAssertEqual(ctx.budget.staffWorkdays,
                       cal.workdayDates.reduce(0) { n, d in n + roll.filter { employment[$0.id]?.contains(d) ?? true }.count })
    }

    /// The fuzz seed max-delta.yaml: ten thousand officers joining on 31 December. Building the
    /// context checked every officer on every workday by dictionary (about 16 s in a debug
    /// build); now officers sharing a span share its counts.
    func testTenThousandJoinersCountTheirOneWorkday() throws {
        let d = WIF.demoLike()
        let (roll, employment) = WhatIf.staff(d.staff, delta: 10_000, from: CivilDate(year: WIF.year, month: 12, day: 31), year: WIF.year)
        // Its time is a benchmark figure (BENCHMARKS.md), not asserted here: a shared machine is noisy.
        let ctx = try PlanContext(scenario: d.scenario, ledger: Ledger(units: d.units), staff: roll, calendar: try WIF.calendar(), employment: employment)
        // The joiners work one day (31 December is a workday in 2027) or none.
        let dec31 = CivilDate(year: WIF.year, month: 12, day: 31)!
        let extra = (try WIF.calendar()).workdayDates.contains(dec31) ? 10_000 : 0
        let base = try PlanContext(scenario: d.scenario, ledger: Ledger(units: d.units), staff: d.staff, calendar: try WIF.calendar())
        XCTAssertEqual(ctx.availablePersonDays.reduce(0, +), base.availablePersonDays.reduce(0, +) + extra)
    }

    /// A sweep classifies the ledger once: a context given that classification is the context
    /// computed afresh; one made for another authority or year is not used.
    func testSharedClassificationGivesTheSameContext() throws {
        let d = WIF.demoLike()
        let ledger = Ledger(units: d.units)
        let cal = try WIF.calendar()
        let classified = PlanContext.ClassifiedLedger(scenario: d.scenario, ledger: ledger)
        var other = d.scenario
        other.workdays.otherEnforcement.append(WorkdayItem(name: "测试调整", days: 30))
        other.policy.generalSampleRate = 0.07
        XCTAssertTrue(classified.fits(other))
        let shared = try PlanContext(scenario: other, ledger: ledger, staff: d.staff, calendar: cal, classified: classified)
        let fresh = try PlanContext(scenario: other, ledger: ledger, staff: d.staff, calendar: cal)
        XCTAssertEqual(shared.classifications, fresh.classifications)
        XCTAssertEqual(shared.own, fresh.own)
        XCTAssertEqual(shared.missingFields, fresh.missingFields)
        XCTAssertEqual(shared.required, fresh.required)
        XCTAssertEqual(shared.drawWeight, fresh.drawWeight)

        var town = d.scenario
        town.authority = Authority(name: "某街道", level: .town, district: d.scenario.authority.district, town: d.units.first!.town)
        XCTAssertFalse(classified.fits(town))
        let townShared = try PlanContext(scenario: town, ledger: ledger, staff: d.staff, calendar: cal, classified: classified)
        let townFresh = try PlanContext(scenario: town, ledger: ledger, staff: d.staff, calendar: cal)
        XCTAssertEqual(townShared.own, townFresh.own)
        XCTAssertNotEqual(townShared.own, shared.own)
        var nextYear = d.scenario
        nextYear.year += 1
        XCTAssertFalse(classified.fits(nextYear))
    }

    /// Metrics in one pass over the visits: the figures of the plain definitions, visit by visit
    /// (every kind, a triggered visit counting no planned effort), on a solved and verified plan.
    func testMetricsOfOnePassAreThePlainCounts() throws {
        let (_, ctx, planned) = try WIF.planned800(seed: 11)
        wifVerify(planned, ctx)
        var doc = planned
        doc.visits.append(.init(id: "V-9998", unit: doc.visits[0].unit, month: 5, kind: .triggered, campaign: nil, draw: nil))
        PlanMetrics.fill(&doc)
        let unit = Dictionary(doc.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let m = doc.metrics
        XCTAssertEqual(m.visits, doc.visits.count)
        XCTAssertEqual(m.keyVisits, doc.visits.filter { unit[$0.unit]?.isKey == true }.count)
        XCTAssertEqual(m.specialVisits, doc.visits.filter { $0.kind == "special" }.count)
        XCTAssertEqual(m.randomVisits, doc.visits.filter { $0.kind == "random" }.count)
        XCTAssertEqual(m.jointVisits, doc.visits.filter { $0.kind == "joint" }.count)
        XCTAssertEqual(m.generalUnitsDrawn, Set(doc.visits.filter { $0.kind == "random" || $0.kind == "joint" }.map(\.unit)).count)
        let p = doc.policy
        func effort(_ k: String) -> Double { k == "key" ? p.effortKey : k == "special" ? p.effortSpecial : k == "triggered" ? 0 : p.effortGeneral }
        XCTAssertEqual(m.effortTeamDays, round2(doc.visits.reduce(0) { $0 + effort($1.kind) }))
        for month in doc.months {
            let vs = doc.visits.filter { $0.month == month.month }
            XCTAssertEqual(month.visits, vs.count)
            XCTAssertEqual(month.key, vs.filter { $0.kind == "key" }.count)
            XCTAssertEqual(month.random, vs.filter { $0.kind == "random" }.count)
            XCTAssertEqual(month.special, vs.filter { $0.kind == "special" }.count)
            XCTAssertEqual(month.joint, vs.filter { $0.kind == "joint" }.count)
            XCTAssertEqual(month.effortTeamDays, round2(vs.reduce(0) { $0 + effort($1.kind) }))
        }
        XCTAssertGreaterThan(doc.months[4].visits, planned.months[4].visits)
    }
}

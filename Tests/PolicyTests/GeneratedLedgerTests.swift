import XCTest
@testable import Ledger
@testable import Policy
@testable import Synthetic

/// A generated district, classified by the Classifier and counted again here by a separate,
/// deliberately literal reading of RULES.md §2 and §7.
final class GeneratedLedgerTests: XCTestCase {
    func testCountsMatchAnIndependentRecount() throws {
        let d = Generator.district(ShanghaiGeography.district(named: "闵行区")!, units: 3000, seed: 42, year: 2027)
        let results = Classifier(scenario: d.scenario).classify(d.units)
        let windowStart = CivilDate("2024-01-01")!

        var expectedKey = 0, expectedExempted = 0, expectedCity = 0
        var perRule: [String: Int] = [:]
        for u in d.units {
            var mandatory: [String] = []
            let m1 = u.category == .hazchem && u.licensed && (u.activity == .production || u.activity == .storage || u.activity == .use)
            if m1 { mandatory.append("KEY-M1") }
            if !m1 && (u.keyProcess || u.majorHazard) { mandatory.append("KEY-M2") }
            if u.category == .fireworks && u.activity == .retail { mandatory.append("KEY-M3") }
            if u.moltenMetal { mandatory.append("KEY-M4") }
            if u.explosiveDust { mandatory.append("KEY-M5") }
            if u.ammoniaRefrigeration { mandatory.append("KEY-M6") }
            if u.category == .industryTrade && u.activity == .lightIndustry && u.sewageTreatment
                && [LightSector.food, .paper, .leather, .fur, .feather].contains(u.lightSector) { mandatory.append("KEY-M7") }
            if u.category == .assessmentAgency { mandatory.append("KEY-M8") }
            if u.category == .industryTrade && (u.scale == .large || u.scale == .medium) { mandatory.append("KEY-M9") }
            var byDefault: [String] = []
            if u.openMajorHazard { byDefault.append("KEY-D1") }
            if let a = u.lastFatalAccident, a >= windowStart { byDefault.append("KEY-D2") }
            if let a = u.lastBlacklisted, a >= windowStart { byDefault.append("KEY-D3") }
            if u.penalties3y >= 2 { byDefault.append("KEY-D4") }
            if u.designatedKey { byDefault.append("KEY-D5") }
            let exempt = !(u.exemption ?? "").isEmpty
            // RULES.md §7.10: the city's key list makes a unit key, exemption or not; KEY-CITY is
            // named only when no other rule holds.
            let key = !mandatory.isEmpty || (!byDefault.isEmpty && !exempt) || u.cityList
            if key { expectedKey += 1 }
            if !key && !byDefault.isEmpty { expectedExempted += 1 }
            for r in mandatory + byDefault { perRule[r, default: 0] += 1 }
            if u.cityList && mandatory.isEmpty && byDefault.isEmpty { perRule["KEY-CITY", default: 0] += 1 }
            if [.centralHQ, .centralBranch, .cityHQ].contains(u.ownership) || u.cityList { expectedCity += 1 }
        }

        XCTAssertEqual(results.filter { $0.unitClass == .key }.count, expectedKey)
        XCTAssertEqual(results.filter { $0.exempted }.count, expectedExempted)
        XCTAssertEqual(results.filter { $0.tier == .city }.count, expectedCity)
        for rule in KeyRule.allCases {
            XCTAssertEqual(results.filter { $0.rules.contains(rule) }.count, perRule[rule.id] ?? 0, rule.id)
        }
        // The generator's proportions are realistic: some of every kind, key a minority.
        XCTAssertGreaterThan(expectedKey, 300)
        XCTAssertLessThan(expectedKey, 1200)
        XCTAssertGreaterThan(expectedExempted, 0)
        XCTAssertGreaterThan(expectedCity, 0)
        for rule in KeyRule.allCases where rule != .m8 { XCTAssertGreaterThan(perRule[rule.id] ?? 0, 0, rule.id) }
    }

    func testSameSeedSameDistrict() {
        let p = ShanghaiGeography.district(named: "浦东新区")!
        let a = Generator.district(p, units: 200, seed: 5, year: 2027)
        let b = Generator.district(p, units: 200, seed: 5, year: 2027)
        let c = Generator.district(p, units: 200, seed: 6, year: 2027)
        XCTAssertEqual(a.units, b.units)
        XCTAssertEqual(a.staff, b.staff)
        XCTAssertNotEqual(a.units, c.units)
        XCTAssertTrue(a.units.allSatisfy { CreditCode.isValid($0.id) })
    }

    func testWrittenFilesLoadBack() throws {
        let dir = NSTemporaryDirectory() + "gen-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = Generator.district(ShanghaiGeography.district(named: "金山区")!, units: 300, seed: 9, year: 2027)
        try d.write(to: dir)
        let s = try ScenarioLoader.load(path: dir + "/scenario.yaml")
        let l = try LedgerLoader.load(path: s.ledgerPath!)
        XCTAssertEqual(l.units, d.units)
        XCTAssertEqual(try StaffLoader.load(path: s.staffPath!), d.staff)
        XCTAssertEqual(try StaffLoader.load(path: s.expertsPath!, experts: true), d.experts)
        XCTAssertEqual(s.campaigns, d.scenario.campaigns)
        XCTAssertEqual(s.workdays, d.scenario.workdays)
    }
}

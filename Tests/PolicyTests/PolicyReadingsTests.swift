import XCTest
@testable import Ledger
@testable import Policy

/// RULES.md §7.10 (the city's key list), §7.14 (zones authorised for key units) and the ledger
/// checks that keep a blank field from silently dropping a key unit.
final class PolicyReadingsTests: XCTestCase {
    func unit(_ n: Int = 1, _ edit: (inout LedgerUnit) -> Void = { _ in }) -> LedgerUnit {
        var u = LedgerUnit(id: String(format: "91310115MA%07dX", n), name: "单位\(n)", district: "浦东新区", town: "唐镇",
                           category: .industryTrade, scale: .micro)
        u.activity = .commerce
        edit(&u)
        return u
    }

    // MARK: §7.10 KEY-CITY

    func testCityListAloneMakesAUnitKeyUnderKeyCity() {
        let r = Classifier(year: 2027).classify(unit { $0.cityList = true })
        XCTAssertEqual(r.unitClass, .key)
        XCTAssertEqual(r.rules, [.city])
        XCTAssertEqual(r.rules.map { $0.id }, ["KEY-CITY"])
        XCTAssertEqual(r.tier, .city)
        XCTAssertTrue(r.explanation.contains("市重点检查单位"), r.explanation)
    }

    func testOtherRulesAreListedInsteadOfKeyCity() {
        let r = Classifier(year: 2027).classify(unit { $0.cityList = true; $0.explosiveDust = true })
        XCTAssertEqual(r.rules, [.m5])
        XCTAssertEqual(r.unitClass, .key)
    }

    func testAnExemptionDoesNotUndoTheCityList() {
        let r = Classifier(year: 2027).classify(unit { $0.cityList = true; $0.designatedKey = true; $0.exemption = "已整改" })
        XCTAssertEqual(r.unitClass, .key, "the city's designation stands")
        XCTAssertEqual(r.rules, [.d5])
        XCTAssertTrue(r.explanation.contains("四(六)"), r.explanation)
        // Without the list the same exemption makes it general.
        XCTAssertEqual(Classifier(year: 2027).classify(unit { $0.designatedKey = true; $0.exemption = "已整改" }).unitClass, .general)
    }

    // MARK: §7.14 zones and their key units

    func testAZoneAuthorisedForKeyUnitsTakesItsZonesDistrictTierKeyUnits() {
        var d = Delegation()
        d.zones = .only(["张江科学城"])
        let inZone = unit(1) { $0.zone = "张江科学城"; $0.explosiveDust = true }
        let general = unit(2) { $0.zone = "张江科学城" }
        let cityTier = unit(3) { $0.zone = "张江科学城"; $0.explosiveDust = true; $0.ownership = .cityHQ }
        let outside = unit(4) { $0.zone = "外高桥"; $0.explosiveDust = true }
        let plain = Classifier(year: 2027, district: "浦东新区", delegation: d)
        XCTAssertEqual(plain.classify(inZone).tier, .district, "not authorised: key units stay with the district")
        XCTAssertEqual(plain.classify(general).tier, .zone)
        d.zoneKeyUnits = true
        let authorised = Classifier(year: 2027, district: "浦东新区", delegation: d)
        XCTAssertEqual(authorised.classify(inZone).tier, .zone)
        XCTAssertEqual(authorised.classify(general).tier, .zone)
        XCTAssertEqual(authorised.classify(cityTier).tier, .city, "city-tier units stay with the city")
        XCTAssertEqual(authorised.classify(outside).tier, .district, "another zone's key unit is not delegated")
        // Key units are still never delegated to towns.
        d.towns = .all
        XCTAssertEqual(Classifier(year: 2027, district: "浦东新区", delegation: d).classify(unit(5) { $0.explosiveDust = true }).tier, .district)
    }

    func testTheScenarioKeyIsRead() throws {
        let s = try ScenarioLoader.parse(yaml: "year: 2027\nauthority: { level: district, district: 浦东新区 }\ndelegate: { zones: [张江科学城], zone_key_units: yes }\n", file: "s.yaml")
        XCTAssertTrue(s.delegation.zoneKeyUnits)
        XCTAssertThrowsError(try ScenarioLoader.parse(yaml: "year: 2027\nauthority: { level: district, district: 浦东新区 }\ndelegate: { zone_key_units: maybe }\n", file: "s.yaml")) { e in
            XCTAssertEqual((e as? InputError)?.problems.first?.column, "delegate.zone_key_units")
        }
    }

    // MARK: blank fields that could hide a key unit; dates after the plan's year

    func testBlankFieldsThatCouldHideAKeyUnitAreNamedByRowAndColumn() throws {
        let csv = """
        统一社会信用代码,单位名称,所属区,所属街镇,行业类别,经营方式/细分行业,轻工子行业,规模,危化品许可证,污水处理设施
        91310115MA00090010,许可无方式,浦东新区,唐镇,危险化学品,,,小型,是,否
        91310115MA00090023,烟花无方式,浦东新区,唐镇,烟花爆竹,,,小型,否,否
        91310115MA00090036,轻工无子行业,浦东新区,唐镇,工贸,轻工,,小型,否,是
        91310115MA00090049,完整,浦东新区,唐镇,工贸,轻工,食品加工,小型,否,是

        """
        let ledger = try LedgerLoader.load(data: Data(csv.utf8), file: "台账.csv")
        let found = LedgerChecks.missingFields(ledger)
        XCTAssertEqual(found.map { $0.row }, [2, 3, 4])
        XCTAssertEqual(found.map { $0.column }, ["经营方式/细分行业", "经营方式/细分行业", "轻工子行业"])
        XCTAssertEqual(found.map { $0.rule }, [.m1, .m3, .m7])
        let c = Classifier(year: 2027)
        XCTAssertTrue(ledger.units.prefix(3).allSatisfy { c.classify($0).unitClass == .general }, "the ledger as it stands")
        XCTAssertEqual(c.classify(ledger.units[3]).rules, [.m7])
        XCTAssertTrue(found[0].text(.zh).hasPrefix("第2行「经营方式/细分行业」"), found[0].text(.zh))
        XCTAssertTrue(found[0].text(.zh).contains("KEY-M1"))
        XCTAssertTrue(found[1].text(.en).hasPrefix("row 3, column 经营方式/细分行业: fireworks unit with no activity"), found[1].text(.en))
    }

    func testDatesAfterThePlansYearAreInputErrors() throws {
        let csv = """
        统一社会信用代码,单位名称,所属区,所属街镇,行业类别,经营方式/细分行业,规模,最近死亡事故日期,上次检查日期
        91310115MA00090010,甲,浦东新区,唐镇,工贸,商贸,小型,2028-03-01,
        91310115MA00090023,乙,浦东新区,唐镇,工贸,商贸,小型,2026-03-01,2027-12-31

        """
        let ledger = try LedgerLoader.load(data: Data(csv.utf8), file: "台账.csv")
        let problems = LedgerChecks.datesAfterYear(ledger, year: 2027)
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems.first?.file, "台账.csv")
        XCTAssertEqual(problems.first?.row, 2)
        XCTAssertEqual(problems.first?.column, "最近死亡事故日期")
        XCTAssertEqual(problems.first?.value, "2028-03-01")
        XCTAssertEqual(LedgerChecks.datesAfterYear(ledger, year: 2028).count, 0)
    }
}

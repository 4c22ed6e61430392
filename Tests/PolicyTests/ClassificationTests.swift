import XCTest
@testable import Ledger
@testable import Policy

/// One test per rule ID of RULES.md §2: holds, does not hold, and (KEY-D) exempted.
final class ClassificationTests: XCTestCase {
    let c = Classifier(year: 2027)

    /// A micro commerce unit: no rule holds.
    func plain(_ edit: (inout LedgerUnit) -> Void = { _ in }) -> LedgerUnit {
        var u = LedgerUnit(id: "91310115MA00000013", name: "测试", district: "浦东新区", town: "唐镇", category: .industryTrade, scale: .micro)
        u.activity = .commerce
        edit(&u)
        return u
    }

    func assertKey(_ u: LedgerUnit, by rule: KeyRule, file: StaticString = #filePath, line: UInt = #line) {
        let r = c.classify(u)
        XCTAssertEqual(r.unitClass, .key, file: file, line: line)
        XCTAssertEqual(r.rules, [rule], file: file, line: line)
        XCTAssertTrue(r.explanation.contains(rule.clause), r.explanation, file: file, line: line)
    }

    func assertGeneral(_ u: LedgerUnit, file: StaticString = #filePath, line: UInt = #line) {
        let r = c.classify(u)
        XCTAssertEqual(r.unitClass, .general, file: file, line: line)
        XCTAssertEqual(r.rules, [], file: file, line: line)
    }

    func testPlainUnitIsGeneral() {
        let r = c.classify(plain())
        XCTAssertEqual(r.unitClass, .general)
        XCTAssertEqual(r.explanation, "一般检查单位：不符合三(一)任何纳入重点的情形")
    }

    func testM1LicensedProducerStorerUser() {
        for a in [Activity.production, .storage, .use] {
            assertKey(plain { $0.category = .hazchem; $0.activity = a; $0.licensed = true }, by: .m1)
        }
        XCTAssertEqual(c.classify(plain { $0.category = .hazchem; $0.activity = .production; $0.licensed = true }).explanation,
                       "三(一)1：核发许可证的危险化学品生产单位")
        assertGeneral(plain { $0.category = .hazchem; $0.activity = .production; $0.licensed = false })
        assertGeneral(plain { $0.category = .hazchem; $0.activity = .trading; $0.licensed = true })   // §7.2: a trader is not M1
    }

    func testM2ProcessOrMajorHazardWithoutLicence() {
        assertKey(plain { $0.category = .hazchem; $0.activity = .use; $0.keyProcess = true }, by: .m2)
        assertKey(plain { $0.category = .hazchem; $0.activity = .trading; $0.licensed = true; $0.majorHazard = true }, by: .m2)   // §7.3
        assertKey(plain { $0.majorHazard = true }, by: .m2)   // any category
        // Not M2 when the unit is already M1.
        XCTAssertEqual(c.classify(plain { $0.category = .hazchem; $0.activity = .storage; $0.licensed = true; $0.majorHazard = true }).rules, [.m1])
    }

    func testM3FireworksRetailOnly() {
        assertKey(plain { $0.category = .fireworks; $0.activity = .retail }, by: .m3)
        assertGeneral(plain { $0.category = .fireworks; $0.activity = .wholesale })
    }

    func testM4MoltenMetalM5DustM6AmmoniaAnyCategory() {
        assertKey(plain { $0.moltenMetal = true }, by: .m4)
        assertKey(plain { $0.category = .precursor; $0.activity = nil; $0.explosiveDust = true }, by: .m5)
        assertKey(plain { $0.ammoniaRefrigeration = true }, by: .m6)
    }

    func testM7LightIndustrySectorsWithSewage() {
        for s in [LightSector.food, .paper, .leather, .fur, .feather] {
            assertKey(plain { $0.activity = .lightIndustry; $0.lightSector = s; $0.sewageTreatment = true }, by: .m7)
        }
        assertGeneral(plain { $0.activity = .lightIndustry; $0.lightSector = .other; $0.sewageTreatment = true })
        assertGeneral(plain { $0.activity = .lightIndustry; $0.lightSector = .food; $0.sewageTreatment = false })
        assertGeneral(plain { $0.activity = .textile; $0.sewageTreatment = true })
    }

    func testM8AssessmentAgenciesOnly() {
        assertKey(plain { $0.category = .assessmentAgency; $0.activity = nil }, by: .m8)
        assertGeneral(plain { $0.category = .trainingAgency; $0.activity = nil })
        assertGeneral(plain { $0.category = .appraisalAgency; $0.activity = nil })
    }

    func testM9LargeOrMediumIndustryAndTrade() {
        assertKey(plain { $0.scale = .large }, by: .m9)
        assertKey(plain { $0.scale = .medium }, by: .m9)
        assertGeneral(plain { $0.scale = .small })
        assertGeneral(plain { $0.category = .precursor; $0.activity = nil; $0.scale = .large })
    }

    func testMandatoryRulesIgnoreExemption() {
        let r = c.classify(plain { $0.scale = .large; $0.exemption = "已停产" })
        XCTAssertEqual(r.unitClass, .key)
        XCTAssertFalse(r.exempted)
        XCTAssertEqual(r.exemption, "已停产")   // still shown
    }

    // MARK: KEY-D

    func assertDefaultRule(_ rule: KeyRule, holds: (inout LedgerUnit) -> Void, doesNotHold: (inout LedgerUnit) -> Void,
                           file: StaticString = #filePath, line: UInt = #line) {
        assertKey(plain(holds), by: rule, file: file, line: line)
        assertGeneral(plain(doesNotHold), file: file, line: line)
        let exempted = c.classify(plain { holds(&$0); $0.exemption = "隐患已整改销号" })
        XCTAssertEqual(exempted.unitClass, .general, file: file, line: line)
        XCTAssertEqual(exempted.rules, [rule], "the rule still listed", file: file, line: line)
        XCTAssertTrue(exempted.exempted, file: file, line: line)
        XCTAssertTrue(exempted.explanation.contains("隐患已整改销号"), exempted.explanation, file: file, line: line)
        // A blank exemption is no exemption.
        XCTAssertEqual(c.classify(plain { holds(&$0); $0.exemption = "  " }).unitClass, .key, file: file, line: line)
    }

    func testD1OpenMajorHazard() {
        assertDefaultRule(.d1, holds: { $0.openMajorHazard = true }, doesNotHold: { $0.openMajorHazard = false })
    }

    func testD2FatalAccidentInLastThreeYearsFromFirstOfJanuary() {
        // Plan year 2027: the window opens on 2024-01-01 and has no upper bound (§7.1).
        assertDefaultRule(.d2, holds: { $0.lastFatalAccident = CivilDate("2024-01-01") },
                          doesNotHold: { $0.lastFatalAccident = CivilDate("2023-12-31") })
        assertKey(plain { $0.lastFatalAccident = CivilDate("2027-02-01") }, by: .d2)
    }

    func testD3Blacklisted() {
        assertDefaultRule(.d3, holds: { $0.lastBlacklisted = CivilDate("2026-05-05") },
                          doesNotHold: { $0.lastBlacklisted = CivilDate("2023-06-30") })
    }

    func testD4TwoOrMorePenalties() {
        assertDefaultRule(.d4, holds: { $0.penalties3y = 2 }, doesNotHold: { $0.penalties3y = 1 })
    }

    func testD5Designated() {
        assertDefaultRule(.d5, holds: { $0.designatedKey = true }, doesNotHold: { $0.designatedKey = false })
    }

    func testExemptionStopsOnlyDefaultRulesWhenBothHold() {
        let r = c.classify(plain { $0.scale = .medium; $0.penalties3y = 3; $0.exemption = "整改完毕" })
        XCTAssertEqual(r.unitClass, .key)
        XCTAssertEqual(r.rules, [.m9, .d4])
        XCTAssertFalse(r.exempted)
        XCTAssertTrue(r.explanation.contains("三(一)9"), r.explanation)
        XCTAssertTrue(r.explanation.contains("整改完毕"), r.explanation)
    }

    func testEveryRuleListedWhenSeveralHold() {
        let r = c.classify(plain { $0.moltenMetal = true; $0.explosiveDust = true; $0.openMajorHazard = true })
        XCTAssertEqual(r.rules, [.m4, .m5, .d1])
        XCTAssertEqual(r.riskLevel, .red)
        XCTAssertTrue(r.riskDerived)
    }

    // MARK: Tiers (RULES.md §4, §7.7)

    func testTiers() {
        XCTAssertEqual(c.classify(plain { $0.ownership = .centralHQ }).tier, .city)
        XCTAssertEqual(c.classify(plain { $0.ownership = .centralBranch }).tier, .city)
        XCTAssertEqual(c.classify(plain { $0.ownership = .cityHQ }).tier, .city)
        XCTAssertEqual(c.classify(plain { $0.cityList = true; $0.scale = .large }).tier, .city)
        XCTAssertEqual(c.classify(plain { $0.ownership = .cityBranch }).tier, .district)
        XCTAssertEqual(c.classify(plain { $0.ownership = .districtHQ; $0.scale = .large }).tier, .district)
        let key = c.classify(plain { $0.scale = .large })
        XCTAssertEqual(key.tier, .district)
        XCTAssertEqual(key.authority, "浦东新区应急管理局")
        XCTAssertEqual(c.classify(plain { $0.ownership = .cityHQ }).authority, "上海市应急管理局")
    }

    func testDelegationMovesGeneralUnitsOnly() {
        var d = Delegation(); d.towns = .all; d.zones = .only(["临港新片区"])
        let dc = Classifier(year: 2027, district: "浦东新区", delegation: d)
        let town = dc.classify(plain())
        XCTAssertEqual(town.tier, .town)
        XCTAssertEqual(town.authority, "唐镇人民政府")
        XCTAssertEqual(dc.classify(plain { $0.town = "陆家嘴街道" }).authority, "陆家嘴街道办事处")
        XCTAssertEqual(dc.classify(plain { $0.zone = "临港新片区"; $0.town = "泥城镇" }).tier, .zone)
        XCTAssertEqual(dc.classify(plain { $0.zone = "临港新片区"; $0.town = "泥城镇" }).authority, "临港新片区管理委员会")
        // Key units are never delegated (TIER-DISTRICT); city units stay with the city.
        XCTAssertEqual(dc.classify(plain { $0.scale = .large }).tier, .district)
        XCTAssertEqual(dc.classify(plain { $0.zone = "临港新片区"; $0.moltenMetal = true }).tier, .district)
        XCTAssertEqual(dc.classify(plain { $0.ownership = .centralHQ }).tier, .city)
    }

    func testTownScenarioImpliesItsOwnDelegation() {
        var s = Scenario(year: 2027, authority: Authority(name: "唐镇人民政府", level: .town, district: "浦东新区", town: "唐镇"))
        s.delegation = Delegation()
        let tc = Classifier(scenario: s)
        XCTAssertEqual(tc.classify(plain()).tier, .town)
        XCTAssertEqual(tc.classify(plain { $0.town = "张江镇" }).tier, .district)
    }
}

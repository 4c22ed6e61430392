import XCTest
@testable import Ledger

final class ScenarioTests: XCTestCase {
    let sample = """
    year: 2027
    authority:
      name: 浦东新区应急管理局
      level: district
      district: 浦东新区
    ledger: ledger.csv
    staff: staff.csv
    seed: 20270101
    workdays:
      other_enforcement: { 行政许可: 120, 事故调查: 80 }
      non_enforcement: 500
    policy:
      general_sample_rate: 0.08
    campaigns:
      - name: 有限空间作业专项
        months: [5, 6, 7, 8]
        match: { sewage_treatment: true, category: [industry_trade, 危险化学品] }
        visits: 30
    """

    func testSampleParsesWithDefaultsAndOrder() throws {
        let s = try ScenarioLoader.parse(yaml: sample, file: "s.yaml", folder: "/data")
        XCTAssertEqual(s.year, 2027)
        XCTAssertEqual(s.authority.level, .district)
        XCTAssertEqual(s.ledgerPath, "/data/ledger.csv")
        XCTAssertEqual(s.seed, 20270101)
        XCTAssertEqual(s.workdays.otherEnforcement.map { $0.name }, ["行政许可", "事故调查"])
        XCTAssertEqual(s.workdays.otherEnforcementTotal, 200)
        XCTAssertEqual(s.workdays.nonEnforcementTotal, 500)
        XCTAssertEqual(s.policy.generalSampleRate, 0.08)
        XCTAssertEqual(s.policy.keyShareMin, 0.60)
        XCTAssertEqual(s.policy.visitsPerWorkdayMin, 0.75)
        XCTAssertEqual(s.campaigns[0].match.first { $0.key == "category" }?.values, ["industry_trade", "hazchem"])
    }

    func testTownLevelDefaultsToRatioOne() throws {
        let s = try ScenarioLoader.parse(yaml: "year: 2027\nauthority: { level: town, district: 浦东新区, town: 陆家嘴街道 }\n", file: "t.yaml")
        XCTAssertEqual(s.policy.visitsPerWorkdayMin, 1.0)
        XCTAssertEqual(s.authority.name, "陆家嘴街道办事处")
    }

    func testUnknownKeyIsAnErrorWithLine() {
        XCTAssertThrowsError(try ScenarioLoader.parse(yaml: sample + "\npolicy2: 1\n", file: "s.yaml")) { e in
            let p = (e as! InputError).problems
            XCTAssertEqual(p.count, 1)
            XCTAssertEqual(p[0].column, "policy2")
            XCTAssertEqual(p[0].row, 19)
        }
    }

    func testBadValuesAreAllReported() {
        let y = """
        year: 2027
        authority: { level: province }
        policy: { key_share_min: 1.5 }
        campaigns:
          - { name: x, months: [13], match: { colour: red }, visits: 3 }
        """
        XCTAssertThrowsError(try ScenarioLoader.parse(yaml: y, file: "s.yaml")) { e in
            let cols = Set((e as! InputError).problems.compactMap { $0.column })
            XCTAssertEqual(cols, ["authority.level", "authority.district", "policy.key_share_min", "campaigns[1].months", "campaigns[1].match.colour"])
        }
    }

    /// Deductions per officer, next to the totals (PARAMETERS.md "Totals and per-officer deductions").
    func testPerOfficerDeductionsParseAsNumberOrMap() throws {
        let y = """
        year: 2027
        authority: { level: district, district: 浦东新区 }
        workdays:
          other_enforcement: 300
          other_enforcement_per_officer: 12.5
          non_enforcement_per_officer: { 培训: 10, 会议: 8 }
        """
        let s = try ScenarioLoader.parse(yaml: y, file: "s.yaml")
        XCTAssertEqual(s.workdays.otherEnforcementTotal, 300)
        XCTAssertEqual(s.workdays.otherEnforcementPerOfficer, [WorkdayItem(name: nil, days: 12.5)])
        XCTAssertEqual(s.workdays.nonEnforcementPerOfficer.map { $0.name }, ["培训", "会议"])
        XCTAssertEqual(s.workdays.perOfficer, 30.5)
        XCTAssertEqual(s.workdays.nonEnforcement, [], "no total stated")
    }

    func testPerOfficerDeductionsBeyondAYearAreErrorsWithKeyAndLine() {
        let y = """
        year: 2027
        authority: { level: district, district: 浦东新区 }
        workdays:
          non_enforcement_per_officer: { 培训: 400 }
          other_enforcement_per_officer: -3
        """
        XCTAssertThrowsError(try ScenarioLoader.parse(yaml: y, file: "s.yaml")) { e in
            let p = (e as! InputError).problems
            XCTAssertEqual(Set(p.compactMap { $0.column }), ["workdays.non_enforcement_per_officer.培训", "workdays.other_enforcement_per_officer"])
            XCTAssertEqual(p.first { $0.column == "workdays.non_enforcement_per_officer.培训" }?.row, 4)
            XCTAssertEqual(p.first { $0.column == "workdays.non_enforcement_per_officer.培训" }?.value, "400")
        }
        let both = "year: 2027\nauthority: { level: district, district: 浦东新区 }\nworkdays:\n  non_enforcement_per_officer: 200\n  other_enforcement_per_officer: 200\n"
        XCTAssertThrowsError(try ScenarioLoader.parse(yaml: both, file: "s.yaml")) { e in
            XCTAssertEqual((e as! InputError).problems.map { $0.column }, ["workdays"])
        }
    }
}

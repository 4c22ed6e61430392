import XCTest
@testable import Ledger

/// RULES.md §7.11: the thresholds of 五(十二) are floors. A laxer value is an input error naming
/// the key, the value and the floor; a stricter one is the scenario's.
final class PolicyFloorTests: XCTestCase {
    func scenario(_ level: String, _ policy: String) throws -> Scenario {
        let where_ = level == "town" ? ", town: 陆家嘴街道" : (level == "zone" ? ", zone: 张江科学城" : "")
        return try ScenarioLoader.parse(yaml: "year: 2027\nauthority: { level: \(level), district: 浦东新区\(where_) }\npolicy: { \(policy) }\n", file: "s.yaml")
    }

    func problem(_ level: String, _ policy: String) -> InputProblem? {
        do { _ = try scenario(level, policy); return nil } catch let e as InputError { return e.problems.first } catch { return nil }
    }

    func testALaxerKeyShareIsAnInputError() throws {
        let p = try XCTUnwrap(problem("district", "key_share_min: 0.5"))
        XCTAssertEqual(p.file, "s.yaml")
        XCTAssertEqual(p.row, 3)
        XCTAssertEqual(p.column, "policy.key_share_min")
        XCTAssertEqual(p.value, "0.5")
        XCTAssertTrue(p.message.contains("政策底线0.6"), p.message)
    }

    func testALaxerRatioIsAnInputErrorAtEachLevelsFloor() throws {
        let bureau = try XCTUnwrap(problem("district", "visits_per_workday_min: 0.7"))
        XCTAssertEqual(bureau.column, "policy.visits_per_workday_min")
        XCTAssertTrue(bureau.message.contains("0.75"), bureau.message)
        // 0.8 is stricter than a bureau's 0.75 but laxer than a town's or a zone's 1.
        XCTAssertEqual(try scenario("district", "visits_per_workday_min: 0.8").policy.visitsPerWorkdayMin, 0.8)
        for level in ["town", "zone"] {
            let local = try XCTUnwrap(problem(level, "visits_per_workday_min: 0.8"), level)
            XCTAssertTrue(local.message.contains("政策底线1"), local.message)
        }
    }

    func testStricterValuesAndTheFloorsThemselvesAreAccepted() throws {
        let s = try scenario("district", "key_share_min: 0.65, visits_per_workday_min: 0.75")
        XCTAssertEqual(s.policy.keyShareMin, 0.65)
        XCTAssertEqual(s.policy.visitsPerWorkdayMin, 0.75)
        XCTAssertEqual(try scenario("town", "key_share_min: 0.6, visits_per_workday_min: 1.2").policy.visitsPerWorkdayMin, 1.2)
    }
}

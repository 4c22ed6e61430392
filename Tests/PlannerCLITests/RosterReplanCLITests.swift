import Foundation
import XCTest

/// `planner roster` and `planner replan` given a plan: a plan of another scenario is refused
/// naming what disagrees; re-planning lists missed visits, carries or drops them, reports
/// coverage to date, and a moved visit keeps its 检查编号.
final class RosterReplanCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// The small generated district's scenario (CLIFixture.small: 浦东新区, 200 units, seed 2,
    /// year 2027, 机关值班 52 days) copied with absolute paths, `edit` applied to its text.
    func smallScenario(_ name: String, ledger: String? = nil, _ edit: (String) -> String = { $0 }) throws -> String {
        let small = try CLIFixture.smallScenario()
        let s = try String(contentsOfFile: "\(small)/scenario.yaml", encoding: .utf8)
            .replacingOccurrences(of: "ledger: ledger.csv", with: "ledger: \(ledger ?? "\(small)/ledger.csv")")
            .replacingOccurrences(of: "staff: staff.csv", with: "staff: \(small)/staff.csv")
            .replacingOccurrences(of: "experts: experts.csv", with: "experts: \(small)/experts.csv")
        try edit(s).write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// `scenario`'s plan, which must be compliant and verify.
    func plan(_ scenario: String) throws -> String {
        let r = try CLI.run(["plan", scenario, "--out", path("p"), "--time-limit", "10"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("GLPK optimal"), r.stdout)
        let v = try CLI.run(["verify", path("p/plan.json"), "--scenario", scenario])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        return path("p/plan.json")
    }

    func json(_ file: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
    }

    /// On the small district's shared plan (what is checked is the refusal and its message).
    func testARosterOrReplanOfAnotherScenariosPlanIsRefusedNamingTheMismatch() throws {
        let plan = try CLIFixture.smallPlan()
        // Another seed and another authority name: both named, with both values.
        let other = try smallScenario("other.yaml") {
            $0.replacingOccurrences(of: "seed: 20270101", with: "seed: 20270202")
              .replacingOccurrences(of: "name: 浦东新区应急管理局", with: "name: 浦东新区应急管理局（测试）")
        }
        for cmd in [["roster", other, "--plan", plan, "--month", "3", "--out", path("r1")],
                    ["replan", other, "--plan", plan, "--from-month", "7", "--out", path("r2")]] {
            let r = try CLI.run(cmd)
            XCTAssertEqual(r.status, 1, "\(cmd[0]): " + r.stdout + r.stderr)
            for needle in [plan, other, "随机种子不一致", "20270101", "20270202", "执法主体不一致", "浦东新区应急管理局（测试）"] {
                XCTAssertTrue(r.stderr.contains(needle), "\(cmd[0]): \(needle) in \(r.stderr)")
            }
            XCTAssertFalse(r.stderr.contains("年度不一致"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path(cmd[0] == "roster" ? "r1/roster-2027-03.json" : "r2/plan.json")), "nothing written")
        }
        // Another year.
        let year = try smallScenario("year.yaml") { $0.replacingOccurrences(of: "year: 2027", with: "year: 2028") }
        let y = try CLI.run(["roster", year, "--plan", plan, "--month", "3", "--out", path("r3")])
        XCTAssertEqual(y.status, 1, y.stdout + y.stderr)
        XCTAssertTrue(y.stderr.contains("年度不一致：计划为2027年，场景为2028年"), y.stderr)

        // Same authority, year and seed, but another ledger: the units are named, not 132 lines
        // of "不在台账中" in a roster.
        XCTAssertEqual(try CLI.run(["generate", "--district", "浦东新区", "--units", "300", "--seed", "99", "--out", path("g")]).status, 0)
        let ledger = try smallScenario("ledger.yaml", ledger: path("g/ledger.csv"))
        for cmd in [["roster", ledger, "--plan", plan, "--month", "3", "--out", path("r4")],
                    ["replan", ledger, "--plan", plan, "--from-month", "7", "--out", path("r5")]] {
            let r = try CLI.run(cmd)
            XCTAssertEqual(r.status, 1, "\(cmd[0]): " + r.stdout + r.stderr)
            XCTAssertTrue(r.stderr.contains("台账不一致"), r.stderr)
            XCTAssertTrue(r.stderr.contains(path("g/ledger.csv")), r.stderr)
            XCTAssertFalse(r.stdout.contains("不在台账中"), r.stdout)
            XCTAssertFalse(r.stderr.contains("随机种子不一致"), r.stderr)
        }
        // The scenario's own plan is still accepted.
        let ok = try CLI.run(["roster", try CLIFixture.smallScenario(), "--plan", plan, "--month", "3", "--out", path("r6")])
        XCTAssertTrue([0, 2].contains(ok.status), ok.stdout + ok.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("r6/roster-2027-03.json")))
    }

    /// The small district with 50 person-days less on duty (机关值班): its staff just meets every
    /// rule, so a visit carried into the second half would cost a random draw there; with these
    /// days the months after June have room for it.
    func testReplanCarriesMissedKeyVisitsReportsCoverageAndKeepsIds() throws {
        let scenario = try smallScenario("slack.yaml") { $0.replacingOccurrences(of: "机关值班: 52", with: "机关值班: 2") }
        XCTAssertTrue(try String(contentsOfFile: scenario, encoding: .utf8).contains("机关值班: 2\n"), "the edit applied")
        let plan = try plan(scenario)
        let visits = try json(plan)["visits"] as! [[String: Any]]
        let past = visits.filter { ($0["month"] as! Int) < 7 }
        // Missed: one key visit of March and one random visit of May; every other visit of
        // months 1–6 carried out.
        let key = try XCTUnwrap(past.first { $0["month"] as? Int == 3 && $0["kind"] as? String == "key" })
        let random = try XCTUnwrap(past.first { $0["month"] as? Int == 5 && $0["kind"] as? String == "random" })
        let missed = [key["id"] as! String, random["id"] as! String]
        var csv = "检查编号,检查日期\n"
        for v in past where !missed.contains(v["id"] as! String) { csv += "\(v["id"]!),2027-\(String(format: "%02d", v["month"] as! Int))-15\n" }
        try csv.write(toFile: path("done.csv"), atomically: true, encoding: .utf8)

        let r = try CLI.run(["replan", scenario, "--plan", plan, "--done", path("done.csv"), "--from-month", "7", "--out", path("d")])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("截至6月底重点检查单位已检查"), r.stdout)
        XCTAssertTrue(r.stdout.contains("截至6月底计划检查已执行：\(past.count - 2)/\(past.count)家次"), r.stdout)
        XCTAssertTrue(r.stdout.contains("未执行的计划检查"), r.stdout)
        XCTAssertTrue(r.stdout.contains("顺延"), r.stdout)
        let v = try CLI.run(["verify", path("d/plan.json"), "--scenario", scenario, "--previous", plan])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        XCTAssertEqual(CLI.solverStatus(path("d/plan.json")), "optimal")

        // changes.json: the changes, the missed visits and the coverage to date.
        let changes = try json(path("d/changes.json"))
        XCTAssertEqual(changes["schema"] as? String, "enforcement-changes/1")
        let m = try XCTUnwrap(changes["missed"] as? [[String: Any]])
        XCTAssertEqual(Set(m.map { $0["visit"] as! String }), Set(missed))
        let carried = try XCTUnwrap(m.first { $0["visit"] as? String == missed[0] })
        XCTAssertEqual(carried["action"] as? String, "carried")
        let to = try XCTUnwrap(carried["to_month"] as? Int)
        XCTAssertGreaterThanOrEqual(to, 7)
        XCTAssertEqual(m.first { $0["visit"] as? String == missed[1] }?["action"] as? String, "dropped")
        let cov = try XCTUnwrap(changes["coverage_to_date"] as? [String: Any])
        XCTAssertEqual(cov["planned_visits"] as? Int, past.count)
        XCTAssertEqual(cov["done_visits"] as? Int, past.count - 2)
        XCTAssertEqual(cov["missed_visits"] as? Int, 2)
        XCTAssertNotNil(cov["key_units_covered"] as? Int)
        // The carried visit keeps its 检查编号 in the new plan; the change list shows both months.
        let now = (try json(path("d/plan.json"))["visits"] as! [[String: Any]]).first { $0["id"] as? String == missed[0] }
        XCTAssertEqual(now?["month"] as? Int, to)
        XCTAssertEqual(now?["unit"] as? String, key["unit"] as? String)
        let list = try String(contentsOfFile: path("d/变更清单.csv"), encoding: .utf8)
        XCTAssertTrue(list.contains("调整月份,\(missed[0]),"), list)
        XCTAssertTrue(list.contains(",3,\(to),3月未执行，顺延至\(to)月"), list)
        XCTAssertTrue(list.contains("截至6月底计划检查已执行"), list)

        // --carry-missed all: the random visit is carried too.
        let all = try CLI.run(["replan", scenario, "--plan", plan, "--done", path("done.csv"), "--from-month", "7",
                               "--carry-missed", "all", "--out", path("a")])
        XCTAssertEqual(all.status, 0, all.stdout + all.stderr)
        let ma = try XCTUnwrap(try json(path("a/changes.json"))["missed"] as? [[String: Any]])
        XCTAssertTrue(ma.allSatisfy { $0["action"] as? String == "carried" }, "\(ma)")
        XCTAssertEqual(try CLI.run(["verify", path("a/plan.json"), "--scenario", scenario, "--previous", plan]).status, 0)
        XCTAssertEqual(CLI.solverStatus(path("a/plan.json")), "optimal")
        // A bad value is a usage error.
        let bad = try CLI.run(["replan", scenario, "--plan", plan, "--from-month", "7", "--carry-missed", "some", "--out", path("b")])
        XCTAssertEqual(bad.status, 64, bad.stderr)
    }
}

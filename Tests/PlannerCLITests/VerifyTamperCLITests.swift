import Foundation
import XCTest

/// `planner verify` on tampered plan files (issue 9): never a trap, exit 1 with the rule and the
/// JSON path named; and `planner replan` refuses a plan that does not verify. On the small
/// generated district (CLIFixture.small): what is checked is the exit code and the message, which
/// do not depend on the district's size.
final class VerifyTamperCLITests: XCTestCase {
    var dir: URL!
    /// The small district's scenario folder.
    var scenario = ""
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Whether `text` holds `needle`, whitespace (the line wrapping of long messages) ignored.
    func holds(_ text: String, _ needle: String) -> Bool {
        func squeeze(_ s: String) -> String { String(s.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init)) }
        return squeeze(text).contains(squeeze(needle))
    }

    /// The small district's compliant plan, copied to p/plan.json.
    func smallPlan() throws -> [String: Any] {
        scenario = try CLIFixture.smallScenario()
        try FileManager.default.createDirectory(atPath: path("p"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try CLIFixture.smallPlan(), toPath: path("p/plan.json"))
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("p/plan.json")))) as! [String: Any]
    }

    /// Writes `plan` edited by `edit` and returns its path.
    func tampered(_ plan: [String: Any], _ name: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        var p = plan
        edit(&p)
        try JSONSerialization.data(withJSONObject: p).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    /// Sets `value` at a path of dictionary keys and array indexes.
    static func set(_ root: inout [String: Any], _ keys: [Any], _ value: Any) {
        func go(_ node: Any, _ rest: ArraySlice<Any>) -> Any {
            guard let k = rest.first else { return value }
            if let s = k as? String, var d = node as? [String: Any] { d[s] = go(d[s] as Any, rest.dropFirst()); return d }
            if let i = k as? Int, var a = node as? [Any] { a[i] = go(a[i], rest.dropFirst()); return a }
            return node
        }
        root = go(root, keys[...]) as! [String: Any]
    }

    func testVerifyExitsOneNamingTheProblemOnTamperedFiles() throws {
        let plan = try smallPlan()
        let ok = try CLI.run(["verify", path("p/plan.json"), "--scenario", scenario])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.contains("PLAN-FORMAT") && ok.stdout.contains("PLAN-SCENARIO"), ok.stdout)

        let cases: [(String, [Any], Any, String)] = [
            ("inspection", ["workdays", "inspection"], 1e19, "workdays.inspection = 1e+19"),
            ("share", ["policy", "key_share_min"], 1e300, "policy.key_share_min = 1e+300"),
            ("capacity", ["months", 0, "capacity_team_days"], 1e308, "months[0].capacity_team_days = 1e+308"),
            ("campaign", ["policy", "campaigns", 0, "visits"], Int64.min, "policy.campaigns[0].visits = -9223372036854775808"),
            ("month", ["months", 2, "month"], 13, "months[2].month = 13"),
            ("months", ["months"], [Any](), "months = []"),
            ("status", ["solver", "status"], "infeasible", "solver.status = \"infeasible\""),
            ("schema", ["schema"], "enforcement-plan/9", "schema = \"enforcement-plan/9\""),
        ]
        for (name, keys, value, needle) in cases {
            let file = try tampered(plan, "\(name).json") { Self.set(&$0, keys, value) }
            for extra in [[], ["--scenario", scenario], ["--lang", "en"]] {
                let r = try CLI.run(["verify", file] + extra)
                XCTAssertEqual(r.status, 1, "\(name) \(extra): " + r.stdout + r.stderr)
                XCTAssertTrue(r.stdout.contains("PLAN-FORMAT"), "\(name): " + r.stdout)
                XCTAssertTrue(holds(r.stdout, needle), "\(name) \(extra): \(needle) in " + r.stdout)
            }
        }
        // A number no field holds: an input error naming the path and the value.
        let calendar = try tampered(plan, "calendar.json") { Self.set(&$0, ["workdays", "calendar"], 1e19) }
        let c = try CLI.run(["verify", calendar])
        XCTAssertEqual(c.status, 1, c.stdout + c.stderr)
        XCTAssertTrue(c.stderr.contains("workdays.calendar") && c.stderr.contains("1e+19"), c.stderr)

        // The lighter plan: sampling rate, campaigns and key share 0, their visits deleted.
        let light = try tampered(plan, "light.json") { p in
            Self.set(&p, ["policy", "general_sample_rate"], 0)
            Self.set(&p, ["policy", "key_share_min"], 0)
            Self.set(&p, ["policy", "campaigns"], [Any]())
            let visits = (p["visits"] as! [[String: Any]]).filter { $0["kind"] as? String != "special" && $0["kind"] as? String != "random" }
            p["visits"] = visits
            p["draws"] = (p["draws"] as! [[String: Any]]).filter { $0["pool"] as? String != "general" }
        }
        let l = try CLI.run(["verify", light, "--scenario", scenario, "--lang", "en"])
        XCTAssertEqual(l.status, 1, l.stdout + l.stderr)
        for needle in ["PLAN-SCENARIO", "policy.general_sample_rate: the plan states 0.0, the scenario 0.05",
                       "policy.key_share_min: the plan states 0.0, the scenario 0.6", "the plan does not list it"] {
            XCTAssertTrue(holds(l.stdout, needle), "\(needle) in " + l.stdout)
        }
    }

    /// A plan whose draw verify rejects (a drawn unit swapped for a chosen one) is refused by
    /// replan with exit 1 and nothing written; before, its draws were pinned and the re-plan passed.
    func testReplanAndRosterRefuseAPlanThatDoesNotVerify() throws {
        let plan = try smallPlan()
        let draws = plan["draws"] as! [[String: Any]]
        let i = try XCTUnwrap(draws.firstIndex { $0["pool"] as? String == "general" && ($0["month"] as! Int) >= 9 })
        let id = draws[i]["id"] as! String
        let old = (draws[i]["drawn"] as! [String])[0]
        let everDrawn = Set(draws.flatMap { $0["drawn"] as! [String] })
        let visited = Set((plan["visits"] as! [[String: Any]]).map { $0["unit"] as! String })
        let chosen = try XCTUnwrap((plan["units"] as! [[String: Any]]).first {
            $0["class"] as? String == "general" && $0["own_unit"] as? Bool == true && !everDrawn.contains($0["id"] as! String) && !visited.contains($0["id"] as! String)
        }?["id"] as? String)
        let file = try tampered(plan, "steered.json") { p in
            var ds = p["draws"] as! [[String: Any]]
            var drawn = ds[i]["drawn"] as! [String]
            drawn[0] = chosen
            ds[i]["drawn"] = drawn
            p["draws"] = ds
            p["visits"] = (p["visits"] as! [[String: Any]]).map { v in
                var v = v
                if v["draw"] as? String == id && v["unit"] as? String == old { v["unit"] = chosen }
                return v
            }
        }
        let v = try CLI.run(["verify", file])
        XCTAssertEqual(v.status, 1, v.stdout + v.stderr)
        XCTAssertTrue(holds(v.stdout, "\(id)：重新抽取结果与记录不符"), v.stdout)

        let r = try CLI.run(["replan", scenario, "--plan", file, "--from-month", "10", "--out", path("r")])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("计划未通过核验"), r.stderr)
        XCTAssertTrue(r.stderr.contains("the plan does not verify; replan refuses it"), r.stderr)
        XCTAssertTrue(r.stderr.contains(id), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("r/plan.json")), "nothing written")

        // A roster is not drawn from it either: its random visits would be rostered unchecked.
        let ro = try CLI.run(["roster", scenario, "--plan", file, "--month", "9", "--out", path("ro")])
        XCTAssertEqual(ro.status, 1, ro.stdout + ro.stderr)
        XCTAssertTrue(ro.stderr.contains("the plan does not verify; roster refuses it"), ro.stderr)
        XCTAssertTrue(ro.stderr.contains(id), ro.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("ro")), "nothing written")

        // A month out of range is refused the same way (and never reaches the re-planner).
        let month = try tampered(plan, "month.json") { Self.set(&$0, ["visits", 0, "month"], 13) }
        let m = try CLI.run(["replan", scenario, "--plan", month, "--from-month", "10", "--out", path("r2")])
        XCTAssertEqual(m.status, 1, m.stdout + m.stderr)
        XCTAssertTrue(m.stderr.contains("visits[0].month = 13"), m.stderr)

        // The untampered plan is still re-planned.
        let good = try CLI.run(["replan", scenario, "--plan", path("p/plan.json"), "--from-month", "10", "--out", path("r3")])
        XCTAssertTrue([0, 2].contains(good.status), good.stdout + good.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("r3/plan.json")))

        // The re-plan names the file it re-plans (SHA-256, as sha256sum computes it), and
        // `verify --previous` holds its kept draws to that file's.
        let sum = Process()
        sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sum.arguments = [path("p/plan.json")]
        let out = Pipe()
        sum.standardOutput = out
        try sum.run(); sum.waitUntilExit()
        let digest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        let replanned = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("r3/plan.json")))) as! [String: Any]
        let named = try XCTUnwrap(replanned["previous_plan"] as? [String: Any])
        XCTAssertEqual(named["sha256"] as? String, String(digest))
        XCTAssertEqual(named["from_month"] as? Int, 10)
        // Without the plan it re-plans, its kept draws are not taken on trust.
        let alone = try CLI.run(["verify", path("r3/plan.json")])
        XCTAssertEqual(alone.status, 1, alone.stdout + alone.stderr)
        XCTAssertTrue(alone.stdout.contains("--previous"), alone.stdout)
        // Nor are they by roster or a further re-plan: both take the chain with --previous.
        let ro2 = try CLI.run(["roster", scenario, "--plan", path("r3/plan.json"), "--month", "11", "--out", path("ro2")])
        XCTAssertEqual(ro2.status, 1, ro2.stdout + ro2.stderr)
        XCTAssertTrue(ro2.stderr.contains("--previous"), ro2.stderr)
        let ro3 = try CLI.run(["roster", scenario, "--plan", path("r3/plan.json"), "--previous", path("p/plan.json"), "--month", "11", "--out", path("ro3")])
        XCTAssertTrue([0, 2].contains(ro3.status), ro3.stdout + ro3.stderr)
        let again = try CLI.run(["replan", scenario, "--plan", path("r3/plan.json"), "--previous", path("p/plan.json"), "--from-month", "11", "--out", path("r4")])
        XCTAssertTrue([0, 2].contains(again.status), again.stdout + again.stderr)
        let chain = try CLI.run(["verify", path("r4/plan.json"), "--previous", path("r3/plan.json"), "--previous", path("p/plan.json")])
        XCTAssertEqual(chain.status, 0, chain.stdout + chain.stderr)
        let withPrevious = try CLI.run(["verify", path("r3/plan.json"), "--previous", path("p/plan.json")])
        XCTAssertEqual(withPrevious.status, 0, withPrevious.stdout + withPrevious.stderr)
        XCTAssertFalse(withPrevious.stdout.contains("--previous"), withPrevious.stdout)
        // The steered plan is not the file this re-plan names.
        let steeredPrevious = try CLI.run(["verify", path("r3/plan.json"), "--previous", file, "--lang", "en"])
        XCTAssertEqual(steeredPrevious.status, 1, steeredPrevious.stdout + steeredPrevious.stderr)
        XCTAssertTrue(steeredPrevious.stdout.contains("the previous plan given is"), steeredPrevious.stdout)
    }
}

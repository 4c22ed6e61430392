import Foundation
import XCTest

/// `planner whatif`, `planner staffing` and `planner replan` on the committed demo (1,200 units,
/// 10 certified officers: compliant; 9 are not), as a planner runs them; replan and the
/// exit-code tests on the small generated district (CLIFixture.small).
final class WhatIfCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// The table row whose first column is `name`.
    func row(_ table: String, _ name: String) -> String? {
        // A long name may wrap in its column: its first line holds the start of the name.
        table.split(separator: "\n").map(String.init).first { $0.hasPrefix(name + " ") || (name.count > 8 && $0.hasPrefix(String(name.dropLast(1)))) }
    }

    /// The row's verdict is 符合 (a field of its own; 不符合 is another word).
    func passes(_ line: String?) -> Bool {
        line?.split(separator: " ", omittingEmptySubsequences: true).contains("符合") ?? false
    }

    // MARK: - whatif

    /// The demo's sweep (CLIFixture.demoSweep, shared with testStaffingJSONOnTheDemo).
    func testWhatIfStaffSweepOnTheDemo() throws {
        let (r, out) = try CLIFixture.demoSweep.get()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertFalse(r.stdout.contains("未证明最优"), "every variant proven optimal: " + r.stdout)
        // The header wraps so that the table fits 120 terminal columns.
        let header = r.stdout.split(separator: "\n").prefix { !$0.hasPrefix("---") }.joined(separator: "\n")
        for column in ["方案", "执法", "人员", "监督检查", "工作日", "检查总", "结论"] { XCTAssertTrue(header.contains(column), header) }
        // (Lines naming the output folder are as long as its path: not the table's.)
        for line in r.stdout.split(separator: "\n") where !line.contains(out) {
            let width = line.unicodeScalars.reduce(0) { $0 + ((0x2E80...0x9FFF).contains($1.value) || (0xFF00...0xFF60).contains($1.value) ? 2 : 1) }
            XCTAssertLessThanOrEqual(width, 120, String(line))
        }
        let expected: [(String, Int, String)] = [("人员-2", 8, "不符合"), ("人员-1", 9, "不符合"), ("现有人员", 10, "符合"), ("人员+1", 11, "符合")]
        for (name, officers, verdict) in expected {
            let line = try XCTUnwrap(row(r.stdout, name), "row \(name) in\n\(r.stdout)")
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            XCTAssertEqual(fields[1], String(officers), line)
            XCTAssertTrue(fields.contains(verdict), line)
            XCTAssertEqual(fields.contains("符合"), verdict == "符合", line)
            XCTAssertFalse(line.contains("PASS"), "Chinese verdicts: " + line)
        }
        // Rows in the order asked; one officer fewer is short of key-unit coverage first.
        let names = expected.map { $0.0 }
        let positions = names.map { r.stdout.range(of: $0 + " ")!.lowerBound }
        XCTAssertEqual(positions, positions.sorted())
        XCTAssertTrue(row(r.stdout, "人员-1")!.contains("FREQ-KEY-COVER −"), r.stdout)
        XCTAssertTrue(row(r.stdout, "现有人员")!.contains("580"), "580 inspection person-days")
        XCTAssertTrue(r.stdout.contains("比较表与图表已写入"), r.stdout)
        XCTAssertTrue(r.stderr.contains("[4/4]"), "progress as variants finish")

        // The comparison as CSV (Excel-ready), XLSX and an SVG chart.
        let csv = try Data(contentsOf: URL(fileURLWithPath: "\(out)/情景比较.csv"))
        XCTAssertTrue(csv.starts(with: [0xEF, 0xBB, 0xBF] + Array("方案,执法人员".utf8)))
        let lines = String(decoding: csv, as: UTF8.self).split(whereSeparator: \.isNewline)
        XCTAssertEqual(lines.count, 5, "header and four variants")
        XCTAssertTrue(lines[3].hasPrefix("现有人员,10,580,"), String(lines[3]))
        let xlsx = try Data(contentsOf: URL(fileURLWithPath: "\(out)/情景比较.xlsx"))
        XCTAssertTrue(xlsx.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a zip (XLSX)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/情景比较.xlsx.part"))
        let svg = try String(contentsOfFile: "\(out)/情景比较.svg", encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg"), String(svg.prefix(40)))
        XCTAssertTrue(svg.hasSuffix("</svg>\n") || svg.hasSuffix("</svg>"))
        for tick in ["8", "9", "10", "11"] { XCTAssertTrue(svg.contains(">\(tick)<"), "x tick \(tick)") }
    }

    func testWhatIfVariantFileAndSampleRates() throws {
        try "name: 7月起减少3名执法人员\nstaff_delta: -3\nstaff_from: 2027-07-01\npolicy: { general_sample_rate: 0.03 }\n"
            .write(toFile: path("减员.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["whatif", "scenarios/demo", "--staff", "0", "--variant", path("减员.yaml"), "--time-limit", "10"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(passes(row(r.stdout, "现有人员")), r.stdout)
        let v = try XCTUnwrap(row(r.stdout, "7月起减少3名执法人员"), r.stdout)
        XCTAssertTrue(v.contains("不符合"), v)
        let fields = v.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        XCTAssertLessThan(try XCTUnwrap(Double(fields[2])), 580, "fewer inspection person-days than 580")

        let s = try CLI.run(["whatif", "scenarios/demo", "--sample-rate", "0.03,0.05", "--staff", "0", "--time-limit", "10"])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertNotNil(row(s.stdout, "现有人员，抽查3%"), s.stdout)
        XCTAssertNotNil(row(s.stdout, "现有人员，抽查5%"), s.stdout)
        XCTAssertFalse(r.stdout.contains("未证明最优") || s.stdout.contains("未证明最优"), "every variant proven optimal: " + r.stdout + s.stdout)
    }

    /// On the small district (CLIFixture.small): exit codes and messages.
    func testWhatIfBadInputs() throws {
        let scenario = try CLIFixture.smallScenario()
        try "name: 减员\nstaff_delt: -3\n".write(toFile: path("bad.yaml"), atomically: true, encoding: .utf8)
        let b = try CLI.run(["whatif", scenario, "--variant", path("bad.yaml")])
        XCTAssertEqual(b.status, 1, b.stdout + b.stderr)
        XCTAssertTrue(b.stderr.contains(path("bad.yaml")), b.stderr)
        XCTAssertTrue(b.stderr.contains("第2行"), b.stderr)
        XCTAssertTrue(b.stderr.contains("staff_delt"), b.stderr)
        for bad in [["--staff", "3..1"], ["--staff", "a,b"], ["--sample-rate", "1.5"], ["--effort", "key=0"], ["--effort", "visit=0.5"]] {
            let u = try CLI.run(["whatif", scenario] + bad)
            XCTAssertEqual(u.status, 64, "\(bad): \(u.stderr)")
        }
    }

    // MARK: - staffing

    /// The demo: 10 officers give 2480 − 1900 = 580 inspection person-days and a compliant plan;
    /// with 9, 332 person-days carry at most 332 × 0.9 / 2 = 149.4 team-days, 298 half-day
    /// visits — fewer than the 358 key units (405 visits due), so FREQ-KEY-COVER is the first
    /// rule to break: 0 officers to add, FREQ-KEY-COVER binding.
    func testStaffingJSONOnTheDemo() throws {
        let r = try CLI.run(["staffing", "scenarios/demo", "--format", "json", "--time-limit", "10"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(json["additional_officers"] as? Int, 0)
        XCTAssertEqual(json["binding"] as? String, "FREQ-KEY-COVER")
        XCTAssertEqual(json["officers_now"] as? Int, 10)
        XCTAssertEqual(json["inspection_workdays"] as? Double, 580)
        XCTAssertEqual(json["compliant_at_answer"] as? Bool, true)
        XCTAssertEqual(json["compliant_with_one_fewer"] as? Bool, false)
        XCTAssertEqual(json["model_answer"] as? Int, 0)
        XCTAssertEqual((json["unsatisfiable"] as? [Any])?.count, 0)
        XCTAssertTrue((json["binding_message"] as? String)?.contains("重点检查单位全覆盖") ?? false)
        let levers = try XCTUnwrap(json["levers"] as? [String: Any])
        XCTAssertEqual(levers["general_sample_rate_now"] as? Double, 0.05)
        XCTAssertEqual(levers["effort_key_now"] as? Double, 0.5)

        XCTAssertEqual((json["not_proven_optimal"] as? [Any])?.count, 0, "every plan it solved proven optimal")

        // Cross-check with whatif (the shared sweep, -2..+1): 10 pass, 9 do not.
        let w = try CLIFixture.demoSweep.get().run
        XCTAssertEqual(w.status, 0, w.stdout + w.stderr)
        XCTAssertTrue(row(w.stdout, "人员-1")?.contains("不符合") ?? false, w.stdout)
        XCTAssertTrue(passes(row(w.stdout, "现有人员")), w.stdout)
    }

    func testStaffingTableOnTheDemo() throws {
        let r = try CLI.run(["staffing", "scenarios/demo", "--time-limit", "10"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("现有持证执法人员 10 人；满足全部规则需 10 人（增加 0 名全职持证执法人员）"), r.stdout)
        XCTAssertTrue(r.stdout.contains("起约束作用的规则：FREQ-KEY-COVER"), r.stdout)
        XCTAssertTrue(r.stdout.contains("（现有人员已足够）"), r.stdout)
        XCTAssertFalse(r.stdout.contains("未被证明最优"), "every plan proven optimal: " + r.stdout)
        let en = try CLI.run(["staffing", "scenarios/demo", "--lang", "en", "--time-limit", "10"])
        XCTAssertEqual(en.status, 0, en.stderr)
        XCTAssertTrue(en.stdout.contains("Certified officers now: 10; every rule needs 10"), en.stdout)
        XCTAssertTrue(en.stdout.contains("Binding rule: FREQ-KEY-COVER (one officer fewer: "), en.stdout)
        // The binding rule's message in the language asked for: English only, no Chinese.
        let binding = try XCTUnwrap(en.stdout.split(separator: "\n").first { $0.hasPrefix("Binding rule:") })
        XCTAssertFalse(binding.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, String(binding))
        XCTAssertTrue(binding.contains("visits"), String(binding))
    }

    // MARK: - issue 8: never stall, any staff level

    /// A copy of the demo whose other-enforcement deductions carry `extra` more person-days.
    func demoCopy(extra: Int, name: String) throws -> String {
        let folder = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for f in ["ledger.csv", "staff.csv", "experts.csv"] {
            try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("scenarios/demo/\(f)"), to: folder.appendingPathComponent(f))
        }
        var yaml = try String(contentsOf: CLI.root.appendingPathComponent("scenarios/demo/scenario.yaml"), encoding: .utf8)
        let line = "    上级交办执法任务: 125\n"
        XCTAssertTrue(yaml.contains(line))
        yaml = yaml.replacingOccurrences(of: line, with: line + "    借调外单位: \(extra)\n")
        try yaml.write(to: folder.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        return folder.path
    }

    /// Deductions over today's gross: `staffing` answers "add N" instead of rejecting the input.
    /// By hand: the demo is exactly staffed (10 officers, W = 10·C − 1900 person-days, C the
    /// calendar's workdays; 9 are short). With 4·C more deductions and totals fixed, 4 officers
    /// added give back exactly W and 3 give W − C: N = 4; ⌊(4C − W)/C⌋ + 1 are needed before any
    /// inspection day is left.
    func testStaffingAnswersWhenDeductionsExceedTheGross() throws {
        let cal = try CLI.run(["calendar", "2027", "--format", "json"])
        let calJSON = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(cal.stdout.utf8)) as? [String: Any])
        let C = try XCTUnwrap(calJSON["total_workdays"] as? Int)
        let w = 10 * C - 1900
        let folder = try demoCopy(extra: 4 * C, name: "over")
        let cover = (4 * C - w) / C + 1

        let plan = try CLI.run(["plan", folder, "--out", path("p")])
        XCTAssertEqual(plan.status, 1, "a plan still needs inspection days: " + plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stderr.contains("至少需增加\(cover)名全职持证执法人员"), plan.stderr)

        let r = try CLI.run(["staffing", folder])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("超过总法定工作日 \(4 * C - w) 人·日：至少增加 \(cover) 人才有监督检查工作日"), r.stdout)
        XCTAssertTrue(r.stdout.contains("现有持证执法人员 10 人；满足全部规则需 14 人（增加 4 名全职持证执法人员），监督检查工作日 \(w) 人·日"), r.stdout)
        let j = try CLI.run(["staffing", folder, "--format", "json", "--time-limit", "30"])
        XCTAssertEqual(j.status, 0, j.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["additional_officers"] as? Int, 4)
        XCTAssertEqual(json["deductions_deficit"] as? Double, Double(4 * C - w))
        XCTAssertEqual(json["officers_to_cover_deductions"] as? Int, cover)
        XCTAssertEqual(json["compliant_with_one_fewer"] as? Bool, false)
        XCTAssertEqual((json["not_proven_optimal"] as? [Any])?.count, 0)
        let plans = try XCTUnwrap(json["plans"] as? [[String: Any]])
        XCTAssertTrue(plans.contains { $0["what"] as? String == "+4" && $0["compliant"] as? Bool == true && $0["solver_status"] as? String == "optimal" }, "\(plans)")

        // The same in whatif: 0 inspection workdays (never negative) and the person-days over.
        let v = try CLI.run(["whatif", folder, "--staff", "0,4"])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        let now = try XCTUnwrap(row(v.stdout, "现有人员"), v.stdout)
        XCTAssertEqual(now.split(separator: " ", omittingEmptySubsequences: true)[2], "0", now)
        XCTAssertTrue(now.contains("PLAN-BASIS −\(4 * C - w)") && now.contains("未求解"), now)
        XCTAssertTrue(passes(row(v.stdout, "人员+4")), v.stdout)
    }

    /// Issue 8: on this 3,000-unit district, 3 officers more with key visits at 0.75 team-days (the
    /// others 0.5) ran stage 1 to GLPK's 60 s limit, and the sweep said nothing. Now the capacity
    /// rows count team-days in whole steps of the efforts' grid (0.25 here) and the variant is
    /// proven optimal well within a 20 s limit per stage; an effort off the 0.01 grid is put on
    /// it (0.7499 → 0.75). A variant stopped at its limit is marked on screen, in the CSV/XLSX and
    /// the JSON (WhatIfReportTests covers the marking without depending on the machine's speed).
    func testMixedEffortVariantIsProvenOptimalAndOffGridEffortsArePutOnTheGrid() throws {
        let district = path("d3k")
        let g = try CLI.run(["generate", "--district", "徐汇区", "--units", "3000", "--seed", "7", "--out", district])
        XCTAssertEqual(g.status, 0, g.stderr)
        let out = path("t")
        let r = try CLI.run(["whatif", district, "--staff", "3", "--effort", "key=0.7499", "--time-limit", "20", "--out", out])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let line = try XCTUnwrap(row(r.stdout, "人员+3，key用时0.75"), "0.7499 put on the grid as 0.75:\n" + r.stdout)
        XCTAssertTrue(line.contains("最优") && !line.contains("未证明最优"), line)
        XCTAssertFalse(r.stdout.contains("未证明最优"), r.stdout)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/情景比较.json"))) as? [String: Any])
        XCTAssertTrue("\(json)".contains("proven_optimal"), "\(json)")
        let csv = try String(contentsOfFile: "\(out)/情景比较.csv", encoding: .utf8)
        XCTAssertTrue(csv.contains("求解状态") && csv.contains("最优"), csv)
    }

    // MARK: - replan

    /// Copies `plan` (a shared plan, CLIFixture) to p/plan.json.
    func copyPlan(_ plan: String) throws {
        try FileManager.default.createDirectory(atPath: path("p"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: plan, toPath: path("p/plan.json"))
    }

    /// A fresh plan of the small district (CLIFixture.small, shared) re-planned from July
    /// with nothing changed: no change, the same visits, and it verifies against its previous.
    func testReplanOfAFreshPlanChangesNothingAndVerifies() throws {
        try copyPlan(try CLIFixture.smallPlan())
        let scenario = try CLIFixture.smallScenario()
        let r = try CLI.run(["replan", scenario, "--plan", path("p/plan.json"), "--from-month", "7", "--out", path("d")])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("新增0次、取消0次、调整月份0次"), r.stdout)
        XCTAssertTrue(r.stdout.contains("新计划与变更清单已写入"), r.stdout)
        for f in ["plan.json", "变更清单.csv", "changes.json", "检查安排.csv", "执法计划.xlsx"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: path("d/\(f)")), f)
        }
        let changes = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("d/changes.json")))) as? [String: Any]
        XCTAssertEqual((changes?["changes"] as? [Any])?.count, 0)
        XCTAssertTrue(r.stdout.contains("未提供 --done"), r.stdout)
        // The same visits as the plan it re-plans.
        func visits(_ file: String) throws -> [[String: String]] {
            let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
            return (doc["visits"] as! [[String: Any]]).map { v in v.mapValues { "\($0)" } }
        }
        XCTAssertEqual(try visits(path("d/plan.json")), try visits(path("p/plan.json")))

        let v = try CLI.run(["verify", path("d/plan.json"), "--scenario", scenario, "--previous", path("p/plan.json")])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        XCTAssertTrue(v.stdout.contains("全部规则通过"), v.stdout)
        XCTAssertEqual(CLI.solverStatus(path("d/plan.json")), "optimal")

        // Kept months and a visit carried out: still nothing to change.
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("p/plan.json")))) as! [String: Any]
        let september = (doc["visits"] as! [[String: Any]]).first { $0["month"] as? Int == 9 }!["id"] as! String
        // Every visit of months 1–6 carried out in its month (none missed), and one of September.
        var done = "检查编号,检查日期\n"
        for v in (doc["visits"] as! [[String: Any]]) where (v["month"] as! Int) < 7 {
            done += "\(v["id"]!),2027-\(String(format: "%02d", v["month"] as! Int))-15\n"
        }
        try (done + "\(september),2027-09-10\n").write(toFile: path("done.csv"), atomically: true, encoding: .utf8)
        let k = try CLI.run(["replan", scenario, "--plan", path("p/plan.json"), "--done", path("done.csv"),
                             "--from-month", "7", "--keep-months", "7,8", "--out", path("k")])
        XCTAssertEqual(k.status, 0, k.stdout + k.stderr)
        XCTAssertTrue(k.stdout.contains("新增0次、取消0次、调整月份0次"), k.stdout)
        XCTAssertEqual(try CLI.run(["verify", path("k/plan.json"), "--scenario", scenario, "--previous", path("p/plan.json")]).status, 0)
    }

    /// On the small district's shared plan (CLIFixture.small): exit codes and messages.
    func testReplanUsageAndInputErrors() throws {
        try copyPlan(try CLIFixture.smallPlan())
        let scenario = try CLIFixture.smallScenario()
        for bad in [["--from-month", "13"], ["--from-month", "0"], ["--from-month", "7", "--keep-months", "7,13"]] {
            let r = try CLI.run(["replan", scenario, "--plan", path("p/plan.json"), "--out", path("x")] + bad)
            XCTAssertEqual(r.status, 64, "\(bad): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("x/plan.json")))
        }
        // A carried-out visit the plan does not have: the file, row and column named; exit 1.
        try "visit,date\nV-9999,2027-03-05\n".write(toFile: path("done.csv"), atomically: true, encoding: .utf8)
        let d = try CLI.run(["replan", scenario, "--plan", path("p/plan.json"), "--done", path("done.csv"),
                             "--from-month", "7", "--out", path("y")])
        XCTAssertEqual(d.status, 1, d.stdout + d.stderr)
        for needle in [path("done.csv"), "第2行", "visit", "V-9999"] { XCTAssertTrue(d.stderr.contains(needle), "\(needle) in \(d.stderr)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("y/plan.json")), "nothing written")
        // Not a plan file.
        try "{}".write(toFile: path("not-a-plan.json"), atomically: true, encoding: .utf8)
        let n = try CLI.run(["replan", scenario, "--plan", path("not-a-plan.json"), "--from-month", "7", "--out", path("z")])
        XCTAssertEqual(n.status, 1, n.stdout + n.stderr)
        XCTAssertTrue(n.stderr.contains(path("not-a-plan.json")), n.stderr)
    }
}

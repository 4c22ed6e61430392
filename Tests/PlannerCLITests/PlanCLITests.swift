import Foundation
import XCTest

/// `planner plan` and `planner verify` as a planner runs them.
final class PlanCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// plan.json with the measured timings zeroed (the only part allowed to differ between runs).
    func withoutTimings(_ file: String) throws -> Data {
        var doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
        var solver = doc["solver"] as! [String: Any]
        solver["seconds"] = 0
        solver["stages"] = (solver["stages"] as! [[String: Any]]).map { var s = $0; s["seconds"] = 0; return s }
        doc["solver"] = solver
        return try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys])
    }

    /// The one full run of the committed demo (CLIFixture.demo, shared with the tests that
    /// take a demo plan as input).
    func testDemoPlanIsCompliantWrittenAndVerified() throws {
        let (r, out) = try CLIFixture.demo.get()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(try CLIFixture.demoPlan(), "\(out)/plan.json", "proven optimal")
        for needle in ["执法工作日测算", "监督检查工作日", "PLAN-SHARE60", "PLAN-RATIO-BUREAU", "FREQ-KEY-COVER", "FREQ-GENERAL-RANDOM", "GLPK optimal"] {
            XCTAssertTrue(r.stdout.contains(needle), needle)
        }
        XCTAssertFalse(r.stdout.contains("不符合") || r.stdout.contains("PASS"), r.stdout)
        XCTAssertTrue(r.stdout.contains("符合"), "verdicts in Chinese: " + r.stdout)
        for f in ["plan.json", "季度计划.csv", "月度计划.csv", "重点检查单位清单.csv", "检查安排.csv", "双随机抽取记录.csv", "执法计划.xlsx", "执法计划.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(f)"), f)
        }
        XCTAssertTrue(r.stdout.contains("可打印报送的计划文书：\(out)/执法计划.html"), r.stdout)
        // The terminal: every line within 120 columns (a Chinese character counts two), and the
        // 其中 lines add up to 检查总家次.
        for line in r.stdout.split(separator: "\n") {
            let width = line.unicodeScalars.reduce(0) { $0 + ((0x2E80...0x9FFF).contains($1.value) || (0xFF00...0xFF60).contains($1.value) ? 2 : 1) }
            XCTAssertLessThanOrEqual(width, 120, String(line))
        }
        func figure(_ l: Substring) -> Int? { l.split(separator: " ").last.flatMap { Int($0) } }
        let lines = r.stdout.split(separator: "\n")
        let total = try XCTUnwrap(lines.first { $0.hasPrefix("检查总家次") }.flatMap(figure))
        XCTAssertEqual(lines.filter { $0.hasPrefix("其中") }.compactMap(figure).reduce(0, +), total, r.stdout)
        let quarterly = try Data(contentsOf: URL(fileURLWithPath: "\(out)/季度计划.csv"))
        XCTAssertTrue(quarterly.starts(with: [0xEF, 0xBB, 0xBF] + Array("季度,检查总家次".utf8)), "Excel-ready: BOM and Chinese headers")
        let v = try CLI.run(["verify", "\(out)/plan.json", "--scenario", "scenarios/demo"])
        XCTAssertEqual(v.status, 0, v.stdout)
        XCTAssertTrue(v.stdout.contains("全部规则通过"), v.stdout)
    }

    /// A second run of the demo gives what the shared run wrote, byte for byte (timings apart).
    /// A model file that no longer matches the code (a variable renamed) is an internal error,
    /// exit 70, naming the model and the variable; never a plan with zero visits, never
    /// "input rejected", and nothing is written.
    func testAModelThatNoLongerMatchesExitsSeventyNamingTheVariable() throws {
        let models = dir.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: CLI.root.appendingPathComponent("models").path) where name.hasSuffix(".mod") {
            var text = try String(contentsOf: CLI.root.appendingPathComponent("models/\(name)"), encoding: .utf8)
            if name == "annual-totals.mod" {
                text = text.replacingOccurrences(of: #"\bJ\b"#, with: "Joint", options: .regularExpression)
            }
            try text.write(to: models.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let out = path("out")
        let r = try CLI.run(["plan", try CLIFixture.small.get(), "--out", out], environment: ["PLANNER_MODELS": models.path])
        XCTAssertEqual(r.status, 70, r.stderr)
        XCTAssertTrue(r.stderr.contains("model 'annual-totals' has no variable J"), r.stderr)
        XCTAssertTrue(r.stderr.contains("不是输入问题"), r.stderr)
        XCTAssertFalse(r.stderr.contains("输入有误"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/plan.json"))
    }

    /// A temporary folder (TMPDIR) that cannot be written is an output error, exit 73, naming
    /// it; not "input rejected".
    func testAnUnwritableTemporaryFolderExitsSeventyThree() throws {
        let out = path("out")
        let r = try CLI.run(["plan", try CLIFixture.small.get(), "--out", out], environment: ["TMPDIR": "/proc/no-such-folder"])
        XCTAssertEqual(r.status, 73, r.stderr)
        XCTAssertTrue(r.stderr.contains("TMPDIR"), r.stderr)
        XCTAssertFalse(r.stderr.contains("输入有误"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/plan.json"))
    }

    func testSameInputsGiveTheSamePlanApartFromTimings() throws {
        let a = try CLIFixture.demo.get().out
        XCTAssertEqual(try CLI.run(["plan", "scenarios/demo", "--out", path("b"), "--time-limit", "10"]).status, 0)
        XCTAssertEqual(try withoutTimings("\(a)/plan.json"), try withoutTimings(path("b/plan.json")))
        for f in ["季度计划.csv", "月度计划.csv", "重点检查单位清单.csv", "检查安排.csv", "双随机抽取记录.csv", "执法计划.xlsx", "执法计划.html"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(a)/\(f)")), try Data(contentsOf: URL(fileURLWithPath: path("b/\(f)"))), f)
        }
    }

    /// The printable plan (执法计划.html) of the small district: written with the other files,
    /// named in the summary, its figures plan.json's, and byte-identical from a second run.
    func testPrintablePlanIsWrittenNamedAndTheSameEveryRun() throws {
        let (r, a) = try CLIFixture.smallRun.get()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("可打印报送的计划文书：\(a)/执法计划.html"), r.stdout)
        let html = try String(contentsOfFile: "\(a)/执法计划.html", encoding: .utf8)
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(a)/plan.json"))) as! [String: Any]
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        XCTAssertTrue(html.contains("<h1>\(plan["year"]!)年度安全生产监督检查计划</h1>"))
        XCTAssertTrue(html.contains("<span id=\"seed\">\(plan["seed"]!)</span>"))
        for d in plan["draws"] as! [[String: Any]] {
            XCTAssertTrue(html.contains("<span class=\"sha\">\(d["pool_sha256"]!)</span>"), "\(d["id"]!)")
        }
        // The attachment is tables of a page each, every one with its header row.
        let keyTables = html.components(separatedBy: "<table id=\"key-units").dropFirst().map { $0.components(separatedBy: "</table>")[0] }
        XCTAssertGreaterThan(keyTables.count, 1, "the small district's key units fill more than one page")
        let keyRows = keyTables.reduce(0) { $0 + $1.components(separatedBy: "<tr>").count - 2 }
        XCTAssertEqual(keyRows, (plan["metrics"] as! [String: Any])["key_units"] as? Int, "one attachment row per key unit")
        XCTAssertFalse(html.contains("<script"))
        XCTAssertNil(html.range(of: "https?://", options: .regularExpression))

        let b = try CLI.run(["plan", try CLIFixture.smallScenario(), "--out", path("again"), "--time-limit", "10"])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(a)/执法计划.html")), try Data(contentsOf: URL(fileURLWithPath: path("again/执法计划.html"))),
                       "same inputs and seed, same document")
    }

    /// A templates folder without the printable plan's templates is an incomplete installation,
    /// exit 72, naming the file looked for, before any work; nothing is written.
    func testMissingTemplatesExitSeventyTwoNamingTheFile() throws {
        let out = path("out")
        let empty = path("templates")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let r = try CLI.run(["plan", try CLIFixture.small.get(), "--out", out], environment: ["PLANNER_TEMPLATES": empty])
        XCTAssertEqual(r.status, 72, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(empty)/plan-document.mustache"), r.stderr)
        XCTAssertTrue(r.stderr.contains("PLANNER_TEMPLATES"), r.stderr)
        XCTAssertFalse(r.stderr.contains("求解年度计划"), "stopped before the solve: " + r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/plan.json"))
        // A broken template is named the same way.
        for name in ["plan-document", "plan-style", "table"] {
            try "{{x}}".write(toFile: "\(empty)/\(name).mustache", atomically: true, encoding: .utf8)
        }
        try "{{#open}}".write(toFile: "\(empty)/bar-chart.mustache", atomically: true, encoding: .utf8)
        let b = try CLI.run(["plan", try CLIFixture.small.get(), "--out", out], environment: ["PLANNER_TEMPLATES": empty])
        XCTAssertEqual(b.status, 72, b.stderr)
        XCTAssertTrue(b.stderr.contains("\(empty)/bar-chart.mustache"), b.stderr)
        XCTAssertTrue(b.stderr.contains("not a valid Mustache template"), b.stderr)
    }

    func testOverConstrainedScenarioExitsTwoNamingTheRule() throws {
        // The small district with a sampling rate no staff can meet.
        let small = try CLIFixture.smallScenario()
        let s = try String(contentsOfFile: "\(small)/scenario.yaml", encoding: .utf8)
            .replacingOccurrences(of: "ledger: ledger.csv", with: "ledger: \(small)/ledger.csv")
            .replacingOccurrences(of: "staff: staff.csv", with: "staff: \(small)/staff.csv")
            .replacingOccurrences(of: "experts: experts.csv", with: "experts: \(small)/experts.csv")
            + "policy:\n  general_sample_rate: 0.9\n"
        try s.write(toFile: path("s.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["plan", path("s.yaml"), "--out", path("over")])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("FREQ-GENERAL-RANDOM"), r.stdout)
        XCTAssertTrue(r.stdout.contains("不符合（差"), r.stdout)
        XCTAssertFalse(r.stdout.contains("PASS") || r.stdout.contains("不足"), "Chinese verdicts only: " + r.stdout)
        XCTAssertTrue(r.stdout.contains("调整建议"), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("over/plan.json")), "the plan is still written")
        let v = try CLI.run(["verify", path("over/plan.json")])
        XCTAssertEqual(v.status, 1)
        XCTAssertTrue(v.stdout.contains("不符合 FREQ-GENERAL-RANDOM"), v.stdout)
        // In English the verifier's messages and fixes are English too.
        let en = try CLI.run(["verify", path("over/plan.json"), "--lang", "en"])
        XCTAssertEqual(en.status, 1)
        let failing = en.stdout.components(separatedBy: "  FAIL FREQ-GENERAL-RANDOM: ").dropFirst().first?.components(separatedBy: "  FAIL ").first ?? ""
        XCTAssertTrue(failing.contains("general units drawn at random"), en.stdout)
        XCTAssertFalse(failing.unicodeScalars.contains { (0x3000...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }, failing)
        XCTAssertTrue(en.stdout.contains("FAIL (short "), en.stdout)
    }

    func testVerifyCatchesATamperedPlan() throws {
        try FileManager.default.createDirectory(atPath: path("p"), withIntermediateDirectories: true)
        var doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: try CLIFixture.demoPlan()))) as! [String: Any]
        var visits = doc["visits"] as! [[String: Any]]
        visits.remove(at: visits.firstIndex { $0["kind"] as? String == "key" }!)
        doc["visits"] = visits
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: path("p/plan.json")))
        let v = try CLI.run(["verify", path("p/plan.json")])
        XCTAssertEqual(v.status, 1)
        XCTAssertTrue(v.stdout.contains("不符合 FREQ-KEY-COVER"), v.stdout)
        XCTAssertTrue(v.stdout.contains("metrics"), "the stated metrics no longer match the visits")
    }

    /// On the small district: the files, and glpsol's objective, do not depend on its size.
    func testWriteModelGivesFilesGlpsolSolvesToTheSameObjective() throws {
        let r = try CLI.run(["plan", try CLIFixture.smallScenario(), "--out", path("m"), "--write-model", path("m/model.mps"), "--time-limit", "10"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for f in ["model-1.mps", "model-2.mps", "model-3.mps", "model-1.dat", "model-2.dat", "model-3.dat"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: path("m/\(f)")), f)
        }
        guard FileManager.default.fileExists(atPath: "/usr/bin/glpsol") else { throw MissingTool(name: "glpsol (Debian glpk-utils)") }
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("m/plan.json")))) as! [String: Any]
        let stages = (doc["solver"] as! [String: Any])["stages"] as! [[String: Any]]
        for (i, stage) in stages.enumerated() {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/glpsol")
            p.arguments = ["--freemps", path("m/model-\(i + 1).mps"), "--cuts", "-o", path("m/sol-\(i + 1).txt")]
            p.standardOutput = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
            let sol = try String(contentsOfFile: path("m/sol-\(i + 1).txt"), encoding: .utf8)
            let line = sol.split(separator: "\n").first { $0.hasPrefix("Objective:") }!
            let value = Double(line.split(separator: " ").first { Double($0) != nil }!)!
            XCTAssertEqual(value, stage["objective"] as! Double, accuracy: 1e-6, "stage \(i + 1)")
        }
    }

    func testUsageAndInputErrors() throws {
        let u = try CLI.run(["plan", "scenarios/demo", "--out", path("x"), "--write-model", path("model.txt")])
        XCTAssertEqual(u.status, 64)
        try "year: 2027\nauthority: { level: district, district: 浦东新区 }\nledger: missing.csv\nstaff: staff.csv\n".write(toFile: path("bad.yaml"), atomically: true, encoding: .utf8)
        let b = try CLI.run(["plan", path("bad.yaml"), "--out", path("y")])
        XCTAssertEqual(b.status, 1)
        XCTAssertTrue(b.stderr.contains("missing.csv"), b.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("y/plan.json")), "nothing written")
    }

    func testEnglishSummary() throws {
        let r = try CLI.run(["plan", try CLIFixture.smallScenario(), "--out", path("en"), "--lang", "en", "--time-limit", "10"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("GLPK optimal"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Enforcement plan 2027"), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("en/plan.xlsx")))
        XCTAssertTrue(r.stdout.contains("The plan to print and file: \(path("en"))/plan.html"), r.stdout)
        let html = try String(contentsOfFile: path("en/plan.html"), encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(html.contains("<h2>1. Basis</h2>"), "English headings")
    }
}

import Foundation
import Output
import XCTest

/// The web application end to end in a real headless Chromium, against `planner serve` as a
/// user runs it: sign in, upload a ledger with an error and see it by row, column and value,
/// fix it and upload, make a plan in the scenario form (the same plan `planner plan --db`
/// makes, passing `planner verify`), a month's roster, what-if, staffing and a mid-year re-plan
/// (the roster and re-plan passing `planner verify` too), open its document,
/// submit, approve
/// (number and date), file, see it filed at the level above, publish, and open the public page
/// as an anonymous visitor. Screenshots of the main pages go to `.build/screenshots/` (or
/// `PLANNER_SCREENSHOTS`). Fails — never skips — when Chromium cannot start.
final class WebBrowserTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    static var screenshots: URL {
        let env = ProcessInfo.processInfo.environment["PLANNER_SCREENSHOTS"].flatMap { $0.isEmpty ? nil : $0 }
        let u = env.map { URL(fileURLWithPath: $0) } ?? CLI.root.appendingPathComponent(".build/screenshots")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// The small district's scenario (`planner generate --district 浦东新区 --units 200 --seed 2`)
    /// as a planner types it into the form.
    static let other = "综合监管 90\n行政许可 70\n事故调查处理 60\n投诉举报核查 50\n联合执法 50\n登记备案 40\n中介机构监督检查 30\n宣传教育培训 40\n行政复议/应诉 20\n上级交办执法任务 50"
    static let non = "机关值班 52\n学习、培训、考核、会议 57\n检查指导下级 26\n党群活动 21\n病假、事假 26\n法定年休假、探亲假、婚（丧）假 57\n其他 21"
    static let campaigns = """
        - name: 有限空间作业专项执法
          months: [5, 6, 7, 8]
          match: { sewage_treatment: true }
          visits: 3
        - name: 烟花爆竹安全专项执法
          months: [1, 12]
          match: { category: fireworks }
          visits: 1
        - name: 粉尘涉爆专项执法
          months: [3, 4]
          match: { explosive_dust: true }
          visits: 1
        """

    func testTheWholeFlowInABrowser() throws {
        let db = dir.appendingPathComponent("ledger.sqlite").path
        for (name, authority, role, password) in [("浦东编制", "浦东新区应急管理局", "planner", "pudong planner pw"),
                                                  ("浦东审核", "浦东新区应急管理局", "reviewer", "pudong reviewer pw"),
                                                  ("市局审核", "上海市应急管理局", "reviewer", "city reviewer pw")] {
            let add = try CLI.run(["user", "add", name, "--db", db, "--authority", authority, "--role", role, "--password-stdin"],
                                  stdin: Data((password + "\n").utf8))
            XCTAssertEqual(add.status, 0, add.stderr)
        }
        let scenario = try CLIFixture.smallScenario()
        let good = try String(contentsOfFile: scenario + "/ledger.csv", encoding: .utf8)
        var lines = good.components(separatedBy: "\n")
        let badCode = "9131011500000000XX"
        let goodCode = String(lines[4].prefix { $0 != "," })
        lines[4] = badCode + lines[4].dropFirst(goodCode.count)
        let badFile = dir.appendingPathComponent("台账-有误.csv"), goodFile = dir.appendingPathComponent("台账.csv")
        try lines.joined(separator: "\n").write(to: badFile, atomically: true, encoding: .utf8)
        try good.write(to: goodFile, atomically: true, encoding: .utf8)

        let served = try ServedApp(db: db, dir: dir, arguments: ["--year", "2027"])
        defer { served.stop() }
        let browser = try HeadlessBrowser()
        defer { browser.close() }
        let shots = Self.screenshots
        func shot(_ name: String) throws { try browser.screenshot(to: shots.appendingPathComponent(name + ".png").path) }
        func signIn(_ user: String, _ password: String) throws {
            try browser.open(served.base + "/login")
            try browser.fill("#user", user)
            try browser.fill("#password", password)
            try browser.click("#sign-in")
            XCTAssertEqual(try browser.url(), served.base + "/", "signed in as \(user): \((try? browser.text()) ?? "")")
        }
        func signOut() throws { try browser.click(".signout button") }

        // Sign in: a wrong password first.
        try browser.open(served.base + "/")
        XCTAssertEqual(try browser.url(), served.base + "/login", "a page needs a session")
        try shot("01-登录")
        try browser.fill("#user", "浦东编制")
        try browser.fill("#password", "wrong")
        try browser.click("#sign-in")
        XCTAssertTrue(try browser.text().contains("用户名或密码错误"))
        try signIn("浦东编制", "pudong planner pw")
        XCTAssertTrue(try browser.text().contains("共 0 家"), (try? browser.text()) ?? "")

        // The ledger: an upload with an error changes nothing and says where; the fixed one goes in.
        try browser.open(served.base + "/ledger")
        try browser.choose(files: [badFile.path], in: "#ledger-file")
        try browser.evaluate("document.getElementById('upload-button').click()")
        try browser.waitUntil("document.getElementById('upload-failed')")
        let problems = try browser.text()
        XCTAssertTrue(problems.contains("台账-有误.csv 有 1 处错误，台账未作任何修改"), problems)
        let cells = try XCTUnwrap(browser.evaluate("Array.from(document.querySelectorAll('#upload-problems tbody td')).map(td => td.textContent).join('|')") as? String)
        XCTAssertTrue(cells.hasPrefix("台账-有误.csv|5|统一社会信用代码|\(badCode)|校验码错误"), "file, row 5, the column as the file names it, the value: \(cells)")
        try shot("02-台账上传错误")
        try browser.choose(files: [goodFile.path], in: "#ledger-file")
        try browser.evaluate("document.getElementById('upload-button').click()")
        try browser.waitUntil("document.getElementById('upload-ok')")
        XCTAssertTrue(try browser.text().contains("已导入 台账.csv：200 家单位，新增 200"), (try? browser.text()) ?? "")
        try browser.open(served.base + "/ledger?class=key")
        XCTAssertTrue(try browser.text().contains("重点检查单位"))
        let firstKey = try XCTUnwrap(browser.evaluate("document.querySelector('#units tbody a').textContent") as? String)
        try browser.click("#units tbody a")
        XCTAssertTrue(try browser.text().contains("统一社会信用代码：\(firstKey)"))
        XCTAssertTrue(try browser.text().contains("KEY-"), "the rule that makes it key")
        try shot("03-单位")

        // A plan made in the browser: the staff roll, the scenario form, the progress page.
        try browser.open(served.base + "/plans/new")
        try shot("04-编制场景")
        // The small district's own scenario, typed into the form.
        try browser.fill("#other-enforcement", Self.other)
        try browser.fill("#non-enforcement", "机关值班 52")
        try browser.fill("#campaigns", Self.campaigns)
        try browser.click("#make-plan")
        XCTAssertTrue(try browser.text().contains("场景已保存；编制计划前请先上传执法人员名录"), "no plan without a staff roll: \((try? browser.text()) ?? "")")
        try browser.choose(files: [scenario + "/staff.csv"], in: "#staff-file")
        try browser.evaluate("document.getElementById('staff-upload').click()")
        try browser.waitUntil("document.getElementById('roll-ok')")
        XCTAssertTrue(try browser.text().contains("已载入执法人员名录 staff.csv"), (try? browser.text()) ?? "")
        try browser.choose(files: [scenario + "/experts.csv"], in: "#experts-file")
        try browser.evaluate("document.getElementById('experts-upload').click()")
        try browser.waitUntil("document.getElementById('roll-result').textContent.includes('专家名录')")
        try browser.open(served.base + "/plans/new")
        XCTAssertEqual(try browser.evaluate("document.getElementById('other-enforcement').value") as? String, Self.other, "the form as last saved")
        try browser.fill("#non-enforcement", "机关值班 五十二")
        try browser.click("#make-plan")
        let formProblems = try XCTUnwrap(browser.evaluate("Array.from(document.querySelectorAll('#form-problems tbody td')).map(td => td.textContent).join('|')") as? String)
        XCTAssertTrue(formProblems.hasPrefix("非执法工作日|1|机关值班 五十二|"), formProblems)
        try browser.fill("#non-enforcement", Self.non)
        try browser.click("#make-plan")
        XCTAssertTrue(try browser.url().contains("/jobs/"), (try? browser.url()) ?? "")
        try browser.waitUntil("document.getElementById('job-result')", timeout: 120)
        XCTAssertTrue(try browser.text().contains("完成"), (try? browser.text()) ?? "")
        try shot("05-编制进度")
        try browser.click("#job-result")
        let planPage = try browser.url()
        let planID = try XCTUnwrap(Int(planPage.split(separator: "/").last ?? ""), planPage)
        // The same plan `planner plan --db` makes of the same scenario, and it passes `planner verify`.
        let folder = dir.appendingPathComponent("same-scenario")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: scenario + "/staff.csv", toPath: folder.appendingPathComponent("staff.csv").path)
        // The generated scenario but for its ledger file (the database instead).
        try FileManager.default.copyItem(atPath: scenario + "/experts.csv", toPath: folder.appendingPathComponent("experts.csv").path)
        let yaml = try String(contentsOfFile: scenario + "/scenario.yaml", encoding: .utf8).components(separatedBy: "\n")
            .filter { !$0.hasPrefix("ledger:") }.joined(separator: "\n")
        try yaml.write(to: folder.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        let webPlan = try XCTUnwrap(browser.evaluate("fetch('/plans/\(planID)/files/plan.json').then(r => r.text())") as? String)
        try webPlan.write(to: dir.appendingPathComponent("web-plan.json"), atomically: true, encoding: .utf8)
        let cli = try CLI.run(["plan", folder.path, "--db", db, "--out", dir.appendingPathComponent("plan").path, "--time-limit", "60"])
        XCTAssertEqual(cli.status, 0, cli.stdout + cli.stderr)
        func withoutTimings(_ text: String) throws -> NSDictionary {
            func strip(_ v: Any) -> Any {
                if let d = v as? [String: Any] { return d.filter { $0.key != "seconds" }.mapValues(strip) }
                if let a = v as? [Any] { return a.map(strip) }
                return v
            }
            return try XCTUnwrap(strip(try JSONSerialization.jsonObject(with: Data(text.utf8))) as? NSDictionary)
        }
        XCTAssertEqual(try withoutTimings(webPlan),
                       try withoutTimings(String(contentsOf: dir.appendingPathComponent("plan/plan.json"), encoding: .utf8)),
                       "the browser's plan is the command's, but for the solver's timings")
        let verified = try CLI.run(["verify", dir.appendingPathComponent("web-plan.json").path, "--scenario", folder.path, "--db", db])
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        // January's on-site roster of the browser's plan, checked by `planner verify` too.
        try browser.open(served.base + "/plans/\(planID)")
        try browser.evaluate("document.getElementById('roster-month').value = '1'")
        try browser.click("#make-roster")
        try browser.waitUntil("document.getElementById('job-result')", timeout: 120)
        XCTAssertTrue(try browser.text().contains("完成：安排"), (try? browser.text()) ?? "")
        try browser.click("#job-result")
        XCTAssertTrue(try browser.text().contains("现场检查方案"), (try? browser.text()) ?? "")
        try shot("06-现场检查方案")
        try browser.open(served.base + "/plans/\(planID)")
        let rosterLink = try XCTUnwrap(browser.evaluate("document.querySelector('#rosters a.roster-html').getAttribute('href')") as? String)
        let rosterID = try XCTUnwrap(rosterLink.split(separator: "/").dropFirst().first.flatMap { Int($0) }, rosterLink)
        let rosterJSON = try XCTUnwrap(browser.evaluate("fetch('/rosters/\(rosterID)/files/roster-2027-01.json').then(r => r.text())") as? String)
        try rosterJSON.write(to: dir.appendingPathComponent("roster-2027-01.json"), atomically: true, encoding: .utf8)
        let rosterVerified = try CLI.run(["verify", dir.appendingPathComponent("roster-2027-01.json").path, "--scenario", folder.path, "--db", db,
                                          "--plan", dir.appendingPathComponent("web-plan.json").path])
        XCTAssertEqual(rosterVerified.status, 0, rosterVerified.stdout + rosterVerified.stderr)

        // What if: one officer fewer from July, or one more; and how many every rule needs.
        try browser.open(served.base + "/analysis")
        try browser.fill("#staff-deltas", "-1..+1")
        try browser.fill("#staff-from", "2027-07-01")
        try browser.click("#run-whatif")
        try browser.waitUntil("document.getElementById('job-result')", timeout: 180)
        XCTAssertTrue(try browser.text().contains("完成：3 个方案"), (try? browser.text()) ?? "")
        try browser.click("#job-result")
        let comparison = try browser.text()
        XCTAssertTrue(comparison.contains("人员-1（自7月1日）") && comparison.contains("人员+1（自7月1日）") && comparison.contains("现有人员"), comparison)
        try shot("07-情景比较")
        try browser.open(served.base + "/analysis")
        XCTAssertEqual(try browser.evaluate("document.querySelectorAll('#analyses a.analysis-html').length") as? Int, 1)
        try browser.click("#run-staffing")
        try browser.waitUntil("document.getElementById('job-lines')", timeout: 180)
        XCTAssertTrue(try browser.text().contains("现有持证执法人员"), (try? browser.text()) ?? "")
        try shot("08-人员测算")
        let staffingCLI = try CLI.run(["staffing", folder.path, "--db", db])
        let shown = try XCTUnwrap(browser.evaluate("document.getElementById('job-lines').innerText") as? String)
        XCTAssertTrue(shown.contains(try XCTUnwrap(staffingCLI.stdout.components(separatedBy: "\n").first { $0.hasPrefix("现有持证执法人员") })),
                      "the browser's answer is the command's: \(shown) vs \(staffingCLI.stdout)")

        // A re-plan from July keeping July as published; `planner verify` checks it against the plan it re-plans.
        try browser.open(served.base + "/plans/\(planID)")
        try browser.evaluate("document.getElementById('replan-from').value = '7'")
        try browser.fill("#keep-months", "7")
        try browser.click("#do-replan")
        try browser.waitUntil("document.getElementById('job-result')", timeout: 120)
        XCTAssertTrue(try browser.text().contains("完成：新计划"), (try? browser.text()) ?? "")
        try browser.click("#job-result")
        let replanID = try XCTUnwrap(Int(try browser.url().split(separator: "/").last ?? ""))
        XCTAssertTrue(try browser.text().contains("本计划为计划 \(planID)的重新编制"), (try? browser.text()) ?? "")
        let replanJSON = try XCTUnwrap(browser.evaluate("fetch('/plans/\(replanID)/files/plan.json').then(r => r.text())") as? String)
        try replanJSON.write(to: dir.appendingPathComponent("web-replan.json"), atomically: true, encoding: .utf8)
        let replanVerified = try CLI.run(["verify", dir.appendingPathComponent("web-replan.json").path, "--scenario", folder.path, "--db", db,
                                          "--previous", dir.appendingPathComponent("web-plan.json").path])
        XCTAssertEqual(replanVerified.status, 0, replanVerified.stdout + replanVerified.stderr)
        let before = try JSONSerialization.jsonObject(with: Data(webPlan.utf8)) as? [String: Any]
        let after = try JSONSerialization.jsonObject(with: Data(replanJSON.utf8)) as? [String: Any]
        func visits(_ plan: [String: Any]?, month: Int) -> [String] {
            ((plan?["visits"] as? [[String: Any]]) ?? []).filter { $0["month"] as? Int == month }.compactMap { $0["id"] as? String }.sorted()
        }
        XCTAssertEqual(visits(after, month: 7), visits(before, month: 7), "the published July is kept as it was")
        XCTAssertEqual(visits(after, month: 3), visits(before, month: 3), "months before July stay as planned")

        // The dashboard shows the year's newest plan: the re-plan.
        try browser.open(served.base + "/")
        XCTAssertTrue(try browser.text().contains("计划编号 \(replanID)：草稿"), (try? browser.text()) ?? "")
        try shot("09-首页")
        try browser.open(served.base + "/plans/\(planID)")
        try browser.click("#open-document")
        let document = try browser.text()
        XCTAssertTrue(document.contains("浦东新区应急管理局") && document.contains("编制依据"), document)
        try shot("10-计划文本")
        try browser.open(served.base + "/plans/\(planID)")
        try browser.click("#do-submit")
        XCTAssertEqual(try browser.evaluate("document.getElementById('status').textContent") as? String, "已报批")
        try signOut()

        // The reviewer approves with the approval document's number and date.
        try signIn("浦东审核", "pudong reviewer pw")
        try browser.open(served.base + "/plans/\(planID)")
        try browser.fill("#approval-number", "浦府〔2027〕5号")
        try browser.fill("#approval-date", "2027-01-10")
        try browser.click("#do-approve")
        XCTAssertEqual(try browser.evaluate("document.getElementById('status').textContent") as? String, "已批准")
        XCTAssertTrue(try browser.text().contains("浦府〔2027〕5号（2027-01-10）"))
        try signOut()

        // The planner files it with the city bureau.
        try signIn("浦东编制", "pudong planner pw")
        try browser.open(served.base + "/plans/\(planID)")
        try browser.click("#do-file")
        XCTAssertEqual(try browser.evaluate("document.getElementById('filed-to').textContent") as? String, "上海市应急管理局")
        try signOut()

        // The level above sees it among the plans filed with it.
        try signIn("市局审核", "city reviewer pw")
        XCTAssertTrue(try browser.text().contains("下级报送备案的计划：1 份"), (try? browser.text()) ?? "")
        try browser.open(served.base + "/plans")
        let filed = try XCTUnwrap(browser.evaluate("document.getElementById('filed-plans').innerText") as? String)
        XCTAssertTrue(filed.contains("浦东新区应急管理局\t2027\t已备案\t浦府〔2027〕5号"), filed)
        try shot("11-备案列表")
        try signOut()

        // Published, then the public page without signing in.
        try signIn("浦东编制", "pudong planner pw")
        try browser.open(served.base + "/plans/\(planID)")
        try browser.click("#do-publish")
        XCTAssertEqual(try browser.evaluate("document.getElementById('status').textContent") as? String, "已公开")
        try shot("12-计划办理")
        let publicURL = try XCTUnwrap(browser.evaluate("document.getElementById('public-link').href") as? String)
        try signOut()
        try browser.open(publicURL)
        let page = try browser.text()
        XCTAssertFalse(page.contains("退出登录"), "anonymous")
        let planJSON = try JSONSerialization.jsonObject(with: Data(webPlan.utf8)) as? [String: Any]
        let draws = try XCTUnwrap(planJSON?["draws"] as? [[String: Any]])
        XCTAssertFalse(draws.isEmpty)
        for d in draws {
            XCTAssertTrue(page.contains(try XCTUnwrap(d["pool_sha256"] as? String)), "each draw's pool hash is published")
        }
        XCTAssertTrue(page.contains(String(describing: try XCTUnwrap(planJSON?["seed"]))))
        try shot("13-公开页面")
    }
}

import Foundation
import Output
import XCTest

/// The web application end to end in a real headless Chromium, against `planner serve` as a
/// user runs it: sign in, upload a ledger with an error and see it by row, column and value,
/// fix it and upload, make a plan (`planner plan --db`), open its document, submit, approve
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

        // A plan from the ledger now in the database.
        let plan = try CLI.run(["plan", scenario, "--db", db, "--out", dir.appendingPathComponent("plan").path, "--time-limit", "10"])
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        try browser.open(served.base + "/")
        XCTAssertTrue(try browser.text().contains("计划编号 1：草稿"), (try? browser.text()) ?? "")
        try shot("04-首页")
        try browser.open(served.base + "/plans/1")
        try browser.click("#open-document")
        let document = try browser.text()
        XCTAssertTrue(document.contains("浦东新区应急管理局") && document.contains("编制依据"), document)
        try shot("05-计划文本")
        try browser.open(served.base + "/plans/1")
        try browser.click("#do-submit")
        XCTAssertEqual(try browser.evaluate("document.getElementById('status').textContent") as? String, "已报批")
        try signOut()

        // The reviewer approves with the approval document's number and date.
        try signIn("浦东审核", "pudong reviewer pw")
        try browser.open(served.base + "/plans/1")
        try browser.fill("#approval-number", "浦府〔2027〕5号")
        try browser.fill("#approval-date", "2027-01-10")
        try browser.click("#do-approve")
        XCTAssertEqual(try browser.evaluate("document.getElementById('status').textContent") as? String, "已批准")
        XCTAssertTrue(try browser.text().contains("浦府〔2027〕5号（2027-01-10）"))
        try signOut()

        // The planner files it with the city bureau.
        try signIn("浦东编制", "pudong planner pw")
        try browser.open(served.base + "/plans/1")
        try browser.click("#do-file")
        XCTAssertEqual(try browser.evaluate("document.getElementById('filed-to').textContent") as? String, "上海市应急管理局")
        try signOut()

        // The level above sees it among the plans filed with it.
        try signIn("市局审核", "city reviewer pw")
        XCTAssertTrue(try browser.text().contains("下级报送备案的计划：1 份"), (try? browser.text()) ?? "")
        try browser.open(served.base + "/plans")
        let filed = try XCTUnwrap(browser.evaluate("document.getElementById('filed-plans').innerText") as? String)
        XCTAssertTrue(filed.contains("浦东新区应急管理局\t2027\t已备案\t浦府〔2027〕5号"), filed)
        try shot("06-备案列表")
        try signOut()

        // Published, then the public page without signing in.
        try signIn("浦东编制", "pudong planner pw")
        try browser.open(served.base + "/plans/1")
        try browser.click("#do-publish")
        XCTAssertEqual(try browser.evaluate("document.getElementById('status').textContent") as? String, "已公开")
        try shot("07-计划办理")
        let publicURL = try XCTUnwrap(browser.evaluate("document.getElementById('public-link').href") as? String)
        try signOut()
        try browser.open(publicURL)
        let page = try browser.text()
        XCTAssertFalse(page.contains("退出登录"), "anonymous")
        let planJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("plan/plan.json"))) as? [String: Any]
        let draws = try XCTUnwrap(planJSON?["draws"] as? [[String: Any]])
        XCTAssertFalse(draws.isEmpty)
        for d in draws {
            XCTAssertTrue(page.contains(try XCTUnwrap(d["pool_sha256"] as? String)), "each draw's pool hash is published")
        }
        XCTAssertTrue(page.contains(String(describing: try XCTUnwrap(planJSON?["seed"]))))
        try shot("08-公开页面")
    }
}

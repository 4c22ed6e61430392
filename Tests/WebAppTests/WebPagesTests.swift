import Foundation
import XCTest
import Accounts
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import LedgerStore
import PostgresHarness
import WebApp

/// The pages and the workflow API on a real loopback server over a real SQLite file, as a
/// browser sends them: forms with CSRF tokens, cookies by hand.
final class WebPagesTests: XCTestCase {
    var folder = ""
    override func setUp() {
        folder = NSTemporaryDirectory() + "webpages-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    static let ledgerCSV = """
        id,name,district,town,category,scale
        91310115000000001U,上海甲机械有限公司,浦东新区,唐镇,industry_trade,large
        91310114000000001D,上海乙机械有限公司,嘉定区,安亭镇,industry_trade,small

        """

    /// The fixture's database: an SQLite file, or a new database in a throwaway PostgreSQL
    /// cluster (which fails the test, never skips it, when it cannot start).
    func setUpStore(postgres: Bool = false) throws -> (LedgerStore, plan: Int) {
        let store = postgres ? try LedgerStore.open(try ThrowawayPostgres.freshDatabase(prefix: "webpages"))
                             : try LedgerStore.open("sqlite:\(folder)/w.sqlite", create: true)
        let accounts = Accounts(store, cost: 10)
        try WebFixture.addUsers(accounts)
        _ = try accounts.add(name: "pudong-reviewer", authority: WebFixture.pudong, role: .reviewer, password: "pr-pw")
        _ = try accounts.add(name: "city-reviewer", authority: WebFixture.city, role: .reviewer, password: "cr-pw")
        _ = try accounts.add(name: "jiading-planner", authority: WebFixture.jiading, role: .planner, password: "jp-pw")
        let path = "\(folder)/ledger.csv"
        try Data(Self.ledgerCSV.utf8).write(to: URL(fileURLWithPath: path))
        _ = try store.importFile(path: path, options: .init(by: "test", reason: "初始", effective: "2026-12-01"))
        return (store, try WebFixture.storeRealisticPlan(store, authority: WebFixture.pudong, district: "浦东新区"))
    }

    func app(_ store: LedgerStore) throws -> some ApplicationProtocol {
        try WebApp.application(store: store, configuration: WebConfiguration(host: "127.0.0.1", port: 0, year: 2027, pdf: .never, planTimeLimit: 10),
                               accounts: Accounts(store, cost: 10))
    }

    /// A signed-in browser: its cookie and the session's CSRF token.
    struct Browser {
        var cookie: String
        var csrf: String
    }

    static func signIn(_ c: some TestClientProtocol, _ user: String, _ password: String) async throws -> Browser {
        let form = try await c.execute(uri: "/login", method: .get)
        XCTAssertEqual(form.status, .ok)
        let csrfCookie = String(try XCTUnwrap(form.headers[values: .setCookie].first).prefix { $0 != ";" })
        let token = try XCTUnwrap(field("csrf", in: String(buffer: form.body)))
        let r = try await c.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: csrfCookie],
                                    body: ByteBuffer(string: encode(["csrf": token, "user": user, "password": password])))
        XCTAssertEqual(r.status, .seeOther, "sign-in of \(user): \(String(buffer: r.body))")
        let cookie = String(try XCTUnwrap(r.headers[values: .setCookie].first).prefix { $0 != ";" })
        let home = try await c.execute(uri: "/", method: .get, headers: [.cookie: cookie])
        XCTAssertEqual(home.status, .ok)
        return Browser(cookie: cookie, csrf: try XCTUnwrap(field("csrf", in: String(buffer: home.body))))
    }

    static func field(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ f: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return f.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    static func post(_ c: some TestClientProtocol, _ b: Browser, _ uri: String, _ f: [String: String]) async throws -> TestResponse {
        var f = f
        if f["csrf"] == nil { f["csrf"] = b.csrf }
        return try await c.execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: b.cookie],
                                   body: ByteBuffer(string: encode(f)))
    }

    static func get(_ c: some TestClientProtocol, _ b: Browser?, _ uri: String) async throws -> TestResponse {
        try await c.execute(uri: uri, method: .get, headers: b.map { [.cookie: $0.cookie] } ?? [:])
    }

    func testTheWorkflowThroughThePagesWithCSRF() async throws {
        let (store, plan) = try setUpStore()
        defer { store.close() }
        try await workflowThroughThePages(store, plan: plan)
    }

    /// The pages' workflow and ledger on PostgreSQL.
    func testPagesOnPostgres() async throws {
        let (store, plan) = try setUpStore(postgres: true)
        defer { store.close() }
        try await workflowThroughThePages(store, plan: plan)
        try await ledgerPages(store)
    }

    func workflowThroughThePages(_ store: LedgerStore, plan: Int) async throws {
        try await app(store).test(.live) { c in
            let planner = try await Self.signIn(c, "pudong-planner", "浦东 planner 密码")
            let reviewer = try await Self.signIn(c, "pudong-reviewer", "pr-pw")
            let city = try await Self.signIn(c, "city-reviewer", "cr-pw")
            let jiading = try await Self.signIn(c, "jiading-planner", "jp-pw")
            let page = String(buffer: try await Self.get(c, planner, "/plans/\(plan)").body)
            XCTAssertTrue(page.contains("浦东新区应急管理局 2027 年度执法计划"), page)
            XCTAssertTrue(page.contains("id=\"do-submit\""), "the planner is offered the submission")
            XCTAssertFalse(page.contains("id=\"do-approve\""))
            // A post without the session's CSRF token changes nothing.
            let altered = (planner.csrf.first == "0" ? "1" : "0") + planner.csrf.dropFirst()
            for token in ["", altered, reviewer.csrf] {
                let r = try await Self.post(c, planner, "/plans/\(plan)/workflow", ["action": "submit", "csrf": token])
                XCTAssertEqual(r.status, .forbidden, token)
            }
            XCTAssertEqual(try store.db.document(id: plan)?.status, .draft)
            // Another district: 404 on the page, its files, its workflow.
            for uri in ["/plans/\(plan)", "/plans/\(plan)/files/plan.json", "/plans/\(plan)/files/%E6%89%A7%E6%B3%95%E8%AE%A1%E5%88%92.html"] {
                let r = try await Self.get(c, jiading, uri)
                XCTAssertEqual(r.status, .notFound, uri)
            }
            let v1 = try await Self.post(c, jiading, "/plans/\(plan)/workflow", ["action": "submit"]).status
            XCTAssertEqual(v1, .notFound)
            let v2 = try await Self.post(c, planner, "/plans/\(plan)/workflow", ["action": "approve"]).status
            XCTAssertEqual(v2, .forbidden)

            var r = try await Self.post(c, planner, "/plans/\(plan)/workflow", ["action": "submit"])
            XCTAssertEqual(r.status, .seeOther)
            XCTAssertEqual(r.headers[.location], "/plans/\(plan)?done=submit")
            r = try await Self.post(c, reviewer, "/plans/\(plan)/workflow", ["action": "approve", "approval_number": "浦府〔2027〕5号", "approval_date": "2027-13-01"])
            XCTAssertEqual(r.status, .unprocessableContent)
            XCTAssertTrue(String(buffer: r.body).contains("批准日期 2027-13-01 无效"), String(buffer: r.body))
            r = try await Self.post(c, reviewer, "/plans/\(plan)/workflow", ["action": "approve", "approval_number": "浦府〔2027〕5号", "approval_date": "2027-01-10"])
            XCTAssertEqual(r.status, .seeOther)
            // The public page shows nothing before publication.
            let publicURI = "/public/%E6%B5%A6%E4%B8%9C%E6%96%B0%E5%8C%BA%E5%BA%94%E6%80%A5%E7%AE%A1%E7%90%86%E5%B1%80/2027"
            let v3 = try await Self.get(c, nil, publicURI).status
            XCTAssertEqual(v3, .notFound)
            let v4 = try await Self.get(c, nil, "/api" + publicURI).status
            XCTAssertEqual(v4, .notFound)
            let v5 = try await Self.post(c, planner, "/plans/\(plan)/workflow", ["action": "file"]).status
            XCTAssertEqual(v5, .seeOther)
            // Filed: the city bureau sees it in its list, returns it; then the plan is not its to see.
            let cityList = String(buffer: try await Self.get(c, city, "/plans").body)
            XCTAssertTrue(cityList.contains("<a href=\"/plans/\(plan)\">\(plan)</a></td><td>浦东新区应急管理局</td><td>2027</td><td>已备案</td><td>浦府〔2027〕5号</td>"), cityList)
            r = try await Self.post(c, city, "/plans/\(plan)/workflow", ["action": "return", "comment": "请补充 KEY-D2 单位"])
            XCTAssertEqual(r.headers[.location], "/plans?returned=\(plan)")
            let v6 = try await Self.get(c, city, "/plans/\(plan)").status
            XCTAssertEqual(v6, .notFound)
            let history = String(buffer: try await Self.get(c, planner, "/plans/\(plan)").body)
            XCTAssertTrue(history.contains("<td>city-reviewer</td><td>草稿</td><td>请补充 KEY-D2 单位</td>"), history)
            // Again, through the JSON API this time; a form post there is refused (415).
            let api = try await c.execute(uri: "/api/plans/\(plan)/workflow", method: .post,
                                          headers: [.contentType: "application/x-www-form-urlencoded", .cookie: planner.cookie],
                                          body: ByteBuffer(string: "action=submit"))
            XCTAssertEqual(api.status, .unsupportedMediaType)
            func step(_ b: Browser, _ body: [String: String]) async throws -> TestResponse {
                try await c.execute(uri: "/api/plans/\(plan)/workflow", method: .post, headers: [.contentType: "application/json", .cookie: b.cookie],
                                    body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            }
            let v7 = try await step(jiading, ["action": "submit"]).status
            XCTAssertEqual(v7, .notFound)
            let v8 = try await step(planner, ["action": "submit"]).status
            XCTAssertEqual(v8, .ok)
            let v9 = try await step(planner, ["action": "submit"]).status
            XCTAssertEqual(v9, .conflict)
            let v10 = try await step(reviewer, ["action": "approve"]).status
            XCTAssertEqual(v10, .unprocessableContent)
            let v11 = try await step(reviewer, ["action": "nonsense"]).status
            XCTAssertEqual(v11, .badRequest)
            let v12 = try await step(reviewer, ["action": "approve", "approvalNumber": "浦府〔2027〕9号", "approvalDate": "2027-01-20"]).status
            XCTAssertEqual(v12, .ok)
            let v13 = try await step(planner, ["action": "file"]).status
            XCTAssertEqual(v13, .ok)
            let done = try await step(planner, ["action": "publish"])
            XCTAssertEqual(done.status, .ok)
            let summary = try Client.object(done)
            XCTAssertEqual(summary["status"] as? String, "published")
            XCTAssertEqual(summary["filedTo"] as? String, WebFixture.city)
            XCTAssertEqual(summary["approvalNumber"] as? String, "浦府〔2027〕9号")
            // Published: anyone sees the draws, without signing in.
            let pub = try await Self.get(c, nil, publicURI)
            XCTAssertEqual(pub.status, .ok)
            let text = String(buffer: pub.body)
            XCTAssertTrue(text.contains("<code id=\"seed\">20270101</code>"), text)
            XCTAssertTrue(text.contains("a0e4b0f4f3d52bd9c2b0371c3f2b0e401707fbbd5476ebf3c4b30b7d1de285e2"))
            XCTAssertTrue(text.contains("913101151B1X2W0459"))
            let json = try Client.object(try await Self.get(c, nil, "/api" + publicURI))
            XCTAssertEqual((json["draws"] as? [[String: Any]])?.map { $0["id"] as? String }, ["D-2027-01", "D-2027-02"])
            XCTAssertEqual(json["approvalNumber"] as? String, "浦府〔2027〕9号")
            let events = try await Self.get(c, planner, "/api/plans/\(plan)/events")
            let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(events.body.readableBytesView)) as? [[String: Any]])
            XCTAssertEqual(list.map { $0["status"] as? String }, ["draft", "submitted", "approved", "filed", "draft", "submitted", "approved", "filed", "published"])
            let v14 = try await Self.get(c, jiading, "/api/plans/\(plan)/events").status
            XCTAssertEqual(v14, .notFound)
            // Signing out needs the token too, and ends the session.
            let v15 = try await Self.post(c, planner, "/logout", ["csrf": "x"]).status
            XCTAssertEqual(v15, .forbidden)
            let v16 = try await Self.post(c, planner, "/logout", [:]).status
            XCTAssertEqual(v16, .seeOther)
            let v17 = try await Self.get(c, planner, "/").status
            XCTAssertEqual(v17, .seeOther)
        }
    }

    func testSignInFormNeedsItsTokenAndIsRateLimited() async throws {
        let (store, _) = try setUpStore()
        defer { store.close() }
        try await app(store).test(.live) { c in
            // No CSRF cookie (a cross-site form): refused before the password is looked at.
            let forged = try await c.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: Self.encode(["csrf": "abc", "user": "pudong-planner", "password": "浦东 planner 密码"])))
            XCTAssertEqual(forged.status, .forbidden)
            XCTAssertEqual(forged.headers[values: .setCookie].filter { $0.hasPrefix(WebApp.sessionCookie) }, [])
            func attempt(_ password: String) async throws -> TestResponse {
                let form = try await c.execute(uri: "/login", method: .get)
                let cookie = String(try XCTUnwrap(form.headers[values: .setCookie].first).prefix { $0 != ";" })
                let token = try XCTUnwrap(Self.field("csrf", in: String(buffer: form.body)))
                return try await c.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                           body: ByteBuffer(string: Self.encode(["csrf": token, "user": "pudong-planner", "password": password])))
            }
            for _ in 0..<5 {
                let r = try await attempt("wrong")
                XCTAssertEqual(r.status, .unauthorized)
            }
            // The sixth try is refused, even with the right password, and says how long to wait.
            let limited = try await attempt("浦东 planner 密码")
            XCTAssertEqual(limited.status, .tooManyRequests)
            XCTAssertNotNil(limited.headers[.retryAfter].flatMap(Int.init))
            XCTAssertTrue(String(buffer: limited.body).contains("登录失败次数过多"))
            // The API's sign-in shares the count.
            let v18 = try await Client.signIn(c, "pudong-planner", "浦东 planner 密码").status
            XCTAssertEqual(v18, .tooManyRequests)
            // Another user is not locked out by it.
            let v19 = try await Client.signIn(c, "city-admin", "city-pw-3").status
            XCTAssertEqual(v19, .ok)
        }
    }

    func testLedgerPagesUploadAndScope() async throws {
        let (store, _) = try setUpStore()
        defer { store.close() }
        try await ledgerPages(store)
    }

    func ledgerPages(_ store: LedgerStore) async throws {
        try await app(store).test(.live) { c in
            let planner = try await Self.signIn(c, "pudong-planner", "浦东 planner 密码")
            let jiading = try await Self.signIn(c, "jiading-planner", "jp-pw")
            let admin = try await Self.signIn(c, "city-admin", "city-pw-3")
            // Each sees its own district's units; the admin every unit.
            let own = String(buffer: try await Self.get(c, planner, "/ledger").body)
            XCTAssertTrue(own.contains("91310115000000001U") && !own.contains("91310114000000001D"), own)
            let all = String(buffer: try await Self.get(c, admin, "/ledger").body)
            XCTAssertTrue(all.contains("91310114000000001D"))
            let v20 = try await Self.get(c, jiading, "/units/91310115000000001U").status
            XCTAssertEqual(v20, .notFound)
            let unit = String(buffer: try await Self.get(c, planner, "/units/91310115000000001U").body)
            XCTAssertTrue(unit.contains("<b id=\"unit-class\">重点检查单位</b>"), unit)
            XCTAssertTrue(unit.contains("KEY-M9"), "a large industry-and-trade unit is key by KEY-M9: \(unit)")
            XCTAssertTrue(unit.contains("（新增单位）"))
            let dash = String(buffer: try await Self.get(c, planner, "/").body)
            XCTAssertTrue(dash.contains("共 <b id=\"unit-total\">1</b> 家：重点检查单位 <b id=\"unit-key\">1</b> 家"), dash)

            func upload(_ b: Browser, _ csv: String, token: String? = nil) async throws -> TestResponse {
                try await c.execute(uri: "/ledger/upload", method: .post,
                                    headers: [.contentType: "application/octet-stream", .cookie: b.cookie,
                                              HTTPField.Name("X-CSRF-Token")!: token ?? b.csrf, HTTPField.Name("X-File-Name")!: "ledger.csv"],
                                    body: ByteBuffer(string: csv))
            }
            let before = try store.db.lastSeq()
            let v21 = try await upload(planner, Self.ledgerCSV, token: "bad").status
            XCTAssertEqual(v21, .forbidden)
            // A bad code on row 3: named by row, column and value; nothing applied.
            let bad = Self.ledgerCSV.replacingOccurrences(of: "91310114000000001D", with: "BAD")
            var r = try await upload(admin, bad)
            XCTAssertEqual(r.status, .unprocessableContent)
            var html = String(buffer: r.body)
            XCTAssertTrue(html.contains("<td>ledger.csv</td><td class=\"n\">3</td><td>id</td><td>BAD</td>"), html)
            XCTAssertTrue(html.contains("台账未作任何修改"))
            // Pudong's planner may not change Jiading's unit.
            r = try await upload(planner, Self.ledgerCSV)
            XCTAssertEqual(r.status, .unprocessableContent)
            html = String(buffer: r.body)
            XCTAssertTrue(html.contains("<td class=\"n\">3</td><td>district</td><td>嘉定区</td>"), html)
            XCTAssertEqual(try store.db.lastSeq(), before, "nothing applied")
            // Its own district's change goes in.
            let changed = "id,name,district,town,category,scale\n91310115000000001U,上海甲机械有限公司,浦东新区,唐镇,industry_trade,medium\n"
            r = try await upload(planner, changed)
            XCTAssertEqual(r.status, .ok, String(buffer: r.body))
            XCTAssertTrue(String(buffer: r.body).contains("变更 1（1 个字段）"), String(buffer: r.body))
            XCTAssertEqual(try store.db.lastSeq(), before + 1)
            let history = String(buffer: try await Self.get(c, planner, "/units/91310115000000001U").body)
            XCTAssertTrue(history.contains("<td>scale</td><td>large</td><td>medium</td><td>ledger.csv</td><td>pudong-planner</td>"), history)
            // A reviewer may not upload; an oversize body is refused with 413.
            let reviewer = try await Self.signIn(c, "pudong-reviewer", "pr-pw")
            let v22 = try await upload(reviewer, changed).status
            XCTAssertEqual(v22, .forbidden)
        }
    }
}

extension WebPagesTests {
    /// The scenario form: who may use it, its problems by field, the staff roll's by row; a
    /// plan's progress page is its own authority's alone.
    func testScenarioFormAndPlanJobs() async throws {
        let (store, _) = try setUpStore()
        defer { store.close() }
        let staff = "工号,姓名,执法证\nE1,张三,是\nE2,李四,是\nE3,王五,是\n"
        try await app(store).test(.live) { c in
            let planner = try await Self.signIn(c, "pudong-planner", "浦东 planner 密码")
            let reviewer = try await Self.signIn(c, "pudong-reviewer", "pr-pw")
            let jiading = try await Self.signIn(c, "jiading-planner", "jp-pw")
            let forbidden = try await Self.get(c, reviewer, "/plans/new")
            XCTAssertEqual(forbidden.status, .forbidden)
            let form = String(buffer: try await Self.get(c, planner, "/plans/new").body)
            XCTAssertTrue(form.contains("<td class=\"n\">0.6</td>"), "the default key share is shown: \(form)")
            XCTAssertTrue(form.contains("value=\"20270101\""), "a seed is proposed")
            func roll(_ b: Browser, _ csv: String) async throws -> TestResponse {
                try await c.execute(uri: "/plans/new/roll", method: .post,
                                    headers: [.contentType: "application/octet-stream", .cookie: b.cookie, HTTPField.Name("X-Kind")!: "staff",
                                              HTTPField.Name("X-CSRF-Token")!: b.csrf, HTTPField.Name("X-File-Name")!: "staff.csv"],
                                    body: ByteBuffer(string: csv))
            }
            var r = try await roll(planner, "工号,姓名,执法证\nE1,张三,也许\n")
            XCTAssertEqual(r.status, .unprocessableContent)
            XCTAssertTrue(String(buffer: r.body).contains("<td>staff.csv</td><td class=\"n\">2</td>"), String(buffer: r.body))
            r = try await roll(planner, staff)
            XCTAssertEqual(r.status, .ok)
            XCTAssertTrue(String(buffer: r.body).contains("3 人，其中持执法证 3 人"), String(buffer: r.body))
            // Problems by field: a deduction line without days, a policy number that is not one.
            r = try await Self.post(c, planner, "/plans/new", ["year": "2027", "seed": "1", "level": "district", "district": "浦东新区",
                                                              "other_enforcement": "综合监管\n行政许可 20", "policy.key_share_min": "六成", "then": "plan"])
            XCTAssertEqual(r.status, .unprocessableContent)
            let page = String(buffer: r.body)
            XCTAssertTrue(page.contains("<td>其他执法工作日</td><td class=\"n\">1</td><td>综合监管</td>"), page)
            XCTAssertTrue(page.contains("<td>重点检查家次占比下限</td><td class=\"n\"></td><td>六成</td>"), page)
            // A key share below the policy's 60% is refused as `planner plan` refuses it.
            r = try await Self.post(c, planner, "/plans/new", ["year": "2027", "seed": "1", "level": "district", "district": "浦东新区",
                                                              "policy.key_share_min": "0.5", "then": "save"])
            XCTAssertEqual(r.status, .unprocessableContent)
            XCTAssertTrue(String(buffer: r.body).contains("policy.key_share_min"), String(buffer: r.body))
            // A plan: its progress page, its own authority's only.
            r = try await Self.post(c, planner, "/plans/new", ["year": "2027", "seed": "1", "level": "district", "district": "浦东新区", "then": "plan"])
            XCTAssertEqual(r.status, .seeOther, String(buffer: r.body))
            let job = try XCTUnwrap(r.headers[.location])
            XCTAssertTrue(job.hasPrefix("/jobs/"), job)
            let other = try await Self.get(c, jiading, job)
            XCTAssertEqual(other.status, .notFound)
            var text = ""
            for _ in 0..<300 {
                text = String(buffer: try await Self.get(c, planner, job).body)
                if text.contains("id=\"job-result\"") || text.contains("失败") { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            XCTAssertTrue(text.contains("id=\"job-result\""), text)
            let plans = try store.db.documents(authority: WebFixture.pudong, year: 2027).filter { $0.kind == .plan }
            XCTAssertEqual(plans.first?.createdBy, "pudong-planner")
            XCTAssertNotNil(try store.db.documentFile(id: try XCTUnwrap(plans.first?.id), name: "plan.json"))
        }
    }
}

extension WebPagesTests {
    /// Hostile input changes nothing and shows nothing it should not: SQL in every text a
    /// query takes, an upload over the limit (413), another authority's roster files (404),
    /// and a failing database (500 without a trace).
    func testHostileInputAndFailures() async throws {
        let (store, _) = try setUpStore()
        let roster = try store.db.saveDocument(StoredDocument(kind: .roster, authority: WebFixture.pudong, level: "district", year: 2027, month: 1,
                                                              ledgerSeq: 0, createdAt: "2027-01-05T09:00:00+08:00", createdBy: "test"),
                                               files: [("现场检查方案-2027-01.html", Data("<p>roster</p>".utf8))])
        var configuration = WebConfiguration(host: "127.0.0.1", port: 0, year: 2027, pdf: .never)
        configuration.uploadLimit = 1024
        let app = try WebApp.application(store: store, configuration: configuration, accounts: Accounts(store, cost: 10))
        try await app.test(.live) { c in
            let injection = "' OR '1'='1'; DROP TABLE units; --"
            let bad = try await Client.signIn(c, injection, injection)
            XCTAssertEqual(bad.status, .unauthorized)
            let planner = try await Self.signIn(c, "pudong-planner", "浦东 planner 密码")
            let jiading = try await Self.signIn(c, "jiading-planner", "jp-pw")
            let search = try await Self.get(c, planner, "/ledger?q=" + (injection.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            XCTAssertEqual(search.status, .ok)
            XCTAssertTrue(String(buffer: search.body).contains("共 0 家"), String(buffer: search.body))
            XCTAssertFalse(String(buffer: search.body).contains("' OR '1'='1'; DROP"), "the query is shown escaped")
            XCTAssertTrue(String(buffer: search.body).contains("&#39; OR &#39;1&#39;=&#39;1&#39;; DROP TABLE units; --")
                          || String(buffer: search.body).contains("&#x27; OR"), String(buffer: search.body))
            let unit = try await Self.get(c, planner, "/units/" + (injection.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            XCTAssertEqual(unit.status, .notFound)
            XCTAssertEqual(try store.db.lastSeq(), 2, "the ledger is as it was")
            // Over the limit: 413, nothing imported.
            let big = String(repeating: "x", count: 4096)
            let r = try await c.execute(uri: "/ledger/upload", method: .post,
                                        headers: [.contentType: "application/octet-stream", .cookie: planner.cookie,
                                                  HTTPField.Name("X-CSRF-Token")!: planner.csrf, HTTPField.Name("X-File-Name")!: "ledger.csv"],
                                        body: ByteBuffer(string: big))
            XCTAssertEqual(r.status, .contentTooLarge)
            XCTAssertTrue(String(buffer: r.body).contains("文件超过 1024 字节，未导入"), String(buffer: r.body))
            // Another authority's roster: not found.
            let name = "%E7%8E%B0%E5%9C%BA%E6%A3%80%E6%9F%A5%E6%96%B9%E6%A1%88-2027-01.html"
            let other = try await Self.get(c, jiading, "/rosters/\(roster)/files/\(name)")
            XCTAssertEqual(other.status, .notFound)
            let own = try await Self.get(c, planner, "/rosters/\(roster)/files/\(name)")
            XCTAssertEqual(own.status, .ok)
            XCTAssertEqual(own.headers[HTTPField.Name("Content-Security-Policy")!]?.hasPrefix("default-src 'none'"), true,
                           "a stored document runs no script")
            // The database gone: a page and the API answer 500 with a plain message, no trace.
            store.close()
            let page = try await Self.get(c, planner, "/plans")
            XCTAssertEqual(page.status, .internalServerError)
            XCTAssertTrue(String(buffer: page.body).contains("服务器内部错误，详情见服务器日志"), String(buffer: page.body))
            let api = try await c.execute(uri: "/api/plans", method: .get, headers: [.cookie: planner.cookie])
            XCTAssertEqual(api.status, .internalServerError)
            XCTAssertEqual(try Client.object(api)["error"] as? String, "服务器内部错误，详情见服务器日志 (internal server error: see the server's log)")
            for body in [String(buffer: page.body), String(buffer: api.body)] {
                XCTAssertFalse(body.contains(".swift") || body.contains("Error(") || body.contains("SQLite"), body)
            }
        }
    }
}

extension WebPagesTests {
    /// The API behind the pages for the city's other systems: units scoped as the pages are, a
    /// plan made from the saved scenario and followed as a job.
    func testUnitsAndPlanMakingThroughTheAPI() async throws {
        let (store, _) = try setUpStore()
        defer { store.close() }
        try await app(store).test(.live) { c in
            let planner = try await Self.signIn(c, "pudong-planner", "浦东 planner 密码")
            let admin = try await Self.signIn(c, "city-admin", "city-pw-3")
            let jiading = try await Self.signIn(c, "jiading-planner", "jp-pw")
            func json(_ b: Browser, _ uri: String) async throws -> (HTTPResponse.Status, Any?) {
                let r = try await Self.get(c, b, uri)
                return (r.status, try? JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)))
            }
            let (s1, own) = try await json(planner, "/api/units")
            XCTAssertEqual(s1, .ok)
            XCTAssertEqual((own as? [String: Any])?["matched"] as? Int, 1)
            let first = ((own as? [String: Any])?["units"] as? [[String: Any]])?.first
            XCTAssertEqual(first?["id"] as? String, "91310115000000001U")
            XCTAssertEqual(first?["class"] as? String, "key")
            XCTAssertEqual(first?["rules"] as? [String], ["KEY-M9"])
            let (_, all) = try await json(admin, "/api/units?class=general")
            XCTAssertEqual(((all as? [String: Any])?["units"] as? [[String: Any]])?.map { $0["id"] as? String }, ["91310114000000001D"])
            for bad in ["limit=0", "limit=x", "class=", "class=red"] {
                let (s2, _) = try await json(planner, "/api/units?" + bad)
                XCTAssertEqual(s2, .badRequest, bad)
            }
            let (s3, _) = try await json(jiading, "/api/units/91310115000000001U")
            XCTAssertEqual(s3, .notFound)
            let (s4, one) = try await json(planner, "/api/units/91310115000000001U")
            XCTAssertEqual(s4, .ok)
            XCTAssertEqual(((one as? [String: Any])?["history"] as? [[String: Any]])?.count, 1)

            func make(_ b: Browser) async throws -> TestResponse {
                try await c.execute(uri: "/api/plans", method: .post, headers: [.contentType: "application/json", .cookie: b.cookie],
                                    body: ByteBuffer(string: #"{"year": 2027}"#))
            }
            var r = try await make(planner)
            XCTAssertEqual(r.status, .conflict, "no saved scenario yet")
            let roll = try await c.execute(uri: "/plans/new/roll", method: .post,
                                           headers: [.contentType: "application/octet-stream", .cookie: planner.cookie, HTTPField.Name("X-Kind")!: "staff",
                                                     HTTPField.Name("X-CSRF-Token")!: planner.csrf, HTTPField.Name("X-File-Name")!: "staff.csv"],
                                           body: ByteBuffer(string: "工号,姓名,执法证\nE1,张三,是\nE2,李四,是\n"))
            XCTAssertEqual(roll.status, .ok)
            r = try await make(planner)
            XCTAssertEqual(r.status, .accepted, String(buffer: r.body))
            let job = try XCTUnwrap(try Client.object(r)["id"] as? String)
            let (s5, _) = try await json(jiading, "/api/jobs/\(job)")
            XCTAssertEqual(s5, .notFound)
            var planID: String?
            for _ in 0..<300 {
                let (_, j) = try await json(planner, "/api/jobs/\(job)")
                let d = j as? [String: Any]
                if d?["finished"] as? Bool == true { planID = d?["planID"] as? String; XCTAssertEqual(d?["problems"] as? [String], []); break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            let id = try XCTUnwrap(planID)
            let (s6, plan) = try await json(planner, "/api/plans/\(id)")
            XCTAssertEqual(s6, .ok)
            XCTAssertEqual(((plan as? [String: Any])?["authority"] as? [String: Any])?["name"] as? String, WebFixture.pudong)
            let (s7, _) = try await json(jiading, "/api/plans/\(id)")
            XCTAssertEqual(s7, .notFound)
        }
    }
}

extension WebPagesTests {
    /// Links and headers carry ASCII only: Chinese names percent-encoded as UTF-8.
    func testNamesInLinksAndHeadersArePercentEncoded() async throws {
        let (store, plan) = try setUpStore()
        defer { store.close() }
        try await app(store).test(.live) { c in
            let planner = try await Self.signIn(c, "pudong-planner", "浦东 planner 密码")
            let page = String(buffer: try await Self.get(c, planner, "/plans/\(plan)").body)
            XCTAssertTrue(page.contains("href=\"/plans/\(plan)/files/%E6%89%A7%E6%B3%95%E8%AE%A1%E5%88%92.html\""), page)
            let file = try await Self.get(c, planner, "/plans/\(plan)/files/%E5%8F%8C%E9%9A%8F%E6%9C%BA%E6%8A%BD%E5%8F%96%E8%AE%B0%E5%BD%95.csv")
            XCTAssertEqual(file.status, .ok)
            let disposition = try XCTUnwrap(file.headers[.contentDisposition])
            XCTAssertEqual(disposition, "attachment; filename*=UTF-8''%E5%8F%8C%E9%9A%8F%E6%9C%BA%E6%8A%BD%E5%8F%96%E8%AE%B0%E5%BD%95.csv")
            XCTAssertTrue(disposition.allSatisfy(\.isASCII))
        }
    }
}

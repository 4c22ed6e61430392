import Foundation
import XCTest
import Accounts
import Hummingbird
import HummingbirdTesting
import LedgerStore
import PostgresHarness
import WebApp

/// The web application on a real loopback port (HummingbirdTesting's live client) over a real
/// SQLite file; `testPostgres` runs the main checks once on PostgreSQL.
final class WebServerTests: XCTestCase {
    var folder = ""
    override func setUp() {
        folder = NSTemporaryDirectory() + "webapp-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    /// A fresh SQLite ledger database with the fixture's accounts and plans.
    func sqlite() throws -> (store: LedgerStore, ids: (pudong: Int, roster: Int, jiading: Int)) {
        let store = try LedgerStore.open("sqlite:\(folder)/ledger.sqlite", create: true)
        try WebFixture.addUsers(Accounts(store, cost: 10))
        return (store, try WebFixture.storePlans(store))
    }

    func app(_ store: LedgerStore) -> some ApplicationProtocol {
        try! WebApp.application(store: store, configuration: WebConfiguration(host: "127.0.0.1", port: 0), accounts: Accounts(store, cost: 10))
    }

    func testSignInGoodAndBad() async throws {
        let (store, _) = try sqlite()
        defer { store.close() }
        try await app(store).test(.live) { client in
            let good = try await Client.signIn(client, "pudong-planner", "浦东 planner 密码")
            XCTAssertEqual(good.status, .ok)
            let info = try Client.object(good)
            XCTAssertEqual(info["user"] as? String, "pudong-planner")
            XCTAssertEqual(info["authority"] as? String, WebFixture.pudong)
            XCTAssertEqual(info["role"] as? String, "planner")
            // The cookie: the session token, HttpOnly, SameSite=Strict, Path=/ (and an expiry).
            let cookies = good.headers[values: .setCookie]
            XCTAssertEqual(cookies.count, 1)
            let parts = try XCTUnwrap(cookies.first).components(separatedBy: "; ")
            XCTAssertTrue(parts[0].hasPrefix("\(WebApp.sessionCookie)="), parts[0])
            XCTAssertEqual(parts[0].count, WebApp.sessionCookie.count + 1 + 64, "a 256-bit token in hex")
            XCTAssertTrue(parts.contains("HttpOnly"), "\(parts)")
            XCTAssertTrue(parts.contains("SameSite=Strict"), "\(parts)")
            XCTAssertTrue(parts.contains("Path=/"), "\(parts)")
            XCTAssertTrue(parts.contains { $0.hasPrefix("Expires=") }, "\(parts)")
            XCTAssertFalse(parts.contains("Secure"), "plain HTTP unless --secure-cookie")

            for (user, password) in [("pudong-planner", "wrong"), ("nobody", "浦东 planner 密码"), ("pudong-planner", "")] {
                let bad = try await Client.signIn(client, user, password)
                XCTAssertEqual(bad.status, .unauthorized, "\(user)/\(password)")
                XCTAssertEqual(bad.headers[values: .setCookie], [])
                XCTAssertEqual(try Client.object(bad)["error"] as? String, "用户名或密码错误 (wrong user name or password)")
            }
            // A body that is not the JSON asked for: 400 with a JSON error, no trace.
            for body in ["not json", #"{"user":"pudong-planner"}"#, ""] {
                let r = try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                                                 body: ByteBuffer(string: body))
                XCTAssertEqual(r.status, .badRequest, body)
                XCTAssertTrue((try Client.object(r)["error"] as? String)?.hasPrefix("请求有误 (bad request)") == true, String(buffer: r.body))
            }
        }
    }

    func testEveryAPIRouteNeedsASession() async throws {
        let (store, ids) = try sqlite()
        defer { store.close() }
        try await app(store).test(.live) { client in
            let forged = "\(WebApp.sessionCookie)=\(String(repeating: "0", count: 64))"
            for uri in ["/api/plans", "/api/plans/\(ids.pudong)", "/api/plans/999", "/api/nothing-here", "/api"] {
                for headers: HTTPFields in [[:], [.cookie: forged], [.cookie: "\(WebApp.sessionCookie)=garbage"]] {
                    let r = try await client.execute(uri: uri, method: .get, headers: headers)
                    XCTAssertEqual(r.status, .unauthorized, "\(uri) \(headers)")
                    XCTAssertEqual(try Client.object(r)["error"] as? String, "未登录或登录已过期 (not signed in, or the session has expired)")
                    XCTAssertEqual(r.headers[.contentType], "application/json; charset=utf-8")
                }
            }
            // The OpenAPI document needs no session; an unknown page is an HTML 404 page (the
            // pages answer in HTML, the API in JSON), a page of the app the sign-in page.
            let doc = try await client.execute(uri: "/openapi.json", method: .get)
            XCTAssertEqual(doc.status, .ok)
            let missing = try await client.execute(uri: "/no/such/page", method: .get)
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertEqual(missing.headers[.contentType], "text/html; charset=utf-8")
            XCTAssertTrue(String(buffer: missing.body).contains("没有这个地址 (not found)"), String(buffer: missing.body))
            let home = try await client.execute(uri: "/", method: .get)
            XCTAssertEqual(home.status, .seeOther)
            XCTAssertEqual(home.headers[.location], "/login")
            // A path the API has, with a method it has not: 405 and what is allowed.
            let put = try await client.execute(uri: "/api/session", method: .put)
            XCTAssertEqual(put.status, .methodNotAllowed)
            XCTAssertEqual(put.headers[.allow], "POST, DELETE")
            XCTAssertEqual(try Client.object(put)["error"] as? String, "不支持该请求方法 (method not allowed)")
            let post = try await client.execute(uri: "/openapi.json", method: .post)
            XCTAssertEqual(post.status, .methodNotAllowed)
            XCTAssertEqual(post.headers[.allow], "GET")
        }
    }

    func testPlansScopedByAuthority() async throws {
        let (store, ids) = try sqlite()
        defer { store.close() }
        try await app(store).test(.live) { client in try await Self.checkScoping(client, ids) }
    }

    /// What a planner, a reviewer and an admin see and fetch (shared by SQLite and PostgreSQL).
    static func checkScoping(_ client: some TestClientProtocol, _ ids: (pudong: Int, roster: Int, jiading: Int)) async throws {
        let pudong = try await Client.cookie(client, "pudong-planner", "浦东 planner 密码")
        let list = try await client.execute(uri: "/api/plans", method: .get, headers: [.cookie: pudong])
        XCTAssertEqual(list.status, .ok)
        XCTAssertEqual(list.headers[.contentType], "application/json; charset=utf-8")
        let plans = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as? [[String: Any]])
        XCTAssertEqual(plans.count, 1, "Pudong's plan only: no roster, not Jiading's")
        XCTAssertEqual(plans.first?["id"] as? String, String(ids.pudong))
        XCTAssertEqual(plans.first?["authority"] as? String, WebFixture.pudong)
        XCTAssertEqual(plans.first?["year"] as? Int, 2027)
        XCTAssertEqual(plans.first?["status"] as? String, "draft")
        XCTAssertEqual(Set(plans.first?.keys.map { $0 } ?? []), ["id", "authority", "year", "status"])

        let own = try await client.execute(uri: "/api/plans/\(ids.pudong)", method: .get, headers: [.cookie: pudong])
        XCTAssertEqual(own.status, .ok)
        XCTAssertEqual(own.headers[.contentType], "application/json; charset=utf-8")
        XCTAssertEqual(Data(own.body.readableBytesView), WebFixture.planJSON(WebFixture.pudong), "plan.json as stored, byte for byte")
        // Another authority's plan, a roster, no plan at all, not a number: the same 404.
        var bodies = Set<String>()
        for id in [String(ids.jiading), String(ids.roster), "999", "abc", "0", "-1"] {
            let r = try await client.execute(uri: "/api/plans/\(id)", method: .get, headers: [.cookie: pudong])
            XCTAssertEqual(r.status, .notFound, id)
            bodies.insert(String(buffer: r.body))
        }
        XCTAssertEqual(bodies, [#"{"error":"没有这份计划 (no such plan)"}"#], "nothing tells another authority's plan from none")

        let jiading = try await Client.cookie(client, "jiading-reviewer", "jiading-pw-2")
        let jList = try await client.execute(uri: "/api/plans", method: .get, headers: [.cookie: jiading])
        XCTAssertEqual(try Client.ids(jList), [String(ids.jiading)])
        let jOther = try await client.execute(uri: "/api/plans/\(ids.pudong)", method: .get, headers: [.cookie: jiading])
        XCTAssertEqual(jOther.status, .notFound)

        let admin = try await Client.cookie(client, "city-admin", "city-pw-3")
        let all = try await client.execute(uri: "/api/plans", method: .get, headers: [.cookie: admin])
        XCTAssertEqual(try Client.ids(all), [String(ids.jiading), String(ids.pudong)], "every plan, newest first")
        for id in [ids.pudong, ids.jiading] {
            let r = try await client.execute(uri: "/api/plans/\(id)", method: .get, headers: [.cookie: admin])
            XCTAssertEqual(r.status, .ok)
        }
    }

    func testSignOutEndsTheSession() async throws {
        let (store, _) = try sqlite()
        defer { store.close() }
        try await app(store).test(.live) { client in
            let cookie = try await Client.cookie(client, "city-admin", "city-pw-3")
            let before = try await client.execute(uri: "/api/plans", method: .get, headers: [.cookie: cookie])
            XCTAssertEqual(before.status, .ok)
            let out = try await client.execute(uri: "/api/session", method: .delete, headers: [.cookie: cookie])
            XCTAssertEqual(out.status, .noContent)
            let cleared = try XCTUnwrap(out.headers[values: .setCookie].first)
            XCTAssertTrue(cleared.hasPrefix("\(WebApp.sessionCookie)=;"), cleared)
            XCTAssertTrue(cleared.contains("Max-Age=0"), cleared)
            let after = try await client.execute(uri: "/api/plans", method: .get, headers: [.cookie: cookie])
            XCTAssertEqual(after.status, .unauthorized, "the old cookie opens nothing")
            let again = try await client.execute(uri: "/api/session", method: .delete)
            XCTAssertEqual(again.status, .noContent, "signing out without a session is no error")
        }
    }

    func testOpenAPIDocumentListsTheRoutes() async throws {
        let (store, _) = try sqlite()
        defer { store.close() }
        try await app(store).test(.live) { client in
            let r = try await client.execute(uri: "/openapi.json", method: .get)
            XCTAssertEqual(r.status, .ok)
            XCTAssertEqual(r.headers[.contentType], "application/json; charset=utf-8")
            let doc = try Client.object(r)
            XCTAssertTrue((doc["openapi"] as? String)?.hasPrefix("3.0") == true)
            let paths = try XCTUnwrap(doc["paths"] as? [String: [String: Any]])
            let routes = Set(paths.flatMap { path, ops in ops.keys.map { "\($0.uppercased()) \(path)" } })
            XCTAssertEqual(routes, ["POST /api/session", "DELETE /api/session", "GET /api/plans", "GET /api/plans/{id}", "GET /openapi.json",
                                    "GET /api/plans/{id}/events", "POST /api/plans/{id}/workflow", "GET /api/public/{authority}/{year}",
                                    "POST /api/plans", "GET /api/jobs/{id}", "GET /api/units", "GET /api/units/{id}"])
            XCTAssertEqual(routes, Set(WebApp.routes.map { "\($0.method.rawValue) \($0.path)" }), "the document and the router agree")
            // What each route answers, as the tests above see it.
            func statuses(_ method: String, _ path: String) -> Set<String> {
                Set(((paths[path]?[method] as? [String: Any])?["responses"] as? [String: Any])?.keys.map { $0 } ?? [])
            }
            XCTAssertEqual(statuses("post", "/api/session"), ["200", "400", "401", "429"])
            XCTAssertEqual(statuses("post", "/api/plans/{id}/workflow"), ["200", "400", "401", "403", "404", "409", "415", "422"])
            XCTAssertEqual(statuses("get", "/api/public/{authority}/{year}"), ["200", "400", "404"])
            XCTAssertEqual(statuses("delete", "/api/session"), ["204"])
            XCTAssertEqual(statuses("get", "/api/plans"), ["200", "401"])
            XCTAssertEqual(statuses("get", "/api/plans/{id}"), ["200", "401", "404"])
            let schemes = (doc["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: Any]]
            XCTAssertEqual(schemes?["session"]?["name"] as? String, WebApp.sessionCookie)
            XCTAssertEqual(schemes?["session"]?["in"] as? String, "cookie")
        }
    }

    /// The same server over PostgreSQL (a throwaway cluster): sign-in, scoping, sign-out.
    func testPostgres() async throws {
        let store = try LedgerStore.open(try ThrowawayPostgres.freshDatabase(prefix: "web"))
        defer { store.close() }
        try WebFixture.addUsers(Accounts(store, cost: 10))
        let ids = try WebFixture.storePlans(store)
        try await app(store).test(.live) { client in
            let none = try await client.execute(uri: "/api/plans", method: .get)
            XCTAssertEqual(none.status, .unauthorized)
            try await Self.checkScoping(client, ids)
            let cookie = try await Client.cookie(client, "pudong-planner", "浦东 planner 密码")
            _ = try await client.execute(uri: "/api/session", method: .delete, headers: [.cookie: cookie])
            let after = try await client.execute(uri: "/api/plans", method: .get, headers: [.cookie: cookie])
            XCTAssertEqual(after.status, .unauthorized)
        }
    }
}

/// Small helpers over the test client.
enum Client {
    static func signIn(_ client: some TestClientProtocol, _ user: String, _ password: String) async throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: ["user": user, "password": password])
        return try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"],
                                        body: ByteBuffer(bytes: body))
    }

    /// Signs in and gives the `Cookie` header value that carries the session.
    static func cookie(_ client: some TestClientProtocol, _ user: String, _ password: String) async throws -> String {
        let r = try await signIn(client, user, password)
        XCTAssertEqual(r.status, .ok, "sign-in of \(user)")
        let setCookie = try XCTUnwrap(r.headers[values: .setCookie].first)
        return String(setCookie.prefix { $0 != ";" })
    }

    static func object(_ r: TestResponse) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [String: Any], String(buffer: r.body))
    }

    static func ids(_ r: TestResponse) throws -> [String] {
        XCTAssertEqual(r.status, .ok)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [[String: Any]]).compactMap { $0["id"] as? String }
    }
}

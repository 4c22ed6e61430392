import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// `planner serve` as a user runs it: it says where it listens, answers on that port (401
/// without a session, a cookie for a good sign-in, the plans then), and SIGTERM ends it.
final class ServeCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testServeAnswersOnTheTakenPortAndStopsOnSIGTERM() throws {
        let db = dir.appendingPathComponent("ledger.sqlite").path
        let add = try CLI.run(["user", "add", "admin", "--db", db, "--authority", "上海市应急管理局", "--role", "admin", "--password-stdin"],
                              stdin: Data("city secret\n".utf8))
        XCTAssertEqual(add.status, 0, add.stderr)

        let p = Process()
        p.executableURL = CLI.productsDirectory.appendingPathComponent("planner")
        p.arguments = ["serve", "--db", db, "--port", "0"]
        p.environment = CLI.environment()
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate(); p.waitUntilExit() } }

        // "网页服务已启动：http://127.0.0.1:PORT/…" once it listens.
        var port: Int?
        let deadline = Date().addingTimeInterval(30)
        while port == nil && Date() < deadline && p.isRunning {
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            if let r = text.range(of: #"http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                port = Int(text[r].dropFirst("http://127.0.0.1:".count).dropLast())
            } else {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        let listening = try XCTUnwrap(port, "no address printed: \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).hasPrefix("网页服务已启动：http://127.0.0.1:\(listening)/"))
        let base = "http://127.0.0.1:\(listening)"

        let none = try HTTP.send("GET", base + "/api/plans")
        XCTAssertEqual(none.status, 401)
        let signIn = try HTTP.send("POST", base + "/api/session", body: Data(#"{"user":"admin","password":"city secret"}"#.utf8))
        XCTAssertEqual(signIn.status, 200)
        let cookie = try XCTUnwrap(signIn.setCookie).prefix { $0 != ";" }
        let plans = try HTTP.send("GET", base + "/api/plans", cookie: String(cookie))
        XCTAssertEqual(plans.status, 200)
        XCTAssertEqual(String(decoding: plans.body, as: UTF8.self), "[]", "no plan stored yet")

        p.terminate()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        XCTAssertEqual(p.terminationStatus, SIGTERM)
    }
}

/// One HTTP request at a time through URLSession, without its cookie store.
enum HTTP {
    struct Answer { var status: Int; var setCookie: String?; var body: Data }
    final class Box: @unchecked Sendable { var answer: Answer?; var error: Error? }

    static func send(_ method: String, _ url: String, body: Data? = nil, cookie: String? = nil) throws -> Answer {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        request.httpShouldHandleCookies = false
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        let config = URLSessionConfiguration.ephemeral
        config.httpCookieAcceptPolicy = .never
        config.httpShouldSetCookies = false
        let session = URLSession(configuration: config)
        defer { session.finishTasksAndInvalidate() }
        let box = Box(), done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            if let http = response as? HTTPURLResponse {
                box.answer = Answer(status: http.statusCode, setCookie: http.value(forHTTPHeaderField: "Set-Cookie"), body: data ?? Data())
            }
            box.error = error
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 30) == .success else { throw URLError(.timedOut) }
        if let e = box.error { throw e }
        guard let a = box.answer else { throw URLError(.badServerResponse) }
        return a
    }
}

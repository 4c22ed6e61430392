import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// `planner serve` as a user runs it, over a plan `planner plan --db` stored: it says where it
/// listens, answers on that port (401 without a session, a cookie for a good sign-in, the
/// authority's plan as `plan` wrote it, nothing of it to another authority), and SIGTERM ends it.
final class ServeCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testServeAnswersOnTheTakenPortAndStopsOnSIGTERM() throws {
        let db = dir.appendingPathComponent("ledger.sqlite").path
        let scenario = try CLIFixture.smallScenario()
        let imported = try CLI.run(["ledger", "import", scenario + "/ledger.csv", "--db", db, "--by", "测试", "--reason", "年初台账",
                                    "--effective", "2027-01-01"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let planFolder = dir.appendingPathComponent("plan").path
        let plan = try CLI.run(["plan", scenario, "--db", db, "--out", planFolder, "--time-limit", "10"])
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertTrue(plan.stdout.contains("计划已存入台账数据库（编号 1"), plan.stdout)
        for (name, authority, role, password) in [("admin", "上海市应急管理局", "admin", "city secret"),
                                                  ("pudong", "浦东新区应急管理局", "planner", "pudong secret"),
                                                  ("jiading", "嘉定区应急管理局", "reviewer", "jiading secret")] {
            let add = try CLI.run(["user", "add", name, "--db", db, "--authority", authority, "--role", role, "--password-stdin"],
                                  stdin: Data((password + "\n").utf8))
            XCTAssertEqual(add.status, 0, add.stderr)
        }

        let served = try ServedApp(db: db, dir: dir)
        defer { served.stop() }
        let p = served.process, listening = served.port
        // The file is in SQLite's write-ahead log from now on: pages never wait for a writer.
        let mode = Process()
        mode.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        mode.arguments = [db, "PRAGMA journal_mode;"]
        let pipe = Pipe()
        mode.standardOutput = pipe
        try mode.run()
        mode.waitUntilExit()
        XCTAssertEqual(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "wal\n")
        let base = "http://127.0.0.1:\(listening)"

        let none = try HTTP.send("GET", base + "/api/plans")
        XCTAssertEqual(none.status, 401)
        func cookie(_ user: String, _ password: String) throws -> String {
            let body = try JSONSerialization.data(withJSONObject: ["user": user, "password": password])
            let signIn = try HTTP.send("POST", base + "/api/session", body: body)
            XCTAssertEqual(signIn.status, 200, user)
            return String(try XCTUnwrap(signIn.setCookie).prefix { $0 != ";" })
        }
        let written = try Data(contentsOf: URL(fileURLWithPath: planFolder + "/plan.json"))
        for (user, password) in [("pudong", "pudong secret"), ("admin", "city secret")] {
            let c = try cookie(user, password)
            let list = try HTTP.send("GET", base + "/api/plans", cookie: c)
            XCTAssertEqual(list.status, 200)
            XCTAssertEqual(String(decoding: list.body, as: UTF8.self),
                           #"[{"authority":"浦东新区应急管理局","id":"1","status":"draft","year":2027}]"#, user)
            let one = try HTTP.send("GET", base + "/api/plans/1", cookie: c)
            XCTAssertEqual(one.status, 200)
            XCTAssertEqual(one.body, written, "\(user): the plan.json planner plan wrote, byte for byte")
        }
        let jiading = try cookie("jiading", "jiading secret")
        XCTAssertEqual(String(decoding: try HTTP.send("GET", base + "/api/plans", cookie: jiading).body, as: UTF8.self), "[]")
        XCTAssertEqual(try HTTP.send("GET", base + "/api/plans/1", cookie: jiading).status, 404, "another authority's plan")

        p.terminate()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        XCTAssertEqual(p.terminationStatus, SIGTERM)
    }
}

/// One HTTP request at a time through URLSession, without its cookie store.
/// `planner serve --db DB --port 0` as a child process: the port it printed once listening.
final class ServedApp {
    let process = Process()
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    init(db: String, dir: URL, arguments: [String] = []) throws {
        let p = process
        p.executableURL = CLI.productsDirectory.appendingPathComponent("planner")
        p.arguments = ["serve", "--db", db, "--port", "0"] + arguments
        p.environment = CLI.environment()
        let out = dir.appendingPathComponent("serve-stdout"), err = dir.appendingPathComponent("serve-stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
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
        guard let port else {
            if p.isRunning { p.terminate(); p.waitUntilExit() }
            throw CLIFixture.Failure(description: "planner serve printed no address: \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        }
        self.port = port
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).hasPrefix("网页服务已启动：http://127.0.0.1:\(port)/"))
    }

    func stop() { if process.isRunning { process.terminate(); process.waitUntilExit() } }
}

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

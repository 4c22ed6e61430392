// `planner-bench web` (issue 15): the web application under load. `planner serve` over a
// 200,000-unit city ledger database, loaded by `wrk` (Debian) on loopback: the dashboard, the
// plan list and the API's plan list, for a district planner and the city bureau's admin,
// with the machine otherwise quiet and while a district plan is being made in the background.
// Target: every route ≥ 500 requests/s at p99 ≤ 50 ms while the plan is being made.
import Accounts
import ChildProcess
import Foundation
import Ledger
import LedgerStore
#if canImport(Glibc)
import Glibc
#endif

private struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

private func say(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// A program on PATH (wrk), or nil.
private func onPath(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

/// Runs a program to its end; its output (stdout and stderr) goes to `log`. Throws with the
/// log's tail unless the status is one of `ok`.
@discardableResult
private func run(_ argv: [String], log: String, environment: [String: String]? = nil, ok: Set<Int32> = [0]) throws -> Int32 {
    let status = try ChildProcess(argv, environment: environment, output: log).wait()
    guard ok.contains(status) else {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw BenchFailure("\(argv.prefix(3).joined(separator: " ")) … exited \(status):\n\(text.suffix(3000))")
    }
    return status
}

// MARK: - A minimal HTTP/1.1 client (sign-in and checks; wrk does the load)

private struct HTTPAnswer {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String
    func header(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }
}

/// One request to 127.0.0.1:`port` with `Connection: close`, read to the end.
private func http(_ port: Int, _ method: String, _ path: String, cookie: String? = nil, json: String? = nil) throws -> HTTPAnswer {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchFailure("socket: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 300, tv_usec: 0)   // the first dashboard classifies the ledger
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard rc == 0 else { throw BenchFailure("connect 127.0.0.1:\(port): \(String(cString: strerror(errno)))") }
    var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    if let cookie { request += "Cookie: \(cookie)\r\n" }
    let body = Array((json ?? "").utf8)
    if json != nil { request += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
    let bytes = Array((request + "\r\n").utf8) + body
    var sent = 0
    while sent < bytes.count {
        let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard n > 0 else { throw BenchFailure("send: \(String(cString: strerror(errno)))") }
        sent += n
    }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw BenchFailure("recv \(path): \(String(cString: strerror(errno)))") }
        if n == 0 { break }
        answer += buffer[0..<n]
    }
    let text = String(decoding: answer, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { throw BenchFailure("\(method) \(path): no HTTP answer") }
    let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
    let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    let headers = lines.dropFirst().compactMap { l -> (String, String)? in
        guard let c = l.firstIndex(of: ":") else { return nil }
        return (String(l[..<c]), l[l.index(after: c)...].trimmingCharacters(in: .whitespaces))
    }
    return HTTPAnswer(status: status, headers: headers, body: String(text[split.upperBound...]))
}

// MARK: - wrk

struct WrkResult {
    var requests = 0
    var perSecond = 0.0
    /// Milliseconds.
    var p50 = 0.0, p99 = 0.0
    /// Non-2xx/3xx answers and socket errors (connect, read, write, timeout).
    var bad = 0, socketErrors = 0
}

/// "12.34ms", "812.00us", "1.02s", "1.5m" in milliseconds.
func wrkMilliseconds(_ s: Substring) -> Double? {
    let units: [(String, Double)] = [("us", 0.001), ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
    for (u, f) in units where s.hasSuffix(u) {
        if let v = Double(s.dropLast(u.count)) { return v * f }
    }
    return nil
}

/// wrk's `--latency` report.
func parseWrk(_ text: String) -> WrkResult? {
    var r = WrkResult()
    var sawRate = false, saw99 = false
    for line in text.split(separator: "\n") {
        let f = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = f.first else { continue }
        if first == "Requests/sec:", f.count > 1, let v = Double(f[1]) { r.perSecond = v; sawRate = true }
        else if first == "50%", f.count > 1 { r.p50 = wrkMilliseconds(f[1]) ?? .nan }
        else if first == "99%", f.count > 1, let v = wrkMilliseconds(f[1]) { r.p99 = v; saw99 = true }
        else if f.count > 2, f[1] == "requests", f[2] == "in", let n = Int(first) { r.requests = n }
        else if line.contains("Non-2xx or 3xx responses:"), let n = f.last.flatMap({ Int($0) }) { r.bad = n }
        else if first == "Socket", line.contains("errors:") {
            // Socket errors: connect 0, read 0, write 0, timeout 0
            r.socketErrors = f.compactMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: ","))) }.reduce(0, +)
        }
    }
    return sawRate && saw99 ? r : nil
}

/// CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
private func processCPU(_ pid: pid_t) -> Double {
    guard let s = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = s.lastIndex(of: ")") else { return .nan }
    let f = s[s.index(after: close)...].split(separator: " ")
    // After the command: state is field 3, utime 14, stime 15 (1-based over the whole line).
    guard f.count > 12, let u = Double(f[11]), let k = Double(f[12]) else { return .nan }
    return (u + k) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

// MARK: - A plan being made in the background

/// `planner plan` of one district over the database, again and again until stopped (the
/// running one is then killed): what the server competes with for the two cores.
final class BackgroundPlans: @unchecked Sendable {
    private let lock = NSLock()
    private var stopping = false
    private var durations: [Double] = []
    private var failures: [Int32] = []
    private let ended = DispatchSemaphore(value: 0)

    init(argv: [String], environment: [String: String], log: String) {
        Thread.detachNewThread { [self] in
            while !isStopping {
                let t0 = now()
                guard let child = try? ChildProcess(argv, environment: environment, output: log, newProcessGroup: true) else {
                    lock.lock(); failures.append(-1); lock.unlock()
                    break
                }
                var killed = false
                while !child.hasEnded {
                    if isStopping && !killed { child.kill(SIGKILL); killed = true }
                    usleep(20_000)
                }
                let status = child.wait()
                lock.lock()
                if !killed {
                    // 0: compliant; 2: written with shortfalls (a plan all the same).
                    if status == 0 || status == 2 { durations.append(now() - t0) } else { failures.append(status) }
                }
                lock.unlock()
            }
            ended.signal()
        }
    }

    private var isStopping: Bool { lock.lock(); defer { lock.unlock() }; return stopping }

    /// Stops the loop (killing the plan being made); the plans finished meanwhile and their
    /// wall times, and the failed runs' exit statuses.
    func stop() -> (durations: [Double], failures: [Int32]) {
        lock.lock(); stopping = true; lock.unlock()
        ended.wait()
        lock.lock(); defer { lock.unlock() }
        return (durations, failures)
    }
}

// MARK: - The bench

/// `planner-bench web`.
func benchWeb() throws {
    let units = option("--units", 200_000), seed = option("--seed", 1), year = option("--year", 2027)
    let seconds = option("--duration", 20), connections = option("--connections", 16), threads = option("--threads", 2)
    let runs = option("--runs", 3)
    let background = string("--background") ?? "both"
    guard ["both", "plan", "none"].contains(background), runs > 0, seconds > 0 else { usage() }
    let fm = FileManager.default
    let binFolder = (selfPath as NSString).deletingLastPathComponent
    func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : fm.currentDirectoryPath + "/" + p }
    let planner = absolute(string("--planner") ?? "\(binFolder)/planner")
    guard fm.isExecutableFile(atPath: planner) else {
        throw BenchFailure("no planner at \(planner): swift build -c release --scratch-path … --product planner (or --planner PATH)")
    }
    guard let wrk = (string("--wrk") ?? onPath("wrk")).map(absolute) else { throw BenchFailure("wrk is not installed: apt-get install wrk (.ci/setup)") }

    let work = NSTemporaryDirectory() + "planner-bench-web-\(UUID().uuidString.prefix(8))"
    try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
    let keepDir = string("--dir"), keepDB = string("--db")
    let dir = absolute(keepDir ?? "\(work)/city")
    let db = absolute(keepDB ?? "\(work)/ledger.sqlite")
    var server: ChildProcess? = nil
    defer {
        if let server { server.kill(SIGTERM); if !server.waitForEnd(seconds: 10) { server.kill(SIGKILL) }; server.wait() }
        try? fm.removeItem(atPath: work)
    }
    var env = ProcessInfo.processInfo.environment
    env["PLANNER_PDF"] = "never"

    // 1. The city folder: `planner generate --city` (its ledger.csv and the scenarios).
    var t0 = now()
    if !fm.fileExists(atPath: "\(dir)/city.yaml") {
        try run([planner, "generate", "--city", "--units", String(units), "--seed", String(seed), "--year", String(year), "--out", dir],
                log: "\(work)/generate.log")
        say("generated a city of \(units) units (seed \(seed)) in \(f3(now() - t0)) s → \(dir)")
    }
    let city = try CityFolder.load(folder: dir)

    // 2. The ledger database: the city's ledger imported, two accounts, a plan of each
    //    account's authority made by `planner plan --db` (so stored as the CLI stores it).
    let pudong = "浦东新区应急管理局", cityBureau = AuthorityNames.city
    let users: [(name: String, authority: String, role: AccountRole)] = [
        ("pudong-planner", pudong, .planner), ("city-admin", cityBureau, .admin),
    ]
    let password = "bench-password-15"
    let store = try LedgerStore.open("sqlite:" + db, create: true)
    if try store.db.lastSeq() == 0 {
        t0 = now()
        let s = try store.importFile(path: city.defaults.ledger, options: .init(by: "planner-bench", reason: "benchmark", effective: "\(year)-01-01"))
        say("imported \(s.units) units into \(db) in \(f3(now() - t0)) s")
    }
    let accounts = Accounts(store, cost: 10)
    for u in users where try store.db.user(named: u.name) == nil {
        _ = try accounts.add(name: u.name, authority: u.authority, role: u.role, password: password)
    }
    /// A standalone scenario of an authority of the city (a city-folder scenario takes its
    /// year, seed and ledger from city.yaml; `planner plan` reads one scenario alone), beside
    /// its own so that staff.csv and experts.csv resolve.
    func standalone(_ authority: String) throws -> String {
        guard let a = city.authorities.first(where: { $0.scenario.authority.name == authority }) else {
            throw BenchFailure("\(authority) is not an authority of \(dir)")
        }
        let folder = "\(dir)/\(a.folder)"
        let text = try String(contentsOfFile: "\(folder)/scenario.yaml", encoding: .utf8)
        let path = "\(folder)/scenario-bench-web.yaml"
        try (text + "\nyear: \(city.defaults.year)\nseed: \(city.defaults.seed)\nledger: ../ledger.csv\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
    for authority in [pudong, cityBureau]
    where try !store.db.documents(authority: authority, year: year).contains(where: { $0.kind == .plan }) {
        t0 = now()
        try run([planner, "plan", try standalone(authority), "--db", db, "--out", "\(work)/plan-\(UUID().uuidString.prefix(8))"],
                log: "\(work)/plan.log", environment: env, ok: [0, 2])
        say("planned and stored \(authority)'s \(year) plan in \(f3(now() - t0)) s")
    }
    // `--city-plans`: a stored plan of every other authority of the city too, filed with the
    // level above (status 已备案), so the admin's list is as long as a whole city's: a row each
    // (and a plan.json of a few fields; the lists never read the files), not 230 plans made.
    let cityPlans = args.contains("--city-plans")
    if cityPlans {
        let seq = try store.db.lastSeq()
        var added = 0
        for a in city.authorities where a.scenario.authority.name != pudong && a.scenario.authority.name != cityBureau {
            let au = a.scenario.authority
            guard try !store.db.documents(authority: au.name, year: year).contains(where: { $0.kind == .plan }) else { continue }
            let json = #"{"schema":"enforcement-plan/1","authority":{"name":"\#(au.name)","level":"\#(au.level.rawValue)","district":"\#(au.district ?? "")"},"year":\#(year)}"#
            var fields = DocumentWorkflowFields()
            fields.approvalNumber = "\(au.name)〔\(year - 1)〕1号"
            fields.approvalDate = "\(year - 1)-12-20"
            fields.filedTo = Workflow.levelAbove(level: au.level, district: au.district)
            _ = try store.db.saveDocument(StoredDocument(kind: .plan, authority: au.name, level: au.level.rawValue, year: year, status: .filed,
                                                         ledgerSeq: seq, createdAt: LedgerClock.now(), createdBy: "planner-bench", workflow: fields),
                                          files: [("plan.json", Data(json.utf8))])
            added += 1
        }
        if added > 0 { say("stored a filed plan row of \(added) more authorities (--city-plans)") }
    }
    let backgroundArgv = [planner, "plan", try standalone(pudong), "--db", db, "--out", "\(work)/background-plan"]
    let plansBefore = try planCount(store)
    store.close()
    // `--wal`: the database switched to SQLite's write-ahead log (sqlite3 CLI; it stays so), where
    // readers never wait for a writer. The planner makes rollback-journal databases: an
    // experiment, to see what a plan's stored files cost the server while they are written.
    let wal = args.contains("--wal")
    if wal {
        guard let sqlite3 = onPath("sqlite3") else { throw BenchFailure("--wal needs the sqlite3 program (apt-get install sqlite3)") }
        try run([sqlite3, db, "PRAGMA journal_mode=WAL;"], log: "\(work)/wal.log")
    }
    let dbMB = Double((try? fm.attributesOfItem(atPath: db)[.size] as? Int) ?? 0) / 1_048_576

    // 3. The server, a child process as an operator starts it.
    let serverLog = "\(work)/serve.log"
    let serve = try ChildProcess([planner, "serve", "--db", db, "--port", "0", "--year", String(year)], output: serverLog, newProcessGroup: true)
    server = serve
    var port = 0
    let deadline = now() + 60
    while port == 0 {
        let log = (try? String(contentsOfFile: serverLog, encoding: .utf8)) ?? ""
        if let r = log.range(of: "http://127.0.0.1:"), let p = Int(log[r.upperBound...].prefix(while: \.isNumber)) { port = p; break }
        if serve.hasEnded || now() > deadline { throw BenchFailure("planner serve did not start:\n\(log)") }
        usleep(50_000)
    }

    // 4. Sign in; check each route answers 200 (a 303 to /login would be measured as success
    //    by wrk); warm up: the first dashboard of each scope classifies the ledger.
    var cookies: [String: String] = [:]
    for u in users {
        let a = try http(port, "POST", "/api/session", json: #"{"user":"\#(u.name)","password":"\#(password)"}"#)
        guard a.status == 200, let c = a.header("Set-Cookie").first(where: { $0.hasPrefix(WebAppCookie.name + "=") }) else {
            throw BenchFailure("sign-in of \(u.name): HTTP \(a.status) \(a.body.prefix(300))")
        }
        cookies[u.name] = String(c.prefix(while: { $0 != ";" }))
    }
    let routes = ["/", "/plans", "/api/plans"]
    for u in users {
        for route in routes {
            t0 = now()
            let a = try http(port, "GET", route, cookie: cookies[u.name])
            guard a.status == 200, route != "/" || a.body.contains(u.authority),
                  route == "/" || a.body.contains(route == "/plans" ? "/plans/" : "\"authority\"") else {
                throw BenchFailure("GET \(route) as \(u.name): HTTP \(a.status), not the page expected: \(a.body.prefix(300))")
            }
            if route == "/" { say("first dashboard of \(u.name): \(f3(now() - t0)) s (the ledger classified and counted)") }
        }
    }

    func wrkRun(_ route: String, _ user: String, duration: Int) throws -> (WrkResult, cpuMsPerRequest: Double) {
        let c0 = processCPU(serve.pid)
        let argv = [wrk, "-t\(threads)", "-c\(connections)", "-d\(duration)s", "--latency", "-H", "Cookie: \(cookies[user]!)",
                    "http://127.0.0.1:\(port)\(route)"]
        let (status, output) = try ChildProcess.run(argv)
        let cpuUsed = processCPU(serve.pid) - c0
        guard status == 0, let r = parseWrk(output) else { throw BenchFailure("wrk \(route) exited \(status):\n\(output)") }
        if serve.hasEnded { throw BenchFailure("planner serve ended during the bench:\n\((try? String(contentsOfFile: serverLog, encoding: .utf8)) ?? "")") }
        return (r, r.requests > 0 ? cpuUsed * 1000 / Double(r.requests) : .nan)
    }
    _ = try wrkRun("/", users[0].name, duration: 3)   // warm-up, not counted

    // 5. The measurements: each run, each background (none; a plan being made), each account
    //    and route, one wrk of `seconds`.
    struct Key: Hashable { var background: String; var user: String; var route: String }
    var results: [Key: [(WrkResult, Double)]] = [:]
    var keys: [Key] = []
    var planned: [Double] = [], planFailures: [Int32] = []
    let phases = background == "both" ? ["none", "plan"] : [background]
    let load0 = loadAverage()
    let start = now()
    for r in 1...runs {
        for phase in phases {
            let bg = phase == "plan" ? BackgroundPlans(argv: backgroundArgv, environment: env, log: "\(work)/background.log") : nil
            if bg != nil { sleep(1) }   // the plan is loading the ledger when wrk starts
            for u in users {
                for route in routes {
                    let k = Key(background: phase, user: u.name, route: route)
                    if !keys.contains(k) { keys.append(k) }
                    let (w, cpuMs) = try wrkRun(route, u.name, duration: seconds)
                    results[k, default: []].append((w, cpuMs))
                    print("run \(r), background \(phase == "plan" ? "plan" : "none"), \(u.name) GET \(route): \(f0(w.perSecond)) req/s, "
                        + "p50 \(String(format: "%.2f", w.p50)) ms, p99 \(String(format: "%.2f", w.p99)) ms, server CPU "
                        + "\(String(format: "%.2f", cpuMs)) ms/request\(w.bad + w.socketErrors > 0 ? ", \(w.bad) bad answers, \(w.socketErrors) socket errors" : ""); load \(loadAverage())")
                    fflush(nil)
                }
            }
            if let bg {
                let (d, f) = bg.stop()
                planned += d; planFailures += f
            }
        }
    }
    let elapsed = now() - start

    // 6. The summary, and the targets (with a plan being made in the background).
    let finalStore = try LedgerStore.open("sqlite:" + db)
    let plansAfter = try planCount(finalStore)
    finalStore.close()
    print("")
    print("web: \(units)-unit city ledger database (\(f0(dbMB)) MB SQLite\(wal ? ", WAL journal" : "")), `planner serve` (release), wrk -t\(threads) -c\(connections) -d\(seconds)s, "
        + "\(runs) runs, medians; load average \(load0) → \(loadAverage()), \(f0(elapsed)) s")
    if cityPlans { print("  --city-plans: a filed plan row of every other authority of the city stored too (the admin's list as long as a city's)") }
    if phases.contains("plan") {
        print("  background: `planner plan` of \(pudong) over the same database, again and again: \(planned.count) plans made "
            + "(median \(planned.isEmpty ? "-" : f3(median(planned))) s each)\(planFailures.isEmpty ? "" : ", FAILED runs: \(planFailures)"); "
            + "stored plans \(plansBefore) → \(plansAfter)")
    }
    print("  | background | account | route | req/s | p50 ms | p99 ms | server CPU ms/request | req/s by run | p99 ms by run |")
    print("  |---|---|---|---|---|---|---|---|---|")
    var missed: [String] = []
    let minRate = 500.0, maxP99 = 50.0
    for k in keys {
        let xs = results[k]!
        let rate = median(xs.map { $0.0.perSecond }), p99 = median(xs.map { $0.0.p99 })
        let p50 = median(xs.map { $0.0.p50 }), cpuMs = median(xs.map { $0.1 })
        let bad = xs.reduce(0) { $0 + $1.0.bad + $1.0.socketErrors }
        print("  | \(k.background == "plan" ? "plan being made" : "none") | \(k.user) | \(k.route) | \(f0(rate)) | \(String(format: "%.2f", p50)) | "
            + "\(String(format: "%.2f", p99)) | \(String(format: "%.2f", cpuMs)) | \(xs.map { f0($0.0.perSecond) }.joined(separator: ", ")) | "
            + "\(xs.map { String(format: "%.1f", $0.0.p99) }.joined(separator: ", ")) |")
        let counts = k.background == "plan" || !phases.contains("plan")
        if bad > 0 { missed.append("\(k.user) GET \(k.route) (background \(k.background)): \(bad) failed requests") }
        if counts && rate < minRate { missed.append("\(k.user) GET \(k.route): \(f0(rate)) req/s < \(f0(minRate))") }
        if counts && p99 > maxP99 { missed.append("\(k.user) GET \(k.route): p99 \(String(format: "%.1f", p99)) ms > \(f0(maxP99)) ms") }
    }
    if !planFailures.isEmpty { missed.append("background plans failed: \(planFailures) (\(work)/background.log)") }
    if missed.isEmpty {
        print("  target (≥ \(f0(minRate)) req/s, p99 ≤ \(f0(maxP99)) ms\(phases.contains("plan") ? " while a plan is being made" : "")): met on every route")
    } else {
        print("  target (≥ \(f0(minRate)) req/s, p99 ≤ \(f0(maxP99)) ms): NOT MET")
        for m in missed { print("    \(m)") }
        fflush(nil)
        throw BenchExit(status: 1)
    }
}

/// The session cookie's name (WebApp.sessionCookie; the bench does not link the web app).
enum WebAppCookie { static let name = "planner_session" }

struct BenchExit: Error { var status: Int32 }

private func planCount(_ store: LedgerStore) throws -> Int {
    try store.db.documents(authority: nil, year: nil).filter { $0.kind == .plan }.count
}

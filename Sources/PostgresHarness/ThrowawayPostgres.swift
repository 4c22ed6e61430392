import ChildProcess
import Foundation

/// A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a temporary folder,
/// `pg_ctl start` listening only on a Unix socket in that folder, dropped by `stop()`. Run as
/// root, the server runs as the `postgres` system user (initdb refuses root). Never a mock:
/// it is Debian's PostgreSQL (`postgresql`, installed by `.ci/setup`).
public final class ThrowawayPostgres: @unchecked Sendable {
    public let folder: String
    public let port: Int
    /// The address the planner takes: `postgres://postgres@/postgres?host=FOLDER&port=PORT`.
    public var url: String { "postgres://postgres@/\(database)?host=\(folder)&port=\(port)" }
    public var database = "postgres"

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts a cluster, or throws saying exactly why it could not (binaries missing, initdb or
    /// pg_ctl failing, with their output).
    public init(port: Int = 0) throws {
        let bin = try Self.binaries()
        self.port = port != 0 ? port : 40_000 + Int(getpid() % 20_000)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("planner-pg-\(UUID().uuidString.prefix(8))").path
        folder = base
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot { _ = try Self.run("/bin/chown", ["postgres:postgres", base], as: nil) }
        func pg(_ tool: String, _ args: [String]) throws -> (Int32, String) {
            try Self.run("\(bin)/\(tool)", args, as: asRoot ? "postgres" : nil)
        }
        let (s1, o1) = try pg("initdb", ["-D", "\(base)/data", "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
        guard s1 == 0 else { throw StartError(description: "initdb 失败 (initdb failed): \(o1)") }
        let options = "-k \(base) -c listen_addresses='' -p \(self.port) -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        let (s2, o2) = try pg("pg_ctl", ["-D", "\(base)/data", "-o", options, "-l", "\(base)/server.log", "-w", "-t", "60", "start"])
        guard s2 == 0 else {
            let log = (try? String(contentsOfFile: "\(base)/server.log", encoding: .utf8)) ?? ""
            throw StartError(description: "PostgreSQL 未能启动 (pg_ctl start failed): \(o2)\n\(log)")
        }
    }

    /// Makes another database in the cluster and returns its address.
    public func createDatabase(_ name: String) throws -> String {
        let (s, o) = try Self.run("/usr/bin/psql", ["-h", folder, "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                                                   "-q", "-c", "CREATE DATABASE \"\(name)\""], as: nil)
        guard s == 0 else { throw StartError(description: "CREATE DATABASE \(name) failed: \(o)") }
        return "postgres://postgres@/\(name)?host=\(folder)&port=\(port)"
    }

    /// One cluster for the whole test process, started on first use and stopped at exit (every
    /// test target of a `swift test` run shares the process, so they share it too). A cluster
    /// that cannot start fails every test that needs it with the reason: never a skip.
    public static let shared: Result<ThrowawayPostgres, Error> = {
        let r = Result { try ThrowawayPostgres() }
        if case .success = r { atexit { if case .success(let c) = ThrowawayPostgres.shared { c.stop() } } }
        return r
    }()
    nonisolated(unsafe) static var databases = 0
    static let databasesLock = NSLock()

    /// A fresh, empty database in the shared cluster: its postgres:// address.
    public static func freshDatabase(prefix: String = "t") throws -> String {
        let c = try shared.get()
        databasesLock.lock(); databases += 1; let n = databases; databasesLock.unlock()
        return try c.createDatabase("\(prefix)\(n)_\(UUID().uuidString.prefix(6).lowercased())")
    }

    /// Stops the server and removes its folder.
    public func stop() {
        if let bin = try? Self.binaries() {
            _ = try? Self.run("\(bin)/pg_ctl", ["-D", "\(folder)/data", "-m", "immediate", "-w", "stop"], as: getuid() == 0 ? "postgres" : nil)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Debian's versioned server binaries (`/usr/lib/postgresql/N/bin`), newest first.
    static func binaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for v in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(v)/bin/initdb") { return "\(root)/\(v)/bin" }
        throw StartError(description: "找不到 PostgreSQL 服务器（/usr/lib/postgresql/*/bin/initdb）；请运行 bash .ci/setup 安装 postgresql (no PostgreSQL server found: run `bash .ci/setup`)")
    }

    /// Runs a program (as `user` through runuser when given) in /tmp, returning its status and
    /// output. Not through Foundation's `Process`: `pg_ctl start` leaves the server holding a
    /// copy of a descriptor it inherits, and waiting for pg_ctl through `Process` never returned
    /// (`ChildProcess` says why); `ChildProcess` spawns with every descriptor above stderr closed
    /// (output to a file, not a pipe), then waits with waitpid.
    @discardableResult
    static func run(_ path: String, _ args: [String], as user: String?) throws -> (Int32, String) {
        let argv = ["/usr/bin/env", "-C", "/tmp"] + (user.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + [path] + args
        do {
            let (status, output) = try ChildProcess.run(argv)
            return (status, output)
        } catch {
            throw StartError(description: "\(error)")
        }
    }
}

import Accounts
import ArgumentParser
import Dispatch
import Foundation
import LedgerStore
import WebApp

/// `planner user …`: the accounts of the web application (DATA.md §9).
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Accounts of the web application (planner serve): add a user.",
        subcommands: [UserAdd.self])
}

struct UserAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user who may sign in to the web application.",
        discussion: """
        The password is read from standard input (its first line), never from the command line,
        and stored only as a bcrypt hash: `printf '%s\\n' "$PASSWORD" | planner user add 张三 --db
        ledger.sqlite --authority 浦东新区应急管理局 --role planner --password-stdin`. A planner or
        reviewer sees only its authority's plans; an admin (the city bureau) sees all. Makes the
        database when it does not exist yet. Exit codes: 0 added; 1 an empty or too long
        password, a name already taken, a database that cannot be used; 64 a usage error.
        """)

    @Argument(help: "The user name, typed to sign in; unique in the database.")
    var name: String

    @OptionGroup var database: RequiredDatabase

    @Option(help: "The authority whose data the user sees (执法主体名称, as its scenario names it).")
    var authority: String

    @Option(help: "planner (编制), reviewer (审核) or admin (市局管理员).")
    var role: String

    @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).")
    var passwordStdin = false

    @OptionGroup var language: LanguageOption

    func validate() throws {
        do { _ = try Accounts.role(role) } catch let e as AccountError { throw ValidationError("--role \(role)：\(e.description)") }
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError(AccountError.emptyName.description) }
        if authority.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--authority：\(AccountError.emptyAuthority.description)")
        }
        if !passwordStdin {
            throw ValidationError("请加 --password-stdin，从标准输入提供密码（密码不写在命令行上） (give --password-stdin and the password on standard input: never on the command line)")
        }
    }

    /// The first line of standard input, without its line end.
    static func readPassword() -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self)
        var line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    func run() throws {
        let zh = language.lang == .zh
        let accountRole = try Accounts.role(role)
        let password = Self.readPassword()
        let account: Account
        do {
            // A password that cannot be used is said before the database is opened (or made).
            try Accounts.checkPassword(password)
            account = try reportingInputErrors {
                let store = try database.open(create: true)
                defer { store.close() }
                return try Accounts(store).add(name: name, authority: authority, role: accountRole, password: password)
            }
        } catch let e as AccountError {
            printError(e.description)
            throw ExitCode(1)
        }
        print(zh ? "已添加用户 \(account.name)（\(account.authority)，角色 \(account.role.rawValue)）"
                 : "Added user \(account.name) (\(account.authority), role \(account.role.rawValue))")
    }
}

/// `planner serve`: the web application (DATA.md §9) until the process is stopped.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web application: the planners' pages (Chinese) and a JSON API over the ledger database (OpenAPI at /openapi.json).",
        discussion: """
        Listens on --host (default 127.0.0.1: this machine only) and --port (default 8080; 0 takes
        any free port, printed). Open http://HOST:PORT/ and sign in (accounts: planner user add):
        the dashboard, the ledger (upload, search, a unit's page), the plans and their approval
        and filing; /public/AUTHORITY/YEAR shows a published plan's random draws to anyone. The
        API: POST /api/session, then /api/plans… (see /openapi.json). --year is the planning
        year the pages show (default: next year from November, this year before). Stops on
        Ctrl-C or SIGTERM. Exit codes: 1 a database that cannot be used or an address that
        cannot be listened on; 64 a usage error.
        """)

    @OptionGroup var database: RequiredDatabase

    @Option(help: "The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (default 8080; 0: any free port).")
    var port = 8080

    @Option(help: "The planning year the pages show (default: next year from November on, this year before).")
    var year: Int?

    @Flag(name: .customLong("secure-cookie"), help: "Mark the session cookie Secure: when browsers reach the server over HTTPS (a TLS proxy in front).")
    var secureCookie = false

    @OptionGroup var language: LanguageOption

    func validate() throws {
        if let year, !(2000...2100).contains(year) { throw ValidationError("--year \(year)：应为 2000–2100 (expected 2000…2100)") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port)：应为 0–65535 (expected 0…65535)") }
        if host.isEmpty { throw ValidationError("--host 不能为空 (--host must not be empty)") }
    }

    /// What the server task left: set once, read after it has signalled.
    final class Outcome: @unchecked Sendable { var error: Error? }

    func run() throws {
        let zh = language.lang == .zh
        let store = try reportingInputErrors { try database.open() }
        defer { store.close() }
        // Readers never wait for a writer (an import, a plan stored by `planner plan --db`).
        try reportingInputErrors { try store.prepareForServing() }
        let host = self.host
        let configuration = WebConfiguration(host: host, port: port, secureCookie: secureCookie, year: year, pdf: try pdfMode())
        let app = try reportingInputErrors { try WebApp.application(store: store, configuration: configuration) { port in
            print(zh ? "网页服务已启动：http://\(host):\(port)/（接口说明 /openapi.json；Ctrl-C 停止）"
                     : "Serving on http://\(host):\(port)/ (API: /openapi.json; Ctrl-C stops)")
        } }
        // The commands are synchronous (PlannerMain); the server runs in a task while this
        // thread waits. Ctrl-C and SIGTERM end the process (PlannerMain's signal thread).
        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        Task.detached {
            do { try await app.run() } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let e = outcome.error {
            printError(zh ? "无法在 \(host):\(port) 提供网页服务：\(e) (cannot serve on \(host):\(port))"
                          : "Cannot serve on \(host):\(port): \(e)")
            throw ExitCode(1)
        }
    }
}

import Accounts
import Foundation
import Hummingbird
import LedgerStore
import Logging
import NIOCore
import NIOPosix
import Reports

/// Where and how `planner serve` listens.
public struct WebConfiguration: Sendable {
    public var host: String
    /// 0: any free port (the tests); `onServerRunning` is told which.
    public var port: Int
    /// Marks the session cookie `Secure`: set it when browsers reach the server over HTTPS (a
    /// TLS proxy in front); a plain-HTTP browser would then never send the cookie back.
    public var secureCookie: Bool
    /// The planning year the pages show (the dashboard's plan, the ledger's classification):
    /// by default next year from November on (plans are made then), this year before.
    public var year: Int
    /// Whether plans made in the browser get their PDF (as `PLANNER_PDF` for `planner plan`).
    public var pdf: DocumentPDF.Mode
    /// Seconds GLPK may spend per stage of a plan made in the browser.
    public var planTimeLimit: Double
    /// The largest ledger file accepted by an upload (bytes); larger is 413.
    public var uploadLimit: Int = LedgerUpload.maxBytes

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookie: Bool = false, year: Int? = nil,
                pdf: DocumentPDF.Mode = .auto, planTimeLimit: Double = 60) {
        self.host = host; self.port = port; self.secureCookie = secureCookie
        self.year = year ?? Self.defaultYear()
        self.pdf = pdf; self.planTimeLimit = planTimeLimit
    }

    public static func defaultYear(today: String = LedgerClock.today()) -> Int {
        let y = Int(today.prefix(4)) ?? 2027, m = Int(today.dropFirst(5).prefix(2)) ?? 1
        return m >= 11 ? y + 1 : y
    }
}

/// The request context of every route: the signed-in account, once `SessionMiddleware` has
/// found it.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var account: Account?
    /// The client's IP address (what sign-in attempts are limited by).
    public var remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        account = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "?"
    }

    /// The signed-in account, or 401: every `/api/` route but sign-in asks, even behind the
    /// middleware that already did.
    func requireAccount() throws -> Account {
        guard let account else { throw APIError.notSignedIn }
        return account
    }
}

/// The web application (DATA.md §9): a JSON API over the ledger database, described by
/// `/openapi.json`. The routes only wire requests to `Accounts` and `PlanCatalogue`.
public enum WebApp {
    /// The session cookie's name.
    public static let sessionCookie = "planner_session"

    /// The application, ready for `run()` (or a test framework). `onServerRunning` gets the
    /// port it listens on (the one asked for, or the one the system gave for port 0).
    public static func application(store: LedgerStore, configuration: WebConfiguration = WebConfiguration(),
                                   accounts: Accounts? = nil, logger: Logger? = nil,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> Application<RouterResponder<WebContext>> {
        let port = configuration.port
        var log = logger ?? Logger(label: "planner.web")
        if logger == nil { log.logLevel = .notice }
        return Application(router: try router(accounts: accounts ?? Accounts(store), configuration: configuration),
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
                           logger: log)
    }

    /// Every route's method and path (`{name}`: one segment), as `router` registers them and
    /// `/openapi.json` describes them (WebAppTests checks both).
    public static let routes: [(method: HTTPRequest.Method, path: String)] = [
        (.post, "/api/session"), (.delete, "/api/session"), (.get, "/api/plans"), (.get, "/api/plans/{id}"),
        (.get, "/api/plans/{id}/events"), (.post, "/api/plans/{id}/workflow"), (.get, "/api/public/{authority}/{year}"),
        (.post, "/api/plans"), (.get, "/api/jobs/{id}"), (.get, "/api/units"), (.get, "/api/units/{id}"),
        (.get, "/openapi.json"),
    ]

    /// The methods `routes` has for a path: empty when no route has the path.
    static func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return routes.filter { r in
            let pattern = r.path.split(separator: "/")
            return pattern.count == segments.count && zip(pattern, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method)
    }

    /// Every route, behind the JSON error middleware and the session check.
    public static func router(accounts: Accounts, configuration: WebConfiguration,
                              limiter: SignInLimiter = SignInLimiter()) throws -> Router<WebContext> {
        let pages = try Pages(accounts: accounts, configuration: configuration, limiter: limiter)
        let routes = Routes(accounts: accounts, catalogue: PlanCatalogue(accounts.store), workflow: Workflow(accounts.store),
                            pages: pages, limiter: limiter, secureCookie: configuration.secureCookie)
        let router = Router(context: WebContext.self)
        router.add(middleware: JSONErrorMiddleware<WebContext>())
        router.add(middleware: SessionMiddleware(accounts: accounts))
        router.get("/openapi.json") { _, _ in OpenAPI.response() }
        router.post("/api/session") { request, context in try await routes.signIn(request, context) }
        router.delete("/api/session") { request, context in try await routes.signOut(request, context) }
        router.get("/api/plans") { request, context in try await routes.plans(request, context) }
        router.get("/api/plans/{id}") { request, context in try await routes.plan(request, context) }
        router.get("/api/plans/{id}/events") { request, context in try await routes.events(request, context) }
        router.post("/api/plans/{id}/workflow") { request, context in try await routes.workflow(request, context) }
        router.get("/api/public/{authority}/{year}") { request, context in try await routes.publicDraws(request, context) }
        router.post("/api/plans") { request, context in try await routes.makePlan(request, context) }
        router.get("/api/jobs/{id}") { request, context in try await routes.job(request, context) }
        router.get("/api/units") { request, context in try await routes.units(request, context) }
        router.get("/api/units/{id}") { request, context in try await routes.unit(request, context) }
        // The pages (HTML; errors as HTML pages).
        router.get("/login") { request, context in try await pages.loginForm(request, context) }
        router.post("/login") { request, context in try await pages.login(request, context) }
        router.post("/logout") { request, context in try await pages.logout(request, context) }
        router.get("/") { request, context in try await pages.dashboard(request, context) }
        router.get("/plans") { request, context in try await pages.plans(request, context) }
        router.get("/plans/new") { request, context in try await pages.planForm(request, context) }
        router.post("/plans/new") { request, context in try await pages.savePlanForm(request, context) }
        router.post("/plans/new/roll") { request, context in try await pages.uploadRoll(request, context) }
        router.get("/jobs/{id}") { request, context in try await pages.jobPage(request, context) }
        router.get("/plans/{id}") { request, context in try await pages.plan(request, context) }
        router.get("/plans/{id}/files/{name}") { request, context in try await pages.planFile(request, context) }
        router.post("/plans/{id}/workflow") { request, context in try await pages.planWorkflow(request, context) }
        router.post("/plans/{id}/rosters") { request, context in try await pages.makeRoster(request, context) }
        router.post("/plans/{id}/replan") { request, context in try await pages.replan(request, context) }
        router.get("/rosters/{id}/files/{name}") { request, context in try await pages.planFile(request, context) }
        router.get("/analysis") { request, context in try await pages.analysis(request, context) }
        router.post("/analysis/whatif") { request, context in try await pages.startWhatIf(request, context) }
        router.post("/analysis/staffing") { request, context in try await pages.startStaffing(request, context) }
        router.get("/analyses/{id}/files/{name}") { request, context in try await pages.planFile(request, context) }
        router.get("/ledger") { request, context in try await pages.ledger(request, context) }
        router.post("/ledger/upload") { request, context in try await pages.ledgerUpload(request, context) }
        router.get("/units/{id}") { request, context in try await pages.unit(request, context) }
        router.get("/public/{authority}/{year}") { request, context in try await pages.publicPlan(request, context) }
        router.get("/public/{authority}/{year}/draws.csv") { request, context in try await pages.publicDrawsCSV(request, context) }
        router.get("/static/{name}") { request, context in try await pages.asset(request, context) }
        return router
    }

    /// A JSON response with sorted keys.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return jsonBytes(try encoder.encode(value), status: status)
    }

    static func jsonBytes(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": "…"}`: the body of every error.
    static func errorResponse(_ status: HTTPResponse.Status, _ message: String) -> Response {
        (try? json(["error": message], status: status)) ?? Response(status: status)
    }
}

/// Runs blocking work (the ledger database, bcrypt) on NIO's thread pool: never on an event
/// loop, where `PostgresLedger`'s waits would trap, nor on Swift's cooperative threads.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}

/// An error a route answers with: its status and a message (Chinese, English in parentheses).
struct APIError: Error {
    var status: HTTPResponse.Status
    var message: String

    static let notSignedIn = APIError(status: .unauthorized, message: "未登录或登录已过期 (not signed in, or the session has expired)")
    static let badCredentials = APIError(status: .unauthorized, message: "用户名或密码错误 (wrong user name or password)")
    static let noSuchPlan = APIError(status: .notFound, message: "没有这份计划 (no such plan)")
    static let tooManySignIns = APIError(status: .tooManyRequests, message: "登录失败次数过多，请稍后再试 (too many failed sign-ins: try again later)")
    static let needsJSON = APIError(status: .unsupportedMediaType, message: "请求须为 JSON（Content-Type: application/json） (the request must be JSON)")
}

import Accounts
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import LedgerStore
import Mustache
import PlannerResources
import Planning
import Policy
import Reports

/// The planners' pages, in Chinese, rendered on the server from the `web-*` Mustache templates
/// (PlannerResources). Every form post carries a CSRF token: the session's (a hash of its
/// token) once signed in, a double-submit cookie's on the sign-in form. Access rules are asked
/// of `Accounts` (`maySee`, `Workflow`, `UnitCatalogue`); nothing is decided here.
struct Pages: Sendable {
    let accounts: Accounts
    let catalogue: PlanCatalogue
    let workflow: Workflow
    let units: UnitCatalogue
    let upload: LedgerUpload
    let limiter: SignInLimiter
    let scenarios: ScenarioStore
    let jobs: PlanJobs
    let library: MustacheLibrary
    let assets: [String: (type: String, body: Data)]
    let secureCookie: Bool
    let year: Int
    let uploadLimit: Int

    static let templates = ["web-head", "web-foot", "web-login", "web-error", "web-dashboard", "web-plans", "web-plan-rows", "web-plan",
                            "web-ledger", "web-unit", "web-public", "web-upload-result", "web-plan-new", "web-job", "web-analysis"]
    static let csrfCookie = "planner_csrf"

    init(accounts: Accounts, configuration: WebConfiguration, limiter: SignInLimiter) throws {
        self.accounts = accounts
        catalogue = PlanCatalogue(accounts.store)
        workflow = Workflow(accounts.store)
        units = UnitCatalogue(accounts.store, year: configuration.year)
        upload = LedgerUpload(accounts.store)
        self.limiter = limiter
        scenarios = ScenarioStore(store: accounts.store)
        jobs = PlanJobs(store: accounts.store, pdf: configuration.pdf, timeLimit: configuration.planTimeLimit)
        let folder = try PlannerResources.templatesFolder()
        var lib = MustacheLibrary()
        for name in Self.templates {
            let path = (folder as NSString).appendingPathComponent("\(name).mustache")
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ResourceError(looked: [path], template: "文件不存在或无法读取 (file not found or unreadable)")
            }
            try lib.register(String(decoding: data, as: UTF8.self), named: name)
        }
        library = lib
        var assets: [String: (String, Data)] = [:]
        for (file, name, type) in [("web-app.css", "app.css", "text/css; charset=utf-8"), ("web-upload.js", "upload.js", "text/javascript; charset=utf-8")] {
            let path = (folder as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ResourceError(looked: [path], template: "文件不存在或无法读取 (file not found or unreadable)")
            }
            assets[name] = (type, data)
        }
        self.assets = assets
        secureCookie = configuration.secureCookie
        year = configuration.year
        uploadLimit = configuration.uploadLimit
    }

    // MARK: - Sessions and CSRF

    /// The session token's CSRF token: a hash only the holder of the (HttpOnly) cookie knows.
    static func csrf(session token: String) -> String {
        Accounts.hex(SHA256.hash(data: Data("planner-csrf:\(token)".utf8)))
    }

    struct Session {
        var account: Account
        var token: String
        var csrf: String { Pages.csrf(session: token) }
    }

    func session(_ request: Request) async throws -> Session? {
        guard let token = request.cookies[WebApp.sessionCookie]?.value else { return nil }
        let accounts = self.accounts
        guard let a = try await blocking({ try accounts.account(token: token) }) else { return nil }
        return Session(account: a, token: token)
    }

    /// The signed-in session, or a redirect to the sign-in page.
    func requireSession(_ request: Request) async throws -> Session {
        guard let s = try await session(request) else { throw PageError.signIn }
        return s
    }

    /// A form's fields (application/x-www-form-urlencoded, at most 64 kB).
    func form(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 64 << 10)
        var fields: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let k = kv.first { fields[k] = kv.count > 1 ? kv[1] : "" }
        }
        return fields
    }

    /// A post of a signed-in page: its session and fields, after the CSRF check (403).
    func post(_ request: Request) async throws -> (Session, [String: String]) {
        let s = try await requireSession(request)
        let f = try await form(request)
        guard let token = f["csrf"], Self.constantTimeEqual(token, s.csrf) else { throw PageError.csrf }
        return (s, f)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: - Rendering

    func page(_ template: String, title: String, session: Session?, _ view: [String: Any] = [:], status: HTTPResponse.Status = .ok,
              notice: String? = nil, problem: String? = nil) -> Response {
        var v = view
        v["title"] = title
        if let s = session {
            v["account"] = ["name": s.account.name, "authority": s.account.authority, "roleZh": s.account.role.zh, "csrf": s.csrf]
            v["csrf"] = s.csrf
        }
        if let notice { v["notice"] = notice }
        if let problem { v["problem"] = problem }
        return Self.html(library.render(v, withTemplate: template) ?? "", status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }


    /// A plan's fields for a template; the approval and filing only once made.
    static func planRow(_ d: StoredDocument) -> [String: Any] {
        var row: [String: Any] = ["id": d.id, "authority": d.authority, "year": d.year, "statusZh": d.status.zh, "createdAt": d.createdAt,
                                  "createdBy": d.createdBy, "ledgerSeq": d.ledgerSeq]
        if let n = d.workflow.approvalNumber, !n.isEmpty { row["approvalNumber"] = n; row["approvalDate"] = d.workflow.approvalDate ?? "" }
        if let f = d.workflow.filedTo, !f.isEmpty { row["filedTo"] = f }
        return row
    }

    // MARK: - Sign-in

    func loginForm(_ request: Request, _ context: WebContext) async throws -> Response {
        if try await session(request) != nil { return Self.redirect("/") }
        return loginPage(problem: nil, status: .ok)
    }

    func loginPage(problem: String?, status: HTTPResponse.Status) -> Response {
        let token = Accounts.newToken()
        var r = page("web-login", title: "登录", session: nil, ["csrf": token], status: status, problem: problem)
        r.setCookie(Cookie(name: Self.csrfCookie, value: token, path: "/login", secure: secureCookie, httpOnly: true, sameSite: .strict))
        return r
    }

    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        let f = try await form(request)
        guard let cookie = request.cookies[Self.csrfCookie]?.value, let field = f["csrf"], Self.constantTimeEqual(cookie, field) else {
            return loginPage(problem: "页面已过期，请重新登录 (the form has expired: sign in again)", status: .forbidden)
        }
        let user = (f["user"] ?? "").trimmingCharacters(in: .whitespaces), password = f["password"] ?? ""
        if let wait = await limiter.refusal(user: user, address: context.remoteAddress) {
            var r = loginPage(problem: "登录失败次数过多，请 \(wait) 秒后再试 (too many failed sign-ins: try again in \(wait) s)", status: .tooManyRequests)
            r.headers[.retryAfter] = String(wait)
            return r
        }
        let accounts = self.accounts
        guard let s = try await blocking({ try accounts.signIn(name: user, password: password) }) else {
            await limiter.failed(user: user, address: context.remoteAddress)
            return loginPage(problem: "用户名或密码错误 (wrong user name or password)", status: .unauthorized)
        }
        await limiter.succeeded(user: user)
        var r = Self.redirect("/")
        r.setCookie(Cookie(name: WebApp.sessionCookie, value: s.token, expires: s.expires, path: "/",
                           secure: secureCookie, httpOnly: true, sameSite: .strict))
        return r
    }

    func logout(_ request: Request, _ context: WebContext) async throws -> Response {
        let (s, _) = try await post(request)
        let accounts = self.accounts
        try await blocking { try accounts.signOut(token: s.token) }
        var r = Self.redirect("/login")
        r.setCookie(Cookie(name: WebApp.sessionCookie, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0,
                           path: "/", secure: secureCookie, httpOnly: true, sameSite: .strict))
        return r
    }

    // MARK: - Dashboard

    func dashboard(_ request: Request, _ context: WebContext) async throws -> Response {
        let s = try await requireSession(request)
        let (units, catalogue, year) = (self.units, self.catalogue, self.year)
        let a = s.account
        let (counts, plans, filed, rosters) = try await blocking {
            // Only its own authority's documents are shown (an admin's too: not the whole city's).
            let all = try catalogue.store.db.documents(authority: a.authority, year: year)
            return (try units.counts(for: a), all.filter { $0.kind == .plan && $0.authority == a.authority },
                    try catalogue.filedPlans(with: a), all.filter { $0.kind == .roster && $0.authority == a.authority })
        }
        let next = Self.nextMonth()
        let levels: [[String: Any]] = counts.byLevel.map { ["name": $0.level.zh, "key": $0.key, "general": $0.general] }
        var view: [String: Any] = [
            "year": year, "nextMonth": "\(next.year) 年 \(next.month) 月",
            "counts": ["seq": counts.seq, "total": counts.total, "key": counts.key, "general": counts.general, "levels": levels],
            "rules": Self.rulesAtAGlance,
            "rosters": rosters.filter { $0.year == next.year && $0.month == next.month }.map { Self.planRow($0) },
        ]
        if let p = plans.first {
            var row = Self.planRow(p)
            row["statusZh"] = p.status.zh
            view["plan"] = row
        }
        if !filed.isEmpty { view["filedCount"] = filed.count }
        if Self.mayPlan(a) { view["mayPlan"] = true }
        return page("web-dashboard", title: "\(a.authority) 执法工作台", session: s, view)
    }

    static func nextMonth() -> (year: Int, month: Int) {
        let today = RequestClock.today()
        let y = Int(today.prefix(4)) ?? 2027, m = Int(today.dropFirst(5).prefix(2)) ?? 1
        return m == 12 ? (y + 1, 1) : (y, m + 1)
    }

    /// KEY-M*, KEY-D* and the plan's thresholds, by ID, title and clause.
    static var rulesAtAGlance: [[String: Any]] {
        let ids = KeyRule.allCases.map(\.rawValue) + ["PLAN-SHARE60", "PLAN-RATIO-BUREAU", "PLAN-RATIO-LOCAL", "PLAN-ANNUAL", "FREQ-GENERAL-RANDOM"]
        return ids.compactMap { id in
            RuleCatalogue.title(id, .zh).map { ["id": id, "title": $0, "clause": RuleCatalogue.clause(id) ?? ""] }
        }
    }

    // MARK: - Plans

    func plans(_ request: Request, _ context: WebContext) async throws -> Response {
        let s = try await requireSession(request)
        let (catalogue, a) = (self.catalogue, s.account)
        let (own, filed) = try await blocking {
            (try catalogue.plans(visibleTo: a).filter { a.role == .admin || $0.authority == a.authority }, try catalogue.filedPlans(with: a))
        }
        let returned = request.uri.queryParameters.get("returned", as: Int.self)
        var view: [String: Any] = ["own": own.map(Self.planRow), "filed": filed.map(Self.planRow)]
        if Self.mayPlan(a) { view["mayPlan"] = true }
        return page("web-plans", title: "执法计划", session: s, view,
                    notice: returned.map { "已退回计划 \($0)，并附意见。" })
    }

    func plan(_ request: Request, _ context: WebContext, notice: String? = nil, problem: String? = nil,
              status: HTTPResponse.Status = .ok, session: Session? = nil) async throws -> Response {
        let s: Session
        if let session { s = session } else { s = try await requireSession(request) }
        guard let id = context.parameters.get("id", as: Int.self) else { throw PageError.notFound }
        let (catalogue, workflow, a) = (self.catalogue, self.workflow, s.account)
        guard let (d, files, events, rosters) = try await blocking({ () -> (StoredDocument, [String], [DocumentEvent], [(StoredDocument, [String])])? in
            guard let d = try catalogue.store.db.document(id: id), d.kind == .plan, a.maySee(d) else { return nil }
            let rosters = try catalogue.store.db.documents(authority: d.authority, year: d.year).filter { $0.kind == .roster && $0.planID == id }
                .map { ($0, try catalogue.store.db.documentFiles(id: $0.id).map(\.name)) }
            return (d, try catalogue.store.db.documentFiles(id: id).map(\.name), try catalogue.store.db.events(document: id), rosters)
        }) else { throw PageError.notFound }
        let actions: [[String: Any]] = workflow.actions(on: d, by: a).map { act in
            var v: [String: Any] = ["action": act.rawValue, "label": act.zh]
            if act == .approve { v["approve"] = true }
            if act == .return { v["needsComment"] = true }
            return v
        }
        let document = files.first { $0 == "执法计划.html" || $0 == "plan.html" }
        var view: [String: Any] = [
            "plan": Self.planRow(d),
            "files": files.map { ["name": $0, "encoded": Pages.segment($0)] },
            "actions": actions,
            "events": events.map { ["at": $0.at, "by": $0.by, "statusZh": $0.status.zh, "comment": $0.comment] },
        ]
        if let document { view["document"] = Pages.segment(document) }
        view["rosters"] = rosters.sorted { ($0.0.month ?? 0, -$0.0.id) < ($1.0.month ?? 0, -$1.0.id) }.map { r, names -> [String: Any] in
            var row: [String: Any] = ["id": r.id, "month": r.month ?? 0, "createdAt": r.createdAt, "createdBy": r.createdBy, "statusZh": r.status.zh]
            if let html = names.first(where: { $0.hasSuffix(".html") }) {
                row["html"] = "/rosters/\(r.id)/files/" + Pages.segment(html)
            }
            if let x = names.first(where: { $0.hasSuffix(".xlsx") }) {
                row["xlsx"] = "/rosters/\(r.id)/files/" + Pages.segment(x)
            }
            return row
        }
        if let from = d.planID { view["replanOf"] = from }
        if d.authority == a.authority, Self.mayPlan(a), files.contains("scenario.yaml") {
            view["mayRoster"] = true
            view["fromMonths"] = (2...12).map { ["month": $0, "selected": $0 == Self.nextMonth().month] as [String: Any] }
            view["months"] = (1...12).map { ["month": $0, "selected": $0 == Self.nextMonth().month] as [String: Any] }
        }
        if d.status == .published { view["public"] = Self.publicPath(authority: d.authority, year: d.year) }
        let done = request.uri.queryParameters.get("done").flatMap(WorkflowAction.init(rawValue:))
        return page("web-plan", title: "\(d.authority) \(d.year) 年度执法计划（编号 \(d.id)）", session: s, view, status: status,
                    notice: notice ?? done.map { "已\($0.zh)：计划现为“\(d.status.zh)”。" }, problem: problem)
    }

    /// RFC 3986's unreserved characters: everything else in a path segment or an RFC 5987
    /// file name is percent-encoded (UTF-8).
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `s` as one path segment (or an RFC 5987 value): ASCII only.
    static func segment(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }

    static func publicPath(authority: String, year: Int) -> String {
        "/public/\(Pages.segment(authority))/\(year)"
    }

    func planFile(_ request: Request, _ context: WebContext) async throws -> Response {
        let s = try await requireSession(request)
        guard let id = context.parameters.get("id", as: Int.self), let name = context.parameters.get("name")?.removingPercentEncoding,
              !name.contains("/") else { throw PageError.notFound }
        let (catalogue, a) = (self.catalogue, s.account)
        guard let data = try await blocking({ () -> Data? in
            guard let d = try catalogue.store.db.document(id: id), a.maySee(d) else { return nil }
            return try catalogue.store.db.documentFile(id: id, name: name)
        }) else { throw PageError.notFound }
        return Self.file(data, name: name)
    }

    static func file(_ data: Data, name: String) -> Response {
        var headers = HTTPFields()
        let ext = (name as NSString).pathExtension.lowercased()
        let types = ["html": "text/html; charset=utf-8", "pdf": "application/pdf", "json": "application/json; charset=utf-8",
                     "csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
        headers[.contentType] = types[ext] ?? "application/octet-stream"
        let encoded = Pages.segment(name)
        let inline = ext == "html" || ext == "pdf"
        headers[.contentDisposition] = "\(inline ? "inline" : "attachment"); filename*=UTF-8''\(encoded)"
        // A stored document is shown as it is, with no script allowed to run in it.
        headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The plan of the path's id, for a step only the plan's own planner takes: 404 when the
    /// session may not see it, 403 when it may see but not act.
    func ownPlan(_ context: WebContext, _ s: Session, refusal: String) async throws -> StoredDocument {
        guard let id = context.parameters.get("id", as: Int.self) else { throw PageError.notFound }
        let (catalogue, a) = (self.catalogue, s.account)
        guard let d = try await blocking({ () -> StoredDocument? in
            guard let d = try catalogue.store.db.document(id: id), d.kind == .plan, a.maySee(d) else { return nil }
            return d
        }) else { throw PageError.notFound }
        guard d.authority == a.authority, Self.mayPlan(a) else { throw PageError(status: .forbidden, message: refusal) }
        return d
    }

    /// Re-plans a plan made in the browser from a month, keeping published months; its
    /// progress page.
    func replan(_ request: Request, _ context: WebContext) async throws -> Response {
        let (s, f) = try await post(request)
        let d = try await ownPlan(context, s, refusal: "只有本单位编制人员可以重新编制计划 (only the authority's planner may re-plan)")
        let (scenarios, a) = (self.scenarios, s.account)
        guard let from = f["from_month"].flatMap(Int.init), (1...12).contains(from) else {
            return try await plan(request, context, problem: "起始月份应为 1–12 (the first month must be 1-12)", status: .unprocessableContent, session: s)
        }
        let keepText = (f["keep_months"] ?? "").replacingOccurrences(of: "，", with: ",").replacingOccurrences(of: "、", with: ",")
        let keepList = keepText.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard keepList.allSatisfy({ $0 != nil && (from...12).contains($0!) }) else {
            return try await plan(request, context, problem: "保留月份“\(keepText)”应为 \(from)–12 月中逗号分隔的月份，如 7,8 (months from \(from) to 12, e.g. 7,8)",
                                  status: .unprocessableContent, session: s)
        }
        guard let saved = try await blocking({ try scenarios.latest(authority: a.authority, year: d.year) }), saved.staff != nil else {
            return try await plan(request, context, problem: "先在“编制场景”保存当前场景与执法人员名录 (save the current scenario and staff roll first)",
                                  status: .unprocessableContent, session: s)
        }
        return Self.redirect("/jobs/\(jobs.startReplan(d, scenario: saved, fromMonth: from, keep: Set(keepList.map { $0! }), by: a))")
    }

    /// Starts the roster of a month of a plan made in the browser; its progress page.
    func makeRoster(_ request: Request, _ context: WebContext) async throws -> Response {
        let (s, f) = try await post(request)
        let d = try await ownPlan(context, s, refusal: "只有本单位编制人员可以编排现场检查方案 (only the authority's planner may make its rosters)")
        let a = s.account
        guard let month = f["month"].flatMap(Int.init), (1...12).contains(month) else {
            return try await plan(request, context, problem: "月份应为 1–12 (the month must be 1-12)", status: .unprocessableContent, session: s)
        }
        return Self.redirect("/jobs/\(jobs.startRoster(plan: d, month: month, by: a))")
    }

    func planWorkflow(_ request: Request, _ context: WebContext) async throws -> Response {
        let (s, f) = try await post(request)
        guard let id = context.parameters.get("id", as: Int.self) else { throw PageError.notFound }
        guard let action = f["action"].flatMap(WorkflowAction.init(rawValue:)) else {
            return try await plan(request, context, problem: "未知的办理步骤 (unknown step)", status: .badRequest, session: s)
        }
        let details = Workflow.Details(comment: f["comment"], approvalNumber: f["approval_number"], approvalDate: f["approval_date"])
        let (workflow, a) = (self.workflow, s.account)
        do {
            let d = try await blocking { try workflow.take(action, plan: id, by: a, details: details) }
            // Post/redirect/get: a reload does not post again. A plan returned by the level
            // above is no longer its to see.
            return Self.redirect(a.maySee(d) ? "/plans/\(id)?done=\(action.rawValue)" : "/plans?returned=\(id)")
        } catch let e as WorkflowError {
            if e.kind == .notFound { throw PageError.notFound }
            let status: HTTPResponse.Status = e.kind == .forbidden ? .forbidden : e.kind == .conflict ? .conflict : .unprocessableContent
            return try await plan(request, context, problem: e.description, status: status, session: s)
        }
    }

    // MARK: - Making a plan

    /// Who makes its authority's plans in the browser: its planners (and the city admin, the city bureau's).
    static func mayPlan(_ a: Account) -> Bool { a.role == .planner || a.role == .admin }

    func requirePlanner(_ request: Request) async throws -> Session {
        let s = try await requireSession(request)
        guard Self.mayPlan(s.account) else {
            throw PageError(status: .forbidden, message: "只有编制人员可以编制计划 (only a planner may make plans)")
        }
        return s
    }

    func planForm(_ request: Request, _ context: WebContext) async throws -> Response {
        let s = try await requirePlanner(request)
        let year = request.uri.queryParameters.get("year", as: Int.self) ?? self.year
        let (scenarios, a) = (self.scenarios, s.account)
        let saved = try await blocking { try scenarios.latest(authority: a.authority, year: year) }
        let notice = request.uri.queryParameters.get("saved") != nil ? "场景已保存。" : nil
        return scenarioPage(s, form: saved?.form ?? ScenarioForm.initial(for: a, year: year), saved: saved, problems: [], notice: notice)
    }

    func scenarioPage(_ s: Session, form: ScenarioForm, saved: ScenarioStore.Saved?, problems: [ScenarioForm.Problem],
                      notice: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let level = AuthorityLevel(rawValue: form.level) ?? .district
        let defaults = PolicyParameters(level: level)
        let defaultText: [String: String] = [
            "key_share_min": "\(defaults.keyShareMin)", "visits_per_workday_min": "\(defaults.visitsPerWorkdayMin)",
            "general_sample_rate": "\(defaults.generalSampleRate)", "max_visits_per_unit": "\(defaults.maxVisitsPerUnit)",
            "increased_visits": "\(defaults.increasedVisits)", "reserve_share": "\(defaults.reserveShare)",
            "monthly_tolerance": "\(defaults.monthlyTolerance)",
        ]
        var view: [String: Any] = [
            "authority": s.account.authority,
            "form": ["year": form.year, "seed": form.seed, "district": form.district, "town": form.town, "zone": form.zone,
                     "otherEnforcement": form.otherEnforcement, "nonEnforcement": form.nonEnforcement, "campaigns": form.campaigns],
            "levels": AuthorityLevel.allCases.map { ["value": $0.rawValue, "label": $0.zh, "selected": $0 == level] as [String: Any] },
            "policy": ScenarioForm.policyKeys.map { ["key": $0.key, "zh": $0.zh, "value": form.policy[$0.key] ?? "", "default": defaultText[$0.key] ?? ""] },
            "problems": problems.map { ["field": $0.field, "line": $0.line.map(String.init) ?? "", "value": $0.value, "message": $0.message] },
            "problemCount": problems.count,
            "hasProblems": !problems.isEmpty,
        ]
        if let saved, let staff = saved.staff {
            view["staffCount"] = Self.rows(staff)
            if let e = saved.experts { view["expertCount"] = Self.rows(e) }
            view["savedAt"] = saved.savedAt
            view["savedBy"] = saved.savedBy
        }
        return page("web-plan-new", title: "编制 \(form.year) 年度执法计划", session: s, view, status: status, notice: notice)
    }

    /// Data rows of a CSV roll (lines but the header and blank ones).
    static func rows(_ csv: Data) -> Int {
        String(decoding: csv, as: UTF8.self).split(whereSeparator: \.isNewline).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count - 1
    }

    /// Saves the form as a new scenario version (checked as `planner plan` would load it), then
    /// either shows it again or starts the plan and shows its progress.
    func savePlanForm(_ request: Request, _ context: WebContext) async throws -> Response {
        let (s, f) = try await post(request)
        guard Self.mayPlan(s.account) else { throw PageError(status: .forbidden, message: "只有编制人员可以编制计划 (only a planner may make plans)") }
        let form = ScenarioForm.posted(f, year: year)
        let (scenarios, a) = (self.scenarios, s.account)
        let saved = try await blocking { try scenarios.latest(authority: a.authority, year: form.year) }
        var problems: [ScenarioForm.Problem] = []
        var yaml = ""
        do {
            yaml = try form.yaml(authority: a.authority, experts: saved?.experts != nil)
        } catch let e as ScenarioForm.ProblemList {
            problems = e.problems
        }
        if problems.isEmpty, saved?.staff == nil {
            // The form is kept (a planner fills it before finding the roll); no plan without a roll.
            let text = yaml
            _ = try await blocking { try scenarios.save(form: form, yaml: text, staff: nil, experts: saved?.experts, authority: a.authority, by: a.name) }
            let kept = try await blocking { try scenarios.latest(authority: a.authority, year: form.year) }
            return scenarioPage(s, form: form, saved: kept,
                                problems: [.init(field: "执法人员名录", line: nil, value: "",
                                                 message: "场景已保存；编制计划前请先上传执法人员名录 (the scenario is saved; upload the staff roll before making a plan)")],
                                status: .unprocessableContent)
        }
        if problems.isEmpty, let staff = saved?.staff {
            problems = Self.check(yaml: yaml, staff: staff, experts: saved?.experts)
        }
        guard problems.isEmpty else {
            return scenarioPage(s, form: form, saved: saved, problems: problems, status: .unprocessableContent)
        }
        let (staff, experts, text) = (saved?.staff, saved?.experts, yaml)
        let id = try await blocking { try scenarios.save(form: form, yaml: text, staff: staff, experts: experts, authority: a.authority, by: a.name) }
        guard f["then"] == "plan" else { return Self.redirect("/plans/new?year=\(form.year)&saved=\(id)") }
        guard let stored = try await blocking({ try scenarios.latest(authority: a.authority, year: form.year) }) else { throw PageError.notFound }
        let job = jobs.start(stored, by: a)
        return Self.redirect("/jobs/\(job)")
    }

    /// The scenario as `planner plan` loads it, with its staff roll: every problem, by key.
    static func check(yaml: String, staff: Data, experts: Data?) -> [ScenarioForm.Problem] {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("planner-web-scenario-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: dir + "/scenario.yaml"))
            try staff.write(to: URL(fileURLWithPath: dir + "/staff.csv"))
            if let experts { try experts.write(to: URL(fileURLWithPath: dir + "/experts.csv")) }
            let s = try ScenarioLoader.load(path: dir + "/scenario.yaml")
            _ = try PlanContext.staffAndCalendar(scenario: s)
            return []
        } catch let e as InputError {
            return e.problems.map { p in
                let file = (p.file as NSString).lastPathComponent
                return .init(field: file == "scenario.yaml" ? (p.column ?? "场景") : "\(file) \(p.column ?? "")", line: file == "scenario.yaml" ? nil : p.row,
                             value: p.value ?? "", message: p.message)
            }
        } catch {
            return [.init(field: "场景", line: nil, value: "", message: "\(error)")]
        }
    }

    /// A staff or expert roll (raw body, as the ledger upload): checked as `planner plan` reads
    /// it, then saved with the authority's latest scenario as a new version.
    func uploadRoll(_ request: Request, _ context: WebContext) async throws -> Response {
        let s = try await requirePlanner(request)
        guard let token = request.headers[HTTPField.Name("X-CSRF-Token")!], Self.constantTimeEqual(token, s.csrf) else { throw PageError.csrf }
        let experts = request.headers[HTTPField.Name("X-Kind")!] == "experts"
        let name = request.headers[HTTPField.Name("X-File-Name")!]?.removingPercentEncoding ?? (experts ? "experts.csv" : "staff.csv")
        let body = try await request.body.collect(upTo: 10 << 20)
        let data = Data(body.readableBytesView)
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("planner-web-roll-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let safeName = (name as NSString).lastPathComponent.isEmpty ? "roll.csv" : (name as NSString).lastPathComponent
        let path = (dir as NSString).appendingPathComponent(safeName)
        try data.write(to: URL(fileURLWithPath: path))
        let people: [StaffMember]
        do {
            people = try StaffLoader.load(path: path, displayName: safeName, experts: experts)
        } catch let e as InputError {
            let problems: [[String: Any]] = e.problems.prefix(200).map {
                ["file": $0.file, "row": $0.row.map(String.init) ?? "", "column": $0.column ?? "", "value": $0.value ?? "", "message": $0.message]
            }
            return fragment(["failed": true, "file": safeName, "count": e.problems.count, "problems": problems], status: .unprocessableContent)
        }
        let (scenarios, a, year) = (self.scenarios, s.account, self.year)
        try await blocking {
            let saved = try scenarios.latest(authority: a.authority, year: year)
            let form = saved?.form ?? ScenarioForm.initial(for: a, year: year)
            let yaml = (try? form.yaml(authority: a.authority, experts: experts || saved?.experts != nil)) ?? saved?.yaml ?? ""
            _ = try scenarios.save(form: form, yaml: yaml, staff: experts ? saved?.staff : data, experts: experts ? data : saved?.experts,
                                   authority: a.authority, by: a.name)
        }
        let certified = people.filter(\.certified).count
        let text = experts ? "已载入专家名录 \(safeName)：\(people.count) 人。" : "已载入执法人员名录 \(safeName)：\(people.count) 人，其中持执法证 \(certified) 人。"
        return Self.html("<p class=\"notice\" id=\"roll-ok\">\(PageError.escape(text))</p>")
    }

    func jobPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let s = try await requireSession(request)
        guard let id = context.parameters.get("id", as: Int.self), let job = jobs.job(id), job.authority == s.account.authority else {
            throw PageError.notFound
        }
        var j: [String: Any] = ["authority": job.authority, "year": job.year, "by": job.by, "stage": job.stage, "finished": job.finished]
        if let l = job.link { j["link"] = l; j["linkLabel"] = job.linkLabel ?? l }
        if let t = job.seconds { j["seconds"] = String(format: "%.1f", t) }
        var response = page("web-job", title: "后台任务 \(job.id)", session: s,
                            ["job": j, "problems": job.problems, "hasProblems": !job.problems.isEmpty, "lines": job.lines, "hasLines": !job.lines.isEmpty],
                            problem: job.problems.isEmpty ? nil : "计划未能编制：")
        if !job.finished { response.headers[HTTPField.Name("Refresh")!] = "2" }
        return response
    }

    // MARK: - What-if and staffing

    static let maxVariants = 20

    func analysis(_ request: Request, _ context: WebContext, form: [String: String] = [:], problem: String? = nil,
                  status: HTTPResponse.Status = .ok, session: Session? = nil) async throws -> Response {
        let s: Session
        if let session { s = session } else { s = try await requirePlanner(request) }
        let (scenarios, catalogue, a, year) = (self.scenarios, self.catalogue, s.account, self.year)
        let (saved, analyses) = try await blocking {
            (try scenarios.latest(authority: a.authority, year: year),
             try catalogue.store.db.documents(authority: a.authority, year: nil).filter { $0.kind == .whatif }
                .map { ($0, try catalogue.store.db.documentFiles(id: $0.id).map(\.name)) })
        }
        var view: [String: Any] = ["year": year, "maxVariants": Self.maxVariants, "staff": form["staff"] ?? "-2..+2", "from": form["from"] ?? "",
                                   "rates": form["rates"] ?? ""]
        if saved?.staff != nil { view["hasRoll"] = true }
        view["analyses"] = analyses.map { d, names -> [String: Any] in
            var row: [String: Any] = ["id": d.id, "year": d.year, "createdAt": d.createdAt, "createdBy": d.createdBy]
            if let h = names.first(where: { $0.hasSuffix(".html") }) {
                row["html"] = "/analyses/\(d.id)/files/" + Pages.segment(h)
            }
            return row
        }
        return page("web-analysis", title: "情景分析与人员测算", session: s, view, status: status, problem: problem)
    }

    /// Officers added or removed, as typed: a range `-3..+1` or a list `-3,0,3`, within ±50.
    static func staffDeltas(_ text: String) -> [Int]? {
        let t = text.replacingOccurrences(of: "+", with: "").replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "，", with: ",")
        if t.isEmpty { return [0] }
        var values: [Int]
        if let r = t.range(of: "..") {
            guard let a = Int(t[..<r.lowerBound]), let b = Int(t[r.upperBound...]), a <= b, b - a < 100 else { return nil }
            values = Array(a...b)
        } else {
            let list = t.split(separator: ",").map { Int($0) }
            guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else { return nil }
            values = list.map { $0! }
        }
        return values.allSatisfy({ (-50...50).contains($0) }) ? values : nil
    }

    func startWhatIf(_ request: Request, _ context: WebContext) async throws -> Response {
        let (s, f) = try await post(request)
        guard Self.mayPlan(s.account) else { throw PageError(status: .forbidden, message: "只有编制人员可以做情景分析 (only a planner may run analyses)") }
        func refuse(_ message: String) async throws -> Response {
            try await analysis(request, context, form: f, problem: message, status: .unprocessableContent, session: s)
        }
        guard let deltas = Self.staffDeltas(f["staff"] ?? "") else {
            return try await refuse("执法人员增减“\(f["staff"] ?? "")”应为范围如 -3..+1 或列表如 -3,0,3，每项在 ±50 以内 (a range like -3..+1 or a list like -3,0,3, each within ±50)")
        }
        var rates: [Double]? = nil
        let rateText = (f["rates"] ?? "").trimmingCharacters(in: .whitespaces)
        if !rateText.isEmpty {
            let list = rateText.replacingOccurrences(of: "，", with: ",").split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard list.allSatisfy({ $0 != nil && (0...1).contains($0!) }) else {
                return try await refuse("抽查比例“\(rateText)”应为 0 到 1 之间的小数，如 0.03,0.05 (rates between 0 and 1, e.g. 0.03,0.05)")
            }
            rates = list.map { $0! }
        }
        let fromText = (f["from"] ?? "").trimmingCharacters(in: .whitespaces)
        let from = fromText.isEmpty ? nil : CivilDate(fromText)
        if !fromText.isEmpty && (from == nil || from!.year != year) {
            return try await refuse("自何日起“\(fromText)”应为 \(year) 年内的日期 (a date of \(year))")
        }
        let count = deltas.count * (rates?.count ?? 1)
        guard count <= Self.maxVariants else { return try await refuse("共 \(count) 个方案，一次最多 \(Self.maxVariants) 个 (\(count) variants; at most \(Self.maxVariants))") }
        let (scenarios, a, year) = (self.scenarios, s.account, self.year)
        guard let saved = try await blocking({ try scenarios.latest(authority: a.authority, year: year) }), saved.staff != nil else {
            return try await refuse("先在“编制场景”保存场景并上传执法人员名录 (save the scenario and upload the staff roll first)")
        }
        var varied: [String] = ["执法人员增减 \(f["staff"] ?? "")" + (from.map { "（自 \($0) 起）" } ?? "")]
        if !rateText.isEmpty { varied.append("抽查比例 \(rateText)") }
        let chosenRates = rates
        let job = jobs.startWhatIf(saved, variants: { base in
            var out: [Variant] = []
            for d in deltas {
                for r in chosenRates ?? [base.policy.generalSampleRate] {
                    var sc = base
                    sc.policy.generalSampleRate = r
                    var name = d == 0 ? "现有人员" : "人员\(d > 0 ? "+" : "")\(d)"
                    if d != 0, let from { name += "（自\(from.month)月\(from.day)日）" }
                    if chosenRates != nil { name += "，抽查\(PlanReport.f(r * 100))%" }
                    out.append(Variant(name: name, scenario: sc, staffDelta: d, staffFrom: d == 0 ? nil : from))
                }
            }
            return out
        }, varied: varied.joined(separator: "；"), by: a)
        return Self.redirect("/jobs/\(job)")
    }

    func startStaffing(_ request: Request, _ context: WebContext) async throws -> Response {
        let (s, _) = try await post(request)
        guard Self.mayPlan(s.account) else { throw PageError(status: .forbidden, message: "只有编制人员可以做人员测算 (only a planner may run analyses)") }
        let (scenarios, a, year) = (self.scenarios, s.account, self.year)
        guard let saved = try await blocking({ try scenarios.latest(authority: a.authority, year: year) }), saved.staff != nil else {
            return try await analysis(request, context, problem: "先在“编制场景”保存场景并上传执法人员名录 (save the scenario and upload the staff roll first)",
                                      status: .unprocessableContent, session: s)
        }
        return Self.redirect("/jobs/\(jobs.startStaffing(saved, by: a))")
    }

    // MARK: - Ledger

    func ledger(_ request: Request, _ context: WebContext) async throws -> Response {
        let s = try await requireSession(request)
        let q = request.uri.queryParameters.get("q") ?? ""
        let cls = request.uri.queryParameters.get("class").flatMap(UnitClass.init(rawValue:))
        let (units, a) = (self.units, s.account)
        let found = try await blocking { try units.search(q, unitClass: cls, for: a) }
        let rows: [[String: Any]] = found.units.map { u, c in
            ["id": u.id, "name": u.name, "district": u.district, "town": u.town, "classZh": c.unitClass.zh, "tierZh": c.tier.zh]
        }
        var view: [String: Any] = ["q": q, "units": rows, "matched": found.matched, "shown": rows.count, "maxMB": max(1, uploadLimit >> 20)]
        if found.matched > rows.count { view["truncated"] = true }
        if cls == .key { view["isKey"] = true }
        if cls == .general { view["isGeneral"] = true }
        if LedgerUpload.mayUpload(a) { view["mayUpload"] = true }
        return page("web-ledger", title: "执法对象台账", session: s, view)
    }

    /// The upload's answer: an HTML fragment (escaped by the template) the page's script shows.
    func ledgerUpload(_ request: Request, _ context: WebContext) async throws -> Response {
        let s = try await requireSession(request)
        guard let token = request.headers[HTTPField.Name("X-CSRF-Token")!], Self.constantTimeEqual(token, s.csrf) else { throw PageError.csrf }
        guard LedgerUpload.mayUpload(s.account) else {
            throw PageError(status: .forbidden, message: "只有区局编制人员或市局管理员可以上传台账 (only a district bureau's planner or the city admin may upload the ledger)")
        }
        let name = request.headers[HTTPField.Name("X-File-Name")!]?.removingPercentEncoding ?? "ledger.csv"
        let reason = request.headers[HTTPField.Name("X-Reason")!]?.removingPercentEncoding ?? "网页上传"
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: uploadLimit)
        } catch {
            let limit = uploadLimit >= 1 << 20 ? "\(uploadLimit >> 20) MB" : "\(uploadLimit) 字节"
            return fragment(["failed": true, "file": name, "count": 1,
                             "problems": [["file": name, "row": "", "column": "", "value": "",
                                           "message": "文件超过 \(limit)，未导入 (the file is larger than the limit: nothing imported)"]]],
                            status: .contentTooLarge)
        }
        let (upload, a) = (self.upload, s.account)
        let data = Data(body.readableBytesView)
        do {
            let r = try await blocking { try upload.importFile(data, fileName: name, by: a, reason: reason) }
            return fragment(["summary": ["file": name, "units": r.units, "added": r.added, "changed": r.changed, "fieldChanges": r.fieldChanges,
                                         "unchanged": r.unchanged, "firstSeq": r.firstSeq, "lastSeq": r.lastSeq, "effective": r.effective]])
        } catch let e as InputError {
            let problems: [[String: Any]] = e.problems.prefix(200).map {
                ["file": $0.file, "row": $0.row.map(String.init) ?? "", "column": $0.column ?? "", "value": $0.value ?? "", "message": $0.message]
            }
            return fragment(["failed": true, "file": name, "count": e.problems.count, "problems": problems], status: .unprocessableContent)
        }
    }

    func fragment(_ view: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        Self.html(library.render(view, withTemplate: "web-upload-result") ?? "", status: status)
    }

    func unit(_ request: Request, _ context: WebContext) async throws -> Response {
        let s = try await requireSession(request)
        guard let id = context.parameters.get("id") else { throw PageError.notFound }
        let (units, catalogue, a) = (self.units, self.catalogue, s.account)
        guard let (found, history, visits) = try await blocking({ () -> ((unit: LedgerUnit, class: Classification), [LedgerStore.HistoryEntry], [PlannedVisit])? in
            guard let found = try units.unit(id, for: a) else { return nil }
            let history = try catalogue.store.history(unit: id)
            var visits: [PlannedVisit] = []
            for p in try catalogue.plans(visibleTo: a) where p.authority == found.class.authority || p.authority == a.authority {
                guard let data = try catalogue.store.db.documentFile(id: p.id, name: "plan.json"),
                      let plan = try? JSONDecoder().decode(PlanVisits.self, from: data) else { continue }
                for v in plan.visits ?? [] where v.unit == id {
                    visits.append(PlannedVisit(plan: p.id, year: p.year, month: v.month,
                                               kind: v.kind == "key" ? "重点检查" : v.kind == "random" ? "双随机抽查" : v.kind))
                }
            }
            return (found, history, visits)
        }) else { throw PageError.notFound }
        let c = found.class
        let rules: [[String: Any]] = c.unitClass == .key ? c.rules.map {
            ["id": $0.rawValue, "title": $0.title(.zh), "clause": $0.clause, "words": RuleCatalogue.policyWords($0.rawValue) ?? ""]
        } : []
        let historyRows: [[String: Any]] = history.map { h in
            let added = h.change.field == "*"   // a whole new unit: its row is not a field's value
            return ["seq": h.change.seq, "effective": h.change.effective, "field": added ? "（新增单位）" : h.change.field,
             "old": added ? "" : h.change.old ?? "", "new": added ? "" : h.change.new ?? "",
             "file": h.record.source, "by": h.record.by, "consequence": h.consequence ?? ""]
        }
        let view: [String: Any] = [
            "unit": ["id": found.unit.id, "district": found.unit.district, "town": found.unit.town, "classZh": c.unitClass.zh,
                     "tierZh": c.tier.zh, "authority": c.authority, "explanation": c.explanation],
            "rules": rules, "history": historyRows,
            "visits": visits.map { ["plan": $0.plan, "year": $0.year, "month": $0.month, "kind": $0.kind] as [String: Any] },
        ]
        return page("web-unit", title: found.unit.name, session: s, view)
    }

    struct PlannedVisit: Sendable { var plan: Int; var year: Int; var month: Int; var kind: String }

    /// What the unit page reads of a stored plan.json.
    struct PlanVisits: Decodable {
        struct Visit: Decodable { var unit: String; var month: Int; var kind: String }
        var visits: [Visit]?
    }

    // MARK: - The public page (一公开)

    /// The draw records of an authority's published plan of a year: no sign-in.
    func publicPlan(_ request: Request, _ context: WebContext) async throws -> Response {
        let record = try await publicRecord(context)
        let draws: [[String: Any]] = record.draws.map {
            ["id": $0.id, "month": $0.month.map(String.init) ?? "", "pool": $0.pool ?? "", "poolSize": $0.pool_size ?? 0,
             "poolSha256": $0.pool_sha256 ?? "", "k": $0.k ?? 0, "drawn": ($0.drawn ?? []).joined(separator: "、")]
        }
        var view: [String: Any] = ["authority": record.plan.authority, "year": record.plan.year, "planID": record.plan.id,
                                   "approvalNumber": record.plan.workflow.approvalNumber ?? "", "approvalDate": record.plan.workflow.approvalDate ?? "",
                                   "seed": record.seed, "method": record.draws.first?.method ?? "", "draws": draws]
        if record.hasRecordFile { view["recordFile"] = Self.publicPath(authority: record.plan.authority, year: record.plan.year) + "/draws.csv" }
        return page("web-public", title: "\(record.plan.authority) \(record.plan.year) 年双随机抽查公开记录", session: nil, view)
    }

    func publicDrawsCSV(_ request: Request, _ context: WebContext) async throws -> Response {
        let record = try await publicRecord(context)
        let store = accounts.store
        guard let data = try await blocking({ try store.db.documentFile(id: record.plan.id, name: "双随机抽取记录.csv") }) else { throw PageError.notFound }
        return Self.file(data, name: "双随机抽取记录.csv")
    }

    struct PublicRecord: Sendable {
        var plan: StoredDocument
        var seed: String
        var draws: [Draw]
        var hasRecordFile: Bool
    }

    struct Draw: Codable, Sendable {
        var id: String
        var month: Int?
        var pool: String?
        var pool_size: Int?
        var pool_sha256: String?
        var k: Int?
        var seed: UInt64?
        var method: String?
        var drawn: [String]?
    }

    struct PlanDraws: Decodable {
        var seed: UInt64?
        var draws: [Draw]?
    }

    /// The newest published plan of the path's authority and year, and its draws; 404 when
    /// there is none published (a draft is never shown).
    func publicRecord(_ context: WebContext) async throws -> PublicRecord {
        guard let authority = context.parameters.get("authority")?.removingPercentEncoding,
              let year = context.parameters.get("year", as: Int.self) else { throw PageError.notFound }
        let store = accounts.store
        guard let r = try await blocking({ () -> PublicRecord? in
            guard let p = try store.db.documents(authority: authority, year: year).first(where: { $0.kind == .plan && $0.status == .published }),
                  let data = try store.db.documentFile(id: p.id, name: "plan.json"),
                  let plan = try? JSONDecoder().decode(PlanDraws.self, from: data) else { return nil }
            let hasCSV = try store.db.documentFile(id: p.id, name: "双随机抽取记录.csv") != nil
            return PublicRecord(plan: p, seed: plan.seed.map(String.init) ?? "", draws: plan.draws ?? [], hasRecordFile: hasCSV)
        }) else {
            throw PageError(status: .notFound, message: "\(authority) 没有已公开的 \(year) 年度计划 (no published plan of that authority and year)")
        }
        return r
    }

    // MARK: - Static files

    func asset(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let name = context.parameters.get("name"), let a = assets[name] else { throw PageError.notFound }
        var headers = HTTPFields()
        headers[.contentType] = a.type
        headers[.cacheControl] = "max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: a.body)))
    }
}

/// An error of a page: answered as an HTML page (a redirect for `signIn`).
struct PageError: Error {
    var status: HTTPResponse.Status
    var message: String

    static let signIn = PageError(status: .seeOther, message: "")
    static let notFound = PageError(status: .notFound, message: "没有这个页面，或您无权查看 (no such page, or not yours to see)")
    static let csrf = PageError(status: .forbidden, message: "页面已过期或来源不明，请刷新页面后重试 (the form is stale or not from this site: reload the page and try again)")

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The error page: plain HTML, the message escaped.
    var response: Response {
        if status == .seeOther { return Pages.redirect("/login") }
        let m = Self.escape(message)
        return Pages.html("""
            <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>\(status.code) · 安全生产执法计划</title>
            <link rel="stylesheet" href="/static/app.css"></head><body><main><h1>\(status.code)</h1><p class="problem" id="problem">\(m)</p>
            <p><a href="/">返回首页</a></p></main></body></html>
            """, status: status)
    }
}

/// Failed sign-ins, by user name and by client address: after `limit` failures within
/// `window` seconds, sign-in is refused (429) until the oldest ages out. Kept in memory: a
/// restart forgets them, as it should forget nothing else.
public actor SignInLimiter {
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(limit: Int = 5, window: TimeInterval = 15 * 60) { self.limit = limit; self.window = window }

    /// Seconds to wait, or nil when sign-in may be tried.
    func refusal(user: String, address: String, now: Date = Date()) -> Int? {
        var wait: TimeInterval = 0
        for key in ["u:" + user, "a:" + address] {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent
            // An address may try more names than one name may be tried.
            let max = key.hasPrefix("a:") ? limit * 4 : limit
            if recent.count >= max, let oldest = recent.first { wait = Swift.max(wait, window - now.timeIntervalSince(oldest)) }
        }
        return wait > 0 ? Int(wait.rounded(.up)) : nil
    }

    func failed(user: String, address: String, now: Date = Date()) {
        failures["u:" + user, default: []].append(now)
        failures["a:" + address, default: []].append(now)
        if failures.count > 100_000 { failures.removeAll() }
    }

    func succeeded(user: String) { failures["u:" + user] = nil }
}

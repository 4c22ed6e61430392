import Accounts
import Foundation
import Hummingbird
import Ledger
import LedgerStore
import Policy

/// The API's handlers: decode, call `Accounts` or `PlanCatalogue` off the event loop, encode.
struct Routes: Sendable {
    let accounts: Accounts
    let catalogue: PlanCatalogue
    let workflow: Workflow
    let pages: Pages
    let limiter: SignInLimiter
    let secureCookie: Bool

    struct SignInBody: Decodable, Sendable {
        var user: String
        var password: String
    }

    /// What sign-in answers: who is signed in.
    struct SessionInfo: Codable, Sendable {
        var user: String
        var authority: String
        var role: AccountRole
    }

    /// A line of `GET /api/plans` (DATA.md §9).
    struct PlanSummary: Codable, Sendable {
        var id: String
        var authority: String
        var year: Int
        var status: DocumentStatus
        /// Set once approved (批准文号, yyyy-MM-dd) and filed (备案机关).
        var approvalNumber: String?
        var approvalDate: String?
        var filedTo: String?

        init(_ d: StoredDocument) {
            id = String(d.id); authority = d.authority; year = d.year; status = d.status
            approvalNumber = d.workflow.approvalNumber; approvalDate = d.workflow.approvalDate; filedTo = d.workflow.filedTo
        }
    }

    /// A step of `POST /api/plans/{id}/workflow`.
    struct WorkflowBody: Decodable, Sendable {
        var action: WorkflowAction
        var comment: String?
        var approvalNumber: String?
        var approvalDate: String?
    }

    /// A line of `GET /api/plans/{id}/events`.
    struct EventLine: Codable, Sendable {
        var at: String
        var by: String
        var status: DocumentStatus
        var comment: String
    }

    /// `POST /api/session`: 200 with the session cookie, or 401.
    func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
        let body = try await request.decode(as: SignInBody.self, context: context)
        if await limiter.refusal(user: body.user, address: context.remoteAddress) != nil { throw APIError.tooManySignIns }
        let accounts = self.accounts
        guard let s = try await blocking({ try accounts.signIn(name: body.user, password: body.password) }) else {
            await limiter.failed(user: body.user, address: context.remoteAddress)
            throw APIError.badCredentials
        }
        await limiter.succeeded(user: body.user)
        var response = try WebApp.json(SessionInfo(user: s.account.name, authority: s.account.authority, role: s.account.role))
        response.setCookie(Cookie(name: WebApp.sessionCookie, value: s.token, expires: s.expires, path: "/",
                                  secure: secureCookie, httpOnly: true, sameSite: .strict))
        return response
    }

    /// `DELETE /api/session`: ends the session (if any) and clears the cookie; 204 either way.
    func signOut(_ request: Request, _ context: WebContext) async throws -> Response {
        if let token = request.cookies[WebApp.sessionCookie]?.value {
            let accounts = self.accounts
            try await blocking { try accounts.signOut(token: token) }
        }
        var response = Response(status: .noContent)
        response.setCookie(Cookie(name: WebApp.sessionCookie, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0,
                                  path: "/", secure: secureCookie, httpOnly: true, sameSite: .strict))
        return response
    }

    /// `GET /api/plans`: the plans the session may see, newest first.
    func plans(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let catalogue = self.catalogue
        let list = try await blocking { try catalogue.plans(visibleTo: account) }
        return try WebApp.json(list.map(PlanSummary.init))
    }

    /// `GET /api/plans/{id}`: the plan's `plan.json` as stored; 404 for a plan that does not
    /// exist and for another authority's alike.
    func plan(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let id = context.parameters.get("id", as: Int.self), id > 0 else { throw APIError.noSuchPlan }
        let catalogue = self.catalogue
        guard let data = try await blocking({ try catalogue.planJSON(id: id, visibleTo: account) }) else { throw APIError.noSuchPlan }
        return WebApp.jsonBytes(data)
    }

    /// `GET /api/plans/{id}/events`: the plan's steps, oldest first (who, when, comment).
    func events(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let id = context.parameters.get("id", as: Int.self), id > 0 else { throw APIError.noSuchPlan }
        let catalogue = self.catalogue
        guard let list = try await blocking({ () -> [DocumentEvent]? in
            guard let d = try catalogue.store.db.document(id: id), d.kind == .plan, account.maySee(d) else { return nil }
            return try catalogue.store.db.events(document: id)
        }) else { throw APIError.noSuchPlan }
        return try WebApp.json(list.map { EventLine(at: $0.at, by: $0.by, status: $0.status, comment: $0.comment) })
    }

    /// `POST /api/plans/{id}/workflow`: takes a step (submit, approve, file, return, publish);
    /// 200 with the plan's summary, 403 for a role or authority that may not, 404 for a plan
    /// the session may not see, 409 for a step its status does not allow, 422 for missing
    /// details. JSON only: no cross-site form can send it (with the SameSite cookie).
    func workflow(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else { throw APIError.needsJSON }
        guard let id = context.parameters.get("id", as: Int.self), id > 0 else { throw APIError.noSuchPlan }
        let body = try await request.decode(as: WorkflowBody.self, context: context)
        let workflow = self.workflow
        do {
            let d = try await blocking {
                try workflow.take(body.action, plan: id, by: account,
                                  details: .init(comment: body.comment, approvalNumber: body.approvalNumber, approvalDate: body.approvalDate))
            }
            return try WebApp.json(PlanSummary(d))
        } catch let e as WorkflowError {
            switch e.kind {
            case .notFound: throw APIError.noSuchPlan
            case .forbidden: throw APIError(status: .forbidden, message: e.description)
            case .conflict: throw APIError(status: .conflict, message: e.description)
            case .invalid: throw APIError(status: .unprocessableContent, message: e.description)
            }
        }
    }

    /// `GET /api/public/{authority}/{year}`: the published plan's draw records, no sign-in.
    func publicDraws(_ request: Request, _ context: WebContext) async throws -> Response {
        struct PublicDraws: Encodable {
            var authority: String
            var year: Int
            var plan: String
            var approvalNumber: String?
            var approvalDate: String?
            var seed: String
            var draws: [Pages.Draw]
        }
        do {
            let r = try await pages.publicRecord(context)
            return try WebApp.json(PublicDraws(authority: r.plan.authority, year: r.plan.year, plan: String(r.plan.id),
                                               approvalNumber: r.plan.workflow.approvalNumber, approvalDate: r.plan.workflow.approvalDate,
                                               seed: r.seed, draws: r.draws))
        } catch let e as PageError {
            throw APIError(status: e.status, message: e.message)
        }
    }

    // MARK: - Units, plans made here, jobs

    /// A unit as the API lists it.
    struct UnitLine: Encodable, Sendable {
        var id: String
        var name: String
        var district: String
        var town: String
        var `class`: String
        var tier: String
        var authority: String
        var rules: [String]
    }

    static func unitLine(_ u: LedgerUnit, _ c: Classification) -> UnitLine {
        UnitLine(id: u.id, name: u.name, district: u.district, town: u.town, class: c.unitClass.rawValue, tier: c.tier.rawValue,
                 authority: c.authority, rules: c.unitClass == .key ? c.rules.map(\.rawValue) : [])
    }

    /// `GET /api/units?q=&class=&limit=`: the session's units matching `q` (credit code, name or
    /// town), at most `limit` (1–1000, default 200), and how many matched.
    func units(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        let q = request.uri.queryParameters.get("q") ?? ""
        let classParameter = request.uri.queryParameters.get("class")
        let classText = classParameter ?? ""
        guard classParameter == nil || UnitClass(rawValue: classText) != nil else {
            throw APIError(status: .badRequest, message: "class 应为 key 或 general (class must be key or general)")
        }
        let limitText = request.uri.queryParameters.get("limit")
        guard let limit = limitText.map({ Int($0) }) ?? 200, (1...1000).contains(limit) else {
            throw APIError(status: .badRequest, message: "limit 应为 1–1000 (limit must be 1-1000)")
        }
        let units = pages.units
        let found = try await blocking { try units.search(q, unitClass: UnitClass(rawValue: classText), for: account, limit: limit) }
        struct List: Encodable { var matched: Int; var units: [UnitLine] }
        return try WebApp.json(List(matched: found.matched, units: found.units.map { Self.unitLine($0.unit, $0.class) }))
    }

    /// `GET /api/units/{id}`: one unit of the session's, its class with the rules and their
    /// clauses, and its history; 404 for another's.
    func unit(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let id = context.parameters.get("id") else { throw APIError(status: .notFound, message: "没有这家单位 (no such unit)") }
        let (units, store) = (pages.units, accounts.store)
        struct Change: Encodable { var seq: Int; var effective: String; var field: String; var old: String?; var new: String?; var file: String; var by: String; var consequence: String? }
        struct One: Encodable { var unit: UnitLine; var explanation: String; var history: [Change] }
        guard let one = try await blocking({ () -> One? in
            guard let f = try units.unit(id, for: account) else { return nil }
            let history = try store.history(unit: id).map {
                Change(seq: $0.change.seq, effective: $0.change.effective, field: $0.change.field, old: $0.change.field == "*" ? nil : $0.change.old,
                       new: $0.change.field == "*" ? nil : $0.change.new, file: $0.record.source, by: $0.record.by, consequence: $0.consequence)
            }
            return One(unit: Self.unitLine(f.unit, f.class), explanation: f.class.explanation, history: history)
        }) else { throw APIError(status: .notFound, message: "没有这家单位 (no such unit)") }
        return try WebApp.json(one)
    }

    /// `POST /api/plans` with `{"year": 2027}`: makes the authority's plan from its saved
    /// scenario (the scenario form) in the background; 202 with the job to follow, 409 when
    /// there is no saved scenario with a staff roll for that year.
    func makePlan(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else { throw APIError.needsJSON }
        struct Body: Decodable { var year: Int? }
        let body = try await request.decode(as: Body.self, context: context)
        guard Pages.mayPlan(account) else { throw APIError(status: .forbidden, message: "只有编制人员可以编制计划 (only a planner may make plans)") }
        let year = body.year ?? pages.year
        guard (2000...2100).contains(year) else { throw APIError(status: .unprocessableContent, message: "year 应为 2000–2100 (year must be 2000-2100)") }
        let scenarios = pages.scenarios
        guard let saved = try await blocking({ try scenarios.latest(authority: account.authority, year: year) }), saved.staff != nil else {
            throw APIError(status: .conflict, message: "\(year) 年没有保存的场景与执法人员名录：先在网页“编制场景”中保存 (no saved scenario and staff roll for \(year): save them in the scenario form first)")
        }
        let id = pages.jobs.start(saved, by: account)
        return try WebApp.json(JobLine(pages.jobs.job(id)!), status: .accepted)
    }

    struct JobLine: Encodable, Sendable {
        var id: String
        var stage: String
        var finished: Bool
        var link: String?
        var planID: String?
        var problems: [String]
        var lines: [String]
        init(_ j: PlanJobs.Job) {
            id = String(j.id); stage = j.stage; finished = j.finished; link = j.link; planID = j.planID.map(String.init)
            problems = j.problems; lines = j.lines
        }
    }

    /// `GET /api/jobs/{id}`: a background job of the session's authority: its stage, and once
    /// finished what it made or why it failed.
    func job(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let id = context.parameters.get("id", as: Int.self), let j = pages.jobs.job(id), j.authority == account.authority else {
            throw APIError(status: .notFound, message: "没有这项任务 (no such job)")
        }
        return try WebApp.json(JobLine(j))
    }
}

import Accounts
import Foundation
import Hummingbird
import LedgerStore

/// The API's handlers: decode, call `Accounts` or `PlanCatalogue` off the event loop, encode.
struct Routes: Sendable {
    let accounts: Accounts
    let catalogue: PlanCatalogue
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
    }

    /// `POST /api/session`: 200 with the session cookie, or 401.
    func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
        let body = try await request.decode(as: SignInBody.self, context: context)
        let accounts = self.accounts
        guard let s = try await blocking({ try accounts.signIn(name: body.user, password: body.password) }) else {
            throw APIError.badCredentials
        }
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
        return try WebApp.json(list.map { PlanSummary(id: String($0.id), authority: $0.authority, year: $0.year, status: $0.status) })
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
}

import Accounts
import Foundation
import Hummingbird

/// Turns every error into a JSON body `{"error": "…"}` with its status: never a stack trace,
/// never an empty 500. Unknown errors are logged and answered with a plain 500. A path the API
/// has with another method is 405 with `Allow`, not the router's 404.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as PageError {
            return e.response
        } catch let e as APIError {
            return WebApp.errorResponse(e.status, e.message)
        } catch let e as HTTPError {
            let allowed = WebApp.methods(for: request.uri.path)
            if e.status == .notFound, !allowed.isEmpty, !allowed.contains(request.method) {
                var response = WebApp.errorResponse(.methodNotAllowed, Self.message(.methodNotAllowed, detail: nil))
                response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return response
            }
            if !Self.isAPI(request.uri.path) { return PageError(status: e.status, message: Self.message(e.status, detail: e.body)).response }
            return WebApp.errorResponse(e.status, Self.message(e.status, detail: e.body))
        } catch let e as any HTTPResponseError {
            if !Self.isAPI(request.uri.path) { return PageError(status: e.status, message: Self.message(e.status, detail: nil)).response }
            return WebApp.errorResponse(e.status, Self.message(e.status, detail: nil))
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            let message = "服务器内部错误，详情见服务器日志 (internal server error: see the server's log)"
            if !Self.isAPI(request.uri.path) { return PageError(status: .internalServerError, message: message).response }
            return WebApp.errorResponse(.internalServerError, message)
        }
    }

    /// The JSON API's paths (errors as JSON); the rest are pages (errors as HTML).
    static func isAPI(_ path: String) -> Bool { path == "/api" || path.hasPrefix("/api/") || path == "/openapi.json" }

    static func message(_ status: HTTPResponse.Status, detail: String?) -> String {
        switch status {
        case .notFound: return "没有这个地址 (not found)"
        case .badRequest: return "请求有误 (bad request)" + (detail.map { ": \($0)" } ?? "")
        case .methodNotAllowed: return "不支持该请求方法 (method not allowed)"
        case .contentTooLarge: return "请求内容过大 (request too large)"
        default: return detail ?? status.reasonPhrase
        }
    }
}

/// Every `/api/` route but sign-in (`/api/session`) and the public draw records
/// (`/api/public/…`) needs a session: the account of the
/// session cookie goes into the context, or the answer is 401 (an unknown `/api/` address too,
/// so nothing about the API is told to someone not signed in).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let accounts: Accounts

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == "/api" || path.hasPrefix("/api/"), path != "/api/session", !path.hasPrefix("/api/public/") else {
            return try await next(request, context)
        }
        let accounts = self.accounts
        guard let token = request.cookies[WebApp.sessionCookie]?.value,
              let account = try await blocking({ try accounts.account(token: token) }) else {
            throw APIError.notSignedIn
        }
        var context = context
        context.account = account
        return try await next(request, context)
    }
}

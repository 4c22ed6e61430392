import Foundation
import Hummingbird

/// The OpenAPI 3.0 document of the API (`GET /openapi.json`), written by hand: each route of
/// `WebApp.router` is here with its statuses, and `WebAppTests` checks the two agree.
enum OpenAPI {
    static func response() -> Response { WebApp.jsonBytes(Data(document.utf8)) }

    static let document = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "安全生产分类分级执法计划 · Enforcement planner API",
    "version": "0.1.0",
    "description": "The web application of the enforcement planner (DATA.md §9). Sign in with POST /api/session; the session cookie then opens every other /api/ route. A planner or reviewer sees its own authority's plans, an admin all. Errors are {\"error\": \"…\"} (Chinese, English in parentheses)."
  },
  "servers": [{ "url": "/" }],
  "security": [{ "session": [] }],
  "paths": {
    "/api/session": {
      "post": {
        "operationId": "signIn",
        "summary": "Sign in: a session cookie for the user and password.",
        "security": [],
        "requestBody": {
          "required": true,
          "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SignIn" } } }
        },
        "responses": {
          "200": {
            "description": "Signed in. The session cookie is HttpOnly, SameSite=Strict, Path=/.",
            "headers": { "Set-Cookie": { "description": "planner_session=TOKEN; Expires=…; Path=/; HttpOnly; SameSite=Strict", "schema": { "type": "string" } } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Session" } } }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" }
        }
      },
      "delete": {
        "operationId": "signOut",
        "summary": "Sign out: ends the session, if any, and clears the cookie.",
        "security": [],
        "responses": {
          "204": {
            "description": "Signed out (also when there was no session).",
            "headers": { "Set-Cookie": { "description": "planner_session=; Max-Age=0; …", "schema": { "type": "string" } } }
          }
        }
      }
    },
    "/api/plans": {
      "get": {
        "operationId": "listPlans",
        "summary": "The stored plans the session may see, newest first.",
        "responses": {
          "200": {
            "description": "The plans.",
            "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/PlanSummary" } } } }
          },
          "401": { "$ref": "#/components/responses/Unauthorized" }
        }
      }
    },
    "/api/plans/{id}": {
      "get": {
        "operationId": "getPlan",
        "summary": "A stored plan's plan.json (DATA.md §4), as stored.",
        "parameters": [
          { "name": "id", "in": "path", "required": true, "description": "The plan's id, as GET /api/plans gives it.", "schema": { "type": "string" } }
        ],
        "responses": {
          "200": {
            "description": "The plan.json file.",
            "content": { "application/json": { "schema": { "type": "object", "description": "plan.json, schema enforcement-plan/1 (DATA.md §4)." } } }
          },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openAPI",
        "summary": "This document.",
        "security": [],
        "responses": {
          "200": { "description": "The OpenAPI document.", "content": { "application/json": { "schema": { "type": "object" } } } }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "session": { "type": "apiKey", "in": "cookie", "name": "planner_session" }
    },
    "schemas": {
      "SignIn": {
        "type": "object",
        "required": ["user", "password"],
        "properties": { "user": { "type": "string" }, "password": { "type": "string", "format": "password" } }
      },
      "Session": {
        "type": "object",
        "required": ["user", "authority", "role"],
        "properties": {
          "user": { "type": "string" },
          "authority": { "type": "string", "description": "执法主体名称" },
          "role": { "type": "string", "enum": ["planner", "reviewer", "admin"] }
        }
      },
      "PlanSummary": {
        "type": "object",
        "required": ["id", "authority", "year", "status"],
        "properties": {
          "id": { "type": "string" },
          "authority": { "type": "string" },
          "year": { "type": "integer" },
          "status": { "type": "string", "enum": ["draft", "submitted", "approved", "filed", "published"] }
        }
      },
      "Error": {
        "type": "object",
        "required": ["error"],
        "properties": { "error": { "type": "string" } }
      }
    },
    "responses": {
      "BadRequest": { "description": "The body is not the JSON asked for.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
      "Unauthorized": { "description": "No valid session, or (sign-in) a wrong user or password.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
      "NotFound": { "description": "No such plan, or one of another authority: the two are not told apart.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
    }
  }
}
"""#
}

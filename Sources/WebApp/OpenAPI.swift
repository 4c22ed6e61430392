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
    "description": "The web application of the enforcement planner (DATA.md §9). Sign in with POST /api/session; the session cookie then opens every other /api/ route but /api/public/. A planner or reviewer sees its own authority's plans and those filed with it by the level below, an admin all. Errors are {\"error\": \"…\"} (Chinese, English in parentheses)."
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
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "429": { "$ref": "#/components/responses/TooMany" }
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
      },
      "post": {
        "operationId": "makePlan",
        "summary": "Makes the authority's plan of a year (default: the server's planning year) from the scenario and staff roll saved in the scenario form, in the background. Follow the job at /api/jobs/{id}.",
        "requestBody": {
          "required": true,
          "content": { "application/json": { "schema": { "type": "object", "properties": { "year": { "type": "integer", "minimum": 2000, "maximum": 2100 } } } } }
        },
        "responses": {
          "202": { "description": "Started.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "409": { "description": "No scenario with a staff roll is saved for that year.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
          "415": { "$ref": "#/components/responses/NotJSON" },
          "422": { "$ref": "#/components/responses/Invalid" }
        }
      }
    },
    "/api/jobs/{id}": {
      "get": {
        "operationId": "getJob",
        "summary": "A background job of the session's authority (a plan, roster, re-plan, what-if or staffing): its stage, and once finished what it made or why it failed.",
        "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string" }, "example": "1" } ],
        "responses": {
          "200": { "description": "The job.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/api/units": {
      "get": {
        "operationId": "listUnits",
        "summary": "The session's units (an admin: all; a district bureau: its district's; a town, street or zone office: those it inspects) whose credit code, name or town contains q, of a class.",
        "parameters": [
          { "name": "q", "in": "query", "required": false, "schema": { "type": "string" } },
          { "name": "class", "in": "query", "required": false, "schema": { "type": "string", "enum": ["key", "general"] } },
          { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 1000, "default": 200 } }
        ],
        "responses": {
          "200": { "description": "The units (at most limit) and how many matched.", "content": { "application/json": { "schema": {
            "type": "object", "required": ["matched", "units"],
            "properties": { "matched": { "type": "integer" }, "units": { "type": "array", "items": { "$ref": "#/components/schemas/Unit" } } } } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" }
        }
      }
    },
    "/api/units/{id}": {
      "get": {
        "operationId": "getUnit",
        "summary": "One of the session's units: its class, the rules that make it key, and its change history.",
        "parameters": [ { "name": "id", "in": "path", "required": true, "description": "统一社会信用代码", "schema": { "type": "string" }, "example": "91310115W46KJ7B1R0" } ],
        "responses": {
          "200": { "description": "The unit.", "content": { "application/json": { "schema": {
            "type": "object", "required": ["unit", "explanation", "history"],
            "properties": { "unit": { "$ref": "#/components/schemas/Unit" }, "explanation": { "type": "string" },
                            "history": { "type": "array", "items": { "type": "object" } } } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "404": { "$ref": "#/components/responses/NotFound" }
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
    "/api/plans/{id}/events": {
      "get": {
        "operationId": "planEvents",
        "summary": "A plan's steps (draft, submitted, approved, filed, returned, published): who, when, with what comment, oldest first.",
        "parameters": [ { "$ref": "#/components/parameters/PlanID" } ],
        "responses": {
          "200": {
            "description": "The steps.",
            "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Event" } } } }
          },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/api/plans/{id}/workflow": {
      "post": {
        "operationId": "takeStep",
        "summary": "Takes a step of the plan's approval and filing (PLAN-ANNUAL). submit: its planner (draft to submitted); approve: its reviewer, with the approval document's number and date (submitted to approved); file: its planner (approved to filed, with the level above); return: its reviewer (submitted) or the level above's reviewer or the city admin (filed), with a comment (back to draft); publish: its planner (filed to published).",
        "parameters": [ { "$ref": "#/components/parameters/PlanID" } ],
        "requestBody": {
          "required": true,
          "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Step" } } }
        },
        "responses": {
          "200": { "description": "The plan after the step.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PlanSummary" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" },
          "415": { "$ref": "#/components/responses/NotJSON" },
          "422": { "$ref": "#/components/responses/Invalid" }
        }
      }
    },
    "/api/public/{authority}/{year}": {
      "get": {
        "operationId": "publicDraws",
        "summary": "The random draws (双随机) of an authority's published plan of a year, for anyone to re-run (一公开). No sign-in.",
        "security": [],
        "parameters": [
          { "name": "authority", "in": "path", "required": true, "description": "执法主体名称, e.g. 浦东新区应急管理局.", "schema": { "type": "string" }, "example": "浦东新区应急管理局" },
          { "name": "year", "in": "path", "required": true, "schema": { "type": "integer" }, "example": 2027 }
        ],
        "responses": {
          "200": { "description": "The draw records.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PublicDraws" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
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
          "status": { "type": "string", "enum": ["draft", "submitted", "approved", "filed", "published"] },
          "approvalNumber": { "type": "string", "description": "批准文号, once approved" },
          "approvalDate": { "type": "string", "format": "date" },
          "filedTo": { "type": "string", "description": "备案机关: the authority above, once filed" }
        }
      },
      "Unit": {
        "type": "object",
        "required": ["id", "name", "district", "town", "class", "tier", "authority", "rules"],
        "properties": {
          "id": { "type": "string" }, "name": { "type": "string" }, "district": { "type": "string" }, "town": { "type": "string" },
          "class": { "type": "string", "enum": ["key", "general"] }, "tier": { "type": "string", "enum": ["city", "district", "town", "zone"] },
          "authority": { "type": "string" }, "rules": { "type": "array", "items": { "type": "string" } }
        }
      },
      "Job": {
        "type": "object",
        "required": ["id", "stage", "finished", "problems", "lines"],
        "properties": {
          "id": { "type": "string" }, "stage": { "type": "string" }, "finished": { "type": "boolean" }, "link": { "type": "string" },
          "planID": { "type": "string" }, "problems": { "type": "array", "items": { "type": "string" } }, "lines": { "type": "array", "items": { "type": "string" } }
        }
      },
      "Event": {
        "type": "object",
        "required": ["at", "by", "status", "comment"],
        "properties": {
          "at": { "type": "string" },
          "by": { "type": "string" },
          "status": { "type": "string", "enum": ["draft", "submitted", "approved", "filed", "published"] },
          "comment": { "type": "string" }
        }
      },
      "Step": {
        "type": "object",
        "required": ["action"],
        "properties": {
          "action": { "type": "string", "enum": ["submit", "approve", "file", "return", "publish"] },
          "comment": { "type": "string", "maxLength": 500 },
          "approvalNumber": { "type": "string", "maxLength": 100 },
          "approvalDate": { "type": "string", "format": "date" }
        }
      },
      "Draw": {
        "type": "object",
        "required": ["id"],
        "properties": {
          "id": { "type": "string" }, "month": { "type": "integer" }, "pool": { "type": "string" },
          "pool_size": { "type": "integer" }, "pool_sha256": { "type": "string" }, "k": { "type": "integer" },
          "seed": { "type": "integer" }, "method": { "type": "string" }, "drawn": { "type": "array", "items": { "type": "string" } }
        }
      },
      "PublicDraws": {
        "type": "object",
        "required": ["authority", "year", "plan", "seed", "draws"],
        "properties": {
          "authority": { "type": "string" }, "year": { "type": "integer" }, "plan": { "type": "string" },
          "approvalNumber": { "type": "string" }, "approvalDate": { "type": "string" }, "seed": { "type": "string" },
          "draws": { "type": "array", "items": { "$ref": "#/components/schemas/Draw" } }
        }
      },
      "Error": {
        "type": "object",
        "required": ["error"],
        "properties": { "error": { "type": "string" } }
      }
    },
    "parameters": {
      "PlanID": { "name": "id", "in": "path", "required": true, "description": "The plan's id, as GET /api/plans gives it.", "schema": { "type": "string" }, "example": "1" }
    },
    "responses": {
      "Forbidden": { "description": "The session's role or authority may not take this step.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
      "Conflict": { "description": "The plan's status does not allow this step (now).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
      "NotJSON": { "description": "The body must be application/json.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
      "Invalid": { "description": "A detail the step needs is missing or wrong (approval number and date; a return's comment).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
      "TooMany": { "description": "Too many failed sign-ins: wait (Retry-After).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
      "BadRequest": { "description": "The body is not the JSON asked for.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
      "Unauthorized": { "description": "No valid session, or (sign-in) a wrong user or password.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
      "NotFound": { "description": "No such plan, or one of another authority: the two are not told apart.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
    }
  }
}
"""#
}

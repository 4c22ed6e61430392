import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// Builders for small hand-solvable monthly rosters (year 2026, the official calendar with 调休:
/// 2026-02-14 and 2026-02-28 are makeup Saturdays, 2026-02-15..23 is the Spring Festival,
/// 2026-10-10 is a makeup Saturday). A month's visits are written by hand into a planned
/// document (`RF.plan`), so each test knows exactly which visits the roster must place.
enum RF {
    static let year = 2026
    static let district = "浦东新区"
    static let townA = "陆家嘴街道"
    static let townB = "花木街道"
    static let seed: UInt64 = 20260101

    /// A valid unified social credit code: "91310115MA" + 7 digits + GB 32100 check character.
    static func code(_ n: Int) -> String {
        let body = "91310115MA" + String(format: "%07d", n)
        return body + String(CreditCode.checkCharacter(for: body)!)
    }

    /// A district key unit: a medium machinery unit (KEY-M9; focus specialty `general`), or with
    /// `ammonia`/`dust` a small machinery unit keyed by KEY-M6/KEY-M5.
    static func unit(_ n: Int, town: String = townA, ammonia: Bool = false, dust: Bool = false,
                     latitude: Double? = nil) -> LedgerUnit {
        var u = LedgerUnit(id: code(n), name: "单位\(n)", district: district, town: town, category: .industryTrade,
                           scale: ammonia || dust ? .small : .medium)
        u.activity = .machinery
        u.ammoniaRefrigeration = ammonia
        u.explosiveDust = dust
        u.latitude = latitude
        u.address = "上海市\(district)\(town)测试路\(n)号"
        return u
    }

    /// A general unit: a small commerce unit.
    static func general(_ n: Int, town: String = townA) -> LedgerUnit {
        var u = LedgerUnit(id: code(n), name: "一般\(n)", district: district, town: town, category: .industryTrade, scale: .small)
        u.activity = .commerce
        return u
    }

    static func date(_ s: String) -> CivilDate { CivilDate(s)! }

    /// "2026-03-01" or "2026-03-01..2026-03-08".
    static func span(_ s: String) -> DateSpan { DateSpan(s)! }

    static func officer(_ id: String, leader: Bool = false, certified: Bool = true, unavailable: [String] = [],
                        conflicts: [String] = []) -> StaffMember {
        var m = StaffMember(id: id, name: "执法\(id)", certified: certified)
        m.leader = leader
        m.unavailable = unavailable.map(span)
        m.conflicts = conflicts
        return m
    }

    static func expert(_ id: String, _ specialties: [Specialty], unavailable: [String] = [], conflicts: [String] = []) -> StaffMember {
        var m = StaffMember(id: id, name: "专家\(id)", certified: false)
        m.specialties = specialties
        m.unavailable = unavailable.map(span)
        m.conflicts = conflicts
        return m
    }

    static func scenario(year: Int = year) -> Scenario {
        var s = Scenario(year: year, authority: Authority(name: "浦东新区应急管理局", level: .district, district: district), seed: seed)
        s.joint.visits = 0
        return s
    }

    static func context(_ units: [LedgerUnit], _ staff: [StaffMember], year: Int = year) throws -> PlanContext {
        try PlanContext(scenario: scenario(year: year), ledger: Ledger(units: units), staff: staff,
                        calendar: try WorkCalendar.builtin(year: year))
    }

    /// The same context with another staff roll (for the verifier: a conflict or an absence
    /// the roster did not know about).
    static func context(_ ctx: PlanContext, staff: [StaffMember]) throws -> PlanContext {
        try PlanContext(scenario: ctx.scenario, ledger: Ledger(units: ctx.units), staff: staff, calendar: ctx.calendar)
    }

    /// A planned document of `ctx` whose visits are replaced by `visits` (id, unit, month, kind);
    /// units, policy, authority and seed are the planner's.
    static func plan(_ ctx: PlanContext, _ visits: [(String, String, Int, String)]) throws -> PlanDocument {
        var doc = try AnnualPlanner.plan(ctx, options: WIF.options)
        doc.visits = visits.map { PlanDocument.Visit(id: $0.0, unit: $0.1, month: $0.2, kind: $0.3, campaign: nil, draw: nil) }
        return doc
    }

    static let focus: FocusCatalogue = try! FocusCatalogue.load(path: FocusCatalogue.defaultPath())

    static func roster(_ plan: PlanDocument, _ ctx: PlanContext, experts: [StaffMember] = [], month: Int,
                       history: RosterHistory = RosterHistory()) throws -> RosterDocument {
        try RosterPlanner.roster(RosterContext(plan: plan, ctx: ctx, experts: experts, focus: focus), month: month, history: history)
    }

    static func failing(_ r: RosterDocument, _ plan: PlanDocument?, _ ctx: PlanContext, _ experts: [StaffMember]) -> [String: String] {
        var out: [String: String] = [:]
        for c in RosterVerifier.checks(r, plan: plan, ctx: ctx, experts: experts) where !c.pass { out[c.rule] = c.message }
        return out
    }

    /// Visits per officer in a roster.
    static func load(_ r: RosterDocument) -> [String: Int] {
        var out: [String: Int] = [:]
        for a in r.assignments { for o in a.team { out[o, default: 0] += 1 } }
        return out
    }

    /// Byte image of a roster with the solver's timings zeroed.
    static func bytesWithoutTimings(_ r: RosterDocument) throws -> Data {
        var r = r
        r.solver.seconds = 0
        for i in r.solver.stages.indices { r.solver.stages[i].seconds = 0 }
        return try r.json()
    }
}

extension RosterDocument {
    func assignment(_ visit: String) -> Assignment? { assignments.first { $0.visit == visit } }
    func unassignedReason(_ visit: String) -> String? { unassigned.first { $0.visit == visit }?.reason }
    func rosterDraw(_ id: String) -> Draw? { draws.first { $0.id == id } }
}

extension XCTestCase {
    /// The roster verifier fails exactly `failing`; and whatever the verifier says, the contract's
    /// structural invariants hold: every visit of the month exactly once in assignments ∪
    /// unassigned, unassigned reasons non-empty, teams of certified officers with the leader
    /// first, experts apart.
    func assertRoster(_ r: RosterDocument, plan: PlanDocument, ctx: PlanContext, experts: [StaffMember],
                      failing expected: Set<String>? = nil, file: StaticString = #filePath, line: UInt = #line) {
        // Visits the roster could not assign are a shortfall it states: PLAN-DECOMPOSE fails then.
        let failing = expected ?? (r.unassigned.isEmpty ? [] : ["PLAN-DECOMPOSE"])
        let checks = RosterVerifier.checks(r, plan: plan, ctx: ctx, experts: experts)
        XCTAssertEqual(Set(checks.map { $0.rule }),
                       ["SITE-TEAM", "FREQ-KEY-COVER", "AVOIDANCE", "AVAILABILITY", "LOAD", "PLAN-DECOMPOSE", "FREQ-GENERAL-RANDOM"],
                       file: file, line: line)
        let failed = Set(checks.filter { !$0.pass }.map { $0.rule })
        XCTAssertEqual(failed, failing, checks.filter { !$0.pass }.map { "\($0.rule): \($0.message)" }.joined(separator: " | "),
                       file: file, line: line)
        XCTAssertEqual(r.schema, "enforcement-roster/1", file: file, line: line)
        // Solved to the end: proven optimal, or within the roster's gap tolerance (never stopped
        // by the time limit).
        XCTAssertTrue([SolverState.optimal, .withinGap].map(\.rawValue).contains(r.solver.status),
                      "roster solver status \(r.solver.status)", file: file, line: line)
        XCTAssertEqual(r.seed, plan.seed, file: file, line: line)
        let listed = r.assignments.map { $0.visit } + r.unassigned.map { $0.visit }
        XCTAssertEqual(listed.sorted(), plan.visits.filter { $0.month == r.month }.map { $0.id }.sorted(),
                       "every visit of the month once", file: file, line: line)
        for u in r.unassigned { XCTAssertFalse(u.reason.isEmpty, "\(u.visit) unassigned without a reason", file: file, line: line) }
        for s in r.expertShortfalls { XCTAssertFalse(s.reason.isEmpty, "\(s.visit) shortfall without a reason", file: file, line: line) }
        let officers = Set(ctx.staff.filter { $0.certified }.map { $0.id })
        let expertIds = Set(experts.map { $0.id })
        for a in r.assignments {
            XCTAssertEqual(a.team.first, a.leader, "\(a.visit): leader first", file: file, line: line)
            XCTAssertTrue(Set(a.team).isSubset(of: officers), "\(a.visit): team \(a.team)", file: file, line: line)
            XCTAssertTrue(Set(a.experts).isSubset(of: expertIds), "\(a.visit): experts \(a.experts)", file: file, line: line)
            XCTAssertFalse(a.trip.isEmpty, file: file, line: line)
        }
    }
}

import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// Builders for small hand-solvable annual plans (year 2026: the official calendar, 248
/// workdays, months 21,16,22,21,19,21,23,21,22,18,21,23) and the checks every solved plan
/// goes through.
enum PT {
    static let year = 2026
    static let district = "浦东新区"
    static let town = "陆家嘴街道"
    static let otherTown = "花木街道"
    static let seed: UInt64 = 20260101
    static let workdaysPerMonth2026 = [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23]

    /// A valid unified social credit code: "91310115MA" + 7 digits + GB 32100 check character.
    static func code(_ n: Int) -> String {
        let body = "91310115MA" + String(format: "%07d", n)
        return body + String(CreditCode.checkCharacter(for: body)!)
    }

    /// A key unit of the district: a medium industry-and-trade (machinery) unit (KEY-M9) with the
    /// risk level stated; `increase` adds a fatal accident in 2025 (KEY-D2 → FREQ-INCREASE, 2 visits).
    static func key(_ n: Int, _ risk: RiskLevel, increase: Bool = false, district: String = district,
                    town: String = town) -> LedgerUnit {
        var u = LedgerUnit(id: code(n), name: "重点\(n)", district: district, town: town, category: .industryTrade, scale: .medium)
        u.activity = .machinery
        u.riskLevel = risk
        if increase { u.lastFatalAccident = CivilDate(year: 2025, month: 6, day: 12)! }
        return u
    }

    /// A general unit: a small industry-and-trade unit, industrial (machinery) or not (commerce).
    static func general(_ n: Int, industrial: Bool = false, town: String = town, district: String = district) -> LedgerUnit {
        var u = LedgerUnit(id: code(n), name: "一般\(n)", district: district, town: town, category: .industryTrade, scale: .small)
        u.activity = industrial ? .machinery : .commerce
        return u
    }

    static func staff(_ n: Int) -> [StaffMember] {
        (0..<n).map { StaffMember(id: String(format: "E%03d", $0 + 1), name: "执法\($0 + 1)", certified: true) }
    }

    /// A district scenario of 2026 whose inspection workdays are `inspection` person-days for
    /// `officers` certified officers (the rest deducted as other enforcement work). No joint
    /// check unless a test asks for one.
    static func districtScenario(inspection: Double, officers: Int = 1) -> Scenario {
        var s = Scenario(year: year, authority: Authority(name: "浦东新区应急管理局", level: .district, district: district), seed: seed)
        s.workdays.otherEnforcement = [WorkdayItem(name: nil, days: Double(officers * 248) - inspection)]
        s.joint.visits = 0
        return s
    }

    static func townScenario(inspection: Double, officers: Int = 1) -> Scenario {
        var s = Scenario(year: year, authority: Authority(name: "陆家嘴街道办事处", level: .town, district: district, town: town), seed: seed)
        s.workdays.otherEnforcement = [WorkdayItem(name: nil, days: Double(officers * 248) - inspection)]
        s.delegation.towns = .only([town])
        return s
    }

    static func context(_ s: Scenario, _ units: [LedgerUnit], officers: Int = 1, staff: [StaffMember]? = nil) throws -> PlanContext {
        try PlanContext(scenario: s, ledger: Ledger(units: units), staff: staff ?? PT.staff(officers),
                        calendar: try WorkCalendar.builtin(year: s.year))
    }

    static func plan(_ s: Scenario, _ units: [LedgerUnit], officers: Int = 1, staff: [StaffMember]? = nil) throws -> (PlanDocument, PlanContext) {
        let ctx = try context(s, units, officers: officers, staff: staff)
        return (try AnnualPlanner.plan(ctx, options: WIF.options), ctx)
    }

    static func campaign(_ name: String, months: [Int], field: String, values: [String], visits: Int) -> Campaign {
        Campaign(name: name, months: months, match: [try! FieldMatch.make(field: field, values: values).get()], visits: visits)
    }
}

extension PlanDocument {
    func visits(kind: String) -> [Visit] { visits.filter { $0.kind == kind } }
    func check(_ rule: String) -> RuleCheck? { checks.first { $0.rule == rule } }
    /// Visits per month, January first.
    var visitsPerMonth: [Int] { (1...12).map { m in visits.filter { $0.month == m }.count } }
    var unitsById: [String: Unit] { Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
    /// Visits of kind `key` per unit.
    var keyVisitsPerUnit: [String: Int] {
        var out: [String: Int] = [:]
        for v in visits where v.kind == "key" { out[v.unit, default: 0] += 1 }
        return out
    }
    var visitsPerUnit: [String: Int] {
        var out: [String: Int] = [:]
        for v in visits { out[v.unit, default: 0] += 1 }
        return out
    }
}

extension XCTestCase {
    /// Re-checks `doc` with the independent verifier (given the context, so campaign matches and
    /// classification are re-derived from the ledger) and asserts that exactly the rules in
    /// `failing` fail; also that the planner's own verdicts agree, that the stated metrics and
    /// monthly figures are the visits' own, and that `compliant` says the same.
    func assertVerified(_ doc: PlanDocument, _ ctx: PlanContext, failing: Set<String> = [], planned: Bool = true,
                        file: StaticString = #filePath, line: UInt = #line) {
        let checks = PlanVerifier.checks(doc, context: ctx)
        let failed = Set(checks.filter { !$0.pass }.map { $0.rule })
        XCTAssertEqual(failed, failing, "failing rules: " + checks.filter { !$0.pass }.map { "\($0.rule): \($0.message)" }.joined(separator: " | "),
                       file: file, line: line)
        for c in checks where !c.pass && c.shortfall > 0 {
            XCTAssertNotNil(c.fix, "\(c.rule) is short without a fix text", file: file, line: line)
        }
        XCTAssertEqual(PlanVerifier.metricDifferences(doc), [], file: file, line: line)
        if planned {
            // The planner's own verdicts (written without the scenario) say the same.
            XCTAssertEqual(Set(doc.checks.filter { !$0.pass }.map { $0.rule }), failing, "doc.checks", file: file, line: line)
            XCTAssertEqual(doc.compliant, failing.isEmpty, file: file, line: line)
            XCTAssertEqual(doc.solver.stages.count, 3, file: file, line: line)
            XCTAssertEqual(doc.solver.status, "optimal", file: file, line: line)
        }
    }

    /// Re-runs every draw in order with the published method, as the verifier defines its pool
    /// (the authority's general units not drawn earlier in the year; industrial ones for the joint
    /// check), and points each draw's visits at its drawn units. Keeps the draws consistent after
    /// an edit changed an earlier draw.
    func redraw(_ doc: inout PlanDocument) throws {
        let general = doc.units.filter { $0.ownUnit && $0.class == "general" }
        var earlier = Set<String>()
        // The planner's order (models/README.md, Placement.draw): the joint check first, then
        // random draws by month; a pool leaves out units its other visits already bring to the cap.
        var other: [String: Int] = [:]
        for v in doc.visits where v.kind != "random" && v.kind != "joint" { other[v.unit, default: 0] += 1 }
        func key(_ d: PlanDocument.Draw) -> (Int, Int) { (d.pool == "industrial" ? 0 : 1, d.month) }
        for i in doc.draws.indices.sorted(by: { key(doc.draws[$0]) < key(doc.draws[$1]) }) {
            let d = doc.draws[i]
            let pool = general.filter { !earlier.contains($0.id) && other[$0.id, default: 0] < doc.policy.maxVisitsPerUnit
                && (d.pool != "industrial" || PlanVerifier.isIndustrial($0)) }
            let r = try RandomDraw.draw(seed: d.seed, id: d.id, pool: pool.map { DrawMember(id: $0.id, weight: $0.drawWeight) }, k: d.k)
            doc.draws[i].poolSize = r.poolSize
            doc.draws[i].poolSha256 = r.poolSHA256
            doc.draws[i].drawn = r.drawn
            let slots = doc.visits.indices.filter { doc.visits[$0].draw == d.id }
            XCTAssertEqual(slots.count, r.drawn.count, d.id)
            for (s, u) in zip(slots, r.drawn) { doc.visits[s].unit = u }
            earlier.formUnion(r.drawn)
        }
    }
}

import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
import Synthetic

/// plan.json and roster JSON are written by `JSONStream` (Planning/PlanJSON.swift), not
/// JSONEncoder: the bytes must be JSONEncoder's (`encoderJSON()`, snake-case keys, sorted,
/// pretty-printed, "/" unescaped) on realistic documents and on every optional and edge value.
final class PlanJSONTests: XCTestCase {
    /// A generated 600-unit district planned, verified, then a roster of its first month.
    static let solved: Result<(PlanDocument, RosterDocument), Error> = Result {
        let dir = NSTemporaryDirectory() + "plan-json-tests-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Generator.district(ShanghaiGeography.district(named: "浦东新区")!, units: 600, seed: 3, year: 2027).write(to: dir)
        let scenario = try ScenarioLoader.load(path: dir + "/scenario.yaml")
        let rctx = try RosterContext.load(plan: try AnnualPlanner.plan(try PlanContext.load(scenario: scenario, ledgers: .files)), scenario: scenario, ledgers: .files)
        let plan = rctx.plan
        // Re-checked by the independent verifier: the same verdicts as the planner's own.
        let again = PlanVerifier.checks(plan, context: rctx.ctx)
        guard again.map({ $0.pass }) == plan.checks.map({ $0.pass }), PlanVerifier.metricDifferences(plan).isEmpty else {
            throw NSError(domain: "PlanJSONTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "verifier disagrees with the planner"])
        }
        let month = (1...12).first { m in plan.visits.contains { $0.month == m } } ?? 1
        let roster = try RosterPlanner.roster(rctx, month: month)
        let rosterChecks = RosterVerifier.checks(roster, plan: plan, ctx: rctx.ctx, experts: rctx.experts)
        guard rosterChecks.allSatisfy({ $0.pass }) else {
            throw NSError(domain: "PlanJSONTests", code: 2, userInfo: [NSLocalizedDescriptionKey: "roster fails \(rosterChecks.filter { !$0.pass }.map { $0.rule })"])
        }
        return (plan, roster)
    }

    static let edgeStrings = ["a/b\\c", "say \"hi\"", "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f}\u{7f}", "中文\u{2028}\u{2029}😀",
                              "e\u{301}", "", " ", "</script>", "1.0", NSString(string: "桥接 \"ns\"/x") as String]
    static let edgeNumbers: [Double] = [0, -0.0, 1, -1, 1.5, 1e-5, 2.5e-7, 0.0001, 0.1 + 0.2, 0.0026991410000000004, 100, 1e15, -1e15,
                                        999_999_999_999_999, 1e15 + 1, 9_007_199_254_740_992, 1e16, 1e20, 1.2345678901234568e17,
                                        5e-324, .leastNormalMagnitude, .greatestFiniteMagnitude, -6.6000000000000005, 123456.789, 2e-4]

    func assertSameBytes(_ plan: PlanDocument, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fast = try plan.json(), reference = try plan.encoderJSON()
        XCTAssertEqual(fast, reference, "\(what): \(difference(fast, reference))", file: file, line: line)
        let path = NSTemporaryDirectory() + "plan-json-\(UUID().uuidString).json"
        defer { unlink(path) }
        try plan.writeJSON(to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), reference, "\(what): writeJSON", file: file, line: line)
    }

    func testPlanJSONIsJSONEncodersBytes() throws {
        let (plan, _) = try Self.solved.get()
        XCTAssertGreaterThan(plan.units.count, 500)
        XCTAssertFalse(plan.draws.isEmpty)
        try assertSameBytes(plan, "generated plan")
        // Read back, the same document.
        XCTAssertEqual(try PlanDocument.decode(data: try plan.json()).json(), try plan.json())
    }

    /// Every optional present and absent, empty arrays and dictionaries, strings that need
    /// escaping, numbers at the edges of Swift's and JSONEncoder's printing.
    func testEveryOptionalAndEdgeValueIsJSONEncodersBytes() throws {
        let (base, _) = try Self.solved.get()
        var p = base
        p.authority.town = "陆家嘴街道"; p.authority.zone = "张江/科学城"; p.authority.district = nil
        p.ledgerWarnings = [PlanDocument.LedgerWarning(unit: "U1", row: 7, column: "scale", rule: "KEY-M9", message: "可能为\"重点\""),
                            PlanDocument.LedgerWarning(unit: "U2", row: nil, column: "risk_level", rule: "KEY-RED", message: "")]
        p.previousPlan = PlanDocument.PreviousPlan(sha256: String(repeating: "ab", count: 32), fromMonth: 4, keptMonths: [1, 2, 3])
        if !p.units.isEmpty { p.units[0].closed = true; p.units[0].exemption = "豁免"; p.units[0].activity = nil; p.units[0].rules = [] }
        if p.units.count > 1 { p.units[1].closed = false }
        if !p.draws.isEmpty { p.draws[0].pinned = true; p.draws[0].drawn = [] }
        if p.draws.count > 1 { p.draws[1].pinned = false }
        if !p.checks.isEmpty { p.checks[0].fix = "增加\\执法人员/n"; p.checks[0].pass = false }
        p.policy.campaigns.append(PlanDocument.CampaignInfo(name: "空", months: [], visits: 0, eligible: 0, match: [:]))
        p.policy.campaigns.append(PlanDocument.CampaignInfo(name: "多", months: [12], visits: 1, eligible: 2,
                                                            match: ["zeta": ["1"], "Alpha": [], "a_b": ["x", "y"], "a-b": ["/"], "z10": [], "z2": [], "类别": ["中"]]))
        p.policy.jointMonths = []
        p.workdays.otherEnforcementItems = []
        p.solver.stages = []
        try assertSameBytes(p, "optionals and empties")

        for (i, s) in Self.edgeStrings.enumerated() {
            var q = base
            q.authority.name = s
            if !q.units.isEmpty { q.units[0].name = s; q.units[0].activity = s; q.units[0].rules = [s, s] }
            if !q.visits.isEmpty { q.visits[0].campaign = s; q.visits[0].draw = s }
            q.workdays.calendarSource = s
            q.policy.campaigns.append(PlanDocument.CampaignInfo(name: s, months: [1], visits: 1, eligible: 1, match: [s: [s]]))
            try assertSameBytes(q, "edge string \(i) \(s.debugDescription)")
        }
        for x in Self.edgeNumbers {
            var q = base
            q.metrics.keyShare = x; q.solver.seconds = x; q.solver.objective = -x; q.workdays.gross = x
            if !q.units.isEmpty { q.units[0].drawWeight = x }
            if !q.months.isEmpty { q.months[0].effortTeamDays = x }
            q.seed = UInt64.max
            try assertSameBytes(q, "edge number \(x)")
        }
        // Random doubles: Swift's shortest form, whatever the magnitude.
        var q = base
        var state: UInt64 = 11
        q.units = (0..<2000).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var u = base.units[i % base.units.count]
            u.drawWeight = Double(bitPattern: state >> 2 | 0x3000_0000_0000_0000) * (i % 2 == 0 ? 1 : -1)
            if i % 3 == 0 { u.drawWeight = Double(Int64(bitPattern: state) >> Int64(i % 60)) }
            if i % 5 == 0 { u.drawWeight = Double(i) / 7 }
            return u
        }
        try assertSameBytes(q, "random doubles")
    }

    /// A number JSON cannot hold: the error JSONEncoder gives, not a file.
    func testANonFiniteNumberIsJSONEncodersError() throws {
        var p = try Self.solved.get().0
        p.metrics.keyShare = .nan
        XCTAssertThrowsError(try p.json()) { XCTAssertTrue($0 is EncodingError, "\($0)") }
        let path = NSTemporaryDirectory() + "plan-json-nan-\(UUID().uuidString).json"
        XCTAssertThrowsError(try p.writeJSON(to: path)) { XCTAssertTrue($0 is EncodingError, "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "nothing written")
    }

    func testRosterJSONIsJSONEncodersBytes() throws {
        let (_, roster) = try Self.solved.get()
        XCTAssertFalse(roster.assignments.isEmpty)
        XCTAssertEqual(try roster.json(), try roster.encoderJSON())
        var r = roster
        r.unassigned = [RosterDocument.Unassigned(visit: "V1", reason: "无\"人\"/n")]
        r.expertShortfalls = []
        r.draws = []
        r.days = []
        if !r.assignments.isEmpty { r.assignments[0].experts = []; r.assignments[0].draw = "D/1"; r.assignments[0].campaign = "专项\n" }
        r.authority.town = "t"
        XCTAssertEqual(try r.json(), try r.encoderJSON())
        XCTAssertEqual(try RosterDocument.decode(data: try roster.json()).json(), try roster.json())
    }

    private func difference(_ a: Data, _ b: Data) -> String {
        let x = [UInt8](a), y = [UInt8](b)
        let i = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        let lo = max(0, i - 80)
        return "first difference at byte \(i) of \(x.count)/\(y.count): new …\(String(decoding: x[lo..<min(x.count, i + 80)], as: UTF8.self))… "
            + "JSONEncoder …\(String(decoding: y[lo..<min(y.count, i + 80)], as: UTF8.self))…"
    }
}

import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// plan.json keeps its strings; the code reads them as Policy's types. A value the vocabulary
/// does not know is read, not rejected: the verifier names it under PLAN-FORMAT.
final class VerifierVocabularyTests: XCTestCase {
    func testTypedViewsOfAPlan() throws {
        let (doc, _) = try VerifierBrokenPlanTests.slackPlan()
        XCTAssertTrue(doc.visits.allSatisfy { $0.visitKind?.rawValue == $0.kind })
        XCTAssertTrue(doc.draws.allSatisfy { $0.drawPool?.rawValue == $0.pool })
        XCTAssertTrue(doc.units.allSatisfy { $0.unitClass?.rawValue == $0.class })
        XCTAssertTrue(doc.checks.allSatisfy { $0.ruleID?.rawValue == $0.rule && $0.shortfallUnit?.rawValue == $0.unit })
        // Every line the planner wrote carries its finding, worded as the file keeps it.
        for c in doc.checks {
            let f = try XCTUnwrap(c.finding, c.rule)
            XCTAssertEqual(f.message(.zh), c.message)
            XCTAssertEqual(f.fix(.zh), c.fix)
        }
        // The finding is not in the file: the JSON round-trips to the same checks.
        let again = try PlanDocument.decode(data: try doc.json())
        XCTAssertEqual(again.checks, doc.checks)
        XCTAssertTrue(again.checks.allSatisfy { $0.finding == nil })
        XCTAssertEqual(try again.json(), try doc.json())
    }

    /// A kind, a pool or a class plan.json does not define decodes, and `planner verify` names it
    /// (PLAN-FORMAT) instead of failing to read the file or trapping.
    func testUnknownValuesInTheFileAreFormatProblems() throws {
        let (doc, _) = try VerifierBrokenPlanTests.slackPlan()
        var text = String(decoding: try doc.json(), as: UTF8.self)
        let draw = try XCTUnwrap(doc.draws.first)
        text = text.replacingOccurrences(of: "\"kind\" : \"key\"", with: "\"kind\" : \"favour\"")
        text = text.replacingOccurrences(of: "\"pool\" : \"\(draw.pool)\"", with: "\"pool\" : \"friends\"")
        let tampered = try PlanDocument.decode(data: Data(text.utf8))
        XCTAssertTrue(tampered.visits.contains { $0.kind == "favour" && $0.visitKind == nil })
        XCTAssertTrue(tampered.draws.contains { $0.pool == "friends" && $0.drawPool == nil })
        let v = PlanVerifier.verify(tampered)
        XCTAssertFalse(v.pass)
        XCTAssertTrue(v.formatProblems.contains { $0.zh.hasSuffix("= \"favour\"：应为 key、special、random、joint 或 triggered") }, "\(v.formatProblems)")
        XCTAssertTrue(v.formatProblems.contains { $0.en.hasSuffix("= \"favour\": expected key, special, random, joint or triggered") }, "\(v.formatProblems)")
        XCTAssertTrue(v.drawProblems.contains { $0.en.contains("unknown pool \"friends\" (expected general or industrial)") }, "\(v.drawProblems)")
        XCTAssertEqual(v.checks.first?.ruleID, .format)
        XCTAssertFalse(v.checks.first?.pass ?? true)
    }

    /// The verifier measures from the visits, not from the figures the plan states: a plan that
    /// overstates its key share still fails PLAN-SHARE60 on the visits it lists.
    func testTheVerifierCountsTheVisitsNotTheStatedMetrics() throws {
        let (doc, _) = try VerifierBrokenPlanTests.slackPlan()
        var t = doc
        for i in t.visits.indices where t.visits[i].visitKind == .key { t.visits[i].kind = VisitKind.triggered.rawValue }
        t.metrics.keyShare = 1
        let v = PlanVerifier.verify(t)
        XCTAssertFalse(v.metricDifferences.isEmpty)
        let cover = try XCTUnwrap(v.checks.first { $0.ruleID == .keyCover })
        XCTAssertFalse(cover.pass)
        guard case .keyCover(let covered, _, let missing, _, _)? = cover.finding else { return XCTFail("\(String(describing: cover.finding))") }
        XCTAssertEqual(covered, 0)
        XCTAssertEqual(missing, doc.units.filter { $0.ownUnit && $0.isKey }.reduce(0) { $0 + max(1, $1.requiredVisits) })
    }
}

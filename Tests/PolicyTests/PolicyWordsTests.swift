import Foundation
import XCTest
@testable import Policy

/// The policy's words quoted in the plan document's 编制依据 are the policy's, character for
/// character (docs/seed-policy-zh.txt, the policy as published), each under the clause it is in.
final class PolicyWordsTests: XCTestCase {
    static let policy: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/seed-policy-zh.txt")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The text of clause `（三）` of part `三、`: from its heading to the next clause.
    func clauseText(_ clause: String) throws -> String {
        // 三(一)1, 三(一)除特殊情况外1, 五(十二), 四(五): the part's clause number in full-width brackets.
        let inner = try XCTUnwrap(clause.firstIndex(of: "(").flatMap { open in clause.firstIndex(of: ")").map { clause[clause.index(after: open)..<$0] } })
        let p = Self.policy
        let start = try XCTUnwrap(p.range(of: "（\(inner)）"), "clause （\(inner)） in the policy")
        let rest = p[start.upperBound...]
        let end = rest.range(of: "\n（")?.lowerBound ?? rest.range(of: "\n[bookmark")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    func testTheQuotedPolicyIsThere() {
        XCTAssertGreaterThan(Self.policy.count, 4000, "docs/seed-policy-zh.txt read")
    }

    func testEveryRuleWithAClauseHasWordsFoundVerbatimUnderThatClause() throws {
        let ids = RuleID.allCases.filter { $0.isPolicyRule }.map { $0.rawValue } + KeyRule.allCases.map { $0.rawValue }
        XCTAssertGreaterThan(ids.count, 20)
        for id in ids {
            let words = try XCTUnwrap(RuleCatalogue.policyWords(id), "\(id) has the policy's words")
            let clause = try XCTUnwrap(RuleCatalogue.clause(id), id)
            XCTAssertTrue(try clauseText(clause).contains(words), "\(id)'s words are in clause \(clause) verbatim: \(words)")
        }
    }

    func testKeyRulesQuoteTheirOwnListItem() throws {
        // KEY-M rules come from the list after 应当纳入, KEY-D rules from the one after 除特殊情况外.
        let mandatory = try XCTUnwrap(Self.policy.range(of: "有下列情形之一的，应当纳入重点检查单位："))
        let discretionary = try XCTUnwrap(Self.policy.range(of: "有下列情形之一的，除特殊情况外，一般应当纳入重点检查单位："))
        for r in KeyRule.allCases where r != .city {
            let words = try XCTUnwrap(RuleCatalogue.policyWords(r.rawValue))
            let list = r.isDefault ? Self.policy[discretionary.upperBound...] : Self.policy[mandatory.upperBound..<discretionary.lowerBound]
            let line = String(list.prefix { $0 != "\n" })
            XCTAssertTrue(line.contains(words), "\(r.rawValue): \(words) in \(line)")
            XCTAssertTrue(words.hasPrefix("\(r.rawValue.last!)."), "\(r.rawValue) quotes item \(r.rawValue.last!)")
            XCTAssertTrue(words.contains(r.title(.zh)), "\(r.rawValue): the title is the policy's words")
        }
        XCTAssertNil(RuleCatalogue.policyWords("SOLVER"), "the verifier's own lines have no clause")
    }
}

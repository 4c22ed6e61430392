import Foundation
import Ledger
import Planning
import Policy

/// The verifier's verdicts as people read them, in Chinese or English: the verifier measures
/// (`Finding`, `Phrase`), this words and lays out (`planner verify`, the plan's summary and
/// workbook). A check read from plan.json keeps its stored (Chinese) words.
public enum VerdictText {
    /// A finding's message in `lang`.
    public static func message(_ finding: Finding, _ lang: Lang) -> String { finding.message(lang) }

    /// What would make the rule pass, in `lang`; nil when nothing is to be done.
    public static func fix(_ finding: Finding, _ lang: Lang) -> String? { finding.fix(lang) }

    /// The checks with messages and fixes in `lang` (those with a finding).
    public static func checks(_ checks: [PlanDocument.RuleCheck], _ lang: Lang) -> [PlanDocument.RuleCheck] {
        checks.map { $0.rendered(lang) }
    }

    /// Problems the verifier names, in `lang`.
    public static func problems(_ problems: [Phrase], _ lang: Lang) -> [String] { problems.map { $0.text(lang) } }

    /// `planner verify` of a plan: the rule table, then each failing rule with its message and
    /// fix, then each stated figure that differs from the visits.
    public static func plan(_ verdict: PlanVerifier.Verdict, _ lang: Lang) -> String {
        let lines = checks(verdict.checks, lang)
        let fail = PlanReport.verdict(pass: false, lang)
        return PlanReport.checkTable(lines, lang)
            + PlanReport.failureLines(lines, lang, prefix: "  \(fail) ")
            + verdict.metricDifferences.map { "  \(fail) \($0.text(lang))\n" }.joined()
    }

    /// `planner verify` of a roster: one wrapped line per rule, its verdict, ID and message.
    public static func roster(_ checks: [PlanDocument.RuleCheck], _ lang: Lang) -> String {
        Self.checks(checks, lang).map { c in
            TextTable.wrapNote(c.message, indent: "\(PlanReport.verdict(pass: c.pass, lang)) \(c.rule): ")
        }.joined()
    }

    /// The closing line: every rule passes, or some fail.
    public static func conclusion(pass: Bool, _ lang: Lang) -> String {
        pass ? (lang == .zh ? "\n全部规则通过。" : "\nAll rules pass.") : (lang == .zh ? "\n存在未通过的规则。" : "\nSome rules fail.")
    }
}

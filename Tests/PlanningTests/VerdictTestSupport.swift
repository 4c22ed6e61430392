import Ledger
import Policy
import Planning

/// A verdict read in one language: the verifier's findings and problems worded as `planner
/// verify --lang` prints them, for tests that check the words.
struct ReadVerdict {
    let verdict: PlanVerifier.Verdict
    let lang: Lang

    var checks: [PlanDocument.RuleCheck] { verdict.checks.map { $0.rendered(lang) } }
    var formatProblems: [String] { verdict.formatProblems.text(lang) }
    var drawProblems: [String] { verdict.drawProblems.text(lang) }
    var scenarioProblems: [String] { verdict.scenarioProblems.text(lang) }
    var metricDifferences: [String] { verdict.metricDifferences.text(lang) }
    var statedDifferences: [String] { verdict.statedDifferences.text(lang) }
    var integrityProblems: [String] { verdict.integrityProblems.text(lang) }
    var pass: Bool { verdict.pass }
    var genuine: Bool { verdict.genuine }
}

extension PlanVerifier.Verdict {
    /// The verdict worded in `lang` (Chinese by default, as plan.json).
    func read(_ lang: Lang = .zh) -> ReadVerdict { ReadVerdict(verdict: self, lang: lang) }
}

extension Array where Element == PlanDocument.RuleCheck {
    /// The checks worded in `lang`.
    func rendered(_ lang: Lang) -> [PlanDocument.RuleCheck] { map { $0.rendered(lang) } }
}

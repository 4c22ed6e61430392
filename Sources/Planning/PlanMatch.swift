import Foundation
import Ledger

/// Does a plan belong to a scenario? `planner roster` and `planner replan` take both; a plan of
/// another authority, year or seed, or of another ledger, is refused (bad input) naming what
/// disagrees — instead of a roster whose every visit is "不在台账中".
public enum PlanMatch {
    /// Whether more than half of the units a plan visits may be missing from the ledger before the
    /// ledger is taken for another one. A few missing units are units closed since the plan was
    /// made: a roster lists their visits as unassigned, a re-plan drops them.
    public static let missingShareLimit = 0.5

    /// What disagrees, each naming the plan's and the scenario's value (empty when they match).
    public static func problems(plan: PlanDocument, planPath: String, scenario: Scenario, scenarioPath: String,
                                ledgerUnits: Set<String>) -> [InputProblem] {
        var out: [InputProblem] = []
        let both = "计划 \(planPath) 与场景 \(scenarioPath) "
        let bothEn = "plan \(planPath) and scenario \(scenarioPath) "
        if plan.authority.name != scenario.authority.name {
            out.append(InputProblem(file: planPath, column: "authority.name", value: plan.authority.name,
                message: both + "的执法主体不一致：计划为「\(plan.authority.name)」，场景为「\(scenario.authority.name)」"
                    + " (" + bothEn + "disagree on the authority: \(plan.authority.name) vs \(scenario.authority.name))"))
        }
        if plan.year != scenario.year {
            out.append(InputProblem(file: planPath, column: "year", value: String(plan.year),
                message: both + "的年度不一致：计划为\(plan.year)年，场景为\(scenario.year)年"
                    + " (" + bothEn + "disagree on the year: \(plan.year) vs \(scenario.year))"))
        }
        if plan.seed != scenario.seed {
            out.append(InputProblem(file: planPath, column: "seed", value: String(plan.seed),
                message: both + "的随机种子不一致：计划为\(plan.seed)，场景为\(scenario.seed)（双随机抽取须用公布的种子）"
                    + " (" + bothEn + "disagree on the seed: \(plan.seed) vs \(scenario.seed))"))
        }
        let closed = Set(plan.units.filter { $0.closed == true }.map { $0.id })
        let visited = Set(plan.visits.map { $0.unit }).subtracting(closed)
        let missing = visited.subtracting(ledgerUnits).sorted()
        if !missing.isEmpty && Double(missing.count) > missingShareLimit * Double(visited.count) {
            let ledger = scenario.ledgerPath ?? "—"
            out.append(InputProblem(file: planPath, column: "visits.unit", value: "\(missing.count)/\(visited.count)",
                message: both + "的台账不一致：计划检查的\(visited.count)家单位中\(missing.count)家不在场景的台账 \(ledger) 中，如"
                    + missing.prefix(3).joined(separator: "、") + "（计划不是用这份台账编制的）"
                    + " (" + bothEn + "disagree on the ledger: \(missing.count) of the \(visited.count) units the plan visits are not in \(ledger))"))
        }
        return out
    }

    /// Throws the problems as bad input.
    public static func check(plan: PlanDocument, planPath: String, scenario: Scenario, scenarioPath: String,
                             ledgerUnits: Set<String>) throws {
        let p = problems(plan: plan, planPath: planPath, scenario: scenario, scenarioPath: scenarioPath, ledgerUnits: ledgerUnits)
        if !p.isEmpty { throw InputError.problems(p) }
    }
}

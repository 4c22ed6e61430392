import Ledger
import Policy

/// One problem the verifier names (a JSON path or an id and its value), in both languages: the
/// verifier measures, the reader's language is chosen when the verdict is shown.
public struct Phrase: Hashable, Sendable, CustomStringConvertible {
    public let zh: String
    public let en: String

    public init(_ zh: String, _ en: String) { self.zh = zh; self.en = en }
    /// The same text in both languages (an error a library reports in both already).
    public init(both text: String) { zh = text; en = text }

    public func text(_ lang: Lang) -> String { lang == .zh ? zh : en }
    /// The Chinese text (plan.json and error messages keep Chinese).
    public var description: String { zh }
}

extension Array where Element == Phrase {
    public func text(_ lang: Lang) -> [String] { map { $0.text(lang) } }
}

/// What the verifier found for one rule line, with the figures it measured: the value behind a
/// check's message and fix. `FindingText.swift` words it in Chinese (plan.json) or English;
/// Reports renders verdicts with it (`VerdictText`).
public enum Finding: Hashable, Sendable {
    /// PLAN-FORMAT: the plan file is well formed (`problems` empty) or what is wrong.
    case planFormat(problems: [Phrase])
    /// PLAN-SCENARIO: the plan states its scenario (`problems` empty) or where it differs.
    case planScenario(problems: [Phrase])
    /// FREQ-KEY-COVER: key units with their required visits; the missing visits' team-days and
    /// officers.
    case keyCover(covered: Int, keyUnits: Int, missing: Int, teamDays: Double, officers: Int)
    /// FREQ-CAP: the cap and the units over it (the first by id as an example).
    case cap(maxVisits: Int, over: Int, example: String?)
    /// PLAN-SHARE60: key inspection visits of all visits, the minimum stated and the policy floor,
    /// the visits short and the general visits to drop instead.
    case share(keyVisits: Int, visits: Int, share: Double, stated: Double, floor: Double, short: Int, dropGeneral: Int)
    /// PLAN-RATIO-*: visits per inspection workday against the stated minimum and the floor; when
    /// short, the effort per visit that would fit and the team-days of the missing visits.
    case ratio(visits: Int, workdays: Double, ratio: Double, stated: Double, floor: Double, short: Int,
               effortBound: Double, teamDays: Double)
    /// FREQ-GENERAL-RANDOM: general units drawn against ⌈rate × G⌉, the draws and their problems.
    case generalRandom(drawn: Int, rate: Double, generalUnits: Int, needed: Int, draws: Int, problems: [Phrase],
                       short: Int, teamDays: Double)
    /// PLAN-SPECIAL: one campaign's visits, months and eligible units; visits outside its months
    /// or to units it does not cover.
    case campaign(name: String, visits: Int, months: [Int], eligible: Int, minimum: Int, outside: Int, mismatched: Int,
                  short: Int, teamDays: Double)
    /// FREQ-JOINT: the joint check's visits and the months they fall in (sorted); `setMonths` the
    /// months the scenario allows (empty: any).
    case joint(visits: Int, months: [Int], setMonths: [Int], allowed: Bool, short: Int, teamDays: Double)
    /// PLAN-BASIS: effort within the team-days month by month; the months over, by how much at
    /// most, and the officers that would cover it.
    case basis(reserveShare: Double, overMonths: [Int], overBy: Double, officers: Int)
    /// PLAN-DECOMPOSE: months with workdays but no visits.
    case decompose(emptyMonths: [Int])
    /// TIER-ONE: visits to units not this authority's, units whose class or level differs.
    case tierOne(problems: [Phrase])
    /// A roster's PLAN-FORMAT line.
    case rosterFormat(problems: [Phrase])
    /// One rule of a roster (SITE-TEAM, FREQ-KEY-COVER 执法+专家, AVOIDANCE, AVAILABILITY, LOAD,
    /// PLAN-DECOMPOSE, FREQ-GENERAL-RANDOM): its problems among `total` items.
    case roster(rule: RuleID, problems: [Phrase], total: Int)

    /// The rule the line is about (PLAN-RATIO-* and a roster's lines take theirs from the check).
    public var rule: RuleID? {
        switch self {
        case .planFormat, .rosterFormat: return .format
        case .planScenario: return .scenario
        case .keyCover: return .keyCover
        case .cap: return .cap
        case .share: return .share60
        case .ratio: return nil
        case .generalRandom: return .generalRandom
        case .campaign: return .special
        case .joint: return .joint
        case .basis: return .basis
        case .decompose: return .decompose
        case .tierOne: return .tierOne
        case .roster(let rule, _, _): return rule
        }
    }
}

/// What `planner verify` reports besides the rule lines: a stated verdict that differs from the
/// verifier's, and stated figures that differ from the visits.
public enum Discrepancy: Hashable, Sendable {
    /// The plan states `stated` verdicts for `rule`, the verifier finds `found`.
    case statedVerdict(rule: String, stated: [Bool], found: [Bool])
    case metrics, months, duplicateVisitIds

    public var phrase: Phrase {
        switch self {
        case let .statedVerdict(rule, stated, found):
            return Phrase("\(rule)：计划所列结论与核验结果不符（计划\(stated.map { $0 ? "符合" : "不符合" }.joined(separator: "、"))，核验\(found.map { $0 ? "符合" : "不符合" }.joined(separator: "、"))）",
                          "\(rule): the plan states a verdict other than the verifier's (stated \(stated.map { $0 ? "PASS" : "FAIL" }.joined(separator: ", ")), found \(found.map { $0 ? "PASS" : "FAIL" }.joined(separator: ", ")))")
        case .metrics: return Phrase("metrics 与检查安排不一致", "the stated metrics differ from the visits")
        case .months: return Phrase("months 与检查安排不一致", "the monthly figures (months) differ from the visits")
        case .duplicateVisitIds: return Phrase("检查编号重复", "duplicate visit ids")
        }
    }
}

extension PlanDocument.RuleCheck {
    /// A verifier's line: the message and fix in Chinese (as plan.json keeps them), the finding
    /// kept for rendering in another language.
    init(_ rule: RuleID, _ finding: Finding, figure: Double, threshold: Double, pass: Bool, shortfall: Double,
         unit: ShortfallUnit? = nil) {
        self.init(rule: rule, figure: figure, threshold: threshold, pass: pass, shortfall: shortfall,
                  unit: unit ?? rule.shortfallUnit, message: finding.message(.zh), fix: finding.fix(.zh))
        self.finding = finding
    }

    /// The check with its message and fix in `lang` (unchanged without a finding: a check read
    /// from a file).
    public func rendered(_ lang: Lang) -> PlanDocument.RuleCheck {
        guard let finding else { return self }
        var c = self
        c.message = finding.message(lang)
        c.fix = finding.fix(lang)
        return c
    }
}

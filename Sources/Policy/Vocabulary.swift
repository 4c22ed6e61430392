import Ledger

/// The rules of RULES.md §3–§6 a plan or a roster is checked against (`planner verify`), each
/// under its stable ID, with a short title, the clause of the policy it restates and how its
/// figure is compared with its threshold. `FREQ-CAP` is the planner's yearly cap on visits to
/// one unit (`max_visits_per_unit`, the 检查频次上限 of a plan's attachment list), bounding the
/// more-often visits 三(四) allows.
///
/// Besides the rules, the verifier writes lines of its own: `PLAN-FORMAT` (the file is well
/// formed), `PLAN-SCENARIO` (the plan states its scenario) and, in what-if answers, `SOLVER`
/// (no plan was solved); a roster's checks add `AVOIDANCE`, `AVAILABILITY` and `LOAD`. They
/// have no clause. The key-unit rules of §2 are `KeyRule`.
public enum RuleID: String, CaseIterable, Sendable, Codable, Comparable {
    case keyCover = "FREQ-KEY-COVER", cap = "FREQ-CAP", generalRandom = "FREQ-GENERAL-RANDOM", joint = "FREQ-JOINT"
    case share60 = "PLAN-SHARE60", ratioBureau = "PLAN-RATIO-BUREAU", ratioLocal = "PLAN-RATIO-LOCAL"
    case basis = "PLAN-BASIS", decompose = "PLAN-DECOMPOSE", special = "PLAN-SPECIAL", keyList = "PLAN-KEYLIST"
    case tierOne = "TIER-ONE"
    case siteTeam = "SITE-TEAM"
    // A roster's own lines (DATA.md §6): 回避, availability on workdays, a day's load.
    case avoidance = "AVOIDANCE", availability = "AVAILABILITY", load = "LOAD"
    // The verifier's own lines.
    case format = "PLAN-FORMAT", scenario = "PLAN-SCENARIO", solver = "SOLVER"

    public var id: String { rawValue }

    /// Alphabetical by ID, as `planner verify` lists rules whose stated verdict differs.
    public static func < (a: RuleID, b: RuleID) -> Bool { a.rawValue < b.rawValue }

    /// A rule of RULES.md, with its clause (not one of the verifier's or a roster's own lines).
    public var isPolicyRule: Bool { clause != nil }
    /// PLAN-FORMAT or PLAN-SCENARIO: a line `planner verify` adds about the file itself.
    public var isVerifierLine: Bool { self == .format || self == .scenario }

    /// The ratio rule of an authority's level (五(十二)): bureaus 0.75, local bodies 1.
    public static func ratio(for level: AuthorityLevel) -> RuleID {
        level == .city || level == .district ? .ratioBureau : .ratioLocal
    }

    /// The clause of the policy, e.g. `五(十二)`; nil for the verifier's own lines.
    public var clause: String? {
        switch self {
        case .keyCover, .generalRandom, .joint: return "三(三)"
        case .cap: return "三(四)"
        case .share60, .ratioBureau, .ratioLocal, .basis, .decompose, .keyList: return "五(十二)"
        case .special: return "四(十)"
        case .tierOne: return "四(五)"
        case .siteTeam: return "五(十三)"
        case .avoidance, .availability, .load, .format, .scenario, .solver: return nil
        }
    }

    /// How the rule's figure meets its threshold when the rule holds.
    public var comparison: Comparison {
        switch self {
        case .keyCover, .generalRandom, .joint, .share60, .ratioBureau, .ratioLocal, .special, .decompose, .keyList: return .atLeast
        case .cap, .basis: return .atMost
        case .tierOne, .siteTeam, .avoidance, .availability, .load, .format, .scenario, .solver: return .noProblems
        }
    }

    /// What a shortfall of the rule counts (a roster's lines count problems).
    public var shortfallUnit: ShortfallUnit {
        switch self {
        case .keyCover, .joint, .share60, .ratioBureau, .ratioLocal, .special, .keyList: return .visits
        case .cap, .generalRandom: return .units
        case .basis: return .teamDays
        case .decompose: return .months
        case .tierOne, .siteTeam, .avoidance, .availability, .load, .format, .scenario, .solver: return .problems
        }
    }

    public var zh: String {
        switch self {
        case .keyCover: return "重点检查单位每年至少一次全覆盖执法"
        case .cap: return "单家单位年度检查次数上限"
        case .generalRandom: return "一般检查单位双随机抽查"
        case .joint: return "工业企业跨部门联合双随机抽查"
        case .share60: return "重点检查工作量占比不少于60%"
        case .ratioBureau: return "检查总家次与监督检查工作日之比不小于0.75"
        case .ratioLocal: return "检查总家次与监督检查工作日之比不小于1"
        case .basis: return "准确核算本年度工作量"
        case .decompose: return "分解为季度、月度计划"
        case .special: return "专项执法"
        case .keyList: return "年度执法计划列明重点检查单位"
        case .tierOne: return "一家执法对象对应一个层级的执法主体"
        case .siteTeam: return "每次检查至少两名持证执法人员"
        case .avoidance: return "回避"
        case .availability: return "工作日且人员可用"
        case .load: return "每人每天工作量不超过1天"
        case .format: return "计划文件格式与数值范围（DATA.md）"
        case .scenario: return "计划与场景一致（政策参数、工作日、专项、种子）"
        case .solver: return "求解"
        }
    }

    public var en: String {
        switch self {
        case .keyCover: return "every key unit inspected at least once a year"
        case .cap: return "yearly cap on visits to one unit"
        case .generalRandom: return "random spot checks of general units"
        case .joint: return "joint cross-department random check of industrial units"
        case .share60: return "key inspection work at least 60% of visits"
        case .ratioBureau: return "visits per inspection workday at least 0.75"
        case .ratioLocal: return "visits per inspection workday at least 1"
        case .basis: return "workload counted against the workdays"
        case .decompose: return "broken into quarterly and monthly plans"
        case .special: return "special campaigns"
        case .keyList: return "key units listed in the plan"
        case .tierOne: return "one enforcing level per unit"
        case .siteTeam: return "at least two certified officers on every visit"
        case .avoidance: return "conflicts of interest"
        case .availability: return "workdays, people available"
        case .load: return "at most one day's work a day for each person"
        case .format: return "well-formed file, numbers in range (DATA.md)"
        case .scenario: return "the plan states its scenario (policy, workdays, campaigns, seed)"
        case .solver: return "solve"
        }
    }

    public func title(_ lang: Lang) -> String { lang == .zh ? zh : en }

    /// How a rule's figure is compared with its threshold.
    public enum Comparison: Sendable {
        /// figure ≥ threshold (coverage, shares, ratios, minimums).
        case atLeast
        /// figure ≤ threshold (caps, effort within capacity).
        case atMost
        /// The figure counts problems; the rule holds when there are none.
        case noProblems
    }
}

/// The plan rules under their former name.
public typealias PlanRule = RuleID

/// What a rule's shortfall counts (`checks[].unit` in plan.json).
public enum ShortfallUnit: String, CaseIterable, Sendable, Codable {
    case visits, units, teamDays = "team-days", months, problems
    /// Person-days a variant's deductions exceed its gross workdays (what-if, PLAN-BASIS).
    case personDays = "person-days"

    /// 家次, 家, 组·日, 个月, 处, 人·日.
    public var zh: String {
        switch self {
        case .visits: return "家次"
        case .units: return "家"
        case .teamDays: return "组·日"
        case .months: return "个月"
        case .problems: return "处"
        case .personDays: return "人·日"
        }
    }
}

/// The kinds of visit in a plan (`visits[].kind`, DATA.md §4) and a roster (`assignments[].kind`).
public enum VisitKind: String, CaseIterable, Sendable, Codable {
    /// A key unit's full-coverage visit, "enforcement + expert" (FREQ-KEY-COVER).
    case key
    /// A special-campaign visit (PLAN-SPECIAL).
    case special
    /// A general unit drawn at random (FREQ-GENERAL-RANDOM).
    case random
    /// A general industrial unit drawn for the joint cross-department check (FREQ-JOINT).
    case joint
    /// A visit outside the plan made on a trigger (complaint, accident…), recorded by re-planning.
    case triggered

    /// `random` and `joint`: the unit was drawn (双随机), so the visit belongs to a draw.
    public var isDrawn: Bool { self == .random || self == .joint }

    /// The pool a drawn visit's unit came from; nil for a visit that is not drawn.
    public var pool: DrawPool? {
        switch self {
        case .random: return .general
        case .joint: return .industrial
        default: return nil
        }
    }

    /// 重点检查, 专项执法, 双随机抽查, 跨部门联合抽查, 触发式检查.
    public var zh: String {
        switch self {
        case .key: return "重点检查"
        case .special: return "专项执法"
        case .random: return "双随机抽查"
        case .joint: return "跨部门联合抽查"
        case .triggered: return "触发式检查"
        }
    }
}

/// The pools of a plan's draws (`draws[].pool`, DATA.md §4).
public enum DrawPool: String, CaseIterable, Sendable, Codable {
    /// The authority's general units not yet drawn this year (FREQ-GENERAL-RANDOM).
    case general
    /// Those of them that are industrial (the joint cross-department check, FREQ-JOINT).
    case industrial

    /// The kind of the visits a draw from this pool makes.
    public var visitKind: VisitKind { self == .industrial ? .joint : .random }
}

extension Effort {
    /// Team-days of a visit of this kind: key, special, else (random, joint, triggered, or a
    /// kind plan.json does not define) general.
    public func teamDays(for kind: VisitKind?) -> Double {
        switch kind {
        case .key: return key
        case .special: return special
        case .random, .joint, .triggered, nil: return general
        }
    }

    /// Team-days of a visit of plan.json's `kind` text.
    public func teamDays(for kind: String) -> Double { teamDays(for: VisitKind(rawValue: kind)) }
}

import Foundation

/// One authority's planning year (DATA.md §3). Every policy number has a default; a scenario
/// states only what differs. Paths are resolved against the scenario file's folder.
public struct Scenario: Sendable {
    public var year: Int
    public var authority: Authority
    /// A ledger file, or a database (`sqlite:PATH`, `postgres://…`; DATA.md §8).
    public var ledgerPath: String?
    /// With a database: read the ledger as it stood at this change sequence (`--ledger-seq`),
    /// to make a plan again from what it saw; nil for the latest.
    public var ledgerSeq: Int?
    public var staffPath: String?
    public var expertsPath: String?
    /// The published seed of the random draws (双随机).
    public var seed: UInt64
    public var calendarPath: String?
    public var workdays: WorkdayDeductions
    public var policy: PolicyParameters
    public var effort: Effort
    public var campaigns: [Campaign]
    public var delegation: Delegation
    /// FREQ-JOINT: the district's joint cross-department random check.
    public var joint = JointCheck()
    /// FREQ-DECREASE / FREQ-INCREASE: factors on a general unit's draw weight.
    public var drawWeights = DrawWeights()
    /// Inspection person-days moved in or out by the city's dispatch orders (TIER-DISPATCH);
    /// none outside a city run.
    public var transfers = WorkdayTransfers()
    /// The scenario file, when loaded from one.
    public var source: String?
    /// The line of each top-level key in the scenario file (`year`, `workdays`…), so that a
    /// problem found after loading can still name it.
    public var keyLines: [String: Int] = [:]

    /// A problem of the scenario found after loading: file, the key's line, the key, the value.
    public func problem(key: String, value: String?, _ message: String) -> InputProblem {
        InputProblem(file: source ?? "scenario", row: keyLines[key], column: key, value: value, message: message)
    }

    public init(year: Int, authority: Authority, seed: UInt64 = 0) {
        self.year = year; self.authority = authority; self.seed = seed
        workdays = WorkdayDeductions()
        policy = PolicyParameters(level: authority.level)
        effort = Effort(level: authority.level)
        campaigns = []
        delegation = Delegation()
    }
}

public struct Authority: Hashable, Sendable {
    public var name: String
    public var level: AuthorityLevel
    public var district: String?
    public var town: String?
    public var zone: String?
    public init(name: String, level: AuthorityLevel, district: String? = nil, town: String? = nil, zone: String? = nil) {
        self.name = name; self.level = level; self.district = district; self.town = town; self.zone = zone
    }
}

/// Inspection person-days a city's dispatch orders (执法力量调用, TIER-DISPATCH) move into an
/// authority (`borrowed`) or out of it (`lent`), per month (1…12 at 0…11).
public struct WorkdayTransfers: Hashable, Sendable {
    public var borrowed = [Double](repeating: 0, count: 12)
    public var lent = [Double](repeating: 0, count: 12)
    public init() {}
    public var borrowedTotal: Double { borrowed.reduce(0, +) }
    public var lentTotal: Double { lent.reduce(0, +) }
    public var isEmpty: Bool { borrowedTotal == 0 && lentTotal == 0 }
    /// Person-days moved into month `m` (1…12), less those moved out.
    public func net(_ m: Int) -> Double { borrowed[m - 1] - lent[m - 1] }
}

/// A named deduction of person-days (e.g. 行政许可: 120). A bare number has no name.
public struct WorkdayItem: Hashable, Sendable {
    public var name: String?
    public var days: Double
    public init(name: String?, days: Double) { self.name = name; self.days = days }
}

/// 其他执法工作日 and 非执法工作日, each a list of categories in the order the scenario states them.
///
/// Totals (`other_enforcement`, `non_enforcement`) are the authority's person-days whatever its
/// staff (licensing, accident investigation, duty rosters); per-officer deductions
/// (`other_enforcement_per_officer`, `non_enforcement_per_officer`: training, meetings, leave)
/// are person-days each certified officer spends, so they grow and shrink with the staff.
public struct WorkdayDeductions: Hashable, Sendable {
    public var otherEnforcement: [WorkdayItem] = []
    public var nonEnforcement: [WorkdayItem] = []
    /// Person-days per certified officer (per officer-year when officers join or leave mid-year).
    public var otherEnforcementPerOfficer: [WorkdayItem] = []
    public var nonEnforcementPerOfficer: [WorkdayItem] = []
    public init() {}
    /// The stated totals only (per-officer deductions are resolved by `WorkdayBudget`).
    public var otherEnforcementTotal: Double { otherEnforcement.reduce(0) { $0 + $1.days } }
    public var nonEnforcementTotal: Double { nonEnforcement.reduce(0) { $0 + $1.days } }
    /// Person-days each officer is deducted (both kinds).
    public var perOfficer: Double { (otherEnforcementPerOfficer + nonEnforcementPerOfficer).reduce(0) { $0 + $1.days } }
}

public struct PolicyParameters: Hashable, Sendable {
    /// The floors of 五(十二) (RULES.md §7.11): a scenario may be stricter, never laxer.
    public static let keyShareFloor = 0.60
    public static func visitsPerWorkdayFloor(_ level: AuthorityLevel) -> Double {
        (level == .city || level == .district) ? 0.75 : 1.0
    }
    /// PLAN-SHARE60
    public var keyShareMin = PolicyParameters.keyShareFloor
    /// PLAN-RATIO-BUREAU (0.75) or PLAN-RATIO-LOCAL (1.0)
    public var visitsPerWorkdayMin: Double
    /// FREQ-GENERAL-RANDOM: share of general units drawn in the year.
    public var generalSampleRate = 0.05
    /// Yearly cap on visits to one unit.
    public var maxVisitsPerUnit = 2
    /// FREQ-INCREASE: required full-coverage visits for key units with KEY-D1..D4 holding.
    public var increasedVisits = 2
    /// Share of inspection capacity kept free for triggered (non-planned, 触发式) inspections.
    public var reserveShare = 0.10
    /// A month's visits may deviate from its share of the year's capacity by this fraction.
    public var monthlyTolerance = 0.25
    public init(level: AuthorityLevel) {
        visitsPerWorkdayMin = PolicyParameters.visitsPerWorkdayFloor(level)
    }
}

/// Team-days one visit takes (a team is two officers).
public struct Effort: Hashable, Sendable {
    public var key = 0.5
    public var general = 0.5
    public var special = 0.5
    public init() {}
    /// Township, street and zone offices check simple matters of general units (TIER-TOWN):
    /// 0.4 team-days a visit by default, so that PLAN-RATIO-LOCAL's one visit per inspection
    /// workday fits within their capacity (0.5 would allow at most 0.9 with the 10% reserve).
    public init(level: AuthorityLevel) {
        if level == .town || level == .zone { key = 0.4; general = 0.4; special = 0.4 }
    }

}

/// A special campaign (专项执法, PLAN-SPECIAL).
public struct Campaign: Hashable, Sendable {
    public var name: String
    public var months: [Int]
    /// Ledger fields a unit must match (all of them); a list value matches any of its items.
    public var match: [FieldMatch]
    /// At least this many visits; the plan may add more.
    public var visits: Int
    public init(name: String, months: [Int], match: [FieldMatch], visits: Int) {
        self.name = name; self.months = months; self.match = match; self.visits = visits
    }
    public func matches(_ u: LedgerUnit) -> Bool { match.allSatisfy { $0.matches(u) } }
    /// The positions among `indices` of the units of `units` the campaign matches, in order:
    /// `matches` for many units, each field resolved once and read in place.
    public func matching(_ units: [LedgerUnit], among indices: [Int]) -> [Int] {
        let tests = match.map { (read: LedgerUnit.fieldReader($0.key), values: $0.values) }
        return units.withUnsafeBufferPointer { buf in
            indices.filter { i in
                tests.allSatisfy { t in t.values.contains(t.read.flatMap { $0(buf.baseAddress! + i) } ?? "") }
            }
        }
    }
}

/// Which general units a district hands to township/street offices (TIER-TOWN) or
/// functional-zone bodies (TIER-ZONE). Key units are never delegated.
public struct Delegation: Hashable, Sendable {
    public enum Selection: Hashable, Sendable {
        case none, all, only(Set<String>)
        public func includes(_ name: String?) -> Bool {
            guard let name else { return false }
            switch self {
            case .none: return false
            case .all: return true
            case .only(let s): return s.contains(name)
            }
        }
    }
    public var towns: Selection = .none
    public var zones: Selection = .none
    /// RULES.md §7.14: the delegated zones take their district-tier key units as well.
    public var zoneKeyUnits = false
    public init() {}
}

/// FREQ-JOINT: one cross-department joint random spot check of industrial enterprises a year
/// (district bureaus).
public struct JointCheck: Hashable, Sendable {
    /// Industrial general units the joint check covers.
    public var visits = 10
    /// Months it may fall in (empty: any; the plan chooses).
    public var months: [Int] = []
    public init() {}
}

/// Factors multiplied into a general unit's draw weight (default weight 1).
public struct DrawWeights: Hashable, Sendable {
    /// FREQ-DECREASE: safety standardisation certified (any level).
    public var standardisation = 0.6
    /// FREQ-DECREASE: safety-culture demonstration unit.
    public var safetyCulture = 0.7
    /// FREQ-DECREASE: work-safety liability insurance.
    public var liabilityInsurance = 0.8
    /// FREQ-INCREASE: penalised at least once in the last three years.
    public var penalties = 1.5
    /// FREQ-INCREASE: a fatal accident or a blacklisting on record (any date).
    public var accidentOrBlacklist = 2.0
    public init() {}
}

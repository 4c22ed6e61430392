import Ledger

/// 执法工作日测算 (DATA.md §3, RULES.md §7.9): gross = certified officers × calendar workdays;
/// inspection = gross − other enforcement − non-enforcement person-days.
///
/// Deductions come as totals (the authority's, whatever its staff) and per officer (each
/// certified officer's, so they follow the staff: `staff × days`, or officer-years when officers
/// join or leave mid-year). When they exceed the gross, the inspection workdays are 0, never
/// negative, and `deficit` says by how much the deductions exceed the gross (`problem` names it).
public struct WorkdayBudget: Hashable, Sendable {
    public var calendarWorkdays: Int
    /// Certified officers (experts and uncertified staff do not count).
    public var staff: Int
    /// Every deduction as person-days: the stated totals, then the per-officer items resolved
    /// for this staff (named "<category>（每人N日）").
    public var otherEnforcement: [WorkdayItem]
    public var nonEnforcement: [WorkdayItem]
    /// The scenario's per-officer deductions (person-days each officer).
    public var perOfficer: Double

    /// Officer-workdays when officers join or leave during the year (what-if variants);
    /// nil: every officer all year.
    public var staffWorkdays: Int?

    /// Inspection person-days borrowed from and lent to other authorities (TIER-DISPATCH).
    public var borrowed = 0.0
    public var lent = 0.0

    public init(calendarWorkdays: Int, staff: Int, deductions: WorkdayDeductions, staffWorkdays: Int? = nil) {
        self.calendarWorkdays = calendarWorkdays
        self.staff = staff
        self.staffWorkdays = staffWorkdays
        self.perOfficer = deductions.perOfficer
        let years = staffWorkdays.map { calendarWorkdays > 0 ? Double($0) / Double(calendarWorkdays) : 0 } ?? Double(staff)
        func resolve(_ items: [WorkdayItem], _ fallback: String) -> [WorkdayItem] {
            items.map { WorkdayItem(name: "\($0.name ?? fallback)（每人\(fmt($0.days))日）", days: round1(($0.days * years))) }
        }
        otherEnforcement = deductions.otherEnforcement + resolve(deductions.otherEnforcementPerOfficer, "其他执法工作")
        nonEnforcement = deductions.nonEnforcement + resolve(deductions.nonEnforcementPerOfficer, "非执法工作")
    }

    public var gross: Double { Double(staffWorkdays ?? staff * calendarWorkdays) }
    public var otherEnforcementTotal: Double { otherEnforcement.reduce(0) { $0 + $1.days } }
    public var nonEnforcementTotal: Double { nonEnforcement.reduce(0) { $0 + $1.days } }
    /// 监督检查工作日 (person-days): gross − deductions, and 0 when the deductions exceed the gross.
    public var inspection: Double { own + borrowed - lent }
    /// The authority's own inspection person-days, before any dispatch.
    public var own: Double { max(0, unclamped) }
    /// Gross − deductions, negative when the deductions exceed the gross.
    public var unclamped: Double { gross - otherEnforcementTotal - nonEnforcementTotal }
    /// Person-days by which the deductions exceed the gross (0 when they do not).
    public var deficit: Double { max(0, -unclamped) }
    /// Inspection person-days one more full-time officer brings: the calendar's workdays less
    /// the per-officer deductions (totals do not grow with the staff).
    public var perOfficerNet: Double { Double(calendarWorkdays) - perOfficer }

    /// Full-time officers to add before any inspection day is left (0 when there is one);
    /// nil when an officer brings none (per-officer deductions take every workday).
    public var officersToCoverDeductions: Int? {
        guard deficit > 0 || unclamped == 0 else { return 0 }
        guard perOfficerNet > 0 else { return nil }
        // Strictly more days than the deductions: at least one inspection person-day. A count
        // past any staff (deductions of billions of days) has no answer rather than a trap.
        guard let n = StrictNumber.int((deficit / perOfficerNet).rounded(.down), in: 0...(Int.max - 1)) else { return nil }
        return n + 1
    }

    /// A sentence for the planner when the deductions leave no inspection days, else nil.
    public var problem: String? {
        guard unclamped < 0 else { return nil }
        var s = "扣除的其他执法工作日(\(fmt(otherEnforcementTotal)))与非执法工作日(\(fmt(nonEnforcementTotal)))之和超过总法定工作日"
            + "\(fmt(gross))（\(staff)人×\(calendarWorkdays)天）\(fmt(deficit))人·日"
        if let n = officersToCoverDeductions { s += "；至少需增加\(n)名全职持证执法人员才有监督检查工作日" }
        return s + " (deductions exceed gross person-days by \(fmt(deficit)))"
    }
}

func fmt(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.1f", v)
}

func round1(_ v: Double) -> Double { (v * 10).rounded() / 10 }

// The arithmetic planner and verifier share (each measures its own figures; the rule is here once).
extension WorkdayBudget {
    /// Team-days for planned visits from inspection person-days: two officers make a team, and
    /// `reserveShare` is kept for triggered inspections (PLAN-BASIS).
    public static func teamDays(personDays: Double, reserveShare: Double) -> Double {
        personDays / 2 * (1 - reserveShare)
    }

    /// Full-time officers that bring `teamDays` more team-days for planned visits in a year of
    /// `calendarWorkdays` (at least 0.01 team-days an officer, so that the count is finite).
    public static func officers(forTeamDays teamDays: Double, calendarWorkdays: Int, reserveShare: Double) -> Int {
        let perOfficer = Self.teamDays(personDays: Double(max(1, calendarWorkdays)), reserveShare: reserveShare)
        return PolicyArithmetic.ceiling(teamDays / max(0.01, perOfficer))
    }

    /// PLAN-RATIO-BUREAU / PLAN-RATIO-LOCAL: the visits `ratio` visits per inspection workday
    /// ask of `workdays` inspection workdays, ⌈ratio × workdays⌉.
    public static func visitsNeeded(ratio: Double, workdays: Double) -> Int {
        PolicyArithmetic.ceiling(ratio * workdays - 1e-9)
    }
}

/// Rounding shared by the rules' arithmetic.
public enum PolicyArithmetic {
    /// ⌈v⌉ as an Int without trapping: NaN is 0, anything beyond ±10^15 is clamped there (the
    /// figures may come from a file the verifier is checking).
    public static func ceiling(_ v: Double) -> Int {
        guard !v.isNaN else { return 0 }
        return Int(max(-1e15, min(1e15, v.rounded(.up))))
    }
}

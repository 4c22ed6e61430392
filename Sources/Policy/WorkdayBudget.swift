import Ledger

/// 执法工作日测算 (DATA.md §3, RULES.md §7.9): gross = certified officers × calendar workdays;
/// inspection = gross − other enforcement − non-enforcement person-days.
public struct WorkdayBudget: Hashable, Sendable {
    public var calendarWorkdays: Int
    /// Certified officers (experts and uncertified staff do not count).
    public var staff: Int
    public var otherEnforcement: [WorkdayItem]
    public var nonEnforcement: [WorkdayItem]

    /// Officer-workdays when officers join or leave during the year (what-if variants);
    /// nil: every officer all year.
    public var staffWorkdays: Int?

    public init(calendarWorkdays: Int, staff: Int, deductions: WorkdayDeductions, staffWorkdays: Int? = nil) {
        self.calendarWorkdays = calendarWorkdays
        self.staff = staff
        self.otherEnforcement = deductions.otherEnforcement
        self.nonEnforcement = deductions.nonEnforcement
        self.staffWorkdays = staffWorkdays
    }

    public var gross: Double { Double(staffWorkdays ?? staff * calendarWorkdays) }
    public var otherEnforcementTotal: Double { otherEnforcement.reduce(0) { $0 + $1.days } }
    public var nonEnforcementTotal: Double { nonEnforcement.reduce(0) { $0 + $1.days } }
    /// 监督检查工作日 (person-days); negative when the deductions exceed the gross.
    public var inspection: Double { gross - otherEnforcementTotal - nonEnforcementTotal }

    /// A sentence for the planner when the deductions leave no inspection days, else nil.
    public var problem: String? {
        guard inspection < 0 else { return nil }
        return "扣除的其他执法工作日(\(fmt(otherEnforcementTotal)))与非执法工作日(\(fmt(nonEnforcementTotal)))之和超过总法定工作日"
            + "\(fmt(gross))（\(staff)人×\(calendarWorkdays)天） (deductions exceed gross person-days)"
    }
}

func fmt(_ v: Double) -> String {
    v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
}

import Foundation

import XCTest
import Ledger
@testable import Policy

/// Issue 9: every conversion of a number that came from a file is checked (no Int(Double) trap).
final class WorkdayBudgetBoundsTests: XCTestCase {
    func testHugeDeficitOverATinyPerOfficerNetHasNoOfficerCountInsteadOfATrap() {
        var d = WorkdayDeductions()
        // Within the loader's bounds: 10,000,000 person-days and 249.9999999 days per officer.
        d.otherEnforcement = Array(repeating: WorkdayItem(name: nil, days: 10_000_000), count: 1)
        d.nonEnforcementPerOfficer = [WorkdayItem(name: "培训", days: 249.999_999_999_999)]
        let b = WorkdayBudget(calendarWorkdays: 250, staff: 1, deductions: d)
        XCTAssertGreaterThan(b.deficit, 0)
        // deficit / 1e-12 is past Int: there is no number of officers, and no trap.
        XCTAssertNil(b.officersToCoverDeductions)
        XCTAssertNotNil(b.problem)
    }

    func testTotalsPastIntAreFormattedNotTrapped() {
        var d = WorkdayDeductions()
        d.otherEnforcement = [WorkdayItem(name: nil, days: 1e20)]
        let b = WorkdayBudget(calendarWorkdays: 250, staff: 10, deductions: d)
        XCTAssertTrue(b.problem?.contains("100000000000000000000") ?? false, b.problem ?? "")
    }

    func testOrdinaryShortfallStillCountsOfficers() {
        var d = WorkdayDeductions()
        d.otherEnforcement = [WorkdayItem(name: nil, days: 600)]
        let b = WorkdayBudget(calendarWorkdays: 250, staff: 2, deductions: d)
        XCTAssertEqual(b.deficit, 100)
        XCTAssertEqual(b.officersToCoverDeductions, 1)
    }
}

import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
@testable import Reports

/// Rosters show weekdays and wrap their focus items; the what-if sheet is a filed sheet.
final class RosterAndWhatIfReportTests: XCTestCase {
    func testWeekdayBesideEveryDate() {
        XCTAssertEqual(RosterReport.dated("2027-03-02", .zh), "2027-03-02（周二）")
        XCTAssertEqual(RosterReport.dated("2027-03-07", .zh), "2027-03-07（周日）")
        XCTAssertEqual(RosterReport.dated("2027-03-02", .en), "2027-03-02 (Tue)")
        XCTAssertEqual(RosterReport.dated("not a date", .zh), "not a date")
    }

    /// A roster of March 2026 (10 key units, 4 officers): its CSV and sheets show each date
    /// with its weekday; the focus items of a visit sit one per line in a wrapped cell.
    func testRosterDatesShowTheWeekdayAndFocusItemsWrap() throws {
        let units = (1...10).map { RT.key($0, .red) } + (1...20).map { RT.general(1000 + $0) }
        var s = RT.scenario(inspection: 0)
        s.workdays.otherEnforcement = [WorkdayItem(name: nil, days: 4 * 248 - 120)]
        let staff = (1...4).map { n -> StaffMember in
            var m = StaffMember(id: String(format: "E%03d", n), name: "执法\(n)", certified: true)
            m.leader = n <= 2
            return m
        }
        let ctx = try PlanContext(scenario: s, ledger: Ledger(units: units), staff: staff, calendar: try WorkCalendar.builtin(year: s.year))
        let plan = try AnnualPlanner.plan(ctx)
        XCTAssertEqual(PlanVerifier.checks(plan, context: ctx).filter { !$0.pass }.map { $0.rule }, plan.checks.filter { !$0.pass }.map { $0.rule })
        let month = try XCTUnwrap((1...12).first { m in plan.visits.contains { $0.month == m && $0.kind == "key" } })
        let roster = try RosterPlanner.roster(RosterContext(plan: plan, ctx: ctx, experts: [], focus: try FocusCatalogue.load(path: FocusCatalogue.defaultPath())),
                                              month: month)
        XCTAssertFalse(roster.assignments.isEmpty)
        let dir = RT.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = RosterReport(doc: roster, names: Dictionary(staff.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }), lang: .zh)
        try report.write(to: dir)
        let stem = String(format: "现场检查方案-%04d-%02d", roster.year, roster.month)
        let csv = try String(contentsOfFile: "\(dir)/\(stem).csv", encoding: .utf8)
        let lines = csv.split(separator: "\n").dropFirst()
        let weekdays = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        for a in roster.assignments {
            let d = try XCTUnwrap(CivilDate(a.date))
            XCTAssertTrue(lines.contains { $0.hasPrefix("\(a.date)（\(weekdays[d.weekday - 1])）,") }, "\(a.date) in\n\(csv)")
        }

        let xlsx = "\(dir)/\(stem).xlsx"
        let weeks = try RT.sheetNames(xlsx).filter { $0.hasSuffix("日起") }
        let sheet = try XCTUnwrap(weeks.first)
        let texts = try weeks.flatMap { try RT.sheetTexts(xlsx, named: $0) }
        XCTAssertTrue(texts.contains { $0.range(of: "^\\d{4}-\\d{2}-\\d{2}（周[一二三四五六日]）$", options: .regularExpression) != nil }, "\(texts)")
        let many = try XCTUnwrap(roster.assignments.first { $0.focus.count >= 2 }, "a visit with several focus items")
        XCTAssertTrue(texts.contains(many.focus.joined(separator: "\n")), "one focus item per line")
        let xml = try RT.sheetXML(xlsx, named: sheet)
        let focusCol = RosterReport.focusColumn + 1
        XCTAssertTrue(xml.contains("<col min=\"\(focusCol)\" max=\"\(focusCol)\" width=\"40"), xml)
        XCTAssertTrue(try RT.unzip(xlsx, "xl/styles.xml").contains("wrapText=\"1\""))
        XCTAssertTrue(xml.contains("paperSize=\"9\"") && xml.contains("&amp;P/&amp;N"), "prints on A4 with page numbers")
    }

    func testWhatIfSheetIsFiledWithVerdictsInChinese() throws {
        func result(_ name: String, staff: Int, pass: Bool) -> VariantResult {
            let check = PlanDocument.RuleCheck(rule: "FREQ-KEY-COVER", figure: pass ? 20 : 18, threshold: 20, pass: pass,
                                               shortfall: pass ? 0 : 2, unit: "visits", message: "", fix: nil)
            return VariantResult(name: name, staff: staff, staffDelta: staff - 10, inspectionWorkdays: Double(staff) * 58, visits: 100,
                                 keyShare: 0.7, visitsPerWorkday: 0.8, keyUnits: 20, keyUnitsCovered: pass ? 20 : 18,
                                 generalUnitsDrawn: 30, spareTeamDays: 1, checks: [check], solverStatus: "optimal")
        }
        var report = WhatIfReport(results: [result("人员-1", staff: 9, pass: false), result("现有人员", staff: 10, pass: true)], lang: .zh)
        report.authority = "浦东新区应急管理局"
        XCTAssertEqual(report.rows.map { $0[9] }, ["不符合", "符合"])
        let dir = RT.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try report.write(to: dir)
        let svg = try String(contentsOfFile: "\(dir)/情景比较.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains(">符合</text>") && svg.contains(">不符合</text>"), "the chart's legend in Chinese")
        XCTAssertFalse(svg.contains("PASS"), svg)
        let xlsx = "\(dir)/情景比较.xlsx"
        let texts = try RT.sheetTexts(xlsx, named: "情景比较")
        XCTAssertEqual(texts.first, "执法力量情景比较")
        XCTAssertTrue(texts.contains("编制单位：浦东新区应急管理局"), "\(texts)")
        XCTAssertTrue(texts.contains { $0.hasPrefix("日期：") }, "\(texts)")
        XCTAssertFalse(texts.contains("PASS"), "\(texts)")
        let xml = try RT.sheetXML(xlsx, named: "情景比较")
        XCTAssertTrue(xml.contains("paperSize=\"9\""), xml)
        XCTAssertTrue(xml.contains("fitToHeight=\"0\"") && xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), xml)
        XCTAssertTrue(xml.contains("&amp;C&amp;P/&amp;N"), xml)
        // Heading (3 rows), a blank row, the header: frozen through the header, nothing more.
        XCTAssertTrue(xml.contains("<pane ySplit=\"5\" topLeftCell=\"A6\""), xml)
        let workbook = try RT.unzip(xlsx, "xl/workbook.xml")
        XCTAssertTrue(workbook.contains("_xlnm.Print_Titles\" localSheetId=\"0\">'情景比较'!$1:$5<"), workbook)
    }
}

/// The classification workbook's key-unit list gives each unit's rules with title and clause.
final class ClassificationWorkbookTests: XCTestCase {
    func testKeyListGivesRulesWithTitlesAndClauses() throws {
        var exempt = RT.key(2)
        exempt.lastFatalAccident = CivilDate(year: 2025, month: 3, day: 1)!
        exempt.exemption = "已完成整改并通过验收"
        let units = [RT.key(1), exempt, RT.general(1000)]
        let classes = Classifier(year: 2026).classify(units)
        let table = ClassificationTable(year: 2026, units: units, classifications: classes)
        let dir = RT.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ClassificationWorkbook(table: table, summary: ClassificationSummary(year: 2026, units: units, classifications: classes), lang: .zh)
            .write(to: "\(dir)/分类.xlsx")
        let texts = try RT.sheetTexts("\(dir)/分类.xlsx", named: "重点检查单位清单")
        XCTAssertTrue(texts.contains("KEY-M9 大中型工贸单位〔三(一)9〕"), "\(texts)")
        XCTAssertTrue(texts.contains { $0.hasPrefix("KEY-M9 大中型工贸单位〔三(一)9〕\n（KEY-D2因特殊情况不适用：已完成整改并通过验收）") }, "\(texts)")
    }
}

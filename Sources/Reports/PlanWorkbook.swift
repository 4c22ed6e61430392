import Foundation
import Ledger
import Planning
import XLSX

/// The plan as one XLSX workbook with Chinese sheets and headers: 年度汇总, 重点检查单位清单,
/// 季度计划, 月度计划, 双随机抽取记录, 检查安排.
struct PlanWorkbook {
    struct Rows { let quarterly, monthly, keyList, visits, draws: [[String]] }
    let report: PlanReport
    let rows: Rows
    var doc: PlanDocument { report.doc }
    var zh: Bool { report.lang == .zh }

    func write(to path: String) throws {
        let wb = try Workbook(path: path, properties: DocumentProperties(
            title: zh ? "\(doc.year)年度执法计划（\(doc.authority.name)）" : "Enforcement plan \(doc.year) (\(doc.authority.name))"))
        try summary(try wb.addSheet(name: zh ? "年度汇总" : "Summary"))
        try table(wb, zh ? "重点检查单位清单" : "Key units", report.keyListHeader, rows.keyList,
                  zh ? "\(doc.year)年度重点检查单位清单（附件）" : "Key units \(doc.year)", numeric: [0])
        try table(wb, zh ? "季度计划" : "Quarterly", report.quarterlyHeader, rows.quarterly,
                  zh ? "\(doc.year)年度季度执法计划" : "Quarterly plan \(doc.year)", numeric: [1, 2, 3, 4, 5, 6, 7, 8])
        try table(wb, zh ? "月度计划" : "Monthly", report.monthlyHeader, rows.monthly,
                  zh ? "\(doc.year)年度月度执法计划" : "Monthly plan \(doc.year)", numeric: [3, 4, 5, 6, 7])
        try table(wb, zh ? "双随机抽取记录" : "Draws", report.drawHeader, rows.draws,
                  zh ? "双随机抽取记录（sha256-weighted/1，可复现）" : "Random draws (sha256-weighted/1, reproducible)", numeric: [1, 3, 4])
        try table(wb, zh ? "检查安排" : "Visits", report.visitHeader, rows.visits,
                  zh ? "\(doc.year)年度检查安排" : "Visits \(doc.year)", numeric: [1])
        try wb.close()
    }

    func table(_ wb: Workbook, _ name: String, _ header: [String], _ rows: [[String]], _ title: String, numeric: Set<Int>) throws {
        let sheet = try wb.addSheet(name: name)
        let cells: [[CellValue]] = rows.map { r in
            r.enumerated().map { i, v in numeric.contains(i) ? (Double(v).map { CellValue.number($0) } ?? .string(v)) : .string(v) }
        }
        let layout = try sheet.writeTable(header: header, rows: cells, title: title)
        try sheet.setPageSetup(PageSetup(repeatRows: layout.headingRows, fitToWidth: true))
    }

    func summary(_ sheet: Sheet) throws {
        let w = doc.workdays
        var rows: [[CellValue]] = [
            [.string(zh ? "国家法定工作日" : "Calendar workdays"), .string(w.calendarProvisional ? (zh ? "暂定：\(w.calendarSource)" : "provisional: \(w.calendarSource)") : w.calendarSource), .number(Double(w.calendar))],
            [.string(zh ? "执法人员数（持执法证）" : "Certified officers"), .string(""), .number(Double(w.staff))],
            [.string(zh ? "总法定工作日" : "Gross person-days"), .string(zh ? "法定工作日 × 执法人员数" : "workdays × officers"), .number(w.gross)],
        ]
        for i in w.otherEnforcementItems { rows.append([.string(zh ? "其他执法工作日" : "Other enforcement"), .string(i.name), .number(i.days)]) }
        rows.append([.string(zh ? "其他执法工作日合计" : "Other enforcement total"), .string(""), .number(w.otherEnforcement)])
        for i in w.nonEnforcementItems { rows.append([.string(zh ? "非执法工作日" : "Non-enforcement"), .string(i.name), .number(i.days)]) }
        rows.append([.string(zh ? "非执法工作日合计" : "Non-enforcement total"), .string(""), .number(w.nonEnforcement)])
        rows.append([.string(zh ? "监督检查工作日" : "Inspection workdays"), .string(zh ? "总 − 其他执法 − 非执法" : "gross − other − non"), .number(w.inspection)])
        var l = try sheet.writeTable(header: zh ? ["项目", "计算", "人·日"] : ["Item", "Derivation", "Person-days"], rows: rows,
                                     title: zh ? "\(doc.year)年度执法工作日测算（\(doc.authority.name)）" : "Workday derivation \(doc.year)")
        let m = doc.metrics
        let totals: [[CellValue]] = [
            [.string(zh ? "检查总家次" : "Visits"), .integer(m.visits)],
            [.string(zh ? "重点检查单位检查家次" : "Visits to key units"), .integer(m.keyVisits)],
            [.string(zh ? "专项执法家次" : "Special-campaign visits"), .integer(m.specialVisits)],
            [.string(zh ? "双随机抽查家次" : "Random visits"), .integer(m.randomVisits)],
            [.string(zh ? "跨部门联合抽查家次" : "Joint visits"), .integer(m.jointVisits)],
            [.string(zh ? "重点检查单位数" : "Key units"), .integer(m.keyUnits)],
            [.string(zh ? "一般检查单位数" : "General units"), .integer(m.generalUnits)],
            [.string(zh ? "抽中一般检查单位数" : "General units drawn"), .integer(m.generalUnitsDrawn)],
        ]
        l = try sheet.writeTable(header: zh ? ["计划指标", "数值"] : ["Figure", "Value"], rows: totals,
                                 title: zh ? "计划总量" : "Totals", startRow: l.lastRow + 2)
        let checks: [[CellValue]] = doc.checks.map { c in
            [.string(c.rule), .string(PlanReport.ruleTitle(c.rule, report.lang)), .string(PlanReport.figure(c)), .string(PlanReport.threshold(c)),
             .string(c.pass ? "PASS" : (zh ? "不足" : "short")), .string(c.message), .string(c.fix ?? "")]
        }
        l = try sheet.writeTable(header: zh ? ["规则", "内容", "实际", "要求", "结论", "说明", "调整建议"] : ["Rule", "What", "Figure", "Threshold", "Verdict", "Detail", "Fix"],
                                 rows: checks, title: zh ? "逐条规则核验" : "Rule by rule", startRow: l.lastRow + 2)
        let s = doc.solver
        // Timings stay out of the workbook (they are in plan.json): same inputs, same bytes.
        _ = try sheet.writeTable(header: zh ? ["求解阶段", "状态", "目标值", "相对间隙", "行", "列"] : ["Stage", "Status", "Objective", "Gap", "Rows", "Columns"],
                                 rows: s.stages.map { [.string($0.name), .string($0.status), .number($0.objective), .number($0.mipGap), .integer($0.rows), .integer($0.columns)] },
                                 title: zh ? "GLPK 求解（类别层面整数规划，单位按优先级排入月份）" : "GLPK (class-level integer programs)", startRow: l.lastRow + 2)
        // Several tables share the columns: widths that fit all of them.
        for (col, width) in [(0, 24.0), (1, 34.0), (2, 14.0), (3, 12.0), (4, 10.0), (5, 60.0), (6, 60.0)] {
            try sheet.setColumnWidth(col, width: width)
        }
    }
}

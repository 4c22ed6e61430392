import Foundation
import Ledger
import Planning
import XLSX

/// The plan as one XLSX workbook with Chinese sheets and headers: 年度汇总, 重点检查单位清单,
/// 季度计划, 月度计划, 双随机抽取记录, 检查安排, 求解信息.
struct PlanWorkbook {
    struct Rows { let quarterly, monthly, keyList, visits, draws: [[String]] }
    let report: PlanReport
    /// The tables' rows, asked for after the summary sheet (which needs none of them): they may
    /// still be being computed beside it.
    let rows: () -> Rows
    var doc: PlanDocument { report.doc }
    var zh: Bool { report.lang == .zh }

    func write(to path: String) throws {
        let wb = try Workbook(path: path, properties: DocumentProperties(
            title: zh ? "\(doc.year)年度执法计划（\(doc.authority.name)）" : "Enforcement plan \(doc.year) (\(doc.authority.name))"))
        try summary(try wb.addSheet(name: zh ? "年度汇总" : "Summary"))
        let rows = rows()
        try table(wb, zh ? "重点检查单位清单" : "Key units", report.keyListHeader, rows.keyList,
                  zh ? "\(doc.year)年度重点检查单位清单（附件）" : "Key units \(doc.year)", numeric: [0], widths: [5: 50])
        try table(wb, zh ? "季度计划" : "Quarterly", report.quarterlyHeader, rows.quarterly,
                  zh ? "\(doc.year)年度季度执法计划" : "Quarterly plan \(doc.year)", numeric: [1, 2, 3, 4, 5, 6, 7, 8])
        try table(wb, zh ? "月度计划" : "Monthly", report.monthlyHeader, rows.monthly,
                  zh ? "\(doc.year)年度月度执法计划" : "Monthly plan \(doc.year)", numeric: [3, 4, 5, 6, 7])
        // The pool's SHA-256 whole: 64 hex digits, never cut off by the column.
        try table(wb, zh ? "双随机抽取记录" : "Draws", report.drawHeader, rows.draws,
                  zh ? "双随机抽取记录（sha256-weighted/1，可复现）" : "Random draws (sha256-weighted/1, reproducible)",
                  numeric: [1, 3, 4, 8], widths: [PlanReport.drawShaColumn: 68])
        try table(wb, zh ? "检查安排" : "Visits", report.visitHeader, rows.visits,
                  zh ? "\(doc.year)年度检查安排" : "Visits \(doc.year)", numeric: [1])
        try solverSheet(try wb.addSheet(name: zh ? "求解信息" : "Solver"))
        try wb.close()
    }

    /// A one-table sheet; `widths` sets (and wraps) the columns whose content runs long.
    func table(_ wb: Workbook, _ name: String, _ header: [String], _ rows: [[String]], _ title: String, numeric: Set<Int>,
               widths: [Int: Double] = [:]) throws {
        let sheet = try wb.addSheet(name: name)
        let cells: [[CellValue]] = rows.map { r in
            r.enumerated().map { i, v in numeric.contains(i) ? (Double(v).map { CellValue.number($0) } ?? .string(v)) : .string(v) }
        }
        let formats: [CellFormat?] = header.indices.map { widths[$0] == nil ? nil : .wrap }
        let layout = try sheet.writeTable(header: header, rows: cells, title: title, columnFormats: formats)
        for (col, width) in widths { try sheet.setColumnWidth(col, width: width) }
        try sheet.setPageSetup(.filed(repeatRows: layout.headingRows))
    }

    /// 年度汇总: the heading to file, the workday derivation, the totals (其中 lines adding up to
    /// the total) and the rule-by-rule verdicts. Solver details are on 求解信息.
    func summary(_ sheet: Sheet) throws {
        let lang = report.lang
        var row = try FiledSheet.writeHeading(sheet, title: zh ? "\(doc.year)年度安全生产执法计划汇总" : "Enforcement plan \(doc.year): summary",
                                              authority: doc.authority.name, columns: 7, lang: lang)
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
        if let b = w.borrowed { rows.append([.string(zh ? "执法力量调入" : "Borrowed (dispatch)"), .string(zh ? "全市调度单" : "city dispatch orders"), .number(b)]) }
        if let l = w.lent { rows.append([.string(zh ? "执法力量调出" : "Lent (dispatch)"), .string(zh ? "全市调度单" : "city dispatch orders"), .number(-l)]) }
        let derivation = w.borrowed == nil && w.lent == nil ? (zh ? "总 − 其他执法 − 非执法" : "gross − other − non")
            : (zh ? "总 − 其他执法 − 非执法 + 调入 − 调出" : "gross − other − non + borrowed − lent")
        rows.append([.string(zh ? "监督检查工作日" : "Inspection workdays"), .string(derivation), .number(w.inspection)])
        var l = try sheet.writeTable(header: zh ? ["项目", "计算", "人·日"] : ["Item", "Derivation", "Person-days"], rows: rows,
                                     title: zh ? "执法工作日测算" : "Workday derivation", startRow: row,
                                     freezeHeader: false, autofilter: false)
        row = l.lastRow + 2
        let b = report.visitBreakdown()
        var totals: [[CellValue]] = [[.string(b.total[0]), .integer(doc.metrics.visits)]]
        totals += b.parts.map { [.string($0.0), .integer($0.1)] }
        totals += b.across.map { [.string($0.0), .string($0.1)] }
        let m = doc.metrics
        totals += [
            [.string(zh ? "重点检查单位（已覆盖/总数）" : "Key units (covered/all)"), .string("\(m.keyUnitsCovered)/\(m.keyUnits)")],
            [.string(zh ? "一般检查单位（抽中/总数）" : "General units (drawn/all)"), .string("\(m.generalUnitsDrawn)/\(m.generalUnits)")],
        ]
        l = try sheet.writeTable(header: zh ? ["计划指标", "数值"] : ["Figure", "Value"], rows: totals,
                                 title: zh ? "计划总量" : "Totals", startRow: row, freezeHeader: false, autofilter: false)
        row = l.lastRow + 1
        if let note = b.note {
            // Where a campaign visit to a key unit is counted, under the table.
            try sheet.merge(rows: row...row, cols: 0...6, .string(Sheet.fitted(note)), format: .wrap)
            try sheet.setRowHeight(row, height: 30)
            row += 1
        }
        row += 1
        let checks = PlanReport.localized(doc.checks, of: doc, lang)
        let verdicts: [[CellValue]] = checks.map { c in
            [.string(c.rule), .string(PlanReport.ruleText(c, lang)), .string(PlanReport.figure(c)), .string(PlanReport.threshold(c)),
             .string(PlanReport.verdict(c, lang)), .string(c.message), .string(c.fix ?? "")]
        }
        _ = try sheet.writeTable(header: zh ? ["规则", "内容（条款）", "实际", "要求", "结论", "说明", "调整建议"] : ["Rule", "What (clause)", "Figure", "Threshold", "Verdict", "Detail", "Fix"],
                                 rows: verdicts, title: zh ? "逐条规则核验" : "Rule by rule", startRow: row,
                                 columnFormats: [nil, .wrap, nil, nil, nil, .wrap, .wrap], freezeHeader: false, autofilter: false)
        // Several tables share the columns: widths that fit all of them.
        for (col, width) in [(0, 30.0), (1, 36.0), (2, 14.0), (3, 12.0), (4, 20.0), (5, 50.0), (6, 50.0)] {
            try sheet.setColumnWidth(col, width: width)
        }
        try FiledSheet.finish(sheet)
    }

    /// 求解信息: GLPK's status, gap and the size of each stage's integer program.
    func solverSheet(_ sheet: Sheet) throws {
        let s = doc.solver
        // Timings stay out of the workbook (they are in plan.json): same inputs, same bytes.
        let rows: [[CellValue]] = [[.string(zh ? "合计" : "Overall"), .string(s.status), .string(""), .number(s.mipGap), .string(""), .string("")]]
            + s.stages.map { [.string($0.name), .string($0.status), .number($0.objective), .number($0.mipGap), .integer($0.rows), .integer($0.columns)] }
        let l = try sheet.writeTable(header: zh ? ["求解阶段", "状态", "目标值", "相对间隙", "行", "列"] : ["Stage", "Status", "Objective", "Gap", "Rows", "Columns"],
                                     rows: rows, title: zh ? "GLPK 求解（类别层面整数规划，单位按优先级排入月份）" : "GLPK (class-level integer programs; units placed by priority)")
        try sheet.setPageSetup(.filed(repeatRows: l.headingRows))
    }
}

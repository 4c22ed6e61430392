import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
@testable import Reports

/// The files `PlanReport.write(to:)` puts in a plan's folder, read back as a user's tools read
/// them (the CSVs as Excel opens them, the workbook's cells, plan.json by its decoder), and every
/// figure checked against the plan's own structures.
final class PlanFilesTests: XCTestCase {
    static let written: (doc: PlanDocument, zh: String, en: String)? = {
        guard let doc = try? RT.planWithCampaignOnKeyUnits() else { return nil }
        let zh = RT.tempDir(), en = RT.tempDir()
        do {
            try PlanReport(doc: doc, lang: .zh).write(to: zh)
            try PlanReport(doc: doc, lang: .en).write(to: en)
        } catch { return nil }
        return (doc, zh, en)
    }()

    func plan() throws -> (doc: PlanDocument, zh: String, en: String) {
        try XCTUnwrap(Self.written, "the small plan could not be solved or written")
    }

    // MARK: - The folder

    func testTheFolderHoldsExactlyTheNamedFilesAndPlanJSONDecodesToThePlan() throws {
        let p = try plan()
        for (dir, lang) in [(p.zh, Lang.zh), (p.en, .en)] {
            let names = PlanReport(doc: p.doc, lang: lang).fileNames
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), names.sorted())
            for n in names { XCTAssertTrue(OutputNames.isPlannerFile(n), n) }
            let back = try PlanDocument.load(path: "\(dir)/plan.json")
            XCTAssertEqual(back.visits, p.doc.visits, "plan.json decodes to the plan written")
            XCTAssertEqual(back.draws, p.doc.draws)
            XCTAssertEqual(back.months, p.doc.months)
            let again = RT.tempDir() + "/plan.json"
            try back.writeJSON(to: again)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again)), try Data(contentsOf: URL(fileURLWithPath: "\(dir)/plan.json")),
                           "decoded and written again: the same bytes")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(p.zh)/plan.json")),
                       try Data(contentsOf: URL(fileURLWithPath: "\(p.en)/plan.json")), "plan.json does not depend on --lang")
    }

    // MARK: - CSVs

    func testMonthlyCSVAddsUpToEachMonthOfPlanJSON() throws {
        let p = try plan()
        let t = try RT.csv("\(p.zh)/月度计划.csv")
        XCTAssertEqual(t.header, ["月份", "检查类型", "执法检查专题", "检查数量", "其中重点检查单位", "检查用时（组·日）", "可用（组·日）", "工作日"])
        for m in p.doc.months {
            let rows = t.rows.filter { $0[0] == "\(m.month)月" }
            XCTAssertFalse(rows.isEmpty, "month \(m.month) has a row")
            XCTAssertEqual(rows.reduce(0) { $0 + Int($1[3])! }, m.visits, "visits of month \(m.month)")
            XCTAssertEqual(rows.reduce(0.0) { $0 + Double($1[5])! }, m.effortTeamDays, accuracy: 1e-6, "effort of month \(m.month)")
            for r in rows {
                XCTAssertEqual(r[6], PlanReport.f(m.capacityTeamDays))
                XCTAssertEqual(r[7], String(m.workdays))
            }
            // Key-unit visits of the month, counted from the visits themselves.
            let key = Set(p.doc.units.filter { $0.isKey }.map { $0.id })
            XCTAssertEqual(rows.reduce(0) { $0 + Int($1[4])! }, p.doc.visits.filter { $0.month == m.month && key.contains($0.unit) }.count)
        }
        // A campaign's rows name it as the topic, with exactly its visits.
        for c in p.doc.policy.campaigns {
            let rows = t.rows.filter { $0[2] == c.name }
            XCTAssertEqual(rows.reduce(0) { $0 + Int($1[3])! }, p.doc.visits.filter { $0.campaign == c.name }.count, c.name)
        }
    }

    func testQuarterlyCSVIsTheSumOfItsMonths() throws {
        let p = try plan()
        let t = try RT.csv("\(p.zh)/季度计划.csv")
        XCTAssertEqual(t.header.first, "季度")
        XCTAssertEqual(t.rows.map { $0[0] }, ["第1季度", "第2季度", "第3季度", "第4季度"])
        for (q, r) in t.rows.enumerated() {
            let ms = p.doc.months.filter { ($0.month - 1) / 3 == q }
            XCTAssertEqual(Int(r[1]), ms.reduce(0) { $0 + $1.visits })
            XCTAssertEqual(Int(r[2]), ms.reduce(0) { $0 + $1.key })
            XCTAssertEqual(Int(r[3]), ms.reduce(0) { $0 + $1.special })
            XCTAssertEqual(Int(r[4]), ms.reduce(0) { $0 + $1.random })
            XCTAssertEqual(Int(r[5]), ms.reduce(0) { $0 + $1.joint })
            XCTAssertEqual(Int(r[8]), ms.reduce(0) { $0 + $1.workdays })
        }
        XCTAssertEqual(t.rows.reduce(0) { $0 + Int($1[1])! }, p.doc.visits.count, "the year's visits")
        // The quarter of the campaign's months names it among its focus items.
        let c = try XCTUnwrap(p.doc.policy.campaigns.first)
        for q in Set(p.doc.visits.filter { $0.campaign == c.name }.map { ($0.month - 1) / 3 }) {
            XCTAssertTrue(t.rows[q][9].contains(c.name), "Q\(q + 1) focus: \(t.rows[q][9])")
        }
    }

    func testKeyUnitListHasEveryKeyUnitWithItsRulesAndPlannedMonths() throws {
        let p = try plan()
        let t = try RT.csv("\(p.zh)/重点检查单位清单.csv")
        let key = p.doc.units.filter { $0.ownUnit && $0.isKey }
        XCTAssertEqual(key.count, 20)
        XCTAssertEqual(t.rows.map { $0[2] }, key.map { $0.id }, "every own key unit once, in plan.json's order")
        XCTAssertEqual(t.rows.map { $0[0] }, (1...key.count).map(String.init), "numbered 1…n")
        for (r, u) in zip(t.rows, key) {
            XCTAssertEqual(r[1], u.name)
            XCTAssertEqual(r[3], u.town)
            XCTAssertEqual(r[4], "工贸")
            XCTAssertTrue(r[5].contains("KEY-M9"), "the rule that makes it key: \(r[5])")
            let months = p.doc.visits.filter { $0.unit == u.id }.map { $0.month }.sorted()
            XCTAssertFalse(months.isEmpty, "\(u.id) is visited")
            XCTAssertEqual(r[8], months.map { "\($0)月" }.joined(separator: "、"))
            XCTAssertEqual(r[9], u.authority)
        }
    }

    func testVisitsCSVIsEveryVisitOfPlanJSONInOrder() throws {
        let p = try plan()
        let t = try RT.csv("\(p.zh)/检查安排.csv")
        XCTAssertEqual(t.header, ["检查编号", "月份", "单位名称", "统一社会信用代码", "所属街镇", "检查类型", "专项", "抽取编号"])
        XCTAssertEqual(t.rows.count, p.doc.visits.count)
        let names = Dictionary(uniqueKeysWithValues: p.doc.units.map { ($0.id, $0.name) })
        for (r, v) in zip(t.rows, p.doc.visits) {
            XCTAssertEqual(r[0], v.id)
            XCTAssertEqual(r[1], String(v.month))
            XCTAssertEqual(r[2], names[v.unit])
            XCTAssertEqual(r[3], v.unit)
            XCTAssertEqual(r[5], PlanReport.kindLabel(v.kind, .zh))
            XCTAssertEqual(r[6], v.campaign ?? "")
            XCTAssertEqual(r[7], v.draw ?? "")
        }
    }

    func testDrawCSVPublishesEveryDrawWithItsPoolHashAndUnitsInOrder() throws {
        let p = try plan()
        XCTAssertFalse(p.doc.draws.isEmpty, "the small plan draws general units")
        let t = try RT.csv("\(p.zh)/双随机抽取记录.csv")
        XCTAssertEqual(t.header[PlanReport.drawShaColumn], "抽取池SHA-256")
        for d in p.doc.draws {
            let rows = t.rows.filter { $0[0] == d.id }
            XCTAssertEqual(rows.count, max(1, d.drawn.count), d.id)
            for r in rows {
                XCTAssertEqual(r[1], String(d.month))
                XCTAssertEqual(r[3], String(d.poolSize))
                XCTAssertEqual(r[4], String(d.k))
                XCTAssertEqual(r[5], String(d.seed))
                XCTAssertEqual(r[6], d.method)
                XCTAssertEqual(r[7], d.poolSha256)
                XCTAssertEqual(r[7].count, 64)
            }
            XCTAssertEqual(rows.map { $0[10] }.filter { !$0.isEmpty }, d.drawn, "\(d.id): the units drawn, in draw order")
        }
        XCTAssertEqual(Set(t.rows.map { $0[0] }), Set(p.doc.draws.map { $0.id }), "no row of another draw")
    }

    func testEnglishCSVsHaveEnglishHeadersAndTheSameFigures() throws {
        let p = try plan()
        for (zh, en) in [("季度计划.csv", "quarterly.csv"), ("月度计划.csv", "monthly.csv"), ("重点检查单位清单.csv", "key-units.csv"),
                         ("检查安排.csv", "visits.csv"), ("双随机抽取记录.csv", "draws.csv")] {
            let a = try RT.csv("\(p.zh)/\(zh)"), b = try RT.csv("\(p.en)/\(en)")
            XCTAssertFalse(b.header.contains { RT.hasCJK($0) }, "\(en) header: \(b.header)")
            XCTAssertEqual(a.header.count, b.header.count, en)
            XCTAssertEqual(a.rows.count, b.rows.count, en)
        }
        let visits = try RT.csv("\(p.en)/visits.csv")
        XCTAssertEqual(visits.rows.map { $0[0] }, p.doc.visits.map { $0.id })
        XCTAssertEqual(try RT.csv("\(p.en)/quarterly.csv").rows.reduce(0) { $0 + Int($1[1])! }, p.doc.visits.count)
    }

    // MARK: - The workbook

    func testWorkbookSheetsHoldTheCSVsFiguresWithNumbersAsNumbers() throws {
        let p = try plan()
        let xlsx = "\(p.zh)/执法计划.xlsx"
        XCTAssertEqual(try RT.sheetNames(xlsx), ["年度汇总", "重点检查单位清单", "季度计划", "月度计划", "双随机抽取记录", "检查安排", "求解信息"])
        // Each table sheet: the CSV's rows, cell for cell (numbers compared as numbers).
        for (sheet, file, columns) in [("季度计划", "季度计划.csv", 10), ("月度计划", "月度计划.csv", 8), ("检查安排", "检查安排.csv", 8),
                                       ("双随机抽取记录", "双随机抽取记录.csv", 12), ("重点检查单位清单", "重点检查单位清单.csv", 10)] {
            let c = try RT.csv("\(p.zh)/\(file)")
            let rows = try RT.table(try RT.cells(xlsx, sheet), headedBy: c.header[0], columns: columns)
            XCTAssertEqual(rows.count, c.rows.count, sheet)
            for (x, y) in zip(rows, c.rows) {
                for (a, b) in zip(x, y) where a != b {
                    // The workbook splits a cell over Excel's limit, wraps long ones and writes numbers as numbers.
                    if let da = Double(a), let db = Double(b) { XCTAssertEqual(da, db, accuracy: 1e-9, "\(sheet): \(x) vs \(y)") } else {
                        XCTAssertEqual(a.replacingOccurrences(of: "\n", with: ""), b.replacingOccurrences(of: "\n", with: ""), "\(sheet): \(x) vs \(y)")
                    }
                }
            }
        }
        // The visit month is a number cell, not text (Excel sums it).
        let visitXML = try RT.sheetXML(xlsx, named: "检查安排")
        XCTAssertTrue(visitXML.contains("<c r=\"B4\"") || visitXML.contains("<c r=\"B3\""), "month column present")
        XCTAssertEqual(try RT.sheetNames("\(p.en)/plan.xlsx"), ["Summary", "Key units", "Quarterly", "Monthly", "Draws", "Visits", "Solver"])
    }

    func testSummarySheetAndTerminalSummaryStateThePlansTotalsAndVerdicts() throws {
        let p = try plan()
        let texts = try RT.sheetTexts("\(p.zh)/执法计划.xlsx", named: "年度汇总")
        XCTAssertTrue(texts.contains { $0.contains(p.doc.authority.name) }, "the authority named")
        for c in p.doc.checks { XCTAssertTrue(texts.contains(c.rule), "rule \(c.rule) on the summary sheet") }
        let summary = PlanReport(doc: p.doc, lang: .zh).summary()
        XCTAssertTrue(summary.contains(String(p.doc.visits.count)), "the visit total in the summary")
        for c in p.doc.checks { XCTAssertTrue(summary.contains(c.rule), "rule \(c.rule) in the summary") }
        XCTAssertTrue(summary.contains(p.doc.compliant ? "符合" : "不符合"), summary)
        let english = PlanReport(doc: p.doc, lang: .en).summary()
        for c in p.doc.checks { XCTAssertTrue(english.contains(c.rule), "rule \(c.rule) in the English summary") }
    }

    func testWritingTwiceGivesTheSameBytes() throws {
        let p = try plan()
        let again = RT.tempDir()
        try PlanReport(doc: p.doc, lang: .zh).write(to: again)
        for name in PlanReport(doc: p.doc, lang: .zh).fileNames {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(again)/\(name)")),
                           try Data(contentsOf: URL(fileURLWithPath: "\(p.zh)/\(name)")), name)
        }
    }
}

import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
@testable import Reports

/// The plan as a bureau files it: verdict words per language, rule titles and clauses, 其中
/// lines that add up, the yearly cap on its own line, the workbook's sheets and print setup,
/// the draw record 一公开 publishes, terminal width and English verifier messages.
final class PlanReportTests: XCTestCase {
    // MARK: - Verdicts

    func testVerdictWordsPerLanguage() {
        let short = PlanDocument.RuleCheck(rule: "FREQ-KEY-COVER", figure: 6, threshold: 20, pass: false, shortfall: 14, unit: "visits", message: "", fix: nil)
        let ok = PlanDocument.RuleCheck(rule: "PLAN-SHARE60", figure: 0.7, threshold: 0.6, pass: true, shortfall: 0, unit: "visits", message: "", fix: nil)
        XCTAssertEqual(PlanReport.verdict(short, .zh), "不符合（差14家次）")
        XCTAssertEqual(PlanReport.verdict(ok, .zh), "符合")
        XCTAssertEqual(PlanReport.verdict(short, .en), "FAIL (short 14 visits)")
        XCTAssertEqual(PlanReport.verdict(ok, .en), "PASS")
        var team = short; team.unit = "team-days"; team.shortfall = 2.5
        XCTAssertEqual(PlanReport.verdict(team, .zh), "不符合（差2.50组·日）")
        var noSize = short; noSize.shortfall = 0
        XCTAssertEqual(PlanReport.verdict(noSize, .zh), "不符合", "a failure without a size (a draw that does not re-run)")
    }

    func testSummaryAndWorkbookSayVerdictsInChineseAndInEnglish() throws {
        let doc = try RT.shortPlan()
        XCTAssertFalse(doc.compliant)
        let zh = PlanReport(doc: doc, lang: .zh).summary()
        XCTAssertFalse(zh.contains("PASS") || zh.contains("不足"), zh)
        XCTAssertTrue(zh.contains("不符合（差"), zh)
        XCTAssertTrue(zh.contains("符合"), zh)
        let en = PlanReport(doc: doc, lang: .en).summary()
        XCTAssertTrue(en.contains("FAIL (short "), en)
        XCTAssertFalse(en.contains("符合"), en)

        let dir = RT.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try PlanReport(doc: doc, lang: .zh).write(to: dir)
        let texts = try RT.sheetTexts("\(dir)/执法计划.xlsx", named: "年度汇总")
        XCTAssertTrue(texts.contains { $0.hasPrefix("不符合（差") }, "\(texts)")
        XCTAssertFalse(texts.contains("PASS") || texts.contains("不足"), "\(texts)")
    }

    /// A cell over Excel's 32,767-character limit (here a rule's message listing 3,000 units)
    /// does not fail the run after planning: it continues on the rows below, every character kept.
    func testACellOverExcelsLimitIsSplitAndThePlanIsWritten() throws {
        var doc = try RT.shortPlan()
        let message = "未覆盖单位：" + (1...3000).map { RT.code(50_000 + $0) }.joined(separator: "、")
        XCTAssertGreaterThan(message.utf16.count, 40_000)
        // A passing rule: no fix beside the message, so its pieces follow one another.
        let i = try XCTUnwrap(doc.checks.firstIndex { $0.pass && ($0.fix ?? "").isEmpty })
        doc.checks[i].message = message
        let dir = RT.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try PlanReport(doc: doc, lang: .zh).write(to: dir)
        let texts = try RT.sheetTexts("\(dir)/执法计划.xlsx", named: "年度汇总")
        let start = try XCTUnwrap(texts.firstIndex { $0.hasPrefix("未覆盖单位：") })
        XCTAssertTrue(texts.allSatisfy { $0.utf16.count <= 32_767 })
        let pieces = texts[start...].prefix { $0.hasPrefix("未覆盖单位：") || $0.hasPrefix("91310115") }
        XCTAssertEqual(pieces.joined(), message, "the message whole, over \(pieces.count) rows")
        XCTAssertGreaterThan(pieces.count, 1)
    }

    // MARK: - Rule titles and clauses

    func testRulesShowTitlesAndClauses() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        let zh = PlanReport(doc: doc, lang: .zh).summary()
        XCTAssertTrue(zh.contains("重点检查工作量占比不少于60%〔五(十二)〕"), zh)
        XCTAssertTrue(zh.contains("〔三(三)〕"), zh)
        XCTAssertTrue(zh.contains("专项执法「有限空间作业专项」〔四(十)〕"), "each campaign's line names it: " + zh)
        for c in doc.checks { XCTAssertNotNil(RuleCatalogue.title(c.rule, .zh), "\(c.rule) has a title"); XCTAssertNotNil(RuleCatalogue.clause(c.rule)) }
        // The key-unit list: each unit's rules with their titles and clauses.
        let r = PlanReport(doc: doc, lang: .zh)
        let rulesColumn = try XCTUnwrap(r.keyListHeader.firstIndex(of: "纳入重点的情形"))
        let first = try XCTUnwrap(r.keyListRows.first)
        XCTAssertTrue(first[rulesColumn].contains("KEY-M9 大中型工贸单位〔三(一)9〕"), first[rulesColumn])
    }

    // MARK: - 其中 lines

    func testBreakdownLinesAddUpToTheTotalWithCampaignVisitsToKeyUnits() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        let byId = Dictionary(doc.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let campaignToKey = doc.visits.filter { $0.kind == "special" && byId[$0.unit]?.class == "key" }.count
        XCTAssertGreaterThan(campaignToKey, 0, "the case needs campaign visits to key units")
        // The old lines counted those visits twice: key-unit visits (any kind) + campaign visits.
        XCTAssertGreaterThan(doc.metrics.keyVisits + doc.metrics.specialVisits + doc.metrics.randomVisits + doc.metrics.jointVisits, doc.metrics.visits)

        for lang in [Lang.zh, .en] {
            let b = PlanReport(doc: doc, lang: lang).visitBreakdown()
            XCTAssertEqual(b.parts.reduce(0) { $0 + $1.1 }, doc.metrics.visits, "\(lang): \(b.parts)")
            let note = try XCTUnwrap(b.note)
            XCTAssertTrue(note.contains(String(campaignToKey)), note)
        }
        let zh = PlanReport(doc: doc, lang: .zh).summary()
        XCTAssertTrue(zh.contains("只计入“其中专项执法”一行"), zh)
        // The printed 其中 lines add up too.
        let lines = zh.split(separator: "\n").filter { $0.hasPrefix("其中") }
        let sum = lines.compactMap { Int($0.split(separator: " ").last!) }.reduce(0, +)
        XCTAssertEqual(lines.count, 4, zh)
        XCTAssertEqual(sum, doc.metrics.visits, zh)
    }

    // MARK: - FREQ-CAP

    func testYearlyCapHasItsOwnRuleLine() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        XCTAssertEqual(doc.checks.filter { $0.rule == "FREQ-KEY-COVER" }.count, 1, "one FREQ-KEY-COVER line")
        let cap = try XCTUnwrap(doc.checks.first { $0.rule == "FREQ-CAP" })
        XCTAssertEqual(cap.threshold, Double(doc.policy.maxVisitsPerUnit))
        XCTAssertEqual(PlanReport.threshold(cap), "≤\(doc.policy.maxVisitsPerUnit)")
        let zh = PlanReport(doc: doc, lang: .zh).summary()
        let capLine = try XCTUnwrap(zh.split(separator: "\n").first { $0.hasPrefix("FREQ-CAP") }, zh)
        XCTAssertTrue(capLine.contains("单家单位年度检查次数上限"), String(capLine))
        XCTAssertFalse(zh.split(separator: "\n").contains { $0.hasPrefix("FREQ-KEY-COVER") && $0.contains("≤") }, zh)
    }

    // MARK: - Workbook

    func testSolverDetailsOnTheirOwnSheetAndSummaryPrintsOnA4() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        let dir = RT.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try PlanReport(doc: doc, lang: .zh).write(to: dir)
        let xlsx = "\(dir)/执法计划.xlsx"
        let names = try RT.sheetNames(xlsx)
        XCTAssertTrue(names.contains("求解信息"), "\(names)")
        let summary = try RT.sheetTexts(xlsx, named: "年度汇总")
        XCTAssertFalse(summary.contains { $0.contains("GLPK") || $0.contains("求解") }, "no solver lines in 年度汇总: \(summary)")
        XCTAssertTrue(summary.contains("编制单位：浦东新区应急管理局"), "\(summary)")
        XCTAssertTrue(summary.contains { $0.hasPrefix("日期：") }, "\(summary)")
        XCTAssertTrue(summary.contains { $0.contains("年度安全生产执法计划汇总") }, "a title: \(summary)")
        let solver = try RT.sheetTexts(xlsx, named: "求解信息")
        XCTAssertTrue(solver.contains("optimal"), "\(solver)")

        let xml = try RT.sheetXML(xlsx, named: "年度汇总")
        XCTAssertTrue(xml.contains("paperSize=\"9\""), "A4")
        // Fit to one page wide: fitToWidth is Excel's default 1 (omitted), fitToHeight 0 (any number of pages long).
        XCTAssertTrue(xml.contains("fitToHeight=\"0\"") && (!xml.contains("fitToWidth=") || xml.contains("fitToWidth=\"1\"")), "fit to one page wide")
        XCTAssertTrue(xml.contains("<fitToPage/>") || xml.contains("fitToPage=\"1\""), xml)
        XCTAssertTrue(xml.contains("<headerFooter") && xml.contains("&amp;P/&amp;N"), "page numbers in the footer")
        // Frozen: the heading rows only (title, 编制单位, 日期), not a table deep in the sheet.
        XCTAssertTrue(xml.contains("ySplit=\"3\"") && xml.contains("topLeftCell=\"A4\""), xml)
        XCTAssertEqual(xml.components(separatedBy: "<autoFilter").count, 1, "no autofilter on the summary")
        let workbook = try RT.unzip(xlsx, "xl/workbook.xml")
        XCTAssertTrue(workbook.contains("_xlnm.Print_Titles\" localSheetId=\"0\">'年度汇总'!$1:$3<"), workbook)
    }

    func testDrawRecordListsNamesAndTheWholePoolHash() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        XCTAssertFalse(doc.draws.isEmpty)
        let r = PlanReport(doc: doc, lang: .zh)
        let sha = try XCTUnwrap(r.drawHeader.firstIndex(of: "抽取池SHA-256"))
        let name = try XCTUnwrap(r.drawHeader.firstIndex(of: "抽中单位名称"))
        let code = try XCTUnwrap(r.drawHeader.firstIndex(of: "统一社会信用代码"))
        let drawn = doc.draws.reduce(0) { $0 + max(1, $1.drawn.count) }
        XCTAssertEqual(r.drawRows.count, drawn, "one row per unit drawn")
        let names = Dictionary(doc.units.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        for row in r.drawRows {
            XCTAssertNotNil(row[sha].range(of: "^[0-9a-f]{64}$", options: .regularExpression), row[sha])
            if !row[code].isEmpty { XCTAssertEqual(row[name], names[row[code]]) }
        }
        let dir = RT.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try r.write(to: dir)
        let csv = try String(contentsOfFile: "\(dir)/双随机抽取记录.csv", encoding: .utf8)
        XCTAssertTrue(csv.contains("一般单位"), "names in the CSV")
        let texts = try RT.sheetTexts("\(dir)/执法计划.xlsx", named: "双随机抽取记录")
        XCTAssertTrue(texts.contains(doc.draws[0].poolSha256), "the whole hash in its own cell")
        // Its column wide enough to show all 64 digits.
        let xml = try RT.sheetXML("\(dir)/执法计划.xlsx", named: "双随机抽取记录")
        XCTAssertTrue(xml.contains("<col min=\"\(sha + 1)\" max=\"\(sha + 1)\" width=\"68"), xml)
    }

    // MARK: - Terminal

    func testTerminalTablesFitOneHundredTwentyColumns() throws {
        let doc = try RT.shortPlan()
        for lang in [Lang.zh, .en] {
            let s = PlanReport(doc: doc, lang: lang).summary()
            for line in s.split(separator: "\n") {
                XCTAssertLessThanOrEqual(TextTable.width(String(line)), 120, "\(lang): \(line)")
            }
        }
        var t = TextTable(header: ["序号", "单位名称", "说明"], align: [.right, .left, .left])
        t.add(["1", String(repeating: "上海某某化工有限公司", count: 6), String(repeating: "explanation words ", count: 12)])
        let out = t.render()
        XCTAssertGreaterThan(out.split(separator: "\n").count, 3, "long cells wrap onto more lines")
        for line in out.split(separator: "\n") { XCTAssertLessThanOrEqual(TextTable.width(String(line)), 120, String(line)) }
        XCTAssertTrue(out.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
            .contains(String(repeating: "上海某某化工有限公司", count: 6).prefix(10)), "nothing is lost")
    }

    func testWrapKeepsEveryCharacterAndWidth() {
        let text = "重点检查单位全覆盖：6/20家达到应检次数 — 差14家次：需增加7组·日（14人·日）监督检查工作日，约1名执法人员"
        let lines = TextTable.wrap(text, width: 30)
        XCTAssertTrue(lines.allSatisfy { TextTable.width($0) <= 30 }, "\(lines)")
        XCTAssertEqual(lines.joined().replacingOccurrences(of: " ", with: ""), text.replacingOccurrences(of: " ", with: ""))
        XCTAssertEqual(TextTable.wrap("short of fourteen visits", width: 10), ["short of", "fourteen", "visits"])
    }

    // MARK: - English verifier messages

    func testEnglishVerifierMessagesHaveNoChinese() throws {
        let doc = try RT.shortPlan()
        let en = VerdictText.checks(PlanVerifier.checks(doc), .en)
        XCTAssertEqual(en.map { $0.pass }, doc.checks.map { $0.pass })
        XCTAssertTrue(en.contains { !$0.pass && $0.fix != nil })
        for c in en {
            XCTAssertFalse(RT.hasCJK(c.message), "\(c.rule): \(c.message)")
            XCTAssertFalse(RT.hasCJK(c.fix ?? ""), "\(c.rule): \(c.fix ?? "")")
        }
        // The Chinese ones (plan.json keeps them) are unchanged in kind.
        XCTAssertTrue(doc.checks.allSatisfy { RT.hasCJK($0.message) })
        // Campaign names are the scenario's own words; everything else is English.
        let campaign = try RT.planWithCampaignOnKeyUnits()
        for c in VerdictText.checks(PlanVerifier.checks(campaign), .en) {
            let text = (c.message + (c.fix ?? "")).replacingOccurrences(of: "有限空间作业专项", with: "")
            XCTAssertFalse(RT.hasCJK(text), "\(c.rule): \(text)")
        }
        let summary = PlanReport(doc: doc, lang: .en).summary()
        let fixes = summary.components(separatedBy: "Shortfalls and fixes:").last ?? ""
        XCTAssertFalse(RT.hasCJK(fixes.components(separatedBy: "Solver:").first ?? ""), fixes)
    }
    /// Every file a plan report writes, in either language, is recognised as the planner's, so a
    /// plan folder written before the `.planner-output` marker can still be replaced; others not.
    func testOutputNamesRecogniseEveryFileAPlanWrites() throws {
        let doc = try RT.shortPlan()
        for lang in [Lang.zh, .en] {
            let dir = RT.tempDir()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try PlanReport(doc: doc, lang: lang).write(to: dir)
            let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            XCTAssertEqual(Set(names), Set(PlanReport(doc: doc, lang: lang).fileNames))
            for n in names { XCTAssertTrue(OutputNames.isPlannerFile(n), n) }
        }
        for n in ["roster-2027-03.json", "现场检查方案-2027-03.xlsx", "roster-sheet-2027-12.csv", "情景比较.svg", "changes.json",
                  ".planner-staging-1234", "执法计划.xlsx.part", ".执法计划.xlsx.0F1E2D3C-AAAA-BBBB-CCCC-DDDDEEEEFFFF.tmp"] {
            XCTAssertTrue(OutputNames.isPlannerFile(n), n)
        }
        for n in ["notes.txt", "plan.json.bak", "roster-2027-3.json", "roster-20x7-03.json", "我的计划.xlsx", ".tmp", "x.part"] {
            XCTAssertFalse(OutputNames.isPlannerFile(n), n)
        }
    }
}

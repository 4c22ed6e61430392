import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
@testable import Reports

/// The printable plan (执法计划.html, plan.html in English): a golden file of a small solved plan, and checks that do
/// not trust the golden: every figure read back out of the document equals plan.json's, the
/// sections come in a filed plan's order, nothing is fetched or run, text is escaped, the
/// English variant, the same bytes every time.
///
/// The golden files are rewritten only on purpose: `UPDATE_GOLDEN=1 swift test --filter PlanHTMLTests`.
final class PlanHTMLTests: XCTestCase {

    func html(_ doc: PlanDocument, _ lang: Lang = .zh) throws -> String {
        try PlanHTML(report: PlanReport(doc: doc, lang: lang)).render()
    }

    // MARK: - Golden

    func testSmallPlanMatchesTheGoldenFiles() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        for (lang, name) in [(Lang.zh, "plan-small.zh.html"), (.en, "plan-small.en.html")] {
            let text = try html(doc, lang)
            try RT.matchGolden(text, name)
        }
    }

    // MARK: - Every figure is plan.json's

    func testWorkdayTableHasEveryFigureOfPlanJSON() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        let rows = try HTMLTable.rows(of: "workdays", in: try html(doc))
        let w = doc.workdays
        func value(_ label: String) throws -> String { try XCTUnwrap(rows.first { $0[0].hasPrefix(label) }, label)[2] }
        XCTAssertEqual(try value("国家法定工作日"), String(w.calendar))
        XCTAssertEqual(try value("执法人员数"), String(w.staff))
        XCTAssertEqual(try value("总法定工作日"), PlanReport.f(w.gross))
        XCTAssertEqual(try value("其他执法工作日"), PlanReport.f(w.otherEnforcement))
        XCTAssertEqual(try value("非执法工作日"), PlanReport.f(w.nonEnforcement))
        XCTAssertEqual(try value("监督检查工作日"), PlanReport.f(w.inspection))
        XCTAssertEqual(try XCTUnwrap(rows.first { $0[0].hasPrefix("总法定工作日") })[1], "\(w.calendar) × \(w.staff)")
        // Every category the scenario lists, with its days.
        let items = rows.filter { $0[0].hasPrefix("　其中：") }
        XCTAssertEqual(items.map { String($0[0].dropFirst(4)) }, (w.otherEnforcementItems + w.nonEnforcementItems).map { $0.name })
        XCTAssertEqual(items.map { $0[2] }, (w.otherEnforcementItems + w.nonEnforcementItems).map { PlanReport.f($0.days) })
        XCTAssertTrue(try XCTUnwrap(rows.first { $0[0].hasPrefix("国家法定工作日") })[3].contains(w.calendarSource))
    }

    func testMonthlyQuarterlyAndFigureTablesAddUpToPlanJSON() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        let text = try html(doc)
        let monthly = try HTMLTable.rows(of: "monthly", in: text)
        for m in doc.months {
            let rows = monthly.filter { $0[0] == "\(m.month)月" }
            XCTAssertFalse(rows.isEmpty, "month \(m.month)")
            XCTAssertEqual(rows.map { Int($0[3])! }.reduce(0, +), m.visits, "visits in month \(m.month)")
            XCTAssertEqual(Set(rows.map { $0[7] }), [String(m.workdays)], "workdays of month \(m.month)")
            XCTAssertEqual(Set(rows.map { $0[6] }), [PlanReport.f(m.capacityTeamDays)], "capacity of month \(m.month)")
        }
        let quarterly = try HTMLTable.rows(of: "quarterly", in: text)
        XCTAssertEqual(quarterly.count, 4)
        XCTAssertEqual(quarterly.map { Int($0[1])! }.reduce(0, +), doc.metrics.visits)
        XCTAssertEqual(quarterly.map { Int($0[2])! }.reduce(0, +), doc.months.reduce(0) { $0 + $1.key })
        let figures = try HTMLTable.rows(of: "figures", in: text)
        XCTAssertEqual(figures.first, ["检查总家次", String(doc.metrics.visits)])
        let share = String(format: "%.1f%%", doc.metrics.keyShare * 100)
        XCTAssertTrue(try XCTUnwrap(figures.first { $0[0].hasPrefix("重点检查工作量") })[1].hasSuffix("（\(share)）"), share)
        XCTAssertTrue(figures.contains(["重点检查单位（已覆盖/总数）", "\(doc.metrics.keyUnitsCovered)/\(doc.metrics.keyUnits)"]))
        XCTAssertTrue(figures.contains(["检查总家次 ÷ 监督检查工作日", String(format: "%.3f", doc.metrics.visitsPerWorkday)]))
        let checks = try HTMLTable.rows(of: "checks", in: text)
        XCTAssertEqual(checks.map { $0[0] }, doc.checks.map { $0.rule })
        XCTAssertEqual(checks.map { $0[2] }, doc.checks.map { PlanReport.figure($0) })
        XCTAssertEqual(checks.map { $0[4] }, doc.checks.map { PlanReport.verdict($0, .zh) })
        let share60 = try XCTUnwrap(checks.first { $0[0] == "PLAN-SHARE60" })
        XCTAssertEqual(share60[2], share)
        // 检查事项: one row per matter, its visits those of plan.json.
        let matters = try HTMLTable.rows(of: "matters", in: text)
        XCTAssertEqual(matters.map { $0[0] }, ["重点检查单位全覆盖检查", "一般检查单位双随机抽查"] + doc.policy.campaigns.map { $0.name })
        XCTAssertEqual(matters.map { Int($0[5])! }, [doc.visits.filter { $0.kind == "key" }.count, doc.metrics.randomVisits] + doc.policy.campaigns.map { $0.visits })
        XCTAssertTrue(matters[1][2].contains("一般检查单位\(doc.metrics.generalUnits)家，“双随机”抽取\(doc.metrics.generalUnitsDrawn)家"), matters[1][2])
        // The campaign: its visits and months as the policy section of plan.json states them.
        let campaigns = try HTMLTable.rows(of: "campaigns", in: text)
        XCTAssertEqual(campaigns, doc.policy.campaigns.map { [$0.name, $0.months.map { "\($0)月" }.joined(separator: "、"), String($0.visits), String($0.eligible)] })
    }

    func testEveryDrawIsPublishedWithSeedPoolAndUnits() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        XCTAssertFalse(doc.draws.isEmpty, "the small plan draws general units")
        let text = try html(doc)
        XCTAssertTrue(text.contains("<span id=\"seed\">\(doc.seed)</span>"))
        let blocks = text.components(separatedBy: "<div class=\"draw\" id=\"draw-").dropFirst()
        XCTAssertEqual(blocks.map { String($0.prefix { $0 != "\"" }) }, doc.draws.map { $0.id })
        for (d, block) in zip(doc.draws, blocks) {
            let body = block.components(separatedBy: "</div>")[0]
            let record = try XCTUnwrap(HTMLTable.allRows(in: body).first { $0.first == d.id }, d.id)
            XCTAssertEqual(record, [d.id, "\(d.month)月", "未抽中的一般检查单位", String(d.poolSize), String(d.k), String(d.seed), d.method])
            XCTAssertTrue(body.contains("<span class=\"sha\">\(d.poolSha256)</span>"), d.id)
            let drawn = try HTMLTable.rows(of: "drawn-\(d.id)", in: body)
            XCTAssertEqual(drawn.map { $0[2] }, d.drawn, d.id)
        }
        XCTAssertFalse(text.contains("本年度无双随机抽取"))
        var none = doc
        none.draws = []
        XCTAssertTrue(try html(none).contains("<p>本年度无双随机抽取。</p>"))
    }

    func testAttachmentListsEveryKeyUnitWithItsRuleAndMonths() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        let rows = try HTMLTable.rows(of: "key-units", in: try html(doc))
        XCTAssertEqual(rows.count, doc.metrics.keyUnits)
        let keys = doc.units.filter { $0.ownUnit && $0.isKey }
        XCTAssertEqual(rows.map { $0[2] }, keys.map { $0.id })
        XCTAssertEqual(rows.map { $0[1] }, keys.map { $0.name })
        XCTAssertEqual(rows.map { $0[5] }, keys.map { RiskLevel(rawValue: $0.riskLevel)!.zh })
        for (row, u) in zip(rows, keys) {
            for rule in u.rules { XCTAssertTrue(row[6].contains(rule), "\(u.id): \(rule)") }
            let months = doc.visits.filter { $0.unit == u.id }.map { $0.month }.sorted()
            XCTAssertEqual(row[7], months.map { "\($0)月" }.joined(separator: "、"), u.id)
        }
        // By risk level and category: the totals row counts the same units.
        let byRisk = try HTMLTable.rows(of: "key-by-risk", in: try html(doc))
        XCTAssertEqual(byRisk.last?.first, "合计")
        XCTAssertEqual(byRisk.last?.suffix(2).map { $0 }, [String(keys.count), String(doc.metrics.keyUnitsCovered)])
    }

    func testALongAttachmentIsTablesOfAPageEachWithEveryUnitInOrder() throws {
        var doc = try RT.planWithCampaignOnKeyUnits()
        // 20 key units of the plan and 80 more like them: 100 rows, tables of 45, 45 and 10.
        let template = try XCTUnwrap(doc.units.first { $0.ownUnit && $0.isKey })
        for n in 1...80 {
            var u = template
            u.id = RT.code(5000 + n)
            u.name = "附加重点单位\(n)有限公司"
            doc.units.append(u)
        }
        let text = try html(doc)
        let keys = doc.units.filter { $0.ownUnit && $0.isKey }
        XCTAssertEqual(keys.count, 100)
        XCTAssertEqual(PlanHTML.keyListChunk, 45)
        let ids = ["key-units", "key-units-2", "key-units-3"]
        let tables = try ids.map { try HTMLTable.rows(of: $0, in: text) }
        XCTAssertEqual(tables.map { $0.count }, [45, 45, 10])
        XCTAssertFalse(text.contains("id=\"key-units-4\""))
        let rows = tables.flatMap { $0 }
        XCTAssertEqual(rows.map { $0[0] }, (1...100).map(String.init), "numbered on across the tables")
        XCTAssertEqual(rows.map { $0[2] }, keys.map { $0.id }, "every key unit once, in order")
        XCTAssertEqual(text.components(separatedBy: "<table id=\"key-units").count - 1, 3)
        XCTAssertEqual(text.components(separatedBy: "class=\"key-units\"").count - 1, 3, "each table kept whole by the style")
        XCTAssertTrue(text.contains("table.key-units { font-size: 7pt; line-height: 1.15; margin: 0 0 2mm 0; table-layout: fixed; break-inside: avoid;"))
    }

    func testShortfallsAreListedWithTheirFixes() throws {
        let doc = try RT.shortPlan()
        let text = try html(doc)
        let failing = doc.checks.filter { !$0.pass }
        XCTAssertFalse(failing.isEmpty)
        let list = try XCTUnwrap(text.components(separatedBy: "<ul class=\"findings\">").dropFirst().first?.components(separatedBy: "</ul>").first)
        for c in failing {
            XCTAssertTrue(list.contains("<strong>\(c.rule)</strong>"), c.rule)
            if let fix = c.fix { XCTAssertTrue(HTMLTable.unescape(list).contains(fix), fix) }
        }
        XCTAssertFalse(text.contains("全部规则符合"))
    }

    // MARK: - A document to print and file

    func testSelfContainedPrintLayoutInTheOrderOfAFiledPlan() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        let text = try html(doc)
        RT.assertSelfContainedA4(text)
        XCTAssertTrue(text.contains("page-break-before: always"))
        // The CJK font stack: WenQuanYi Micro Hei (TrueType outlines: a named, embedded font in the
        // PDF), then Noto Sans CJK SC.
        XCTAssertTrue(text.contains("\"WenQuanYi Micro Hei\", \"Noto Sans CJK SC\", sans-serif;"), "the CJK font stack")
        XCTAssertTrue(text.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        XCTAssertEqual(HTMLTable.headings(text), ["一、编制依据", "二、执法力量测算", "三、年度目标与指标", "四、重点检查安排", "五、双随机抽查",
                                                "六、季度计划和月度计划", "附件：重点检查单位清单", "编制与审批"])
        XCTAssertTrue(text.contains("<h1>\(doc.year)年度安全生产监督检查计划</h1>"))
        // The cover's contents list the same sections; every section starts a new page.
        let contents = try XCTUnwrap(text.components(separatedBy: "<nav class=\"contents\">").dropFirst().first?.components(separatedBy: "</nav>").first)
        XCTAssertEqual(contents.components(separatedBy: "<li>").dropFirst().map { $0.components(separatedBy: "</li>")[0] }, HTMLTable.headings(text))
        XCTAssertEqual(text.components(separatedBy: "<section ").count - 1, 8)
        XCTAssertEqual(text.components(separatedBy: "class=\"page").count - 1, 8)
        // Four charts, inline SVG; the share chart has a bar per month and the 60% line.
        XCTAssertEqual(text.components(separatedBy: "<svg ").count - 1, 4)
        for id in ["chart-capacity", "chart-share", "chart-risk", "chart-towns"] { XCTAssertTrue(text.contains("<svg id=\"\(id)\""), id) }
        let share = try XCTUnwrap(text.components(separatedBy: "<svg id=\"chart-share\"").dropFirst().first?.components(separatedBy: "</svg>").first)
        XCTAssertEqual(share.components(separatedBy: "<rect x=").count - 1, doc.months.count + 1, "a bar a month and the legend's swatch")
        XCTAssertTrue(share.contains("stroke-dasharray"), "the 60% floor")
        // The signature block, left blank.
        for word in ["编制单位（盖章）", "审核", "批准", "日期"] { XCTAssertTrue(text.contains("<td class=\"label\">\(word)</td>"), word) }
        // The basis lists the rules by ID with their clause and words.
        let basis = try HTMLTable.rows(of: "basis-rules", in: text)
        XCTAssertTrue(basis.contains(["PLAN-SHARE60", "五(十二)", "重点检查工作量占比不少于60%",
                                      "“突出加强包括重点检查单位执法检查、专项执法检查等在内的重点检查工作，重点检查工作量占比不少于全部工作量的60%。工作量以执法或者监督检查总家次的形式体现”"]))
        XCTAssertTrue(basis.contains(["KEY-M9", "三(一)9", "大中型工贸单位", "“9.大中型工贸单位”"]))
        // Every rule the plan checks under a clause is there, with the policy's words quoted.
        for c in doc.checks where RuleCatalogue.clause(c.rule) != nil {
            let row = try XCTUnwrap(basis.first { $0[0] == c.rule }, c.rule)
            XCTAssertEqual(row[3], "“\(try XCTUnwrap(RuleCatalogue.policyWords(c.rule)))”", c.rule)
        }
    }

    func testEnglishVariant() throws {
        let doc = try RT.planWithCampaignOnKeyUnits()
        let text = try html(doc, .en)
        XCTAssertTrue(text.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertEqual(HTMLTable.headings(text), ["1. Basis", "2. Enforcement capacity", "3. Annual targets and figures", "4. Key inspections",
                                                "5. Random spot checks (double random)", "6. Quarterly and monthly plans", "Attachment: key-unit list",
                                                "Preparation and approval"])
        XCTAssertEqual(try HTMLTable.rows(of: "figures", in: text).first, ["visits", String(doc.metrics.visits)])
        XCTAssertEqual(try HTMLTable.rows(of: "checks", in: text).map { $0[4] }, doc.checks.map { PlanReport.verdict($0, .en) })
        XCTAssertEqual(try HTMLTable.rows(of: "key-units", in: text).count, doc.metrics.keyUnits)
        // The basis in English with the policy's Chinese words beside it.
        XCTAssertTrue(try HTMLTable.rows(of: "basis-rules", in: text).contains(["KEY-M9", "三(一)9", "large or medium industry-and-trade unit", "“9.大中型工贸单位”"]))
        // Chinese only where the data is Chinese (names, towns, the authority, campaigns, clauses).
        let headers = text.components(separatedBy: "<th>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        XCTAssertFalse(headers.contains { RT.hasCJK($0) }, headers.filter { RT.hasCJK($0) }.joined(separator: ", "))
    }

    func testTextIsEscapedAndTheDocumentIsTheSameEveryTime() throws {
        var doc = try RT.planWithCampaignOnKeyUnits()
        let first = try html(doc)
        XCTAssertEqual(try html(doc), first)
        // The solver's timings are not in the document: a plan timed differently prints the same.
        doc.solver.seconds += 12.5
        for i in doc.solver.stages.indices { doc.solver.stages[i].seconds += 1 }
        XCTAssertEqual(try html(doc), first)
        // A name with markup is text, escaped by the template.
        let i = try XCTUnwrap(doc.units.firstIndex { $0.ownUnit && $0.isKey })
        doc.units[i].name = "<script>alert(\"x\")</script>&<b>有限公司</b>"
        let text = try html(doc)
        XCTAssertFalse(text.contains("<script>"))
        XCTAssertFalse(text.contains("<b>"))
        XCTAssertTrue(text.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;b&gt;有限公司&lt;/b&gt;"))
        XCTAssertTrue(try HTMLTable.rows(of: "key-units", in: text).contains { $0[1] == doc.units[i].name })
    }

    func testARePlanSaysWhatItRePlans() throws {
        var doc = try RT.planWithCampaignOnKeyUnits()
        XCTAssertFalse(try html(doc).contains("class=\"replan\""))
        let sha = String(repeating: "ab", count: 32)
        doc.previousPlan = .init(sha256: sha, fromMonth: 7, keptMonths: [8])
        XCTAssertTrue(try html(doc).contains("<p class=\"replan\">本计划为年中重新编制：自7月起重新安排，保留8月的安排；原计划 plan.json 的 SHA-256：\(sha)。</p>"))
        XCTAssertTrue(try html(doc, .en).contains("<p class=\"replan\">A re-plan: re-planned from month 7; months kept: 8; SHA-256 of the previous plan.json: \(sha).</p>"))
    }
}

/// Reads the tables of the printable plan back: rows of cell texts, entities undone.
enum HTMLTable {
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The body rows of `<table id="ID">`.
    static func rows(of id: String, in html: String) throws -> [[String]] {
        let start = try XCTUnwrap(html.range(of: "<table id=\"\(id)\""), "no table \(id)")
        let end = try XCTUnwrap(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
        let table = String(html[start.upperBound..<end.lowerBound])
        let body = try XCTUnwrap(table.components(separatedBy: "<tbody>").dropFirst().first)
        return allRows(in: body)
    }

    /// Every row with `<td>` cells in `html`.
    static func allRows(in html: String) -> [[String]] {
        html.components(separatedBy: "<tr").dropFirst().compactMap { tr -> [String]? in
            let row = tr.components(separatedBy: "</tr>")[0]
            let cells = row.components(separatedBy: "<td").dropFirst().map { td -> String in
                let inner = td.drop { $0 != ">" }.dropFirst()
                return unescape(String(inner[..<(inner.range(of: "</td>")?.lowerBound ?? inner.endIndex)]))
            }
            return cells.isEmpty ? nil : cells
        }
    }

    /// The `<h2>` headings, in order.
    static func headings(_ html: String) -> [String] {
        html.components(separatedBy: "<h2>").dropFirst().map { unescape(String($0.components(separatedBy: "</h2>")[0])) }
    }
}

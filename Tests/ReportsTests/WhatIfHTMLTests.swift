import Foundation
import XCTest
@testable import Planning
@testable import Policy
@testable import Reports

/// The printable what-if comparison (情景比较.html, whatif.html): every figure of its tables is
/// the CSV's and 情景比较.json's, the chart is inline SVG with a bar per variant, the conclusion
/// names the smallest staffing that complies, nothing is fetched or run, the same bytes every
/// time, in Chinese and in English.
final class WhatIfHTMLTests: XCTestCase {
    static func check(_ rule: String, figure: Double, threshold: Double, short: Double = 0, unit: String = "visits") -> PlanDocument.RuleCheck {
        .init(rule: rule, figure: figure, threshold: threshold, pass: short == 0, shortfall: short, unit: unit,
              message: short == 0 ? "ok" : "\(rule) 差\(PlanReport.f(short))", fix: short == 0 ? nil : "增加执法人员")
    }

    /// Four staff levels: 8 and 9 short of key-unit coverage (9 also of the ratio), 10 and 11 comply.
    static func results() -> [VariantResult] {
        [variant(8, 464, 330, keyShort: 28, ratioShort: 7), variant(9, 522, 352, keyShort: 6, ratioShort: 0),
         variant(10, 580, 450, keyShort: 0, ratioShort: 0), variant(11, 638, 470, keyShort: 0, ratioShort: 0)]
    }

    static func variant(_ staff: Int, _ days: Double, _ visits: Int, keyShort: Double, ratioShort: Double) -> VariantResult {
        let name: String = staff == 10 ? "现有人员" : "人员\(staff > 10 ? "+" : "")\(staff - 10)"
        let checks: [PlanDocument.RuleCheck] = [check("FREQ-KEY-COVER", figure: 358 - keyShort, threshold: 358, short: keyShort, unit: "units"),
                                                check("PLAN-SHARE60", figure: 0.8, threshold: 0.6),
                                                check("PLAN-RATIO-BUREAU", figure: Double(visits) / days, threshold: 0.7, short: ratioShort)]
        let keyShare: Double = 0.8 - Double(staff) * 0.01
        return VariantResult(name: name, staff: staff, staffDelta: staff - 10, inspectionWorkdays: days, visits: visits, keyShare: keyShare,
                             visitsPerWorkday: Double(visits) / days, keyUnits: 358, keyUnitsCovered: 358 - Int(keyShort),
                             generalUnitsDrawn: 40 + staff, spareTeamDays: Double(staff) * 1.5, checks: checks,
                             solverStatus: staff == 11 ? "time_limit" : "optimal", solverGap: staff == 11 ? 0.02 : 0)
    }

    func report(_ lang: Lang, _ results: [VariantResult] = WhatIfHTMLTests.results()) -> WhatIfReport {
        var r = WhatIfReport(results: results, lang: lang)
        r.authority = "浦东新区应急管理局"
        r.year = 2027
        r.varied = lang == .zh ? "执法人员增减 -2..+1" : "officers -2..+1"
        return r
    }

    func html(_ lang: Lang, _ results: [VariantResult] = WhatIfHTMLTests.results()) throws -> String {
        try WhatIfHTML(report: report(lang, results)).render()
    }

    func testTheTableHasEveryFigureOfTheJSON() throws {
        for lang in [Lang.zh, .en] {
            let r = report(lang)
            let text = try html(lang)
            let rows = try HTMLTable.rows(of: "compare", in: text)
            XCTAssertEqual(rows.count, 4)
            // The CSV's rows, numbered.
            XCTAssertEqual(rows, r.rows.enumerated().map { [String($0 + 1)] + $1 })
            // And each figure against 情景比较.json's variants.
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.json()) as? [String: Any])
            let variants = try XCTUnwrap(json["variants"] as? [[String: Any]])
            for (row, v) in zip(rows, variants) {
                XCTAssertEqual(row[1], v["name"] as? String)
                XCTAssertEqual(row[2], String(v["staff"] as! Int))
                XCTAssertEqual(row[3], PlanReport.f(v["inspection_workdays"] as! Double))
                XCTAssertEqual(row[4], String(v["visits"] as! Int))
                XCTAssertEqual(row[5], String(format: "%.1f%%", (v["key_share"] as! Double) * 100))
                XCTAssertEqual(row[6], String(format: "%.3f", v["visits_per_workday"] as! Double))
                XCTAssertEqual(row[7], "\(v["key_units_covered"] as! Int)/\(v["key_units"] as! Int)")
                XCTAssertEqual(row[8], String(v["general_units_drawn"] as! Int))
                XCTAssertEqual(row[9], PlanReport.f(v["spare_team_days"] as! Double))
                XCTAssertEqual(row[10], PlanReport.verdict(pass: v["compliant"] as! Bool, lang))
                let failed = (v["checks"] as! [[String: Any]]).filter { !($0["pass"] as! Bool) }
                XCTAssertEqual(row[12], failed.map { "\($0["rule"] as! String) −\(PlanReport.f($0["shortfall"] as! Double))" }.joined(separator: "; "))
            }
            XCTAssertEqual(rows[3][11], lang == .zh ? "未证明最优(超时)" : "not proven (time limit)")
            // Verdicts per rule: one column per rule, the shortfall in the cell.
            let rules = try HTMLTable.rows(of: "variant-rules", in: text)
            XCTAssertEqual(rules.count, 4)
            for (row, v) in zip(rules, r.results) {
                XCTAssertEqual(Array(row.dropFirst(2)), v.checks.map { PlanReport.verdict($0, lang) })
            }
            XCTAssertEqual(rules[0][2], lang == .zh ? "不符合（差28家）" : "FAIL (short 28 units)")
        }
    }

    func testTheChartIsInlineWithABarPerVariant() throws {
        let text = try html(.zh)
        XCTAssertEqual(text.components(separatedBy: "<svg ").count - 1, 1)
        let svg = try XCTUnwrap(text.components(separatedBy: "<svg id=\"chart-whatif\"").dropFirst().first?.components(separatedBy: "</svg>").first)
        // Visits: green bars for compliant variants, red for short ones (and the legend's green swatch).
        XCTAssertEqual(svg.components(separatedBy: "fill=\"#c62828\"").count - 1, 2)
        XCTAssertEqual(svg.components(separatedBy: "fill=\"#2e7d32\"").count - 1, 2 + 1)
        // The ratio minimum and the key visits due: a bar per variant and a legend swatch each.
        XCTAssertEqual(svg.components(separatedBy: "fill=\"#ef6c00\"").count - 1, 4 + 1)
        XCTAssertEqual(svg.components(separatedBy: "fill=\"#6a1b9a\"").count - 1, 4 + 1)
        // Staff levels label the variants, in Chinese.
        for label in ["8人", "9人", "10人", "11人", "计划检查家次", "比例要求下限"] { XCTAssertTrue(svg.contains(">\(label)<"), label) }
        // The bars' heights follow the visits: 11 officers' bar is the tallest green one.
        let heights = HTMLTable.matches(##"<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="([0-9.]+)" fill="#(?:2e7d32|c62828)"/>"##, svg)
            .compactMap { Double($0[1]) }.filter { $0 > 12 }
        XCTAssertEqual(heights.count, 4)
        XCTAssertEqual(heights, heights.sorted(), "330, 352, 450, 470 visits")
        // The same staff twice: the variants are numbered instead.
        var same = Self.results()
        same[1].staff = 8
        let numbered = try html(.zh, same)
        XCTAssertTrue(numbered.contains("横轴为方案序号"))
        for n in 1...4 { XCTAssertTrue(numbered.contains("middle\" font-size=\"12\">\(n)</text>"), "label \(n)") }
    }

    func testTheConclusionNamesTheSmallestStaffingThatComplies() throws {
        let text = try html(.zh)
        let conclusion = HTMLTable.matches(#"<p class="conclusion">([^<]*)</p>"#, text).map { HTMLTable.unescape($0[1]) }
        XCTAssertEqual(conclusion, ["比较4个方案：2个符合全部规则（现有人员、人员+1），2个不符合。", "符合全部规则的最少执法人员：10人（现有人员）。",
                                    "人员少于10人的方案均不符合。"])
        XCTAssertEqual(conclusion, report(.zh).conclusion())
        XCTAssertTrue(text.contains("<p class=\"note\">注意：1个方案的计划未被证明最优"), "the unproven variant is said")
        XCTAssertTrue(text.contains("<h1>浦东新区应急管理局2027年度执法力量情景比较</h1>"))
        XCTAssertTrue(text.contains("<dd>执法人员增减 -2..+1</dd>"))
        // Each short variant's shortfalls with their fixes.
        XCTAssertTrue(text.contains("<h4>人员-2</h4>"))
        XCTAssertTrue(text.contains("<li><strong>FREQ-KEY-COVER</strong>：FREQ-KEY-COVER 差28<br>调整建议：增加执法人员</li>"))

        let en = try html(.en)
        let enConclusion = HTMLTable.matches(#"<p class="conclusion">([^<]*)</p>"#, en).map { HTMLTable.unescape($0[1]) }
        XCTAssertEqual(enConclusion[1], "The smallest staffing that meets every rule: 10 certified officers (现有人员).")
        XCTAssertTrue(en.contains("<h1>What-if comparison: 浦东新区应急管理局, 2027</h1>"))
        XCTAssertTrue(en.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let headers = en.components(separatedBy: "<th>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        XCTAssertFalse(headers.contains { RT.hasCJK($0) }, headers.filter { RT.hasCJK($0) }.joined(separator: ", "))

        // None complies: said so, with the rules short.
        let none = Array(Self.results().prefix(2))
        XCTAssertEqual(report(.zh, none).conclusion(), ["比较2个方案：没有一个方案符合全部规则。", "未达标的规则：FREQ-KEY-COVER（2个方案）、PLAN-RATIO-BUREAU（1个方案）。"])
    }

    func testSelfContainedA4AndTheSameBytesEveryTime() throws {
        for lang in [Lang.zh, .en] {
            let text = try html(lang)
            RT.assertSelfContainedA4(text)
            XCTAssertEqual(try html(lang), text, "rendering twice gives the same bytes")
        }
        XCTAssertTrue(try html(.zh).hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        // A name with markup is text.
        var odd = Self.results()
        odd[0].name = "<script>x</script>&"
        let text = try html(.zh, odd)
        XCTAssertFalse(text.contains("<script>"))
        XCTAssertEqual(try HTMLTable.rows(of: "compare", in: text)[0][1], "<script>x</script>&")
    }

    /// write(to:) puts 情景比較.html beside the CSV (whatif.html in English).
    func testWrittenBesideTheOtherFiles() throws {
        for (lang, name) in [(Lang.zh, "情景比较.html"), (.en, "whatif.html")] {
            let dir = RT.tempDir()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try report(lang).write(to: dir)
            XCTAssertEqual(try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8), try html(lang))
            XCTAssertTrue(OutputNames.isPlannerFile(name))
        }
    }
}

extension HTMLTable {
    /// The capture groups of every match of `pattern` in `text` (group 0 the whole match).
    static func matches(_ pattern: String, _ text: String) -> [[String]] {
        let re = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
        }
    }

    /// A cell's text without its tags (a link's text).
    static func text(_ cell: String) -> String {
        cell.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
    }
}

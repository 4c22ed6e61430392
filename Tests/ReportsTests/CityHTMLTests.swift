import Foundation
import XCTest
@testable import Planning
@testable import Policy
@testable import Reports

/// The printable city roll-up (全市汇总.html, city-summary.html) of a small hand-made city: the
/// roll-up table's figures are city.json's, a subtotal per district and the city's total as the
/// workbook has them, the dispatch and the short authorities with their shortfalls, a chart bar
/// per district, relative links to each authority's plan, nothing fetched or run, the same bytes
/// every time, in Chinese and in English.
final class CityHTMLTests: XCTestCase {
    /// Two solved plans (one compliant, one short) dressed as four authorities of two districts
    /// and the city bureau.
    static let plans: Result<(ok: PlanDocument, short: PlanDocument), Error> = Result {
        (try RT.planWithCampaignOnKeyUnits(), try RT.shortPlan())
    }

    static func row(_ folder: String, _ name: String, level: String, district: String?, _ doc: PlanDocument, extraVisits: Int = 0) -> CityRow {
        var r = CityRow(folder: folder, doc: doc)
        r.authority = .init(name: name, level: level, district: district, town: nil, zone: nil)
        r.metrics.visits += extraVisits
        return r
    }

    static func report(_ lang: Lang, dispatch: Bool = true) throws -> CityReport {
        let (ok, short) = try plans.get()
        let rows = [row("city", "上海市应急管理局", level: "city", district: nil, ok, extraVisits: 3),
                    row("d01", "浦东新区应急管理局", level: "district", district: "浦东新区", ok),
                    row("d01-t01", "陆家嘴街道办事处", level: "town", district: "浦东新区", short),
                    row("d02", "黄浦区应急管理局", level: "district", district: "黄浦区", ok, extraVisits: 7)]
        var outcome = DispatchOutcome()
        outcome.orders = [DispatchOrder(from: 1, to: 2, byMonth: [0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0], rule: "FREQ-KEY-COVER")]
        outcome.unmended = [.init(authority: 2, rule: "FREQ-KEY-COVER", personDays: 5)]
        outcome.cityShortPersonDays = 5
        return CityReport(city: "上海市", year: 2026, seed: 20260101, ledgerUnits: 321, ledgerSha256: String(repeating: "0", count: 64), rows: rows,
                          unassigned: [.init(unit: 7, id: RT.code(9999), reason: "所在街镇无执法主体", reasonEN: "no authority for its town")],
                          conflicts: [], dispatch: dispatch ? outcome : nil, dispatchEnabled: dispatch, seconds: 12.5, lang: lang)
    }

    func html(_ lang: Lang, dispatch: Bool = true) throws -> String {
        try CityHTML(report: try Self.report(lang, dispatch: dispatch)).render()
    }

    func testTheRollUpHasEveryFigureOfCityJSON() throws {
        for lang in [Lang.zh, .en] {
            let report = try Self.report(lang)
            let text = try html(lang)
            let rows = try HTMLTable.rows(of: "rollup", in: text).map { $0.map(HTMLTable.text) }
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
            let authorities = try XCTUnwrap(json["authorities"] as? [[String: Any]])
            // Every authority once, as city.json has it.
            for a in authorities {
                let name = a["name"] as! String
                let line = try XCTUnwrap(rows.first { $0[0] == name }, name)
                let m = a["metrics"] as! [String: Any]
                XCTAssertEqual(line[3], String(a["units"] as! Int), name)
                XCTAssertEqual(line[4], String(m["key_units"] as! Int), name)
                XCTAssertEqual(line[5], String(m["key_units_covered"] as! Int), name)
                XCTAssertEqual(line[6], String(m["visits"] as! Int), name)
                XCTAssertEqual(line[7], String(m["key_visits"] as! Int), name)
                XCTAssertEqual(line[8], String(m["special_visits"] as! Int), name)
                let visits = Double(m["visits"] as! Int), keyish = Double((m["key_visits"] as! Int) + (m["special_visits"] as! Int))
                XCTAssertEqual(line[9], String(format: "%.1f%%", visits > 0 ? keyish / visits * 100 : 0), name)
                XCTAssertEqual(line[10], PlanReport.f(a["inspection_workdays"] as! Double), name)
                XCTAssertEqual(line[12], String(m["general_units"] as! Int), name)
                XCTAssertEqual(line[13], String(m["general_units_drawn"] as! Int), name)
                XCTAssertEqual(line[14], (a["compliant"] as! Bool) ? (lang == .zh ? "达标" : "yes") : (lang == .zh ? "未达标" : "no"), name)
                // The shortfall columns: one per rule some plan is short of.
                for s in a["shortfalls"] as! [[String: Any]] {
                    let header = try XCTUnwrap(text.range(of: "<th>\(s["rule"] as! String) \(lang == .zh ? "差额" : "short")</th>"))
                    _ = header
                    XCTAssertTrue(line.dropFirst(15).contains(PlanReport.f(s["short"] as! Double)), "\(name) \(s)")
                }
            }
            // The workbook's order: city bureau, 浦东新区's two and their subtotal, 黄浦区's and its subtotal, the total.
            let sub = lang == .zh ? "小计" : " subtotal"
            XCTAssertEqual(rows.map { $0[0] }, ["上海市应急管理局", "浦东新区应急管理局", "陆家嘴街道办事处", "浦东新区" + sub, "黄浦区应急管理局",
                                                "黄浦区" + sub, lang == .zh ? "全市合计" : "City total"])
            // The total row is city.json's totals.
            let totals = json["totals"] as! [String: Any]
            let total = try XCTUnwrap(rows.last)
            XCTAssertEqual(total[6], String(totals["visits"] as! Int))
            XCTAssertEqual(total[4], String(totals["key_units"] as! Int))
            XCTAssertEqual(total[13], String(totals["general_units_drawn"] as! Int))
            XCTAssertEqual(total[9], String(format: "%.1f%%", (totals["key_share"] as! Double) * 100))
            XCTAssertEqual(total[11], String(format: "%.3f", totals["visits_per_workday"] as! Double))
            // A subtotal is its district's sum.
            let pudong = authorities.filter { $0["district"] as? String == "浦东新区" }
            XCTAssertEqual(rows[3][6], String(pudong.reduce(0) { $0 + (($1["metrics"] as! [String: Any])["visits"] as! Int) }))
            XCTAssertEqual(rows[3][3], String(pudong.reduce(0) { $0 + ($1["units"] as! Int) }))
        }
    }

    func testDispatchShortfallsAndLinks() throws {
        let text = try html(.zh)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: try Self.report(.zh).json()) as? [String: Any])
        let orders = json["dispatch"] as! [[String: Any]]
        let listed = try HTMLTable.rows(of: "dispatch", in: text)
        XCTAssertEqual(listed.count, orders.count)
        for (line, o) in zip(listed, orders) {
            XCTAssertEqual(line, ["DP-2026-001", o["from"] as! String, o["to"] as! String, String(o["person_days"] as! Int), "3月、4月", o["rule"] as! String])
        }
        XCTAssertEqual(try HTMLTable.rows(of: "unmended", in: text), [["陆家嘴街道办事处", "FREQ-KEY-COVER", "5"]])
        // The short authority with each shortfall, worded, and its fix.
        let short = (json["authorities"] as! [[String: Any]]).filter { !($0["compliant"] as! Bool) }
        XCTAssertEqual(short.count, 1)
        XCTAssertTrue(text.contains("<h3><a href=\"d01-t01/执法计划.html\">陆家嘴街道办事处</a>（d01-t01）</h3>"), "the short authority, linked")
        for s in short[0]["shortfalls"] as! [[String: Any]] {
            XCTAssertTrue(text.contains("<li><strong>\(s["rule"] as! String)</strong>："), "\(s)")
        }
        XCTAssertFalse(text.contains("全部执法主体的计划符合全部规则"))
        // Relative links to every authority's printable plan; nothing absolute.
        let links = HTMLTable.matches(#"href="([^"]*)""#, text).map { HTMLTable.unescape($0[1]) }
        XCTAssertEqual(Set(links), Set(["city", "d01", "d01-t01", "d02"].map { "\($0)/执法计划.html" }))
        XCTAssertFalse(links.contains { $0.hasPrefix("/") || $0.contains(":") })
        XCTAssertTrue(try html(.en).contains("href=\"d02/plan.html\""))
        // Unassigned units listed.
        XCTAssertEqual(try HTMLTable.rows(of: "unassigned", in: text), [[RT.code(9999), "未分配", "所在街镇无执法主体"]])
        // Without dispatch: said so, no order table.
        let plain = try html(.zh, dispatch: false)
        XCTAssertFalse(plain.contains("<table id=\"dispatch\""))
        XCTAssertTrue(plain.contains("未启用执法力量调用"))
    }

    func testTheChartHasABarPerDistrictAgainstTheFloor() throws {
        let report = try Self.report(.zh)
        let text = try html(.zh)
        XCTAssertEqual(text.components(separatedBy: "<svg ").count - 1, 1)
        let svg = try XCTUnwrap(text.components(separatedBy: "<svg id=\"chart-districts\"").dropFirst().first?.components(separatedBy: "</svg>").first)
        let bars = HTMLTable.matches(#"<rect x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)" height="11.0" fill="(#[0-9a-f]+)"/>"#, svg)
        XCTAssertEqual(bars.count, report.districts.count, "a bar per district (the city bureau one)")
        XCTAssertEqual(report.districts.count, 3)
        for label in ["市局", "浦东新区", "黄浦区"] { XCTAssertTrue(svg.contains(">\(label)</text>"), label) }
        // Each bar's value label is its district's key share.
        for d in report.districts {
            XCTAssertTrue(svg.contains(">\(String(format: "%.1f%%", CityReport.totals(d.rows).keyShare * 100))</text>"), d.name)
        }
        XCTAssertTrue(svg.contains("stroke-dasharray"), "the floor")
        XCTAssertTrue(svg.contains(">不少于60%</text>"))
    }

    func testSelfContainedA4AndTheSameBytesEveryTime() throws {
        for lang in [Lang.zh, .en] {
            let text = try html(lang)
            RT.assertSelfContainedA4(text)
            XCTAssertEqual(try html(lang), text, "rendering twice gives the same bytes")
            // The run's time is not in the document.
            var other = try Self.report(lang)
            other.seconds = 99
            XCTAssertEqual(try CityHTML(report: other).render(), text)
        }
        let zh = try html(.zh), en = try html(.en)
        XCTAssertTrue(zh.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        XCTAssertTrue(zh.contains("<h1>上海市2026年度安全生产执法计划汇总</h1>"))
        XCTAssertTrue(en.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(en.contains("<h1>上海市 enforcement plans 2026: roll-up</h1>"))
        let headers = en.components(separatedBy: "<th>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        XCTAssertFalse(headers.contains { RT.hasCJK($0) }, headers.filter { RT.hasCJK($0) }.joined(separator: ", "))
    }

    /// write(to:) puts the roll-up beside city.json.
    func testWrittenBesideCityJSON() throws {
        for lang in [Lang.zh, .en] {
            let dir = RT.tempDir()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let report = try Self.report(lang)
            try report.write(to: dir)
            let name = CityHTML.fileName(lang)
            XCTAssertEqual(report.fileNames, ["city.json", lang == .zh ? "全市汇总.xlsx" : "city-summary.xlsx", name])
            XCTAssertEqual(try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8), try html(lang))
            XCTAssertTrue(OutputNames.isPlannerFile(name))
        }
    }
}

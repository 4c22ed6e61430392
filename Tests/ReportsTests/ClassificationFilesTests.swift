import Foundation
import XCTest
@testable import Ledger
@testable import Policy
@testable import Reports
@testable import Synthetic

/// The classification's files (`planner classify --format csv|json|xlsx`) and its printed
/// summary, for a generated district, read back and checked against the classifier's results.
final class ClassificationFilesTests: XCTestCase {
    static let district = Generator.district(ShanghaiGeography.district(named: "闵行区")!, units: 400, seed: 7, year: 2027)
    static let results = Classifier(scenario: district.scenario).classify(district.units)
    var units: [LedgerUnit] { Self.district.units }
    var results: [Classification] { Self.results }
    var table: ClassificationTable { ClassificationTable(year: 2027, units: units, classifications: results) }
    var summary: ClassificationSummary { ClassificationSummary(year: 2027, units: units, classifications: results) }
    var keyCount: Int { results.filter { $0.unitClass == .key }.count }

    func testTheDistrictHasBothClasses() {
        XCTAssertGreaterThan(keyCount, 10)
        XCTAssertGreaterThan(units.count - keyCount, 10)
    }

    func testCSVHasOneRowPerUnitWithItsClassRulesAndAuthority() throws {
        let t = try RT.csv(text: String(decoding: try table.csv(), as: UTF8.self))
        XCTAssertEqual(t.header, ClassificationTable.csvHeader)
        XCTAssertEqual(t.rows.count, units.count)
        for ((r, u), c) in zip(zip(t.rows, units), results) {
            XCTAssertEqual(r[0], u.id)
            XCTAssertEqual(r[1], c.unitClass.rawValue)
            XCTAssertEqual(r[2], c.rules.map { $0.id }.joined(separator: ";"))
            XCTAssertEqual(r[4], c.tier.rawValue)
            XCTAssertEqual(r[5], c.authority)
            XCTAssertEqual(r[7], u.name)
            XCTAssertEqual(r[9], u.town)
        }
        XCTAssertEqual(t.rows.filter { $0[1] == "key" }.count, keyCount)
    }

    func testJSONDecodesToTheSameClassification() throws {
        let doc = try JSONSerialization.jsonObject(with: try table.json()) as! [String: Any]
        XCTAssertEqual(doc["schema"] as? String, "enforcement-classification/1")
        XCTAssertEqual(doc["year"] as? Int, 2027)
        let rows = try XCTUnwrap(doc["units"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["id"] as! String }, units.map { $0.id })
        XCTAssertEqual(rows.map { $0["class"] as! String }, results.map { $0.unitClass.rawValue })
        XCTAssertEqual(rows.map { $0["rules"] as! [String] }, results.map { $0.rules.map { $0.id } })
        XCTAssertTrue(rows.allSatisfy { $0.keys.contains("exemption") }, "exemption present (null when absent)")
    }

    func testWorkbookCountsEqualTheClassification() throws {
        let dir = RT.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let xlsx = "\(dir)/分类.xlsx"
        try ClassificationWorkbook(table: table, summary: summary, lang: .zh).write(to: xlsx)
        XCTAssertEqual(try RT.sheetNames(xlsx), ["分类汇总", "重点检查单位清单", "全部单位"])
        // 分类汇总: the class table, numbers as numbers.
        let summaryRows = try RT.table(try RT.cells(xlsx, "分类汇总"), headedBy: "类别", columns: 3)
        XCTAssertEqual(summaryRows[0][0], "重点检查单位")
        XCTAssertEqual(Int(summaryRows[0][1]), keyCount)
        XCTAssertEqual(Int(summaryRows[1][1]), units.count - keyCount)
        XCTAssertEqual(Int(summaryRows[2][1]), units.count)
        XCTAssertEqual(Double(summaryRows[0][2])!, Double(keyCount) / Double(units.count), accuracy: 1e-9)
        // By rule: each rule's count is the number of units it holds for (exemptions apart).
        let byRule = try RT.table(try RT.cells(xlsx, "分类汇总"), headedBy: "规则", columns: 5)
        for rule in KeyRule.allCases {
            let row = try XCTUnwrap(byRule.first { $0[0] == rule.id }, rule.id)
            let holds = results.filter { c in c.rules.contains(rule) && !(c.exempted && rule.isDefault) }.count
            XCTAssertEqual(Int(row[3]), holds, rule.id)
        }
        // The key list: every key unit once, numbered; all units: every unit once.
        let keyList = try RT.table(try RT.cells(xlsx, "重点检查单位清单"), headedBy: "序号", columns: 9)
        XCTAssertEqual(keyList.map { $0[2] }, zip(units, results).filter { $0.1.unitClass == .key }.map { $0.0.id })
        XCTAssertEqual(keyList.map { $0[0] }, (1...keyCount).map(String.init))
        let all = try RT.table(try RT.cells(xlsx, "全部单位"), headedBy: "序号", columns: 13)
        XCTAssertEqual(all.map { $0[1] }, units.map { $0.id })
        XCTAssertEqual(all.map { $0[6] }, results.map { $0.unitClass.label(.zh) })
    }

    func testPrintedSummaryStatesTheCountsInBothLanguages() {
        let zh = summary.render(.zh), en = summary.render(.en)
        XCTAssertTrue(zh.contains("共\(units.count)家"), zh)
        XCTAssertTrue(en.contains("(\(units.count) units)"), en)
        for text in [zh, en] {
            XCTAssertTrue(text.contains(String(keyCount)), "the key count: \(text)")
            for (rule, n) in summary.byRule where n > 0 { XCTAssertTrue(text.contains(rule.id), "\(rule.id) in \(text)") }
        }
    }
}

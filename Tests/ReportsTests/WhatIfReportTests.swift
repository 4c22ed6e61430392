import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Reports

/// The what-if comparison says which variants GLPK did not prove optimal: on screen, in the
/// CSV and in the XLSX (issue 8: a variant at its time limit was shown like any other).
final class WhatIfReportTests: XCTestCase {
    func result(_ name: String, status: String, gap: Double = 0) -> VariantResult {
        VariantResult(name: name, staff: 10, staffDelta: 0, inspectionWorkdays: 580, visits: 450, keyShare: 0.8, visitsPerWorkday: 0.776,
                      keyUnits: 358, keyUnitsCovered: 358, generalUnitsDrawn: 40, spareTeamDays: 1.5,
                      checks: [.init(rule: "FREQ-KEY-COVER", figure: 358, threshold: 358, pass: true, shortfall: 0, unit: "units", message: "ok", fix: nil)],
                      solverStatus: status, solverGap: gap)
    }

    func testUnprovenVariantsAreMarkedInTheTableAndTheFiles() throws {
        let results = [result("现有人员", status: "optimal"), result("人员+3，key用时0.75", status: "time_limit", gap: 0.031),
                       result("缩小间隙", status: "within_gap", gap: 1e-7)]
        XCTAssertEqual(results.map { $0.provenOptimal }, [true, false, false])
        let zh = WhatIfReport(results: results, lang: .zh)
        XCTAssertTrue(zh.header.contains("求解状态"))
        let status = zh.header.firstIndex(of: "求解状态")!
        XCTAssertEqual(zh.rows.map { $0[status] }, ["最优", "未证明最优(超时)", "未证明最优(间隙1e-07)"])
        let table = zh.table()
        XCTAssertTrue(table.contains("未证明最优(超时)"), table)
        let note = try XCTUnwrap(zh.unprovenNote())
        XCTAssertTrue(note.contains("2个方案") && note.contains("人员+3，key用时0.75（time_limit）") && note.contains("--time-limit"), note)
        XCTAssertNil(WhatIfReport(results: [results[0]], lang: .zh).unprovenNote(), "nothing to say when every plan is proven")

        let en = WhatIfReport(results: results, lang: .en)
        XCTAssertEqual(en.rows[1][en.header.firstIndex(of: "solver")!], "not proven (time limit)")
        XCTAssertTrue(en.unprovenNote()?.contains("not proven optimal") ?? false)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wir-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try zh.write(to: dir.path)
        let csv = try String(contentsOf: dir.appendingPathComponent("情景比较.csv"), encoding: .utf8)
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertTrue(lines[0].contains("结论,求解状态,未达标规则及差额"), lines[0])
        XCTAssertTrue(lines[2].contains(",未证明最优(超时),"), lines[2])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("情景比较.json"))) as? [String: Any])
        let variants = try XCTUnwrap(json["variants"] as? [[String: Any]])
        XCTAssertEqual(variants.map { $0["proven_optimal"] as? Bool }, [true, false, false])
        XCTAssertEqual(variants.map { $0["solver_status"] as? String }, ["optimal", "time_limit", "within_gap"])
        XCTAssertEqual(variants[1]["solver_gap"] as? Double, 0.031)
        let xlsx = try Data(contentsOf: dir.appendingPathComponent("情景比较.xlsx"))
        XCTAssertTrue(xlsx.starts(with: [0x50, 0x4B, 0x03, 0x04]))
    }

    /// A variant with no inspection days is "not solved", not "not proven".
    func testNotSolvedIsNotCalledUnproven() {
        let r = WhatIfReport(results: [result("人员-8", status: "not_solved")], lang: .zh)
        XCTAssertEqual(r.rows[0][r.header.firstIndex(of: "求解状态")!], "未求解")
        XCTAssertNil(r.unprovenNote())
    }
}

import Foundation
import XCTest

/// Golden tests of the command line: what a planner sees and the exit code.
final class ClassifyCLITests: XCTestCase {
    func testClassifyDemoPrintsCountsByClassRuleAndLevel() throws {
        let r = try CLI.run(["classify", "scenarios/demo"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2027年度执法对象分类分级结果（共1200家）"), r.stdout)
        for needle in ["重点检查单位", "一般检查单位", "KEY-M1", "KEY-D5", "三(一)9", "浦东新区应急管理局", "上海市应急管理局"] {
            XCTAssertTrue(r.stdout.contains(needle), needle)
        }
    }

    func testEnglishSummary() throws {
        let r = try CLI.run(["classify", "scenarios/demo/scenario.yaml", "--lang", "en"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Classification for 2027 (1200 units)"), r.stdout)
    }

    func testJSONIsTheContractAndByteIdenticalAcrossRuns() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
        XCTAssertEqual(try CLI.run(["classify", "scenarios/demo", "--out", a]).status, 0)
        XCTAssertEqual(try CLI.run(["classify", "scenarios/demo", "--format", "json", "--out", b]).status, 0)
        let da = try Data(contentsOf: URL(fileURLWithPath: a))
        XCTAssertEqual(da, try Data(contentsOf: URL(fileURLWithPath: b)))
        let doc = try JSONSerialization.jsonObject(with: da) as! [String: Any]
        XCTAssertEqual(doc["schema"] as? String, "enforcement-classification/1")
        XCTAssertEqual(doc["year"] as? Int, 2027)
        let units = doc["units"] as! [[String: Any]]
        XCTAssertEqual(units.count, 1200)
        for key in ["id", "class", "rules", "exemption", "tier", "authority", "explanation"] {
            XCTAssertTrue(units[0].keys.contains(key), key)
        }
    }

    func testCSVToStdoutAndXLSXFile() throws {
        let r = try CLI.run(["classify", "scenarios/demo", "--format", "csv"])
        XCTAssertEqual(r.status, 0)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "id,class,rules,exemption,tier,authority,explanation,name,district,town,category,risk_level,risk_derived")
        XCTAssertEqual(lines.count, 1201)
        XCTAssertTrue(r.stderr.contains("KEY-M1"), "summary goes to stderr when the table is on stdout")

        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = dir.appendingPathComponent("c.xlsx").path
        let w = try CLI.run(["classify", "scenarios/demo", "--out", x])
        XCTAssertEqual(w.status, 0, w.stderr)
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: x)).readData(ofLength: 2)
        XCTAssertEqual(Array(head), [0x50, 0x4B])   // a zip: XLSX
    }

    func testBareLedgerNeedsYear() throws {
        let r = try CLI.run(["classify", "scenarios/demo/ledger.csv"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--year"), r.stderr)
        let ok = try CLI.run(["classify", "scenarios/demo/ledger.csv", "--year", "2027"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }

    func testBadLedgerExitsOneNamingRowColumnAndValue() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = dir.appendingPathComponent("bad.csv")
        try "id,name,district,town,category,scale\n91350100M000100Y43,a,浦东新区,唐镇,工贸,巨型\n".write(to: f, atomically: true, encoding: .utf8)
        let r = try CLI.run(["classify", f.path, "--year", "2027", "--out", dir.appendingPathComponent("o.json").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("第2行"), r.stderr)
        XCTAssertTrue(r.stderr.contains("scale"), r.stderr)
        XCTAssertTrue(r.stderr.contains("巨型"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("o.json").path), "nothing half-written")
    }

    /// The demo ledger saved as GBK (Chinese Excel's "CSV"): classified like the UTF-8 file, and
    /// the summary says the encoding was converted. A UTF-8 ledger's summary says nothing of it.
    func testGBKLedgerIsClassifiedAndTheSummarySaysSo() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOf: CLI.root.appendingPathComponent("scenarios/demo/ledger.csv"), encoding: .utf8)
        let gbk = try XCTUnwrap(text.data(using: String.Encoding(rawValue: 0x8000_0632)))
        let f = dir.appendingPathComponent("台账-GBK.csv")
        try gbk.write(to: f)
        let r = try CLI.run(["classify", f.path, "--year", "2027"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("台账编码：GB18030（已自动转换）"), r.stdout)
        let utf8 = try CLI.run(["classify", "scenarios/demo/ledger.csv", "--year", "2027"])
        XCTAssertFalse(utf8.stdout.contains("台账编码"), utf8.stdout)
        XCTAssertEqual(r.stdout.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n"), utf8.stdout,
                       "the same classification as the UTF-8 ledger")
        let en = try CLI.run(["classify", f.path, "--year", "2027", "--lang", "en"])
        XCTAssertTrue(en.stdout.contains("Ledger encoding: GB18030 (converted automatically)"), en.stdout)
    }

    func testCalendar2026() throws {
        let r = try CLI.run(["calendar", "2026"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("248"), r.stdout)
        XCTAssertTrue(r.stdout.contains("春节"), r.stdout)
        let p = try CLI.run(["calendar", "2027"])
        XCTAssertTrue(p.stdout.contains("暂定"), p.stdout)
        XCTAssertTrue(p.stdout.contains("248"), p.stdout)
        XCTAssertFalse(p.stdout.contains("254"), p.stdout)
    }

    func testGenerateIsDeterministicAndLoads() throws {
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a").path, b = dir.appendingPathComponent("b").path
        XCTAssertEqual(try CLI.run(["generate", "--district", "嘉定区", "--units", "150", "--seed", "3", "--out", a]).status, 0)
        XCTAssertEqual(try CLI.run(["generate", "--district", "嘉定区", "--units", "150", "--seed", "3", "--out", b]).status, 0)
        for f in ["ledger.csv", "staff.csv", "experts.csv", "scenario.yaml"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(a)/\(f)")), try Data(contentsOf: URL(fileURLWithPath: "\(b)/\(f)")), f)
        }
        let c = try CLI.run(["classify", a])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(c.stdout.contains("共150家"))
        let bad = try CLI.run(["generate", "--district", "火星区", "--units", "10", "--out", a])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("浦东新区"), "lists the known districts")
    }
}

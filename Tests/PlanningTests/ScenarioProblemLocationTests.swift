import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// Issue 9: problems of a scenario found after loading (no calendar for its year, deductions
/// beyond the gross) still name the scenario file, the key's line, the key and the value.
final class ScenarioProblemLocationTests: XCTestCase {
    let yaml = """
    # comment
    year: 2100
    authority: { level: district, district: 浦东新区 }
    workdays:
      other_enforcement: 9000000
    """

    func testNoCalendarForTheYearNamesTheYearLine() throws {
        var s = try ScenarioLoader.parse(yaml: yaml, file: "s.yaml")
        s.source = "s.yaml"
        XCTAssertThrowsError(try WorkCalendar.resolve(year: s.year, file: s.calendarPath)) { e in
            guard let ce = e as? CalendarError else { return XCTFail("\(e)") }
            let p = PlanContext.calendarProblem(ce, scenario: s).problems
            XCTAssertEqual(p.map { $0.file }, ["s.yaml"])
            XCTAssertEqual(p.map { $0.row }, [2])
            XCTAssertEqual(p.map { $0.column }, ["year"])
            XCTAssertEqual(p.map { $0.value }, ["2100"])
        }
    }

    func testDeductionsBeyondTheGrossNameTheWorkdaysLine() throws {
        var s = try ScenarioLoader.parse(yaml: yaml.replacingOccurrences(of: "2100", with: "2026"), file: "s.yaml")
        s.source = "s.yaml"
        XCTAssertThrowsError(try PT.context(s, [PT.general(1)], officers: 2)) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.row }, [4])
            XCTAssertEqual(p.map { $0.column }, ["workdays"])
            XCTAssertEqual(p.map { $0.value }, ["9000000.0"])
        }
    }

    func testAStaffRollWithoutCertifiedOfficersIsAnInputErrorAboutTheRoll() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("roll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("id,name,district,town,category,scale\n\(PT.code(1)),甲,浦东新区,唐镇,mining,small\n".utf8).write(to: dir.appendingPathComponent("ledger.csv"))
        try Data("工号,姓名,执法证\nE1,张三,否\n".utf8).write(to: dir.appendingPathComponent("staff.csv"))
        let path = dir.appendingPathComponent("scenario.yaml").path
        try Data("year: 2026\nauthority: { level: district, district: 浦东新区 }\nledger: ledger.csv\nstaff: staff.csv\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try PlanContext.load(scenario: try ScenarioLoader.load(path: path), ledgers: .files)) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.count, 1)
            XCTAssertTrue(p.first?.file.hasSuffix("staff.csv") ?? false, "\(p)")
            XCTAssertNotNil(p.first?.row)
            XCTAssertNotNil(p.first?.column)
        }
    }

    /// The engine reads files alone unless it is given a database reader (LedgerStore's
    /// `.filesAndDatabases`, which every command passes): a database reference is then an input
    /// error naming it, never a crash or a file "not found".
    func testTheFileReaderRefusesADatabaseReferenceAndASequence() throws {
        XCTAssertThrowsError(try LedgerReader.files.read("sqlite:planner.sqlite", nil)) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.file }, ["sqlite:planner.sqlite"])
            XCTAssertEqual(p.map { $0.column }, ["ledger"])
            XCTAssertTrue(p.first?.message.contains("台账数据库") ?? false, "\(p)")
        }
        XCTAssertThrowsError(try LedgerReader.files.read("ledger.csv", 7)) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.column }, ["--ledger-seq"])
            XCTAssertEqual(p.map { $0.value }, ["7"])
        }
    }
}

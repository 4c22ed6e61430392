import Foundation
import XCTest

/// Issue 9 from the command line: an attacker's or a careless user's input is exit 1 with the
/// problem located (file, row, column, value), never a trap and never a GLPK or XLSX error.
final class HardenedInputCLITests: XCTestCase {
    /// A copy of scenarios/demo with `edit` applied to one of its files.
    func demo(_ file: String, _ edit: (String) -> String) throws -> URL {
        let dir = CLI.tempDir()
        for f in ["scenario.yaml", "ledger.csv", "staff.csv", "experts.csv"] {
            let text = try String(contentsOf: CLI.root.appendingPathComponent("scenarios/demo/\(f)"), encoding: .utf8)
            try Data((f == file ? edit(text) : text).utf8).write(to: dir.appendingPathComponent(f))
        }
        return dir
    }

    /// The ledger's second data row's id with its 6th character replaced by U+212A.
    func kelvinInLedger(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        var id = Array(lines[2].prefix(18).unicodeScalars)
        id[5] = "\u{212A}"
        var s = String.UnicodeScalarView(); s.append(contentsOf: id)
        lines[2] = String(s) + lines[2].dropFirst(18)
        return lines.joined(separator: "\n")
    }

    func testKelvinSignInALedgerIdIsExitOneNotATrap() throws {
        let dir = try demo("ledger.csv", kelvinInLedger)
        defer { try? FileManager.default.removeItem(at: dir) }
        for args in [["classify", dir.path], ["plan", dir.path, "--out", dir.appendingPathComponent("out").path]] {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 1, args[0] + r.stderr)
            XCTAssertTrue(r.stderr.contains("第3行(row 3) 列「统一社会信用代码」"), r.stderr)
            XCTAssertTrue(r.stderr.contains("U+212A"), r.stderr)
            XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        }
    }

    func testDuplicateCampaignMonthsAreAnInputErrorNotAGLPKError() throws {
        let dir = try demo("scenario.yaml") { $0.replacingOccurrences(of: "months: [5, 6, 7, 8]", with: "months: [5, 6, 5]") }
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["plan", dir.path, "--out", dir.appendingPathComponent("out").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("列「campaigns[1].months」: 值「5」"), r.stderr)
        XCTAssertFalse(r.stderr.contains(".dat"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/plan.json").path))
    }

    func testNULInAScenarioNameIsAnInputErrorBeforePlanning() throws {
        let dir = try demo("scenario.yaml") { $0.replacingOccurrences(of: "name: 浦东新区应急管理局", with: "name: \"浦东\\0新区\"") }
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["plan", dir.path, "--out", dir.appendingPathComponent("out").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("列「authority.name」: 值「浦东<U+0000>新区」"), r.stderr)
        XCTAssertFalse(r.stderr.contains("XLSX"), r.stderr)
    }
}

import Foundation
import XCTest
@testable import Ledger

/// Issue 9, inputs: what an attacker or a careless user puts in a file is an input error naming
/// file, row, column and value — never a trap, never silently accepted.
final class CreditCodeASCIITests: XCTestCase {
    /// "91310115MA0000027" has the check character K; U+212A (KELVIN SIGN) is equal to "K" under
    /// Swift's String comparison, but is not the character the standard allows.
    let bodyCheckedK = "91310115MA0000027"

    func testKelvinSignAsCheckCharacterIsRejected() {
        XCTAssertNil(CreditCode.problem(bodyCheckedK + "K"))
        let kelvin = bodyCheckedK + "\u{212A}"
        XCTAssertEqual(kelvin, bodyCheckedK + "K", "the premise: Swift's == treats U+212A as K")
        let p = CreditCode.problem(kelvin)
        XCTAssertNotNil(p)
        XCTAssertTrue(p?.contains("U+212A") ?? false, p ?? "")
        XCTAssertTrue(p?.contains("18") ?? false, p ?? "")
        XCTAssertFalse(CreditCode.isValid(kelvin))
    }

    func testKelvinSignAnywhereDoesNotTrap() {
        // The example of the issue (check character R, so K is wrong anyway) and U+212A in the middle,
        // which used to trap on a force-unwrap.
        XCTAssertNotNil(CreditCode.problem("91110000MA00ABC12\u{212A}"))
        let middle = "91110000MA00\u{212A}BC12R"
        let p = CreditCode.problem(middle)
        XCTAssertNotNil(p)
        XCTAssertTrue(p?.contains("第13位") ?? false, p ?? "")
        XCTAssertNotNil(CreditCode.problem("\u{212A}1110000MA00ABC12R"))
        XCTAssertNotNil(CreditCode.problem("91110000MA00ＡBC12R"))   // full-width A
        XCTAssertNotNil(CreditCode.problem("91110000MA00A\u{0}C12R"))
        XCTAssertNil(CreditCode.checkCharacter(for: "91110000MA00\u{212A}BC12"))
    }

    func testLedgerIdWithKelvinSignIsAnErrorWithRowColumnAndValue() {
        let bad = bodyCheckedK + "\u{212A}"
        let p = problems("""
        统一社会信用代码,单位名称,所属区,所属街镇,行业类别,规模
        \(code(1)),甲,浦东新区,张江镇,mining,small
        \(bad),乙,浦东新区,张江镇,mining,small
        91110000MA00\u{212A}BC12R,丙,浦东新区,张江镇,mining,small
        """)
        XCTAssertEqual(p.count, 2, "\(p)")
        XCTAssertEqual(p.map { $0.row }, [3, 4])
        XCTAssertEqual(p.map { $0.column }, ["统一社会信用代码", "统一社会信用代码"])
        XCTAssertEqual(p[0].value?.unicodeScalars.last, "\u{212A}")
        XCTAssertTrue(p.allSatisfy { $0.message.contains("U+212A") })
    }

    func testStaffConflictWithKelvinSignIsAnError() {
        for conflict in [bodyCheckedK + "\u{212A}", "91110000MA00\u{212A}BC12R"] {
            let csv = "工号,姓名,执法证,回避单位\nE1,甲,是,\(code(1));\(conflict)\n"
            XCTAssertThrowsError(try StaffLoader.load(data: Data(csv.utf8), file: "staff.csv")) { e in
                let p = (e as? InputError)?.problems ?? []
                XCTAssertEqual(p.count, 1)
                XCTAssertEqual(p.first?.row, 2)
                XCTAssertEqual(p.first?.column, "回避单位")
                XCTAssertEqual(p.first?.value, conflict)
            }
        }
    }

    func testCampaignMatchOnIdTakesOnlyValidCodes() {
        XCTAssertNil(LedgerUnit.normalise(key: "id", value: bodyCheckedK + "\u{212A}"))
        XCTAssertEqual(LedgerUnit.normalise(key: "id", value: bodyCheckedK + "K"), bodyCheckedK + "K")
    }
}

final class ControlCharacterTests: XCTestCase {
    func testNULInAnAddressIsRejectedWithRowColumnAndPrintableValue() {
        let p = problems("""
        id,name,district,town,category,scale,address
        \(code(1)),甲,浦东新区,张江镇,mining,small,上海市\u{0}浦东
        """)
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p.first?.row, 2)
        XCTAssertEqual(p.first?.column, "address")
        XCTAssertEqual(p.first?.value, "上海市\u{0}浦东")
        XCTAssertTrue(p.first?.message.contains("U+0000") ?? false)
        let shown = p.first?.description ?? ""
        XCTAssertTrue(shown.contains("上海市<U+0000>浦东"), shown)
        XCTAssertFalse(shown.unicodeScalars.contains { $0.value < 0x20 }, "the message must be printable")
    }

    func testOtherControlCharactersInAnyFieldAreRejected() {
        for (i, ch) in ["\u{1}", "\u{8}", "\u{B}", "\u{1B}", "\u{FFFF}"].enumerated() {
            let p = problems("""
            id,name,district,town,category,scale,备注
            \(code(i + 1)),甲\(ch)乙,浦东新区,张江镇,mining,small,x\(ch)
            """)
            XCTAssertEqual(p.map { $0.column }, ["name", "备注"], "U+\(String(ch.unicodeScalars.first!.value, radix: 16))")
        }
        // Tabs and line breaks inside a quoted field are text a cell can hold.
        XCTAssertEqual(problems("id,name,district,town,category,scale\n\(code(1)),\"甲\t\n乙\",浦东新区,张江镇,mining,small\n").count, 0)
    }

    func testControlCharactersInStaffFilesAndHeaders() {
        XCTAssertThrowsError(try StaffLoader.load(data: Data("工号,姓名,执法证\nE1,张\u{0}三,是\n".utf8), file: "staff.csv")) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.column }, ["姓名"])
            XCTAssertEqual(p.first?.row, 2)
        }
        let p = problems("id,name,district,town,category,scale,x\u{7}y\n\(code(1)),甲,浦东新区,张江镇,mining,small,1\n")
        XCTAssertEqual(p.first?.row, 1)
        XCTAssertEqual(p.first?.value, "x\u{7}y")
        XCTAssertNotNil(p.first?.column)
    }
}

final class StrictNumberTests: XCTestCase {
    func testDecimalOnly() {
        XCTAssertEqual(StrictNumber.decimal("31.2"), 31.2)
        XCTAssertEqual(StrictNumber.decimal("-0.5"), -0.5)
        XCTAssertEqual(StrictNumber.decimal(".5"), 0.5)
        XCTAssertEqual(StrictNumber.decimal("1e3"), 1000)
        XCTAssertEqual(StrictNumber.decimal("1_000".replacingOccurrences(of: "_", with: "")), 1000)
        for bad in ["0x1p4", "0X10", "nan", "NaN", "inf", "-inf", "infinity", "1e400", "-1e400", "", ".", "e5", "1e", "1.2.3", " 1", "1 ", "+", "٣"] {
            XCTAssertNil(StrictNumber.decimal(bad), bad)
        }
        XCTAssertEqual(StrictNumber.integer("+12"), 12)
        for bad in ["0x10", "1e2", "1.0", "99999999999999999999", "", "-"] { XCTAssertNil(StrictNumber.integer(bad), bad) }
    }

    func testIntOfDoubleNeverTraps() {
        XCTAssertNil(StrictNumber.int(.nan))
        XCTAssertNil(StrictNumber.int(.infinity))
        XCTAssertNil(StrictNumber.int(1e19))
        XCTAssertNil(StrictNumber.int(-1e300))
        XCTAssertEqual(StrictNumber.int(42.9), 42)
        XCTAssertNil(StrictNumber.int(13, in: 1...12))
    }

    func testHexFloatsNaNAndInfinityInLedgerCellsAreErrors() {
        for bad in ["0x1p4", "nan", "inf", "1e400"] {
            let p = problems("""
            id,name,district,town,category,scale,latitude,penalties_3y
            \(code(1)),甲,浦东新区,张江镇,mining,small,\(bad),\(bad)
            """)
            XCTAssertEqual(Set(p.compactMap { $0.column }), ["latitude", "penalties_3y"], bad)
            XCTAssertTrue(p.allSatisfy { $0.row == 2 && $0.value == bad }, bad)
        }
    }

    func testWorkbookNumbersAreDecimalOnly() {
        XCTAssertEqual(XLSXSheet.numberText("16"), "16")
        XCTAssertEqual(XLSXSheet.numberText("1.5E2"), "150")
        XCTAssertEqual(XLSXSheet.numberText("0x1p4"), "0x1p4", "a crafted hexadecimal cell stays text (and is rejected where a number is due)")
        XCTAssertEqual(XLSXSheet.numberText("nan"), "nan")
    }
}

final class LocatedRejectionTests: XCTestCase {
    func testShortAndWideRowsNameColumnAndValue() {
        let p = problems("""
        id,name,district,town,category,scale
        \(code(1)),甲,浦东新区
        \(code(2)),乙,浦东新区,张江镇,mining,small,多余,更多
        """)
        XCTAssertEqual(p.count, 2)
        XCTAssertEqual(p[0].column, "town")
        XCTAssertEqual(p[0].value, "\(code(1)),甲,浦东新区")
        XCTAssertEqual(p[1].row, 3)
        XCTAssertEqual(p[1].value, "多余,更多")
        XCTAssertNotNil(p[1].column)
    }

    func testMissingColumnShowsTheHeaderFound() {
        let p = problems("id,name,district,category,scale\n\(code(1)),甲,浦东新区,mining,small\n")
        XCTAssertEqual(p.first?.column, "所属街镇")
        XCTAssertEqual(p.first?.value, "id,name,district,category,scale")
    }

    func testEmptyFileIsRowOne() {
        XCTAssertEqual(problems("").first?.row, 1)
        XCTAssertEqual(problems(data: Data([0xEF, 0xBB, 0xBF])).first?.row, 1)
    }

    func testASecondByteOrderMarkDoesNotHideTheFirstColumn() throws {
        var data = Data([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF])
        data.append(Data("\(minimalHeader)\n\(code(3)),丙,浦东新区,唐镇,mining,small\n".utf8))
        XCTAssertEqual(try LedgerLoader.load(data: data, file: "bom.csv").units.map { $0.id }, [code(3)])
    }

    func testBytesThatAreNotTextNameTheirColumn() {
        var data = Data("\(minimalHeader)\n\(code(1)),甲,浦东新区,".utf8)
        data.append(contentsOf: [0xFF, 0xFE, 0x41])
        data.append(Data(",mining,small\n".utf8))
        let p = problems(data: data)
        XCTAssertEqual(p.first?.row, 2)
        XCTAssertEqual(p.first?.column, "town")
        XCTAssertEqual(p.first?.value, "0xFF FE 41 2C")
    }
}

final class ScenarioHardeningTests: XCTestCase {
    let head = """
    year: 2027
    authority: { level: district, district: 浦东新区 }

    """

    func problems(_ yaml: String) -> [InputProblem] {
        do { _ = try ScenarioLoader.parse(yaml: yaml, file: "s.yaml"); return [] }
        catch let e as InputError { return e.problems }
        catch { return [InputProblem(file: "?", message: "\(error)")] }
    }

    func testHexadecimalFloatsNaNAndInfinityAreErrors() {
        for bad in ["0x1p4", ".nan", ".inf", "1e400", "0x10"] {
            let p = problems(head + "workdays:\n  other_enforcement: \(bad)\npolicy:\n  general_sample_rate: \(bad)\n")
            XCTAssertEqual(p.map { $0.column }, ["workdays.other_enforcement", "policy.general_sample_rate"], bad)
            XCTAssertEqual(p.map { $0.row }, [4, 6], bad)
            XCTAssertTrue(p.allSatisfy { $0.value == bad }, bad)
        }
        XCTAssertEqual(problems(head + "seed: 0x10\n").map { $0.column }, ["seed"])
    }

    func testDuplicateCampaignNamesAndMonths() {
        let p = problems(head + """
        campaigns:
          - { name: 有限空间, months: [5, 6, 5], visits: 3 }
          - name: 有限空间
            months: [7]
        joint: { visits: 5, months: [3, 3] }
        """)
        XCTAssertEqual(p.map { $0.column }, ["campaigns[1].months", "campaigns[2].name", "joint.months"], "\(p)")
        XCTAssertEqual(p.map { $0.row }, [4, 5, 7])
        XCTAssertEqual(p.map { $0.value }, ["5", "有限空间", "3"])
    }

    func testEmptyMonthsAndEmptyMatchListAreLocated() {
        let p = problems(head + """
        campaigns:
          - name: a
            months: []
            match: { category: [] }
        """)
        XCTAssertEqual(p.map { $0.column }, ["campaigns[1].months", "campaigns[1].match.category"])
        XCTAssertEqual(p.map { $0.row }, [5, 6])
    }

    func testMissingKeysAndWrongTypesNameTheLineAndValue() {
        let p = problems("""
        year: 2027
        authority:
          district: 浦东新区
        policy: [1, 2]
        campaigns:
          - months: [5]
        """)
        let byColumn = Dictionary(p.map { ($0.column ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byColumn["authority.level"]?.row, 3)
        XCTAssertEqual(byColumn["policy"]?.row, 4)
        XCTAssertEqual(byColumn["policy"]?.value, "[1, 2]")
        XCTAssertEqual(byColumn["campaigns[1].name"]?.row, 6)
        XCTAssertTrue(p.allSatisfy { $0.row != nil && $0.column != nil && $0.value != nil }, "\(p)")
    }

    func testSyntaxErrorsNameLineKeyAndText() {
        let p = problems(head + """
        campaigns:
          - name: a
            months: [5, 6
            visits: 3
        """)
        XCTAssertEqual(p.count, 1)
        XCTAssertNotNil(p.first?.row)
        XCTAssertTrue(p.first?.column?.hasPrefix("campaigns[1].") ?? false, "\(p)")
        XCTAssertNotNil(p.first?.value)
        let dup = problems(head + "seed: 1\nseed: 2\n")
        XCTAssertNotNil(dup.first?.row)
        XCTAssertTrue(dup.first?.message.contains("seed") ?? false)
    }

    func testKeyPathOfALine() {
        let lines = """
        year: 2027
        workdays:
          other_enforcement:
            行政许可: 1
        campaigns:
          - name: a
            months: [1]
          - name: b
            match:
              category: x
        """.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(YAMLKeyPath.at(line: 1, in: lines), "year")
        XCTAssertEqual(YAMLKeyPath.at(line: 4, in: lines), "workdays.other_enforcement.行政许可")
        XCTAssertEqual(YAMLKeyPath.at(line: 7, in: lines), "campaigns[1].months")
        XCTAssertEqual(YAMLKeyPath.at(line: 8, in: lines), "campaigns[2].name")
        XCTAssertEqual(YAMLKeyPath.at(line: 10, in: lines), "campaigns[2].match.category")
    }

    func testControlCharactersInScenarioText() {
        let p = problems(head + """
        campaigns:
          - { name: "有限\\0空间", months: [5] }
        workdays:
          other_enforcement: { "行政\\u0007许可": 3 }
        """)
        XCTAssertEqual(p.map { $0.column }, ["workdays.other_enforcement.<键 key>", "campaigns[1].name"])
        XCTAssertEqual(p.map { $0.value }, ["行政\u{7}许可", "有限\u{0}空间"])
    }

    func testDeductionMapsAreBoundedInTotal() {
        let items = (1...3).map { "c\($0): 9000000" }.joined(separator: ", ")
        let p = problems(head + "workdays:\n  non_enforcement: { \(items) }\n")
        XCTAssertEqual(p.map { $0.column }, ["workdays.non_enforcement"])
        XCTAssertEqual(p.first?.value, "27000000")
    }

    func testDrawWeightsThatRoundToZeroAreAnError() throws {
        // Three decreasing factors at their least: 0.000001, kept.
        let kept = try ScenarioLoader.parse(yaml: head + "draw_weights: { standardisation: 0.01, safety_culture: 0.01, liability_insurance: 0.01 }\n", file: "s.yaml")
        XCTAssertEqual([kept.drawWeights.standardisation, kept.drawWeights.safetyCulture, kept.drawWeights.liabilityInsurance], [0.01, 0.01, 0.01])
        XCTAssertEqual([kept.drawWeights.penalties, kept.drawWeights.accidentOrBlacklist], [1.5, 2.0], "the others at their defaults")
        // The increasing factors lowered too: a unit meeting all five would weigh 1e-10 → 0.
        let p = problems(head + "draw_weights:\n  standardisation: 0.01\n  safety_culture: 0.01\n  liability_insurance: 0.01\n  penalties: 0.01\n  accident_or_blacklist: 0.01\n")
        XCTAssertEqual(p.map { $0.column }, ["draw_weights"])
        XCTAssertEqual(p.map { $0.row }, [4])
        XCTAssertEqual(p.map { $0.value }, ["1e-10"])
    }

    func testAnAliasBombIsShownInAFewCharacters() {
        // 20 aliases of 20 aliases … eight deep: 20^8 leaves if a message printed them all.
        var yaml = head + "a0: &a0 [" + Array(repeating: "x", count: 20).joined(separator: ", ") + "]\n"
        for i in 1...8 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 20).joined(separator: ", ") + "]\n" }
        yaml += "policy: *a8\n"
        let p = problems(yaml)
        let policy = p.first { $0.column == "policy" }
        XCTAssertNotNil(policy)
        XCTAssertLessThan(policy?.value?.count ?? .max, 400)
    }

    func testAVariantIsCheckedLikeAScenario() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("var-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = try ScenarioLoader.parse(yaml: head, file: "s.yaml")
        let path = dir.appendingPathComponent("v.yaml").path
        try Data("name: x\ncalendar: nope.yaml\nstaff_delta: 0x10\ncampaigns:\n  - { name: a, months: [2, 2] }\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ScenarioLoader.variant(path: path, base: base)) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.column }, ["campaigns[1].months", "staff_delta"])
            XCTAssertEqual(p.map { $0.row }, [5, 3])
        }
        try Data("name: x\ncalendar: nope.yaml\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ScenarioLoader.variant(path: path, base: base)) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.column }, ["calendar"])
            XCTAssertEqual(p.map { $0.row }, [2])
            XCTAssertEqual(p.map { $0.value }, ["nope.yaml"])
        }
    }

    func testAByteOrderMarkIsAccepted() throws {
        XCTAssertEqual(try ScenarioLoader.parse(yaml: "\u{FEFF}" + head, file: "s.yaml").year, 2027)
    }

    func testBytesThatAreNotUTF8AndRawControlCharactersNameTheirLine() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("scn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("scenario.yaml").path
        var bytes = Data((head + "seed: 1\ncampaigns:\n  - name: ").utf8)
        bytes.append(contentsOf: [0xC4, 0xE3])   // GBK, not UTF-8
        bytes.append(Data("\n".utf8))
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ScenarioLoader.load(path: path)) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.row }, [5])
            XCTAssertEqual(p.map { $0.column }, ["campaigns[1].name"])
            XCTAssertEqual(p.first?.value, "0xC4 E3 0A")
        }
        try Data((head + "seed: 1\u{7}\n").utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ScenarioLoader.load(path: path)) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.row }, [3])
            XCTAssertEqual(p.map { $0.column }, ["seed"])
        }
        try Data("# nothing\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ScenarioLoader.load(path: path)) { e in
            XCTAssertEqual((e as? InputError)?.problems.first?.row, 1)
        }
    }

    func testFilesTheScenarioNamesMustExist() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("scn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("x".utf8).write(to: dir.appendingPathComponent("ledger.csv"))
        let path = dir.appendingPathComponent("scenario.yaml").path
        try Data((head + "ledger: ledger.csv\nstaff: nope.csv\nexperts: .\n").utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ScenarioLoader.load(path: path)) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.column }, ["staff", "experts"])
            XCTAssertEqual(p.map { $0.row }, [4, 5])
            XCTAssertEqual(p.map { $0.value }, ["nope.csv", "."])
            XCTAssertTrue(p.allSatisfy { $0.file == path })
        }
    }
}

final class ExecutedFileTests: XCTestCase {
    func testAPlannedVisitRecordedTwiceIsAnError() throws {
        let path = NSTemporaryDirectory() + "executed-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("visit,date\nV-0001,2027-03-05\nV-0001,2027-04-05\nV-0002,2027-03-0\u{0}\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ExecutedLoader.load(path: path, year: 2027, visitIds: ["V-0001", "V-0002"])) { e in
            let p = (e as? InputError)?.problems ?? []
            XCTAssertEqual(p.map { $0.row }, [3, 4])
            XCTAssertEqual(p.map { $0.column }, ["visit", "date"])
            XCTAssertEqual(p.map { $0.value }, ["V-0001", "2027-03-0\u{0}"])
        }
    }
}

import Foundation
import XCTest
@testable import Ledger

final class CreditCodeTests: XCTestCase {
    func testKnownValidCodes() {
        // Vectors checked independently with a Python implementation of GB 32100-2015.
        for c in ["91350100M000100Y43", "91110108MA01C4G50N", "913100001322202929"] {
            XCTAssertNil(CreditCode.problem(c), c)
        }
    }

    func testWrongCheckCharacterNamesTheExpectedOne() {
        let p = CreditCode.problem("91310000MA1FL4F02R")
        XCTAssertNotNil(p)
        XCTAssertTrue(p!.contains("Y"), p!)
    }

    func testLengthAndAlphabet() {
        XCTAssertNotNil(CreditCode.problem("9131000"))
        XCTAssertNotNil(CreditCode.problem("91310000MA1FL4FO2Y"))   // letter O is not in the alphabet
    }
}

final class LedgerLoadingTests: XCTestCase {
    func testEnglishHeadersAndKeys() throws {
        let l = try ledger("""
        \(minimalHeader),activity,licensed,penalties_3y,last_fatal_accident
        \(code(1)),甲化工,浦东新区,张江镇,hazchem,medium,production,yes,3,2025-06-01
        """)
        XCTAssertEqual(l.units.count, 1)
        let u = l.units[0]
        XCTAssertEqual(u.category, .hazchem)
        XCTAssertEqual(u.activity, .production)
        XCTAssertEqual(u.scale, .medium)
        XCTAssertTrue(u.licensed)
        XCTAssertEqual(u.penalties3y, 3)
        XCTAssertEqual(u.lastFatalAccident, CivilDate(year: 2025, month: 6, day: 1))
    }

    func testChineseHeadersTermsAndBooleans() throws {
        let l = try ledger("""
        统一社会信用代码,单位名称,所属区,所属街镇,行业类别,经营方式/细分行业,轻工子行业,规模,污水处理设施,涉氨制冷,隶属关系,安全风险等级
        \(code(2)),乙食品,闵行区,七宝镇,工贸,轻工,食品加工,小型,是,否,区属企业总部,较大风险
        """)
        let u = l.units[0]
        XCTAssertEqual(u.category, .industryTrade)
        XCTAssertEqual(u.activity, .lightIndustry)
        XCTAssertEqual(u.lightSector, .food)
        XCTAssertEqual(u.scale, .small)
        XCTAssertTrue(u.sewageTreatment)
        XCTAssertFalse(u.ammoniaRefrigeration)
        XCTAssertEqual(u.ownership, .districtHQ)
        XCTAssertEqual(u.riskLevel, .orange)
    }

    func testBOMAndCRLF() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("\(minimalHeader)\r\n\(code(3)),丙,浦东新区,唐镇,mining,small\r\n".utf8))
        let l = try LedgerLoader.load(data: data, file: "bom.csv")
        XCTAssertEqual(l.units.map { $0.id }, [code(3)])
        XCTAssertEqual(l.units[0].scale, .small)   // no stray \r in the last field
    }

    func testQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let l = try ledger("""
        \(minimalHeader),address
        \(code(4)),"丁,有限公司",浦东新区,唐镇,mining,small,"上海市""浦东""
        唐镇1号"
        \(code(5)),戊,浦东新区,唐镇,mining,small,x
        """)
        XCTAssertEqual(l.units.count, 2)
        XCTAssertEqual(l.units[0].name, "丁,有限公司")
        XCTAssertEqual(l.units[0].address, "上海市\"浦东\"\n唐镇1号")
    }

    func testRowNumbersCountRecordsNotLines() {
        // The quoted newline in row 2 must not shift the row number of the bad value in row 3.
        let p = problems("""
        \(minimalHeader),address
        \(code(6)),a,浦东新区,唐镇,mining,small,"line1
        line2"
        \(code(7)),b,浦东新区,唐镇,mining,gigantic,x
        """)
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p.first?.row, 3)
        XCTAssertEqual(p.first?.column, "scale")
        XCTAssertEqual(p.first?.value, "gigantic")
    }

    func testUnknownColumnsPassThrough() throws {
        let l = try ledger("""
        \(minimalHeader),备注,联系人
        \(code(8)),己,浦东新区,唐镇,mining,small,重点关注,张三
        """)
        XCTAssertEqual(l.extraHeaders, ["备注", "联系人"])
        XCTAssertEqual(l.units[0].extra, ["重点关注", "张三"])
    }

    func testHeaderOnlyLedgerIsValidAndEmpty() throws {
        XCTAssertEqual(try ledger("\(minimalHeader)\n").units.count, 0)
    }

    // MARK: - Malformed input: every message names row and column

    func testBadCheckCharacter() {
        var bad = code(9); bad.removeLast(); bad += bad.hasSuffix("0") ? "1" : "0"
        let p = problems("\(minimalHeader)\n\(bad),a,浦东新区,唐镇,mining,small")
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0].row, 2)
        XCTAssertEqual(p[0].column, "id")
        XCTAssertEqual(p[0].value, bad)
        XCTAssertTrue(p[0].message.contains("校验码"), p[0].message)
    }

    func testDuplicateIdNamesTheFirstRow() {
        let p = problems("统一社会信用代码,单位名称,所属区,所属街镇,行业类别,规模\n\(code(10)),a,浦东新区,唐镇,工贸,小型\n\(code(10)),b,浦东新区,唐镇,工贸,小型")
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0].row, 3)
        XCTAssertEqual(p[0].column, "统一社会信用代码")   // the header as the file spells it
        XCTAssertTrue(p[0].message.contains("第2行"), p[0].message)
    }

    func testUnknownEnumValueListsValidOnes() {
        let p = problems("\(minimalHeader)\n\(code(11)),a,浦东新区,唐镇,chemicals,small")
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0].row, 2)
        XCTAssertEqual(p[0].column, "category")
        XCTAssertEqual(p[0].value, "chemicals")
        XCTAssertTrue(p[0].message.contains("hazchem 危险化学品"), p[0].message)
    }

    func testMissingRequiredColumn() {
        let p = problems("id,name,district,town,category\n\(code(12)),a,浦东新区,唐镇,mining")
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0].row, 1)
        XCTAssertEqual(p[0].column, "规模")
        XCTAssertTrue(p[0].message.contains("scale"), p[0].message)
    }

    func testShortRow() {
        let p = problems("\(minimalHeader)\n\(code(13)),a,浦东新区,唐镇,mining")
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0].row, 2)
        XCTAssertEqual(p[0].column, "scale")   // the first missing column
        XCTAssertTrue(p[0].message.contains("5"), p[0].message)
    }

    func testImpossibleDate() {
        let p = problems("\(minimalHeader),last_inspected\n\(code(14)),a,浦东新区,唐镇,mining,small,2027-02-30")
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0].row, 2)
        XCTAssertEqual(p[0].column, "last_inspected")
        XCTAssertEqual(p[0].value, "2027-02-30")
    }

    func testNegativeCount() {
        let p = problems("\(minimalHeader),近三年行政处罚次数\n\(code(15)),a,浦东新区,唐镇,mining,small,-1")
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0].row, 2)
        XCTAssertEqual(p[0].column, "近三年行政处罚次数")
        XCTAssertEqual(p[0].value, "-1")
    }

    func testNonUTF8BytesNameTheLine() {
        var data = Data("\(minimalHeader)\n\(code(16)),a,浦东新区,唐镇,mining,small\n\(code(17)),".utf8)
        data.append(contentsOf: [0xBC, 0xD7])   // "甲" in GBK
        data.append(Data(",浦东新区,唐镇,mining,small\n".utf8))
        let p = problems(data: data)
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p[0].row, 3)
        XCTAssertEqual(p[0].value, "0xBC D7 2C E6")
        XCTAssertTrue(p[0].message.contains("UTF-8"))
    }

    func testEveryProblemIsReportedAndNothingLoads() {
        let p = problems("""
        \(minimalHeader),penalties_3y,last_inspected
        \(code(18)),a,浦东新区,唐镇,mining,huge,-2,2027-13-01
        BADCODE,b,浦东新区,唐镇,coal,small,0,
        """)
        XCTAssertEqual(Set(p.map { "\($0.row!):\($0.column!)" }),
                       ["2:scale", "2:penalties_3y", "2:last_inspected", "3:id", "3:category"])
    }

    func testProblemListIsCapped() throws {
        var text = minimalHeader + "\n"
        for i in 0..<150 { text += "\(code(100 + i)),a,浦东新区,唐镇,mining,huge\n" }
        do { _ = try ledger(text); XCTFail("should not load") } catch let e as InputError {
            XCTAssertEqual(e.problems.count, InputError.listLimit)
            XCTAssertEqual(e.unlisted, 50)
            XCTAssertTrue(e.description.contains("50"))
        }
    }

    func testActivityMustBelongToCategory() {
        let p = problems("\(minimalHeader),activity\n\(code(19)),a,浦东新区,唐镇,fireworks,small,production")
        XCTAssertEqual(p.map { $0.column }, ["activity"])
    }

    func testMissingFileSaysSo() {
        XCTAssertThrowsError(try LedgerLoader.load(path: "/nonexistent/ledger.csv")) { e in
            XCTAssertTrue("\(e)".contains("/nonexistent/ledger.csv"))
        }
    }
}

final class StaffLoadingTests: XCTestCase {
    func testStaffWithRangesSpecialtiesAndConflicts() throws {
        let s = try StaffLoader.load(data: Data("""
        工号,姓名,执法证,可任组长,专业领域,不可用日期,回避单位
        E01,王伟,是,是,hazchem;dust,2027-03-01..2027-03-05;2027-07-01,\(code(1))
        """.utf8), file: "staff.csv")
        XCTAssertEqual(s[0].specialties, [.hazchem, .dust])
        XCTAssertTrue(s[0].leader)
        XCTAssertFalse(s[0].isAvailable(on: CivilDate("2027-03-03")!))
        XCTAssertTrue(s[0].isAvailable(on: CivilDate("2027-03-06")!))
        XCTAssertFalse(s[0].isAvailable(on: CivilDate("2027-07-01")!))
        XCTAssertEqual(s[0].conflicts, [code(1)])
    }

    func testBackwardRangeAndUnknownSpecialty() {
        do {
            _ = try StaffLoader.load(data: Data("id,name,certified,specialties,unavailable\nE01,a,yes,chemistry,2027-03-05..2027-03-01\n".utf8), file: "staff.csv")
            XCTFail("should not load")
        } catch let e as InputError {
            XCTAssertEqual(Set(e.problems.map { $0.column! }), ["specialties", "unavailable"])
            XCTAssertTrue(e.problems.allSatisfy { $0.row == 2 })
        } catch { XCTFail("\(error)") }
    }

    func testExpertsMustNotBeCertified() {
        XCTAssertThrowsError(try StaffLoader.load(data: Data("id,name,certified\nX01,a,是\n".utf8), file: "experts.csv", experts: true))
    }
}

import XCTest
import Ledger
import Policy

/// The presentation of ledger facts (moved out of Ledger with `Lang`): the console line saying
/// how a ledger was read, and a column's header in either language.
final class LangTests: XCTestCase {
    func testLedgerNoteSaysHowTheLedgerWasRead() {
        XCTAssertNil(SourceEncoding.utf8.ledgerNote(.zh), "UTF-8 CSV is the contract's own format: nothing to say")
        XCTAssertNil(SourceEncoding.utf8.ledgerNote(.en))
        XCTAssertEqual(SourceEncoding.gb18030.ledgerNote(.zh), "台账编码：GB18030（已自动转换）")
        XCTAssertEqual(SourceEncoding.gb18030.ledgerNote(.en), "Ledger encoding: GB18030 (converted automatically)")
        XCTAssertEqual(SourceEncoding.xlsx(sheet: "台账").ledgerNote(.zh), "台账文件：Excel工作簿，读取第一个工作表「台账」")
        XCTAssertEqual(SourceEncoding.xlsx(sheet: "台账").ledgerNote(.en), "Ledger file: Excel workbook, first worksheet '台账' read")
    }

    func testColumnHeaderInEitherLanguage() {
        let c = ColumnSpec("credit_code", "统一社会信用代码", required: true)
        XCTAssertEqual(c.header(.zh), "统一社会信用代码")
        XCTAssertEqual(c.header(.en), "credit_code")
        XCTAssertEqual(Lang(rawValue: "en"), .en)
        XCTAssertEqual(Lang.allCases, [.zh, .en])
    }
}

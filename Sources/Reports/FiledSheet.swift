import Ledger
import Policy
import XLSX

/// The head of a sheet a bureau files (PLAN-DOCUMENTS.md): a title, then 编制单位 (the
/// authority) and 日期 lines; and how such a sheet prints — A4, fit to one page wide, the
/// heading (and a single table's header) frozen and repeated on every page, page numbers in
/// the footer.
enum FiledSheet {
    /// Rows 0–2: title, 编制单位, 日期; row 3 is left blank. Returns the first row after them.
    /// The date is never the wall clock (same inputs, same bytes): a blank line to fill in
    /// when `date` is nil.
    static func writeHeading(_ sheet: Sheet, title: String, authority: String, date: String? = nil,
                             columns: Int, lang: Lang) throws -> Int {
        let zh = lang == .zh
        let last = max(1, columns) - 1
        try sheet.merge(rows: 0...0, cols: 0...last, .string(Sheet.fitted(title)), format: .tableTitle)
        try sheet.setRowHeight(0, height: 24)
        let left = CellFormat(horizontalAlignment: .left)
        try sheet.merge(rows: 1...1, cols: 0...last, .string(Sheet.fitted((zh ? "编制单位：" : "Prepared by: ") + authority)), format: left)
        try sheet.merge(rows: 2...2, cols: 0...last,
                        .string((zh ? "日期：" : "Date: ") + (date ?? (zh ? "　　　　年　　月　　日" : "____-__-__"))), format: left)
        return headingRows.upperBound + 2
    }

    /// Title, 编制单位, 日期.
    static let headingRows = 0...2

    /// Freezes the rows through `frozenThrough` (the heading, or the heading and a table's
    /// header) and nothing else, and prints A4 with those rows on every page.
    static func finish(_ sheet: Sheet, frozenThrough: Int = headingRows.upperBound) throws {
        try sheet.freezePanes(row: frozenThrough + 1, col: 0)
        try sheet.setPageSetup(.filed(repeatRows: 0...frozenThrough))
    }
}

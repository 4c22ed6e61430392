import CXLSXWriter
import Foundation

/// Where `writeTable` put things (all zero-based).
public struct TableLayout: Hashable, Sendable {
    /// The merged title row, if a title was given.
    public let titleRow: Int?
    public let headerRow: Int
    /// Data rows; empty when the table has no rows.
    public let dataRows: Range<Int>
    public let columns: ClosedRange<Int>
    /// Column widths that were set, left to right.
    public let columnWidths: [Double]
    /// Rows that continue the text of the row above them (a cell over Excel's limit); empty
    /// when every value fitted in its cell.
    public let continuedRows: [Int]

    public init(titleRow: Int?, headerRow: Int, dataRows: Range<Int>, columns: ClosedRange<Int>,
                columnWidths: [Double], continuedRows: [Int] = []) {
        self.titleRow = titleRow; self.headerRow = headerRow; self.dataRows = dataRows
        self.columns = columns; self.columnWidths = columnWidths; self.continuedRows = continuedRows
    }

    /// Title (if any) through header: the rows to repeat on every printed page.
    public var headingRows: ClosedRange<Int> { (titleRow ?? headerRow)...headerRow }
    /// The last row the table occupies.
    public var lastRow: Int { dataRows.isEmpty ? headerRow : dataRows.upperBound - 1 }
}

/// One worksheet of a `Workbook`. Keeps its workbook alive; every call throws
/// `.workbookClosed` once the workbook has been closed.
///
/// Rows and columns are zero-based (row 0, column 0 is cell A1).
public final class Sheet {
    public let name: String
    private let workbook: Workbook
    private let handle: UnsafeMutablePointer<lxw_worksheet>

    init(workbook: Workbook, name: String, handle: UnsafeMutablePointer<lxw_worksheet>) {
        self.workbook = workbook
        self.name = name
        self.handle = handle
    }

    // MARK: - Cells

    /// Writes one cell. `.date` cells whose format has no number format are shown as `yyyy-mm-dd`.
    /// `.empty` writes a blank cell when `format` is given and does nothing otherwise.
    public func write(row: Int, col: Int, _ value: CellValue, format: CellFormat? = nil) throws {
        let worksheet = try worksheetHandle()
        try checkCell(row: row, col: col)
        try Sheet.validate(value, context: "\(reference(row, col)) on sheet \"\(name)\"")
        try put(value, row: row, col: col, format: format, worksheet: worksheet)
    }

    /// Writes `values` left to right starting at (`row`, `col`), all with `format`.
    public func writeRow(row: Int, col: Int = 0, _ values: [CellValue], format: CellFormat? = nil) throws {
        let worksheet = try worksheetHandle()
        guard !values.isEmpty else { return }
        try checkCell(row: row, col: col)
        try checkCell(row: row, col: col + values.count - 1)
        for (offset, value) in values.enumerated() {
            try Sheet.validate(value, context: "\(reference(row, col + offset)) on sheet \"\(name)\"")
        }
        for (offset, value) in values.enumerated() {
            try put(value, row: row, col: col + offset, format: format, worksheet: worksheet)
        }
    }

    /// Merges the range into one cell holding `value`.
    public func merge(rows: ClosedRange<Int>, cols: ClosedRange<Int>, _ value: CellValue,
                      format: CellFormat? = nil) throws {
        let worksheet = try worksheetHandle()
        try checkCell(row: rows.lowerBound, col: cols.lowerBound)
        try checkCell(row: rows.upperBound, col: cols.upperBound)
        try Sheet.validate(value, context: "merged range \(rangeReference(rows, cols)) on sheet \"\(name)\"")
        if rows.count == 1 && cols.count == 1 {
            // Excel has no one-cell merges; libxlsxwriter rejects them.
            try put(value, row: rows.lowerBound, col: cols.lowerBound, format: format, worksheet: worksheet)
            return
        }
        let text: String
        if case .string(let string) = value { text = string } else { text = "" }
        let formatHandle = try workbook.formatHandle(format)
        let error = worksheet_merge_range(worksheet, lxw_row_t(rows.lowerBound), lxw_col_t(cols.lowerBound),
                                          lxw_row_t(rows.upperBound), lxw_col_t(cols.upperBound),
                                          text, formatHandle)
        try check(error, "worksheet_merge_range", rangeReference(rows, cols))
        switch value {
        case .string, .empty:
            break
        default:
            // libxlsxwriter's documented way to merge a non-string: overwrite the first cell.
            try put(value, row: rows.lowerBound, col: cols.lowerBound, format: format, worksheet: worksheet)
        }
    }

    // MARK: - Tables

    /// Writes a table: an optional merged `title` row, a bold filled header row,
    /// then `rows`. Freezes the panes below the header, sets an autofilter over
    /// header and data, and sizes each column to its content (CJK characters
    /// count double; widths clamped to 8…60).
    ///
    /// `columnFormats[i]` formats data column `i` (e.g. `.percent`, `.decimal(2)`);
    /// `bordered` draws thin borders around data cells. Rows may be shorter
    /// than the header (the rest stay blank) but not longer. Everything is
    /// validated before the first cell is written.
    ///
    /// Text longer than Excel's 32,767-character cell limit is not refused nor cut: it is
    /// split (`Sheet.pieces`) over continuation rows right below its row, the other cells of
    /// those rows blank, so every character is in the sheet (`TableLayout.dataRows` counts
    /// them; `continuedRows` lists the rows that continue). A title over the limit is cut
    /// with a note saying how much was left out (`Sheet.fitted`). A NUL character, which no
    /// cell can hold, is written as ␀ (U+2400) in data cells. A sheet has one autofilter and
    /// one frozen pane: for several tables on a sheet, pass `freezeHeader: false`
    /// and `autofilter: false` to the later ones (or freeze with `freezePanes`).
    @discardableResult
    public func writeTable(header: [String], rows: [[CellValue]], title: String? = nil,
                           startRow: Int = 0, startCol: Int = 0,
                           columnFormats: [CellFormat?] = [], bordered: Bool = true,
                           freezeHeader: Bool = true, autofilter: Bool = true) throws -> TableLayout {
        let worksheet = try worksheetHandle()
        guard !header.isEmpty else {
            throw XLSXError.invalidArgument("table on sheet \"\(name)\"", "the header is empty")
        }
        guard columnFormats.count <= header.count else {
            throw XLSXError.invalidArgument("table on sheet \"\(name)\"",
                                            "\(columnFormats.count) column formats for \(header.count) columns")
        }
        let title = title.map { Sheet.fitted($0) }
        let titleRow: Int? = title == nil ? nil : startRow
        let headerRow = startRow + (title == nil ? 0 : 1)
        let firstDataRow = headerRow + 1
        let lastCol = startCol + header.count - 1
        for (rowIndex, values) in rows.enumerated() {
            guard values.count <= header.count else {
                throw XLSXError.invalidArgument(
                    "table row \(rowIndex) on sheet \"\(name)\"",
                    "\(values.count) values but the header has \(header.count) columns")
            }
        }
        // Text over the cell limit continues on rows of its own below its row.
        var continued: [Int] = []
        var physical: [[CellValue]] = []
        physical.reserveCapacity(rows.count)
        for values in rows {
            let plain = values.allSatisfy { value in
                guard case .string(let text) = value else { return true }
                return !Sheet.hasNUL(text) && (text.utf8.count <= Limits.maxStringLength || text.utf16.count <= Limits.maxStringLength)
            }
            if plain { physical.append(values); continue }
            let split = values.map { value -> [CellValue] in
                guard case .string(var text) = value else { return [value] }
                // A NUL cannot be stored: shown as ␀ (U+2400), visibly, not dropped.
                if text.utf8.contains(0) { text = text.replacingOccurrences(of: "\u{0}", with: "\u{2400}") }
                return Sheet.pieces(of: text).map(CellValue.string)
            }
            let count = split.map(\.count).max() ?? 1
            guard count > 1 else { physical.append(split.map { $0[0] }); continue }
            for k in 0..<count {
                if k > 0 { continued.append(firstDataRow + physical.count) }
                physical.append(split.map { k < $0.count ? $0[k] : .empty })
            }
        }
        let rows = physical
        try checkCell(row: startRow, col: startCol)
        try checkCell(row: headerRow + rows.count, col: lastCol)

        if let title {
            try Sheet.validate(.string(title), context: "title of table on sheet \"\(name)\"")
        }
        for (index, text) in header.enumerated() {
            try Sheet.validate(.string(text), context: "header \(reference(headerRow, startCol + index)) on sheet \"\(name)\"")
        }
        for (rowIndex, values) in rows.enumerated() {
            for (colIndex, value) in values.enumerated() {
                try Sheet.validate(value, context: "\(self.reference(firstDataRow + rowIndex, startCol + colIndex)) on sheet \"\(self.name)\"")
            }
        }

        let formats: [CellFormat] = header.indices.map { index in
            let base = index < columnFormats.count ? (columnFormats[index] ?? .plain) : .plain
            return bordered ? base.bordered() : base
        }

        // Create (and so validate) every format before the first cell is written.
        for format in formats + [.tableHeader] + (title == nil ? [] : [.tableTitle]) {
            _ = try workbook.formatHandle(format)
        }

        if let title, let titleRow {
            try merge(rows: titleRow...titleRow, cols: startCol...lastCol, .string(title), format: .tableTitle)
            try check(worksheet_set_row(worksheet, lxw_row_t(titleRow), 24, nil), "worksheet_set_row", "row \(titleRow + 1)")
        }
        for (index, text) in header.enumerated() {
            try put(.string(text), row: headerRow, col: startCol + index, format: .tableHeader, worksheet: worksheet)
        }
        let handles = try formats.map { try workbook.formatHandle($0) }
        for (rowIndex, values) in rows.enumerated() {
            for colIndex in header.indices {
                let value = colIndex < values.count ? values[colIndex] : .empty
                try put(value, row: firstDataRow + rowIndex, col: startCol + colIndex,
                        format: formats[colIndex], handle: handles[colIndex], worksheet: worksheet)
            }
        }

        if freezeHeader { worksheet_freeze_panes(worksheet, lxw_row_t(firstDataRow), 0) }
        if autofilter {
            try check(worksheet_autofilter(worksheet, lxw_row_t(headerRow), lxw_col_t(startCol),
                                           lxw_row_t(headerRow + rows.count), lxw_col_t(lastCol)),
                      "worksheet_autofilter", rangeReference(headerRow...(headerRow + rows.count), startCol...lastCol))
        }

        var widths: [Double] = []
        for index in header.indices {
            // +2 leaves room for the autofilter button beside the header text.
            var content = TextWidth.of(header[index]) + 2
            let estimator = WidthEstimator(format: formats[index])
            // Past `saturated` the column is as wide as it gets (`columnWidth` clamps): stop.
            let saturated = Int(TextWidth.columnWidth(forContentWidth: 1 << 30)) - 2
            for values in rows where index < values.count {
                if content >= saturated { break }
                content = max(content, estimator.width(of: values[index], atMostInteresting: content))
            }
            let width = TextWidth.columnWidth(forContentWidth: content)
            widths.append(width)
            try setColumnWidth(startCol + index, width: width)
        }

        return TableLayout(titleRow: titleRow, headerRow: headerRow,
                           dataRows: firstDataRow..<(firstDataRow + rows.count),
                           columns: startCol...lastCol, columnWidths: widths, continuedRows: continued)
    }

    // MARK: - Layout

    /// Sets the width of one column, in Excel's character units (0…255).
    public func setColumnWidth(_ col: Int, width: Double) throws {
        try setColumnWidth(col...col, width: width)
    }

    /// Sets the width of a range of columns, in Excel's character units (0…255).
    public func setColumnWidth(_ cols: ClosedRange<Int>, width: Double) throws {
        let worksheet = try worksheetHandle()
        try checkCell(row: 0, col: cols.lowerBound)
        try checkCell(row: 0, col: cols.upperBound)
        guard width.isFinite, (0...255).contains(width) else {
            throw XLSXError.invalidArgument("column width \(width) on sheet \"\(name)\"", "Excel allows 0…255")
        }
        try check(worksheet_set_column(worksheet, lxw_col_t(cols.lowerBound), lxw_col_t(cols.upperBound), width, nil),
                  "worksheet_set_column", "columns \(Sheet.columnName(cols.lowerBound)):\(Sheet.columnName(cols.upperBound))")
    }

    /// Sets the height of a row, in points (0…409).
    public func setRowHeight(_ row: Int, height: Double) throws {
        let worksheet = try worksheetHandle()
        try checkCell(row: row, col: 0)
        guard height.isFinite, (0...409).contains(height) else {
            throw XLSXError.invalidArgument("row height \(height) on sheet \"\(name)\"", "Excel allows 0…409 points")
        }
        try check(worksheet_set_row(worksheet, lxw_row_t(row), height, nil), "worksheet_set_row", "row \(row + 1)")
    }

    /// Freezes the rows above `row` and the columns left of `col`.
    public func freezePanes(row: Int, col: Int = 0) throws {
        let worksheet = try worksheetHandle()
        try checkCell(row: row, col: col)
        worksheet_freeze_panes(worksheet, lxw_row_t(row), lxw_col_t(col))
    }

    /// Puts filter buttons on the first row of the range. A sheet has one autofilter; the last call wins.
    public func setAutofilter(rows: ClosedRange<Int>, cols: ClosedRange<Int>) throws {
        let worksheet = try worksheetHandle()
        try checkCell(row: rows.lowerBound, col: cols.lowerBound)
        try checkCell(row: rows.upperBound, col: cols.upperBound)
        try check(worksheet_autofilter(worksheet, lxw_row_t(rows.lowerBound), lxw_col_t(cols.lowerBound),
                                       lxw_row_t(rows.upperBound), lxw_col_t(cols.upperBound)),
                  "worksheet_autofilter", rangeReference(rows, cols))
    }

    // MARK: - Printing

    /// Orientation, paper, rows repeated on every page, fit-to-width, page header and footer.
    /// For a roster: `try sheet.setPageSetup(PageSetup(repeatRows: table.headingRows))`.
    public func setPageSetup(_ setup: PageSetup) throws {
        let worksheet = try worksheetHandle()
        if let rows = setup.repeatRows {
            try checkCell(row: rows.lowerBound, col: 0)
            try checkCell(row: rows.upperBound, col: 0)
        }
        for (what, text) in [("header", setup.header), ("footer", setup.footer)] {
            if let text, text.utf8.contains(0) || text.utf8.count > 255 {
                throw XLSXError.invalidArgument("page \(what) \"\(text)\" on sheet \"\(name)\"", "must be at most 255 bytes without NUL characters")
            }
        }
        switch setup.orientation {
        case .landscape: worksheet_set_landscape(worksheet)
        case .portrait: worksheet_set_portrait(worksheet)
        }
        worksheet_set_paper(worksheet, setup.paper.excelCode)
        if let rows = setup.repeatRows {
            try check(worksheet_repeat_rows(worksheet, lxw_row_t(rows.lowerBound), lxw_row_t(rows.upperBound)),
                      "worksheet_repeat_rows", "rows \(rows.lowerBound + 1):\(rows.upperBound + 1)")
        }
        if setup.fitToWidth {
            worksheet_fit_to_pages(worksheet, 1, 0)
        }
        if let header = setup.header {
            try check(worksheet_set_header(worksheet, header), "worksheet_set_header", "the page header")
        }
        if let footer = setup.footer {
            try check(worksheet_set_footer(worksheet, footer), "worksheet_set_footer", "the page footer")
        }
    }

    // MARK: - Long text

    /// Excel's limit on the text of one cell, in UTF-16 code units.
    public static let maxCellCharacters = Limits.maxStringLength

    /// Splits text into pieces of at most `limit` UTF-16 units (Excel's cell limit by default)
    /// without cutting a character; a piece ends after the last line break or list separator
    /// (、，,；; or a space) of its last quarter when there is one. Joined, the pieces are the text.
    public static func pieces(of text: String, limit: Int = maxCellCharacters) -> [String] {
        precondition(limit >= 4, "a piece must hold at least a character")
        guard text.utf16.count > limit else { return [text] }
        let separators: Set<Character> = ["\n", "\r\n", "、", "，", ",", "；", ";", " "]
        var result: [String] = []
        var start = text.startIndex
        var index = start
        var units = 0
        var lastBreak: (index: String.Index, units: Int)? = nil
        while index < text.endIndex {
            let c = text[index]
            let width = c.utf16.count
            if units + width > limit {
                let cut = lastBreak.flatMap { $0.units >= limit * 3 / 4 ? $0 : nil }
                let end = cut?.index ?? index
                result.append(String(text[start..<end]))
                start = end
                index = end
                units = 0
                lastBreak = nil
                continue
            }
            units += width
            index = text.index(after: index)
            if separators.contains(c) { lastBreak = (index, units) }
        }
        if start < text.endIndex { result.append(String(text[start...])) }
        return result
    }

    /// Text that fits in one cell: as given when it does; otherwise cut, with a note in Chinese
    /// and English saying how many characters were left out (for titles, not data).
    public static func fitted(_ text: String) -> String {
        guard text.utf16.count > Limits.maxStringLength else { return text }
        let budget = Limits.maxStringLength - 120
        var kept = "", units = 0
        for c in text {
            if units + c.utf16.count > budget { break }
            kept.append(c)
            units += c.utf16.count
        }
        let omitted = text.count - kept.count
        return kept + "…（超出Excel单元格32767字符上限，余下\(omitted)字未显示 / \(omitted) more characters not shown: Excel's cell limit）"
    }

    // MARK: - Helpers

    /// "A", "B", … "Z", "AA", … for a zero-based column.
    public static func columnName(_ col: Int) -> String {
        var n = col + 1
        var letters: [Character] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    private func worksheetHandle() throws -> UnsafeMutablePointer<lxw_worksheet> {
        _ = try workbook.openHandle()
        return handle
    }

    private func reference(_ row: Int, _ col: Int) -> String {
        guard row >= 0, col >= 0 else { return "(row \(row), column \(col))" }
        return "\(Sheet.columnName(col))\(row + 1)"
    }

    private func rangeReference(_ rows: ClosedRange<Int>, _ cols: ClosedRange<Int>) -> String {
        "\(reference(rows.lowerBound, cols.lowerBound)):\(reference(rows.upperBound, cols.upperBound))"
    }

    private func checkCell(row: Int, col: Int) throws {
        guard (0...Limits.maxRow).contains(row), (0...Limits.maxCol).contains(col) else {
            throw XLSXError.cellOutOfRange(sheet: name, row: row, col: col)
        }
    }

    /// `what` (a cell or range reference) is built only on failure.
    private func check(_ error: lxw_error, _ operation: String, _ what: @autoclosure () -> String) throws {
        guard error == LXW_NO_ERROR else {
            throw XLSXError.library(operation, "\(what()) on sheet \"\(name)\"", error)
        }
    }

    /// Rejects what Excel cannot hold, before anything is written.
    /// `context` (the cell's reference) is built only when the value is refused.
    /// Whether the text holds a NUL: one `memchr` over its bytes (a table checks every cell).
    static func hasNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { b in b.baseAddress.map { memchr($0, 0, b.count) != nil } ?? false } ?? text.utf8.contains(0)
    }

    private static func validate(_ value: CellValue, context: @autoclosure () -> String) throws {
        switch value {
        case .string(let text):
            guard !hasNUL(text) else {
                throw XLSXError.invalidArgument(context(), "text contains a NUL character")
            }
            // UTF-16 never has more units than UTF-8 has bytes: most text needs no count.
            guard text.utf8.count <= Limits.maxStringLength || text.utf16.count <= Limits.maxStringLength else {
                throw XLSXError.invalidArgument(
                    context(), "text is \(text.utf16.count) characters long; Excel allows at most \(Limits.maxStringLength)")
            }
        case .number(let number):
            guard number.isFinite else {
                throw XLSXError.invalidArgument(context(), "\(number) is not a finite number; Excel cannot store it")
            }
        case .integer(let integer):
            guard integer.magnitude <= UInt(Limits.maxExactInteger) else {
                throw XLSXError.invalidArgument(
                    context(), "\(integer) exceeds ±2^53; Excel stores numbers as doubles and would change it")
            }
        case .bool, .date, .empty:
            break
        }
    }

    /// Writes an already validated value.
    private func put(_ value: CellValue, row: Int, col: Int, format: CellFormat?,
                     worksheet: UnsafeMutablePointer<lxw_worksheet>) throws {
        let handle: UnsafeMutablePointer<lxw_format>?
        if case .date = value { handle = nil } else { handle = try workbook.formatHandle(format) }
        try put(value, row: row, col: col, format: format, handle: handle, worksheet: worksheet)
    }

    /// Writes an already validated value; `handle` is `format`'s (`Workbook.formatHandle`),
    /// resolved by the caller once per column (a date's format is resolved here).
    private func put(_ value: CellValue, row: Int, col: Int, format: CellFormat?, handle: UnsafeMutablePointer<lxw_format>?,
                     worksheet: UnsafeMutablePointer<lxw_worksheet>) throws {
        let r = lxw_row_t(row)
        let c = lxw_col_t(col)
        let error: lxw_error
        let operation: String
        switch value {
        case .string(let text):
            operation = "worksheet_write_string"
            // withCString passes a native string's own bytes (the implicit conversion copied them).
            error = text.withCString { worksheet_write_string(worksheet, r, c, $0, handle) }
        case .number(let number):
            operation = "worksheet_write_number"
            error = worksheet_write_number(worksheet, r, c, number, handle)
        case .integer(let integer):
            operation = "worksheet_write_number"
            error = worksheet_write_number(worksheet, r, c, Double(integer), handle)
        case .bool(let flag):
            operation = "worksheet_write_boolean"
            error = worksheet_write_boolean(worksheet, r, c, flag ? 1 : 0, handle)
        case .date(let date):
            var effective = format ?? .plain
            if effective.numberFormat == nil { effective.numberFormat = CellFormat.dateNumberFormat }
            var datetime = lxw_datetime(year: Int32(date.year), month: Int32(date.month), day: Int32(date.day),
                                        hour: 0, min: 0, sec: 0)
            operation = "worksheet_write_datetime"
            error = worksheet_write_datetime(worksheet, r, c, &datetime, try workbook.formatHandle(effective))
        case .empty:
            guard let handle else { return }
            operation = "worksheet_write_blank"
            error = worksheet_write_blank(worksheet, r, c, handle)
        }
        try check(error, operation, reference(row, col))
    }

    /// Display width of a value as `writeTable` sizes columns.
    static func estimatedWidth(of value: CellValue, format: CellFormat) -> Int {
        switch value {
        case .string(let text):
            return TextWidth.of(text)
        case .integer(let integer):
            return estimatedNumberWidth(Double(integer), format: format, general: String(integer))
        case .number(let number):
            return estimatedNumberWidth(number, format: format, general: String(format: "%.10g", number))
        case .bool(let flag):
            return flag ? 4 : 5
        case .date:
            return format.numberFormat.map(TextWidth.of) ?? CellFormat.dateNumberFormat.count
        case .empty:
            return 0
        }
    }

    private static func estimatedNumberWidth(_ number: Double, format: CellFormat, general: String) -> Int {
        guard let code = format.numberFormat else { return general.count }
        let isPercent = code.hasSuffix("%")
        let decimals = code.split(separator: ".", maxSplits: 1).dropFirst().first
            .map { $0.prefix(while: { $0 == "0" || $0 == "#" }).count } ?? 0
        let shown = String(format: "%.\(decimals)f", isPercent ? number * 100 : number)
        return shown.count + (isPercent ? 1 : 0)
    }
}

/// `Sheet.estimatedWidth` for the cells of one column: the format's number code read once,
/// and exact shortcuts for the common cells (ASCII and CJK text, whole numbers). Widths are
/// the same as `estimatedWidth`'s, so workbooks keep their bytes (`SheetWidthTests`).
struct WidthEstimator {
    let format: CellFormat
    /// From a number format such as `0.00%`: decimals shown and whether it is a percentage.
    let decimals: Int, isPercent: Bool

    init(format: CellFormat) {
        self.format = format
        let code = format.numberFormat ?? ""
        isPercent = code.hasSuffix("%")
        decimals = code.split(separator: ".", maxSplits: 1).dropFirst().first
            .map { $0.prefix(while: { $0 == "0" || $0 == "#" }).count } ?? 0
    }

    /// The width of `value` as `Sheet.estimatedWidth` gives it, or, for text that cannot be
    /// wider than `floor`, some width no larger than `floor`.
    func width(of value: CellValue, atMostInteresting floor: Int) -> Int {
        switch value {
        case .string(let text):
            // A character is at most 2 wide and a wide one takes 3 or 4 UTF-8 bytes: the text is
            // never wider than its byte count.
            let bytes = text.utf8.count
            if bytes <= floor { return bytes }
            return Self.textWidth(text)
        case .integer(let integer) where format.numberFormat == nil:
            return Self.digits(integer)
        case .number(let number) where format.numberFormat == nil && number == number.rounded() && abs(number) < 1e10:
            // "%.10g" of a whole number under 10^10 is its digits (and "-0" for negative zero).
            return number == 0 ? (number.sign == .minus ? 2 : 1) : Self.digits(Int(number))
        case .integer(let integer):
            return formatted(Double(integer))
        case .number(let number):
            return format.numberFormat == nil ? String(format: "%.10g", number).count : formatted(number)
        default:
            return Sheet.estimatedWidth(of: value, format: format)
        }
    }

    private func formatted(_ number: Double) -> Int {
        String(format: "%.\(decimals)f", isPercent ? number * 100 : number).count + (isPercent ? 1 : 0)
    }

    static func digits(_ n: Int) -> Int {
        var m = n.magnitude, d = 1
        while m >= 10 { m /= 10; d += 1 }
        return d + (n < 0 ? 1 : 0)
    }

    /// `TextWidth.of(text)`, computed without grapheme breaking when every scalar is printable
    /// ASCII or CJK that stands alone as a character (no combining marks, no line breaks).
    static func textWidth(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20...0x7E: width += 1
            case 0x4E00...0x9FFF, 0x3000...0x3029, 0x3030...0x303E, 0xFF01...0xFF60: width += 2
            default: return TextWidth.of(text)
            }
        }
        return width
    }
}

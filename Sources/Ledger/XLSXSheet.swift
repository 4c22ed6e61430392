import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

// Reading the first worksheet of an Excel workbook (.xlsx, ECMA-376) as a table of text:
//
// - the zip archive by ZIPFoundation; its XML parts by Foundation's XMLParser;
// - `xl/workbook.xml` + `xl/_rels/workbook.xml.rels`: which part is the first worksheet;
// - `xl/sharedStrings.xml`: shared strings (`t="s"`), rich-text runs joined, phonetic runs
//   (`<rPh>`) left out; inline strings (`t="inlineStr"`) and formula strings (`t="str"`) as written;
// - numbers as the shortest decimal that reads back the same (`3`, not `3.0`); booleans `1`/`0`;
// - a number in a cell formatted as a date (`xl/styles.xml`: built-in formats 14–22, 27–36,
//   50–58, or a custom format with y or d) becomes `YYYY-MM-DD` (Excel's 1900 date system);
// - element prefixes (`x:c`, as some writers emit) are ignored.
//
// A spreadsheet row keeps its number (the header is the first non-blank row), so problems name
// the row a person sees in Excel. A broken archive or a missing part is an `InputError` naming the
// file and what is wrong.

enum XLSXSheet {
    /// The rows a worksheet may have.
    static let rows = 1...1_048_576

    static func read(data: Data, file: String) throws -> CSVTable {
        func broken(_ why: String) -> InputError {
            InputError.unreadable(file: file, reason:
                "不是可读取的Excel工作簿（.xlsx）：\(why)；请在Excel中重新保存为 .xlsx，或另存为 CSV UTF-8"
                + " (not a readable Excel workbook: \(why); save it again as .xlsx, or as CSV UTF-8)")
        }
        if let problem = ZipStructure.problem(data) { throw broken(problem) }
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw broken("压缩包损坏或不完整 (the zip archive is truncated or corrupt)")
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var out = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    // A part that inflates past what its directory entry says (a zip bomb) stops here.
                    guard UInt64(out.count + chunk.count) <= ZipStructure.maxUncompressed else { throw CocoaError(.fileReadTooLarge) }
                    out.append(chunk)
                }
            } catch {
                throw broken("\(path) 无法解压 (cannot be extracted: \(error))")
            }
            // Foundation's XMLParser traps on element or attribute names that are not UTF-8
            // (libxml2 in recovery mode hands them on): a part must be UTF-8 before it is parsed.
            guard String(validating: out, as: UTF8.self) != nil else {
                throw broken("\(path) 不是UTF-8编码的XML (is not UTF-8 XML)")
            }
            return out
        }

        // Which part is the first worksheet.
        guard let workbookXML = try part("xl/workbook.xml") else {
            throw broken("缺少 xl/workbook.xml (no xl/workbook.xml: not an Excel workbook)")
        }
        let workbook = WorkbookParser()
        guard workbook.parse(workbookXML), let first = workbook.sheets.first else {
            throw broken("xl/workbook.xml 中没有工作表 (xl/workbook.xml lists no worksheet)")
        }
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let relsXML = try part("xl/_rels/workbook.xml.rels") {
            let rels = RelationshipsParser()
            if rels.parse(relsXML), let target = rels.targets[first.relationship] {
                sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
        }
        guard let sheetXML = try part(sheetPath) else {
            throw broken("缺少第一个工作表「\(first.name)」的数据 \(sheetPath) (the first worksheet's part \(sheetPath) is missing)")
        }

        var shared: [String] = []
        if let xml = try part("xl/sharedStrings.xml") {
            let p = SharedStringsParser()
            guard p.parse(xml) else { throw broken("xl/sharedStrings.xml 不是有效的XML (\(p.failure))") }
            shared = p.strings
        }
        var dateStyles = Set<Int>()
        if let xml = try part("xl/styles.xml") {
            let p = StylesParser()
            if p.parse(xml) { dateStyles = p.dateStyles }
        }

        let sheet = SheetParser(shared: shared, dateStyles: dateStyles)
        guard sheet.parse(sheetXML) else {
            throw broken("工作表「\(first.name)」不是有效的XML (worksheet '\(first.name)': \(sheet.failure))")
        }
        if let problem = sheet.problem {
            throw InputError.problem(file: file, row: problem.row, column: problem.cell, value: problem.value, problem.message)
        }

        // Header: the first non-blank row; its width is up to its last non-blank cell.
        let rows = sheet.rows.filter { !$0.cells.allSatisfy { $0.isEmpty } }
        guard let headerRow = rows.first else {
            throw InputError.unreadable(file: file, reason:
                "第一个工作表「\(first.name)」为空，缺少表头行 (the first worksheet '\(first.name)' is empty: the header row is missing)")
        }
        let header = trimmedTail(headerRow.cells).map { $0.headerCell }
        let records = rows.dropFirst().map { row -> (row: Int, fields: [String]) in
            // Cells past the header that are blank are not a wider row; missing cells are blank.
            var fields = trimmedTail(row.cells)
            if fields.count < header.count { fields += Array(repeating: "", count: header.count - fields.count) }
            return (row.number, fields)
        }
        return CSVTable(file: file, header: header, records: records, encoding: .xlsx(sheet: first.name))
    }

    private static func trimmedTail(_ cells: [String]) -> [String] {
        var end = cells.count
        while end > 0, cells[end - 1].trimmedField.isEmpty { end -= 1 }
        return Array(cells[..<end])
    }

    /// "AB12" → column index 27 (0-based); nil if not a cell reference.
    static func columnIndex(_ ref: String) -> Int? {
        var col = 0, letters = 0
        for u in ref.utf8 {
            // Excel's columns have at most three letters (XFD); more is no cell reference (and
            // would overflow the arithmetic).
            if letters == 3 && ((u >= 65 && u <= 90) || (u >= 97 && u <= 122)) { return nil }
            if u >= 65 && u <= 90 { col = col * 26 + Int(u - 64); letters += 1 }
            else if u >= 97 && u <= 122 { col = col * 26 + Int(u - 96); letters += 1 }
            else { break }
        }
        return letters > 0 && letters <= 3 ? col - 1 : nil
    }

    /// Whether an Excel number format shows a date: built-in ids, or a custom code with a year
    /// or day part outside quotes, brackets and escapes.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (27...36).contains(id) || (50...58).contains(id) { return true }
        guard let code else { return false }
        var inQuote = false, inBracket = false, escaped = false
        for ch in code {
            if escaped { escaped = false; continue }
            switch ch {
            case "\\": escaped = true
            case "\"": inQuote.toggle()
            case "[" where !inQuote: inBracket = true
            case "]" where !inQuote: inBracket = false
            case "y", "Y", "d", "D":
                if !inQuote && !inBracket { return true }
            default: break
            }
        }
        return false
    }

    /// A number as a person would type it: integers without `.0`, others the shortest decimal.
    static func numberText(_ raw: String) -> String {
        guard let v = StrictNumber.decimal(raw) else { return raw }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}

// MARK: - XML parts

/// Base of the small SAX parsers: element names without their prefix, text collected on demand.
private class PartParser: NSObject, XMLParserDelegate {
    var failure = ""
    var collecting = false
    var text = ""

    func parse(_ data: Data) -> Bool {
        // From a stream: libxml2 parses it in chunks. Given the whole Data at once, Foundation on
        // Linux fails parts over 10 MB (libxml2's lookup limit) — a worksheet of ~10,000 rows.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = self
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if !ok { failure = parser.parserError.map { "\($0.localizedDescription)" } ?? "XML error" }
        return ok
    }

    static func local(_ name: String) -> Substring {
        if let colon = name.lastIndex(of: ":") { return name[name.index(after: colon)...] }
        return name[...]
    }

    static func attribute(_ attributes: [String: String], _ name: String) -> String? {
        if let v = attributes[name] { return v }
        return attributes.first { local($0.key) == name }?.value
    }

    // Declared here so that subclasses' overrides are the protocol's witnesses (on Linux the
    // delegate methods have default implementations; a method only a subclass declares is never called).
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {}

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {}

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if collecting { text += String(decoding: CDATABlock, as: UTF8.self) }
    }
}

private final class WorkbookParser: PartParser {
    var sheets: [(name: String, relationship: String)] = []

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        guard Self.local(elementName) == "sheet" else { return }
        // The relationship id is r:id (namespace prefix varies).
        let rid = attributes.first { Self.local($0.key) == "id" && $0.key != "sheetId" }?.value ?? ""
        sheets.append((attributes["name"] ?? "Sheet1", rid))
    }
}

private final class RelationshipsParser: PartParser {
    var targets: [String: String] = [:]

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        guard Self.local(elementName) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        targets[id] = target
    }
}

private final class SharedStringsParser: PartParser {
    var strings: [String] = []
    private var current = ""
    private var phonetic = 0

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "si": current = ""
        case "rPh": phonetic += 1
        case "t" where phonetic == 0: collecting = true; text = ""
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch Self.local(elementName) {
        case "si": strings.append(current)
        case "rPh": phonetic -= 1
        case "t" where collecting: current += text; collecting = false
        default: break
        }
    }
}

private final class StylesParser: PartParser {
    /// Indexes into cellXfs (a cell's `s`) whose number format is a date.
    var dateStyles = Set<Int>()
    private var customFormats: [Int: String] = [:]
    private var inCellXfs = false
    private var xfIndex = 0

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] { customFormats[id] = code }
        case "cellXfs": inCellXfs = true; xfIndex = 0
        case "xf" where inCellXfs:
            let id = attributes["numFmtId"].flatMap(Int.init) ?? 0
            if XLSXSheet.isDateFormat(id: id, code: customFormats[id]) { dateStyles.insert(xfIndex) }
            xfIndex += 1
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if Self.local(elementName) == "cellXfs" { inCellXfs = false }
    }
}

private final class SheetParser: PartParser {
    struct Row { var number: Int; var cells: [String] }
    struct Problem { var row: Int; var cell: String; var value: String; var message: String }

    let shared: [String]
    let dateStyles: Set<Int>
    var rows: [Row] = []
    var problem: Problem?

    private var row: Row?
    private var column = 0
    private var cellRef = ""
    private var cellType = "n"
    private var cellStyle = 0
    private var value = ""
    private var inlineText = ""
    private var phonetic = 0
    private var inCell = false

    init(shared: [String], dateStyles: Set<Int>) {
        self.shared = shared; self.dateStyles = dateStyles
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "row":
            // Excel's rows are 1…1,048,576; a number past them (a crafted file) would make the
            // next unnumbered row overflow.
            let next = (rows.last?.number ?? 0) + 1
            let stated = attributes["r"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if let raw = attributes["r"], !(stated.map { XLSXSheet.rows.contains($0) } ?? false), problem == nil {
                problem = Problem(row: next, cell: "r", value: raw,
                                  message: "行号不是1到1048576之间的整数，工作簿已损坏 (the row number is not a whole number in 1…1048576: the workbook is damaged)")
            }
            let number = stated.flatMap { XLSXSheet.rows.contains($0) ? $0 : nil } ?? min(next, XLSXSheet.rows.upperBound)
            row = Row(number: number, cells: [])
            column = 0
        case "c":
            inCell = true
            cellRef = attributes["r"] ?? ""
            if let c = XLSXSheet.columnIndex(cellRef) { column = c }
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = ""; inlineText = ""
        case "v" where inCell: collecting = true; text = ""
        case "rPh": phonetic += 1
        case "t" where inCell && phonetic == 0: collecting = true; text = ""
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch Self.local(elementName) {
        case "v" where collecting: value = text; collecting = false
        case "t" where collecting: inlineText += text; collecting = false
        case "rPh": phonetic -= 1
        case "c":
            inCell = false
            guard var r = row else { return }
            let cell = cellText(rowNumber: r.number)
            if column >= r.cells.count { r.cells += Array(repeating: "", count: column + 1 - r.cells.count) }
            r.cells[column] = cell
            row = r
            column += 1
        case "row":
            if let r = row { rows.append(r) }
            row = nil
        default: break
        }
    }

    private func cellText(rowNumber: Int) -> String {
        switch cellType {
        case "s":
            guard let i = Int(value.trimmingCharacters(in: .whitespaces)), shared.indices.contains(i) else {
                if problem == nil {
                    problem = Problem(row: rowNumber, cell: cellRef, value: value,
                                      message: "单元格引用的共享字符串不存在，工作簿已损坏 (the cell refers to a shared string that does not exist: the workbook is damaged)")
                }
                return ""
            }
            return shared[i]
        case "inlineStr": return inlineText
        case "str", "e": return value
        case "b": return value.trimmingCharacters(in: .whitespaces) == "1" ? "1" : "0"
        case "d": return String(value.prefix(10))
        default:
            let raw = value.trimmingCharacters(in: .whitespaces)
            guard !raw.isEmpty else { return "" }
            if dateStyles.contains(cellStyle), let v = StrictNumber.decimal(raw), let d = CivilDate(excelSerial: v) { return d.description }
            return XLSXSheet.numberText(raw)
        }
    }
}

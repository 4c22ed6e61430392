/// Plain-text tables for terminals, aligned for Chinese: a CJK or full-width character takes
/// two columns. A table fits `maxWidth` display columns (120 by default): when its natural
/// width is wider, the widest columns are narrowed and their cells wrap onto more lines.
public struct TextTable {
    public enum Align { case left, right }
    public var header: [String]
    public var rows: [[String]] = []
    public var align: [Align]
    /// The widest line `render` writes, indent included (display columns).
    public var maxWidth: Int

    /// The terminal width every printed table and wrapped note fits.
    public static let terminalWidth = 120
    /// No column is narrowed below this (two CJK characters).
    static let minColumnWidth = 4

    public init(header: [String], align: [Align]? = nil, maxWidth: Int = TextTable.terminalWidth) {
        self.header = header
        self.align = align ?? header.indices.map { $0 == 0 ? .left : .right }
        self.maxWidth = maxWidth
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// Display width: CJK and full-width characters count 2, others 1.
    public static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    static func isWide(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
            return true
        default: return false
        }
    }

    /// `text` broken into lines of at most `width` display columns: between Chinese characters,
    /// or at a space, never inside a Latin word or a number unless it is wider than the line.
    /// Existing newlines are kept.
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(2, width)
        func w(_ c: Character) -> Int { Self.width(String(c)) }
        func isWordChar(_ c: Character) -> Bool { c != " " && w(c) == 1 }
        func trimmed(_ s: Substring) -> String { var t = String(s); while t.hasSuffix(" ") { t.removeLast() }; return t }
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", lineWidth = 0
            for ch in paragraph {
                if lineWidth + w(ch) > width && !line.isEmpty {
                    if ch == " " { out.append(trimmed(line[...])); line = ""; lineWidth = 0; continue }
                    // Inside a word: carry the word's start over to the next line.
                    var cut = line.endIndex
                    if isWordChar(ch) {
                        while cut > line.startIndex, isWordChar(line[line.index(before: cut)]) { cut = line.index(before: cut) }
                    }
                    let head = trimmed(line[..<cut])
                    if cut != line.endIndex && !head.isEmpty {
                        out.append(head)
                        line = String(line[cut...])
                        lineWidth = Self.width(line)
                    } else {
                        out.append(trimmed(line[...])); line = ""; lineWidth = 0
                    }
                }
                if line.isEmpty && ch == " " && !out.isEmpty { continue }
                line.append(ch)
                lineWidth += w(ch)
            }
            out.append(trimmed(line[...]))
        }
        return out
    }

    /// A note or message wrapped to the terminal: the first line starts with `indent`, the
    /// others with as many spaces.
    public static func wrapNote(_ text: String, indent: String = "", width: Int = TextTable.terminalWidth) -> String {
        let pad = String(repeating: " ", count: Self.width(indent))
        return wrap(text, width: width - Self.width(indent)).enumerated()
            .map { ($0.offset == 0 ? indent : pad) + $0.element }.joined(separator: "\n") + "\n"
    }

    /// Column widths: each column's widest cell; when the table is wider than `maxWidth`,
    /// headers wrap first (a column narrows to its data, down to half its header), then the
    /// widest columns narrow one column at a time and their cells wrap.
    func columnWidths(indent: String) -> [Int] {
        func cellWidth(_ c: String) -> Int { c.split(separator: "\n", omittingEmptySubsequences: false).map { Self.width(String($0)) }.max() ?? 0 }
        var data = Array(repeating: 0, count: header.count)
        for r in rows { for (i, c) in r.enumerated() where i < data.count { data[i] = max(data[i], cellWidth(c)) } }
        let head = header.map(cellWidth)
        var widths = header.indices.map { max(data[$0], head[$0]) }
        let available = maxWidth - Self.width(indent) - 2 * max(0, widths.count - 1)
        var total = widths.reduce(0, +)
        // Headers on two lines: half the header, rounded up to whole CJK characters.
        let floor = header.indices.map { max(data[$0], (head[$0] + 3) / 4 * 2, Self.minColumnWidth) }
        while total > available {
            guard let widest = widths.indices.filter({ widths[$0] > floor[$0] }).max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            total -= 1
        }
        while total > available {
            guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > Self.minColumnWidth else { break }
            widths[widest] -= 1
            total -= 1
        }
        return widths
    }

    public func render(indent: String = "") -> String {
        let widths = columnWidths(indent: indent)
        func lines(_ r: [String]) -> [String] {
            let cells = widths.indices.map { i in Self.wrap(i < r.count ? r[i] : "", width: widths[i]) }
            let height = cells.map { $0.count }.max() ?? 1
            return (0..<height).map { k in
                var out = indent
                for i in widths.indices {
                    let c = k < cells[i].count ? cells[i][k] : ""
                    let pad = String(repeating: " ", count: max(0, widths[i] - Self.width(c)))
                    out += (align[i] == .left ? c + pad : pad + c)
                    if i < widths.count - 1 { out += "  " }
                }
                while out.hasSuffix(" ") { out.removeLast() }
                return out
            }
        }
        var out = lines(header)
        out.append(indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for r in rows { out += lines(r) }
        return out.joined(separator: "\n") + "\n"
    }
}

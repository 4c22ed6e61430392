/// Plain-text tables for terminals, aligned for Chinese: a CJK or full-width character takes
/// two columns.
public struct TextTable {
    public enum Align { case left, right }
    public var header: [String]
    public var rows: [[String]] = []
    public var align: [Align]

    public init(header: [String], align: [Align]? = nil) {
        self.header = header
        self.align = align ?? header.indices.map { $0 == 0 ? .left : .right }
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

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

    public func render(indent: String = "") -> String {
        let all = [header] + rows
        var widths = Array(repeating: 0, count: header.count)
        for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], Self.width(c)) } }
        func line(_ r: [String]) -> String {
            var out = indent
            for i in 0..<widths.count {
                let c = i < r.count ? r[i] : ""
                let pad = String(repeating: " ", count: widths[i] - Self.width(c))
                out += (align[i] == .left ? c + pad : pad + c)
                if i < widths.count - 1 { out += "  " }
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
        var lines = [line(header)]
        lines.append(indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        return lines.joined(separator: "\n") + "\n"
    }
}

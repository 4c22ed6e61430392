/// An RGB colour, `0xRRGGBB`.
public struct Color: Hashable, Sendable {
    public let rgb: UInt32
    public init(rgb: UInt32) { self.rgb = rgb & 0xFF_FFFF }

    public static let black = Color(rgb: 0x000000)
    public static let white = Color(rgb: 0xFFFFFF)
    /// The header fill `writeTable` uses.
    public static let headerFill = Color(rgb: 0xD9E1F2)
    public static let lightGray = Color(rgb: 0xF2F2F2)
    public static let red = Color(rgb: 0xC00000)
}

/// How a cell looks. A plain value type: the workbook creates one
/// libxlsxwriter format per distinct `CellFormat` it sees and reuses it.
public struct CellFormat: Hashable, Sendable {
    public enum HorizontalAlignment: Hashable, Sendable { case left, center, right }
    public enum VerticalAlignment: Hashable, Sendable { case top, center, bottom }

    public var bold: Bool
    /// An Excel number format code, e.g. `0.0%`, `0.00`, `yyyy-mm-dd`.
    public var numberFormat: String?
    public var wrapText: Bool
    /// Solid background fill.
    public var fill: Color?
    public var fontColor: Color?
    /// Font size in points (Excel's default is 11).
    public var fontSize: Double?
    /// Thin border on all four sides.
    public var border: Bool
    public var horizontalAlignment: HorizontalAlignment?
    public var verticalAlignment: VerticalAlignment?

    public init(bold: Bool = false, numberFormat: String? = nil, wrapText: Bool = false,
                fill: Color? = nil, fontColor: Color? = nil, fontSize: Double? = nil,
                border: Bool = false,
                horizontalAlignment: HorizontalAlignment? = nil,
                verticalAlignment: VerticalAlignment? = nil) {
        self.bold = bold
        self.numberFormat = numberFormat
        self.wrapText = wrapText
        self.fill = fill
        self.fontColor = fontColor
        self.fontSize = fontSize
        self.border = border
        self.horizontalAlignment = horizontalAlignment
        self.verticalAlignment = verticalAlignment
    }

    /// No formatting at all.
    public static let plain = CellFormat()
    public static let bold = CellFormat(bold: true)
    /// `0.0%` (the value 0.125 shows as 12.5%).
    public static let percent = CellFormat(numberFormat: "0.0%")
    public static let wrap = CellFormat(wrapText: true, verticalAlignment: .top)
    /// `yyyy-mm-dd`, the format `.date` cells get by default.
    public static let date = CellFormat(numberFormat: CellFormat.dateNumberFormat)
    /// `0`, `0.0`, `0.00`, … with `places` decimals (clamped to 0…15); no thousands separator.
    public static func decimal(_ places: Int) -> CellFormat {
        CellFormat(numberFormat: decimalNumberFormat(places))
    }

    /// The header row of `writeTable`: bold, filled, bordered, centred, wrapped.
    public static let tableHeader = CellFormat(bold: true, wrapText: true, fill: .headerFill, border: true,
                                               horizontalAlignment: .center, verticalAlignment: .center)
    /// The merged title above a table.
    public static let tableTitle = CellFormat(bold: true, fontSize: 14,
                                              horizontalAlignment: .center, verticalAlignment: .center)

    // MARK: Modifiers

    public func bolded() -> CellFormat { var copy = self; copy.bold = true; return copy }
    public func wrapped() -> CellFormat { var copy = self; copy.wrapText = true; return copy }
    public func bordered() -> CellFormat { var copy = self; copy.border = true; return copy }
    public func filled(_ color: Color) -> CellFormat { var copy = self; copy.fill = color; return copy }
    public func numberFormatted(_ code: String) -> CellFormat { var copy = self; copy.numberFormat = code; return copy }
    public func aligned(_ horizontal: HorizontalAlignment) -> CellFormat {
        var copy = self; copy.horizontalAlignment = horizontal; return copy
    }

    /// True when this format changes nothing.
    public var isPlain: Bool { self == .plain }

    static let dateNumberFormat = "yyyy-mm-dd"

    static func decimalNumberFormat(_ places: Int) -> String {
        let n = min(max(places, 0), 15)
        return n == 0 ? "0" : "0." + String(repeating: "0", count: n)
    }
}

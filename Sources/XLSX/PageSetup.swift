/// How a sheet prints.
public struct PageSetup: Hashable, Sendable {
    public enum Orientation: Hashable, Sendable { case portrait, landscape }

    /// Paper sizes, with Excel's paper codes.
    public enum Paper: Hashable, Sendable {
        case a4, a3, letter
        var excelCode: UInt8 {
            switch self {
            case .letter: return 1
            case .a3: return 8
            case .a4: return 9
            }
        }
    }

    public var orientation: Orientation
    public var paper: Paper
    /// Zero-based rows printed at the top of every page (a roster's title and header).
    public var repeatRows: ClosedRange<Int>?
    /// Scale so all columns fit one page wide (pages may still run long).
    public var fitToWidth: Bool
    /// Excel's header/footer codes (`&C` centre, `&P` page, `&N` pages), at most 255 bytes;
    /// nil prints none.
    public var header: String?
    public var footer: String?

    public init(orientation: Orientation = .landscape, paper: Paper = .a4,
                repeatRows: ClosedRange<Int>? = nil, fitToWidth: Bool = false,
                header: String? = nil, footer: String? = nil) {
        self.orientation = orientation
        self.paper = paper
        self.repeatRows = repeatRows
        self.fitToWidth = fitToWidth
        self.header = header
        self.footer = footer
    }

    /// Landscape A4, the usual roster print.
    public static let landscapeA4 = PageSetup()

    /// `1/3` centred at the foot of every page: page number over page count.
    public static let pageNumberFooter = "&C&P/&N"

    /// A document to file: A4 landscape, fit to one page wide, `rows` (title and header)
    /// repeated on every page, page numbers in the footer.
    public static func filed(repeatRows rows: ClosedRange<Int>?) -> PageSetup {
        PageSetup(orientation: .landscape, paper: .a4, repeatRows: rows, fitToWidth: true, footer: pageNumberFooter)
    }
}

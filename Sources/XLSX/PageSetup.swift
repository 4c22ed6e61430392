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

    public init(orientation: Orientation = .landscape, paper: Paper = .a4,
                repeatRows: ClosedRange<Int>? = nil, fitToWidth: Bool = false) {
        self.orientation = orientation
        self.paper = paper
        self.repeatRows = repeatRows
        self.fitToWidth = fitToWidth
    }

    /// Landscape A4, the usual roster print.
    public static let landscapeA4 = PageSetup()
}

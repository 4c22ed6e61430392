import CXLSXWriter

/// Every failure of the XLSX module.
///
/// The cases are private so new ones can be added without breaking callers;
/// compare `code` against the static members of `XLSXError.Code`, and show
/// `description` (or `message`) to people.
public struct XLSXError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A stable, comparable category for an `XLSXError`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let raw: String
        private init(_ raw: String) { self.raw = raw }
        public var description: String { raw }

        /// A sheet name breaks one of Excel's rules (length, characters, apostrophes, reserved).
        public static let invalidSheetName = Code("invalidSheetName")
        /// A sheet name is already used in this workbook (Excel compares names case-insensitively).
        public static let duplicateSheetName = Code("duplicateSheetName")
        /// A row or column is negative or beyond Excel's grid (1,048,576 rows × 16,384 columns).
        public static let cellOutOfRange = Code("cellOutOfRange")
        /// A value or argument Excel cannot hold (non-finite number, oversized integer, NUL in text, ragged table…).
        public static let invalidArgument = Code("invalidArgument")
        /// The workbook was already closed (successfully or not); nothing more can be written.
        public static let workbookClosed = Code("workbookClosed")
        /// libxlsxwriter rejected a call while building the workbook.
        public static let libraryError = Code("libraryError")
        /// The file could not be written; the target path was left untouched.
        public static let saveFailed = Code("saveFailed")
    }

    private enum Kind: Equatable, Sendable {
        case invalidSheetName(name: String, reason: String)
        case duplicateSheetName(name: String, existing: String)
        case cellOutOfRange(sheet: String, row: Int, col: Int)
        case invalidArgument(context: String, reason: String)
        case workbookClosed(path: String)
        case library(operation: String, context: String, code: Int32, message: String)
        case closeFailed(path: String, code: Int32, message: String, system: String?)
        case renameFailed(path: String, temporary: String, system: String)
        case flushFailed(path: String, temporary: String, system: String)
        case createFailed(path: String, reason: String)
    }

    private let kind: Kind
    private init(_ kind: Kind) { self.kind = kind }

    /// The category, for programmatic handling.
    public var code: Code {
        switch kind {
        case .invalidSheetName: return .invalidSheetName
        case .duplicateSheetName: return .duplicateSheetName
        case .cellOutOfRange: return .cellOutOfRange
        case .invalidArgument: return .invalidArgument
        case .workbookClosed: return .workbookClosed
        case .library: return .libraryError
        case .closeFailed, .renameFailed, .flushFailed, .createFailed: return .saveFailed
        }
    }

    /// The target file path, when the error concerns one.
    public var path: String? {
        switch kind {
        case .workbookClosed(let path), .closeFailed(let path, _, _, _),
             .renameFailed(let path, _, _), .flushFailed(let path, _, _), .createFailed(let path, _):
            return path
        default:
            return nil
        }
    }

    /// A readable, single-line explanation.
    public var message: String {
        switch kind {
        case let .invalidSheetName(name, reason):
            return "invalid sheet name \"\(name)\": \(reason)"
        case let .duplicateSheetName(name, existing):
            if name == existing {
                return "duplicate sheet name \"\(name)\": the workbook already has a sheet with this name"
            }
            return "duplicate sheet name \"\(name)\": Excel compares sheet names case-insensitively and \"\(existing)\" already exists"
        case let .cellOutOfRange(sheet, row, col):
            return "cell (row \(row), column \(col)) on sheet \"\(sheet)\" is outside Excel's grid "
                + "(rows 0…\(Limits.maxRow), columns 0…\(Limits.maxCol), zero-based)"
        case let .invalidArgument(context, reason):
            return "\(context): \(reason)"
        case let .workbookClosed(path):
            return "workbook \"\(path)\" is already closed; nothing more can be written to it"
        case let .library(operation, context, code, message):
            return "libxlsxwriter \(operation) failed for \(context): \(message) (lxw_error \(code))"
        case let .closeFailed(path, code, message, system):
            var text = "could not write \"\(path)\": \(message) (lxw_error \(code))"
            if let system { text += "; system error: \(system)" }
            return text + "; the target was left untouched"
        case let .renameFailed(path, temporary, system):
            return "could not move the finished workbook \"\(temporary)\" onto \"\(path)\": \(system); the target was left untouched"
        case let .flushFailed(path, temporary, system):
            return "could not flush the finished workbook \"\(temporary)\" to disk before moving it onto \"\(path)\": \(system); the target was left untouched"
        case let .createFailed(path, reason):
            return "could not create workbook \"\(path)\": \(reason)"
        }
    }

    public var description: String { "XLSXError.\(code): \(message)" }

    // MARK: - Internal constructors

    static func invalidSheetName(_ name: String, _ reason: String) -> XLSXError {
        XLSXError(.invalidSheetName(name: name, reason: reason))
    }

    static func duplicateSheetName(_ name: String, existing: String) -> XLSXError {
        XLSXError(.duplicateSheetName(name: name, existing: existing))
    }

    static func cellOutOfRange(sheet: String, row: Int, col: Int) -> XLSXError {
        XLSXError(.cellOutOfRange(sheet: sheet, row: row, col: col))
    }

    static func invalidArgument(_ context: String, _ reason: String) -> XLSXError {
        XLSXError(.invalidArgument(context: context, reason: reason))
    }

    static func workbookClosed(path: String) -> XLSXError {
        XLSXError(.workbookClosed(path: path))
    }

    static func library(_ operation: String, _ context: String, _ error: lxw_error) -> XLSXError {
        XLSXError(.library(operation: operation, context: context,
                           code: Int32(bitPattern: error.rawValue), message: libraryMessage(error)))
    }

    static func closeFailed(path: String, _ error: lxw_error, system: String?) -> XLSXError {
        XLSXError(.closeFailed(path: path, code: Int32(bitPattern: error.rawValue),
                               message: libraryMessage(error), system: system))
    }

    static func renameFailed(path: String, temporary: String, system: String) -> XLSXError {
        XLSXError(.renameFailed(path: path, temporary: temporary, system: system))
    }

    static func flushFailed(path: String, temporary: String, system: String) -> XLSXError {
        XLSXError(.flushFailed(path: path, temporary: temporary, system: system))
    }

    static func createFailed(path: String, _ reason: String) -> XLSXError {
        XLSXError(.createFailed(path: path, reason: reason))
    }

    /// `lxw_strerror`, which returns a pointer into a static table (never freed).
    static func libraryMessage(_ error: lxw_error) -> String {
        guard let text = lxw_strerror(error) else { return "unknown libxlsxwriter error" }
        return String(cString: text)
    }
}

/// Excel's grid, zero-based.
enum Limits {
    static let maxRow = 1_048_575
    static let maxCol = 16_383
    static let maxStringLength = 32_767
    /// Excel keeps numbers as IEEE doubles; integers beyond 2^53 would silently change.
    static let maxExactInteger = 9_007_199_254_740_992
}

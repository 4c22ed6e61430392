import CXLSXWriter
import Foundation
#if canImport(Glibc)
import Glibc
private func closeDescriptor(_ descriptor: Int32) { _ = Glibc.close(descriptor) }
#elseif canImport(Darwin)
import Darwin
private func closeDescriptor(_ descriptor: Int32) { _ = Darwin.close(descriptor) }
#endif

/// Document properties stamped into `docProps/core.xml`.
public struct DocumentProperties: Hashable, Sendable {
    /// 2000-01-01T00:00:00Z: the default creation stamp, so equal content gives byte-identical files.
    public static let fixedCreationDate = Date(timeIntervalSince1970: 946_684_800)

    /// Creation (and modification) time recorded in the file, to the second.
    /// libxlsxwriter treats the Unix epoch itself as "now", so exactly
    /// 1970-01-01T00:00:00Z is recorded one second later.
    public var created: Date
    public var title: String?
    public var subject: String?
    public var author: String?
    public var company: String?

    public init(created: Date = DocumentProperties.fixedCreationDate, title: String? = nil,
                subject: String? = nil, author: String? = nil, company: String? = nil) {
        self.created = created
        self.title = title
        self.subject = subject
        self.author = author
        self.company = company
    }
}

/// An .xlsx workbook being built in memory, written by `close()`.
///
/// Owns libxlsxwriter's `lxw_workbook`. Writing is all-or-nothing: `close()`
/// has libxlsxwriter write a temporary file in the target's directory and
/// renames it onto `path` only when that succeeded; on any failure it removes
/// the temporary file, leaves `path` untouched and throws `XLSXError`.
/// A workbook dropped without `close()` writes nothing and frees its memory.
///
/// Not thread-safe: use one workbook (and its sheets) from one thread at a time.
public final class Workbook {
    /// The file `close()` writes.
    public let path: String
    public let properties: DocumentProperties

    private enum State {
        case open(UnsafeMutablePointer<lxw_workbook>)
        case closed
    }

    private var state: State
    private let temporaryPath: String
    private var sheetHandles: [(name: String, handle: UnsafeMutablePointer<lxw_worksheet>)] = []
    private var foldedSheetNames: [String: String] = [:]
    private var formatHandles: [CellFormat: UnsafeMutablePointer<lxw_format>] = [:]

    /// Starts an empty workbook that `close()` will write to `path`.
    /// Nothing touches the file system until `close()`.
    public init(path: String, properties: DocumentProperties = DocumentProperties()) throws {
        guard !path.isEmpty else {
            throw XLSXError.createFailed(path: path, "the path is empty")
        }
        guard !path.hasSuffix("/") else {
            throw XLSXError.createFailed(path: path, "the path names a directory, not a file")
        }
        guard !path.utf8.contains(0) else {
            throw XLSXError.createFailed(path: path, "the path contains a NUL character")
        }
        self.path = path
        self.properties = properties
        self.temporaryPath = Workbook.temporaryPath(for: path)

        guard let handle = workbook_new(temporaryPath) else {
            throw XLSXError.createFailed(path: path, "libxlsxwriter could not allocate a workbook")
        }
        self.state = .open(handle)

        let error = Workbook.setProperties(properties, on: handle)
        guard error == LXW_NO_ERROR else {
            lxw_workbook_free(handle)
            self.state = .closed
            throw XLSXError.library("workbook_set_properties", "\"\(path)\"", error)
        }
    }

    deinit {
        if case .open(let handle) = state {
            // Never closed: free everything, write nothing.
            lxw_workbook_free(handle)
            unlink(temporaryPath)
        }
    }

    /// True once `close()` has been called, whether or not it succeeded.
    public var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Sheet names in the order they were added.
    public var sheetNames: [String] { sheetHandles.map(\.name) }

    /// The sheet called `name` (compared as Excel does, case-insensitively).
    public func sheet(named name: String) -> Sheet? {
        guard !isClosed, let stored = foldedSheetNames[SheetName.folded(name)],
              let entry = sheetHandles.first(where: { $0.name == stored }) else { return nil }
        return Sheet(workbook: self, name: entry.name, handle: entry.handle)
    }

    /// Adds a worksheet. Throws `.invalidSheetName` unless `name` follows Excel's
    /// rules (1…31 characters; none of `[ ] : * ? / \`; no leading or trailing
    /// apostrophe; not "History") and `.duplicateSheetName` if a sheet with the
    /// same name, ignoring case, exists.
    public func addSheet(name: String) throws -> Sheet {
        let handle = try openHandle()
        try SheetName.validate(name)
        let folded = SheetName.folded(name)
        if let existing = foldedSheetNames[folded] {
            throw XLSXError.duplicateSheetName(name, existing: existing)
        }
        // Backstop: libxlsxwriter's own checks, so it never fails later.
        let check = workbook_validate_sheet_name(handle, name)
        guard check == LXW_NO_ERROR else {
            throw XLSXError.invalidSheetName(name, XLSXError.libraryMessage(check))
        }
        guard let worksheet = workbook_add_worksheet(handle, name) else {
            throw XLSXError.invalidSheetName(name, "libxlsxwriter refused to add the worksheet")
        }
        sheetHandles.append((name, worksheet))
        foldedSheetNames[folded] = name
        return Sheet(workbook: self, name: name, handle: worksheet)
    }

    /// Writes the file, all or nothing, and releases the workbook.
    ///
    /// Call it once: afterwards (even after a failure) every call on this
    /// workbook or its sheets throws `.workbookClosed`. A workbook without
    /// sheets gets libxlsxwriter's default empty "Sheet1".
    public func close() throws {
        guard case .open(let handle) = state else {
            throw XLSXError.workbookClosed(path: path)
        }
        // workbook_close frees the workbook whatever it returns.
        state = .closed
        formatHandles.removeAll()
        sheetHandles.removeAll()

        errno = 0
        let error = workbook_close(handle)
        let systemErrno = errno
        guard error == LXW_NO_ERROR else {
            unlink(temporaryPath)
            throw XLSXError.closeFailed(path: path, error,
                                        system: Workbook.systemMessage(for: error, errno: systemErrno))
        }
        do {
            try Workbook.flushToDisk(temporaryPath)
        } catch let reason as SystemFailure {
            unlink(temporaryPath)
            throw XLSXError.flushFailed(path: path, temporary: temporaryPath, system: reason.message)
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw XLSXError.renameFailed(path: path, temporary: temporaryPath, system: reason)
        }
    }

    // MARK: - Internal, for Sheet

    func openHandle() throws -> UnsafeMutablePointer<lxw_workbook> {
        guard case .open(let handle) = state else {
            throw XLSXError.workbookClosed(path: path)
        }
        return handle
    }

    /// The libxlsxwriter format for `format`, created on first use; `nil` for no formatting.
    func formatHandle(_ format: CellFormat?) throws -> UnsafeMutablePointer<lxw_format>? {
        let handle = try openHandle()
        guard let format, !format.isPlain else { return nil }
        if let existing = formatHandles[format] { return existing }
        try Workbook.validate(format)
        guard let created = workbook_add_format(handle) else {
            throw XLSXError.library("workbook_add_format", "\"\(path)\"", LXW_ERROR_MEMORY_MALLOC_FAILED)
        }
        Workbook.apply(format, to: created)
        formatHandles[format] = created
        return created
    }

    // MARK: - Private helpers

    /// `.<name>.<uuid>.tmp` next to the target, so the final rename stays on one file system.
    private static func temporaryPath(for path: String) -> String {
        // Not NSString.deletingLastPathComponent: it traps on a one-character name on Linux.
        let cut = path.lastIndex(of: "/")
        let directory = cut.map { String(path[...$0]) } ?? ""
        let name = "." + (cut.map { String(path[path.index(after: $0)...]) } ?? path) + "." + UUID().uuidString + ".tmp"
        return directory + name
    }

    private static func setProperties(_ properties: DocumentProperties,
                                      on handle: UnsafeMutablePointer<lxw_workbook>) -> lxw_error {
        var owned: [UnsafeMutablePointer<CChar>] = []
        defer { owned.forEach { free($0) } }
        func copy(_ text: String?) -> UnsafeMutablePointer<CChar>? {
            guard let text, let pointer = strdup(text) else { return nil }
            owned.append(pointer)
            return pointer
        }
        var props = lxw_doc_properties()
        props.title = copy(properties.title)
        props.subject = copy(properties.subject)
        props.author = copy(properties.author)
        props.company = copy(properties.company)
        // 0 means "now" to libxlsxwriter, which would break reproducible output.
        let seconds = Int(properties.created.timeIntervalSince1970.rounded(.down))
        props.created = time_t(seconds == 0 ? 1 : seconds)
        return workbook_set_properties(handle, &props)
    }

    private static func validate(_ format: CellFormat) throws {
        if let code = format.numberFormat {
            guard !code.utf8.contains(0), code.utf8.count <= 255 else {
                throw XLSXError.invalidArgument("number format \"\(code)\"",
                                                "must be at most 255 bytes without NUL characters")
            }
        }
        if let size = format.fontSize, !(size >= 1 && size <= 409) {
            throw XLSXError.invalidArgument("font size \(size)", "Excel allows 1…409 points")
        }
    }

    private static func apply(_ format: CellFormat, to handle: UnsafeMutablePointer<lxw_format>) {
        if format.bold { format_set_bold(handle) }
        if let code = format.numberFormat { format_set_num_format(handle, code) }
        if format.wrapText { format_set_text_wrap(handle) }
        if let fill = format.fill {
            format_set_pattern(handle, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(handle, fill.rgb)
        }
        if let color = format.fontColor { format_set_font_color(handle, color.rgb) }
        if let size = format.fontSize { format_set_font_size(handle, size) }
        if format.border { format_set_border(handle, UInt8(LXW_BORDER_THIN.rawValue)) }
        switch format.horizontalAlignment {
        case .left?: format_set_align(handle, UInt8(LXW_ALIGN_LEFT.rawValue))
        case .center?: format_set_align(handle, UInt8(LXW_ALIGN_CENTER.rawValue))
        case .right?: format_set_align(handle, UInt8(LXW_ALIGN_RIGHT.rawValue))
        case nil: break
        }
        switch format.verticalAlignment {
        case .top?: format_set_align(handle, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        case .center?: format_set_align(handle, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        case .bottom?: format_set_align(handle, UInt8(LXW_ALIGN_VERTICAL_BOTTOM.rawValue))
        case nil: break
        }
    }

    /// errno is meaningful only for the failures where libxlsxwriter reports a system call.
    private static func systemMessage(for error: lxw_error, errno code: Int32) -> String? {
        guard code != 0 else { return nil }
        switch error {
        case LXW_ERROR_CREATING_XLSX_FILE, LXW_ERROR_CREATING_TMPFILE, LXW_ERROR_ZIP_FILE_OPERATION:
            return String(cString: strerror(code))
        default:
            return nil
        }
    }

    private struct SystemFailure: Error { let message: String }

    /// fsync the finished file so the rename never exposes an empty file after a crash.
    private static func flushToDisk(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw SystemFailure(message: String(cString: strerror(errno))) }
        defer { closeDescriptor(descriptor) }
        guard fsync(descriptor) == 0 else { throw SystemFailure(message: String(cString: strerror(errno))) }
    }
}

import Foundation

/// An output that could not be written: a refused `--out`, a folder another run is writing,
/// a full disk, a missing permission. Never an input problem: nothing the user gave is wrong
/// with the data, only with where it goes. The message is Chinese first, English in brackets,
/// as `InputError`'s.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }
        /// The target is a symlink, a FIFO, a device, a socket, a file where a folder is
        /// needed (or the other way round), or a non-empty folder the planner did not write.
        public static let refused = Code(raw: "refused")
        /// Another run holds the lock on the target.
        public static let busy = Code(raw: "busy")
        /// A write, rename or folder creation failed (full disk, permissions, …).
        public static let writeFailed = Code(raw: "writeFailed")
    }

    public let code: Code
    /// The path concerned (the `--out` given, or the file being written).
    public let path: String
    public let reason: String

    public init(_ code: Code, path: String, reason: String) {
        self.code = code; self.path = path; self.reason = reason
    }

    public static func refused(_ path: String, _ reason: String) -> OutputError { OutputError(.refused, path: path, reason: reason) }
    public static func busy(_ path: String, _ reason: String) -> OutputError { OutputError(.busy, path: path, reason: reason) }
    public static func writeFailed(_ path: String, _ reason: String) -> OutputError { OutputError(.writeFailed, path: path, reason: reason) }

    /// A failure of a system call, with errno's text.
    static func system(_ path: String, _ what: String, errno e: Int32, code: Code = .writeFailed) -> OutputError {
        OutputError(code, path: path, reason: "\(what): \(String(cString: strerror(e)))")
    }

    public var description: String {
        switch code {
        case .refused: return "拒绝写入输出 (output refused): \(path): \(reason)"
        case .busy: return "输出正被占用 (output busy): \(path): \(reason)"
        default: return "无法写出输出 (cannot write output): \(path): \(reason)"
        }
    }
}

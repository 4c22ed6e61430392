import Foundation
import Ledger
#if canImport(Glibc)
import Glibc
import Policy
#endif

/// Standard output and standard error, written with `write(2)` so that a failed write is seen:
/// a full disk (`> /dev/full`) or a reader that has gone (`| head -1`, EPIPE: SIGPIPE is
/// ignored) is remembered, later writes to that stream are skipped, and `PlannerMain` ends the
/// run with `ExitStatus.outputStreamFailed` and a message of its own. Swift's `print` would
/// lose such a failure in stdio's buffer (exit 0), and `FileHandle.write` traps on it.
enum Console {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var failures: [Int32: Int32] = [:]

    static func out(_ text: String) { write(Data(text.utf8), to: STDOUT_FILENO) }
    static func out(_ data: Data) { write(data, to: STDOUT_FILENO) }
    static func err(_ text: String) { write(Data(text.utf8), to: STDERR_FILENO) }

    /// The errno of the first failed write to `fd`, if any.
    static func failure(_ fd: Int32) -> Int32? { lock.lock(); defer { lock.unlock() }; return failures[fd] }

    static func write(_ data: Data, to fd: Int32) {
        lock.lock()
        defer { lock.unlock() }
        guard failures[fd] == nil, !data.isEmpty else { return }
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n; continue }
                if n < 0 && errno == EINTR { continue }
                failures[fd] = n < 0 ? errno : EIO
                return
            }
        }
    }
}

/// Shadows `Swift.print` in this module: everything the commands print goes through `Console`.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Console.out(items.map { "\($0)" }.joined(separator: separator) + terminator)
}

/// Writes to standard error.
func printError(_ s: String) {
    Console.err(s.hasSuffix("\n") ? s : s + "\n")
}

/// The planner's exit codes (README.md, "Exit codes"). The sysexits.h values where one fits.
enum ExitStatus {
    static let ok: Int32 = 0
    /// Bad input: nothing was planned or written.
    static let inputRejected: Int32 = 1
    /// Written, with shortfalls (plan, replan, roster) or failing rules (verify).
    static let shortfalls: Int32 = 2
    /// A usage error (ArgumentParser's, and options out of range).
    static let usage: Int32 = 64
    /// The planner itself failed (a Swift runtime error): a bug to report.
    static let internalError: Int32 = 70
    /// The resource bundle (models, focus items) is not beside the binary: an incomplete
    /// installation (sysexits' EX_OSFILE), not bad input.
    static let installationIncomplete: Int32 = 72
    /// An output (`--out`, `--write-model`) was refused or could not be written.
    static let outputFailed: Int32 = 73
    /// Standard output or standard error could not be written (full disk, closed pipe).
    static let outputStreamFailed: Int32 = 74
    /// Another run is writing the same `--out`.
    static let outputBusy: Int32 = 75
}

/// The language of the run's own messages, read from the arguments before they are parsed
/// (`--lang en` or `--lang=en`); Chinese otherwise.
func argumentsLanguage(_ args: [String]) -> Lang {
    for (i, a) in args.enumerated() {
        if a == "--lang=en" || (a == "--lang" && i + 1 < args.count && args[i + 1] == "en") { return .en }
    }
    return .zh
}

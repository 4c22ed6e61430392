import Foundation
import LedgerStore
#if canImport(Glibc)
import Glibc
#endif

/// `LedgerClock`'s texts for the moment of a request, made at most once a second. Every signed-in
/// request checks its session against now (`Accounts.account(token:)`) and the dashboard asks
/// for today; `LedgerClock` makes a new date formatter for each text, which cost a web request
/// about a fifth of its CPU time (`planner-bench web`, issue 15). Same texts, one a second.
public enum RequestClock {
    /// `LedgerClock.timestamp(date)`: the same text for every date of one second.
    public static func timestamp(_ date: Date) -> String {
        let second = Int(date.timeIntervalSince1970.rounded(.down))
        return stamps.value(for: second) { LedgerClock.timestamp(date) }
    }

    /// `LedgerClock.today()`; with `PLANNER_NOW` set (tests), as `LedgerClock` reads it, uncached.
    public static func today() -> String {
        if let fixed = getenv("PLANNER_NOW"), fixed.pointee != 0 { return LedgerClock.today() }
        let second = Int(Date().timeIntervalSince1970.rounded(.down))
        return days.value(for: second) { LedgerClock.today() }
    }

    private static let stamps = LastValue(), days = LastValue()

    /// The text made for the last key asked.
    private final class LastValue: @unchecked Sendable {
        private let lock = NSLock()
        private var last: (key: Int, text: String)?

        func value(for key: Int, make: () -> String) -> String {
            lock.lock()
            if let last, last.key == key { lock.unlock(); return last.text }
            lock.unlock()
            let text = make()
            lock.lock(); last = (key, text); lock.unlock()
            return text
        }
    }
}

import Foundation

/// What a cell holds.
public enum CellValue: Hashable, Sendable {
    /// UTF-8 text (Chinese is fine); at most 32,767 characters, no NUL.
    case string(String)
    /// A finite double.
    case number(Double)
    /// An integer; must be within ±2^53 so Excel (which stores doubles) keeps it exact.
    case integer(Int)
    /// TRUE / FALSE.
    case bool(Bool)
    /// A real Excel date (a serial number), shown as `yyyy-mm-dd` unless the
    /// cell's format gives its own number format. For a date shown as plain
    /// text, write `.string(date.isoString)` instead.
    case date(CellDate)
    /// Nothing. Written only when a format is given (so borders and fills still show).
    case empty
}

extension CellValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// A calendar day (no time, no time zone), as Excel dates are for rosters.
public struct CellDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// `nil` unless the day exists and lies in Excel's range 1900-01-01 … 9999-12-31.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month),
              (1...CellDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses a y-m-d string: `2024-03-01`, `2024-3-1`, also `2024/3/1`.
    public init?(_ ymd: String) {
        let trimmed = ymd.trimmingCharacters(in: .whitespaces)
        let separator: Character = trimmed.contains("/") ? "/" : "-"
        let parts = trimmed.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts[0].count == 4
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The calendar day `date` falls on in `timeZone`.
    public init?(_ date: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        guard let y = parts.year, let m = parts.month, let d = parts.day else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// `yyyy-mm-dd`.
    public var isoString: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { isoString }

    public static func < (lhs: CellDate, rhs: CellDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}

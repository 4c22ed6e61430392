/// A calendar date with no time and no time zone (`YYYY-MM-DD`), as ledgers, staff files and
/// calendars write it. Pure arithmetic on the proleptic Gregorian calendar.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil for impossible dates such as 2027-02-30.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; nil for anything else or an impossible date.
    public init?(_ text: String) {
        let s = Array(text.utf8)
        guard s.count == 10, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-") else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { let c = s[i]; guard c >= 48, c <= 57 else { return nil }; v = v * 10 + Int(c - 48) }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses a date as people and Chinese Excel write it: `2027-01-05`, `2027-1-5`, `2027/1/5`,
    /// `2027.1.5`, `2027年1月5日` (a four-digit year, a one- or two-digit month and day, one
    /// separator style throughout), optionally followed by a time of day (`2027/1/5 0:00`, as
    /// Excel writes a date cell to CSV), which is ignored. Nil for anything else or an
    /// impossible date (2027/2/30).
    public init?(lenient text: String) {
        if let d = CivilDate(text) { self = d; return }
        var t = Substring(text)
        // A time of day after a space: H:MM or H:MM:SS.
        if let space = t.firstIndex(of: " ") {
            let time = t[t.index(after: space)...].trimmingCharacters(in: .whitespaces)
            let parts = time.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count),
                  parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
            t = t[..<space]
        }
        var fields: [Substring]
        if t.hasSuffix("日") {
            guard let yi = t.firstIndex(of: "年"), let mi = t.firstIndex(of: "月"), yi < mi else { return nil }
            fields = [t[..<yi], t[t.index(after: yi)..<mi], t[t.index(after: mi)..<t.index(before: t.endIndex)]]
        } else {
            guard let sep = t.first(where: { $0 == "-" || $0 == "/" || $0 == "." }) else { return nil }
            fields = t.split(separator: sep, omittingEmptySubsequences: false)
        }
        guard fields.count == 3, fields[0].count == 4, (1...2).contains(fields[1].count), (1...2).contains(fields[2].count),
              fields.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(fields[0]), let m = Int(fields[1]), let d = Int(fields[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date of an Excel date serial (the 1900 date system: 1 = 1900-01-01, with Excel's
    /// phantom 1900-02-29 as 60); the fraction (time of day) is dropped. Nil outside
    /// 1…2958465 (9999-12-31) and for 60.
    public init?(excelSerial serial: Double) {
        guard serial.isFinite, serial >= 1, serial < 2958466 else { return nil }
        let n = Int(serial.rounded(.down))
        guard n != 60 else { return nil }
        // 1899-12-31 + n before the phantom day, 1899-12-30 + n after it.
        let base = CivilDate(year: 1899, month: 12, day: n < 60 ? 31 : 30)!
        self = base.adding(days: n)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        let w = (dayNumber + 3) % 7   // 1970-01-01 was a Thursday (ISO 4)
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// An inclusive range of dates, written `2027-03-01..2027-03-05` or as a single date; each end
/// in any form `CivilDate(lenient:)` reads (`2027/3/1..2027/3/5`, `2027年3月1日..2027年3月5日`).
public struct DateSpan: Hashable, Sendable, CustomStringConvertible {
    public let first: CivilDate
    public let last: CivilDate

    public init?(first: CivilDate, last: CivilDate) {
        guard first <= last else { return nil }
        self.first = first; self.last = last
    }

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let r = t.range(of: "..") {
            guard let a = CivilDate(lenient: String(t[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)),
                  let b = CivilDate(lenient: String(t[r.upperBound...]).trimmingCharacters(in: .whitespaces)) else { return nil }
            self.init(first: a, last: b)
        } else {
            guard let d = CivilDate(lenient: t) else { return nil }
            self.init(first: d, last: d)
        }
    }

    public func contains(_ d: CivilDate) -> Bool { first <= d && d <= last }

    public var description: String { first == last ? first.description : "\(first)..\(last)" }
}

import Foundation

import Ledger

// The working calendar (工作日历): which days of one year are workdays.
//
// A workday is a Monday–Friday that is not a day off of a statutory holiday (法定节假日), or a
// Saturday/Sunday the State Council's notice makes a makeup workday (调休上班日). Everything is
// plain arithmetic on `CivilDate` (year, month, day): no `Date`, no time zone.
//
// Where a year's calendar comes from:
// - `WorkCalendar.builtin(year:)` — 2025 and 2026 as the State Council General Office
//   (国务院办公厅) published them; 2027 and later provisional (暂定), see BuiltinCalendars.swift;
// - `WorkCalendar.load(file:year:)` — a calendar file, see CalendarFile.swift;
// - `WorkCalendar.resolve(year:file:)` — the file if a scenario names one, else the built-in.

/// One statutory holiday as a notice lists it: its name and every day off it brings, weekends
/// included (e.g. 春节 2026-02-15..2026-02-23, nine days).
public struct Holiday: Hashable, Sendable {
    /// The Chinese name as the notice writes it, e.g. `春节`, `国庆节、中秋节`.
    public let name: String
    /// The English name, e.g. `Spring Festival`.
    public let englishName: String
    /// The days off, ascending, each once.
    public let dates: [CivilDate]

    /// `englishName` defaults to the usual translation of a known holiday name, else to `name`.
    public init(name: String, englishName: String? = nil, dates: [CivilDate]) {
        self.name = name
        self.englishName = englishName ?? Holiday.englishName(for: name) ?? name
        self.dates = Array(Set(dates)).sorted()
    }

    /// The usual English name of a statutory holiday's Chinese name, nil if not one of them.
    /// Combined names (`国庆节、中秋节`) are translated part by part.
    public static func englishName(for chineseName: String) -> String? {
        let parts = chineseName.split(whereSeparator: { "、，,/ ".contains($0) }).map(String.init)
        guard !parts.isEmpty else { return nil }
        var names: [String] = []
        for part in parts {
            guard let english = knownNames[part] else { return nil }
            names.append(english)
        }
        return names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    private static let knownNames: [String: String] = [
        "元旦": "New Year's Day",
        "春节": "Spring Festival",
        "清明节": "Qingming Festival", "清明": "Qingming Festival",
        "劳动节": "Labour Day", "五一劳动节": "Labour Day", "国际劳动节": "Labour Day",
        "端午节": "Dragon Boat Festival", "端午": "Dragon Boat Festival",
        "中秋节": "Mid-Autumn Festival", "中秋": "Mid-Autumn Festival",
        "国庆节": "National Day", "国庆": "National Day",
    ]
}

/// The working calendar of one year.
public struct WorkCalendar: Hashable, Sendable {
    public let year: Int
    /// The statutory holidays, in date order.
    public let holidays: [Holiday]
    /// Weekend days worked to make up for a holiday (调休上班日), ascending.
    public let makeupWorkdays: [CivilDate]
    /// True when the State Council has not yet published the year's notice and the calendar is an
    /// estimate (暂定): the 13 statutory days on their expected dates, those on a weekend given
    /// back on the following weekdays (补假), so (Monday–Friday) − 13 workdays.
    public let provisional: Bool
    /// Where the calendar comes from: the notice's title and number, the calendar file, or for a
    /// provisional year the note saying how it was estimated.
    public let source: String

    /// `isWorkday` for each day of the year, indexed by day of year − 1.
    private let workdayFlags: [Bool]
    private let perMonth: [Int]

    /// Checks the data: every date in `year`, no date off twice, makeup workdays on weekends and
    /// never also a day off. Throws a `CalendarError` naming the offending date.
    public init(year: Int, holidays: [Holiday], makeupWorkdays: [CivilDate],
                provisional: Bool, source: String) throws {
        guard (1...9999).contains(year) else { throw CalendarError.invalidYear(year) }
        var offDays: [CivilDate: String] = [:]
        for holiday in holidays {
            for date in holiday.dates {
                guard date.year == year else {
                    throw CalendarError.dateOutsideYear(date, year: year)
                }
                if let other = offDays[date] {
                    throw CalendarError.dateListedTwice(date, first: other)
                }
                offDays[date] = holiday.name
            }
        }
        var makeup = Set<CivilDate>()
        for date in makeupWorkdays {
            guard date.year == year else {
                throw CalendarError.dateOutsideYear(date, year: year)
            }
            guard date.isWeekend else { throw CalendarError.makeupOnWeekday(date) }
            if let holiday = offDays[date] { throw CalendarError.makeupIsHoliday(date, holiday: holiday) }
            guard makeup.insert(date).inserted else {
                throw CalendarError.dateListedTwice(date, first: "调休上班日")
            }
        }

        self.year = year
        func start(_ h: Holiday) -> Int { h.dates.first?.dayNumber ?? Int.min }
        self.holidays = holidays.sorted { (start($0), $0.name) < (start($1), $1.name) }
        self.makeupWorkdays = makeup.sorted()
        self.provisional = provisional
        self.source = source

        let jan1 = CivilDate(year: year, month: 1, day: 1)!
        let days = CivilDate.isLeap(year) ? 366 : 365
        var flags = [Bool](repeating: false, count: days)
        var perMonth = [Int](repeating: 0, count: 12)
        for i in 0..<days {
            let date = jan1.adding(days: i)
            let workday = makeup.contains(date) || (!date.isWeekend && offDays[date] == nil)
            flags[i] = workday
            if workday { perMonth[date.month - 1] += 1 }
        }
        self.workdayFlags = flags
        self.perMonth = perMonth
    }

    // MARK: - Days

    /// Whether `date` falls in this calendar's year.
    public func contains(_ date: CivilDate) -> Bool { date.year == year }

    /// Whether `date` is a workday. `date` must fall in the calendar's year (see `contains`).
    public func isWorkday(_ date: CivilDate) -> Bool {
        precondition(contains(date), "\(date) is not in the \(year) working calendar")
        return workdayFlags[dayIndex(date)]
    }

    /// The holiday `date` is a day off of, if any.
    public func holiday(on date: CivilDate) -> Holiday? {
        holidays.first { $0.dates.contains(date) }
    }

    /// Whether `date` is a weekend day worked to make up for a holiday (调休上班日).
    public func isMakeupWorkday(_ date: CivilDate) -> Bool { makeupWorkdays.contains(date) }

    // MARK: - Counts

    /// Workdays in `month` (1–12).
    public func workdays(inMonth month: Int) -> Int {
        precondition((1...12).contains(month), "month \(month) is not 1–12")
        return perMonth[month - 1]
    }

    /// The workdays of `month` (1–12), ascending.
    public func workdayDates(inMonth month: Int) -> [CivilDate] {
        precondition((1...12).contains(month), "month \(month) is not 1–12")
        let first = CivilDate(year: year, month: month, day: 1)!
        return (0..<CivilDate.daysIn(month: month, year: year))
            .map { first.adding(days: $0) }
            .filter { workdayFlags[dayIndex($0)] }
    }

    /// Workdays in `quarter` (1–4): Q1 is January–March.
    public func workdays(inQuarter quarter: Int) -> Int {
        precondition((1...4).contains(quarter), "quarter \(quarter) is not 1–4")
        return perMonth[(quarter - 1) * 3 ..< quarter * 3].reduce(0, +)
    }

    /// Workdays per month, January first (12 numbers).
    public var workdaysPerMonth: [Int] { perMonth }

    /// Workdays per quarter, Q1 first (4 numbers).
    public var workdaysPerQuarter: [Int] { (1...4).map { workdays(inQuarter: $0) } }

    /// Workdays in the year (国家法定工作日), e.g. 248 in 2025.
    public var totalWorkdays: Int { perMonth.reduce(0, +) }

    /// Every workday of the year, ascending.
    public var workdayDates: [CivilDate] { (1...12).flatMap { workdayDates(inMonth: $0) } }

    private func dayIndex(_ date: CivilDate) -> Int {
        date.dayNumber - CivilDate(year: year, month: 1, day: 1)!.dayNumber
    }
}

// MARK: - Choosing a year's calendar

extension WorkCalendar {
    /// The calendar file if one is given, else the built-in calendar of `year`. This is what a
    /// scenario's optional `calendar:` key means (the path already resolved against the scenario).
    public static func resolve(year: Int, file: String?) throws -> WorkCalendar {
        if let file { return try load(file: file, year: year) }
        return try builtin(year: year)
    }
}

/// Calendars by year: calendars given explicitly (e.g. loaded from files) take precedence over
/// the built-in ones. For runs over several scenarios or years.
public struct CalendarProvider: Sendable {
    private let overrides: [Int: WorkCalendar]

    /// With several calendars for the same year, the last one wins.
    public init(overrides: [WorkCalendar] = []) {
        var byYear: [Int: WorkCalendar] = [:]
        for calendar in overrides { byYear[calendar.year] = calendar }
        self.overrides = byYear
    }

    /// Loads every file (all or nothing: the first bad file throws).
    public init(files: [String]) throws {
        self.init(overrides: try files.map { try WorkCalendar.load(file: $0) })
    }

    /// Built-in calendars only.
    public static let builtin = CalendarProvider()

    /// The calendar of `year`; throws `CalendarError` when there is neither an override nor a
    /// built-in calendar for it.
    public func calendar(year: Int) throws -> WorkCalendar {
        if let calendar = overrides[year] { return calendar }
        return try WorkCalendar.builtin(year: year)
    }
}

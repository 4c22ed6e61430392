import Foundation
import Ledger

// Built-in working calendars.
//
// - 2025, 2026: the State Council General Office's (国务院办公厅) notices, date for date.
//   Each year has 248 workdays; 2026 by month is 21 16 22 21 19 21 23 21 22 18 21 23.
// - 2027–2099: provisional (暂定) until the year's notice is published (RULES.md §7.13). The 13
//   statutory days of the 2024 revision of 《全国年节及纪念日放假办法》 — 元旦 1 day, 春节 4
//   days (除夕 to 初三), 清明节 1, 劳动节 2 (May 1–2), 端午节 1, 中秋节 1, 国庆节 3 (Oct 1–3) —
//   on their expected dates; each that falls on a Saturday or Sunday (or on another holiday's
//   day) is given back (补假) on the next free weekday after the holiday, as the notices do. So
//   a provisional year has (Monday–Friday) − 13 workdays (2027: 261 − 13 = 248), and each month
//   carries the days off that fall in it. No makeup workdays (调休上班): their placement is the
//   notice's choice and cannot be foreseen, and they do not change the year's total. 2027's
//   dates are written out below; later years' lunar dates come from Foundation's Chinese
//   calendar and 清明 from the solar-term formula.
// - Any other year (before 2025, or after 2099): no built-in calendar; give a calendar file.
//
// When a notice is published, add the year to `officialCalendar` and `officialYears`, and a test
// of its figures to CalendarTests.

extension WorkCalendar {
    /// Years with a built-in calendar from the State Council's notice.
    public static let officialYears: [Int] = [2025, 2026]

    /// Years with a built-in calendar at all; those not in `officialYears` are provisional.
    public static let builtinYears: ClosedRange<Int> = 2025...2099

    /// The built-in calendar of `year`. Throws a `CalendarError` (code `.noBuiltinCalendar`)
    /// outside `builtinYears`: such a year needs a calendar file.
    public static func builtin(year: Int) throws -> WorkCalendar {
        if let notice = try officialCalendar(year: year) { return notice }
        if year == 2027 {
            return try provisional(
                year: 2027,
                springFestivalEve: CivilDate(year: 2027, month: 2, day: 5)!,
                qingming: CivilDate(year: 2027, month: 4, day: 5)!,
                dragonBoat: CivilDate(year: 2027, month: 6, day: 9)!,
                midAutumn: CivilDate(year: 2027, month: 9, day: 15)!)
        }
        guard builtinYears.contains(year), let dates = LunarHolidays(year: year) else {
            throw CalendarError.noBuiltinCalendar(year: year)
        }
        return try provisional(year: year, springFestivalEve: dates.springFestivalEve,
                               qingming: dates.qingming, dragonBoat: dates.dragonBoat,
                               midAutumn: dates.midAutumn)
    }

    /// The note a provisional calendar carries as its `source`.
    public static func provisionalNote(year: Int) -> String {
        "\(year)年工作日为暂定：周一至周五扣除13天法定节假日（按预计日期；逢周六、周日的在节后工作日补假），"
            + "不安排调休上班，待国务院办公厅发布放假安排通知后以通知为准"
    }

    // MARK: - The notices

    private static func officialCalendar(year: Int) throws -> WorkCalendar? {
        switch year {
        case 2025:
            return try notice(year: 2025, source: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
                              holidays: [
                                  ("元旦", "01-01", "01-01"),
                                  ("春节", "01-28", "02-04"),
                                  ("清明节", "04-04", "04-06"),
                                  ("劳动节", "05-01", "05-05"),
                                  ("端午节", "05-31", "06-02"),
                                  ("国庆节、中秋节", "10-01", "10-08"),
                              ],
                              makeup: ["01-26", "02-08", "04-27", "09-28", "10-11"])
        case 2026:
            return try notice(year: 2026, source: "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
                              holidays: [
                                  ("元旦", "01-01", "01-03"),
                                  ("春节", "02-15", "02-23"),
                                  ("清明节", "04-04", "04-06"),
                                  ("劳动节", "05-01", "05-05"),
                                  ("端午节", "06-19", "06-21"),
                                  ("中秋节", "09-25", "09-27"),
                                  ("国庆节", "10-01", "10-07"),
                              ],
                              makeup: ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"])
        default:
            return nil
        }
    }

    /// A notice's arrangement: holidays as (name, first "MM-DD", last "MM-DD"), makeup days "MM-DD".
    private static func notice(year: Int, source: String, holidays: [(String, String, String)],
                               makeup: [String]) throws -> WorkCalendar {
        func date(_ monthDay: String) -> CivilDate {
            guard let d = CivilDate("\(year)-\(monthDay)") else { fatalError("bad built-in date \(year)-\(monthDay)") }
            return d
        }
        let list = holidays.map { name, first, last in
            let a = date(first), b = date(last)
            return Holiday(name: name, dates: (0...(b.dayNumber - a.dayNumber)).map { a.adding(days: $0) })
        }
        return try WorkCalendar(year: year, holidays: list, makeupWorkdays: makeup.map(date),
                                provisional: false, source: source)
    }

    // MARK: - The provisional rule

    /// The notices' pattern on the statutory holidays' expected dates (RULES.md §7.13):
    ///
    /// 1. The 13 statutory days: 元旦 January 1; 春节 除夕 to 初三 (4 days); 清明节; 劳动节 May 1–2;
    ///    端午节; 中秋节; 国庆节 October 1–3.
    /// 2. A statutory day that falls on a Saturday or Sunday, or on a day already given to another
    ///    holiday (中秋节 on October 1–3), is given back (补假): on the first weekday after the
    ///    holiday's last statutory day that is neither a statutory day of any holiday nor already
    ///    given back. Holidays are taken in date order (国庆节 before 中秋节 on the same day).
    /// 3. A holiday's days off are its statutory days, its given-back days, and the Saturdays and
    ///    Sundays between and next to them (as a notice writes 放假，共N天); holidays whose days
    ///    off touch or overlap become one (国庆节、中秋节).
    /// 4. No makeup workdays (调休上班): the year has exactly (Monday–Friday) − 13 workdays.
    static func provisional(year: Int, springFestivalEve: CivilDate, qingming: CivilDate,
                            dragonBoat: CivilDate, midAutumn: CivilDate) throws -> WorkCalendar {
        func day(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day)! }
        // In date order; on a tie 国庆节 (the longer, fixed holiday) first.
        let statutory: [(name: String, dates: [CivilDate])] = [
            ("元旦", [day(1, 1)]),
            ("春节", (0..<4).map { springFestivalEve.adding(days: $0) }),
            ("清明节", [qingming]),
            ("劳动节", [day(5, 1), day(5, 2)]),
            ("端午节", [dragonBoat]),
            ("国庆节", [day(10, 1), day(10, 2), day(10, 3)]),
            ("中秋节", [midAutumn]),
        ].enumerated().sorted { ($0.element.1[0], $0.offset) < ($1.element.1[0], $1.offset) }.map { $0.element }

        let statutoryDays = Set(statutory.flatMap(\.dates))
        var taken = Set<CivilDate>()          // statutory days of holidays already placed, and given-back days
        var blocks: [(names: [String], days: Set<CivilDate>)] = []
        for holiday in statutory {
            var givenBack = 0
            for d in holiday.dates where d.isWeekend || taken.contains(d) { givenBack += 1 }
            taken.formUnion(holiday.dates)
            var days = Set(holiday.dates)
            var next = holiday.dates.max()!
            while givenBack > 0 {
                next = next.adding(days: 1)
                guard next.year == year else { throw CalendarError.dateOutsideYear(next, year: year) }
                if next.isWeekend || statutoryDays.contains(next) || taken.contains(next) { continue }
                days.insert(next); taken.insert(next); givenBack -= 1
            }
            blocks.append(([holiday.name], days))
        }
        // Weekends inside and next to each holiday's days off, unless another holiday has them.
        let owned = blocks.map(\.days).reduce(Set<CivilDate>()) { $0.union($1) }
        for i in blocks.indices {
            let first = blocks[i].days.min()!, last = blocks[i].days.max()!
            var d = first.adding(days: 1)
            while d < last { if d.isWeekend { blocks[i].days.insert(d) }; d = d.adding(days: 1) }
            d = first.adding(days: -1)
            while d.year == year, d.isWeekend, !owned.contains(d) { blocks[i].days.insert(d); d = d.adding(days: -1) }
            d = last.adding(days: 1)
            while d.year == year, d.isWeekend, !owned.contains(d) { blocks[i].days.insert(d); d = d.adding(days: 1) }
        }
        // Holidays whose days off touch or overlap are one break.
        blocks.sort { $0.days.min()! < $1.days.min()! }
        var merged: [(names: [String], days: Set<CivilDate>)] = []
        for block in blocks {
            if let last = merged.last, let end = last.days.max(),
               block.days.min()!.dayNumber <= end.dayNumber + 1 {
                merged[merged.count - 1].names += block.names
                merged[merged.count - 1].days.formUnion(block.days)
            } else {
                merged.append(block)
            }
        }
        let holidays = merged.map { Holiday(name: $0.names.joined(separator: "、"), dates: Array($0.days)) }
        return try WorkCalendar(year: year, holidays: holidays, makeupWorkdays: [],
                                provisional: true, source: provisionalNote(year: year))
    }

    /// Statutory holiday days (法定节假日) a year has under the 2024 revision of
    /// 《全国年节及纪念日放假办法》: a provisional year has (Monday–Friday) − this many workdays.
    public static let statutoryDayCount = 13
}

/// The expected dates of the lunar holidays and 清明 in a Gregorian year of 2001–2099.
struct LunarHolidays: Equatable {
    var springFestivalEve: CivilDate   // 除夕, the day before 正月初一
    var qingming: CivilDate            // 清明 solar term
    var dragonBoat: CivilDate          // 五月初五
    var midAutumn: CivilDate           // 八月十五

    init?(year: Int) {
        guard (2001...2099).contains(year) else { return nil }
        // 清明: [Y × 0.2422 + 4.81] − [Y / 4], Y = year − 2000 (the 21st-century constant), in
        // integers to avoid rounding: 2025 → April 4, 2026 → April 5, 2027 → April 5.
        let y = year - 2000
        qingming = CivilDate(year: year, month: 4, day: (y * 2422 + 48100) / 10000 - y / 4)!

        var chinese = Calendar(identifier: .chinese)
        var gregorian = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        chinese.timeZone = utc
        gregorian.timeZone = utc
        // The lunar year whose New Year falls in `year` is the one running on July 1.
        guard let july = gregorian.date(from: DateComponents(year: year, month: 7, day: 1)) else { return nil }
        let lunarYear = chinese.dateComponents([.era, .year], from: july)
        func gregorianDate(lunarMonth: Int, day: Int) -> CivilDate? {
            var c = DateComponents()
            c.era = lunarYear.era; c.year = lunarYear.year
            c.month = lunarMonth; c.day = day; c.isLeapMonth = false
            guard let date = chinese.date(from: c) else { return nil }
            let g = gregorian.dateComponents([.year, .month, .day], from: date)
            guard let gy = g.year, let gm = g.month, let gd = g.day else { return nil }
            return CivilDate(year: gy, month: gm, day: gd)
        }
        guard let newYear = gregorianDate(lunarMonth: 1, day: 1),
              let dragonBoat = gregorianDate(lunarMonth: 5, day: 5),
              let midAutumn = gregorianDate(lunarMonth: 8, day: 15) else { return nil }
        // Sanity: the lunar New Year falls January 21 – February 20, 端午 May 28 – June 25 and
        // 中秋 September 7 – October 8 (give or take); anything else means the computation failed.
        func within(_ d: CivilDate, _ from: (Int, Int), _ to: (Int, Int)) -> Bool {
            d.year == year && (from.0, from.1) <= (d.month, d.day) && (d.month, d.day) <= (to.0, to.1)
        }
        guard within(newYear, (1, 19), (2, 21)), within(dragonBoat, (5, 26), (6, 26)),
              within(midAutumn, (9, 6), (10, 9)) else { return nil }
        self.springFestivalEve = newYear.adding(days: -1)
        self.dragonBoat = dragonBoat
        self.midAutumn = midAutumn
    }
}

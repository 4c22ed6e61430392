import Foundation
import Ledger

// Built-in working calendars.
//
// - 2025, 2026: the State Council General Office's (国务院办公厅) notices, date for date.
//   Each year has 248 workdays; 2026 by month is 21 16 22 21 19 21 23 21 22 18 21 23.
// - 2027–2099: provisional (暂定) until the year's notice is published. The statutory holidays of
//   the 2024 revision of 《全国年节及纪念日放假办法》 — 元旦 1 day, 春节 4 days (除夕 to 初三),
//   清明节 1, 劳动节 2 (May 1–2), 端午节 1, 中秋节 1, 国庆节 3 (Oct 1–3) — on their expected
//   dates, subtracted from Monday–Friday. No makeup workdays (调休), and a holiday falling on a
//   weekend gives no day off in lieu. 2027's dates are written out below; later years' lunar
//   dates come from Foundation's Chinese calendar and 清明 from the solar-term formula.
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
        "\(year)年工作日为暂定：按周一至周五扣除法定节假日预计日期计算，待国务院办公厅发布放假安排通知后以通知为准"
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

    /// Monday–Friday minus the statutory holidays on the given dates, no makeup workdays.
    /// 中秋节 on October 1–3 merges into 国庆节 (the days off are the same).
    static func provisional(year: Int, springFestivalEve: CivilDate, qingming: CivilDate,
                            dragonBoat: CivilDate, midAutumn: CivilDate) throws -> WorkCalendar {
        func day(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day)! }
        let nationalDay = [day(10, 1), day(10, 2), day(10, 3)]
        var holidays = [
            Holiday(name: "元旦", dates: [day(1, 1)]),
            Holiday(name: "春节", dates: (0..<4).map { springFestivalEve.adding(days: $0) }),
            Holiday(name: "清明节", dates: [qingming]),
            Holiday(name: "劳动节", dates: [day(5, 1), day(5, 2)]),
            Holiday(name: "端午节", dates: [dragonBoat]),
        ]
        if nationalDay.contains(midAutumn) {
            holidays.append(Holiday(name: "国庆节、中秋节", dates: nationalDay))
        } else {
            holidays.append(Holiday(name: "中秋节", dates: [midAutumn]))
            holidays.append(Holiday(name: "国庆节", dates: nationalDay))
        }
        return try WorkCalendar(year: year, holidays: holidays, makeupWorkdays: [],
                                provisional: true, source: provisionalNote(year: year))
    }
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

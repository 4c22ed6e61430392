import Foundation
import Ledger
@testable import Policy
import XCTest

final class CalendarTests: XCTestCase {
    private func date(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> CivilDate {
        guard let d = CivilDate(s) else {
            XCTFail("bad test date \(s)", file: file, line: line)
            return CivilDate(year: 2000, month: 1, day: 1)!
        }
        return d
    }

    private func allDates(of year: Int) -> [CivilDate] {
        let jan1 = CivilDate(year: year, month: 1, day: 1)!
        return (0..<(CivilDate.isLeap(year) ? 366 : 365)).map { jan1.adding(days: $0) }
    }

    // MARK: - Official years (State Council notices)

    func test2025Has248Workdays() throws {
        let c = try WorkCalendar.builtin(year: 2025)
        XCTAssertEqual(c.totalWorkdays, 248)
        XCTAssertFalse(c.provisional)
        XCTAssertTrue(c.source.contains("国务院办公厅关于2025年部分节假日安排的通知"))
        // What the 2025 notice's dates give month by month.
        XCTAssertEqual(c.workdaysPerMonth, [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23])
        XCTAssertEqual(c.makeupWorkdays.map(\.description),
                       ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"])
    }

    func test2026MonthlyFiguresAndTotal() throws {
        let c = try WorkCalendar.builtin(year: 2026)
        XCTAssertEqual((1...12).map { c.workdays(inMonth: $0) }, [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23])
        XCTAssertEqual(c.totalWorkdays, 248)
        XCTAssertEqual((1...4).map { c.workdays(inQuarter: $0) }, [59, 61, 66, 62])
        XCTAssertEqual(c.workdaysPerQuarter.reduce(0, +), 248)
        XCTAssertFalse(c.provisional)
        XCTAssertTrue(c.source.contains("国办发明电〔2025〕7号"))
    }

    func testSpecificDates() throws {
        let y2025 = try WorkCalendar.builtin(year: 2025)
        let y2026 = try WorkCalendar.builtin(year: 2026)
        XCTAssertTrue(y2026.isWorkday(date("2026-02-14")), "Saturday 2026-02-14 is a makeup workday")
        XCTAssertTrue(y2026.isMakeupWorkday(date("2026-02-14")))
        XCTAssertFalse(y2026.isWorkday(date("2026-10-01")), "National Day")
        XCTAssertEqual(y2026.holiday(on: date("2026-10-01"))?.name, "国庆节")
        XCTAssertTrue(y2025.isWorkday(date("2025-01-26")), "Sunday 2025-01-26 is a makeup workday")
        XCTAssertFalse(y2026.isWorkday(date("2026-02-16")), "Monday in the Spring Festival break")
        XCTAssertFalse(y2026.isWorkday(date("2026-02-21")), "an ordinary Saturday")
        XCTAssertTrue(y2026.isWorkday(date("2026-03-02")), "an ordinary Monday")
        XCTAssertFalse(y2025.isWorkday(date("2025-10-08")), "the 8-day National Day and Mid-Autumn break")
        XCTAssertEqual(y2025.holiday(on: date("2025-10-08"))?.englishName, "National Day and Mid-Autumn Festival")
        XCTAssertEqual(y2026.holiday(on: date("2026-02-15"))?.englishName, "Spring Festival")
        XCTAssertNil(y2026.holiday(on: date("2026-03-02")))
    }

    func testWorkdayDatesInMonth() throws {
        let c = try WorkCalendar.builtin(year: 2026)
        let february = c.workdayDates(inMonth: 2)
        XCTAssertEqual(february.count, 16)
        XCTAssertEqual(february.first, date("2026-02-02"))
        XCTAssertTrue(february.contains(date("2026-02-14")))
        XCTAssertTrue(february.contains(date("2026-02-28")))
        XCTAssertFalse(february.contains(date("2026-02-23")))
        XCTAssertEqual(c.workdayDates.count, 248)
        XCTAssertEqual(c.workdayDates, c.workdayDates.sorted())
    }

    // MARK: - Provisional years

    /// RULES.md §7.13: the 13 statutory days, those on a weekend given back (补假) on the next
    /// free weekdays after the holiday, so 2027 has 261 − 13 = 248 workdays (254 before: weekend
    /// holiday days were lost).
    func test2027IsProvisionalWithWeekendHolidaysGivenBack() throws {
        let c = try WorkCalendar.builtin(year: 2027)
        XCTAssertTrue(c.provisional)
        XCTAssertTrue(c.source.contains("暂定"))
        XCTAssertTrue(c.source.contains("补假"))
        XCTAssertTrue(c.makeupWorkdays.isEmpty)
        let weekdays = allDates(of: 2027).filter { !$0.isWeekend }.count
        XCTAssertEqual(weekdays, 261)
        XCTAssertEqual(c.totalWorkdays, 248)
        XCTAssertEqual(c.totalWorkdays, weekdays - WorkCalendar.statutoryDayCount)
        // The statutory days are days off wherever they fall.
        let statutory = ["2027-01-01",                                        // 元旦 (Friday)
                         "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", // 春节: 除夕 to 初三
                         "2027-04-05",                                        // 清明节 (Monday)
                         "2027-05-01", "2027-05-02",                          // 劳动节 (Saturday, Sunday)
                         "2027-06-09",                                        // 端午节
                         "2027-09-15",                                        // 中秋节
                         "2027-10-01", "2027-10-02", "2027-10-03"]            // 国庆节 (Fri, Sat, Sun)
        for d in statutory { XCTAssertFalse(c.isWorkday(date(d)), d) }
        // Given back: 春节's Saturday and Sunday on Tuesday 9 and Wednesday 10 February; 劳动节's
        // on Monday 3 and Tuesday 4 May; 国庆节's Saturday and Sunday on Monday 4 and Tuesday 5 October.
        for d in ["2027-02-09", "2027-02-10", "2027-05-03", "2027-05-04", "2027-10-04", "2027-10-05"] {
            XCTAssertFalse(c.isWorkday(date(d)), d)
            XCTAssertFalse(date(d).isWeekend, d)
        }
        XCTAssertTrue(c.isWorkday(date("2027-02-11")))
        XCTAssertTrue(c.isWorkday(date("2027-05-05")))
        XCTAssertTrue(c.isWorkday(date("2027-10-06")))
        XCTAssertEqual(c.holiday(on: date("2027-02-10"))?.name, "春节")
        XCTAssertEqual(c.holiday(on: date("2027-10-05"))?.name, "国庆节")
        // Days off as a notice writes them: weekends between and next to the holiday included.
        XCTAssertEqual(c.holidays.map(\.name), ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"])
        XCTAssertEqual(c.holidays.first { $0.name == "春节" }?.dates.map(\.description),
                       ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10"])
        XCTAssertEqual(c.holidays.first { $0.name == "元旦" }?.dates.map(\.description),
                       ["2027-01-01", "2027-01-02", "2027-01-03"])
        // Every day: a workday exactly when a weekday that is no holiday's day off.
        let off = Set(c.holidays.flatMap(\.dates))
        for d in allDates(of: 2027) {
            XCTAssertEqual(c.isWorkday(d), !d.isWeekend && !off.contains(d), "\(d)")
        }
        // The months carry the days off where their dates fall: February loses 春节's four
        // weekdays (5, 8, 9, 10), May 劳动节's two given-back days (3, 4), October four (1, 4, 5 + none).
        XCTAssertEqual(c.workdaysPerMonth, [20, 16, 23, 21, 19, 21, 22, 22, 21, 18, 22, 23])
        XCTAssertEqual(c.workdaysPerMonth.reduce(0, +), 248)
        XCTAssertEqual(c.workdaysPerQuarter.reduce(0, +), 248)
    }

    /// Every later provisional year: (Monday–Friday) − 13 workdays, every statutory day off,
    /// given-back days weekdays after their holiday, months adding up to the year.
    func testEveryProvisionalYearHasWeekdaysMinus13() throws {
        for year in 2027...2099 {
            let c = try WorkCalendar.builtin(year: year)
            XCTAssertTrue(c.provisional, "\(year)")
            let weekdays = allDates(of: year).filter { !$0.isWeekend }.count
            XCTAssertEqual(c.totalWorkdays, weekdays - 13, "\(year)")
            XCTAssertEqual(c.workdaysPerMonth.reduce(0, +), c.totalWorkdays, "\(year)")
            XCTAssertEqual((1...12).map { c.workdayDates(inMonth: $0).count }, c.workdaysPerMonth, "\(year)")
            let lunar = try XCTUnwrap(LunarHolidays(year: year))
            var statutory = [CivilDate(year: year, month: 1, day: 1)!, lunar.qingming, lunar.dragonBoat, lunar.midAutumn,
                             CivilDate(year: year, month: 5, day: 1)!, CivilDate(year: year, month: 5, day: 2)!]
            statutory += (0..<4).map { lunar.springFestivalEve.adding(days: $0) }
            statutory += (1...3).map { CivilDate(year: year, month: 10, day: $0)! }
            for d in statutory {
                XCTAssertFalse(c.isWorkday(d), "\(year): \(d)")
                XCTAssertNotNil(c.holiday(on: d), "\(year): \(d)")
            }
            // A day off that is neither a weekend nor a statutory day is a given-back day.
            let givenBack = c.holidays.flatMap(\.dates).filter { !$0.isWeekend && !statutory.contains($0) }
            // Owed: each statutory day on a weekend, and a weekday statutory day listed twice (中秋节 on 国庆节).
            let weekdayStatutory = statutory.filter { !$0.isWeekend }
            let owed = statutory.filter(\.isWeekend).count + (weekdayStatutory.count - Set(weekdayStatutory).count)
            XCTAssertEqual(givenBack.count, owed, "\(year)")
            for d in givenBack {
                let h = try XCTUnwrap(c.holiday(on: d))
                XCTAssertTrue(h.dates.contains { statutory.contains($0) && $0 < d }, "\(year): \(d) follows its holiday")
            }
        }
    }

    func test2031MidAutumnOnNationalDayIsGivenBackToo() throws {
        let c = try WorkCalendar.builtin(year: 2031)   // 中秋节 2031 is Wednesday 1 October
        XCTAssertEqual(c.holiday(on: date("2031-10-01"))?.name, "国庆节、中秋节")
        // October 1–3 are Wednesday–Friday: four statutory days on three dates, so one given back
        // (Monday 6 October), with the weekend between.
        XCTAssertEqual(c.holiday(on: date("2031-10-01"))?.dates.map(\.description),
                       ["2031-10-01", "2031-10-02", "2031-10-03", "2031-10-04", "2031-10-05", "2031-10-06"])
        XCTAssertTrue(c.isWorkday(date("2031-10-07")))
    }

    func testLunarComputationAgreesWith2027Dates() throws {
        let dates = try XCTUnwrap(LunarHolidays(year: 2027))
        XCTAssertEqual(dates.springFestivalEve, date("2027-02-05"))
        XCTAssertEqual(dates.qingming, date("2027-04-05"))
        XCTAssertEqual(dates.dragonBoat, date("2027-06-09"))
        XCTAssertEqual(dates.midAutumn, date("2027-09-15"))
        // Known dates of the notices' years and of 2028.
        let y2026 = try XCTUnwrap(LunarHolidays(year: 2026))
        XCTAssertEqual(y2026.springFestivalEve, date("2026-02-16"))
        XCTAssertEqual(y2026.qingming, date("2026-04-05"))
        XCTAssertEqual(y2026.dragonBoat, date("2026-06-19"))
        XCTAssertEqual(y2026.midAutumn, date("2026-09-25"))
        let y2025 = try XCTUnwrap(LunarHolidays(year: 2025))
        XCTAssertEqual(y2025.springFestivalEve, date("2025-01-28"))
        XCTAssertEqual(y2025.qingming, date("2025-04-04"))
        XCTAssertEqual(y2025.midAutumn, date("2025-10-06"))
        let y2028 = try XCTUnwrap(LunarHolidays(year: 2028))
        XCTAssertEqual(y2028.springFestivalEve, date("2028-01-25"))
        XCTAssertEqual(y2028.dragonBoat, date("2028-05-28"))
        XCTAssertEqual(y2028.midAutumn, date("2028-10-03"))
        XCTAssertEqual(try WorkCalendar.builtin(year: 2027),
                       try WorkCalendar.provisional(year: 2027, springFestivalEve: dates.springFestivalEve,
                                                    qingming: dates.qingming, dragonBoat: dates.dragonBoat,
                                                    midAutumn: dates.midAutumn))
    }

    func testLaterYearsAreProvisionalAndMergeMidAutumnIntoNationalDay() throws {
        let c = try WorkCalendar.builtin(year: 2031)   // 中秋节 2031 is October 1
        XCTAssertTrue(c.provisional)
        XCTAssertEqual(c.holidays.map(\.name), ["元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"])
        for year in WorkCalendar.builtinYears {
            // Every built-in year loads: its own year, the seven statutory holidays (six names
            // when 中秋节 falls in the National Day break), a working year of 240–255 days.
            let c = try WorkCalendar.builtin(year: year)
            XCTAssertEqual(c.year, year)
            XCTAssertTrue([6, 7].contains(c.holidays.count), "\(year): \(c.holidays.map(\.name))")
            XCTAssertTrue((240...255).contains(c.totalWorkdays), "\(year): \(c.totalWorkdays)")
        }
    }

    func testYearWithoutBuiltinCalendarThrows() {
        for year in [2024, 2100] {
            XCTAssertThrowsError(try WorkCalendar.builtin(year: year)) { error in
                let e = error as? CalendarError
                XCTAssertEqual(e?.code, .noBuiltinCalendar)
                XCTAssertTrue("\(error)".contains("\(year)"))
                XCTAssertTrue("\(error)".contains("calendar file"))
            }
        }
        XCTAssertThrowsError(try CalendarProvider.builtin.calendar(year: 2024))
    }

    // MARK: - Calendar files

    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("CalendarTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ yaml: String, name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testCalendarFileOverridesBuiltin() throws {
        // 2026 with the Spring Festival cut to the four statutory days and no makeup workdays.
        let path = try write("""
            year: 2026
            source: 测试日历
            holidays:
              - { name: 元旦, dates: [2026-01-01] }
              - name: 春节
                dates: 2026-02-16..2026-02-19
              - { name: 国庆节, name_en: Golden Week, dates: [2026-10-01..2026-10-03, 2026-10-05] }
            """, name: "calendar-2026-test.yaml")
        let c = try WorkCalendar.load(file: path)
        XCTAssertFalse(c.provisional)
        XCTAssertEqual(c.source, "测试日历")
        XCTAssertEqual(c.year, 2026)
        // 261 weekdays in 2026; weekday holidays: 1/1, 2/16–2/19, 10/1, 10/2, 10/5 → 8.
        XCTAssertEqual(c.totalWorkdays, 253)
        XCTAssertNotEqual(c.totalWorkdays, try WorkCalendar.builtin(year: 2026).totalWorkdays)
        XCTAssertEqual(c.workdays(inMonth: 2), 16)
        XCTAssertFalse(c.isWorkday(date("2026-02-14")), "no makeup workdays in this file")
        XCTAssertTrue(c.isWorkday(date("2026-02-20")))
        XCTAssertEqual(c.holiday(on: date("2026-10-05"))?.englishName, "Golden Week")
        XCTAssertEqual(c.holiday(on: date("2026-02-16"))?.englishName, "Spring Festival")

        XCTAssertEqual(try WorkCalendar.resolve(year: 2026, file: path), c)
        XCTAssertEqual(try WorkCalendar.resolve(year: 2026, file: nil), try WorkCalendar.builtin(year: 2026))
        let provider = try CalendarProvider(files: [path])
        XCTAssertEqual(try provider.calendar(year: 2026), c)
        XCTAssertEqual(try provider.calendar(year: 2025), try WorkCalendar.builtin(year: 2025))
    }

    func testCalendarFileForYearWithoutBuiltin() throws {
        let path = try write("""
            year: 2024
            holidays: []
            makeup_workdays: 2024-02-04
            """, name: "calendar-2024.yaml")
        let c = try WorkCalendar.load(file: path, year: 2024)
        XCTAssertEqual(c.totalWorkdays, 262 + 1)   // 262 weekdays in 2024, plus one Sunday worked
        XCTAssertTrue(c.source.contains("calendar-2024.yaml"))
        XCTAssertFalse(c.provisional)
    }

    func testExampleCalendarFileLoads() throws {
        let example = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenarios/calendars/calendar-2027-example.yaml")
        let c = try WorkCalendar.load(file: example, year: 2027)
        XCTAssertFalse(c.provisional)
        XCTAssertEqual(c.holidays.count, 7)
        XCTAssertEqual(c.makeupWorkdays.count, 5)
        XCTAssertTrue(c.isWorkday(date("2027-02-20")))
    }

    // MARK: - Calendar file errors: each names the file, the key path and the value

    private func assertRejected(_ yaml: String, name: String, code: CalendarError.Code, keyPath: String?,
                                value: String?, mentions: [String] = [],
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try write(yaml, name: name)
        XCTAssertThrowsError(try WorkCalendar.load(file: path), file: file, line: line) { error in
            guard let e = error as? CalendarError else {
                return XCTFail("not a CalendarError: \(error)", file: file, line: line)
            }
            let message = e.description
            XCTAssertEqual(e.code, code, message, file: file, line: line)
            XCTAssertTrue(message.contains(name), "file name missing: \(message)", file: file, line: line)
            if let keyPath {
                XCTAssertEqual(e.keyPath, keyPath, file: file, line: line)
                XCTAssertTrue(message.contains(keyPath), "key path missing: \(message)", file: file, line: line)
            }
            if let value {
                XCTAssertTrue(message.contains(value), "value missing: \(message)", file: file, line: line)
            }
            for word in mentions {
                XCTAssertTrue(message.contains(word), "'\(word)' missing: \(message)", file: file, line: line)
            }
        }
    }

    func testRejectsDateOfAnotherYear() throws {
        try assertRejected("""
            year: 2027
            holidays:
              - { name: 元旦, dates: [2026-12-31, 2027-01-01] }
            """, name: "wrong-year.yaml", code: .dateOutsideYear, keyPath: "holidays[0].dates[0]",
            value: "2026-12-31", mentions: ["2027"])
    }

    func testRejectsImpossibleDate() throws {
        try assertRejected("""
            year: 2027
            holidays:
              - { name: 春节, dates: 2027-02-05..2027-02-30 }
            """, name: "impossible.yaml", code: .invalidDate, keyPath: "holidays[0].dates",
            value: "2027-02-30", mentions: ["28"])
        try assertRejected("""
            year: 2027
            holidays:
              - { name: 春节, dates: [2027-13-01] }
            """, name: "month13.yaml", code: .invalidDate, keyPath: "holidays[0].dates[0]", value: "2027-13-01")
    }

    func testRejectsMalformedDate() throws {
        try assertRejected("""
            year: 2027
            holidays:
              - { name: 元旦, dates: [2027/01/01] }
            """, name: "slashes.yaml", code: .invalidDate, keyPath: "holidays[0].dates[0]",
            value: "2027/01/01", mentions: ["YYYY-MM-DD"])
    }

    func testRejectsMakeupWorkdayOnWeekday() throws {
        try assertRejected("""
            year: 2027
            holidays: [{ name: 春节, dates: 2027-02-05..2027-02-09 }]
            makeup_workdays: [2027-02-13, 2027-02-10]
            """, name: "weekday-makeup.yaml", code: .makeupOnWeekday, keyPath: "makeup_workdays[1]",
            value: "2027-02-10", mentions: ["星期三", "Wednesday", "Saturday or Sunday"])
    }

    func testRejectsHolidayThatIsAlsoMakeupWorkday() throws {
        try assertRejected("""
            year: 2027
            holidays:
              - { name: 元旦, dates: [2027-01-01] }
              - { name: 春节, dates: 2027-02-05..2027-02-11 }
            makeup_workdays: [2027-02-06]
            """, name: "both.yaml", code: .makeupIsHoliday, keyPath: "makeup_workdays[0]",
            value: "2027-02-06", mentions: ["春节", "holidays[1]"])
    }

    func testRejectsBackwardsRange() throws {
        try assertRejected("""
            year: 2027
            holidays:
              - { name: 元旦, dates: [2027-01-01] }
              - { name: 春节, dates: 2027-02-11..2027-02-05 }
            """, name: "backwards.yaml", code: .backwardsRange, keyPath: "holidays[1].dates",
            value: "2027-02-11..2027-02-05", mentions: ["2027-02-05..2027-02-11"])
    }

    func testRejectsDateInTwoHolidays() throws {
        try assertRejected("""
            year: 2027
            holidays:
              - { name: 中秋节, dates: [2027-10-01] }
              - { name: 国庆节, dates: [2027-10-01..2027-10-07] }
            """, name: "twice.yaml", code: .duplicateDate, keyPath: "holidays[1].dates[0]",
            value: "2027-10-01..2027-10-07", mentions: ["中秋节", "2027-10-01"])
    }

    func testRejectsUnknownAndMissingKeys() throws {
        try assertRejected("""
            year: 2027
            holidays: []
            makeup_workday: [2027-02-13]
            """, name: "typo.yaml", code: .unknownKey, keyPath: "makeup_workday", value: "makeup_workday",
            mentions: ["makeup_workdays"])
        try assertRejected("""
            year: 2027
            holidays:
              - { name: 元旦 }
            """, name: "no-dates.yaml", code: .missingKey, keyPath: "holidays[0]", value: nil, mentions: ["dates"])
        try assertRejected("""
            holidays: []
            """, name: "no-year.yaml", code: .missingKey, keyPath: nil, value: nil, mentions: ["year"])
    }

    func testRejectsBadYearAndYearMismatch() throws {
        try assertRejected("""
            year: twenty
            holidays: []
            """, name: "bad-year.yaml", code: .invalidYear, keyPath: "year", value: "twenty")
        let path = try write("year: 2027\nholidays: []\n", name: "calendar-2027.yaml")
        XCTAssertThrowsError(try WorkCalendar.load(file: path, year: 2026)) { error in
            XCTAssertEqual((error as? CalendarError)?.code, .yearMismatch)
            XCTAssertTrue("\(error)".contains("calendar-2027.yaml"))
            XCTAssertTrue("\(error)".contains("2026"))
        }
    }

    func testRejectsInvalidYAMLAndMissingFile() throws {
        try assertRejected("year: 2027\nholidays: [\n", name: "broken.yaml", code: .invalidYAML,
                           keyPath: nil, value: nil)
        XCTAssertThrowsError(try WorkCalendar.load(file: directory.appendingPathComponent("absent.yaml").path)) { error in
            XCTAssertEqual((error as? CalendarError)?.code, .unreadableFile)
            XCTAssertTrue("\(error)".contains("absent.yaml"))
        }
    }

    // MARK: - Building calendars in code

    func testInitRejectsInconsistentData() {
        let newYear = Holiday(name: "元旦", dates: [date("2027-01-01")])
        XCTAssertThrowsError(try WorkCalendar(year: 2027, holidays: [newYear], makeupWorkdays: [date("2027-01-04")],
                                              provisional: false, source: "t")) {
            XCTAssertEqual(($0 as? CalendarError)?.code, .makeupOnWeekday)
        }
        XCTAssertThrowsError(try WorkCalendar(year: 2028, holidays: [newYear], makeupWorkdays: [],
                                              provisional: false, source: "t")) {
            XCTAssertEqual(($0 as? CalendarError)?.code, .dateOutsideYear)
        }
        XCTAssertThrowsError(try WorkCalendar(year: 2027, holidays: [newYear, newYear], makeupWorkdays: [],
                                              provisional: false, source: "t")) {
            XCTAssertEqual(($0 as? CalendarError)?.code, .duplicateDate)
        }
    }

    func testEnglishNames() {
        XCTAssertEqual(Holiday.englishName(for: "国庆节、中秋节"), "National Day and Mid-Autumn Festival")
        XCTAssertEqual(Holiday.englishName(for: "清明节"), "Qingming Festival")
        XCTAssertNil(Holiday.englishName(for: "植树节"))
        XCTAssertEqual(Holiday(name: "植树节", dates: []).englishName, "植树节")
    }
}

import ArgumentParser
import Foundation
import Ledger
import Policy

/// `planner calendar YEAR [--file calendar.yaml] [--lang zh|en] [--format table|json]`:
/// the year's workdays per month and quarter, its holidays and makeup workdays.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "工作日历：各月、各季度工作日 — workdays per month and quarter.",
        discussion: """
            Built in: 2025–2026 from the State Council's notices; 2027–2099 provisional (暂定: \
            the 13 statutory days on their expected dates, a day falling on a weekend given back \
            on the next free weekday after the holiday, no makeup workdays: Monday–Friday − 13 \
            workdays). Any year can be given \
            by a calendar file (format: scenarios/calendars/calendar-2027-example.yaml).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: "The year, e.g. 2027.")
    var year: Int

    @Option(help: "A calendar file (YAML) for the year; overrides the built-in calendar.")
    var file: String?

    @OptionGroup var language: LanguageOption
    var lang: Lang { language.lang }

    @Option(help: "table, or json (language-independent, both names of each holiday).")
    var format: Format = .table

    func validate() throws {
        guard (1000...9999).contains(year) else {
            throw ValidationError("年份应为四位数字，如 2027 (the year must have four digits, e.g. 2027)")
        }
    }

    func run() throws {
        let calendar: WorkCalendar
        do {
            calendar = try WorkCalendar.resolve(year: year, file: file)
        } catch let error as CalendarError {
            var message = "错误 (error): \(error)\n"
            if error.code == .noBuiltinCalendar {
                message += lang == .zh
                    ? "请用 --file 指定\(year)年的日历文件，如 planner calendar \(year) --file calendar-\(year).yaml\n"
                    : "Pass --file with a calendar file for \(year), e.g. planner calendar \(year) --file calendar-\(year).yaml\n"
            }
            printError(message)
            throw ExitCode(1)
        }
        switch format {
        case .table: print(Self.table(calendar, lang: lang), terminator: "")
        case .json: print(try Self.json(calendar))
        }
    }

    // MARK: - Table

    static func table(_ c: WorkCalendar, lang: Lang) -> String {
        let zh = lang == .zh
        var out: [String] = []
        if zh {
            out.append("\(c.year)年工作日历" + (c.provisional ? "【暂定】" : ""))
            out.append("来源：\(c.source)")
        } else {
            out.append("Working calendar \(c.year)" + (c.provisional ? " [PROVISIONAL]" : ""))
            out.append("Source: \(c.source)")
            if c.provisional {
                out.append("Provisional: the 13 statutory holiday days on their expected dates, each one falling "
                           + "on a Saturday or Sunday given back on the next free weekday after the holiday; "
                           + "no makeup workdays (Monday–Friday − 13 workdays). The State Council's notice "
                           + "replaces it once published.")
            }
        }
        out.append("")

        let monthRows = (1...12).map { m in
            [zh ? "\(m)月" : englishMonths[m - 1], String(c.workdays(inMonth: m))]
        }
        out += grid(header: zh ? ["月份", "工作日"] : ["Month", "Workdays"], rows: monthRows, rightAligned: [1])
        out.append("")

        let quarterNames = zh ? ["第一季度", "第二季度", "第三季度", "第四季度"] : ["Q1", "Q2", "Q3", "Q4"]
        var quarterRows = (1...4).map { [quarterNames[$0 - 1], String(c.workdays(inQuarter: $0))] }
        quarterRows.append([zh ? "合计" : "Total", String(c.totalWorkdays)])
        out += grid(header: zh ? ["季度", "工作日"] : ["Quarter", "Workdays"], rows: quarterRows, rightAligned: [1])
        out.append("")

        out.append(zh ? "法定节假日" : "Statutory holidays")
        if c.holidays.isEmpty { out.append(zh ? "  （无）" : "  (none)") }
        let holidayRows = c.holidays.map { h -> [String] in
            let days = zh ? "共\(h.dates.count)天" : (h.dates.count == 1 ? "1 day" : "\(h.dates.count) days")
            return [zh ? h.name : h.englishName, runs(h.dates, zh: zh), days]
        }
        out += grid(header: nil, rows: holidayRows, rightAligned: [2], indent: "  ")
        out.append("")

        out.append(zh ? "调休上班日" : "Makeup workdays (weekend days worked)")
        if c.makeupWorkdays.isEmpty { out.append(zh ? "  （无）" : "  (none)") }
        for d in c.makeupWorkdays {
            out.append("  " + day(d, zh: zh) + (zh ? "（\(chineseWeekdays[d.weekday - 1])）" : " (\(englishWeekdays[d.weekday - 1]))"))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Rows in columns padded to their display width (CJK counts two).
    private static func grid(header: [String]?, rows: [[String]], rightAligned: Set<Int>,
                             indent: String = "") -> [String] {
        let all = (header.map { [$0] } ?? []) + rows
        guard let columns = all.map(\.count).max() else { return [] }
        let widths = (0..<columns).map { i in all.map { i < $0.count ? width($0[i]) : 0 }.max() ?? 0 }
        return all.map { row in
            let cells = row.enumerated().map { i, cell -> String in
                let pad = String(repeating: " ", count: widths[i] - width(cell))
                return rightAligned.contains(i) ? pad + cell : (i == row.count - 1 ? cell : cell + pad)
            }
            return indent + cells.joined(separator: "  ")
        }
    }

    private static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, u in
            let wide = (0x1100...0x115F).contains(u.value) || (0x2E80...0xA4CF).contains(u.value)
                || (0xAC00...0xD7A3).contains(u.value) || (0xF900...0xFAFF).contains(u.value)
                || (0xFE30...0xFE4F).contains(u.value) || (0xFF00...0xFF60).contains(u.value)
                || (0xFFE0...0xFFE6).contains(u.value) || (0x20000...0x3FFFD).contains(u.value)
            return n + (wide ? 2 : 1)
        }
    }

    /// Consecutive dates as runs: 2月15日—2月23日、2月25日 / Feb 15 – Feb 23, Feb 25.
    private static func runs(_ dates: [CivilDate], zh: Bool) -> String {
        var parts: [String] = []
        var i = 0
        while i < dates.count {
            var j = i
            while j + 1 < dates.count, dates[j + 1].dayNumber == dates[j].dayNumber + 1 { j += 1 }
            parts.append(i == j ? day(dates[i], zh: zh)
                         : day(dates[i], zh: zh) + (zh ? "—" : " – ") + day(dates[j], zh: zh))
            i = j + 1
        }
        return parts.joined(separator: zh ? "、" : ", ")
    }

    private static func day(_ d: CivilDate, zh: Bool) -> String {
        zh ? "\(d.month)月\(d.day)日" : "\(englishMonths[d.month - 1].prefix(3)) \(d.day)"
    }

    private static let englishMonths = ["January", "February", "March", "April", "May", "June", "July",
                                        "August", "September", "October", "November", "December"]
    private static let chineseWeekdays = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
    private static let englishWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    // MARK: - JSON

    private struct JSONCalendar: Encodable {
        struct Month: Encodable { let month: Int; let workdays: Int }
        struct Quarter: Encodable { let quarter: Int; let workdays: Int }
        struct HolidayEntry: Encodable { let name: String; let name_en: String; let dates: [String] }
        let year: Int
        let provisional: Bool
        let source: String
        let total_workdays: Int
        let months: [Month]
        let quarters: [Quarter]
        let holidays: [HolidayEntry]
        let makeup_workdays: [String]
    }

    /// Language-independent: both names of each holiday, dates as YYYY-MM-DD, keys sorted.
    static func json(_ c: WorkCalendar) throws -> String {
        let value = JSONCalendar(
            year: c.year, provisional: c.provisional, source: c.source, total_workdays: c.totalWorkdays,
            months: (1...12).map { .init(month: $0, workdays: c.workdays(inMonth: $0)) },
            quarters: (1...4).map { .init(quarter: $0, workdays: c.workdays(inQuarter: $0)) },
            holidays: c.holidays.map { .init(name: $0.name, name_en: $0.englishName, dates: $0.dates.map(\.description)) },
            makeup_workdays: c.makeupWorkdays.map(\.description))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

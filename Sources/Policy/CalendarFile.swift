import Foundation
import Ledger
import Yams

// Calendar file (日历文件): one year's working calendar in YAML, UTF-8. It overrides the built-in
// calendar of its year; a scenario names it with `calendar: calendar-2027.yaml` (relative to the
// scenario file), the CLI with `planner calendar 2027 --file calendar-2027.yaml`. Transcribe the
// State Council's notice (国务院办公厅关于XXXX年部分节假日安排的通知) when it is published:
//
//     year: 2027                                  # required; every date below must fall in it
//     source: 国务院办公厅关于2027年部分节假日安排的通知   # optional; shown with the figures
//     holidays:                                   # required (may be []), in any order
//       - name: 元旦                              # required, as the notice names it
//         dates: [2027-01-01]
//       - name: 春节
//         name_en: Spring Festival                # optional; known names are translated anyway
//         dates: 2027-02-05..2027-02-11           # a range, both ends included
//       - { name: 国庆节, dates: [2027-10-01..2027-10-03, 2027-10-04, 2027-10-05] }
//     makeup_workdays: [2027-02-13, 2027-02-20]   # optional: weekend days worked (调休上班)
//
// - Dates are `YYYY-MM-DD`; a range is `YYYY-MM-DD..YYYY-MM-DD`, earlier date first.
// - `dates` is one date or range, or a list of them: every day off the notice gives for the
//   holiday, weekends included (放假调休，共N天). Each date belongs to one holiday only.
// - `makeup_workdays` takes the same forms; each must be a Saturday or Sunday and not a day off.
// - A workday is then a Monday–Friday not among the holidays' dates, or a makeup workday.
// - Unknown keys are errors (a misspelt `makeup_workday` would otherwise be silently ignored).
// - A calendar from a file is never provisional.
//
// Loading is all-or-nothing. An error names the file, line and column, the key path (e.g.
// `holidays[1].dates[0]`, lists counted from 0) and the value, and says what would be valid.

extension WorkCalendar {
    /// Loads a calendar file. With `year`, the file must be the calendar of that year.
    public static func load(file path: String, year: Int? = nil) throws -> WorkCalendar {
        let text: String
        do {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CalendarError(.unreadable(reason: "文件不存在 (no such file)"), file: path)
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw CalendarError(.unreadable(reason: "不是 UTF-8 文本 (not UTF-8 text)"), file: path)
            }
            text = decoded
        } catch let error as CalendarError {
            throw error
        } catch {
            throw CalendarError(.unreadable(reason: "\(error.localizedDescription)"), file: path)
        }
        return try parse(yaml: text, file: path, year: year)
    }

    /// Loads a calendar file given as a URL; see `load(file:year:)`.
    public static func load(file url: URL, year: Int? = nil) throws -> WorkCalendar {
        try load(file: url.path, year: year)
    }

    /// Parses the text of a calendar file; `file` is the name errors give.
    public static func parse(yaml: String, file: String, year: Int? = nil) throws -> WorkCalendar {
        var reader = CalendarFileReader(file: file)
        return try reader.read(yaml: yaml, expectedYear: year)
    }
}

// MARK: - Reading

private struct CalendarFileReader {
    let file: String

    static let topKeys = ["year", "source", "holidays", "makeup_workdays"]
    static let holidayKeys = ["name", "name_en", "dates"]

    /// Where each date is listed so far: "春节 (holidays[1])", for duplicate messages.
    var listed: [CivilDate: String] = [:]

    init(file: String) { self.file = file }

    func error(_ kind: CalendarError.Kind, at node: Node?, _ keyPath: String?, value: String? = nil) -> CalendarError {
        CalendarError(kind, file: file, line: node?.mark?.line, column: node?.mark?.column,
                      keyPath: keyPath, value: value)
    }

    mutating func read(yaml: String, expectedYear: Int?) throws -> WorkCalendar {
        var content = yaml
        if content.hasPrefix("\u{FEFF}") { content.removeFirst() }
        let root: Node?
        do {
            root = try Yams.compose(yaml: content)
        } catch let yamlError as YamlError {
            throw syntaxError(yamlError)
        } catch {
            throw CalendarError(.notYAML(problem: "\(error)"), file: file)
        }
        guard let root, let top = root.mapping else {
            throw error(.wrongType(zh: "键值映射，如 year: 2027", en: "a mapping of keys, e.g. year: 2027"),
                        at: root, nil, value: root.flatMap(Self.show))
        }
        let keys = try keyed(top, path: nil, valid: Self.topKeys)

        // year
        guard let yearNode = keys["year"] else {
            throw error(.missingKey("year"), at: root, nil)
        }
        guard let yearText = yearNode.scalar?.string, let year = Int(yearText),
              yearText.allSatisfy(\.isASCII), yearText.count == 4, (1000...9999).contains(year) else {
            throw error(.invalidYear, at: yearNode, "year", value: Self.show(yearNode))
        }
        if let expectedYear, expectedYear != year {
            throw error(.yearMismatch(found: year, wanted: expectedYear), at: yearNode, "year", value: yearText)
        }

        // source
        var source = "日历文件 \(URL(fileURLWithPath: file).lastPathComponent)"
        if let node = keys["source"] {
            source = try textValue(node, path: "source")
        }

        // holidays
        guard let holidaysNode = keys["holidays"] else {
            throw error(.missingKey("holidays"), at: root, nil)
        }
        guard let holidayItems = holidaysNode.sequence else {
            throw error(.wrongType(zh: "列表，每项一个节日", en: "a list, one item a holiday"),
                        at: holidaysNode, "holidays", value: Self.show(holidaysNode))
        }
        var holidays: [Holiday] = []
        for (i, item) in holidayItems.enumerated() {
            let path = "holidays[\(i)]"
            guard let mapping = item.mapping else {
                throw error(.wrongType(zh: "含 name 与 dates 的映射", en: "a mapping with name and dates"),
                            at: item, path, value: Self.show(item))
            }
            let fields = try keyed(mapping, path: path, valid: Self.holidayKeys)
            guard let nameNode = fields["name"] else { throw error(.missingKey("name"), at: item, path) }
            let name = try textValue(nameNode, path: "\(path).name")
            var english: String?
            if let node = fields["name_en"] { english = try textValue(node, path: "\(path).name_en") }
            guard let datesNode = fields["dates"] else { throw error(.missingKey("dates"), at: item, path) }
            let dates = try dateList(datesNode, path: "\(path).dates", year: year, owner: "\(name) (\(path))")
            holidays.append(Holiday(name: name, englishName: english, dates: dates))
        }

        // makeup_workdays
        var makeup: [CivilDate] = []
        if let node = keys["makeup_workdays"] {
            for (date, element, path) in try dateEntries(node, path: "makeup_workdays", year: year) {
                if let holiday = listed[date], holiday != "makeup_workdays" {
                    throw error(.makeupIsHoliday(date, holiday: holiday), at: element, path, value: element.scalar?.string)
                }
                guard date.isWeekend else {
                    throw error(.makeupOnWeekday(date), at: element, path, value: element.scalar?.string)
                }
                if listed[date] != nil {
                    throw error(.dateListedTwice(date, first: "makeup_workdays"), at: element, path, value: element.scalar?.string)
                }
                listed[date] = "makeup_workdays"
                makeup.append(date)
            }
        }

        return try WorkCalendar(year: year, holidays: holidays, makeupWorkdays: makeup,
                                provisional: false, source: source)
    }

    // MARK: Shapes

    /// The mapping's entries by key, rejecting unknown, duplicate and non-text keys.
    func keyed(_ mapping: Node.Mapping, path: String?, valid: [String]) throws -> [String: Node] {
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw error(.wrongType(zh: "文字键", en: "a text key"), at: keyNode, path, value: Self.show(keyNode))
            }
            let keyPath = path.map { "\($0).\(key)" } ?? key
            guard valid.contains(key) else {
                throw error(.unknownKey(valid: valid), at: keyNode, keyPath, value: key)
            }
            guard result[key] == nil else { throw error(.duplicateKey, at: keyNode, keyPath, value: key) }
            result[key] = value
        }
        return result
    }

    func textValue(_ node: Node, path: String) throws -> String {
        guard let s = node.scalar?.string else {
            throw error(.wrongType(zh: "文字", en: "text"), at: node, path, value: Self.show(node))
        }
        let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw error(.emptyValue, at: node, path, value: s) }
        // Holiday names and the source go into spreadsheets: no NUL or other control characters.
        guard InputText.forbidden(in: trimmed) == nil else {
            throw error(.wrongType(zh: "不含控制字符的文字", en: "text without control characters"), at: node, path,
                        value: InputText.printable(s))
        }
        return trimmed
    }

    /// A holiday's dates; records each in `listed`, rejecting one listed before.
    mutating func dateList(_ node: Node, path: String, year: Int, owner: String) throws -> [CivilDate] {
        let entries = try dateEntries(node, path: path, year: year)
        guard !entries.isEmpty else { throw error(.emptyValue, at: node, path, value: Self.show(node)) }
        for (date, element, elementPath) in entries {
            if let other = listed[date] {
                throw error(.dateListedTwice(date, first: other), at: element, elementPath, value: element.scalar?.string)
            }
            listed[date] = owner
        }
        return entries.map(\.0)
    }

    /// One date or range, or a list of them, expanded: (date, the node giving it, its key path).
    func dateEntries(_ node: Node, path: String, year: Int) throws -> [(CivilDate, Node, String)] {
        var elements: [(Node, String)]
        if node.scalar != nil {
            elements = [(node, path)]
        } else if let list = node.sequence {
            elements = list.enumerated().map { ($1, "\(path)[\($0)]") }
        } else {
            throw error(.wrongType(zh: "日期、日期区间或其列表", en: "a date, a range or a list of them"),
                        at: node, path, value: Self.show(node))
        }
        var result: [(CivilDate, Node, String)] = []
        for (element, elementPath) in elements {
            guard let raw = element.scalar?.string else {
                throw error(.wrongType(zh: "日期或日期区间", en: "a date or a range"), at: element, elementPath,
                            value: Self.show(element))
            }
            let value = raw.trimmingCharacters(in: .whitespaces)
            let ends = value.components(separatedBy: "..")
            guard ends.count <= 2 else { throw error(.notADate, at: element, elementPath, value: raw) }
            let dates = try ends.map { try date($0.trimmingCharacters(in: .whitespaces), element, elementPath, raw) }
            let first = dates[0], last = dates[dates.count - 1]
            guard first <= last else {
                throw error(.backwardsRange(first, last), at: element, elementPath, value: raw)
            }
            for d in [first, last] where d.year != year {
                throw error(.dateOutsideYear(d, year: year), at: element, elementPath, value: raw)
            }
            for offset in 0...(last.dayNumber - first.dayNumber) {
                result.append((first.adding(days: offset), element, elementPath))
            }
        }
        return result
    }

    /// Exactly `YYYY-MM-DD`, a real date.
    func date(_ s: String, _ node: Node, _ path: String, _ raw: String) throws -> CivilDate {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            throw error(.notADate, at: node, path, value: raw)
        }
        guard let date = CivilDate(year: y, month: m, day: d) else {
            throw error(.impossibleDate(text: s, year: y, month: m, day: d), at: node, path, value: raw)
        }
        return date
    }

    // MARK: Messages

    /// A node as the file shows it, shortened.
    static func show(_ node: Node) -> String {
        let s: String
        switch node {
        case .scalar(let scalar): s = scalar.string
        case .sequence(let seq): s = "[" + seq.map { show($0) }.joined(separator: ", ") + "]"
        case .mapping(let map): s = "{" + map.map { "\(show($0.key)): \(show($0.value))" }.joined(separator: ", ") + "}"
        case .alias: s = "*alias"
        }
        return s.count > 80 ? String(s.prefix(77)) + "..." : s
    }

    func syntaxError(_ e: YamlError) -> CalendarError {
        switch e {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = context.map { "\($0.text), \(problem)" } ?? problem
            return CalendarError(.notYAML(problem: what), file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return CalendarError(.duplicateKey, file: file, line: context.mark.line, column: context.mark.column,
                                 value: duplicates.joined(separator: ", "))
        default:
            return CalendarError(.notYAML(problem: "\(e)"), file: file)
        }
    }
}

// MARK: - Errors

/// A working calendar that cannot be had: no built-in calendar for the year, or a calendar file
/// (or data) that is wrong. The message names the file, line, key path and value, and says what
/// would be valid. Loading is all-or-nothing: when this is thrown nothing was loaded.
public struct CalendarError: Error, CustomStringConvertible, Hashable, Sendable {
    /// What went wrong, for matching: `error.code == .makeupOnWeekday`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case noBuiltinCalendar, invalidYear, yearMismatch, unreadableFile, invalidYAML, wrongType
            case missingKey, unknownKey, duplicateKey, emptyValue, invalidDate, dateOutsideYear
            case backwardsRange, duplicateDate, makeupOnWeekday, makeupIsHoliday
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        public var description: String { value.rawValue }

        /// No built-in calendar for the year: a calendar file is needed.
        public static let noBuiltinCalendar = Code(.noBuiltinCalendar)
        public static let invalidYear = Code(.invalidYear)
        /// The file is another year's calendar than the one asked for.
        public static let yearMismatch = Code(.yearMismatch)
        public static let unreadableFile = Code(.unreadableFile)
        public static let invalidYAML = Code(.invalidYAML)
        public static let wrongType = Code(.wrongType)
        public static let missingKey = Code(.missingKey)
        public static let unknownKey = Code(.unknownKey)
        public static let duplicateKey = Code(.duplicateKey)
        public static let emptyValue = Code(.emptyValue)
        /// Not `YYYY-MM-DD`, or an impossible date such as 2027-02-30.
        public static let invalidDate = Code(.invalidDate)
        public static let dateOutsideYear = Code(.dateOutsideYear)
        public static let backwardsRange = Code(.backwardsRange)
        /// A date listed twice (in two holidays, or twice as a makeup workday).
        public static let duplicateDate = Code(.duplicateDate)
        public static let makeupOnWeekday = Code(.makeupOnWeekday)
        public static let makeupIsHoliday = Code(.makeupIsHoliday)

        fileprivate static func of(_ kind: Kind) -> Code {
            switch kind {
            case .noBuiltinCalendar: return .noBuiltinCalendar
            case .invalidYear: return .invalidYear
            case .yearMismatch: return .yearMismatch
            case .unreadable: return .unreadableFile
            case .notYAML: return .invalidYAML
            case .wrongType: return .wrongType
            case .missingKey: return .missingKey
            case .unknownKey: return .unknownKey
            case .duplicateKey: return .duplicateKey
            case .emptyValue: return .emptyValue
            case .notADate, .impossibleDate: return .invalidDate
            case .dateOutsideYear: return .dateOutsideYear
            case .backwardsRange: return .backwardsRange
            case .dateListedTwice: return .duplicateDate
            case .makeupOnWeekday: return .makeupOnWeekday
            case .makeupIsHoliday: return .makeupIsHoliday
            }
        }
    }

    fileprivate enum Kind: Hashable, Sendable {
        case noBuiltinCalendar(year: Int)
        case invalidYear
        case yearMismatch(found: Int, wanted: Int)
        case unreadable(reason: String)
        case notYAML(problem: String)
        case wrongType(zh: String, en: String)
        case missingKey(String)
        case unknownKey(valid: [String])
        case duplicateKey
        case emptyValue
        case notADate
        case impossibleDate(text: String, year: Int, month: Int, day: Int)
        case dateOutsideYear(CivilDate, year: Int)
        case backwardsRange(CivilDate, CivilDate)
        case dateListedTwice(CivilDate, first: String)
        case makeupOnWeekday(CivilDate)
        case makeupIsHoliday(CivilDate, holiday: String)
    }

    private let kind: Kind
    /// The calendar file, as the caller named it; nil for errors not from a file.
    public let file: String?
    /// 1-based line and column in the file, when known.
    public let line: Int?
    public let column: Int?
    /// The YAML key path, e.g. `holidays[1].dates[0]`.
    public let keyPath: String?
    /// The offending value as the file writes it.
    public let value: String?

    fileprivate init(_ kind: Kind, file: String? = nil, line: Int? = nil, column: Int? = nil,
                     keyPath: String? = nil, value: String? = nil) {
        self.kind = kind; self.file = file; self.line = line; self.column = column
        self.keyPath = keyPath; self.value = value
    }

    public var code: Code { Code.of(kind) }

    // Errors of `WorkCalendar.builtin` and `WorkCalendar.init`, which have no file.
    static func noBuiltinCalendar(year: Int) -> CalendarError {
        CalendarError(.noBuiltinCalendar(year: year), value: String(year))
    }
    static func invalidYear(_ year: Int) -> CalendarError { CalendarError(.invalidYear, keyPath: "year", value: String(year)) }
    static func dateOutsideYear(_ date: CivilDate, year: Int) -> CalendarError {
        CalendarError(.dateOutsideYear(date, year: year), value: date.description)
    }
    static func dateListedTwice(_ date: CivilDate, first: String) -> CalendarError {
        CalendarError(.dateListedTwice(date, first: first), value: date.description)
    }
    static func makeupOnWeekday(_ date: CivilDate) -> CalendarError {
        CalendarError(.makeupOnWeekday(date), value: date.description)
    }
    static func makeupIsHoliday(_ date: CivilDate, holiday: String) -> CalendarError {
        CalendarError(.makeupIsHoliday(date, holiday: holiday), value: date.description)
    }

    public var description: String {
        var place = file ?? ""
        if file != nil, let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        if let keyPath { place += (place.isEmpty ? "" : " ") + "键「\(keyPath)」" }
        var s = place.isEmpty ? "" : place + ": "
        if let value, !isYearOnly { s += "值「\(value)」— " }
        return s + message
    }

    /// The no-calendar message says the year itself.
    private var isYearOnly: Bool {
        if case .noBuiltinCalendar = kind { return true }
        return false
    }

    /// What is wrong and what would be valid, in Chinese then English.
    public var message: String {
        switch kind {
        case .noBuiltinCalendar(let year):
            return "没有\(year)年的内置工作日历：内置的是2025—2026年（国务院办公厅通知）和2027—2099年（暂定）；"
                + "请提供\(year)年的日历文件（格式见 scenarios/calendars/calendar-2027-example.yaml）"
                + " (no built-in working calendar for \(year): built in are 2025–2026 from the State Council's"
                + " notices and 2027–2099 provisional; give a calendar file for \(year))"
        case .invalidYear:
            return "年份应为四位数字，如 2027 (a year is four digits, e.g. 2027)"
        case .yearMismatch(let found, let wanted):
            return "这是\(found)年的日历，但需要的是\(wanted)年的 (this is the calendar of \(found), but \(wanted) was asked for)"
        case .unreadable(let reason):
            return "无法读取日历文件 (cannot read the calendar file): \(reason)"
        case .notYAML(let problem):
            return "不是有效的 YAML (not valid YAML): \(problem)"
        case .wrongType(let zh, let en):
            return "应为\(zh) (expected \(en))"
        case .missingKey(let key):
            return "缺少必需的键「\(key)」 (required key `\(key)` is missing)"
        case .unknownKey(let valid):
            let list = valid.joined(separator: ", ")
            return "未知的键；可用的键：\(list) (unknown key; valid keys: \(list))"
        case .duplicateKey:
            return "键重复出现 (key given twice)"
        case .emptyValue:
            return "不能为空 (must not be empty)"
        case .notADate:
            return "不是日期：日期写作 YYYY-MM-DD（如 2027-02-05），区间写作 YYYY-MM-DD..YYYY-MM-DD"
                + " (not a date: write YYYY-MM-DD, e.g. 2027-02-05, or a range YYYY-MM-DD..YYYY-MM-DD)"
        case .impossibleDate(let text, let year, let month, let day):
            guard (1...12).contains(month) else {
                return "\(text) 不是真实日期：没有\(month)月，月份为 01—12 (\(text) is not a real date: months are 01–12)"
            }
            let days = CivilDate.daysIn(month: month, year: year)
            let english = "\(Self.englishMonths[month - 1]) \(year) has \(days) days"
            if day < 1 {
                return "\(text) 不是真实日期：日从 01 起 (\(text) is not a real date: days start at 01)"
            }
            return "\(text) 不是真实日期：\(year)年\(month)月只有\(days)天 (\(text) is not a real date: \(english))"
        case .dateOutsideYear(let date, let year):
            return "\(date) 不在\(year)年（日历的年份，见键「year」）；所有日期都须在\(year)年"
                + " (\(date) is not in \(year), the calendar's year; every date must fall in \(year))"
        case .backwardsRange(let first, let last):
            return "区间倒序：先写较早的日期，如 \(last)..\(first)"
                + " (the range runs backwards; write the earlier date first: \(last)..\(first))"
        case .dateListedTwice(let date, let first):
            return "\(date) 已列于 \(first)；每个日期只能列一次"
                + " (\(date) is already listed under \(first); list each date once)"
        case .makeupOnWeekday(let date):
            let w = date.weekday
            return "\(date) 是\(Self.chineseWeekdays[w - 1])；调休上班日须为星期六或星期日（工作日本来就上班）"
                + " (\(date) is a \(Self.englishWeekdays[w - 1]); a makeup workday must be a Saturday or Sunday)"
        case .makeupIsHoliday(let date, let holiday):
            return "\(date) 同时是 \(holiday) 的放假日期；一天不能既放假又调休上班"
                + " (\(date) is also a day off of \(holiday); a day cannot be both a day off and a makeup workday)"
        }
    }

    static let chineseWeekdays = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
    static let englishWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December"]
}

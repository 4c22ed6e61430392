import Foundation
import Yams

/// Loads a scenario YAML (DATA.md §3), all-or-nothing, with every problem located by key path
/// and line. Unknown keys are errors: a misspelt policy number must not silently fall back to
/// its default.
public enum ScenarioLoader {
    /// - Parameter city: the city folder's year, seed and ledger (DATA.md §7), which a scenario
    ///   inside it may leave out; nil for a scenario of its own.
    public static func load(path: String, city: CityDefaults? = nil) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError.unreadable(file: path, reason: "场景文件不存在或无法读取 (scenario file not found or unreadable)")
        }
        let text = try utf8Text(data, file: path)
        let folder = PathText.parent(path)
        var s = try parse(yaml: text, file: path, folder: folder, city: city)
        s.source = path
        try checkPaths(yaml: text, file: path, scenario: s)
        return s
    }

    /// The text of a YAML file; bytes that are not UTF-8 are an error naming their lines and
    /// showing the bytes, and so are characters YAML itself refuses (NUL, other C0 controls).
    static func utf8Text(_ data: Data, file: String) throws -> String {
        let bytes = [UInt8](data)
        let bad = CSVTable.invalidUTF8Lines(bytes)
        if !bad.isEmpty {
            throw InputError.problems(bad.map { line, _, hex in
                InputProblem(file: file, row: line, column: YAMLKeyPath.at(line: line, in: String(decoding: bytes, as: UTF8.self)
                                 .split(separator: "\n", omittingEmptySubsequences: false)),
                             value: hex, message: "不是UTF-8编码的文字 (bytes that are not UTF-8 text: save the file as UTF-8)")
            })
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var problems: [InputProblem] = []
        for (i, l) in lines.enumerated() where InputText.forbidden(in: String(l)) != nil {
            problems.append(InputProblem(file: file, row: i + 1, column: YAMLKeyPath.at(line: i + 1, in: lines), value: String(l),
                                         message: InputText.forbiddenProblem(in: String(l)) ?? ""))
            if problems.count >= 20 { break }
        }
        if !problems.isEmpty { throw InputError.problems(problems) }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw InputError.problem(file: file, row: 1, value: "", "文件为空 (the file is empty)")
        }
        return text
    }

    /// The files a scenario names and be files: an error names the key, its line and
    /// the path as written, not a file the user never typed.
    static func checkPaths(yaml: String, file: String, scenario s: Scenario) throws {
        guard let root = try? Yams.compose(yaml: yaml.hasPrefix("\u{FEFF}") ? String(yaml.dropFirst()) : yaml), let top = root.mapping else { return }
        var problems: [InputProblem] = []
        for (key, path) in [("ledger", s.ledgerPath), ("staff", s.staffPath), ("experts", s.expertsPath), ("calendar", s.calendarPath)] {
            // Only the keys this file states (a variant restates `calendar` alone).
            guard let node = top[Node(key)], let path, !path.contains("://"), !path.hasPrefix("sqlite:") else { continue }
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            guard !exists || isDir.boolValue else { continue }
            problems.append(InputProblem(file: file, row: node.mark?.line, column: key, value: node.scalar?.string ?? path,
                message: exists ? "是目录而不是文件 (\(path) is a folder, not a file)"
                                : "文件不存在：\(path) (file not found; paths are relative to the scenario file's folder)"))
        }
        if !problems.isEmpty { throw InputError.problems(problems) }
    }

    /// A YAML syntax error as a problem: the line and column the parser stopped at, the key
    /// path of the line (as far as the indentation tells), and the text there.
    static func syntaxProblem(_ error: Error, yaml: String, file: String) -> InputError {
        var line: Int?, column: Int?, what = "\(error)"
        if let e = error as? YamlError {
            switch e {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                line = mark.line; column = mark.column; what = problem
            case let .duplicatedKeysInMapping(duplicates, context):
                line = context.mark.line; column = context.mark.column
                what = "重复的键 (duplicate key): " + duplicates.sorted().joined(separator: ", ")
            case let .reader(problem, offset, _, _):
                what = problem
                if let offset {
                    let prefix = yaml.utf8.prefix(max(0, offset))
                    line = prefix.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                }
            default: break
            }
        }
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let text = line.flatMap { $0 >= 1 && $0 <= lines.count ? String(lines[$0 - 1]) : nil }
        let key = line.flatMap { YAMLKeyPath.at(line: $0, in: lines) }
        let at = column.map { "第\($0)列处 (at column \($0)): " } ?? ""
        return InputError.problem(file: file, row: line, column: key, value: text,
                                  "YAML语法错误 (YAML syntax error): \(at)\(what)")
    }

    public static func parse(yaml: String, file: String, folder: String = ".", city: CityDefaults? = nil) throws -> Scenario {
        let root: Node?
        let yaml = yaml.hasPrefix("\u{FEFF}") ? String(yaml.dropFirst()) : yaml
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw syntaxProblem(error, yaml: yaml, file: file)
        }
        var y = YAMLReader(file: file)
        guard let root, let top = y.mapping(root, "") else {
            throw InputError.problems(y.problems.isEmpty ? [InputProblem(file: file, row: 1, value: "", message: "场景文件为空 (empty scenario)")] : y.problems)
        }
        y.allow(top, "", ["year", "authority", "ledger", "staff", "experts", "seed", "calendar", "workdays",
                          "policy", "effort", "campaigns", "delegate", "joint", "draw_weights"])
        let year = y.int(top["year"], "year", required: city == nil, in: 2000...2100, parent: top) ?? city?.year ?? 2000
        if let city, year != city.year, let node = top["year"] {
            y.fail("year", node.mark, YAMLReader.shown(node), "与city.yaml的年度\(city.year)不同；全市运行的场景可省略year (differs from city.yaml's year \(city.year): leave `year` out of a scenario in a city folder)")
        }
        var authority = Authority(name: "", level: .district)
        if let a = y.mapping(top["authority"], "authority", required: true, parent: top) {
            y.allow(a, "authority", ["name", "level", "district", "town", "zone"])
            authority.level = y.term(a["level"], "authority.level", AuthorityLevel.self, required: true, parent: a) ?? .district
            let limit = YAMLReader.nameLimit
            authority.district = y.string(a["district"], "authority.district", maxLength: limit)
            authority.town = y.string(a["town"], "authority.town", maxLength: limit)
            authority.zone = y.string(a["zone"], "authority.zone", maxLength: limit)
            authority.name = y.string(a["name"], "authority.name", maxLength: limit) ?? AuthorityNames.name(level: authority.level,
                district: authority.district, town: authority.town, zone: authority.zone)
            if authority.level != .city && authority.district == nil {
                y.fail("authority.district", a.mark, nil, "区级、街镇和功能区主体须写明所属区 (district is required for district, town and zone levels)")
            }
            if authority.level == .town && authority.town == nil {
                y.fail("authority.town", a.mark, nil, "街镇主体须写明街镇名称 (town is required for the town level)")
            }
            if authority.level == .zone && authority.zone == nil {
                y.fail("authority.zone", a.mark, nil, "功能区主体须写明功能区名称 (zone is required for the zone level)")
            }
        }
        var s = Scenario(year: year, authority: authority)
        for (k, _) in top { if let key = k.string, let line = k.mark?.line { s.keyLines[key] = line } }
        if let city { s.seed = city.seed }
        applySections(top, to: &s, reader: &y, folder: folder)
        if let city {
            if let stated = s.ledgerPath, PathText.standard(stated) != PathText.standard(city.ledger), let node = top["ledger"] {
                y.fail("ledger", node.mark, YAMLReader.shown(node), "全市运行只读city.yaml指定的统一台账\(city.ledger)；请删去场景中的ledger (a city run reads the one ledger city.yaml names: leave `ledger` out of the scenario)")
            }
            s.ledgerPath = city.ledger
        }
        guard y.problems.isEmpty else { throw InputError.problems(y.problems) }
        return s
    }

    /// The optional sections of a scenario, applied onto `s`: shared by scenarios and by
    /// what-if variants, which restate only the sections they change.
    static func applySections(_ top: Node.Mapping, to s: inout Scenario, reader y: inout YAMLReader, folder: String) {
        func path(_ key: String) -> String? {
            guard let p = y.string(top["\(key)"], key) else { return nil }
            return p.hasPrefix("/") ? p : (folder as NSString).appendingPathComponent(p)
        }
        if let p = y.string(top["ledger"], "ledger") { s.ledgerPath = PathText.resolveLedger(p, folder: folder) }
        if let p = path("staff") { s.staffPath = p }
        if let p = path("experts") { s.expertsPath = p }
        if let p = path("calendar") { s.calendarPath = p }
        if let seed = y.int(top["seed"], "seed", in: 0...Int.max) { s.seed = UInt64(seed) }
        if let w = y.mapping(top["workdays"], "workdays") {
            y.allow(w, "workdays", ["other_enforcement", "non_enforcement", "other_enforcement_per_officer", "non_enforcement_per_officer"])
            if w["other_enforcement"] != nil { s.workdays.otherEnforcement = y.deductions(w["other_enforcement"], "workdays.other_enforcement") }
            if w["non_enforcement"] != nil { s.workdays.nonEnforcement = y.deductions(w["non_enforcement"], "workdays.non_enforcement") }
            // Per officer: at most a year's days each (the calendar decides later whether any are left).
            if w["other_enforcement_per_officer"] != nil {
                s.workdays.otherEnforcementPerOfficer = y.deductions(w["other_enforcement_per_officer"], "workdays.other_enforcement_per_officer", max: 366)
            }
            if w["non_enforcement_per_officer"] != nil {
                s.workdays.nonEnforcementPerOfficer = y.deductions(w["non_enforcement_per_officer"], "workdays.non_enforcement_per_officer", max: 366)
            }
            let perOfficer = s.workdays.perOfficer
            if perOfficer > 366 {
                y.fail("workdays", w.mark, String(perOfficer),
                       "每人扣除的其他执法与非执法工作日合计超过一年的天数 (per-officer deductions add up to more than a year)")
            }
        }
        if let p = y.mapping(top["policy"], "policy") {
            y.allow(p, "policy", ["key_share_min", "visits_per_workday_min", "general_sample_rate", "max_visits_per_unit",
                                  "increased_visits", "reserve_share", "monthly_tolerance"])
            // The thresholds of 五(十二) are floors (RULES.md §7.11): stricter is allowed, laxer is not.
            let shareFloor = PolicyParameters.keyShareFloor
            if let v = y.double(p["key_share_min"], "policy.key_share_min", in: 0...1) {
                if v < shareFloor - 1e-12 {
                    y.fail("policy.key_share_min", p["key_share_min"]?.mark, p["key_share_min"]?.scalar?.string,
                           "低于政策底线\(num(shareFloor))（五(十二)重点检查工作量占比不少于60%）：场景只可从严 (below the policy floor \(num(shareFloor)); a scenario may only be stricter)")
                } else { s.policy.keyShareMin = v }
            }
            let ratioFloor = PolicyParameters.visitsPerWorkdayFloor(s.authority.level)
            if let v = y.double(p["visits_per_workday_min"], "policy.visits_per_workday_min", in: 0...100) {
                if v < ratioFloor - 1e-12 {
                    y.fail("policy.visits_per_workday_min", p["visits_per_workday_min"]?.mark, p["visits_per_workday_min"]?.scalar?.string,
                           "低于政策底线\(num(ratioFloor))（五(十二)：\(s.authority.level == .city || s.authority.level == .district ? "市、区应急管理部门执法总家次与监督检查工作日之比不得小于0.75" : "乡镇、街道、功能区监督检查总家次与监督检查工作日之比不得小于1")）：场景只可从严 (below the policy floor \(num(ratioFloor)) for this level; a scenario may only be stricter)")
                } else { s.policy.visitsPerWorkdayMin = v }
            }
            if let v = y.double(p["general_sample_rate"], "policy.general_sample_rate", in: 0...1) { s.policy.generalSampleRate = v }
            if let v = y.int(p["max_visits_per_unit"], "policy.max_visits_per_unit", in: 1...12) { s.policy.maxVisitsPerUnit = v }
            if let v = y.int(p["increased_visits"], "policy.increased_visits", in: 1...12) { s.policy.increasedVisits = v }
            if let v = y.double(p["reserve_share"], "policy.reserve_share", in: 0...0.9) { s.policy.reserveShare = v }
            if let v = y.double(p["monthly_tolerance"], "policy.monthly_tolerance", in: 0...1) { s.policy.monthlyTolerance = v }
        }
        if let e = y.mapping(top["effort"], "effort") {
            y.allow(e, "effort", ["key", "general", "special"])
            if let v = y.double(e["key"], "effort.key", in: 0.01...10) { s.effort.key = v }
            if let v = y.double(e["general"], "effort.general", in: 0.01...10) { s.effort.general = v }
            if let v = y.double(e["special"], "effort.special", in: 0.01...10) { s.effort.special = v }
        }
        if let list = y.sequence(top["campaigns"], "campaigns") {
            s.campaigns = []
            var firstNamed: [String: (index: Int, line: Int?)] = [:]
            for (i, node) in list.enumerated() {
                let at = "campaigns[\(i + 1)]"
                guard let c = y.mapping(node, at) else { continue }
                y.allow(c, at, ["name", "months", "match", "visits"])
                let name = y.string(c["name"], "\(at).name", required: true, parent: c, maxLength: YAMLReader.nameLimit) ?? ""
                if !name.isEmpty {
                    // Reports, plan.json and the verifier tell campaigns apart by name.
                    if let first = firstNamed[name] {
                        y.fail("\(at).name", c["name"]?.mark, name,
                               "与 campaigns[\(first.index)]\(first.line.map { "（第\($0)行）" } ?? "")重名：专项执法名称不能重复"
                               + " (same name as campaigns[\(first.index)]\(first.line.map { " on line \($0)" } ?? ""): campaign names must differ)")
                    } else { firstNamed[name] = (i + 1, c["name"]?.mark?.line) }
                }
                let months = y.months(c["months"], "\(at).months", required: true, parent: c)
                var match: [FieldMatch] = []
                if let m = y.mapping(c["match"], "\(at).match") {
                    for (k, v) in m {
                        let key = k.string ?? ""
                        guard let values = y.matchValues(v, "\(at).match.\(key)") else { continue }
                        switch FieldMatch.make(field: key, values: values) {
                        case .success(let fm): match.append(fm)
                        case .failure(let p): y.fail("\(at).match.\(key)", v.mark, values.joined(separator: ","), p.message)
                        }
                    }
                }
                let visits = y.int(c["visits"], "\(at).visits", in: 0...1_000_000) ?? 0
                s.campaigns.append(Campaign(name: name, months: months, match: match, visits: visits))
            }
        }
        if let j = y.mapping(top["joint"], "joint") {
            y.allow(j, "joint", ["visits", "months"])
            if let v = y.int(j["visits"], "joint.visits", in: 0...100_000) { s.joint.visits = v }
            if j["months"] != nil { s.joint.months = y.months(j["months"], "joint.months", required: false, allowEmpty: true) }
        }
        if let w = y.mapping(top["draw_weights"], "draw_weights") {
            y.allow(w, "draw_weights", ["standardisation", "safety_culture", "liability_insurance", "penalties", "accident_or_blacklist"])
            if let v = y.double(w["standardisation"], "draw_weights.standardisation", in: 0.01...100) { s.drawWeights.standardisation = v }
            if let v = y.double(w["safety_culture"], "draw_weights.safety_culture", in: 0.01...100) { s.drawWeights.safetyCulture = v }
            if let v = y.double(w["liability_insurance"], "draw_weights.liability_insurance", in: 0.01...100) { s.drawWeights.liabilityInsurance = v }
            if let v = y.double(w["penalties"], "draw_weights.penalties", in: 0.01...100) { s.drawWeights.penalties = v }
            if let v = y.double(w["accident_or_blacklist"], "draw_weights.accident_or_blacklist", in: 0.01...100) { s.drawWeights.accidentOrBlacklist = v }
            // A unit may meet every condition at once: its weight is the product of all the
            // factors below 1, kept to 6 decimals (plan.json's draw_weight). Below 0.000001 it
            // would round to 0, which no draw accepts.
            let d = s.drawWeights
            let lowest = [d.standardisation, d.safetyCulture, d.liabilityInsurance, d.penalties, d.accidentOrBlacklist]
                .reduce(1.0) { $0 * min(1, $1) }
            if lowest < 1e-6 * (1 - 1e-9) {
                y.fail("draw_weights", w.mark, String(format: "%.3g", lowest),
                       "各系数中小于1者连乘为\(String(format: "%.3g", lowest))：同时符合这些条件的单位抽取权重（保留6位小数）将为0；连乘须不小于0.000001"
                       + " (the factors below 1 multiply to \(String(format: "%.3g", lowest)): a unit meeting all of them would have a draw weight of 0 at 6 decimals; the product must be at least 0.000001)")
            }
        }
        if let d = y.mapping(top["delegate"], "delegate") {
            y.allow(d, "delegate", ["towns", "zones", "zone_key_units"])
            s.delegation.towns = y.selection(d["towns"], "delegate.towns")
            s.delegation.zones = y.selection(d["zones"], "delegate.zones")
            if let v = y.bool(d["zone_key_units"], "delegate.zone_key_units") { s.delegation.zoneKeyUnits = v }
        }
    }
}

/// Default names of enforcing bodies, as Shanghai writes them.
public enum AuthorityNames {
    public static let city = "上海市应急管理局"
    /// The level above the city bureau (PLAN-ANNUAL: the city plan is filed with it).
    public static let ministry = "应急管理部"

    public static func name(level: AuthorityLevel, district: String?, town: String?, zone: String?) -> String {
        switch level {
        case .city: return city
        case .district: return "\(district ?? "")应急管理局"
        case .town:
            let t = town ?? ""
            return t.hasSuffix("街道") ? "\(t)办事处" : "\(t)人民政府"
        case .zone: return "\(zone ?? "")管理委员会"
        }
    }
}

/// Typed reads from a YAML node tree that record problems with key path and line.
struct YAMLReader {
    let file: String
    var problems: [InputProblem] = []

    mutating func fail(_ path: String, _ mark: Mark?, _ value: String?, _ message: String) {
        problems.append(InputProblem(file: file, row: mark?.line, column: path.isEmpty ? nil : path, value: value, message: message))
    }

    /// A required key is missing: the problem is placed on the line of the mapping that lacks it.
    mutating func missing(_ path: String, _ parent: Node.Mapping?) {
        fail(path, parent?.mark, "", "缺少必填项 (required key is missing)")
    }

    /// How a node is shown in a message: a scalar as written, a list or mapping in flow style.
    /// At most 64 nodes are shown, so that an alias bomb (a list of lists of aliases) costs nothing.
    static func shown(_ node: Node) -> String {
        var budget = 64
        func show(_ n: Node) -> String {
            budget -= 1
            if let s = n.scalar?.string { return s }
            guard budget > 0 else { return "…" }
            if let list = n.sequence {
                var parts: [String] = []
                for item in list { guard budget > 0 else { parts.append("…"); break }; parts.append(show(item)) }
                return "[" + parts.joined(separator: ", ") + "]"
            }
            if let map = n.mapping {
                var parts: [String] = []
                for (k, v) in map { guard budget > 0 else { parts.append("…"); break }; parts.append("\(show(k)): \(show(v))") }
                return "{" + parts.joined(separator: ", ") + "}"
            }
            return ""
        }
        return show(node)
    }

    mutating func mapping(_ node: Node?, _ path: String, required: Bool = false, parent: Node.Mapping? = nil) -> Node.Mapping? {
        guard let node else { if required { missing(path, parent) }; return nil }
        if let m = node.mapping { return m }
        fail(path, node.mark, Self.shown(node), "应为键值映射 (expected a mapping of keys to values)")
        return nil
    }

    mutating func sequence(_ node: Node?, _ path: String, required: Bool = false, parent: Node.Mapping? = nil) -> [Node]? {
        guard let node else { if required { missing(path, parent) }; return nil }
        if let s = node.sequence { return Array(s) }
        fail(path, node.mark, Self.shown(node), "应为列表 (expected a list)")
        return nil
    }

    /// A list of months 1–12, each at most once; at least one unless `allowEmpty`.
    mutating func months(_ node: Node?, _ path: String, required: Bool, allowEmpty: Bool = false, parent: Node.Mapping? = nil) -> [Int] {
        guard let ms = sequence(node, path, required: required, parent: parent) else { return [] }
        var months: [Int] = []
        for (i, m) in ms.enumerated() {
            guard let v = int(m, path, in: 1...12) else { continue }
            if months.contains(v) {
                // A month twice would be a duplicate tuple in the model's data (a GLPK error).
                fail(path, m.mark, String(v), "第\(i + 1)项：月份\(v)重复，每个月份只能写一次 (item \(i + 1): month \(v) is listed twice)")
            } else { months.append(v) }
        }
        if ms.isEmpty && !allowEmpty { fail(path, node?.mark, "[]", "至少需要一个月份 (at least one month, 1-12)") }
        return months
    }

    /// The values of a campaign's `match` condition: a scalar or a non-empty list of scalars.
    mutating func matchValues(_ node: Node, _ path: String) -> [String]? {
        if let s = node.scalar?.string { return [s] }
        guard let list = node.sequence else {
            fail(path, node.mark, Self.shown(node), "应为一个取值或取值列表 (expected a value or a list of values)")
            return nil
        }
        if list.isEmpty {
            fail(path, node.mark, "[]", "取值列表为空，不会匹配任何单位 (an empty list matches no unit)")
            return nil
        }
        var out: [String] = []
        for (i, v) in list.enumerated() {
            guard let s = v.scalar?.string else {
                fail("\(path)[\(i)]", v.mark, Self.shown(v), "应为单个取值 (expected a single value)")
                return nil
            }
            if let p = InputText.forbiddenProblem(in: s) { fail("\(path)[\(i)]", v.mark, s, p); return nil }
            out.append(s)
        }
        return out
    }

    mutating func allow(_ m: Node.Mapping, _ path: String, _ keys: Set<String>) {
        for (k, _) in m {
            let key = k.string ?? ""
            if !keys.contains(key) {
                fail(path.isEmpty ? key : "\(path).\(key)", k.mark, key,
                     "未知的键；可用：\(keys.sorted().joined(separator: ", ")) (unknown key)")
            }
        }
    }

    /// The longest name (authority, campaign, deduction category) a scenario may give: names
    /// head table rows and sheets, not paragraphs.
    static let nameLimit = 200

    mutating func string(_ node: Node?, _ path: String, required: Bool = false, parent: Node.Mapping? = nil,
                         maxLength: Int = 4096) -> String? {
        guard let node else { if required { missing(path, parent) }; return nil }
        guard let s = node.scalar?.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(path, node.mark, Self.shown(node), "应为非空文本 (expected non-empty text)")
            return nil
        }
        if let p = InputText.forbiddenProblem(in: s) { fail(path, node.mark, s, p); return nil }
        if s.count > maxLength {
            fail(path, node.mark, s, "文字过长：\(s.count)个字符，至多\(maxLength)个 (text too long: \(s.count) characters, at most \(maxLength))")
            return nil
        }
        return s.trimmingCharacters(in: .whitespaces)
    }

    /// A whole number in decimal (YAML's `1_000` allowed); hexadecimal, octal and fractions are not.
    mutating func int(_ node: Node?, _ path: String, required: Bool = false, in range: ClosedRange<Int>, parent: Node.Mapping? = nil) -> Int? {
        guard let node else { if required { missing(path, parent) }; return nil }
        guard let raw = node.scalar?.string, let v = StrictNumber.integer(raw.replacingOccurrences(of: "_", with: "")), range.contains(v) else {
            fail(path, node.mark, Self.shown(node), "应为 \(range.lowerBound)…\(range.upperBound) 之间的十进制整数 (expected a whole decimal number in \(range))")
            return nil
        }
        return v
    }

    /// A decimal number: hexadecimal floats (`0x1p4`), `.nan`, `.inf` and values past `Double`
    /// are not numbers a scenario means.
    mutating func double(_ node: Node?, _ path: String, in range: ClosedRange<Double>) -> Double? {
        guard let node else { return nil }
        guard let raw = node.scalar?.string, let v = StrictNumber.decimal(raw.replacingOccurrences(of: "_", with: "")), range.contains(v) else {
            fail(path, node.mark, Self.shown(node), "应为 \(num(range.lowerBound))…\(num(range.upperBound)) 之间的十进制数 (expected a decimal number in \(num(range.lowerBound))…\(num(range.upperBound)))")
            return nil
        }
        return v
    }

    mutating func term<T: LedgerTerm>(_ node: Node?, _ path: String, _: T.Type, required: Bool = false, parent: Node.Mapping? = nil) -> T? {
        guard let s = string(node, path, required: required, parent: parent) else { return nil }
        if let v = T(term: s) { return v }
        fail(path, node?.mark, s, "不是可用的取值；可用：\(T.validList) (unknown value)")
        return nil
    }

    /// A number of person-days, or a map from category name to person-days (order kept).
    mutating func deductions(_ node: Node?, _ path: String, max: Double = 10_000_000) -> [WorkdayItem] {
        guard let node else { return [] }
        if let m = node.mapping {
            var out: [WorkdayItem] = []
            for (k, v) in m {
                guard let name = string(k, "\(path).<键 key>", maxLength: YAMLReader.nameLimit) else { continue }
                if let d = double(v, "\(path).\(name)", in: 0...max) { out.append(WorkdayItem(name: name, days: d)) }
            }
            let total = out.reduce(0) { $0 + $1.days }
            if total > max {
                fail(path, node.mark, num(total), "各项合计超过上限\(num(max)) (the items add up to more than \(num(max)))")
                return []
            }
            return out
        }
        if let d = double(node, path, in: 0...max) { return [WorkdayItem(name: nil, days: d)] }
        return []
    }

    /// A yes/no value, as the ledger's columns take it (是/否, yes/no, true/false, 1/0).
    mutating func bool(_ node: Node?, _ path: String) -> Bool? {
        guard let node else { return nil }
        // YAML reads `yes` as a plain string here: take the words the ledger takes.
        if let t = node.scalar?.string, let b = RowReader.boolWords[t.lowercased()] { return b }
        fail(path, node.mark, Self.shown(node), "应为 是/否、yes/no、true/false 或 1/0 (expected a yes/no value)")
        return nil
    }

    /// `all`, `none`, or a list of names.
    mutating func selection(_ node: Node?, _ path: String) -> Delegation.Selection {
        guard let node else { return .none }
        if let s = node.sequence {
            var names = Set<String>()
            for (i, n) in s.enumerated() { if let name = string(n, "\(path)[\(i)]") { names.insert(name) } }
            return .only(names)
        }
        switch node.string?.lowercased() {
        case "all", "全部": return .all
        case "none", "无", "": return .none
        default:
            fail(path, node.mark, Self.shown(node), "应为 all、none 或名称列表 (expected all, none or a list of names)")
            return .none
        }
    }
}

/// A what-if variant (`planner whatif --variant FILE.yaml`): a name, a staffing change and any
/// scenario sections to restate (policy, effort, workdays, campaigns, joint, draw_weights,
/// delegate, calendar). Paths are relative to the variant file.
///
/// ```yaml
/// name: 7月起减少3名执法人员
/// staff_delta: -3            # full-time certified officers added (+) or removed (−)
/// staff_from: 2027-07-01     # when the change takes effect (default: 1 January)
/// policy: { general_sample_rate: 0.03 }
/// ```
public struct Variant: Sendable {
    public var name: String
    public var staffDelta: Int = 0
    public var staffFrom: CivilDate?
    public var scenario: Scenario

    public init(name: String, scenario: Scenario, staffDelta: Int = 0, staffFrom: CivilDate? = nil) {
        self.name = name; self.scenario = scenario; self.staffDelta = staffDelta; self.staffFrom = staffFrom
    }
}

extension ScenarioLoader {
    static let variantKeys: Set<String> = ["name", "staff_delta", "staff_from", "workdays", "policy", "effort", "campaigns",
                                           "joint", "draw_weights", "delegate", "calendar"]

    /// Applies a variant file onto `base`, all-or-nothing, with problems located in the variant file.
    public static func variant(path: String, base: Scenario) throws -> Variant {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError.unreadable(file: path, reason: "变体文件不存在或无法读取 (variant file not found or unreadable)")
        }
        let text = try utf8Text(data, file: path)
        let root: Node?
        let yaml = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw syntaxProblem(error, yaml: yaml, file: path)
        }
        var y = YAMLReader(file: path)
        guard let root, let top = y.mapping(root, "") else { throw InputError.problem(file: path, row: 1, value: "", "变体文件为空 (empty variant)") }
        y.allow(top, "", variantKeys)
        var s = base
        applySections(top, to: &s, reader: &y, folder: PathText.parent(path))
        var v = Variant(name: y.string(top["name"], "name", maxLength: YAMLReader.nameLimit) ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension, scenario: s)
        if let d = y.int(top["staff_delta"], "staff_delta", in: -10_000...10_000) { v.staffDelta = d }
        if let f = y.string(top["staff_from"], "staff_from") {
            if let d = CivilDate(f), d.year == base.year { v.staffFrom = d }
            else { y.fail("staff_from", top["staff_from"]?.mark, f, "应为计划年度\(base.year)内的日期 YYYY-MM-DD (a date within the plan year)") }
        }
        guard y.problems.isEmpty else { throw InputError.problems(y.problems) }
        try checkPaths(yaml: yaml, file: path, scenario: v.scenario)
        return v
    }
}

/// A number as a person writes it: no trailing zeros.
func num(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }

/// The key path of a line of block-style YAML, as far as its indentation tells (`a.b.c`, lists
/// as `[n]` counted from 1): for messages about text the parser could not read.
enum YAMLKeyPath {
    static func at(line: Int, in lines: [Substring]) -> String? {
        guard line >= 1, line <= lines.count else { return nil }
        /// Indentation, whether the line is a list item (`- `), and its key if it has one.
        func parse(_ l: Substring) -> (indent: Int, item: Bool, key: String?)? {
            let n = l.prefix { $0 == " " }.count
            var t = l.dropFirst(n)
            guard !t.isEmpty, !t.hasPrefix("#") else { return nil }
            let item = t.hasPrefix("- ") || t == "-"
            if item { t = t.dropFirst(1).drop { $0 == " " } }
            guard let colon = t.firstIndex(of: ":") else { return (n, item, nil) }
            let k = t[..<colon].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            let plain = !k.isEmpty && !k.contains(" ") && !k.hasPrefix("[") && !k.hasPrefix("{")
            return (n, item, plain ? k : nil)
        }
        // Walking up: a key less indented than the path so far is its parent; a list item
        // marker less indented is the item (counted from 1) holding it.
        var path: [String] = []
        var limit = Int.max
        var i = line - 1
        while i >= 0 && limit > 0 {
            defer { i -= 1 }
            guard let (n, item, key) = parse(lines[i]) else { continue }
            let keyIndent = item ? n + 2 : n
            if let key, keyIndent < limit { path.insert(key, at: 0); limit = keyIndent }
            if item && n < limit {
                var index = 1, j = i - 1
                while j >= 0 {
                    if let (m, isItem, _) = parse(lines[j]) {
                        if m < n { break }
                        if m == n && isItem { index += 1 }
                    }
                    j -= 1
                }
                path.insert("[\(index)]", at: 0)
                limit = n
            } else if key == nil && n < limit && i != line - 1 {
                limit = n
            }
        }
        guard !path.isEmpty else { return nil }
        return path.reduce("") { $0.isEmpty || $1.hasPrefix("[") ? $0 + $1 : $0 + "." + $1 }
    }
}

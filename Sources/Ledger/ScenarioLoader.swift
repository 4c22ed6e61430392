import Foundation
import Yams

/// Loads a scenario YAML (DATA.md §3), all-or-nothing, with every problem located by key path
/// and line. Unknown keys are errors: a misspelt policy number must not silently fall back to
/// its default.
public enum ScenarioLoader {
    public static func load(path: String) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError.unreadable(file: path, reason: "场景文件不存在或无法读取 (scenario file not found or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError.unreadable(file: path, reason: "不是UTF-8编码 (not UTF-8)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        var s = try parse(yaml: text, file: path, folder: folder)
        s.source = path
        return s
    }

    public static func parse(yaml: String, file: String, folder: String = ".") throws -> Scenario {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw InputError.unreadable(file: file, reason: "YAML语法错误 (YAML syntax error): \(error)")
        }
        var y = YAMLReader(file: file)
        guard let root, let top = y.mapping(root, "") else {
            throw InputError.problems(y.problems.isEmpty ? [InputProblem(file: file, message: "场景文件为空 (empty scenario)")] : y.problems)
        }
        y.allow(top, "", ["year", "authority", "ledger", "staff", "experts", "seed", "calendar", "workdays",
                          "policy", "effort", "campaigns", "delegate", "joint", "draw_weights"])
        let year = y.int(top["year"], "year", required: true, in: 2000...2100) ?? 2000
        var authority = Authority(name: "", level: .district)
        if let a = y.mapping(top["authority"], "authority", required: true) {
            y.allow(a, "authority", ["name", "level", "district", "town", "zone"])
            authority.level = y.term(a["level"], "authority.level", AuthorityLevel.self, required: true) ?? .district
            authority.district = y.string(a["district"], "authority.district")
            authority.town = y.string(a["town"], "authority.town")
            authority.zone = y.string(a["zone"], "authority.zone")
            authority.name = y.string(a["name"], "authority.name") ?? AuthorityNames.name(level: authority.level,
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
        applySections(top, to: &s, reader: &y, folder: folder)
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
        if let p = path("ledger") { s.ledgerPath = p }
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
            for (i, node) in list.enumerated() {
                let at = "campaigns[\(i + 1)]"
                guard let c = y.mapping(node, at) else { continue }
                y.allow(c, at, ["name", "months", "match", "visits"])
                let name = y.string(c["name"], "\(at).name", required: true) ?? ""
                var months: [Int] = []
                if let ms = y.sequence(c["months"], "\(at).months", required: true) {
                    for m in ms { if let v = y.int(m, "\(at).months", in: 1...12) { months.append(v) } }
                    if ms.isEmpty { y.fail("\(at).months", c.mark, nil, "至少需要一个月份 (at least one month, 1-12)") }
                }
                var match: [FieldMatch] = []
                if let m = y.mapping(c["match"], "\(at).match") {
                    for (k, v) in m {
                        let key = k.string ?? ""
                        let values: [String] = v.sequence.map { $0.compactMap { $0.string } } ?? [v.string ?? ""]
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
            if let ms = y.sequence(j["months"], "joint.months") {
                s.joint.months = ms.compactMap { y.int($0, "joint.months", in: 1...12) }
            }
        }
        if let w = y.mapping(top["draw_weights"], "draw_weights") {
            y.allow(w, "draw_weights", ["standardisation", "safety_culture", "liability_insurance", "penalties", "accident_or_blacklist"])
            if let v = y.double(w["standardisation"], "draw_weights.standardisation", in: 0.01...100) { s.drawWeights.standardisation = v }
            if let v = y.double(w["safety_culture"], "draw_weights.safety_culture", in: 0.01...100) { s.drawWeights.safetyCulture = v }
            if let v = y.double(w["liability_insurance"], "draw_weights.liability_insurance", in: 0.01...100) { s.drawWeights.liabilityInsurance = v }
            if let v = y.double(w["penalties"], "draw_weights.penalties", in: 0.01...100) { s.drawWeights.penalties = v }
            if let v = y.double(w["accident_or_blacklist"], "draw_weights.accident_or_blacklist", in: 0.01...100) { s.drawWeights.accidentOrBlacklist = v }
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

    mutating func mapping(_ node: Node?, _ path: String, required: Bool = false) -> Node.Mapping? {
        guard let node else { if required { fail(path, nil, nil, "缺少必填项 (required key is missing)") }; return nil }
        if let m = node.mapping { return m }
        fail(path, node.mark, node.string, "应为键值映射 (expected a mapping of keys to values)")
        return nil
    }

    mutating func sequence(_ node: Node?, _ path: String, required: Bool = false) -> [Node]? {
        guard let node else { if required { fail(path, nil, nil, "缺少必填项 (required key is missing)") }; return nil }
        if let s = node.sequence { return Array(s) }
        fail(path, node.mark, node.string, "应为列表 (expected a list)")
        return nil
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

    mutating func string(_ node: Node?, _ path: String, required: Bool = false) -> String? {
        guard let node else { if required { fail(path, nil, nil, "缺少必填项 (required key is missing)") }; return nil }
        guard let s = node.scalar?.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(path, node.mark, nil, "应为非空文本 (expected non-empty text)")
            return nil
        }
        return s.trimmingCharacters(in: .whitespaces)
    }

    mutating func int(_ node: Node?, _ path: String, required: Bool = false, in range: ClosedRange<Int>) -> Int? {
        guard let node else { if required { fail(path, nil, nil, "缺少必填项 (required key is missing)") }; return nil }
        guard let raw = node.scalar?.string, let v = Int(raw.replacingOccurrences(of: "_", with: "")), range.contains(v) else {
            fail(path, node.mark, node.scalar?.string, "应为 \(range.lowerBound)…\(range.upperBound) 之间的整数 (expected a whole number in \(range))")
            return nil
        }
        return v
    }

    mutating func double(_ node: Node?, _ path: String, in range: ClosedRange<Double>) -> Double? {
        guard let node else { return nil }
        guard let raw = node.scalar?.string, let v = Double(raw.replacingOccurrences(of: "_", with: "")), range.contains(v) else {
            fail(path, node.mark, node.scalar?.string, "应为 \(range.lowerBound)…\(range.upperBound) 之间的数 (expected a number in \(range))")
            return nil
        }
        return v
    }

    mutating func term<T: LedgerTerm>(_ node: Node?, _ path: String, _: T.Type, required: Bool = false) -> T? {
        guard let s = string(node, path, required: required) else { return nil }
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
                let name = k.string ?? ""
                if let d = double(v, "\(path).\(name)", in: 0...max) { out.append(WorkdayItem(name: name, days: d)) }
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
        fail(path, node.mark, node.scalar?.string, "应为 是/否、yes/no、true/false 或 1/0 (expected a yes/no value)")
        return nil
    }

    /// `all`, `none`, or a list of names.
    mutating func selection(_ node: Node?, _ path: String) -> Delegation.Selection {
        guard let node else { return .none }
        if let s = node.sequence { return .only(Set(s.compactMap { $0.string })) }
        switch node.string?.lowercased() {
        case "all", "全部": return .all
        case "none", "无", "": return .none
        default:
            fail(path, node.mark, node.string, "应为 all、none 或名称列表 (expected all, none or a list of names)")
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
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError.unreadable(file: path, reason: "变体文件不存在或不是UTF-8 (variant file not found or not UTF-8)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw InputError.unreadable(file: path, reason: "YAML语法错误 (YAML syntax error): \(error)")
        }
        var y = YAMLReader(file: path)
        guard let root, let top = y.mapping(root, "") else { throw InputError.problem(file: path, "变体文件为空 (empty variant)") }
        y.allow(top, "", variantKeys)
        var s = base
        applySections(top, to: &s, reader: &y, folder: (path as NSString).deletingLastPathComponent)
        var v = Variant(name: y.string(top["name"], "name") ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension, scenario: s)
        if let d = y.int(top["staff_delta"], "staff_delta", in: -10_000...10_000) { v.staffDelta = d }
        if let f = y.string(top["staff_from"], "staff_from") {
            if let d = CivilDate(f), d.year == base.year { v.staffFrom = d }
            else { y.fail("staff_from", top["staff_from"]?.mark, f, "应为计划年度\(base.year)内的日期 YYYY-MM-DD (a date within the plan year)") }
        }
        guard y.problems.isEmpty else { throw InputError.problems(y.problems) }
        return v
    }
}

/// A number as a person writes it: no trailing zeros.
func num(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }

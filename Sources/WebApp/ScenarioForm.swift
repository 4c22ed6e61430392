import Accounts
import Foundation
import Ledger
import LedgerStore

/// The scenario of a plan as the web form edits it (DATA.md §3 in fields): the year and seed,
/// the authority (its name is the account's), the workday deductions as "名称 天数" lines, the
/// campaigns as a YAML list, and the policy numbers (blank: the default, shown beside). Stored
/// as a `scenario` document of the authority and year with `scenario-form.json`, the
/// `scenario.yaml` made from it, and the staff roll (`staff.csv`, `experts.csv`).
struct ScenarioForm: Codable, Sendable, Equatable {
    var year: Int
    var seed: String
    var level: String
    var district: String
    var town: String
    var zone: String
    var otherEnforcement: String
    var nonEnforcement: String
    var campaigns: String
    /// policy key (DATA.md §3 `policy`) → the text typed; empty: the default.
    var policy: [String: String]

    static let policyKeys: [(key: String, zh: String)] = [
        ("key_share_min", "重点检查家次占比下限"), ("visits_per_workday_min", "检查家次与执法工作日之比下限"),
        ("general_sample_rate", "一般检查单位抽查比例"), ("max_visits_per_unit", "每家单位全年最多检查次数"),
        ("increased_visits", "提高频次单位的检查次数"), ("reserve_share", "预留触发式检查的工作量比例"),
        ("monthly_tolerance", "各月工作量偏离比例上限"),
    ]

    /// The defaults for an account's authority: the level and district read from its name
    /// where it follows the usual pattern (`浦东新区应急管理局`, `上海市应急管理局`).
    static func initial(for a: Account, year: Int) -> ScenarioForm {
        var f = ScenarioForm(year: year, seed: String(year * 10_000 + 101), level: "district", district: "", town: "", zone: "",
                             otherEnforcement: "", nonEnforcement: "", campaigns: "", policy: [:])
        if a.authority == AuthorityNames.city {
            f.level = "city"
        } else if a.authority.hasSuffix("应急管理局") {
            f.district = String(a.authority.dropLast("应急管理局".count))
        } else if a.authority.hasSuffix("管理委员会") {
            f.level = "zone"; f.zone = String(a.authority.dropLast("管理委员会".count))
        } else {
            f.level = "town"
            f.town = a.authority.hasSuffix("办事处") ? String(a.authority.dropLast("办事处".count))
                : a.authority.hasSuffix("人民政府") ? String(a.authority.dropLast("人民政府".count)) : ""
        }
        return f
    }

    /// The form's fields as posted.
    static func posted(_ f: [String: String], year: Int) -> ScenarioForm {
        var form = ScenarioForm(year: Int(f["year"] ?? "") ?? year, seed: f["seed"] ?? "", level: f["level"] ?? "district",
                                district: f["district"] ?? "", town: f["town"] ?? "", zone: f["zone"] ?? "",
                                otherEnforcement: f["other_enforcement"] ?? "", nonEnforcement: f["non_enforcement"] ?? "",
                                campaigns: f["campaigns"] ?? "", policy: [:])
        for (k, _) in policyKeys { form.policy[k] = (f["policy." + k] ?? "").trimmingCharacters(in: .whitespaces) }
        return form
    }

    /// A problem of a field: its label, the line (of a list field) and what is wrong.
    struct Problem: Error, Sendable { var field: String; var line: Int?; var value: String; var message: String }

    /// The scenario.yaml of the form for `authority` (its staff roll beside it when `experts`).
    func yaml(authority: String, experts: Bool) throws -> String {
        var problems: [Problem] = []
        func q(_ s: String) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: [s]), as: UTF8.self).dropFirst().dropLast().description
        }
        var out = "# 网页编制的场景（scenario-form.json 生成）\n"
        out += "year: \(year)\n"
        var a = "name: \(q(authority)), level: \(level)"
        for (k, v) in [("district", district), ("town", town), ("zone", zone)] where !v.trimmingCharacters(in: .whitespaces).isEmpty {
            a += ", \(k): \(q(v.trimmingCharacters(in: .whitespaces)))"
        }
        out += "authority: { \(a) }\n"
        // The ledger is the server's own database (the plan reads it through
        // `LedgerReader.database`); the reference only marks it as a database.
        out += "ledger: \"sqlite:台账数据库\"   # 网页服务所用的台账数据库\nstaff: staff.csv\n"
        if experts { out += "experts: experts.csv\n" }
        let seedText = seed.trimmingCharacters(in: .whitespaces)
        if !seedText.isEmpty {
            if let s = UInt64(seedText), s <= UInt64(Int.max) { out += "seed: \(s)\n" } else {
                problems.append(Problem(field: "随机种子", line: nil, value: seedText, message: "应为非负整数 (a whole number ≥ 0)"))
            }
        }
        func deductions(_ text: String, _ label: String) -> [String] {
            var lines: [String] = []
            for (i, raw) in text.components(separatedBy: .newlines).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty { continue }
                let parts = line.replacingOccurrences(of: "：", with: " ").replacingOccurrences(of: ":", with: " ")
                    .split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count >= 2, let days = Double(parts.last!), days >= 0 else {
                    problems.append(Problem(field: label, line: i + 1, value: line, message: "每行应为“名称 天数”，天数为非负数 (each line: a name, then days ≥ 0)"))
                    continue
                }
                lines.append("    \(q(parts.dropLast().joined(separator: " "))): \(days)")
            }
            return lines
        }
        let other = deductions(otherEnforcement, "其他执法工作日"), non = deductions(nonEnforcement, "非执法工作日")
        if !other.isEmpty || !non.isEmpty {
            out += "workdays:\n"
            if !other.isEmpty { out += "  other_enforcement:\n" + other.joined(separator: "\n") + "\n" }
            if !non.isEmpty { out += "  non_enforcement:\n" + non.joined(separator: "\n") + "\n" }
        }
        let stated = Self.policyKeys.compactMap { k, zh -> String? in
            guard let v = policy[k], !v.isEmpty else { return nil }
            guard Double(v) != nil else {
                problems.append(Problem(field: zh, line: nil, value: v, message: "应为数字，或留空取默认值 (a number, or blank for the default)"))
                return nil
            }
            return "  \(k): \(v)"
        }
        if !stated.isEmpty { out += "policy:\n" + stated.joined(separator: "\n") + "\n" }
        let c = campaigns.trimmingCharacters(in: .whitespacesAndNewlines)
        if !c.isEmpty {
            out += "campaigns:\n" + c.components(separatedBy: .newlines).map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        if let first = problems.first { throw ProblemList(problems: problems, first: first) }
        return out
    }

    struct ProblemList: Error, Sendable { var problems: [Problem]; var first: Problem }
}

/// The stored scenario versions of the web application (`scenario` documents).
struct ScenarioStore: Sendable {
    let store: LedgerStore

    struct Saved: Sendable {
        var documentID: Int
        var form: ScenarioForm
        var yaml: String
        var staff: Data?
        var experts: Data?
        var savedAt: String
        var savedBy: String
    }

    /// The latest saved scenario of an authority and year.
    func latest(authority: String, year: Int) throws -> Saved? {
        guard let d = try store.db.documents(authority: authority, year: year).first(where: { $0.kind == .scenario }),
              let formData = try store.db.documentFile(id: d.id, name: "scenario-form.json"),
              let form = try? JSONDecoder().decode(ScenarioForm.self, from: formData) else { return nil }
        let yaml = try store.db.documentFile(id: d.id, name: "scenario.yaml").map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Saved(documentID: d.id, form: form, yaml: yaml, staff: try store.db.documentFile(id: d.id, name: "staff.csv"),
                     experts: try store.db.documentFile(id: d.id, name: "experts.csv"), savedAt: d.createdAt, savedBy: d.createdBy)
    }

    /// Saves a new version; returns its id.
    func save(form: ScenarioForm, yaml: String, staff: Data?, experts: Data?, authority: String, by: String) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        var files: [(name: String, content: Data)] = [("scenario-form.json", try encoder.encode(form)), ("scenario.yaml", Data(yaml.utf8))]
        if let staff { files.append(("staff.csv", staff)) }
        if let experts { files.append(("experts.csv", experts)) }
        return try store.db.saveDocument(StoredDocument(kind: .scenario, authority: authority, level: form.level, year: form.year,
                                                        ledgerSeq: try store.db.lastSeq(), createdAt: LedgerClock.now(), createdBy: by),
                                         files: files)
    }
}

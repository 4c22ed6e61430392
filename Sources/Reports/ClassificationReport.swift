import Foundation
import Ledger
import Output
import Policy

/// Counts of a classified ledger: by class, by rule, by level and authority.
public struct ClassificationSummary: Sendable {
    public var year: Int
    public var total = 0
    public var byClass: [UnitClass: Int] = [:]
    /// Units for which the rule holds (a unit may count under several rules).
    public var byRule: [KeyRule: Int] = [:]
    /// Units kept general only by an exemption, by the rule set aside.
    public var exemptedByRule: [KeyRule: Int] = [:]
    public var byTier: [Tier: (key: Int, general: Int)] = [:]
    public var byAuthority: [String: (tier: Tier, key: Int, general: Int)] = [:]
    public var byCategory: [Category: (key: Int, general: Int)] = [:]
    public var exempted = 0
    public var riskDerived = 0

    public init(year: Int, units: [LedgerUnit], classifications: [Classification]) {
        self.year = year
        total = units.count
        for (u, c) in zip(units, classifications) {
            byClass[c.unitClass, default: 0] += 1
            for r in c.rules {
                if c.exempted && r.isDefault { exemptedByRule[r, default: 0] += 1 } else { byRule[r, default: 0] += 1 }
            }
            let isKey = c.unitClass == .key
            var t = byTier[c.tier] ?? (0, 0); if isKey { t.key += 1 } else { t.general += 1 }; byTier[c.tier] = t
            var a = byAuthority[c.authority] ?? (c.tier, 0, 0); if isKey { a.key += 1 } else { a.general += 1 }; byAuthority[c.authority] = a
            var k = byCategory[u.category] ?? (0, 0); if isKey { k.key += 1 } else { k.general += 1 }; byCategory[u.category] = k
            if c.exempted { exempted += 1 }
            if c.riskDerived { riskDerived += 1 }
        }
    }

    /// The printed summary, in the planner's language.
    public func render(_ lang: Lang) -> String {
        let zh = lang == .zh
        let key = byClass[.key] ?? 0, general = byClass[.general] ?? 0
        func pct(_ n: Int) -> String { total == 0 ? "0.0%" : String(format: "%.1f%%", Double(n) * 100 / Double(total)) }
        var out = zh ? "\(year)年度执法对象分类分级结果（共\(total)家）\n\n" : "Classification for \(year) (\(total) units)\n\n"

        var t = TextTable(header: zh ? ["类别", "单位数", "占比"] : ["class", "units", "share"])
        t.add([UnitClass.key.label(lang), String(key), pct(key)])
        t.add([UnitClass.general.label(lang), String(general), pct(general)])
        out += t.render() + "\n"

        var r = TextTable(header: zh ? ["规则", "条款", "情形", "符合单位数", "因特殊情况未纳入"] : ["rule", "clause", "criterion", "units", "exempted"],
                          align: [.left, .left, .left, .right, .right])
        for rule in KeyRule.allCases {
            r.add([rule.id, rule.clause, rule.title(lang), String(byRule[rule] ?? 0), rule.isDefault ? String(exemptedByRule[rule] ?? 0) : "—"])
        }
        out += (zh ? "按纳入重点的情形（一家单位可符合多项）：\n" : "By rule (a unit may meet several):\n") + r.render() + "\n"

        var l = TextTable(header: zh ? ["执法层级", "执法主体", "重点", "一般", "合计"] : ["level", "authority", "key", "general", "total"],
                          align: [.left, .left, .right, .right, .right])
        for (name, v) in byAuthority.sorted(by: { ($0.value.tier.sortIndex, $0.key) < ($1.value.tier.sortIndex, $1.key) }) {
            l.add([v.tier.label(lang), name, String(v.key), String(v.general), String(v.key + v.general)])
        }
        out += (zh ? "按执法层级（一家单位对应一个层级，TIER-ONE）：\n" : "By enforcing level (one unit, one level — TIER-ONE):\n") + l.render() + "\n"

        var c = TextTable(header: zh ? ["行业类别", "重点", "一般"] : ["category", "key", "general"])
        for cat in Category.allCases { if let v = byCategory[cat] { c.add([cat.label(lang), String(v.key), String(v.general)]) } }
        out += (zh ? "按行业类别：\n" : "By category:\n") + c.render()

        if exempted > 0 {
            out += zh ? "\n\(exempted)家单位因特殊情况说明未纳入重点（KEY-D规则不适用），说明见明细。\n"
                      : "\n\(exempted) units stay general by a recorded exemption (KEY-D rules set aside); see the per-unit table.\n"
        }
        if riskDerived > 0 {
            out += zh ? "\(riskDerived)家单位台账未填安全风险等级，已按其情形推定（明细中标注“推定”）。\n"
                      : "\(riskDerived) units had no risk level in the ledger; it was derived from their flags and history (marked 'derived').\n"
        }
        return out
    }
}

extension Tier {
    var sortIndex: Int { Tier.allCases.firstIndex(of: self)! }
}

/// The per-unit classification table (DATA.md §4a) in its formats.
public struct ClassificationTable {
    public let year: Int
    public let units: [LedgerUnit]
    public let classifications: [Classification]
    public let calendarNote: String?

    public init(year: Int, units: [LedgerUnit], classifications: [Classification], calendarNote: String? = nil) {
        self.year = year; self.units = units; self.classifications = classifications; self.calendarNote = calendarNote
    }

    /// `{"schema": "enforcement-classification/1", "year": …, "units": […]}`, keys sorted.
    public func json() throws -> Data {
        struct Row: Encodable {
            let id, name, `class`: String
            let rules: [String]
            let exemption: String?
            let tier, authority, risk_level: String
            let risk_derived: Bool
            let explanation: String
            func encode(to e: Encoder) throws {
                var c = e.container(keyedBy: K.self)
                try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(`class`, forKey: .class)
                try c.encode(rules, forKey: .rules); try c.encode(exemption, forKey: .exemption)   // null when absent
                try c.encode(tier, forKey: .tier); try c.encode(authority, forKey: .authority)
                try c.encode(risk_level, forKey: .risk_level); try c.encode(risk_derived, forKey: .risk_derived)
                try c.encode(explanation, forKey: .explanation)
            }
            enum K: String, CodingKey { case id, name, `class`, rules, exemption, tier, authority, risk_level, risk_derived, explanation }
        }
        struct Doc: Encodable { let schema: String; let year: Int; let units: [Row] }
        let rows = zip(units, classifications).map { u, c in
            Row(id: c.id, name: u.name, class: c.unitClass.rawValue, rules: c.rules.map { $0.id }, exemption: c.exemption,
                tier: c.tier.rawValue, authority: c.authority, risk_level: c.riskLevel.rawValue, risk_derived: c.riskDerived,
                explanation: c.explanation)
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try enc.encode(Doc(schema: "enforcement-classification/1", year: year, units: rows))
        data.append(0x0A)
        return data
    }

    /// DATA.md §4a's keys as columns (`rules` joined with `;`), then descriptive columns.
    public static let csvHeader = ["id", "class", "rules", "exemption", "tier", "authority", "explanation",
                                   "name", "district", "town", "category", "risk_level", "risk_derived"]

    public func csvRows() -> [[String]] {
        zip(units, classifications).map { u, c in
            [c.id, c.unitClass.rawValue, c.rules.map { $0.id }.joined(separator: ";"), c.exemption ?? "", c.tier.rawValue,
             c.authority, c.explanation, u.name, u.district, u.town, u.category.rawValue, c.riskLevel.rawValue, String(c.riskDerived)]
        }
    }

    public func csv() throws -> Data { try CSVOutput.encode(header: Self.csvHeader, rows: csvRows()) }

    /// Column headers for people (XLSX and the printed table).
    public static func peopleHeader(_ lang: Lang) -> [String] {
        lang == .zh
            ? ["序号", "统一社会信用代码", "单位名称", "所属区", "所属街镇", "行业类别", "类别", "纳入重点的情形", "特殊情况说明", "执法层级", "承办机构", "安全风险等级", "说明"]
            : ["No.", "Credit code", "Name", "District", "Town", "Category", "Class", "Rules", "Exemption", "Level", "Authority", "Risk level", "Explanation"]
    }

    public func peopleRows(_ lang: Lang) -> [[String]] {
        zip(units, classifications).enumerated().map { i, pair in
            let (u, c) = pair
            let risk = c.riskLevel.label(lang) + (c.riskDerived ? (lang == .zh ? "（推定）" : " (derived)") : "")
            return [String(i + 1), c.id, u.name, u.district, u.town, u.category.label(lang), c.unitClass.label(lang),
                    c.rules.map { $0.id }.joined(separator: ";"), c.exemption ?? "", c.tier.label(lang), c.authority, risk,
                    c.explanation(lang)]
        }
    }

    public func text(_ lang: Lang) -> String {
        var t = TextTable(header: Self.peopleHeader(lang), align: [.right] + Array(repeating: .left, count: 12))
        for r in peopleRows(lang) { t.add(r) }
        return t.render()
    }
}

import Ledger

/// The rules of RULES.md that decide whether a unit is key (§2), each under its stable ID,
/// with the clause of the policy (三(一)) it restates.
public enum KeyRule: String, CaseIterable, Sendable, Comparable {
    // Mandatory (应当纳入): never exempted.
    case m1 = "KEY-M1", m2 = "KEY-M2", m3 = "KEY-M3", m4 = "KEY-M4", m5 = "KEY-M5"
    case m6 = "KEY-M6", m7 = "KEY-M7", m8 = "KEY-M8", m9 = "KEY-M9"
    // By default (除特殊情况外，一般应当纳入): a recorded exemption stops them.
    case d1 = "KEY-D1", d2 = "KEY-D2", d3 = "KEY-D3", d4 = "KEY-D4", d5 = "KEY-D5"
    // The city's key list (RULES.md §7.10): named only when no other rule holds; never exempted.
    case city = "KEY-CITY"

    public var id: String { rawValue }

    /// True for KEY-D1..D5, the rules an exemption (特殊情况) can set aside.
    public var isDefault: Bool { rawValue.hasPrefix("KEY-D") }

    var ordinal: Int { KeyRule.allCases.firstIndex(of: self)! }
    public static func < (a: KeyRule, b: KeyRule) -> Bool { a.ordinal < b.ordinal }

    /// The clause of the policy, e.g. `三(一)1` or `三(一)除特殊情况外1`.
    public var clause: String {
        if self == .city { return "四(六)" }
        let n = rawValue.last!
        return isDefault ? "三(一)除特殊情况外\(n)" : "三(一)\(n)"
    }

    /// The clause's words, in Chinese, as the policy writes them.
    public var zh: String {
        switch self {
        case .m1: return "核发许可证的危险化学品生产、储存、使用单位"
        case .m2: return "未核发许可证但涉及重点监管危险化工工艺和危险化学品重大危险源的单位"
        case .m3: return "烟花爆竹经营（零售）单位"
        case .m4: return "存在高温熔融金属作业的单位"
        case .m5: return "存在爆炸性粉尘的单位"
        case .m6: return "涉氨制冷单位"
        case .m7: return "存在污水处理设施的食品加工、造纸、皮革、毛皮、羽毛及其制品生产的轻工重点单位"
        case .m8: return "安全评价检测检验机构"
        case .m9: return "大中型工贸单位"
        case .d1: return "存在重大生产安全事故隐患且仍未完成整改的单位"
        case .d2: return "近三年发生过造成人员死亡的生产安全事故的单位"
        case .d3: return "近三年被纳入安全生产领域失信行为联合惩戒对象的单位"
        case .d4: return "近三年因安全生产违法行为被行政处罚二次及以上的单位"
        case .d5: return "根据区域特点和风险评估情况需要纳入重点检查的其他单位"
        case .city: return "列入市重点检查单位名单的单位"
        }
    }

    public var en: String {
        switch self {
        case .m1: return "licensed hazardous-chemicals producer, storer or user"
        case .m2: return "key-supervised hazardous process or major hazard installation without such a licence"
        case .m3: return "fireworks retailer"
        case .m4: return "high-temperature molten metal"
        case .m5: return "explosive dust"
        case .m6: return "ammonia refrigeration"
        case .m7: return "light industry (food, paper, leather, fur, feather) with sewage treatment"
        case .m8: return "safety assessment, testing or inspection agency"
        case .m9: return "large or medium industry-and-trade unit"
        case .d1: return "major accident hazard not yet rectified"
        case .d2: return "fatal work-safety accident in the last three years"
        case .d3: return "on the joint-punishment list for dishonesty in the last three years"
        case .d4: return "administratively penalised twice or more in the last three years"
        case .d5: return "designated key by the authority"
        case .city: return "on the city's key list"
        }
    }

    public func title(_ lang: Lang) -> String { lang == .zh ? zh : en }
}

/// Which level inspects a unit (RULES.md §4).
public typealias Tier = AuthorityLevel

public enum UnitClass: String, Sendable, CaseIterable {
    case key, general
    public var zh: String { self == .key ? "重点检查单位" : "一般检查单位" }
    public func label(_ lang: Lang) -> String { lang == .zh ? zh : rawValue }
}

/// Titles and clauses of every rule ID a report may show, key-unit and plan rules alike.
public enum RuleCatalogue {
    /// The rule's title in `lang`, or nil for an ID the catalogue does not know.
    public static func title(_ id: String, _ lang: Lang) -> String? {
        if let r = RuleID(rawValue: id) { return r.isPolicyRule || r.isVerifierLine ? r.title(lang) : nil }
        if let r = KeyRule(rawValue: id) { return r.title(lang) }
        return nil
    }

    /// The clause, e.g. `五(十二)` or `三(一)1`; nil when unknown.
    public static func clause(_ id: String) -> String? {
        if let r = RuleID(rawValue: id) { return r.clause }
        if let r = KeyRule(rawValue: id) { return r.clause }
        return nil
    }

    /// `KEY-M1 核发许可证的…〔三(一)1〕`: the ID, its title and clause, for lists and tables.
    public static func describe(_ id: String, _ lang: Lang) -> String {
        guard let title = title(id, lang) else { return id }
        let clause = clause(id).map { lang == .zh ? "〔\($0)〕" : " [\($0)]" } ?? ""
        return "\(id) \(title)\(clause)"
    }
}

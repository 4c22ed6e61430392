/// Enumerated values of the data contract (DATA.md §1–3). Each has an English key (its raw
/// value) and a Chinese term; files may use either.
public protocol LedgerTerm: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    /// The Chinese term, as district spreadsheets write it.
    var zh: String { get }
    /// Other spellings accepted on input (never written).
    static var aliases: [String: Self] { get }
    /// Every accepted spelling (`TermIndex.build`), built once: each type keeps its own.
    static var termIndex: [String: Self] { get }
}

extension LedgerTerm {
    public static var aliases: [String: Self] { [:] }

    /// Accepts the English key (any case) or the Chinese term.
    public init?(term: String) {
        let t = term.trimmedField
        let index = Self.termIndex
        if let v = index[t] ?? index[t.lowercased()] { self = v; return }
        return nil
    }

    /// "hazchem 危险化学品, industry_trade 工贸, …" for error messages.
    public static var validList: String {
        allCases.map { "\($0.rawValue) \($0.zh)" }.joined(separator: ", ")
    }
}

/// Every accepted spelling of every term of a type, built once per type: ledgers repeat a
/// handful of values a hundred thousand times.
enum TermIndex {
    static func build<T: LedgerTerm>(_: T.Type) -> [String: T] {
        var d: [String: T] = [:]
        for (k, v) in T.aliases { d[k] = v }
        for v in T.allCases { d[v.zh] = v; d[v.rawValue] = v }
        return d
    }
}

public enum Category: String, LedgerTerm {
    public static let termIndex = TermIndex.build(Self.self)
    case hazchem, industryTrade = "industry_trade", mining, fireworks, precursor
    case assessmentAgency = "assessment_agency", trainingAgency = "training_agency", appraisalAgency = "appraisal_agency"
    public var zh: String {
        switch self {
        case .hazchem: return "危险化学品"
        case .industryTrade: return "工贸"
        case .mining: return "非煤矿山"
        case .fireworks: return "烟花爆竹"
        case .precursor: return "易制毒化学品"
        case .assessmentAgency: return "安全评价检测检验机构"
        case .trainingAgency: return "安全生产培训机构"
        case .appraisalAgency: return "化学品物理危险性鉴定机构"
        }
    }
}

public enum Activity: String, LedgerTerm {
    public static let termIndex = TermIndex.build(Self.self)
    // hazchem
    case production, storage, use, trading
    // fireworks
    case wholesale, retail
    // industry_trade
    case metallurgy, nonferrous, buildingMaterials = "building_materials", machinery
    case lightIndustry = "light_industry", textile, tobacco, commerce
    public var zh: String {
        switch self {
        case .production: return "生产"
        case .storage: return "储存"
        case .use: return "使用"
        case .trading: return "经营"
        case .wholesale: return "批发"
        case .retail: return "零售"
        case .metallurgy: return "冶金"
        case .nonferrous: return "有色"
        case .buildingMaterials: return "建材"
        case .machinery: return "机械"
        case .lightIndustry: return "轻工"
        case .textile: return "纺织"
        case .tobacco: return "烟草"
        case .commerce: return "商贸"
        }
    }
    /// The categories this activity belongs to.
    public var category: Category {
        switch self {
        case .production, .storage, .use, .trading: return .hazchem
        case .wholesale, .retail: return .fireworks
        default: return .industryTrade
        }
    }
}

public enum LightSector: String, LedgerTerm {
    public static let termIndex = TermIndex.build(Self.self)
    case food, paper, leather, fur, feather, other
    public var zh: String {
        switch self {
        case .food: return "食品加工"
        case .paper: return "造纸"
        case .leather: return "皮革"
        case .fur: return "毛皮"
        case .feather: return "羽毛及其制品"
        case .other: return "其他"
        }
    }
}

extension Category {
    /// Industrial enterprises (工业企业) for FREQ-JOINT's joint check: industry and trade other
    /// than commerce, and hazardous-chemicals producers and users.
    public static func isIndustrial(_ category: Category?, _ activity: Activity?) -> Bool {
        switch category {
        case .industryTrade?: return activity != .commerce
        case .hazchem?: return activity == .production || activity == .use
        default: return false
        }
    }
}

public enum Scale: String, LedgerTerm {
    public static let termIndex = TermIndex.build(Self.self)
    case large, medium, small, micro
    public var zh: String {
        switch self {
        case .large: return "大型"
        case .medium: return "中型"
        case .small: return "小型"
        case .micro: return "微型"
        }
    }
}

public enum Ownership: String, LedgerTerm {
    public static let termIndex = TermIndex.build(Self.self)
    case centralHQ = "central_hq", centralBranch = "central_branch", cityHQ = "city_hq"
    case cityBranch = "city_branch", districtHQ = "district_hq", other
    public var zh: String {
        switch self {
        case .centralHQ: return "央企总部"
        case .centralBranch: return "央企在沪分支机构"
        case .cityHQ: return "市属企业总部"
        case .cityBranch: return "市属企业分支机构"
        case .districtHQ: return "区属企业总部"
        case .other: return "其他"
        }
    }
}

public enum Standardisation: String, LedgerTerm {
    public static let termIndex = TermIndex.build(Self.self)
    case none, level1 = "1", level2 = "2", level3 = "3"
    public var zh: String {
        switch self {
        case .none: return "无"
        case .level1: return "一级"
        case .level2: return "二级"
        case .level3: return "三级"
        }
    }
    public static var aliases: [String: Standardisation] { ["": .none, "未达标": .none, "否": .none] }
}

public enum RiskLevel: String, LedgerTerm, Comparable {
    public static let termIndex = TermIndex.build(Self.self)
    case red, orange, yellow, blue
    public var zh: String {
        switch self {
        case .red: return "重大风险"
        case .orange: return "较大风险"
        case .yellow: return "一般风险"
        case .blue: return "低风险"
        }
    }
    public static var aliases: [String: RiskLevel] { ["红": .red, "橙": .orange, "黄": .yellow, "蓝": .blue] }
    /// Higher risk sorts first.
    public var rank: Int { switch self { case .red: return 0; case .orange: return 1; case .yellow: return 2; case .blue: return 3 } }
    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rank < b.rank }
}

public enum Specialty: String, LedgerTerm {
    public static let termIndex = TermIndex.build(Self.self)
    case hazchem, metallurgy, dust, ammonia, mining, fireworks, lightIndustry = "light_industry", general
    public var zh: String {
        switch self {
        case .hazchem: return "危险化学品"
        case .metallurgy: return "冶金"
        case .dust: return "粉尘涉爆"
        case .ammonia: return "涉氨制冷"
        case .mining: return "非煤矿山"
        case .fireworks: return "烟花爆竹"
        case .lightIndustry: return "轻工"
        case .general: return "综合"
        }
    }
}

/// The four levels of enforcing body (RULES.md §4).
public enum AuthorityLevel: String, LedgerTerm {
    public static let termIndex = TermIndex.build(Self.self)
    case city, district, town, zone
    public var zh: String {
        switch self {
        case .city: return "市级"
        case .district: return "区级"
        case .town: return "乡镇街道"
        case .zone: return "功能区"
        }
    }
    public static var aliases: [String: AuthorityLevel] { ["市": .city, "区": .district, "街镇": .town, "乡镇": .town, "街道": .town] }
}

import Foundation

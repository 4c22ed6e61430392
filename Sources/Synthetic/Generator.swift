import Foundation
import Ledger

/// SplitMix64: small, fast, and the same on every platform, so a seed always gives the same district.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// true with probability p.
    public mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    public mutating func pick<T>(_ weighted: [(T, Double)]) -> T {
        let total = weighted.reduce(0) { $0 + $1.1 }
        var x = uniform() * total
        for (v, w) in weighted { x -= w; if x < 0 { return v } }
        return weighted.last!.0
    }
    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

/// A synthetic district: ledger, staff roll, expert pool and scenario, in realistic proportions.
public struct SyntheticDistrict: Sendable {
    public var profile: DistrictProfile
    public var year: Int
    public var seed: UInt64
    public var units: [LedgerUnit]
    public var staff: [StaffMember]
    public var experts: [StaffMember]
    public var scenario: Scenario
}

public enum Generator {
    /// Builds a district of `units` units. Same arguments → same district.
    public static func district(_ profile: DistrictProfile, units count: Int, seed: UInt64, year: Int) -> SyntheticDistrict {
        var rng = SeededRandom(seed: seed)
        var codes = Set<String>()
        var units: [LedgerUnit] = []
        units.reserveCapacity(count)
        for i in 0..<count { units.append(unit(i, profile, year, &rng, &codes)) }

        let officers = max(6, Int((Double(count) / 100).rounded()))
        let staff = people(officers, prefix: "E", certified: true, year: year, units: units, &rng)
        let experts = people(max(3, officers / 3), prefix: "X", certified: false, year: year, units: units, &rng)

        var s = Scenario(year: year, authority: Authority(name: AuthorityNames.name(level: .district, district: profile.name, town: nil, zone: nil),
                                                          level: .district, district: profile.name),
                         seed: UInt64(year) * 10_000 + 101)
        s.ledgerPath = "ledger.csv"; s.staffPath = "staff.csv"; s.expertsPath = "experts.csv"
        // 执法工作日测算 in the categories of published district plans (PLAN-DOCUMENTS.md §1, where
        // about 21% of the gross remains for inspection). Here 76.6% is deducted, leaving about
        // 23.4% of 248 days per officer for inspection: the budget these districts' key units and
        // campaigns were built around (a 2027 demo district of 10 officers: 580 person-days).
        let gross = Double(staff.filter { $0.certified }.count * 248)
        s.workdays.otherEnforcement = split(gross * 0.504, [
            ("综合监管", 0.18), ("行政许可", 0.14), ("事故调查处理", 0.12), ("投诉举报核查", 0.1), ("联合执法", 0.1),
            ("登记备案", 0.08), ("中介机构监督检查", 0.06), ("宣传教育培训", 0.08), ("行政复议/应诉", 0.04), ("上级交办执法任务", 0.1)])
        s.workdays.nonEnforcement = split(gross * 0.262, [
            ("机关值班", 0.2), ("学习、培训、考核、会议", 0.22), ("检查指导下级", 0.1), ("党群活动", 0.08),
            ("病假、事假", 0.1), ("法定年休假、探亲假、婚（丧）假", 0.22), ("其他", 0.08)])
        let sewage = units.filter { $0.sewageTreatment }.count
        let fireworks = units.filter { $0.category == .fireworks }.count
        let dust = units.filter { $0.explosiveDust }.count
        s.campaigns = [
            Campaign(name: "有限空间作业专项执法", months: [5, 6, 7, 8],
                     match: [try! FieldMatch.make(field: "sewage_treatment", values: ["true"]).get()], visits: min(sewage, max(1, sewage / 3))),
            Campaign(name: "烟花爆竹安全专项执法", months: [1, 12],
                     match: [try! FieldMatch.make(field: "category", values: ["fireworks"]).get()], visits: min(fireworks, max(1, fireworks / 4))),
            Campaign(name: "粉尘涉爆专项执法", months: [3, 4],
                     match: [try! FieldMatch.make(field: "explosive_dust", values: ["true"]).get()], visits: min(dust, max(1, dust / 4))),
        ].filter { $0.visits > 0 }
        return SyntheticDistrict(profile: profile, year: year, seed: seed, units: units, staff: staff, experts: experts, scenario: s)
    }

    static func split(_ total: Double, _ parts: [(String, Double)]) -> [WorkdayItem] {
        parts.map { WorkdayItem(name: $0.0, days: ($0.1 * total).rounded()) }
    }

    static let nameHeads = ["华", "申", "浦", "东", "新", "宏", "盛", "联", "恒", "远", "嘉", "泰", "鑫", "明", "瑞", "锦", "伟", "德",
                            "安", "永", "金", "丰", "润", "博", "海", "汇", "创", "天", "晨", "光", "信", "达", "益", "卓", "宝", "良"]

    static func name(_ rng: inout SeededRandom, _ suffix: String, _ i: Int) -> String {
        let a = rng.pick(nameHeads), b = rng.pick(nameHeads)
        return "上海\(a)\(b)\(suffix)有限公司"
    }

    static func code(_ profile: DistrictProfile, _ rng: inout SeededRandom, _ codes: inout Set<String>) -> String {
        while true {
            var body = "91" + profile.code
            for _ in 0..<9 { body.append(CreditCode.alphabet[Int(rng.next() % 31)]) }
            let c = body + String(CreditCode.checkCharacter(for: body)!)
            if codes.insert(c).inserted { return c }
        }
    }

    static func date(in year: Int, _ rng: inout SeededRandom) -> CivilDate {
        CivilDate(year: year, month: 1, day: 1)!.adding(days: Int(rng.next() % 365))
    }

    static func unit(_ i: Int, _ p: DistrictProfile, _ year: Int, _ rng: inout SeededRandom, _ codes: inout Set<String>) -> LedgerUnit {
        let category: Category = rng.pick([(.industryTrade, 77), (.hazchem, 12), (.fireworks, 3), (.precursor, 4),
                                           (.mining, 0.5), (.assessmentAgency, 1.5), (.trainingAgency, 1.5), (.appraisalAgency, 0.5)])
        let town = rng.pick(p.towns)
        var u = LedgerUnit(id: code(p, &rng, &codes), name: "", district: p.name, town: town, category: category, scale: .micro)
        u.zone = p.zones.first(where: { $0.value.contains(town) })?.key
        var suffix = "实业"
        switch category {
        case .industryTrade:
            let a: Activity = rng.pick([(.machinery, 30), (.lightIndustry, 25), (.commerce, 15), (.buildingMaterials, 10),
                                        (.textile, 8), (.metallurgy, 5), (.nonferrous, 5), (.tobacco, 2)])
            u.activity = a
            u.scale = rng.pick([(.large, 2), (.medium, 8), (.small, 45), (.micro, 45)])
            switch a {
            case .lightIndustry:
                let s: LightSector = rng.pick([(.food, 40), (.paper, 10), (.leather, 5), (.fur, 2), (.feather, 3), (.other, 40)])
                u.lightSector = s
                u.sewageTreatment = rng.chance(s == .other ? 0.03 : 0.35)
                u.ammoniaRefrigeration = rng.chance(s == .food ? 0.2 : 0.01)
                u.explosiveDust = rng.chance(0.05)
                suffix = ["食品", "纸业", "皮革制品", "毛皮制品", "羽绒制品", "日用品"][[LightSector.food, .paper, .leather, .fur, .feather, .other].firstIndex(of: s)!]
            case .metallurgy, .nonferrous:
                u.moltenMetal = rng.chance(0.4); suffix = a == .metallurgy ? "钢铁制品" : "铝业"
            case .machinery:
                u.moltenMetal = rng.chance(0.05); u.explosiveDust = rng.chance(0.08); suffix = "机械制造"
            case .buildingMaterials: u.explosiveDust = rng.chance(0.05); suffix = "建材"
            case .textile: suffix = "纺织"
            case .tobacco: suffix = "烟草机械"
            default: u.ammoniaRefrigeration = rng.chance(0.05); suffix = rng.chance(0.5) ? "冷链物流" : "商贸"
            }
        case .hazchem:
            let a: Activity = rng.pick([(.trading, 60), (.use, 20), (.storage, 10), (.production, 10)])
            u.activity = a
            u.licensed = rng.chance(a == .use ? 0.5 : (a == .trading ? 0.85 : 0.9))
            u.keyProcess = a == .production && rng.chance(0.4)
            u.majorHazard = (a == .production || a == .storage) ? rng.chance(0.3) : rng.chance(0.01)
            u.scale = rng.pick([(.large, 3), (.medium, 12), (.small, 50), (.micro, 35)])
            suffix = a == .trading ? "化工贸易" : (a == .storage ? "危险品仓储" : "化工")
        case .fireworks:
            u.activity = rng.chance(0.85) ? .retail : .wholesale
            u.scale = rng.chance(0.9) ? .micro : .small
            suffix = u.activity == .retail ? "烟花爆竹零售" : "烟花爆竹批发"
        case .precursor: u.scale = rng.pick([(.small, 50), (.micro, 50)]); suffix = "化学试剂"
        case .mining: u.scale = rng.pick([(.medium, 30), (.small, 70)]); suffix = "矿业"
        case .assessmentAgency: u.scale = .small; suffix = "安全技术检测"
        case .trainingAgency: u.scale = .small; suffix = "安全生产培训"
        case .appraisalAgency: u.scale = .small; suffix = "化学品鉴定"
        }
        u.name = name(&rng, suffix, i)
        u.openMajorHazard = rng.chance(0.01)
        if rng.chance(0.005) { u.lastFatalAccident = date(in: year - 1 - Int(rng.next() % 3), &rng) }
        else if rng.chance(0.01) { u.lastFatalAccident = date(in: year - 4 - Int(rng.next() % 3), &rng) }
        if rng.chance(0.005) { u.lastBlacklisted = date(in: year - 1 - Int(rng.next() % 3), &rng) }
        u.penalties3y = rng.pick([(0, 90), (1, 7.5), (2, 2), (3, 0.5)])
        u.designatedKey = rng.chance(0.01)
        let hasDefaultRule = u.openMajorHazard || u.lastFatalAccident.map { $0.year >= year - 3 } == true
            || u.lastBlacklisted != nil || u.penalties3y >= 2 || u.designatedKey
        if hasDefaultRule && rng.chance(0.2) {
            u.exemption = rng.pick(["隐患已完成整改并经复查销号", "企业已停产，待注销", "经区局风险评估确认风险可控"])
        }
        u.ownership = rng.pick([(.centralHQ, 0.3), (.centralBranch, 1), (.cityHQ, 0.5), (.cityBranch, 2), (.districtHQ, 2), (.other, 94.2)])
        u.cityList = rng.chance(0.005)
        u.standardisation = rng.pick([(.none, 84), (.level3, 10), (.level2, 5), (.level1, 1)])
        u.safetyCulture = rng.chance(0.02)
        u.liabilityInsurance = rng.chance(0.4)
        if rng.chance(0.7) {
            let hot = u.openMajorHazard || u.keyProcess || u.majorHazard || u.moltenMetal
            u.riskLevel = hot ? rng.pick([(.red, 20), (.orange, 60), (.yellow, 20)]) : rng.pick([(.orange, 5), (.yellow, 35), (.blue, 60)])
        }
        if rng.chance(0.7) { u.lastInspected = date(in: year - 1 - Int(rng.next() % 2), &rng) }
        u.latitude = ((p.latitude + (rng.uniform() - 0.5) * 0.12) * 1e5).rounded() / 1e5
        u.longitude = ((p.longitude + (rng.uniform() - 0.5) * 0.12) * 1e5).rounded() / 1e5
        u.address = "上海市\(p.name)\(town)\(rng.pick(roads))\(1 + rng.next() % 1500)号"
        return u
    }

    static let roads = ["建设路", "工业路", "创业路", "富民路", "友谊路", "沪南公路", "金海路", "华夏路", "新北路", "环城路", "科技路", "园区路"]
    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗", "郑", "梁", "沈", "顾", "陆", "钱", "蒋", "唐"]
    static let given = ["伟", "敏", "静", "磊", "洁", "军", "勇", "艳", "杰", "涛", "明", "超", "华", "平", "刚", "辉", "玲", "峰", "斌", "霞", "俊", "晨", "佳", "颖", "浩", "婷", "建国", "志强", "海燕", "晓东"]

    static func people(_ n: Int, prefix: String, certified: Bool, year: Int, units: [LedgerUnit], _ rng: inout SeededRandom) -> [StaffMember] {
        let width = max(3, String(n).count)
        return (1...n).map { i in
            let id = prefix + String(repeating: "0", count: width - String(i).count) + String(i)
            var m = StaffMember(id: id, name: rng.pick(surnames) + rng.pick(given), certified: certified && !rng.chance(0.08))
            m.leader = m.certified && rng.chance(0.35)
            var specs: [Specialty] = [rng.pick([(.hazchem, 30), (.metallurgy, 10), (.dust, 12), (.ammonia, 8), (.mining, 3),
                                                (.fireworks, 5), (.lightIndustry, 12), (.general, 20)])]
            if rng.chance(0.4) {
                let s2: Specialty = rng.pick([.hazchem, .dust, .general, .lightIndustry, .metallurgy, .ammonia])
                if !specs.contains(s2) { specs.append(s2) }
            }
            m.specialties = specs
            if rng.chance(0.5) {
                let start = date(in: year, &rng)
                m.unavailable = [DateSpan(first: start, last: start.adding(days: Int(rng.next() % 10)))!]
            }
            if !units.isEmpty && rng.chance(0.06) { m.conflicts = [units[Int(rng.next() % UInt64(units.count))].id] }
            return m
        }
    }
}

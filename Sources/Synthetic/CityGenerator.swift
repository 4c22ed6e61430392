import Foundation
import Ledger

/// What the policy makes of one unit, as far as the city generator needs it to size staffs: its
/// class, whether the city bureau inspects it (TIER-CITY), and the full-coverage visits it is due
/// (FREQ-KEY-COVER: 1, FREQ-INCREASE: 2). The caller computes it with the classifier: Synthetic
/// produces inputs and does not depend on the policy stage (README.md).
public struct UnitAssessment: Hashable, Sendable {
    public var key: Bool
    public var cityTier: Bool
    /// Full-coverage visits due when key; ignored for general units.
    public var requiredVisits: Int
    public init(key: Bool, cityTier: Bool, requiredVisits: Int) {
        self.key = key; self.cityTier = cityTier; self.requiredVisits = requiredVisits
    }
}

/// One enforcing authority of a synthetic city: its scenario, staff and experts, and the units
/// the generator gave it.
public struct SyntheticAuthority: Sendable {
    /// The folder of its files inside the city folder: `city`, `d01`…`d16` (district bureaus, in
    /// the order of `ShanghaiGeography.districts`), `d01-t03` (the district's 3rd town or street
    /// in `ShanghaiGeography.cityDistricts`' order), `d01-z01` (its 1st functional zone, zones by name).
    public var folder: String
    /// The scenario as a city run applies it: year and seed set; a town or zone body carries its
    /// district's delegation (the file leaves `delegate` to the district's scenario).
    public var scenario: Scenario
    public var staff: [StaffMember]
    public var experts: [StaffMember]
    /// Indexes into `SyntheticCity.units` of the units this authority inspects, ascending.
    public var own: [Int]
    /// 监督检查工作日: certified officers × calendar workdays − the deductions (person-days).
    public var inspectionPersonDays: Int
    /// Set on the bureaus deliberately short of inspection person-days (TIER-DISPATCH demo): why.
    public var shortOfStaff: String?
}

/// A synthetic city (DATA.md §7): one ledger and every authority that plans a share of it.
public struct SyntheticCity: Sendable {
    public static let cityName = "上海市"
    public var year: Int
    /// The generator's seed (`--seed`).
    public var seed: UInt64
    /// The published seed of the random draws (city.yaml `seed`).
    public var drawSeed: UInt64
    public var units: [LedgerUnit]
    /// The city bureau, then each district bureau followed by its zone bodies and town offices.
    public var authorities: [SyntheticAuthority]
    /// city.yaml `dispatch.max_lend_share` (TIER-DISPATCH).
    public var maxLendShare = 0.2

    public var officers: Int { authorities.reduce(0) { $0 + $1.staff.count } }
}

public enum CityGenerator {
    /// Relative weight of each district's share of the city's units: industrial suburbs carry
    /// most of the ledger, the central districts (offices and shops) the least.
    public static let districtWeights: [String: Double] = [
        "浦东新区": 18, "嘉定区": 11, "松江区": 10, "闵行区": 10, "宝山区": 8, "青浦区": 8, "奉贤区": 8, "金山区": 7,
        "崇明区": 3, "徐汇区": 2.5, "普陀区": 2.5, "杨浦区": 2, "静安区": 2, "长宁区": 1.5, "虹口区": 1.5, "黄浦区": 1,
    ]

    /// The district whose body administers each functional zone. 上海化学工业区 reaches into
    /// 奉贤区 (柘林镇) too; the city ledger records the zone only in 金山区, whose body is the
    /// zone's, so that no unit falls between two district's delegations.
    public static let zoneHome: [String: String] = ["临港新片区": "浦东新区", "上海化学工业区": "金山区"]

    /// Which towns a district delegates (TIER-TOWN), before the size threshold below.
    public enum TownDelegation: Sendable {
        case all, none
        /// All but these: the bureau keeps them.
        case allBut(Set<String>)
    }

    /// 黄浦区 keeps 外滩街道 (its bureau inspects the Bund's units itself), 崇明区 keeps 横沙乡
    /// (横沙岛); every other district delegates all its towns.
    public static func townDelegation(_ district: String) -> TownDelegation {
        switch district {
        case "黄浦区": return .allBut(["外滩街道"])
        case "崇明区": return .allBut(["横沙乡"])
        default: return .all
        }
    }

    /// The district bureaus deliberately short of inspection person-days: their staff covers
    /// only about three quarters of their key units' full-coverage visits (FREQ-KEY-COVER, and
    /// with it the draws, campaigns and joint check are short), while the town offices of the
    /// same district and the other bureaus keep spare capacity, so that a city run's dispatch
    /// (TIER-DISPATCH) has person-days to move to them.
    public static let shortDistricts: [String: String] = [
        "宝山区": "钢铁、冶金重点单位多，执法人员编制不足：监督检查工作日仅够约四分之三的重点单位全覆盖检查（演示全市执法力量调用）",
        "奉贤区": "化工、工贸重点单位增长快，执法人员未相应增加：监督检查工作日仅够约四分之三的重点单位全覆盖检查（演示全市执法力量调用）",
    ]

    /// A town (or zone) gets its own plan only when its district's delegation gives it at least
    /// this many general industry-and-trade units (the pool of its campaign), so that its year
    /// can have a visit a month and PLAN-RATIO-LOCAL's one visit per inspection workday. In a
    /// city of 200,000 units every town has far more; in a small demo city some have fewer, and
    /// their district keeps them (a `delegate.towns` list).
    public static let delegationThreshold = 20

    /// Builds a city of `count` units. `workdays` is the plan year's calendar workdays (248 in
    /// 2027); `assess` classifies a unit (the policy's classifier, see `UnitAssessment`).
    /// Same arguments → same city.
    public static func city(units count: Int, seed: UInt64, year: Int, workdays: Int,
                            assess: (LedgerUnit) -> UnitAssessment) -> SyntheticCity {
        var rng = SeededRandom(seed: seed)
        let profiles = ShanghaiGeography.cityDistricts
        let perDistrict = apportion(count, profiles.map { districtWeights[$0.name] ?? 1 })

        // The ledger, district by district; credit codes unique across the city.
        var codes = Set<String>()
        var units: [LedgerUnit] = []
        units.reserveCapacity(count)
        for (p, n) in zip(profiles, perDistrict) {
            for _ in 0..<n {
                var u = Generator.unit(units.count, p, year, &rng, &codes)
                if let z = u.zone {
                    // A zone covers part of its towns (most of their industrial land); and only in
                    // the district that administers it.
                    if zoneHome[z] != p.name || !rng.chance(0.7) { u.zone = nil }
                }
                units.append(u)
            }
        }
        let assessed = units.map(assess)

        var authorities: [SyntheticAuthority] = []
        var owner = [Int](repeating: -1, count: units.count)
        let drawSeed = UInt64(year) * 10_000 + 101
        func scenario(_ a: Authority) -> Scenario { Scenario(year: year, authority: a, seed: drawSeed) }

        // The city bureau: central and city-owned headquarters and branches, the city list.
        authorities.append(SyntheticAuthority(folder: "city", scenario: scenario(Authority(name: AuthorityNames.city, level: .city)),
                                              staff: [], experts: [], own: [], inspectionPersonDays: 0, shortOfStaff: nil))
        for i in units.indices where assessed[i].cityTier { owner[i] = 0 }

        for (di, p) in profiles.enumerated() {
            let dfolder = "d" + twoDigits(di + 1)
            let mine = units.indices.filter { units[$0].district == p.name && owner[$0] < 0 }
            func eligible(_ i: Int) -> Bool { !assessed[i].key && units[i].category == .industryTrade }

            // Zones first (a zone body takes its zone's general units before any town), then towns.
            var delegation = Delegation()
            let zones = p.zones.keys.filter { zoneHome[$0] == p.name }.sorted()
            let zoneOK = zones.filter { z in mine.filter { units[$0].zone == z && eligible($0) }.count >= delegationThreshold }
            delegation.zones = zoneOK.isEmpty ? .none : .only(Set(zoneOK))
            let candidates = p.towns.filter { t in
                switch townDelegation(p.name) {
                case .none: return false
                case .all: return true
                case .allBut(let kept): return !kept.contains(t)
                }
            }
            let townOK = candidates.filter { t in
                mine.filter { units[$0].town == t && !delegation.zones.includes(units[$0].zone) && eligible($0) }.count >= delegationThreshold
            }
            delegation.towns = townOK.isEmpty ? .none : (townOK.count == p.towns.count ? .all : .only(Set(townOK)))

            /// Appends the authority with the district's delegation; its position.
            func add(_ level: AuthorityLevel, town: String? = nil, zone: String? = nil, folder: String, short: String? = nil) -> Int {
                var s = scenario(Authority(name: AuthorityNames.name(level: level, district: p.name, town: town, zone: zone),
                                           level: level, district: p.name, town: town, zone: zone))
                s.delegation = delegation
                authorities.append(SyntheticAuthority(folder: folder, scenario: s, staff: [], experts: [], own: [],
                                                      inspectionPersonDays: 0, shortOfStaff: short))
                return authorities.count - 1
            }
            let dIndex = add(.district, folder: dfolder, short: shortDistricts[p.name])
            var zoneIndex: [String: Int] = [:], townIndex: [String: Int] = [:]
            for (zi, z) in zones.enumerated() where zoneOK.contains(z) {
                zoneIndex[z] = add(.zone, zone: z, folder: "\(dfolder)-z\(twoDigits(zi + 1))")
            }
            for (ti, t) in p.towns.enumerated() where townOK.contains(t) {
                townIndex[t] = add(.town, town: t, folder: "\(dfolder)-t\(twoDigits(ti + 1))")
            }
            // TIER-DISTRICT / TIER-ZONE / TIER-TOWN: key units stay with the bureau; general units
            // go to their delegated zone, else their delegated town, else the bureau.
            for i in mine {
                let u = units[i]
                if assessed[i].key { owner[i] = dIndex }
                else if let z = u.zone, let a = zoneIndex[z] { owner[i] = a }
                else if let a = townIndex[u.town] { owner[i] = a }
                else { owner[i] = dIndex }
            }
        }
        for i in units.indices { authorities[owner[i]].own.append(i) }

        for a in authorities.indices {
            size(&authorities[a], units: units, assessed: assessed, workdays: workdays, year: year, rng: &rng)
        }
        return SyntheticCity(year: year, seed: seed, drawSeed: drawSeed, units: units, authorities: authorities)
    }

    /// Staff, experts, deductions and campaigns of one authority, sized on its own units so that
    /// its plan can meet every rule (or, for the deliberately short bureaus, cannot cover its key
    /// units).
    static func size(_ a: inout SyntheticAuthority, units: [LedgerUnit], assessed: [UnitAssessment], workdays cal: Int,
                     year: Int, rng: inout SeededRandom) {
        let s = a.scenario
        let level = s.authority.level
        let maxv = s.policy.maxVisitsPerUnit
        let own = a.own
        let keys = own.filter { assessed[$0].key }
        let generals = own.filter { !assessed[$0].key }
        let keyVisits = keys.reduce(0) { $0 + min(maxv, max(1, assessed[$1].requiredVisits)) }
        // A campaign visits a unit once; a key unit only when it has room beyond its due visits.
        func eligible(_ c: Campaign) -> Int {
            own.filter { c.matches(units[$0]) && (!assessed[$0].key || assessed[$0].requiredVisits < maxv) }.count
        }
        func campaign(_ name: String, _ months: [Int], _ field: String, _ value: String, share: Double) -> Campaign? {
            var c = Campaign(name: name, months: months, match: [try! FieldMatch.make(field: field, values: [value]).get()], visits: 0)
            let n = eligible(c)
            // A campaign of a few key units could find each of them at its yearly cap (a second
            // key visit, another campaign): a bureau's campaign has at least eight.
            guard n >= (level == .town || level == .zone ? 1 : 8) else { return nil }
            c.visits = min(n, max(1, Int(Double(n) * share)))
            return c
        }

        var campaigns: [Campaign] = []
        var joint = 0
        let target: Int            // inspection person-days wanted
        var officers: Int
        switch level {
        case .town, .zone:
            // No key units: a campaign over the office's industry-and-trade units gives the key
            // share (PLAN-SHARE60). Visits ÷ inspection workdays ≥ 1 (PLAN-RATIO-LOCAL) within a
            // capacity of 1.125 visits a person-day (0.4 team-days a visit, 10% reserve) means
            // 1–1.125 visits a person-day, 60% of them campaign visits: the inspection
            // person-days are at most 0.9 × that pool (and at least 18, a visit a month).
            let pool = generals.filter { units[$0].category == .industryTrade }.count
            let wanted = max(18, Int((0.9 * Double(pool)).rounded()))
            officers = min(level == .town ? 4 : 20, max(2, Int((Double(wanted) / (0.45 * Double(cal))).rounded(.up))))
            target = min(wanted, Int(0.6 * Double(officers * cal)))
            let what = level == .town ? "街镇" : "功能区"
            if let c = campaign("\(what)工贸企业安全生产专项检查", Array(1...12), "category", "industry_trade", share: 1) {
                campaigns.append(Campaign(name: c.name, months: c.months, match: c.match, visits: min(c.visits, max(1, target / 2))))
            }
            if let c = campaign("有限空间作业专项检查", [5, 6, 7, 8], "sewage_treatment", "true", share: 0.5), eligible(c) >= 2 {
                campaigns.append(c)
            }
        case .city, .district:
            if level == .city {
                campaigns = [
                    campaign("危险化学品重大危险源专项执法", [4, 5, 6, 9, 10], "major_hazard", "true", share: 1.0 / 8),
                    campaign("冶金有色高温熔融金属专项执法", [3, 4, 5, 6], "molten_metal", "true", share: 1.0 / 8),
                    campaign("涉氨制冷企业专项执法", [6, 7, 8], "ammonia_refrigeration", "true", share: 1.0 / 8),
                ].compactMap { $0 }
            } else {
                campaigns = [
                    campaign("有限空间作业专项执法", [5, 6, 7, 8], "sewage_treatment", "true", share: 1.0 / 6),
                    campaign("烟花爆竹安全专项执法", [1, 12], "category", "fireworks", share: 1.0 / 8),
                    campaign("粉尘涉爆专项执法", [3, 4], "explosive_dust", "true", share: 1.0 / 8),
                ].compactMap { $0 }
                // FREQ-JOINT: only with industrial general units of its own to check (a district
                // that delegates every town has none), and key work enough that ten more general
                // visits leave the key share above 60%.
                let industrial = generals.filter { Category.isIndustrial(units[$0].category, units[$0].activity) }.count
                joint = industrial >= 10 && keyVisits >= 30 ? 10 : 0
            }
            let draws = Int((s.policy.generalSampleRate * Double(generals.count) - 1e-9).rounded(.up))
            let need = keyVisits + max(0, draws) + joint + campaigns.reduce(0) { $0 + $1.visits }
            // Effort 0.5 team-days a visit, 0.45 team-days a person-day after the 10% reserve:
            // 15% spare capacity (lent to a short bureau in a city run), and visits ÷ inspection
            // workdays ≥ 0.75 (PLAN-RATIO-BUREAU) stays within what the rules already need.
            // A small bureau (a central district that delegates its towns) has few units to
            // visit: no more inspection person-days than the visits its units allow (at most
            // `maxv` a key unit, one a drawn unit and a campaign unit) with 60% of them key or
            // campaign visits could reach at 0.75 a person-day.
            let campaignMax = campaigns.reduce(0) { $0 + eligible($1) }
            let keyMax = keys.count * maxv
            let reachable = min(Double(keyMax + generals.count + campaignMax), Double(keyMax + campaignMax) / 0.6)
            let least = Int(((Double(max(need, 12)) * 0.5 + 0.3) / 0.45).rounded(.up)) + 1
            let spare = Int((Double(max(need, 13)) * 0.5 / 0.45 * 1.15).rounded(.up)) + 2
            if a.shortOfStaff != nil {
                target = max(1, Int((Double(keyVisits) * 0.75 * 0.5 / 0.45).rounded(.up)))
            } else {
                target = max(least, min(spare, Int(0.9 * reachable / 0.75)))
            }
            // Published district plans leave about a quarter of the gross for inspection.
            officers = max(4, Int((Double(target) / (0.25 * Double(cal))).rounded(.up)))
        }

        let ownUnits = own.map { units[$0] }
        var staff = Generator.people(officers, prefix: "E", certified: true, year: year, units: ownUnits, &rng)
        // At least two certified officers (a team) and a leader; more certified if the gross
        // would not hold the target.
        for i in staff.indices where i < 2 || staff.filter({ $0.certified }).count * cal < target + target / 10 {
            staff[i].certified = true
        }
        if !staff.contains(where: { $0.leader }) { staff[0].leader = true }
        let experts = Generator.people(level == .town || level == .zone ? 1 : max(3, officers / 3), prefix: "X", certified: false,
                                       year: year, units: ownUnits, &rng)
        let certified = staff.filter { $0.certified }.count
        let gross = certified * cal
        let inspection = min(target, gross)
        let deductions = gross - inspection

        var sc = a.scenario
        sc.staffPath = "staff.csv"; sc.expertsPath = "experts.csv"
        sc.campaigns = campaigns
        if level == .district { sc.joint.visits = joint }
        let local = level == .town || level == .zone
        // Other enforcement work about two thirds of the deductions, the rest non-enforcement.
        let other = Int((Double(deductions) * 0.66).rounded())
        sc.workdays.otherEnforcement = parts(other, local ? [
            ("隐患排查巡查", 0.3), ("综合执法协查", 0.2), ("投诉举报处置", 0.15), ("安全宣传培训", 0.15), ("上级交办任务", 0.2)]
            : [("综合监管", 0.18), ("行政许可", 0.14), ("事故调查处理", 0.12), ("投诉举报核查", 0.1), ("联合执法", 0.1),
               ("登记备案", 0.08), ("中介机构监督检查", 0.06), ("宣传教育培训", 0.08), ("行政复议/应诉", 0.04), ("上级交办执法任务", 0.1)])
        sc.workdays.nonEnforcement = parts(deductions - other, local ? [
            ("值班值守", 0.3), ("学习、培训、会议", 0.25), ("休假", 0.3), ("其他", 0.15)]
            : [("机关值班", 0.2), ("学习、培训、考核、会议", 0.22), ("检查指导下级", 0.1), ("党群活动", 0.08),
               ("病假、事假", 0.1), ("法定年休假、探亲假、婚（丧）假", 0.22), ("其他", 0.08)])
        a.scenario = sc
        a.staff = staff
        a.experts = experts
        a.inspectionPersonDays = inspection
    }

    /// `total` person-days in named parts, whole days, adding up to `total` exactly (the last
    /// part takes the rounding); parts of 0 days are left out.
    static func parts(_ total: Int, _ shares: [(String, Double)]) -> [WorkdayItem] {
        var out: [WorkdayItem] = [], left = total
        for (i, (name, share)) in shares.enumerated() {
            let d = i == shares.count - 1 ? left : min(left, Int((Double(total) * share).rounded()))
            left -= d
            if d > 0 { out.append(WorkdayItem(name: name, days: Double(d))) }
        }
        return out
    }

    /// `total` shared by `weights`, whole numbers adding up to `total` (largest remainder, ties
    /// to the earlier).
    static func apportion(_ total: Int, _ weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        let exact = weights.map { Double(total) * $0 / sum }
        var out = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(out[$0]), -$0) > (exact[$1] - Double(out[$1]), -$1) }
        for k in 0..<(total - out.reduce(0, +)) { out[order[k % order.count]] += 1 }
        return out
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}

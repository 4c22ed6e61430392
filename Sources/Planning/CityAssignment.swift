import Foundation
import Ledger
import Policy

/// One unit, one level (TIER-ONE) over a whole city folder (DATA.md §7): which authority of the
/// folder inspects each ledger unit, which units no authority of the folder takes (and why), and
/// which two or more authorities claim.
///
/// An authority claims exactly the units it would plan alone (`PlanContext.ownUnits`) with its
/// city delegation (`CityAssignment.cityScenario`): a town or zone body takes its district's
/// `delegate` lists, plus its own town or zone, so a town scenario that plans units its district
/// did not delegate claims them beside the district, and that is a conflict.
public struct CityAssignment: Sendable {
    public struct Unassigned: Sendable, Equatable {
        public var unit: Int
        public var id: String
        public var reason: String
        public var reasonEN: String
        public func reason(_ lang: Lang) -> String { lang == .zh ? reason : reasonEN }
    }
    public struct Conflict: Sendable, Equatable {
        public var unit: Int
        public var id: String
        /// The claiming authorities' names, in the folder's order.
        public var authorities: [String]
    }
    /// Each authority's scenario as the city run plans it (its city delegation), in folder order.
    public var scenarios: [Scenario]
    /// Each authority's units: ledger positions, ascending.
    public var own: [[Int]]
    public var unassigned: [Unassigned]
    public var conflicts: [Conflict]
    public var assigned: Int { own.reduce(0) { $0 + $1.count } }

    /// The scenario an authority of a city folder is planned with: a town or zone body inherits
    /// its district bureau's `delegate` lists (the district decides what it hands down, TIER-TOWN,
    /// TIER-ZONE) and keeps its own town or zone, which it claims in any case.
    public static func cityScenario(_ s: Scenario, among all: [Scenario]) -> Scenario {
        var s = s
        let a = s.authority
        guard a.level == .town || a.level == .zone,
              let district = all.first(where: { $0.authority.level == .district && $0.authority.district == a.district }) else { return s }
        var d = district.delegation
        switch a.level {
        case .town: d.towns = add(a.town, to: d.towns)
        case .zone: d.zones = add(a.zone, to: d.zones); d.zoneKeyUnits = d.zoneKeyUnits || s.delegation.zoneKeyUnits
        default: break
        }
        s.delegation = d
        return s
    }

    static func add(_ name: String?, to sel: Delegation.Selection) -> Delegation.Selection {
        guard let name else { return sel }
        switch sel {
        case .all: return .all
        case .none: return .only([name])
        case .only(let names): return .only(names.union([name]))
        }
    }

    /// Assigns every unit of `units`, classified once in `classes` (their class only is read: the
    /// tier depends on each authority's delegation and is worked out here).
    public static func make(_ city: CityFolder, units: [LedgerUnit], classes: [UnitClass]) -> CityAssignment {
        let originals = city.authorities.map { $0.scenario }
        let scenarios = originals.map { cityScenario($0, among: originals) }
        let classifiers = scenarios.map { Classifier(scenario: $0) }
        // Candidate authorities of a unit: the city bureau, its district bureau, its town's office
        // and its zone's body (by the names they are planned under).
        var city: [Int] = [], byDistrict: [String: [Int]] = [:], byTown: [String: [Int]] = [:], byZone: [String: [Int]] = [:]
        for (k, s) in scenarios.enumerated() {
            let a = s.authority
            switch a.level {
            case .city: city.append(k)
            case .district: byDistrict[a.district ?? "", default: []].append(k)
            case .town: byTown[(a.district ?? "") + "\u{1}" + (a.town ?? ""), default: []].append(k)
            case .zone: byZone[a.zone ?? "", default: []].append(k)
            }
        }
        var own = Array(repeating: [Int](), count: scenarios.count)
        var unassigned: [Unassigned] = [], conflicts: [Conflict] = []
        for (i, u) in units.enumerated() {
            var claims: [Int] = []
            var candidates = city + (byDistrict[u.district] ?? []) + (byTown[u.district + "\u{1}" + u.town] ?? [])
            if let z = u.zone { candidates += byZone[z] ?? [] }
            for k in candidates.sorted() where PlanContext.claims(scenarios[k].authority, tier: classifiers[k].tier(u, classes[i]), unit: u) {
                claims.append(k)
            }
            switch claims.count {
            case 1: own[claims[0]].append(i)
            case 0:
                let (zh, en) = reason(u, classes[i], scenarios: scenarios, byDistrict: byDistrict)
                unassigned.append(Unassigned(unit: i, id: u.id, reason: zh, reasonEN: en))
            default:
                conflicts.append(Conflict(unit: i, id: u.id, authorities: claims.map { scenarios[$0].authority.name }))
            }
        }
        return CityAssignment(scenarios: scenarios, own: own, unassigned: unassigned, conflicts: conflicts)
    }

    /// Why no authority of the folder takes `u`: the authority the policy gives it (by its
    /// district bureau's delegation) has no scenario in the folder.
    static func reason(_ u: LedgerUnit, _ cls: UnitClass, scenarios: [Scenario], byDistrict: [String: [Int]]) -> (String, String) {
        let district = byDistrict[u.district]?.first.map { scenarios[$0] }
        let classifier = district.map { Classifier(scenario: $0) } ?? Classifier(year: scenarios.first?.year ?? 2000)
        let tier = classifier.tier(u, cls)
        let name = AuthorityNames.name(level: tier, district: u.district, town: u.town, zone: u.zone)
        switch tier {
        case .city:
            return ("市级执法单位（TIER-CITY），但本次运行没有市局（\(name)）的场景",
                    "a city-tier unit (TIER-CITY), but the folder has no scenario for the city bureau (\(name))")
        case .district:
            return ("所属区\(u.district)的区局（\(name)）在本次运行中没有场景",
                    "its district bureau (\(name), \(u.district)) has no scenario in the folder")
        case .town:
            return ("区局委托\(u.town)检查（TIER-TOWN），但该街镇（\(name)）没有场景",
                    "delegated by the district to \(u.town) (TIER-TOWN), but that office (\(name)) has no scenario")
        case .zone:
            return ("区局委托功能区\(u.zone ?? "")检查（TIER-ZONE），但该功能区主体（\(name)）没有场景",
                    "delegated by the district to the zone \(u.zone ?? "") (TIER-ZONE), but its body (\(name)) has no scenario")
        }
    }
}

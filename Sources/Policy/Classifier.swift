import Ledger

/// What the policy makes of one unit: its class, the rules that hold, who inspects it, and why.
public struct Classification: Hashable, Sendable {
    public var id: String
    public var unitClass: UnitClass
    /// Every rule that holds, in RULES.md order, including KEY-D rules set aside by an exemption.
    public var rules: [KeyRule]
    /// The recorded special circumstance (特殊情况说明), if any; shown wherever the class is.
    public var exemption: String?
    /// True when an exemption is what kept this unit general.
    public var exempted: Bool
    public var tier: Tier
    public var authority: String
    /// The risk level used for planning: the ledger's, or derived (see `riskDerived`).
    public var riskLevel: RiskLevel
    public var riskDerived: Bool
    /// One line in Chinese citing the clauses, e.g. `三(一)1：核发许可证的危险化学品生产单位`.
    public var explanation: String
    public var explanationEN: String

    public func explanation(_ lang: Lang) -> String { lang == .zh ? explanation : explanationEN }
}

/// Classification and tiering (RULES.md §2, §4, §7). Pure: the same unit, year and delegation
/// always give the same result.
public struct Classifier: Sendable {
    public let year: Int
    public let district: String?
    public let delegation: Delegation
    /// "Last three years": on or after 1 January of (plan year − 3), no upper bound (§7.1).
    public let windowStart: CivilDate

    public init(year: Int, district: String? = nil, delegation: Delegation = Delegation()) {
        self.year = year
        self.district = district
        self.delegation = delegation
        self.windowStart = CivilDate(year: year - 3, month: 1, day: 1)!
    }

    public init(scenario: Scenario) {
        var d = scenario.delegation
        // A township or zone body's own scenario implies the delegation that makes it an authority.
        switch scenario.authority.level {
        case .town: if let t = scenario.authority.town, d.towns == .none { d.towns = .only([t]) }
        case .zone: if let z = scenario.authority.zone, d.zones == .none { d.zones = .only([z]) }
        default: break
        }
        self.init(year: scenario.year, district: scenario.authority.district, delegation: d)
    }

    /// Every rule of RULES.md §2 that holds for `u`, whatever its exemption.
    public func rules(_ u: LedgerUnit) -> [KeyRule] {
        var r: [KeyRule] = []
        let hazchemLicensedHolder = u.category == .hazchem && u.licensed
            && [.production, .storage, .use].contains(u.activity)
        if hazchemLicensedHolder { r.append(.m1) }                                        // §7.2
        if !hazchemLicensedHolder && (u.keyProcess || u.majorHazard) { r.append(.m2) }     // §7.3
        if u.category == .fireworks && u.activity == .retail { r.append(.m3) }            // §7.4
        if u.moltenMetal { r.append(.m4) }                                                 // §7.5
        if u.explosiveDust { r.append(.m5) }
        if u.ammoniaRefrigeration { r.append(.m6) }
        if u.category == .industryTrade && u.activity == .lightIndustry && u.sewageTreatment,
           let s = u.lightSector, s != .other { r.append(.m7) }
        if u.category == .assessmentAgency { r.append(.m8) }
        if u.category == .industryTrade && (u.scale == .large || u.scale == .medium) { r.append(.m9) }
        if u.openMajorHazard { r.append(.d1) }
        if let d = u.lastFatalAccident, d >= windowStart { r.append(.d2) }
        if let d = u.lastBlacklisted, d >= windowStart { r.append(.d3) }
        if u.penalties3y >= 2 { r.append(.d4) }
        if u.designatedKey { r.append(.d5) }
        if r.isEmpty && u.cityList { r.append(.city) }                                     // §7.10
        return r
    }

    public func classify(_ u: LedgerUnit) -> Classification {
        let rules = rules(u)
        let exemption = u.exemption.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        let mandatory = rules.contains { !$0.isDefault }
        let byDefault = rules.contains { $0.isDefault }
        // The city's key list makes a unit key whatever its exemption (§7.10).
        let isKey = mandatory || (byDefault && exemption == nil) || u.cityList
        let exempted = !isKey && byDefault && exemption != nil
        let cls: UnitClass = isKey ? .key : .general
        let tier = self.tier(u, cls)
        let authority = AuthorityNames.name(level: tier, district: u.district, town: u.town, zone: u.zone)
        let (risk, derived) = RiskAssessment.level(u, rules: rules, exempted: exempted)
        let (zh, en) = explain(u, cls, rules, exemption, exempted)
        return Classification(id: u.id, unitClass: cls, rules: rules, exemption: exemption, exempted: exempted,
                              tier: tier, authority: authority, riskLevel: risk, riskDerived: derived,
                              explanation: zh, explanationEN: en)
    }

    /// Classifies a whole ledger, in order, using every core (units are independent).
    public func classify(_ units: [LedgerUnit]) -> [Classification] {
        guard units.count > 2_000 else { return units.map(classify) }
        let chunks = max(1, ProcessInfo.processInfo.activeProcessorCount) * 4
        var parts = [[Classification]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { out in
            // Each iteration writes its own element `c` only, and `concurrentPerform` returns
            // after the last: no element is shared between threads.
            nonisolated(unsafe) let buffer = out
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = units.count * c / chunks, hi = units.count * (c + 1) / chunks
                buffer[c] = units[lo..<hi].map(classify)
            }
        }
        return parts.flatMap { $0 }
    }

    /// RULES.md §4 with §7.7 and §7.14: city for central headquarters, central branches, city
    /// headquarters and the city list; otherwise district. General units may be delegated to a
    /// zone body (when the unit has that zone) or a township/street office; a zone authorised
    /// for key units (`delegate.zone_key_units`) takes its zone's district-tier key units too.
    /// Key units are never delegated to towns.
    public func tier(_ u: LedgerUnit, _ cls: UnitClass) -> Tier {
        if [.centralHQ, .centralBranch, .cityHQ].contains(u.ownership) || u.cityList { return .city }
        guard cls == .general else {
            return delegation.zoneKeyUnits && delegation.zones.includes(u.zone) ? .zone : .district
        }
        if delegation.zones.includes(u.zone) { return .zone }
        if delegation.towns.includes(u.town) { return .town }
        return .district
    }

    func explain(_ u: LedgerUnit, _ cls: UnitClass, _ rules: [KeyRule], _ exemption: String?, _ exempted: Bool) -> (String, String) {
        func zhText(_ r: KeyRule) -> String {
            if r == .m1, let a = u.activity { return "\(r.clause)：核发许可证的危险化学品\(a.zh)单位" }
            return "\(r.clause)：\(r.zh)"
        }
        var shown = exempted ? [] : rules.filter { cls == .key && (!$0.isDefault || exemption == nil) }
        // On the city list with every other rule set aside by an exemption: the list decides.
        if cls == .key && shown.isEmpty && u.cityList { shown = [.city] }
        var zh: String, en: String
        if cls == .key {
            zh = shown.map(zhText).joined(separator: "；")
            en = shown.map { "\($0.id): \($0.en)" }.joined(separator: "; ")
            let setAside = rules.filter { $0.isDefault && exemption != nil }
            if !setAside.isEmpty, let e = exemption {
                zh += "（\(setAside.map { $0.clause }.joined(separator: "、"))因特殊情况不适用：\(e)）"
                en += " (\(setAside.map { $0.id }.joined(separator: ", ")) set aside by exemption: \(e))"
            }
        } else if exempted, let e = exemption {
            zh = "一般检查单位：\(rules.map { $0.clause }.joined(separator: "、"))本应纳入重点，因特殊情况不纳入：\(e)"
            en = "general: \(rules.map { $0.id }.joined(separator: ", ")) set aside by exemption: \(e)"
        } else {
            zh = "一般检查单位：不符合三(一)任何纳入重点的情形"
            en = "general: no rule of 三(一) holds"
        }
        return (zh, en)
    }
}

/// The risk level used to order visits when the ledger leaves it blank (DATA.md §1): derived
/// from flags and history, and marked as derived.
public enum RiskAssessment {
    public static func level(_ u: LedgerUnit, rules: [KeyRule], exempted: Bool) -> (RiskLevel, derived: Bool) {
        if let r = u.riskLevel { return (r, false) }
        let active = exempted ? rules.filter { !$0.isDefault } : rules
        let set = Set(active)
        if set.contains(.d1) || set.contains(.d2) { return (.red, true) }
        if !set.isDisjoint(with: [.m1, .m2, .m4, .m5, .m6, .d3]) { return (.orange, true) }
        if !set.isEmpty { return (.yellow, true) }
        return (.blue, true)
    }
}

import Foundation

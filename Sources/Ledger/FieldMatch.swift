/// One condition of a campaign's `match`: a ledger field (English key or Chinese header) and
/// the values that satisfy it, normalised to the field's type.
public struct FieldMatch: Hashable, Sendable {
    public let key: String
    public let values: Set<String>

    /// Validates `value` against the field's type; the error text says what would be valid.
    public static func make(field: String, values raw: [String]) -> Result<FieldMatch, MatchProblem> {
        guard let spec = LedgerLoader.columns.first(where: { $0.key == field || $0.zh == field }) else {
            return .failure(MatchProblem(message: "不是台账字段；可用：\(LedgerLoader.columns.map { $0.key }.joined(separator: ", ")) (unknown ledger field)"))
        }
        var out: Set<String> = []
        for v in raw {
            guard let n = LedgerUnit.normalise(key: spec.key, value: v) else {
                return .failure(MatchProblem(message: "「\(v)」不是字段 \(spec.key) 的有效取值 (not a valid value for '\(spec.key)')"))
            }
            out.insert(n)
        }
        return .success(FieldMatch(key: spec.key, values: out))
    }

    public func matches(_ u: LedgerUnit) -> Bool { values.contains(u.fieldValue(key) ?? "") }

}

public struct MatchProblem: Error, Sendable { public let message: String }

extension LedgerUnit {
    static let boolKeys: Set<String> = ["licensed", "key_process", "major_hazard", "molten_metal", "explosive_dust",
        "ammonia_refrigeration", "sewage_treatment", "open_major_hazard", "designated_key", "city_list",
        "safety_culture", "liability_insurance"]

    /// A field's value in normal form: bools "true"/"false", enums their English key, text as is.
    public func fieldValue(_ key: String) -> String? {
        guard let read = Self.fieldReader(key) else { return nil }
        return withUnsafePointer(to: self) { read($0) }
    }

    /// What `fieldValue(key)` reads, resolved once for many units (a campaign matched against a
    /// large ledger compared the key with every field name for every unit), reading the field in
    /// place (passing each record by value copied it).
    static func fieldReader(_ key: String) -> (@Sendable (UnsafePointer<LedgerUnit>) -> String?)? {
        switch key {
        case "id": return { $0.pointee.id }
        case "name": return { $0.pointee.name }
        case "district": return { $0.pointee.district }
        case "town": return { $0.pointee.town }
        case "zone": return { $0.pointee.zone }
        case "category": return { $0.pointee.category.rawValue }
        case "activity": return { $0.pointee.activity?.rawValue }
        case "light_sector": return { $0.pointee.lightSector?.rawValue }
        case "scale": return { $0.pointee.scale.rawValue }
        case "licensed": return { String($0.pointee.licensed) }
        case "key_process": return { String($0.pointee.keyProcess) }
        case "major_hazard": return { String($0.pointee.majorHazard) }
        case "molten_metal": return { String($0.pointee.moltenMetal) }
        case "explosive_dust": return { String($0.pointee.explosiveDust) }
        case "ammonia_refrigeration": return { String($0.pointee.ammoniaRefrigeration) }
        case "sewage_treatment": return { String($0.pointee.sewageTreatment) }
        case "open_major_hazard": return { String($0.pointee.openMajorHazard) }
        case "designated_key": return { String($0.pointee.designatedKey) }
        case "city_list": return { String($0.pointee.cityList) }
        case "safety_culture": return { String($0.pointee.safetyCulture) }
        case "liability_insurance": return { String($0.pointee.liabilityInsurance) }
        case "ownership": return { $0.pointee.ownership.rawValue }
        case "standardisation": return { $0.pointee.standardisation.rawValue }
        case "risk_level": return { $0.pointee.riskLevel?.rawValue }
        case "penalties_3y": return { String($0.pointee.penalties3y) }
        default: return nil
        }
    }

    /// The normal form of a value written for `key`, or nil when it is not valid there.
    static func normalise(key: String, value v: String) -> String? {
        let t = v.trimmingCharacters(in: .whitespaces)
        if boolKeys.contains(key) {
            if RowReader.trueWords.contains(t.lowercased()) { return "true" }
            if RowReader.falseWords.contains(t.lowercased()) { return "false" }
            return nil
        }
        switch key {
        case "category": return Category(term: t)?.rawValue
        case "activity": return Activity(term: t)?.rawValue
        case "light_sector": return LightSector(term: t)?.rawValue
        case "scale": return Scale(term: t)?.rawValue
        case "ownership": return Ownership(term: t)?.rawValue
        case "standardisation": return Standardisation(term: t)?.rawValue
        case "risk_level": return RiskLevel(term: t)?.rawValue
        case "penalties_3y": return StrictNumber.integer(t).map(String.init)
        // A credit code is compared byte by byte: it must be a valid one (ASCII, GB 32100-2015).
        case "id": return CreditCode.isValid(t) ? t : nil
        case "name", "district", "town", "zone": return InputText.forbidden(in: t) == nil ? t : nil
        default: return nil
        }
    }
}

import Foundation

import Foundation

/// A unit as the text of DATA.md §1's columns in their canonical spelling: English keys for
/// enumerated values, `yes`/`no`, `YYYY-MM-DD`, whole numbers, decimals without an exponent.
/// What the ledger database stores and exports: loading these fields gives back the same unit.
public enum LedgerRow {
    /// The §1 column keys, in the order of `LedgerLoader.columns`.
    public static let keys: [String] = LedgerLoader.columns.map(\.key)

    /// The canonical text of every §1 column of `u` (empty where the unit has no value).
    public static func fields(_ u: LedgerUnit) -> [String] {
        fields(u, chinese: false, decimal: shortestDecimal)
    }

    /// Every §1 column of `u` as a district spreadsheet writes it: Chinese terms, 是/否, no
    /// standardisation level left blank; `decimal` writes the coordinates.
    public static func chineseFields(_ u: LedgerUnit, decimal: (Double) -> String = shortestDecimal) -> [String] {
        fields(u, chinese: true, decimal: decimal)
    }

    static func fields(_ u: LedgerUnit, chinese zh: Bool, decimal: (Double) -> String) -> [String] {
        func yn(_ b: Bool) -> String { zh ? (b ? "是" : "否") : (b ? "yes" : "no") }
        func term<T: LedgerTerm>(_ t: T?) -> String { t.map { zh ? $0.zh : $0.rawValue } ?? "" }
        let standardisation = zh && u.standardisation == .none ? "" : u.standardisation.rawValue
        return [u.id, u.name, u.district, u.town, u.zone ?? "", term(u.category), term(u.activity),
                term(u.lightSector), term(u.scale), yn(u.licensed), yn(u.keyProcess), yn(u.majorHazard),
                yn(u.moltenMetal), yn(u.explosiveDust), yn(u.ammoniaRefrigeration), yn(u.sewageTreatment),
                yn(u.openMajorHazard), u.lastFatalAccident?.description ?? "", u.lastBlacklisted?.description ?? "",
                String(u.penalties3y), yn(u.designatedKey), u.exemption ?? "", term(u.ownership), yn(u.cityList),
                standardisation, term(u.riskLevel), yn(u.safetyCulture), yn(u.liabilityInsurance),
                u.lastInspected?.description ?? "", u.latitude.map(decimal) ?? "", u.longitude.map(decimal) ?? "", u.address ?? ""]
    }

    /// Canonical fields (`fields`) as a district spreadsheet writes them (`chineseFields`),
    /// in place, without loading the unit: what `ledger export` does with stored rows, which
    /// were checked when imported. Pass-through columns after the §1 fields are kept as they are.
    public static func translateToChinese(_ fields: inout [String]) {
        for (j, terms) in chineseTerms where j < fields.count {
            // A few short terms a column: comparing them is cheaper than hashing the field.
            for (canonical, zh) in terms where fields[j] == canonical { fields[j] = zh; break }
        }
    }

    /// For each §1 column written differently in Chinese: its index and (canonical, Chinese).
    static let chineseTerms: [(Int, [(String, String)])] = {
        func terms<T: LedgerTerm>(_: T.Type) -> [(String, String)] { T.allCases.map { ($0.rawValue, $0.zh) } }
        let yesNo = [("yes", "是"), ("no", "否")]
        let byKey: [String: [(String, String)]] = [
            "category": terms(Category.self), "activity": terms(Activity.self), "light_sector": terms(LightSector.self),
            "scale": terms(Scale.self), "ownership": terms(Ownership.self), "risk_level": terms(RiskLevel.self),
            "standardisation": [(Standardisation.none.rawValue, "")],
            "licensed": yesNo, "key_process": yesNo, "major_hazard": yesNo, "molten_metal": yesNo, "explosive_dust": yesNo,
            "ammonia_refrigeration": yesNo, "sewage_treatment": yesNo, "open_major_hazard": yesNo, "designated_key": yesNo,
            "city_list": yesNo, "safety_culture": yesNo, "liability_insurance": yesNo,
        ]
        return keys.enumerated().compactMap { j, k in byKey[k].map { (j, $0) } }
    }()

    /// A decimal in the fewest digits that read back as the same number, never with an exponent.
    public static func shortestDecimal(_ v: Double) -> String {
        let s = "\(v)"
        // The byte, not `contains("e")`: that is Foundation's substring search, which took a
        // quarter of the time of encoding a whole unit.
        if !s.utf8.contains(UInt8(ascii: "e")) { return s.hasSuffix(".0") ? String(s.dropLast(2)) : s }
        var t = String(format: "%.17f", v)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    /// Field and record separators for storing a row as one text: control characters no
    /// ledger field may hold (`InputText.isStorable`), so they never clash with a value.
    public static let fieldSeparator: Character = "\u{1F}", pairSeparator: Character = "\u{1E}"
    static let fieldSeparatorByte = fieldSeparator.asciiValue!

    /// One stored text for a unit: its §1 fields, then each pass-through column as
    /// `header␞value` (blank values left out).
    public static func encode(fields: [String], extras: [(header: String, value: String)]) -> String {
        var parts = fields
        for (h, v) in extras where !v.isEmpty { parts.append(h + String(pairSeparator) + v) }
        return parts.joined(separator: String(fieldSeparator))
    }

    /// The inverse of `encode`: nil when the text does not hold the §1 fields.
    public static func decode(_ text: String) -> (fields: [String], extras: [(header: String, value: String)])? {
        // Split at the separator's byte (ASCII): the same parts as splitting the characters, since
        // a control character never joins a grapheme cluster, and several times faster.
        var text = text
        let parts: [String] = text.withUTF8 { bytes in
            var parts: [String] = [], start = 0
            parts.reserveCapacity(keys.count)
            for (i, b) in bytes.enumerated() where b == fieldSeparatorByte {
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                start = i + 1
            }
            parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return parts
        }
        guard parts.count >= keys.count else { return nil }
        var extras: [(String, String)] = []
        for p in parts[keys.count...] {
            guard let k = p.firstIndex(of: pairSeparator) else { return nil }
            extras.append((String(p[..<k]), String(p[p.index(after: k)...])))
        }
        return (Array(parts[..<keys.count]), extras)
    }
}

extension LedgerLoader {
    /// Loads a ledger from rows already split into fields (a database's stored rows), with every
    /// check of a file: `header` names the columns, `records` holds each row's number and fields.
    public static func load(header: [String], records: [(row: Int, fields: [String])], source: String) throws -> Ledger {
        try decode(CSVTable(file: source, header: header, records: records))
    }
}

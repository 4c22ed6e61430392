/// PLAN-SHARE60 (五(十二), RULES.md §7.8): key inspection work is the visits to key units, of any
/// kind, plus the special-campaign visits, over all visits.
public enum KeyShare {
    /// Whether a visit counts as key inspection work: its unit is key, or it is a campaign visit.
    public static func counts(unitClass: UnitClass?, kind: VisitKind?) -> Bool {
        unitClass == .key || kind == .special
    }

    /// The key inspection visits a `share` asks of `total` visits, ⌈share × total⌉.
    public static func needed(share: Double, of total: Int) -> Int {
        PolicyArithmetic.ceiling(share * Double(total) - 1e-9)
    }

    /// key ÷ total, 0 without visits.
    public static func share(_ key: Int, of total: Int) -> Double {
        total == 0 ? 0 : Double(key) / Double(total)
    }
}

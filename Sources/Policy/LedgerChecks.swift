import Ledger

/// Checks of a ledger that need the policy: fields whose absence could hide a key unit (warned,
/// row by row, with the rule the unit might meet) and dates after the plan's year (an error).
public enum LedgerChecks {
    /// A unit that might be key if a blank field were filled in.
    public struct MissingField: Hashable, Sendable {
        public var unit: String
        public var name: String
        public var district: String
        public var row: Int?
        /// The column as the file spells it.
        public var column: String
        public var rule: KeyRule
        public var message: String
        public var messageEN: String
        public func text(_ lang: Lang) -> String {
            let at = row.map { lang == .zh ? "第\($0)行" : "row \($0)" } ?? ""
            return lang == .zh ? "\(at)「\(column)」：\(message)（\(unit) \(name)）"
                               : "\(at), column \(column): \(messageEN) (\(unit) \(name))"
        }
    }

    /// Units classified general only because a field that decides a KEY-M rule is blank.
    public static func missingFields(_ ledger: Ledger) -> [MissingField] {
        var out: [MissingField] = []
        for (i, u) in ledger.units.enumerated() {
            func add(_ column: String, _ rule: KeyRule, _ zh: String, _ en: String) {
                let at = ledger.location(ofUnit: i, column: column)
                out.append(MissingField(unit: u.id, name: u.name, district: u.district, row: at.row, column: at.column, rule: rule,
                                        message: "\(zh)；若属实则为重点检查单位（\(rule.id) \(rule.clause)），请补填",
                                        messageEN: "\(en); the unit would be key under \(rule.id) if so — fill it in"))
            }
            switch u.category {
            case .hazchem where u.licensed && u.activity == nil:
                add("activity", .m1, "持危化品许可证但经营方式为空，可能为生产、储存或使用单位",
                    "licensed hazardous-chemicals unit with no activity: it may produce, store or use")
            case .fireworks where u.activity == nil:
                add("activity", .m3, "烟花爆竹单位经营方式为空，可能为零售单位", "fireworks unit with no activity: it may be a retailer")
            case .industryTrade where u.sewageTreatment && u.activity == nil:
                add("activity", .m7, "工贸单位有污水处理设施但细分行业为空，可能为轻工重点子行业",
                    "industry-and-trade unit with sewage treatment and no sub-sector: it may be light industry")
            case .industryTrade where u.sewageTreatment && u.activity == .lightIndustry && u.lightSector == nil:
                add("light_sector", .m7, "轻工单位有污水处理设施但轻工子行业为空，可能为食品、造纸、皮革、毛皮、羽毛及其制品",
                    "light-industry unit with sewage treatment and no light sub-sector: it may be food, paper, leather, fur or feather")
            default: break
            }
        }
        return out
    }

    /// Dates after 31 December of the plan's year: a record of the future is a typing error
    /// (RULES.md: the three-year window has no upper bound, so such a date would count).
    public static func datesAfterYear(_ ledger: Ledger, year: Int) -> [InputProblem] {
        guard let end = CivilDate(year: year, month: 12, day: 31) else { return [] }
        var out: [InputProblem] = []
        for (i, u) in ledger.units.enumerated() {
            for (column, date) in [("last_fatal_accident", u.lastFatalAccident), ("last_blacklisted", u.lastBlacklisted),
                                   ("last_inspected", u.lastInspected)] {
                guard let d = date, d > end else { continue }
                let at = ledger.location(ofUnit: i, column: column)
                out.append(InputProblem(file: ledger.source.isEmpty ? "台账" : ledger.source, row: at.row, column: at.column, value: d.description,
                                        message: "日期晚于计划年度\(year)年末 (date after the end of the plan's year \(year))"))
            }
        }
        return out
    }
}

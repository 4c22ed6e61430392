import Foundation
import Ledger
import Output

extension SyntheticCity {
    /// Writes the city folder of DATA.md §7 into `dir`: `city.yaml`, `ledger.csv` (every unit,
    /// Chinese headers as in a district's ledger) and, for each authority, `<folder>/scenario.yaml`,
    /// `staff.csv` and `experts.csv`. The scenarios leave out `year`, `seed` and `ledger`
    /// (city.yaml gives them). Each file is written atomically.
    public func write(to dir: String) throws {
        try FileOutput.makeDirectory(dir)
        try FileOutput.write(cityYAML(), to: "\(dir)/city.yaml")
        try CSVOutput.write(path: "\(dir)/ledger.csv", header: LedgerLoader.columns.map { $0.zh },
                            rows: units.map(SyntheticDistrict.ledgerRow))
        let staffHeader = StaffLoader.columns.map { $0.zh }
        for a in authorities {
            let sub = "\(dir)/\(a.folder)"
            try FileOutput.makeDirectory(sub)
            try CSVOutput.write(path: "\(sub)/staff.csv", header: staffHeader, rows: a.staff.map(SyntheticDistrict.staffRow))
            try CSVOutput.write(path: "\(sub)/experts.csv", header: staffHeader, rows: a.experts.map(SyntheticDistrict.staffRow))
            try FileOutput.write(scenarioYAML(a), to: "\(sub)/scenario.yaml")
        }
    }

    func cityYAML() -> String {
        let short = authorities.filter { $0.shortOfStaff != nil }.map { "\($0.scenario.authority.name)（\($0.folder)）" }
        return """
        # 合成示例：\(Self.cityName)全市执法计划（planner generate --city --units \(units.count) --seed \(seed) --year \(year)）
        # Synthetic city (DATA.md §7): \(authorities.count) authorities, \(units.count) units, \(officers) officers.
        # 监督检查工作日有意不足（由执法力量调用补足）：\(short.joined(separator: "、"))
        city: \(Self.cityName)
        year: \(year)
        seed: \(drawSeed)                # 双随机抽取的公开种子
        ledger: ledger.csv
        dispatch:                      # 执法力量调用 (TIER-DISPATCH)
          enabled: true
          max_lend_share: \(maxLendShare)

        """
    }

    /// One authority's scenario as DATA.md §3 has it, without `year`, `seed` and `ledger`.
    func scenarioYAML(_ a: SyntheticAuthority) -> String {
        let s = a.scenario, au = s.authority
        func num(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        var y = "# 合成示例场景：\(au.name)（\(Self.cityName)全市合成数据，planner generate --city --units \(units.count) --seed \(seed)）\n"
        y += "# Synthetic scenario in a city folder: year, seed and ledger come from ../city.yaml.\n"
        if let why = a.shortOfStaff { y += "# 有意设置的人力缺口 (deliberately short of inspection person-days): \(why)\n" }
        y += "authority:\n  name: \(au.name)\n  level: \(au.level.rawValue)\n"
        if let d = au.district { y += "  district: \(d)\n" }
        if let t = au.town { y += "  town: \(t)\n" }
        if let z = au.zone { y += "  zone: \(z)\n" }
        y += "staff: staff.csv\nexperts: experts.csv\n"
        y += "workdays:                      # 执法工作日测算（人日）：监督检查工作日 \(a.inspectionPersonDays)\n"
        y += "  other_enforcement:           # 其他执法工作日\n"
        for w in s.workdays.otherEnforcement { y += "    \(w.name ?? ""): \(num(w.days))\n" }
        y += "  non_enforcement:             # 非执法工作日\n"
        for w in s.workdays.nonEnforcement { y += "    \(w.name ?? ""): \(num(w.days))\n" }
        if !s.campaigns.isEmpty {
            y += "campaigns:                     # 专项执法 (PLAN-SPECIAL)\n"
            for c in s.campaigns {
                let m = c.match.map { f in
                    let v = f.values.sorted()
                    return "\(f.key): " + (v.count == 1 ? v[0] : "[\(v.joined(separator: ", "))]")
                }.joined(separator: ", ")
                y += "  - name: \(c.name)\n    months: [\(c.months.map(String.init).joined(separator: ", "))]\n"
                y += "    match: { \(m) }\n    visits: \(c.visits)\n"
            }
        }
        if au.level == .district {
            y += "joint:                         # 跨部门联合双随机抽查 (FREQ-JOINT)\(s.joint.visits == 0 ? "：本局无足够工业类一般单位（已委托街镇）" : "")\n"
            y += "  visits: \(s.joint.visits)\n"
            y += "delegate:                      # 委托街镇、功能区检查一般单位 (TIER-TOWN, TIER-ZONE)\n"
            y += "  towns: \(Self.selection(s.delegation.towns))\n"
            y += "  zones: \(Self.selection(s.delegation.zones))\n"
        }
        return y
    }

    static func selection(_ s: Delegation.Selection) -> String {
        switch s {
        case .none: return "none"
        case .all: return "all"
        case .only(let names): return "[\(names.sorted().joined(separator: ", "))]"
        }
    }
}

import Foundation
import Ledger
import Output

extension SyntheticDistrict {
    /// Writes ledger.csv (Chinese headers, as district spreadsheets have them), staff.csv,
    /// experts.csv and scenario.yaml into `dir`. Each file is written atomically.
    public func write(to dir: String) throws {
        try FileOutput.makeDirectory(dir)
        let header = LedgerLoader.columns.map { $0.zh }
        let rows = units.map { Self.ledgerRow($0) }
        let staffHeader = StaffLoader.columns.map { $0.zh }
        try CSVOutput.write(path: "\(dir)/ledger.csv", header: header, rows: rows)
        try CSVOutput.write(path: "\(dir)/staff.csv", header: staffHeader, rows: staff.map(Self.staffRow))
        try CSVOutput.write(path: "\(dir)/experts.csv", header: staffHeader, rows: experts.map(Self.staffRow))
        try FileOutput.write(scenarioYAML(), to: "\(dir)/scenario.yaml")
    }

    static func yn(_ b: Bool) -> String { b ? "是" : "否" }

    static func ledgerRow(_ u: LedgerUnit) -> [String] {
        LedgerRow.chineseFields(u, decimal: { String(format: "%.5f", $0) })
    }

    static func staffRow(_ m: StaffMember) -> [String] {
        [m.id, m.name, yn(m.certified), yn(m.leader), m.specialties.map { $0.rawValue }.joined(separator: ";"),
         m.unavailable.map { $0.description }.joined(separator: ";"), m.conflicts.joined(separator: ";")]
    }

    func scenarioYAML() -> String {
        let s = scenario
        func num(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        var y = """
        # 合成示例场景：\(profile.name)（planner generate --district \(profile.name) --units \(units.count) --seed \(seed)）
        # Synthetic demo scenario. Every policy number not stated here takes its default (PARAMETERS.md).
        year: \(s.year)
        authority:
          name: \(s.authority.name)
          level: district
          district: \(profile.name)
        ledger: ledger.csv
        staff: staff.csv
        experts: experts.csv
        seed: \(s.seed)                # 双随机抽取的公开种子
        workdays:                      # 执法工作日测算（人日）
          other_enforcement:           # 其他执法工作日

        """
        for w in s.workdays.otherEnforcement { y += "    \(w.name ?? ""): \(num(w.days))\n" }
        y += "  non_enforcement:             # 非执法工作日\n"
        for w in s.workdays.nonEnforcement { y += "    \(w.name ?? ""): \(num(w.days))\n" }
        y += "campaigns:                     # 专项执法 (PLAN-SPECIAL)\n"
        for c in s.campaigns {
            let m = c.match.map { "\($0.key): \($0.values.sorted().joined())" }.joined(separator: ", ")
            y += "  - name: \(c.name)\n    months: [\(c.months.map(String.init).joined(separator: ", "))]\n"
            y += "    match: { \(m) }\n    visits: \(c.visits)\n"
        }
        return y
    }
}

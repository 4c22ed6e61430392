/// The names of the files the planner writes into an output folder, in both languages: an
/// existing folder holding only such files (written before output folders carried the
/// `.planner-output` marker) may be replaced by a new run (`OutputFolder.open(_:recognises:)`).
public enum OutputNames {
    static let fixed: Set<String> = [
        // plan, replan
        "plan.json", "changes.json",
        "季度计划.csv", "月度计划.csv", "重点检查单位清单.csv", "检查安排.csv", "双随机抽取记录.csv", "执法计划.xlsx", "执法计划.html", "执法计划.pdf", "变更清单.csv",
        "quarterly.csv", "monthly.csv", "key-units.csv", "visits.csv", "draws.csv", "plan.xlsx", "plan.html", "plan.pdf", "changes.csv",
        // whatif
        "情景比较.csv", "情景比较.json", "情景比较.svg", "情景比较.xlsx", "情景比较.html", "情景比较.pdf",
        "whatif.csv", "whatif.json", "whatif.svg", "whatif.xlsx", "whatif.html", "whatif.pdf",
        // city
        "city.json", "全市汇总.xlsx", "全市汇总.html", "全市汇总.pdf", "city-summary.xlsx", "city-summary.html", "city-summary.pdf",
        // generate
        "ledger.csv", "staff.csv", "experts.csv", "scenario.yaml",
    ]

    /// True for a name the planner writes (`roster-2027-03.json`, `现场检查方案-2027-03.xlsx`, …).
    /// Also what a killed run of an earlier version left: its staging folder
    /// (`.planner-staging-…`), a workbook's `NAME.part` or `.NAME.<uuid>.tmp`.
    public static func isPlannerFile(_ name: String) -> Bool {
        if fixed.contains(name) { return true }
        if name.hasPrefix(".planner-staging-") { return true }
        if name.hasSuffix(".part") { return isPlannerFile(String(name.dropLast(5))) }
        if name.hasPrefix("."), name.hasSuffix(".tmp") {
            let parts = name.dropFirst().dropLast(4).split(separator: ".")
            if parts.count >= 3 { return isPlannerFile(parts.dropLast().joined(separator: ".")) }
        }
        for (prefix, extensions) in [("roster-", ["json"]), ("现场检查方案-", ["csv", "xlsx", "html", "pdf"]), ("roster-sheet-", ["csv", "xlsx", "html", "pdf"])] {
            for ext in extensions where name.hasPrefix(prefix) && name.hasSuffix("." + ext) {
                let middle = name.dropFirst(prefix.count).dropLast(ext.count + 1)
                let parts = middle.split(separator: "-", omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].count == 4, parts[1].count == 2,
                   parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) { return true }
            }
        }
        return false
    }
}

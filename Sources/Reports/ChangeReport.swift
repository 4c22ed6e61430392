import Foundation
import Ledger
import Planning

/// What a re-plan changed, unit by unit, with the reason.
public struct ChangeReport {
    public let changes: [PlanChange]
    public let lang: Lang
    public init(changes: [PlanChange], lang: Lang) { self.changes = changes; self.lang = lang }
    var zh: Bool { lang == .zh }

    func label(_ c: String) -> String {
        guard zh else { return c }
        switch c { case "added": return "新增"; case "removed": return "取消"; case "moved": return "调整月份"; default: return c }
    }

    public var header: [String] {
        zh ? ["变更", "检查编号", "单位名称", "统一社会信用代码", "检查类型", "专项", "原月份", "新月份", "原因"]
           : ["change", "visit", "name", "credit code", "kind", "campaign", "from month", "to month", "reason"]
    }

    public var rows: [[String]] {
        changes.map { c in
            [label(c.change), c.visit, c.name, c.unit, PlanReport.kindLabel(c.kind, lang), c.campaign ?? "",
             c.fromMonth.map(String.init) ?? "", c.toMonth.map(String.init) ?? "", c.reason]
        }
    }

    public func summary() -> String {
        let n = { (k: String) in self.changes.filter { $0.change == k }.count }
        var s = zh ? "变更：新增\(n("added"))次、取消\(n("removed"))次、调整月份\(n("moved"))次（已执行和保留月份的检查及抽取不变）\n"
                   : "Changes: \(n("added")) added, \(n("removed")) removed, \(n("moved")) moved (carried-out and kept months unchanged)\n"
        var t = TextTable(header: header, align: Array(repeating: .left, count: header.count))
        for r in rows.prefix(15) { t.add(r) }
        if !changes.isEmpty { s += t.render() }
        if changes.count > 15 { s += zh ? "……共\(changes.count)项，见变更清单\n" : "… \(changes.count) in all, see the change list\n" }
        return s
    }

    public func write(to dir: String) throws {
        try CSVOutput.write(path: "\(dir)/\(zh ? "变更清单" : "changes").csv", header: header, rows: rows, bom: true)
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileOutput.write(try e.encode(changes), to: "\(dir)/changes.json")
    }
}

import Foundation
import Ledger
import Output
import Planning
import Policy

/// What a re-plan changed, unit by unit, with the reason; the missed visits of past months
/// (carried or dropped) and the coverage to date.
public struct ChangeReport {
    public let changes: [PlanChange]
    public let missed: [MissedVisit]
    public let coverage: CoverageToDate?
    public let lang: Lang
    public init(changes: [PlanChange], missed: [MissedVisit] = [], coverage: CoverageToDate? = nil, lang: Lang) {
        self.changes = changes; self.missed = missed; self.coverage = coverage; self.lang = lang
    }
    public init(outcome: ReplanOutcome, lang: Lang) {
        self.init(changes: outcome.changes, missed: outcome.missed, coverage: outcome.coverage, lang: lang)
    }
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

    func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "—" : String(format: "%.1f%%", Double(a) / Double(b) * 100) }

    /// Coverage to date, one line per figure (also the rows closing 变更清单.csv).
    public var coverageLines: [(String, String)] {
        guard let c = coverage else { return [] }
        return zh ? [
            ("截至\(c.throughMonth)月底重点检查单位已检查", "\(c.keyUnitsCovered)/\(c.keyUnits)家（\(pct(c.keyUnitsCovered, c.keyUnits))）"),
            ("截至\(c.throughMonth)月底计划检查已执行", "\(c.doneVisits)/\(c.plannedVisits)家次（\(pct(c.doneVisits, c.plannedVisits))），未执行\(c.missedVisits)家次"
                + "（顺延\(missed.filter { $0.action == "carried" }.count)、取消\(missed.filter { $0.action == "dropped" }.count)）"
                + (c.outsidePlanVisits > 0 ? "；计划外检查\(c.outsidePlanVisits)家次" : "") + (c.earlyVisits > 0 ? "；提前执行\(c.earlyVisits)家次" : "")),
        ] : [
            ("Key units inspected to the end of month \(c.throughMonth)", "\(c.keyUnitsCovered)/\(c.keyUnits) (\(pct(c.keyUnitsCovered, c.keyUnits)))"),
            ("Planned visits carried out to the end of month \(c.throughMonth)", "\(c.doneVisits)/\(c.plannedVisits) (\(pct(c.doneVisits, c.plannedVisits))), \(c.missedVisits) missed"
                + " (\(missed.filter { $0.action == "carried" }.count) carried, \(missed.filter { $0.action == "dropped" }.count) dropped)"
                + (c.outsidePlanVisits > 0 ? "; \(c.outsidePlanVisits) outside the plan" : "") + (c.earlyVisits > 0 ? "; \(c.earlyVisits) done early" : "")),
        ]
    }

    public func summary() -> String {
        let n = { (k: String) in self.changes.filter { $0.change == k }.count }
        var s = ""
        for (k, v) in coverageLines { s += zh ? "\(k)：\(v)\n" : "\(k): \(v)\n" }
        if !missed.isEmpty {
            s += zh ? "未执行的计划检查（按单位）：\n" : "Planned visits not carried out (by unit):\n"
            let h = zh ? ["单位名称", "统一社会信用代码", "检查编号", "检查类型", "原月份", "处理", "新月份", "原因"]
                       : ["name", "credit code", "visit", "kind", "month", "action", "to month", "reason"]
            var t = TextTable(header: h, align: Array(repeating: .left, count: h.count))
            for m in missed.sorted(by: { ($0.name, $0.unit, $0.visit) < ($1.name, $1.unit, $1.visit) }).prefix(15) {
                t.add([m.name, m.unit, m.visit, PlanReport.kindLabel(m.kind, lang), String(m.month),
                       m.action == "carried" ? (zh ? "顺延" : "carried") : (zh ? "取消" : "dropped"),
                       m.toMonth.map(String.init) ?? "", m.reason])
            }
            s += t.render()
            if missed.count > 15 { s += zh ? "……共\(missed.count)项，见变更清单\n" : "… \(missed.count) in all, see the change list\n" }
        }
        s += zh ? "变更：新增\(n("added"))次、取消\(n("removed"))次、调整月份\(n("moved"))次（已执行和保留月份的检查及抽取不变；调整月份的检查保留原检查编号）\n"
                : "Changes: \(n("added")) added, \(n("removed")) removed, \(n("moved")) moved (carried-out and kept months unchanged; a moved visit keeps its id)\n"
        var t = TextTable(header: header, align: Array(repeating: .left, count: header.count))
        for r in rows.prefix(15) { t.add(r) }
        if !changes.isEmpty { s += t.render() }
        if changes.count > 15 { s += zh ? "……共\(changes.count)项，见变更清单\n" : "… \(changes.count) in all, see the change list\n" }
        return s
    }

    /// changes.json: `{ "schema": "enforcement-changes/1", "changes": […], "missed": […],
    /// "coverage_to_date": {…} | null }`.
    struct File: Encodable {
        var schema = "enforcement-changes/1"
        var changes: [PlanChange]
        var missed: [MissedVisit]
        var coverageToDate: CoverageToDate?
        enum CodingKeys: String, CodingKey { case schema, changes, missed, coverageToDate }
        func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: CodingKeys.self)
            try c.encode(schema, forKey: .schema); try c.encode(changes, forKey: .changes); try c.encode(missed, forKey: .missed)
            try c.encode(coverageToDate, forKey: .coverageToDate)
        }
    }

    public func write(to dir: String) throws {
        var all = rows
        if !coverageLines.isEmpty {
            all.append(Array(repeating: "", count: header.count))
            for (k, v) in coverageLines { all.append([k, v] + Array(repeating: "", count: header.count - 2)) }
        }
        try CSVOutput.write(path: "\(dir)/\(zh ? "变更清单" : "changes").csv", header: header, rows: all, bom: true)
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileOutput.write(try e.encode(File(changes: changes, missed: missed, coverageToDate: coverage)), to: "\(dir)/changes.json")
    }
}

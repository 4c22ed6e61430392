import Foundation

/// A visit carried out: a planned one (`visit`) or one outside the plan (`unit`).
public struct ExecutedVisit: Sendable, Equatable {
    public var visit: String?
    public var unit: String?
    public var date: CivilDate
}

/// `executed.csv`: columns `visit,date` (检查编号,检查日期) or `unit,date`
/// (统一社会信用代码,检查日期), all-or-nothing like every input.
public enum ExecutedLoader {
    public static let columns = [ColumnSpec("visit", "检查编号"), ColumnSpec("unit", "统一社会信用代码"), ColumnSpec("date", "检查日期", required: true)]

    public static func load(path: String, year: Int, visitIds: Set<String>) throws -> [ExecutedVisit] {
        let table = try CSVTable.read(path: path)
        var problems: [InputProblem] = []
        let map = ColumnMap.build(table: table, specs: columns, problems: &problems)
        if map.index["visit"] == nil && map.index["unit"] == nil {
            problems.append(InputProblem(file: table.file, row: 1, column: "visit", message: "需要「检查编号」(visit) 或「统一社会信用代码」(unit) 列 (a visit or unit column is required)"))
        }
        guard problems.isEmpty else { throw InputError.problems(problems) }
        var out: [ExecutedVisit] = []
        var firstRow: [String: Int] = [:]
        for (row, fields) in table.records {
            var r = map.row(row, fields)
            guard r.checkWidth() else { problems += r.problems; continue }
            let date = r.date("date")
            if r.text("date") == nil { r.fail("date", "", "必填项为空 (required)") }
            if let d = date, d.year != year { r.fail("date", d.description, "不在计划年度\(year)内 (not in the plan year)") }
            let visit = r.text("visit"), unit = r.text("unit")
            if let v = visit, !visitIds.contains(v) { r.fail("visit", v, "计划中没有这个检查编号 (no such visit in the plan)") }
            if let v = visit, r.problems.isEmpty {
                // One planned visit carried out twice would have two dates: which month holds it?
                if let first = firstRow[v] { r.fail("visit", v, "检查编号与第\(first)行重复：一次计划检查只能记录一次 (duplicate visit, first on row \(first))") }
                else { firstRow[v] = row }
            }
            if visit == nil && unit == nil { r.fail("visit", "", "检查编号与统一社会信用代码至少填一项 (give a visit or a unit)") }
            if visit == nil, let u = unit, let p = CreditCode.problem(u) { r.fail("unit", u, p) }
            problems += r.problems
            if let date, r.problems.isEmpty { out.append(ExecutedVisit(visit: visit, unit: visit == nil ? unit : nil, date: date)) }
        }
        guard problems.isEmpty else { throw InputError.problems(problems) }
        return out
    }
}


import Foundation
import Ledger
import Output
import Planning
import Policy
import XLSX

/// One authority's line of a city run: what its plan states (DATA.md §7 `authorities`).
public struct CityRow: Sendable {
    public var folder: String
    public var authority: PlanDocument.AuthorityInfo
    /// The units it inspects (its plan's `units`).
    public var units: Int
    public var metrics: PlanDocument.Metrics
    public var checks: [PlanDocument.RuleCheck]
    public var inspectionWorkdays: Double
    public var solverStatus: String
    public var solverSeconds: Double
    public var compliant: Bool { checks.allSatisfy { $0.pass } }

    public init(folder: String, doc: PlanDocument) {
        self.folder = folder
        authority = doc.authority
        units = doc.units.count
        metrics = doc.metrics
        checks = doc.checks
        inspectionWorkdays = doc.workdays.inspection
        solverStatus = doc.solver.status
        solverSeconds = doc.solver.seconds
    }
}

/// The roll-up of a city run: `city.json`, `全市汇总.xlsx` (one row per authority, subtotals per
/// district, city totals; the dispatch orders, 调度单; the units no authority or two take) and the
/// printed summary, short authorities first.
public struct CityReport: Sendable {
    public var city: String
    public var year: Int
    public var seed: UInt64
    public var ledgerUnits: Int
    public var ledgerSha256: String
    /// In the folder's order.
    public var rows: [CityRow]
    public var unassigned: [CityAssignment.Unassigned]
    public var conflicts: [CityAssignment.Conflict]
    public var dispatch: DispatchOutcome?
    /// Whether dispatch was asked for (city.yaml `dispatch.enabled`).
    public var dispatchEnabled: Bool
    public var seconds: Double
    public var lang: Lang
    var zh: Bool { lang == .zh }

    public init(city: String, year: Int, seed: UInt64, ledgerUnits: Int, ledgerSha256: String, rows: [CityRow],
                unassigned: [CityAssignment.Unassigned], conflicts: [CityAssignment.Conflict], dispatch: DispatchOutcome?,
                dispatchEnabled: Bool, seconds: Double, lang: Lang) {
        self.city = city; self.year = year; self.seed = seed; self.ledgerUnits = ledgerUnits; self.ledgerSha256 = ledgerSha256
        self.rows = rows; self.unassigned = unassigned; self.conflicts = conflicts; self.dispatch = dispatch
        self.dispatchEnabled = dispatchEnabled; self.seconds = seconds; self.lang = lang
    }

    public var compliant: Bool { rows.allSatisfy { $0.compliant } }

    /// city.json, the workbook and the printable roll-up (`CityHTML`).
    public var fileNames: [String] { ["city.json", zh ? "全市汇总.xlsx" : "city-summary.xlsx", CityHTML.fileName(lang)] }

    // MARK: Sums

    /// Sums of rows: visits and units add up; the shares are recomputed from the sums.
    public struct Totals: Sendable, Equatable {
        public var authorities = 0, compliant = 0, units = 0
        public var visits = 0, keyVisits = 0, specialVisits = 0, keyUnits = 0, keyUnitsCovered = 0
        public var generalUnits = 0, generalUnitsDrawn = 0
        public var inspectionWorkdays = 0.0
        public var keyShare: Double { visits > 0 ? Double(keyVisits + specialVisits) / Double(visits) : 0 }
        public var visitsPerWorkday: Double { inspectionWorkdays > 0 ? Double(visits) / inspectionWorkdays : 0 }
        public init() {}
        mutating func add(_ r: CityRow) {
            authorities += 1; if r.compliant { compliant += 1 }; units += r.units
            let m = r.metrics
            visits += m.visits; keyVisits += m.keyVisits; specialVisits += m.specialVisits; keyUnits += m.keyUnits
            keyUnitsCovered += m.keyUnitsCovered; generalUnits += m.generalUnits; generalUnitsDrawn += m.generalUnitsDrawn
            inspectionWorkdays += r.inspectionWorkdays
        }
    }

    public static func totals(_ rows: [CityRow]) -> Totals {
        var t = Totals()
        for r in rows { t.add(r) }
        return t
    }

    /// The districts in the order their first authority appears (the city bureau's rows have no
    /// district and come first under the city's name).
    public var districts: [(name: String, rows: [CityRow])] {
        var order: [String] = [], groups: [String: [CityRow]] = [:]
        for r in rows {
            let d = r.authority.level == "city" ? "" : (r.authority.district ?? "")
            if groups[d] == nil { order.append(d) }
            groups[d, default: []].append(r)
        }
        let levelRank = ["city": 0, "district": 1, "town": 2, "zone": 3]
        return order.sorted { ($0.isEmpty ? 0 : 1, 0) < ($1.isEmpty ? 0 : 1, 0) }.map { d in
            (d, groups[d]!.sorted { (levelRank[$0.authority.level] ?? 9, $0.folder) < (levelRank[$1.authority.level] ?? 9, $1.folder) })
        }
    }

    /// Every rule any plan checks, in the order first met.
    var ruleIDs: [String] {
        var seen = Set<String>(), out: [String] = []
        for r in rows { for c in r.checks where seen.insert(c.rule).inserted { out.append(c.rule) } }
        return out
    }

    func levelName(_ level: String) -> String {
        guard zh else { return level }
        return ["city": "市级", "district": "区级", "town": "街镇", "zone": "功能区"][level] ?? level
    }

    // MARK: city.json

    struct JSONCity: Encodable {
        var schema = "enforcement-city/1"
        var city: String
        var year: Int
        var seed: UInt64
        var ledger: JSONLedger
        var authorities: [JSONAuthority]
        var units: JSONUnits
        var dispatch: [JSONOrder]
        var dispatchShortfall: JSONShortfall?
        var totals: JSONTotals
        var solver: JSONSolver
    }
    struct JSONLedger: Encodable { var units: Int; var sha256: String }
    struct JSONAuthority: Encodable {
        var name: String, level: String, district: String?, town: String?, zone: String?, folder: String, plan: String
        var compliant: Bool
        var units: Int
        var inspectionWorkdays: Double
        var metrics: PlanDocument.Metrics
        var shortfalls: [JSONRuleShort]
    }
    struct JSONRuleShort: Encodable { var rule: String; var short: Double; var unit: String; var message: String; var fix: String? }
    struct JSONUnits: Encodable { var assigned: Int; var unassigned: [JSONUnassigned]; var conflicts: [JSONConflict] }
    struct JSONUnassigned: Encodable { var id: String; var reason: String }
    struct JSONConflict: Encodable { var id: String; var authorities: [String] }
    struct JSONOrder: Encodable {
        var from: String, to: String, fromFolder: String, toFolder: String
        var personDays: Int, months: [Int], byMonth: [Int], rule: String
    }
    struct JSONShortfall: Encodable { var cityShortPersonDays: Int; var unmended: [JSONUnmended] }
    struct JSONUnmended: Encodable { var authority: String; var rule: String; var personDays: Int? }
    struct JSONTotals: Encodable {
        var authorities: Int, compliant: Int
        var visits: Int, keyVisits: Int, specialVisits: Int, keyUnits: Int, keyUnitsCovered: Int, generalUnits: Int, generalUnitsDrawn: Int
        var inspectionWorkdays: Double, keyShare: Double, visitsPerWorkday: Double
    }
    struct JSONSolver: Encodable { var status: String; var seconds: Double; var dispatchStatus: String?; var dispatchSeconds: Double? }

    public func json() throws -> Data {
        let t = Self.totals(rows)
        let worst = SolverStatusName.worst(rows.map { $0.solverStatus })
        func name(_ k: Int) -> String { rows[k].authority.name }
        let doc = JSONCity(
            city: city, year: year, seed: seed, ledger: JSONLedger(units: ledgerUnits, sha256: ledgerSha256),
            authorities: rows.map { r in
                JSONAuthority(name: r.authority.name, level: r.authority.level, district: r.authority.district, town: r.authority.town,
                              zone: r.authority.zone, folder: r.folder, plan: "\(r.folder)/plan.json", compliant: r.compliant, units: r.units,
                              inspectionWorkdays: r.inspectionWorkdays, metrics: r.metrics,
                              shortfalls: r.checks.filter { !$0.pass }.map { JSONRuleShort(rule: $0.rule, short: $0.shortfall, unit: $0.unit, message: $0.message, fix: $0.fix) })
            },
            units: JSONUnits(assigned: rows.reduce(0) { $0 + $1.units },
                             unassigned: unassigned.map { JSONUnassigned(id: $0.id, reason: $0.reason) },
                             conflicts: conflicts.map { JSONConflict(id: $0.id, authorities: $0.authorities) }),
            dispatch: (dispatch?.orders ?? []).map { o in
                JSONOrder(from: name(o.from), to: name(o.to), fromFolder: rows[o.from].folder, toFolder: rows[o.to].folder,
                          personDays: o.personDays, months: o.months, byMonth: o.byMonth, rule: o.rule)
            },
            dispatchShortfall: dispatch.flatMap { d in
                d.unmended.isEmpty ? nil : JSONShortfall(cityShortPersonDays: d.cityShortPersonDays,
                                                         unmended: d.unmended.map { JSONUnmended(authority: name($0.authority), rule: $0.rule, personDays: $0.personDays) })
            },
            totals: JSONTotals(authorities: t.authorities, compliant: t.compliant, visits: t.visits, keyVisits: t.keyVisits,
                               specialVisits: t.specialVisits, keyUnits: t.keyUnits, keyUnitsCovered: t.keyUnitsCovered,
                               generalUnits: t.generalUnits, generalUnitsDrawn: t.generalUnitsDrawn,
                               inspectionWorkdays: (t.inspectionWorkdays * 100).rounded() / 100,
                               keyShare: (t.keyShare * 10000).rounded() / 10000, visitsPerWorkday: (t.visitsPerWorkday * 1000).rounded() / 1000),
            solver: JSONSolver(status: worst, seconds: (seconds * 1000).rounded() / 1000,
                               dispatchStatus: dispatch?.solverStatus, dispatchSeconds: dispatch.map { ($0.seconds * 1000).rounded() / 1000 }))
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(doc)
    }

    // MARK: Rows shown

    var header: [String] {
        (zh ? ["执法主体", "层级", "所属区", "目录", "单位数", "重点单位", "重点已覆盖", "检查家次", "重点检查家次", "专项检查家次", "重点占比",
               "监督检查工作日", "每工作日家次", "一般单位", "抽取一般单位", "是否达标"]
            : ["authority", "level", "district", "folder", "units", "key units", "key covered", "visits", "key visits", "special visits", "key share",
               "inspection workdays", "visits per workday", "general units", "drawn", "compliant"])
        + ruleIDs.map { zh ? "\($0) 差额" : "\($0) short" }
    }

    func cells(name: String, level: String, district: String, folder: String, _ t: Totals, compliant: Bool, shorts: [String: Double]) -> [CellValue] {
        [.string(name), .string(level), .string(district), .string(folder), .number(Double(t.units)), .number(Double(t.keyUnits)),
         .number(Double(t.keyUnitsCovered)), .number(Double(t.visits)), .number(Double(t.keyVisits)), .number(Double(t.specialVisits)),
         .number((t.keyShare * 10000).rounded() / 10000), .number((t.inspectionWorkdays * 10).rounded() / 10),
         .number((t.visitsPerWorkday * 1000).rounded() / 1000), .number(Double(t.generalUnits)), .number(Double(t.generalUnitsDrawn)),
         .string(compliant ? (zh ? "达标" : "yes") : (zh ? "未达标" : "no"))]
        + ruleIDs.map { id in shorts[id].map { .number(($0 * 100).rounded() / 100) } ?? .string("") }
    }

    func shorts(_ rows: [CityRow]) -> [String: Double] {
        var s: [String: Double] = [:]
        for r in rows { for c in r.checks where !c.pass { s[c.rule, default: 0] += c.shortfall } }
        return s
    }

    /// The table: each district's authorities then its subtotal, the city bureau first, the city's
    /// totals last. `kinds` marks subtotal (1) and total (2) rows.
    func table() -> (rows: [[CellValue]], kinds: [Int]) {
        var out: [[CellValue]] = [], kinds: [Int] = []
        for (d, group) in districts {
            for r in group {
                out.append(cells(name: r.authority.name, level: levelName(r.authority.level), district: r.authority.district ?? "", folder: r.folder,
                                 Self.totals([r]), compliant: r.compliant, shorts: shorts([r])))
                kinds.append(0)
            }
            if !d.isEmpty {
                out.append(cells(name: zh ? "\(d)小计" : "\(d) subtotal", level: "", district: d, folder: "", Self.totals(group),
                                 compliant: group.allSatisfy { $0.compliant }, shorts: shorts(group)))
                kinds.append(1)
            }
        }
        out.append(cells(name: zh ? "全市合计" : "City total", level: "", district: "", folder: "", Self.totals(rows),
                         compliant: compliant, shorts: shorts(rows)))
        kinds.append(2)
        return (out, kinds)
    }

    // MARK: Files

    /// Writes city.json, the workbook and the printable roll-up into `dir` (beside the
    /// authorities' folders). Its PDF is the caller's (`DocumentPDF`).
    public func write(to dir: String) throws {
        try FileOutput.write(String(decoding: try json(), as: UTF8.self) + "\n", to: "\(dir)/city.json")
        try writeWorkbook(to: "\(dir)/\(fileNames[1])")
        try CityHTML(report: self).write(to: "\(dir)/\(fileNames[2])")
    }

    func writeWorkbook(to path: String) throws {
        let wb = try Workbook(path: path + ".part")
        let title = zh ? "\(city)\(year)年度安全生产执法计划汇总" : "\(city) enforcement plans \(year): roll-up"
        let sheet = try wb.addSheet(name: zh ? "全市汇总" : "Roll-up")
        let top = try FiledSheet.writeHeading(sheet, title: title, authority: city, columns: header.count, lang: lang)
        let t = table()
        let l = try sheet.writeTable(header: header, rows: t.rows, startRow: top)
        try FiledSheet.finish(sheet, frozenThrough: l.headerRow)

        let orders = try wb.addSheet(name: zh ? "调度单" : "Dispatch")
        let oh = zh ? ["调度单号", "调出主体", "调入主体", "调用人·日", "月份", "所补规则"] + (1...12).map { "\($0)月" }
                    : ["order", "from", "to", "person-days", "months", "rule"] + (1...12).map { "M\($0)" }
        let otop = try FiledSheet.writeHeading(orders, title: zh ? "\(city)\(year)年度执法力量调用单" : "\(city) \(year): staff dispatch orders",
                                               authority: city, columns: oh.count, lang: lang)
        let list = dispatch?.orders ?? []
        var orows: [[CellValue]] = list.enumerated().map { i, o in
            [.string(String(format: "DP-%d-%03d", year, i + 1)), .string(rows[o.from].authority.name), .string(rows[o.to].authority.name),
             .number(Double(o.personDays)), .string(o.months.map(String.init).joined(separator: zh ? "、" : ", ")), .string(o.rule)]
            + o.byMonth.map { $0 > 0 ? .number(Double($0)) : .string("") }
        }
        if orows.isEmpty {
            let none = !dispatchEnabled ? (zh ? "未启用执法力量调用（city.yaml dispatch.enabled）" : "dispatch not enabled (city.yaml dispatch.enabled)")
                : (zh ? "无需调用：各主体均有足够的监督检查工作日" : "none needed: every authority has the person-days it needs")
            orows = [[.string(none)] + Array(repeating: CellValue.string(""), count: oh.count - 1)]
        }
        let ol = try orders.writeTable(header: oh, rows: orows, startRow: otop)
        try FiledSheet.finish(orders, frozenThrough: ol.headerRow)

        let rest = try wb.addSheet(name: zh ? "未分配与冲突单位" : "Unassigned")
        let rh = zh ? ["统一社会信用代码", "情况", "说明"] : ["id", "kind", "reason"]
        let rtop = try FiledSheet.writeHeading(rest, title: zh ? "未分配与冲突的执法对象" : "Units unassigned or claimed twice",
                                               authority: city, columns: rh.count, lang: lang)
        var rrows: [[CellValue]] = conflicts.map { [.string($0.id), .string(zh ? "冲突" : "conflict"), .string($0.authorities.joined(separator: zh ? "、" : ", "))] }
        rrows += unassigned.map { [.string($0.id), .string(zh ? "未分配" : "unassigned"), .string($0.reason(lang))] }
        if rrows.isEmpty { rrows = [[.string(zh ? "无：每家单位恰由一个执法主体检查" : "none: every unit has exactly one authority"), .string(""), .string("")]] }
        let rl = try rest.writeTable(header: rh, rows: rrows, startRow: rtop)
        try FiledSheet.finish(rest, frozenThrough: rl.headerRow)
        try wb.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
    }

    // MARK: Printed summary

    public func summary() -> String {
        let t = Self.totals(rows)
        var s = zh ? "\(city)\(year)年度执法计划汇总（\(rows.count)个执法主体）\n\n" : "\(city) enforcement plans \(year) (\(rows.count) authorities)\n\n"
        s += zh ? "台账\(ledgerUnits)家单位：已分配\(t.units)家，未分配\(unassigned.count)家，冲突\(conflicts.count)家\n"
                : "Ledger: \(ledgerUnits) units; assigned \(t.units), unassigned \(unassigned.count), conflicts \(conflicts.count)\n"
        s += zh ? "达标主体 \(t.compliant)/\(t.authorities)\n\n" : "Compliant authorities: \(t.compliant)/\(t.authorities)\n\n"
        let short = rows.filter { !$0.compliant }
        if !short.isEmpty {
            s += zh ? "未达标的执法主体：\n" : "Authorities short of a rule:\n"
            for r in short {
                s += zh ? "  \(r.authority.name)（\(r.folder)）\n" : "  \(r.authority.name) (\(r.folder))\n"
                // The verdicts as the plan's own summary words them in `lang` (plan.json keeps Chinese).
                s += PlanReport.failureLines(r.checks.map { $0.finding == nil ? $0 : $0.rendered(lang) }, lang, prefix: "    ")
            }
            s += "\n"
        }
        if let d = dispatch {
            if !d.orders.isEmpty {
                s += zh ? "执法力量调用（TIER-DISPATCH）：\(d.orders.count)张调度单，共\(d.orders.reduce(0) { $0 + $1.personDays })人·日\n"
                        : "Dispatch (TIER-DISPATCH): \(d.orders.count) orders, \(d.orders.reduce(0) { $0 + $1.personDays }) person-days\n"
                for o in d.orders {
                    let from = rows[o.from].authority.name, to = rows[o.to].authority.name
                    s += zh ? "  \(from) → \(to)：\(o.personDays)人·日（\(o.months.map(String.init).joined(separator: "、"))月；\(o.rule)）\n"
                            : "  \(from) → \(to): \(o.personDays) person-days (months \(o.months.map(String.init).joined(separator: ", ")); \(o.rule))\n"
                }
                s += "\n"
            }
            if !d.unmended.isEmpty {
                if d.cityShortPersonDays > 0 {
                    s += zh ? "调用后仍未达标（全市监督检查工作日合计缺\(d.cityShortPersonDays)人·日）：\n"
                            : "Still short after dispatch (the city as a whole lacks \(d.cityShortPersonDays) inspection person-days):\n"
                } else {
                    s += zh ? "调用无法使其达标（所缺的不是监督检查工作日）：\n" : "Dispatch cannot mend these (what they lack is not person-days):\n"
                }
                for u in d.unmended {
                    let why = u.personDays.map { zh ? "缺\($0)人·日" : "lacks \($0) person-days" }
                        ?? (zh ? "增加人·日也无法达标" : "more person-days would not mend it")
                    s += zh ? "  \(rows[u.authority].authority.name)：\(u.rule)，\(why)\n" : "  \(rows[u.authority].authority.name): \(u.rule), \(why)\n"
                }
                s += "\n"
            }
        }
        var table = TextTable(header: zh ? ["区", "主体数", "达标", "单位数", "检查家次", "重点占比", "每工作日家次", "抽取一般单位"]
                                         : ["district", "authorities", "compliant", "units", "visits", "key share", "visits/workday", "drawn"])
        func line(_ name: String, _ t: Totals) -> [String] {
            [name, "\(t.authorities)", "\(t.compliant)", "\(t.units)", "\(t.visits)", String(format: "%.1f%%", t.keyShare * 100),
             String(format: "%.3f", t.visitsPerWorkday), "\(t.generalUnitsDrawn)"]
        }
        for (d, group) in districts { table.add(line(d.isEmpty ? (zh ? "市局" : "city bureau") : d, Self.totals(group))) }
        table.add(line(zh ? "全市合计" : "City total", t))
        s += table.render()
        s += zh ? "\n每个执法主体的明细见 \(fileNames[1])。\n" : "\nEach authority's line is in \(fileNames[1]).\n"
        return s
    }
}

import Foundation

/// Loads a ledger (执法对象台账, DATA.md §1). All-or-nothing: every problem in the file is
/// reported (up to `InputError.listLimit`) and a file with any problem loads nothing.
public enum LedgerLoader {
    public static let columns: [ColumnSpec] = [
        ColumnSpec("id", "统一社会信用代码", required: true),
        ColumnSpec("name", "单位名称", required: true),
        ColumnSpec("district", "所属区", required: true),
        ColumnSpec("town", "所属街镇", required: true),
        ColumnSpec("zone", "所属功能区"),
        ColumnSpec("category", "行业类别", required: true),
        ColumnSpec("activity", "经营方式/细分行业"),
        ColumnSpec("light_sector", "轻工子行业"),
        ColumnSpec("scale", "规模", required: true),
        ColumnSpec("licensed", "危化品许可证"),
        ColumnSpec("key_process", "重点监管危险化工工艺"),
        ColumnSpec("major_hazard", "重大危险源"),
        ColumnSpec("molten_metal", "高温熔融金属"),
        ColumnSpec("explosive_dust", "粉尘涉爆"),
        ColumnSpec("ammonia_refrigeration", "涉氨制冷"),
        ColumnSpec("sewage_treatment", "污水处理设施"),
        ColumnSpec("open_major_hazard", "重大事故隐患未整改"),
        ColumnSpec("last_fatal_accident", "最近死亡事故日期"),
        ColumnSpec("last_blacklisted", "最近失信惩戒日期"),
        ColumnSpec("penalties_3y", "近三年行政处罚次数"),
        ColumnSpec("designated_key", "属地指定重点"),
        ColumnSpec("exemption", "特殊情况说明"),
        ColumnSpec("ownership", "隶属关系"),
        ColumnSpec("city_list", "市重点检查单位"),
        ColumnSpec("standardisation", "标准化等级"),
        ColumnSpec("risk_level", "安全风险等级"),
        ColumnSpec("safety_culture", "安全文化示范"),
        ColumnSpec("liability_insurance", "安责险"),
        ColumnSpec("last_inspected", "上次检查日期"),
        ColumnSpec("latitude", "纬度"),
        ColumnSpec("longitude", "经度"),
        ColumnSpec("address", "地址"),
    ]

    public static func load(path: String, displayName: String? = nil) throws -> Ledger {
        let table = try CSVTable.read(path: path, displayName: displayName)
        return try decode(table)
    }

    /// Parses ledger CSV text already in memory (tests, servers).
    public static func load(data: Data, file: String) throws -> Ledger {
        try decode(try CSVTable.parse(data: data, file: file))
    }

    static func decode(_ table: CSVTable) throws -> Ledger {
        var problems: [InputProblem] = []
        let map = ColumnMap.build(table: table, specs: columns, problems: &problems)
        guard problems.isEmpty else { throw InputError.problems(problems) }
        // Rows are independent: decode them in chunks on every core, each unit into its row's
        // place (no merge copying every record). A row that cannot be decoded leaves a blank unit
        // in its place and a problem, so the ledger is never made.
        let records = table.records
        let chunks = records.isEmpty ? 0 : min(records.count, max(1, ProcessInfo.processInfo.activeProcessorCount) * 4)
        var found = [[InputProblem]](repeating: [], count: chunks)
        let units = found.withUnsafeMutableBufferPointer { foundOut in
            [LedgerUnit](unsafeUninitializedCapacity: records.count) { out, count in
                // Each iteration writes its own slots and its own element of `found` only, and
                // `concurrentPerform` returns after the last: nothing is shared between threads.
                nonisolated(unsafe) let slots = out, problemsOut = foundOut
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = records.count * c / chunks, hi = records.count * (c + 1) / chunks
                    var mine: [InputProblem] = []
                    for k in lo..<hi {
                        var r = map.row(records[k].row, records[k].fields)
                        let u = r.checkWidth() ? unit(&r) : LedgerUnit(id: "", name: "", district: "", town: "", category: .industryTrade, scale: .micro)
                        (slots.baseAddress! + k).initialize(to: u)
                        mine += r.problems
                    }
                    problemsOut[c] = mine
                }
                count = records.count
            }
        }
        for f in found { problems += f }
        let rows = records.map(\.row)
        // Duplicate ids need the whole file: one serial pass over the ids.
        var firstRow: [String: Int] = [:]
        firstRow.reserveCapacity(records.count)
        for k in units.indices where !units[k].id.isEmpty {
            let id = units[k].id
            if let first = firstRow[id] {
                problems.append(InputProblem(file: table.file, row: rows[k], column: map.written["id"], value: id,
                    message: "统一社会信用代码与第\(first)行重复：一家单位只能占一行 (duplicate id, first on row \(first))"))
            } else { firstRow[id] = rows[k] }
        }
        guard problems.isEmpty else {
            throw InputError.problems(problems.enumerated().sorted { ($0.element.row ?? 0, $0.offset) < ($1.element.row ?? 0, $1.offset) }.map { $0.element })
        }
        var ledger = Ledger(units: units, extraHeaders: map.extras.map { $0.1 }, source: table.file)
        ledger.rows = rows
        ledger.headers = map.written
        ledger.encoding = table.encoding
        return ledger
    }

    /// Decodes one row of the right width; problems go to `r`.
    static func unit(_ r: inout RowReader) -> LedgerUnit {
        let id = r.required("id")
        if !id.isEmpty, let p = CreditCode.problem(id) { r.fail("id", id, p) }
        let category = r.requiredTerm("category", Category.self)
        let scale = r.requiredTerm("scale", Scale.self)
        var u = LedgerUnit(id: id, name: r.required("name"), district: r.required("district"),
                           town: r.required("town"), category: category ?? .industryTrade, scale: scale ?? .micro)
        u.zone = r.text("zone")
        u.activity = r.term("activity", Activity.self)
        if let a = u.activity, let c = category, a.category != c {
            r.fail("activity", r.text("activity") ?? a.rawValue,
                   "经营方式「\(a.zh)」不属于行业类别「\(c.zh)」(activity '\(a.rawValue)' belongs to '\(a.category.rawValue)', not '\(c.rawValue)')")
        }
        u.lightSector = r.term("light_sector", LightSector.self)
        u.licensed = r.bool("licensed")
        u.keyProcess = r.bool("key_process")
        u.majorHazard = r.bool("major_hazard")
        u.moltenMetal = r.bool("molten_metal")
        u.explosiveDust = r.bool("explosive_dust")
        u.ammoniaRefrigeration = r.bool("ammonia_refrigeration")
        u.sewageTreatment = r.bool("sewage_treatment")
        u.openMajorHazard = r.bool("open_major_hazard")
        u.lastFatalAccident = r.date("last_fatal_accident")
        u.lastBlacklisted = r.date("last_blacklisted")
        u.penalties3y = r.count("penalties_3y")
        u.designatedKey = r.bool("designated_key")
        u.exemption = r.text("exemption")
        u.ownership = r.term("ownership", Ownership.self) ?? .other
        u.cityList = r.bool("city_list")
        u.standardisation = r.term("standardisation", Standardisation.self) ?? .none
        u.riskLevel = r.term("risk_level", RiskLevel.self)
        u.safetyCulture = r.bool("safety_culture")
        u.liabilityInsurance = r.bool("liability_insurance")
        u.lastInspected = r.date("last_inspected")
        u.latitude = r.decimal("latitude", in: -90...90)
        u.longitude = r.decimal("longitude", in: -180...180)
        u.address = r.text("address")
        u.extra = r.extras
        return u
    }
}

/// Loads a staff roll or an expert pool (DATA.md §2), all-or-nothing.
public enum StaffLoader {
    public static let columns: [ColumnSpec] = [
        ColumnSpec("id", "工号", required: true),
        ColumnSpec("name", "姓名", required: true),
        ColumnSpec("certified", "执法证", required: true),
        ColumnSpec("leader", "可任组长"),
        ColumnSpec("specialties", "专业领域"),
        ColumnSpec("unavailable", "不可用日期"),
        ColumnSpec("conflicts", "回避单位"),
    ]

    /// - Parameter experts: an expert pool; its members must not hold certificates (they never
    ///   count as officers).
    public static func load(path: String, displayName: String? = nil, experts: Bool = false) throws -> [StaffMember] {
        try decode(try CSVTable.read(path: path, displayName: displayName), experts: experts)
    }

    public static func load(data: Data, file: String, experts: Bool = false) throws -> [StaffMember] {
        try decode(try CSVTable.parse(data: data, file: file), experts: experts)
    }

    static func decode(_ table: CSVTable, experts: Bool) throws -> [StaffMember] {
        var problems: [InputProblem] = []
        let map = ColumnMap.build(table: table, specs: columns, problems: &problems)
        guard problems.isEmpty else { throw InputError.problems(problems) }
        var out: [StaffMember] = []
        var firstRow: [String: Int] = [:]
        for (row, fields) in table.records {
            var r = map.row(row, fields)
            defer { problems += r.problems }
            guard r.checkWidth() else { continue }
            let id = r.required("id")
            if !id.isEmpty {
                if let first = firstRow[id] {
                    r.fail("id", id, "工号与第\(first)行重复 (duplicate id, first on row \(first))")
                } else { firstRow[id] = row }
            }
            var m = StaffMember(id: id, name: r.required("name"), certified: r.requiredBool("certified"))
            if experts && m.certified {
                r.fail("certified", r.text("certified") ?? "", "专家库人员不计入执法人员，执法证应填“否” (experts never count as officers: certified must be no)")
            }
            m.leader = r.bool("leader")
            if m.leader && !m.certified && !experts {
                r.fail("leader", r.text("leader") ?? "", "无执法证的人员不能任组长 (a leader must hold a certificate)")
            }
            for s in r.list("specialties") {
                if let v = Specialty(term: s) { m.specialties.append(v) }
                else { r.fail("specialties", s, "不是可用的专业领域；可用：\(Specialty.validList)，以;分隔 (unknown specialty)") }
            }
            for s in r.list("unavailable") {
                if let span = r.parseSpan(s) { m.unavailable.append(span) }
                else { r.fail("unavailable", s, "应为日期或日期区间（起..止，起不晚于止），以;分隔；日期为真实日期，写作 \(RowReader.dateForms)"
                              + " (expected a date or a range first..last, separated by ';'; dates as YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日)") }
            }
            for c in r.list("conflicts") {
                if let p = CreditCode.problem(c) { r.fail("conflicts", c, p) } else { m.conflicts.append(c) }
            }
            out.append(m)
        }
        guard problems.isEmpty else { throw InputError.problems(problems) }
        return out
    }
}

/// How a plan reads the ledger its scenario names: `reference` is a file path or a database
/// reference (DATA.md §8), `seq` a change sequence (databases only). The engine takes this as a
/// parameter so that it does not depend on the database back ends: `.files` reads files alone;
/// LedgerStore's `.filesAndDatabases` reads both (every command, the web application).
public struct LedgerReader: Sendable {
    public let read: @Sendable (_ reference: String, _ seq: Int?) throws -> Ledger
    public init(_ read: @escaping @Sendable (_ reference: String, _ seq: Int?) throws -> Ledger) { self.read = read }

    /// Ledger files only: a database reference or a change sequence is an input error.
    public static let files = LedgerReader { reference, seq in
        if PathText.isDatabaseReference(reference) {
            throw InputError.problem(file: reference, column: "ledger", value: reference,
                                     "此处只能读取台账文件，不能读取台账数据库 (only a ledger file can be read here, not a database)")
        }
        if let seq {
            throw InputError.problem(file: reference, column: "--ledger-seq", value: String(seq),
                                     "--ledger-seq 只用于台账数据库（--db），台账文件没有变更序号 (--ledger-seq applies to a ledger database, not a file)")
        }
        return try LedgerLoader.load(path: reference)
    }
}

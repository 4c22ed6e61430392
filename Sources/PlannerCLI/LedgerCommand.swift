import ArgumentParser
import Foundation
import Ledger
import LedgerStore
import Output
import Policy
import Reports

/// `planner ledger …`: the living ledger database (DATA.md §8, LEDGER-DYNAMIC).
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The ledger database: import ledger files with every change kept, export the ledger as of any date, a unit's history, stored plans.",
        discussion: """
        --db names the database: an SQLite file (PATH or sqlite:PATH; made by the first import) or
        a PostgreSQL server (postgres://user[:password]@host[:port]/database, or
        postgres://user@/database?host=/socket/folder&port=5432). Exit codes: 0 done; 1 bad input
        or a database that cannot be used (nothing changed).
        """,
        subcommands: [LedgerImport.self, LedgerExport.self, LedgerHistory.self, LedgerDocuments.self])
}

/// `--db` for the ledger subcommands (required there).
struct RequiredDatabase: ParsableArguments {
    @Option(name: .customLong("db"), help: "The ledger database: PATH or sqlite:PATH (SQLite), or postgres://user@host:port/database.")
    var db: String

    func open(create: Bool = false) throws -> LedgerStore {
        try LedgerStore.open(DatabaseOption.reference(db), create: create)
    }
}

/// `--effective`/`--as-of`: a real date, `YYYY-MM-DD`.
func validateDay(_ text: String?, _ option: String) throws {
    if let text, CivilDate(text) == nil || text.count != 10 {
        throw ValidationError("\(option) \(text)：应为 YYYY-MM-DD 格式的真实日期 (expected a real date, YYYY-MM-DD)")
    }
}

struct LedgerImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a ledger file (CSV or .xlsx, DATA.md §1) all or nothing, recording one change per changed field.",
        discussion: """
        The file is checked exactly as `planner plan` checks a ledger; a file with any problem
        changes nothing. A new id adds a unit; a known id with different values records one change
        per field, with --by, --reason, the file and --effective (default: today, Beijing time).
        --close-missing DISTRICT closes that district's units the file no longer lists. Imports
        running at once take turns; a killed import leaves nothing half-applied.
        """)

    @Argument(help: "The ledger file (CSV in UTF-8 or GB18030, or .xlsx).")
    var file: String

    @OptionGroup var database: RequiredDatabase

    @Option(help: "Who makes the change (recorded with every change).")
    var by: String

    @Option(help: "Why (recorded with every change), e.g. 2027年6月台账更新.")
    var reason: String

    @Option(help: "The day the changes hold from, YYYY-MM-DD (default: today).")
    var effective: String?

    @Option(name: .customLong("close-missing"), help: "Close the units of this district (所属区) that the file does not list.")
    var closeMissing: String?

    @OptionGroup var language: LanguageOption

    func validate() throws {
        try validateDay(effective, "--effective")
        if by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by 不能为空 (--by must name who imports)") }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason 不能为空 (--reason must say why)") }
    }

    func run() throws {
        let zh = language.lang == .zh
        let summary: LedgerStore.ImportSummary = try reportingInputErrors {
            printError(zh ? "检查台账文件 \(file)…" : "Checking \(file)…")
            let ledger = try LedgerLoader.load(path: file)
            let store = try database.open(create: true)
            defer { store.close() }
            printError(zh ? "导入 \(ledger.units.count) 家单位…" : "Importing \(ledger.units.count) units…")
            return try store.importLedger(ledger, source: (file as NSString).lastPathComponent,
                                          options: .init(by: by, reason: reason, effective: effective, closeMissing: closeMissing))
        }
        let s = summary
        let seqText = s.lastSeq > s.firstSeq || (s.lastSeq == s.firstSeq && s.added + s.fieldChanges + s.closed > 0)
            ? (zh ? "变更序号 \(s.firstSeq)–\(s.lastSeq)" : "changes \(s.firstSeq)–\(s.lastSeq)")
            : (zh ? "无变更，最新序号 \(s.lastSeq)" : "no change; latest change \(s.lastSeq)")
        print(zh
              ? "已导入 \(file)（第\(s.importID)次导入，\(s.effective) 起生效）：\(s.units) 家单位，新增 \(s.added) 家，变更 \(s.changed) 家（\(s.fieldChanges) 项），关闭 \(s.closed) 家，恢复 \(s.reopened) 家，未变 \(s.unchanged) 家；\(seqText)。"
              : "Imported \(file) (import \(s.importID), effective \(s.effective)): \(s.units) units, \(s.added) added, \(s.changed) changed (\(s.fieldChanges) fields), \(s.closed) closed, \(s.reopened) re-opened, \(s.unchanged) unchanged; \(seqText).")
    }
}

struct LedgerExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the ledger as it stood on a date (default: now) as a ledger CSV (DATA.md §1).",
        discussion: "Closed units are left out. Chinese headers and terms by default (--lang en: the English keys); either reads back as the same units.")

    @OptionGroup var database: RequiredDatabase

    @Option(name: .customLong("as-of"), help: "The date, YYYY-MM-DD: changes effective after it are left out.")
    var asOf: String?

    @Option(name: .customLong("ledger-seq"), help: "Only changes up to this sequence number (a plan's ledger.seq).")
    var ledgerSeq: Int?

    @Option(help: "Only the units of this district (所属区).")
    var district: String?

    @Option(help: "The CSV file to write.")
    var out: String

    @OptionGroup var language: LanguageOption

    func validate() throws {
        try validateDay(asOf, "--as-of")
        if let ledgerSeq, ledgerSeq < 0 { throw ValidationError("--ledger-seq \(ledgerSeq)：应为不小于0的变更序号 (expected ≥ 0)") }
    }

    func run() throws {
        let zh = language.lang == .zh
        try checkOutputFile(out)
        let table = try reportingInputErrors {
            let store = try database.open()
            defer { store.close() }
            return try store.exportTable(seq: ledgerSeq, asOf: asOf, district: district, chinese: zh)
        }
        let (header, rows) = (table.header, table.rows)
        try writingOutputFile(out) { try CSVOutput.write(path: out, header: header, rows: rows, bom: zh) }
        let when = asOf.map { zh ? "\($0) 的" : " as of \($0)" } ?? ""
        print(zh ? "已导出\(when)台账 \(rows.count) 家单位（至变更序号 \(table.seq)）到 \(out)"
                 : "Exported the ledger\(when): \(rows.count) units (up to change \(table.seq)) to \(out)")
    }
}

struct LedgerHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every change of one unit, oldest first, with what it did to the unit's class.")

    @Argument(help: "The unit's unified social credit code (统一社会信用代码).")
    var id: String

    @OptionGroup var database: RequiredDatabase

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "table (default) or json (DATA.md §8).")
    var format: Format = .table

    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang, zh = lang == .zh
        let entries: [LedgerStore.HistoryEntry] = try reportingInputErrors {
            let store = try database.open()
            defer { store.close() }
            return try store.history(unit: id)
        }
        switch format {
        case .json: print(try Self.json(entries))
        case .table:
            let names = Dictionary(LedgerLoader.columns.map { ($0.key, $0.zh) }, uniquingKeysWith: { a, _ in a })
            var t = TextTable(header: zh ? ["序号", "生效日期", "字段", "原值", "新值", "操作人", "原因", "来源文件", "记录时间", "分类影响"]
                                         : ["seq", "effective", "field", "old", "new", "by", "reason", "file", "recorded", "class"])
            for e in entries {
                let c = e.change
                let field: String
                switch c.field {
                case "*": field = zh ? "新增单位" : "new unit"
                case "closed": field = zh ? "关闭" : "closed"
                default: field = zh ? (names[c.field].map { "\($0)（\(c.field)）" } ?? c.field) : c.field
                }
                let new = c.field == "*" ? (LedgerRow.decode(c.new ?? "")?.fields[1] ?? "") : (c.new ?? "—")
                t.add([String(c.seq), c.effective, field, c.old ?? "—", new, e.record.by, e.record.reason, e.record.source,
                       String(e.record.at.prefix(16)).replacingOccurrences(of: "T", with: " "), (zh ? e.consequence : e.consequenceEN) ?? ""])
            }
            print(zh ? "单位 \(id) 的变更记录（\(entries.count) 条）：" : "Changes of \(id) (\(entries.count)):")
            print(t.render(), terminator: "")
        }
    }

    /// DATA.md §8's history entries; a new unit's `new` is its whole row as an object.
    static func json(_ entries: [LedgerStore.HistoryEntry]) throws -> String {
        let list: [[String: Any]] = entries.map { e in
            let c = e.change
            var o: [String: Any] = ["seq": c.seq, "at": e.record.at, "by": e.record.by, "reason": e.record.reason,
                                    "source": e.record.source, "field": c.field, "effective": c.effective,
                                    "old": c.old ?? NSNull(), "new": c.new ?? NSNull()]
            if c.field == "*", let row = c.new.flatMap(LedgerRow.decode) {
                var whole: [String: Any] = [:]
                for (k, v) in zip(LedgerRow.keys, row.fields) where !v.isEmpty { whole[k] = v }
                for x in row.extras { whole[x.header] = x.value }
                o["new"] = whole
            }
            if let zh = e.consequence { o["consequence"] = zh; o["consequence_en"] = e.consequenceEN ?? "" }
            return o
        }
        let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

struct LedgerDocuments: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans",
        abstract: "List the plans and rosters stored in the database, newest first, with their status.")

    @OptionGroup var database: RequiredDatabase

    @Option(help: "Only this authority's (执法主体名称).")
    var authority: String?

    @Option(help: "Only this year's.")
    var year: Int?

    @Option(help: "Write this stored document's files (plan.json, workbooks…) into --out.")
    var show: Int?

    @Option(help: "Folder for --show.")
    var out: String?

    @OptionGroup var language: LanguageOption

    func validate() throws {
        if show != nil && out == nil { throw ValidationError("--show 需要 --out 目录 (--show needs --out FOLDER)") }
    }

    func run() throws {
        let zh = language.lang == .zh
        try reportingInputErrors {
            let store = try database.open()
            defer { store.close() }
            if let show, let out {
                let files = try store.db.documentFiles(id: show)
                guard !files.isEmpty else { throw LedgerStoreError("没有编号为 \(show) 的计划或方案 (no stored document \(show))") }
                try FileOutput.makeDirectory(out)
                for f in files { try FileOutput.write(f.content, to: (out as NSString).appendingPathComponent(f.name)) }
                print(zh ? "已写出 \(files.count) 个文件到 \(out)/" : "Wrote \(files.count) files to \(out)/")
                return
            }
            let docs = try store.db.documents(authority: authority, year: year)
            var t = TextTable(header: zh ? ["编号", "类型", "执法主体", "年度", "月份", "状态", "台账序号", "建立时间", "建立人"]
                                         : ["id", "kind", "authority", "year", "month", "status", "ledger seq", "created", "by"])
            for d in docs {
                t.add([String(d.id), zh ? (d.kind == .plan ? "年度计划" : d.kind == .roster ? "现场检查方案" : d.kind == .whatif ? "情景比较" : "编制场景") : d.kind.rawValue, d.authority, String(d.year),
                       d.month.map(String.init) ?? "", zh ? Self.statusZh(d.status) : d.status.rawValue, String(d.ledgerSeq), d.createdAt, d.createdBy])
            }
            print(t.render(), terminator: "")
        }
    }

    static func statusZh(_ s: DocumentStatus) -> String {
        switch s {
        case .draft: return "草稿"
        case .submitted: return "已报批"
        case .approved: return "已批准"
        case .filed: return "已备案"
        case .published: return "已公开"
        }
    }
}

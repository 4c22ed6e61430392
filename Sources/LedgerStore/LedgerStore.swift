import Foundation
import Ledger
import Policy

/// The clock of the ledger: Beijing time (UTC+8), as the bureaus keep it.
public enum LedgerClock {
    static let zone = TimeZone(secondsFromGMT: 8 * 3600)!

    /// Now as `2027-06-03T10:00:00+08:00`. `PLANNER_NOW` (same form) fixes it for tests.
    public static func now() -> String {
        if let fixed = ProcessInfo.processInfo.environment["PLANNER_NOW"], !fixed.isEmpty { return fixed }
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date()).replacingOccurrences(of: "Z", with: "+00:00")
    }

    /// Today's date in Beijing time, `YYYY-MM-DD`.
    public static func today() -> String { String(now().prefix(10)) }

    /// A moment as `2027-06-03T10:00:00+08:00` in Beijing time, always this width, so two of
    /// them compare as text (what session expiry relies on). Not fixed by `PLANNER_NOW`:
    /// sessions expire by the real clock.
    public static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return f.string(from: date)
    }
}

/// Where a plan's ledger came from: the database and the last change it saw (DATA.md §8).
public struct LedgerSnapshot: Sendable {
    public var ledger: Ledger
    public var source: String
    public var seq: Int
}

/// The living ledger (LEDGER-DYNAMIC): import with every change kept, the ledger as it stood on
/// any date, a unit's history, and the plans and rosters made from it. Works the same on either
/// back end.
public final class LedgerStore: Sendable {
    public let db: LedgerDatabase

    public init(_ db: LedgerDatabase) { self.db = db }

    /// Opens `sqlite:PATH`, a bare path (SQLite) or `postgres://…`. Only `create` makes a new
    /// SQLite file; reading commands say when there is none.
    public static func open(_ reference: String, create: Bool = false) throws -> LedgerStore {
        let r = reference.lowercased()
        if r.hasPrefix("postgres://") || r.hasPrefix("postgresql://") { return LedgerStore(try PostgresLedger(url: reference)) }
        let path = r.hasPrefix("sqlite:") ? String(reference.dropFirst("sqlite:".count)) : reference
        guard !path.isEmpty else { throw LedgerStoreError("sqlite: 后应写数据库文件路径 (sqlite: must be followed by a file path)") }
        return LedgerStore(try SQLiteLedger(path: path, create: create))
    }

    public func close() { db.close() }

    /// Readies the database for a server that reads while commands write: an SQLite file is
    /// switched to the write-ahead log (PostgreSQL needs nothing).
    public func prepareForServing() throws {
        if let sqlite = db as? SQLiteLedger { try sqlite.useWriteAheadLog() }
    }

    // MARK: - Import

    public struct ImportOptions: Sendable {
        public var by: String
        public var reason: String
        /// The day the changes hold from; today (Beijing time) when nil.
        public var effective: String?
        /// Close this district's units that the file does not list.
        public var closeMissing: String?
        public init(by: String, reason: String, effective: String? = nil, closeMissing: String? = nil) {
            self.by = by; self.reason = reason; self.effective = effective; self.closeMissing = closeMissing
        }
    }

    public struct ImportSummary: Sendable, Equatable {
        public var importID: Int
        public var units: Int
        public var added: Int
        public var changed: Int
        public var fieldChanges: Int
        public var closed: Int
        public var reopened: Int
        public var unchanged: Int
        /// The first and last change sequence this import wrote (equal and 0 when none).
        public var firstSeq: Int
        public var lastSeq: Int
        public var effective: String
    }

    /// Reads, checks and imports a ledger file (DATA.md §1, every problem of the file loader)
    /// in one transaction: a file with any problem changes nothing.
    public func importFile(path: String, options: ImportOptions) throws -> ImportSummary {
        let ledger = try LedgerLoader.load(path: path)
        return try importLedger(ledger, source: (path as NSString).lastPathComponent, options: options)
    }

    public func importLedger(_ ledger: Ledger, source: String, options: ImportOptions) throws -> ImportSummary {
        let effective = options.effective ?? LedgerClock.today()
        guard CivilDate(effective) != nil else {
            throw InputError.problem(file: "--effective", value: effective, "生效日期应为 YYYY-MM-DD 格式的真实日期 (the effective date must be a real date, YYYY-MM-DD)")
        }
        let at = LedgerClock.now()
        let incoming: [(id: String, row: String)] = ledger.units.map { u in
            let extras = zip(ledger.extraHeaders, u.extra).map { (header: $0.0, value: $0.1) }
            return (u.id, LedgerRow.encode(fields: LedgerRow.fields(u), extras: extras))
        }
        var summary = ImportSummary(importID: 0, units: ledger.units.count, added: 0, changed: 0, fieldChanges: 0, closed: 0,
                                    reopened: 0, unchanged: 0, firstSeq: 0, lastSeq: 0, effective: effective)
        _ = try db.writeImport { head in
            summary = ImportSummary(importID: head.lastImport + 1, units: ledger.units.count, added: 0, changed: 0, fieldChanges: 0, closed: 0,
                                    reopened: 0, unchanged: 0, firstSeq: head.lastSeq + 1, lastSeq: head.lastSeq, effective: effective)
            let importID = head.lastImport + 1
            var seq = head.lastSeq
            var changes: [StoredChange] = [], versions: [StoredVersion] = [], problems: [InputProblem] = []
            var index: [String: Int] = [:]
            index.reserveCapacity(head.current.count)
            for (k, v) in head.current.enumerated() { index[v.unit] = k }
            var nextOrd = (head.current.map(\.ord).max() ?? 0) + 1
            func change(_ unit: String, _ field: String, _ old: String?, _ new: String?) {
                seq += 1
                changes.append(StoredChange(seq: seq, importID: importID, unit: unit, field: field,
                                            old: old?.isEmpty == false ? old : nil, new: new?.isEmpty == false ? new : nil, effective: effective))
            }
            func tooEarly(_ cur: StoredVersion, row: Int?) -> Bool {
                guard cur.effective > effective else { return false }
                problems.append(InputProblem(file: source, row: row, column: "id", value: cur.unit,
                    message: "该单位已有 \(cur.effective) 起生效的变更（序号 \(cur.seq)），本次生效日期 \(effective) 更早；请按生效日期顺序导入 (the unit has a change effective \(cur.effective), later than \(effective): import changes in effective order)"))
                return true
            }
            var seen = Set<String>()
            seen.reserveCapacity(incoming.count)
            for (k, u) in incoming.enumerated() {
                seen.insert(u.id)
                let fileRow = k < ledger.rows.count ? ledger.rows[k] : nil
                guard let i = index[u.id] else {
                    change(u.id, "*", nil, u.row)
                    let x = ledger.units[k]
                    versions.append(StoredVersion(unit: u.id, seq: seq, importID: importID, effective: effective, ord: nextOrd, closed: false,
                                                  district: x.district, town: x.town, name: x.name, row: u.row))
                    nextOrd += 1
                    summary.added += 1
                    continue
                }
                let cur = head.current[i]
                if cur.row == u.row && !cur.closed { summary.unchanged += 1; continue }
                if tooEarly(cur, row: fileRow) { continue }
                let before = changes.count
                if cur.closed { change(u.id, "closed", "yes", "no"); summary.reopened += 1 }
                if cur.row != u.row {
                    let old = LedgerRow.decode(cur.row), new = LedgerRow.decode(u.row)!
                    let oldFields = old?.fields ?? Array(repeating: "", count: LedgerRow.keys.count)
                    for (j, key) in LedgerRow.keys.enumerated() where oldFields[j] != new.fields[j] {
                        change(u.id, key, oldFields[j], new.fields[j])
                    }
                    let oldExtras = Dictionary(old?.extras.map { ($0.header, $0.value) } ?? [], uniquingKeysWith: { a, _ in a })
                    let newExtras = Dictionary(new.extras.map { ($0.header, $0.value) }, uniquingKeysWith: { a, _ in a })
                    var headers = (old?.extras.map(\.header) ?? [])
                    for h in new.extras.map(\.header) where oldExtras[h] == nil { headers.append(h) }
                    for h in headers where oldExtras[h] != newExtras[h] { change(u.id, h, oldExtras[h], newExtras[h]) }
                    summary.changed += 1
                }
                summary.fieldChanges += changes.count - before
                let x = ledger.units[k]
                versions.append(StoredVersion(unit: u.id, seq: seq, importID: importID, effective: effective, ord: cur.ord, closed: false,
                                              district: x.district, town: x.town, name: x.name, row: u.row))
            }
            if let district = options.closeMissing {
                for cur in head.current where !cur.closed && cur.district == district && !seen.contains(cur.unit) {
                    if tooEarly(cur, row: nil) { continue }
                    change(cur.unit, "closed", "no", "yes")
                    var v = cur
                    v.seq = seq; v.importID = importID; v.effective = effective; v.closed = true
                    versions.append(v)
                    summary.closed += 1
                }
            }
            guard problems.isEmpty else { throw InputError.problems(problems) }
            summary.lastSeq = seq
            if changes.isEmpty { summary.firstSeq = head.lastSeq }
            return ImportWrite(record: ImportRecord(id: importID, at: at, by: options.by, reason: options.reason, source: source, effective: effective),
                               changes: changes, versions: versions)
        }
        return summary
    }

    // MARK: - Reading the ledger

    /// The live units at a date and a change sequence, in §1's canonical columns (English keys,
    /// then the pass-through columns in the order they first appeared).
    public func table(asOf: String? = nil, seq: Int? = nil, district: String? = nil) throws -> (header: [String], rows: [[String]]) {
        let versions = try db.liveRows(asOf: asOf, seq: seq, district: district)
        var extraHeaders: [String] = [], known = Set<String>()
        var decoded: [(fields: [String], extras: [(header: String, value: String)])] = []
        decoded.reserveCapacity(versions.count)
        for v in versions {
            guard let d = LedgerRow.decode(v.row) else {
                throw LedgerStoreError("台账数据库中单位 \(v.unit) 的记录（序号 \(v.seq)）已损坏 (the stored row of \(v.unit) at seq \(v.seq) is damaged)")
            }
            for e in d.extras where known.insert(e.header).inserted { extraHeaders.append(e.header) }
            decoded.append(d)
        }
        let rows: [[String]] = decoded.map { d in
            guard !extraHeaders.isEmpty else { return d.fields }
            let map = Dictionary(d.extras.map { ($0.header, $0.value) }, uniquingKeysWith: { a, _ in a })
            return d.fields + extraHeaders.map { map[$0] ?? "" }
        }
        return (LedgerRow.keys + extraHeaders, rows)
    }

    /// The ledger as it stands now (or at the change sequence `seq`), loaded with every check
    /// of a ledger file, and the last change it includes.
    public func snapshot(seq: Int? = nil, asOf: String? = nil) throws -> LedgerSnapshot {
        // An import is read whole: a sequence inside one reads the ledger before it.
        let upTo = try db.importBoundary(atOrBefore: seq ?? Int.max)
        let t = try table(asOf: asOf, seq: upTo)
        let ledger = try LedgerLoader.load(header: t.header, records: t.rows.enumerated().map { (row: $0.offset + 2, fields: $0.element) },
                                           source: db.source)
        return LedgerSnapshot(ledger: ledger, source: db.source, seq: upTo)
    }

    /// The ledger as a §1 CSV table at a date and a change sequence (whole imports, as
    /// `snapshot` reads them), closed units left out: Chinese headers and terms, or the English
    /// keys. Stored rows were checked when imported, so they are written without loading them
    /// again; `LedgerStoreTests` checks the table loads back as `snapshot`'s units.
    public func exportTable(seq: Int? = nil, asOf: String? = nil, district: String? = nil, chinese: Bool)
        throws -> (header: [String], rows: [[String]], seq: Int) {
        let upTo = try db.importBoundary(atOrBefore: seq ?? Int.max)
        var t = try table(asOf: asOf, seq: upTo, district: district)
        guard chinese else { return (t.header, t.rows, upTo) }
        for i in t.rows.indices { LedgerRow.translateToChinese(&t.rows[i]) }
        return (LedgerLoader.columns.map(\.zh) + t.header.dropFirst(LedgerRow.keys.count), t.rows, upTo)
    }

    // MARK: - History

    public struct HistoryEntry: Sendable {
        public var change: StoredChange
        public var record: ImportRecord
        /// What the change did to the unit's class, when it changed it (on the import's last
        /// change of the unit): "2027-06-02 起因 KEY-D2 列为重点检查单位".
        public var consequence: String?
        public var consequenceEN: String?
    }

    /// Every change of one unit, oldest first, with its classification consequence. Each state
    /// is classified for the year its change takes effect.
    public func history(unit: String) throws -> [HistoryEntry] {
        let list = try db.changes(unit: unit)
        guard !list.isEmpty else {
            throw LedgerStoreError("台账数据库中没有统一社会信用代码为 \(unit) 的单位 (no unit \(unit) in the ledger database)")
        }
        var consequences: [Int: (String, String)] = [:]
        var previous: (cls: UnitClass, rules: [KeyRule], closed: Bool)? = nil
        for v in try db.versions(unit: unit) {
            guard let d = LedgerRow.decode(v.row) else { continue }
            let header = LedgerRow.keys + d.extras.map(\.header)
            guard let u = try? LedgerLoader.load(header: header, records: [(2, d.fields + d.extras.map(\.value))], source: db.source).units.first else { continue }
            let year = Int(v.effective.prefix(4)) ?? 2027
            let c = Classifier(year: year).classify(u)
            let rules = c.unitClass == .key ? c.rules.filter { !(c.exempted && $0.rawValue.hasPrefix("KEY-D")) } : []
            let ruleText = rules.map(\.rawValue).joined(separator: "、")
            if v.closed, previous?.closed != true {
                consequences[v.seq] = ("\(v.effective) 起关闭，不再列入执法计划", "\(v.effective): closed, no longer planned")
            } else if !v.closed {
                if previous == nil || previous!.closed || previous!.cls != c.unitClass || previous!.rules != rules {
                    if c.unitClass == .key {
                        let newRules = previous?.cls == .key ? rules.filter { !previous!.rules.contains($0) } : rules
                        let lead = newRules.isEmpty ? ruleText : newRules.map(\.rawValue).joined(separator: "、")
                        consequences[v.seq] = previous?.cls == .key && previous?.closed == false
                            ? ("\(v.effective) 起仍为重点检查单位，依据改为 \(ruleText)", "\(v.effective): still key, now by \(ruleText)")
                            : ("\(v.effective) 起因 \(lead) 列为重点检查单位", "\(v.effective): key inspection unit by \(lead)")
                    } else {
                        consequences[v.seq] = ("\(v.effective) 起列为一般检查单位", "\(v.effective): general inspection unit")
                    }
                }
            }
            previous = (c.unitClass, rules, v.closed)
        }
        return list.map { HistoryEntry(change: $0.change, record: $0.record, consequence: consequences[$0.change.seq]?.0, consequenceEN: consequences[$0.change.seq]?.1) }
    }

    // MARK: - Plans and rosters

    /// Stores a plan or roster made from this database with the files of its output folder
    /// (status `draft`); returns its id.
    public func saveDocument(_ d: StoredDocument, folder: String, files names: [String]) throws -> Int {
        var files: [(name: String, content: Data)] = []
        for n in names.sorted() {
            let p = (folder as NSString).appendingPathComponent(n)
            guard let data = FileManager.default.contents(atPath: p) else { continue }
            files.append((n, data))
        }
        return try db.saveDocument(d, files: files)
    }
}

/// Where every command gets its ledger: a file (DATA.md §1) or a database (§8), the same way.
public enum LedgerSource {
    /// Loads the ledger `reference` names. From a database it is the ledger as it stands (or at
    /// change `seq`), with its `provenance`; from a file, `seq` must be nil.
    public static func load(_ reference: String, seq: Int? = nil) throws -> Ledger {
        guard PathText.isDatabaseReference(reference) else { return try LedgerReader.files.read(reference, seq) }
        do {
            let store = try LedgerStore.open(reference)
            defer { store.close() }
            return try LedgerReader.database(store).read(reference, seq)
        } catch let e as LedgerStoreError {
            throw InputError.unreadable(file: reference, reason: e.message)
        }
    }
}

extension LedgerReader {
    /// The ledger of an open database as it stands (or at change `seq`), with its provenance,
    /// whatever reference the scenario names: how the web application plans.
    public static func database(_ store: LedgerStore) -> LedgerReader {
        LedgerReader { _, seq in
            let snap = try store.snapshot(seq: seq)
            var ledger = snap.ledger
            ledger.provenance = LedgerProvenance(source: snap.source, seq: snap.seq)
            return ledger
        }
    }

    /// Ledger files and databases (`LedgerSource.load`): what every command passes the engine.
    public static let filesAndDatabases = LedgerReader { try LedgerSource.load($0, seq: $1) }
}

import Foundation
import GRDB

/// The embedded back end: one SQLite file through GRDB. Imports run in `BEGIN IMMEDIATE`
/// transactions, so two processes importing at once take turns (each waits up to ten minutes
/// for the other), and SQLite's journal makes a killed import leave nothing half-applied.
public final class SQLiteLedger: LedgerDatabase, @unchecked Sendable {
    public let source: String
    let queue: DatabaseQueue
    /// Set by `close()`: a call after it is an error, not a read of a closed SQLite handle.
    private let closedLock = NSLock()
    private var closed = false

    /// Opens (and with `create`, makes) the database at `path`, applying any migration step it
    /// lacks.
    public init(path: String, create: Bool) throws {
        source = "sqlite:" + path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw LedgerStoreError("台账数据库 \(path) 不存在；先用 planner ledger import 导入台账 (the ledger database \(path) does not exist: create it with `planner ledger import`)")
        }
        var config = Configuration()
        config.busyMode = .timeout(600)
        config.label = "ledger"
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            var migrator = DatabaseMigrator()
            for step in LedgerSchema.steps(.sqlite) {
                migrator.registerMigration(step.id) { db in for s in step.sql { try db.execute(sql: s) } }
            }
            if try queue.read({ try migrator.hasBeenSuperseded($0) }) {
                throw LedgerStoreError("台账数据库 \(path) 由更新版本的 planner 建立，请升级 planner (the database \(path) was made by a newer planner: upgrade)")
            }
            try migrator.migrate(queue)
        } catch let e as LedgerStoreError { throw e }
        catch { throw LedgerStoreError("无法打开台账数据库 \(path)：\(error) (cannot open the ledger database)") }
    }

    /// Switches the file to SQLite's write-ahead log (it stays so: every later opener uses it),
    /// where readers never wait for a writer: what `planner serve` does, so that pages keep
    /// answering while `planner plan --db` or an import writes (BENCHMARKS.md, issue 15).
    public func useWriteAheadLog() throws {
        try wrap { try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode=WAL") } }
    }

    public func close() {
        closedLock.lock()
        defer { closedLock.unlock() }
        guard !closed else { return }
        closed = true
        try? queue.close()
    }

    static let versionColumns = "v.unit_id, v.seq, v.import_id, v.effective, v.ord, v.closed, v.district, v.town, v.name, v.row_text"
    /// The latest version of every unit (unordered).
    static let currentSQL = "SELECT \(versionColumns) FROM units u JOIN versions v ON v.unit_id = u.id AND v.seq = u.seq"
    /// The rows of a query selecting `versionColumns`, read by position straight from the
    /// statement (a cursor: no `Row` copied per unit).
    static func versions(_ db: Database, _ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> [StoredVersion] {
        var out: [StoredVersion] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let r = try rows.next() {
            out.append(StoredVersion(unit: r[0], seq: r[1], importID: r[2], effective: r[3], ord: r[4], closed: (r[5] as Int) != 0,
                                     district: r[6], town: r[7], name: r[8], row: r[9]))
        }
        return out
    }

    public func writeImport(_ make: (LedgerHead) throws -> ImportWrite) throws -> ImportWrite {
        try wrap {
            try queue.writeWithoutTransaction { db in
                var out: ImportWrite?
                try db.inTransaction(.immediate) {
                    let current = try Self.versions(db, Self.currentSQL).inExportOrder()
                    let lastSeq = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM changes") ?? 0
                    let lastImport = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM imports") ?? 0
                    let w = try make(LedgerHead(current: current, lastSeq: lastSeq, lastImport: lastImport))
                    let r = w.record
                    try db.execute(sql: "INSERT INTO imports (id, at, by_name, reason, source, effective) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [r.id, r.at, r.by, r.reason, r.source, r.effective])
                    let ch = try db.makeStatement(sql: "INSERT INTO changes (seq, import_id, unit_id, field, old, new, effective) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    for c in w.changes {
                        ch.setUncheckedArguments([c.seq, c.importID, c.unit, c.field, c.old, c.new, c.effective])
                        try ch.execute()
                    }
                    let ve = try db.makeStatement(sql: "INSERT INTO versions (unit_id, seq, import_id, effective, ord, closed, district, town, name, row_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    let un = try db.makeStatement(sql: """
                        INSERT INTO units (id, seq, ord, closed, district, town, name) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, closed = excluded.closed,
                          district = excluded.district, town = excluded.town, name = excluded.name
                        """)
                    for v in w.versions {
                        ve.setUncheckedArguments([v.unit, v.seq, v.importID, v.effective, v.ord, v.closed ? 1 : 0, v.district, v.town, v.name, v.row])
                        try ve.execute()
                        un.setUncheckedArguments([v.unit, v.seq, v.ord, v.closed ? 1 : 0, v.district, v.town, v.name])
                        try un.execute()
                    }
                    out = w
                    return .commit
                }
                return out!
            }
        }
    }

    public func liveRows(asOf: String?, seq: Int?, district: String?) throws -> [StoredRow] {
        let bounded = asOf != nil || seq != nil
        var arguments: [(any DatabaseValueConvertible)?] = bounded ? [asOf ?? "9999-12-31", seq ?? Int.max] : []
        if let district { arguments.append(district) }
        let sql = LedgerSchema.liveRows(bounded: bounded, district: district != nil) { "?\($0)" }
        return try wrap {
            try queue.read { db in
                var out: [StoredRow] = []
                let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
                while let r = try rows.next() { out.append(StoredRow(unit: r[0], seq: r[1], ord: r[2], row: r[3])) }
                return out.inExportOrder()
            }
        }
    }

    public func versions(unit: String) throws -> [StoredVersion] {
        try wrap {
            try queue.read { db in
                try Self.versions(db, "SELECT \(Self.versionColumns) FROM versions v WHERE v.unit_id = ? ORDER BY v.seq", [unit])
            }
        }
    }

    public func changes(unit: String) throws -> [(change: StoredChange, record: ImportRecord)] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT c.seq, c.import_id, c.unit_id, c.field, c.old, c.new, c.effective, i.at, i.by_name, i.reason, i.source, i.effective AS ie
                    FROM changes c JOIN imports i ON i.id = c.import_id WHERE c.unit_id = ? ORDER BY c.seq
                    """, arguments: [unit]).map { r in
                    (StoredChange(seq: r["seq"], importID: r["import_id"], unit: r["unit_id"], field: r["field"], old: r["old"], new: r["new"], effective: r["effective"]),
                     ImportRecord(id: r["import_id"], at: r["at"], by: r["by_name"], reason: r["reason"], source: r["source"], effective: r["ie"]))
                }
            }
        }
    }

    public func lastSeq() throws -> Int {
        try wrap { try queue.read { try Int.fetchOne($0, sql: "SELECT COALESCE(MAX(seq), 0) FROM changes") ?? 0 } }
    }

    public func importBoundary(atOrBefore seq: Int) throws -> Int {
        try wrap { try queue.read { try Int.fetchOne($0, sql: LedgerSchema.importBoundary("?"), arguments: [seq]) ?? 0 } }
    }

    public func saveDocument(_ d: StoredDocument, files: [(name: String, content: Data)]) throws -> Int {
        try wrap {
            try queue.writeWithoutTransaction { db in
                var id = 0
                try db.inTransaction(.immediate) {
                    id = (try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM documents") ?? 0) + 1
                    try db.execute(sql: """
                        INSERT INTO documents (id, kind, authority, level, year, month, status, ledger_seq, created_at, created_by, plan_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, d.kind.rawValue, d.authority, d.level, d.year, d.month, d.status.rawValue, d.ledgerSeq, d.createdAt, d.createdBy, d.planID])
                    for f in files {
                        try db.execute(sql: "INSERT INTO document_files (document_id, name, content) VALUES (?, ?, ?)", arguments: [id, f.name, f.content])
                    }
                    try db.execute(sql: "INSERT INTO document_events (document_id, step, at, by_name, status, comment) VALUES (?, 1, ?, ?, ?, '')",
                                   arguments: [id, d.createdAt, d.createdBy, d.status.rawValue])
                    return .commit
                }
                return id
            }
        }
    }

    static func document(_ r: Row) -> StoredDocument {
        StoredDocument(id: r["id"], kind: StoredDocument.Kind(rawValue: r["kind"]) ?? .plan, authority: r["authority"], level: r["level"],
                       year: r["year"], month: r["month"], status: DocumentStatus(rawValue: r["status"]) ?? .draft, ledgerSeq: r["ledger_seq"],
                       createdAt: r["created_at"], createdBy: r["created_by"], planID: r["plan_id"],
                       workflow: DocumentWorkflowFields(approvalNumber: r["approval_number"], approvalDate: r["approval_date"], filedTo: r["filed_to"]))
    }

    public func documents(filedTo authority: String) throws -> [StoredDocument] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM documents WHERE filed_to = ? ORDER BY id DESC", arguments: [authority]).map(Self.document)
            }
        }
    }

    public func documents(authority: String?, year: Int?) throws -> [StoredDocument] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM documents WHERE (? IS NULL OR authority = ?) AND (? IS NULL OR year = ?) ORDER BY id DESC
                    """, arguments: [authority, authority, year, year]).map(Self.document)
            }
        }
    }

    public func documentFiles(id: Int) throws -> [(name: String, content: Data)] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT name, content FROM document_files WHERE document_id = ? ORDER BY name", arguments: [id])
                    .map { (name: $0["name"], content: $0["content"]) }
            }
        }
    }

    public func document(id: Int) throws -> StoredDocument? {
        try wrap { try queue.read { db in try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE id = ?", arguments: [id]).map(Self.document) } }
    }

    public func documentFile(id: Int, name: String) throws -> Data? {
        try wrap {
            try queue.read { db in
                try Data.fetchOne(db, sql: "SELECT content FROM document_files WHERE document_id = ? AND name = ?", arguments: [id, name])
            }
        }
    }

    public func setStatus(document: Int, to status: DocumentStatus, by: String, comment: String, at: String) throws {
        try wrap {
            try queue.write { db in
                guard try Int.fetchOne(db, sql: "SELECT id FROM documents WHERE id = ?", arguments: [document]) != nil else {
                    throw LedgerStoreError("没有编号为 \(document) 的计划或方案 (no stored document \(document))")
                }
                try db.execute(sql: "UPDATE documents SET status = ? WHERE id = ?", arguments: [status.rawValue, document])
                try Self.addEvent(db, document, at: at, by: by, status: status, comment: comment)
            }
        }
    }

    public func moveDocument(_ id: Int, from: DocumentStatus, to status: DocumentStatus, fields: DocumentWorkflowFields,
                             by: String, comment: String, at: String) throws -> Bool {
        try wrap {
            try queue.write { db in
                try db.execute(sql: """
                    UPDATE documents SET status = ?, approval_number = ?, approval_date = ?, filed_to = ? WHERE id = ? AND status = ?
                    """, arguments: [status.rawValue, fields.approvalNumber, fields.approvalDate, fields.filedTo, id, from.rawValue])
                guard db.changesCount == 1 else { return false }
                try Self.addEvent(db, id, at: at, by: by, status: status, comment: comment)
                return true
            }
        }
    }

    static func addEvent(_ db: Database, _ document: Int, at: String, by: String, status: DocumentStatus, comment: String) throws {
        let step = (try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(step), 0) FROM document_events WHERE document_id = ?", arguments: [document]) ?? 0) + 1
        try db.execute(sql: "INSERT INTO document_events (document_id, step, at, by_name, status, comment) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [document, step, at, by, status.rawValue, comment])
    }

    public func events(document: Int) throws -> [DocumentEvent] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM document_events WHERE document_id = ? ORDER BY step", arguments: [document]).map {
                    DocumentEvent(documentID: $0["document_id"], at: $0["at"], by: $0["by_name"],
                                  status: DocumentStatus(rawValue: $0["status"]) ?? .draft, comment: $0["comment"])
                }
            }
        }
    }

    // MARK: Accounts

    static func user(_ r: Row, from i: Int = 0) -> StoredUser {
        StoredUser(id: r[i], name: r[i + 1], authority: r[i + 2], role: AccountRole(rawValue: r[i + 3]) ?? .planner,
                   passwordHash: r[i + 4], createdAt: r[i + 5])
    }

    public func addUser(_ u: StoredUser) throws -> Int? {
        try wrap {
            try queue.writeWithoutTransaction { db in
                var id: Int?
                try db.inTransaction(.immediate) {
                    guard try Int.fetchOne(db, sql: "SELECT id FROM users WHERE name = ?", arguments: [u.name]) == nil else { return .commit }
                    let next = (try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM users") ?? 0) + 1
                    try db.execute(sql: "INSERT INTO users (id, name, authority, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [next, u.name, u.authority, u.role.rawValue, u.passwordHash, u.createdAt])
                    id = next
                    return .commit
                }
                return id
            }
        }
    }

    public func user(named name: String) throws -> StoredUser? {
        try wrap {
            try queue.read { db in
                try Row.fetchOne(db, sql: "SELECT \(LedgerSchema.userColumns) FROM users u WHERE u.name = ?", arguments: [name]).map { Self.user($0) }
            }
        }
    }

    public func users() throws -> [StoredUser] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT \(LedgerSchema.userColumns) FROM users u ORDER BY u.name").map { Self.user($0) }
            }
        }
    }

    public func saveSession(_ s: StoredSession) throws {
        try wrap {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                               arguments: [s.tokenHash, s.userID, s.createdAt, s.expiresAt])
            }
        }
    }

    public func session(tokenHash: String, now: String) throws -> (session: StoredSession, user: StoredUser)? {
        try wrap {
            try queue.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT s.token_hash, s.user_id, s.created_at, s.expires_at, \(LedgerSchema.userColumns)
                    FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?
                    """, arguments: [tokenHash, now]).map { r in
                    (session: StoredSession(tokenHash: r[0], userID: r[1], createdAt: r[2], expiresAt: r[3]), user: Self.user(r, from: 4))
                }
            }
        }
    }

    public func deleteSession(tokenHash: String) throws {
        try wrap { try queue.write { try $0.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash]) } }
    }

    @discardableResult
    public func deleteExpiredSessions(now: String) throws -> Int {
        try wrap {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", arguments: [now])
                return db.changesCount
            }
        }
    }

    /// GRDB's errors as the store's: what failed, in words, never a crash.
    func wrap<T>(_ body: () throws -> T) throws -> T {
        closedLock.lock()
        let isClosed = closed
        closedLock.unlock()
        if isClosed { throw LedgerStoreError("台账数据库已关闭 (\(source)) (the ledger database is closed)") }
        do { return try body() }
        catch let e as LedgerStoreError { throw e }
        catch let e as DatabaseError {
            throw LedgerStoreError("台账数据库操作失败 (\(source))：\(e.message ?? "\(e.resultCode)") (database error)")
        }
    }
}

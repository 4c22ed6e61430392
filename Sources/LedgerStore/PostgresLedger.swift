import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The shared back end: a PostgreSQL server through postgres-nio, with the same tables as the
/// SQLite file (`LedgerSchema`). An import takes `LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE`
/// before it reads, so imports from several machines take turns while readers go on.
///
/// The planner's commands are synchronous: each call waits for its query's future on the
/// calling thread (never on an event-loop thread). Several threads may share one ledger (the
/// web application calls it from a thread pool): each query, and each transaction as a whole,
/// holds `connectionLock`, so two threads' transactions never interleave on the connection.
public final class PostgresLedger: LedgerDatabase, @unchecked Sendable {
    public let source: String
    let connection: PostgresConnection
    let logger: Logger

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`, or with
    /// `?host=/socket/folder` for a Unix socket) and applies any migration step it lacks.
    public init(url: String) throws {
        let target = try PostgresTarget(url: url)
        source = target.shown
        var log = Logger(label: "planner.ledger.postgres")
        log.logLevel = .critical
        logger = log
        let config: PostgresConnection.Configuration
        if let socket = target.socketFolder {
            config = .init(unixSocketPath: "\(socket)/.s.PGSQL.\(target.port)", username: target.user, password: target.password, database: target.database)
        } else {
            config = .init(host: target.host, port: target.port, username: target.user, password: target.password, database: target.database, tls: .disable)
        }
        do {
            connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: config, id: 1, logger: log).wait()
        } catch {
            throw LedgerStoreError("无法连接 PostgreSQL 台账数据库 \(target.shown)：\(Self.describe(error))；请确认服务器已启动、地址和账号正确 (cannot connect: is the server running, are the address and account right?)")
        }
        do { try migrate() } catch {
            close()
            throw error
        }
    }

    /// Held by every query and every transaction (recursive: a transaction's queries take it
    /// again).
    private let connectionLock = NSRecursiveLock()

    /// postgres-nio traps on a connection released unclosed: every path closes it once.
    private let closedLock = NSLock()
    nonisolated(unsafe) private var closed = false

    public func close() {
        closedLock.lock()
        defer { closedLock.unlock() }
        guard !closed else { return }
        closed = true
        try? connection.close().wait()
    }

    deinit { close() }

    // MARK: queries

    @discardableResult
    func run(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> PostgresQueryResult {
        connectionLock.lock()
        defer { connectionLock.unlock() }
        do { return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait() }
        catch { throw LedgerStoreError("台账数据库操作失败 (\(source))：\(Self.describe(error)) (database error)") }
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? PSQLError {
            if let m = e.serverInfo?[.message] { return m }
            return "\(e.code)"
        }
        return "\(error)"
    }

    func binds(_ build: (inout PostgresBindings) throws -> Void) rethrows -> PostgresBindings {
        var b = PostgresBindings()
        try build(&b)
        return b
    }

    /// Runs `body` in one transaction, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        connectionLock.lock()
        defer { connectionLock.unlock() }
        try run("BEGIN")
        do {
            let v = try body()
            try run("COMMIT")
            return v
        } catch {
            _ = try? run("ROLLBACK")
            throw error
        }
    }

    func migrate() throws {
        try transaction {
            try run("CREATE TABLE IF NOT EXISTS planner_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            try run("LOCK TABLE planner_migrations IN EXCLUSIVE MODE")
            let done = Set(try run("SELECT id FROM planner_migrations").map { try $0.makeRandomAccess()[0].decode(String.self) })
            let known = LedgerSchema.steps(.postgres)
            if !done.isSubset(of: Set(known.map(\.id))) {
                throw LedgerStoreError("台账数据库 \(source) 由更新版本的 planner 建立，请升级 planner (the database was made by a newer planner: upgrade)")
            }
            for step in known where !done.contains(step.id) {
                for s in step.sql { try run(s) }
                try run("INSERT INTO planner_migrations (id, applied_at) VALUES ($1, $2)", binds { $0.append(step.id); $0.append(LedgerClock.now()) })
            }
        }
    }

    static let versionColumns = "v.unit_id, v.seq, v.import_id, v.effective, v.ord, v.closed, v.district, v.town, v.name, v.row_text"
    /// The latest version of every unit (unordered).
    static let currentSQL = "SELECT \(versionColumns) FROM units u JOIN versions v ON v.unit_id = u.id AND v.seq = u.seq"
    /// Collects rows handed to `query`'s callback: touched only on the connection's event loop
    /// until the query's future completes, and read after.
    final class Collected<T>: @unchecked Sendable { var items: [T] = [] }

    /// The cells of one row, read in order.
    struct Cells {
        var iterator: PostgresRow.Iterator
        mutating func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
            guard let cell = iterator.next() else { throw LedgerStoreError("a column of the query is missing") }
            return try cell.decode(T.self)
        }
    }

    /// The rows of `sql`, each made by `make` as it arrives. Not `run`: postgres-nio's
    /// collect-everything query copies the rows gathered so far at each batch the server sends,
    /// quadratic in the rows (seconds for the whole ledger). Cell by cell: `row.decode` of a
    /// tuple is not specialised (generic metadata per row).
    func rows<T>(_ sql: String, _ b: PostgresBindings = PostgresBindings(), _ make: @escaping @Sendable (inout Cells) throws -> T) throws -> [T] {
        let out = Collected<T>()
        connectionLock.lock()
        defer { connectionLock.unlock() }
        do {
            _ = try connection.query(PostgresQuery(unsafeSQL: sql, binds: b), logger: logger) { row in
                var cells = Cells(iterator: row.makeIterator())
                out.items.append(try make(&cells))
            }.wait()
        } catch { throw LedgerStoreError("台账数据库操作失败 (\(source))：\(Self.describe(error)) (database error)") }
        return out.items
    }

    /// Rows of `versionColumns`.
    func versionRows(_ sql: String, _ b: PostgresBindings = PostgresBindings()) throws -> [StoredVersion] {
        try rows(sql, b) { c in
            StoredVersion(unit: try c.next(), seq: try c.next(), importID: try c.next(), effective: try c.next(), ord: try c.next(),
                          closed: try c.next(Int.self) != 0, district: try c.next(), town: try c.next(), name: try c.next(), row: try c.next())
        }
    }

    func int(_ sql: String, _ b: PostgresBindings = PostgresBindings()) throws -> Int {
        guard let row = try run(sql, b).first else { return 0 }
        return try row.makeRandomAccess()[0].decode(Int?.self) ?? 0
    }

    // MARK: LedgerDatabase

    public func writeImport(_ make: (LedgerHead) throws -> ImportWrite) throws -> ImportWrite {
        try transaction {
            try run("LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE")
            let current = try versionRows(Self.currentSQL).inExportOrder()
            let w = try make(LedgerHead(current: current, lastSeq: try int("SELECT COALESCE(MAX(seq), 0) FROM changes"),
                                        lastImport: try int("SELECT COALESCE(MAX(id), 0) FROM imports")))
            let r = w.record
            try run("INSERT INTO imports (id, at, by_name, reason, source, effective) VALUES ($1, $2, $3, $4, $5, $6)", binds {
                $0.append(r.id); $0.append(r.at); $0.append(r.by); $0.append(r.reason); $0.append(r.source); $0.append(r.effective)
            })
            // Many rows a statement: arrays unnested server-side (one round trip per 10,000 rows).
            let batch = 10_000
            for lo in stride(from: 0, to: w.changes.count, by: batch) {
                let part = w.changes[lo..<min(lo + batch, w.changes.count)]
                try run("""
                    INSERT INTO changes (seq, import_id, unit_id, field, old, new, effective)
                    SELECT s, i, u, f, NULLIF(o, ''), NULLIF(n, ''), e FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(s, i, u, f, o, n, e)
                    """, binds {
                    $0.append(part.map(\.seq)); $0.append(part.map(\.importID)); $0.append(part.map(\.unit)); $0.append(part.map(\.field))
                    $0.append(part.map { $0.old ?? "" }); $0.append(part.map { $0.new ?? "" }); $0.append(part.map(\.effective))
                })
            }
            for lo in stride(from: 0, to: w.versions.count, by: batch) {
                let part = w.versions[lo..<min(lo + batch, w.versions.count)]
                var b = PostgresBindings()
                b.append(part.map(\.unit)); b.append(part.map(\.seq)); b.append(part.map(\.importID)); b.append(part.map(\.effective))
                b.append(part.map(\.ord)); b.append(part.map { $0.closed ? 1 : 0 }); b.append(part.map(\.district)); b.append(part.map(\.town))
                b.append(part.map(\.name)); b.append(part.map(\.row))
                try run("""
                    INSERT INTO versions (unit_id, seq, import_id, effective, ord, closed, district, town, name, row_text)
                    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[])
                    """, b)
                try run("""
                    INSERT INTO units (id, seq, ord, closed, district, town, name)
                    SELECT u, s, o, c, d, t, n FROM unnest($1::text[], $2::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::text[], $3::bigint[], $4::text[], $10::text[])
                      AS x(u, s, o, c, d, t, n, i, e, r)
                    ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, closed = excluded.closed,
                      district = excluded.district, town = excluded.town, name = excluded.name
                    """, b)
            }
            return w
        }
    }

    public func liveRows(asOf: String?, seq: Int?, district: String?) throws -> [StoredRow] {
        let bounded = asOf != nil || seq != nil
        let sql = LedgerSchema.liveRows(bounded: bounded, district: district != nil) { "$\($0)" }
        let b = binds { b in
            if bounded { b.append(asOf ?? "9999-12-31"); b.append(seq ?? Int.max) }
            if let district { b.append(district) }
        }
        return try rows(sql, b) { c in StoredRow(unit: try c.next(), seq: try c.next(), ord: try c.next(), row: try c.next()) }.inExportOrder()
    }

    public func versions(unit: String) throws -> [StoredVersion] {
        try versionRows("SELECT \(Self.versionColumns) FROM versions v WHERE v.unit_id = $1 ORDER BY v.seq", binds { $0.append(unit) })
    }

    public func changes(unit: String) throws -> [(change: StoredChange, record: ImportRecord)] {
        try run("""
            SELECT c.seq, c.import_id, c.unit_id, c.field, c.old, c.new, c.effective, i.at, i.by_name, i.reason, i.source, i.effective
            FROM changes c JOIN imports i ON i.id = c.import_id WHERE c.unit_id = $1 ORDER BY c.seq
            """, binds { $0.append(unit) }).map { row in
            let r = row.makeRandomAccess()
            return (StoredChange(seq: try r[0].decode(Int.self), importID: try r[1].decode(Int.self), unit: try r[2].decode(String.self),
                                 field: try r[3].decode(String.self), old: try r[4].decode(String?.self), new: try r[5].decode(String?.self),
                                 effective: try r[6].decode(String.self)),
                    ImportRecord(id: try r[1].decode(Int.self), at: try r[7].decode(String.self), by: try r[8].decode(String.self),
                                 reason: try r[9].decode(String.self), source: try r[10].decode(String.self), effective: try r[11].decode(String.self)))
        }
    }

    public func lastSeq() throws -> Int { try int("SELECT COALESCE(MAX(seq), 0) FROM changes") }

    public func importBoundary(atOrBefore seq: Int) throws -> Int {
        try int(LedgerSchema.importBoundary("$1"), binds { $0.append(seq) })
    }

    public func saveDocument(_ d: StoredDocument, files: [(name: String, content: Data)]) throws -> Int {
        try transaction {
            try run("LOCK TABLE documents IN SHARE ROW EXCLUSIVE MODE")
            let id = try int("SELECT COALESCE(MAX(id), 0) FROM documents") + 1
            try run("""
                INSERT INTO documents (id, kind, authority, level, year, month, status, ledger_seq, created_at, created_by, plan_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """, binds {
                $0.append(id); $0.append(d.kind.rawValue); $0.append(d.authority); $0.append(d.level); $0.append(d.year)
                $0.append(d.month); $0.append(d.status.rawValue); $0.append(d.ledgerSeq); $0.append(d.createdAt)
                $0.append(d.createdBy); $0.append(d.planID)
            })
            for f in files {
                try run("INSERT INTO document_files (document_id, name, content) VALUES ($1, $2, $3)", binds {
                    $0.append(id); $0.append(f.name); try $0.append(f.content)
                })
            }
            try run("INSERT INTO document_events (document_id, step, at, by_name, status, comment) VALUES ($1, 1, $2, $3, $4, '')", binds {
                $0.append(id); $0.append(d.createdAt); $0.append(d.createdBy); $0.append(d.status.rawValue)
            })
            return id
        }
    }

    static let documentColumns = "id, kind, authority, level, year, month, status, ledger_seq, created_at, created_by, plan_id, approval_number, approval_date, filed_to"

    static func document(_ r: PostgresRandomAccessRow) throws -> StoredDocument {
        StoredDocument(id: try r[0].decode(Int.self), kind: StoredDocument.Kind(rawValue: try r[1].decode(String.self)) ?? .plan,
                       authority: try r[2].decode(String.self), level: try r[3].decode(String.self), year: try r[4].decode(Int.self),
                       month: try r[5].decode(Int?.self), status: DocumentStatus(rawValue: try r[6].decode(String.self)) ?? .draft,
                       ledgerSeq: try r[7].decode(Int.self), createdAt: try r[8].decode(String.self), createdBy: try r[9].decode(String.self),
                       planID: try r[10].decode(Int?.self),
                       workflow: DocumentWorkflowFields(approvalNumber: try r[11].decode(String?.self), approvalDate: try r[12].decode(String?.self),
                                                        filedTo: try r[13].decode(String?.self)))
    }

    public func documents(filedTo authority: String) throws -> [StoredDocument] {
        try run("SELECT \(Self.documentColumns) FROM documents WHERE filed_to = $1 ORDER BY id DESC", binds { $0.append(authority) })
            .map { try Self.document($0.makeRandomAccess()) }
    }

    public func documents(authority: String?, year: Int?) throws -> [StoredDocument] {
        try run("""
            SELECT \(Self.documentColumns) FROM documents
            WHERE ($1::text IS NULL OR authority = $1) AND ($2::bigint IS NULL OR year = $2) ORDER BY id DESC
            """, binds { $0.append(authority); $0.append(year) }).map { try Self.document($0.makeRandomAccess()) }
    }

    public func document(id: Int) throws -> StoredDocument? {
        try run("SELECT \(Self.documentColumns) FROM documents WHERE id = $1", binds { $0.append(id) })
            .map { try Self.document($0.makeRandomAccess()) }.first
    }

    public func documentFile(id: Int, name: String) throws -> Data? {
        try run("SELECT content FROM document_files WHERE document_id = $1 AND name = $2", binds { $0.append(id); $0.append(name) })
            .map { try $0.makeRandomAccess()[0].decode(Data.self) }.first
    }

    public func documentFiles(id: Int) throws -> [(name: String, content: Data)] {
        try run("SELECT name, content FROM document_files WHERE document_id = $1 ORDER BY name", binds { $0.append(id) }).map { row in
            let r = row.makeRandomAccess()
            return (name: try r[0].decode(String.self), content: try r[1].decode(Data.self))
        }
    }

    public func setStatus(document: Int, to status: DocumentStatus, by: String, comment: String, at: String) throws {
        try transaction {
            try run("LOCK TABLE document_events IN SHARE ROW EXCLUSIVE MODE")
            guard try run("SELECT id FROM documents WHERE id = $1", binds { $0.append(document) }).first != nil else {
                throw LedgerStoreError("没有编号为 \(document) 的计划或方案 (no stored document \(document))")
            }
            try run("UPDATE documents SET status = $1 WHERE id = $2", binds { $0.append(status.rawValue); $0.append(document) })
            try addEvent(document, at: at, by: by, status: status, comment: comment)
        }
    }

    public func moveDocument(_ id: Int, from: DocumentStatus, to status: DocumentStatus, fields: DocumentWorkflowFields,
                             by: String, comment: String, at: String) throws -> Bool {
        try transaction {
            try run("LOCK TABLE document_events IN SHARE ROW EXCLUSIVE MODE")
            let moved = try run("""
                UPDATE documents SET status = $1, approval_number = $2, approval_date = $3, filed_to = $4 WHERE id = $5 AND status = $6 RETURNING id
                """, binds {
                $0.append(status.rawValue); $0.append(fields.approvalNumber); $0.append(fields.approvalDate); $0.append(fields.filedTo)
                $0.append(id); $0.append(from.rawValue)
            })
            guard moved.first != nil else { return false }
            try addEvent(id, at: at, by: by, status: status, comment: comment)
            return true
        }
    }

    func addEvent(_ document: Int, at: String, by: String, status: DocumentStatus, comment: String) throws {
        let step = try int("SELECT COALESCE(MAX(step), 0) FROM document_events WHERE document_id = $1", binds { $0.append(document) }) + 1
        try run("INSERT INTO document_events (document_id, step, at, by_name, status, comment) VALUES ($1, $2, $3, $4, $5, $6)", binds {
            $0.append(document); $0.append(step); $0.append(at); $0.append(by); $0.append(status.rawValue); $0.append(comment)
        })
    }

    public func events(document: Int) throws -> [DocumentEvent] {
        try run("SELECT document_id, at, by_name, status, comment FROM document_events WHERE document_id = $1 ORDER BY step",
                binds { $0.append(document) }).map { row in
            let r = row.makeRandomAccess()
            return DocumentEvent(documentID: try r[0].decode(Int.self), at: try r[1].decode(String.self), by: try r[2].decode(String.self),
                                 status: DocumentStatus(rawValue: try r[3].decode(String.self)) ?? .draft, comment: try r[4].decode(String.self))
        }
    }

    // MARK: Accounts

    static func user(_ r: PostgresRandomAccessRow, from i: Int = 0) throws -> StoredUser {
        StoredUser(id: try r[i].decode(Int.self), name: try r[i + 1].decode(String.self), authority: try r[i + 2].decode(String.self),
                   role: AccountRole(rawValue: try r[i + 3].decode(String.self)) ?? .planner,
                   passwordHash: try r[i + 4].decode(String.self), createdAt: try r[i + 5].decode(String.self))
    }

    public func addUser(_ u: StoredUser) throws -> Int? {
        try transaction {
            try run("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
            guard try run("SELECT id FROM users WHERE name = $1", binds { $0.append(u.name) }).first == nil else { return nil }
            let id = try int("SELECT COALESCE(MAX(id), 0) FROM users") + 1
            try run("INSERT INTO users (id, name, authority, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)", binds {
                $0.append(id); $0.append(u.name); $0.append(u.authority); $0.append(u.role.rawValue); $0.append(u.passwordHash); $0.append(u.createdAt)
            })
            return id
        }
    }

    public func user(named name: String) throws -> StoredUser? {
        try run("SELECT \(LedgerSchema.userColumns) FROM users u WHERE u.name = $1", binds { $0.append(name) })
            .map { try Self.user($0.makeRandomAccess()) }.first
    }

    public func users() throws -> [StoredUser] {
        try run("SELECT \(LedgerSchema.userColumns) FROM users u ORDER BY u.name").map { try Self.user($0.makeRandomAccess()) }
    }

    public func saveSession(_ s: StoredSession) throws {
        try run("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)", binds {
            $0.append(s.tokenHash); $0.append(s.userID); $0.append(s.createdAt); $0.append(s.expiresAt)
        })
    }

    public func session(tokenHash: String, now: String) throws -> (session: StoredSession, user: StoredUser)? {
        try run("""
            SELECT s.token_hash, s.user_id, s.created_at, s.expires_at, \(LedgerSchema.userColumns)
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2
            """, binds { $0.append(tokenHash); $0.append(now) }).map { row in
            let r = row.makeRandomAccess()
            return (session: StoredSession(tokenHash: try r[0].decode(String.self), userID: try r[1].decode(Int.self),
                                           createdAt: try r[2].decode(String.self), expiresAt: try r[3].decode(String.self)),
                    user: try Self.user(r, from: 4))
        }.first
    }

    public func deleteSession(tokenHash: String) throws {
        try run("DELETE FROM sessions WHERE token_hash = $1", binds { $0.append(tokenHash) })
    }

    @discardableResult
    public func deleteExpiredSessions(now: String) throws -> Int {
        try run("DELETE FROM sessions WHERE expires_at <= $1 RETURNING token_hash", binds { $0.append(now) }).map { _ in 1 }.count
    }
}

/// A `postgres://` address taken apart; `shown` leaves the password out.
struct PostgresTarget {
    var user = "postgres", password: String?, host = "localhost", port = 5432, database = "postgres"
    var socketFolder: String?
    var shown: String

    init(url: String) throws {
        guard let c = URLComponents(string: url), c.scheme == "postgres" || c.scheme == "postgresql" else {
            throw LedgerStoreError("数据库地址 \(url) 应写作 postgres://用户[:密码]@主机[:端口]/数据库 (a PostgreSQL address is postgres://user[:password]@host[:port]/database)")
        }
        if let u = c.user, !u.isEmpty { user = u.removingPercentEncoding ?? u }
        password = c.password?.removingPercentEncoding
        if let h = c.host, !h.isEmpty { host = h }
        if let p = c.port { port = p }
        let db = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        if !db.isEmpty { database = db }
        for q in c.queryItems ?? [] {
            switch q.name {
            case "host": if let v = q.value, v.hasPrefix("/") { socketFolder = v } else if let v = q.value { host = v }
            case "port": if let v = q.value.flatMap(Int.init) { port = v }
            case "user": if let v = q.value { user = v }
            default: break
            }
        }
        let (u, h, p, d, sock) = (user, host, port, database, socketFolder)
        shown = sock.map { "postgres://\(u)@/\(d)?host=\($0)&port=\(p)" } ?? "postgres://\(u)@\(h):\(p)/\(d)"
    }
}

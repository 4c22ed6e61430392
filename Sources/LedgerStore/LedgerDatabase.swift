import Foundation
import Ledger

/// A unit's state after one import: a row of the `versions` table. Every import that touches a
/// unit adds one version holding the whole row, so any earlier state is one lookup away.
public struct StoredVersion: Sendable, Equatable {
    public var unit: String
    /// The last change this version carries (the changes' sequence, DATA.md §8).
    public var seq: Int
    public var importID: Int
    /// The day from which the version holds (`YYYY-MM-DD`).
    public var effective: String
    /// The unit's place in exports: the order in which units first appeared.
    public var ord: Int
    public var closed: Bool
    public var district: String
    public var town: String
    public var name: String
    /// `LedgerRow.encode` of the unit's fields.
    public var row: String

    public init(unit: String, seq: Int, importID: Int, effective: String, ord: Int, closed: Bool,
                district: String, town: String, name: String, row: String) {
        self.unit = unit; self.seq = seq; self.importID = importID; self.effective = effective; self.ord = ord
        self.closed = closed; self.district = district; self.town = town; self.name = name; self.row = row
    }
}

/// A live unit's stored row, as exports and plans read the ledger: just what they need of a
/// version, so the database sends a quarter of the columns.
public struct StoredRow: Sendable, Equatable {
    public var unit: String
    public var seq: Int
    public var ord: Int
    /// `LedgerRow.encode` of the unit's fields.
    public var row: String
    public init(unit: String, seq: Int, ord: Int, row: String) { self.unit = unit; self.seq = seq; self.ord = ord; self.row = row }
}

extension Array where Element == StoredVersion {
    /// Sorted by `ord`, the export order (one version per unit, so no ties). The back ends sort
    /// here rather than in SQL: sorting the whole rows in the database (a temporary B-tree in
    /// SQLite, an on-disk merge in PostgreSQL) took longer than the rest of the query.
    func inExportOrder() -> [StoredVersion] { sorted { $0.ord < $1.ord } }
}

extension Array where Element == StoredRow {
    /// Sorted by `ord`, the export order (as `StoredVersion`'s, sorted here for the same reason).
    func inExportOrder() -> [StoredRow] { sorted { $0.ord < $1.ord } }
}

/// One change of one field of one unit (DATA.md §8). A new unit is one change with `field`
/// `*` and `new` its whole stored row; a closure or re-opening is `field` `closed`.
public struct StoredChange: Sendable, Equatable {
    public var seq: Int
    public var importID: Int
    public var unit: String
    public var field: String
    public var old: String?
    public var new: String?
    public var effective: String

    public init(seq: Int, importID: Int, unit: String, field: String, old: String?, new: String?, effective: String) {
        self.seq = seq; self.importID = importID; self.unit = unit; self.field = field
        self.old = old; self.new = new; self.effective = effective
    }
}

/// Who changed the ledger, when, why and from which file: one per import.
public struct ImportRecord: Sendable, Equatable {
    public var id: Int
    /// ISO 8601 with the offset, e.g. `2027-06-03T10:00:00+08:00`.
    public var at: String
    public var by: String
    public var reason: String
    public var source: String
    public var effective: String

    public init(id: Int, at: String, by: String, reason: String, source: String, effective: String) {
        self.id = id; self.at = at; self.by = by; self.reason = reason; self.source = source; self.effective = effective
    }
}

/// What one import writes, made under the database's write lock from the state it read.
public struct ImportWrite: Sendable {
    public var record: ImportRecord
    public var changes: [StoredChange]
    public var versions: [StoredVersion]
    public init(record: ImportRecord, changes: [StoredChange], versions: [StoredVersion]) {
        self.record = record; self.changes = changes; self.versions = versions
    }
}

/// The state an import starts from, read inside its transaction.
public struct LedgerHead: Sendable {
    /// The latest version of every unit, closed ones included, in export order.
    public var current: [StoredVersion]
    public var lastSeq: Int
    public var lastImport: Int
}

/// What the database keeps besides the ledger: plans and rosters with their status (DATA.md §8,
/// the web application's workflow).
public enum DocumentStatus: String, Sendable, CaseIterable, Codable {
    case draft, submitted, approved, filed, published
}

public struct StoredDocument: Sendable, Equatable {
    /// A plan, a month's roster, the scenario a plan is made from in the web application
    /// (its form, scenario.yaml and staff roll: each save a new version), or a what-if
    /// comparison made there.
    public enum Kind: String, Sendable { case plan, roster, scenario, whatif }
    public var id: Int
    public var kind: Kind
    public var authority: String
    public var level: String
    public var year: Int
    /// A roster's month; nil for a plan.
    public var month: Int?
    public var status: DocumentStatus
    /// The ledger change sequence the document was made from.
    public var ledgerSeq: Int
    public var createdAt: String
    public var createdBy: String
    /// The plan a roster was made from, when it is stored.
    public var planID: Int?
    /// The approval and filing of a plan (PLAN-ANNUAL), once made.
    public var workflow: DocumentWorkflowFields

    public init(id: Int = 0, kind: Kind, authority: String, level: String, year: Int, month: Int? = nil,
                status: DocumentStatus = .draft, ledgerSeq: Int, createdAt: String, createdBy: String, planID: Int? = nil,
                workflow: DocumentWorkflowFields = DocumentWorkflowFields()) {
        self.id = id; self.kind = kind; self.authority = authority; self.level = level; self.year = year
        self.month = month; self.status = status; self.ledgerSeq = ledgerSeq; self.createdAt = createdAt
        self.createdBy = createdBy; self.planID = planID; self.workflow = workflow
    }
}

/// What a plan's approval and filing record beside its status (PLAN-ANNUAL): the approval
/// document's number and date (批准文号、日期) and the authority it is filed with (备案).
public struct DocumentWorkflowFields: Sendable, Equatable, Codable {
    public var approvalNumber: String?
    /// yyyy-MM-dd.
    public var approvalDate: String?
    /// The authority above the plan's own, which sees it once filed.
    public var filedTo: String?
    public init(approvalNumber: String? = nil, approvalDate: String? = nil, filedTo: String? = nil) {
        self.approvalNumber = approvalNumber; self.approvalDate = approvalDate; self.filedTo = filedTo
    }
}

/// A status step of a stored document: who, when, with what comment.
public struct DocumentEvent: Sendable, Equatable {
    public var documentID: Int
    public var at: String
    public var by: String
    public var status: DocumentStatus
    public var comment: String
}

/// What an account may do in the web application (DATA.md §9): a planner makes and changes its
/// authority's plans, a reviewer reviews them, an admin (the city bureau) sees everything.
public enum AccountRole: String, Sendable, CaseIterable, Codable {
    case planner, reviewer, admin
}

/// A row of `users`: one person who may sign in to the web application.
public struct StoredUser: Sendable, Equatable {
    public var id: Int
    /// Unique; what the person types to sign in.
    public var name: String
    /// The authority (执法主体名称) whose data the account sees, as plans and scenarios name it.
    public var authority: String
    public var role: AccountRole
    /// A bcrypt hash (`$2b$…`); the password itself is never stored.
    public var passwordHash: String
    public var createdAt: String

    public init(id: Int = 0, name: String, authority: String, role: AccountRole, passwordHash: String, createdAt: String) {
        self.id = id; self.name = name; self.authority = authority; self.role = role
        self.passwordHash = passwordHash; self.createdAt = createdAt
    }
}

/// A row of `sessions`: a signed-in browser. Only the SHA-256 of the token the browser holds
/// is stored, so a copy of the database opens no session.
public struct StoredSession: Sendable, Equatable {
    /// Hex SHA-256 of the session token.
    public var tokenHash: String
    public var userID: Int
    /// `LedgerClock.timestamp` strings (fixed width, Beijing time): they compare as text.
    public var createdAt: String
    public var expiresAt: String

    public init(tokenHash: String, userID: Int, createdAt: String, expiresAt: String) {
        self.tokenHash = tokenHash; self.userID = userID; self.createdAt = createdAt; self.expiresAt = expiresAt
    }
}

/// One back end of the ledger database. Both implementations (`SQLiteLedger`, `PostgresLedger`)
/// keep the same tables (`LedgerSchema`) and pass the same tests; everything above them
/// (`LedgerStore`) is written once.
public protocol LedgerDatabase: AnyObject, Sendable {
    /// `sqlite:PATH` or `postgres://user@host:port/db` (never a password): what plans record.
    var source: String { get }
    /// Runs one import as one transaction holding the database's write lock from the first read
    /// to the commit, so two imports never interleave: `make` gets the state it starts from and
    /// returns what to write. Nothing is written when `make` or a write throws.
    func writeImport(_ make: (LedgerHead) throws -> ImportWrite) throws -> ImportWrite
    /// The row of every unit open at a date and a change sequence (nil: no bound), optionally
    /// of one district, in export order.
    func liveRows(asOf: String?, seq: Int?, district: String?) throws -> [StoredRow]
    /// Every version of one unit, oldest first.
    func versions(unit: String) throws -> [StoredVersion]
    /// Every change of one unit, oldest first, with the imports they came in.
    func changes(unit: String) throws -> [(change: StoredChange, record: ImportRecord)]
    /// The sequence number of the last change (0 for an empty ledger).
    func lastSeq() throws -> Int
    /// The last change of the latest import whose changes all come at or before `seq` (0 when
    /// none): where a reader bounded by `seq` sees whole imports only.
    func importBoundary(atOrBefore seq: Int) throws -> Int
    /// Stores a document with its files, returning its id; records its first event.
    func saveDocument(_ d: StoredDocument, files: [(name: String, content: Data)]) throws -> Int
    /// Stored documents, newest first, optionally of one authority and year.
    func documents(authority: String?, year: Int?) throws -> [StoredDocument]
    func documentFiles(id: Int) throws -> [(name: String, content: Data)]
    /// One stored document, if there is one of that id.
    func document(id: Int) throws -> StoredDocument?
    /// One file of a stored document (nil: no such document or file), without reading the others.
    func documentFile(id: Int, name: String) throws -> Data?
    /// Moves a document from `from` to `status` with its workflow fields set to `fields`,
    /// recording who, when and why, in one transaction; false (nothing written) when the
    /// document's status is no longer `from` — a step taken twice at once happens once.
    func moveDocument(_ id: Int, from: DocumentStatus, to status: DocumentStatus, fields: DocumentWorkflowFields,
                      by: String, comment: String, at: String) throws -> Bool
    /// Moves a document to `status` whatever its status, recording who and why.
    func setStatus(document: Int, to status: DocumentStatus, by: String, comment: String, at: String) throws
    /// The documents filed with `authority` by the level below, newest first.
    func documents(filedTo authority: String) throws -> [StoredDocument]
    func events(document: Int) throws -> [DocumentEvent]

    // MARK: Accounts (DATA.md §9)

    /// Adds a user (its `id` is given by the database) and returns its id, or nil when a user
    /// of that name exists (nothing is written then).
    func addUser(_ u: StoredUser) throws -> Int?
    /// The user of that name, if any.
    func user(named name: String) throws -> StoredUser?
    /// Every user, by name.
    func users() throws -> [StoredUser]
    func saveSession(_ s: StoredSession) throws
    /// The session of a token hash and its user, unless it has expired by `now` (a
    /// `LedgerClock.timestamp`).
    func session(tokenHash: String, now: String) throws -> (session: StoredSession, user: StoredUser)?
    /// Ends one session (signing out); nothing happens for an unknown hash.
    func deleteSession(tokenHash: String) throws
    /// Removes the sessions expired by `now`; returns how many.
    @discardableResult
    func deleteExpiredSessions(now: String) throws -> Int

    func close()
}

/// A database that cannot be opened or used: said with what to do, never a crash.
public struct LedgerStoreError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

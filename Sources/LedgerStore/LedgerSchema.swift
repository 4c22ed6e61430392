/// The tables of the ledger database, as numbered migration steps both back ends apply in
/// order (GRDB's migrator for SQLite; `planner_migrations` for PostgreSQL). A step, once
/// released, never changes: a later version adds steps, so a database made by this version
/// opens in the next.
public enum LedgerSchema {
    public enum Dialect: Sendable { case sqlite, postgres }

    /// `LedgerDatabase.importBoundary`'s query; `parameter` is the dialect's placeholder.
    static func importBoundary(_ parameter: String) -> String {
        "SELECT COALESCE(MAX(m), 0) FROM (SELECT MAX(seq) AS m FROM changes GROUP BY import_id) t WHERE m <= \(parameter)"
    }

    /// `LedgerDatabase.liveRows`' query (unordered): each unit's latest version — within a date
    /// and a change sequence when `bounded` — unless closed, optionally of one district. The
    /// parameters, in order: the date, the sequence (when bounded), the district (when given);
    /// `parameter(n)` is the dialect's placeholder for the n-th.
    static func liveRows(bounded: Bool, district: Bool, _ parameter: (Int) -> String) -> String {
        let columns = "v.unit_id, v.seq, v.ord, v.row_text"
        guard bounded else {
            return "SELECT \(columns) FROM units u JOIN versions v ON v.unit_id = u.id AND v.seq = u.seq WHERE u.closed = 0"
                + (district ? " AND u.district = \(parameter(1))" : "")
        }
        let (date, seq) = (parameter(1), parameter(2))
        // No later version within both bounds. (A join with the units' greatest seq instead is
        // planned by PostgreSQL as 200,000 index look-ups while the tables have no statistics
        // yet, right after an import.)
        return """
            SELECT \(columns) FROM versions v WHERE v.effective <= \(date) AND v.seq <= \(seq) AND v.closed = 0\(district ? " AND v.district = \(parameter(3))" : "")
              AND NOT EXISTS (SELECT 1 FROM versions w WHERE w.unit_id = v.unit_id AND w.seq > v.seq AND w.effective <= \(date) AND w.seq <= \(seq))
            """
    }

    /// The columns of `users`, in the order the back ends read them.
    static let userColumns = "u.id, u.name, u.authority, u.role, u.password_hash, u.created_at"

    /// (id, statements) in the order they apply.
    public static func steps(_ d: Dialect) -> [(id: String, sql: [String])] {
        let int = d == .sqlite ? "INTEGER" : "BIGINT"
        let blob = d == .sqlite ? "BLOB" : "BYTEA"
        return [
            ("v1-ledger", [
                // One row per import: who, when, why, from which file.
                """
                CREATE TABLE imports (id \(int) PRIMARY KEY, at TEXT NOT NULL, by_name TEXT NOT NULL,
                  reason TEXT NOT NULL, source TEXT NOT NULL, effective TEXT NOT NULL)
                """,
                // One row per changed field (DATA.md §8); seq is the change sequence.
                """
                CREATE TABLE changes (seq \(int) PRIMARY KEY, import_id \(int) NOT NULL REFERENCES imports(id),
                  unit_id TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT, effective TEXT NOT NULL)
                """,
                "CREATE INDEX changes_unit ON changes (unit_id, seq)",
                // A unit's whole row after each import that touched it.
                """
                CREATE TABLE versions (unit_id TEXT NOT NULL, seq \(int) NOT NULL, import_id \(int) NOT NULL,
                  effective TEXT NOT NULL, ord \(int) NOT NULL, closed \(int) NOT NULL, district TEXT NOT NULL,
                  town TEXT NOT NULL, name TEXT NOT NULL, row_text TEXT NOT NULL, PRIMARY KEY (unit_id, seq))
                """,
                // The latest version of each unit: what imports compare with, and what searches read.
                """
                CREATE TABLE units (id TEXT PRIMARY KEY, seq \(int) NOT NULL, ord \(int) NOT NULL,
                  closed \(int) NOT NULL, district TEXT NOT NULL, town TEXT NOT NULL, name TEXT NOT NULL)
                """,
                "CREATE INDEX units_district ON units (district, town)",
            ]),
            ("v1-documents", [
                """
                CREATE TABLE documents (id \(int) PRIMARY KEY, kind TEXT NOT NULL, authority TEXT NOT NULL,
                  level TEXT NOT NULL, year \(int) NOT NULL, month \(int), status TEXT NOT NULL,
                  ledger_seq \(int) NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL, plan_id \(int))
                """,
                "CREATE INDEX documents_authority ON documents (authority, year)",
                """
                CREATE TABLE document_files (document_id \(int) NOT NULL REFERENCES documents(id),
                  name TEXT NOT NULL, content \(blob) NOT NULL, PRIMARY KEY (document_id, name))
                """,
                """
                CREATE TABLE document_events (document_id \(int) NOT NULL REFERENCES documents(id),
                  step \(int) NOT NULL, at TEXT NOT NULL, by_name TEXT NOT NULL, status TEXT NOT NULL,
                  comment TEXT NOT NULL, PRIMARY KEY (document_id, step))
                """,
            ]),
            ("v2-accounts", [
                // Who may sign in to the web application (DATA.md §9): a bcrypt hash, never
                // the password.
                """
                CREATE TABLE users (id \(int) PRIMARY KEY, name TEXT NOT NULL UNIQUE, authority TEXT NOT NULL,
                  role TEXT NOT NULL CHECK (role IN ('planner', 'reviewer', 'admin')),
                  password_hash TEXT NOT NULL, created_at TEXT NOT NULL)
                """,
                // Signed-in browsers: the SHA-256 of the token (hex), never the token itself.
                """
                CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id \(int) NOT NULL REFERENCES users(id),
                  created_at TEXT NOT NULL, expires_at TEXT NOT NULL)
                """,
                "CREATE INDEX sessions_expiry ON sessions (expires_at)",
                // A plan's approval (批准文号、日期) and whom it is filed with (备案, PLAN-ANNUAL).
                "ALTER TABLE documents ADD COLUMN approval_number TEXT",
                "ALTER TABLE documents ADD COLUMN approval_date TEXT",
                "ALTER TABLE documents ADD COLUMN filed_to TEXT",
                "CREATE INDEX documents_filed_to ON documents (filed_to)",
            ]),
        ]
    }
}

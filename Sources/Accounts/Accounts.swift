import Crypto
import Foundation
import HummingbirdBcrypt
import LedgerStore

/// A person signed in to the web application, as the routes see them: never the password hash.
public struct Account: Sendable, Equatable, Codable {
    public var id: Int
    public var name: String
    /// The authority (执法主体名称) whose data the account sees.
    public var authority: String
    public var role: AccountRole

    public init(id: Int, name: String, authority: String, role: AccountRole) {
        self.id = id; self.name = name; self.authority = authority; self.role = role
    }

    init(_ u: StoredUser) { self.init(id: u.id, name: u.name, authority: u.authority, role: u.role) }
}

/// Why an account cannot be made: said in Chinese with the English in parentheses, as the
/// planner's other messages.
public struct AccountError: Error, CustomStringConvertible, Equatable {
    private enum Reason: Equatable {
        case unknownRole(String), emptyName, emptyAuthority, emptyPassword, passwordTooLong, nameTaken(String)
    }
    private let reason: Reason
    private init(_ reason: Reason) { self.reason = reason }

    public static func unknownRole(_ text: String) -> AccountError { AccountError(.unknownRole(text)) }
    public static func nameTaken(_ name: String) -> AccountError { AccountError(.nameTaken(name)) }
    public static let emptyName = AccountError(.emptyName)
    public static let emptyAuthority = AccountError(.emptyAuthority)
    public static let emptyPassword = AccountError(.emptyPassword)
    public static let passwordTooLong = AccountError(.passwordTooLong)

    public var description: String {
        switch reason {
        case .unknownRole(let r):
            return "角色 \(r) 无效：应为 planner（编制）、reviewer（审核）或 admin（市局管理员） (unknown role \(r): expected planner, reviewer or admin)"
        case .emptyName: return "用户名不能为空 (the user name must not be empty)"
        case .emptyAuthority: return "执法主体名称不能为空 (the authority must not be empty)"
        case .emptyPassword: return "密码不能为空 (the password must not be empty)"
        case .passwordTooLong:
            return "密码不能超过 \(Accounts.maxPasswordBytes) 字节（UTF-8） (the password must be at most \(Accounts.maxPasswordBytes) bytes of UTF-8: bcrypt ignores the rest)"
        case .nameTaken(let n): return "用户 \(n) 已存在 (user \(n) already exists)"
        }
    }
}

/// Accounts and sessions of the web application (DATA.md §9) over the ledger database:
/// passwords kept as bcrypt hashes (cost ≥ 10), sessions as random 256-bit tokens of which
/// the database keeps only the SHA-256. Synchronous, like `LedgerStore`: a server calls it
/// from a thread pool (bcrypt takes a quarter of a second on purpose).
public struct Accounts: Sendable {
    public let store: LedgerStore
    /// bcrypt's cost (log2 of its rounds).
    public let cost: UInt8
    /// How long a session lasts after sign-in.
    public let sessionLifetime: TimeInterval

    public static let minimumCost: UInt8 = 10
    public static let defaultCost: UInt8 = 12
    /// bcrypt reads at most 72 bytes of a password; a longer one is refused rather than cut.
    public static let maxPasswordBytes = 72

    /// - Parameter cost: bcrypt's cost, raised to `minimumCost` when lower.
    public init(_ store: LedgerStore, cost: UInt8 = Accounts.defaultCost, sessionLifetime: TimeInterval = 8 * 3600) {
        self.store = store
        self.cost = max(cost, Self.minimumCost)
        self.sessionLifetime = sessionLifetime
    }

    /// A role as typed on the command line.
    public static func role(_ text: String) throws -> AccountRole {
        guard let r = AccountRole(rawValue: text) else { throw AccountError.unknownRole(text) }
        return r
    }

    /// A password an account may have: 1 to `maxPasswordBytes` bytes of UTF-8.
    public static func checkPassword(_ password: String) throws {
        guard !password.isEmpty else { throw AccountError.emptyPassword }
        guard password.utf8.count <= maxPasswordBytes else { throw AccountError.passwordTooLong }
    }

    /// Adds an account; its password is stored only as a bcrypt hash.
    public func add(name: String, authority: String, role: AccountRole, password: String) throws -> Account {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let authority = authority.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AccountError.emptyName }
        guard !authority.isEmpty else { throw AccountError.emptyAuthority }
        try Self.checkPassword(password)
        // Checked before the quarter-second hash; checked again under the write lock.
        if try store.db.user(named: name) != nil { throw AccountError.nameTaken(name) }
        let hash = Bcrypt.hash(password, cost: cost)
        let u = StoredUser(name: name, authority: authority, role: role, passwordHash: hash, createdAt: LedgerClock.now())
        guard let id = try store.db.addUser(u) else { throw AccountError.nameTaken(name) }
        return Account(id: id, name: name, authority: authority, role: role)
    }

    /// A new session: the token for the browser's cookie, whose hash alone is stored.
    public struct SignIn: Sendable {
        public var token: String
        public var account: Account
        public var expires: Date
    }

    /// Checks a name and password; a new session when they match, nil otherwise (an unknown
    /// name and a wrong password look the same, and take the same bcrypt work).
    public func signIn(name: String, password: String, now: Date = Date()) throws -> SignIn? {
        let user = try store.db.user(named: name)
        guard let user, Bcrypt.verify(password, hash: user.passwordHash) else {
            if user == nil { _ = Bcrypt.verify(password, hash: Self.decoyHash) }
            return nil
        }
        let nowText = LedgerClock.timestamp(now)
        try store.db.deleteExpiredSessions(now: nowText)
        let token = Self.newToken()
        let expires = now.addingTimeInterval(sessionLifetime)
        try store.db.saveSession(StoredSession(tokenHash: Self.hash(token: token), userID: user.id,
                                               createdAt: nowText, expiresAt: LedgerClock.timestamp(expires)))
        return SignIn(token: token, account: Account(user), expires: expires)
    }

    /// The account of a session token, unless the session has ended or expired.
    public func account(token: String, now: Date = Date()) throws -> Account? {
        guard Self.isWellFormed(token) else { return nil }
        return try store.db.session(tokenHash: Self.hash(token: token), now: RequestClock.timestamp(now)).map { Account($0.user) }
    }

    /// Ends the session of a token (signing out); an unknown token is no error.
    public func signOut(token: String) throws {
        guard Self.isWellFormed(token) else { return }
        try store.db.deleteSession(tokenHash: Self.hash(token: token))
    }

    /// The hex SHA-256 of a token: what `sessions` keeps.
    public static func hash(token: String) -> String {
        hex(SHA256.hash(data: Data(token.utf8)))
    }

    /// Bytes as lower-case hex digits, two a byte (what `String(format: "%02x")` writes, without
    /// its cost: the session check hashes a token on every request).
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// 32 bytes from the system's secure generator (getrandom on Linux), as 64 hex digits.
    public static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        return hex((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &g) })
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// What an unknown name is checked against, so it costs what a wrong password costs.
    static let decoyHash = Bcrypt.hash("decoy password", cost: defaultCost)
}

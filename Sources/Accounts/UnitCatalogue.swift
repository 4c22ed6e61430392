import Foundation
import Ledger
import LedgerStore
import Policy

/// The ledger's units as an account may see them (DATA.md §9): the city bureau's admin sees
/// every unit; a district bureau the units of its district (whoever inspects them); a township,
/// street or zone office the units it inspects (KEY-M/KEY-D tiers, TIER-*). Classified for
/// `year`, cached per ledger change sequence: a page asks often, the ledger changes seldom.
public final class UnitCatalogue: @unchecked Sendable {
    public let store: LedgerStore
    public let year: Int
    private let lock = NSLock()
    private var cached: (seq: Int, units: [LedgerUnit], classes: [Classification])?
    /// Counts by account scope (its authority, or "" for an admin), for the cached sequence.
    private var countsCache: [String: Counts] = [:]

    public init(_ store: LedgerStore, year: Int) { self.store = store; self.year = year }

    /// Counts of one account's units by class and inspecting level.
    public struct Counts: Sendable, Equatable {
        public var total = 0
        public var key = 0
        public var general = 0
        /// By inspecting level (city, district, town, zone), in that order.
        public var byLevel: [(level: AuthorityLevel, key: Int, general: Int)] = AuthorityLevel.allCases.map { ($0, 0, 0) }
        public var seq = 0
        public static func == (a: Counts, b: Counts) -> Bool {
            a.total == b.total && a.key == b.key && a.general == b.general && a.seq == b.seq
                && a.byLevel.map { [$0.key, $0.general] } == b.byLevel.map { [$0.key, $0.general] }
        }
    }

    /// The ledger as it stands, classified (cached until the next change).
    public func classified() throws -> (seq: Int, units: [LedgerUnit], classes: [Classification]) {
        let seq = try store.db.lastSeq()
        lock.lock()
        if let c = cached, c.seq == seq { lock.unlock(); return c }
        lock.unlock()
        let snap = try store.snapshot()
        let classes = Classifier(year: year).classify(snap.ledger.units)
        let fresh = (seq: snap.seq, units: snap.ledger.units, classes: classes)
        lock.lock()
        cached = fresh
        countsCache = [:]
        lock.unlock()
        return fresh
    }

    /// Whether `account` may see a unit with classification `c`.
    public static func maySee(_ u: LedgerUnit, _ c: Classification, account a: Account) -> Bool {
        a.role == .admin || c.authority == a.authority
            || AuthorityNames.name(level: .district, district: u.district, town: nil, zone: nil) == a.authority
    }

    public func counts(for a: Account) throws -> Counts {
        let all = try classified()
        let scope = a.role == .admin ? "" : a.authority
        lock.lock()
        if let c = countsCache[scope], c.seq == all.seq { lock.unlock(); return c }
        lock.unlock()
        var n = Counts()
        n.seq = all.seq
        for (u, c) in zip(all.units, all.classes) where Self.maySee(u, c, account: a) {
            n.total += 1
            let k = AuthorityLevel.allCases.firstIndex(of: c.tier) ?? 0
            if c.unitClass == .key { n.key += 1; n.byLevel[k].key += 1 } else { n.general += 1; n.byLevel[k].general += 1 }
        }
        lock.lock()
        if cached?.seq == n.seq { countsCache[scope] = n }
        lock.unlock()
        return n
    }

    /// The units `a` may see whose credit code, name or town contains `query` (all when
    /// empty), of class `unitClass` when given, in ledger order: at most `limit`, and how
    /// many matched.
    public func search(_ query: String, unitClass: UnitClass? = nil, for a: Account, limit: Int = 200)
        throws -> (units: [(unit: LedgerUnit, class: Classification)], matched: Int) {
        let all = try classified()
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        var out: [(unit: LedgerUnit, class: Classification)] = []
        var matched = 0
        for (u, c) in zip(all.units, all.classes) where Self.maySee(u, c, account: a) {
            if let unitClass, c.unitClass != unitClass { continue }
            if !q.isEmpty, !(u.id.contains(q) || u.name.contains(q) || u.town.contains(q)) { continue }
            matched += 1
            if out.count < limit { out.append((u, c)) }
        }
        return (out, matched)
    }

    /// One unit `a` may see, with its classification; nil when there is none (or not for `a`).
    public func unit(_ id: String, for a: Account) throws -> (unit: LedgerUnit, class: Classification)? {
        let all = try classified()
        guard let i = all.units.firstIndex(where: { $0.id == id }), Self.maySee(all.units[i], all.classes[i], account: a) else { return nil }
        return (all.units[i], all.classes[i])
    }
}

/// A ledger file uploaded in the browser (DATA.md §1), imported all or nothing: every problem
/// of the file loader, and every row of a district the account may not change, is reported by
/// row, column and value, and nothing is applied.
public struct LedgerUpload: Sendable {
    public let store: LedgerStore
    public init(_ store: LedgerStore) { self.store = store }

    /// The largest file accepted (a 200,000-unit ledger is about 60 MB of CSV).
    public static let maxBytes = 100 << 20

    /// Who may upload: the city bureau's admin (any district) and a district bureau's planner
    /// (its own district's units).
    public static func mayUpload(_ a: Account) -> Bool {
        a.role == .admin || a.role == .planner && district(of: a) != nil
    }

    /// The district of a district bureau's account (`浦东新区应急管理局` → `浦东新区`).
    static func district(of a: Account) -> String? {
        let suffix = "应急管理局"
        guard a.authority.hasSuffix(suffix), a.authority != AuthorityNames.city else { return nil }
        return String(a.authority.dropLast(suffix.count))
    }

    /// Imports `data` (CSV or XLSX, named `fileName`) for `account`.
    public func importFile(_ data: Data, fileName: String, by account: Account, reason: String) throws -> LedgerStore.ImportSummary {
        let name = (fileName as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension.lowercased()
        guard ["csv", "xlsx"].contains(ext) else {
            throw InputError.problem(file: name, "只能上传 CSV 或 XLSX 台账文件 (upload a CSV or XLSX ledger file)")
        }
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("planner-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = (dir as NSString).appendingPathComponent(name.isEmpty ? "ledger.\(ext)" : name)
        try data.write(to: URL(fileURLWithPath: path))
        var ledger = try LedgerLoader.load(path: path, displayName: name)
        if account.role != .admin {
            let own = Self.district(of: account)
            let outside = ledger.units.enumerated().filter { $0.element.district != own }.prefix(50).map { i, u in
                InputProblem(file: name, row: i < ledger.rows.count ? ledger.rows[i] : i + 2,
                             column: ledger.headers["district"] ?? "district", value: u.district,
                             message: "不属于本区（\(own ?? "")），不能由\(account.authority)修改 (not this district's unit: only its own bureau or the city bureau may change it)")
            }
            if !outside.isEmpty { throw InputError.problems(Array(outside)) }
        }
        ledger.provenance = nil
        return try store.importLedger(ledger, source: name, options: .init(by: account.name, reason: reason))
    }
}

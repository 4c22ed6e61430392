import Foundation
import LedgerStore

extension Account {
    /// Whether this account may see a stored plan or roster (DATA.md §9): an admin (the city
    /// bureau) sees all; a planner or reviewer its own authority's.
    ///
    /// TODO(web): a planner or reviewer also sees the plans filed (`filed`) to its authority by
    /// the level below. Stored documents do not yet record whom they are filed to: add that
    /// (a migration step) with the filing workflow, then widen this rule and `PlanCatalogue`.
    public func maySee(_ d: StoredDocument) -> Bool {
        role == .admin || d.authority == authority
    }
}

/// The stored plans as an account may see them: what `GET /api/plans` lists and
/// `GET /api/plans/{id}` serves.
public struct PlanCatalogue: Sendable {
    public let store: LedgerStore
    public init(_ store: LedgerStore) { self.store = store }

    /// The plans (not rosters) the account may see, newest first.
    public func plans(visibleTo a: Account) throws -> [StoredDocument] {
        try store.db.documents(authority: a.role == .admin ? nil : a.authority, year: nil)
            .filter { $0.kind == .plan && a.maySee($0) }
    }

    /// The `plan.json` of a plan the account may see; nil when there is no such plan, when
    /// the account may not see it, or when it was stored without one: the caller cannot tell
    /// which, so another authority's plan is not revealed to exist.
    public func planJSON(id: Int, visibleTo a: Account) throws -> Data? {
        guard let d = try store.db.document(id: id), d.kind == .plan, a.maySee(d) else { return nil }
        return try store.db.documentFile(id: id, name: "plan.json")
    }
}

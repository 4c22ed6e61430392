import Foundation
import LedgerStore

extension Account {
    /// Whether this account may see a stored plan or roster (DATA.md §9): an admin (the city
    /// bureau) sees all; a planner or reviewer its own authority's, and the plans filed with
    /// its authority by the level below (while they stay filed or published).
    public func maySee(_ d: StoredDocument) -> Bool {
        role == .admin || d.authority == authority || d.workflow.filedTo == authority && d.kind == .plan
    }
}

/// The stored plans as an account may see them: what `GET /api/plans` lists and
/// `GET /api/plans/{id}` serves.
public struct PlanCatalogue: Sendable {
    public let store: LedgerStore
    public init(_ store: LedgerStore) { self.store = store }

    /// The plans (not rosters) the account may see, newest first.
    public func plans(visibleTo a: Account) throws -> [StoredDocument] {
        let own = try store.db.documents(authority: a.role == .admin ? nil : a.authority, year: nil)
        let filed = a.role == .admin ? [] : try store.db.documents(filedTo: a.authority)
        return (own + filed).filter { $0.kind == .plan && a.maySee($0) }.sorted { $0.id > $1.id }
    }

    /// The plans filed with the account's authority by the level below, newest first.
    public func filedPlans(with a: Account) throws -> [StoredDocument] {
        try store.db.documents(filedTo: a.authority).filter { $0.kind == .plan && $0.authority != a.authority }
    }

    /// The `plan.json` of a plan the account may see; nil when there is no such plan, when
    /// the account may not see it, or when it was stored without one: the caller cannot tell
    /// which, so another authority's plan is not revealed to exist.
    public func planJSON(id: Int, visibleTo a: Account) throws -> Data? {
        guard let d = try store.db.document(id: id), d.kind == .plan, a.maySee(d) else { return nil }
        return try store.db.documentFile(id: id, name: "plan.json")
    }
}

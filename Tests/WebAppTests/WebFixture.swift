import Foundation
import Accounts
import LedgerStore

/// Three authorities, an account of each and stored plans, made through the store's own API.
enum WebFixture {
    static let pudong = "浦东新区应急管理局", jiading = "嘉定区应急管理局", city = "上海市应急管理局"
    /// name → (authority, role, password)
    static let users: [(name: String, authority: String, role: AccountRole, password: String)] = [
        ("pudong-planner", pudong, .planner, "浦东 planner 密码"),
        ("jiading-reviewer", jiading, .reviewer, "jiading-pw-2"),
        ("city-admin", city, .admin, "city-pw-3"),
    ]

    static func planJSON(_ authority: String) -> Data {
        Data(#"{"schema":"enforcement-plan/1","authority":"\#(authority)","year":2027}"#.utf8)
    }

    /// Pudong's plan, then a roster of it, then Jiading's plan (newest).
    static func storePlans(_ store: LedgerStore) throws -> (pudong: Int, roster: Int, jiading: Int) {
        func doc(_ kind: StoredDocument.Kind, _ authority: String, month: Int? = nil, plan: Int? = nil) -> StoredDocument {
            StoredDocument(kind: kind, authority: authority, level: "district", year: 2027, month: month, ledgerSeq: 3,
                           createdAt: "2027-01-05T09:00:00+08:00", createdBy: "test", planID: plan)
        }
        let p = try store.db.saveDocument(doc(.plan, pudong), files: [("plan.json", planJSON(pudong)), ("执法计划.xlsx", Data([1, 2, 3]))])
        let r = try store.db.saveDocument(doc(.roster, pudong, month: 3, plan: p), files: [("roster-2027-03.json", Data("{}".utf8))])
        let j = try store.db.saveDocument(doc(.plan, jiading), files: [("plan.json", planJSON(jiading))])
        return (p, r, j)
    }

    /// The three accounts (bcrypt cost 10: the least allowed, the quickest test).
    static func addUsers(_ accounts: Accounts) throws {
        for u in users { _ = try accounts.add(name: u.name, authority: u.authority, role: u.role, password: u.password) }
    }
}

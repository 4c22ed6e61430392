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

extension WebFixture {
    /// A plan.json as `planner plan` writes it, in the parts the web application reads: the
    /// authority, the seed, two draws and a few visits.
    static func realisticPlanJSON(authority: String, district: String, level: String = "district", town: String? = nil) -> Data {
        let plan: [String: Any] = [
            "schema": "enforcement-plan/1", "year": 2027, "seed": 20270101,
            "authority": ["name": authority, "level": level, "district": district] .merging(town.map { ["town": $0] } ?? [:]) { a, _ in a },
            "draws": [
                ["id": "D-2027-01", "month": 1, "pool": "general", "pool_size": 802, "k": 1, "seed": 20270101, "method": "sha256-weighted/1",
                 "pool_sha256": "a0e4b0f4f3d52bd9c2b0371c3f2b0e401707fbbd5476ebf3c4b30b7d1de285e2", "drawn": ["913101151B1X2W0459"]],
                ["id": "D-2027-02", "month": 2, "pool": "general", "pool_size": 801, "k": 1, "seed": 20270101, "method": "sha256-weighted/1",
                 "pool_sha256": "d859122ece7a789df67656cf54bf683b7fc114c2cd76b3acbacf8a57537d1e35", "drawn": ["91310115N8MT7G9XWR"]],
            ],
            "visits": [
                ["id": "V-0001", "unit": "913101151B1X2W0459", "month": 1, "kind": "random"],
            ],
        ]
        return try! JSONSerialization.data(withJSONObject: plan, options: [.sortedKeys])
    }

    @discardableResult
    static func storeRealisticPlan(_ store: LedgerStore, authority: String, district: String, level: String = "district") throws -> Int {
        try store.db.saveDocument(StoredDocument(kind: .plan, authority: authority, level: level, year: 2027, ledgerSeq: 0,
                                                 createdAt: "2027-01-05T09:00:00+08:00", createdBy: "test"),
                                  files: [("plan.json", realisticPlanJSON(authority: authority, district: district, level: level)),
                                          ("执法计划.html", Data("<!DOCTYPE html><html><body><h1>\(authority) 2027 年度安全生产执法计划</h1></body></html>".utf8)),
                                          ("双随机抽取记录.csv", Data("\u{FEFF}抽取编号,月份\nD-2027-01,1\n".utf8))])
    }
}

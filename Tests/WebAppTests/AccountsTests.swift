import Foundation
import XCTest
import Accounts
import LedgerStore

/// Accounts over a real SQLite file: bcrypt hashes, sessions by token hash, plans by authority.
final class AccountsTests: XCTestCase {
    var folder = ""
    override func setUp() {
        folder = NSTemporaryDirectory() + "accounts-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func testAddKeepsOnlyABcryptHashAndRefusesWhatCannotBe() throws {
        let store = try LedgerStore.open("sqlite:\(folder)/ledger.sqlite", create: true)
        defer { store.close() }
        let accounts = Accounts(store, cost: 10)
        let a = try accounts.add(name: " 张三 ", authority: "浦东新区应急管理局", role: .planner, password: "正确的密码 horse")
        XCTAssertEqual(a.name, "张三", "the name is trimmed")
        let stored = try XCTUnwrap(try store.db.user(named: "张三"))
        XCTAssertTrue(stored.passwordHash.hasPrefix("$2b$10$"), stored.passwordHash)
        XCTAssertFalse(stored.passwordHash.contains("horse"))
        XCTAssertThrowsError(try accounts.add(name: "张三", authority: "嘉定区应急管理局", role: .admin, password: "x")) {
            XCTAssertEqual($0 as? AccountError, .nameTaken("张三"))
            XCTAssertTrue("\($0)".contains("已存在") && "\($0)".contains("already exists"), "\($0)")
        }
        XCTAssertThrowsError(try accounts.add(name: "李四", authority: "浦东新区应急管理局", role: .planner, password: "")) {
            XCTAssertEqual($0 as? AccountError, .emptyPassword)
        }
        XCTAssertThrowsError(try accounts.add(name: "李四", authority: "浦东新区应急管理局", role: .planner,
                                              password: String(repeating: "密", count: 25))) {
            XCTAssertEqual($0 as? AccountError, .passwordTooLong, "75 bytes: bcrypt would ignore the last 3")
        }
        XCTAssertThrowsError(try accounts.add(name: "李四", authority: " ", role: .planner, password: "pw")) {
            XCTAssertEqual($0 as? AccountError, .emptyAuthority)
        }
        XCTAssertThrowsError(try Accounts.role("superuser")) {
            XCTAssertEqual($0 as? AccountError, .unknownRole("superuser"))
            XCTAssertTrue("\($0)".contains("planner") && "\($0)".contains("reviewer") && "\($0)".contains("admin"), "\($0)")
        }
        XCTAssertEqual(try Accounts.role("reviewer"), .reviewer)
        XCTAssertEqual(Accounts(store, cost: 4).cost, Accounts.minimumCost, "never below cost 10")
    }

    func testSessionsAreStoredByHashAndEnd() throws {
        let store = try LedgerStore.open("sqlite:\(folder)/ledger.sqlite", create: true)
        defer { store.close() }
        let accounts = Accounts(store, cost: 10, sessionLifetime: 3600)
        _ = try accounts.add(name: "zhang", authority: "浦东新区应急管理局", role: .reviewer, password: "s3cret")
        XCTAssertNil(try accounts.signIn(name: "zhang", password: "wrong"))
        XCTAssertNil(try accounts.signIn(name: "nobody", password: "s3cret"))
        let s = try XCTUnwrap(try accounts.signIn(name: "zhang", password: "s3cret"))
        XCTAssertEqual(s.token.count, 64)
        XCTAssertEqual(s.account.role, .reviewer)
        let now = LedgerClock.timestamp(Date())
        XCTAssertNotNil(try store.db.session(tokenHash: Accounts.hash(token: s.token), now: now), "stored by its SHA-256")
        XCTAssertNil(try store.db.session(tokenHash: s.token, now: now), "never the token itself")
        XCTAssertEqual(try accounts.account(token: s.token)?.name, "zhang")
        XCTAssertNil(try accounts.account(token: s.token, now: Date().addingTimeInterval(3601)), "expired after its lifetime")
        XCTAssertNil(try accounts.account(token: "not a token"))
        let other = try XCTUnwrap(try accounts.signIn(name: "zhang", password: "s3cret"))
        XCTAssertNotEqual(other.token, s.token)
        try accounts.signOut(token: s.token)
        XCTAssertNil(try accounts.account(token: s.token), "signed out")
        XCTAssertNotNil(try accounts.account(token: other.token), "the other session goes on")
    }

    /// The request's texts made once a second, and hex without String(format:), write what
    /// they replace.
    func testRequestClockAndHexWriteWhatTheyReplace() {
        let bytes = (0...255).map(UInt8.init)
        XCTAssertEqual(Accounts.hex(bytes), bytes.map { String(format: "%02x", $0) }.joined())
        XCTAssertEqual(Accounts.hex([UInt8]()), "")
        let base = Date(timeIntervalSince1970: 1_811_000_000)   // 2027-05-22
        for offset: TimeInterval in [0, 0.25, 0.999, 1, 59.5, 3600, 86_400 * 200, -0.5] {
            let d = base.addingTimeInterval(offset)
            XCTAssertEqual(RequestClock.timestamp(d), LedgerClock.timestamp(d), "\(offset)")
        }
        XCTAssertEqual(RequestClock.today(), LedgerClock.today())
    }

    func testPlansAreScopedByAuthority() throws {
        let store = try LedgerStore.open("sqlite:\(folder)/ledger.sqlite", create: true)
        defer { store.close() }
        let ids = try WebFixture.storePlans(store)
        let pudong = Account(id: 1, name: "p", authority: WebFixture.pudong, role: .planner)
        let jiading = Account(id: 2, name: "j", authority: WebFixture.jiading, role: .reviewer)
        let city = Account(id: 3, name: "c", authority: WebFixture.city, role: .admin)
        let catalogue = PlanCatalogue(store)
        XCTAssertEqual(try catalogue.plans(visibleTo: pudong).map(\.id), [ids.pudong], "its own plan; no roster")
        XCTAssertEqual(try catalogue.plans(visibleTo: jiading).map(\.id), [ids.jiading])
        XCTAssertEqual(try catalogue.plans(visibleTo: city).map(\.id), [ids.jiading, ids.pudong], "an admin sees all, newest first")
        XCTAssertEqual(try catalogue.planJSON(id: ids.pudong, visibleTo: pudong), WebFixture.planJSON(WebFixture.pudong))
        XCTAssertNil(try catalogue.planJSON(id: ids.jiading, visibleTo: pudong))
        XCTAssertNil(try catalogue.planJSON(id: ids.roster, visibleTo: pudong), "a roster is no plan")
        XCTAssertNotNil(try catalogue.planJSON(id: ids.jiading, visibleTo: city))
    }
}

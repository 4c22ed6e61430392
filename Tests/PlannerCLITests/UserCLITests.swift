import Foundation
import XCTest
import LedgerStore

/// `planner user add` (DATA.md §9) as a user runs it: the password read from standard input and
/// stored as a bcrypt hash; an unknown role, an empty password, a name taken, no
/// --password-stdin each said clearly, in Chinese with the English.
final class UserCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func add(_ name: String, role: String = "planner", db: String, stdin: String?, passwordStdin: Bool = true) throws -> CLIRun {
        try CLI.run(["user", "add", name, "--db", db, "--authority", "浦东新区应急管理局", "--role", role]
                        + (passwordStdin ? ["--password-stdin"] : []),
                    stdin: stdin.map { Data($0.utf8) })
    }

    func testAddAUserAndTheErrors() throws {
        let db = dir.appendingPathComponent("ledger.sqlite").path
        // Nothing usable: the database is not even made.
        let empty = try add("张三", db: db, stdin: nil)
        XCTAssertEqual(empty.status, 1, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("密码不能为空 (the password must not be empty)"), empty.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))
        let newline = try add("张三", db: db, stdin: "\n")
        XCTAssertEqual(newline.status, 1, "an empty first line is an empty password")

        let role = try add("张三", role: "boss", db: db, stdin: "secret\n")
        XCTAssertEqual(role.status, 64, role.stderr)
        XCTAssertTrue(role.stderr.contains("--role boss") && role.stderr.contains("应为 planner")
                      && role.stderr.contains("expected planner, reviewer or admin"), role.stderr)
        let noFlag = try add("张三", db: db, stdin: "secret\n", passwordStdin: false)
        XCTAssertEqual(noFlag.status, 64, noFlag.stderr)
        XCTAssertTrue(noFlag.stderr.contains("--password-stdin"), noFlag.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))

        let ok = try add("张三", db: db, stdin: "浦东 secret 1\r\nignored second line\n")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "已添加用户 张三（浦东新区应急管理局，角色 planner）\n")
        let store = try LedgerStore.open(db)
        defer { store.close() }
        let user = try XCTUnwrap(try store.db.user(named: "张三"))
        XCTAssertEqual(user.role, .planner)
        XCTAssertEqual(user.authority, "浦东新区应急管理局")
        XCTAssertTrue(user.passwordHash.hasPrefix("$2b$12$"), "bcrypt, cost 12: \(user.passwordHash)")
        XCTAssertFalse(user.passwordHash.contains("secret"))

        let again = try add("张三", role: "admin", db: db, stdin: "other\n")
        XCTAssertEqual(again.status, 1, again.stderr)
        XCTAssertTrue(again.stderr.contains("用户 张三 已存在 (user 张三 already exists)"), again.stderr)
        XCTAssertEqual(try store.db.user(named: "张三")?.role, .planner, "the first account stays")
    }
}

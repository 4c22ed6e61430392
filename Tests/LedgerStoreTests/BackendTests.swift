import Foundation
import XCTest
import Ledger
import LedgerStore
import PostgresHarness

/// The contract on an SQLite file, plus what is SQLite's own: files, migrations.
final class SQLiteStoreTests: XCTestCase {
    var folder = ""
    override func setUp() {
        folder = NSTemporaryDirectory() + "ledger-sqlite-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    var contract: LedgerStoreContract {
        let path = folder + "/ledger.sqlite"
        return LedgerStoreContract(open: { try LedgerStore.open("sqlite:" + path, create: true) })
    }

    func testRoundTrip() throws { try contract.roundTrip() }
    func testChangesHistoryAndAsOf() throws { try contract.changesHistoryAndAsOf() }
    func testAllOrNothing() throws { try contract.allOrNothing() }
    func testConcurrentImports() throws { try contract.concurrentImports() }
    func testDocuments() throws { try contract.documents() }
    func testAccounts() throws { try contract.accounts() }

    /// Reading commands never make a database; a file that is not one is said to be so.
    func testMissingOrForeignFile() throws {
        XCTAssertThrowsError(try LedgerStore.open("sqlite:\(folder)/none.sqlite")) { e in
            XCTAssertTrue("\(e)".contains("不存在"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(folder)/none.sqlite"))
        try Data("统一社会信用代码,单位名称\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/ledger.csv.db"))
        XCTAssertThrowsError(try LedgerStore.open("\(folder)/ledger.csv.db")) { e in
            XCTAssertTrue(e is LedgerStoreError, "\(e)")
        }
    }

    /// A database records the migration steps it has; one made by a later version (a step this
    /// version does not know) is refused with what to do, not misread.
    func testMigrationsRecordedAndNewerRefused() throws {
        let path = folder + "/ledger.sqlite"
        try LedgerStore.open(path, create: true).close()
        let steps = try sqlite(path, "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        XCTAssertEqual(steps, LedgerSchema.steps(.sqlite).map(\.id).sorted().joined(separator: "\n"))
        try LedgerStore.open(path).close()   // opens again as it is
        _ = try sqlite(path, "INSERT INTO grdb_migrations VALUES ('v9-from-the-future')")
        XCTAssertThrowsError(try LedgerStore.open(path)) { e in
            XCTAssertTrue("\(e)".contains("更新版本"), "\(e)")
        }
    }

    func sqlite(_ path: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, sql]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "sqlite3 \(sql)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The same contract on a real PostgreSQL server (a throwaway cluster this test process starts:
/// if it cannot, every test here fails and says why).
final class PostgresStoreTests: XCTestCase {
    var contract: LedgerStoreContract {
        get throws {
            let url = try ThrowawayPostgres.freshDatabase()
            return LedgerStoreContract(open: { try LedgerStore.open(url) })
        }
    }

    func testRoundTrip() throws { try contract.roundTrip() }
    func testChangesHistoryAndAsOf() throws { try contract.changesHistoryAndAsOf() }
    func testAllOrNothing() throws { try contract.allOrNothing() }
    func testConcurrentImports() throws { try contract.concurrentImports() }
    func testDocuments() throws { try contract.documents() }
    func testAccounts() throws { try contract.accounts() }

    /// Migration steps are recorded in planner_migrations; a step this version does not know is
    /// refused. A server that is not there is said to be so, with the address (no password).
    func testMigrationsAndUnreachableServer() throws {
        let url = try ThrowawayPostgres.freshDatabase()
        try LedgerStore.open(url).close()
        let store = try LedgerStore.open(url)
        XCTAssertTrue(store.db is PostgresLedger)
        store.close()
        let cluster = try ThrowawayPostgres.shared.get()
        let name = String(try XCTUnwrap(URLComponents(string: url)).path.dropFirst())
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = ["-h", cluster.folder, "-p", String(cluster.port), "-U", "postgres", "-d", name, "-q", "-c",
                          "INSERT INTO planner_migrations VALUES ('v9-from-the-future', 'x')"]
        try psql.run(); psql.waitUntilExit()
        XCTAssertEqual(psql.terminationStatus, 0)
        XCTAssertThrowsError(try LedgerStore.open(url)) { e in XCTAssertTrue("\(e)".contains("更新版本"), "\(e)") }
        XCTAssertThrowsError(try LedgerStore.open("postgres://planner:secret@127.0.0.1:1/none")) { e in
            XCTAssertTrue("\(e)".contains("无法连接") && "\(e)".contains("127.0.0.1:1"), "\(e)")
            XCTAssertFalse("\(e)".contains("secret"), "the password is never shown")
        }
    }
}

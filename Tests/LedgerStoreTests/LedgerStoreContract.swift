import Foundation
import XCTest
import Ledger
import LedgerStore
import Policy
import PostgresHarness
import Synthetic

/// A small district ledger for the store tests (with one pass-through column), its units and
/// its CSV text.
enum Fixture {
    static let year = 2027
    static let district = Generator.district(ShanghaiGeography.district(named: "浦东新区")!, units: 300, seed: 11, year: year)

    /// The ledger as a CSV file with Chinese headers and a pass-through column 备注.
    static func csv(_ units: [LedgerUnit], note: (LedgerUnit) -> String = { _ in "" }) -> Data {
        var lines = [(LedgerLoader.columns.map(\.zh) + ["备注"]).joined(separator: ",")]
        for u in units {
            let row = LedgerRow.chineseFields(u) + [note(u)]
            lines.append(row.map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }.joined(separator: ","))
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    static func ledger(_ units: [LedgerUnit], note: (LedgerUnit) -> String = { _ in "" }) throws -> Ledger {
        try LedgerLoader.load(data: csv(units, note: note), file: "ledger.csv")
    }
}

/// The behaviour both back ends must show, written once; `SQLiteStoreTests` and
/// `PostgresStoreTests` run every check against a fresh database of their kind.
struct LedgerStoreContract {
    let open: () throws -> LedgerStore
    let options = LedgerStore.ImportOptions(by: "张三", reason: "年初台账", effective: "2027-01-01")

    /// Import then snapshot and export give back every unit with every value, the pass-through
    /// column included; importing the same file again changes nothing.
    func roundTrip() throws {
        let store = try open()
        defer { store.close() }
        let units = Fixture.district.units
        let original = try Fixture.ledger(units, note: { $0.scale == .large ? "大型企业" : "" })
        let s = try store.importLedger(original, source: "ledger.csv", options: options)
        XCTAssertEqual([s.added, s.changed, s.closed, s.firstSeq, s.lastSeq], [units.count, 0, 0, 1, units.count])
        let snap = try store.snapshot()
        XCTAssertEqual(snap.seq, units.count)
        XCTAssertEqual(snap.ledger.units, original.units, "every unit with every value")
        XCTAssertEqual(snap.ledger.extraHeaders, ["备注"])
        XCTAssertEqual(snap.ledger.units.filter { $0.extra == ["大型企业"] }.count, units.filter { $0.scale == .large }.count)
        // The exported table (English keys) read by the file loader gives the same units.
        let t = try store.table()
        let csv = ([t.header] + t.rows).map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }.joined(separator: "\n")
        XCTAssertEqual(try LedgerLoader.load(data: Data(csv.utf8), file: "export.csv").units, original.units)
        // The export tables are written from the stored rows without loading them: in Chinese
        // they equal what a district spreadsheet writes of each unit, in English the table.
        let zh = try store.exportTable(chinese: true), en = try store.exportTable(chinese: false)
        XCTAssertEqual(zh.header, LedgerLoader.columns.map(\.zh) + ["备注"])
        XCTAssertEqual(zh.rows, original.units.map { LedgerRow.chineseFields($0) + $0.extra })
        XCTAssertEqual(en.header, t.header)
        XCTAssertEqual(en.rows, t.rows)
        XCTAssertEqual([zh.seq, en.seq], [units.count, units.count])
        XCTAssertEqual(try store.exportTable(district: units[0].district, chinese: false).rows.count, units.count)
        XCTAssertEqual(try store.exportTable(asOf: "2027-12-31", district: units[0].district, chinese: false).rows, t.rows)
        XCTAssertEqual(try store.exportTable(district: "不存在区", chinese: true).rows.count, 0)
        XCTAssertEqual(try store.exportTable(asOf: "2026-12-31", chinese: true).rows.count, 0, "nothing held before the import's date")
        let again = try store.importLedger(original, source: "ledger.csv", options: .init(by: "李四", reason: "重复导入", effective: "2027-02-01"))
        XCTAssertEqual([again.added, again.changed, again.closed, again.unchanged], [0, 0, 0, units.count])
        XCTAssertEqual(try store.db.lastSeq(), units.count, "an import that changes nothing records no change")
    }

    /// The scenario of DATA.md §8: a fatal accident makes a unit key (KEY-D2), a rename, a new
    /// unit, a closure; each field one change with who, when, why and the file; as-of dates
    /// and change sequences give each state back.
    func changesHistoryAndAsOf() throws {
        let store = try open()
        defer { store.close() }
        var units = Array(Fixture.district.units.prefix(40))
        let classifier = Classifier(year: Fixture.year)
        guard let k = units.firstIndex(where: { classifier.classify($0).unitClass == .general && $0.exemption == nil }) else { return XCTFail("no general unit") }
        let plain = units[k].id
        let gone = units[(k + 1) % units.count].id
        let extra = Fixture.district.units[40]
        _ = try store.importLedger(try Fixture.ledger(units), source: "ledger-2027-01.csv", options: options)
        XCTAssertEqual(try store.db.lastSeq(), 40)

        units[k].lastFatalAccident = CivilDate("2027-06-02")
        units[k].name += "（更名）"
        units.remove(at: (k + 1) % units.count)
        units.append(extra)
        let s = try store.importLedger(try Fixture.ledger(units), source: "ledger-2027-06.csv",
                                       options: .init(by: "王五", reason: "6月更新", effective: "2027-06-03", closeMissing: "浦东新区"))
        XCTAssertEqual([s.added, s.changed, s.fieldChanges, s.closed, s.unchanged], [1, 1, 2, 1, 38])
        XCTAssertEqual([s.firstSeq, s.lastSeq], [41, 44])

        let h = try store.history(unit: plain)
        XCTAssertEqual(h.map(\.change.field), ["*", "name", "last_fatal_accident"])
        XCTAssertEqual(h.map(\.change.seq), [h[0].change.seq, 41, 42])
        XCTAssertNil(h[2].change.old)
        XCTAssertEqual(h[2].change.new, "2027-06-02")
        XCTAssertEqual(h[1].change.old, Fixture.district.units[k].name)
        XCTAssertEqual([h[2].record.by, h[2].record.reason, h[2].record.source, h[2].change.effective], ["王五", "6月更新", "ledger-2027-06.csv", "2027-06-03"])
        XCTAssertEqual(h[0].consequence, "2027-01-01 起列为一般检查单位")
        XCTAssertNil(h[1].consequence, "the import's consequence sits on its last change of the unit")
        XCTAssertEqual(h[2].consequence, "2027-06-03 起因 KEY-D2 列为重点检查单位")
        let closed = try store.history(unit: gone)
        XCTAssertEqual(closed.map(\.change.field), ["*", "closed"])
        XCTAssertEqual([closed[1].change.old, closed[1].change.new], ["no", "yes"])
        XCTAssertEqual(closed[1].consequence, "2027-06-03 起关闭，不再列入执法计划")
        XCTAssertThrowsError(try store.history(unit: "91310000000000000X"))

        // As of a date before the June file: the January ledger exactly.
        let january = try store.snapshot(asOf: "2027-06-02").ledger
        XCTAssertEqual(january.units, Array(Fixture.district.units.prefix(40)))
        let june = try store.snapshot(asOf: "2027-06-03").ledger
        XCTAssertEqual(Set(june.units.map(\.id)), Set(units.map(\.id)))
        XCTAssertEqual(june.units.first { $0.id == plain }?.lastFatalAccident, CivilDate("2027-06-02"))
        XCTAssertEqual(june.units.last?.id, extra.id, "a new unit comes after the units already known")
        // By change sequence: an import is read whole, so a sequence inside the June import
        // (41–44) reads the ledger before it, and says so.
        XCTAssertEqual(try store.snapshot(seq: 43).ledger.units, january.units)
        XCTAssertEqual(try store.snapshot(seq: 43).seq, 40)
        XCTAssertEqual(try store.snapshot(seq: 44).ledger.units, june.units)
        XCTAssertEqual(try store.snapshot(seq: 9999).seq, 44)
        // A closed unit that reappears is re-opened.
        _ = try store.importLedger(try Fixture.ledger([Fixture.district.units[(k + 1) % 40]]), source: "reopen.csv",
                                   options: .init(by: "王五", reason: "复产", effective: "2027-07-01"))
        XCTAssertEqual(try store.history(unit: gone).last.map { [$0.change.field, $0.change.old ?? "", $0.change.new ?? ""] }, ["closed", "yes", "no"])
        XCTAssertTrue(try store.snapshot().ledger.units.contains { $0.id == gone })
    }

    /// A file with a bad row in the middle changes nothing; so does a change dated before one
    /// already recorded; the error names file, row, column and value.
    func allOrNothing() throws {
        let store = try open()
        defer { store.close() }
        let units = Array(Fixture.district.units.prefix(50))
        _ = try store.importLedger(try Fixture.ledger(units), source: "ledger.csv", options: options)
        let before = try store.table()
        var text = String(decoding: Fixture.csv(units.map { var u = $0; u.penalties3y += 1; return u }), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[26].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[8] = "巨型"   // 规模: not a scale
        lines[26] = fields.joined(separator: ",")
        text = lines.joined(separator: "\n")
        let path = NSTemporaryDirectory() + "bad-\(UUID().uuidString).csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try store.importFile(path: path, options: .init(by: "a", reason: "b", effective: "2027-03-01"))) { e in
            let d = "\(e)"
            XCTAssertTrue(d.contains("第27行") || d.contains("row 27"), d)
            XCTAssertTrue(d.contains("巨型") && d.contains("规模"), d)
        }
        XCTAssertEqual(try store.db.lastSeq(), 50)
        XCTAssertEqual(try store.table().rows, before.rows)
        // Back-dated past a recorded change: refused, nothing written.
        var later = units
        later[3].designatedKey = true
        _ = try store.importLedger(try Fixture.ledger(later), source: "march.csv", options: .init(by: "a", reason: "b", effective: "2027-03-01"))
        later[3].designatedKey = false
        later[4].designatedKey = true
        XCTAssertThrowsError(try store.importLedger(try Fixture.ledger(later), source: "feb.csv", options: .init(by: "a", reason: "b", effective: "2027-02-01"))) { e in
            XCTAssertTrue("\(e)".contains(later[3].id) && "\(e)".contains("2027-03-01"), "\(e)")
        }
        XCTAssertEqual(try store.db.lastSeq(), 51)
    }

    /// Two imports at once, each from its own connection, both land whole: the sequence has no
    /// gap and no repeat, and each import's changes are contiguous.
    func concurrentImports() throws {
        let setup = try open()
        let units = Array(Fixture.district.units.prefix(200))
        _ = try setup.importLedger(try Fixture.ledger(units), source: "ledger.csv", options: options)
        setup.close()
        // Each file lists its own half of the units, each unit with two changed fields.
        let a = units.prefix(100).map { var u = $0; u.penalties3y += 1; u.lastInspected = CivilDate("2027-05-01"); return u }
        let b = units.suffix(100).map { var u = $0; u.penalties3y += 2; u.lastInspected = CivilDate("2027-05-01"); return u }
        let group = DispatchGroup()
        nonisolated(unsafe) let results = NSMutableArray()
        let lock = NSLock()
        for (which, list) in [("a", a), ("b", b)] {
            let ledger = try Fixture.ledger(list)
            let store = try open()
            group.enter()
            Thread.detachNewThread {
                defer { group.leave(); store.close() }
                do {
                    let s = try store.importLedger(ledger, source: "\(which).csv", options: .init(by: which, reason: "并发", effective: "2027-05-02"))
                    lock.lock(); results.add([s.firstSeq, s.lastSeq]); lock.unlock()
                } catch { lock.lock(); results.add("\(error)"); lock.unlock() }
            }
        }
        group.wait()
        let ranges = (results as? [[Int]] ?? []).sorted { $0[0] < $1[0] }
        XCTAssertEqual(ranges.count, 2, "\(results)")
        guard ranges.count == 2 else { return }
        XCTAssertEqual(ranges[0], [201, 400])
        XCTAssertEqual(ranges[1], [401, 600])
        let store = try open()
        defer { store.close() }
        let now = try store.snapshot().ledger.units
        XCTAssertEqual(now, a + b, "both imports' changes are in the ledger")
        // No import's changes interleave with the other's: each unit's two changes are adjacent.
        for u in [units[0], units[150]] {
            let seqs = try store.history(unit: u.id).map(\.change.seq)
            XCTAssertEqual(seqs.count, 3)
            XCTAssertEqual(seqs[2], seqs[1] + 1)
        }
        for u in units.prefix(5) {
            XCTAssertEqual(try store.history(unit: u.id).map(\.change.field).sorted(), ["*", "last_inspected", "penalties_3y"])
        }
    }

    /// Plans and rosters are stored with their files; status steps are recorded with who and why.
    func documents() throws {
        let store = try open()
        defer { store.close() }
        let d = StoredDocument(kind: .plan, authority: "浦东新区应急管理局", level: "district", year: 2027, ledgerSeq: 17,
                               createdAt: "2027-01-05T09:00:00+08:00", createdBy: "张三")
        let folder = NSTemporaryDirectory() + "doc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("{\"schema\":\"enforcement-plan/1\"}".utf8).write(to: URL(fileURLWithPath: folder + "/plan.json"))
        try Data([0, 1, 2, 255]).write(to: URL(fileURLWithPath: folder + "/执法计划.xlsx"))
        let id = try store.saveDocument(d, folder: folder, files: ["plan.json", "执法计划.xlsx"])
        let id2 = try store.db.saveDocument(StoredDocument(kind: .roster, authority: "浦东新区应急管理局", level: "district", year: 2027, month: 3,
                                                           ledgerSeq: 17, createdAt: "2027-02-20T09:00:00+08:00", createdBy: "张三", planID: id), files: [])
        XCTAssertEqual(id2, id + 1)
        let list = try store.db.documents(authority: "浦东新区应急管理局", year: 2027)
        XCTAssertEqual(list.map(\.id), [id2, id])
        XCTAssertEqual(list[1].status, .draft)
        XCTAssertEqual(list[0].month, 3)
        XCTAssertEqual(list[0].planID, id)
        XCTAssertEqual(try store.db.documents(authority: "嘉定区应急管理局", year: nil), [])
        let files = try store.db.documentFiles(id: id)
        XCTAssertEqual(files.map(\.name), ["plan.json", "执法计划.xlsx"])
        XCTAssertEqual(files[1].content, Data([0, 1, 2, 255]))
        try store.db.setStatus(document: id, to: .submitted, by: "张三", comment: "报批", at: "2027-01-06T09:00:00+08:00")
        try store.db.setStatus(document: id, to: .approved, by: "区政府", comment: "浦府〔2027〕5号", at: "2027-01-10T09:00:00+08:00")
        XCTAssertEqual(try store.db.documents(authority: nil, year: nil).first { $0.id == id }?.status, .approved)
        XCTAssertEqual(try store.db.events(document: id).map(\.status), [.draft, .submitted, .approved])
        XCTAssertEqual(try store.db.events(document: id).last?.comment, "浦府〔2027〕5号")
        XCTAssertThrowsError(try store.db.setStatus(document: 999, to: .filed, by: "x", comment: "", at: "2027-01-01T00:00:00+08:00"))
        // One document and one file of it, read alone.
        var approved = d
        approved.id = id
        approved.status = .approved
        XCTAssertEqual(try store.db.document(id: id), approved)
        XCTAssertEqual(try store.db.document(id: id2)?.kind, .roster)
        XCTAssertNil(try store.db.document(id: 999))
        XCTAssertEqual(try store.db.documentFile(id: id, name: "执法计划.xlsx"), Data([0, 1, 2, 255]))
        XCTAssertEqual(try store.db.documentFile(id: id, name: "plan.json"), Data("{\"schema\":\"enforcement-plan/1\"}".utf8))
        XCTAssertNil(try store.db.documentFile(id: id, name: "none.json"))
        XCTAssertNil(try store.db.documentFile(id: id2, name: "plan.json"))
    }

    /// Accounts (DATA.md §9): a user name is taken once; a session is found by its token's hash
    /// with its user until it expires or is ended; a session of no user is refused.
    func accounts() throws {
        let store = try open()
        defer { store.close() }
        let u = StoredUser(name: "张三", authority: "浦东新区应急管理局", role: .planner, passwordHash: "$2b$10$notarealhash",
                           createdAt: "2027-01-05T09:00:00+08:00")
        let id = try XCTUnwrap(try store.db.addUser(u))
        XCTAssertNil(try store.db.addUser(StoredUser(name: "张三", authority: "嘉定区应急管理局", role: .admin, passwordHash: "x",
                                                     createdAt: "2027-01-05T10:00:00+08:00")), "a name is taken once")
        let adminID = try XCTUnwrap(try store.db.addUser(StoredUser(name: "city-admin", authority: "上海市应急管理局", role: .admin,
                                                                    passwordHash: "y", createdAt: "2027-01-05T10:00:00+08:00")))
        XCTAssertNotEqual(id, adminID)
        var expected = u
        expected.id = id
        XCTAssertEqual(try store.db.user(named: "张三"), expected, "the first 张三 stays as it was")
        XCTAssertNil(try store.db.user(named: "李四"))
        XCTAssertEqual(Set(try store.db.users().map(\.name)), ["张三", "city-admin"])
        XCTAssertEqual(try store.db.user(named: "city-admin")?.role, .admin)

        let hashA = String(repeating: "a", count: 64), hashB = String(repeating: "b", count: 64)
        let s = StoredSession(tokenHash: hashA, userID: id, createdAt: "2027-01-05T09:00:00+08:00", expiresAt: "2027-01-05T17:00:00+08:00")
        try store.db.saveSession(s)
        let found = try XCTUnwrap(try store.db.session(tokenHash: hashA, now: "2027-01-05T12:00:00+08:00"))
        XCTAssertEqual(found.session, s)
        XCTAssertEqual(found.user, expected)
        XCTAssertNil(try store.db.session(tokenHash: hashA, now: "2027-01-05T17:00:00+08:00"), "over at its expiry")
        XCTAssertNil(try store.db.session(tokenHash: hashB, now: "2027-01-05T12:00:00+08:00"), "an unknown hash opens nothing")
        try store.db.saveSession(StoredSession(tokenHash: hashB, userID: adminID, createdAt: "2027-01-05T09:00:00+08:00",
                                               expiresAt: "2027-01-06T17:00:00+08:00"))
        XCTAssertEqual(try store.db.deleteExpiredSessions(now: "2027-01-06T00:00:00+08:00"), 1)
        XCTAssertEqual(try store.db.session(tokenHash: hashB, now: "2027-01-06T00:00:00+08:00")?.user.name, "city-admin")
        try store.db.deleteSession(tokenHash: hashB)
        XCTAssertNil(try store.db.session(tokenHash: hashB, now: "2027-01-06T00:00:00+08:00"), "signed out")
        XCTAssertNoThrow(try store.db.deleteSession(tokenHash: hashB), "signing out twice is no error")
        XCTAssertThrowsError(try store.db.saveSession(StoredSession(tokenHash: hashA, userID: 999, createdAt: "2027-01-05T09:00:00+08:00",
                                                                    expiresAt: "2027-01-05T17:00:00+08:00")), "no such user")
    }
}

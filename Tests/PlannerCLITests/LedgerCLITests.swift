import Foundation
import XCTest
import LedgerStore
import PostgresHarness

/// The ledger database through the `planner` executable, as a user runs it (DATA.md §8): an
/// import killed with SIGKILL half-way leaves nothing half-applied; two imports at once both
/// land, each as one contiguous run of change numbers; the same ledger read from a CSV file, an
/// SQLite file and a PostgreSQL server gives the same plan; `replan --db` picks up a unit that
/// became key; rosters and city runs are stored as drafts and served back; a bad file changes
/// nothing. Every plan a run writes is re-checked by `planner verify`.
final class LedgerCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// The clock of every run: imports record it, stored documents carry it.
    static let january = ["PLANNER_NOW": "2027-01-05T09:00:00+08:00"]
    static let june = ["PLANNER_NOW": "2027-06-05T09:00:00+08:00"]

    // MARK: Tests

    /// A large import killed with SIGKILL while it writes (its rollback journal on disk and the
    /// database file already grown by uncommitted pages): the file passes `PRAGMA
    /// integrity_check`, the export is byte for byte the one before, the change sequence and the
    /// import records are unchanged; the same import run again succeeds and the export is then
    /// the imported file's units.
    func testAnImportKilledMidWayLeavesNothingHalfAppliedAndRunsAgain() throws {
        let db = path("ledger.sqlite"), journal = db + "-journal"
        let small = try CLIFixture.smallScenario() + "/ledger.csv"
        try importOK(small, db: db, effective: "2027-01-01")
        let (before, seqBefore) = try export(db)
        let baseIDs = Self.ids(String(decoding: before, as: UTF8.self))
        XCTAssertEqual(seqBefore, baseIDs.count, "one change per unit of the first import")
        XCTAssertEqual(try query(db, "SELECT COUNT(*) FROM imports"), "1")
        // The state every attempt starts from (no process has the file open).
        try FileManager.default.copyItem(atPath: db, toPath: path("base.sqlite"))
        let baseSize = try fileSize(db)

        // A ledger large enough that the import is still writing when it is killed. If it is
        // done first (a faster machine), the file is made larger and the kill tried again: the
        // test never passes without having killed an import inside its transaction.
        var units = 20_000, bigLedger = "", killedAfter = 0.0, grownBy = 0
        var attempts: [String] = []
        for _ in 1...4 {
            let out = path("big-\(units)")
            let g = try CLI.run(["generate", "--district", "浦东新区", "--units", String(units), "--seed", "5", "--out", out])
            XCTAssertEqual(g.status, 0, "generate: " + g.stdout + g.stderr)
            bigLedger = out + "/ledger.csv"
            try? FileManager.default.removeItem(atPath: db)
            try? FileManager.default.removeItem(atPath: journal)
            try FileManager.default.copyItem(atPath: path("base.sqlite"), toPath: db)
            let run = try Background(["ledger", "import", bigLedger, "--db", db, "--by", "王五", "--reason", "全区台账更新",
                                      "--effective", "2027-02-01", "--close-missing", "浦东新区"], environment: Self.january)
            // Wait for the write transaction: its journal exists and the database file has
            // grown (SQLite has spilled uncommitted pages into it).
            let started = Date()
            var inside = false
            while run.process.isRunning && Date().timeIntervalSince(started) < 120 {
                if FileManager.default.fileExists(atPath: journal), (try? fileSize(db)) ?? 0 > baseSize {
                    inside = true
                    break
                }
                usleep(5_000)
            }
            if inside { kill(run.process.processIdentifier, SIGKILL) }
            run.process.waitUntilExit()
            let elapsed = Date().timeIntervalSince(started)
            let killed = run.process.terminationReason == .uncaughtSignal && run.process.terminationStatus == SIGKILL
            let hot = FileManager.default.fileExists(atPath: journal)
            if killed && hot {
                killedAfter = elapsed
                grownBy = try fileSize(db) - baseSize
                break
            }
            attempts.append("\(units) units: \(killed ? "killed after commit" : "exit \(run.process.terminationStatus)") after \(String(format: "%.1f", elapsed)) s; \(run.stderr())")
            units *= 2
        }
        XCTAssertGreaterThan(killedAfter, 0, "no import could be killed inside its transaction: \(attempts)")
        guard killedAfter > 0 else { return }
        XCTAssertGreaterThan(grownBy, 0, "the database file held uncommitted pages when the import was killed")

        // The file as the killed process left it (hot journal): sqlite3 rolls it back and finds
        // the database whole.
        XCTAssertEqual(try query(db, "PRAGMA integrity_check"), "ok", "integrity_check after the kill")
        let (after, seqAfter) = try export(db)
        XCTAssertEqual(after, before, "the export after the killed import differs from the one before it (something was half-applied)")
        XCTAssertEqual(seqAfter, seqBefore, "the change sequence moved although the import was killed")
        XCTAssertEqual(try lastSeq(db), seqBefore, "changes of the killed import are in the database")
        XCTAssertEqual(try query(db, "SELECT COUNT(*) FROM imports"), "1", "the killed import left an import record")
        XCTAssertEqual(try query(db, "SELECT COUNT(*) FROM versions"), String(baseIDs.count), "the killed import left unit versions")

        // The same import again: it lands whole.
        let again = try importOK(bigLedger, db: db, effective: "2027-02-01", extra: ["--close-missing", "浦东新区"])
        let bigIDs = Self.ids(try String(contentsOfFile: bigLedger, encoding: .utf8))
        XCTAssertEqual(bigIDs.count, units)
        XCTAssertTrue(Set(bigIDs).isDisjoint(with: baseIDs), "the generated ledgers share unit ids")
        let expectedLast = seqBefore + bigIDs.count + baseIDs.count   // every new unit, every closure
        XCTAssertTrue(again.stdout.contains("新增 \(bigIDs.count) 家") && again.stdout.contains("关闭 \(baseIDs.count) 家")
                      && again.stdout.contains("变更序号 \(seqBefore + 1)–\(expectedLast)"), again.stdout)
        let (final, seqFinal) = try export(db)
        XCTAssertEqual(seqFinal, expectedLast)
        Self.assertSameList(Self.ids(String(decoding: final, as: UTF8.self)), bigIDs, "the export is not the imported file's units (the closed ones left out)")
        XCTAssertEqual(try query(db, "PRAGMA integrity_check"), "ok")
        print("killed the import of \(units) units after \(String(format: "%.2f", killedAfter)) s, the file \(grownBy) bytes larger; earlier attempts: \(attempts)")
    }

    /// Two `planner ledger import` processes started at once on one database (an SQLite file,
    /// then a PostgreSQL database), each adding the units of another district: both exit 0, each
    /// import's changes are one contiguous run of sequence numbers right after the other's, and
    /// the ledger holds both.
    func testTwoImportsAtOnceBothLandEachAsOneContiguousRun() throws {
        let small = try CLIFixture.smallScenario() + "/ledger.csv"
        var files: [(district: String, ledger: String, ids: [String])] = []
        for (district, seed) in [("嘉定区", 3), ("青浦区", 4)] {
            let out = path("g-\(seed)")
            let g = try CLI.run(["generate", "--district", district, "--units", "6000", "--seed", String(seed), "--out", out])
            XCTAssertEqual(g.status, 0, g.stdout + g.stderr)
            let ledger = path("\(district).csv")
            try FileManager.default.copyItem(atPath: out + "/ledger.csv", toPath: ledger)
            files.append((district, ledger, Self.ids(try String(contentsOfFile: ledger, encoding: .utf8))))
        }
        XCTAssertTrue(Set(files[0].ids).isDisjoint(with: files[1].ids))

        for db in [path("ledger.sqlite"), try ThrowawayPostgres.freshDatabase(prefix: "cli")] {
            try importOK(small, db: db, effective: "2027-01-01")
            let (_, base) = try export(db)
            let runs = try files.map { f in
                try Background(["ledger", "import", f.ledger, "--db", db, "--by", f.district, "--reason", "并发导入", "--effective", "2027-03-01"],
                               environment: Self.january)
            }
            XCTAssertTrue(runs[0].process.isRunning, "\(db): the first import had finished before the second started: they did not run at once")
            var ranges: [ClosedRange<Int>] = []
            for (r, f) in zip(runs, files) {
                r.process.waitUntilExit()
                let out = r.stdout()
                XCTAssertEqual(r.process.terminationStatus, 0, "\(db), \(f.district): " + out + r.stderr())
                XCTAssertTrue(out.contains("新增 \(f.ids.count) 家"), out)
                let range = try XCTUnwrap(Self.seqRange(out), "\(db): no change range in: " + out)
                XCTAssertEqual(range.count, f.ids.count, "\(db), \(f.district): one change per new unit")
                ranges.append(range)
            }
            let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
            XCTAssertEqual(sorted.first?.lowerBound, base + 1, "\(db): the first import's changes do not start right after the first ledger's")
            XCTAssertEqual(sorted.last?.lowerBound, (sorted.first?.upperBound ?? 0) + 1, "\(db): the imports' changes are not one after the other: \(ranges)")

            // The database's own record: three imports, each one contiguous run, the runs as printed.
            let rows = try query(db, """
                SELECT i.source || '|' || i.by_name || '|' || MIN(c.seq) || '|' || MAX(c.seq) || '|' || COUNT(*)
                FROM changes c JOIN imports i ON i.id = c.import_id GROUP BY i.id, i.source, i.by_name ORDER BY MIN(c.seq)
                """).split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
            XCTAssertEqual(rows.count, 3, "\(db): \(rows)")
            for row in rows {
                guard row.count == 5, let lo = Int(row[2]), let hi = Int(row[3]), let n = Int(row[4]) else { XCTFail("\(db): \(row)"); continue }
                XCTAssertEqual(hi - lo + 1, n, "\(db): the changes of \(row[0]) interleave with another import's: \(row)")
                if let k = files.firstIndex(where: { ($0.ledger as NSString).lastPathComponent == row[0] }) {
                    XCTAssertEqual(row[1], files[k].district)
                    XCTAssertEqual(lo...hi, ranges[k], "\(db), \(row[0]): the database's range is not the one the import printed")
                }
            }
            XCTAssertEqual(Set(rows.map { $0[0] }), Set(["ledger.csv"] + files.map { ($0.ledger as NSString).lastPathComponent }), "\(db)")

            // The ledger holds both files' units; each unit's history names its own import.
            let (export, seq) = try export(db)
            XCTAssertEqual(seq, base + files[0].ids.count + files[1].ids.count, "\(db)")
            XCTAssertEqual(Set(Self.ids(String(decoding: export, as: UTF8.self))),
                           Set(try Self.ids(String(contentsOfFile: small, encoding: .utf8)) + files[0].ids + files[1].ids), "\(db): the export lacks units of an import")
            for (k, f) in files.enumerated() {
                for id in [f.ids[0], f.ids[f.ids.count / 2], f.ids.last!] {
                    let h = try history(id, db: db)
                    XCTAssertEqual(h.count, 1, "\(db), \(id): \(h)")
                    XCTAssertEqual(h.first?["source"] as? String, (f.ledger as NSString).lastPathComponent)
                    XCTAssertEqual(h.first?["by"] as? String, f.district)
                    XCTAssertEqual(h.first?["field"] as? String, "*")
                    XCTAssertTrue(ranges[k].contains(h.first?["seq"] as? Int ?? -1), "\(db), \(id): seq \(h.first?["seq"] ?? "nil") outside \(ranges[k])")
                }
            }
        }
    }

    /// The small district planned from its CSV, from an SQLite file and from a PostgreSQL
    /// database it was imported into: the same plan.json bar the `ledger` the database plans
    /// record and the solver's timings, every other file byte for byte the same; each verifies.
    func testTheSamePlanFromCSVSQLiteAndPostgreSQL() throws {
        let scenario = try CLIFixture.smallScenario()
        let csvPlan = try CLIFixture.smallPlan()
        let csvFolder = (csvPlan as NSString).deletingLastPathComponent
        let sqlite = path("ledger.sqlite")
        let postgres = try ThrowawayPostgres.freshDatabase(prefix: "cli")
        var folders: [(name: String, db: String, out: String)] = []
        for (name, db) in [("SQLite", sqlite), ("PostgreSQL", postgres)] {
            let imported = try importOK(scenario + "/ledger.csv", db: db, effective: "2027-01-01")
            XCTAssertTrue(imported.stdout.contains("变更序号 1–200"), "\(name): " + imported.stdout)
            let out = path("plan-\(name)")
            let r = try CLI.run(["plan", scenario, "--db", db, "--out", out, "--time-limit", "10"], environment: Self.january)
            XCTAssertEqual(r.status, 0, "\(name): " + r.stdout + r.stderr)
            XCTAssertTrue(r.stdout.contains("计划已存入台账数据库（编号 1，状态：草稿；台账变更序号 200）"), "\(name): " + r.stdout)
            let v = try CLI.run(["verify", out + "/plan.json", "--scenario", scenario, "--db", db])
            XCTAssertEqual(v.status, 0, "verify of the plan from \(name): " + v.stdout + v.stderr)
            folders.append((name, db, out))
        }
        XCTAssertEqual(try CLI.run(["verify", csvPlan, "--scenario", scenario]).status, 0)
        // Both databases export the ledger they were given, byte for byte alike.
        XCTAssertEqual(try export(sqlite).data, try export(postgres).data, "SQLite and PostgreSQL export different ledgers")

        let reference = try Self.json(csvPlan)
        XCTAssertNil(reference["ledger"], "a plan from a file records no ledger database")
        let referenceFiles = try CityFixture.files(csvFolder)
        for f in folders {
            let doc = try Self.json(f.out + "/plan.json")
            let ledger = try XCTUnwrap(doc["ledger"] as? [String: Any], "\(f.name): plan.json has no ledger")
            XCTAssertEqual(ledger["seq"] as? Int, 200, f.name)
            let source = ledger["source"] as? String ?? ""
            XCTAssertTrue(f.name == "SQLite" ? source == "sqlite:" + sqlite : source.hasPrefix("postgres://"), "\(f.name): ledger.source \(source)")
            Self.assertSameList(String(decoding: try Self.normalised(doc), as: UTF8.self).components(separatedBy: "\n"),
                                String(decoding: try Self.normalised(reference), as: UTF8.self).components(separatedBy: "\n"),
                                "the plan from \(f.name) is not the plan from the CSV (plan.json lines, ledger and timings left out)")
            XCTAssertEqual(try CityFixture.files(f.out), referenceFiles, f.name)
            for name in referenceFiles where name != "plan.json" {
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(f.out)/\(name)")),
                               try Data(contentsOf: URL(fileURLWithPath: "\(csvFolder)/\(name)")), "\(f.name): \(name) differs from the CSV plan's")
            }
        }
    }

    /// A plan made from the database in January; in June a general unit had a fatal accident
    /// (KEY-D2) and the update is imported, effective after the plan. `replan --db` from July sees
    /// the change (and says which sequence numbers), classifies the unit key and visits it in the
    /// remaining months; the new plan verifies against the database, the old one only at the
    /// sequence it was made from.
    func testReplanFromTheDatabasePicksUpAUnitThatBecameKey() throws {
        let small = try CLIFixture.smallScenario()
        // The small district with slack on duty (机关值班 2 days): room for the new unit's visits.
        let text = try String(contentsOfFile: small + "/scenario.yaml", encoding: .utf8)
        let edited = text.replacingOccurrences(of: "机关值班: 52", with: "机关值班: 2")
            .replacingOccurrences(of: "ledger: ledger.csv", with: "ledger: \(small)/ledger.csv")
            .replacingOccurrences(of: "staff: staff.csv", with: "staff: \(small)/staff.csv")
            .replacingOccurrences(of: "experts: experts.csv", with: "experts: \(small)/experts.csv")
        XCTAssertTrue(edited.contains("机关值班: 2\n") && edited.contains("staff: \(small)/staff.csv"), "the scenario edits applied")
        let scenario = path("scenario.yaml")
        try edited.write(toFile: scenario, atomically: true, encoding: .utf8)
        let db = path("ledger.sqlite")
        try importOK(small + "/ledger.csv", db: db, effective: "2027-01-01")
        let (_, seq0) = try export(db)

        let p = try CLI.run(["plan", scenario, "--db", db, "--out", path("p"), "--time-limit", "10"], environment: Self.january)
        XCTAssertEqual(p.status, 0, p.stdout + p.stderr)
        XCTAssertEqual(try CLI.run(["verify", path("p/plan.json"), "--scenario", scenario, "--db", db]).status, 0)
        let plan = try Self.json(path("p/plan.json"))
        let visited = Set((plan["visits"] as! [[String: Any]]).map { $0["unit"] as! String })
        // A general unit of the authority's own, not exempted, never visited in the plan.
        let unit = try XCTUnwrap((plan["units"] as! [[String: Any]]).first {
            $0["class"] as? String == "general" && $0["own_unit"] as? Bool == true && $0["exemption"] is NSNull
                && ($0["rules"] as? [Any])?.isEmpty == true && !visited.contains($0["id"] as! String)
        }, "no unvisited general unit in the plan")
        let id = unit["id"] as! String

        // June: the unit had a fatal accident on 2 June; the ledger is updated from 3 June.
        let current = path("current.csv")
        XCTAssertEqual(try CLI.run(["ledger", "export", "--db", db, "--out", current]).status, 0)
        var rows = CSVText.parse(try String(contentsOfFile: current, encoding: .utf8))
        let column = try XCTUnwrap(rows[0].firstIndex(of: "最近死亡事故日期"), "no 最近死亡事故日期 column in \(rows[0])")
        let row = try XCTUnwrap(rows.firstIndex { $0.first == id })
        XCTAssertEqual(rows[row][column], "", "the unit already has a fatal accident")
        rows[row][column] = "2027-06-02"
        try CSVText.write(rows).write(toFile: path("june.csv"), atomically: true, encoding: .utf8)
        let u = try importOK(path("june.csv"), db: db, effective: "2027-06-03", environment: Self.june)
        XCTAssertTrue(u.stdout.contains("变更 1 家（1 项）") && u.stdout.contains("变更序号 \(seq0 + 1)–\(seq0 + 1)"), u.stdout)
        let h = try history(id, db: db)
        XCTAssertEqual(h.last?["field"] as? String, "last_fatal_accident")
        XCTAssertEqual(h.last?["new"] as? String, "2027-06-02")
        XCTAssertEqual(h.last?["consequence"] as? String, "2027-06-03 起因 KEY-D2 列为重点检查单位", "\(h)")

        // The January plan no longer matches the ledger as it is now, and still does at its seq.
        let stale = try CLI.run(["verify", path("p/plan.json"), "--scenario", scenario, "--db", db])
        XCTAssertEqual(stale.status, 1, "the January plan verifies against the June ledger: " + stale.stdout)
        XCTAssertTrue(stale.stdout.contains(id), "the verifier names the unit: " + stale.stdout)
        let atSeq = try CLI.run(["verify", path("p/plan.json"), "--scenario", scenario, "--db", db, "--ledger-seq", String(seq0)])
        XCTAssertEqual(atSeq.status, 0, "the January plan at --ledger-seq \(seq0): " + atSeq.stdout + atSeq.stderr)

        let r = try CLI.run(["replan", scenario, "--db", db, "--plan", path("p/plan.json"), "--from-month", "7", "--out", path("r"), "--time-limit", "10"],
                            environment: Self.june)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("台账数据库：原计划依据变更序号 \(seq0)，本次依据 \(seq0 + 1)（其间 1 项变更已计入"), r.stdout)
        XCTAssertTrue(r.stdout.contains("计划已存入台账数据库（编号 2，状态：草稿；台账变更序号 \(seq0 + 1)）"), r.stdout)
        let replanned = try Self.json(path("r/plan.json"))
        XCTAssertEqual((replanned["ledger"] as? [String: Any])?["seq"] as? Int, seq0 + 1)
        let now = try XCTUnwrap((replanned["units"] as! [[String: Any]]).first { $0["id"] as? String == id })
        XCTAssertEqual(now["class"] as? String, "key", "\(now)")
        XCTAssertEqual(now["rules"] as? [String], ["KEY-D2"], "\(now)")
        let visits = (replanned["visits"] as! [[String: Any]]).filter { $0["unit"] as? String == id }
        XCTAssertFalse(visits.isEmpty, "the re-plan does not visit the new key unit \(id)")
        XCTAssertGreaterThanOrEqual(visits.count, now["required_visits"] as? Int ?? 1, "\(visits)")
        for v in visits {
            XCTAssertEqual(v["kind"] as? String, "key", "\(v)")
            XCTAssertGreaterThanOrEqual(v["month"] as? Int ?? 0, 7, "\(v)")
        }
        XCTAssertEqual(CLI.solverStatus(path("r/plan.json")), "optimal")
        let list = try String(contentsOfFile: path("r/变更清单.csv"), encoding: .utf8)
        XCTAssertTrue(list.contains(id) && list.contains("新纳入重点检查单位"), list)
        let v = try CLI.run(["verify", path("r/plan.json"), "--scenario", scenario, "--db", db, "--previous", path("p/plan.json")])
        XCTAssertEqual(v.status, 0, "verify of the re-plan: " + v.stdout + v.stderr)
    }

    /// A roster made from the database and a city run from it are stored as drafts; `ledger
    /// plans` lists them and `--show ID --out DIR` writes back the very files each run wrote.
    func testRosterAndCityRunsAreStoredAsDraftsAndServedBack() throws {
        let small = try CLIFixture.smallScenario()
        let db = path("ledger.sqlite")
        try importOK(small + "/ledger.csv", db: db, effective: "2027-01-01")
        let p = try CLI.run(["plan", small, "--db", db, "--out", path("p"), "--time-limit", "10"], environment: Self.january)
        XCTAssertEqual(p.status, 0, p.stdout + p.stderr)
        XCTAssertEqual(try CLI.run(["verify", path("p/plan.json"), "--scenario", small, "--db", db]).status, 0)
        let r = try CLI.run(["roster", small, "--db", db, "--plan", path("p/plan.json"), "--month", "3", "--out", path("r")], environment: Self.january)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("3月现场检查方案已存入台账数据库（编号 2，状态：草稿；台账变更序号 200）"), r.stdout)
        let rv = try CLI.run(["verify", path("r/roster-2027-03.json"), "--scenario", small, "--plan", path("p/plan.json"), "--db", db])
        XCTAssertEqual(rv.status, 0, "verify of the roster: " + rv.stdout + rv.stderr)

        let listed = try plans(db)
        XCTAssertEqual(listed.map { [$0.id, $0.kind, $0.status, $0.seq] }, [["2", "现场检查方案", "草稿", "200"], ["1", "年度计划", "草稿", "200"]], "\(listed)")
        XCTAssertTrue(listed.allSatisfy { $0.authority == "浦东新区应急管理局" && $0.created == "2027-01-05T09:00:00+08:00" }, "\(listed)")
        try assertShows(db, id: 1, sameAs: path("p"))
        // The printable 现场检查方案 is stored with the roster and served back with it.
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("r/现场检查方案-2027-03.html")))
        try assertShows(db, id: 2, sameAs: path("r"))
        let none = try CLI.run(["ledger", "plans", "--db", db, "--show", "9", "--out", path("s9")])
        XCTAssertEqual(none.status, 1, none.stdout)
        XCTAssertTrue(none.stderr.contains("没有编号为 9 的计划或方案"), none.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("s9")))

        // A small generated city (17 authorities, 400 units) planned from its own database.
        let city = path("city"), cityDB = path("city.sqlite"), out = path("city-out")
        let g = try CLI.run(["generate", "--city", "--units", "400", "--seed", "7", "--out", city])
        XCTAssertEqual(g.status, 0, g.stdout + g.stderr)
        try importOK(city + "/ledger.csv", db: cityDB, effective: "2027-01-01")
        let c = try CLI.run(["city", city, "--db", cityDB, "--out", out, "--time-limit", "10"], environment: Self.january)
        let doc = try CityFixture.json(out + "/city.json")
        let rows = doc["authorities"] as! [[String: Any]]
        XCTAssertEqual(c.status, rows.allSatisfy { $0["compliant"] as! Bool } ? 0 : 2, c.stdout + c.stderr)
        XCTAssertTrue(c.stdout.contains("\(rows.count)个计划已存入台账数据库（编号 1–\(rows.count)，状态：草稿；台账变更序号 400）"), c.stdout)
        try CityFixture.verifyAll(out, rows: rows)
        let stored = try plans(cityDB)
        XCTAssertEqual(stored.count, rows.count, "\(stored)")
        XCTAssertTrue(stored.allSatisfy { $0.kind == "年度计划" && $0.status == "草稿" && $0.seq == "400" }, "\(stored)")
        XCTAssertEqual(Set(stored.map(\.authority)), Set(rows.map { $0["name"] as! String }))
        for row in rows.prefix(3) {
            let name = row["name"] as! String
            let id = try XCTUnwrap(stored.first { $0.authority == name }?.id)
            try assertShows(cityDB, id: Int(id)!, sameAs: "\(out)/\(row["folder"] as! String)")
        }
    }

    /// A file with one bad value in the middle (and a change to every other unit): exit 1
    /// naming file, row, column and value, the database unchanged, on SQLite and PostgreSQL.
    /// So for a file the loader accepts but the database refuses (a change dated before one
    /// already recorded): nothing of it is written.
    func testABadFileChangesNothing() throws {
        let small = try CLIFixture.smallScenario() + "/ledger.csv"
        for db in [path("ledger.sqlite"), try ThrowawayPostgres.freshDatabase(prefix: "cli")] {
            try importOK(small, db: db, effective: "2027-01-01")
            let (before, seq) = try export(db)
            var rows = CSVText.parse(String(decoding: before, as: UTF8.self))
            let penalties = try XCTUnwrap(rows[0].firstIndex(of: "近三年行政处罚次数"))
            let scale = try XCTUnwrap(rows[0].firstIndex(of: "规模"))
            for k in 1..<rows.count { rows[k][penalties] = String((Int(rows[k][penalties]) ?? 0) + 1) }
            var bad = rows
            bad[100][scale] = "巨型"   // file row 101
            let file = path("bad.csv")
            try CSVText.write(bad).write(toFile: file, atomically: true, encoding: .utf8)
            let r = try CLI.run(["ledger", "import", file, "--db", db, "--by", "张三", "--reason", "更新"], environment: Self.june)
            XCTAssertEqual(r.status, 1, "\(db): " + r.stdout + r.stderr)
            XCTAssertTrue(r.stderr.contains("\(file) 第101行(row 101) 列「规模」: 值「巨型」"), "\(db): " + r.stderr)
            XCTAssertEqual(r.stdout, "")
            XCTAssertEqual(try export(db).data, before, "\(db): the export changed after a refused import")
            XCTAssertEqual(try lastSeq(db), seq, "\(db): the change sequence moved after a refused import")

            // Unit 5 changed from June; the whole file dated March is refused by the database.
            var june = CSVText.parse(String(decoding: before, as: UTF8.self))
            june[5][penalties] = String((Int(june[5][penalties]) ?? 0) + 3)
            try CSVText.write(june).write(toFile: path("june.csv"), atomically: true, encoding: .utf8)
            try importOK(path("june.csv"), db: db, effective: "2027-06-01", environment: Self.june)
            let (afterJune, seqJune) = try export(db)
            XCTAssertEqual(seqJune, seq + 1)
            try CSVText.write(rows).write(toFile: path("march.csv"), atomically: true, encoding: .utf8)
            let m = try CLI.run(["ledger", "import", path("march.csv"), "--db", db, "--by", "张三", "--reason", "补录", "--effective", "2027-03-01"],
                                environment: Self.june)
            XCTAssertEqual(m.status, 1, "\(db): " + m.stdout + m.stderr)
            XCTAssertTrue(m.stderr.contains("march.csv") && m.stderr.contains(june[5][0]) && m.stderr.contains("2027-06-01"), "\(db): " + m.stderr)
            XCTAssertEqual(try export(db).data, afterJune, "\(db): the refused March file changed the ledger")
            XCTAssertEqual(try lastSeq(db), seqJune, "\(db): the refused March file wrote changes")
        }
    }

    // MARK: Helpers

    /// `planner ledger import FILE --db DB`, which must exit 0.
    @discardableResult
    func importOK(_ file: String, db: String, effective: String, extra: [String] = [], environment: [String: String] = LedgerCLITests.january,
                  line: UInt = #line) throws -> CLIRun {
        let r = try CLI.run(["ledger", "import", file, "--db", db, "--by", "张三", "--reason", "台账导入", "--effective", effective] + extra,
                            environment: environment)
        XCTAssertEqual(r.status, 0, "import of \(file) into \(db): " + r.stdout + r.stderr, line: line)
        return r
    }

    /// `planner ledger export --db DB`: the file's bytes and the change sequence it is at.
    func export(_ db: String, line: UInt = #line) throws -> (data: Data, seq: Int) {
        let out = path("export-\(UUID().uuidString.prefix(8)).csv")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["ledger", "export", "--db", db, "--out", out])
        XCTAssertEqual(r.status, 0, "export of \(db): " + r.stdout + r.stderr, line: line)
        let seq = try XCTUnwrap(Self.firstMatch(#"至变更序号 (\d+)"#, r.stdout).flatMap { Int($0) }, "no sequence in: " + r.stdout, line: line)
        return (try Data(contentsOf: URL(fileURLWithPath: out)), seq)
    }

    /// The last change sequence, read through the store itself.
    func lastSeq(_ db: String) throws -> Int {
        let store = try LedgerStore.open(db)
        defer { store.close() }
        return try store.db.lastSeq()
    }

    /// `planner ledger history ID --db DB --format json`.
    func history(_ id: String, db: String) throws -> [[String: Any]] {
        let r = try CLI.run(["ledger", "history", id, "--db", db, "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], r.stdout)
    }

    struct Listed { var id, kind, authority, year, month, status, seq, created: String }

    /// `planner ledger plans --db DB`, its table read row by row (a roster's month filled in,
    /// a plan's blank).
    func plans(_ db: String) throws -> [Listed] {
        let r = try CLI.run(["ledger", "plans", "--db", db])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        return r.stdout.split(separator: "\n").dropFirst(2).map { line in
            let f = line.split(separator: " ").map(String.init)
            return f.count == 9 ? Listed(id: f[0], kind: f[1], authority: f[2], year: f[3], month: f[4], status: f[5], seq: f[6], created: f[7])
                : Listed(id: f[0], kind: f[1], authority: f[2], year: f[3], month: "", status: f.count > 4 ? f[4] : "", seq: f.count > 5 ? f[5] : "",
                         created: f.count > 6 ? f[6] : "")
        }
    }

    /// `ledger plans --show ID --out DIR` writes exactly the files of `folder`, byte for byte.
    func assertShows(_ db: String, id: Int, sameAs folder: String, line: UInt = #line) throws {
        let out = path("show-\(id)-\(UUID().uuidString.prefix(6))")
        let s = try CLI.run(["ledger", "plans", "--db", db, "--show", String(id), "--out", out])
        XCTAssertEqual(s.status, 0, s.stdout + s.stderr, line: line)
        let names = try CityFixture.files(folder)
        XCTAssertEqual(try CityFixture.files(out), names, "stored document \(id)", line: line)
        XCTAssertTrue(s.stdout.contains("已写出 \(names.count) 个文件"), s.stdout, line: line)
        for n in names {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(n)")), try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(n)")),
                           "stored document \(id): \(n) is not the file the run wrote", line: line)
        }
    }

    /// SQL on the database a test made: `sqlite3 FILE SQL` (Debian sqlite3) or `psql -At` on
    /// the shared cluster (Debian postgresql-client), both installed by .ci/setup. The output,
    /// trimmed; a failing statement fails the test.
    func query(_ db: String, _ sql: String, line: UInt = #line) throws -> String {
        let (tool, args): (String, [String])
        if db.hasPrefix("postgres://") {
            let c = try ThrowawayPostgres.shared.get()
            let name = String(try XCTUnwrap(URLComponents(string: db)).path.dropFirst())
            (tool, args) = ("/usr/bin/psql", ["-h", c.folder, "-p", String(c.port), "-U", "postgres", "-d", name, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
        } else {
            (tool, args) = ("/usr/bin/sqlite3", [db, sql])
        }
        guard FileManager.default.isExecutableFile(atPath: tool) else { throw MissingTool(name: tool) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = path("query-\(UUID().uuidString.prefix(8))")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: out + ".err", contents: nil)
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: out + ".err") }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: out + ".err"))
        try p.run()
        p.waitUntilExit()
        let error = (try? String(contentsOfFile: out + ".err", encoding: .utf8)) ?? ""
        XCTAssertEqual(p.terminationStatus, 0, "\(tool) \(sql): \(error)", line: line)
        return try String(contentsOfFile: out, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    static func json(_ file: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any], file)
    }

    /// A plan.json without the `ledger` a database plan records and without the solver's
    /// timings (`seconds` at any depth), serialised with sorted keys.
    static func normalised(_ doc: [String: Any]) throws -> Data {
        func strip(_ v: Any) -> Any {
            if let d = v as? [String: Any] { return d.filter { $0.key != "seconds" }.mapValues(strip) }
            if let a = v as? [Any] { return a.map(strip) }
            return v
        }
        var d = doc
        d["ledger"] = nil
        return try JSONSerialization.data(withJSONObject: strip(d), options: [.sortedKeys, .prettyPrinted])
    }

    /// Two long lists alike, or a failure saying where they part (not the whole lists).
    static func assertSameList(_ a: [String], _ b: [String], _ message: String, line: UInt = #line) {
        guard a != b else { return }
        let k = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        XCTFail("\(message): \(a.count) against \(b.count) entries, first difference at \(k): \(k < a.count ? a[k] : "end") against \(k < b.count ? b[k] : "end")",
                line: line)
    }

    /// The unit ids of a ledger CSV (the first column; credit codes are never quoted).
    static func ids(_ csv: String) -> [String] {
        csv.split(whereSeparator: \.isNewline).dropFirst().map { String($0.prefix { $0 != "," }) }
    }

    /// `changes A–B` of an import's summary.
    static func seqRange(_ summary: String) -> ClosedRange<Int>? {
        guard let m = matches(#"变更序号 (\d+)–(\d+)"#, summary), let a = Int(m[0]), let b = Int(m[1]), a <= b else { return nil }
        return a...b
    }

    static func firstMatch(_ pattern: String, _ text: String) -> String? { matches(pattern, text)?.first }

    static func matches(_ pattern: String, _ text: String) -> [String]? {
        let re = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        guard let m = re.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (1..<m.numberOfRanges).map { ns.substring(with: m.range(at: $0)) }
    }
}

/// A `planner` run in the background (to be killed, or to run beside another), its output in
/// files.
final class Background {
    let process = Process()
    let folder = CLI.tempDir()

    init(_ args: [String], environment: [String: String] = [:]) throws {
        process.executableURL = CLI.productsDirectory.appendingPathComponent("planner")
        process.arguments = args
        process.environment = CLI.environment(environment)
        process.currentDirectoryURL = CLI.root
        let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        try? FileManager.default.removeItem(at: folder)
    }

    func stdout() -> String { read("stdout") }
    func stderr() -> String { read("stderr") }
    func read(_ name: String) -> String {
        String(decoding: (try? Data(contentsOf: folder.appendingPathComponent(name))) ?? Data(), as: UTF8.self)
    }
}

/// Just enough CSV for the tests to edit an exported ledger: quoted fields, doubled quotes, a
/// UTF-8 BOM dropped.
enum CSVText {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var s = Substring(text)
        if s.first == "\u{FEFF}" { s = s.dropFirst() }
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            i = s.index(after: i)
            if quoted {
                if c == "\"" {
                    if i < s.endIndex && s[i] == "\"" { field.append("\""); i = s.index(after: i) } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                row.append(field); field = ""; rows.append(row); row = []
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    static func write(_ rows: [[String]]) -> String {
        rows.map { r in
            r.map { f in f.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f }
                .joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }
}

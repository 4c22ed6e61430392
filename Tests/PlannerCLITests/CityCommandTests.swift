import Foundation
import XCTest

/// `planner city` (DATA.md §7) on copies of the committed demo city (scenarios/city-demo: 3,000
/// units, 25 authorities; 宝山区 d04 and 奉贤区 d07 short of inspection person-days on purpose):
/// one unit one level (conflicts, unassigned units), the roll-up, each plan as `planner plan`
/// writes it alone, dispatch end to end, determinism, the language, bad input. Every plan a run
/// writes is re-checked by `planner verify`.
final class CityCommandTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    // MARK: Tests

    /// A town its district no longer delegates (练塘镇 left out of 青浦区's `delegate.towns`) while
    /// the town's scenario stays: its general units are claimed by both. Exit 1 before any plan,
    /// each unit named with both authorities, nothing written.
    func testAConflictStopsTheRunNamingUnitsAndBothAuthorities() throws {
        let city = path("city")
        try CityFixture.copyDemo(to: city, edit: ["d08/scenario.yaml": { $0.replacingOccurrences(of: "towns: [练塘镇]", with: "towns: none") }])
        XCTAssertTrue(try String(contentsOfFile: city + "/d08/scenario.yaml", encoding: .utf8).contains("towns: none"))
        let out = path("out")
        let r = try CLI.run(["city", city, "--out", out])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        // The units 练塘镇 plans in the demo are exactly those claimed twice now.
        let town = try CityFixture.dispatched.get()
        let expected = try CityFixture.unitIDs(town.out + "/d08-t05/plan.json")
        XCTAssertEqual(expected.count, 25)
        XCTAssertTrue(r.stderr.contains("有\(expected.count)家单位被两个以上执法主体认领"), r.stderr)
        XCTAssertTrue(r.stderr.contains("TIER-ONE"), r.stderr)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains("：") }
        var named: [String] = []
        for l in lines {
            let parts = l.dropFirst(2).components(separatedBy: "：")
            XCTAssertEqual(parts.count, 2, String(l))
            named.append(parts[0])
            XCTAssertEqual(parts[1], "青浦区应急管理局、练塘镇人民政府", String(l))
        }
        XCTAssertEqual(named.sorted(), expected.sorted())
        XCTAssertEqual(r.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing planned, nothing written")
    }

    /// A delegated town with no scenario (d08-t05, 练塘镇, removed): its units are listed in
    /// city.json `units.unassigned` with a reason naming the town; every other unit is in
    /// exactly one plan.
    func testUnitsOfATownWithoutScenarioAreListedUnassigned() throws {
        let city = path("city")
        try CityFixture.copyDemo(to: city, remove: ["d08-t05"])
        let out = path("out")
        let r = try CLI.run(["city", city, "--out", out])
        let doc = try CityFixture.json(out + "/city.json")
        let rows = doc["authorities"] as! [[String: Any]]
        XCTAssertEqual(rows.count, 24)
        let compliant = rows.allSatisfy { $0["compliant"] as! Bool }
        XCTAssertEqual(r.status, compliant ? 0 : 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("25家单位没有执法主体的场景"), r.stderr)
        XCTAssertTrue(r.stdout.contains("台账3000家单位：已分配2975家，未分配25家，冲突0家"), r.stdout)

        let town = try CityFixture.unitIDs(try CityFixture.dispatched.get().out + "/d08-t05/plan.json")
        let units = doc["units"] as! [String: Any]
        let unassigned = units["unassigned"] as! [[String: Any]]
        XCTAssertEqual(unassigned.map { $0["id"] as! String }.sorted(), town.sorted())
        for u in unassigned {
            let reason = u["reason"] as! String
            XCTAssertTrue(reason.contains("练塘镇") && reason.contains("TIER-TOWN"), reason)
        }
        XCTAssertEqual((units["conflicts"] as! [Any]).count, 0)
        XCTAssertEqual(units["assigned"] as? Int, 2975)
        let placed = try CityFixture.planUnits(out, rows: rows)
        XCTAssertEqual(placed.count, 2975)
        XCTAssertEqual(Set(placed.map { $0.id }).count, placed.count, "no unit in two plans")
        XCTAssertEqual(Set(placed.map { $0.id }).union(town), Set(try CityFixture.ledgerIDs()))
        XCTAssertTrue(Set(placed.map { $0.id }).isDisjoint(with: town))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/d08-t05"))
        try CityFixture.verifyAll(out, rows: rows)
    }

    /// The demo city: every ledger unit is in exactly one plan, with that plan's authority.
    func testEveryUnitIsInExactlyOnePlan() throws {
        let (_, out) = try CityFixture.dispatched.get()
        let doc = try CityFixture.json(out + "/city.json")
        let rows = doc["authorities"] as! [[String: Any]]
        XCTAssertEqual(rows.count, 25)
        let placed = try CityFixture.planUnits(out, rows: rows)
        let ledger = try CityFixture.ledgerIDs()
        XCTAssertEqual(ledger.count, 3000)
        XCTAssertEqual(placed.count, ledger.count)
        XCTAssertEqual(Set(placed.map { $0.id }).count, placed.count, "no unit in two plans")
        XCTAssertEqual(Set(placed.map { $0.id }), Set(ledger))
        for p in placed { XCTAssertEqual(p.authority, p.plan, p.id) }
        let units = doc["units"] as! [String: Any]
        XCTAssertEqual(units["assigned"] as? Int, ledger.count)
        XCTAssertEqual((units["unassigned"] as! [Any]).count, 0)
        XCTAssertEqual((units["conflicts"] as! [Any]).count, 0)
        XCTAssertEqual((doc["ledger"] as! [String: Any])["units"] as? Int, ledger.count)
        // Each row's `units` is its plan's.
        for row in rows {
            let n = placed.filter { $0.plan == row["name"] as! String }.count
            XCTAssertEqual(row["units"] as? Int, n, row["folder"] as! String)
        }
    }

    /// city.json `totals` are the sums of the plans' metrics, each authority's metrics are its
    /// plan's, and the workbook's 全市合计 row and authority rows say the same; 调度单 lists the
    /// orders.
    func testRollUpTotalsAreTheSumsOfThePlans() throws {
        let (_, out) = try CityFixture.dispatched.get()
        let doc = try CityFixture.json(out + "/city.json")
        let rows = doc["authorities"] as! [[String: Any]]
        let totals = doc["totals"] as! [String: Any]
        let keys = ["visits", "key_visits", "special_visits", "key_units", "key_units_covered", "general_units", "general_units_drawn"]
        var sums = [String: Int]()
        var plans: [String: [String: Any]] = [:]
        for row in rows {
            let folder = row["folder"] as! String
            XCTAssertEqual(row["plan"] as? String, "\(folder)/plan.json")
            let plan = try CityFixture.json("\(out)/\(folder)/plan.json")
            plans[row["name"] as! String] = plan
            let metrics = plan["metrics"] as! [String: Any]
            XCTAssertEqual(NSDictionary(dictionary: row["metrics"] as! [String: Any]), NSDictionary(dictionary: metrics), folder)
            XCTAssertEqual((plan["authority"] as! [String: Any])["name"] as? String, row["name"] as? String)
            XCTAssertEqual(row["inspection_workdays"] as? Double, (plan["workdays"] as! [String: Any])["inspection"] as? Double, folder)
            for k in keys { sums[k, default: 0] += metrics[k] as! Int }
        }
        for k in keys { XCTAssertEqual(totals[k] as? Int, sums[k], k) }
        XCTAssertEqual(totals["authorities"] as? Int, 25)
        XCTAssertGreaterThan(sums["visits"]!, 0)

        let xlsx = out + "/全市汇总.xlsx"
        let names = try CityXLSX.sheetNames(xlsx)
        XCTAssertEqual(names, ["全市汇总", "调度单", "未分配与冲突单位"])
        let table = try CityXLSX.rows(xlsx, sheet: "全市汇总")
        let header = try XCTUnwrap(table.first { $0.contains("检查家次") && $0.contains("执法主体") })
        let visitsColumn = try XCTUnwrap(header.firstIndex(of: "检查家次"))
        let unitsColumn = try XCTUnwrap(header.firstIndex(of: "单位数"))
        let total = try XCTUnwrap(table.first { $0.first == "全市合计" }, "a 全市合计 row")
        XCTAssertEqual(Int(total[visitsColumn]), totals["visits"] as? Int)
        XCTAssertEqual(Int(total[unitsColumn]), 3000)
        for (name, plan) in plans {
            let line = try XCTUnwrap(table.first { $0.first == name }, name)
            XCTAssertEqual(Int(line[visitsColumn]), (plan["metrics"] as! [String: Any])["visits"] as? Int, name)
        }
        let orders = doc["dispatch"] as! [[String: Any]]
        let sheet = try CityXLSX.rows(xlsx, sheet: "调度单")
        let listed = sheet.filter { $0.first?.hasPrefix("DP-2027-") == true }
        XCTAssertEqual(listed.count, orders.count)
        for (line, o) in zip(listed, orders) {
            XCTAssertEqual(Array(line[1...3]), [o["from"] as! String, o["to"] as! String, String(o["person_days"] as! Int)])
        }
    }

    /// A city run plans each authority exactly as `planner plan` plans it alone (its scenario with
    /// the city's year, seed and ledger; a town or zone with its district's delegate lists):
    /// every file the same bytes, plan.json apart from timings and its `units` (the city run
    /// lists the authority's own). Dispatch is off, so capacities are the same.
    func testEachAuthorityPlansAsPlannerPlanAlone() throws {
        let (_, out, folder) = try CityFixture.undispatched.get()
        let ledger = folder + "/ledger.csv"
        let delegateOf: (String) throws -> String = { district in
            let text = try String(contentsOfFile: "\(folder)/\(district)/scenario.yaml", encoding: .utf8)
            var lines: [Substring] = [], inside = false
            for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if l.hasPrefix("delegate:") { inside = true } else if inside, !l.hasPrefix(" ") { inside = false }
                if inside { lines.append(l) }
            }
            return lines.joined(separator: "\n") + "\n"
        }
        // (folder, its district's folder when it inherits the district's delegation)
        let cases: [(String, String?)] = [("d03", nil), ("d03-t01", "d03"), ("city", nil), ("d01-z01", "d01")]
        for (a, district) in cases {
            let alone = path(a)
            try FileManager.default.createDirectory(atPath: alone, withIntermediateDirectories: true)
            for f in ["staff.csv", "experts.csv"] {
                try FileManager.default.copyItem(atPath: "\(folder)/\(a)/\(f)", toPath: "\(alone)/\(f)")
            }
            var yaml = "year: 2027\nseed: 20270101\nledger: \(ledger)\n"
                + (try String(contentsOfFile: "\(folder)/\(a)/scenario.yaml", encoding: .utf8))
            if let district { yaml += try delegateOf(district) }
            try yaml.write(toFile: alone + "/scenario.yaml", atomically: true, encoding: .utf8)
            let planned = path(a + "-plan")
            let r = try CLI.run(["plan", alone, "--out", planned, "--time-limit", "10"])
            XCTAssertEqual(r.status, 0, a + ": " + r.stdout + r.stderr)
            let v = try CLI.run(["verify", planned + "/plan.json", "--scenario", alone])
            XCTAssertEqual(v.status, 0, a + ": " + v.stdout + v.stderr)
            // The city run's plan (its own units only) verifies against the same scenario too.
            let vc = try CLI.run(["verify", "\(out)/\(a)/plan.json", "--scenario", alone])
            XCTAssertEqual(vc.status, 0, a + " (city run): " + vc.stdout + vc.stderr)

            let files = try CityFixture.files(planned)
            XCTAssertEqual(files, try CityFixture.files("\(out)/\(a)"), a)
            XCTAssertTrue(files.contains("执法计划.xlsx") && files.contains("plan.json"), "\(files)")
            for f in files where f != "plan.json" {
                XCTAssertEqual(FileManager.default.contents(atPath: "\(planned)/\(f)"), FileManager.default.contents(atPath: "\(out)/\(a)/\(f)"), "\(a)/\(f)")
            }
            var standalone = try CityFixture.json(planned + "/plan.json")
            let inCity = try CityFixture.json("\(out)/\(a)/plan.json")
            let name = (inCity["authority"] as! [String: Any])["name"] as! String
            let all = standalone["units"] as! [[String: Any]]
            let own = all.filter { $0["authority"] as? String == name }
            XCTAssertEqual(own.count, all.filter { $0["own_unit"] as? Bool == true }.count, a)
            XCTAssertEqual(own.count, (inCity["units"] as! [Any]).count, a)
            XCTAssertGreaterThan(own.count, 0, a)
            standalone["units"] = own
            XCTAssertEqual(try CityFixture.normalised(standalone), try CityFixture.normalised(inCity), "\(a)/plan.json")
        }
    }

    /// Dispatch on the demo city: the two short bureaus borrow, every plan complies and
    /// verifies, each plan's borrowed and lent person-days are its orders', no lender lends more
    /// than max_lend_share (0.2) of its own inspection person-days, and the capacities move by
    /// exactly what the orders say (against the same city without dispatch).
    func testDispatchMendsTheShortBureaus() throws {
        let (r, out) = try CityFixture.dispatched.get()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("达标主体 25/25"), r.stdout)
        XCTAssertTrue(r.stdout.contains("执法力量调用（TIER-DISPATCH）"), r.stdout)
        XCTAssertFalse(r.stdout.contains("未达标的执法主体"), r.stdout)
        let doc = try CityFixture.json(out + "/city.json")
        let rows = doc["authorities"] as! [[String: Any]]
        XCTAssertTrue(rows.allSatisfy { $0["compliant"] as! Bool })
        XCTAssertTrue(rows.allSatisfy { ($0["shortfalls"] as! [Any]).isEmpty })
        XCTAssertNil(doc["dispatch_shortfall"])
        let names = Set(rows.map { $0["name"] as! String })
        let folderOf = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as! String, $0["folder"] as! String) })
        let orders = doc["dispatch"] as! [[String: Any]]
        XCTAssertFalse(orders.isEmpty)
        var borrowed = [String: Int](), lent = [String: Int](), lentByMonth = [String: [Int]]()
        for o in orders {
            let from = o["from"] as! String, to = o["to"] as! String
            XCTAssertTrue(names.contains(from) && names.contains(to), "\(o)")
            XCTAssertNotEqual(from, to)
            XCTAssertEqual(o["from_folder"] as? String, folderOf[from])
            XCTAssertEqual(o["to_folder"] as? String, folderOf[to])
            XCTAssertTrue(["宝山区应急管理局", "奉贤区应急管理局"].contains(to), to)
            let byMonth = o["by_month"] as! [Int]
            XCTAssertEqual(byMonth.count, 12)
            XCTAssertEqual(o["person_days"] as? Int, byMonth.reduce(0, +))
            XCTAssertEqual(o["months"] as? [Int], (1...12).filter { byMonth[$0 - 1] > 0 })
            XCTAssertEqual(o["rule"] as? String, "FREQ-KEY-COVER")
            XCTAssertTrue(r.stdout.contains("\(from) → \(to)：\(byMonth.reduce(0, +))人·日"), r.stdout)
            borrowed[to, default: 0] += byMonth.reduce(0, +)
            lent[from, default: 0] += byMonth.reduce(0, +)
            lentByMonth[from, default: Array(repeating: 0, count: 12)] = zip(lentByMonth[from] ?? Array(repeating: 0, count: 12), byMonth).map { $0 + $1 }
        }
        XCTAssertEqual(Set(borrowed.keys), ["宝山区应急管理局", "奉贤区应急管理局"])
        XCTAssertTrue(Set(borrowed.keys).isDisjoint(with: lent.keys), "no authority both borrows and lends")

        let (_, before, _) = try CityFixture.undispatched.get()
        for row in rows {
            let name = row["name"] as! String, folder = row["folder"] as! String
            let plan = try CityFixture.json("\(out)/\(folder)/plan.json")
            let w = plan["workdays"] as! [String: Any]
            XCTAssertEqual(w["borrowed"] as? Int, borrowed[name], "\(folder) borrowed")
            XCTAssertEqual(w["lent"] as? Int, lent[name], "\(folder) lent")
            // The capacity moves by exactly the orders: inspection = own + borrowed − lent.
            let own = (try CityFixture.json("\(before)/\(folder)/plan.json")["workdays"] as! [String: Any])["inspection"] as! Double
            let inspection = w["inspection"] as! Double
            XCTAssertEqual(inspection, own + Double(borrowed[name] ?? 0) - Double(lent[name] ?? 0), folder)
            XCTAssertEqual(own, inspection - Double(borrowed[name] ?? 0) + Double(lent[name] ?? 0))
            if let l = lentByMonth[name] {
                XCTAssertLessThanOrEqual(Double(lent[name]!), 0.2 * own + 1e-9, "\(folder) lends at most 20% of \(own)")
                // Each month at most 20% of its share of the year (spread by the months'
                // workdays here; the planner spreads by officer availability: 1 of slack).
                let workdays = (plan["months"] as! [[String: Any]]).map { $0["workdays"] as! Double }
                let year = workdays.reduce(0, +)
                for m in 0..<12 {
                    XCTAssertLessThanOrEqual(Double(l[m]), 0.2 * own * workdays[m] / year + 1, "\(folder) month \(m + 1): \(l)")
                }
            }
        }
        try CityFixture.verifyAll(out, rows: rows)
        // The orders are in the workbook's 调度单 too (checked line by line in the roll-up test).
        XCTAssertEqual(try CityXLSX.rows(out + "/全市汇总.xlsx", sheet: "调度单").filter { $0.first?.hasPrefix("DP-") == true }.count, orders.count)
    }

    /// The same city with `dispatch.enabled: false`: exit 2, the short bureaus d04 and d07 (and
    /// only they) listed first in the summary with FREQ-KEY-COVER; no orders; the verifier agrees
    /// with every plan's verdicts.
    func testWithoutDispatchTheShortBureausAreListedFirst() throws {
        let (r, out, _) = try CityFixture.undispatched.get()
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("达标主体 23/25"), r.stdout)
        let short = try XCTUnwrap(r.stdout.range(of: "未达标的执法主体：\n"), r.stdout)
        let table = try XCTUnwrap(r.stdout.range(of: "全市合计"), r.stdout)
        XCTAssertLessThan(short.upperBound, table.lowerBound, "the short authorities come before the table")
        let listed = r.stdout[short.upperBound...].split(separator: "\n")
            .prefix { !$0.isEmpty && $0.hasPrefix("  ") }
            .filter { !$0.hasPrefix("    ") }
        XCTAssertEqual(listed, ["  宝山区应急管理局（d04）", "  奉贤区应急管理局（d07）"], r.stdout)
        XCTAssertFalse(r.stdout.contains("执法力量调用"), r.stdout)
        let doc = try CityFixture.json(out + "/city.json")
        XCTAssertEqual((doc["dispatch"] as! [Any]).count, 0)
        let rows = doc["authorities"] as! [[String: Any]]
        XCTAssertEqual(rows.filter { !($0["compliant"] as! Bool) }.map { $0["folder"] as! String }, ["d04", "d07"])
        for row in rows where !(row["compliant"] as! Bool) {
            let rules = (row["shortfalls"] as! [[String: Any]]).map { $0["rule"] as! String }
            XCTAssertTrue(rules.contains("FREQ-KEY-COVER"), "\(rules)")
            let plan = try CityFixture.json("\(out)/\(row["folder"] as! String)/plan.json")
            XCTAssertNil((plan["workdays"] as! [String: Any])["borrowed"])
        }
        XCTAssertTrue(rows.allSatisfy { (try? CityFixture.json("\(out)/\($0["folder"] as! String)/plan.json"))
            .map { ($0["workdays"] as! [String: Any])["lent"] == nil } ?? false }, "nobody lends")
        try CityFixture.verifyAll(out, rows: rows)
    }

    /// Two runs of the demo city (the second one plan at a time) write the same files, byte for
    /// byte apart from the timings in plan.json and city.json, and print the same summary.
    func testTwoRunsWriteTheSameBytes() throws {
        let (first, out) = try CityFixture.dispatched.get()
        let again = path("again")
        let r = try CLI.run(["city", try CityFixture.demoCopy(), "--out", again, "--jobs", "1", "--time-limit", "10"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout.replacingOccurrences(of: again, with: "OUT"), first.stdout.replacingOccurrences(of: out, with: "OUT"))
        let files = try CityFixture.files(out, recursive: true)
        XCTAssertEqual(files, try CityFixture.files(again, recursive: true))
        XCTAssertGreaterThan(files.count, 25 * 7)
        for f in files {
            let a = "\(out)/\(f)", b = "\(again)/\(f)"
            if f.hasSuffix(".json") {
                XCTAssertEqual(try CityFixture.normalised(CityFixture.json(a)), try CityFixture.normalised(CityFixture.json(b)), f)
            } else {
                XCTAssertEqual(FileManager.default.contents(atPath: a), FileManager.default.contents(atPath: b), f)
            }
        }
    }

    /// `--lang en`: the summary in English, the workbook city-summary.xlsx with English sheets,
    /// each plan's files under their English names.
    func testEnglishSummaryAndWorkbook() throws {
        let (r, out) = try CityFixture.english.get()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        for needle in ["enforcement plans 2027 (25 authorities)", "Ledger: 3000 units; assigned 3000, unassigned 0, conflicts 0",
                       "Compliant authorities: 25/25", "Dispatch (TIER-DISPATCH): ", "City total", "city-summary.xlsx", "City plans written to"] {
            XCTAssertTrue(r.stdout.contains(needle), needle + "\n" + r.stdout)
        }
        for zh in ["达标主体", "全市合计", "执法力量调用", "全市汇总", "人·日", "已分配"] {
            XCTAssertFalse(r.stdout.contains(zh), zh + "\n" + r.stdout)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/city-summary.xlsx"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/全市汇总.xlsx"))
        XCTAssertEqual(try CityXLSX.sheetNames(out + "/city-summary.xlsx"), ["Roll-up", "Dispatch", "Unassigned"])
        XCTAssertTrue(try CityXLSX.rows(out + "/city-summary.xlsx", sheet: "Roll-up").contains { $0.first == "City total" })
        XCTAssertEqual(try CityFixture.files(out + "/d04"), ["draws.csv", "key-units.csv", "monthly.csv", "plan.html", "plan.json", "plan.xlsx", "quarterly.csv", "visits.csv"])
        // The same plans as in Chinese (only the reports' language differs).
        let (_, zhOut) = try CityFixture.dispatched.get()
        XCTAssertEqual(try CityFixture.normalised(CityFixture.json(out + "/city.json")), try CityFixture.normalised(CityFixture.json(zhOut + "/city.json")))
    }

    /// Dispatch enabled but nothing to lend (`max_lend_share: 0`): exit 2, no orders, and
    /// city.json `dispatch_shortfall` gives each short bureau's need — the person-days the
    /// dispatched demo lends it — and the city's total.
    func testDispatchWithNothingToLendLeavesTheShortBureausShort() throws {
        let (r, out) = try CityFixture.englishNothingToLend.get()
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        let doc = try CityFixture.json(out + "/city.json")
        XCTAssertEqual((doc["dispatch"] as! [Any]).count, 0)
        let rows = doc["authorities"] as! [[String: Any]]
        XCTAssertEqual(rows.filter { !($0["compliant"] as! Bool) }.map { $0["folder"] as! String }, ["d04", "d07"])
        // Each need is what the dispatched demo gives that bureau in all.
        let dispatched = try CityFixture.json(try CityFixture.dispatched.get().out + "/city.json")["dispatch"] as! [[String: Any]]
        var given = [String: Int]()
        for o in dispatched { given[o["to"] as! String, default: 0] += o["person_days"] as! Int }
        let shortfall = try XCTUnwrap(doc["dispatch_shortfall"] as? [String: Any])
        let unmended = shortfall["unmended"] as! [[String: Any]]
        XCTAssertEqual(unmended.map { $0["authority"] as! String }, ["宝山区应急管理局", "奉贤区应急管理局"])
        XCTAssertEqual(unmended.map { $0["rule"] as! String }, ["FREQ-KEY-COVER", "FREQ-KEY-COVER"])
        for u in unmended { XCTAssertEqual(u["person_days"] as? Int, given[u["authority"] as! String], "\(u)") }
        let lacks = unmended.reduce(0) { $0 + ($1["person_days"] as! Int) }
        XCTAssertEqual(shortfall["city_short_person_days"] as? Int, lacks)
        XCTAssertTrue(r.stdout.contains("Still short after dispatch (the city as a whole lacks \(lacks) inspection person-days)"), r.stdout)
        XCTAssertTrue(rows.allSatisfy { (try? CityFixture.json("\(out)/\($0["folder"] as! String)/plan.json"))
            .map { ($0["workdays"] as! [String: Any])["lent"] == nil && ($0["workdays"] as! [String: Any])["borrowed"] == nil } ?? false })
        try CityFixture.verifyAll(out, rows: rows)
    }

    /// `--lang en` gives the short authorities' shortfalls in English, as `planner plan --lang en`
    /// does (plan.json keeps them in Chinese).
    func testEnglishSummaryGivesShortfallsInEnglish() throws {
        let (r, _) = try CityFixture.englishNothingToLend.get()
        XCTAssertTrue(r.stdout.contains("Authorities short of a rule:"), r.stdout)
        XCTAssertTrue(r.stdout.contains("FREQ-KEY-COVER: full coverage of key units"), r.stdout)
        XCTAssertFalse(r.stdout.contains("重点检查单位全覆盖"), r.stdout)
    }

    /// The English summary's own words carry no Chinese punctuation (authority and district names
    /// are Chinese, and stay so; the sentences around them are English): the dispatch orders, the
    /// authorities short after dispatch, the units claimed twice.
    func testEnglishSummaryUsesEnglishPunctuation() throws {
        let chinese: Set<Character> = ["：", "（", "）", "、", "；", "，", "。"]
        func bad(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.contains { chinese.contains($0) } } }
        let (r, _) = try CityFixture.english.get()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(bad(r.stdout), [], "lines of the English summary with Chinese punctuation")
        let (short, _) = try CityFixture.englishNothingToLend.get()
        XCTAssertEqual(bad(short.stdout), [], "lines of the English summary with Chinese punctuation")
        let city = path("city")
        try CityFixture.copyDemo(to: city, edit: ["d08/scenario.yaml": { $0.replacingOccurrences(of: "towns: [练塘镇]", with: "towns: none") }])
        let c = try CLI.run(["city", city, "--out", path("out"), "--lang", "en"])
        XCTAssertEqual(c.status, 1, c.stderr)
        XCTAssertTrue(c.stderr.contains("25 units are claimed by two or more authorities"), c.stderr)
        XCTAssertEqual(bad(c.stderr), [], "lines of the English conflict report with Chinese punctuation")
    }

    /// Bad input stops the run before planning, naming the file and the key: a city.yaml without
    /// `year`; a scenario of the folder stating another year than city.yaml's.
    func testBadInputNamesTheFileAndKey() throws {
        let noYear = path("no-year")
        try CityFixture.copyDemo(to: noYear, edit: ["city.yaml": { $0.replacingOccurrences(of: "\nyear: 2027\n", with: "\n") }])
        XCTAssertFalse(try String(contentsOfFile: noYear + "/city.yaml", encoding: .utf8).contains("year:"))
        let r = try CLI.run(["city", noYear, "--out", path("out1")])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("\(noYear)/city.yaml") && r.stderr.contains("「year」"), r.stderr)
        XCTAssertTrue(r.stderr.contains("缺少必填项"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out1")))

        let otherYear = path("other-year")
        try CityFixture.copyDemo(to: otherYear, edit: ["d05/scenario.yaml": { $0.replacingOccurrences(of: "\nauthority:\n", with: "\nyear: 2026\nauthority:\n") }])
        let s = try CLI.run(["city", otherYear, "--out", path("out2")])
        XCTAssertEqual(s.status, 1, s.stdout + s.stderr)
        XCTAssertTrue(s.stderr.contains("\(otherYear)/d05/scenario.yaml") && s.stderr.contains("「year」") && s.stderr.contains("2026"), s.stderr)
        XCTAssertTrue(s.stderr.contains("2027"), "names city.yaml's year: " + s.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out2")))
        XCTAssertEqual(r.stdout + s.stdout, "")
    }
}

// MARK: - Shared runs and helpers

/// The city runs several tests read, each made once (in CLIFixture's folder) and only read.
enum CityFixture {
    static var demo: String { CLI.root.appendingPathComponent("scenarios/city-demo").path }

    /// Copies the demo city to `to`, removing the folders `remove` and editing files by path.
    static func copyDemo(to: String, edit: [String: (String) -> String] = [:], remove: [String] = []) throws {
        let fm = FileManager.default
        try fm.copyItem(atPath: demo, toPath: to)
        for r in remove { try fm.removeItem(atPath: "\(to)/\(r)") }
        for (file, change) in edit {
            let text = try String(contentsOfFile: "\(to)/\(file)", encoding: .utf8)
            let changed = change(text)
            guard changed != text else { throw CLIFixture.Failure(description: "the edit of \(file) changed nothing") }
            try changed.write(toFile: "\(to)/\(file)", atomically: true, encoding: .utf8)
        }
    }

    /// An unedited copy of the demo city (runs write nothing into it).
    static let demoFolder: Result<String, Error> = Result {
        let f = CLIFixture.folder.appendingPathComponent("city-demo").path
        try copyDemo(to: f)
        return f
    }
    static func demoCopy() throws -> String { try demoFolder.get() }

    /// `planner city` on the demo (dispatch enabled, as committed).
    static let dispatched: Result<(run: CLIRun, out: String), Error> = Result {
        let out = CLIFixture.folder.appendingPathComponent("city-out").path
        return (try CLI.run(["city", try demoCopy(), "--out", out, "--time-limit", "10"]), out)
    }

    /// `planner city` on the demo with `dispatch.enabled: false`; the folder planned too.
    static let undispatched: Result<(run: CLIRun, out: String, folder: String), Error> = Result {
        let folder = CLIFixture.folder.appendingPathComponent("city-no-dispatch").path
        try copyDemo(to: folder, edit: ["city.yaml": { $0.replacingOccurrences(of: "enabled: true", with: "enabled: false") }])
        let out = CLIFixture.folder.appendingPathComponent("city-no-dispatch-out").path
        return (try CLI.run(["city", folder, "--out", out, "--time-limit", "10"]), out, folder)
    }

    /// `planner city --lang en` on the demo.
    static let english: Result<(run: CLIRun, out: String), Error> = Result {
        let out = CLIFixture.folder.appendingPathComponent("city-out-en").path
        return (try CLI.run(["city", try demoCopy(), "--out", out, "--time-limit", "10", "--lang", "en"]), out)
    }

    /// `planner city --lang en` on the demo with `max_lend_share: 0`: dispatch enabled, nobody
    /// may lend.
    static let englishNothingToLend: Result<(run: CLIRun, out: String), Error> = Result {
        let folder = CLIFixture.folder.appendingPathComponent("city-nothing-to-lend").path
        try copyDemo(to: folder, edit: ["city.yaml": { $0.replacingOccurrences(of: "max_lend_share: 0.2", with: "max_lend_share: 0") }])
        let out = CLIFixture.folder.appendingPathComponent("city-nothing-to-lend-out").path
        return (try CLI.run(["city", folder, "--out", out, "--time-limit", "10", "--lang", "en"]), out)
    }

    static func json(_ file: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
    }

    /// A JSON document with every timing (`seconds`, `dispatch_seconds`, at any depth) removed,
    /// serialised with sorted keys.
    static func normalised(_ doc: [String: Any]) throws -> Data {
        func strip(_ v: Any) -> Any {
            if let d = v as? [String: Any] {
                return d.filter { $0.key != "seconds" && $0.key != "dispatch_seconds" }.mapValues(strip)
            }
            if let a = v as? [Any] { return a.map(strip) }
            return v
        }
        return try JSONSerialization.data(withJSONObject: strip(doc), options: [.sortedKeys])
    }

    /// The unit ids a plan lists.
    static func unitIDs(_ planFile: String) throws -> [String] {
        (try json(planFile)["units"] as! [[String: Any]]).map { $0["id"] as! String }
    }

    /// The demo ledger's unit ids (first column, header skipped).
    static func ledgerIDs() throws -> [String] {
        let text = try String(contentsOfFile: demo + "/ledger.csv", encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { String($0.prefix { $0 != "," }) }
    }

    /// Every unit of every plan of a city run: its id, its `authority` and the plan's authority.
    static func planUnits(_ out: String, rows: [[String: Any]]) throws -> [(id: String, authority: String, plan: String)] {
        var all: [(id: String, authority: String, plan: String)] = []
        for row in rows {
            let plan = try json("\(out)/\(row["folder"] as! String)/plan.json")
            let name = (plan["authority"] as! [String: Any])["name"] as! String
            XCTAssertEqual(name, row["name"] as? String)
            for u in plan["units"] as! [[String: Any]] {
                all.append((u["id"] as! String, u["authority"] as! String, name))
                XCTAssertEqual(u["own_unit"] as? Bool, true, u["id"] as! String)
            }
        }
        return all
    }

    /// `planner verify` on every plan of a run: exit 0 for a compliant plan; for a plan with
    /// shortfalls exit 1, failing exactly the rules the plan states it fails.
    static func verifyAll(_ out: String, rows: [[String: Any]], file: StaticString = #filePath, line: UInt = #line) throws {
        for row in rows {
            let folder = row["folder"] as! String
            let v = try CLI.run(["verify", "\(out)/\(folder)/plan.json"])
            if row["compliant"] as! Bool {
                XCTAssertEqual(v.status, 0, "\(folder): \(v.stdout)\(v.stderr)", file: file, line: line)
            } else {
                XCTAssertEqual(v.status, 1, "\(folder): \(v.stdout)\(v.stderr)", file: file, line: line)
                let failing = Set(v.stdout.split(separator: "\n").compactMap { l -> String? in
                    let t = l.trimmingCharacters(in: .whitespaces)
                    guard t.hasPrefix("不符合 ") else { return nil }
                    return String(t.dropFirst(4).prefix { $0 != ":" })
                })
                let stated = Set((row["shortfalls"] as! [[String: Any]]).map { $0["rule"] as! String })
                XCTAssertEqual(failing, stated, "\(folder): \(v.stdout)", file: file, line: line)
            }
        }
    }

    /// The visible files of a folder (relative paths, sorted); subfolders' files too when
    /// `recursive`.
    static func files(_ folder: String, recursive: Bool = false) throws -> [String] {
        let fm = FileManager.default
        let names = recursive ? try fm.subpathsOfDirectory(atPath: folder) : try fm.contentsOfDirectory(atPath: folder)
        return names.filter { name in
            var isDir: ObjCBool = false
            fm.fileExists(atPath: "\(folder)/\(name)", isDirectory: &isDir)
            return !isDir.boolValue && !(name as NSString).lastPathComponent.hasPrefix(".")
        }.sorted()
    }
}

/// Reads the cells of an XLSX sheet with `unzip -p` (Debian unzip, installed by .ci/setup).
enum CityXLSX {
    static func entry(_ xlsx: String, _ name: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else { throw MissingTool(name: "/usr/bin/unzip (Debian unzip)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        p.arguments = ["-p", xlsx, name]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLIFixture.Failure(description: "unzip -p \(xlsx) \(name) exited \(p.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }

    static func matches(_ pattern: String, _ text: String) -> [[String]] {
        let re = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
        }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func sheetNames(_ xlsx: String) throws -> [String] {
        matches(#"<sheet name="([^"]*)""#, try entry(xlsx, "xl/workbook.xml")).map { unescape($0[1]) }
    }

    /// The sheet's rows, each a list of cell texts by column (A at 0; blank cells "").
    static func rows(_ xlsx: String, sheet: String) throws -> [[String]] {
        let names = try sheetNames(xlsx)
        guard let i = names.firstIndex(of: sheet) else { throw CLIFixture.Failure(description: "no sheet \(sheet) in \(names)") }
        let shared = matches(#"<si>(.*?)</si>"#, try entry(xlsx, "xl/sharedStrings.xml")).map { si in
            matches(#"<t[^>]*>(.*?)</t>"#, si[1]).map { unescape($0[1]) }.joined()
        }
        let xml = try entry(xlsx, "xl/worksheets/sheet\(i + 1).xml")
        return matches(#"<row [^>]*>(.*?)</row>"#, xml).map { row in
            var cells: [String] = []
            for c in matches(#"<c r="([A-Z]+)[0-9]+"([^>]*?)(?:/>|>(.*?)</c>)"#, row[1]) {
                let column = c[1].unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
                let value = matches(#"<v>(.*?)</v>"#, c[3]).first.map { unescape($0[1]) }
                    ?? matches(#"<t[^>]*>(.*?)</t>"#, c[3]).first.map { unescape($0[1]) } ?? ""
                let text = c[2].contains(#"t="s""#) ? (Int(value).map { shared[$0] } ?? "") : value
                while cells.count < column { cells.append("") }
                cells.append(text)
            }
            return cells
        }
    }
}

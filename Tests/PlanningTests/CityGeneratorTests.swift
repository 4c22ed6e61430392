import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
@testable import Synthetic

/// The synthetic city (`planner generate --city`): every unit has one authority, every
/// authority's plan complies except the bureaus made short on purpose, the folder is the same for
/// the same seed and its scenarios load. Without the city loader: each authority is planned on
/// its own, on the whole city ledger.
final class CityGeneratorTests: XCTestCase {
    static let year = 2027

    /// The classification the generator sizes staffs on, as `planner generate --city` passes it.
    static func city(units: Int, seed: UInt64) throws -> SyntheticCity {
        let classifier = Classifier(year: year)
        let workdays = try WorkCalendar.builtin(year: year).totalWorkdays
        return CityGenerator.city(units: units, seed: seed, year: year, workdays: workdays) { u in
            let c = classifier.classify(u)
            let increase = !c.exempted && c.exemption == nil && c.rules.contains { [.d1, .d2, .d3, .d4].contains($0) }
            return UnitAssessment(key: c.unitClass == .key, cityTier: c.tier == .city, requiredVisits: increase ? 2 : 1)
        }
    }

    /// The small city of the tests (and of scenarios/city-demo), made once.
    nonisolated(unsafe) static var cached: SyntheticCity?
    static func small() throws -> SyntheticCity {
        if let c = cached { return c }
        let c = try city(units: 3000, seed: 7)
        cached = c
        return c
    }

    func testGeographyHasAllSixteenDistricts() {
        let d = ShanghaiGeography.districts
        XCTAssertEqual(d.count, 16)
        XCTAssertEqual(Set(d.map { $0.name }).count, 16)
        XCTAssertEqual(Set(d.map { $0.code }).count, 16)
        let city = ShanghaiGeography.cityDistricts
        let towns = city.reduce(0) { $0 + $1.towns.count }
        XCTAssertEqual(towns, 215)
        // Town authorities are named by the town alone: no two districts share a town name.
        XCTAssertEqual(Set(city.flatMap { $0.towns }).count, towns)
        XCTAssertEqual(zip(d, city).filter { $0.towns != Array($1.towns.prefix($0.towns.count)) }.count, 0)
        XCTAssertEqual(Array(d.prefix(12).map { $0.name }),
                       ["浦东新区", "闵行区", "嘉定区", "宝山区", "松江区", "金山区", "奉贤区", "青浦区", "崇明区", "徐汇区", "杨浦区", "普陀区"])
    }

    /// (1) Each ledger unit is the own unit of exactly one authority, as each scenario's own
    /// selection (PlanContext) finds it, and that authority is the one the generator sized.
    func testEveryUnitHasExactlyOneAuthority() throws {
        let c = try Self.small()
        var claims = [Int](repeating: 0, count: c.units.count)
        for a in c.authorities {
            let own = PlanContext.ownUnits(c.units, scenario: a.scenario).own
            XCTAssertEqual(own, a.own, a.folder)
            for i in own { claims[i] += 1 }
        }
        XCTAssertEqual(claims.filter { $0 != 1 }.count, 0)
        XCTAssertEqual(Set(c.authorities.map { $0.scenario.authority.name }).count, c.authorities.count, "authority names unique")
        XCTAssertEqual(Set(c.authorities.map { $0.folder }).count, c.authorities.count, "folders unique")
        XCTAssertEqual(Set(c.units.map { $0.id }).count, c.units.count, "credit codes unique")
        let cityTier = c.authorities[0].own.count
        XCTAssertGreaterThan(Double(cityTier) / Double(c.units.count), 0.01)
        XCTAssertLessThan(Double(cityTier) / Double(c.units.count), 0.06)
        XCTAssertEqual(c.authorities.filter { $0.shortOfStaff != nil }.map { $0.scenario.authority.name }, ["宝山区应急管理局", "奉贤区应急管理局"])
    }

    /// (2) Every authority's plan complies, except the two bureaus short of inspection
    /// person-days on purpose, which fall short on FREQ-KEY-COVER.
    func testEveryAuthorityCompliesExceptTheShortBureaus() throws {
        let c = try Self.small()
        let ledger = Ledger(units: c.units)
        let calendar = try WorkCalendar.builtin(year: Self.year)
        let classified = PlanContext.ClassifiedLedger(scenario: c.authorities[0].scenario, ledger: ledger)
        XCTAssertTrue(classified.future.isEmpty)
        var options = PlanOptions()
        options.timeLimit = 10
        var failures: [String] = []
        for a in c.authorities {
            let ctx = try PlanContext(scenario: a.scenario, ledger: ledger, staff: a.staff, calendar: calendar)
            let doc = try AnnualPlanner.plan(ctx, options: options)
            let failed = doc.checks.filter { !$0.pass }.map { $0.rule }
            if a.shortOfStaff != nil {
                XCTAssertTrue(failed.contains("FREQ-KEY-COVER"), "\(a.folder) \(a.scenario.authority.name): \(failed)")
            } else if !failed.isEmpty {
                failures.append("\(a.folder) \(a.scenario.authority.name) (\(ctx.own.count) units, \(a.inspectionPersonDays) person-days): "
                                + doc.checks.filter { !$0.pass }.map { "\($0.rule) \($0.message)" }.joined(separator: "; "))
            }
        }
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    /// (3) The same seed writes the same bytes; another seed another city.
    func testFolderIsDeterministic() throws {
        let tmp = NSTemporaryDirectory() + "city-gen-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try Self.city(units: 800, seed: 11).write(to: tmp + "/a")
        try Self.city(units: 800, seed: 11).write(to: tmp + "/b")
        try Self.city(units: 800, seed: 12).write(to: tmp + "/c")
        let fm = FileManager.default
        let files = try XCTUnwrap(fm.subpathsOfDirectory(atPath: tmp + "/a")).sorted()
        XCTAssertTrue(files.contains("city.yaml") && files.contains("ledger.csv") && files.contains("city/scenario.yaml"))
        XCTAssertEqual(files, try fm.subpathsOfDirectory(atPath: tmp + "/b").sorted())
        for f in files {
            XCTAssertEqual(fm.contents(atPath: "\(tmp)/a/\(f)"), fm.contents(atPath: "\(tmp)/b/\(f)"), f)
        }
        XCTAssertNotEqual(fm.contents(atPath: tmp + "/a/ledger.csv"), fm.contents(atPath: tmp + "/c/ledger.csv"))
    }

    /// (4) The written files load: the ledger and staff files with their loaders, each
    /// scenario.yaml with the scenario loader once the city's year, seed and ledger are put in
    /// front, giving back the scenario the generator made.
    func testWrittenFilesLoad() throws {
        let c = try Self.small()
        let tmp = NSTemporaryDirectory() + "city-load-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try c.write(to: tmp)
        let ledger = try LedgerLoader.load(path: tmp + "/ledger.csv")
        XCTAssertEqual(ledger.units.map { $0.id }, c.units.map { $0.id })
        let cityYAML = try String(contentsOfFile: tmp + "/city.yaml", encoding: .utf8)
        XCTAssertTrue(cityYAML.contains("city: 上海市\nyear: 2027\nseed: \(c.drawSeed)"))
        XCTAssertTrue(cityYAML.contains("dispatch:") && cityYAML.contains("max_lend_share: 0.2"))
        for a in c.authorities {
            let dir = "\(tmp)/\(a.folder)"
            let text = try String(contentsOfFile: dir + "/scenario.yaml", encoding: .utf8)
            XCTAssertFalse(text.contains("\nyear:") || text.contains("\nseed:") || text.contains("\nledger:"), a.folder)
            let s = try ScenarioLoader.parse(yaml: "year: \(c.year)\nseed: \(c.drawSeed)\nledger: ../ledger.csv\n" + text,
                                             file: dir + "/scenario.yaml", folder: dir)
            let m = a.scenario
            XCTAssertEqual(s.authority, m.authority, a.folder)
            XCTAssertEqual(s.seed, m.seed)
            XCTAssertEqual(s.workdays.otherEnforcement, m.workdays.otherEnforcement, a.folder)
            XCTAssertEqual(s.workdays.nonEnforcement, m.workdays.nonEnforcement, a.folder)
            XCTAssertEqual(s.campaigns, m.campaigns, a.folder)
            if m.authority.level == .district {
                XCTAssertEqual(s.delegation, m.delegation, a.folder)
                XCTAssertEqual(s.joint, m.joint, a.folder)
            } else {
                XCTAssertEqual(s.delegation, Delegation(), "only districts delegate: \(a.folder)")
            }
            XCTAssertEqual(try StaffLoader.load(path: dir + "/staff.csv").map { $0.id }, a.staff.map { $0.id })
            XCTAssertEqual(try StaffLoader.load(path: dir + "/experts.csv").count, a.experts.count)
        }
    }

    /// At the city's real size every town and zone plans but the two towns kept by their
    /// bureaus (外滩街道, 横沙乡): 1 + 16 + 213 towns + 2 zones.
    func testFullSizedCityHas232Authorities() throws {
        let c = try Self.city(units: 60_000, seed: 1)
        let levels = Dictionary(grouping: c.authorities, by: { $0.scenario.authority.level }).mapValues { $0.count }
        XCTAssertEqual(levels[.city], 1)
        XCTAssertEqual(levels[.district], 16)
        XCTAssertEqual(levels[.zone], 2)
        XCTAssertEqual(levels[.town], 213)
        XCTAssertEqual(c.authorities.filter { $0.scenario.authority.level == .town }.map { $0.staff.count }.max(), 4)
        XCTAssertEqual(c.authorities.reduce(0) { $0 + $1.own.count }, 60_000)
    }

    /// scenarios/city-demo is what `planner generate --city --units 3000 --seed 7` writes.
    func testCommittedDemoIsTheGeneratorsOutput() throws {
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scenarios/city-demo").path
        let tmp = NSTemporaryDirectory() + "city-demo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try Self.small().write(to: tmp)
        let fm = FileManager.default
        let files = try fm.subpathsOfDirectory(atPath: tmp).sorted()
        XCTAssertEqual(files, try fm.subpathsOfDirectory(atPath: demo).filter { $0 != "README.md" }.sorted())
        for f in files { XCTAssertEqual(fm.contents(atPath: "\(tmp)/\(f)"), fm.contents(atPath: "\(demo)/\(f)"), f) }
    }
}

import Foundation
import Ledger
@testable import PlannerResources
import Policy
import XCTest

final class FocusCatalogueTests: XCTestCase {
    private static let defaultCatalogue: Result<FocusCatalogue, Error> = Result { try FocusCatalogue.loadDefault() }

    private func catalogue() throws -> FocusCatalogue { try Self.defaultCatalogue.get() }

    /// Tests/PolicyTests/FocusCatalogueTests.swift → the repository root (for comparisons only).
    private static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    private func unit(_ category: Category, _ activity: Activity? = nil, scale: Scale = .small,
                      _ configure: (inout LedgerUnit) -> Void = { _ in }) -> LedgerUnit {
        var u = LedgerUnit(id: "91310115MA1K4AAAA0", name: "测试单位", district: "浦东新区", town: "川沙新镇",
                           category: category, scale: scale)
        u.activity = activity
        configure(&u)
        return u
    }

    private func generalItems(_ c: FocusCatalogue) -> [String] {
        c.entries.filter(\.isGeneral).flatMap(\.items)
    }

    /// Parses `yaml` expecting failure; returns the problems.
    private func problems(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> [InputProblem] {
        do {
            _ = try FocusCatalogue.parse(yaml: yaml, file: "focus-bad.yaml")
            XCTFail("catalogue was accepted", file: file, line: line)
            return []
        } catch let e as InputError {
            return e.problems
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return []
        }
    }

    // MARK: - The default catalogue

    func testDefaultCatalogueLoads() throws {
        let path = FocusCatalogue.defaultPath()
        // The resource bundle's copy of scenarios/focus-items.yaml, not the source tree's file.
        XCTAssertTrue(path.hasSuffix(PlannerResources.bundleName + "/focus-items.yaml"), path)
        XCTAssertFalse(path.hasPrefix(Self.repositoryRoot + "/scenarios/"), path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), path)
        XCTAssertEqual(FileManager.default.contents(atPath: path),
                       FileManager.default.contents(atPath: Self.repositoryRoot + "/scenarios/focus-items.yaml"))
        let c = try catalogue()
        XCTAssertEqual(c.source, path)
        XCTAssertGreaterThanOrEqual(c.entries.count, 20)
        XCTAssertEqual(c.entries.filter(\.isGeneral).count, 1, "one general entry")
        XCTAssertEqual(c.entries.last?.isGeneral, true)
        XCTAssertTrue(c.entries.allSatisfy { !$0.items.isEmpty && $0.name != nil && $0.id != nil })
        let general = generalItems(c)
        for item in ["安全生产责任制", "安全生产教育培训", "隐患排查治理", "应急预案及演练"] {
            XCTAssertTrue(general.contains(item), item)
        }
        // Every category and every activity has an entry of its own.
        for cat in Category.allCases {
            let u = unit(cat, Activity.allCases.first { $0.category == cat }, scale: .large)
            XCTAssertGreaterThan(c.matchingEntries(for: u).filter { !$0.isGeneral }.count, 0, "\(cat)")
        }
        for act in Activity.allCases {
            let u = unit(act.category, act, scale: .large)
            XCTAssertGreaterThan(c.matchingEntries(for: u).filter { !$0.isGeneral }.count, 0, "\(act)")
        }
    }

    func testAmmoniaRefrigerationFoodUnit() throws {
        let c = try catalogue()
        let u = unit(.industryTrade, .lightIndustry) { $0.lightSector = .food; $0.ammoniaRefrigeration = true }
        let items = c.items(for: u)
        for item in ["液氨储存和使用", "氨泄漏检测报警", "应急处置与个体防护"] {
            XCTAssertTrue(items.contains(item), "\(item) in \(items)")
        }
        XCTAssertEqual(items.first, "液氨储存和使用", "the major risk comes first")
        XCTAssertLessThanOrEqual(items.count, 8)
        let sp = c.specialties(for: u)
        XCTAssertEqual(sp.first, .ammonia)
        XCTAssertTrue(sp.contains(.lightIndustry))
        XCTAssertEqual(sp.last, .general)
    }

    func testExplosiveDust() throws {
        let c = try catalogue()
        let u = unit(.industryTrade, .machinery) { $0.explosiveDust = true }
        let items = c.items(for: u)
        for item in ["除尘系统", "防爆电气", "粉尘清扫制度"] { XCTAssertTrue(items.contains(item), "\(item) in \(items)") }
        XCTAssertTrue(items.contains("设备安全防护装置"), "the machinery entry keeps at least one item")
        XCTAssertEqual(c.specialties(for: u), [.dust, .general])
    }

    func testMajorHazardAndKeyProcess() throws {
        let c = try catalogue()
        let u = unit(.hazchem, .production) { $0.licensed = true; $0.majorHazard = true; $0.keyProcess = true }
        let items = c.items(for: u)
        for item in ["监测监控系统", "双重预防机制", "自动化控制与安全联锁", "工艺安全管理"] {
            XCTAssertTrue(items.contains(item), "\(item) in \(items)")
        }
        XCTAssertTrue(items.contains("安全生产许可证及许可范围"), "the production entry keeps at least one item")
        XCTAssertEqual(items.count, 8)
        XCTAssertEqual(c.specialties(for: u), [.hazchem, .general])
        // A licensed trader with a major hazard gets the major-hazard items too.
        let trader = unit(.hazchem, .trading) { $0.majorHazard = true }
        XCTAssertTrue(c.items(for: trader).contains("监测监控系统"))
        XCTAssertTrue(c.items(for: trader).contains("危险化学品经营许可证及许可范围"))
    }

    func testSewageTreatmentConfinedSpace() throws {
        let c = try catalogue()
        let u = unit(.industryTrade, .lightIndustry) { $0.lightSector = .paper; $0.sewageTreatment = true }
        XCTAssertTrue(c.items(for: u).contains("有限空间作业审批与通风检测"))
    }

    func testMoltenMetal() throws {
        let c = try catalogue()
        let u = unit(.industryTrade, .metallurgy) { $0.moltenMetal = true }
        let items = c.items(for: u)
        for item in ["熔融金属吊运", "炉体冷却水系统", "防止熔融金属遇水爆炸"] { XCTAssertTrue(items.contains(item), "\(item) in \(items)") }
        XCTAssertEqual(c.specialties(for: u), [.metallurgy, .general])
    }

    func testPlainMicroCommerceGetsGeneralItemsOnly() throws {
        let c = try catalogue()
        let u = unit(.industryTrade, .commerce, scale: .micro)
        let general = generalItems(c)
        XCTAssertEqual(c.items(for: u), Array(general.prefix(8)))
        XCTAssertEqual(c.items(for: u, limit: 100), general)
        XCTAssertEqual(c.specialties(for: u), [.general])
        XCTAssertEqual(c.matchingEntries(for: u).count, 1)
        // A small commerce unit (warehouse, shop) gets the commerce entry first.
        let small = unit(.industryTrade, .commerce, scale: .small)
        XCTAssertEqual(c.items(for: small).first, "仓储场所消防通道和安全出口")
    }

    func testFireworksPrecursorAndAgencies() throws {
        let c = try catalogue()
        XCTAssertTrue(c.items(for: unit(.fireworks, .retail)).contains("储存限量"))
        XCTAssertEqual(c.specialties(for: unit(.fireworks, .wholesale)), [.fireworks, .general])
        let precursor = c.items(for: unit(.precursor))
        XCTAssertTrue(precursor.contains("易制毒化学品购销台账"))
        XCTAssertTrue(precursor.contains("储存专库专人（双人双锁）"))
        XCTAssertTrue(c.items(for: unit(.assessmentAgency)).contains("报告质量"))
        XCTAssertEqual(c.specialties(for: unit(.mining)), [.mining, .general])
        let open = unit(.industryTrade, .machinery) { $0.openMajorHazard = true }
        XCTAssertEqual(c.items(for: open).first, "重大事故隐患整改落实")
    }

    // MARK: - Ordering and limits (a catalogue written for the test)

    private let small = """
    - { id: general, specialty: general, items: [通用一, 通用二, 通用三] }
    - { id: dust, specialty: dust, when: { explosive_dust: true }, items: [粉尘一, 粉尘二, 共同项] }
    - { id: food, specialty: light_industry, when: { activity: light_industry, light_sector: [food, paper] }, items: [食品一, 共同项, 食品二] }
    - { id: ammonia, specialty: ammonia, when: { 涉氨制冷: 是 }, items: [氨一, 氨二] }
    - { id: second-general, items: [通用一, 通用四] }
    """

    func testOrderingAndDuplicates() throws {
        let c = try FocusCatalogue.parse(yaml: small, file: "small.yaml")
        let u = unit(.industryTrade, .lightIndustry) {
            $0.lightSector = .food; $0.explosiveDust = true; $0.ammoniaRefrigeration = true
        }
        // File order among specific entries (the file lists major risks first), general last.
        XCTAssertEqual(c.matchingEntries(for: u).map(\.id), ["dust", "food", "ammonia", "general", "second-general"])
        XCTAssertEqual(c.items(for: u, limit: 100),
                       ["粉尘一", "粉尘二", "共同项", "食品一", "食品二", "氨一", "氨二", "通用一", "通用二", "通用三", "通用四"])
        XCTAssertEqual(c.specialties(for: u), [.dust, .lightIndustry, .ammonia, .general])
    }

    func testLimitKeepsOneItemOfEverySpecificEntry() throws {
        let c = try FocusCatalogue.parse(yaml: small, file: "small.yaml")
        let u = unit(.industryTrade, .lightIndustry) {
            $0.lightSector = .food; $0.explosiveDust = true; $0.ammoniaRefrigeration = true
        }
        XCTAssertEqual(c.items(for: u, limit: 8), ["粉尘一", "粉尘二", "共同项", "食品一", "食品二", "氨一", "氨二", "通用一"])
        XCTAssertEqual(c.items(for: u, limit: 5), ["粉尘一", "粉尘二", "共同项", "食品一", "氨一"])
        XCTAssertEqual(c.items(for: u, limit: 4), ["粉尘一", "粉尘二", "食品一", "氨一"])
        XCTAssertEqual(c.items(for: u, limit: 3), ["粉尘一", "食品一", "氨一"])
        // More specific entries than the limit: one item of each, still no general item.
        XCTAssertEqual(c.items(for: u, limit: 2), ["粉尘一", "食品一", "氨一"])
        XCTAssertEqual(c.items(for: u, limit: 0), [])
        // A general-only unit is simply cut.
        let plain = unit(.industryTrade, .machinery)
        XCTAssertEqual(c.items(for: plain, limit: 2), ["通用一", "通用二"])
        XCTAssertEqual(c.specialties(for: plain), [.general])
    }

    func testEntryWhoseItemsAreAllDuplicatesAddsNothing() throws {
        let c = try FocusCatalogue.parse(yaml: """
        - { when: { category: hazchem, activity: production }, items: [甲, 乙] }
        - { when: { major_hazard: true }, items: [甲] }
        - { items: [丙] }
        """, file: "dup.yaml")
        let u = unit(.hazchem, .production) { $0.majorHazard = true }
        XCTAssertEqual(c.items(for: u, limit: 1), ["甲"])
        XCTAssertEqual(c.items(for: u), ["甲", "乙", "丙"])
        XCTAssertEqual(c.specialties(for: u), [])
    }

    func testEnvironmentOverrideOfDefaultPath() throws {
        let key = FocusCatalogue.environmentKey
        XCTAssertEqual(key, "PLANNER_FOCUS_ITEMS")
        let old = ProcessInfo.processInfo.environment[key]
        setenv(key, "/tmp/somewhere/focus.yaml", 1)
        defer { if let old { setenv(key, old, 1) } else { unsetenv(key) } }
        XCTAssertEqual(FocusCatalogue.defaultPath(), "/tmp/somewhere/focus.yaml")
    }

    /// A missing resource bundle is named, with every place looked at, instead of a trap
    /// (SwiftPM's generated `Bundle.module` calls fatalError on Linux).
    func testMissingBundleIsNamedWithWhereItLooked() throws {
        let empty = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("no-bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        // A folder of the right name without models/ is not the bundle either.
        try FileManager.default.createDirectory(at: empty.appendingPathComponent(PlannerResources.bundleName),
                                                withIntermediateDirectories: true)
        switch PlannerResources.locate(in: [empty, empty.appendingPathComponent("share")]) {
        case .success(let u): XCTFail("found \(u)")
        case .failure(let e):
            XCTAssertEqual(e.looked, [empty.appendingPathComponent(PlannerResources.bundleName).path,
                                      empty.appendingPathComponent("share/\(PlannerResources.bundleName)").path])
            XCTAssertTrue(e.description.contains("找不到程序的资源包"), e.description)
            XCTAssertTrue(e.description.contains("PLANNER_MODELS") && e.description.contains("PLANNER_FOCUS_ITEMS"), e.description)
            XCTAssertTrue(e.description.contains(e.looked[1]), e.description)
        }
        // The search never includes the source tree the binary was built from.
        let root = Self.repositoryRoot
        XCTAssertFalse(PlannerResources.searchFolders().contains { $0.path == root || $0.path.hasPrefix(root + "/Sources") },
                       "\(PlannerResources.searchFolders())")
    }

    // MARK: - Broken catalogues

    func testUnknownFieldNamesFileLineAndKeyPath() {
        let p = problems("""
        - { items: [通用一] }
        - { items: [甲] }
        - name: 颜色
          when:
            colour: red
          items: [乙]
        """)
        XCTAssertEqual(p.count, 1, "\(p)")
        XCTAssertEqual(p.first?.file, "focus-bad.yaml")
        XCTAssertEqual(p.first?.row, 5)
        XCTAssertEqual(p.first?.column, "entries[3].when.colour")
        XCTAssertEqual(p.first?.value, "colour")
        XCTAssertTrue(p.first?.message.contains("ammonia_refrigeration") ?? false, "lists valid fields")
        XCTAssertTrue(p.first?.description.contains("focus-bad.yaml 第5行") ?? false, "\(p)")
    }

    func testBadValue() {
        let p = problems("""
        - when: { category: chemicals }
          items: [甲]
        - when:
            activity: [production, smelting]
          items: [乙]
        """)
        XCTAssertEqual(p.map(\.column), ["entries[1].when.category", "entries[2].when.activity[2]"], "\(p)")
        XCTAssertEqual(p.map(\.row), [1, 4])
        XCTAssertEqual(p.map(\.value), ["chemicals", "smelting"])
        XCTAssertTrue(p[0].message.contains("category"))
    }

    func testUnknownKeyAndBadSpecialty() {
        let p = problems("""
        - id: a
          items: [甲]
          itmes: [乙]
        - id: a
          specialty: chemistry
          items: [丙]
        """)
        XCTAssertEqual(p.map(\.column), ["entries[1].itmes", "entries[2].id", "entries[2].specialty"], "\(p)")
        XCTAssertEqual(p.map(\.row), [3, 4, 5])
        XCTAssertTrue(p[0].message.contains("items"), "says what is valid")
        XCTAssertTrue(p[2].message.contains("ammonia"), "lists the specialties")
    }

    func testItemsNotAList() {
        let p = problems("""
        - name: 通用
          items: 安全生产责任制
        - name: 缺少
        - name: 空
          items: []
        - items: [甲, 甲, [乙]]
        """)
        XCTAssertEqual(p.map(\.column), ["entries[1].items", "entries[2].items", "entries[3].items",
                                         "entries[4].items[2]", "entries[4].items[3]"], "\(p)")
        XCTAssertEqual(p.map(\.row), [2, 3, 5, 6, 6])
        XCTAssertEqual(p.first?.value, "安全生产责任制")
    }

    func testWrongShapes() {
        XCTAssertEqual(problems("items: [甲]").map(\.column), ["entries"])
        XCTAssertEqual(problems("- 甲").map(\.column), ["entries[1]"])
        XCTAssertEqual(problems("- { when: , items: [甲] }").map(\.column), ["entries[1].when"])
        XCTAssertEqual(problems("- { when: { 行业类别: 危险化学品, category: hazchem }, items: [甲] }").map(\.column),
                       ["entries[1].when.category"])
        XCTAssertEqual(problems("- { when: { scale: [] }, items: [甲] }").map(\.column), ["entries[1].when.scale"])
        XCTAssertEqual(problems("").count, 1)
        XCTAssertThrowsError(try FocusCatalogue.parse(yaml: "- [unclosed", file: "x.yaml"))
        XCTAssertThrowsError(try FocusCatalogue.load(path: "/nonexistent/focus.yaml")) { e in
            XCTAssertEqual((e as? InputError)?.problems.first?.file, "/nonexistent/focus.yaml")
        }
    }

    func testChineseFieldNamesAndValues() throws {
        let c = try FocusCatalogue.parse(yaml: "- { specialty: 烟花爆竹, when: { 行业类别: 烟花爆竹, 经营方式/细分行业: 零售 }, items: [甲] }",
                                         file: "zh.yaml")
        XCTAssertEqual(c.entries.first?.specialty, .fireworks)
        XCTAssertEqual(c.items(for: unit(.fireworks, .retail)), ["甲"])
        XCTAssertEqual(c.items(for: unit(.fireworks, .wholesale)), [])
    }
}

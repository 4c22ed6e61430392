import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy
@testable import Reports

/// The printable on-site inspection plan (现场检查方案-YYYY-MM.html, roster-sheet-YYYY-MM.html in
/// English): golden files of a small hand-made roster, and checks on a solved roster that do not
/// trust the golden: every visit under its day and team with its unit, leader, officers, experts
/// and focus items; every inspector draw with its id and seed; the title page's totals the
/// roster's; nothing fetched or run; text escaped; the same bytes every time.
///
/// The golden files are rewritten only on purpose: `UPDATE_GOLDEN=1 swift test --filter RosterHTMLTests`.
final class RosterHTMLTests: XCTestCase {
    func html(_ doc: RosterDocument, names: [String: String], _ lang: Lang = .zh) throws -> String {
        try RosterHTML(report: RosterReport(doc: doc, names: names, lang: lang)).render()
    }

    // MARK: - A small hand-made roster (for the golden files)

    /// March 2027: on the 2nd two teams (a key visit with an expert and a campaign visit; a
    /// random visit whose officers were drawn in two steps), on the 3rd a joint visit and a key
    /// visit without an expert; one visit unassigned, and a draw no visit names. E009 has no name
    /// in the staff list (shown by id).
    static func handMade() -> RosterDocument {
        func a(_ visit: String, _ n: Int, _ date: String, _ kind: String, team: [String], experts: [String] = [], focus: [String],
               draw: String? = nil, campaign: String? = nil, trip: String) -> RosterDocument.Assignment {
            RosterDocument.Assignment(visit: visit, unit: RT.code(n), date: date, kind: kind, team: team, leader: team[0], experts: experts,
                                      focus: focus, draw: draw, campaign: campaign, unitName: "单位\(n)有限公司", town: n % 2 == 0 ? "陆家嘴街道" : "花木街道",
                                      address: n == 4 ? "" : "上海市浦东新区测试路\(n)号", trip: trip)
        }
        func d(_ id: String, _ date: String, pool: [String], k: Int, drawn: [String]) -> RosterDocument.Draw {
            RosterDocument.Draw(id: id, seed: 20270101, method: "sha256-weighted/1", date: date, pool: pool,
                                poolSha256: String(repeating: id.hasSuffix("-L") ? "a" : "b", count: 64), k: k, drawn: drawn)
        }
        return RosterDocument(
            year: 2027, month: 3, authority: PlanDocument.AuthorityInfo(name: "浦东新区应急管理局", level: "district", district: "浦东新区"),
            seed: 20270101,
            assignments: [
                a("V-0001", 1, "2027-03-02", "key", team: ["E001", "E002"], experts: ["X001"], focus: ["重大危险源监测监控", "动火作业管理"], trip: "T-1"),
                a("V-0002", 2, "2027-03-02", "special", team: ["E001", "E002"], focus: ["有限空间作业审批"], campaign: "有限空间作业专项", trip: "T-1"),
                a("V-0003", 3, "2027-03-02", "random", team: ["E003", "E009"], focus: ["安全生产责任制", "隐患排查治理"], draw: "R-2027-03-V-0003", trip: "T-2"),
                a("V-0004", 4, "2027-03-03", "joint", team: ["E002", "E003"], focus: [], trip: "T-3"),
                a("V-0006", 6, "2027-03-03", "key", team: ["E002", "E003"], focus: ["设备安全防护装置"], trip: "T-3"),
            ],
            unassigned: [RosterDocument.Unassigned(visit: "V-0005", reason: "当日无可用的持证执法人员")],
            expertShortfalls: [RosterDocument.Unassigned(visit: "V-0006", reason: "当日可用专家均须回避该单位")],
            draws: [d("R-2027-03-V-0003-L", "2027-03-02", pool: ["E003"], k: 1, drawn: ["E003"]),
                    d("R-2027-03-V-0003", "2027-03-02", pool: ["E004", "E009"], k: 1, drawn: ["E009"]),
                    d("R-2027-03-V-0099", "2027-03-03", pool: ["E001", "E004"], k: 1, drawn: ["E004"])],
            days: [], solver: PlanDocument.Solver(status: "optimal", objective: 0, mipGap: 0, seconds: 987.654, level: "roster", stages: []))
    }

    static let handMadeNames = ["E001": "张伟", "E002": "王芳", "E003": "李娜", "E004": "刘洋", "X001": "陈专家"]

    func testSmallRosterMatchesTheGoldenFiles() throws {
        let doc = Self.handMade()
        for (lang, name) in [(Lang.zh, "roster-small.zh.html"), (.en, "roster-small.en.html")] {
            let text = try html(doc, names: Self.handMadeNames, lang)
            try RT.matchGolden(text, name)
        }
    }

    /// The hand-made roster read back: the draw no visit names is listed too, the unassigned
    /// visit and the expert shortfall with their reasons, a person without a name by id, an
    /// empty address and focus list said so.
    func testHandMadeRosterShowsEverythingItHolds() throws {
        let doc = Self.handMade()
        let text = try html(doc, names: Self.handMadeNames)
        try assertEveryVisitUnderItsDayAndTeam(doc, names: Self.handMadeNames, text)
        XCTAssertTrue(text.contains("<h3>其他人员抽取记录</h3>"), "the draw no visit names")
        XCTAssertEqual(try HTMLTable.rows(of: "draw-R-2027-03-V-0099", in: text).first?[0], "R-2027-03-V-0099")
        let unassigned = try HTMLTable.rows(of: "unassigned", in: text)
        XCTAssertEqual(unassigned, [["V-0005", "未安排", "当日无可用的持证执法人员"], ["V-0006", "缺少匹配专家", "当日可用专家均须回避该单位"]])
        XCTAssertEqual(try visitRow(text, "V-0003", "experts"), "无")
        XCTAssertTrue(try HTMLTable.rows(of: "team-2027-03-02-2-members", in: text)[1][1].contains("E009"), "E009 by id")
        XCTAssertEqual(try visitRow(text, "V-0004", "address"), "（未填）")
        XCTAssertEqual(try visitRow(text, "V-0004", "focus"), "（无）")
        XCTAssertEqual(try visitRow(text, "V-0002", "campaign"), "有限空间作业专项")
        XCTAssertEqual(try visitRow(text, "V-0003", "kind"), "双随机抽查")
        XCTAssertTrue(try visitRow(text, "V-0003", "draw").contains("R-2027-03-V-0003-L"))
        XCTAssertFalse(text.contains("987.654"), "no solver timing in the document")
    }

    // MARK: - A solved roster

    /// A solved roster of a small district (10 key units, 60 general units, four officers, two
    /// experts): a month with key and random visits, re-checked by the roster verifier.
    static let solved: Result<(doc: RosterDocument, names: [String: String]), Error> = Result {
        let units = (1...10).map { RT.key($0, .red) } + (1...60).map { RT.general(1000 + $0) }
        var s = RT.scenario(inspection: 0)
        s.workdays.otherEnforcement = [WorkdayItem(name: nil, days: 4 * 248 - 160)]
        let staff = (1...4).map { n -> StaffMember in
            var m = StaffMember(id: String(format: "E%03d", n), name: "执法\(n)", certified: true)
            m.leader = n <= 2
            return m
        }
        let experts = (1...2).map { n -> StaffMember in
            var m = StaffMember(id: String(format: "X%03d", n), name: "专家\(n)", certified: false)
            m.specialties = Specialty.allCases
            return m
        }
        let ctx = try PlanContext(scenario: s, ledger: Ledger(units: units), staff: staff, calendar: try WorkCalendar.builtin(year: s.year))
        let plan = try AnnualPlanner.plan(ctx)
        // A month with key visits (an expert on each) and random ones: the most random visits
        // (ties: the earliest).
        func count(_ m: Int, _ kind: String) -> Int { plan.visits.filter { $0.month == m && $0.kind == kind }.count }
        guard let month = (1...12).filter({ count($0, "key") > 0 && count($0, "random") > 0 })
            .max(by: { (count($0, "random"), -$0) < (count($1, "random"), -$1) }) else {
            throw SetupFailure("no month of the plan has both key and random visits")
        }
        let roster = try RosterPlanner.roster(RosterContext(plan: plan, ctx: ctx, experts: experts, focus: try FocusCatalogue.load(path: FocusCatalogue.defaultPath())),
                                              month: month)
        let failing = RosterVerifier.checks(roster, plan: plan, ctx: ctx, experts: experts).filter { !$0.pass }
        guard failing.isEmpty else { throw SetupFailure("the roster fails \(failing.map { $0.rule })") }
        return (roster, Dictionary((staff + experts).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }))
    }

    struct SetupFailure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    func testEveryVisitAppearsUnderItsDayAndTeam() throws {
        let (doc, names) = try Self.solved.get()
        XCTAssertGreaterThan(doc.assignments.count, 3)
        XCTAssertTrue(doc.assignments.contains { $0.kind == "random" }, "random visits")
        XCTAssertTrue(doc.assignments.contains { !$0.experts.isEmpty }, "visits with an expert")
        try assertEveryVisitUnderItsDayAndTeam(doc, names: names, try html(doc, names: names))
    }

    func testEveryDrawIsRecordedWithItsIdSeedPoolAndWhoWasDrawn() throws {
        let (doc, names) = try Self.solved.get()
        XCTAssertFalse(doc.draws.isEmpty)
        let text = try html(doc, names: names)
        for d in doc.draws {
            let row = try XCTUnwrap(try HTMLTable.rows(of: "draw-\(d.id)", in: text).first, d.id)
            XCTAssertEqual(row[0], d.id)
            XCTAssertEqual(row[2], String(d.seed), "\(d.id): seed")
            XCTAssertEqual(row[3], d.method)
            XCTAssertEqual(row[4], String(d.k))
            XCTAssertEqual(row[5], String(d.pool.count))
            XCTAssertEqual(row[6], d.drawn.map { "\(names[$0]!)(\($0))" }.joined(separator: "、"), "\(d.id): drawn")
            let record = try section(text, from: "<div class=\"draw-record\" id=\"draw-record-\(d.id)\">", to: "</p>")
            XCTAssertTrue(record.contains(d.poolSha256), "\(d.id): pool SHA-256")
            for p in d.pool { XCTAssertTrue(record.contains("(\(p))"), "\(d.id): pool member \(p)") }
        }
        // Each random visit's two draws are shown with its own team.
        for a in doc.assignments where a.draw != nil {
            let team = try teamBlock(text, of: a)
            XCTAssertTrue(team.contains("id=\"draw-\(a.draw!)\""), a.visit)
            XCTAssertTrue(team.contains("id=\"draw-\(a.draw!)-L\""), a.visit)
        }
    }

    func testTitlePageTotalsAreTheRostersCounts() throws {
        let (doc, names) = try Self.solved.get()
        let text = try html(doc, names: names)
        let totals = Dictionary(try HTMLTable.rows(of: "totals", in: text).map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
        let dates = Set(doc.assignments.map { $0.date })
        var teamDays = Set<String>()
        for a in doc.assignments { teamDays.insert(a.date + "|" + a.team.joined(separator: ",")) }
        XCTAssertEqual(totals["检查家次"], String(doc.assignments.count))
        XCTAssertEqual(totals["检查工作日（天）"], String(dates.count))
        XCTAssertEqual(totals["检查组（组·日）"], String(teamDays.count))
        XCTAssertEqual(totals["参加检查的执法人员（人）"], String(Set(doc.assignments.flatMap { $0.team }).count))
        XCTAssertEqual(totals["参加检查的专家（人）"], String(Set(doc.assignments.flatMap { $0.experts }).count))
        XCTAssertEqual(totals["随机抽取人员的检查（家次）"], String(doc.assignments.filter { $0.draw != nil }.count))
        XCTAssertEqual(totals["人员随机抽取（次）"], String(doc.draws.count))
        XCTAssertEqual(totals["未安排的检查（家次）"], String(doc.unassigned.count))
        XCTAssertEqual(totals["缺少匹配专家的重点检查（家次）"], String(doc.expertShortfalls.count))
        XCTAssertEqual(totals["双随机抽取种子（公开）"], String(doc.seed))
        XCTAssertEqual(totals["编制单位"], doc.authority.name)
        // The days' table: one row a working day with visits, adding up to the totals.
        let days = try HTMLTable.rows(of: "days", in: text)
        XCTAssertEqual(days.dropLast().map { $0[0] }, dates.sorted().map { RosterReport.dated($0, .zh) })
        for row in days.dropLast() {
            let date = String(row[0].prefix(10))
            XCTAssertEqual(row[2], String(doc.assignments.filter { $0.date == date }.count), date)
        }
        XCTAssertEqual(days.last, ["合计", String(teamDays.count), String(doc.assignments.count)])
        // Every working day of the schedule has a section of its own, in date order.
        let order = dates.sorted().compactMap { text.range(of: "<div class=\"day\" id=\"day-\($0)\">")?.lowerBound }
        XCTAssertEqual(order.count, dates.count)
        XCTAssertEqual(order, order.sorted())
    }

    func testSelfContainedAndTheSameEveryTime() throws {
        let (doc, names) = try Self.solved.get()
        for lang in [Lang.zh, .en] {
            let text = try html(doc, names: names, lang)
            RT.assertSelfContainedA4(text)
            XCTAssertTrue(text.contains("<table class=\"sign\">"), "a signature block")
            XCTAssertEqual(try html(doc, names: names, lang), text, "the same bytes every time")
        }
        // The same document through the report's own write, in a folder, under its file name.
        let dir = RT.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = RosterReport(doc: doc, names: names, lang: .zh)
        try report.write(to: dir)
        let name = String(format: "现场检查方案-%04d-%02d.html", doc.year, doc.month)
        XCTAssertEqual(report.htmlName, name)
        XCTAssertEqual(try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8), try html(doc, names: names))
        XCTAssertTrue(OutputNames.isPlannerFile(name))
        XCTAssertEqual(RosterReport(doc: doc, names: names, lang: .en).htmlName, String(format: "roster-sheet-%04d-%02d.html", doc.year, doc.month))
    }

    func testEnglishVariantHasEnglishLabels() throws {
        let text = try html(Self.handMade(), names: Self.handMadeNames, .en)
        XCTAssertTrue(text.contains("<html lang=\"en\">"))
        XCTAssertTrue(text.contains("<h1>On-site inspection plan 2027-03</h1>"))
        let totals = try HTMLTable.rows(of: "totals", in: text)
        XCTAssertEqual(totals.first { $0[0] == "Visits" }?[1], "5")
        XCTAssertEqual(try HTMLTable.rows(of: "team-2027-03-02-1-members", in: text).map { $0[0] }, ["Leader", "Officers", "Experts"])
        XCTAssertTrue(text.contains("Conflicts of interest (回避)"))
        // Labels in English; Chinese only in the data (names, units, focus items) and 回避.
        let labels = text.components(separatedBy: "<th>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        XCTAssertFalse(labels.contains { RT.hasCJK($0) }, "\(labels)")
    }

    func testTextIsEscaped() throws {
        var doc = Self.handMade()
        doc.assignments[0].unitName = "<script>alert(\"x\")</script>&<b>有限公司</b>"
        doc.assignments[0].focus = ["<img src=x>"]
        let text = try html(doc, names: Self.handMadeNames)
        XCTAssertFalse(text.contains("<script>"))
        XCTAssertFalse(text.contains("<img"))
        XCTAssertTrue(text.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;b&gt;有限公司&lt;/b&gt;"))
        XCTAssertTrue(text.contains("<li>&lt;img src=x&gt;</li>"))
    }

    // MARK: - Reading the document back

    /// The text from `start` (included) to the first `end` after it (excluded).
    func section(_ text: String, from start: String, to end: String) throws -> String {
        let s = try XCTUnwrap(text.range(of: start), "no \(start)")
        let e = text.range(of: end, range: s.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        return String(text[s.lowerBound..<e])
    }

    /// The block of one day: from its `<div class="day">` to the next day's (or the section's end).
    func dayBlock(_ text: String, _ date: String) throws -> String {
        let s = try XCTUnwrap(text.range(of: "<div class=\"day\" id=\"day-\(date)\">"), "no day \(date)")
        let rest = text[s.upperBound...]
        let e = [rest.range(of: "<div class=\"day\"")?.lowerBound, rest.range(of: "</section>")?.lowerBound].compactMap { $0 }.min() ?? text.endIndex
        return String(text[s.lowerBound..<e])
    }

    /// The team block (within its day) holding the visit's card.
    func teamBlock(_ text: String, of a: RosterDocument.Assignment) throws -> String {
        let day = try dayBlock(text, a.date)
        let teams = day.components(separatedBy: "<div class=\"team\"").dropFirst()
        return try XCTUnwrap(teams.first { $0.contains("<table class=\"visit\" id=\"visit-\(a.visit)\">") }, "\(a.visit) under \(a.date)")
    }

    /// A line of a visit's card, by its class (unit, code, address, town, kind, campaign, experts, focus, draw), unescaped.
    func visitRow(_ text: String, _ visit: String, _ line: String) throws -> String {
        let card = try section(text, from: "<table class=\"visit\" id=\"visit-\(visit)\">", to: "</table>")
        let row = try section(card, from: "<tr class=\"\(line)\">", to: "</tr>")
        let cell = try section(row, from: "<td>", to: "</td>").dropFirst(4)
        return HTMLTable.unescape(String(cell))
    }

    func assertEveryVisitUnderItsDayAndTeam(_ doc: RosterDocument, names: [String: String], _ text: String,
                                            file: StaticString = #filePath, line: UInt = #line) throws {
        func person(_ id: String) -> String { names[id].map { "\($0)(\(id))" } ?? id }
        for a in doc.assignments {
            let team = try teamBlock(text, of: a)
            // The team's leader, officers and experts.
            let members = HTMLTable.allRows(in: try section(team, from: "<table id=", to: "</table>"))
            XCTAssertEqual(members.count, 3, a.visit, file: file, line: line)
            XCTAssertEqual(members[0][1], person(a.leader), "\(a.visit): leader", file: file, line: line)
            XCTAssertEqual(members[1][1], a.team.filter { $0 != a.leader }.map(person).joined(separator: "、"), "\(a.visit): officers", file: file, line: line)
            for x in a.experts { XCTAssertTrue(members[2][1].contains(person(x)), "\(a.visit): expert \(x) with the team", file: file, line: line) }
            // The visit's own card.
            XCTAssertEqual(try visitRow(text, a.visit, "unit"), a.unitName, file: file, line: line)
            XCTAssertEqual(try visitRow(text, a.visit, "code"), a.unit, file: file, line: line)
            if !a.address.isEmpty { XCTAssertEqual(try visitRow(text, a.visit, "address"), a.address, file: file, line: line) }
            if !a.town.isEmpty { XCTAssertEqual(try visitRow(text, a.visit, "town"), a.town, file: file, line: line) }
            XCTAssertEqual(try visitRow(text, a.visit, "kind"), PlanReport.kindLabel(a.kind, .zh), file: file, line: line)
            if let c = a.campaign { XCTAssertEqual(try visitRow(text, a.visit, "campaign"), c, file: file, line: line) }
            XCTAssertEqual(try visitRow(text, a.visit, "experts"), a.experts.isEmpty ? "无" : a.experts.map(person).joined(separator: "、"), file: file, line: line)
            let focus = try visitRow(text, a.visit, "focus")
            if a.focus.isEmpty { XCTAssertEqual(focus, "（无）", file: file, line: line) } else {
                XCTAssertEqual(focus, "<ol>" + a.focus.map { "<li>\($0)</li>" }.joined() + "</ol>", "\(a.visit): focus items", file: file, line: line)
            }
            XCTAssertTrue(team.contains("<p class=\"avoidance\">回避："), "\(a.visit): the 回避 statement", file: file, line: line)
        }
        // Every visit once.
        XCTAssertEqual(text.components(separatedBy: "<table class=\"visit\"").count - 1, doc.assignments.count, file: file, line: line)
    }
}

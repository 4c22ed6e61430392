import Foundation
import XCTest
@testable import Ledger
@testable import Planning
@testable import Policy

/// RosterVerifier catches a broken roster, rule by rule: a good February roster is broken in one
/// way at a time and exactly the rule concerned fails.
final class RosterVerifierTests: XCTestCase {
    struct Fixture {
        var ctx: PlanContext
        var plan: PlanDocument
        var experts: [StaffMember]
        var staff: [StaffMember]
        var roster: RosterDocument
    }

    /// February 2026: six key visits (K1 with ammonia refrigeration) in two towns, three random
    /// visits; two officers who may lead, four who may not; two experts.
    static func fixture() throws -> Fixture {
        let units = (1...6).map { RF.unit($0, town: $0 % 2 == 0 ? RF.townA : RF.townB, ammonia: $0 == 1) }
            + (11...13).map { RF.general($0) }
        let staff = [RF.officer("E001", leader: true), RF.officer("E002", leader: true), RF.officer("E003"),
                     RF.officer("E004"), RF.officer("E005"), RF.officer("E006")]
        let experts = [RF.expert("X001", [.general]), RF.expert("X002", [.ammonia])]
        let ctx = try RF.context(units, staff)
        let plan = try RF.plan(ctx, (1...6).map { (String(format: "V-%04d", $0), RF.code($0), 2, "key") }
                                    + (11...13).map { (String(format: "V-%04d", $0), RF.code($0), 2, "random") })
        let r = try RF.roster(plan, ctx, experts: experts, month: 2)
        return Fixture(ctx: ctx, plan: plan, experts: experts, staff: staff, roster: r)
    }

    /// Exactly `rule` fails, and its message names `mentions`.
    func assertOnly(_ rule: String, _ r: RosterDocument, _ f: Fixture, ctx: PlanContext? = nil, experts: [StaffMember]? = nil,
                    mentions: String, file: StaticString = #filePath, line: UInt = #line) {
        let failed = RF.failing(r, f.plan, ctx ?? f.ctx, experts ?? f.experts)
        XCTAssertEqual(Set(failed.keys), [rule], "\(failed)", file: file, line: line)
        XCTAssertTrue(failed[rule]?.contains(mentions) == true, "\(rule): \(failed[rule] ?? "passes")", file: file, line: line)
    }

    func keyWithExpert(_ f: Fixture) throws -> Int {
        try XCTUnwrap(f.roster.assignments.firstIndex { $0.kind == "key" && !$0.experts.isEmpty })
    }

    func testTheUntouchedRosterPasses() throws {
        let f = try Self.fixture()
        assertRoster(f.roster, plan: f.plan, ctx: f.ctx, experts: f.experts)
        XCTAssertEqual(f.roster.assignments.count, 9)
        XCTAssertEqual(f.roster.expertShortfalls, [])
        XCTAssertEqual(f.roster.draws.count, 6, "two draws (leader, then member) per random visit")
        XCTAssertEqual(f.roster.assignment("V-0001")?.experts, ["X002"])
    }

    // MARK: SITE-TEAM

    func testTeamOfOneFailsSiteTeam() throws {
        let f = try Self.fixture()
        var r = f.roster
        let i = try keyWithExpert(f)
        r.assignments[i].team = [r.assignments[i].leader]
        assertOnly("SITE-TEAM", r, f, mentions: r.assignments[i].visit)
    }

    func testAnUncertifiedMemberFailsSiteTeam() throws {
        let f = try Self.fixture()
        let i = try keyWithExpert(f)
        let member = f.roster.assignments[i].team[1]
        // The roll says the member holds no certificate after all.
        let staff = f.staff.map { m -> StaffMember in var m = m; if m.id == member { m.certified = false }; return m }
        // Only if the member was not drawn anywhere (a draw pool must be certified too).
        let drawn = f.roster.draws.contains { $0.pool.contains(member) }
        let failed = RF.failing(f.roster, f.plan, try RF.context(f.ctx, staff: staff), f.experts)
        XCTAssertEqual(Set(failed.keys), drawn ? ["SITE-TEAM", "FREQ-GENERAL-RANDOM"] : ["SITE-TEAM"], "\(failed)")
        XCTAssertTrue(failed["SITE-TEAM"]!.contains("持证"), failed["SITE-TEAM"]!)
    }

    func testALeaderWhoMayNotLeadFailsSiteTeam() throws {
        let f = try Self.fixture()
        var r = f.roster
        let leaders = Set(f.staff.filter { $0.leader }.map { $0.id })
        let i = try XCTUnwrap(r.assignments.firstIndex { $0.kind == "key" && $0.team.contains { !leaders.contains($0) } })
        let other = r.assignments[i].team.first { !leaders.contains($0) }!
        r.assignments[i].leader = other
        r.assignments[i].team = [other] + r.assignments[i].team.filter { $0 != other }
        assertOnly("SITE-TEAM", r, f, mentions: "组长\(other)")
    }

    func testALeaderOutsideTheTeamFailsSiteTeam() throws {
        let f = try Self.fixture()
        var r = f.roster
        let i = try XCTUnwrap(r.assignments.firstIndex { a in a.kind == "key" && !(a.team.contains("E001") && a.team.contains("E002")) })
        let outsider = ["E001", "E002"].first { !r.assignments[i].team.contains($0) }!
        r.assignments[i].leader = outsider
        assertOnly("SITE-TEAM", r, f, mentions: "组长\(outsider)")
    }

    // MARK: FREQ-KEY-COVER

    func testKeyVisitWithoutExpertAndNoShortfallFailsKeyCover() throws {
        let f = try Self.fixture()
        var r = f.roster
        let i = try keyWithExpert(f)
        r.assignments[i].experts = []
        assertOnly("FREQ-KEY-COVER", r, f, mentions: r.assignments[i].visit)
        // Stated as a shortfall, it passes.
        r.expertShortfalls.append(.init(visit: r.assignments[i].visit, reason: "测试"))
        XCTAssertEqual(RF.failing(r, f.plan, f.ctx, f.experts), [:])
    }

    func testAnExpertNotInTheLibraryFailsKeyCover() throws {
        let f = try Self.fixture()
        var r = f.roster
        let i = try keyWithExpert(f)
        r.assignments[i].experts = ["X999"]
        assertOnly("FREQ-KEY-COVER", r, f, mentions: "X999")
    }

    // MARK: AVOIDANCE

    func testAConflictedOfficerFailsAvoidance() throws {
        let f = try Self.fixture()
        let a = f.roster.assignments[try keyWithExpert(f)]
        let member = a.team[1]
        let staff = f.staff.map { m -> StaffMember in var m = m; if m.id == member { m.conflicts = [a.unit] }; return m }
        assertOnly("AVOIDANCE", f.roster, f, ctx: try RF.context(f.ctx, staff: staff), mentions: "\(member)须回避单位\(a.unit)")
    }

    func testAConflictedExpertFailsAvoidance() throws {
        let f = try Self.fixture()
        let a = f.roster.assignments[try keyWithExpert(f)]
        let x = a.experts[0]
        let experts = f.experts.map { m -> StaffMember in var m = m; if m.id == x { m.conflicts = [a.unit] }; return m }
        assertOnly("AVOIDANCE", f.roster, f, experts: experts, mentions: "\(x)须回避单位\(a.unit)")
    }

    // MARK: AVAILABILITY

    func testAVisitOnAHolidayAWeekendOrAnotherMonthFailsAvailability() throws {
        let f = try Self.fixture()
        let i = try keyWithExpert(f)
        for date in ["2026-02-16", "2026-02-23", "2026-02-07", "2026-03-02", "2026-02-30"] {
            var r = f.roster
            r.assignments[i].date = date
            assertOnly("AVAILABILITY", r, f, mentions: "\(r.assignments[i].visit)：\(date)不是2月的工作日")
        }
        // The makeup Saturdays are workdays: moving there is no failure (nobody else works that day).
        var r = f.roster
        for d in ["2026-02-14", "2026-02-28"] where !r.assignments.contains(where: { $0.date == d }) {
            r.assignments[i].date = d
            XCTAssertEqual(RF.failing(r, f.plan, f.ctx, f.experts), [:], d)
        }
    }

    /// A roster relabelled to another year (fuzzing found it trapped): its dates are not looked up
    /// in the scenario's calendar; the year and every visit's date are findings.
    func testARosterOfAnotherYearIsAFindingNotATrap() throws {
        let f = try Self.fixture()
        var r = f.roster
        r.year = 2025
        for i in r.assignments.indices { r.assignments[i].date = "2025" + r.assignments[i].date.dropFirst(4) }
        let failed = RF.failing(r, f.plan, f.ctx, f.experts)
        XCTAssertNotNil(failed["AVAILABILITY"], "\(failed)")
        XCTAssertTrue(failed["AVAILABILITY"]?.contains("不是2月的工作日") == true, "\(failed)")
        XCTAssertTrue(failed.values.contains { $0.contains("year = 2025") }, "\(failed)")
    }

    func testSomeoneOnAnUnavailableDayFailsAvailability() throws {
        let f = try Self.fixture()
        // An officer on a key visit who is in no draw's pool that day (a pool must be available too).
        var found: (RosterDocument.Assignment, String)?
        for a in f.roster.assignments where a.kind == "key" {
            for o in a.team where !f.roster.draws.contains(where: { $0.date == a.date && $0.pool.contains(o) }) {
                found = found ?? (a, o)
            }
        }
        let (a, o) = try XCTUnwrap(found)
        let staff = f.staff.map { m -> StaffMember in var m = m; if m.id == o { m.unavailable = [RF.span(a.date)] }; return m }
        assertOnly("AVAILABILITY", f.roster, f, ctx: try RF.context(f.ctx, staff: staff), mentions: "\(o)在\(a.date)不可用")
        // An expert away that day.
        let e = try XCTUnwrap(f.roster.assignments.first { !$0.experts.isEmpty })
        let experts = f.experts.map { m -> StaffMember in var m = m; if m.id == e.experts[0] { m.unavailable = [RF.span(e.date)] }; return m }
        assertOnly("AVAILABILITY", f.roster, f, experts: experts, mentions: "\(e.experts[0])在\(e.date)不可用")
    }

    // MARK: LOAD

    func testThreeVisitsOfHalfADayOnOneDayFailLoad() throws {
        let f = try Self.fixture()
        var r = f.roster
        let keys = r.assignments.indices.filter { r.assignments[$0].kind == "key" }
        XCTAssertGreaterThanOrEqual(keys.count, 3)
        let first = r.assignments[keys[0]]
        for i in keys.prefix(3) {
            r.assignments[i].date = first.date
            r.assignments[i].team = first.team
            r.assignments[i].leader = first.leader
        }
        assertOnly("LOAD", r, f, mentions: "\(first.leader)@\(first.date)工作量超过1天")
    }

    // MARK: PLAN-DECOMPOSE

    func testADroppedVisitFailsPlanDecompose() throws {
        let f = try Self.fixture()
        var r = f.roster
        let i = try keyWithExpert(f)
        let v = r.assignments.remove(at: i).visit
        assertOnly("PLAN-DECOMPOSE", r, f, mentions: v)
    }

    func testADuplicatedVisitFailsPlanDecompose() throws {
        let f = try Self.fixture()
        var r = f.roster
        r.unassigned.append(.init(visit: r.assignments[0].visit, reason: "重复"))
        assertOnly("PLAN-DECOMPOSE", r, f, mentions: "重复安排")
        // An assignment listed twice (the copy on a quiet day so no one's load changes).
        var r2 = f.roster
        let quiet = try XCTUnwrap(f.ctx.calendar.workdayDates(inMonth: 2).map { $0.description }
            .first { d in !r2.assignments.contains { $0.date == d } })
        var copy = try XCTUnwrap(r2.assignments.first { $0.kind == "key" })
        copy.date = quiet
        r2.assignments.append(copy)
        assertOnly("PLAN-DECOMPOSE", r2, f, mentions: "重复安排")
    }

    func testAVisitNotInTheMonthsPlanFailsPlanDecompose() throws {
        let f = try Self.fixture()
        var r = f.roster
        r.unassigned.append(.init(visit: "V-9999", reason: "不在计划中"))
        assertOnly("PLAN-DECOMPOSE", r, f, mentions: "不在年度计划2月中")
        var r2 = f.roster
        let i = try keyWithExpert(f)
        r2.assignments[i].unit = RF.code(13)   // another unit than the plan's
        assertOnly("PLAN-DECOMPOSE", r2, f, mentions: "单位或检查类型与年度计划不符")
    }

    // MARK: FREQ-GENERAL-RANDOM

    /// The member draw (the one an assignment names) of the first random visit.
    func memberDraw(_ f: Fixture) throws -> Int {
        try XCTUnwrap(f.roster.draws.firstIndex { d in f.roster.assignments.contains { $0.draw == d.id } })
    }

    func testATamperedDrawFailsGeneralRandom() throws {
        let f = try Self.fixture()
        let di = try memberDraw(f)
        let d = f.roster.draws[di]
        XCTAssertEqual(d.k, 1)
        // Another pool member recorded as drawn than the ranking's first.
        var r = f.roster
        r.draws[di].drawn = [d.pool.first { !d.drawn.contains($0) }!]
        assertOnly("FREQ-GENERAL-RANDOM", r, f, mentions: "\(d.id)：重新抽取结果与记录不符")
        // Another seed.
        r = f.roster
        r.draws[di].seed = d.seed + 1
        assertOnly("FREQ-GENERAL-RANDOM", r, f, mentions: d.id)
        // A pool member dropped without the pool's hash being updated.
        r = f.roster
        r.draws[di].pool = d.pool.filter { $0 != d.drawn.last }
        assertOnly("FREQ-GENERAL-RANDOM", r, f, mentions: d.id)
        // The pool's hash itself altered.
        r = f.roster
        r.draws[di].poolSha256 = String(d.poolSha256.reversed())
        assertOnly("FREQ-GENERAL-RANDOM", r, f, mentions: "\(d.id)：抽取池哈希不符")
        // A random visit without its draw.
        r = f.roster
        let i = try XCTUnwrap(r.assignments.firstIndex { $0.draw == d.id })
        r.assignments[i].draw = nil
        assertOnly("FREQ-GENERAL-RANDOM", r, f, mentions: "\(r.assignments[i].visit)：随机检查无人员抽取记录")
        // The leader's draw missing.
        r = f.roster
        r.draws.removeAll { $0.id == d.id + "-L" }
        assertOnly("FREQ-GENERAL-RANDOM", r, f, mentions: "无组长抽取记录\(d.id)-L")
        // A team other than the drawn officers (one of them swapped for an undrawn leader-less officer
        // on a day they are free).
        r = f.roster
        let undrawn = try XCTUnwrap(d.pool.first { p in !d.drawn.contains(p) && !f.staff.first { s in s.id == p }!.leader
            && !f.roster.assignments.contains { a in a.date == d.date && a.team.contains(p) } })
        let swapped = r.assignments[i].team.last!
        r.assignments[i].team = r.assignments[i].team.dropLast() + [undrawn]
        XCTAssertNotEqual(swapped, r.assignments[i].leader)
        assertOnly("FREQ-GENERAL-RANDOM", r, f, mentions: "\(r.assignments[i].visit)：检查组与抽取结果不符")
    }

    /// DATA.md §6: a drawn team is never larger than the team size (k = 2). A member draw made
    /// honestly with k = 2 from the right pool (its ranking replays), and a team of three to
    /// match, is still rejected.
    func testAThreePersonRandomTeamFailsGeneralRandom() throws {
        let f = try Self.fixture()
        let di = try memberDraw(f)
        var r = f.roster
        let d = r.draws[di]
        let ranking = try RandomDraw.rank(seed: d.seed, id: d.id, pool: d.pool.map { DrawMember(id: $0) })
        r.draws[di].k = 2
        r.draws[di].drawn = Array(ranking.prefix(2))
        let i = try XCTUnwrap(r.assignments.firstIndex { $0.draw == d.id })
        r.assignments[i].team = [r.assignments[i].leader] + ranking.prefix(2)
        XCTAssertEqual(r.assignments[i].team.count, 3)
        let failed = RF.failing(r, f.plan, f.ctx, f.experts)
        XCTAssertTrue(failed["FREQ-GENERAL-RANDOM"]?.contains("\(r.assignments[i].visit)：随机检查组3人，应为2人") == true
                      || failed["FREQ-GENERAL-RANDOM"]?.contains("\(d.id)：组员抽取应抽取1人") == true, "\(failed)")
        XCTAssertTrue(Set(failed.keys).isSubset(of: ["FREQ-GENERAL-RANDOM", "LOAD"]), "\(failed)")
    }

    /// The leader must be the `-L` draw's result: a team whose leader is another officer who may
    /// lead (the second draw re-run honestly from the pool without that officer) is rejected.
    func testALeaderNotFromTheLeaderDrawFailsGeneralRandom() throws {
        let f = try Self.fixture()
        let di = try memberDraw(f)
        var r = f.roster
        let d = r.draws[di]
        let l = try XCTUnwrap(r.rosterDraw(d.id + "-L"))
        XCTAssertEqual(l.k, 1)
        XCTAssertEqual(l.pool.count, 2, "E001 and E002 may lead")
        let other = try XCTUnwrap(l.pool.first { $0 != l.drawn[0] })
        let i = try XCTUnwrap(r.assignments.firstIndex { $0.draw == d.id })
        // The other leader takes the lead; the drawn leader becomes the member.
        r.assignments[i].leader = other
        r.assignments[i].team = [other, l.drawn[0]]
        let failed = RF.failing(r, f.plan, f.ctx, f.experts)
        XCTAssertTrue(failed["FREQ-GENERAL-RANDOM"]?.contains("\(r.assignments[i].visit)：组长\(other)不是组长抽取\(l.id)的结果") == true, "\(failed)")
    }

    func testADrawFromAPoolWithSomeoneAwayFailsGeneralRandom() throws {
        let f = try Self.fixture()
        let d = f.roster.draws[try memberDraw(f)]
        // An officer in the pool who was not drawn and works nowhere that day is said to be away.
        let o = try XCTUnwrap(d.pool.first { p in !d.drawn.contains(p) && !f.roster.assignments.contains { $0.date == d.date && $0.team.contains(p) } })
        let staff = f.staff.map { m -> StaffMember in var m = m; if m.id == o { m.unavailable = [RF.span(d.date)] }; return m }
        assertOnly("FREQ-GENERAL-RANDOM", f.roster, f, ctx: try RF.context(f.ctx, staff: staff), mentions: "\(o)无执法证或当日不可用")
    }

    // Regression (fixed): the verifier once checked a draw's pool only one way — every member
    // certified and available — never that every eligible officer is in it (DATA.md §6: the pool
    // is the officers certified, available that day, free of conflicts with the unit, with room
    // left), so the 双随机 draw could be steered by choosing the pool. Now each day's draws are
    // replayed in visit-id order: here the member ranked first is left out of the member draw's
    // pool, re-hashed and re-drawn honestly, and FREQ-GENERAL-RANDOM fails naming it.
    func testAPoolLeavingOutAnEligibleOfficerFailsGeneralRandom() throws {
        let f = try Self.fixture()
        var r = f.roster
        let di = try memberDraw(f)
        let d = r.draws[di]
        let i = try XCTUnwrap(r.assignments.firstIndex { $0.draw == d.id })
        let pool = d.pool.filter { $0 != d.drawn[0] }
        let ranking = try RandomDraw.rank(seed: d.seed, id: d.id, pool: pool.map { DrawMember(id: $0) })
        r.draws[di].pool = pool
        r.draws[di].poolSha256 = RandomDraw.poolSHA256(pool)
        r.draws[di].drawn = [ranking[0]]
        r.assignments[i].team = [r.assignments[i].leader, ranking[0]]
        let failed = RF.failing(r, f.plan, f.ctx, f.experts)
        XCTAssertTrue(failed["FREQ-GENERAL-RANDOM"]?.contains(d.drawn[0]) == true, "\(failed)")
        XCTAssertTrue(Set(failed.keys).isSubset(of: ["FREQ-GENERAL-RANDOM", "LOAD"]), "\(failed)")
    }
}

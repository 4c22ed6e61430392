import Foundation
import GLPK
import XCTest
@testable import Planning

/// The day's teams problem is built through GLPK's API, not translated (issue 11). It must be the
/// very problem GLPK's MathProg translator makes of models/roster-teams.mod and the same data:
/// same rows and columns, names, bounds, kinds, objective, and each row's and column's elements
/// in the same order (so the simplex and the cut generators take the same path).
final class RosterTeamsModelTests: XCTestCase {
    /// The translation of roster-teams.mod with `m.data`, and the API build, as structure texts.
    func structures(_ m: RosterTeamsModel) throws -> (translated: String, built: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-teams-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dat = dir.appendingPathComponent("day.dat").path
        try m.data.text.write(toFile: dat, atomically: true, encoding: .utf8)
        let translated = try MathProgModel(modelFile: try ModelLibrary.path("roster-teams.mod"), dataFiles: [dat])
        let (built, _) = try m.build()
        return (try translated.problem.structureText(), try built.structureText())
    }

    func assertSame(_ m: RosterTeamsModel, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (translated, built) = try structures(m)
        if let dump = ProcessInfo.processInfo.environment["ROSTER_TEAMS_DUMP"] {
            try translated.write(toFile: dump + "-translated.txt", atomically: true, encoding: .utf8)
            try built.write(toFile: dump + "-built.txt", atomically: true, encoding: .utf8)
        }
        if translated != built {
            let a = translated.split(separator: "\n"), b = built.split(separator: "\n")
            let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            XCTFail("\(label): first difference at line \(i + 1):\n translated: \(i < a.count ? String(a[i]) : "-")\n built:      \(i < b.count ? String(b[i]) : "-")",
                    file: file, line: line)
        }
    }

    /// A hand-made day with every edge: an officer in no pair, an expert in no pair, officers who
    /// may not lead, a zero fairness, a lastled pair, experts matching (mismatch 0) after one who
    /// does not, a trip without key visits, efforts that six decimals round.
    func testTheBuiltDayEqualsTheTranslationOfTheModelFile() throws {
        var m = RosterTeamsModel()
        m.eff = [0.4666666666666667, 1, 0.25, 0.3333333333333333]
        m.needexp = [true, false, true, true]
        m.room = [1, 0.5333333333333333, 1, 0.75, 1]
        m.leader = [true, false, true, false, true]
        m.fair = [0, 1.234, 0.5, 2, 0.001]
        m.xroom = [1, 1, 0.5]
        m.pairs = [(0, 0, false), (0, 1, false), (0, 2, true), (1, 0, false), (1, 2, false), (1, 3, false),
                   (2, 0, true), (2, 3, false), (3, 1, false), (3, 2, false)]
        m.xpairs = [(0, 0, 0.5), (0, 1, 0), (2, 0, 0), (2, 1, 0.3333333333333333), (3, 1, 1)]
        try assertSame(m, "hand-made day")
    }

    /// Seeded random days, large and small: every edge the planner's days have (conflicts,
    /// officers who may not lead, lastled pairs, short trips, experts by specialty).
    static func randomDays(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15, large: Int = 30,
                           sizes: (small: (Int, Int, Int), large: (Int, Int, Int)) = ((6, 8, 4), (40, 60, 12))) -> [RosterTeamsModel] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let efforts = [0.25, 0.4, 0.4666666666666667, 0.5, 0.75, 1]
        return (0..<count).map { day in
            var m = RosterTeamsModel()
            let size = day < large ? sizes.small : sizes.large
            let trips = 1 + next(size.0), officers = next(size.1), experts = next(size.2)
            m.eff = (0..<trips).map { _ in efforts[next(efforts.count)] }
            m.needexp = (0..<trips).map { _ in next(3) > 0 }
            m.room = (0..<officers).map { _ in [1, 0.5333333333333333, 0.6, 0.25][next(4)] }
            m.leader = (0..<officers).map { _ in next(3) == 0 }
            m.fair = (0..<officers).map { _ in Double(next(3000)) / 1000 }
            m.xroom = (0..<experts).map { _ in [1, 0.5][next(2)] }
            for t in 0..<trips {
                for o in 0..<officers where next(4) > 0 && m.room[o] + 1e-9 >= m.eff[t] { m.pairs.append((t, o, m.leader[o] && next(5) == 0)) }
                if m.needexp[t] {
                    for x in 0..<experts where next(3) > 0 && m.xroom[x] + 1e-9 >= m.eff[t] {
                        m.xpairs.append((t, x, [0, 0.5, 1, 0.3333333333333333, 0.6666666666666666][next(5)]))
                    }
                }
            }
            return m
        }
    }

    /// Many seeded random days, large and small, against the translator.
    func testRandomDaysEqualTheirTranslation() throws {
        for (day, m) in Self.randomDays(40).enumerated() {
            try assertSame(m, "random day \(day) (\(m.eff.count) trips, \(m.room.count) officers, \(m.xroom.count) experts)")
        }
    }

    /// Whether an answer is a roster of the day: every trip staffed has two officers of its
    /// pairs, one of whom leads; nobody over their room; experts only on their pairs and room.
    func assertFeasible(_ m: RosterTeamsModel, _ answer: RosterTeamsModel.Answer, _ label: String) {
        var load = [Double](repeating: 0, count: m.room.count), xload = [Double](repeating: 0, count: m.xroom.count)
        var members = [Int](repeating: 0, count: m.eff.count), leaders = [Int](repeating: 0, count: m.eff.count)
        for (p, q) in m.pairs.enumerated() {
            if answer.a[p] { members[q.t] += 1; load[q.o] += m.eff[q.t] }
            if answer.l[p] {
                leaders[q.t] += 1
                XCTAssertTrue(answer.a[p] && m.leader[q.o], "\(label): pair \(p) leads without being on the team or allowed to lead")
            }
        }
        for (k, q) in m.xpairs.enumerated() where answer.e[k] { xload[q.x] += m.eff[q.t] }
        for t in m.eff.indices {
            XCTAssertTrue((members[t], leaders[t]) == (2, 1) || (members[t], leaders[t]) == (0, 0),
                          "\(label): trip \(t) has \(members[t]) officers, \(leaders[t]) leaders")
        }
        for o in m.room.indices { XCTAssertLessThanOrEqual(load[o], m.room[o] + 1e-6, "\(label): officer \(o)") }
        for x in m.xroom.indices { XCTAssertLessThanOrEqual(xload[x], m.xroom[x] + 1e-6, "\(label): expert \(x)") }
    }

    /// A day as large districts have them: mostly whole-day trips and officers with a whole day,
    /// fairness in a few steps, a few conflicts (回避) and last leaders, experts by specialty.
    static func districtDay(trips: Int, officers: Int, experts: Int, seed: UInt64) -> RosterTeamsModel {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var m = RosterTeamsModel()
        m.eff = (0..<trips).map { _ in next(5) > 0 ? 1 : [0.5, 0.4666666666666667, 0.25][next(3)] }
        m.needexp = (0..<trips).map { _ in next(4) > 0 }
        m.room = (0..<officers).map { _ in next(7) > 0 ? 1 : 0.5 }
        m.leader = (0..<officers).map { _ in next(3) == 0 }
        m.fair = (0..<officers).map { _ in next(4) == 0 ? 0 : Double(next(2000)) / 1000 }
        m.xroom = (0..<experts).map { _ in 1 }
        for t in 0..<trips {
            for o in 0..<officers where next(20) > 0 && m.room[o] + 1e-9 >= m.eff[t] { m.pairs.append((t, o, m.leader[o] && next(50) == 0)) }
            if m.needexp[t] {
                for x in 0..<experts where next(20) > 0 { m.xpairs.append((t, x, [0, 0, 0, 0.5, 0.3333333333333333, 1][next(6)])) }
            }
        }
        return m
    }

    /// Column generation (RosterTeamsModel+Sifting) must find the whole day's optimum: the same
    /// objective as a solve of the whole day, with a real roster, on small random days and on
    /// days the size of a district's.
    func testColumnGenerationFindsTheWholeDaysOptimum() throws {
        let runner = try ModelRunner(timeLimit: 20, mipGap: 1e-4)
        var onPart = 0
        let large = (0..<4).map { Self.districtDay(trips: 15 + 5 * $0, officers: 80 + 10 * $0, experts: 25, seed: 0x5EED_2026 + UInt64($0)) }
        let days = Array(Self.randomDays(20)) + large
        for (day, m) in days.enumerated() {
            let label = "day \(day) (\(m.eff.count) trips, \(m.room.count) officers, \(m.xroom.count) experts, \(m.pairs.count) pairs)"
            let whole = try m.solve(runner: runner, stageName: "whole", siftAbovePairs: .max)
            let parts = try m.solve(runner: runner, stageName: "parts", siftAbovePairs: 0)
            XCTAssertEqual(whole.rounds, 0, label)
            if !m.pairs.isEmpty { XCTAssertGreaterThan(parts.rounds, 0, label) }
            for answer in [whole, parts] {
                XCTAssertTrue(["optimal", "within_gap"].contains(answer.stage.status), "\(label): \(answer.stage.status)")
            }
            XCTAssertEqual(parts.stage.objective, whole.stage.objective, accuracy: 2e-4 * abs(whole.stage.objective) + 1e-6, label)
            assertFeasible(m, whole, label + " whole")
            assertFeasible(m, parts, label + " by column generation")
            if parts.pairsSolved < m.pairs.count { onPart += 1 }
        }
        XCTAssertGreaterThanOrEqual(onPart, large.count, "the district-sized days were solved on part of their pairs")
    }
}

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

    /// Many seeded random days, large and small, against the translator.
    func testRandomDaysEqualTheirTranslation() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let efforts = [0.25, 0.4, 0.4666666666666667, 0.5, 0.75, 1]
        for day in 0..<40 {
            var m = RosterTeamsModel()
            let trips = 1 + next(day < 30 ? 6 : 40), officers = next(day < 30 ? 8 : 60), experts = next(day < 30 ? 4 : 12)
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
            try assertSame(m, "random day \(day) (\(trips) trips, \(officers) officers, \(experts) experts)")
        }
    }
}

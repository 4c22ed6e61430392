import Foundation
import Policy

/// `roster-YYYY-MM.json` (DATA.md §6): one month's on-site inspection roster (现场检查方案).
/// Every key DATA.md names is here; more are added (unit details, days, solver).
public struct RosterDocument: Codable, Sendable {
    public var schema = "enforcement-roster/1"
    public var year: Int
    public var month: Int
    public var authority: PlanDocument.AuthorityInfo
    public var seed: UInt64
    public var assignments: [Assignment]
    public var unassigned: [Unassigned]
    public var expertShortfalls: [Unassigned]
    public var draws: [Draw]
    public var days: [Day]
    public var solver: PlanDocument.Solver

    public struct Assignment: Codable, Sendable, Equatable {
        public var visit: String
        public var unit: String
        public var date: String
        public var kind: String
        /// Certified officers only, at least two; the leader first.
        public var team: [String]
        public var leader: String
        public var experts: [String]
        public var focus: [String]
        public var draw: String?
        public var campaign: String?
        public var unitName: String
        public var town: String
        public var address: String
        /// Visits sharing a trip go together (same team, same town, same day).
        public var trip: String

        enum CodingKeys: String, CodingKey { case visit, unit, date, kind, team, leader, experts, focus, draw, campaign, unitName, town, address, trip }
        public func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: CodingKeys.self)
            try c.encode(visit, forKey: .visit); try c.encode(unit, forKey: .unit); try c.encode(date, forKey: .date)
            try c.encode(kind, forKey: .kind); try c.encode(team, forKey: .team); try c.encode(leader, forKey: .leader)
            try c.encode(experts, forKey: .experts); try c.encode(focus, forKey: .focus); try c.encode(draw, forKey: .draw)
            try c.encode(campaign, forKey: .campaign); try c.encode(unitName, forKey: .unitName); try c.encode(town, forKey: .town)
            try c.encode(address, forKey: .address); try c.encode(trip, forKey: .trip)
        }
    }

    public struct Unassigned: Codable, Sendable, Equatable {
        public var visit: String
        public var reason: String
    }

    public struct Draw: Codable, Sendable, Equatable {
        public var id: String
        public var seed: UInt64
        public var method: String
        public var date: String
        public var pool: [String]
        public var poolSha256: String
        public var k: Int
        public var drawn: [String]
    }

    public struct Day: Codable, Sendable, Equatable {
        public var date: String
        public var officersAvailable: Int
        public var expertsAvailable: Int
        public var teamDays: Double
        public var visits: Int
    }

    /// The roster's bytes: those of `PlanDocument.encoder` and a newline, written by
    /// `JSONStream` (PlanJSON.swift).
    public func json() throws -> Data {
        var j = JSONStream(capacity: 4096 + 600 * assignments.count)
        do { try write(to: &j) } catch is JSONStream.NonFinite { return try encoderJSON() }
        j.out.append(0x0A)
        return Data(j.out)
    }

    /// The roster as JSONEncoder writes it (what `json()` must equal, byte for byte).
    func encoderJSON() throws -> Data {
        var d = try PlanDocument.encoder.encode(self)
        d.append(0x0A)
        return d
    }

    public static func load(path: String) throws -> RosterDocument {
        try loadJSON(RosterDocument.self, path: path, what: rosterWhat)
    }

    /// Decodes a roster JSON never trapping (as `PlanDocument.decode`); out-of-range numbers are
    /// for `RosterVerifier` to judge.
    public static func decode(data: Data, source: String = "roster.json") throws -> RosterDocument {
        try decodeJSON(RosterDocument.self, data: data, source: source, what: rosterWhat)
    }

    static let rosterWhat = (zh: "enforcement-roster/1 格式的检查方案", en: "an enforcement-roster/1 file")

    public static func fileName(year: Int, month: Int) -> String { String(format: "roster-%04d-%02d.json", year, month) }
}

extension RosterDocument.Assignment {
    /// `kind` as a type (Policy's `VisitKind`); nil for a kind the roster format does not define.
    public var visitKind: VisitKind? { VisitKind(rawValue: kind) }
}

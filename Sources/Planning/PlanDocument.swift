import Foundation
import Ledger
import Policy

/// `plan.json` (DATA.md §4): the machine-readable plan. Every key DATA.md names is here;
/// more are added (months, checks, shortfalls, solver stages). Encoded with snake-case keys.
public struct PlanDocument: Codable, Sendable {
    public var schema = "enforcement-plan/1"
    public var year: Int
    public var authority: AuthorityInfo
    public var seed: UInt64
    public var workdays: Workdays
    public var metrics: Metrics
    public var units: [Unit]
    public var visits: [Visit]
    public var draws: [Draw]
    public var months: [Month]
    public var policy: PolicyInfo
    public var checks: [RuleCheck]
    public var solver: Solver
    /// Units of the authority's area that might be key were a blank field filled in
    /// (RULES.md §2; the plan treats them as the ledger says). Absent in older plans.
    public var ledgerWarnings: [LedgerWarning]? = nil
    /// The ledger database and the last change the plan saw (DATA.md §8); absent for a file.
    public var ledger: LedgerProvenance? = nil
    /// A re-plan names the plan it re-plans (DATA.md §4): its file's SHA-256, the first
    /// re-planned month and the months kept. Its kept (`pinned`) draws are that plan's, checked
    /// against it by `planner verify --previous`. Absent in plans that are not re-plans.
    public var previousPlan: PreviousPlan? = nil

    public struct PreviousPlan: Codable, Sendable, Equatable {
        /// SHA-256 of the previous plan.json's bytes (lowercase hex); absent when not known.
        public var sha256: String?
        public var fromMonth: Int
        public var keptMonths: [Int]
        public init(sha256: String?, fromMonth: Int, keptMonths: [Int]) {
            self.sha256 = sha256; self.fromMonth = fromMonth; self.keptMonths = keptMonths
        }
    }

    public struct LedgerWarning: Codable, Sendable, Equatable {
        public var unit: String
        public var row: Int?
        public var column: String
        public var rule: String
        public var message: String
    }

    public struct AuthorityInfo: Codable, Sendable, Equatable {
        public var name: String
        public var level: String
        public var district: String?
        public var town: String?
        public var zone: String?
    }

    public struct Item: Codable, Sendable, Equatable {
        public var name: String
        public var days: Double
    }

    public struct Workdays: Codable, Sendable {
        public var calendar: Int
        public var staff: Int
        public var gross: Double
        public var otherEnforcement: Double
        public var nonEnforcement: Double
        public var inspection: Double
        public var otherEnforcementItems: [Item]
        public var nonEnforcementItems: [Item]
        public var calendarProvisional: Bool
        public var calendarSource: String
        /// Inspection person-days borrowed from or lent to other authorities by the city's
        /// dispatch orders (TIER-DISPATCH, DATA.md §7): counted in `inspection`. Absent when none.
        public var borrowed: Double? = nil
        public var lent: Double? = nil
    }

    public struct Metrics: Codable, Sendable, Equatable {
        public var visits: Int
        public var keyVisits: Int
        public var specialVisits: Int
        public var keyShare: Double
        public var visitsPerWorkday: Double
        public var keyUnits: Int
        public var keyUnitsCovered: Int
        public var generalUnits: Int
        public var generalUnitsDrawn: Int
        public var randomVisits: Int
        public var jointVisits: Int
        public var effortTeamDays: Double
        public var capacityTeamDays: Double
    }

    public struct Unit: Codable, Sendable {
        public var id: String
        public var name: String
        public var `class`: String
        public var rules: [String]
        public var exemption: String?
        public var tier: String
        public var authority: String
        public var requiredVisits: Int
        public var drawWeight: Double
        public var category: String
        public var activity: String?
        public var town: String
        public var riskLevel: String
        public var ownUnit: Bool
        /// No longer in the ledger (re-planning keeps it for the visits it already had).
        public var closed: Bool? = nil

        enum CodingKeys: String, CodingKey {
            case id, name, `class`, rules, exemption, tier, authority, requiredVisits, drawWeight, category, activity, town, riskLevel, ownUnit, closed
        }
        public func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(`class`, forKey: .class)
            try c.encode(rules, forKey: .rules); try c.encode(exemption, forKey: .exemption)
            try c.encode(tier, forKey: .tier); try c.encode(authority, forKey: .authority)
            try c.encode(requiredVisits, forKey: .requiredVisits); try c.encode(drawWeight, forKey: .drawWeight)
            try c.encode(category, forKey: .category); try c.encode(activity, forKey: .activity)
            try c.encode(town, forKey: .town); try c.encode(riskLevel, forKey: .riskLevel); try c.encode(ownUnit, forKey: .ownUnit)
            try c.encodeIfPresent(closed, forKey: .closed)
        }
    }

    public struct Visit: Codable, Sendable, Equatable {
        public var id: String
        public var unit: String
        public var month: Int
        public var kind: String
        public var campaign: String?
        public var draw: String?

        enum CodingKeys: String, CodingKey { case id, unit, month, kind, campaign, draw }
        public func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(unit, forKey: .unit); try c.encode(month, forKey: .month)
            try c.encode(kind, forKey: .kind); try c.encode(campaign, forKey: .campaign); try c.encode(draw, forKey: .draw)
        }
    }

    public struct Draw: Codable, Sendable, Equatable {
        public var id: String
        public var month: Int
        public var seed: UInt64
        public var method: String
        /// Which units the pool holds: `general` (general units of the authority not yet
        /// drawn this year) or `industrial` (those of them that are industrial, FREQ-JOINT).
        public var pool: String
        public var poolSize: Int
        public var poolSha256: String
        public var k: Int
        public var drawn: [String]
        /// Kept from the plan this one re-plans: its pool was that plan's ledger.
        public var pinned: Bool? = nil
    }

    public struct Month: Codable, Sendable, Equatable {
        public var month: Int
        public var workdays: Int
        public var capacityTeamDays: Double
        public var visits: Int
        public var key: Int
        public var random: Int
        public var special: Int
        public var joint: Int
        public var effortTeamDays: Double
    }

    public struct CampaignInfo: Codable, Sendable, Equatable {
        public var name: String
        public var months: [Int]
        public var visits: Int
        public var eligible: Int
        public var match: [String: [String]]
    }

    public struct PolicyInfo: Codable, Sendable {
        public var keyShareMin: Double
        public var visitsPerWorkdayMin: Double
        public var generalSampleRate: Double
        public var maxVisitsPerUnit: Int
        public var increasedVisits: Int
        public var reserveShare: Double
        public var monthlyTolerance: Double
        public var effortKey: Double
        public var effortGeneral: Double
        public var effortSpecial: Double
        public var campaigns: [CampaignInfo]
        public var jointVisits: Int
        public var jointMonths: [Int]

        /// The efforts as the scenario's `Effort`.
        public var effort: Effort {
            var e = Effort(); e.key = effortKey; e.general = effortGeneral; e.special = effortSpecial
            return e
        }
    }

    public struct RuleCheck: Codable, Sendable, Equatable {
        public var rule: String
        public var figure: Double
        public var threshold: Double
        public var pass: Bool
        /// Size of the shortfall in `unit` (visits, units…), 0 when the rule passes.
        public var shortfall: Double
        public var unit: String
        public var message: String
        /// What would make the rule pass, when it does not.
        public var fix: String?
        /// The verifier's finding behind `message` and `fix` (not in the file: a check read from
        /// plan.json has none); `rendered(_:)` words it in another language.
        public var finding: Finding? = nil

        public init(rule: String, figure: Double, threshold: Double, pass: Bool, shortfall: Double, unit: String,
                    message: String, fix: String?) {
            self.rule = rule; self.figure = figure; self.threshold = threshold; self.pass = pass
            self.shortfall = shortfall; self.unit = unit; self.message = message; self.fix = fix
        }

        enum CodingKeys: String, CodingKey { case rule, figure, threshold, pass, shortfall, unit, message, fix }

        /// Equal when the file would hold the same line (the finding is not compared).
        public static func == (a: RuleCheck, b: RuleCheck) -> Bool {
            a.rule == b.rule && a.figure == b.figure && a.threshold == b.threshold && a.pass == b.pass
                && a.shortfall == b.shortfall && a.unit == b.unit && a.message == b.message && a.fix == b.fix
        }
    }

    public struct Stage: Codable, Sendable, Equatable {
        public var name: String
        public var status: String
        public var objective: Double
        public var mipGap: Double
        public var seconds: Double
        public var rows: Int
        public var columns: Int
    }

    public struct Solver: Codable, Sendable {
        public var status: String
        public var objective: Double
        public var mipGap: Double
        /// Time spent in GLPK (all stages).
        public var seconds: Double
        /// What the optimality proof covers: the class-level integer programs; unit placement
        /// inside classes follows a documented priority.
        public var level: String
        public var stages: [Stage]
    }

    public var compliant: Bool { checks.allSatisfy { $0.pass } }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// plan.json's bytes: those of `encoder` (snake-case keys, sorted, pretty-printed) and a
    /// newline, written by `JSONStream` (PlanJSON.swift) without building JSONEncoder's tree.
    public func json() throws -> Data {
        var j = JSONStream(capacity: 1024 + 400 * units.count + 150 * visits.count)
        do { try write(to: &j) } catch is JSONStream.NonFinite { return try encoderJSON() }
        j.out.append(0x0A)
        return Data(j.out)
    }

    /// plan.json as JSONEncoder writes it (what `json()` must equal, byte for byte).
    func encoderJSON() throws -> Data {
        var d = try Self.encoder.encode(self)
        d.append(0x0A)
        return d
    }

    public static func load(path: String) throws -> PlanDocument {
        try loadJSON(PlanDocument.self, path: path, what: planWhat)
    }

    /// The plan and the SHA-256 of its file's bytes (what a re-plan records of it).
    public static func loadWithDigest(path: String) throws -> (plan: PlanDocument, sha256: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError.unreadable(file: path, reason: "文件不存在或无法读取 (file not found or unreadable)")
        }
        return (try decode(data: data, source: path), FileDigest.sha256(data))
    }

    /// Decodes a plan.json never trapping: anything that is not the format (a wrong type, a
    /// number no field can hold such as 1e19 for a count, a missing key) is an `InputError`
    /// naming `source`, the JSON path and the value. Numbers that fit but are out of range are
    /// for the verifier to judge (`PlanVerifier.formatProblems`).
    public static func decode(data: Data, source: String = "plan.json") throws -> PlanDocument {
        try decodeJSON(PlanDocument.self, data: data, source: source, what: planWhat)
    }

    static let planWhat = (zh: "enforcement-plan/1 格式的计划文件", en: "an enforcement-plan/1 file")
}

/// Reads a JSON document of the data contract (snake-case keys); any problem is an
/// `InputError` naming the file.
func loadJSON<T: Decodable>(_ type: T.Type, path: String, what: (zh: String, en: String)) throws -> T {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw InputError.unreadable(file: path, reason: "文件不存在或无法读取 (file not found or unreadable)")
    }
    return try decodeJSON(type, data: data, source: path, what: what)
}

/// Decodes a JSON document of the data contract; a decoding error becomes an `InputError` with
/// the JSON path (snake-case, as the file spells it) and the value where the decoder names one.
func decodeJSON<T: Decodable>(_ type: T.Type, data: Data, source: String, what: (zh: String, en: String)) throws -> T {
    let d = JSONDecoder()
    d.keyDecodingStrategy = .convertFromSnakeCase
    do { return try d.decode(T.self, from: data) } catch let e as DecodingError {
        // Foundation names neither path nor value for a number that does not fit or for broken
        // JSON: find them in the parsed tree.
        switch parsedProblem(data) {
        case .syntax(let why)?:
            throw InputError.problem(file: source, "不是有效的 JSON (not valid JSON): \(why)")
        case .number(let path, let value)?:
            throw InputError.problem(file: source, column: path, value: value,
                                     "\(path) 应为整数且在范围内 (\(path) must be an integer in range): 不是\(what.zh) (not \(what.en))")
        case nil: break
        }
        let (path, detail, value) = describe(e)
        throw InputError.problem(file: source, column: path.isEmpty ? nil : path, value: value,
                                 "不是\(what.zh) (not \(what.en)): \(detail)")
    } catch {
        throw InputError.unreadable(file: source, reason: "不是\(what.zh) (not \(what.en)): \(error)")
    }
}

/// The JSON path (`policy.campaigns[0].visits`), the decoder's words and, when it quotes one,
/// the offending value (`<1e19>` in "Parsed JSON number <1e19> does not fit in Int.").
func describe(_ e: DecodingError) -> (path: String, detail: String, value: String?) {
    func snake(_ key: String) -> String {
        var out = ""
        for ch in key {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
    func path(_ keys: [CodingKey]) -> String {
        var s = ""
        for k in keys {
            if let i = k.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + snake(k.stringValue) }
        }
        return s
    }
    let keys: [CodingKey], detail: String
    switch e {
    case .typeMismatch(let t, let c): keys = c.codingPath; detail = "应为 \(t) 类型 (expected \(t)): \(c.debugDescription)"
    case .valueNotFound(let t, let c): keys = c.codingPath; detail = "缺少值 (missing \(t) value): \(c.debugDescription)"
    case .keyNotFound(let k, let c): keys = c.codingPath + [k]; detail = "缺少键 (missing key) \(snake(k.stringValue))"
    case .dataCorrupted(let c): keys = c.codingPath; detail = c.debugDescription + (c.underlyingError.map { " (\($0.localizedDescription))" } ?? "")
    @unknown default: keys = []; detail = "\(e)"
    }
    var value: String? = nil
    if let a = detail.firstIndex(of: "<"), let b = detail[a...].firstIndex(of: ">"), a < b {
        value = String(detail[detail.index(after: a)..<b])
    }
    return (path(keys), detail, value)
}

/// Keys whose values are integers in the data contract (plan.json, rosters), as the file spells them.
let integerKeys: Set<String> = ["year", "seed", "calendar", "staff", "visits", "key_visits", "special_visits", "key_units",
                                "key_units_covered", "general_units", "general_units_drawn", "random_visits", "joint_visits",
                                "required_visits", "month", "workdays", "key", "random", "special", "joint", "max_visits_per_unit",
                                "increased_visits", "eligible", "pool_size", "k", "row", "rows", "columns", "months", "joint_months",
                                "officers_available", "experts_available"]

enum ParsedProblem: Equatable {
    case syntax(String)
    case number(path: String, value: String)
}

/// What JSONDecoder will not say: where the JSON is broken, or the first number under an integer
/// key that is not a whole number an Int (a UInt64 for `seed`) holds.
func parsedProblem(_ data: Data) -> ParsedProblem? {
    let root: Any
    do { root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
        let ns = error as NSError
        return .syntax((ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription)
    }
    func walk(_ v: Any, _ path: String, _ key: String?) -> ParsedProblem? {
        if let dict = v as? [String: Any] {
            for k in dict.keys.sorted() {
                if let p = walk(dict[k]!, path.isEmpty ? k : "\(path).\(k)", k) { return p }
            }
        } else if let list = v as? [Any] {
            for (i, x) in list.enumerated() { if let p = walk(x, "\(path)[\(i)]", key) { return p } }
        } else if let n = v as? NSNumber, let key, integerKeys.contains(key) {
            let type = String(cString: n.objCType)
            if type == "c" { return nil }                       // a boolean: the decoder names it
            let d = n.doubleValue
            let fits = !(n is NSDecimalNumber) && d.isFinite && d == d.rounded()
                && (key == "seed" ? (type == "Q" || (d >= 0 && d < 9.223372036854775807e18)) : (d >= -9.223372036854775808e18 && d < 9.223372036854775807e18))
            if !fits { return .number(path: path, value: "\(n)") }
        }
        return nil
    }
    return walk(root, "", nil)
}

// The vocabulary of plan.json as types (Policy's `UnitClass`, `VisitKind`, `DrawPool`, `RuleID`).
// The file keeps its strings; a value the vocabulary does not know reads as nil here and is a
// PLAN-FORMAT problem for the verifier (`PlanVerifier.formatProblems`), never a decoding failure.
extension PlanDocument.Unit {
    /// `class` as a type; nil for a value that is neither `key` nor `general`.
    public var unitClass: UnitClass? { UnitClass(rawValue: `class`) }
    public var isKey: Bool { unitClass == .key }
    public var isGeneral: Bool { unitClass == .general }
}

extension PlanDocument.Visit {
    public init(id: String, unit: String, month: Int, kind: VisitKind, campaign: String? = nil, draw: String? = nil) {
        self.init(id: id, unit: unit, month: month, kind: kind.rawValue, campaign: campaign, draw: draw)
    }
    /// `kind` as a type; nil for a kind plan.json does not define.
    public var visitKind: VisitKind? { VisitKind(rawValue: kind) }
    /// A random or joint visit (its unit was drawn).
    public var isDrawn: Bool { visitKind?.isDrawn ?? false }
}

extension PlanDocument.Draw {
    public init(id: String, month: Int, seed: UInt64, method: String, pool: DrawPool, poolSize: Int, poolSha256: String,
                k: Int, drawn: [String], pinned: Bool? = nil) {
        self.init(id: id, month: month, seed: seed, method: method, pool: pool.rawValue, poolSize: poolSize,
                  poolSha256: poolSha256, k: k, drawn: drawn, pinned: pinned)
    }
    /// `pool` as a type; nil for a pool plan.json does not define.
    public var drawPool: DrawPool? { DrawPool(rawValue: pool) }
}

extension PlanDocument.RuleCheck {
    public init(rule: RuleID, figure: Double, threshold: Double, pass: Bool, shortfall: Double, unit: ShortfallUnit,
                message: String, fix: String?) {
        self.init(rule: rule.rawValue, figure: figure, threshold: threshold, pass: pass, shortfall: shortfall,
                  unit: unit.rawValue, message: message, fix: fix)
    }
    /// `rule` as a type; nil for an ID the vocabulary does not know.
    public var ruleID: RuleID? { RuleID(rawValue: rule) }
    /// `unit` as a type; nil for a unit the vocabulary does not know.
    public var shortfallUnit: ShortfallUnit? { ShortfallUnit(rawValue: unit) }
}

extension PlanDocument {
    /// Each unit's class (`Unit.unitClass`), read in place: a large plan's checks asked for it
    /// through copies of 200,000 records.
    static func classes(of units: [Unit]) -> [UnitClass?] {
        units.withUnsafeBufferPointer { buf in
            var out: [UnitClass?] = []
            out.reserveCapacity(buf.count)
            for i in buf.indices { out.append(UnitClass(rawValue: buf[i].class)) }
            return out
        }
    }

    /// Each unit id's first listing in `units`, by position (a forged plan may list an id twice;
    /// its first listing's figures count). Look-ups by position, never through copied records.
    public static func firstListings(of units: [Unit]) -> [String: Int] {
        var index: [String: Int] = [:]
        index.reserveCapacity(units.count)
        for i in units.indices where index[units[i].id] == nil { index[units[i].id] = i }
        return index
    }
}

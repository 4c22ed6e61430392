import Foundation
import Output

/// Writes plan.json and roster JSON without JSONEncoder: the same bytes as
/// `JSONEncoder` with `.convertToSnakeCase` and `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]` (`PlanDocument.encoder`), written straight into a byte buffer.
/// Each document type spells its snake-case keys in sorted order below; `PlanJSONTests`
/// compares the two writers on realistic plans and rosters, so any divergence fails.
///
/// The layout JSONEncoder uses: two spaces per level, `"key" : value`, one member or element
/// a line, an empty array or object as `[` + blank line + `]`; strings escape `"` `\` and
/// control characters (`\b \t \n \f \r`, others `\u00XX`), nothing else (`/` and non-ASCII
/// as they are); a Double as Swift prints it without a trailing `.0`. A number JSON cannot
/// hold (NaN, infinity) is left to JSONEncoder, whose error names it.
struct JSONStream {
    /// Bytes not yet flushed.
    var out: [UInt8] = []
    private var depth = 0
    /// Per open container: no member written yet.
    private var empty: [Bool] = []
    /// Called with the buffer whenever it exceeds `flushAt` bytes (streaming to a file).
    private let flush: ((inout [UInt8]) throws -> Void)?
    private let flushAt: Int

    struct NonFinite: Error {}

    init(capacity: Int = 1 << 16, flushAt: Int = Int.max, flush: ((inout [UInt8]) throws -> Void)? = nil) {
        out.reserveCapacity(capacity)
        self.flush = flush
        self.flushAt = flushAt
    }

    // MARK: Containers

    mutating func beginObject() { out.append(0x7B); depth += 1; empty.append(true) }
    mutating func endObject() throws { close(0x7D); try maybeFlush() }
    mutating func beginArray() { out.append(0x5B); depth += 1; empty.append(true) }
    mutating func endArray() throws { close(0x5D); try maybeFlush() }

    private mutating func close(_ bracket: UInt8) {
        let wasEmpty = empty.removeLast()
        depth -= 1
        out.append(0x0A)
        if wasEmpty { out.append(0x0A) }
        indent()
        out.append(bracket)
    }

    private mutating func indent() {
        for _ in 0..<depth { out.append(0x20); out.append(0x20) }
    }

    /// Starts the next member or element on a line of its own.
    private mutating func next() {
        if empty[empty.count - 1] { empty[empty.count - 1] = false; out.append(0x0A) } else { out.append(0x2C); out.append(0x0A) }
        indent()
    }

    /// A member's key (already snake-case and ASCII), then ` : `.
    mutating func key(_ k: StaticString) {
        next()
        out.append(0x22)
        k.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: [0x22, 0x20, 0x3A, 0x20])
    }

    /// A dictionary's key, escaped as any string.
    mutating func key(_ k: String) {
        next()
        appendString(k)
        out.append(contentsOf: [0x20, 0x3A, 0x20])
    }

    /// Starts an array element.
    mutating func element() { next() }

    private mutating func maybeFlush() throws {
        if out.count >= flushAt, let flush { try flush(&out) }
    }

    // MARK: Values

    mutating func value(_ s: String) { appendString(s) }
    mutating func value(_ s: String?) { if let s { appendString(s) } else { null() } }
    mutating func value(_ b: Bool) { out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8)) }
    mutating func null() { out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }

    mutating func value(_ n: Int) {
        if n >= 0 && n < 10 { out.append(0x30 + UInt8(n)); return }
        out.append(contentsOf: String(n).utf8)
    }

    mutating func value(_ n: UInt64) { out.append(contentsOf: String(n).utf8) }

    mutating func value(_ d: Double) throws {
        guard d.isFinite else { throw NonFinite() }
        if d == d.rounded(.towardZero), abs(d) < 1e15, d != 0 || d.sign == .plus {
            // A whole number prints as Swift's "123.0" does, without ".0".
            value(Int(d))
            return
        }
        var s = d.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        out.append(contentsOf: s.utf8)
    }

    mutating func array(_ xs: [String]) throws {
        beginArray()
        for x in xs { element(); appendString(x) }
        try endArray()
    }

    mutating func array(_ xs: [Int]) throws {
        beginArray()
        for x in xs { element(); value(x) }
        try endArray()
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ s: String) {
        out.append(0x22)
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C { continue }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                escape(b)
                start = i + 1
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
        }
        if done == nil {
            for b in s.utf8 {
                if b >= 0x20 && b != 0x22 && b != 0x5C { out.append(b) } else { escape(b) }
            }
        }
        out.append(0x22)
    }

    private mutating func escape(_ b: UInt8) {
        switch b {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x08: out.append(contentsOf: [0x5C, 0x62])
        case 0x09: out.append(contentsOf: [0x5C, 0x74])
        case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
        case 0x0C: out.append(contentsOf: [0x5C, 0x66])
        case 0x0D: out.append(contentsOf: [0x5C, 0x72])
        default:
            out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)]])
        }
    }
}

// MARK: - plan.json

extension PlanDocument {
    /// Writes plan.json to `path` all or nothing (`FileOutput`), streaming: the bytes of `json()`
    /// go to the file in 1 MB pieces, so the whole text is never held at once.
    /// A number JSON cannot hold throws JSONEncoder's `EncodingError`, as `json()` does, and
    /// leaves no file.
    public func writeJSON(to path: String) throws {
        var nonFinite = false
        do { try writeJSONFile(to: path, nonFinite: &nonFinite) } catch {
            if nonFinite { _ = try encoderJSON() }
            throw error
        }
    }

    private func writeJSONFile(to path: String, nonFinite: inout Bool) throws {
        try FileOutput.write(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let file = FileHandle(forWritingAtPath: temporary) else {
                throw OutputError.writeFailed(path, "无法写入 (cannot write)")
            }
            defer { try? file.close() }
            var j = JSONStream(capacity: (1 << 20) + (1 << 16), flushAt: 1 << 20) { buffer in
                try file.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
            do { try write(to: &j) } catch is JSONStream.NonFinite { nonFinite = true; throw JSONStream.NonFinite() }
            j.out.append(0x0A)
            try file.write(contentsOf: j.out)
        }
    }

    /// Writes the document (keys sorted, as `PlanDocument.encoder` orders them).
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("authority"); try authority.write(to: &j)
        j.key("checks"); j.beginArray()
        for c in checks { j.element(); try c.write(to: &j) }
        try j.endArray()
        j.key("draws"); j.beginArray()
        for d in draws { j.element(); try d.write(to: &j) }
        try j.endArray()
        if let ledger {
            j.key("ledger"); j.beginObject()
            j.key("seq"); j.value(ledger.seq)
            j.key("source"); j.value(ledger.source)
            try j.endObject()
        }
        if let ledgerWarnings {
            j.key("ledger_warnings"); j.beginArray()
            for w in ledgerWarnings {
                j.element(); j.beginObject()
                j.key("column"); j.value(w.column)
                j.key("message"); j.value(w.message)
                if let row = w.row { j.key("row"); j.value(row) }
                j.key("rule"); j.value(w.rule)
                j.key("unit"); j.value(w.unit)
                try j.endObject()
            }
            try j.endArray()
        }
        j.key("metrics"); try metrics.write(to: &j)
        j.key("months"); j.beginArray()
        for m in months { j.element(); try m.write(to: &j) }
        try j.endArray()
        j.key("policy"); try policy.write(to: &j)
        if let previousPlan {
            j.key("previous_plan"); j.beginObject()
            j.key("from_month"); j.value(previousPlan.fromMonth)
            j.key("kept_months"); try j.array(previousPlan.keptMonths)
            if let sha = previousPlan.sha256 { j.key("sha256"); j.value(sha) }
            try j.endObject()
        }
        j.key("schema"); j.value(schema)
        j.key("seed"); j.value(seed)
        j.key("solver"); try solver.write(to: &j)
        j.key("units"); j.beginArray()
        for u in units { j.element(); try u.write(to: &j) }
        try j.endArray()
        j.key("visits"); j.beginArray()
        for v in visits { j.element(); try v.write(to: &j) }
        try j.endArray()
        j.key("workdays"); try workdays.write(to: &j)
        j.key("year"); j.value(year)
        try j.endObject()
    }
}

extension PlanDocument.AuthorityInfo {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        if let district { j.key("district"); j.value(district) }
        j.key("level"); j.value(level)
        j.key("name"); j.value(name)
        if let town { j.key("town"); j.value(town) }
        if let zone { j.key("zone"); j.value(zone) }
        try j.endObject()
    }
}

extension PlanDocument.RuleCheck {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("figure"); try j.value(figure)
        if let fix { j.key("fix"); j.value(fix) }
        j.key("message"); j.value(message)
        j.key("pass"); j.value(pass)
        j.key("rule"); j.value(rule)
        j.key("shortfall"); try j.value(shortfall)
        j.key("threshold"); try j.value(threshold)
        j.key("unit"); j.value(unit)
        try j.endObject()
    }
}

extension PlanDocument.Draw {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("drawn"); try j.array(drawn)
        j.key("id"); j.value(id)
        j.key("k"); j.value(k)
        j.key("method"); j.value(method)
        j.key("month"); j.value(month)
        if let pinned { j.key("pinned"); j.value(pinned) }
        j.key("pool"); j.value(pool)
        j.key("pool_sha256"); j.value(poolSha256)
        j.key("pool_size"); j.value(poolSize)
        j.key("seed"); j.value(seed)
        try j.endObject()
    }
}

extension PlanDocument.Metrics {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("capacity_team_days"); try j.value(capacityTeamDays)
        j.key("effort_team_days"); try j.value(effortTeamDays)
        j.key("general_units"); j.value(generalUnits)
        j.key("general_units_drawn"); j.value(generalUnitsDrawn)
        j.key("joint_visits"); j.value(jointVisits)
        j.key("key_share"); try j.value(keyShare)
        j.key("key_units"); j.value(keyUnits)
        j.key("key_units_covered"); j.value(keyUnitsCovered)
        j.key("key_visits"); j.value(keyVisits)
        j.key("random_visits"); j.value(randomVisits)
        j.key("special_visits"); j.value(specialVisits)
        j.key("visits"); j.value(visits)
        j.key("visits_per_workday"); try j.value(visitsPerWorkday)
        try j.endObject()
    }
}

extension PlanDocument.Month {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("capacity_team_days"); try j.value(capacityTeamDays)
        j.key("effort_team_days"); try j.value(effortTeamDays)
        j.key("joint"); j.value(joint)
        j.key("key"); j.value(key)
        j.key("month"); j.value(month)
        j.key("random"); j.value(random)
        j.key("special"); j.value(special)
        j.key("visits"); j.value(visits)
        j.key("workdays"); j.value(workdays)
        try j.endObject()
    }
}

extension PlanDocument.PolicyInfo {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("campaigns"); j.beginArray()
        for c in campaigns {
            j.element(); j.beginObject()
            j.key("eligible"); j.value(c.eligible)
            j.key("match"); j.beginObject()
            // JSONEncoder sorts a dictionary's keys as Swift orders strings and leaves them as they are.
            for k in c.match.keys.sorted() { j.key(k); try j.array(c.match[k]!) }
            try j.endObject()
            j.key("months"); try j.array(c.months)
            j.key("name"); j.value(c.name)
            j.key("visits"); j.value(c.visits)
            try j.endObject()
        }
        try j.endArray()
        j.key("effort_general"); try j.value(effortGeneral)
        j.key("effort_key"); try j.value(effortKey)
        j.key("effort_special"); try j.value(effortSpecial)
        j.key("general_sample_rate"); try j.value(generalSampleRate)
        j.key("increased_visits"); j.value(increasedVisits)
        j.key("joint_months"); try j.array(jointMonths)
        j.key("joint_visits"); j.value(jointVisits)
        j.key("key_share_min"); try j.value(keyShareMin)
        j.key("max_visits_per_unit"); j.value(maxVisitsPerUnit)
        j.key("monthly_tolerance"); try j.value(monthlyTolerance)
        j.key("reserve_share"); try j.value(reserveShare)
        j.key("visits_per_workday_min"); try j.value(visitsPerWorkdayMin)
        try j.endObject()
    }
}

extension PlanDocument.Solver {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("level"); j.value(level)
        j.key("mip_gap"); try j.value(mipGap)
        j.key("objective"); try j.value(objective)
        j.key("seconds"); try j.value(seconds)
        j.key("stages"); j.beginArray()
        for s in stages {
            j.element(); j.beginObject()
            j.key("columns"); j.value(s.columns)
            j.key("mip_gap"); try j.value(s.mipGap)
            j.key("name"); j.value(s.name)
            j.key("objective"); try j.value(s.objective)
            j.key("rows"); j.value(s.rows)
            j.key("seconds"); try j.value(s.seconds)
            j.key("status"); j.value(s.status)
            try j.endObject()
        }
        try j.endArray()
        j.key("status"); j.value(status)
        try j.endObject()
    }
}

extension PlanDocument.Unit {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("activity"); j.value(activity)
        j.key("authority"); j.value(authority)
        j.key("category"); j.value(category)
        j.key("class"); j.value(`class`)
        if let closed { j.key("closed"); j.value(closed) }
        j.key("draw_weight"); try j.value(drawWeight)
        j.key("exemption"); j.value(exemption)
        j.key("id"); j.value(id)
        j.key("name"); j.value(name)
        j.key("own_unit"); j.value(ownUnit)
        j.key("required_visits"); j.value(requiredVisits)
        j.key("risk_level"); j.value(riskLevel)
        j.key("rules"); try j.array(rules)
        j.key("tier"); j.value(tier)
        j.key("town"); j.value(town)
        try j.endObject()
    }
}

extension PlanDocument.Visit {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("campaign"); j.value(campaign)
        j.key("draw"); j.value(draw)
        j.key("id"); j.value(id)
        j.key("kind"); j.value(kind)
        j.key("month"); j.value(month)
        j.key("unit"); j.value(unit)
        try j.endObject()
    }
}

extension PlanDocument.Workdays {
    func write(to j: inout JSONStream) throws {
        func items(_ xs: [PlanDocument.Item], _ j: inout JSONStream) throws {
            j.beginArray()
            for i in xs {
                j.element(); j.beginObject()
                j.key("days"); try j.value(i.days)
                j.key("name"); j.value(i.name)
                try j.endObject()
            }
            try j.endArray()
        }
        j.beginObject()
        if let borrowed { j.key("borrowed"); try j.value(borrowed) }
        j.key("calendar"); j.value(calendar)
        j.key("calendar_provisional"); j.value(calendarProvisional)
        j.key("calendar_source"); j.value(calendarSource)
        j.key("gross"); try j.value(gross)
        j.key("inspection"); try j.value(inspection)
        if let lent { j.key("lent"); try j.value(lent) }
        j.key("non_enforcement"); try j.value(nonEnforcement)
        j.key("non_enforcement_items"); try items(nonEnforcementItems, &j)
        j.key("other_enforcement"); try j.value(otherEnforcement)
        j.key("other_enforcement_items"); try items(otherEnforcementItems, &j)
        j.key("staff"); j.value(staff)
        try j.endObject()
    }
}

// MARK: - roster JSON

extension RosterDocument {
    func write(to j: inout JSONStream) throws {
        j.beginObject()
        j.key("assignments"); j.beginArray()
        for a in assignments {
            j.element(); j.beginObject()
            j.key("address"); j.value(a.address)
            j.key("campaign"); j.value(a.campaign)
            j.key("date"); j.value(a.date)
            j.key("draw"); j.value(a.draw)
            j.key("experts"); try j.array(a.experts)
            j.key("focus"); try j.array(a.focus)
            j.key("kind"); j.value(a.kind)
            j.key("leader"); j.value(a.leader)
            j.key("team"); try j.array(a.team)
            j.key("town"); j.value(a.town)
            j.key("trip"); j.value(a.trip)
            j.key("unit"); j.value(a.unit)
            j.key("unit_name"); j.value(a.unitName)
            j.key("visit"); j.value(a.visit)
            try j.endObject()
        }
        try j.endArray()
        j.key("authority"); try authority.write(to: &j)
        j.key("days"); j.beginArray()
        for d in days {
            j.element(); j.beginObject()
            j.key("date"); j.value(d.date)
            j.key("experts_available"); j.value(d.expertsAvailable)
            j.key("officers_available"); j.value(d.officersAvailable)
            j.key("team_days"); try j.value(d.teamDays)
            j.key("visits"); j.value(d.visits)
            try j.endObject()
        }
        try j.endArray()
        j.key("draws"); j.beginArray()
        for d in draws {
            j.element(); j.beginObject()
            j.key("date"); j.value(d.date)
            j.key("drawn"); try j.array(d.drawn)
            j.key("id"); j.value(d.id)
            j.key("k"); j.value(d.k)
            j.key("method"); j.value(d.method)
            j.key("pool"); try j.array(d.pool)
            j.key("pool_sha256"); j.value(d.poolSha256)
            j.key("seed"); j.value(d.seed)
            try j.endObject()
        }
        try j.endArray()
        func reasons(_ xs: [Unassigned], _ j: inout JSONStream) throws {
            j.beginArray()
            for u in xs {
                j.element(); j.beginObject()
                j.key("reason"); j.value(u.reason)
                j.key("visit"); j.value(u.visit)
                try j.endObject()
            }
            try j.endArray()
        }
        j.key("expert_shortfalls"); try reasons(expertShortfalls, &j)
        j.key("month"); j.value(month)
        j.key("schema"); j.value(schema)
        j.key("seed"); j.value(seed)
        j.key("solver"); try solver.write(to: &j)
        j.key("unassigned"); try reasons(unassigned, &j)
        j.key("year"); j.value(year)
        try j.endObject()
    }
}

import Foundation
import Ledger
import Policy

/// Puts units into the months the class-level model chose, deterministically:
/// - key visits: within a class, never-inspected units first, then those inspected longest
///   ago, then by credit code; first visits take the earliest months, second visits the
///   earliest later month;
/// - campaign visits: eligible units with the fewest visits so far, higher risk first, then
///   the same priority; never twice in one month, never over the yearly cap;
/// - random and joint visits: drawn month by month with sha256-weighted/1 from the general
///   units not yet drawn this year (the joint check first in its month, from industrial ones).
struct Placement {
    let ctx: PlanContext
    /// (unit index, month, kind, campaign, draw id)
    var visits: [(unit: Int, month: Int, kind: VisitKind, campaign: String?, draw: String?)] = []
    var draws: [PlanDocument.Draw] = []
    var count: [Int: Int] = [:]
    var monthsOf: [Int: Set<Int>] = [:]
    let due: [Int: Int]
    let room: [Int: Int]
    let classOf: [Int: String]
    let pins: Pins
    /// Unit ids drawn in kept draws (re-planning).
    let drawnBefore: Set<String>
    /// Where the previous plan had each unit's visits (re-planning: keep what need not move).
    let previousKey: [String: Set<Int>]
    let previousCampaign: [String: [String: Set<Int>]]

    init(ctx: PlanContext, inputs: ModelInputs, pins: Pins) {
        self.ctx = ctx
        self.due = inputs.due
        self.room = inputs.room
        self.classOf = inputs.classOfUnit
        self.drawnBefore = inputs.pinned.drawn
        self.pins = pins
        var key: [String: Set<Int>] = [:], campaign: [String: [String: Set<Int>]] = [:]
        let kept = Set(pins.visits.map { $0.id })
        for v in pins.previous?.visits ?? [] where !kept.contains(v.id) {
            if v.visitKind == .key { key[v.unit, default: []].insert(v.month) }
            if let c = v.campaign { campaign[c, default: [:]][v.unit, default: []].insert(v.month) }
        }
        previousKey = key
        previousCampaign = campaign
    }

    mutating func add(_ u: Int, _ m: Int, _ kind: VisitKind, campaign: String? = nil, draw: String? = nil) {
        visits.append((u, m, kind, campaign, draw))
        count[u, default: 0] += 1
        monthsOf[u, default: []].insert(m)
    }

    /// Places a class's key visits into the months the model chose (`perMonth`, each count at
    /// most the class's size). Demands: every unit its required visits, the extra visits to the
    /// highest-priority units, a shortfall taken from the lowest-priority ones. Month by month,
    /// the units with the most visits still due go first (which always succeeds when the
    /// counts allow it, Gale–Ryser), unvisited units before visited ones, then by priority.
    mutating func placeKeyVisits(units: [Int], perMonth: [(Int, Int)]) {
        let ordered = units.sorted(by: ctx.priorityOrder)
        let cap = ordered.map { max(0, (room[$0] ?? ctx.policy.maxVisitsPerUnit) - (count[$0] ?? 0)) }
        var due = ordered.indices.map { min(cap[$0], self.due[ordered[$0]] ?? (ctx.required[ordered[$0]] ?? 1)) }
        let slots = perMonth.reduce(0) { $0 + $1.1 }
        var diff = slots - due.reduce(0, +)
        // Extra coverage: highest priority first — when re-planning, first the units the previous
        // plan already gave more key visits than they now need, so nothing moves without cause.
        // The previous plan's months of each unit's key visits, by position (looked up once).
        let previous = previousKey.isEmpty ? Array(repeating: nil, count: ordered.count) : ordered.map { previousKey[ctx.units[$0].id] }
        let extraOrder = ordered.indices.filter { (previous[$0]?.count ?? 0) > due[$0] }
            + ordered.indices.filter { (previous[$0]?.count ?? 0) <= due[$0] }
        var i = 0
        while diff > 0 && !extraOrder.isEmpty {
            let x = extraOrder[i]
            if due[x] < cap[x] { due[x] += 1; diff -= 1 }
            i = (i + 1) % extraOrder.count
            if i == 0 && !ordered.indices.contains(where: { due[$0] < cap[$0] }) { break }
        }
        var j = ordered.count - 1
        while diff < 0 && j >= 0 {                     // shortfall: lowest priority loses visits
            if due[j] > 0 { due[j] -= 1; diff += 1 } else { j -= 1 }
        }
        var visited = Array(repeating: 0, count: ordered.count)
        for (m, k) in perMonth where k > 0 {
            let pick = ordered.indices.filter { due[$0] > 0 }
                .sorted { a, b in
                    if due[a] != due[b] { return due[a] > due[b] }
                    // Re-planning: a unit stays in the month the previous plan gave it.
                    let pa = previous[a]?.contains(m) ?? false
                    let pb = previous[b]?.contains(m) ?? false
                    if pa != pb { return pa }
                    if (visited[a] == 0) != (visited[b] == 0) { return visited[a] == 0 }
                    return a < b
                }
                .prefix(k)
            for x in pick { add(ordered[x], m, .key); due[x] -= 1; visited[x] += 1 }
        }
    }

    /// `quota`: how many of the campaign's visits go to each key class (by name) and to
    /// general units ("general"), as stage 1 split them so that key units keep room for the
    /// extra key visits it also planned.
    mutating func placeCampaign(name: String, eligible: [Int], perMonth: [(Int, Int)], quota: [String: Int]? = nil) {
        var done = Set<Int>()
        var left = quota
        func group(_ u: Int) -> String { classOf[u] ?? UnitClass.general.rawValue }
        for (m, k) in perMonth where k > 0 {
            let before = previousCampaign[name] ?? [:]
            let candidates = eligible.filter { !done.contains($0) && (count[$0] ?? 0) + (due[$0] ?? 0) < (room[$0] ?? ctx.policy.maxVisitsPerUnit) && !(monthsOf[$0]?.contains(m) ?? false) }
                .sorted { a, b in
                    if !before.isEmpty {
                        let pa = before[ctx.units[a].id]?.contains(m) ?? false, pb = before[ctx.units[b].id]?.contains(m) ?? false
                        if pa != pb { return pa }
                    }
                    let ca = count[a] ?? 0, cb = count[b] ?? 0
                    if ca != cb { return ca < cb }
                    let ra = ctx.classifications[a].riskLevel.rank, rb = ctx.classifications[b].riskLevel.rank
                    if ra != rb { return ra < rb }
                    return ctx.priorityOrder(a, b)
                }
            var taken = 0
            for u in candidates where taken < k {
                if var q = left { guard (q[group(u)] ?? 0) > 0 else { continue }; q[group(u)]! -= 1; left = q }
                add(u, m, .special, campaign: name); done.insert(u); taken += 1
            }
        }
    }

    /// The joint check is drawn first (its units are reserved before any random draw), then
    /// the random draws month by month. A pool holds this authority's general units not drawn
    /// earlier and not already at the yearly cap with their other visits — the order and pools
    /// `PlanVerifier` re-derives.
    mutating func draw(random: [Int: Int], joint: [Int: Int]) throws {
        let kept = Set(pins.draws.map { $0.id })
        // The general units laid out once in id byte order (the draw's fingerprint order), with
        // their weights: every pool is a list of positions filtered from them in order.
        let units = ctx.generalUnits
        let table = DrawTable(units.map { DrawMember(id: ctx.units[$0].id, weight: ctx.drawWeight[$0] ?? 1) })
        let general = table.order.map { units[$0] }
        let industrial = general.map { ctx.isIndustrial($0) }
        var drawn = general.map { drawnBefore.contains(ctx.units[$0].id) }
        let order = (1...12).map { (DrawPool.industrial, $0, joint[$0] ?? 0) } + (1...12).map { (DrawPool.general, $0, random[$0] ?? 0) }
        for (drawPool, m, k) in order where k > 0 {
            let industrialOnly = drawPool == .industrial
            let pool = general.indices.filter { !drawn[$0] && (count[general[$0]] ?? 0) < ctx.policy.maxVisitsPerUnit && (!industrialOnly || industrial[$0]) }
            let id = Self.drawId(industrial: industrialOnly, year: ctx.year, month: m, taken: kept)
            let (r, positions) = try table.draw(seed: ctx.scenario.seed, id: id, positions: pool, k: k)
            for x in positions {
                drawn[x] = true
                add(general[x], m, drawPool.visitKind, draw: id)
            }
            draws.append(PlanDocument.Draw(id: id, month: m, seed: ctx.scenario.seed, method: r.method,
                                           pool: drawPool, poolSize: r.poolSize,
                                           poolSha256: r.poolSHA256, k: k, drawn: r.drawn))
        }
    }

    /// The id of a month's unit draw (DATA.md §5, "Draw ids"): `J-YYYY-MM` for the joint check,
    /// `D-YYYY-MM` for the random draw; when a re-plan keeps a draw under that id, the next free
    /// of `…-2`, `…-3`, … The verifier accepts no other id for a draw it re-runs.
    static func drawId(industrial: Bool, year: Int, month: Int, taken: Set<String>) -> String {
        let base = drawIdBase(industrial: industrial, year: year, month: month)
        var id = base, n = 2
        while taken.contains(id) { id = "\(base)-\(n)"; n += 1 }
        return id
    }

    /// `J-YYYY-MM` or `D-YYYY-MM`.
    static func drawIdBase(industrial: Bool, year: Int, month: Int) -> String {
        String(format: "%@-%04d-%02d", industrial ? "J" : "D", year, month)
    }

    /// The order of kinds within a month of the plan.
    static func kindRank(_ kind: VisitKind) -> Int {
        switch kind {
        case .key: return 0
        case .special: return 1
        case .joint: return 2
        case .random: return 3
        case .triggered: return 4
        }
    }

    /// The plan document (without solver and checks) from placed visits.
    static func document(ctx: PlanContext, visits placed: [(unit: Int, month: Int, kind: VisitKind, campaign: String?, draw: String?)],
                         draws: [PlanDocument.Draw], pins: Pins = Pins()) -> PlanDocument {
        let s = ctx.scenario
        let sorted = placed.sorted { a, b in
            if a.month != b.month { return a.month < b.month }
            let ka = kindRank(a.kind), kb = kindRank(b.kind)
            if ka != kb { return ka < kb }
            if (a.campaign ?? "") != (b.campaign ?? "") { return (a.campaign ?? "") < (b.campaign ?? "") }
            return a.unit < b.unit
        }
        var visits: [PlanDocument.Visit]
        if pins.isEmpty {
            let width = max(4, String(sorted.count).count)
            visits = sorted.enumerated().map { i, v in
                PlanDocument.Visit(id: "V-" + String(repeating: "0", count: width - String(i + 1).count) + String(i + 1),
                                   unit: ctx.units[v.unit].id, month: v.month, kind: v.kind, campaign: v.campaign, draw: v.draw)
            }
        } else {
            // Re-planning: kept visits keep their ids; a new visit identical to one of the previous
            // plan (unit, month, kind, campaign) keeps that id too; then a visit of the same unit,
            // kind and campaign in another month is the previous visit moved, and keeps its id
            // (检查编号) as well; the rest get fresh ids. Dropped visits' ids are never reused.
            let kept = Set(pins.visits.map { $0.id })
            var exact: [String: [String]] = [:], loose: [String: [String]] = [:]
            for v in pins.previous?.visits ?? [] where !kept.contains(v.id) && !pins.retired.contains(v.id) {
                exact["\(v.unit)|\(v.month)|\(v.kind)|\(v.campaign ?? "")", default: []].append(v.id)
                loose["\(v.unit)|\(v.kind)|\(v.campaign ?? "")", default: []].append(v.id)
            }
            let allIds = (pins.previous?.visits ?? []).map { $0.id } + pins.visits.map { $0.id }
            var next = (allIds.compactMap { Int($0.dropFirst(2)) }.max() ?? 0) + 1
            let width = max(4, String(next + sorted.count).count)
            var ids = [String?](repeating: nil, count: sorted.count)
            var used = Set<String>()
            for (i, v) in sorted.enumerated() {
                let key = "\(ctx.units[v.unit].id)|\(v.month)|\(v.kind.rawValue)|\(v.campaign ?? "")"
                if let id = exact[key]?.first(where: { !used.contains($0) }) { ids[i] = id; used.insert(id) }
            }
            for (i, v) in sorted.enumerated() where ids[i] == nil {
                let key = "\(ctx.units[v.unit].id)|\(v.kind.rawValue)|\(v.campaign ?? "")"
                if let id = loose[key]?.first(where: { !used.contains($0) }) { ids[i] = id; used.insert(id) }
            }
            visits = pins.visits
            for (i, v) in sorted.enumerated() {
                let id: String
                if let reused = ids[i] { id = reused }
                else { id = "V-" + String(repeating: "0", count: max(0, width - String(next).count)) + String(next); next += 1 }
                visits.append(PlanDocument.Visit(id: id, unit: ctx.units[v.unit].id, month: v.month, kind: v.kind, campaign: v.campaign, draw: v.draw))
            }
            visits.sort { a, b in
                if a.month != b.month { return a.month < b.month }
                let ka = a.visitKind.map(kindRank) ?? 9, kb = b.visitKind.map(kindRank) ?? 9
                return ka != kb ? ka < kb : a.id < b.id
            }
        }
        var own = [Bool](repeating: false, count: ctx.units.count)
        for i in ctx.own { own[i] = true }
        var units = ctx.units.indices.map { unitInfo(ctx, $0, own: own[$0]) }
        units += pins.closedUnits
        let workdays = workdaysInfo(ctx)
        let months = monthsInfo(ctx)
        let policy = policyInfo(ctx)
        let a = s.authority
        var doc = PlanDocument(
            year: s.year, authority: .init(name: a.name, level: a.level.rawValue, district: a.district, town: a.town, zone: a.zone),
            seed: s.seed, workdays: workdays, metrics: PlanDocument.Metrics(visits: 0, keyVisits: 0, specialVisits: 0, keyShare: 0,
                visitsPerWorkday: 0, keyUnits: 0, keyUnitsCovered: 0, generalUnits: 0, generalUnitsDrawn: 0, randomVisits: 0,
                jointVisits: 0, effortTeamDays: 0, capacityTeamDays: 0),
            units: units, visits: visits,
            draws: (pins.draws + draws).sorted { ($0.month, $0.drawPool == .industrial ? 0 : 1, $0.id) < ($1.month, $1.drawPool == .industrial ? 0 : 1, $1.id) },
            months: months, policy: policy, checks: [],
            solver: .init(status: "", objective: 0, mipGap: 0, seconds: 0, level: "class", stages: []))
        doc.ledger = ctx.ledgerProvenance
        PlanMetrics.fill(&doc)
        return doc
    }
}

// What a plan states of its scenario: one definition, used by the planner to write it and by the
// verifier (`verify --scenario`) as the reference a plan is checked against.
extension Placement {
    /// The plan's record of the ledger's unit `i` (its fields read in place, the record not copied).
    static func unitInfo(_ ctx: PlanContext, _ i: Int, own: Bool) -> PlanDocument.Unit {
        let c = ctx.classifications[i]
        return ctx.units.withUnsafeBufferPointer { units in
            PlanDocument.Unit(id: units[i].id, name: units[i].name, class: c.unitClass.rawValue, rules: c.rules.map { $0.id },
                              exemption: c.exemption, tier: c.tier.rawValue, authority: c.authority,
                              requiredVisits: own ? ctx.required[i] ?? 0 : 0,
                              drawWeight: (own ? ctx.drawWeight[i] : nil) ?? (c.unitClass == .general ? 1 : 0),
                              category: units[i].category.rawValue, activity: units[i].activity?.rawValue, town: units[i].town,
                              riskLevel: c.riskLevel.rawValue, ownUnit: own)
        }
    }

    static func workdaysInfo(_ ctx: PlanContext) -> PlanDocument.Workdays {
        let b = ctx.budget
        return PlanDocument.Workdays(
            calendar: b.calendarWorkdays, staff: b.staff, gross: b.gross, otherEnforcement: b.otherEnforcementTotal,
            nonEnforcement: b.nonEnforcementTotal, inspection: b.inspection,
            otherEnforcementItems: b.otherEnforcement.map { .init(name: $0.name ?? "其他执法工作", days: $0.days) },
            nonEnforcementItems: b.nonEnforcement.map { .init(name: $0.name ?? "非执法工作", days: $0.days) },
            calendarProvisional: ctx.calendar.provisional, calendarSource: ctx.calendar.source,
            borrowed: b.borrowed > 0 ? b.borrowed : nil, lent: b.lent > 0 ? b.lent : nil)
    }

    /// The twelve months with their workdays and team-days (figures of visits left at 0).
    static func monthsInfo(_ ctx: PlanContext) -> [PlanDocument.Month] {
        (1...12).map { m in
            PlanDocument.Month(month: m, workdays: ctx.calendar.workdays(inMonth: m), capacityTeamDays: round2(ctx.capacity[m - 1]),
                               visits: 0, key: 0, random: 0, special: 0, joint: 0, effortTeamDays: 0)
        }
    }

    static func policyInfo(_ ctx: PlanContext) -> PlanDocument.PolicyInfo {
        let s = ctx.scenario, p = s.policy
        return PlanDocument.PolicyInfo(
            keyShareMin: p.keyShareMin, visitsPerWorkdayMin: p.visitsPerWorkdayMin, generalSampleRate: p.generalSampleRate,
            maxVisitsPerUnit: p.maxVisitsPerUnit, increasedVisits: p.increasedVisits, reserveShare: p.reserveShare,
            monthlyTolerance: p.monthlyTolerance, effortKey: s.effort.key, effortGeneral: s.effort.general, effortSpecial: s.effort.special,
            campaigns: zip(s.campaigns, ctx.campaignUnits).map { c, eligible in
                PlanDocument.CampaignInfo(name: c.name, months: c.months, visits: c.visits,
                                          eligible: eligible.count,
                                          match: Dictionary(c.match.map { ($0.key, $0.values.sorted()) }, uniquingKeysWith: { a, _ in a }))
            },
            jointVisits: ctx.jointDue ? s.joint.visits : 0, jointMonths: s.joint.months)
    }
}

func round2(_ v: Double) -> Double { (v * 100).rounded() / 100 }
func round4(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }

/// Metrics and monthly figures recomputed from a plan's visits: one definition, used by the
/// planner when it writes a plan and by the verifier when it re-checks one.
public enum PlanMetrics {
    public static func fill(_ doc: inout PlanDocument) {
        // Each unit's class by id (the first listing of an id), not whole unit records: copying
        // every record into a dictionary was a visible share of a large plan's time.
        let classes = PlanDocument.classes(of: doc.units)
        let firstListing = PlanDocument.firstListings(of: doc.units)
        let own = doc.units.indices.filter { doc.units[$0].ownUnit && doc.units[$0].closed != true }
        let p = doc.policy
        // Triggered visits (触发式, outside the plan) use the reserve, not the planned capacity.
        func effort(_ kind: VisitKind?) -> Double { kind == .triggered ? 0 : p.effort.teamDays(for: kind) }
        struct Month { var visits = 0, key = 0, random = 0, special = 0, joint = 0, effort = 0.0 }
        // One pass over the visits, in their order (so that sums of team-days add up in the same
        // order as ever): the year's counts, each month's, key visits per unit, units drawn.
        var m = doc.metrics
        var keyVisits = 0, special = 0, keyish = 0, random = 0, joint = 0, effortTotal = 0.0
        var keyVisitsPerUnit: [String: Int] = [:]
        var drawnUnits = Set<String>()
        var byMonth: [Int: Month] = [:]
        for v in doc.visits {
            let kind = v.visitKind, unitClass = firstListing[v.unit].flatMap { classes[$0] }
            if unitClass == .key { keyVisits += 1 }
            if KeyShare.counts(unitClass: unitClass, kind: kind) { keyish += 1 }
            let e = effort(kind)
            effortTotal += e
            var month = byMonth[v.month] ?? Month()
            month.visits += 1
            month.effort += e
            switch kind {
            case .key: month.key += 1; keyVisitsPerUnit[v.unit, default: 0] += 1
            case .special: month.special += 1; special += 1
            case .random: month.random += 1; random += 1; drawnUnits.insert(v.unit)
            case .joint: month.joint += 1; joint += 1; drawnUnits.insert(v.unit)
            case .triggered, nil: break
            }
            byMonth[v.month] = month
        }
        m.visits = doc.visits.count
        m.keyVisits = keyVisits
        m.specialVisits = special
        m.keyShare = round4(KeyShare.share(keyish, of: m.visits))
        m.visitsPerWorkday = doc.workdays.inspection <= 0 ? 0 : round4(Double(m.visits) / doc.workdays.inspection)
        m.keyUnits = own.filter { classes[$0] == .key }.count
        m.keyUnitsCovered = own.filter { classes[$0] == .key && (keyVisitsPerUnit[doc.units[$0].id] ?? 0) >= max(1, doc.units[$0].requiredVisits) }.count
        m.generalUnits = own.filter { classes[$0] == .general }.count
        m.randomVisits = random
        m.jointVisits = joint
        m.generalUnitsDrawn = drawnUnits.count
        for i in doc.months.indices {
            let f = byMonth[doc.months[i].month] ?? Month()
            doc.months[i].visits = f.visits
            doc.months[i].key = f.key
            doc.months[i].random = f.random
            doc.months[i].special = f.special
            doc.months[i].joint = f.joint
            doc.months[i].effortTeamDays = round2(f.effort)
        }
        m.effortTeamDays = round2(effortTotal)
        m.capacityTeamDays = round2(doc.months.reduce(0) { $0 + $1.capacityTeamDays })
        doc.metrics = m
    }
}

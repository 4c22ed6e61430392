import Foundation
import GLPK
import Ledger
import Output
import Policy

/// Options of one planning run.
public struct PlanOptions: Sendable {
    /// Seconds GLPK may spend on each stage; on the limit the best plan found is kept.
    public var timeLimit: Double = 60
    /// Write the models solved, with their data, here (`.mps` free MPS or `.lp` CPLEX LP);
    /// the stages are numbered `FILE-1.mps`, `FILE-2.mps`, `FILE-3.mps`.
    public var writeModel: String? = nil
    public init() {}
}

/// The annual plan of one authority: class-level integer programs solved by GLPK
/// (models/annual-totals.mod, then models/annual-months.mod), units placed into months by a
/// documented priority, general units drawn with sha256-weighted/1.
public enum AnnualPlanner {
    public static func plan(_ ctx: PlanContext, options: PlanOptions = PlanOptions(), pins: Pins = Pins()) throws -> PlanDocument {
        let s = ctx.scenario
        let policy = s.policy

        let inputs = ModelInputs(ctx, pins: pins)
        let (classes, members, campaigns) = (inputs.classes, inputs.members, inputs.campaigns)
        let months = inputs.months
        let runner = try ModelRunner(timeLimit: options.timeLimit, mipGap: 1e-6, export: options.writeModel)

        // Stage 1: the year's totals.
        let r1 = try runner.run("annual-totals.mod", data: inputs.totals.data, exportNumber: 1).requireSolution()
        let keyTotals = try classes.map { try r1.int("K", .text($0.name)) }
        let randomTotal = try r1.int("R")
        let campaignTotals = try s.campaigns.indices.map { try r1.int("S", campaignSymbol($0)) }
        let jointTotal = try r1.int("J")

        // Stage 2: months.
        let monthsData = MonthsData(
            previous: inputs.previous, months: months, classes: classes.enumerated().map { ($0.element, members[$0.element]!.count, keyTotals[$0.offset]) },
            campaigns: s.campaigns.enumerated().map { ($0.element.months, campaignTotals[$0.offset]) },
            random: randomTotal, joint: jointTotal, jointMonths: s.joint.months,
            capacity: inputs.capacity, carry: inputs.carry, weight: renormalised(ctx.monthWeight, months), effort: s.effort, tolerance: policy.monthlyTolerance)
        let r2 = try runner.run("annual-months.mod", data: monthsData.data, exportNumber: 2).requireSolution()

        // Stage 3: each month's key visits among the classes, higher risk earlier.
        // A new plan's stage 2 has one class `key` (none without key units); a re-plan's, the classes.
        let keyPerMonth = try months.map { m in
            (m, inputs.previous == nil && !classes.isEmpty ? try r2.int("K", .text(UnitClass.key.rawValue), .number(m))
                : try classes.reduce(0) { $0 + (try r2.int("K", .text($1.name), .number(m))) })
        }
        let classesData = ClassesData(previous: inputs.previous, months: months, classes: monthsData.classes,
                                      keyPerMonth: Dictionary(uniqueKeysWithValues: keyPerMonth))
        let r3 = try runner.run("annual-classes.mod", data: classesData.data, exportNumber: 3).requireSolution()

        // Campaign visits first, on units with room beyond their due key visits; then key visits
        // (extra ones only where room is left); then the draws.
        var placement = Placement(ctx: ctx, inputs: inputs, pins: pins)
        for (p, c) in s.campaigns.enumerated() {
            let perMonth = try months.filter { c.months.contains($0) }.map { ($0, try r2.int("S", campaignSymbol(p), .number($0))) }
            // Stage 1's split of the campaign's visits over key classes and general units.
            var quota = [UnitClass.general.rawValue: try r1.int("SG", campaignSymbol(p))]
            for k in classes { quota[k.name] = try r1.int("SK", campaignSymbol(p), .text(k.name)) }
            placement.placeCampaign(name: c.name, eligible: campaigns[p], perMonth: perMonth, quota: quota)
        }
        for c in classes {
            placement.placeKeyVisits(units: members[c]!, perMonth: try months.map { ($0, try r3.int("K", .text(c.name), .number($0))) })
        }
        var randomPerMonth: [Int: Int] = [:], jointPerMonth: [Int: Int] = [:]
        for m in months { randomPerMonth[m] = try r2.int("R", .number(m)); jointPerMonth[m] = try r2.int("J", .number(m)) }
        try placement.draw(random: randomPerMonth, joint: jointPerMonth)

        var doc = Placement.document(ctx: ctx, visits: placement.visits, draws: placement.draws, pins: pins)
        doc.solver = ModelRunner.summary([r1.stage, r2.stage, r3.stage], objective: r1.result.objectiveValue ?? 0, level: "class")
        doc.checks = PlanVerifier.checks(doc)
        if !ctx.missingFields.isEmpty {
            doc.ledgerWarnings = ctx.missingFields.map { .init(unit: $0.unit, row: $0.row, column: $0.column, rule: $0.rule.id, message: $0.message) }
        }
        return doc
    }

    /// Month weights over the months that take new visits, summing to 1.
    static func renormalised(_ w: [Double], _ months: [Int]) -> [Double] {
        let total = months.reduce(0.0) { $0 + w[$1 - 1] }
        return (1...12).map { months.contains($0) && total > 0 ? w[$0 - 1] / total : 0 }
    }

    /// The largest step all efforts are whole multiples of (to 0.01 team-day).
    static func effortGrid(_ e: Effort) -> Double {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let g = [e.key, e.general, e.special].map { Int(($0 * 100).rounded()) }.reduce(0, gcd)
        return Double(max(1, g)) / 100
    }

}

public struct PlanningError: Error, CustomStringConvertible {
    private enum Kind { case noSolution(stage: String, status: String) }
    private let kind: Kind
    static func noSolution(stage: String, status: String) -> PlanningError { PlanningError(kind: .noSolution(stage: stage, status: status)) }
    public var description: String {
        switch kind {
        case .noSolution(let stage, let status):
            return "求解器未给出可行方案（\(stage)：\(status)）；请用 --time-limit 延长时限 (GLPK found no plan in stage \(stage): \(status); try a longer --time-limit)"
        }
    }
}

/// What the class-level models are built from, derived once from a plan context.
struct ModelInputs {
    let classes: [KeyClass]
    let members: [KeyClass: [Int]]
    /// Eligible units per campaign (indexes into ctx.units).
    let campaigns: [[Int]]
    let totals: TotalsData

    /// Months that take new visits.
    let months: [Int]
    /// Team-days per month for new visits (what kept visits use is taken off).
    let capacity: [Double]
    /// Team-days the months closed to new visits left unused before each month (index m − 1).
    let carry: [Double]
    /// Key visits still due per unit index, and the visits each unit can still take.
    let due: [Int: Int]
    let room: [Int: Int]
    let pinned: PinnedFigures
    let previous: PreviousCounts?
    /// The class name of each key unit with room (unit index → class).
    let classOfUnit: [Int: String]

    init(_ ctx: PlanContext, pins: Pins = Pins()) {
        let s = ctx.scenario
        let policy = s.policy
        let pinned = PinnedFigures(pins, ctx)
        self.pinned = pinned
        let time = Self.monthsAndCapacity(ctx, pinned: pinned, pins: pins)
        let (months, capacity, carry) = (time.months, time.capacity, time.carry)
        let units = Self.keyClasses(ctx, pinned: pinned)
        let (classes, members, due, room) = (units.classes, units.members, units.due, units.room)
        var classOfUnit: [Int: String] = [:]
        for c in classes { for i in members[c]! { classOfUnit[i] = c.name } }
        let campaigns = Self.campaignEligibility(ctx, pinned: pinned, due: due, room: room)
        let previous = pins.previous.map { Self.previousCounts($0, ctx: ctx, pins: pins, months: months, classOfUnit: classOfUnit) }
        let draws = Self.drawFigures(ctx, pinned: pinned, room: room)
        var campaignKey: [Int: [String: Int]] = [:]
        for (p, list) in campaigns.enumerated() {
            for i in list { if let c = classOfUnit[i] { campaignKey[p, default: [:]][c, default: 0] += 1 } }
        }
        (self.months, self.capacity, self.carry) = (months, capacity, carry)
        (self.classes, self.members, self.due, self.room) = (classes, members, due, room)
        (self.classOfUnit, self.campaigns, self.previous) = (classOfUnit, campaigns, previous)
        totals = TotalsData(
            classes: classes.map { ($0, members[$0]!.count) },
            xmax: pins.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: classes.map { c in
                (c.name, members[c]!.reduce(0) { $0 + max(0, room[$1]! - due[$1]!) }) }),
            pinnedTotal: pinned.total, pinnedKeyish: pinned.keyish, previous: previous,
            campaigns: s.campaigns.enumerated().map { ($0.element.name, max(0, $0.element.visits - (pinned.campaign[$0.element.name] ?? 0)), campaigns[$0.offset].count) },
            campaignKey: campaignKey,
            maxVisits: policy.maxVisitsPerUnit, months: months, capacity: capacity, carry: carry,
            campaignMonths: s.campaigns.map { $0.months }, jointMonths: s.joint.months, effort: s.effort,
            generalPool: draws.pool, drawMin: draws.min, sampleRate: policy.generalSampleRate,
            generalUnits: draws.allGeneral, drawnBefore: draws.drawnBefore,
            jointMin: draws.jointMin, jointMax: draws.industrial,
            // The floors of 五(十二) hold whatever a scenario built in code says (RULES.md §7.11).
            shareMin: max(policy.keyShareMin, PolicyParameters.keyShareFloor),
            shareFloor: PolicyParameters.keyShareFloor,
            ratioMin: max(policy.visitsPerWorkdayMin, PolicyParameters.visitsPerWorkdayFloor(s.authority.level)),
            ratioFloor: PolicyParameters.visitsPerWorkdayFloor(s.authority.level),
            workdays: max(0, ctx.budget.inspection))
    }

    /// Months that take new visits, each month's team-days for them and what the closed months
    /// carry forward.
    private static func monthsAndCapacity(_ ctx: PlanContext, pinned: PinnedFigures, pins: Pins)
        -> (months: [Int], capacity: [Double], carry: [Double]) {
        // Down to the hundredth of a team-day the plan publishes, so that anyone re-adding the
        // published figures finds the same room; less what kept visits use.
        let left = (0..<12).map { (ctx.capacity[$0] * 100 + 1e-9).rounded(.down) / 100 - pinned.effort[$0] }
        let capacity = left.map { max(0, $0) }
        let months = (1...12).filter { ctx.calendar.workdays(inMonth: $0) > 0 && capacity[$0 - 1] > 0 && !pins.frozenMonths.contains($0) }
        // Time carries forward (PLAN-BASIS): what the months closed to new visits left unused
        // (or overran) before each open month.
        let carry = (1...12).map { m in (1..<m).filter { !months.contains($0) }.reduce(0.0) { $0 + left[$1 - 1] } }
        return (months, capacity, carry)
    }

    /// Classes of key units (same risk level, visits still due and visits already kept), each
    /// unit's room under the yearly cap and the key visits it still has due.
    private static func keyClasses(_ ctx: PlanContext, pinned: PinnedFigures)
        -> (classes: [KeyClass], members: [KeyClass: [Int]], due: [Int: Int], room: [Int: Int]) {
        var members: [KeyClass: [Int]] = [:]
        var due: [Int: Int] = [:], room: [Int: Int] = [:]
        for i in ctx.own {
            room[i] = max(0, ctx.scenario.policy.maxVisitsPerUnit - (pinned.count[i] ?? 0))
        }
        for i in ctx.keyUnits where room[i]! > 0 {
            let d = min(room[i]!, max(0, (ctx.required[i] ?? 1) - (pinned.keyVisits[i] ?? 0)))
            due[i] = d
            members[KeyClass(risk: ctx.classifications[i].riskLevel, required: d, pinned: pinned.count[i] ?? 0), default: []].append(i)
        }
        let classes = members.keys.sorted { ($0.risk.rank, $0.required, $0.pinned) < ($1.risk.rank, $1.required, $1.pinned) }
        return (classes, members, due, room)
    }

    /// Campaign eligibility among this authority's units (each unit once per campaign).
    private static func campaignEligibility(_ ctx: PlanContext, pinned: PinnedFigures, due: [Int: Int], room: [Int: Int]) -> [[Int]] {
        zip(ctx.scenario.campaigns, ctx.campaignUnits).map { c, matching in
            // A key unit takes a campaign visit only with room beyond its due key visits.
            matching.filter { room[$0]! - (due[$0] ?? 0) > 0 && !(pinned.campaignUnits[c.name]?.contains(ctx.units[$0].id) ?? false) }
        }
    }

    /// The general units that may still be drawn, the draw minimum ⌈rate × general units⌉ less
    /// those drawn and visited already, and the joint check's size and pool.
    private static func drawFigures(_ ctx: PlanContext, pinned: PinnedFigures, room: [Int: Int])
        -> (pool: Int, min: Int, allGeneral: Int, drawnBefore: Int, jointMin: Int, industrial: Int) {
        let allGeneral = ctx.generalUnits
        let general = allGeneral.filter { !pinned.drawn.contains(ctx.units[$0].id) && room[$0]! > 0 }
        let industrial = general.filter(ctx.isIndustrial)
        let drawnAlready = allGeneral.filter { pinned.drawnVisited.contains(ctx.units[$0].id) }.count
        let drawMin = max(0, RandomDraw.minimum(rate: ctx.scenario.policy.generalSampleRate, of: allGeneral.count) - drawnAlready)
        let jointMin = ctx.jointDue && pinned.joint == 0 ? min(ctx.scenario.joint.visits, industrial.count) : 0
        return (general.count, min(drawMin, general.count), allGeneral.count, drawnAlready, jointMin, industrial.count)
    }

    /// Re-planning: the previous plan's unpinned visits in the open months, in today's classes.
    private static func previousCounts(_ prev: PlanDocument, ctx: PlanContext, pins: Pins, months: [Int],
                                       classOfUnit classOf: [Int: String]) -> PreviousCounts {
        let s = ctx.scenario
        var p = PreviousCounts()
        let kept = Set(pins.visits.map { $0.id })
        let index = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        for v in prev.visits where !kept.contains(v.id) && months.contains(v.month) {
            switch v.visitKind {
            case .key: if let i = index[v.unit], let c = classOf[i] { p.key[c, default: [:]][v.month, default: 0] += 1 }
            case .random: p.random[v.month, default: 0] += 1
            case .joint: p.joint[v.month, default: 0] += 1
            case .special:
                if let ci = s.campaigns.firstIndex(where: { $0.name == v.campaign }) {
                    p.campaign[ci, default: [:]][v.month, default: 0] += 1
                    let group = index[v.unit].flatMap { classOf[$0] } ?? UnitClass.general.rawValue
                    p.campaignSplit[ci, default: [:]][group, default: 0] += 1
                }
            case .triggered, nil: break
            }
        }
        return p
    }
}

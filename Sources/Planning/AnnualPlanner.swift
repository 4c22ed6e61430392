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
        let (classes, members, campaigns, totals) = (inputs.classes, inputs.members, inputs.campaigns, inputs.totals)
        let months = inputs.months
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("planner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        var solveOptions = SolveOptions(timeLimit: options.timeLimit, relativeMIPGap: 1e-6)
        solveOptions.messageLevel = .off
        // Measured: without cuts GLPK's branch and bound stalls on the capacity knapsack even
        // at 38 columns; with them both stages close at the root.
        solveOptions.cuts = .all

        // Stage 1: the year's totals.
        let (stage1, r1) = try solve(model: "annual-totals.mod", data: totals.text, stage: 1, work: work, options: solveOptions, writeModel: options.writeModel)
        guard r1.hasSolution else { throw PlanningError.noSolution(stage: "annual-totals", status: "\(r1.status)") }
        func v1(_ name: String) -> Int { Int((r1.value(named: name) ?? 0).rounded()) }
        let keyTotals = classes.map { v1("K[\($0.name)]") }
        let randomTotal = v1("R")
        let campaignTotals = s.campaigns.indices.map { v1("S[p\($0 + 1)]") }
        let jointTotal = v1("J")

        // Stage 2: months.
        let monthsData = MonthsData(
            previous: inputs.previous, months: months, classes: classes.enumerated().map { ($0.element, members[$0.element]!.count, keyTotals[$0.offset]) },
            campaigns: s.campaigns.enumerated().map { ($0.element.months, campaignTotals[$0.offset]) },
            random: randomTotal, joint: jointTotal, jointMonths: s.joint.months,
            capacity: inputs.capacity, carry: inputs.carry, weight: renormalised(ctx.monthWeight, months), effort: s.effort, tolerance: policy.monthlyTolerance)
        let (stage2, r2) = try solve(model: "annual-months.mod", data: monthsData.text, stage: 2, work: work, options: solveOptions, writeModel: options.writeModel)
        guard r2.hasSolution else { throw PlanningError.noSolution(stage: "annual-months", status: "\(r2.status)") }
        func v2(_ name: String) -> Int { Int((r2.value(named: name) ?? 0).rounded()) }

        // Stage 3: each month's key visits among the classes, higher risk earlier.
        let classesData = ClassesData(previous: inputs.previous, months: months,
                                      classes: monthsData.classes, keyPerMonth: Dictionary(uniqueKeysWithValues: months.map { m in
                                          (m, inputs.previous == nil ? v2("K[key,\(m)]") : classes.reduce(0) { $0 + v2("K[\($1.name),\(m)]") }) }))
        let (stage3, r3) = try solve(model: "annual-classes.mod", data: classesData.text, stage: 3, work: work, options: solveOptions, writeModel: options.writeModel)
        guard r3.hasSolution else { throw PlanningError.noSolution(stage: "annual-classes", status: "\(r3.status)") }
        func v3(_ name: String) -> Int { Int((r3.value(named: name) ?? 0).rounded()) }

        // Campaign visits first, on units with room beyond their due key visits; then key visits
        // (extra ones only where room is left); then the draws.

        var placement = Placement(ctx: ctx, inputs: inputs, pins: pins)
        for (p, c) in s.campaigns.enumerated() {
            let perMonth = months.filter { c.months.contains($0) }.map { ($0, v2("S[p\(p + 1),\($0)]")) }
            // Stage 1's split of the campaign's visits over key classes and general units.
            var quota = ["general": v1("SG[p\(p + 1)]")]
            for k in classes { quota[k.name] = v1("SK[p\(p + 1),\(k.name)]") }
            placement.placeCampaign(name: c.name, eligible: campaigns[p], perMonth: perMonth, quota: quota)
        }
        for c in classes {
            placement.placeKeyVisits(units: members[c]!, perMonth: months.map { ($0, v3("K[\(c.name),\($0)]")) })
        }
        var randomPerMonth: [Int: Int] = [:], jointPerMonth: [Int: Int] = [:]
        for m in months { randomPerMonth[m] = v2("R[\(m)]"); jointPerMonth[m] = v2("J[\(m)]") }
        try placement.draw(random: randomPerMonth, joint: jointPerMonth)

        var doc = Placement.document(ctx: ctx, visits: placement.visits, draws: placement.draws, pins: pins)
        doc.solver = PlanDocument.Solver(
            status: worst([r1.status, r2.status, r3.status]), objective: r1.objectiveValue ?? 0,
            mipGap: max(gap(r1), gap(r2), gap(r3)), seconds: r1.solveSeconds + r2.solveSeconds + r3.solveSeconds, level: "class",
            stages: [stage1, stage2, stage3])
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

    static func gap(_ r: SolveResult) -> Double {
        switch r.status {
        case .optimal: return 0
        default: return r.mipGap ?? 0
        }
    }

    static func statusName(_ s: SolveStatus) -> String {
        switch s {
        case .optimal: return "optimal"
        case .withinGap: return "within_gap"
        case .timeLimit(let found): return found ? "time_limit" : "time_limit_no_solution"
        case .infeasible: return "infeasible"
        case .unbounded: return "unbounded"
        case .failed: return "failed"
        }
    }

    /// The least good of the stages' statuses.
    static func worst(_ statuses: [SolveStatus]) -> String {
        let order = ["optimal", "within_gap", "time_limit", "time_limit_no_solution", "infeasible", "unbounded", "failed"]
        return statuses.map(statusName).max { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! } ?? "optimal"
    }

    static func solve(model: String, data: String, stage: Int, work: URL, options: SolveOptions, writeModel: String?) throws -> (PlanDocument.Stage, SolveResult) {
        let dataPath = work.appendingPathComponent("stage\(stage).dat").path
        try data.write(toFile: dataPath, atomically: true, encoding: .utf8)
        let m = try MathProgModel(modelFile: try ModelLibrary.path(model), dataFiles: [dataPath])
        let r = try m.solve(options)
        if let target = writeModel {
            let ext = (target as NSString).pathExtension.lowercased()
            let base = (target as NSString).deletingPathExtension
            let path = "\(base)-\(stage).\(ext.isEmpty ? "mps" : ext)"
            // Each file all or nothing, never through a symlink or onto a device (FileOutput).
            try FileOutput.write(to: path) { temporary in
                _ = try m.problem.write(to: temporary, format: ext == "lp" ? .cplexLP : .freeMPS)
            }
            // The data section too, so `glpsol -m models/<model> -d FILE-N.dat` re-solves it.
            try FileOutput.write(data, to: "\(base)-\(stage).dat")
        }
        let stageInfo = PlanDocument.Stage(name: (model as NSString).deletingPathExtension, status: statusName(r.status),
                                           objective: r.objectiveValue ?? 0, mipGap: gap(r), seconds: r.solveSeconds,
                                           rows: m.problem.rowCount, columns: m.problem.columnCount)
        return (stageInfo, r)
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
        // Down to the hundredth of a team-day the plan publishes, so that anyone re-adding the
        // published figures finds the same room; less what kept visits use.
        let left = (0..<12).map { (ctx.capacity[$0] * 100 + 1e-9).rounded(.down) / 100 - pinned.effort[$0] }
        let capacity = left.map { max(0, $0) }
        self.capacity = capacity
        let months = (1...12).filter { ctx.calendar.workdays(inMonth: $0) > 0 && capacity[$0 - 1] > 0 && !pins.frozenMonths.contains($0) }
        self.months = months
        // Time carries forward (PLAN-BASIS): what the months closed to new visits left unused
        // (or overran) before each open month.
        self.carry = (1...12).map { m in (1..<m).filter { !months.contains($0) }.reduce(0.0) { $0 + left[$1 - 1] } }
        // Classes of key units: same risk level, visits still due and visits already kept.
        var members: [KeyClass: [Int]] = [:]
        var due: [Int: Int] = [:], room: [Int: Int] = [:]
        for i in ctx.own {
            room[i] = max(0, policy.maxVisitsPerUnit - (pinned.count[i] ?? 0))
        }
        for i in ctx.keyUnits where room[i]! > 0 {
            let d = min(room[i]!, max(0, (ctx.required[i] ?? 1) - (pinned.keyVisits[i] ?? 0)))
            due[i] = d
            members[KeyClass(risk: ctx.classifications[i].riskLevel, required: d, pinned: pinned.count[i] ?? 0), default: []].append(i)
        }
        self.due = due
        self.room = room
        let classes = members.keys.sorted { ($0.risk.rank, $0.required, $0.pinned) < ($1.risk.rank, $1.required, $1.pinned) }

        // Campaign eligibility among this authority's units (each unit once per campaign).
        let campaigns = s.campaigns.map { c in
            // A key unit takes a campaign visit only with room beyond its due key visits.
            ctx.own.filter { c.matches(ctx.units[$0]) && room[$0]! - (due[$0] ?? 0) > 0 && !(pinned.campaignUnits[c.name]?.contains(ctx.units[$0].id) ?? false) }
        }
        let allGeneral = ctx.generalUnits
        let general = allGeneral.filter { !pinned.drawn.contains(ctx.units[$0].id) && room[$0]! > 0 }
        let industrial = general.filter(ctx.isIndustrial)
        let drawnAlready = allGeneral.filter { pinned.drawnVisited.contains(ctx.units[$0].id) }.count
        let drawMin = max(0, Int((policy.generalSampleRate * Double(allGeneral.count) - 1e-9).rounded(.up)) - drawnAlready)
        let jointMin = ctx.jointDue && pinned.joint == 0 ? min(s.joint.visits, industrial.count) : 0
        // Re-planning: the previous plan's unpinned visits in the open months, in today's classes.
        if let prev = pins.previous {
            var p = PreviousCounts()
            let kept = Set(pins.visits.map { $0.id })
            let index = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
            var classOf: [Int: String] = [:]
            for c in classes { for i in members[c]! { classOf[i] = c.name } }
            for v in prev.visits where !kept.contains(v.id) && months.contains(v.month) {
                switch v.kind {
                case "key": if let i = index[v.unit], let c = classOf[i] { p.key[c, default: [:]][v.month, default: 0] += 1 }
                case "random": p.random[v.month, default: 0] += 1
                case "joint": p.joint[v.month, default: 0] += 1
                case "special":
                    if let ci = s.campaigns.firstIndex(where: { $0.name == v.campaign }) {
                        p.campaign[ci, default: [:]][v.month, default: 0] += 1
                        let group = index[v.unit].flatMap { classOf[$0] } ?? "general"
                        p.campaignSplit[ci, default: [:]][group, default: 0] += 1
                    }
                default: break
                }
            }
            previous = p
        } else { previous = nil }
        var campaignKey: [Int: [String: Int]] = [:]
        var classOfUnit: [Int: String] = [:]
        for c in classes { for i in members[c]! { classOfUnit[i] = c.name } }
        for (p, list) in campaigns.enumerated() {
            for i in list { if let c = classOfUnit[i] { campaignKey[p, default: [:]][c, default: 0] += 1 } }
        }
        self.classOfUnit = classOfUnit
        self.classes = classes
        self.members = members
        self.campaigns = campaigns
        self.totals = TotalsData(
            classes: classes.map { ($0, members[$0]!.count) },
            xmax: pins.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: classes.map { c in
                (c.name, members[c]!.reduce(0) { $0 + max(0, room[$1]! - due[$1]!) }) }),
            pinnedTotal: pinned.total, pinnedKeyish: pinned.keyish, previous: previous,
            campaigns: s.campaigns.enumerated().map { ($0.element.name, max(0, $0.element.visits - (pinned.campaign[$0.element.name] ?? 0)), campaigns[$0.offset].count) },
            campaignKey: campaignKey,
            maxVisits: policy.maxVisitsPerUnit, months: months, capacity: capacity, carry: carry,
            campaignMonths: s.campaigns.map { $0.months }, jointMonths: s.joint.months, effort: s.effort,
            generalPool: general.count, drawMin: min(drawMin, general.count), jointMin: jointMin, jointMax: industrial.count,
            // The floors of 五(十二) hold whatever a scenario built in code says (RULES.md §7.11).
            shareMin: max(policy.keyShareMin, PolicyParameters.keyShareFloor),
            ratioMin: max(policy.visitsPerWorkdayMin, PolicyParameters.visitsPerWorkdayFloor(s.authority.level)),
            workdays: max(0, ctx.budget.inspection))

    }
}

import Foundation
import GLPK
import Ledger
import Policy

/// Options of one planning run.
public struct PlanOptions: Sendable {
    /// Seconds GLPK may spend on each stage; on the limit the best plan found is kept.
    public var timeLimit: Double = 60
    /// Write the models solved, with their data, here (`.mps` free MPS or `.lp` CPLEX LP);
    /// several stages are numbered `FILE-1.mps`, `FILE-2.mps`.
    public var writeModel: String? = nil
    public init() {}
}

/// The annual plan of one authority: class-level integer programs solved by GLPK
/// (models/annual-totals.mod, then models/annual-months.mod), units placed into months by a
/// documented priority, general units drawn with sha256-weighted/1.
public enum AnnualPlanner {
    public static func plan(_ ctx: PlanContext, options: PlanOptions = PlanOptions()) throws -> PlanDocument {
        let s = ctx.scenario
        let policy = s.policy
        let months = (1...12).filter { ctx.calendar.workdays(inMonth: $0) > 0 && ctx.capacity[$0 - 1] > 0 }
        let allMonths = (1...12).filter { ctx.calendar.workdays(inMonth: $0) > 0 }

        let inputs = ModelInputs(ctx)
        let (classes, members, campaigns, totals) = (inputs.classes, inputs.members, inputs.campaigns, inputs.totals)
        let grid = inputs.grid
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
            months: months, classes: classes.enumerated().map { ($0.element, members[$0.element]!.count, keyTotals[$0.offset]) },
            campaigns: s.campaigns.enumerated().map { ($0.element.months, campaignTotals[$0.offset]) },
            random: randomTotal, joint: jointTotal, jointMonths: s.joint.months,
            capacity: ctx.capacity, weight: ctx.monthWeight, effort: s.effort, tolerance: policy.monthlyTolerance, grid: grid)
        let (stage2, r2) = try solve(model: "annual-months.mod", data: monthsData.text, stage: 2, work: work, options: solveOptions, writeModel: options.writeModel)
        guard r2.hasSolution else { throw PlanningError.noSolution(stage: "annual-months", status: "\(r2.status)") }
        func v2(_ name: String) -> Int { Int((r2.value(named: name) ?? 0).rounded()) }

        var placement = Placement(ctx: ctx)
        for c in classes {
            placement.placeKeyVisits(units: members[c]!, perMonth: months.map { ($0, v2("K[\(c.name),\($0)]")) })
        }
        for (p, c) in s.campaigns.enumerated() {
            let perMonth = months.filter { c.months.contains($0) }.map { ($0, v2("S[p\(p + 1),\($0)]")) }
            placement.placeCampaign(name: c.name, eligible: campaigns[p], perMonth: perMonth)
        }
        var randomPerMonth: [Int: Int] = [:], jointPerMonth: [Int: Int] = [:]
        for m in months { randomPerMonth[m] = v2("R[\(m)]"); jointPerMonth[m] = v2("J[\(m)]") }
        try placement.draw(random: randomPerMonth, joint: jointPerMonth)

        var doc = Placement.document(ctx: ctx, visits: placement.visits, draws: placement.draws)
        doc.solver = PlanDocument.Solver(
            status: worst(r1.status, r2.status), objective: r1.objectiveValue ?? 0,
            mipGap: max(gap(r1), gap(r2)), seconds: r1.solveSeconds + r2.solveSeconds, level: "class",
            stages: [stage1, stage2])
        doc.checks = PlanVerifier.checks(doc)
        return doc
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

    static func worst(_ a: SolveStatus, _ b: SolveStatus) -> String {
        let order = ["optimal", "within_gap", "time_limit", "time_limit_no_solution", "infeasible", "unbounded", "failed"]
        let x = statusName(a), y = statusName(b)
        return order.firstIndex(of: x)! >= order.firstIndex(of: y)! ? x : y
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
            _ = try m.problem.write(to: path, format: ext == "lp" ? .cplexLP : .freeMPS)
            // The data section too, so `glpsol -m models/<model> -d FILE-N.dat` re-solves it.
            try data.write(toFile: "\(base)-\(stage).dat", atomically: true, encoding: .utf8)
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
    let grid: Double
    /// Team-days the months lose to whole-step rounding.
    let rounding: Double

    init(_ ctx: PlanContext) {
        let s = ctx.scenario
        let policy = s.policy
        let months = (1...12).filter { ctx.calendar.workdays(inMonth: $0) > 0 && ctx.capacity[$0 - 1] > 0 }
        let allMonths = (1...12).filter { ctx.calendar.workdays(inMonth: $0) > 0 }
        // Classes of key units: same risk level and required visits.
        var members: [KeyClass: [Int]] = [:]
        for i in ctx.keyUnits {
            members[KeyClass(risk: ctx.classifications[i].riskLevel, required: ctx.required[i] ?? 1), default: []].append(i)
        }
        let classes = members.keys.sorted { ($0.risk.rank, $0.required) < ($1.risk.rank, $1.required) }

        // Campaign eligibility among this authority's units.
        let campaigns = s.campaigns.map { c in ctx.own.filter { c.matches(ctx.units[$0]) } }
        let general = ctx.generalUnits
        let industrial = general.filter(ctx.isIndustrial)
        let drawMin = Int((policy.generalSampleRate * Double(general.count) - 1e-9).rounded(.up))
        let jointMin = ctx.jointDue ? s.joint.visits : 0
        // Team-days add up in steps of the efforts' common grid (0.5 when every visit takes 0.5).
        let grid = AnnualPlanner.effortGrid(s.effort)
        let equalEfforts = s.effort.key == s.effort.general && s.effort.general == s.effort.special
        let maxEffort = max(s.effort.key, s.effort.general, s.effort.special)
        let capTotal = months.reduce(0.0) { total, m in
            let whole = grid * (ctx.capacity[m - 1] / grid + 1e-9).rounded(.down)
            // With unequal efforts a month may not fill exactly: leave one visit's worth for rounding.
            return total + max(0, equalEfforts ? whole : whole - maxEffort)
        }

        self.grid = grid
        self.rounding = months.reduce(0.0) { $0 + ctx.capacity[$1 - 1] } - capTotal
        self.classes = classes
        self.members = members
        self.campaigns = campaigns
        self.totals = TotalsData(
            classes: classes.map { ($0, members[$0]!.count) },
            campaigns: s.campaigns.enumerated().map { ($0.element.name, $0.element.visits, campaigns[$0.offset].count) },
            maxVisits: policy.maxVisitsPerUnit, months: allMonths.count, capTotal: capTotal, effort: s.effort,
            generalPool: general.count, drawMin: min(drawMin, general.count), jointMin: jointMin, jointMax: industrial.count,
            shareMin: policy.keyShareMin, ratioMin: policy.visitsPerWorkdayMin, workdays: max(0, ctx.budget.inspection))

    }
}

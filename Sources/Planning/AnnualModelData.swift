import Foundation
import Ledger
import Policy

/// The data sections of `models/annual-totals.mod` and `models/annual-months.mod`, written
/// deterministically (same context → same bytes).
struct KeyClass: Hashable {
    let risk: RiskLevel
    let required: Int
    /// Visits already kept for units of the class (mid-year re-planning).
    var pinned: Int = 0
    var name: String { pinned == 0 ? "\(risk.rawValue)_\(required)" : "\(risk.rawValue)_\(required)_p\(pinned)" }
    /// Stage 2: higher-risk classes earlier.
    var urgency: Double { Double(4 - risk.rank) }
    /// Stage 1: value of one extra full-coverage visit (risk-weighted coverage).
    var value: Double {
        switch risk { case .red: return 2.0; case .orange: return 1.0; case .yellow: return 0.3; case .blue: return 0.1 }
    }
}

/// Value of one random visit beyond the minimum: above an extra visit to a yellow/blue key
/// unit's… no: between yellow (0.3) and blue (0.1) — spare capacity goes first to second
/// visits of red and orange units, then yellow, then to more random draws, then blue.
let randomVisitValue = 0.2
/// Price of one visit of shortfall of a rule.
let shortfallPenalty = 1000.0

func num(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
    return String(format: "%.6f", v)
}

struct TotalsData {
    var classes: [(KeyClass, count: Int)]
    /// Extra key visits each class can take, when less than units × (cap − required).
    var xmax: [String: Int] = [:]
    var pinnedTotal = 0
    var pinnedKeyish = 0
    /// Re-planning: the previous plan's totals in the open months, and the price of a change.
    var previous: PreviousCounts? = nil
    var campaigns: [(name: String, min: Int, max: Int)]
    /// Eligible key units per campaign (index) and class name.
    var campaignKey: [Int: [String: Int]] = [:]
    var maxVisits: Int
    /// Months that take new visits, their team-days (index month − 1), each campaign's months
    /// and the months the joint check may fall in (empty: any).
    var months: [Int]
    var capacity: [Double]
    var carry: [Double]
    var campaignMonths: [[Int]]
    var jointMonths: [Int]
    var effort: Effort
    var generalPool: Int
    var drawMin: Int
    var jointMin: Int
    var jointMax: Int
    var shareMin: Double
    var ratioMin: Double
    var workdays: Double

    var text: String {
        var s = "data;\n\n"
        s += "set C :=" + classes.map { " \($0.0.name)" }.joined() + ";\n"
        s += "set P :=" + campaigns.indices.map { " p\($0 + 1)" }.joined() + ";\n"
        s += monthSets(months: months, campaignMonths: campaignMonths, jointMonths: jointMonths, capacity: capacity, carry: carry, grid: AnnualPlanner.effortGrid(effort))
        if !classes.isEmpty {
            s += "param: n req value :=\n"
            for (c, n) in classes { s += "  \(c.name) \(n) \(c.required) \(num(c.value))\n" }
            s += ";\n"
        }
        if !xmax.isEmpty {
            s += "param xmax :=" + classes.compactMap { c in xmax[c.0.name].map { " \(c.0.name) \($0)" } }.joined() + ";\n"
        }
        if pinnedTotal > 0 { s += "param pinned_total := \(pinnedTotal);\nparam pinned_keyish := \(pinnedKeyish);\n" }
        if let p = previous {
            s += "param change_cost := \(num(changeCost));\n"
            s += "param Kprev :=" + classes.map { c in " \(c.0.name) \(p.key[c.0.name]?.values.reduce(0, +) ?? 0)" }.joined() + ";\n"
            s += "param Rprev := \(p.random.values.reduce(0, +));\nparam Jprev := \(p.joint.values.reduce(0, +));\n"
            if !campaigns.isEmpty {
                s += "param Sprev :=" + campaigns.indices.map { " p\($0 + 1) \(p.campaign[$0]?.values.reduce(0, +) ?? 0)" }.joined() + ";\n"
                s += "param SGprev :=" + campaigns.indices.map { " p\($0 + 1) \(p.campaignSplit[$0]?["general"] ?? 0)" }.joined() + ";\n"
                let sk = campaigns.indices.flatMap { i in classes.compactMap { c in p.campaignSplit[i]?[c.0.name].map { " p\(i + 1) \(c.0.name) \($0)" } } }
                if !sk.isEmpty { s += "param SKprev :=" + sk.joined() + ";\n" }
            }
        }
        let ck = campaigns.indices.flatMap { p in classes.compactMap { c in campaignKey[p]?[c.0.name].map { " p\(p + 1) \(c.0.name) \($0)" } } }
        if !ck.isEmpty { s += "param camp_key :=" + ck.joined() + ";\n" }
        if !campaigns.isEmpty {
            s += "param: camp_min camp_max :=\n"
            for (i, p) in campaigns.enumerated() { s += "  p\(i + 1) \(p.min) \(p.max)\n" }
            s += ";\n"
        }
        s += """
        param maxv := \(maxVisits);
        param eff_key := \(num(effort.key));
        param eff_gen := \(num(effort.general));
        param eff_spec := \(num(effort.special));
        param G := \(generalPool);
        param draw_min := \(drawMin);
        param random_value := \(num(randomVisitValue));
        param joint_min := \(jointMin);
        param joint_max := \(jointMax);
        param share_min := \(num(shareMin));
        param ratio_min := \(num(ratioMin));
        param workdays := \(num(workdays));
        param penalty := \(num(shortfallPenalty));

        end;

        """
        return s
    }
}

/// Re-planning: price of one visit changed against the previous plan (above every coverage
/// value and the balance, far below a rule's shortfall).
let changeCost = 5.0

/// The previous plan's visits in the months still open, by class/campaign and month.
struct PreviousCounts {
    var key: [String: [Int: Int]] = [:]
    var random: [Int: Int] = [:]
    var joint: [Int: Int] = [:]
    var campaign: [Int: [Int: Int]] = [:]
    /// Campaign visits by campaign index and key class name, or "general".
    var campaignSplit: [Int: [String: Int]] = [:]
}

struct MonthsData {
    var previous: PreviousCounts? = nil
    var months: [Int]
    var classes: [(KeyClass, count: Int, total: Int)]
    var campaigns: [(months: [Int], total: Int)]
    var random: Int
    var joint: Int
    var jointMonths: [Int]
    var capacity: [Double]   // index month-1
    var carry: [Double]      // index month-1
    var weight: [Double]
    var effort: Effort
    var tolerance: Double

    var text: String {
        var s = "data;\n\n"
        // A new plan counts key visits together (stage 3 shares each month's among the classes);
        // a re-plan keeps its classes, so that each keeps its months.
        let rows: [(name: String, total: Int, n: Int, urgency: Double)] = previous == nil
            ? (classes.isEmpty ? [] : [("key", classes.reduce(0) { $0 + $1.total }, classes.reduce(0) { $0 + $1.count }, 1)])
            : classes.map { ($0.0.name, $0.total, $0.count, $0.0.urgency) }
        s += "set C :=" + rows.map { " \($0.name)" }.joined() + ";\n"
        s += "set P :=" + campaigns.indices.map { " p\($0 + 1)" }.joined() + ";\n"
        s += monthSets(months: months, campaignMonths: campaigns.map { $0.months }, jointMonths: jointMonths, capacity: nil, carry: carry, grid: AnnualPlanner.effortGrid(effort))
        if !rows.isEmpty {
            s += "param: Kt n urgency :=\n"
            for r in rows { s += "  \(r.name) \(r.total) \(r.n) \(num(r.urgency))\n" }
            s += ";\n"
        }
        if !campaigns.isEmpty {
            s += "param St :=" + campaigns.enumerated().map { " p\($0.offset + 1) \($0.element.total)" }.joined() + ";\n"
        }
        if let p = previous {
            s += "param change_cost := \(num(changeCost));\n"
            let k = classes.flatMap { c in months.compactMap { m in p.key[c.0.name]?[m].map { " \(c.0.name) \(m) \($0)" } } }
            if !k.isEmpty { s += "param Kprev :=" + k.joined() + ";\n" }
            let r = months.compactMap { m in p.random[m].map { " \(m) \($0)" } }
            if !r.isEmpty { s += "param Rprev :=" + r.joined() + ";\n" }
            let j = months.compactMap { m in p.joint[m].map { " \(m) \($0)" } }
            if !j.isEmpty { s += "param Jprev :=" + j.joined() + ";\n" }
            let sp = campaigns.indices.flatMap { i in campaigns[i].months.filter { months.contains($0) }.compactMap { m in p.campaign[i]?[m].map { " p\(i + 1) \(m) \($0)" } } }
            if !sp.isEmpty { s += "param Sprev :=" + sp.joined() + ";\n" }
        }
        s += "param: cap weight :=\n"
        for m in months { s += "  \(m) \(num(capacity[m - 1])) \(num(weight[m - 1]))\n" }
        s += ";\n"
        s += """
        param Rt := \(random);
        param Jt := \(joint);
        param eff_key := \(num(effort.key));
        param eff_gen := \(num(effort.general));
        param eff_spec := \(num(effort.special));
        param tol := \(num(tolerance));
        param penalty := \(num(shortfallPenalty));

        end;

        """
        return s
    }
}

/// The month sets both stages share: `M`, `PM` (a campaign's months among them), `jallow`,
/// `carry` and, for stage 1, each month's team-days `cap`.
func monthSets(months: [Int], campaignMonths: [[Int]], jointMonths: [Int], capacity: [Double]?, carry: [Double], grid: Double) -> String {
    var s = "set M :=" + months.map { " \($0)" }.joined() + ";\n"
    s += "param grid := \(num(grid));\n"
    s += "set PM :=" + campaignMonths.enumerated().flatMap { i, ms in ms.filter { months.contains($0) }.map { " (p\(i + 1),\($0))" } }.joined() + ";\n\n"
    if !jointMonths.isEmpty {
        s += "param jallow :=" + months.map { " \($0) \(jointMonths.contains($0) ? 1 : 0)" }.joined() + ";\n"
    }
    if months.contains(where: { abs(carry[$0 - 1]) > 1e-9 }) {
        s += "param carry :=" + months.map { " \($0) \(num(carry[$0 - 1]))" }.joined() + ";\n"
    }
    if let capacity, !months.isEmpty {
        s += "param cap :=" + months.map { " \($0) \(num(capacity[$0 - 1]))" }.joined() + ";\n"
    }
    return s
}

/// The data section of `models/annual-classes.mod`: each month's key visits (stage 2) shared
/// among the classes.
struct ClassesData {
    var previous: PreviousCounts? = nil
    var months: [Int]
    var classes: [(KeyClass, count: Int, total: Int)]
    /// Key visits per month from stage 2.
    var keyPerMonth: [Int: Int]

    var text: String {
        var s = "data;\n\n"
        s += "set M :=" + months.map { " \($0)" }.joined() + ";\n"
        s += "set C :=" + classes.map { " \($0.0.name)" }.joined() + ";\n\n"
        if !classes.isEmpty {
            s += "param: Kt n urgency :=\n"
            for (c, n, t) in classes { s += "  \(c.name) \(t) \(n) \(num(c.urgency))\n" }
            s += ";\n"
        }
        if !months.isEmpty { s += "param KM :=" + months.map { " \($0) \(keyPerMonth[$0] ?? 0)" }.joined() + ";\n" }
        if let p = previous {
            s += "param change_cost := \(num(changeCost));\n"
            let k = classes.flatMap { c in months.compactMap { m in p.key[c.0.name]?[m].map { " \(c.0.name) \(m) \($0)" } } }
            if !k.isEmpty { s += "param Kprev :=" + k.joined() + ";\n" }
        }
        s += "param penalty := \(num(shortfallPenalty));\n\nend;\n"
        return s
    }
}

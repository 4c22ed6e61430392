import Foundation
import Ledger
import Policy

/// The data sections of `models/annual-totals.mod` and `models/annual-months.mod`, written
/// deterministically (same context → same bytes).
struct KeyClass: Hashable {
    let risk: RiskLevel
    let required: Int
    var name: String { "\(risk.rawValue)_\(required)" }
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
    var campaigns: [(name: String, min: Int, max: Int)]
    var maxVisits: Int
    var months: Int
    var capTotal: Double
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
        s += "set P :=" + campaigns.indices.map { " p\($0 + 1)" }.joined() + ";\n\n"
        if !classes.isEmpty {
            s += "param: n req value :=\n"
            for (c, n) in classes { s += "  \(c.name) \(n) \(c.required) \(num(c.value))\n" }
            s += ";\n"
        }
        if !campaigns.isEmpty {
            s += "param: camp_min camp_max :=\n"
            for (i, p) in campaigns.enumerated() { s += "  p\(i + 1) \(p.min) \(p.max)\n" }
            s += ";\n"
        }
        s += """
        param maxv := \(maxVisits);
        param months := \(months);
        param cap_total := \(num(capTotal));
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

struct MonthsData {
    var months: [Int]
    var classes: [(KeyClass, count: Int, total: Int)]
    var campaigns: [(months: [Int], total: Int)]
    var random: Int
    var joint: Int
    var jointMonths: [Int]
    var capacity: [Double]   // index month-1
    var weight: [Double]
    var effort: Effort
    var tolerance: Double
    var grid: Double

    var text: String {
        var s = "data;\n\n"
        s += "set M :=" + months.map { " \($0)" }.joined() + ";\n"
        s += "set C :=" + classes.map { " \($0.0.name)" }.joined() + ";\n"
        s += "set P :=" + campaigns.indices.map { " p\($0 + 1)" }.joined() + ";\n"
        s += "set PM :=" + campaigns.enumerated().flatMap { i, p in p.months.filter { months.contains($0) }.map { " (p\(i + 1),\($0))" } }.joined() + ";\n\n"
        if !classes.isEmpty {
            s += "param: Kt n urgency :=\n"
            for (c, n, t) in classes { s += "  \(c.name) \(t) \(n) \(num(c.urgency))\n" }
            s += ";\n"
        }
        if !campaigns.isEmpty {
            s += "param St :=" + campaigns.enumerated().map { " p\($0.offset + 1) \($0.element.total)" }.joined() + ";\n"
        }
        if !jointMonths.isEmpty {
            s += "param jallow :=" + months.map { " \($0) \(jointMonths.contains($0) ? 1 : 0)" }.joined() + ";\n"
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
        param grid := \(num(grid));
        param penalty := \(num(shortfallPenalty));

        end;

        """
        return s
    }
}

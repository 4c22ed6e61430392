import Foundation
import GLPK
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
/// A key unit left unvisited costs this many shortfalls, plus `coverRiskWeight` per point of its
/// class's coverage value (so lower-risk units lose visits first).
let coverShortfallFactor = 2.0
let coverRiskWeight = 0.01
/// Stage 2: price of a random visit outside its month's band (a visit outside the month's
/// balance band costs 1).
let randomSpreadCost = 0.5
/// Stages 2 and 3: price per key visit, month of delay and point of urgency.
let delayCost = 0.001

/// Staffing mode of annual-totals.mod: the question and today's workday figures.
struct StaffingFigures {
    /// `officers`, `days`, `draws` or `effort`.
    var mode: String
    /// Today's inspection person-days (negative when the deductions exceed the gross).
    var workdays: Double
    /// Person-days one full-time officer adds.
    var perOfficer: Double
    var capfactor: Double
    var rounding: Double
    var officersNow: Int
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
    /// What `drawMin` is computed from (the model checks it): the sampling rate, all general
    /// units, those drawn and visited already.
    var sampleRate: Double
    var generalUnits: Int
    var drawnBefore: Int
    var jointMin: Int
    var jointMax: Int
    var shareMin: Double
    var shareFloor: Double
    var ratioMin: Double
    var ratioFloor: Double
    var workdays: Double
    /// Staffing mode; nil for the plan.
    var staffing: StaffingFigures? = nil

    var data: MathProgData {
        var d = MathProgData()
        if let staffing { d.param("mode", symbol: .text(staffing.mode)) }
        let names = classes.map { MathProgSymbol($0.0.name) }
        d.set("C", names)
        d.set("P", campaigns.indices.map(campaignSymbol))
        monthSets(&d, months: months, campaignMonths: campaignMonths, jointMonths: jointMonths, capacity: capacity, carry: carry, grid: AnnualPlanner.effortGrid(effort))
        if !classes.isEmpty {
            d.table(["n", "req", "value"], rows: classes.map { c, n in (MathProgSymbol(c.name), [Double(n), Double(c.required), c.value]) })
        }
        if !xmax.isEmpty {
            d.param("xmax", classes.compactMap { c in xmax[c.0.name].map { (MathProgSymbol(c.0.name), Double($0)) } })
        }
        if pinnedTotal > 0 { d.param("pinned_total", pinnedTotal); d.param("pinned_keyish", pinnedKeyish) }
        if let p = previous {
            d.param("change_cost", changeCost)
            d.param("Kprev", classes.map { c in (MathProgSymbol(c.0.name), Double(p.key[c.0.name]?.values.reduce(0, +) ?? 0)) })
            d.param("Rprev", p.random.values.reduce(0, +))
            d.param("Jprev", p.joint.values.reduce(0, +))
            if !campaigns.isEmpty {
                d.param("Sprev", campaigns.indices.map { (campaignSymbol($0), Double(p.campaign[$0]?.values.reduce(0, +) ?? 0)) })
                d.param("SGprev", campaigns.indices.map { (campaignSymbol($0), Double(p.campaignSplit[$0]?[UnitClass.general.rawValue] ?? 0)) })
                let sk = campaigns.indices.flatMap { i in classes.compactMap { c in p.campaignSplit[i]?[c.0.name].map { ([campaignSymbol(i), MathProgSymbol(c.0.name)], Double($0)) } } }
                if !sk.isEmpty { d.param("SKprev", indexed: sk) }
            }
        }
        let ck = campaigns.indices.flatMap { p in classes.compactMap { c in campaignKey[p]?[c.0.name].map { ([campaignSymbol(p), MathProgSymbol(c.0.name)], Double($0)) } } }
        if !ck.isEmpty { d.param("camp_key", indexed: ck) }
        if !campaigns.isEmpty {
            d.table(["camp_min", "camp_max"], rows: campaigns.enumerated().map { (campaignSymbol($0.offset), [Double($0.element.min), Double($0.element.max)]) })
        }
        d.param("maxv", maxVisits)
        d.effort(effort)
        d.param("G", generalPool)
        d.param("draw_min", drawMin)
        d.param("random_value", randomVisitValue)
        d.param("joint_min", jointMin)
        d.param("joint_max", jointMax)
        d.param("share_min", shareMin)
        d.param("ratio_min", ratioMin)
        d.param("workdays", staffing?.workdays ?? workdays)
        d.param("penalty", shortfallPenalty)
        // Named policy figures the model checks or weighs with (exact: a check compares them).
        d.param("sample_rate", sampleRate, format: .exact)
        d.param("general_units", generalUnits)
        if drawnBefore > 0 { d.param("drawn_before", drawnBefore) }
        d.param("share_floor", shareFloor, format: .exact)
        d.param("ratio_floor", ratioFloor, format: .exact)
        d.param("cover_factor", coverShortfallFactor, format: .exact)
        d.param("cover_risk", coverRiskWeight, format: .exact)
        if let staffing {
            d.param("cal", staffing.perOfficer)
            d.param("capfactor", staffing.capfactor)
            d.param("rounding", staffing.rounding)
            d.param("officers_now", staffing.officersNow)
        }
        return d
    }
}

/// The symbol of the campaign at this index in the models (`p1`, `p2`, …).
func campaignSymbol(_ index: Int) -> MathProgSymbol { .text("p\(index + 1)") }

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

    var data: MathProgData {
        var d = MathProgData()
        // A new plan counts key visits together (stage 3 shares each month's among the classes);
        // a re-plan keeps its classes, so that each keeps its months.
        let rows: [(name: String, total: Int, n: Int, urgency: Double)] = previous == nil
            ? (classes.isEmpty ? [] : [(UnitClass.key.rawValue, classes.reduce(0) { $0 + $1.total }, classes.reduce(0) { $0 + $1.count }, 1)])
            : classes.map { ($0.0.name, $0.total, $0.count, $0.0.urgency) }
        d.set("C", rows.map { MathProgSymbol($0.name) })
        d.set("P", campaigns.indices.map(campaignSymbol))
        monthSets(&d, months: months, campaignMonths: campaigns.map { $0.months }, jointMonths: jointMonths, capacity: nil, carry: carry, grid: AnnualPlanner.effortGrid(effort))
        if !rows.isEmpty {
            d.table(["Kt", "n", "urgency"], rows: rows.map { (MathProgSymbol($0.name), [Double($0.total), Double($0.n), $0.urgency]) })
        }
        if !campaigns.isEmpty {
            d.param("St", campaigns.enumerated().map { (campaignSymbol($0.offset), Double($0.element.total)) })
        }
        if let p = previous {
            d.param("change_cost", changeCost)
            let k = classes.flatMap { c in months.compactMap { m in p.key[c.0.name]?[m].map { ([MathProgSymbol(c.0.name), .number(m)], Double($0)) } } }
            if !k.isEmpty { d.param("Kprev", indexed: k) }
            let r = months.compactMap { m in p.random[m].map { (MathProgSymbol.number(m), Double($0)) } }
            if !r.isEmpty { d.param("Rprev", r) }
            let j = months.compactMap { m in p.joint[m].map { (MathProgSymbol.number(m), Double($0)) } }
            if !j.isEmpty { d.param("Jprev", j) }
            let sp = campaigns.indices.flatMap { i in campaigns[i].months.filter { months.contains($0) }.compactMap { m in p.campaign[i]?[m].map { ([campaignSymbol(i), .number(m)], Double($0)) } } }
            if !sp.isEmpty { d.param("Sprev", indexed: sp) }
        }
        d.table(["cap", "weight"], rows: months.map { (.number($0), [capacity[$0 - 1], weight[$0 - 1]]) })
        d.param("Rt", random)
        d.param("Jt", joint)
        d.effort(effort)
        d.param("tol", tolerance)
        d.param("penalty", shortfallPenalty)
        d.param("random_spread_cost", randomSpreadCost, format: .exact)
        d.param("delay_cost", delayCost, format: .exact)
        return d
    }
}

/// The month sets both stages share: `M`, `PM` (a campaign's months among them), `jallow`,
/// `carry` and, for stage 1, each month's team-days `cap`.
func monthSets(_ d: inout MathProgData, months: [Int], campaignMonths: [[Int]], jointMonths: [Int], capacity: [Double]?, carry: [Double], grid: Double) {
    d.set("M", months.map(MathProgSymbol.number))
    d.param("grid", grid)
    d.set("PM", tuples: campaignMonths.enumerated().flatMap { i, ms in ms.filter { months.contains($0) }.map { [campaignSymbol(i), .number($0)] } })
    d.blankLine()
    if !jointMonths.isEmpty {
        d.param("jallow", months.map { (.number($0), jointMonths.contains($0) ? 1 : 0) })
    }
    if months.contains(where: { abs(carry[$0 - 1]) > 1e-9 }) {
        d.param("carry", months.map { (.number($0), carry[$0 - 1]) })
    }
    if let capacity, !months.isEmpty {
        d.param("cap", months.map { (.number($0), capacity[$0 - 1]) })
    }
}

/// The data section of `models/annual-classes.mod`: each month's key visits (stage 2) shared
/// among the classes.
struct ClassesData {
    var previous: PreviousCounts? = nil
    var months: [Int]
    var classes: [(KeyClass, count: Int, total: Int)]
    /// Key visits per month from stage 2.
    var keyPerMonth: [Int: Int]

    var data: MathProgData {
        var d = MathProgData()
        d.set("M", months.map(MathProgSymbol.number))
        d.set("C", classes.map { MathProgSymbol($0.0.name) })
        d.blankLine()
        if !classes.isEmpty {
            d.table(["Kt", "n", "urgency"], rows: classes.map { c, n, t in (MathProgSymbol(c.name), [Double(t), Double(n), c.urgency]) })
        }
        if !months.isEmpty { d.param("KM", months.map { (.number($0), Double(keyPerMonth[$0] ?? 0)) }) }
        if let p = previous {
            d.param("change_cost", changeCost)
            let k = classes.flatMap { c in months.compactMap { m in p.key[c.0.name]?[m].map { ([MathProgSymbol(c.0.name), .number(m)], Double($0)) } } }
            if !k.isEmpty { d.param("Kprev", indexed: k) }
        }
        d.param("penalty", shortfallPenalty)
        d.param("delay_cost", delayCost, format: .exact)
        return d
    }
}

extension MathProgData {
    /// Team-days per visit of each kind (`eff_key`, `eff_gen`, `eff_spec`), as stages 1 and 2 read them.
    mutating func effort(_ e: Effort) {
        param("eff_key", e.key)
        param("eff_gen", e.general)
        param("eff_spec", e.special)
    }
}

import Foundation
import Ledger
import Policy

/// What mid-year re-planning keeps exactly as it was: visits carried out, every visit of the
/// months before the re-planning month and of published months kept, and their draws.
public struct Pins: Sendable {
    /// Months that get no new visits (before the re-planning month, and kept months).
    public var frozenMonths: Set<Int> = []
    /// Visits kept as they are (ids, months, kinds, draws).
    public var visits: [PlanDocument.Visit] = []
    /// Draws kept as they are (their pools were those of the plan they came from).
    public var draws: [PlanDocument.Draw] = []
    /// Units no longer in the ledger that have kept visits (closed since).
    public var closedUnits: [PlanDocument.Unit] = []
    /// The plan being re-planned: its months and ids are preferred where nothing forces a change.
    public var previous: PlanDocument?
    /// Ids of the previous plan's visits that were dropped (missed and not carried): never
    /// given to a new visit, so a dropped visit never reappears under its old 检查编号.
    public var retired: Set<String> = []
    public init() {}

    public var isEmpty: Bool { frozenMonths.isEmpty && visits.isEmpty && previous == nil }
}

/// Pinned figures resolved against a plan context.
struct PinnedFigures {
    var count: [Int: Int] = [:]          // unit index → kept visits
    var keyVisits: [Int: Int] = [:]      // unit index → kept key visits
    var total = 0
    var keyish = 0
    var drawn: Set<String> = []          // unit ids drawn in kept draws
    /// Unit ids of kept random and joint visits: the drawn units that count towards the sample
    /// rate (a drawn unit whose missed visit was dropped stays out of later pools but is not
    /// counted as sampled).
    var drawnVisited: Set<String> = []
    var campaign: [String: Int] = [:]
    var campaignUnits: [String: Set<String>] = [:]
    var joint = 0
    var effort = Array(repeating: 0.0, count: 12)

    init(_ pins: Pins, _ ctx: PlanContext) {
        let index = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        let e = ctx.scenario.effort
        for v in pins.visits {
            total += 1
            effort[v.month - 1] += e.teamDays(for: v.kind)
            if v.visitKind == .joint { joint += 1 }
            if let c = v.campaign { campaign[c, default: 0] += 1; campaignUnits[c, default: []].insert(v.unit) }
            if v.isDrawn { drawn.insert(v.unit); drawnVisited.insert(v.unit) }
            guard let i = index[v.unit] else { if KeyShare.counts(unitClass: nil, kind: v.visitKind) { keyish += 1 }; continue }
            count[i, default: 0] += 1
            if v.visitKind == .key { keyVisits[i, default: 0] += 1 }
            if KeyShare.counts(unitClass: ctx.classifications[i].unitClass, kind: v.visitKind) { keyish += 1 }
        }
        for d in pins.draws { drawn.formUnion(d.drawn) }
    }
}

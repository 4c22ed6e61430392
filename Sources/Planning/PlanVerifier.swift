import Foundation
import Ledger
import Policy

/// Re-checks a plan against every rule, without the solver: from `plan.json` alone (its units,
/// visits, draws, workdays and policy), and — given the scenario — against the ledger and
/// classification it claims to come from. Also used by the planner to write its own verdicts,
/// so a plan and its verification can never disagree on what a rule means.
///
/// The verifier measures; it does not word. Each line carries a `Finding` (the rule and the
/// figures measured), worded in Chinese for plan.json and in the reader's language by Reports
/// (`VerdictText`); the problems it lists are `Phrase`s, both languages at once.
public enum PlanVerifier {
    /// Every rule's figure and verdict, messages and fixes in Chinese (as plan.json keeps them;
    /// `RuleCheck.rendered(_:)` gives another language). A plan that is not well formed
    /// (PLAN-FORMAT, see `formatProblems`) gets that line first; given the scenario, the
    /// scenario's policy, workdays, calendar, campaigns and ledger are the reference the rules are
    /// computed against, and PLAN-SCENARIO lists where the plan's own statement of them differs.
    ///
    /// These are the verdicts the planner writes into a plan it has just made: the draws a
    /// re-plan kept (`pinned`) come from a plan it verified itself, so they are taken as kept.
    /// `verify` trusts no kept draw without the plan it was kept from.
    public static func checks(_ doc: PlanDocument, context: PlanContext? = nil) -> [PlanDocument.RuleCheck] {
        evaluate(doc, context: context, keptDraws: .trusted).checks
    }

    /// What the kept (`pinned`) draws of a re-plan are checked against: their pools were an
    /// earlier ledger, so they cannot be re-run from this plan.
    public enum KeptDraws {
        /// The planner's own statement of a plan it just made (it kept them itself).
        case trusted
        /// The plans this one re-plans, newest first, each with its file's SHA-256: each kept draw
        /// must be the previous plan's draw exactly, and that plan must verify in turn against the
        /// rest of the chain. An empty chain verifies no kept draw: each is a FAIL.
        case previous([(plan: PlanDocument, sha256: String)])
    }

    /// What `planner verify` decides: every rule line (`checks`) and the stated metrics and
    /// monthly figures against the visits (`metricDifferences`); the plan passes when both are clean.
    public struct Verdict: Sendable {
        public var checks: [PlanDocument.RuleCheck]
        /// PLAN-FORMAT's problems (each naming the JSON path and value).
        public var formatProblems: [Phrase]
        /// Draws that are not the published, reproducible draws (FREQ-GENERAL-RANDOM).
        public var drawProblems: [Phrase]
        /// Where the plan's statement of its scenario differs from the scenario (PLAN-SCENARIO).
        public var scenarioProblems: [Phrase]
        public var metricDifferences: [Phrase]
        /// Rules whose verdict or shortfall the plan states otherwise than the verifier finds.
        public var statedDifferences: [Phrase]
        public var pass: Bool { checks.allSatisfy { $0.pass } && metricDifferences.isEmpty }
        /// The plan is what it says it is (well formed, draws reproducible, figures and verdicts
        /// as stated), shortfalls it states included: what `planner replan` asks of a plan.
        public var genuine: Bool { formatProblems.isEmpty && drawProblems.isEmpty && metricDifferences.isEmpty && statedDifferences.isEmpty }
        /// Every reason the plan is not genuine.
        public var integrityProblems: [Phrase] { formatProblems + drawProblems + metricDifferences + statedDifferences }
    }

    /// The full verification `planner verify` runs (and `planner replan` asks of the plan it takes).
    ///
    /// `previous`: the plan this one re-plans and its file's SHA-256 (`planner verify --previous`).
    /// Then the kept (`pinned`) draws, whose pools were that plan's ledger and are not re-run, must
    /// be that plan's draws exactly, the file must be the one the plan names, and it must verify.
    public static func verify(_ doc: PlanDocument, context: PlanContext? = nil,
                              previous: [(plan: PlanDocument, sha256: String)] = []) -> Verdict {
        let e = evaluate(doc, context: context, keptDraws: .previous(previous))
        // The verifier's own lines are listed passing too (in `checks` only when they fail, so that
        // a plan's stated checks stay the rules').
        var lines = e.checks
        if e.format.isEmpty {
            lines.insert(.init(.format, .planFormat(problems: []), figure: 0, threshold: 0, pass: true, shortfall: 0), at: 0)
        }
        if context != nil && e.scenario.isEmpty {
            lines.append(.init(.scenario, .planScenario(problems: []), figure: 0, threshold: 0, pass: true, shortfall: 0))
        }
        return Verdict(checks: lines, formatProblems: e.format, drawProblems: e.draws, scenarioProblems: e.scenario,
                       metricDifferences: metricDifferences(doc),
                       statedDifferences: statedDifferences(doc.checks, e.checks).map { $0.phrase })
    }

    /// Rules whose verdicts or shortfalls the plan states otherwise than the verifier finds them
    /// (by rule ID; the verifier's own lines are not stated in a plan).
    static func statedDifferences(_ stated: [PlanDocument.RuleCheck], _ found: [PlanDocument.RuleCheck]) -> [Discrepancy] {
        let statedByRule = Dictionary(grouping: stated, by: { $0.rule })
        let foundByRule = Dictionary(grouping: found.filter { !($0.ruleID?.isVerifierLine ?? false) }, by: { $0.rule })
        var out: [Discrepancy] = []
        for rule in Set(statedByRule.keys).union(foundByRule.keys).sorted() {
            let a = statedByRule[rule] ?? [], b = foundByRule[rule] ?? []
            let same = a.count == b.count && zip(a, b).allSatisfy { $0.pass == $1.pass && abs($0.shortfall - $1.shortfall) <= 1e-6 }
            if !same { out.append(.statedVerdict(rule: rule, stated: a.map { $0.pass }, found: b.map { $0.pass })) }
        }
        return out
    }

    struct Evaluation {
        var checks: [PlanDocument.RuleCheck]
        var format: [Phrase]
        var draws: [Phrase]
        var scenario: [Phrase]
    }

    static func evaluate(_ stated: PlanDocument, context: PlanContext?, keptDraws: KeptDraws) -> Evaluation {
        var out: [PlanDocument.RuleCheck] = []
        let format = formatProblems(stated)
        if !format.isEmpty {
            out.append(.init(.format, .planFormat(problems: format), figure: Double(format.count), threshold: 0, pass: false,
                             shortfall: Double(format.count)))
        }
        // With the scenario, the rules are computed on the plan as the scenario makes it (policy,
        // workdays, calendar, campaigns, units' classes, required visits and draw weights).
        let (doc, scenarioProblems) = reference(stated, context: context)
        let a = Audit(doc, stated: stated, context: context)
        out.append(a.keyCover())
        out.append(a.cap())
        out.append(a.share60())
        out.append(a.ratio())
        let (random, drawProblems) = a.generalRandom(keptDraws)
        out.append(random)
        out += a.campaigns()
        if let joint = a.joint() { out.append(joint) }
        out.append(a.basis())
        out.append(a.decompose())
        out.append(a.tierOne())
        // PLAN-SCENARIO: given the scenario, the plan states the scenario's seed, policy, workdays,
        // calendar, campaigns and the ledger's required visits and draw weights.
        if context != nil && !scenarioProblems.isEmpty {
            out.append(.init(.scenario, .planScenario(problems: scenarioProblems), figure: Double(scenarioProblems.count), threshold: 0,
                             pass: false, shortfall: Double(scenarioProblems.count)))
        }
        return Evaluation(checks: out, format: format, draws: drawProblems, scenario: scenarioProblems)
    }

    static func isIndustrial(_ u: PlanDocument.Unit) -> Bool {
        Category.isIndustrial(Category(rawValue: u.category), u.activity.flatMap(Activity.init(rawValue:)))
    }

    /// The metrics a plan states, recomputed; a list of differences (empty when they agree).
    public static func metricDifferences(_ doc: PlanDocument) -> [Phrase] {
        var again = doc
        PlanMetrics.fill(&again)
        var out: [Discrepancy] = []
        if again.metrics != doc.metrics { out.append(.metrics) }
        if again.months != doc.months { out.append(.months) }
        let ids = doc.visits.map { $0.id }
        if Set(ids).count != ids.count { out.append(.duplicateVisitIds) }
        return out.map { $0.phrase }
    }
}

/// The plan under audit, measured once from its visits (never from the figures it states), and
/// one function per rule.
struct Audit {
    /// The plan as the scenario makes it (the plan itself without a scenario).
    let doc: PlanDocument
    /// The plan as its file states it.
    let stated: PlanDocument
    let context: PlanContext?
    let p: PlanDocument.PolicyInfo
    /// Each id's first listing in `doc.units`, by position (not a copy of every unit record).
    let unitIndex: [String: Int]
    /// The authority's own units still open (units closed since owe nothing more), by position
    /// in `doc.units`.
    let own: [Int]
    let visitsPerUnit: [String: Int]
    let keyVisits: [String: Int]
    /// The general units among `own`, by position in `doc.units`.
    let generalUnits: [Int]
    /// Each unit's class, by position in `doc.units` (nil for a class the plan misspells).
    let classes: [UnitClass?]

    init(_ doc: PlanDocument, stated: PlanDocument, context: PlanContext?) {
        self.doc = doc
        self.stated = stated
        self.context = context
        p = doc.policy
        unitIndex = PlanDocument.firstListings(of: doc.units)
        own = doc.units.indices.filter { doc.units[$0].ownUnit && doc.units[$0].closed != true }
        var visitsPerUnit: [String: Int] = [:], keyVisits: [String: Int] = [:]
        for v in doc.visits {
            visitsPerUnit[v.unit, default: 0] += 1
            if v.visitKind == .key { keyVisits[v.unit, default: 0] += 1 }
        }
        self.visitsPerUnit = visitsPerUnit
        self.keyVisits = keyVisits
        let classes = PlanDocument.classes(of: doc.units)
        self.classes = classes
        generalUnits = own.filter { classes[$0] == .general }
    }

    /// Officers that bring `teamDays` more team-days for planned visits in the plan's year.
    func officers(teamDays: Double) -> Int {
        WorkdayBudget.officers(forTeamDays: teamDays, calendarWorkdays: doc.workdays.calendar, reserveShare: p.reserveShare)
    }

    /// FREQ-KEY-COVER: every key unit its required full-coverage visits.
    func keyCover() -> PlanDocument.RuleCheck {
        let keyUnits = own.filter { classes[$0] == .key }
        let due = { (i: Int) in max(1, clampCount(doc.units[i].requiredVisits)) }
        let missing = keyUnits.reduce(0) { $0 + max(0, due($1) - (keyVisits[doc.units[$1].id] ?? 0)) }
        let covered = keyUnits.filter { (keyVisits[doc.units[$0].id] ?? 0) >= due($0) }.count
        let teamDays = Double(missing) * p.effortKey
        return .init(.keyCover, .keyCover(covered: covered, keyUnits: keyUnits.count, missing: missing, teamDays: teamDays,
                                          officers: officers(teamDays: teamDays)),
                     figure: Double(covered), threshold: Double(keyUnits.count), pass: missing == 0, shortfall: Double(missing))
    }

    /// FREQ-CAP: yearly cap on visits to one unit (检查频次上限, bounding 三(四)'s more-often visits).
    func cap() -> PlanDocument.RuleCheck {
        let over = visitsPerUnit.filter { $0.value > p.maxVisitsPerUnit }
        return .init(.cap, .cap(maxVisits: p.maxVisitsPerUnit, over: over.count, example: over.keys.sorted().first),
                     figure: Double(visitsPerUnit.values.max() ?? 0), threshold: Double(p.maxVisitsPerUnit),
                     pass: over.isEmpty, shortfall: Double(over.count))
    }

    // The thresholds of 五(十二) are floors (RULES.md §7.11): a plan stating a laxer one fails,
    // whatever its figures; a stricter one is the scenario's and is checked as stated.
    var level: AuthorityLevel { AuthorityLevel(rawValue: doc.authority.level) ?? .district }

    /// PLAN-SHARE60: key units' visits plus campaign visits, over all visits.
    func share60() -> PlanDocument.RuleCheck {
        let floor = PolicyParameters.keyShareFloor
        let total = doc.visits.count
        let keyish = doc.visits.filter { KeyShare.counts(unitClass: unitIndex[$0.unit].flatMap { classes[$0] }, kind: $0.visitKind) }.count
        let share = KeyShare.share(keyish, of: total)
        let short = max(0, KeyShare.needed(share: max(p.keyShareMin, floor), of: total) - keyish)
        let drop = ceilInt(Double(short) / max(0.01, p.keyShareMin))
        return .init(.share60, .share(keyVisits: keyish, visits: total, share: share, stated: p.keyShareMin, floor: floor, short: short, dropGeneral: drop),
                     figure: round4(share), threshold: p.keyShareMin, pass: short == 0 && p.keyShareMin >= floor - 1e-12,
                     shortfall: Double(short))
    }

    /// PLAN-RATIO-BUREAU / PLAN-RATIO-LOCAL: visits per inspection workday.
    func ratio() -> PlanDocument.RuleCheck {
        let floor = PolicyParameters.visitsPerWorkdayFloor(level)
        let rule = AuthorityLevel(rawValue: doc.authority.level).map(RuleID.ratio(for:)) ?? .ratioLocal
        let total = doc.visits.count
        let workdays = doc.workdays.inspection
        let ratio = workdays <= 0 ? 0 : Double(total) / workdays
        let needed = WorkdayBudget.visitsNeeded(ratio: max(p.visitsPerWorkdayMin, floor), workdays: workdays)
        let short = max(0, needed - total)
        let capacity = doc.months.reduce(0) { $0 + $1.capacityTeamDays }
        let effortBound = short > 0 ? capacity / Double(max(1, needed)) : 0
        return .init(rule, .ratio(visits: total, workdays: workdays, ratio: ratio, stated: p.visitsPerWorkdayMin, floor: floor, short: short,
                                  effortBound: effortBound, teamDays: Double(short) * p.effortGeneral),
                     figure: round4(ratio), threshold: p.visitsPerWorkdayMin,
                     pass: short == 0 && p.visitsPerWorkdayMin >= floor - 1e-12, shortfall: Double(short))
    }

    /// FREQ-GENERAL-RANDOM: enough drawn, every draw reproducible, no unit drawn twice; the
    /// line and the draws' problems.
    func generalRandom(_ keptDraws: PlanVerifier.KeptDraws) -> (PlanDocument.RuleCheck, [Phrase]) {
        let needDrawn = RandomDraw.minimum(rate: p.generalSampleRate, of: generalUnits.count)
        let drawnUnits = Set(doc.visits.filter { $0.isDrawn }.map { $0.unit })
        let problems = drawProblems(keptDraws)
        let short = max(0, needDrawn - drawnUnits.count)
        let line = PlanDocument.RuleCheck(.generalRandom,
            .generalRandom(drawn: drawnUnits.count, rate: p.generalSampleRate, generalUnits: generalUnits.count, needed: needDrawn,
                           draws: doc.draws.count, problems: problems, short: short, teamDays: Double(short) * p.effortGeneral),
            figure: Double(drawnUnits.count), threshold: Double(needDrawn), pass: short == 0 && problems.isEmpty, shortfall: Double(short))
        return (line, problems)
    }

    /// Pools of more members than this in all are re-run on the machine's cores (a district of
    /// ~15,000 general units; a what-if sweep's smaller plans already run two at a time).
    /// Variable for the test that compares both ways (`VerifierBrokenPlanTests`), nothing else.
    nonisolated(unsafe) static var parallelRerunMembers = 200_000

    /// Each draw re-run on its pool: what differs from its record.
    static func rerun(_ jobs: [(PlanDocument.Draw, [Int])], from table: DrawTable) -> [[Phrase]] {
        guard jobs.reduce(0, { $0 + $1.1.count }) > parallelRerunMembers else { return jobs.map { rerun($0.0, $0.1, from: table) } }
        final class Slots: @unchecked Sendable {
            var found: [[Phrase]]
            let lock = NSLock()
            init(_ n: Int) { found = Array(repeating: [], count: n) }
        }
        let slots = Slots(jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let phrases = rerun(jobs[i].0, jobs[i].1, from: table)
            slots.lock.lock(); slots.found[i] = phrases; slots.lock.unlock()
        }
        return slots.found
    }

    /// One draw re-run on its pool: what differs from its record.
    static func rerun(_ d: PlanDocument.Draw, _ pool: [Int], from table: DrawTable) -> [Phrase] {
        let r: DrawResult
        do {
            r = try table.draw(seed: d.seed, id: d.id, positions: pool, k: d.k).result
        } catch {
            return [Phrase("\(d.id)：\(error)", "\(d.id): \(error)")]
        }
        var found: [Phrase] = []
        if r.poolSHA256 != d.poolSha256 || r.poolSize != d.poolSize { found.append(Phrase("\(d.id)：抽取池与记录不符", "\(d.id): the pool differs from the record")) }
        if r.drawn != d.drawn { found.append(Phrase("\(d.id)：重新抽取结果与记录不符", "\(d.id): re-running the draw gives a different result")) }
        return found
    }

    /// The draws that are not the published, reproducible draws, in the order they are checked.
    func drawProblems(_ keptDraws: PlanVerifier.KeptDraws) -> [Phrase] {
        var problems: [Phrase] = []
        var earlier = Set<String>()
        // The general units laid out once in id byte order (the fingerprint's order), with what a
        // pool asks of each, by position: pools are filtered from them in order and never sorted.
        // A unit listed twice (a forged plan) takes its first listing's figures, as by id.
        let first = generalUnits.map { unitIndex[doc.units[$0].id]! }
        let table = DrawTable(zip(generalUnits, first).map { DrawMember(id: doc.units[$0].id, weight: doc.units[$1].drawWeight) })
        var otherById: [String: Int] = [:]
        for v in doc.visits where !v.isDrawn { otherById[v.unit, default: 0] += 1 }
        let otherVisits = table.order.map { otherById[doc.units[first[$0]].id] ?? 0 }
        let industrial = table.order.map { PlanVerifier.isIndustrial(doc.units[first[$0]]) }
        var drawnEarlier = Array(repeating: false, count: table.count)
        func markEarlier(_ ids: [String]) {
            earlier.formUnion(ids)
            for id in ids { for x in table.positions(of: id) { drawnEarlier[x] = true } }
        }
        // The visits of each draw, grouped once (linear in visits and draws).
        var visitsByDraw: [String: [PlanDocument.Visit]] = [:]
        for v in doc.visits { if let id = v.draw { visitsByDraw[id, default: []].append(v) } }
        let pinnedIds = Set(doc.draws.filter { $0.pinned == true }.map { $0.id })
        var seenIds = Set<String>()
        // The plan re-planned, when given: the file the plan names, itself genuine.
        var previousDraws: [String: PlanDocument.Draw]? = nil
        if case .previous(let chain) = keptDraws {
            problems += keptDrawProblems(chain)
            if let previous = chain.first {
                previousDraws = Dictionary(previous.plan.draws.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            }
        }
        // Kept draws of a re-planned plan first, then the joint check, then random draws by month.
        // Only a draw whose record is sound (published seed, documented id, known method, at most
        // one per pool and month) is re-run: a forged or repeated draw costs nothing to reject.
        var reruns: [(at: Int, draw: PlanDocument.Draw, pool: [Int])] = []
        func order(_ d: PlanDocument.Draw) -> (Int, Int, Int, String) { (d.pinned == true ? 0 : 1, d.drawPool == .industrial ? 0 : 1, d.month, d.id) }
        for d in doc.draws.sorted(by: { order($0) < order($1) }) {
            guard seenIds.insert(d.id).inserted else {
                problems.append(Phrase("\(d.id)：抽取编号重复", "\(d.id): the draw id is listed twice")); continue
            }
            let sound = PlanVerifier.drawRecordProblems(d, plan: stated, scenarioSeed: context?.scenario.seed, pinned: pinnedIds)
            problems += sound
            // A unit is drawn once a year: later pools leave out the units drawn before.
            if let again = d.drawn.first(where: earlier.contains) {
                problems.append(Phrase("\(d.id)：\(again)在此前的抽取中已被抽中", "\(d.id): \(again) was drawn in an earlier draw"))
            }
            if d.pinned == true {
                // Kept from the plan this one re-plans: its pool was that plan's ledger, verified there
                // (`planner replan` refuses a plan that does not verify). Given that plan, the kept
                // draw must be its draw exactly.
                if let previousDraws {
                    if let p = previousDraws[d.id] {
                        var same = p
                        same.pinned = d.pinned
                        if same != d {
                            problems.append(Phrase("\(d.id)：保留的抽取与原计划的记录不符", "\(d.id): the kept draw differs from the previous plan's record"))
                        }
                    } else {
                        problems.append(Phrase("\(d.id)：原计划中没有这次抽取", "\(d.id): the previous plan has no such draw"))
                    }
                }
                markEarlier(d.drawn)
                continue
            }
            if sound.isEmpty {
                // The pool follows from the records of the draws before (not from re-running
                // them): the draw is re-run below, beside the others, its findings put here.
                let industrialOnly = d.drawPool == .industrial
                let pool = drawnEarlier.indices.filter { !drawnEarlier[$0] && otherVisits[$0] < p.maxVisitsPerUnit && (!industrialOnly || industrial[$0]) }
                reruns.append((at: problems.count, draw: d, pool: pool))
            }
            markEarlier(d.drawn)
            let visitsOfDraw = visitsByDraw[d.id] ?? []
            let kind = (d.drawPool ?? .general).visitKind
            if Set(visitsOfDraw.map { $0.unit }) != Set(d.drawn) || visitsOfDraw.count != d.drawn.count
                || visitsOfDraw.contains(where: { $0.month != d.month || $0.visitKind != kind }) {
                problems.append(Phrase("\(d.id)：抽中单位与检查安排不一致", "\(d.id): the visits do not match the units drawn"))
            }
        }
        // The re-runs, two at a time on a large plan (each hashes its whole pool), their findings
        // in the order of the draws.
        let found = Self.rerun(reruns.map { ($0.draw, $0.pool) }, from: table)
        for (job, phrases) in zip(reruns, found).reversed() { problems.insert(contentsOf: phrases, at: job.at) }
        let drawIds = Set(doc.draws.map { $0.id })
        for v in doc.visits where v.isDrawn && !drawIds.contains(v.draw ?? "") {
            problems.append(Phrase("\(v.id)：随机检查没有对应的抽取记录", "\(v.id): a random visit without a draw"))
        }
        return problems
    }

    /// The kept draws against the plans re-planned (`planner verify --previous`): the plan is a
    /// re-plan, the previous plan is the file it names, of its authority, year and seed, and verifies.
    func keptDrawProblems(_ chain: [(plan: PlanDocument, sha256: String)]) -> [Phrase] {
        var problems: [Phrase] = []
        let keptCount = stated.draws.filter { $0.pinned == true }.count
        if keptCount > 0 && stated.previousPlan == nil {
            problems.append(Phrase("计划不是重新编制的计划（没有 previous_plan），却有\(keptCount)次标为保留（pinned）的抽取",
                                   "the plan is not a re-plan (no previous_plan) yet marks \(keptCount) draws as kept (pinned)"))
        }
        if keptCount > 0 && chain.isEmpty {
            problems.append(Phrase("\(keptCount)次保留的抽取不能据本计划重新抽取（抽取池是原计划的台账）：须用 --previous 给出原计划的 plan.json 核验",
                                   "\(keptCount) kept draws cannot be re-run from this plan (their pools were the earlier ledger): give the plan they were kept from with --previous"))
        }
        guard let previous = chain.first else { return problems }
        if let named = stated.previousPlan?.sha256, named != previous.sha256 {
            problems.append(Phrase("所给原计划不是本计划据以重新编制的计划（SHA-256 \(previous.sha256.prefix(12))…，本计划记载 \(named.prefix(12))…）",
                                   "the previous plan given is not the one this plan re-plans (SHA-256 \(previous.sha256.prefix(12))…, the plan names \(named.prefix(12))…)"))
        }
        if stated.previousPlan == nil && !stated.draws.contains(where: { $0.pinned == true }) {
            problems.append(Phrase("本计划不是重新编制的计划（没有 previous_plan），不能对照原计划核验",
                                   "this plan is not a re-plan (no previous_plan): there is no previous plan to check against"))
        }
        let earlierVerdict = PlanVerifier.verify(previous.plan, previous: Array(chain.dropFirst()))
        if !earlierVerdict.genuine {
            let why = earlierVerdict.integrityProblems.prefix(5)
            problems.append(Phrase("原计划未通过核验：" + why.map { $0.zh }.joined(separator: "；"),
                                   "the previous plan does not verify: " + why.map { $0.en }.joined(separator: "; ")))
        }
        if previous.plan.year != stated.year || previous.plan.seed != stated.seed || previous.plan.authority != stated.authority {
            problems.append(Phrase("原计划的单位、年度或种子与本计划不同", "the previous plan is of another authority, year or seed"))
        }
        return problems
    }

    /// PLAN-SPECIAL: each campaign's minimum, in its months, on matching units.
    func campaigns() -> [PlanDocument.RuleCheck] {
        var specialVisits: [String: [PlanDocument.Visit]] = [:]
        for v in doc.visits where v.visitKind == .special { specialVisits[v.campaign ?? "", default: []].append(v) }
        let ledgerById = context.map { ctx in Dictionary(ctx.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        let scenarioCampaigns = context.map { ctx in Dictionary(ctx.scenario.campaigns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }
        return p.campaigns.map { c in
            let vs = specialVisits[c.name] ?? []
            let outside = vs.filter { !c.months.contains($0.month) }.count
            var mismatched = 0
            if let byId = ledgerById, let campaign = scenarioCampaigns?[c.name] {
                mismatched = vs.filter { byId[$0.unit].map { !campaign.matches($0) } ?? true }.count
            }
            let short = max(0, clampCount(c.visits) - vs.count)
            return .init(.special, .campaign(name: c.name, visits: vs.count, months: c.months, eligible: c.eligible, minimum: c.visits,
                                             outside: outside, mismatched: mismatched, short: short, teamDays: Double(short) * p.effortSpecial),
                         figure: Double(vs.count), threshold: Double(c.visits), pass: short == 0 && outside == 0 && mismatched == 0,
                         shortfall: Double(short))
        }
    }

    /// FREQ-JOINT: the district's joint cross-department random check, in one month; nil when the
    /// plan owes none.
    func joint() -> PlanDocument.RuleCheck? {
        guard doc.authority.level == AuthorityLevel.district.rawValue && p.jointVisits > 0 else { return nil }
        let js = doc.visits.filter { $0.visitKind == .joint }
        let months = Set(js.map { $0.month })
        let pool = generalUnits.filter { PlanVerifier.isIndustrial(doc.units[$0]) }.count
        let need = min(clampCount(p.jointVisits), pool)
        let short = max(0, need - js.count)
        let allowed = p.jointMonths.isEmpty || months.isSubset(of: Set(p.jointMonths))
        return .init(.joint, .joint(visits: js.count, months: months.sorted(), setMonths: p.jointMonths, allowed: allowed, short: short,
                                    teamDays: Double(short) * p.effortGeneral),
                     figure: Double(js.count), threshold: Double(need),
                     pass: short == 0 && months.count <= 1 && allowed && (need == 0 || !js.isEmpty), shortfall: Double(short))
    }

    /// PLAN-BASIS: the visits fit the team-days for planned inspection (准确核算工作量). Time
    /// carries forward: the effort up to each month fits the team-days up to it.
    func basis() -> PlanDocument.RuleCheck {
        var accrued = 0.0, spent = 0.0
        var overMonths: [(month: Int, by: Double)] = []
        for m in doc.months.sorted(by: { $0.month < $1.month }) {
            accrued += m.capacityTeamDays; spent += m.effortTeamDays
            if spent - accrued > 1e-6 { overMonths.append((m.month, spent - accrued)) }
        }
        let overBy = overMonths.map { $0.by }.max() ?? 0
        return .init(.basis, .basis(reserveShare: p.reserveShare, overMonths: overMonths.map { $0.month }, overBy: overBy,
                                    officers: officers(teamDays: overBy)),
                     figure: round2(spent), threshold: round2(accrued), pass: overMonths.isEmpty, shortfall: round2(overBy))
    }

    /// PLAN-DECOMPOSE: no month with workdays (and officers to inspect) left empty.
    func decompose() -> PlanDocument.RuleCheck {
        let open = doc.months.filter { $0.workdays > 0 && $0.capacityTeamDays > 0 }
        let empty = open.filter { $0.visits == 0 }
        return .init(.decompose, .decompose(emptyMonths: empty.map { $0.month }),
                     figure: Double(open.filter { $0.visits > 0 }.count), threshold: Double(open.count), pass: empty.isEmpty,
                     shortfall: Double(empty.count))
    }

    /// TIER-ONE: every visit to a unit this authority inspects (and, given the scenario, every
    /// unit's class and level as the ledger makes them).
    func tierOne() -> PlanDocument.RuleCheck {
        var problems = doc.visits.filter { v in
            unitIndex[v.unit].map { !doc.units[$0].ownUnit && doc.units[$0].closed != true } ?? true
        }
            .map { Phrase("\($0.id)：单位\($0.unit)不属本执法主体", "\($0.id): unit \($0.unit) is not this authority's") }
        if let ctx = context {
            let byId = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
            let own = Set(ctx.own)
            for u in stated.units where u.closed != true {
                guard let i = byId[u.id] else { problems.append(Phrase("\(u.id)：不在台账中", "\(u.id): not in the ledger")); continue }
                let c = ctx.classifications[i]
                if c.unitClass != u.unitClass || c.tier.rawValue != u.tier || c.rules.map({ $0.id }) != u.rules
                    || own.contains(i) != u.ownUnit {
                    problems.append(Phrase("\(u.id)：分类或层级与台账不符", "\(u.id): class or level differs from the ledger"))
                }
            }
            // The whole ledger (`planner plan`), or exactly the authority's own units (a city run,
            // DATA.md §7: each listed unit checked above, so as many own units as it has).
            let listed = stated.units.filter { $0.closed != true }
            let cityRun = listed.allSatisfy { $0.ownUnit } && listed.count == ctx.own.count
            if listed.count != ctx.units.count && !cityRun {
                problems.append(Phrase("计划列出\(stated.units.count)家单位，台账有\(ctx.units.count)家", "the plan lists \(stated.units.count) units, the ledger has \(ctx.units.count)"))
            }
        }
        return .init(.tierOne, .tierOne(problems: problems), figure: Double(problems.count), threshold: 0, pass: problems.isEmpty,
                     shortfall: Double(problems.count))
    }
}

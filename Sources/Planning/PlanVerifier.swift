import Foundation
import Ledger
import Policy

/// Re-checks a plan against every rule, without the solver: from `plan.json` alone (its units,
/// visits, draws, workdays and policy), and — given the scenario — against the ledger and
/// classification it claims to come from. Also used by the planner to write its own verdicts,
/// so a plan and its verification can never disagree on what a rule means.
public enum PlanVerifier {
    /// Every rule's figure and verdict; messages and fixes in `lang` (plan.json keeps Chinese).
    /// A plan that is not well formed (PLAN-FORMAT, see `formatProblems`) gets that line first;
    /// given the scenario, the scenario's policy, workdays, calendar, campaigns and ledger are the
    /// reference the rules are computed against, and PLAN-SCENARIO lists where the plan's own
    /// statement of them differs.
    ///
    /// These are the verdicts the planner writes into a plan it has just made: the draws a
    /// re-plan kept (`pinned`) come from a plan it verified itself, so they are taken as kept.
    /// `verify` trusts no kept draw without the plan it was kept from.
    public static func checks(_ doc: PlanDocument, context: PlanContext? = nil, lang: Lang = .zh) -> [PlanDocument.RuleCheck] {
        evaluate(doc, context: context, keptDraws: .trusted, lang: lang).checks
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
        public var formatProblems: [String]
        /// Draws that are not the published, reproducible draws (FREQ-GENERAL-RANDOM).
        public var drawProblems: [String]
        /// Where the plan's statement of its scenario differs from the scenario (PLAN-SCENARIO).
        public var scenarioProblems: [String]
        public var metricDifferences: [String]
        /// Rules whose verdict or shortfall the plan states otherwise than the verifier finds.
        public var statedDifferences: [String]
        public var pass: Bool { checks.allSatisfy { $0.pass } && metricDifferences.isEmpty }
        /// The plan is what it says it is (well formed, draws reproducible, figures and verdicts
        /// as stated), shortfalls it states included: what `planner replan` asks of a plan.
        public var genuine: Bool { formatProblems.isEmpty && drawProblems.isEmpty && metricDifferences.isEmpty && statedDifferences.isEmpty }
        /// Every reason the plan is not genuine.
        public var integrityProblems: [String] { formatProblems + drawProblems + metricDifferences + statedDifferences }
    }

    /// The full verification `planner verify` runs (and `planner replan` asks of the plan it takes).
    ///
    /// `previous`: the plan this one re-plans and its file's SHA-256 (`planner verify --previous`).
    /// Then the kept (`pinned`) draws, whose pools were that plan's ledger and are not re-run, must
    /// be that plan's draws exactly, the file must be the one the plan names, and it must verify.
    public static func verify(_ doc: PlanDocument, context: PlanContext? = nil,
                              previous: [(plan: PlanDocument, sha256: String)] = [], lang: Lang = .zh) -> Verdict {
        let e = evaluate(doc, context: context, keptDraws: .previous(previous), lang: lang)
        let zh = lang == .zh
        var stated: [String] = []
        let statedByRule = Dictionary(grouping: doc.checks, by: { $0.rule })
        let foundByRule = Dictionary(grouping: e.checks.filter { $0.rule != "PLAN-FORMAT" && $0.rule != "PLAN-SCENARIO" }, by: { $0.rule })
        for rule in Set(statedByRule.keys).union(foundByRule.keys).sorted() {
            let a = statedByRule[rule] ?? [], b = foundByRule[rule] ?? []
            let same = a.count == b.count && zip(a, b).allSatisfy { $0.pass == $1.pass && abs($0.shortfall - $1.shortfall) <= 1e-6 }
            if !same {
                stated.append(zh ? "\(rule)：计划所列结论与核验结果不符（计划\(a.map { $0.pass ? "符合" : "不符合" }.joined(separator: "、"))，核验\(b.map { $0.pass ? "符合" : "不符合" }.joined(separator: "、"))）"
                                 : "\(rule): the plan states a verdict other than the verifier's (stated \(a.map { $0.pass ? "PASS" : "FAIL" }.joined(separator: ", ")), found \(b.map { $0.pass ? "PASS" : "FAIL" }.joined(separator: ", ")))")
            }
        }
        // The verifier's own lines are listed passing too (in `checks` only when they fail, so that
        // a plan's stated checks stay the rules').
        var lines = e.checks
        if e.format.isEmpty {
            lines.insert(.init(rule: "PLAN-FORMAT", figure: 0, threshold: 0, pass: true, shortfall: 0, unit: "problems",
                               message: zh ? "计划文件格式与数值范围符合（DATA.md §4）" : "the plan file is well formed, its numbers in range (DATA.md §4)", fix: nil), at: 0)
        }
        if context != nil && e.scenario.isEmpty {
            lines.append(.init(rule: "PLAN-SCENARIO", figure: 0, threshold: 0, pass: true, shortfall: 0, unit: "problems",
                               message: zh ? "计划与场景一致（种子、政策参数、工作日、日历、专项、台账）" : "the plan states its scenario (seed, policy, workdays, calendar, campaigns, ledger)", fix: nil))
        }
        return Verdict(checks: lines, formatProblems: e.format, drawProblems: e.draws, scenarioProblems: e.scenario,
                       metricDifferences: metricDifferences(doc, lang: lang), statedDifferences: stated)
    }

    static func evaluate(_ stated: PlanDocument, context: PlanContext?, keptDraws: KeptDraws, lang: Lang)
        -> (checks: [PlanDocument.RuleCheck], format: [String], draws: [String], scenario: [String]) {
        var out: [PlanDocument.RuleCheck] = []
        let zh = lang == .zh
        let format = formatProblems(stated, lang: lang)
        if !format.isEmpty {
            out.append(.init(rule: "PLAN-FORMAT", figure: Double(format.count), threshold: 0, pass: false,
                             shortfall: Double(format.count), unit: "problems",
                             message: L2(zh, "计划文件格式不符（DATA.md §4）：", "the plan file is not well formed (DATA.md §4): ")
                                + format.prefix(10).joined(separator: zh ? "；" : "; ") + (format.count > 10 ? L2(zh, " 等\(format.count)处", " and \(format.count - 10) more") : ""),
                             fix: L2(zh, "使用 planner plan 生成的原始 plan.json", "use the plan.json that planner plan wrote")))
        }
        // With the scenario, the rules are computed on the plan as the scenario makes it (policy,
        // workdays, calendar, campaigns, units' classes, required visits and draw weights).
        let (doc, scenarioProblems) = reference(stated, context: context, lang: lang)
        /// The Chinese or the English text of a message.
        func L(_ chinese: @autoclosure () -> String, _ english: @autoclosure () -> String) -> String { zh ? chinese() : english() }
        func months(_ ms: [Int]) -> String {
            zh ? ms.map { "\($0)月" }.joined(separator: "、") : (ms.count == 1 ? "month " : "months ") + ms.map(String.init).joined(separator: ", ")
        }
        let p = doc.policy
        let unitById = Dictionary(doc.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Units closed since (re-planning keeps them for visits already made) owe nothing more.
        let own = doc.units.filter { $0.ownUnit && $0.closed != true }
        let calendar = max(1, doc.workdays.calendar)
        let perOfficerTeamDays = Double(calendar) * (1 - p.reserveShare) / 2
        func officers(teamDays: Double) -> Int { ceilInt(teamDays / max(0.01, perOfficerTeamDays)) }
        func f(_ v: Double) -> String { safeFigure(v) }

        var visitsPerUnit: [String: Int] = [:], keyVisits: [String: Int] = [:]
        for v in doc.visits {
            visitsPerUnit[v.unit, default: 0] += 1
            if v.kind == "key" { keyVisits[v.unit, default: 0] += 1 }
        }

        // FREQ-KEY-COVER: every key unit its required full-coverage visits.
        let keyUnits = own.filter { $0.class == "key" }
        let missing = keyUnits.reduce(0) { $0 + max(0, max(1, clampCount($1.requiredVisits)) - (keyVisits[$1.id] ?? 0)) }
        let covered = keyUnits.filter { (keyVisits[$0.id] ?? 0) >= max(1, clampCount($0.requiredVisits)) }.count
        out.append(.init(rule: "FREQ-KEY-COVER", figure: Double(covered), threshold: Double(keyUnits.count), pass: missing == 0,
                         shortfall: Double(missing), unit: "visits",
                         message: L("重点检查单位全覆盖：\(covered)/\(keyUnits.count)家达到应检次数",
                                    "full coverage of key units: \(covered)/\(keyUnits.count) get their required visits"),
                         fix: missing == 0 ? nil : L("差\(missing)家次：需增加\(f(Double(missing) * p.effortKey))组·日（\(f(Double(missing) * p.effortKey * 2))人·日）监督检查工作日，约\(officers(teamDays: Double(missing) * p.effortKey))名执法人员",
                                                     "short of \(missing) visits: \(f(Double(missing) * p.effortKey)) team-days (\(f(Double(missing) * p.effortKey * 2)) person-days) more inspection workdays, about \(officers(teamDays: Double(missing) * p.effortKey)) more officers")))

        // FREQ-CAP: yearly cap on visits to one unit (检查频次上限, bounding 三(四)'s more-often visits).
        let over = visitsPerUnit.filter { $0.value > p.maxVisitsPerUnit }
        out.append(.init(rule: "FREQ-CAP", figure: Double(visitsPerUnit.values.max() ?? 0), threshold: Double(p.maxVisitsPerUnit),
                         pass: over.isEmpty, shortfall: Double(over.count), unit: "units",
                         message: L("单家单位年度检查次数上限\(p.maxVisitsPerUnit)次" + (over.isEmpty ? "" : "：\(over.count)家超出，如 \(over.keys.sorted().first!)"),
                                    "at most \(p.maxVisitsPerUnit) visits a year to one unit" + (over.isEmpty ? "" : ": \(over.count) units over, e.g. \(over.keys.sorted().first!)")),
                         fix: over.isEmpty ? nil : L("减少这些单位的检查次数", "visit these units less often")))

        // The thresholds of 五(十二) are floors (RULES.md §7.11): a plan stating a laxer one fails,
        // whatever its figures; a stricter one is the scenario's and is checked as stated.
        let level = AuthorityLevel(rawValue: doc.authority.level) ?? .district
        let shareFloor = PolicyParameters.keyShareFloor, ratioFloor = PolicyParameters.visitsPerWorkdayFloor(level)
        func floorNote(_ stated: Double, _ floor: Double, percent: Bool, zh: Bool) -> String {
            let show = { (v: Double) in percent ? "\(f(v * 100))%" : f(v) }
            if stated < floor - 1e-12 {
                return zh ? "；计划所列要求\(show(stated))低于政策底线\(show(floor))，不符合五(十二)" : "; the plan states \(show(stated)), below the policy floor of \(show(floor))"
            }
            if stated > floor + 1e-12 {
                return zh ? "（本场景从严：\(show(stated))，政策底线\(show(floor))）" : " (stricter in this scenario: \(show(stated)); policy floor \(show(floor)))"
            }
            return ""
        }

        // PLAN-SHARE60.
        let total = doc.visits.count
        let keyish = doc.visits.filter { unitById[$0.unit]?.class == "key" || $0.kind == "special" }.count
        let share = total == 0 ? 0 : Double(keyish) / Double(total)
        let needKeyish = ceilInt(max(p.keyShareMin, shareFloor) * Double(total) - 1e-9)
        let shareShort = max(0, needKeyish - keyish)
        out.append(.init(rule: "PLAN-SHARE60", figure: round4(share), threshold: p.keyShareMin, pass: shareShort == 0 && p.keyShareMin >= shareFloor - 1e-12,
                         shortfall: Double(shareShort), unit: "visits",
                         message: L("重点检查工作量（重点单位+专项执法）\(keyish)/\(total)家次 = \(String(format: "%.1f%%", share * 100))" + floorNote(p.keyShareMin, shareFloor, percent: true, zh: true),
                                    "key inspection work (key units + special campaigns) \(keyish)/\(total) visits = \(String(format: "%.1f%%", share * 100))" + floorNote(p.keyShareMin, shareFloor, percent: true, zh: false)),
                         fix: shareShort == 0 ? (p.keyShareMin < shareFloor - 1e-12 ? L("按政策底线60%重新编制计划", "plan again at the policy floor of 60%") : nil)
                            : L("差\(shareShort)家次：增加\(shareShort)家次重点或专项检查，或减少约\(ceilInt(Double(shareShort) / max(0.01, p.keyShareMin)))家次一般检查",
                                "short of \(shareShort) visits: add \(shareShort) key or campaign visits, or drop about \(ceilInt(Double(shareShort) / max(0.01, p.keyShareMin))) general visits")))

        // PLAN-RATIO-BUREAU / PLAN-RATIO-LOCAL.
        let bureau = doc.authority.level == "city" || doc.authority.level == "district"
        let workdays = doc.workdays.inspection
        let ratio = workdays <= 0 ? 0 : Double(total) / workdays
        let needVisits = ceilInt(max(p.visitsPerWorkdayMin, ratioFloor) * workdays - 1e-9)
        let ratioShort = max(0, needVisits - total)
        var ratioFix: String? = nil
        if ratioShort > 0 {
            let capacity = doc.months.reduce(0) { $0 + $1.capacityTeamDays }
            let effortBound = capacity / Double(max(1, needVisits))
            ratioFix = L("差\(ratioShort)家次：每次检查用时降至≤\(String(format: "%.2f", effortBound))组·日，"
                            + "或提高抽查比例、增加专项检查以增加\(ratioShort)家次（需\(f(Double(ratioShort) * p.effortGeneral))组·日）",
                         "short of \(ratioShort) visits: bring a visit's effort down to ≤\(String(format: "%.2f", effortBound)) team-days, "
                            + "or raise the sampling rate or add campaign visits for \(ratioShort) more visits (\(f(Double(ratioShort) * p.effortGeneral)) team-days)")
        }
        out.append(.init(rule: bureau ? "PLAN-RATIO-BUREAU" : "PLAN-RATIO-LOCAL", figure: round4(ratio), threshold: p.visitsPerWorkdayMin,
                         pass: ratioShort == 0 && p.visitsPerWorkdayMin >= ratioFloor - 1e-12, shortfall: Double(ratioShort), unit: "visits",
                         message: L("检查总家次/监督检查工作日 = \(total)/\(f(workdays)) = \(String(format: "%.3f", ratio))" + floorNote(p.visitsPerWorkdayMin, ratioFloor, percent: false, zh: true),
                                    "visits / inspection workdays = \(total)/\(f(workdays)) = \(String(format: "%.3f", ratio))" + floorNote(p.visitsPerWorkdayMin, ratioFloor, percent: false, zh: false)),
                         fix: ratioFix ?? (p.visitsPerWorkdayMin < ratioFloor - 1e-12 ? L("按政策底线\(f(ratioFloor))重新编制计划", "plan again at the policy floor of \(f(ratioFloor))") : nil)))

        // FREQ-GENERAL-RANDOM: enough drawn, every draw reproducible, no unit drawn twice.
        let generalUnits = own.filter { $0.class == "general" }
        let needDrawn = ceilInt(p.generalSampleRate * Double(generalUnits.count) - 1e-9)
        let drawnUnits = Set(doc.visits.filter { $0.kind == "random" || $0.kind == "joint" }.map { $0.unit })
        var drawProblems: [String] = []
        var earlier = Set<String>()
        let generalIds = generalUnits.map { $0.id }
        var otherVisits: [String: Int] = [:]
        for v in doc.visits where v.kind != "random" && v.kind != "joint" { otherVisits[v.unit, default: 0] += 1 }
        // The visits of each draw, grouped once (linear in visits and draws).
        var visitsByDraw: [String: [PlanDocument.Visit]] = [:]
        for v in doc.visits { if let id = v.draw { visitsByDraw[id, default: []].append(v) } }
        let pinnedIds = Set(doc.draws.filter { $0.pinned == true }.map { $0.id })
        var seenIds = Set<String>()
        // The plan re-planned, when given: the file the plan names, itself genuine.
        var previousDraws: [String: PlanDocument.Draw]? = nil
        let keptCount = stated.draws.filter { $0.pinned == true }.count
        var chain: [(plan: PlanDocument, sha256: String)] = []
        if case .previous(let given) = keptDraws {
            chain = given
            if keptCount > 0 && stated.previousPlan == nil {
                drawProblems.append(L("计划不是重新编制的计划（没有 previous_plan），却有\(keptCount)次标为保留（pinned）的抽取",
                                      "the plan is not a re-plan (no previous_plan) yet marks \(keptCount) draws as kept (pinned)"))
            }
            if keptCount > 0 && given.isEmpty {
                drawProblems.append(L("\(keptCount)次保留的抽取不能据本计划重新抽取（抽取池是原计划的台账）：须用 --previous 给出原计划的 plan.json 核验",
                                      "\(keptCount) kept draws cannot be re-run from this plan (their pools were the earlier ledger): give the plan they were kept from with --previous"))
            }
        }
        if let previous = chain.first {
            previousDraws = Dictionary(previous.plan.draws.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            if let named = stated.previousPlan?.sha256, named != previous.sha256 {
                drawProblems.append(L("所给原计划不是本计划据以重新编制的计划（SHA-256 \(previous.sha256.prefix(12))…，本计划记载 \(named.prefix(12))…）",
                                      "the previous plan given is not the one this plan re-plans (SHA-256 \(previous.sha256.prefix(12))…, the plan names \(named.prefix(12))…)"))
            }
            if stated.previousPlan == nil && !stated.draws.contains(where: { $0.pinned == true }) {
                drawProblems.append(L("本计划不是重新编制的计划（没有 previous_plan），不能对照原计划核验",
                                      "this plan is not a re-plan (no previous_plan): there is no previous plan to check against"))
            }
            let earlierVerdict = verify(previous.plan, previous: Array(chain.dropFirst()), lang: lang)
            if !earlierVerdict.genuine {
                drawProblems.append(L("原计划未通过核验：", "the previous plan does not verify: ")
                                    + earlierVerdict.integrityProblems.prefix(5).joined(separator: zh ? "；" : "; "))
            }
            if previous.plan.year != stated.year || previous.plan.seed != stated.seed || previous.plan.authority != stated.authority {
                drawProblems.append(L("原计划的单位、年度或种子与本计划不同", "the previous plan is of another authority, year or seed"))
            }
        }
        // Kept draws of a re-planned plan first, then the joint check, then random draws by month.
        // Only a draw whose record is sound (published seed, documented id, known method, at most
        // one per pool and month) is re-run: a forged or repeated draw costs nothing to reject.
        for d in doc.draws.sorted(by: { ($0.pinned == true ? 0 : 1, $0.pool == "industrial" ? 0 : 1, $0.month, $0.id) < ($1.pinned == true ? 0 : 1, $1.pool == "industrial" ? 0 : 1, $1.month, $1.id) }) {
            guard seenIds.insert(d.id).inserted else {
                drawProblems.append(L("\(d.id)：抽取编号重复", "\(d.id): the draw id is listed twice")); continue
            }
            let sound = drawRecordProblems(d, plan: stated, scenarioSeed: context?.scenario.seed, pinned: pinnedIds, lang: lang)
            drawProblems += sound
            // A unit is drawn once a year: later pools leave out the units drawn before.
            if let again = d.drawn.first(where: earlier.contains) {
                drawProblems.append(L("\(d.id)：\(again)在此前的抽取中已被抽中", "\(d.id): \(again) was drawn in an earlier draw"))
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
                            drawProblems.append(L("\(d.id)：保留的抽取与原计划的记录不符", "\(d.id): the kept draw differs from the previous plan's record"))
                        }
                    } else {
                        drawProblems.append(L("\(d.id)：原计划中没有这次抽取", "\(d.id): the previous plan has no such draw"))
                    }
                }
                earlier.formUnion(d.drawn)
                continue
            }
            if sound.isEmpty {
                let pool = generalIds.filter { !earlier.contains($0) && (otherVisits[$0] ?? 0) < p.maxVisitsPerUnit && (d.pool != "industrial" || isIndustrial(unitById[$0]!)) }
                do {
                    let r = try RandomDraw.draw(seed: d.seed, id: d.id, pool: pool.map { DrawMember(id: $0, weight: unitById[$0]!.drawWeight) }, k: d.k)
                    if r.poolSHA256 != d.poolSha256 || r.poolSize != d.poolSize { drawProblems.append(L("\(d.id)：抽取池与记录不符", "\(d.id): the pool differs from the record")) }
                    if r.drawn != d.drawn { drawProblems.append(L("\(d.id)：重新抽取结果与记录不符", "\(d.id): re-running the draw gives a different result")) }
                } catch { drawProblems.append(L("\(d.id)：\(error)", "\(d.id): \(error)")) }
            }
            earlier.formUnion(d.drawn)
            let visitsOfDraw = visitsByDraw[d.id] ?? []
            let kind = d.pool == "industrial" ? "joint" : "random"
            if Set(visitsOfDraw.map { $0.unit }) != Set(d.drawn) || visitsOfDraw.count != d.drawn.count
                || visitsOfDraw.contains(where: { $0.month != d.month || $0.kind != kind }) {
                drawProblems.append(L("\(d.id)：抽中单位与检查安排不一致", "\(d.id): the visits do not match the units drawn"))
            }
        }
        let drawIds = Set(doc.draws.map { $0.id })
        for v in doc.visits where (v.kind == "random" || v.kind == "joint") && !drawIds.contains(v.draw ?? "") {
            drawProblems.append(L("\(v.id)：随机检查没有对应的抽取记录", "\(v.id): a random visit without a draw"))
        }
        let drawShort = max(0, needDrawn - drawnUnits.count)
        out.append(.init(rule: "FREQ-GENERAL-RANDOM", figure: Double(drawnUnits.count), threshold: Double(needDrawn),
                         pass: drawShort == 0 && drawProblems.isEmpty, shortfall: Double(drawShort), unit: "units",
                         message: L("双随机抽取一般检查单位\(drawnUnits.count)家（应≥\(f(p.generalSampleRate * 100))%×\(generalUnits.count) = \(needDrawn)家），\(doc.draws.count)次抽取"
                                        + (drawProblems.isEmpty ? "均可复现" : "：" + drawProblems.prefix(3).joined(separator: "；")),
                                    "\(drawnUnits.count) general units drawn at random (need ≥\(f(p.generalSampleRate * 100))% × \(generalUnits.count) = \(needDrawn)), \(doc.draws.count) draws"
                                        + (drawProblems.isEmpty ? ", all reproducible" : ": " + drawProblems.prefix(3).joined(separator: "; "))),
                         fix: drawShort > 0 ? L("差\(drawShort)家：需\(f(Double(drawShort) * p.effortGeneral))组·日", "short of \(drawShort) units: \(f(Double(drawShort) * p.effortGeneral)) team-days")
                                            : (drawProblems.isEmpty ? nil : L("按记录的种子与抽取池重新抽取", "re-run the draws from their recorded seeds and pools"))))

        // PLAN-SPECIAL: each campaign's minimum, in its months, on matching units.
        var specialVisits: [String: [PlanDocument.Visit]] = [:]
        for v in doc.visits where v.kind == "special" { specialVisits[v.campaign ?? "", default: []].append(v) }
        let ledgerById = context.map { ctx in Dictionary(ctx.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        let scenarioCampaigns = context.map { ctx in Dictionary(ctx.scenario.campaigns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }
        for c in p.campaigns {
            let vs = specialVisits[c.name] ?? []
            let outside = vs.filter { !c.months.contains($0.month) }.count
            var mismatched = 0
            if let byId = ledgerById, let campaign = scenarioCampaigns?[c.name] {
                mismatched = vs.filter { byId[$0.unit].map { !campaign.matches($0) } ?? true }.count
            }
            let short = max(0, clampCount(c.visits) - vs.count)
            out.append(.init(rule: "PLAN-SPECIAL", figure: Double(vs.count), threshold: Double(c.visits),
                             pass: short == 0 && outside == 0 && mismatched == 0, shortfall: Double(short), unit: "visits",
                             message: L("专项执法「\(c.name)」\(vs.count)家次（\(months(c.months))，符合条件单位\(c.eligible)家）"
                                            + (outside > 0 ? "；\(outside)家次不在专项月份" : "") + (mismatched > 0 ? "；\(mismatched)家次单位不符合专项条件" : ""),
                                        "campaign \"\(c.name)\": \(vs.count) visits (\(months(c.months)); \(c.eligible) eligible units)"
                                            + (outside > 0 ? "; \(outside) visits outside its months" : "") + (mismatched > 0 ? "; \(mismatched) visits to units it does not cover" : "")),
                             fix: short > 0 ? (c.eligible < c.visits ? L("符合条件的单位只有\(c.eligible)家：降低专项最少家次或放宽条件", "only \(c.eligible) units are eligible: lower the campaign's minimum or widen its criteria")
                                                                     : L("差\(short)家次：需\(f(Double(short) * p.effortSpecial))组·日", "short of \(short) visits: \(f(Double(short) * p.effortSpecial)) team-days")) : nil))
        }

        // FREQ-JOINT: the district's joint cross-department random check, in one month.
        if doc.authority.level == "district" && p.jointVisits > 0 {
            let js = doc.visits.filter { $0.kind == "joint" }
            let jointMonths = Set(js.map { $0.month })
            let pool = generalUnits.filter(isIndustrial).count
            let need = min(clampCount(p.jointVisits), pool)
            let short = max(0, need - js.count)
            let allowed = p.jointMonths.isEmpty || jointMonths.isSubset(of: Set(p.jointMonths))
            out.append(.init(rule: "FREQ-JOINT", figure: Double(js.count), threshold: Double(need),
                             pass: short == 0 && jointMonths.count <= 1 && allowed && (need == 0 || !js.isEmpty), shortfall: Double(short), unit: "visits",
                             message: L("工业企业跨部门联合双随机抽查\(js.count)家次" + (jointMonths.count == 1 ? "（\(jointMonths.first!)月）" : (jointMonths.count > 1 ? "，分散在\(jointMonths.count)个月" : ""))
                                            + (allowed ? "" : "，不在规定月份\(months(p.jointMonths))"),
                                        "joint cross-department random check of industrial units: \(js.count) visits" + (jointMonths.count == 1 ? " (month \(jointMonths.first!))" : (jointMonths.count > 1 ? ", spread over \(jointMonths.count) months" : ""))
                                            + (allowed ? "" : ", outside the set \(months(p.jointMonths))")),
                             fix: short > 0 ? L("差\(short)家次：需\(f(Double(short) * p.effortGeneral))组·日", "short of \(short) visits: \(f(Double(short) * p.effortGeneral)) team-days") : nil))
        }

        // PLAN-BASIS: the visits fit the team-days for planned inspection (准确核算工作量). Time
        // carries forward: the effort up to each month fits the team-days up to it.
        var accrued = 0.0, spent = 0.0
        var overMonths: [(month: Int, by: Double)] = []
        for m in doc.months.sorted(by: { $0.month < $1.month }) {
            accrued += m.capacityTeamDays; spent += m.effortTeamDays
            if spent - accrued > 1e-6 { overMonths.append((m.month, spent - accrued)) }
        }
        let overBy = overMonths.map { $0.by }.max() ?? 0
        out.append(.init(rule: "PLAN-BASIS", figure: round2(spent), threshold: round2(accrued), pass: overMonths.isEmpty,
                         shortfall: round2(overBy), unit: "team-days",
                         message: L("计划检查用时与可用检查组·日（已扣除\(f(p.reserveShare * 100))%用于触发式检查，未用组·日可顺延）" + (overMonths.isEmpty ? "逐月累计不超" : "：\(months(overMonths.map { $0.month }))超出"),
                                    "planned effort within the team-days available (\(f(p.reserveShare * 100))% kept for triggered inspections, unused team-days carried forward)" + (overMonths.isEmpty ? " month by month" : ": over in \(months(overMonths.map { $0.month }))")),
                         fix: overMonths.isEmpty ? nil : L("超出\(f(round2(overBy)))组·日：约增加\(officers(teamDays: overBy))名执法人员，或减少这些月份的检查",
                                                           "\(f(round2(overBy))) team-days over: about \(officers(teamDays: overBy)) more officers, or fewer visits in these months")))

        // PLAN-DECOMPOSE: no month with workdays (and officers to inspect) left empty.
        let open = doc.months.filter { $0.workdays > 0 && $0.capacityTeamDays > 0 }
        let empty = open.filter { $0.visits == 0 }
        out.append(.init(rule: "PLAN-DECOMPOSE", figure: Double(open.filter { $0.visits > 0 }.count),
                         threshold: Double(open.count), pass: empty.isEmpty, shortfall: Double(empty.count), unit: "months",
                         message: L("分解为季度、月度计划：" + (empty.isEmpty ? "每个有工作日的月份均有检查" : "\(months(empty.map { $0.month }))无检查"),
                                    "broken into quarterly and monthly plans: " + (empty.isEmpty ? "every month with workdays has visits" : "no visits in \(months(empty.map { $0.month }))")),
                         fix: empty.isEmpty ? nil : L("在这些月份安排检查", "plan visits in these months")))

        // TIER-ONE: every visit to a unit this authority inspects (and, given the scenario,
        // every unit's class and level as the ledger makes them).
        var tierProblems = doc.visits.filter { unitById[$0.unit]?.ownUnit != true && unitById[$0.unit]?.closed != true }.map { L("\($0.id)：单位\($0.unit)不属本执法主体", "\($0.id): unit \($0.unit) is not this authority's") }
        if let ctx = context {
            let byId = Dictionary(ctx.units.indices.map { (ctx.units[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
            let own = Set(ctx.own)
            for u in stated.units where u.closed != true {
                guard let i = byId[u.id] else { tierProblems.append(L("\(u.id)：不在台账中", "\(u.id): not in the ledger")); continue }
                let c = ctx.classifications[i]
                if c.unitClass.rawValue != u.class || c.tier.rawValue != u.tier || c.rules.map({ $0.id }) != u.rules
                    || own.contains(i) != u.ownUnit {
                    tierProblems.append(L("\(u.id)：分类或层级与台账不符", "\(u.id): class or level differs from the ledger"))
                }
            }
            if stated.units.filter({ $0.closed != true }).count != ctx.units.count { tierProblems.append(L("计划列出\(stated.units.count)家单位，台账有\(ctx.units.count)家", "the plan lists \(stated.units.count) units, the ledger has \(ctx.units.count)")) }
        }
        out.append(.init(rule: "TIER-ONE", figure: Double(tierProblems.count), threshold: 0, pass: tierProblems.isEmpty,
                         shortfall: Double(tierProblems.count), unit: "problems",
                         message: L("一家单位对应一个执法层级" + (tierProblems.isEmpty ? "" : "：" + tierProblems.prefix(3).joined(separator: "；")),
                                    "one enforcing level per unit" + (tierProblems.isEmpty ? "" : ": " + tierProblems.prefix(3).joined(separator: "; "))),
                         fix: tierProblems.isEmpty ? nil : L("按台账重新分类或删除不属本主体的检查", "re-classify from the ledger or drop the visits to units not this authority's")))

        // PLAN-SCENARIO: given the scenario, the plan states the scenario's seed, policy, workdays,
        // calendar, campaigns and the ledger's required visits and draw weights.
        if context != nil && !scenarioProblems.isEmpty {
            out.append(.init(rule: "PLAN-SCENARIO", figure: Double(scenarioProblems.count), threshold: 0, pass: scenarioProblems.isEmpty,
                             shortfall: Double(scenarioProblems.count), unit: "problems",
                             message: L("计划与场景一致（种子、政策参数、工作日、日历、专项、台账）" + (scenarioProblems.isEmpty ? "" : "：不一致\(scenarioProblems.count)处：" + scenarioProblems.joined(separator: "；")),
                                        "the plan states its scenario (seed, policy, workdays, calendar, campaigns, ledger)" + (scenarioProblems.isEmpty ? "" : ": \(scenarioProblems.count) differences: " + scenarioProblems.joined(separator: "; "))),
                             fix: scenarioProblems.isEmpty ? nil : L("按场景重新编制计划（planner plan）", "plan again from the scenario (planner plan)")))
        }
        return (out, format, drawProblems, scenarioProblems)
    }

    static func isIndustrial(_ u: PlanDocument.Unit) -> Bool {
        Category.isIndustrial(Category(rawValue: u.category), u.activity.flatMap(Activity.init(rawValue:)))
    }

    /// The metrics a plan states, recomputed; a list of differences (empty when they agree).
    public static func metricDifferences(_ doc: PlanDocument, lang: Lang = .zh) -> [String] {
        let zh = lang == .zh
        var again = doc
        PlanMetrics.fill(&again)
        var out: [String] = []
        if again.metrics != doc.metrics { out.append(zh ? "metrics 与检查安排不一致" : "the stated metrics differ from the visits") }
        if again.months != doc.months { out.append(zh ? "months 与检查安排不一致" : "the monthly figures (months) differ from the visits") }
        let ids = doc.visits.map { $0.id }
        if Set(ids).count != ids.count { out.append(zh ? "检查编号重复" : "duplicate visit ids") }
        return out
    }
}

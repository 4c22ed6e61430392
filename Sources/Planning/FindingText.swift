import Foundation
import Ledger
import Policy

// The words of the verifier's findings, Chinese and English: the one place a check's message and
// fix are written. plan.json keeps the Chinese; Reports (`VerdictText`) renders verdicts in the
// reader's language with these.

extension Finding {
    /// The check's message in `lang`.
    public func message(_ lang: Lang) -> String {
        let zh = lang == .zh
        func L(_ chinese: @autoclosure () -> String, _ english: @autoclosure () -> String) -> String { zh ? chinese() : english() }
        func f(_ v: Double) -> String { safeFigure(v) }
        func months(_ ms: [Int]) -> String {
            zh ? ms.map { "\($0)月" }.joined(separator: "、") : (ms.count == 1 ? "month " : "months ") + ms.map(String.init).joined(separator: ", ")
        }
        func list(_ ps: [Phrase], _ n: Int) -> String { ps.prefix(n).map { $0.text(lang) }.joined(separator: zh ? "；" : "; ") }
        /// A stated threshold against the policy floor (RULES.md §7.11): laxer fails, stricter is said.
        func floorNote(_ stated: Double, _ floor: Double, percent: Bool) -> String {
            let show = { (v: Double) in percent ? "\(f(v * 100))%" : f(v) }
            if stated < floor - 1e-12 {
                return zh ? "；计划所列要求\(show(stated))低于政策底线\(show(floor))，不符合五(十二)" : "; the plan states \(show(stated)), below the policy floor of \(show(floor))"
            }
            if stated > floor + 1e-12 {
                return zh ? "（本场景从严：\(show(stated))，政策底线\(show(floor))）" : " (stricter in this scenario: \(show(stated)); policy floor \(show(floor)))"
            }
            return ""
        }
        switch self {
        case .planFormat(let ps):
            if ps.isEmpty { return L("计划文件格式与数值范围符合（DATA.md §4）", "the plan file is well formed, its numbers in range (DATA.md §4)") }
            return L("计划文件格式不符（DATA.md §4）：", "the plan file is not well formed (DATA.md §4): ")
                + list(ps, 10) + (ps.count > 10 ? L(" 等\(ps.count)处", " and \(ps.count - 10) more") : "")
        case .planScenario(let ps):
            return L("计划与场景一致（种子、政策参数、工作日、日历、专项、台账）" + (ps.isEmpty ? "" : "：不一致\(ps.count)处：" + list(ps, ps.count)),
                     "the plan states its scenario (seed, policy, workdays, calendar, campaigns, ledger)" + (ps.isEmpty ? "" : ": \(ps.count) differences: " + list(ps, ps.count)))
        case let .keyCover(covered, keyUnits, _, _, _):
            return L("重点检查单位全覆盖：\(covered)/\(keyUnits)家达到应检次数", "full coverage of key units: \(covered)/\(keyUnits) get their required visits")
        case let .cap(maxVisits, over, example):
            return L("单家单位年度检查次数上限\(maxVisits)次" + (over == 0 ? "" : "：\(over)家超出，如 \(example ?? "")"),
                     "at most \(maxVisits) visits a year to one unit" + (over == 0 ? "" : ": \(over) units over, e.g. \(example ?? "")"))
        case let .share(keyVisits, visits, share, stated, floor, _, _):
            return L("重点检查工作量（重点单位+专项执法）\(keyVisits)/\(visits)家次 = \(String(format: "%.1f%%", share * 100))",
                     "key inspection work (key units + special campaigns) \(keyVisits)/\(visits) visits = \(String(format: "%.1f%%", share * 100))")
                + floorNote(stated, floor, percent: true)
        case let .ratio(visits, workdays, ratio, stated, floor, _, _, _):
            return L("检查总家次/监督检查工作日 = \(visits)/\(f(workdays)) = \(String(format: "%.3f", ratio))",
                     "visits / inspection workdays = \(visits)/\(f(workdays)) = \(String(format: "%.3f", ratio))")
                + floorNote(stated, floor, percent: false)
        case let .generalRandom(drawn, rate, generalUnits, needed, draws, problems, _, _):
            return L("双随机抽取一般检查单位\(drawn)家（应≥\(f(rate * 100))%×\(generalUnits) = \(needed)家），\(draws)次抽取"
                        + (problems.isEmpty ? "均可复现" : "：" + list(problems, 3)),
                     "\(drawn) general units drawn at random (need ≥\(f(rate * 100))% × \(generalUnits) = \(needed)), \(draws) draws"
                        + (problems.isEmpty ? ", all reproducible" : ": " + list(problems, 3)))
        case let .campaign(name, visits, ms, eligible, _, outside, mismatched, _, _):
            return L("专项执法「\(name)」\(visits)家次（\(months(ms))，符合条件单位\(eligible)家）"
                        + (outside > 0 ? "；\(outside)家次不在专项月份" : "") + (mismatched > 0 ? "；\(mismatched)家次单位不符合专项条件" : ""),
                     "campaign \"\(name)\": \(visits) visits (\(months(ms)); \(eligible) eligible units)"
                        + (outside > 0 ? "; \(outside) visits outside its months" : "") + (mismatched > 0 ? "; \(mismatched) visits to units it does not cover" : ""))
        case let .joint(visits, used, setMonths, allowed, _, _):
            return L("工业企业跨部门联合双随机抽查\(visits)家次" + (used.count == 1 ? "（\(used[0])月）" : (used.count > 1 ? "，分散在\(used.count)个月" : ""))
                        + (allowed ? "" : "，不在规定月份\(months(setMonths))"),
                     "joint cross-department random check of industrial units: \(visits) visits" + (used.count == 1 ? " (month \(used[0]))" : (used.count > 1 ? ", spread over \(used.count) months" : ""))
                        + (allowed ? "" : ", outside the set \(months(setMonths))"))
        case let .basis(reserveShare, overMonths, _, _):
            return L("计划检查用时与可用检查组·日（已扣除\(f(reserveShare * 100))%用于触发式检查，未用组·日可顺延）" + (overMonths.isEmpty ? "逐月累计不超" : "：\(months(overMonths))超出"),
                     "planned effort within the team-days available (\(f(reserveShare * 100))% kept for triggered inspections, unused team-days carried forward)" + (overMonths.isEmpty ? " month by month" : ": over in \(months(overMonths))"))
        case .decompose(let empty):
            return L("分解为季度、月度计划：" + (empty.isEmpty ? "每个有工作日的月份均有检查" : "\(months(empty))无检查"),
                     "broken into quarterly and monthly plans: " + (empty.isEmpty ? "every month with workdays has visits" : "no visits in \(months(empty))"))
        case .tierOne(let ps):
            return L("一家单位对应一个执法层级" + (ps.isEmpty ? "" : "：" + list(ps, 3)), "one enforcing level per unit" + (ps.isEmpty ? "" : ": " + list(ps, 3)))
        case .rosterFormat(let ps):
            return L("检查方案文件格式不符（DATA.md §6）：", "the roster file is not well formed (DATA.md §6): ")
                + ps.prefix(5).map { $0.text(lang) }.joined(separator: L("；", "; ")) + (ps.count > 5 ? L(" 等\(ps.count)处", " and \(ps.count - 5) more") : "")
        case let .roster(rule, ps, total):
            return Self.rosterHeadline(rule, lang)
                + (ps.isEmpty ? L("：\(total)项均符合", ": all \(total) comply") : L("：", ": ") + list(ps, 3)
                    + (ps.count > 3 ? L(" 等\(ps.count)处", " and \(ps.count - 3) more") : ""))
        }
    }

    /// What would make the rule pass, in `lang`; nil when nothing is to be done.
    public func fix(_ lang: Lang) -> String? {
        let zh = lang == .zh
        func L(_ chinese: @autoclosure () -> String, _ english: @autoclosure () -> String) -> String { zh ? chinese() : english() }
        func f(_ v: Double) -> String { safeFigure(v) }
        switch self {
        case .planFormat(let ps):
            return ps.isEmpty ? nil : L("使用 planner plan 生成的原始 plan.json", "use the plan.json that planner plan wrote")
        case .planScenario(let ps):
            return ps.isEmpty ? nil : L("按场景重新编制计划（planner plan）", "plan again from the scenario (planner plan)")
        case let .keyCover(_, _, missing, teamDays, officers):
            return missing == 0 ? nil : L("差\(missing)家次：需增加\(f(teamDays))组·日（\(f(teamDays * 2))人·日）监督检查工作日，约\(officers)名执法人员",
                                          "short of \(missing) visits: \(f(teamDays)) team-days (\(f(teamDays * 2)) person-days) more inspection workdays, about \(officers) more officers")
        case let .cap(_, over, _):
            return over == 0 ? nil : L("减少这些单位的检查次数", "visit these units less often")
        case let .share(_, _, _, stated, floor, short, drop):
            if short == 0 { return stated < floor - 1e-12 ? L("按政策底线\(f(floor * 100))%重新编制计划", "plan again at the policy floor of \(f(floor * 100))%") : nil }
            return L("差\(short)家次：增加\(short)家次重点或专项检查，或减少约\(drop)家次一般检查",
                     "short of \(short) visits: add \(short) key or campaign visits, or drop about \(drop) general visits")
        case let .ratio(_, _, _, stated, floor, short, effortBound, teamDays):
            if short > 0 {
                return L("差\(short)家次：每次检查用时降至≤\(String(format: "%.2f", effortBound))组·日，"
                            + "或提高抽查比例、增加专项检查以增加\(short)家次（需\(f(teamDays))组·日）",
                         "short of \(short) visits: bring a visit's effort down to ≤\(String(format: "%.2f", effortBound)) team-days, "
                            + "or raise the sampling rate or add campaign visits for \(short) more visits (\(f(teamDays)) team-days)")
            }
            return stated < floor - 1e-12 ? L("按政策底线\(f(floor))重新编制计划", "plan again at the policy floor of \(f(floor))") : nil
        case let .generalRandom(_, _, _, _, _, problems, short, teamDays):
            if short > 0 { return L("差\(short)家：需\(f(teamDays))组·日", "short of \(short) units: \(f(teamDays)) team-days") }
            return problems.isEmpty ? nil : L("按记录的种子与抽取池重新抽取", "re-run the draws from their recorded seeds and pools")
        case let .campaign(_, _, _, eligible, minimum, _, _, short, teamDays):
            guard short > 0 else { return nil }
            return eligible < minimum ? L("符合条件的单位只有\(eligible)家：降低专项最少家次或放宽条件", "only \(eligible) units are eligible: lower the campaign's minimum or widen its criteria")
                                      : L("差\(short)家次：需\(f(teamDays))组·日", "short of \(short) visits: \(f(teamDays)) team-days")
        case let .joint(_, _, _, _, short, teamDays):
            return short > 0 ? L("差\(short)家次：需\(f(teamDays))组·日", "short of \(short) visits: \(f(teamDays)) team-days") : nil
        case let .basis(_, overMonths, overBy, officers):
            return overMonths.isEmpty ? nil : L("超出\(f(round2(overBy)))组·日：约增加\(officers)名执法人员，或减少这些月份的检查",
                                                "\(f(round2(overBy))) team-days over: about \(officers) more officers, or fewer visits in these months")
        case .decompose(let empty):
            return empty.isEmpty ? nil : L("在这些月份安排检查", "plan visits in these months")
        case .tierOne(let ps):
            return ps.isEmpty ? nil : L("按台账重新分类或删除不属本主体的检查", "re-classify from the ledger or drop the visits to units not this authority's")
        case .rosterFormat:
            return L("使用 planner roster 生成的原始检查方案", "use the roster that planner roster wrote")
        case .roster:
            return nil
        }
    }

    /// What a roster's rule line checks, e.g. 回避.
    static func rosterHeadline(_ rule: RuleID, _ lang: Lang) -> String {
        let zh = lang == .zh
        switch rule {
        case .siteTeam: return zh ? "每次检查至少两名持证执法人员、一人任组长" : "two certified officers or more on every visit, one of them leading"
        case .keyCover: return zh ? "重点检查“执法+专家”" : "key visits with an expert (执法+专家)"
        case .avoidance: return zh ? "回避" : "conflicts of interest (回避)"
        case .availability: return zh ? "工作日（含调休上班日）且人员可用" : "workdays (with 调休 makeup days) and people available"
        case .load: return zh ? "每人每天工作量不超过1天" : "at most one day's work a day for each person"
        case .decompose: return zh ? "年度计划当月每次检查恰好出现一次并安排到人" : "every visit of the month in the annual plan listed once and assigned"
        case .generalRandom: return zh ? "随机抽取执法检查人员，可复现" : "inspectors drawn at random, reproducibly"
        default: return rule.title(lang)
        }
    }
}

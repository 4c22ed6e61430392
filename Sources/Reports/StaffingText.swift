import Foundation
import Planning
import Policy

/// What `planner staffing` says of a `StaffingAnswer`, line by line: how many officers every
/// rule needs, the rule that binds, the other levers, what could not be confirmed. The
/// command prints it; the web application shows it.
public struct StaffingText {
    public let lines: [String]
    /// No staffing level meets every rule (`planner staffing` exits 2).
    public let unsatisfiable: Bool

    public init(answer: StaffingAnswer, lang: Lang) {
        (lines, unsatisfiable) = Self.make(answer, lang)
    }

    static func make(_ answer: StaffingAnswer, _ lang: Lang) -> ([String], Bool) {
        let a = answer
        let zh = lang == .zh
        var out: [String] = []
        func print(_ line: String) { out.append(contentsOf: line.components(separatedBy: "\n")) }
        if !a.unsatisfiable.isEmpty {
            if a.unprovenPlans {
                print(zh ? "未能用经证明最优的完整计划确认任何人员配置：" : "No staffing level could be confirmed by a plan proven optimal:")
            } else {
                print(zh ? "任何人员配置都无法满足以下规则（需调整场景）：" : "No staffing level meets these rules (the scenario must change):")
            }
            for u in a.unsatisfiablePhrases.text(lang) { print("  \(u)") }
            return (out, true)
        }
        let need = a.officersNow + a.additionalOfficers
        if a.deductionsDeficit > 0 {
            print(zh ? "现有人员的扣除项（其他执法与非执法工作日）超过总法定工作日 \(PlanReport.f(a.deductionsDeficit)) 人·日：至少增加 \(a.officersToCoverDeductions ?? 0) 人才有监督检查工作日。"
                     : "Today's deductions (other and non-enforcement) exceed the gross person-days by \(PlanReport.f(a.deductionsDeficit)): at least \(a.officersToCoverDeductions ?? 0) officers must be added before any inspection day is left.")
        }
        if zh {
            print("现有持证执法人员 \(a.officersNow) 人；满足全部规则需 \(need) 人（\(a.additionalOfficers >= 0 ? "增加" : "可减少") \(abs(a.additionalOfficers)) 名全职持证执法人员），监督检查工作日 \(PlanReport.f(a.inspectionWorkdays)) 人·日。")
            if let b = a.binding { print("起约束作用的规则：\(b)（少一人时：\(a.bindingPhrase?.zh ?? a.bindingMessage ?? "")）") }
        } else {
            print("Certified officers now: \(a.officersNow); every rule needs \(need) (\(a.additionalOfficers >= 0 ? "add" : "could remove") \(abs(a.additionalOfficers)) full-time certified officers); inspection workdays \(PlanReport.f(a.inspectionWorkdays)).")
            if let b = a.binding { print("Binding rule: \(b) (one officer fewer: \(a.bindingPhrase?.en ?? a.bindingMessage ?? ""))") }
        }
        let l = a.levers
        print(zh ? "\n不增加人员时的其他调整（任选其一）：" : "\nOther levers that would make today's staff sufficient (any one):")
        if let r = l.generalSampleRateMax, r < l.generalSampleRateNow {
            print(zh ? "  抽查比例由 \(PlanReport.f(l.generalSampleRateNow * 100))% 降至 ≤ \(PlanReport.f(r * 100))%" : "  sampling rate from \(l.generalSampleRateNow) down to ≤ \(r)")
        }
        if let k = l.effortKeyMax, let g = l.effortGeneralMax, let sp = l.effortSpecialMax,
           k < l.effortKeyNow || g < l.effortGeneralNow || sp < l.effortSpecialNow {
            print(zh ? "  每次检查用时降至：重点 ≤ \(String(format: "%.2f", k))、一般 ≤ \(String(format: "%.2f", g))、专项 ≤ \(String(format: "%.2f", sp)) 组·日（按0.05组·日取整）"
                     : "  effort per visit down to key ≤ \(String(format: "%.2f", k)), general ≤ \(String(format: "%.2f", g)), special ≤ \(String(format: "%.2f", sp)) team-days (on the 0.05 grid)")
        }
        if let d = l.deductionsCut, d > 0 {
            print(zh ? "  其他执法/非执法工作日合计减少 \(PlanReport.f(d)) 人·日" : "  cut other or non-enforcement deductions by \(PlanReport.f(d)) person-days")
        }
        if a.additionalOfficers <= 0 { print(zh ? "  （现有人员已足够）" : "  (today's staff is sufficient)") }
        else if !l.confirmed { print(zh ? "  （未能用完整计划确认上述调整）" : "  (no lever could be confirmed by a full plan)") }
        if !a.notProvenOptimal.isEmpty {
            print(zh ? "\n注意：以下计划未被证明最优，不计为确认（可用 --time-limit 延长时限）：\(a.notProvenOptimal.joined(separator: "、"))"
                     : "\nNote: these plans were not proven optimal and confirm nothing (try a longer --time-limit): \(a.notProvenOptimal.joined(separator: ", "))")
        }
        return (out, false)
    }
}

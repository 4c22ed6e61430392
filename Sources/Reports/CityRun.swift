import Foundation
import Ledger
import Output
import Planning
import Policy

/// A whole city run after its inputs are loaded (DATA.md §7): every authority planned, verified
/// and written into `dir/<folder>/`, dispatch when asked for and needed, then `city.json` and
/// the roll-up workbook. A command, a server or a test calls it alike.
public enum CityRun {
    public static func run(_ inputs: CityInputs, to dir: String, jobs: Int, timeLimit: Double = 60, lang: Lang,
                           started: Date = Date(), progress: @escaping @Sendable (String) -> Void = { _ in },
                           lap: (String) -> Void = { _ in }) throws -> CityReport {
        let zh = lang == .zh
        var options = PlanOptions()
        options.timeLimit = timeLimit
        let n = inputs.count
        let lock = NSLock()
        nonisolated(unsafe) var rows = [CityRow?](repeating: nil, count: n)
        nonisolated(unsafe) var capacities = [CityDispatcher.Capacity?](repeating: nil, count: n)
        nonisolated(unsafe) var done = 0, total = n
        let write: @Sendable (CityPlanning.Planned) throws -> Void = { p in
            let folder = inputs.folder(p.index)
            let path = (dir as NSString).appendingPathComponent(folder)
            try FileOutput.makeDirectory(path)
            try PlanReport(doc: p.doc, lang: lang).write(to: path)
            let row = CityRow(folder: folder, doc: p.doc)
            let capacity = CityDispatcher.Capacity(p.context, p.doc)
            lock.lock()
            rows[p.index] = row
            capacities[p.index] = capacity
            done += 1
            let d = done, n = total
            lock.unlock()
            if n <= 30 || d % max(1, n / 10) == 0 || d == n {
                progress(zh ? "已编制 \(d)/\(n)：\(row.authority.name)（\(row.units)家单位，\(String(format: "%.2f", p.seconds))秒）"
                            : "Planned \(d)/\(n): \(row.authority.name) (\(row.units) units, \(String(format: "%.2f", p.seconds)) s)")
            }
        }
        progress(zh ? "编制\(n)个执法主体的年度计划（\(jobs)个并行）…" : "Planning \(n) authorities (\(jobs) at a time)…")
        try CityPlanning.planAll(inputs, jobs: jobs, options: options, each: write)
        lap("plan+write")
        var outcome: DispatchOutcome? = nil
        if inputs.city.dispatch.enabled {
            let short = (0..<n).filter { !rows[$0]!.compliant }
            if short.isEmpty {
                outcome = DispatchOutcome()
            } else {
                progress(zh ? "\(short.count)个执法主体未达标：测算所需监督检查工作日并求解全市执法力量调用…"
                            : "\(short.count) authorities fall short: working out their person-day needs and the city dispatch…")
                let capacity = capacities.map { $0! }
                // A lender's re-made plan is checked like every plan; should one no longer comply
                // (its spare was a class-level estimate), the dispatch is solved again without it.
                var excluded = Set<Int>(), replanned = Set<Int>()
                for _ in 0..<3 {
                    let d = try CityDispatcher.dispatch(inputs, short: short, capacities: capacity, excluding: excluded, jobs: jobs, options: options,
                                                        lap: { lap("dispatch " + $0) })
                    outcome = d.outcome
                    let moved = d.transfers
                    let again = replanned.union(moved.keys).sorted()
                    replanned.formUnion(moved.keys)
                    guard !again.isEmpty else { break }
                    progress(zh ? "按\(d.outcome.orders.count)张调度单重新编制\(again.count)个执法主体的计划…"
                                : "Re-planning \(again.count) authorities with \(d.outcome.orders.count) dispatch orders…")
                    done = 0; total = again.count
                    try CityPlanning.planAll(inputs, indices: again, jobs: jobs, options: options,
                                             scenario: { k in var s = inputs.scenario(k); s.transfers = moved[k] ?? WorkdayTransfers(); return s },
                                             each: write)
                    lap("dispatch re-plans")
                    let broken = Set(d.outcome.orders.map { $0.from }).filter { !rows[$0]!.compliant }
                    if broken.isEmpty { break }
                    excluded.formUnion(broken)
                }
            }
        }
        let report = try finish(inputs, rows: rows.map { $0! }, dispatch: outcome, dir: dir, started: started, lang: lang)
        lap("roll-up")
        return report
    }

    static func finish(_ inputs: CityInputs, rows: [CityRow], dispatch: DispatchOutcome?, dir: String, started: Date, lang: Lang) throws -> CityReport {
        let city = inputs.city
        let report = CityReport(city: city.city, year: city.defaults.year, seed: city.defaults.seed, ledgerUnits: inputs.ledger.units.count,
                                ledgerSha256: inputs.ledgerSha256, rows: rows, unassigned: inputs.assignment.unassigned,
                                conflicts: inputs.assignment.conflicts, dispatch: dispatch, dispatchEnabled: city.dispatch.enabled,
                                seconds: Date().timeIntervalSince(started), lang: lang)
        try report.write(to: dir)
        return report
    }
}

import Accounts
import Foundation
import Ledger
import LedgerStore
import Planning
import Policy
import Reports

/// Plans made from the browser, in the background: one at a time on a queue of their own
/// (never a server thread, so other users' pages keep answering), each with its stage for the
/// progress page. The engine is called as `planner plan --db` calls it: the scenario's
/// context (the ledger read from the server's database), `AnnualPlanner`, the plan's files
/// and printable document (and its PDF when Chromium is there), stored as a draft plan.
public final class PlanJobs: @unchecked Sendable {
    public struct Job: Sendable {
        public var id: Int
        public var authority: String
        public var year: Int
        public var by: String
        /// What it is doing now, in Chinese.
        public var stage: String
        public var finished = false
        /// The stored plan, once made.
        public var planID: Int?
        public var compliant: Bool?
        /// Why it failed (each input problem with its file, row, column and value).
        public var problems: [String] = []
        public var started: Date
        public var seconds: Double?
    }

    let store: LedgerStore
    let pdf: DocumentPDF.Mode
    let timeLimit: Double
    private let lock = NSLock()
    private var jobs: [Int: Job] = [:]
    private var nextID = 0
    private let queue = DispatchQueue(label: "planner.web.plans", qos: .utility)

    public init(store: LedgerStore, pdf: DocumentPDF.Mode = .auto, timeLimit: Double = 60) {
        self.store = store; self.pdf = pdf; self.timeLimit = timeLimit
    }

    public func job(_ id: Int) -> Job? { lock.lock(); defer { lock.unlock() }; return jobs[id] }

    private func update(_ id: Int, _ change: (inout Job) -> Void) {
        lock.lock(); defer { lock.unlock() }
        if var j = jobs[id] { change(&j); jobs[id] = j }
    }

    /// Queues a plan of `saved` for `account`; returns the job's id at once.
    func start(_ saved: ScenarioStore.Saved, by account: Account) -> Int {
        lock.lock()
        nextID += 1
        let id = nextID
        let waiting = jobs.values.filter { !$0.finished }.count
        jobs[id] = Job(id: id, authority: account.authority, year: saved.form.year, by: account.name,
                       stage: waiting == 0 ? "准备编制" : "排队等候（前面还有 \(waiting) 个计划）", started: Date())
        lock.unlock()
        queue.async { [self] in run(id, saved, account) }
        return id
    }

    private func run(_ id: Int, _ saved: ScenarioStore.Saved, _ account: Account) {
        let t0 = Date()
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("planner-web-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let out = folder + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try Data(saved.yaml.utf8).write(to: URL(fileURLWithPath: folder + "/scenario.yaml"))
            if let s = saved.staff { try s.write(to: URL(fileURLWithPath: folder + "/staff.csv")) }
            if let e = saved.experts { try e.write(to: URL(fileURLWithPath: folder + "/experts.csv")) }
            update(id) { $0.stage = "载入台账与人员" }
            let scenario = try ScenarioLoader.load(path: folder + "/scenario.yaml")
            let ctx = try PlanContext.load(scenario: scenario, ledgers: .database(store))
            update(id) { $0.stage = "求解年度计划（\(ctx.own.count) 家本主体单位，GLPK）" }
            var options = PlanOptions()
            options.timeLimit = timeLimit
            let doc = try AnnualPlanner.plan(ctx, options: options)
            update(id) { $0.stage = "写出计划、报表与计划文书" }
            try PlanReport(doc: doc, lang: .zh).write(to: out)
            update(id) { $0.stage = "打印 PDF" }
            _ = try DocumentPDF.print(dir: out, htmlName: PlanHTML.fileName(.zh), lang: .zh, mode: pdf)
            update(id) { $0.stage = "存入台账数据库" }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            let planID = try store.saveDocument(StoredDocument(kind: .plan, authority: doc.authority.name, level: doc.authority.level,
                                                               year: doc.year, ledgerSeq: doc.ledger?.seq ?? 0, createdAt: LedgerClock.now(),
                                                               createdBy: account.name),
                                                folder: out, files: names)
            update(id) {
                $0.stage = doc.compliant ? "完成：计划符合全部规则" : "完成：计划有未达标项，详见计划文书"
                $0.planID = planID; $0.compliant = doc.compliant; $0.finished = true; $0.seconds = Date().timeIntervalSince(t0)
            }
        } catch let e as InputError {
            update(id) { $0.stage = "失败：输入有误"; $0.problems = e.problems.map(\.description); $0.finished = true; $0.seconds = Date().timeIntervalSince(t0) }
        } catch {
            update(id) { $0.stage = "失败"; $0.problems = ["\(error)"]; $0.finished = true; $0.seconds = Date().timeIntervalSince(t0) }
        }
    }
}

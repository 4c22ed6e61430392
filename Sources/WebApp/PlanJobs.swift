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
        /// What the job made, once made: its page and what to call the link.
        public var link: String?
        public var linkLabel: String?
        public var compliant: Bool?
        /// Why it failed (each input problem with its file, row, column and value).
        public var problems: [String] = []
        /// What it found, to be read on its page (a staffing answer).
        public var lines: [String] = []
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
        let store = self.store, pdf = self.pdf, timeLimit = self.timeLimit
        return enqueue(authority: account.authority, year: saved.form.year, by: account.name, first: "准备编制") { stage in
            try self.withScenario(saved) { scenario, folder in
                let out = folder + "/out"
                // The plan keeps the scenario it was made from: its rosters are made from the same.
                for name in Self.scenarioFiles where FileManager.default.fileExists(atPath: folder + "/" + name) {
                    try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: out + "/" + name)
                }
                stage("载入台账与人员")
                let ctx = try PlanContext.load(scenario: scenario, ledgers: .database(store))
                stage("求解年度计划（\(ctx.own.count) 家本主体单位，GLPK）")
                var options = PlanOptions()
                options.timeLimit = timeLimit
                let doc = try AnnualPlanner.plan(ctx, options: options)
                stage("写出计划、报表与计划文书")
                try PlanReport(doc: doc, lang: .zh).write(to: out)
                stage("打印 PDF")
                _ = try DocumentPDF.print(dir: out, htmlName: PlanHTML.fileName(.zh), lang: .zh, mode: pdf)
                stage("存入台账数据库")
                let planID = try Self.store(store, folder: out, StoredDocument(kind: .plan, authority: doc.authority.name, level: doc.authority.level,
                                                                               year: doc.year, ledgerSeq: doc.ledger?.seq ?? 0, createdAt: LedgerClock.now(),
                                                                               createdBy: account.name))
                return JobResult(stage: doc.compliant ? "完成：计划符合全部规则" : "完成：计划有未达标项，详见计划文书",
                                 link: "/plans/\(planID)", label: "查看计划（编号 \(planID)）", planID: planID)
            }
        }
    }

    /// Stores the files of `folder` as document `d`; its id.
    static func store(_ store: LedgerStore, folder: String, _ d: StoredDocument) throws -> Int {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return try store.saveDocument(d, folder: folder, files: names)
    }

    /// The files a plan made in the browser keeps of its scenario (a plan of `planner plan`
    /// has none: its rosters are made with `planner roster`).
    static let scenarioFiles = ["scenario.yaml", "staff.csv", "experts.csv"]

    /// Queues the roster of `month` of stored plan `stored` (made in the browser) for `account`.
    func startRoster(plan stored: StoredDocument, month: Int, by account: Account) -> Int {
        let store = self.store, pdf = self.pdf, timeLimit = self.timeLimit
        return enqueue(authority: account.authority, year: stored.year, by: account.name, first: "准备编排 \(month) 月现场检查方案") { stage in
            let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("planner-web-roster-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let out = folder + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for name in ["plan.json"] + Self.scenarioFiles {
                if let data = try store.db.documentFile(id: stored.id, name: name) { try data.write(to: URL(fileURLWithPath: folder + "/" + name)) }
            }
            guard FileManager.default.fileExists(atPath: folder + "/scenario.yaml") else {
                throw InputError.problem(file: "计划 \(stored.id)", "这份计划不是在网页上编制的，没有保存场景；请用 planner roster 编排 (this plan was not made in the browser and keeps no scenario: use planner roster)")
            }
            stage("载入计划、台账与人员")
            let scenario = try ScenarioLoader.load(path: folder + "/scenario.yaml")
            let doc = try PlanDocument.load(path: folder + "/plan.json")
            guard PlanVerifier.verify(doc).genuine else {
                throw InputError.problem(file: "计划 \(stored.id)", "计划未通过核验，不能据以编排现场检查 (the plan does not verify; no roster is made from it)")
            }
            let rc = try RosterContext.load(plan: doc, scenario: scenario, ledgers: .database(store))
            try PlanMatch.check(plan: doc, planPath: "plan.json", scenario: scenario, scenarioPath: "scenario.yaml",
                                ledgerUnits: Set(rc.ctx.units.map { $0.id }))
            // The months before, as stored (the newest of each): fairness and leader rotation.
            var history = RosterHistory()
            let earlier = try store.db.documents(authority: stored.authority, year: stored.year)
                .filter { $0.kind == .roster && $0.planID == stored.id && ($0.month ?? 13) < month }
            var seen = Set<Int>()
            for d in earlier.sorted(by: { ($0.month ?? 0, -$0.id) < ($1.month ?? 0, -$1.id) }) where seen.insert(d.month ?? 0).inserted {
                if let data = try store.db.documentFile(id: d.id, name: RosterDocument.fileName(year: stored.year, month: d.month ?? 0)) {
                    let path = folder + "/earlier.json"
                    try data.write(to: URL(fileURLWithPath: path))
                    history.absorb(try RosterDocument.load(path: path))
                }
            }
            stage("编排 \(month) 月现场检查方案（GLPK）")
            let r = try RosterPlanner.roster(rc, month: month, history: history, timeLimit: timeLimit)
            stage("写出现场检查方案")
            let names = Dictionary((rc.ctx.staff + rc.experts).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let report = RosterReport(doc: r, names: names, lang: .zh)
            try report.write(to: out)
            stage("打印 PDF")
            _ = try DocumentPDF.print(dir: out, htmlName: report.htmlName, lang: .zh, mode: pdf)
            stage("存入台账数据库")
            let rosterID = try Self.store(store, folder: out, StoredDocument(kind: .roster, authority: stored.authority, level: stored.level,
                                                                             year: stored.year, month: month, ledgerSeq: rc.ctx.ledgerProvenance?.seq ?? 0,
                                                                             createdAt: LedgerClock.now(), createdBy: account.name, planID: stored.id))
            let complete = r.unassigned.isEmpty && r.expertShortfalls.isEmpty
            return JobResult(stage: complete ? "完成：安排 \(r.assignments.count) 次检查"
                                             : "完成：安排 \(r.assignments.count) 次，未安排 \(r.unassigned.count) 次，缺专家 \(r.expertShortfalls.count) 次",
                             link: "/rosters/\(rosterID)/files/" + Pages.segment(report.htmlName),
                             label: "打开现场检查方案（编号 \(rosterID)）")
        }
    }

    // MARK: - What-if and staffing

    /// What a finished job made: its last stage, a link to it, lines to read.
    struct JobResult: Sendable {
        var stage: String
        var link: String? = nil
        var label: String? = nil
        var lines: [String] = []
        var planID: Int? = nil
    }

    /// Queues a job on the one queue; `body` reports stages through the closure it gets and
    /// returns what it made. An input problem fails the job with each problem listed.
    func enqueue(authority: String, year: Int, by: String, first: String,
                 _ body: @escaping @Sendable (@escaping @Sendable (String) -> Void) throws -> JobResult) -> Int {
        lock.lock()
        nextID += 1
        let id = nextID
        let waiting = jobs.values.filter { !$0.finished }.count
        jobs[id] = Job(id: id, authority: authority, year: year, by: by, stage: waiting == 0 ? first : "排队等候（前面还有 \(waiting) 项）", started: Date())
        lock.unlock()
        queue.async { [self] in
            let t0 = Date()
            do {
                let r = try body { stage in self.update(id) { $0.stage = stage } }
                update(id) {
                    $0.stage = r.stage; $0.link = r.link; $0.linkLabel = r.label; $0.lines = r.lines; $0.planID = r.planID
                    $0.finished = true; $0.seconds = Date().timeIntervalSince(t0)
                }
            } catch let e as InputError {
                update(id) { $0.stage = "失败：输入有误"; $0.problems = e.problems.map(\.description); $0.finished = true; $0.seconds = Date().timeIntervalSince(t0) }
            } catch {
                update(id) { $0.stage = "失败"; $0.problems = ["\(error)"]; $0.finished = true; $0.seconds = Date().timeIntervalSince(t0) }
            }
        }
        return id
    }

    /// The scenario of `saved` in a temporary folder, loaded; `body` runs with it and the folder
    /// is removed after.
    func withScenario<T>(_ saved: ScenarioStore.Saved, _ body: (Scenario, String) throws -> T) throws -> T {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("planner-web-analysis-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        try Data(saved.yaml.utf8).write(to: URL(fileURLWithPath: folder + "/scenario.yaml"))
        guard let staff = saved.staff else {
            throw InputError.problem(file: "scenario", column: "staff", "请先在“编制场景”上传执法人员名录 (upload the staff roll in the scenario form first)")
        }
        try staff.write(to: URL(fileURLWithPath: folder + "/staff.csv"))
        if let e = saved.experts { try e.write(to: URL(fileURLWithPath: folder + "/experts.csv")) }
        return try body(try ScenarioLoader.load(path: folder + "/scenario.yaml"), folder)
    }

    /// Queues a what-if comparison of `variants` (made from the saved scenario) for `account`:
    /// 情景比较.html and its tables, stored as a `whatif` document.
    func startWhatIf(_ saved: ScenarioStore.Saved, variants make: @escaping @Sendable (Scenario) -> [Variant], varied: String,
                     by account: Account) -> Int {
        let store = self.store, pdf = self.pdf, timeLimit = self.timeLimit
        return enqueue(authority: account.authority, year: saved.form.year, by: account.name, first: "准备情景比较") { stage in
            try self.withScenario(saved) { base, folder in
                stage("载入台账与人员")
                let ledger = try LedgerReader.database(store).read("", nil)
                let staff = try StaffLoader.load(path: folder + "/staff.csv")
                let variants = make(base)
                var options = PlanOptions()
                options.timeLimit = timeLimit
                let total = variants.count
                let done = JobCounter()
                stage("求解 \(total) 个方案")
                let results = try WhatIf.sweep(variants, ledger: ledger, staff: staff, options: options) { _, r in
                    stage("求解 \(total) 个方案：已完成 \(done.next())（\(r.name)）")
                }
                var report = WhatIfReport(results: results, lang: .zh)
                report.authority = base.authority.name
                report.year = base.year
                report.varied = varied
                stage("写出比较表与图表")
                let out = folder + "/out"
                try report.write(to: out)
                _ = try DocumentPDF.print(dir: out, htmlName: report.htmlName, lang: .zh, mode: pdf)
                let id = try Self.store(store, folder: out, StoredDocument(kind: .whatif, authority: account.authority, level: base.authority.level.rawValue,
                                                                           year: base.year, ledgerSeq: ledger.provenance?.seq ?? 0, createdAt: LedgerClock.now(),
                                                                           createdBy: account.name))
                let link = "/analyses/\(id)/files/" + Pages.segment(report.htmlName)
                return JobResult(stage: "完成：\(total) 个方案", link: link, label: "打开情景比较（编号 \(id)）", lines: report.conclusion())
            }
        }
    }

    /// Queues `planner staffing` for the saved scenario: its answer, line by line.
    func startStaffing(_ saved: ScenarioStore.Saved, by account: Account) -> Int {
        let store = self.store, timeLimit = self.timeLimit
        return enqueue(authority: account.authority, year: saved.form.year, by: account.name, first: "准备人员测算") { stage in
            try self.withScenario(saved) { s, folder in
                stage("载入台账与人员")
                let ledger = try LedgerReader.database(store).read("", nil)
                let staff = try StaffLoader.load(path: folder + "/staff.csv")
                let calendar: WorkCalendar
                do { calendar = try WorkCalendar.resolve(year: s.year, file: s.calendarPath) }
                catch let e as CalendarError { throw InputError.problem(file: e.file ?? "scenario", row: e.line, column: e.keyPath, value: e.value, e.message) }
                stage("测算所需人员（GLPK，并以完整计划确认）")
                var options = PlanOptions()
                options.timeLimit = timeLimit
                let answer = try Staffing.analyse(scenario: s, ledger: ledger, staff: staff, calendar: calendar, options: options)
                let text = StaffingText(answer: answer, lang: .zh)
                return JobResult(stage: text.unsatisfiable ? "完成：任何人员配置都不能满足全部规则" : "完成", lines: text.lines)
            }
        }
    }
}

extension PlanJobs {
    /// Queues the re-plan of stored plan `stored` (made in the browser) from `fromMonth`,
    /// keeping the published months `keep`, with the authority's latest saved scenario as
    /// things are now (the ledger as it now stands). Earlier months are taken as carried out
    /// as planned. The new plan is stored with `planID` naming the plan it re-plans.
    func startReplan(_ stored: StoredDocument, scenario saved: ScenarioStore.Saved, fromMonth: Int, keep: Set<Int>, by account: Account) -> Int {
        let store = self.store, pdf = self.pdf, timeLimit = self.timeLimit
        return enqueue(authority: account.authority, year: stored.year, by: account.name, first: "准备重新编制") { stage in
            try self.withScenario(saved) { s, folder in
                stage("载入原计划与其所据计划")
                // The plan, then the plans it re-plans, newest first (their kept draws are checked).
                var chain: [(plan: PlanDocument, sha256: String)] = []
                var next: Int? = stored.id
                var previous: (plan: PlanDocument, sha256: String)?
                while let id = next, chain.count < 50 {
                    guard let data = try store.db.documentFile(id: id, name: "plan.json") else { break }
                    let path = folder + "/plan-\(id).json"
                    try data.write(to: URL(fileURLWithPath: path))
                    let loaded = try PlanDocument.loadWithDigest(path: path)
                    if previous == nil { previous = loaded } else { chain.append(loaded) }
                    next = try store.db.document(id: id)?.planID
                }
                guard let previous else { throw InputError.problem(file: "计划 \(stored.id)", "没有 plan.json (no plan.json)") }
                guard PlanVerifier.verify(previous.plan, previous: chain).genuine else {
                    throw InputError.problem(file: "计划 \(stored.id)", "计划未通过核验，不能据以重新编制 (the plan does not verify; it cannot be re-planned)")
                }
                stage("载入当前台账与人员")
                let ctx = try PlanContext.load(scenario: s, ledgers: .database(store))
                try PlanMatch.check(plan: previous.plan, planPath: "plan.json", scenario: s, scenarioPath: "scenario.yaml",
                                    ledgerUnits: Set(ctx.units.map { $0.id }))
                stage("重新优化 \(fromMonth) 月起的计划（GLPK）")
                var options = PlanOptions()
                options.timeLimit = timeLimit
                let outcome = try Replanner.run(ctx, previous: previous.plan, executed: [], fromMonth: fromMonth, keepMonths: keep,
                                                options: options, previousSHA256: previous.sha256)
                stage("写出新计划与变更清单")
                let out = folder + "/out"
                try PlanReport(doc: outcome.plan, lang: .zh).write(to: out)
                try ChangeReport(outcome: outcome, lang: .zh).write(to: out)
                for name in Self.scenarioFiles where FileManager.default.fileExists(atPath: folder + "/" + name) {
                    try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: out + "/" + name)
                }
                _ = try DocumentPDF.print(dir: out, htmlName: PlanHTML.fileName(.zh), lang: .zh, mode: pdf)
                stage("存入台账数据库")
                let doc = outcome.plan
                let id = try Self.store(store, folder: out, StoredDocument(kind: .plan, authority: doc.authority.name, level: doc.authority.level,
                                                                           year: doc.year, ledgerSeq: doc.ledger?.seq ?? 0, createdAt: LedgerClock.now(),
                                                                           createdBy: account.name, planID: stored.id))
                return JobResult(stage: doc.compliant ? "完成：新计划符合全部规则" : "完成：新计划有未达标项，详见计划文书",
                                 link: "/plans/\(id)", label: "查看新计划（编号 \(id)）",
                                 lines: ChangeReport(outcome: outcome, lang: .zh).summary().components(separatedBy: "\n").filter { !$0.isEmpty }, planID: id)
            }
        }
    }
}

/// A thread-safe counter for progress lines.
final class JobCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}

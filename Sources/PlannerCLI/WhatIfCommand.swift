import ArgumentParser
import Foundation
import Ledger
import LedgerStore
import Planning
import Policy
import Reports

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Plan staffing and policy variants side by side and compare them rule by rule.",
        discussion: """
        Variants are every combination of the values given (--staff, --sample-rate, --effort),
        plus each --variant file (name, staff_delta, staff_from and any scenario sections to
        restate, e.g. `staff_delta: -3` with `staff_from: 2027-07-01` for losing three inspectors
        in July). Prints one comparison table and its conclusion; with --out also writes it as CSV,
        XLSX and JSON, a chart (SVG) and the printable comparison 情景比较.html, printed to
        情景比较.pdf by headless Chromium (PLANNER_PDF auto, never or always, as for plan). Progress is shown as variants finish. Efforts are put on the 0.01 team-day
        grid; a variant whose plan GLPK did not prove optimal within --time-limit (per stage of
        each plan) is marked 未证明最优 (not proven optimal).
        """)

    @Argument(help: "A scenario YAML, or a folder holding scenario.yaml.")
    var scenario: String

    @Option(parsing: .unconditional, help: "Officers added or removed: a range like -5..+5 or a list like -3,0,3.")
    var staff: String?

    @Option(name: .customLong("sample-rate"), help: "Sampling rates, e.g. 0.03,0.05,0.08.")
    var sampleRate: String?

    @Option(help: "Effort per visit in team-days, e.g. key=0.5,0.75 (repeat for general=, special=).")
    var effort: [String] = []

    @Option(help: "A variant YAML file (repeatable).")
    var variant: [String] = []

    @Option(help: "Folder for the comparison CSV, XLSX, JSON, chart and printable document (情景比较.html and .pdf).")
    var out: String?

    @Option(name: .customLong("time-limit"), help: "Seconds GLPK may spend per stage of each variant's plan; a variant stopped at the limit is marked not proven optimal.")
    var timeLimit: Double = 60

    @OptionGroup var database: DatabaseOption

    @OptionGroup var language: LanguageOption

    /// Officers a variant may add or remove (as `staff_delta` in a variant file).
    static let staffDeltaRange = -10_000...10_000
    /// Variants one run may plan (each is a full annual plan).
    static let maxVariants = 100
    /// Values one list option (--staff, --sample-rate, each --effort) may give.
    static let maxValues = 100

    static func parseStaff(_ s: String) throws -> [Int] {
        let t = s.replacingOccurrences(of: "+", with: "").replacingOccurrences(of: " ", with: "")
        let usage = "--staff \(s)：应为范围如 -5..+5 或列表如 -3,0,3 (expected a range like -5..+5 or a list like -3,0,3)"
        func bounded(_ v: Int) throws -> Int {
            guard staffDeltaRange.contains(v) else {
                throw ValidationError("--staff \(s)：\(v)人超出允许范围 \(staffDeltaRange.lowerBound)…+\(staffDeltaRange.upperBound) (\(v) officers is outside the allowed \(staffDeltaRange.lowerBound)…+\(staffDeltaRange.upperBound))")
            }
            return v
        }
        if let r = t.range(of: "..") {
            guard let a = Int(t[..<r.lowerBound]), let b = Int(t[r.upperBound...]), a <= b else {
                throw ValidationError(usage + "，允许 \(staffDeltaRange.lowerBound)…+\(staffDeltaRange.upperBound) (allowed \(staffDeltaRange.lowerBound)…+\(staffDeltaRange.upperBound))")
            }
            let lo = try bounded(a), hi = try bounded(b)
            guard hi - lo < maxValues else {
                throw ValidationError("--staff \(s)：\(hi - lo + 1)个取值，一次最多\(maxValues)个 (\(hi - lo + 1) values; at most \(maxValues) in one run)")
            }
            return Array(lo...hi)
        }
        let list = t.split(separator: ",").map { Int($0) }
        guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else { throw ValidationError(usage + "，允许 \(staffDeltaRange.lowerBound)…+\(staffDeltaRange.upperBound) (allowed \(staffDeltaRange.lowerBound)…+\(staffDeltaRange.upperBound))") }
        guard list.count <= maxValues else { throw ValidationError("--staff \(s)：\(list.count)个取值，一次最多\(maxValues)个 (\(list.count) values; at most \(maxValues) in one run)") }
        return try list.map { try bounded($0!) }
    }

    static func parseRates(_ s: String) throws -> [Double] {
        let list = s.split(separator: ",").map { StrictNumber.decimal($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ $0 != nil && (0...1).contains($0!) }) else {
            throw ValidationError("--sample-rate \(s)：抽查比例应为0到1之间的小数，如 0.03,0.05 (expected rates between 0 and 1, e.g. 0.03,0.05)")
        }
        guard list.count <= maxValues else { throw ValidationError("--sample-rate \(s)：\(list.count)个取值，一次最多\(maxValues)个 (\(list.count) values; at most \(maxValues) in one run)") }
        return list.map { $0! }
    }

    /// Efforts are put on the planner's 0.01 team-day grid (to the nearest hundredth; at least
    /// 0.01), so every variant's monthly model has whole coefficients on that grid.
    static let effortGrid = 0.01

    static func parseEffort(_ s: String) throws -> (String, [Double]) {
        let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["key", "general", "special"].contains(parts[0]) else {
            throw ValidationError("--effort \(s)：应为 key=…、general=… 或 special=…，如 key=0.5,0.75 (expected key=…, general=… or special=…, e.g. key=0.5,0.75)")
        }
        let values = parts[1].split(separator: ",").map { StrictNumber.decimal(String($0)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! > 0 && $0! <= 10 }) else {
            throw ValidationError("--effort \(s)：每次检查用时（组·日）应为大于0、不超过10的数 (team-days per visit must be numbers in (0, 10])")
        }
        guard values.count <= maxValues else { throw ValidationError("--effort \(s)：\(values.count)个取值，一次最多\(maxValues)个 (\(values.count) values; at most \(maxValues) in one run)") }
        return (parts[0], values.map { max(effortGrid, ($0! / effortGrid).rounded() * effortGrid) }.map { ($0 * 100).rounded() / 100 })
    }

    func validate() throws {
        try validateTimeLimit(timeLimit)
        let deltas = try staff.map(Self.parseStaff)?.count ?? 1
        let rates = try sampleRate.map(Self.parseRates)?.count ?? 1
        // Every combination of the values given is one variant; the variant files add theirs.
        var count = deltas * rates
        for e in effort {
            count *= try Self.parseEffort(e).1.count
            if count > Self.maxVariants { break }
        }
        count += variant.count
        guard count <= Self.maxVariants else {
            throw ValidationError("--staff, --sample-rate, --effort, --variant：共\(count)个方案，一次最多\(Self.maxVariants)个 (\(count) variants; at most \(Self.maxVariants) in one run)")
        }
    }

    func run() throws {
        let lang = language.lang
        let zh = lang == .zh
        let folder = try out.map(openOutputFolder)
        // The printable comparison's templates (PLANNER_TEMPLATES or the bundle): exit 72 at once.
        if out != nil { _ = try PlanHTML.library(names: WhatIfHTML.templates) }
        let pdf = try pdfMode()
        let results: [VariantResult] = try reportingInputErrors {
            let base = database.apply(try ScenarioFile.load(scenario))
            guard let lp = base.ledgerPath, let sp = base.staffPath else {
                throw InputError.problem(file: base.source ?? scenario, "场景须指定 ledger 与 staff (the scenario must name ledger and staff)")
            }
            printError(zh ? "载入台账与人员…" : "Loading ledger and staff…")
            let ledger = try LedgerSource.load(lp, seq: base.ledgerSeq)
            let staffRoll = try StaffLoader.load(path: sp)
            var variants: [Variant] = []
            let deltas = try staff.map(Self.parseStaff) ?? [0]
            let rates = try sampleRate.map(Self.parseRates) ?? [base.policy.generalSampleRate]
            var efforts: [(String, [Double])] = try effort.map(Self.parseEffort)
            if efforts.isEmpty { efforts = [("key", [base.effort.key])] }
            func combos(_ i: Int, _ acc: [(String, Double)]) -> [[(String, Double)]] {
                guard i < efforts.count else { return [acc] }
                return efforts[i].1.flatMap { combos(i + 1, acc + [(efforts[i].0, $0)]) }
            }
            let gridMode = staff != nil || sampleRate != nil || !effort.isEmpty || variant.isEmpty
            if gridMode {
                for d in deltas { for r in rates { for e in combos(0, []) {
                    var s = base
                    s.policy.generalSampleRate = r
                    for (k, v) in e { switch k { case "key": s.effort.key = v; case "general": s.effort.general = v; default: s.effort.special = v } }
                    var name = d == 0 ? (zh ? "现有人员" : "staff as is") : (zh ? "人员\(d > 0 ? "+" : "")\(d)" : "staff \(d > 0 ? "+" : "")\(d)")
                    if sampleRate != nil { name += zh ? "，抽查\(PlanReport.f(r * 100))%" : ", sample \(PlanReport.f(r * 100))%" }
                    for (k, v) in e where !self.effort.isEmpty { name += zh ? "，\(k)用时\(PlanReport.f(v))" : ", \(k) \(PlanReport.f(v))" }
                    variants.append(Variant(name: name, scenario: s, staffDelta: d))
                } } }
            }
            for f in variant { variants.append(try ScenarioLoader.variant(path: f, base: base)) }
            // Efforts off the 0.01 grid (from the scenario or a variant file) are put on it.
            for i in variants.indices {
                var e = variants[i].scenario.effort
                let before = e
                e.key = max(0.01, (e.key * 100).rounded() / 100)
                e.general = max(0.01, (e.general * 100).rounded() / 100)
                e.special = max(0.01, (e.special * 100).rounded() / 100)
                if e != before {
                    variants[i].scenario.effort = e
                    printError(zh ? "  \(variants[i].name)：每次检查用时取到0.01组·日（重点\(PlanReport.f(e.key))、一般\(PlanReport.f(e.general))、专项\(PlanReport.f(e.special))）"
                                  : "  \(variants[i].name): efforts put on the 0.01 team-day grid (key \(PlanReport.f(e.key)), general \(PlanReport.f(e.general)), special \(PlanReport.f(e.special)))")
                }
            }
            var options = PlanOptions()
            options.timeLimit = timeLimit
            printError(zh ? "求解 \(variants.count) 个方案…" : "Solving \(variants.count) variants…")
            let total = variants.count
            let done = Counter()
            return try WhatIf.sweep(variants, ledger: ledger, staff: staffRoll, options: options) { _, r in
                let n = done.next()
                let proven = r.provenOptimal || r.solverStatus == SolverState.notSolved.rawValue ? "" : (zh ? "（未证明最优：\(r.solverStatus)）" : " (not proven optimal: \(r.solverStatus))")
                printError("  [\(n)/\(total)] \(r.name): \(r.compliant ? "PASS" : (zh ? "不达标" : "short"))\(proven)")
            }
        }
        var report = WhatIfReport(results: results, lang: lang)
        let loaded = try? ScenarioFile.load(scenario)
        report.authority = loaded?.authority.name ?? ""
        report.year = loaded?.year
        report.varied = varied(lang)
        print(report.table(), terminator: "")
        if let note = report.unprovenNote() { print("\n" + note) }
        let conclusion = report.conclusion()
        if !conclusion.isEmpty { print("\n" + (zh ? "结论：" : "Conclusion:") + "\n" + conclusion.map { "  " + $0 }.joined(separator: "\n")) }
        if let out {
            var printed = DocumentPDF.Outcome.skipped
            try writingOutputs(to: folder!) { dir in
                try report.write(to: dir)
                printed = try printPDF(dir: dir, htmlName: report.htmlName, lang: lang, mode: pdf)
            }
            print(zh ? "\n比较表与图表已写入 \(out)/" : "\nComparison written to \(out)/")
            print(DocumentPDF.summaryLine(folder: out, htmlName: report.htmlName, outcome: printed, lang: lang,
                                          what: zh ? "可打印的情景比较" : "The comparison to print"))
        }
    }

    /// What the variants vary, in words, for the printable comparison's title.
    func varied(_ lang: Lang) -> String {
        let zh = lang == .zh
        var parts: [String] = []
        if let staff { parts.append(zh ? "执法人员增减 \(staff)" : "officers \(staff)") }
        if let sampleRate { parts.append(zh ? "抽查比例 \(sampleRate)" : "sampling rate \(sampleRate)") }
        for e in effort { parts.append(zh ? "每次检查用时 \(e)" : "effort \(e)") }
        if !variant.isEmpty {
            let names = variant.map { ($0 as NSString).lastPathComponent }.joined(separator: zh ? "、" : ", ")
            parts.append(zh ? "方案文件 \(names)" : "variant files \(names)")
        }
        return parts.isEmpty ? (zh ? "现有人员" : "staff as is") : parts.joined(separator: zh ? "；" : "; ")
    }
}

/// A thread-safe counter for progress lines.
final class Counter: @unchecked Sendable {
    private var n = 0
    private let lock = NSLock()
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}

struct StaffingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staffing",
        abstract: "How many inspectors are needed to meet every rule this year (an optimisation, not a search).",
        discussion: "Answers in full-time certified officers to add to the scenario's staff (negative: a surplus), names the rule that binds, and the smallest change in the other levers that would make today's staff sufficient.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: "A scenario YAML, or a folder holding scenario.yaml.")
    var scenario: String

    @Option(help: "table or json.")
    var format: Format = .table

    @Option(name: .customLong("time-limit"), help: "Seconds GLPK may spend per stage of each confirming plan; only plans proven optimal confirm.")
    var timeLimit: Double = 60

    @OptionGroup var database: DatabaseOption

    @OptionGroup var language: LanguageOption

    func validate() throws {
        try validateTimeLimit(timeLimit)
    }

    func run() throws {
        let lang = language.lang
        let zh = lang == .zh
        let answer: StaffingAnswer = try reportingInputErrors {
            let s = database.apply(try ScenarioFile.load(scenario))
            guard let lp = s.ledgerPath else {
                throw InputError.problem(file: s.source ?? scenario, column: "ledger", "场景未指定台账文件 (the scenario names no ledger)")
            }
            guard let sp = s.staffPath else {
                throw InputError.problem(file: s.source ?? scenario, column: "staff", "人员测算需要执法人员名录 (staffing needs the staff roll: add `staff: staff.csv`)")
            }
            let ledger = try LedgerSource.load(lp, seq: s.ledgerSeq)
            let staff = try StaffLoader.load(path: sp)
            let calendar: WorkCalendar
            do { calendar = try WorkCalendar.resolve(year: s.year, file: s.calendarPath) }
            catch let e as CalendarError { throw InputError.problem(file: e.file ?? (s.source ?? scenario), row: e.line, column: e.keyPath, value: e.value, e.message) }
            var options = PlanOptions()
            options.timeLimit = timeLimit
            // Any staff level is answered, also one whose deductions exceed its gross workdays.
            return try Staffing.analyse(scenario: s, ledger: ledger, staff: staff, calendar: calendar, options: options)
        }
        if format == .json {
            let e = JSONEncoder()
            e.keyEncodingStrategy = .convertToSnakeCase
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try e.encode(answer), as: UTF8.self))
            return
        }
        let text = StaffingText(answer: answer, lang: lang)
        for line in text.lines { print(line) }
        if text.unsatisfiable { throw ExitCode(2) }
    }
}

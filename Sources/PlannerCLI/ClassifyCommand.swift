import ArgumentParser
import Foundation
import Ledger
import LedgerStore
import Output
import Policy
import Reports

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify every unit as key or general and assign its enforcing level (RULES.md §2, §4).",
        discussion: """
        Prints counts by class, by rule and by level. The per-unit table (DATA.md §4a) goes to
        --out, in the format --format names or the file's extension implies (.json, .csv, .xlsx);
        without --out, --format json|csv writes it to standard output and --format table prints it.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, xlsx }

    @Argument(help: "A scenario YAML, a folder holding scenario.yaml, or a ledger CSV (none with --db and --year).")
    var input: String?

    @Option(help: "Plan year (required for a bare ledger; overrides the scenario's).")
    var year: Int?

    @Option(help: "Per-unit table format: table, json, csv or xlsx.")
    var format: Format?

    @Option(help: "Write the per-unit table to this file.")
    var out: String?

    @OptionGroup var database: DatabaseOption

    @OptionGroup var language: LanguageOption

    func validate() throws {
        if let year, !(2000...2100).contains(year) { throw ValidationError("--year \(year)：年份应在2000到2100之间 (expected a year between 2000 and 2100)") }
        if format == .xlsx && out == nil { throw ValidationError("--format xlsx 需要 --out 文件.xlsx (--format xlsx needs --out FILE.xlsx)") }
    }

    var effectiveFormat: Format {
        if let format { return format }
        switch (out as NSString?)?.pathExtension.lowercased() {
        case "json": return .json
        case "csv": return .csv
        case "xlsx": return .xlsx
        default: return .table
        }
    }

    func run() throws {
        let lang = language.lang
        // A symlink, folder, FIFO or device given as --out is refused before any work.
        if let out { try checkOutputFile(out) }
        try reportingInputErrors {
            let input = try ResolvedInput.load(self.input, year: year, database: database)
            let classifier = input.scenario.map(Classifier.init(scenario:)) ?? Classifier(year: year!)
            let future = LedgerChecks.datesAfterYear(input.ledger, year: classifier.year)
            if !future.isEmpty { throw InputError.problems(future) }
            let units = input.ledger.units
            let missing = missingFieldsText(LedgerChecks.missingFields(input.ledger), lang: lang)
            let results = classifier.classify(units)
            let summary = ClassificationSummary(year: classifier.year, units: units, classifications: results)
            let table = ClassificationTable(year: classifier.year, units: units, classifications: results)
            let fmt = effectiveFormat
            // How the ledger was read, when there is something to say (GB18030 converted, .xlsx).
            let summaryText = (input.ledger.encoding.ledgerNote(lang).map { $0 + "\n\n" } ?? "") + summary.render(lang) + missing
            if let out {
                try writingOutputFile(out) {
                    switch fmt {
                    case .json: try FileOutput.write(try table.json(), to: out)
                    case .csv: try FileOutput.write(try table.csv(), to: out)
                    case .xlsx: try ClassificationWorkbook(table: table, summary: summary, lang: lang).write(to: out)
                    case .table: try FileOutput.write(table.text(lang), to: out)
                    }
                }
                print(summaryText, terminator: "")
                print(lang == .zh ? "\n逐单位明细已写入 \(out)" : "\nPer-unit table written to \(out)")
            } else {
                switch fmt {
                case .json, .csv:
                    Console.out(fmt == .json ? try table.json() : try table.csv())
                    printError(summaryText)
                case .table, .xlsx:
                    print(summaryText, terminator: "")
                    if format == .table { print(""); print(table.text(lang), terminator: "") }
                    else { print(lang == .zh ? "\n（逐单位明细：加 --out 文件.xlsx 写出，或 --format table 打印）" : "\n(Per-unit table: add --out FILE.xlsx, or --format table to print it.)") }
                }
            }
        }
    }
}

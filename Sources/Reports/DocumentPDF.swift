import Foundation
import Output
import Policy

/// The PDF printed beside a printable document (`执法计划.html` → `执法计划.pdf`) by headless
/// Chromium (`PDFPrinter`), and what to say when there is none.
///
/// `PLANNER_PDF` chooses: `auto` (the default) prints when Chromium is installed and otherwise
/// writes the HTML alone, saying how to get the PDF; `never` writes no PDF (a server that
/// prints elsewhere, tests that do not look at it); `always` makes a missing Chromium or a
/// failed print an error, so nothing is written.
public enum DocumentPDF {
    public enum Mode: String, Sendable { case auto, never, always }

    /// What became of one document's PDF.
    public enum Outcome: Sendable, Equatable {
        /// Printed to this file name (beside the HTML).
        case printed(String)
        /// `PLANNER_PDF=never`.
        case skipped
        /// No Chromium: the reason, with how to install it.
        case unavailable(String)
        /// Chromium failed: what it said.
        case failed(String)
    }

    /// `PLANNER_PDF`, checked: an unknown value is a usage error naming the values allowed.
    public static func mode(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Mode {
        guard let given = environment["PLANNER_PDF"], !given.isEmpty else { return .auto }
        guard let mode = Mode(rawValue: given.lowercased()) else {
            throw ModeError(value: given)
        }
        return mode
    }

    public struct ModeError: Error, CustomStringConvertible, Sendable {
        public let value: String
        public var description: String {
            "环境变量 PLANNER_PDF=\(value) 无效，应为 auto、never 或 always (PLANNER_PDF must be auto, never or always)"
        }
    }

    /// `执法计划.html` → `执法计划.pdf`.
    public static func pdfName(forHTML name: String) -> String {
        (name.hasSuffix(".html") ? String(name.dropLast(5)) : name) + ".pdf"
    }

    /// Prints `dir/htmlName` to `dir/<name>.pdf` as `mode` says. With `.always`, a missing
    /// Chromium (`PDFPrinter.Unavailable`) or a failed print (`PDFPrinter.Failure`) is thrown;
    /// otherwise it is the outcome, and the caller says it.
    public static func print(dir: String, htmlName: String, lang: Lang, mode: Mode) throws -> Outcome {
        if mode == .never { return .skipped }
        let pdf = pdfName(forHTML: htmlName)
        do {
            try PDFPrinter.print(htmlFile: "\(dir)/\(htmlName)", to: "\(dir)/\(pdf)",
                                 footer: lang == .zh ? PDFPrinter.chineseFooter : PDFPrinter.englishFooter)
            return .printed(pdf)
        } catch let e as PDFPrinter.Unavailable {
            if mode == .always { throw e }
            return .unavailable(e.description)
        } catch let e as PDFPrinter.Failure {
            if mode == .always { throw e }
            return .failed(e.description)
        }
    }

    /// The summary's lines on a document and its PDF: where the HTML is, then (indented, so a
    /// long path keeps the lines short) where the PDF is, or why there is none and how to print
    /// one (`planner print`).
    public static func summaryLine(folder: String, htmlName: String, outcome: Outcome, lang: Lang, what: String? = nil) -> String {
        let zh = lang == .zh
        let html = "\(folder)/\(htmlName)"
        let label = what ?? (zh ? "可打印报送的文书" : "The document to print and file")
        let retry = zh ? "安装 chromium（apt-get install chromium，或 bash .ci/setup）后运行：planner print \(html)"
                       : "install chromium (apt-get install chromium, or bash .ci/setup), then run: planner print \(html)"
        switch outcome {
        case .printed(let pdf):
            return zh ? "\(label)：\(html)\n  PDF：\(folder)/\(pdf)" : "\(label): \(html)\n  PDF: \(folder)/\(pdf)"
        case .skipped:
            return zh ? "\(label)：\(html)\n  未打印 PDF（PLANNER_PDF=never）" : "\(label): \(html)\n  No PDF printed (PLANNER_PDF=never)"
        case .unavailable:
            return zh ? "\(label)：\(html)\n  未打印 PDF：本机没有 Chromium。\(retry)"
                      : "\(label): \(html)\n  No PDF: Chromium is not installed; \(retry)"
        case .failed(let why):
            return zh ? "\(label)：\(html)\n  PDF 打印失败（\(why)）；可重试：planner print \(html)"
                      : "\(label): \(html)\n  The PDF could not be printed (\(why)); to try again: planner print \(html)"
        }
    }
}

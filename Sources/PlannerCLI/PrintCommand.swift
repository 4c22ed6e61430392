import ArgumentParser
import Foundation
import Output
import Reports

/// `planner print FILE.html`: a printable document (a plan, a roster, a comparison) to PDF,
/// for a document written where Chromium was not installed, or whose print failed.
struct PrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Print a document the planner wrote (执法计划.html, 现场检查方案-YYYY-MM.html, …) to an A4 PDF with headless Chromium.",
        discussion: """
        The PDF goes beside the HTML with the extension .pdf unless --out names it. It is written
        whole or not at all. Chromium is looked for on PATH and in /usr/bin (chromium,
        chromium-browser, google-chrome), or named by PLANNER_CHROMIUM. Exit codes: 0 printed;
        72 no Chromium; 73 the print failed or the PDF could not be written.
        """)

    @Argument(help: "The HTML document to print.")
    var html: String

    @Option(help: "The PDF to write (default: the HTML's path with .pdf).")
    var out: String?

    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        let target = out ?? ((html as NSString).deletingPathExtension + ".pdf")
        do {
            printError(lang == .zh ? "打印 PDF（\(html)）…" : "Printing the PDF (\(html))…")
            try PDFPrinter.print(htmlFile: html, to: target, footer: lang == .zh ? PDFPrinter.chineseFooter : PDFPrinter.englishFooter)
        } catch let e as PDFPrinter.Unavailable {
            printError(e.description)
            throw ExitCode(72)
        } catch let e as PDFPrinter.Failure {
            printError(e.description)
            throw ExitCode(73)
        } catch let e as OutputError {
            printError(e.description)
            throw ExitCode(73)
        }
        print(lang == .zh ? "PDF 已写入 \(target)" : "PDF written to \(target)")
    }
}

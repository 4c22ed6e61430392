import Foundation
import Ledger
import Policy

/// The classification as an XLSX workbook: summary, key-unit list (附件清单), all units.
public struct ClassificationWorkbook {
    public let table: ClassificationTable
    public let summary: ClassificationSummary
    public let lang: Lang
    public init(table: ClassificationTable, summary: ClassificationSummary, lang: Lang) {
        self.table = table; self.summary = summary; self.lang = lang
    }
    public func write(to path: String) throws {
        // Filled in once the XLSX module lands.
    }
}

import Ledger

/// The language of everything a person reads. Chinese unless asked otherwise.
///
/// Presentation, not ledger data: it lives here, next to the rule titles it chooses between,
/// and every module that renders text (Planning's verdicts, Reports, the CLI) imports Policy.
public enum Lang: String, CaseIterable, Sendable {
    case zh, en
}

extension LedgerTerm {
    /// The term as a reader of `lang` expects it: the Chinese term or the English key.
    public func label(_ lang: Lang) -> String { lang == .zh ? zh : rawValue }
}

extension ColumnSpec {
    /// The column's header as a file in `lang` spells it: the Chinese header or the English key.
    public func header(_ lang: Lang) -> String { lang == .zh ? zh : key }
}

extension SourceEncoding {
    /// One line for a console summary saying how the ledger was read; nil for UTF-8 CSV, the
    /// contract's own format (nothing to say).
    public func ledgerNote(_ lang: Lang) -> String? {
        switch self {
        case .utf8: return nil
        case .gb18030:
            return lang == .zh ? "台账编码：GB18030（已自动转换）" : "Ledger encoding: GB18030 (converted automatically)"
        case .xlsx(let sheet):
            return lang == .zh ? "台账文件：Excel工作簿，读取第一个工作表「\(sheet)」" : "Ledger file: Excel workbook, first worksheet '\(sheet)' read"
        }
    }
}

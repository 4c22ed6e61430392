/// Excel's sheet-name rules, checked before libxlsxwriter sees a name.
enum SheetName {
    static let maxLength = 31
    static let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]

    static func validate(_ name: String) throws {
        guard !name.isEmpty else {
            throw XLSXError.invalidSheetName(name, "a sheet name must not be empty")
        }
        // Excel counts UTF-16 units; for CJK text that is one per character.
        let length = name.utf16.count
        guard length <= maxLength else {
            throw XLSXError.invalidSheetName(
                name, "it is \(length) characters long; Excel allows at most \(maxLength)")
        }
        if let bad = name.first(where: { forbidden.contains($0) }) {
            throw XLSXError.invalidSheetName(
                name, "it contains '\(bad)'; Excel forbids [ ] : * ? / \\ in sheet names")
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw XLSXError.invalidSheetName(name, "it contains a control character")
        }
        guard !name.hasPrefix("'"), !name.hasSuffix("'") else {
            throw XLSXError.invalidSheetName(name, "a sheet name must not start or end with an apostrophe")
        }
        guard folded(name) != "history" else {
            throw XLSXError.invalidSheetName(name, "Excel reserves \"History\" for its change tracking")
        }
    }

    /// The key Excel compares sheet names by (case-insensitive).
    static func folded(_ name: String) -> String {
        name.lowercased()
    }
}

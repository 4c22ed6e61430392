import Foundation

/// Path arithmetic on text, for the one operation Foundation gets wrong on Linux:
/// `NSString.deletingLastPathComponent` traps on a one-character name (`"a"`, `"a/"`), so
/// `--out a` or a scenario file named `s` crashed the planner.
public enum PathText {
    /// The folder part of a path, as `deletingLastPathComponent` defines it: `"x/a"` → `"x"`,
    /// `"/a"` → `"/"`, `"a"` → `""`, trailing slashes ignored.
    public static func parent(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        var head = p[..<slash]
        while head.count > 1 && head.hasSuffix("/") { head = head.dropLast() }
        return head.isEmpty ? "/" : String(head)
    }

    /// The path made absolute and without `.`, `..` or doubled slashes: two spellings of one file
    /// compare equal.
    public static func standard(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Whether a ledger reference names a database (DATA.md §8) rather than a file:
    /// `sqlite:PATH` or `postgres://…`.
    public static func isDatabaseReference(_ text: String) -> Bool {
        let t = text.lowercased()
        return t.hasPrefix("sqlite:") || t.hasPrefix("postgres://") || t.hasPrefix("postgresql://")
    }

    /// A ledger reference as written in a YAML file, resolved against that file's folder: a
    /// relative file or `sqlite:` path joins the folder, a `postgres://` address stays as it is.
    public static func resolveLedger(_ text: String, folder: String) -> String {
        let t = text.lowercased()
        if t.hasPrefix("postgres://") || t.hasPrefix("postgresql://") { return text }
        if t.hasPrefix("sqlite:") {
            let p = String(text.dropFirst("sqlite:".count))
            return "sqlite:" + (p.hasPrefix("/") ? p : (folder as NSString).appendingPathComponent(p))
        }
        return text.hasPrefix("/") ? text : (folder as NSString).appendingPathComponent(text)
    }
}

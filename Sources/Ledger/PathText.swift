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
}

import Foundation
import Ledger
import PlannerResources
import Yams

// Focus-item catalogue (检查重点库): what each on-site inspection plan (现场检查方案, RULES.md
// SITE-PLAN) looks at for a unit, chosen from the unit's ledger fields. The catalogue is a YAML
// file users edit, `scenarios/focus-items.yaml` by default (see its header):
//
//     - id: ammonia-refrigeration          # optional, unique
//       name: 涉氨制冷                      # optional
//       specialty: ammonia                 # optional: the expert specialty that matches
//       when: { ammonia_refrigeration: true }   # optional: a campaign's `match` syntax
//       items: [液氨储存和使用, 氨泄漏检测报警, 应急处置与个体防护]
//
// An entry without `when` applies to every unit (a general entry). Matching entries come in
// file order — the file lists major risks first, so they lead a unit's focus items — and
// general entries come last.
//
// Loading is all-or-nothing. An error names the file, the line, the key path (e.g.
// `entries[3].when.colour`, entries and items counted from 1 as in scenario files) and the
// value, and says what would be valid. Unknown keys are errors.

/// One entry of the catalogue: the focus items for units matching `when`.
public struct FocusEntry: Hashable, Sendable {
    public var id: String?
    public var name: String?
    /// The expert specialty (专业领域) that matches units of this entry.
    public var specialty: Specialty?
    /// Ledger conditions, all of which must hold; empty for a general entry.
    public var when: [FieldMatch]
    /// Focus items (检查重点), in the catalogue's order.
    public var items: [String]
    /// Line of the entry in its file, when loaded from one.
    public var line: Int?

    public init(id: String? = nil, name: String? = nil, specialty: Specialty? = nil,
                when: [FieldMatch] = [], items: [String], line: Int? = nil) {
        self.id = id; self.name = name; self.specialty = specialty
        self.when = when; self.items = items; self.line = line
    }

    /// An entry without conditions: it applies to every unit.
    public var isGeneral: Bool { when.isEmpty }

    public func matches(_ unit: LedgerUnit) -> Bool { when.allSatisfy { $0.matches(unit) } }
}

/// The catalogue of on-site inspection focus items (检查重点), in file order.
public struct FocusCatalogue: Sendable {
    public var entries: [FocusEntry]
    /// The file it was loaded from ("" when built in memory).
    public var source: String

    /// Environment variable naming another catalogue file.
    public static let environmentKey = "PLANNER_FOCUS_ITEMS"
    /// Keys an entry may have.
    public static let entryKeys = ["id", "name", "specialty", "when", "items"]

    public init(entries: [FocusEntry], source: String = "") {
        self.entries = entries; self.source = source
    }

    /// `PLANNER_FOCUS_ITEMS` when set, else `focus-items.yaml` of the resource bundle beside the
    /// planner binary (a copy of the repository's `scenarios/focus-items.yaml`, see
    /// `PlannerResources`), never the source tree the binary was built from.
    public static func defaultPath() -> String {
        if let env = ProcessInfo.processInfo.environment[environmentKey], !env.isEmpty { return env }
        return (try? PlannerResources.focusItemsPath())
            ?? PlannerResources.expectedFolder.appendingPathComponent("focus-items.yaml").path
    }

    /// Loads the catalogue at `defaultPath()`.
    public static func loadDefault() throws -> FocusCatalogue { try load(path: defaultPath()) }

    /// Loads a catalogue file; throws `InputError` naming every problem found.
    public static func load(path: String) throws -> FocusCatalogue {
        guard let data = FileManager.default.contents(atPath: path) else {
            // The default catalogue missing because the resource bundle is: say that.
            if (ProcessInfo.processInfo.environment[environmentKey] ?? "").isEmpty, path == defaultPath() {
                _ = try PlannerResources.folder()
            }
            throw InputError.unreadable(file: path, reason: "检查重点目录文件不存在或无法读取 (focus-item catalogue not found or unreadable)；可设置环境变量 \(environmentKey)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError.unreadable(file: path, reason: "不是UTF-8编码 (not UTF-8)")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses catalogue text; `file` is the name errors give.
    public static func parse(yaml: String, file: String) throws -> FocusCatalogue {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw InputError.unreadable(file: file, reason: "YAML语法错误 (YAML syntax error): \(error)")
        }
        guard let root else {
            throw InputError.problem(file: file, "检查重点目录为空 (empty catalogue): 应为条目列表 (expected a list of entries)")
        }
        var r = FocusReader(file: file)
        let entries = r.entries(root)
        guard r.problems.isEmpty else { throw InputError.problems(r.problems) }
        return FocusCatalogue(entries: entries, source: file)
    }

    // MARK: - Choosing

    /// The entries matching `unit` in file order (major risks are listed first), general
    /// entries last.
    public func matchingEntries(for unit: LedgerUnit) -> [FocusEntry] {
        let matching = entries.filter { $0.matches(unit) }
        return matching.filter { !$0.isGeneral } + matching.filter { $0.isGeneral }
    }

    /// The focus items of every entry matching `unit`, most specific entries first, duplicates
    /// removed (an item stays with the first entry listing it), general entries last.
    ///
    /// At most `limit` items, cut from the end (general items go first), except that the first
    /// remaining item of every matching specific entry is always kept: when more specific
    /// entries match than `limit`, the list has one item per specific entry. A `limit` below 1
    /// gives no items.
    public func items(for unit: LedgerUnit, limit: Int = 8) -> [String] {
        guard limit > 0 else { return [] }
        var seen = Set<String>()
        var groups: [(general: Bool, items: [String])] = []
        for e in matchingEntries(for: unit) {
            groups.append((e.isGeneral, e.items.filter { seen.insert($0).inserted }))
        }
        var take = groups.map { [Bool](repeating: false, count: $0.items.count) }
        var count = 0
        for (g, group) in groups.enumerated() where !group.general && !group.items.isEmpty {
            take[g][0] = true
            count += 1
        }
        fill: for (g, group) in groups.enumerated() {
            for i in group.items.indices where !take[g][i] {
                if count >= limit { break fill }
                take[g][i] = true
                count += 1
            }
        }
        var out: [String] = []
        for (g, group) in groups.enumerated() {
            for (i, item) in group.items.enumerated() where take[g][i] { out.append(item) }
        }
        return out
    }

    /// The specialties of the entries matching `unit`, most specific first, each once;
    /// `general` last when any matching entry names it.
    public func specialties(for unit: LedgerUnit) -> [Specialty] {
        var out: [Specialty] = []
        var general = false
        for e in matchingEntries(for: unit) {
            guard let s = e.specialty else { continue }
            if s == .general { general = true } else if !out.contains(s) { out.append(s) }
        }
        if general { out.append(.general) }
        return out
    }
}

// MARK: - Reading

/// Typed reads of the catalogue's node tree, recording problems with key path and line.
private struct FocusReader {
    let file: String
    var problems: [InputProblem] = []
    /// Where each id was first given: "entries[2]".
    var ids: [String: String] = [:]

    init(file: String) { self.file = file }

    mutating func fail(_ path: String, _ node: Node?, _ value: String?, _ message: String) {
        problems.append(InputProblem(file: file, row: node?.mark?.line, column: path, value: value, message: message))
    }

    /// A plain empty scalar, `~` or `null`: a key written without a value.
    static func isNull(_ node: Node) -> Bool {
        guard let s = node.scalar, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// What a node is, for messages about a node of the wrong kind.
    static func shown(_ node: Node) -> String? {
        if let s = node.scalar { return s.string }
        return node.sequence != nil ? "[…]" : "{…}"
    }

    mutating func entries(_ root: Node) -> [FocusEntry] {
        guard let list = root.sequence else {
            fail("entries", root, Self.shown(root), "检查重点目录应为条目列表，每个条目以「- 」开头 (expected a list of entries)")
            return []
        }
        var out: [FocusEntry] = []
        for (i, node) in list.enumerated() {
            if let e = entry(node, "entries[\(i + 1)]") { out.append(e) }
        }
        return out
    }

    mutating func entry(_ node: Node, _ at: String) -> FocusEntry? {
        guard let m = node.mapping else {
            fail(at, node, Self.shown(node), "条目应为键值映射，含 \(FocusCatalogue.entryKeys.joined(separator: ", ")) (expected a mapping)")
            return nil
        }
        let before = problems.count
        for (k, _) in m {
            let key = k.string ?? ""
            if !FocusCatalogue.entryKeys.contains(key) {
                fail("\(at).\(key)", k, key, "未知的键；可用：\(FocusCatalogue.entryKeys.joined(separator: ", ")) (unknown key)")
            }
        }
        let id = text(m["id"], "\(at).id")
        if let id {
            if let first = ids[id] {
                fail("\(at).id", m["id"], id, "条目编号与 \(first) 重复 (duplicate id, first used by \(first))")
            } else {
                ids[id] = at
            }
        }
        let name = text(m["name"], "\(at).name")
        var specialty: Specialty?
        if let s = text(m["specialty"], "\(at).specialty") {
            specialty = Specialty(term: s)
            if specialty == nil {
                fail("\(at).specialty", m["specialty"], s, "不是可用的专业领域；可用：\(Specialty.validList) (unknown specialty)")
            }
        }
        let conditions = when(m["when"], "\(at).when")
        let items = items(m["items"], "\(at).items", entry: node)
        guard problems.count == before else { return nil }
        return FocusEntry(id: id, name: name, specialty: specialty, when: conditions, items: items, line: node.mark?.line)
    }

    /// Optional non-empty text.
    mutating func text(_ node: Node?, _ path: String) -> String? {
        guard let node else { return nil }
        guard let s = node.scalar?.string.trimmingCharacters(in: .whitespaces), !s.isEmpty, !Self.isNull(node) else {
            fail(path, node, node.scalar == nil ? Self.shown(node) : nil, "应为非空文本 (expected non-empty text)")
            return nil
        }
        return s
    }

    mutating func when(_ node: Node?, _ at: String) -> [FieldMatch] {
        guard let node else { return [] }
        guard let m = node.mapping else {
            let hint = Self.isNull(node) ? "；适用于所有单位的条目不写 when (omit `when` for an entry that applies to every unit)" : ""
            fail(at, node, Self.isNull(node) ? nil : Self.shown(node),
                 "应为台账字段条件的映射，如 { ammonia_refrigeration: true }\(hint) (expected a mapping of ledger fields to values)")
            return []
        }
        var out: [FieldMatch] = []
        var fields: [String: String] = [:]
        for (k, v) in m {
            let key = k.string ?? ""
            let path = "\(at).\(key)"
            // The field itself, before its values: an unknown field is reported once, at its key.
            if case .failure(let p) = FieldMatch.make(field: key, values: []) {
                fail(path, k, key, p.message)
                continue
            }
            let field = (try? FieldMatch.make(field: key, values: []).get())?.key ?? key
            if let first = fields[field] {
                fail(path, k, key, "字段 \(field) 已由「\(first)」给出条件；同一字段的多个取值请写成列表 (field given twice; list its values instead)")
                continue
            }
            fields[field] = key
            let valueNodes: [Node]
            if let seq = v.sequence {
                valueNodes = Array(seq)
                if valueNodes.isEmpty {
                    fail(path, v, "[]", "取值列表不能为空 (expected at least one value)")
                    continue
                }
            } else {
                valueNodes = [v]
            }
            var values: [String] = []
            var ok = true
            for (j, vn) in valueNodes.enumerated() {
                let vpath = v.sequence != nil ? "\(path)[\(j + 1)]" : path
                guard let s = vn.scalar?.string, !Self.isNull(vn) else {
                    fail(vpath, vn, Self.isNull(vn) ? nil : Self.shown(vn),
                         "应为取值或取值列表 (expected a value or a list of values)")
                    ok = false
                    continue
                }
                if case .failure(let p) = FieldMatch.make(field: key, values: [s]) {
                    fail(vpath, vn, s, p.message)
                    ok = false
                    continue
                }
                values.append(s)
            }
            guard ok else { continue }
            switch FieldMatch.make(field: key, values: values) {
            case .success(let fm): out.append(fm)
            case .failure(let p): fail(path, v, values.joined(separator: ","), p.message)
            }
        }
        return out
    }

    mutating func items(_ node: Node?, _ at: String, entry: Node) -> [String] {
        guard let node else {
            fail(at, entry, nil, "缺少必填项 items：检查重点列表 (required key is missing: a list of focus items)")
            return []
        }
        guard let seq = node.sequence else {
            fail(at, node, Self.isNull(node) ? nil : Self.shown(node),
                 "应为检查重点列表，每项以「- 」开头 (expected a list of focus items)")
            return []
        }
        if seq.isEmpty { fail(at, node, "[]", "至少需要一项检查重点 (expected at least one focus item)") }
        var out: [String] = []
        var first: [String: Int] = [:]
        for (j, item) in seq.enumerated() {
            let path = "\(at)[\(j + 1)]"
            guard let s = text(item, path) else { continue }
            if let k = first[s] {
                fail(path, item, s, "与 \(at)[\(k)] 重复 (duplicate item)")
                continue
            }
            first[s] = j + 1
            out.append(s)
        }
        return out
    }
}

import Foundation
import Yams

/// What a city folder's `city.yaml` gives every scenario inside it (DATA.md §7): the year, the
/// published seed and the one unified ledger.
public struct CityDefaults: Hashable, Sendable {
    public var year: Int
    public var seed: UInt64
    /// The ledger file, resolved against the city folder.
    public var ledger: String
    /// With a ledger database: the change sequence to read it at (`--ledger-seq`); nil: the latest.
    public var ledgerSeq: Int? = nil
    public init(year: Int, seed: UInt64, ledger: String) { self.year = year; self.seed = seed; self.ledger = ledger }
}

/// 执法力量调用 (TIER-DISPATCH): whether the city moves inspection person-days from authorities
/// with spare capacity to those short of it, and how much one may lend.
public struct DispatchSettings: Hashable, Sendable {
    public var enabled = false
    /// An authority lends at most this share of its inspection person-days (each month).
    public var maxLendShare = 0.2
    public init() {}
}

/// One authority of a city folder: the scenario and the folder it sits in (relative to the city
/// folder), which is also its output folder in a city run.
public struct CityAuthority: Sendable {
    public var folder: String
    public var scenario: Scenario
    public init(folder: String, scenario: Scenario) { self.folder = folder; self.scenario = scenario }
}

/// A city-wide run's folder (DATA.md §7): `city.yaml`, the unified ledger, one scenario per
/// enforcing authority.
public struct CityFolder: Sendable {
    public var city: String
    public var defaults: CityDefaults
    public var dispatch: DispatchSettings
    public var authorities: [CityAuthority]
    /// The `city.yaml` file.
    public var source: String

    /// Reads and checks `city.yaml` alone (DATA.md §7).
    public static func head(path: String) throws -> Head {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError.unreadable(file: path, reason: "全市运行需要 city.yaml（城市、年度、种子、统一台账） (a city run needs city.yaml: city, year, seed, ledger)")
        }
        let base = PathText.parent(path).isEmpty ? "." : PathText.parent(path)
        let text = try ScenarioLoader.utf8Text(data, file: path)
        let root: Node?
        do { root = try Yams.compose(yaml: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text) } catch {
            throw ScenarioLoader.syntaxProblem(error, yaml: text, file: path)
        }
        var y = YAMLReader(file: path)
        guard let root, let top = y.mapping(root, "") else {
            throw InputError.problems(y.problems.isEmpty ? [InputProblem(file: path, row: 1, value: "", message: "city.yaml为空 (empty city.yaml)")] : y.problems)
        }
        y.allow(top, "", ["city", "year", "seed", "ledger", "authorities", "dispatch"])
        let city = y.string(top["city"], "city", required: true, parent: top) ?? ""
        let year = y.int(top["year"], "year", required: true, in: 2000...2100, parent: top) ?? 2000
        let seed = y.int(top["seed"], "seed", required: true, in: 0...Int.max, parent: top) ?? 0
        let ledgerText = y.string(top["ledger"], "ledger", required: true, parent: top) ?? ""
        let ledger = PathText.resolveLedger(ledgerText, folder: base)
        if !ledgerText.isEmpty, !PathText.isDatabaseReference(ledger), !FileManager.default.fileExists(atPath: ledger) {
            y.fail("ledger", top["ledger"]?.mark, ledgerText, "文件不存在：\(ledger) (file not found; paths are relative to city.yaml's folder)")
        }
        var dispatch = DispatchSettings()
        if let d = y.mapping(top["dispatch"], "dispatch") {
            y.allow(d, "dispatch", ["enabled", "max_lend_share"])
            if let v = y.bool(d["enabled"], "dispatch.enabled") { dispatch.enabled = v }
            if let v = y.double(d["max_lend_share"], "dispatch.max_lend_share", in: 0...1) { dispatch.maxLendShare = v }
        }
        var listed: [(file: String, line: Int?)] = []
        if let list = y.sequence(top["authorities"], "authorities") {
            for (i, item) in list.enumerated() {
                guard let p = y.string(item, "authorities[\(i)]") else { continue }
                let full = p.hasPrefix("/") ? p : (base as NSString).appendingPathComponent(p)
                var d: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: full, isDirectory: &d)
                let file = exists && d.boolValue ? (full as NSString).appendingPathComponent("scenario.yaml") : full
                if !FileManager.default.fileExists(atPath: file) {
                    y.fail("authorities[\(i)]", item.mark, p, "文件不存在：\(file) (no such scenario; paths are relative to city.yaml's folder)")
                } else {
                    listed.append((file, item.mark?.line))
                }
            }
        } else {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted()
            for n in names {
                let file = ((base as NSString).appendingPathComponent(n) as NSString).appendingPathComponent("scenario.yaml")
                if FileManager.default.fileExists(atPath: file) { listed.append((file, nil)) }
            }
            if names.isEmpty || listed.isEmpty {
                y.fail("authorities", nil, nil, "城市目录\(base)中没有任何 */scenario.yaml (the city folder holds no */scenario.yaml: one per authority)")
            }
        }
        guard y.problems.isEmpty else { throw InputError.problems(y.problems) }
        return Head(city: city, defaults: CityDefaults(year: year, seed: UInt64(seed), ledger: ledger), dispatch: dispatch, scenarios: listed)
    }

    /// What `city.yaml` itself says: the city, its defaults, dispatch, and the scenario files of
    /// the run (checked to exist, not read).
    public struct Head: Sendable {
        public var city: String
        public var defaults: CityDefaults
        public var dispatch: DispatchSettings
        /// Each scenario file with the line of `city.yaml` that lists it (nil: found by default).
        public var scenarios: [(file: String, line: Int?)]
    }

    /// Loads `city.yaml` and every scenario it lists (or every `*/scenario.yaml`), all or nothing:
    /// every problem of every file is reported at once.
    /// - Parameter ledger: a ledger reference (`--db`) read instead of the one `city.yaml` names.
    public static func load(folder: String, ledger: String? = nil, ledgerSeq: Int? = nil) throws -> CityFolder {
        var isDir: ObjCBool = false
        let path: String
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue {
            path = (folder as NSString).appendingPathComponent("city.yaml")
        } else {
            path = folder
        }
        let h = try head(path: path)
        var (defaults, listed) = (h.defaults, h.scenarios)
        if let ledger { defaults.ledger = ledger }
        defaults.ledgerSeq = ledgerSeq
        let base = PathText.parent(path).isEmpty ? "." : PathText.parent(path)
        var problems: [InputProblem] = []
        var authorities: [CityAuthority] = []
        var seen: [String: String] = [:]
        let standardBase = PathText.standard(base)
        for (file, line) in listed {
            do {
                let s = try ScenarioLoader.load(path: file, city: defaults)
                let dir = PathText.standard(PathText.parent(file))
                let folder = dir.hasPrefix(standardBase + "/") ? String(dir.dropFirst(standardBase.count + 1)) : dir
                if let other = seen[s.authority.name] {
                    problems.append(InputProblem(file: file, row: s.keyLines["authority"], column: "authority.name", value: s.authority.name,
                        message: "与\(other)是同一执法主体；每个主体只能有一个场景 (the same authority as \(other): one scenario per authority)"))
                } else if authorities.contains(where: { $0.folder == folder }) {
                    problems.append(InputProblem(file: path, row: line, column: "authorities", value: folder,
                        message: "同一目录列出两次 (the folder is listed twice)"))
                } else {
                    seen[s.authority.name] = file
                    authorities.append(CityAuthority(folder: folder, scenario: s))
                }
            } catch let e as InputError {
                problems += e.problems
            }
        }
        if !problems.isEmpty { throw InputError.problems(problems) }
        return CityFolder(city: h.city, defaults: defaults, dispatch: h.dispatch, authorities: authorities, source: path)
    }
}

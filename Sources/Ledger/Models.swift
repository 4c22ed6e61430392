/// One enforcement object (执法对象) of the ledger: a row of DATA.md §1.
public struct LedgerUnit: Hashable, Sendable {
    public var id: String
    public var name: String
    public var district: String
    public var town: String
    public var zone: String?
    public var category: Category
    public var activity: Activity?
    public var lightSector: LightSector?
    public var scale: Scale
    public var licensed: Bool = false
    public var keyProcess: Bool = false
    public var majorHazard: Bool = false
    public var moltenMetal: Bool = false
    public var explosiveDust: Bool = false
    public var ammoniaRefrigeration: Bool = false
    public var sewageTreatment: Bool = false
    public var openMajorHazard: Bool = false
    public var lastFatalAccident: CivilDate?
    public var lastBlacklisted: CivilDate?
    public var penalties3y: Int = 0
    public var designatedKey: Bool = false
    /// 特殊情况说明: when non-blank, the KEY-D rules do not make the unit key.
    public var exemption: String?
    public var ownership: Ownership = .other
    public var cityList: Bool = false
    public var standardisation: Standardisation = .none
    public var riskLevel: RiskLevel?
    public var safetyCulture: Bool = false
    public var liabilityInsurance: Bool = false
    public var lastInspected: CivilDate?
    public var latitude: Double?
    public var longitude: Double?
    public var address: String?
    /// Columns the contract does not know, kept in file order and passed through.
    public var extra: [String] = []

    public init(id: String, name: String, district: String, town: String, category: Category, scale: Scale) {
        self.id = id; self.name = name; self.district = district; self.town = town
        self.category = category; self.scale = scale
    }
}

/// A ledger as loaded: its units in file order, and the headers of pass-through columns.
public struct Ledger: Sendable {
    public var units: [LedgerUnit]
    public var extraHeaders: [String]
    public var source: String
    /// The spreadsheet row of each unit (the header is row 1); empty for a ledger built in memory.
    public var rows: [Int] = []
    /// Each column's header as the file spells it, by its DATA.md name (e.g. `activity` →
    /// `经营方式/细分行业`); empty for a ledger built in memory.
    public var headers: [String: String] = [:]
    /// How the file was written (UTF-8 CSV, GB18030 CSV converted on loading, or .xlsx).
    public var encoding: SourceEncoding = .utf8
    /// For a ledger read from a database: which one, and the last change it includes.
    public var provenance: LedgerProvenance? = nil

    public init(units: [LedgerUnit], extraHeaders: [String] = [], source: String = "") {
        self.units = units; self.extraHeaders = extraHeaders; self.source = source
    }

    /// Where a unit's field is in the file: its row and the column as written (for messages).
    public func location(ofUnit i: Int, column: String) -> (row: Int?, column: String) {
        (i < rows.count ? rows[i] : nil, headers[column] ?? LedgerLoader.columns.first { $0.key == column }?.zh ?? column)
    }
}

/// A person of the staff roll (执法人员名录库) or the expert pool (专家库): DATA.md §2.
public struct StaffMember: Hashable, Sendable {
    public var id: String
    public var name: String
    /// Holds an enforcement certificate (执法证). Experts never do.
    public var certified: Bool
    public var leader: Bool = false
    public var specialties: [Specialty] = []
    public var unavailable: [DateSpan] = []
    /// Unit ids the person must not inspect (回避).
    public var conflicts: [String] = []

    public init(id: String, name: String, certified: Bool) {
        self.id = id; self.name = name; self.certified = certified
    }

    public func isAvailable(on date: CivilDate) -> Bool { !unavailable.contains { $0.contains(date) } }
}

/// How a loaded table file was written.
public enum SourceEncoding: Hashable, Sendable, CustomStringConvertible {
    /// CSV in UTF-8 (with or without BOM).
    case utf8
    /// CSV in GB18030 or GBK (Chinese Excel's "CSV (逗号分隔)"), converted on loading.
    case gb18030
    /// An Excel workbook; the named worksheet (the first) was read.
    case xlsx(sheet: String)

    public var description: String {
        switch self {
        case .utf8: return "UTF-8"
        case .gb18030: return "GB18030"
        case .xlsx(let sheet): return "XLSX (\(sheet))"
        }
    }
}

/// The database a ledger was read from and the last change it saw (DATA.md §8: plan.json
/// `ledger`), so the same plan can be made again with `--ledger-seq`.
public struct LedgerProvenance: Codable, Hashable, Sendable {
    public var source: String
    public var seq: Int
    public init(source: String, seq: Int) { self.source = source; self.seq = seq }
}

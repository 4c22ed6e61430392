import ArgumentParser
import Foundation
import Ledger
import Policy
import Synthetic

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic synthetic district (ledger, staff, experts, scenario), or with --city a whole city folder (DATA.md §7), for demos, tests and benchmarks.")

    @Flag(help: "Write a city folder: city.yaml, one ledger.csv and a scenario folder for every authority (the city bureau, 16 district bureaus, the delegated town offices and zone bodies).")
    var city = false

    @Option(help: "A Shanghai district, e.g. 浦东新区 (required without --city).")
    var district: String?

    @Option(help: "How many units the ledger holds.")
    var units: Int

    @Option(help: "Random seed: the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(help: "Plan year of the scenario.")
    var year: Int = 2027

    @Option(help: "Folder to write ledger.csv, staff.csv, experts.csv and scenario.yaml into (with --city: city.yaml, ledger.csv and one folder per authority).")
    var out: String

    func validate() throws {
        if city {
            if let district {
                throw ValidationError("--district \(district)：--city 生成全市，不能同时指定区 (--city writes the whole city: leave out --district)")
            }
        } else {
            guard let district else { throw ValidationError("Missing expected argument '--district <district>'") }
            guard ShanghaiGeography.district(named: district) != nil else {
                throw ValidationError("--district \(district)：未知的区 (unknown district)。可用 (known)：\(ShanghaiGeography.districts.map { $0.name }.joined(separator: "、"))")
            }
        }
        guard units >= 0 && units <= 2_000_000 else { throw ValidationError("--units \(units)：应在0到2,000,000之间 (expected 0…2,000,000)") }
        guard (2000...2100).contains(year) else { throw ValidationError("--year \(year)：年份应在2000到2100之间 (expected 2000…2100)") }
    }

    func run() throws {
        let folder = try openOutputFolder(out)
        try reportingInputErrors {
            if city {
                let c = Self.city(units: units, seed: seed, year: year)
                try writingOutputs(to: folder) { try c.write(to: $0) }
                print("已生成\(SyntheticCity.cityName)全市 \(c.authorities.count)个执法主体、\(units)家单位、\(c.officers)名执法人员 → \(out)/city.yaml")
                return
            }
            let d = Generator.district(ShanghaiGeography.district(named: district!)!, units: units, seed: seed, year: year)
            try writingOutputs(to: folder) { try d.write(to: $0) }
            print("已生成 \(d.profile.name) \(units)家单位、\(d.staff.count)名执法人员、\(d.experts.count)名专家 → \(out)/scenario.yaml")
        }
    }

    /// The synthetic city, its staffs sized with the policy's own classification and the year's
    /// built-in calendar (248 workdays when the year has none).
    static func city(units: Int, seed: UInt64, year: Int) -> SyntheticCity {
        let classifier = Classifier(year: year)
        let workdays = (try? WorkCalendar.builtin(year: year))?.totalWorkdays ?? 248
        let increased = PolicyParameters(level: .district)
        return CityGenerator.city(units: units, seed: seed, year: year, workdays: workdays) { u in
            let c = classifier.classify(u)
            // FREQ-INCREASE as the plan reads it (PlanContext.visitsDue): KEY-D1..D4 not set aside.
            let increase = !c.exempted && c.exemption == nil && c.rules.contains { [.d1, .d2, .d3, .d4].contains($0) }
            return UnitAssessment(key: c.unitClass == .key, cityTier: c.tier == .city,
                                  requiredVisits: increase ? increased.increasedVisits : 1)
        }
    }
}

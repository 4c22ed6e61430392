import ArgumentParser
import Foundation
import Ledger
import Synthetic

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic synthetic district (ledger, staff, experts, scenario) for demos, tests and benchmarks.")

    @Option(help: "A Shanghai district, e.g. 浦东新区.")
    var district: String

    @Option(help: "How many units the ledger holds.")
    var units: Int

    @Option(help: "Random seed: the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(help: "Plan year of the scenario.")
    var year: Int = 2027

    @Option(help: "Folder to write ledger.csv, staff.csv, experts.csv and scenario.yaml into.")
    var out: String

    func validate() throws {
        guard ShanghaiGeography.district(named: district) != nil else {
            throw ValidationError("--district \(district)：未知的区 (unknown district)。可用 (known)：\(ShanghaiGeography.districts.map { $0.name }.joined(separator: "、"))")
        }
        guard units >= 0 && units <= 2_000_000 else { throw ValidationError("--units \(units)：应在0到2,000,000之间 (expected 0…2,000,000)") }
        guard (2000...2100).contains(year) else { throw ValidationError("--year \(year)：年份应在2000到2100之间 (expected 2000…2100)") }
    }

    func run() throws {
        let folder = try openOutputFolder(out)
        try reportingInputErrors {
            let d = Generator.district(ShanghaiGeography.district(named: district)!, units: units, seed: seed, year: year)
            try writingOutputs(to: folder) { try d.write(to: $0) }
            print("已生成 \(d.profile.name) \(units)家单位、\(d.staff.count)名执法人员、\(d.experts.count)名专家 → \(out)/scenario.yaml")
        }
    }
}

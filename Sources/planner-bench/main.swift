// Release-build benchmarks. Prints figures for BENCHMARKS.md; asserts nothing.
//   swift run -c release planner-bench classify [--units 100000] [--runs 5]
import Foundation
import Ledger
import Policy
import Synthetic

func now() -> Double { Date().timeIntervalSince1970 }

/// Peak resident memory of this process so far (VmHWM), in MB.
func peakMB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return -1 }
    let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    return kb / 1024
}

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }

var args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ def: Int) -> Int {
    if let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) { return v }
    return def
}
let what = args.first ?? "classify"
let units = option("--units", 100_000)
let runs = option("--runs", 5)

switch what {
case "classify":
    let dir = NSTemporaryDirectory() + "planner-bench-\(units)"
    if !FileManager.default.fileExists(atPath: dir + "/scenario.yaml") {
        try Generator.district(ShanghaiGeography.district(named: "浦东新区")!, units: units, seed: 1, year: 2027).write(to: dir)
    }
    var load: [Double] = [], classify: [Double] = [], total: [Double] = []
    for _ in 0..<runs {
        let t0 = now()
        let s = try ScenarioLoader.load(path: dir + "/scenario.yaml")
        let l = try LedgerLoader.load(path: s.ledgerPath!)
        let t1 = now()
        let r = Classifier(scenario: s).classify(l.units)
        let t2 = now()
        precondition(r.count == units)
        load.append(t1 - t0); classify.append(t2 - t1); total.append(t2 - t0)
    }
    print("classify \(units) units, \(runs) runs (median): load+validate \(String(format: "%.3f", median(load))) s, "
        + "classify \(String(format: "%.3f", median(classify))) s, total \(String(format: "%.3f", median(total))) s, "
        + "peak RSS \(String(format: "%.0f", peakMB())) MB")
default:
    print("usage: planner-bench classify [--units N] [--runs N]")
    exit(64)
}

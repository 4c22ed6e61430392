import Foundation
import XCTest

@testable import GLPK

/// A fresh temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("GLPKTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Writes `text` to `name` inside `directory` and returns the path.
@discardableResult
func writeFile(_ text: String, named name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Runs `body` on a new thread (with its own GLPK environment) and waits for it.
func onFreshThread(_ body: @escaping () -> Void) {
    let done = DispatchSemaphore(value: 0)
    // The caller waits until the thread is done, so `body` and what it captures are never
    // used from two threads at once: the box only tells Swift 6 so.
    struct Body: @unchecked Sendable { let run: () -> Void }
    let box = Body(run: body)
    let thread = Thread {
        box.run()
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    done.wait()
}

/// The reference integer program of the brief:
/// max 5x + 4y + 3z  s.t.  2x + 3y + z ≤ 5,  4x + y + 2z ≤ 11,  3x + 4y + 2z ≤ 8,  x, y, z ∈ ℤ≥0.
/// Optimum 13 at x = 2, y = 0, z = 1 (checked with glpsol 5.0).
func makeReferenceIntegerProgram() throws -> (LinearProgram, [Column], [Row]) {
    let model = try LinearProgram(name: "reference_ip", direction: .maximize)
    let x = try model.addColumn(name: "x", kind: .integer, objective: 5)
    let y = try model.addColumn(name: "y", kind: .integer, objective: 4)
    let z = try model.addColumn(name: "z", kind: .integer, objective: 3)
    let rows = try model.addRows([
        RowSpec(name: "c1", coefficients: [(x, 2), (y, 3), (z, 1)], bounds: .upper(5)),
        RowSpec(name: "c2", coefficients: [(x, 4), (y, 1), (z, 2)], bounds: .upper(11)),
        RowSpec(name: "c3", coefficients: [(x, 3), (y, 4), (z, 2)], bounds: .upper(8)),
    ])
    return (model, [x, y, z], rows)
}

/// Market split instance (Cornuéjols & Dahl): equality-constrained 0/1
/// problem that branch and bound cannot finish quickly. Deterministic data.
/// With `slack`, deviations are allowed and minimised (so feasible solutions
/// abound but optimality is hard to prove); without, the model is a pure
/// feasibility problem that usually has no solution and is hard to refute.
func makeMarketSplit(rows m: Int, columns n: Int, seed: UInt64, slack: Bool) throws -> LinearProgram {
    var state = seed
    func next() -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % 100)
    }
    let model = try LinearProgram(name: "market_split", direction: .minimize)
    let xs = try model.addColumns((0..<n).map { ColumnSpec(name: "x\($0)", kind: .binary) })
    for i in 0..<m {
        let a = (0..<n).map { _ in Double(next()) }
        let d = (a.reduce(0, +) / 2).rounded(.down)
        var terms = zip(xs, a).map { ($0, $1) }
        if slack {
            let plus = try model.addColumn(name: "s_plus\(i)", objective: 1)
            let minus = try model.addColumn(name: "s_minus\(i)", objective: 1)
            terms += [(plus, 1), (minus, -1)]
        }
        try model.addRow(name: "split\(i)", coefficients: terms, bounds: .fixed(d))
    }
    return model
}

/// Path of glpsol, or nil when it is not installed.
var glpsolPath: String? {
    let candidates = ["/usr/bin/glpsol", "/usr/local/bin/glpsol"]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs glpsol with `arguments` plus `-o <report>` and returns the
/// "Objective:" value and the status line from its report.
func runGlpsol(_ arguments: [String], in directory: URL) throws -> (objective: Double, status: String) {
    guard let glpsol = glpsolPath else { throw MissingTool(name: "glpsol (Debian glpk-utils)") }
    let report = directory.appendingPathComponent("glpsol-\(UUID().uuidString).txt").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: glpsol)
    process.arguments = arguments + ["-o", report]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, "glpsol \(arguments) failed")
    let text = try String(contentsOfFile: report, encoding: .utf8)
    var objective = Double.nan
    var status = ""
    for line in text.split(separator: "\n") {
        if line.hasPrefix("Status:") {
            status = line.dropFirst("Status:".count).trimmingCharacters(in: .whitespaces)
        }
        if line.hasPrefix("Objective:"), let eq = line.firstIndex(of: "=") {
            // "Objective:  obj = 13 (MAXimum)"
            let rest = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            objective = Double(rest.split(separator: " ")[0]) ?? .nan
        }
    }
    return (objective, status)
}

/// A tool a test needs is missing: the test fails (it never skips in silence); `bash .ci/setup`
/// installs it.
struct MissingTool: Error, CustomStringConvertible {
    let name: String
    var description: String { "\(name) is needed by this test and is not installed: run bash .ci/setup" }
}

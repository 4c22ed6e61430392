import Foundation
import XCTest

/// Runs the built `planner` executable, as a user would, and captures what it prints.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    /// The repository root (for scenarios/).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// - Parameter stdin: what the run reads on standard input (nothing when nil).
    static func run(_ args: [String], cwd: URL? = nil, environment: [String: String] = [:], stdin: Data? = nil) throws -> CLIRun {
        let p = Process()
        p.executableURL = productsDirectory.appendingPathComponent("planner")
        p.arguments = args
        p.environment = Self.environment(environment)
        p.currentDirectoryURL = cwd ?? root
        // Output goes to files, so a large output can never block the child on a full pipe.
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        if let stdin {
            let inURL = dir.appendingPathComponent("stdin")
            try stdin.write(to: inURL)
            p.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        try p.run()
        p.waitUntilExit()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return CLIRun(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The environment a test's `planner` runs in: this process's, with `extra` over it, and no
    /// PDF unless the test asks for one (`PLANNER_PDF=always` or `auto`): a print takes Chromium
    /// seconds and most tests look at other files; PlanPDFCLITests and the document tests print
    /// for real.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        if extra["PLANNER_PDF"] == nil { env["PLANNER_PDF"] = "never" }
        return env
    }

    /// The solver status a plan file states (nil: no such field, or not a plan).
    static func solverStatus(_ planFile: String) -> String? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: planFile)),
              let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return (doc["solver"] as? [String: Any])?["status"] as? String
    }

    static func tempDir() -> URL {
        let u = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("planner-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}

/// Outputs the CLI tests share within one test process, each made once on first use and only
/// read afterwards (a test that edits a file copies it first):
///
/// - `demo`: the one full run of the committed demo (`planner plan scenarios/demo`), whose
///   summary and files PlanCLITests checks; tests that need a demo plan as input (verify,
///   roster, replan) read its plan.json instead of planning the demo again.
/// - `demoSweep`: the demo's staff sweep (`planner whatif scenarios/demo --staff -2..+1`).
/// - `small`: a small generated district for exit-code tests (`planner generate --district
///   浦东新区 --units 200 --seed 2`, year 2027): 197 units of its own, compliant with its own
///   six officers (every rule passes, so a plan of it exits 0), the demo's policy defaults
///   (sampling rate 0.05, key share 0.6, three campaigns, a joint check) and general units
///   never drawn nor visited. Its plan (`smallPlan`) takes a fraction of the demo's time to
///   write, verify, roster and re-plan.
enum CLIFixture {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The folder every shared output lives in; removed when the test process exits.
    static let folder: URL = {
        let u = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("planner-cli-fixture-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: CLIFixture.folder) }
        return u
    }()

    /// `planner plan scenarios/demo --out FOLDER/demo`: the run and the folder written.
    static let demo: Result<(run: CLIRun, out: String), Error> = Result {
        let out = folder.appendingPathComponent("demo").path
        return (try CLI.run(["plan", "scenarios/demo", "--out", out, "--time-limit", "10"]), out)
    }

    /// `planner whatif scenarios/demo --staff -2..+1 --out FOLDER/whatif-demo`: the run and the
    /// folder written (WhatIfCLITests checks it, and cross-checks `staffing` against it).
    static let demoSweep: Result<(run: CLIRun, out: String), Error> = Result {
        let out = folder.appendingPathComponent("whatif-demo").path
        return (try CLI.run(["whatif", "scenarios/demo", "--staff", "-2..+1", "--time-limit", "10", "--out", out]), out)
    }

    /// The generated small district's scenario folder.
    static let small: Result<String, Error> = Result {
        let out = folder.appendingPathComponent("small").path
        let r = try CLI.run(["generate", "--district", "浦东新区", "--units", "200", "--seed", "2", "--out", out])
        guard r.status == 0 else { throw Failure(description: "generate exited \(r.status): \(r.stdout)\(r.stderr)") }
        return out
    }

    /// `planner plan SMALL --out FOLDER/small-plan`: the run and the folder written.
    static let smallRun: Result<(run: CLIRun, out: String), Error> = Result {
        let out = folder.appendingPathComponent("small-plan").path
        return (try CLI.run(["plan", try small.get(), "--out", out, "--time-limit", "10"]), out)
    }

    /// The demo's plan.json (the shared run must have exited 0: compliant, proven optimal).
    static func demoPlan() throws -> String { try planFile(demo, "the demo") }

    /// The small district's scenario folder.
    static func smallScenario() throws -> String { try small.get() }

    /// The small district's plan.json (the shared run must have exited 0).
    static func smallPlan() throws -> String { try planFile(smallRun, "the small district") }

    static func planFile(_ r: Result<(run: CLIRun, out: String), Error>, _ what: String) throws -> String {
        let (run, out) = try r.get()
        guard run.status == 0 else { throw Failure(description: "planning \(what) exited \(run.status): \(run.stdout)\(run.stderr)") }
        let status = CLI.solverStatus(out + "/plan.json")
        guard status == "optimal" else { throw Failure(description: "\(what): solver status \(status ?? "nil"), not optimal") }
        return out + "/plan.json"
    }
}

/// A tool a test needs is missing: the test fails (it never skips in silence); `bash .ci/setup`
/// installs it.
struct MissingTool: Error, CustomStringConvertible {
    let name: String
    var description: String { "\(name) is needed by this test and is not installed: run bash .ci/setup" }
}

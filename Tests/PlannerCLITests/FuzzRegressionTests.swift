import Foundation
import XCTest

/// Replays the fuzzing harness's seeds and saved crashers (Tests/Fuzz/corpus/<target>,
/// Tests/Fuzz/regressions/<target>) through the built `planner-fuzz` replay driver, one
/// process per target: an input that traps, hangs or takes longer than a minute fails the test
/// and is named. The loaders must reject bad files with an error, never die on them.
///
/// `Tests/Fuzz/pending/<target>` holds crashers of known bugs not fixed yet; they are replayed
/// only with PLANNER_FUZZ_PENDING=1 (see Tests/Fuzz/README.md).
final class FuzzRegressionTests: XCTestCase {
    static let fuzzDir = CLI.root.appendingPathComponent("Tests/Fuzz")

    struct Replay {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String
    }

    /// Runs `planner-fuzz TARGET ARGS…` without Swift's backtracer (a trap on a worker thread can
    /// leave it waiting), killed after `limit` seconds.
    func replay(_ target: String, _ args: [String], limit: TimeInterval = 600) throws -> Replay {
        let p = Process()
        p.executableURL = CLI.productsDirectory.appendingPathComponent("planner-fuzz")
        p.arguments = [target] + args
        p.currentDirectoryURL = CLI.root
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        p.environment = env
        let dir = CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(limit)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { p.terminate(); p.waitUntilExit() }
        return Replay(status: p.terminationStatus, reason: p.terminationReason,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// The folders replayed for `target`: its seeds, its fixed crashers and, on request, the
    /// crashers of bugs still open.
    func folders(_ target: String) -> [String] {
        var kinds = ["corpus", "regressions"]
        if ProcessInfo.processInfo.environment["PLANNER_FUZZ_PENDING"] == "1" { kinds.append("pending") }
        return kinds.map { Self.fuzzDir.appendingPathComponent($0).appendingPathComponent(target).path }
            .filter { ((try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? []).contains { !$0.hasPrefix(".") && $0 != "README.md" } }
    }

    func assertNoCrash(_ target: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let dirs = folders(target)
        XCTAssertFalse(dirs.isEmpty, "no seeds for \(target) in Tests/Fuzz/corpus/\(target)", file: file, line: line)
        let r = try replay(target, ["--timeout", "60"] + dirs)
        if r.status == 0 && r.reason == .exit {
            XCTAssertTrue(r.stdout.contains("\(target): "), r.stdout, file: file, line: line)
            return
        }
        // The driver names each input before running it: the last one named is the culprit.
        // The driver is run again on the inputs after it, until every culprit is named.
        let all = dirs.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
                .filter { !$0.hasPrefix(".") && $0 != "README.md" }.map { (dir as NSString).appendingPathComponent($0) }
        }
        let prefix = "planner-fuzz \(target): "
        var culprits: [String] = []
        var result = r, start = 0
        while !(result.status == 0 && result.reason == .exit) {
            let lines = result.stderr.split(separator: "\n").map(String.init)
            if result.reason == .exit && result.status == 3 {
                // Every input ran; the slow ones are listed.
                culprits += lines.filter { $0.hasPrefix(prefix + "TIMEOUT ") }.map { String($0.dropFirst(prefix.count)) }
                break
            }
            guard let last = lines.last(where: { $0.hasPrefix(prefix) }).map({ String($0.dropFirst(prefix.count)) }),
                  let i = all[start...].firstIndex(of: last) else {
                culprits.append("(before any input) exit \(result.status): \(result.stderr.prefix(500))")
                break
            }
            let fatal = lines.first { $0.contains("Fatal error") } ?? ""
            culprits.append("\(last): \(result.reason == .uncaughtSignal ? "died of signal \(result.status)" : "exited \(result.status)") \(fatal)")
            start = i + 1
            guard start < all.count else { break }
            result = try replay(target, ["--timeout", "60"] + all[start...])
        }
        XCTFail("planner-fuzz \(target): \(culprits.count) input(s) trapped or hung:\n  " + culprits.joined(separator: "\n  ")
                + "\nreplay one: swift run planner-fuzz \(target) FILE", file: file, line: line)
    }

    func testLedgerInputsNeverCrash() throws { try assertNoCrash("ledger") }
    func testStaffInputsNeverCrash() throws { try assertNoCrash("staff") }
    func testExpertInputsNeverCrash() throws { try assertNoCrash("experts") }
    func testScenarioInputsNeverCrash() throws { try assertNoCrash("scenario") }
    func testVariantInputsNeverCrash() throws { try assertNoCrash("variant") }
    func testCalendarInputsNeverCrash() throws { try assertNoCrash("calendar") }
    func testExecutedInputsNeverCrash() throws { try assertNoCrash("executed") }
    func testPlanInputsNeverCrash() throws { try assertNoCrash("plan") }
    func testRosterInputsNeverCrash() throws { try assertNoCrash("roster") }
    func testCityInputsNeverCrash() throws { try assertNoCrash("city") }

    /// Every target has seeds, and a well-formed seed goes all the way through (a fixture that
    /// no longer loads would leave the fuzzer knocking at the first check).
    func testWellFormedSeedsAreAccepted() throws {
        let list = try replay("--list", [])
        let targets = list.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        XCTAssertEqual(Set(targets), ["ledger", "staff", "experts", "scenario", "variant", "calendar", "executed", "plan", "roster", "city"])
        let wellFormed = ["ledger": "fixture-3.csv", "staff": "fixture.csv", "experts": "fixture.csv", "scenario": "every-key.yaml",
                          "variant": "add-staff.yaml", "calendar": "example.yaml", "executed": "visits.csv",
                          "plan": "fixture.json", "roster": "fixture.json", "city": "listed.yaml"]
        for (target, seed) in wellFormed {
            let path = Self.fuzzDir.appendingPathComponent("corpus/\(target)/\(seed)").path
            let r = try replay(target, ["--verbose", path])
            XCTAssertEqual(r.status, 0, "\(target) \(seed): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("\(seed): accepted"), "\(target) \(seed): \(r.stdout)")
        }
        // And a malformed one is rejected with the loader's error, naming the file.
        let bad = Self.fuzzDir.appendingPathComponent("corpus/ledger/impossible-date.csv").path
        let r = try replay("ledger", ["--verbose", bad])
        XCTAssertTrue(r.stdout.contains("impossible-date.csv: rejected:") && r.stdout.contains("2027/2/30"), r.stdout)
    }
}

import Foundation
import XCTest

/// The planner copied elsewhere, as `make install` does: it finds its models and focus-item
/// catalogue in the resource bundle beside it, not in the source tree it was built from, and
/// without the bundle it says what is missing instead of trapping.
final class InstallCLITests: XCTestCase {
    static let bundleName = "enforcement-planner_PlannerResources.resources"
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// Copies the built binary to `dir/bin` (and its bundle when `withBundle`), runs it there.
    func runCopied(_ args: [String], withBundle: Bool) throws -> CLIRun {
        let fm = FileManager.default
        let bin = dir.appendingPathComponent("bin")
        try fm.createDirectory(at: bin, withIntermediateDirectories: true)
        let exe = bin.appendingPathComponent("planner")
        if !fm.fileExists(atPath: exe.path) {
            try fm.copyItem(at: CLI.productsDirectory.appendingPathComponent("planner"), to: exe)
        }
        let bundle = bin.appendingPathComponent(Self.bundleName)
        if withBundle && !fm.fileExists(atPath: bundle.path) {
            try fm.copyItem(at: CLI.productsDirectory.appendingPathComponent(Self.bundleName), to: bundle)
        }
        if !withBundle { try? fm.removeItem(at: bundle) }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = dir
        var env = CLI.environment()
        env["PLANNER_MODELS"] = nil
        env["PLANNER_FOCUS_ITEMS"] = nil
        p.environment = env
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        fm.createFile(atPath: out.path, contents: nil)
        fm.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return CLIRun(status: p.terminationStatus, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    func testCopiedBinaryUsesItsBundleAndNamesItWhenMissing() throws {
        let fixture = CLI.root.appendingPathComponent("Tests/Fuzz/fixture").path
        let plan = dir.appendingPathComponent("plan").path

        // The source tree is still where the binary was built; without the bundle the binary
        // must not fall back on it.
        let missing = try runCopied(["plan", fixture, "--out", plan], withBundle: false)
        XCTAssertEqual(missing.status, 72, "an incomplete installation, not bad input: \(missing.stderr)")
        XCTAssertTrue(missing.stderr.contains("找不到程序的资源包 \(Self.bundleName)"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains(dir.appendingPathComponent("bin/\(Self.bundleName)").path), "names where it looked: \(missing.stderr)")
        XCTAssertTrue(missing.stderr.contains("PLANNER_MODELS"), missing.stderr)
        XCTAssertFalse(missing.stderr.contains("Fatal error"), "no trap: \(missing.stderr)")
        XCTAssertFalse(missing.stderr.contains("输入有误"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: plan))

        let english = try runCopied(["plan", fixture, "--out", plan, "--lang", "en"], withBundle: false)
        XCTAssertTrue(english.stderr.contains("resource bundle \(Self.bundleName) not found"), english.stderr)

        // With the bundle beside it, the copy plans: models and catalogue come from the bundle.
        let planned = try runCopied(["plan", fixture, "--out", plan], withBundle: true)
        XCTAssertEqual(planned.status, 0, planned.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: plan + "/plan.json"))
        let roster = dir.appendingPathComponent("roster").path
        let rostered = try runCopied(["roster", fixture, "--plan", plan + "/plan.json", "--month", "11", "--out", roster],
                                     withBundle: true)
        XCTAssertTrue([0, 2].contains(rostered.status), rostered.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: roster + "/roster-2027-11.json"), rostered.stderr)

        // As `make install` lays it out: PREFIX/bin/planner, PREFIX/share/enforcement-planner/<bundle>.
        let share = dir.appendingPathComponent("share/enforcement-planner")
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: dir.appendingPathComponent("bin/\(Self.bundleName)"),
                                         to: share.appendingPathComponent(Self.bundleName))
        let installed = try runCopied(["plan", fixture, "--out", plan], withBundle: false)
        XCTAssertEqual(installed.status, 0, installed.stderr)
    }

    /// The bundle holds the repository's files as they are: `models/` and the catalogue are
    /// copied, not rewritten, so users and glpsol read what the planner reads.
    func testBundleHoldsTheRepositoryFiles() throws {
        let bundle = CLI.productsDirectory.appendingPathComponent(Self.bundleName)
        let models = try FileManager.default.contentsOfDirectory(atPath: CLI.root.appendingPathComponent("models").path)
            .filter { $0.hasSuffix(".mod") }
        XCTAssertFalse(models.isEmpty)
        for m in models {
            XCTAssertEqual(try Data(contentsOf: bundle.appendingPathComponent("models/\(m)")),
                           try Data(contentsOf: CLI.root.appendingPathComponent("models/\(m)")), m)
        }
        XCTAssertEqual(try Data(contentsOf: bundle.appendingPathComponent("focus-items.yaml")),
                       try Data(contentsOf: CLI.root.appendingPathComponent("scenarios/focus-items.yaml")))
    }
}

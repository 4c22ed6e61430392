import Foundation
import XCTest

/// `--out` all or nothing, refused targets, write failures on standard output and error,
/// interrupted and concurrent runs, fatal signals, and bounded numeric options. Plans are of
/// the small generated district (CLIFixture.small) unless a run has to last.
final class OutputCLITests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = CLI.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    var fm: FileManager { .default }

    /// Entries of `dir` beside `name` that a run left: staging and set-aside folders.
    func leftovers(_ name: String) throws -> [String] {
        try fm.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".\(name).staging-") || $0.hasPrefix(".\(name).old-") }
    }

    func fileType(_ p: String) -> FileAttributeType? {
        (try? fm.attributesOfItem(atPath: p))?[.type] as? FileAttributeType
    }

    /// A running `planner`, its output to files.
    func start(_ args: [String], stdout: FileHandle? = nil) throws -> Process {
        let p = Process()
        p.executableURL = CLI.productsDirectory.appendingPathComponent("planner")
        p.arguments = args
        p.environment = CLI.environment()
        p.currentDirectoryURL = CLI.root
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = stdout ?? FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func waitFor(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }

    /// The small generated district (CLIFixture.small): what these tests check is where and how
    /// the outputs are written, not the plan, so they plan it rather than the demo.
    func small() throws -> String { try CLIFixture.smallScenario() }

    func verify(_ out: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let v = try CLI.run(["verify", "\(out)/plan.json", "--scenario", small()])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr, file: file, line: line)
        XCTAssertEqual(CLI.solverStatus("\(out)/plan.json"), "optimal", "proven optimal", file: file, line: line)
    }

    // MARK: - Refused targets

    func testASymlinkFIFOFileOrForeignFolderAsOutIsRefusedAndLeftUntouched() throws {
        let real = path("real")
        try fm.createDirectory(atPath: real, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: "\(real)/notes.txt"))
        let link = path("link")
        try fm.createSymbolicLink(atPath: link, withDestinationPath: real)
        let fifo = path("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let file = path("file")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: file))

        for (target, words) in [(link, "符号链接"), (link + "/", "符号链接"), (fifo, "命名管道"), (file, "已存在的文件"), (real, "notes.txt")] {
            let r = try CLI.run(["plan", small(), "--out", target])
            XCTAssertEqual(r.status, 73, target + ": " + r.stderr)
            XCTAssertTrue(r.stderr.contains("拒绝写入输出") && r.stderr.contains(words), r.stderr)
            XCTAssertFalse(r.stderr.contains("输入有误"), r.stderr)
        }
        XCTAssertEqual(fileType(link), .typeSymbolicLink)
        XCTAssertEqual(try fm.destinationOfSymbolicLink(atPath: link), real)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: real), ["notes.txt"])
        var st = stat()
        XCTAssertEqual(lstat(fifo, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep")
        // A device.
        let dev = try CLI.run(["plan", small(), "--out", "/dev/null"])
        XCTAssertEqual(dev.status, 73, dev.stderr)
        XCTAssertTrue(dev.stderr.contains("设备文件"), dev.stderr)
        XCTAssertEqual(lstat("/dev/null", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR, "/dev/null is still a device")
        // Every command that writes --out refuses the same way; classify's --out is a file.
        let w = try CLI.run(["whatif", small(), "--staff", "0", "--out", fifo])
        XCTAssertEqual(w.status, 73, w.stderr)
        let c = try CLI.run(["classify", small(), "--out", link])
        XCTAssertEqual(c.status, 73, c.stderr)
        XCTAssertTrue(c.stderr.contains("符号链接"), c.stderr)
        let g = try CLI.run(["generate", "--district", "浦东新区", "--units", "10", "--out", real])
        XCTAssertEqual(g.status, 73, g.stderr)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: real), ["notes.txt"])
    }

    func testAnOutputThatCannotBeWrittenIsNotReportedAsRejectedInput() throws {
        let file = path("file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let r = try CLI.run(["plan", small(), "--out", "\(file)/plan", "--lang", "en"])
        XCTAssertEqual(r.status, 73, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot write output"), r.stderr)
        XCTAssertFalse(r.stderr.contains("输入有误"), r.stderr)
    }

    // MARK: - All or nothing

    func testAnEnglishPlanIntoAChinesePlansFolderLeavesNoChineseFiles() throws {
        let out = path("plan")
        XCTAssertEqual(try CLI.run(["plan", small(), "--out", out]).status, 0)
        XCTAssertTrue(fm.fileExists(atPath: "\(out)/执法计划.xlsx"))
        // As a folder of an earlier version, without the marker: still recognised by its files.
        try fm.removeItem(atPath: "\(out)/.planner-output")
        let r = try CLI.run(["plan", small(), "--out", out, "--lang", "en"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let names = try fm.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(names, [".planner-output", "draws.csv", "key-units.csv", "monthly.csv", "plan.html", "plan.json", "plan.xlsx", "quarterly.csv", "visits.csv"])
        XCTAssertEqual(try leftovers("plan"), [])
        try verify(out)
    }

    func testAKilledRunLeavesThePreviousFolderAndNoStagingFolder() throws {
        let scenario = path("district")
        let g = try CLI.run(["generate", "--district", "浦东新区", "--units", "3000", "--seed", "7", "--out", scenario])
        XCTAssertEqual(g.status, 0, g.stderr)
        let out = path("plan")
        XCTAssertEqual(try CLI.run(["plan", small(), "--out", out]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(out)/plan.json"))

        for signal in [SIGTERM, SIGINT] {
            let p = try start(["plan", scenario, "--out", out])
            XCTAssertTrue(try waitFor(30) { try !leftovers("plan").isEmpty }, "the run makes its staging folder")
            usleep(300_000)
            XCTAssertTrue(p.isRunning, "killed mid-run")
            kill(p.processIdentifier, signal)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, "ends by the signal, as the caller expects")
            XCTAssertEqual(p.terminationStatus, signal)
            XCTAssertEqual(try leftovers("plan"), [], "the interrupted run removed its staging folder")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(out)/plan.json")), before)
            XCTAssertTrue(fm.fileExists(atPath: "\(out)/执法计划.xlsx"))
        }
        try verify(out)

        // A run killed outright (SIGKILL) leaves its staging folder: the next run removes it.
        let p = try start(["plan", scenario, "--out", out])
        XCTAssertTrue(try waitFor(30) { try !leftovers("plan").isEmpty })
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertFalse(try leftovers("plan").isEmpty)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(out)/plan.json")), before)
        let r = try CLI.run(["plan", small(), "--out", out, "--lang", "en"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try leftovers("plan"), [])
        XCTAssertTrue(fm.fileExists(atPath: "\(out)/plan.xlsx"))
        XCTAssertFalse(fm.fileExists(atPath: "\(out)/执法计划.xlsx"))
        try verify(out)
    }

    /// roster --out: the months already rostered for the plan's year stay (their JSON the very
    /// file it was), in this run's language; nothing of the other language is left.
    func testARosterRunKeepsTheOtherMonthsInItsOwnLanguage() throws {
        try fm.createDirectory(atPath: path("p"), withIntermediateDirectories: true)
        try fm.copyItem(atPath: try CLIFixture.smallPlan(), toPath: path("p/plan.json"))
        try verify(path("p"))
        let plan = path("p/plan.json"), out = path("r")
        let first = try CLI.run(["roster", small(), "--plan", plan, "--month", "3", "--out", out])
        XCTAssertTrue([0, 2].contains(first.status), first.stderr)
        let march = try Data(contentsOf: URL(fileURLWithPath: "\(out)/roster-2027-03.json"))
        let second = try CLI.run(["roster", small(), "--plan", plan, "--month", "4", "--out", out, "--lang", "en"])
        XCTAssertTrue([0, 2].contains(second.status), second.stderr)
        let names = try fm.contentsOfDirectory(atPath: out).sorted()
        XCTAssertEqual(names, [".planner-output", "roster-2027-03.json", "roster-2027-04.json",
                               "roster-sheet-2027-03.csv", "roster-sheet-2027-03.html", "roster-sheet-2027-03.xlsx",
                               "roster-sheet-2027-04.csv", "roster-sheet-2027-04.html", "roster-sheet-2027-04.xlsx"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(out)/roster-2027-03.json")), march)
        for m in ["03", "04"] {
            let v = try CLI.run(["verify", "\(out)/roster-2027-\(m).json", "--scenario", small(), "--plan", plan])
            XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        }
    }

    func testTwoConcurrentRunsIntoOneOutGiveOneCompletePlan() throws {
        let out = path("plan")
        let errs = (0..<2).map { path("err\($0)") }
        var runs: [Process] = []
        for (i, lang) in ["zh", "en"].enumerated() {
            let p = Process()
            p.executableURL = CLI.productsDirectory.appendingPathComponent("planner")
            p.arguments = ["plan", try small(), "--out", out, "--lang", lang]
            p.environment = CLI.environment()
            p.currentDirectoryURL = CLI.root
            p.standardOutput = FileHandle.nullDevice
            _ = fm.createFile(atPath: errs[i], contents: nil)
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errs[i]))
            runs.append(p)
        }
        for p in runs { try p.run() }
        for p in runs { p.waitUntilExit() }
        let statuses = runs.map(\.terminationStatus)
        XCTAssertTrue(statuses.contains(0), "\(statuses)")
        for (i, s) in statuses.enumerated() where s != 0 {
            XCTAssertEqual(s, 75, "the second run is refused as busy")
            let text = try String(contentsOfFile: errs[i], encoding: .utf8)
            XCTAssertTrue(text.contains("另一个 planner 正在写入"), text)
        }
        let names = Set(try fm.contentsOfDirectory(atPath: out))
        let zh: Set = [".planner-output", "plan.json", "季度计划.csv", "月度计划.csv", "重点检查单位清单.csv", "检查安排.csv", "双随机抽取记录.csv", "执法计划.xlsx", "执法计划.html"]
        let en: Set = [".planner-output", "plan.json", "quarterly.csv", "monthly.csv", "key-units.csv", "visits.csv", "draws.csv", "plan.xlsx", "plan.html"]
        XCTAssertTrue(names == zh || names == en, "one complete plan, not a mix: \(names.sorted())")
        XCTAssertEqual(try leftovers("plan"), [])
        try verify(out)
    }

    // MARK: - Standard output and error

    func testAFullDiskOrClosedPipeIsAnErrorWithItsOwnExitCode() throws {
        // > /dev/full
        let full = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let errFile = path("stderr")
        _ = fm.createFile(atPath: errFile, contents: nil)
        var p = Process()
        p.executableURL = CLI.productsDirectory.appendingPathComponent("planner")
        p.arguments = ["calendar", "2026"]
        p.standardOutput = full
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 74)
        let message = try String(contentsOfFile: errFile, encoding: .utf8)
        XCTAssertTrue(message.contains("无法写出标准输出"), message)

        // 2> /dev/full: a failing run still ends with its own exit code, no trap.
        p = Process()
        p.executableURL = CLI.productsDirectory.appendingPathComponent("planner")
        p.arguments = ["plan", "no-such-scenario", "--out", path("x")]
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = full
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 1)

        // | head -1: the reader has gone (EPIPE), SIGPIPE does not kill the run silently.
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let errFile2 = path("stderr2")
        _ = fm.createFile(atPath: errFile2, contents: nil)
        p = Process()
        p.executableURL = CLI.productsDirectory.appendingPathComponent("planner")
        p.arguments = ["calendar", "2026", "--lang", "en"]
        p.standardOutput = pipe.fileHandleForWriting
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile2))
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit, "not killed by SIGPIPE")
        XCTAssertEqual(p.terminationStatus, 74)
        let message2 = try String(contentsOfFile: errFile2, encoding: .utf8)
        XCTAssertTrue(message2.contains("cannot write standard output") && message2.contains("the reader has gone"), message2)
    }

    /// A fatal signal (what a Swift trap raises) ends the run at once with exit 70, whatever
    /// thread takes it, and nothing keeps the caller's pipe open afterwards.
    func testAFatalSignalEndsTheRunAtOnceAndReleasesThePipe() throws {
        let pipe = Pipe()
        let errFile = path("stderr")
        _ = fm.createFile(atPath: errFile, contents: nil)
        let p = Process()
        p.executableURL = CLI.productsDirectory.appendingPathComponent("planner")
        p.arguments = ["whatif", "scenarios/demo", "--staff", "-3..3"]
        p.currentDirectoryURL = CLI.root
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = pipe.fileHandleForWriting
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        try p.run()
        try pipe.fileHandleForWriting.close()
        // Once it prints its first line its handlers are installed and the work has begun.
        XCTAssertTrue(waitFor(30) { ((try? String(contentsOfFile: errFile, encoding: .utf8)) ?? "").contains("载入台账与人员") })
        XCTAssertTrue(p.isRunning)
        kill(p.processIdentifier, SIGILL)
        let started = Date()
        _ = pipe.fileHandleForReading.readDataToEndOfFile() // EOF once every holder of the write end is gone
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the pipe is released at once")
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 70)
        let message = try String(contentsOfFile: errFile, encoding: .utf8)
        XCTAssertTrue(message.contains("内部错误"), message)
    }

    // MARK: - Model files

    /// `--write-model m.lp` writes m-1.lp, m-1.dat, …: each is checked and written all or
    /// nothing like any output — a symlink in their place is refused and its target untouched,
    /// an unwritable place is an output error (73), not an input error.
    func testModelFilesAreCheckedAndWrittenAllOrNothing() throws {
        let fm = FileManager.default
        let victim = dir.appendingPathComponent("victim").path
        try "precious".write(toFile: victim, atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("m-1.lp").path, withDestinationPath: victim)
        let r = try CLI.run(["plan", small(), "--out", "o", "--write-model", "m.lp"], cwd: dir)
        XCTAssertEqual(r.status, 73, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("m-1.lp"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious")
        XCTAssertFalse(fm.fileExists(atPath: dir.appendingPathComponent("o").path), "no plan half-written")
        XCTAssertFalse(try fm.contentsOfDirectory(atPath: dir.path).contains { $0.hasSuffix(".tmp") })

        let nowhere = try CLI.run(["plan", small(), "--out", "o", "--write-model", "/proc/m.lp"], cwd: dir)
        XCTAssertEqual(nowhere.status, 73, nowhere.stdout + nowhere.stderr)
        XCTAssertFalse(nowhere.stderr.contains("输入有误"), nowhere.stderr)

        try fm.removeItem(atPath: dir.appendingPathComponent("m-1.lp").path)
        let ok = try CLI.run(["plan", small(), "--out", "o", "--write-model", "m.lp"], cwd: dir)
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        for n in ["m-1.lp", "m-1.dat", "m-2.lp", "m-2.dat", "m-3.lp", "m-3.dat"] {
            XCTAssertTrue(fm.fileExists(atPath: dir.appendingPathComponent(n).path), n)
        }
    }

    // MARK: - One-character paths

    /// Foundation's `deletingLastPathComponent` traps on a one-character name on Linux: `--out o`,
    /// a scenario file named `s`, `classify --out a` and a variant file `v` all crashed (exit 70).
    func testOneCharacterPathsWork() throws {
        let fm = FileManager.default
        for f in ["ledger.csv", "staff.csv", "experts.csv"] {
            try fm.copyItem(at: URL(fileURLWithPath: small() + "/\(f)"), to: dir.appendingPathComponent(f))
        }
        try fm.copyItem(at: URL(fileURLWithPath: small() + "/scenario.yaml"), to: dir.appendingPathComponent("s"))
        try "name: v\nstaff_delta: -1\n".write(to: dir.appendingPathComponent("v"), atomically: true, encoding: .utf8)

        let plan = try CLI.run(["plan", "s", "--out", "o"], cwd: dir)
        XCTAssertEqual(plan.status, 0, plan.stdout + plan.stderr)
        XCTAssertTrue(fm.fileExists(atPath: dir.appendingPathComponent("o/plan.json").path))
        XCTAssertEqual(try CLI.run(["verify", "o/plan.json", "--scenario", "s"], cwd: dir).status, 0)

        try fm.copyItem(at: dir.appendingPathComponent("ledger.csv"), to: dir.appendingPathComponent("l"))
        let classify = try CLI.run(["classify", "l", "--year", "2027", "--format", "csv", "--out", "a"], cwd: dir)
        XCTAssertEqual(classify.status, 0, classify.stdout + classify.stderr)
        XCTAssertTrue(fm.fileExists(atPath: dir.appendingPathComponent("a").path))

        let whatif = try CLI.run(["whatif", "s", "--variant", "v", "--out", "w"], cwd: dir)
        XCTAssertTrue([0, 2].contains(whatif.status), whatif.stdout + whatif.stderr)
        XCTAssertTrue(fm.fileExists(atPath: dir.appendingPathComponent("w").path))
    }

    // MARK: - Numeric options

    func testWhatIfRangesAndNumericOptionsAreBounded() throws {
        for (args, words) in [
            (["whatif", "scenarios/demo", "--staff=-9223372036854775808"], ["命令行参数有误", "--staff", "-10000", "+10000"]),
            (["plan", "scenarios/demo", "--out", "x", "--bogus"], ["命令行参数有误", "--bogus"]),
            (["whatif", "scenarios/demo", "--staff", "9223372036854775807"], ["--staff", "-10000", "+10000"]),
            (["whatif", "scenarios/demo", "--staff", "0..100000000"], ["--staff", "+10000"]),
            (["whatif", "scenarios/demo", "--staff", "0..200"], ["--staff", "at most 100"]),
            (["whatif", "scenarios/demo", "--staff", "-5..5", "--sample-rate", "0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.1"], ["variants", "at most 100"]),
            (["whatif", "scenarios/demo", "--sample-rate", "0x1p-4"], ["--sample-rate", "抽查比例", "between 0 and 1"]),
            (["whatif", "scenarios/demo", "--effort", "key=0x1p-1"], ["--effort", "(0, 10]"]),
            (["whatif", "scenarios/demo", "--time-limit", "1e300"], ["--time-limit", "86400"]),
            (["plan", "scenarios/demo", "--out", "x", "--time-limit", "inf"], ["--time-limit", "86400"]),
            (["staffing", "scenarios/demo", "--time-limit", "-1"], ["--time-limit"]),
            (["replan", "scenarios/demo", "--plan", "p.json", "--from-month", "13", "--out", "x"], ["--from-month", "1-12"]),
            (["roster", "scenarios/demo", "--plan", "p.json", "--months", "3-99999999999999999999", "--out", "x"], ["--months", "1-12"]),
            (["roster", "scenarios/demo", "--plan", "p.json", "--month", "-9223372036854775808", "--out", "x"], ["--month", "1-12"]),
            (["roster", "scenarios/demo", "--plan", "p.json", "--month", "3", "--out", "x", "--time-limit", "0"], ["--time-limit", "86400"]),
        ] {
            let started = Date()
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            for w in words { XCTAssertTrue(r.stderr.contains(w), "\(args): \(w) in \(r.stderr)") }
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, "refused before any work: \(args)")
        }
    }
}

// Fuzzing harness of the loaders (Tests/Fuzz/README.md). Two builds of one entry point:
//
//   swift build --product planner-fuzz                      # the replay driver (always built)
//   .build/debug/planner-fuzz TARGET FILE|DIR...            # runs each file through TARGET
//
//   swift build -c release --scratch-path .build-fuzz --product planner-fuzz \
//       -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING          # libFuzzer (Tests/Fuzz/fuzz.sh)
//   .build-fuzz/release/planner-fuzz TARGET [libFuzzer flags] [CORPUS_DIR...|CRASH_FILE]
//
// Targets: ledger staff experts scenario variant calendar executed plan roster. The target may
// also be given as PLANNER_FUZZ_TARGET (libFuzzer's -fork/-jobs children inherit it).
import Foundation

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(code)
}

let targetNames = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
var arguments = CommandLine.arguments
let program = (arguments.removeFirst() as NSString).lastPathComponent

#if FUZZING
// Swift's backtracer installs signal handlers at start-up, and libFuzzer does not replace
// handlers it finds: the trap would be reported by the backtracer and the input never saved
// (and a trap on a worker thread can leave the backtracer waiting). Start again without it.
if ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] != "enable=no" {
    setenv("SWIFT_BACKTRACE", "enable=no", 1)
    let argv = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", argv)
    fail("\(program): could not restart itself without the Swift backtracer", code: 2)
}
#endif

if arguments.first == "--list" {
    print(targetNames)
    exit(0)
}
let selected: FuzzTarget
if let first = arguments.first, let t = FuzzTarget(rawValue: first) {
    selected = t
    arguments.removeFirst()
    setenv("PLANNER_FUZZ_TARGET", t.rawValue, 1)
} else if let env = ProcessInfo.processInfo.environment["PLANNER_FUZZ_TARGET"], let t = FuzzTarget(rawValue: env) {
    selected = t
} else {
    fail("usage: \(program) TARGET FILE|DIR...   (TARGET: \(targetNames))", code: 64)
}

let work: WorkFolder
let fixture: Fixture
do {
    work = try WorkFolder()
    fixture = try Fixture(folder: Fixture.defaultFolder(), work: work)
} catch {
    fail("\(program): the fixture (\(Fixture.defaultFolder()), or PLANNER_FUZZ_FIXTURE) did not load: \(error)", code: 2)
}
atexit { work.remove() }

#if FUZZING

// libFuzzer's entry point when the program has a main of its own: the archive's main (and its
// LLVMFuzzerTestOneInput) stay out of the link. Pointers and a C int on every 64-bit target.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

let fuzzTarget = selected
let fuzzFixture = fixture
var fuzzArgs: [UnsafeMutablePointer<CChar>?] = [strdup(CommandLine.arguments[0])] + arguments.map { strdup($0) } + [nil]
var fuzzArgc = CInt(fuzzArgs.count - 1)
let status = fuzzArgs.withUnsafeMutableBufferPointer { buffer -> CInt in
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
    return LLVMFuzzerRunDriver(&fuzzArgc, &argv) { bytes, count in
        let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
        fuzzTarget.run(data, fixture: fuzzFixture)
        return 0
    }
}
exit(status)

#else

// The replay driver: every file (folders: their files, in name order) through the target,
// each named on standard error before it runs, so a trap names its input. With
// `--timeout S` an input that takes longer is a failure too (exit 3).
// `--verbose` says of each input whether it was accepted or why it was rejected (to check
// that seeds reach past the first check).
var timeout: Double? = nil
if let i = arguments.firstIndex(of: "--timeout"), i + 1 < arguments.count, let s = Double(arguments[i + 1]), s > 0 {
    timeout = s
    arguments.removeSubrange(i...(i + 1))
}
let verbose = arguments.contains("--verbose")
arguments.removeAll { $0 == "--verbose" }
guard !arguments.isEmpty else { fail("usage: \(program) TARGET [--timeout S] [--verbose] FILE|DIR...", code: 64) }

var files: [String] = []
for a in arguments {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: a, isDirectory: &isDir) else { fail("\(program): \(a): no such file or folder", code: 64) }
    if isDir.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: a)) ?? []
        for n in names.sorted() where !n.hasPrefix(".") && n != "README.md" {
            let p = (a as NSString).appendingPathComponent(n)
            var sub: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &sub), !sub.boolValue { files.append(p) }
        }
    } else {
        files.append(a)
    }
}
var slow: [(String, Double)] = []
for file in files {
    FileHandle.standardError.write(Data("\(program) \(selected.rawValue): \(file)\n".utf8))
    guard let data = FileManager.default.contents(atPath: file) else { fail("\(program): \(file): unreadable", code: 64) }
    let start = Date()
    let rejection = selected.run(data, fixture: fixture)
    let seconds = Date().timeIntervalSince(start)
    if verbose {
        let why = rejection.map { "rejected: " + String($0.replacingOccurrences(of: "\n", with: " | ").prefix(300)) } ?? "accepted"
        print("\((file as NSString).lastPathComponent): \(why)")
    }
    if let timeout, seconds > timeout { slow.append((file, seconds)) }
}
for (file, seconds) in slow {
    FileHandle.standardError.write(Data("\(program) \(selected.rawValue): TIMEOUT \(file) took \(String(format: "%.1f", seconds)) s\n".utf8))
}
print("\(selected.rawValue): \(files.count) inputs, no crash\(slow.isEmpty ? "" : ", \(slow.count) too slow")")
exit(slow.isEmpty ? 0 : 3)

#endif

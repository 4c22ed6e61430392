import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, not Foundation's `Process`: on Linux `Process`
/// learns that a child has ended when every copy of a descriptor the child inherits is closed,
/// so a child that leaves a long-lived process behind holding a copy (`pg_ctl start` and its
/// server, Chromium and its helpers) makes the wait hang. Here the child gets only the
/// descriptors it is given (every other one above stderr is closed in the child), and the wait
/// is `waitpid` on its process id.
///
/// Whoever spawns must `wait` (or `kill` then `wait`): a child never waited for stays a zombie.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    /// True when the child leads a process group of its own (`newProcessGroup`).
    public let leadsGroup: Bool
    private var status: Int32?
    private let lock = NSLock()

    public struct SpawnError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Starts `argv[0]` (an absolute path) with `argv`.
    /// - Parameters:
    ///   - environment: the child's environment (the parent's when nil).
    ///   - output: a file that receives the child's stdout and stderr (created or truncated,
    ///     mode 0600); /dev/null when nil. Stdin is /dev/null.
    ///   - descriptors: child descriptor ← parent descriptor (e.g. `[3: a, 4: b]`); a parent
    ///     descriptor must not be another entry's child number unless it is its own.
    ///   - newProcessGroup: the child leads a new process group, so that `kill(group: true)`
    ///     reaches the processes it starts too.
    public init(_ argv: [String], environment: [String: String]? = nil, output: String? = nil,
                descriptors: [Int32: Int32] = [:], newProcessGroup: Bool = false) throws {
        guard let program = argv.first, program.hasPrefix("/") else {
            throw SpawnError(description: "需要程序的绝对路径 (an absolute program path is needed): \(argv.first ?? "")")
        }
        for (target, source) in descriptors where source != target && descriptors[source] != nil {
            throw SpawnError(description: "descriptor \(source) is also a target (\(target) ← \(source))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Every inherited descriptor above stderr is closed, except those handed on; a descriptor
        // opened later by another thread is not listed, so open descriptors with O_CLOEXEC.
        let keep = Set(descriptors.keys).union(descriptors.values)
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for fd in open where fd > 2 && !keep.contains(fd) { posix_spawn_file_actions_addclose(&actions, fd) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // dup2 clears close-on-exec on the target; a descriptor handed on as itself is dup'd
        // through a spare number so that its close-on-exec flag is cleared too.
        for (target, source) in descriptors.sorted(by: { $0.key < $1.key }) {
            if source == target {
                let spare: Int32 = 1000 + target
                posix_spawn_file_actions_adddup2(&actions, source, spare)
                posix_spawn_file_actions_adddup2(&actions, spare, target)
                posix_spawn_file_actions_addclose(&actions, spare)
            } else {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            }
        }
        for source in Set(descriptors.values) where descriptors[source] == nil {
            posix_spawn_file_actions_addclose(&actions, source)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default signal handling and an empty mask in the child, whatever the parent blocks.
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all); sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let env = environment ?? ProcessInfo.processInfo.environment
        let cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in cArgs + cEnv { free(p) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, program, &actions, &attributes, cArgs, cEnv)
        guard rc == 0 else {
            throw SpawnError(description: "\(program) 无法运行 (cannot run): \(String(cString: strerror(rc)))")
        }
        self.pid = pid
        leadsGroup = newProcessGroup
    }

    /// Waits for the child to end and reaps it: its exit status, or 128 + the signal that
    /// killed it. Calling it again returns the same status.
    @discardableResult
    public func wait() -> Int32 {
        lock.lock(); defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        let s = Self.decode(raw)
        status = s
        return s
    }

    /// True once the child has ended (it is then a zombie until `wait`, so its process id, and
    /// its group's, cannot be reused meanwhile).
    public var hasEnded: Bool {
        lock.lock(); defer { lock.unlock() }
        if status != nil { return true }
        var info = siginfo_t()
        while true {
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 { break }
            if errno != EINTR { return true }
        }
        return info._sifields._sigchld.si_pid != 0
    }

    /// Waits up to `seconds` for the child to end, without reaping it; true if it has.
    public func waitForEnd(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !hasEnded {
            if Date() >= deadline { return false }
            usleep(10_000)
        }
        return true
    }

    /// Sends `signal` to the child, or to its whole process group when it leads one and `group`
    /// is true. Only before `wait` has reaped it (afterwards its id may belong to another process).
    public func kill(_ signal: Int32 = SIGKILL, group: Bool = true) {
        lock.lock(); defer { lock.unlock() }
        guard status == nil else { return }
        _ = Glibc.kill(group && leadsGroup ? -pid : pid, signal)
    }

    /// Ends the child and everything in its group (SIGKILL) and reaps it: for error paths.
    @discardableResult
    public func terminate() -> Int32 {
        kill(SIGKILL, group: true)
        return wait()
    }

    /// WIFEXITED → WEXITSTATUS; killed by a signal → 128 + the signal.
    static func decode(_ raw: Int32) -> Int32 {
        (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    /// Runs a program to its end with its output in a temporary file: its status and output.
    public static func run(_ argv: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("planner-run-\(UUID().uuidString.prefix(8)).log").path
        defer { unlink(log) }
        let child = try ChildProcess(argv, environment: environment, output: log)
        let status = child.wait()
        return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }
}

import ArgumentParser
import Foundation
import Planning
import GLPK
import Ledger
#if canImport(Glibc)
import Glibc
import Output
import PlannerResources
import Policy
#endif

/// The process around the `planner` command: signals, exit codes and the last word on
/// standard output and error. `planner/main.swift` calls `PlannerMain.run()`.
///
/// - SIGPIPE is ignored: a write to a closed pipe fails with EPIPE, which `Console` turns into
///   exit 74 and a message, instead of the process dying silently.
/// - SIGINT, SIGTERM and SIGHUP are blocked in every thread and taken by one thread with
///   `sigwait`; it removes this run's staging folders (`OutputFolder.abandonAll`), then
///   restores the default action and raises the signal again, so the caller sees the usual
///   "killed by signal" status.
/// - A Swift runtime error (a trap: SIGILL/SIGTRAP, or SIGSEGV, SIGBUS, SIGFPE, SIGABRT) ends
///   the process at once with exit 70 and one line on standard error, whichever thread it
///   fires on. The runtime has already printed its "Fatal error: …" line. Without this the
///   runtime's backtracer (swift-backtrace) is started as a child process that inherits
///   standard output and error; a caller reading them through a pipe (`planner … | cat`)
///   waits until the backtracer ends, which was seen to take 11 minutes for a trap on a worker
///   thread. Set `SWIFT_BACKTRACE` (e.g. `SWIFT_BACKTRACE=enable=yes`) to get the runtime's
///   backtracer back when debugging: the handlers are then not installed.
public enum PlannerMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        let lang = argumentsLanguage(arguments)
        signal(SIGPIPE, SIG_IGN)
        FatalSignals.install(lang)
        Interrupts.install()
        var status: Int32
        do {
            var command = try Planner.parseAsRoot(arguments)
            try command.run()
            status = ExitStatus.ok
        } catch let e as ResourceError {
            printError(e.description)
            status = ExitStatus.installationIncomplete
        } catch let e as OutputError {
            printError(e.description)
            status = e.code == .busy ? ExitStatus.outputBusy : ExitStatus.outputFailed
        } catch let e as GLPKError {
            // The models and the code that writes their data and reads their results disagree
            // (a renamed variable, an edited model file), or GLPK refused a call: not the input.
            printError(lang == .zh
                ? "planner: 模型或求解器内部错误（程序缺陷或模型文件被改动，不是输入问题），退出码 70。请报告以下信息和所用命令 (internal model/solver error, not a problem of the input):\n\(e)"
                : "planner: internal model or solver error (a bug or an edited model file, not a problem of the input); exit code 70. Please report this message and the command:\n\(e)")
            status = ExitStatus.internalError
        } catch let e as CityPlanError {
            // A plan the planner made that its own verifier does not confirm: a bug, not the input.
            printError(e.description)
            status = ExitStatus.internalError
        } catch {
            let code = Planner.exitCode(for: error)
            let message = Planner.fullMessage(for: error)
            // The argument parser's own messages are English: say in Chinese what happened first.
            if code == .validationFailure && lang == .zh && !message.isEmpty {
                Console.err("命令行参数有误，说明如下；用 planner help <命令> 查看用法 (usage error):\n")
            }
            if !message.isEmpty {
                if code == .success { Console.out(message + "\n") } else { Console.err(message + "\n") }
            }
            status = code.rawValue
        }
        exit(finish(status, lang: lang))
    }

    /// The exit status once standard output and error are accounted for: output lost on a
    /// full disk or a closed pipe is never a success (nor a plan with shortfalls, which the
    /// user never saw).
    static func finish(_ status: Int32, lang: Lang) -> Int32 {
        guard let e = Console.failure(STDOUT_FILENO) ?? Console.failure(STDERR_FILENO) else { return status }
        let stream = Console.failure(STDOUT_FILENO) != nil ? (lang == .zh ? "标准输出" : "standard output")
                                                            : (lang == .zh ? "标准错误" : "standard error")
        let reason = String(cString: strerror(e))
        let detail = e == EPIPE ? (lang == .zh ? "（读取端已关闭）" : " (the reader has gone)") : ""
        printError(lang == .zh ? "错误：无法写出\(stream)：\(reason)\(detail)，输出不完整。"
                               : "Error: cannot write \(stream): \(reason)\(detail); the output is incomplete.")
        return [ExitStatus.ok, ExitStatus.shortfalls].contains(status) ? ExitStatus.outputStreamFailed : status
    }
}

/// SIGINT/SIGTERM/SIGHUP: blocked everywhere, taken by one thread that cleans up and re-raises.
enum Interrupts {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        // A signal the caller set to be ignored (`nohup`, a background job of a script) stays ignored.
        var handled = 0
        for s in signals {
            var old = sigaction()
            sigaction(s, nil, &old)
            if unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
            sigaddset(&set, s)
            handled += 1
        }
        guard handled > 0 else { return }
        // Before any other thread exists, so every thread inherits the mask.
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let mask = set
        let watcher = Thread {
            var set = mask
            var received: Int32 = 0
            guard sigwait(&set, &received) == 0 else { return }
            OutputFolder.abandonAll()
            signal(received, SIG_DFL)
            var one = sigset_t()
            sigemptyset(&one)
            sigaddset(&one, received)
            pthread_sigmask(SIG_UNBLOCK, &one, nil)
            kill(getpid(), received)
            raise(received)
            _exit(128 + received)
        }
        watcher.name = "planner-signals"
        watcher.start()
    }
}

/// Fatal signals end the process at once (exit 70) instead of starting the runtime's backtracer.
enum FatalSignals {
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<UInt8>? = nil
    nonisolated(unsafe) private static var length = 0

    static func install(_ lang: Lang) {
        guard ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] == nil else { return }
        let text = lang == .zh
            ? "planner：内部错误（程序缺陷，不是输入问题），已终止，退出码 70；请将上面的错误信息（如有 Fatal error 行）、所用命令与输入文件报告给维护者；设置 SWIFT_BACKTRACE=enable=yes 重新运行可得完整调用栈。\n"
            : "planner: internal error (a bug, not a problem of the input); stopped with exit code 70. Please report the message above (a Fatal error line, if any), the command and its input files; run again with SWIFT_BACKTRACE=enable=yes for a full backtrace.\n"
        let bytes = Array(text.utf8)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        message = buffer
        length = bytes.count
        for s in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                // Only async-signal-safe calls: write(2) and _exit(2).
                if let m = FatalSignals.message { _ = Glibc.write(STDERR_FILENO, m, FatalSignals.length) }
                _exit(70) // ExitStatus.internalError, a literal: nothing lazily initialised in a handler
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(s, &action, nil)
        }
    }
}

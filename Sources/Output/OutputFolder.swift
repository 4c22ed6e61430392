import Foundation
import Ledger
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output folder written all or nothing (`--out` of plan, roster, replan, whatif, generate).
///
/// `open` checks the target, takes an exclusive lock on it and makes a staging folder beside it
/// (same parent, so the same file system); the caller writes the complete new folder into
/// `staging`; `commit` swaps it in: the old folder is renamed aside, the new one renamed onto
/// the target, the old one deleted. A reader sees the old folder or the new one, never a mix,
/// and nothing of an earlier output (another language, another year) is left beside the new.
///
/// - The target must be a new path or a folder: a symlink, a FIFO, a device, a socket or a
///   regular file is refused (`OutputError.refused`) and left untouched. An existing folder
///   must be empty, or hold the marker file `.planner-output` every output folder gets, or
///   hold only files `recognises` accepts (folders written before the marker existed); any
///   other folder is refused, so that files a person keeps there are never deleted.
/// - The lock is `flock` on `.<name>.lock` beside the target (kept there afterwards: deleting
///   a lock file races with a run that is opening it). A second run into the same target fails
///   at once with `OutputError.busy`.
/// - Staging folders are `.<name>.staging-<pid>-<uuid>`, old folders set aside
///   `.<name>.old-<uuid>`. `abandonAll()` removes this process's (call it from a signal
///   handler's thread); `open` removes those a killed run left, and puts an old folder back
///   when a run died between the two renames of a swap.
public final class OutputFolder: @unchecked Sendable {
    /// The marker file in every output folder: its presence says the folder may be replaced.
    public static let markerName = ".planner-output"
    static let markerText = "enforcement-planner output folder: the planner replaces this folder as a whole on its next run into it.\n"

    /// The target as given, without trailing slashes.
    public let path: String
    /// Where the caller writes the complete new folder.
    public let staging: String
    let parent: String
    let name: String
    private var lockDescriptor: Int32
    private var finished = false

    private init(path: String, parent: String, name: String, staging: String, lockDescriptor: Int32) {
        self.path = path; self.parent = parent; self.name = name; self.staging = staging; self.lockDescriptor = lockDescriptor
    }

    deinit { discard() }

    /// Checks the target, locks it, clears what killed runs left, and makes the staging folder.
    public static func open(_ given: String, recognises: (String) -> Bool = { _ in false }) throws -> OutputFolder {
        // Without trailing slashes: `lstat("link/")` would follow a symlink.
        let (path, parent, name) = try split(given)
        // What the target is, before anything is created beside it (no lock file beside a
        // device); checked again, with the folder's contents, under the lock.
        try checkTarget(path, contents: false, recognises: { _ in false })
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw OutputError.writeFailed(parent, "无法创建上级文件夹 (cannot create the parent folder): \(error.localizedDescription)")
        }
        let lockPath = join(parent, ".\(name).lock")
        let fd = Glibc_open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw OutputError.system(path, "无法创建锁文件 \(lockPath) (cannot create the lock file)", errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let e = errno
            close(fd)
            if e == EWOULDBLOCK {
                throw OutputError.busy(path, "另一个 planner 正在写入该文件夹，请待其结束后再运行 (another planner run is writing this folder; run again when it has finished)")
            }
            throw OutputError.system(path, "无法锁定 \(lockPath) (cannot lock)", errno: e)
        }
        do {
            try recoverAndClean(parent: parent, name: name, target: path)
            try checkTarget(path, contents: true, recognises: recognises)
            let staging = join(parent, ".\(name).staging-\(getpid())-\(UUID().uuidString)")
            guard mkdir(staging, 0o755) == 0 else { throw OutputError.system(path, "无法创建暂存文件夹 \(staging) (cannot create the staging folder)", errno: errno) }
            let folder = OutputFolder(path: path, parent: parent, name: name, staging: staging, lockDescriptor: fd)
            Registry.shared.add(staging)
            try folder.writeMarker()
            return folder
        } catch {
            close(fd)
            throw error
        }
    }

    /// Swaps the staging folder in: old folder aside, new folder in, old folder deleted.
    public func commit() throws {
        guard !finished else { throw OutputError.writeFailed(path, "输出文件夹已提交或已放弃 (already committed or discarded)") }
        let aside = Self.join(parent, ".\(name).old-\(UUID().uuidString)")
        var movedAside = false
        try Registry.shared.swapping {
            var st = stat()
            if lstat(path, &st) == 0 {
                guard st.st_mode & S_IFMT == S_IFDIR else {
                    throw OutputError.refused(path, "运行期间该路径被替换为非文件夹，未写入 (the path was replaced by something other than a folder during the run; nothing written)")
                }
                guard rename(path, aside) == 0 else { throw OutputError.system(path, "无法移开原文件夹 (cannot move the old folder aside)", errno: errno) }
                movedAside = true
                Registry.shared.add(aside)
            }
            guard rename(staging, path) == 0 else {
                let e = errno
                if movedAside, rename(aside, path) == 0 { Registry.shared.remove(aside); movedAside = false }
                throw OutputError.system(path, "无法换入新文件夹 (cannot move the new folder in)", errno: e)
            }
            Registry.shared.remove(staging)
        }
        finished = true
        Self.syncDirectory(parent)
        if movedAside {
            try? FileManager.default.removeItem(atPath: aside)
            Registry.shared.remove(aside)
        }
        close(lockDescriptor)
        lockDescriptor = -1
    }

    /// Removes the staging folder and releases the lock; the target stays as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        try? FileManager.default.removeItem(atPath: staging)
        Registry.shared.remove(staging)
        if lockDescriptor >= 0 { close(lockDescriptor); lockDescriptor = -1 }
    }

    /// Removes every staging folder and set-aside old folder of this process, and lets no swap
    /// start afterwards. For the thread that handles SIGINT/SIGTERM, just before the process
    /// ends; waits for a swap in progress (two renames) to finish.
    public static func abandonAll() { Registry.shared.abandon() }

    /// For an output that is one file (`classify --out FILE`, `--write-model FILE`): a new path
    /// or an existing regular file; a symlink, folder, FIFO, device or socket is refused.
    public static func checkFileTarget(_ path: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT { return }
            throw OutputError.system(path, "无法检查该路径 (cannot examine the path)", errno: errno, code: .refused)
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw OutputError.refused(path, "是文件夹，此处须为文件 (is a folder; a file is needed here)")
        default: throw OutputError.refused(path, kindText(st.st_mode) + "，只接受新路径或普通文件 (only a new path or a regular file is accepted)")
        }
    }

    // MARK: - Private

    private func writeMarker() throws {
        let marker = Self.join(staging, Self.markerName)
        guard FileManager.default.createFile(atPath: marker, contents: Data(Self.markerText.utf8)) else {
            throw OutputError.writeFailed(marker, "无法写入 (cannot write)")
        }
    }

    /// Parent folder and last component; `.`, `..` and `/` name no folder to replace.
    static func split(_ path: String) throws -> (path: String, parent: String, name: String) {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let name = (trimmed as NSString).lastPathComponent
        guard !trimmed.isEmpty, !name.isEmpty, name != ".", name != "..", name != "/" else {
            throw OutputError.refused(path, "须给出一个文件夹名，如 --out 计划2027 (give a folder name, e.g. --out plan-2027)")
        }
        var parent = PathText.parent(trimmed)
        if parent.isEmpty { parent = "." }
        return (trimmed, parent, name)
    }

    static func join(_ a: String, _ b: String) -> String { (a as NSString).appendingPathComponent(b) }

    private static func kindText(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: return "是符号链接 (is a symbolic link)"
        case S_IFIFO: return "是命名管道 (is a FIFO)"
        case S_IFCHR, S_IFBLK: return "是设备文件 (is a device)"
        case S_IFSOCK: return "是套接字 (is a socket)"
        case S_IFREG: return "是已存在的文件 (is an existing file)"
        default: return "不是文件夹 (is not a folder)"
        }
    }

    private static func checkTarget(_ path: String, contents: Bool, recognises: (String) -> Bool) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            // Missing (or under a file: then making the parent folder fails, saying so).
            if errno == ENOENT || errno == ENOTDIR { return }
            throw OutputError.system(path, "无法检查该路径 (cannot examine the path)", errno: errno, code: .refused)
        }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            throw OutputError.refused(path, kindText(st.st_mode) + "，只接受文件夹或新路径，原样保留 (only a folder or a new path is accepted; left untouched)")
        }
        guard contents else { return }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw OutputError.refused(path, "无法读取文件夹 (cannot read the folder): \(error.localizedDescription)")
        }
        if entries.isEmpty || entries.contains(markerName) { return }
        let foreign = entries.filter { entry in
            var s = stat()
            // Never a symlink, FIFO or device, whatever its name.
            return !(lstat(join(path, entry), &s) == 0 && [S_IFREG, S_IFDIR].contains(s.st_mode & S_IFMT) && recognises(entry))
        }.sorted()
        guard foreign.isEmpty else {
            let listed = foreign.prefix(5).joined(separator: "、") + (foreign.count > 5 ? "…（共\(foreign.count)项）" : "")
            throw OutputError.refused(path, "文件夹中有不是 planner 写出的内容（\(listed)）；输出文件夹会被整体替换，为免删除这些文件，拒绝写入。请另选新文件夹或空文件夹 (the folder holds entries the planner did not write; an output folder is replaced as a whole, so it is refused to keep them: choose a new or empty folder)")
        }
    }

    /// Under the lock: puts back an old folder a run killed mid-swap left aside (the target
    /// missing), then removes every staging and old folder of this target.
    private static func recoverAndClean(parent: String, name: String, target: String) throws {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        let stagingPrefix = ".\(name).staging-", oldPrefix = ".\(name).old-"
        var st = stat()
        if lstat(target, &st) != 0 && errno == ENOENT, let old = entries.filter({ $0.hasPrefix(oldPrefix) }).sorted().first {
            _ = rename(join(parent, old), target)
        }
        for entry in entries where entry.hasPrefix(stagingPrefix) || entry.hasPrefix(oldPrefix) {
            let p = join(parent, entry)
            guard lstat(p, &st) == 0 else { continue }
            try? FileManager.default.removeItem(atPath: p)
        }
    }

    private static func syncDirectory(_ dir: String) {
        let fd = Glibc_open(dir, O_RDONLY | O_CLOEXEC, 0)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Paths this process must remove if it is interrupted, and the lock that keeps a swap whole.
    final class Registry: @unchecked Sendable {
        static let shared = Registry()
        /// Recursive: a swap adds and removes paths while it holds the lock.
        private let lock = NSRecursiveLock()
        private var paths: Set<String> = []
        private var abandoned = false

        func add(_ p: String) { lock.lock(); paths.insert(p); lock.unlock() }
        func remove(_ p: String) { lock.lock(); paths.remove(p); lock.unlock() }

        func swapping(_ body: () throws -> Void) throws {
            lock.lock()
            defer { lock.unlock() }
            guard !abandoned else { throw OutputError.writeFailed("", "运行已中断 (the run was interrupted)") }
            try body()
        }

        /// Never unlocks: the process is about to end. Waits at most 5 s for a swap in progress
        /// (two renames), so that a stuck swap can never keep a signal from ending the process.
        func abandon() {
            guard lock.lock(before: Date(timeIntervalSinceNow: 5)) else { return }
            abandoned = true
            for p in paths { try? FileManager.default.removeItem(atPath: p) }
            paths.removeAll()
        }
    }
}

/// `open(2)` with a mode (Swift imports the variadic C function under its own name per platform).
@inline(__always)
private func Glibc_open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Glibc)
    return Glibc.open(path, flags, mode)
    #else
    return Darwin.open(path, flags, mode)
    #endif
}

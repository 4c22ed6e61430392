import ChildProcess
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Prints HTML to an A4 PDF with headless Chromium (Debian's `chromium`, installed by
/// `.ci/setup`), page numbers in the footer, fonts embedded.
///
/// Chromium is driven over the DevTools protocol on `--remote-debugging-pipe` (JSON messages,
/// each ended by a NUL byte, read from its descriptor 3 and written to its descriptor 4; here
/// both are one end of a socket pair, so a write to a browser that has died is an error, not a
/// SIGPIPE): a page is opened on the file:// URL, its load event awaited, then `Page.printToPDF`
/// with a footer template streams the PDF back in chunks, written beside the target and renamed
/// over it (`FileOutput.write(to:)`): a failed print leaves no file.
///
/// Each print runs a fresh browser in its own process group, with a fresh profile and TMPDIR in a
/// temporary folder; on success or failure the whole group is killed, the browser reaped and the
/// folder removed. Should the planner itself be killed, the pipe closes and Chromium quits with
/// its helpers (measured: within half a second). Under root Chromium runs with `--no-sandbox`
/// (it refuses to start otherwise).
public enum PDFPrinter {
    /// "第 1 页 / 共 2 页": `%page%` is the page number, `%pages%` the page count.
    public static let chineseFooter = "第 %page% 页 / 共 %pages% 页"
    /// "Page 1 of 2".
    public static let englishFooter = "Page %page% of %pages%"
    /// The footer's fonts. WenQuanYi Micro Hei has TrueType outlines, which Chromium embeds as a
    /// subset CID TrueType font; Noto Sans CJK (CFF outlines) comes out as unnamed Type 3 fonts.
    public static let footerFonts = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif"
    public static let defaultTimeout: TimeInterval = 120
    /// Names looked for on PATH and in /usr/bin, in this order.
    public static let chromiumNames = ["chromium", "chromium-browser", "google-chrome"]

    /// No Chromium to print with: the HTML can still be written; the message says how to get
    /// the PDF.
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Chromium was found but the print failed (it would not start, crashed, timed out, could
    /// not open the HTML, or sent no PDF). `chromiumOutput` is the tail of its stderr.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let pdfPath: String
        public let reason: String
        public let chromiumOutput: String
        public var description: String {
            "无法打印 PDF (cannot print the PDF): \(pdfPath): \(reason)"
                + (chromiumOutput.isEmpty ? "" : "\nChromium 输出 (Chromium's output):\n\(chromiumOutput)")
        }
    }

    /// Prints the HTML text (written to a temporary file first: links relative to the document
    /// do not resolve; print a file for that) to `pdfPath`.
    public static func print(html: String, to pdfPath: String, footer: String = chineseFooter,
                             timeout: TimeInterval = defaultTimeout) throws {
        try run(source: .text(html), to: pdfPath, footer: footer, timeout: timeout)
    }

    /// Prints the HTML file `htmlFile` to `pdfPath`.
    public static func print(htmlFile: String, to pdfPath: String, footer: String = chineseFooter,
                             timeout: TimeInterval = defaultTimeout) throws {
        try run(source: .file(htmlFile), to: pdfPath, footer: footer, timeout: timeout)
    }

    /// The Chromium to print with: `PLANNER_CHROMIUM` when set (it must then be an executable
    /// file), else the first of `chromiumNames` on PATH or in /usr/bin.
    public static func chromium(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let advice = "请安装 chromium（apt-get install chromium）或运行 bash .ci/setup"
        let adviceEnglish = "install `chromium` (apt-get install chromium) or run `bash .ci/setup`"
        if let given = environment["PLANNER_CHROMIUM"], !given.isEmpty {
            guard isExecutableFile(given) else {
                throw Unavailable(description: "PLANNER_CHROMIUM=\(given) 不是可执行文件，无法打印 PDF；\(advice)"
                                  + " (PLANNER_CHROMIUM=\(given) is not an executable file, so no PDF can be printed: \(adviceEnglish))")
            }
            return given
        }
        var folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
        if !folders.contains("/usr/bin") { folders.append("/usr/bin") }
        for name in chromiumNames {
            for folder in folders where isExecutableFile("\(folder)/\(name)") { return "\(folder)/\(name)" }
        }
        throw Unavailable(description: "找不到 Chromium，无法打印 PDF；\(advice)"
                          + " (Chromium not found, so no PDF can be printed: \(adviceEnglish);"
                          + " looked for \(chromiumNames.joined(separator: ", ")) on PATH and in /usr/bin, or set PLANNER_CHROMIUM)")
    }

    /// The footer template: `footer` escaped, its `%page%` and `%pages%` replaced by the spans
    /// Chromium fills in. Chromium's header and footer default to a font too small to read, so
    /// the size is set.
    static func footerTemplate(_ footer: String) -> String {
        let escaped = escapeHTML(footer)
            .replacingOccurrences(of: "%pages%", with: "<span class=\"totalPages\"></span>")
            .replacingOccurrences(of: "%page%", with: "<span class=\"pageNumber\"></span>")
        return "<div style=\"width:100%; margin:0 10mm; text-align:center; font-size:9px; color:#333;"
            + " font-family:\(footerFonts);\">\(escaped)</div>"
    }

    static func escapeHTML(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Same HTML, same PDF: Chromium stamps the print's time in the document information
    /// dictionary (`/CreationDate (D:20271203051246+00'00')`, `/ModDate …`), the only bytes that
    /// differ between two prints. Each entry is overwritten by spaces (white space between a
    /// dictionary's entries, the same length, so every byte offset in the cross-reference table
    /// stays right): the PDF has no dates, as both entries are optional.
    static func blankDates(fd: Int32, path: String) throws {
        var head = [UInt8](repeating: 0, count: 4096)
        let n = pread(fd, &head, head.count, 0)
        guard n > 0 else { throw OutputError.system(path, "无法读取 (cannot read)", errno: errno) }
        head.removeLast(head.count - n)
        if blankDates(in: &head) {
            let written = head.withUnsafeBytes { pwrite(fd, $0.baseAddress, n, 0) }
            guard written == n else { throw OutputError.system(path, "无法写入 (cannot write)", errno: errno) }
        }
    }

    /// Blanks every `/CreationDate (…)` and `/ModDate (…)` entry in `bytes`; true if any.
    static func blankDates(in bytes: inout [UInt8]) -> Bool {
        var changed = false
        for key in ["/CreationDate (", "/ModDate ("].map({ Array($0.utf8) }) {
            var i = 0
            while i + key.count <= bytes.count {
                guard bytes[i..<(i + key.count)].elementsEqual(key),
                      let close = bytes[(i + key.count)...].firstIndex(of: UInt8(ascii: ")")) else { i += 1; continue }
                for j in i...close { bytes[j] = UInt8(ascii: " ") }
                changed = true
                i = close + 1
            }
        }
        return changed
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    // MARK: - One print

    enum Source {
        case text(String)
        case file(String)
    }

    static func run(source: Source, to pdfPath: String, footer: String, timeout: TimeInterval) throws {
        let browser = try chromium()
        func failure(_ reason: String, _ output: String = "") -> Failure {
            Failure(pdfPath: pdfPath, reason: reason, chromiumOutput: output)
        }
        guard timeout > 0 else { throw failure("超时须为正数 (the timeout must be positive): \(timeout)") }
        var htmlURL: String?
        if case .file(let path) = source {
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            var st = stat()
            guard stat(absolute, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(absolute, R_OK) == 0 else {
                throw failure("找不到或无法读取 HTML 文件 (no readable HTML file): \(path)")
            }
            htmlURL = URL(fileURLWithPath: absolute).absoluteString
        }
        // Errors of the print itself are kept as they are, not wrapped by FileOutput.
        var printError: Error?
        do {
            try FileOutput.write(to: pdfPath) { temporary in
                do {
                    let work = try WorkFolder()
                    defer { work.remove() }
                    if case .text(let html) = source {
                        let file = work.path + "/document.html"
                        do { try Data(html.utf8).write(to: URL(fileURLWithPath: file)) } catch {
                            throw failure("无法写出临时 HTML (cannot write the temporary HTML): \(error.localizedDescription)")
                        }
                        htmlURL = URL(fileURLWithPath: file).absoluteString
                    }
                    let session = try BrowserSession(chromium: browser, work: work, deadline: Date().addingTimeInterval(timeout),
                                                      timeout: timeout, failure: failure)
                    defer { session.end() }
                    try session.printPDF(url: htmlURL!, footerTemplate: footerTemplate(footer), to: temporary)
                } catch {
                    printError = error
                    throw error
                }
            }
        } catch {
            if let printError { throw printError }
            throw error
        }
    }
}

/// A private temporary folder: Chromium's profile, its TMPDIR (shared memory files with
/// --disable-dev-shm-usage), its stderr log and the HTML of `print(html:)`.
final class WorkFolder {
    let path: String
    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/planner-pdf-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw OutputError.system(FileManager.default.temporaryDirectory.path, "无法创建临时目录 (cannot create a temporary folder)", errno: errno)
        }
        path = String(cString: made)
        for sub in ["profile", "tmp"] { mkdir(path + "/" + sub, 0o700) }
    }
    var log: String { path + "/chromium.log" }
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The last lines of Chromium's stderr, without its D-Bus complaints (no session bus in a
    /// container is normal and harmless).
    func logTail(lines: Int = 20) -> String {
        guard let data = FileManager.default.contents(atPath: log) else { return "" }
        let text = String(decoding: data.suffix(16_384), as: UTF8.self)
        let kept = text.split(separator: "\n").filter { !$0.contains("dbus") && !$0.contains("unexpected operator") }
        return kept.suffix(lines).joined(separator: "\n")
    }
}

/// One headless browser and its DevTools pipe.
final class BrowserSession {
    let child: ChildProcess
    let work: WorkFolder
    let socket: Int32
    let deadline: Date
    let timeout: TimeInterval
    let failure: (String, String) -> PDFPrinter.Failure
    var buffer: [UInt8] = []
    /// How far `buffer` is known to hold no NUL (a message of megabytes comes in many reads).
    var scanned = 0
    var readBuffer = [UInt8](repeating: 0, count: 1 << 20)
    var nextID = 0
    var ended = false
    /// Events seen while waiting for a response: (method, sessionId).
    var events: [(String, String?)] = []

    init(chromium: String, work: WorkFolder, deadline: Date, timeout: TimeInterval,
         failure: @escaping (String, String) -> PDFPrinter.Failure) throws {
        self.work = work; self.deadline = deadline; self.timeout = timeout; self.failure = failure
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw failure("无法创建管道 (cannot create the DevTools pipe): \(String(cString: strerror(errno)))", "")
        }
        // The child's end handed on as descriptors 3 and 4; a number above them, so that
        // ChildProcess's mapping cannot collide.
        var childEnd = pair[1]
        if childEnd <= 4 {
            childEnd = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
            close(pair[1])
        }
        var argv = [chromium, "--headless", "--disable-gpu", "--remote-debugging-pipe",
                    "--user-data-dir=\(work.path)/profile", "--no-first-run", "--no-default-browser-check",
                    "--disable-extensions", "--disable-background-networking", "--disable-sync",
                    "--disable-default-apps", "--disable-dev-shm-usage", "--disable-crash-reporter",
                    "--mute-audio", "--hide-scrollbars"]
        if getuid() == 0 { argv.append("--no-sandbox") }
        argv.append("about:blank")
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = work.path + "/tmp"
        do {
            child = try ChildProcess(argv, environment: environment, output: work.log,
                                     descriptors: [3: childEnd, 4: childEnd], newProcessGroup: true)
        } catch {
            close(pair[0]); close(childEnd)
            throw failure("Chromium 无法启动 (Chromium could not start): \(error)", "")
        }
        close(childEnd)
        socket = pair[0]
    }

    /// Kills what is left of the browser's process group, reaps the browser, closes the pipe.
    func end() {
        guard !ended else { return }
        ended = true
        child.kill(SIGKILL, group: true)
        child.wait()
        close(socket)
    }

    func fail(_ reason: String) -> PDFPrinter.Failure {
        // Let a dying browser finish writing its stderr.
        _ = child.waitForEnd(seconds: 0.5)
        return failure(reason, work.logTail())
    }

    // MARK: Print

    func printPDF(url: String, footerTemplate: String, to path: String) throws {
        let target = try call("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw fail("Target.createTarget: no targetId") }
        let attached = try call("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw fail("Target.attachToTarget: no sessionId") }
        _ = try call("Page.enable", [:], session: session)
        let navigated = try call("Page.navigate", ["url": url], session: session)
        if let error = navigated["errorText"] as? String, !error.isEmpty {
            throw fail("Chromium 无法打开 HTML (Chromium cannot open the HTML): \(url): \(error)")
        }
        try waitForEvent("Page.loadEventFired", session: session)
        let printed = try call("Page.printToPDF", [
            "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": true, "printBackground": true,
            "marginTop": 0.4, "marginBottom": 0.6, "marginLeft": 0.4, "marginRight": 0.4,
            "displayHeaderFooter": true, "headerTemplate": "<span></span>", "footerTemplate": footerTemplate,
            "transferMode": "ReturnAsStream",
            // An untagged PDF: tagging (Chromium's default) made an 84-page table 19 times as
            // large (12 MB, not 0.65 MB) and took twice as long to print.
            "generateTaggedPDF": false, "generateDocumentOutline": false,
        ], session: session)
        guard let stream = printed["stream"] as? String else { throw fail("Page.printToPDF: no stream") }
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError.system(path, "无法写入 (cannot write)", errno: errno) }
        defer { close(fd) }
        var first = true
        while true {
            let chunk = try call("IO.read", ["handle": stream, "size": 4 << 20], session: session)
            let text = chunk["data"] as? String ?? ""
            let bytes: Data
            if chunk["base64Encoded"] as? Bool == true {
                guard let d = Data(base64Encoded: text) else { throw fail("IO.read: bad base64") }
                bytes = d
            } else {
                bytes = Data(text.utf8)
            }
            if first && !bytes.isEmpty {
                guard bytes.starts(with: Array("%PDF".utf8)) else { throw fail("Chromium 返回的不是 PDF (Chromium returned no PDF)") }
                first = false
            }
            try writeAll(fd, bytes, path: path)
            if chunk["eof"] as? Bool == true { break }
        }
        if first { throw fail("Chromium 返回了空的 PDF (Chromium returned an empty PDF)") }
        try PDFPrinter.blankDates(fd: fd, path: path)
        guard fsync(fd) == 0 || errno == EINVAL else { throw OutputError.system(path, "无法写入 (cannot write)", errno: errno) }
        _ = try? call("IO.close", ["handle": stream], session: session)
        // A clean close lets the browser remove its profile files; end() kills what remains.
        _ = try? send("Browser.close", [:], session: nil)
        _ = child.waitForEnd(seconds: min(5, max(0.1, deadline.timeIntervalSinceNow)))
    }

    func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw OutputError.system(path, "无法写入 (cannot write)", errno: errno)
                }
                offset += n
            }
        }
    }

    // MARK: DevTools protocol

    @discardableResult
    func send(_ method: String, _ params: [String: Any], session: String?) throws -> Int {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var offset = 0
        while offset < bytes.count {
            try waitFor(POLLOUT, doing: method)
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw fail("Chromium 意外退出 (Chromium ended unexpectedly) while sending \(method): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        return nextID
    }

    /// Sends a command and returns its result, keeping the events that arrive meanwhile.
    func call(_ method: String, _ params: [String: Any], session: String? = nil) throws -> [String: Any] {
        let id = try send(method, params, session: session)
        while true {
            let message = try receive(doing: method)
            if let got = message["id"] as? Int, got == id {
                if let error = message["error"] as? [String: Any] {
                    throw fail("\(method): \(error["message"] as? String ?? "\(error)")")
                }
                return message["result"] as? [String: Any] ?? [:]
            }
            try note(message)
        }
    }

    func waitForEvent(_ method: String, session: String) throws {
        while true {
            if events.contains(where: { $0.0 == method && $0.1 == session }) { return }
            try note(try receive(doing: "waiting for \(method)"))
        }
    }

    func note(_ message: [String: Any]) throws {
        guard let method = message["method"] as? String else { return }
        if method == "Inspector.targetCrashed" || method == "Target.targetCrashed" {
            throw fail("Chromium 的页面进程崩溃 (Chromium's page process crashed)")
        }
        if method.hasPrefix("Page.") { events.append((method, message["sessionId"] as? String)) }
    }

    /// The next whole message from the browser.
    func receive(doing what: String) throws -> [String: Any] {
        while true {
            if let end = buffer[scanned...].firstIndex(of: 0) {
                let body = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                scanned = 0
                guard let object = try? JSONSerialization.jsonObject(with: body), let message = object as? [String: Any] else {
                    throw fail("Chromium 发来无法解析的消息 (unreadable DevTools message)")
                }
                return message
            }
            scanned = buffer.count
            try waitFor(POLLIN, doing: what)
            let n = readBuffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw fail("Chromium 意外退出 (Chromium ended unexpectedly) while \(what): \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw fail("Chromium 意外退出 (Chromium ended unexpectedly) while \(what)") }
            buffer.append(contentsOf: readBuffer[..<n])
        }
    }

    /// Waits until the pipe is ready for `events`, or throws at the deadline.
    func waitFor(_ events: Int32, doing what: String) throws {
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 {
                throw fail("打印超时 (timed out after \(Int(timeout.rounded())) s) while \(what)")
            }
            var p = pollfd(fd: socket, events: Int16(events), revents: 0)
            let r = poll(&p, 1, Int32(min(left * 1000 + 1, 1_000)))
            if r < 0 && errno != EINTR {
                throw fail("poll: \(String(cString: strerror(errno)))")
            }
            if r > 0 { return }
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A headless Chromium to drive a web page as a person would — open a page, type, click, pick a
/// file, read what it shows, take a screenshot — over the same DevTools pipe `PDFPrinter`
/// prints with (one browser, its own process group, profile and TMPDIR in a temporary folder,
/// all killed and removed by `close()`). What the web application's end-to-end tests run on.
/// Cookies live for the browser's life, as in a person's browser.
public final class HeadlessBrowser {
    /// What went wrong, with the tail of Chromium's stderr.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let reason: String
        public let chromiumOutput: String
        public var description: String {
            "浏览器操作失败 (the browser failed): \(reason)" + (chromiumOutput.isEmpty ? "" : "\nChromium 输出 (Chromium's output):\n\(chromiumOutput)")
        }
    }

    private let work: WorkFolder
    private let session: BrowserSession
    private let page: String
    private var closed = false

    /// Starts Chromium (`PDFPrinter.chromium()` finds it; `PDFPrinter.Unavailable` when there is
    /// none) with a `width`×`height` window; every step must be done within `timeout` seconds of
    /// the start.
    public init(width: Int = 1280, height: Int = 900, timeout: TimeInterval = 600) throws {
        let chromium = try PDFPrinter.chromium()
        work = try WorkFolder()
        do {
            session = try BrowserSession(chromium: chromium, work: work, deadline: Date().addingTimeInterval(timeout), timeout: timeout,
                                         failure: { reason, output in PDFPrinter.Failure(pdfPath: "", reason: reason, chromiumOutput: output) })
            let target = try session.call("Target.createTarget", ["url": "about:blank"])
            guard let targetID = target["targetId"] as? String else { throw Failure(reason: "Target.createTarget: no targetId", chromiumOutput: "") }
            let attached = try session.call("Target.attachToTarget", ["targetId": targetID, "flatten": true])
            guard let s = attached["sessionId"] as? String else { throw Failure(reason: "Target.attachToTarget: no sessionId", chromiumOutput: "") }
            page = s
            _ = try session.call("Page.enable", [:], session: page)
            _ = try session.call("Emulation.setDeviceMetricsOverride",
                                 ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false], session: page)
        } catch let e as PDFPrinter.Failure {
            work.remove()
            throw Failure(reason: e.reason, chromiumOutput: e.chromiumOutput)
        }
    }

    deinit { close() }

    /// Ends the browser and removes its folder.
    public func close() {
        guard !closed else { return }
        closed = true
        session.end()
        work.remove()
    }

    private func run<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as PDFPrinter.Failure { throw Failure(reason: e.reason, chromiumOutput: e.chromiumOutput) }
    }

    private var loads: Int { session.events.filter { $0.0 == "Page.loadEventFired" && $0.1 == page }.count }

    private func waitForLoad(after count: Int) throws {
        while loads <= count { try session.note(try session.receive(doing: "waiting for the page to load")) }
    }

    /// Opens `url` and waits for its load event; throws when it cannot be reached (an HTTP error
    /// page still loads: check its content).
    public func open(_ url: String) throws {
        try run {
            let before = loads
            let r = try session.call("Page.navigate", ["url": url], session: page)
            if let error = r["errorText"] as? String, !error.isEmpty { throw Failure(reason: "\(url): \(error)", chromiumOutput: work.logTail()) }
            try waitForLoad(after: before)
        }
    }

    /// The value of a JavaScript expression in the page (a promise is awaited); a thrown
    /// exception is a `Failure`.
    @discardableResult
    public func evaluate(_ expression: String) throws -> Any? {
        try run {
            let r = try session.call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true], session: page)
            if let details = r["exceptionDetails"] as? [String: Any] {
                let text = ((details["exception"] as? [String: Any])?["description"] as? String) ?? (details["text"] as? String) ?? "\(details)"
                throw Failure(reason: "JavaScript: \(text) in \(expression)", chromiumOutput: "")
            }
            return (r["result"] as? [String: Any])?["value"]
        }
    }

    /// Runs `action` (e.g. a click on a submit button) and waits for the page it leads to.
    public func navigating(by action: String) throws {
        try run {
            let before = loads
            try evaluate(action)
            try waitForLoad(after: before)
        }
    }

    /// Waits until `condition` (a JavaScript expression) is true, polling — also across pages
    /// that reload themselves (an evaluation during a navigation counts as false); throws after
    /// `timeout` seconds with what the page shows.
    public func waitUntil(_ condition: String, timeout: TimeInterval = 30) throws {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if (try? evaluate("!!(\(condition))")) as? Bool == true { return }
            if closed { break }
            usleep(200_000)
        }
        throw Failure(reason: "等待超时 (timed out after \(Int(timeout)) s) waiting for \(condition); the page shows: \((try? text()) ?? "")", chromiumOutput: "")
    }

    /// Types `value` into the input `selector` (as if typed: input and change events fire).
    public func fill(_ selector: String, _ value: String) throws {
        let js = """
            (() => { const e = document.querySelector(\(Self.jsString(selector))); if (!e) throw new Error('no element ' + \(Self.jsString(selector)));
              e.value = \(Self.jsString(value)); e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })()
            """
        try evaluate(js)
    }

    /// Clicks `selector` and waits for the page it leads to.
    public func click(_ selector: String) throws {
        try navigating(by: "(() => { const e = document.querySelector(\(Self.jsString(selector))); if (!e) throw new Error('no element ' + \(Self.jsString(selector))); e.click(); })()")
    }

    /// Chooses `paths` in the file input `selector`, as a person picking files would.
    public func choose(files paths: [String], in selector: String) throws {
        try run {
            let document = try session.call("DOM.getDocument", [:], session: page)
            guard let root = (document["root"] as? [String: Any])?["nodeId"] as? Int else { throw Failure(reason: "DOM.getDocument: no root", chromiumOutput: "") }
            let found = try session.call("DOM.querySelector", ["nodeId": root, "selector": selector], session: page)
            guard let node = found["nodeId"] as? Int, node != 0 else { throw Failure(reason: "no element \(selector)", chromiumOutput: "") }
            _ = try session.call("DOM.setFileInputFiles", ["files": paths, "nodeId": node], session: page)
        }
    }

    /// The page's visible text.
    public func text() throws -> String { try evaluate("document.body ? document.body.innerText : ''") as? String ?? "" }

    /// The current address.
    public func url() throws -> String { try evaluate("location.href") as? String ?? "" }

    /// A PNG of the whole page (beyond the window) at `path`.
    public func screenshot(to path: String) throws {
        try run {
            let r = try session.call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true], session: page)
            guard let text = r["data"] as? String, let data = Data(base64Encoded: text) else {
                throw Failure(reason: "Page.captureScreenshot: no image", chromiumOutput: "")
            }
            try data.write(to: URL(fileURLWithPath: path))
        }
    }

    /// `s` as a JavaScript string literal.
    static func jsString(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s])
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}

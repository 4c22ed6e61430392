import CGLPK
import CGLPKGuard

/// GLPK keeps one environment (heap, terminal settings, hooks) per thread.
/// An `EnvironmentStamp` records the thread and the environment generation an
/// object was created under, so every later call can check it is still valid.
struct EnvironmentStamp: Equatable {
    let thread: UInt64
    let generation: UInt64

    static var current: EnvironmentStamp {
        EnvironmentStamp(thread: cglpk_thread_id(), generation: cglpk_env_generation())
    }

    /// Throws unless the calling thread and its GLPK environment are the ones
    /// this object was created under.
    func check(_ what: @autoclosure () -> String) throws {
        let now = EnvironmentStamp.current
        if now.thread != thread {
            throw GLPKError.wrongThread(
                "\(what()) was created on another thread; GLPK keeps its state per thread, "
                    + "so a model must be created, solved and released on one thread")
        }
        if now.generation != generation {
            throw GLPKError.environmentLost(
                "\(what()) no longer exists: a GLPK fatal error on this thread reset GLPK's "
                    + "environment, which frees every GLPK object of the thread; build the model again")
        }
    }

    /// True when the object may be freed with GLPK on the calling thread.
    var isReleasableHere: Bool { EnvironmentStamp.current == self }
}

/// Runs `body` with GLPK's terminal output captured into a string.
///
/// `echo` also lets GLPK print to stdout (for message levels other than off).
/// Only GLPK calls inside `body` on this thread are affected; outside captures
/// the module keeps terminal output switched off.
func withCapturedTerminal<T>(echo: Bool = false, _ body: () throws -> T) rethrows -> (T, String) {
    cglpk_capture_begin(echo ? 1 : 0)
    var ended = false
    defer { if !ended { _ = cglpk_capture_end() } }
    let value = try body()
    ended = true
    let text = String(cString: cglpk_capture_end())
    return (value, text)
}

/// Runs one guarded GLPK call. `call` receives the `fatal` out-flag to pass to
/// a `cglpk_*` wrapper. If GLPK hit a fatal error, throws
/// ``GLPKError/Code/glpkFatalError`` carrying GLPK's text.
func guarded(_ operation: String, echo: Bool = false,
             _ call: (UnsafeMutablePointer<Int32>) -> Int32) throws -> (code: Int32, output: String) {
    var fatal: Int32 = 0
    let (code, output) = withCapturedTerminal(echo: echo) { call(&fatal) }
    if fatal != 0 {
        throw GLPKError.glpkFatal(during: operation, output: output)
    }
    return (code, output)
}

/// Makes sure GLPK prints nothing on this thread outside our captures.
func quietTerminal() {
    glp_term_out(GLP_OFF)
}

// MARK: - Names

enum NameRules {
    /// GLPK aborts on names longer than this many bytes.
    static let maxBytes = 255

    /// Checks a row, column, objective or problem name. Names must be 1...255
    /// UTF-8 bytes with no whitespace and no control characters: GLPK aborts
    /// on long names and control characters, and whitespace would break the
    /// MPS and CPLEX LP files that `write(to:format:)` produces.
    static func validate(_ name: String, what: String) throws {
        if name.isEmpty {
            throw GLPKError.invalidName("\(what) name is empty; give every \(what) a name")
        }
        let bytes = name.utf8.count
        if bytes > maxBytes {
            let shown = String(name.prefix(40))
            throw GLPKError.invalidName(
                "\(what) name '\(shown)…' is \(bytes) bytes long; GLPK allows at most \(maxBytes) bytes")
        }
        for scalar in name.unicodeScalars {
            if scalar.properties.isWhitespace {
                throw GLPKError.invalidName(
                    "\(what) name '\(name)' contains whitespace; names must be single tokens "
                        + "so that MPS and LP exports stay valid (use '_' instead)")
            }
            if scalar.value < 0x20 || scalar.value == 0x7F
                || scalar.properties.generalCategory == .control
            {
                throw GLPKError.invalidName(
                    "\(what) name '\(name.debugDescription)' contains a control character, which GLPK rejects")
            }
        }
    }
}

// MARK: - Bounds

/// A validated (type, lower, upper) triple ready for glp_set_{row,col}_bnds.
struct GLPKBounds: Equatable {
    let type: Int32
    let lower: Double
    let upper: Double

    /// `nil` or an infinity pointing outwards means "no bound".
    static func make(lower: Double?, upper: Double?, what: @autoclosure () -> String) throws -> GLPKBounds {
        if let l = lower, l.isNaN {
            throw GLPKError.invalidBounds("\(what()): lower bound is NaN")
        }
        if let u = upper, u.isNaN {
            throw GLPKError.invalidBounds("\(what()): upper bound is NaN")
        }
        if let l = lower, l == .infinity {
            throw GLPKError.invalidBounds("\(what()): lower bound is +∞, so no value is allowed")
        }
        if let u = upper, u == -.infinity {
            throw GLPKError.invalidBounds("\(what()): upper bound is −∞, so no value is allowed")
        }
        let lo = lower.flatMap { $0 == -.infinity ? nil : $0 }
        let hi = upper.flatMap { $0 == .infinity ? nil : $0 }
        switch (lo, hi) {
        case (nil, nil):
            return GLPKBounds(type: GLP_FR, lower: 0, upper: 0)
        case (let l?, nil):
            return GLPKBounds(type: GLP_LO, lower: l, upper: 0)
        case (nil, let u?):
            return GLPKBounds(type: GLP_UP, lower: 0, upper: u)
        case (let l?, let u?):
            if l > u {
                throw GLPKError.invalidBounds("\(what()): lower bound \(l) is greater than upper bound \(u)")
            }
            return l == u
                ? GLPKBounds(type: GLP_FX, lower: l, upper: l)
                : GLPKBounds(type: GLP_DB, lower: l, upper: u)
        }
    }
}

import CGLPK
import CGLPKGuard

/// Facts about the GLPK library in use.
public enum GLPKDiagnostics {
    /// GLPK's version, e.g. "5.0".
    public static var version: String { String(cString: glp_version()) }

    /// Whether GLPK was built with thread-local environments (Debian's is:
    /// `_Thread_local`). Without it, GLPK must not be used from two threads at all.
    public static var isThreadLocal: Bool { glp_config("TLS") != nil }

    /// Makes GLPK raise a genuine fatal error under the guard (tests only).
    /// Resets the calling thread's GLPK environment.
    static func provokeFatalErrorForTesting() throws {
        _ = try guarded("a deliberate fatal-error test") { fatal in
            cglpk_provoke_fatal_error_for_testing(fatal)
        }
    }
}

import Crypto
import Foundation

/// SHA-256 of a file's bytes, in lowercase hex: how a plan names the plan it re-plans, so that
/// the kept draws can be checked against exactly that file (`planner verify --previous`).
public enum FileDigest {
    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

import Crypto
import Foundation

// The verifiable random draw `sha256-weighted/1` of the data contract (DATA.md §5), used for
// 双随机: random units and random inspectors. Anyone holding the published seed, draw id, pool
// and weights can re-run it with a few lines of any language (the Python reference is in
// Tests/PolicyTests/RandomDrawTests.swift).

/// One member of a draw's pool: a unit (unified social credit code) or an inspector id, with
/// its weight `w > 0`. A member of weight 2 behaves like two tickets of weight 1.
public struct DrawMember: Hashable, Sendable {
    public let id: String
    public let weight: Double

    public init(id: String, weight: Double = 1) {
        self.id = id
        self.weight = weight
    }
}

/// The record of one draw, everything needed to publish it and re-run it.
public struct DrawResult: Hashable, Sendable {
    /// The draw's id, e.g. `D-2027-03` or `R-2027-03-V-0007`.
    public let id: String
    /// The published seed; written in decimal in the hashed text.
    public let seed: UInt64
    /// Always `RandomDraw.method` (`sha256-weighted/1`).
    public let method: String
    public let poolSize: Int
    /// `RandomDraw.poolSHA256` of the pool's ids: proves which pool was used.
    public let poolSHA256: String
    /// How many were asked for; `drawn` is shorter when the pool is smaller than `k`.
    public let k: Int
    /// The first `min(k, poolSize)` of `ranking`, best first.
    public let drawn: [String]
    /// The full ranking of the pool, best first (score descending, ties by id bytes ascending).
    public let ranking: [String]

    public init(id: String, seed: UInt64, method: String = RandomDraw.method, poolSize: Int,
                poolSHA256: String, k: Int, drawn: [String], ranking: [String]) {
        self.id = id; self.seed = seed; self.method = method; self.poolSize = poolSize
        self.poolSHA256 = poolSHA256; self.k = k; self.drawn = drawn; self.ranking = ranking
    }
}

/// A pool or request that cannot be drawn from. The message is Chinese, then English in brackets,
/// and names the offending member.
public struct DrawError: Error, CustomStringConvertible, Hashable, Sendable {
    private enum Kind: Hashable, Sendable {
        case weightNotPositive(member: String, weight: Double)
        case weightNotFinite(member: String, weight: Double)
        case duplicateMember(String)
        case negativeK(Int)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    static func weightNotPositive(_ member: String, _ weight: Double) -> DrawError {
        DrawError(.weightNotPositive(member: member, weight: weight))
    }
    static func weightNotFinite(_ member: String, _ weight: Double) -> DrawError {
        DrawError(.weightNotFinite(member: member, weight: weight))
    }
    static func duplicateMember(_ member: String) -> DrawError { DrawError(.duplicateMember(member)) }
    static func negativeK(_ k: Int) -> DrawError { DrawError(.negativeK(k)) }

    /// The pool member at fault, if the error is about one.
    public var member: String? {
        switch kind {
        case .weightNotPositive(let m, _), .weightNotFinite(let m, _), .duplicateMember(let m): return m
        case .negativeK: return nil
        }
    }

    public var description: String {
        switch kind {
        case let .weightNotPositive(m, w):
            return "抽取池中成员「\(m)」的权重必须大于0，当前为\(w) (weight of pool member \"\(m)\" must be > 0, got \(w))"
        case let .weightNotFinite(m, w):
            return "抽取池中成员「\(m)」的权重必须是有限的正数，当前为\(w) (weight of pool member \"\(m)\" must be a finite number > 0, got \(w))"
        case let .duplicateMember(m):
            return "抽取池中成员「\(m)」重复出现 (pool member \"\(m)\" is listed more than once)"
        case let .negativeK(k):
            return "抽取数量不能为负数，当前为\(k) (the number to draw, k, must be >= 0, got \(k))"
        }
    }
}

/// The draw `sha256-weighted/1` (DATA.md §5): Efraimidis–Spirakis weighted sampling without
/// replacement, with the randomness taken from SHA-256 so that anyone can re-run it.
///
/// For each member `m` of the pool, with weight `w`:
/// 1. `h = SHA-256(UTF-8("<seed>:<id>:<m>"))`, the seed written in decimal (no sign, no leading
///    zeros), the draw id and member id as given (no escaping, no normalisation).
/// 2. `n` = the first 8 bytes of `h` as a big-endian unsigned integer;
///    `u = (n + 0.5) / 2^64`, evaluated in IEEE-754 binary64 exactly as
///    `(Double(n) + 0.5) / 18446744073709551616.0`: `n` is first rounded to the nearest double
///    (ties to even), then 0.5 is added (rounded), then the sum is divided by 2^64 (exact, a
///    power of two). Python's `(n + 0.5) / 2**64` with `n` an int does the identical arithmetic
///    (`int + float` converts `n` to the nearest float first, and `2**64` converts exactly).
///    The result lies in (0, 1]: the spec's `0 < u < 1` holds except when `n ≥ 2^64 − 2^10`,
///    where `Double(n)` rounds up to 2^64 and `u` is 1.0 (chance 2^-54), giving score 0, the
///    best possible; Python gives the same 1.0.
/// 3. `score = ln(u) / w` (the C library's `log`, as Python's `math.log`; glibc's is accurate
///    to under 1 ulp, so another libm could reorder two members only if their scores were
///    within about an ulp of each other).
/// 4. Rank by score descending; equal scores by member id ascending, comparing the ids' UTF-8
///    bytes (the same as comparing Unicode scalar values; not Swift's `String <`, which compares
///    canonical equivalents as equal). The first `k` of the ranking are drawn.
public enum RandomDraw {
    public static let method = "sha256-weighted/1"

    /// Draws `k` members (all of them, ranked, when `k` exceeds the pool).
    ///
    /// Throws `DrawError` for a weight that is not a finite number > 0, a member id listed twice
    /// (ids that Swift treats as equal, i.e. canonically equivalent, count as the same), or `k < 0`.
    public static func draw(seed: UInt64, id: String, pool: [DrawMember], k: Int) throws -> DrawResult {
        guard k >= 0 else { throw DrawError.negativeK(k) }
        let ranking = try rank(seed: seed, id: id, pool: pool)
        return DrawResult(id: id, seed: seed, method: method, poolSize: pool.count,
                          poolSHA256: poolSHA256(pool.map(\.id)), k: k,
                          drawn: Array(ranking.prefix(k)), ranking: ranking)
    }

    /// `draw` for a pool best given in ascending byte order of its ids: the same `drawn`,
    /// `poolSize` and `poolSHA256`, ranking only the first `k` (`ranking` holds just those
    /// `min(k, poolSize)`, i.e. `drawn`). A pool in another order is drawn the same, sorted first.
    /// Many pools of the same members are drawn faster from one `DrawTable`.
    ///
    /// Throws as `draw` does.
    public static func drawTop(seed: UInt64, id: String, sortedPool pool: [DrawMember], k: Int) throws -> DrawResult {
        try DrawTable(pool).draw(seed: seed, id: id, positions: Array(pool.indices), k: k).result
    }

    /// The full ranking of the pool, best first. Throws as `draw` does for the pool.
    public static func rank(seed: UInt64, id: String, pool: [DrawMember]) throws -> [String] {
        try validate(pool)
        var hasher = MemberHasher(seed: seed, id: id)
        var scored: [Scored] = []
        scored.reserveCapacity(pool.count)
        for (i, m) in pool.enumerated() {
            scored.append(Scored(score: log(hasher.u(m.id)) / m.weight, index: i))
        }
        scored.sort { a, b in
            // Step 4's order (`ranksBefore`), with the ids looked up only on equal scores.
            if a.score != b.score { return a.score > b.score }
            return ranksBefore((a.score, pool[a.index].id), (b.score, pool[b.index].id))
        }
        return scored.map { pool[$0.index].id }
    }

    /// The member's `u` in (0, 1] for this seed and draw id (steps 1–2).
    public static func u(seed: UInt64, id: String, member: String) -> Double {
        var hasher = MemberHasher(seed: seed, id: id)
        return hasher.u(member)
    }

    /// The pool's fingerprint: lowercase hex SHA-256 of the ids sorted ascending by their UTF-8
    /// bytes and joined with `"\n"` (no trailing newline). An empty pool hashes the empty text.
    /// Order of the input does not matter.
    public static func poolSHA256(_ ids: [String]) -> String {
        // Byte order (DATA.md §5). For ASCII ids (credit codes, staff numbers) String's own
        // order is byte order and several times faster than comparing UTF-8 views.
        // Ids already in that order (a pool filtered from a sorted list) are not sorted again.
        if zip(ids, ids.dropFirst()).allSatisfy({ idPrecedes($0, $1) }) { return joinedSHA256(ids) }
        let sorted = ids.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) ? ids.sorted() : ids.sorted(by: idPrecedes)
        return joinedSHA256(sorted)
    }

    /// SHA-256 of the ids, in the order given, joined with `"\n"`, hashed as they stream by.
    static func joinedSHA256<S: Sequence>(_ ids: S) -> String where S.Element == String {
        var h = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        var first = true
        for s in ids {
            if !first { buffer.append(0x0A) }
            first = false
            buffer.append(contentsOf: s.utf8)
            if buffer.count >= 1 << 15 { h.update(data: buffer); buffer.removeAll(keepingCapacity: true) }
        }
        h.update(data: buffer)
        return hex(h.finalize())
    }

    // MARK: - Internals (internal for tests)

    /// A member's score and its index in the pool.
    struct Scored {
        let score: Double
        let index: Int
    }

    /// The ranking order of step 4 for two (score, id) pairs: true when `a` ranks before `b`.
    static func ranksBefore(_ a: (score: Double, id: String), _ b: (score: Double, id: String)) -> Bool {
        if a.score != b.score { return a.score > b.score }
        return idPrecedes(a.id, b.id)
    }

    /// Step 2's `u` from `n`: `(Double(n) + 0.5) / 2^64` in IEEE double.
    static func u(n: UInt64) -> Double {
        (Double(n) + 0.5) / 18446744073709551616.0
    }

    /// Byte-wise (UTF-8) ascending order of ids.
    public static func idPrecedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static func validate(_ pool: [DrawMember]) throws {
        var seen = Set<String>(minimumCapacity: pool.count)
        for m in pool {
            guard m.weight.isFinite else { throw DrawError.weightNotFinite(m.id, m.weight) }
            guard m.weight > 0 else { throw DrawError.weightNotPositive(m.id, m.weight) }
            guard seen.insert(m.id).inserted else { throw DrawError.duplicateMember(m.id) }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex(_ digest: SHA256.Digest) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in digest {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Hashes `"<seed>:<id>:<member>"` for many members: the prefix bytes are built once and each
/// member's UTF-8 bytes are appended into the same reused buffer.
private struct MemberHasher {
    private var buffer: [UInt8]
    private let prefixCount: Int

    init(seed: UInt64, id: String) {
        var b = Array(String(seed).utf8)
        b.append(UInt8(ascii: ":"))
        b.append(contentsOf: id.utf8)
        b.append(UInt8(ascii: ":"))
        prefixCount = b.count
        b.reserveCapacity(prefixCount + 64)
        buffer = b
    }

    /// `u = (n + 0.5) / 2^64` for `member`, in the exact double arithmetic of `RandomDraw`.
    mutating func u(_ member: String) -> Double {
        buffer.removeSubrange(prefixCount...)
        buffer.append(contentsOf: member.utf8)
        let digest = buffer.withUnsafeBytes { raw -> SHA256.Digest in
            var h = SHA256()
            h.update(bufferPointer: raw)
            return h.finalize()
        }
        let n = digest.withUnsafeBytes { raw -> UInt64 in
            var n: UInt64 = 0
            for i in 0..<8 { n = n << 8 | UInt64(raw[i]) }
            return n
        }
        return RandomDraw.u(n: n)
    }
}

extension RandomDraw {
    /// FREQ-GENERAL-RANDOM: the general units to draw in a year, ⌈rate × G⌉ of `G` general units
    /// (a rate of 5% of 50 units draws 3).
    public static func minimum(rate: Double, of generalUnits: Int) -> Int {
        PolicyArithmetic.ceiling(rate * Double(generalUnits) - 1e-9)
    }
}

import Crypto
import Foundation

/// The members of a year's draws laid out once (issue 11): their ids' UTF-8 bytes in ascending
/// byte order, back to back, each followed by `"\n"`, with their weights. A draw's pool is then a
/// list of positions in this table, ascending: the pool's fingerprint text (DATA.md §5) is a
/// handful of slices of the bytes, each member is hashed from its bytes with no string touched,
/// and ties in the ranking (equal scores, ids by bytes) are ties of position.
///
/// `RandomDraw.drawTop` draws through a table of its one pool; a plan (13 draws over the same
/// general units) and the verifier re-running them each build one table and draw every pool from it.
public struct DrawTable: Sendable {
    /// Ids in ascending byte order, each followed by `"\n"`.
    private let bytes: [UInt8]
    /// `count + 1` offsets: the id at position `p` is `bytes[starts[p] ..< starts[p + 1] - 1]`.
    private let starts: [Int]
    private let weights: [Double]
    /// For each position, the index of its member in the list the table was built from.
    public let order: [Int]
    /// When some ids are equal as Swift compares them (the same bytes, or canonically equivalent
    /// texts): for each position, the first position of its equal ids (itself when it has none).
    /// `nil` when every id is distinct, as in a sound ledger.
    private let sameAs: [Int]?
    /// Positions by id, kept only when an id is not ASCII (canonical equivalence is then not
    /// byte equality, so a byte search cannot find an id's positions).
    private let byId: [String: [Int]]?

    public var count: Int { order.count }

    /// The table of `members`, in any order. Bad weights and repeated ids are not errors here:
    /// they are reported by the draws whose pools hold them, as `RandomDraw.draw` would.
    public init(_ members: [DrawMember]) {
        var raw: [UInt8] = []
        raw.reserveCapacity(members.count * 20)
        var rawStarts: [Int] = [0]
        rawStarts.reserveCapacity(members.count + 1)
        for m in members {
            raw.append(contentsOf: m.id.utf8)
            raw.append(0x0A)
            rawStarts.append(raw.count)
        }
        let ascii = !raw.contains { $0 >= 0x80 }
        let n = members.count
        // Byte order of two members of `raw` (by index), ties by index: a total order.
        let perm: [Int] = raw.withUnsafeBufferPointer { buf -> [Int] in
            func compare(_ a: Int, _ b: Int) -> Int {
                Self.compare(buf, rawStarts[a], rawStarts[a + 1] - 1, rawStarts[b], rawStarts[b + 1] - 1)
            }
            var ascending = true
            for i in 1..<max(1, n) where compare(i - 1, i) > 0 { ascending = false; break }
            if ascending { return Array(0..<n) }
            return (0..<n).sorted { a, b in
                let c = compare(a, b)
                return c != 0 ? c < 0 : a < b
            }
        }
        var bytes = raw, starts = rawStarts
        if !perm.elementsEqual(0..<n) {
            var sorted: [UInt8] = []
            sorted.reserveCapacity(raw.count)
            var sortedStarts: [Int] = [0]
            sortedStarts.reserveCapacity(n + 1)
            for i in perm {
                sorted.append(contentsOf: raw[rawStarts[i] ..< rawStarts[i + 1]])
                sortedStarts.append(sorted.count)
            }
            bytes = sorted; starts = sortedStarts
        }
        self.bytes = bytes
        self.starts = starts
        order = perm
        weights = perm.map { members[$0].weight }
        if ascii {
            // Equal ids are equal bytes, and neighbours in byte order.
            var same: [Int]? = nil
            bytes.withUnsafeBufferPointer { buf in
                for p in 1..<max(1, n) where Self.compare(buf, starts[p - 1], starts[p] - 1, starts[p], starts[p + 1] - 1) == 0 {
                    if same == nil { same = Array(0..<n) }
                    same![p] = same![p - 1]
                }
            }
            sameAs = same
            byId = nil
        } else {
            var positions: [String: [Int]] = [:]
            for (p, i) in perm.enumerated() { positions[members[i].id, default: []].append(p) }
            var same = Array(0..<n)
            var repeated = false
            for list in positions.values where list.count > 1 {
                repeated = true
                for p in list { same[p] = list[0] }
            }
            sameAs = repeated ? same : nil
            byId = positions
        }
    }

    /// The id at a position.
    public func id(_ p: Int) -> String {
        String(decoding: bytes[starts[p] ..< starts[p + 1] - 1], as: UTF8.self)
    }

    /// The positions holding `id` (Swift's equality: several only in a table with repeated ids),
    /// ascending; empty when it is not a member.
    public func positions(of id: String) -> [Int] {
        if let byId { return byId[id] ?? [] }
        let key = Array(id.utf8)
        return bytes.withUnsafeBufferPointer { buf in
            key.withUnsafeBufferPointer { k in
                func compareTo(_ p: Int) -> Int {
                    let a = starts[p], n = starts[p + 1] - 1 - a
                    let common = min(n, k.count)
                    let c = common == 0 ? 0 : memcmp(buf.baseAddress! + a, k.baseAddress!, common)
                    return c != 0 ? Int(c) : n - k.count
                }
                var lo = 0, hi = count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if compareTo(mid) < 0 { lo = mid + 1 } else { hi = mid }
                }
                var found: [Int] = []
                while lo < count && compareTo(lo) == 0 { found.append(lo); lo += 1 }
                return found
            }
        }
    }

    /// The draw `sha256-weighted/1` of the members at `positions` (ascending, each at most once):
    /// the same result as `RandomDraw.draw` of those members, with `ranking` just the drawn, and the
    /// drawn as positions too. Throws `DrawError` for the first member, in byte order, with a weight
    /// that is not a finite number > 0 or an id equal to an earlier one's, or for `k < 0`.
    public func draw(seed: UInt64, id drawId: String, positions pool: [Int], k: Int) throws -> (result: DrawResult, drawn: [Int]) {
        guard k >= 0 else { throw DrawError.negativeK(k) }
        var seen = Set<Int>()
        var last = -1
        for p in pool {
            precondition(p > last && p < count, "a pool's positions must ascend within the table")
            last = p
            let w = weights[p]
            guard w.isFinite else { throw DrawError.weightNotFinite(id(p), w) }
            guard w > 0 else { throw DrawError.weightNotPositive(id(p), w) }
            if let sameAs, !seen.insert(sameAs[p]).inserted { throw DrawError.duplicateMember(id(p)) }
        }
        let drawn = top(seed: seed, drawId: drawId, pool: pool, k: k)
        let ids = drawn.map(id)
        let result = DrawResult(id: drawId, seed: seed, method: RandomDraw.method, poolSize: pool.count,
                                poolSHA256: fingerprint(pool), k: k, drawn: ids, ranking: ids)
        return (result, drawn)
    }

    /// `RandomDraw.poolSHA256` of the pool: its ids are in byte order already, and a run of
    /// neighbouring positions is one slice of the table's text (a later run takes the `"\n"` before it).
    func fingerprint(_ pool: [Int]) -> String {
        var h = SHA256()
        bytes.withUnsafeBytes { buf in
            var i = 0
            while i < pool.count {
                var j = i
                while j + 1 < pool.count && pool[j + 1] == pool[j] + 1 { j += 1 }
                let from = starts[pool[i]] - (i > 0 ? 1 : 0), to = starts[pool[j] + 1] - 1
                h.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buf[from ..< to]))
                i = j + 1
            }
        }
        return RandomDraw.hex(h.finalize())
    }

    /// The first `min(k, pool.count)` positions of the ranking, best first: every member scored
    /// from its bytes, then a bounded heap of the `k` best (its root the worst kept), sorted. With
    /// distinct ids, step 4's tie by id bytes is the tie by position.
    private func top(seed: UInt64, drawId: String, pool: [Int], k: Int) -> [Int] {
        let n = min(k, pool.count)
        guard n > 0 else { return [] }
        var prefix = Array(String(seed).utf8)
        prefix.append(UInt8(ascii: ":"))
        prefix.append(contentsOf: drawId.utf8)
        prefix.append(UInt8(ascii: ":"))
        let longest = pool.reduce(0) { max($0, starts[$1 + 1] - 1 - starts[$1]) }
        var message = [UInt8](repeating: 0, count: prefix.count + longest)
        message.replaceSubrange(0 ..< prefix.count, with: prefix)
        typealias Scored = RandomDraw.Scored
        func better(_ a: Scored, _ b: Scored) -> Bool {
            a.score != b.score ? a.score > b.score : a.index < b.index
        }
        return bytes.withUnsafeBytes { table in
            message.withUnsafeMutableBytes { msg in
                let head = prefix.count
                func score(_ p: Int) -> Scored {
                    let from = starts[p], length = starts[p + 1] - 1 - from
                    if length > 0 { (msg.baseAddress! + head).copyMemory(from: table.baseAddress! + from, byteCount: length) }
                    var h = SHA256()
                    h.update(bufferPointer: UnsafeRawBufferPointer(rebasing: msg[0 ..< head + length]))
                    let digest = h.finalize()
                    let top8 = digest.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
                    return Scored(score: log(RandomDraw.u(n: top8)) / weights[p], index: p)
                }
                if n == pool.count {
                    var all = pool.map(score)
                    all.sort(by: better)
                    return all.map(\.index)
                }
                // heap[0] is the worst kept: a parent is never better than its children.
                var heap: [Scored] = []
                heap.reserveCapacity(n)
                for p in pool {
                    let s = score(p)
                    if heap.count < n {
                        heap.append(s)
                        var c = heap.count - 1
                        while c > 0 {
                            let parent = (c - 1) / 2
                            guard better(heap[parent], heap[c]) else { break }
                            heap.swapAt(parent, c); c = parent
                        }
                    } else if better(s, heap[0]) {
                        heap[0] = s
                        var i = 0
                        while true {
                            let l = 2 * i + 1, r = l + 1
                            var worst = i
                            if l < n && better(heap[worst], heap[l]) { worst = l }
                            if r < n && better(heap[worst], heap[r]) { worst = r }
                            if worst == i { break }
                            heap.swapAt(i, worst); i = worst
                        }
                    }
                }
                heap.sort(by: better)
                return heap.map(\.index)
            }
        }
    }

    /// memcmp order of two byte ranges of `buf`, the shorter first on a common prefix.
    private static func compare(_ buf: UnsafeBufferPointer<UInt8>, _ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Int {
        let la = aEnd - a, lb = bEnd - b
        let c = memcmp(buf.baseAddress! + a, buf.baseAddress! + b, min(la, lb))
        return c != 0 ? Int(c) : la - lb
    }
}

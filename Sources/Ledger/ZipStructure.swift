import Foundation

/// A bounds check of a zip archive's directory before ZIPFoundation opens it from memory.
///
/// ZIPFoundation's in-memory archive traps (a range with lowerBound > upperBound) when a record
/// points past the end of the bytes, e.g. a central directory offset beyond the file: a broken or
/// hostile `.xlsx` must be an input error, never a crash. This walks the end record, every central
/// directory entry and every local header, and checks that each record and each entry's data lie
/// inside the bytes, and that the entries' sizes stay within `maxUncompressed` (a zip bomb).
/// It checks every place ZIPFoundation seeks to, as ZIPFoundation computes it: a stored entry's
/// data by its uncompressed size, and the data descriptor after an entry whose flags say it has
/// one. ZIP64 archives (an `.xlsx` of over 4 GB or 65,535 parts) are not read; ZIPFoundation takes
/// a ZIP64 directory from the 76 bytes before the end record, so a ZIP64 locator there is refused.
enum ZipStructure {
    static let maxUncompressed: UInt64 = 2 << 30   // 2 GiB of XML in all

    /// Nil when every record lies inside the bytes; otherwise what is wrong (Chinese, then English).
    static func problem(_ data: Data) -> String? {
        data.withUnsafeBytes { raw -> String? in
            let b = raw.bindMemory(to: UInt8.self)
            let n = b.count
            func u16(_ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
            func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
            func signature(_ at: Int, _ s: Int) -> Bool { at >= 0 && at + 4 <= n && u32(at) == s }
            let truncated = "压缩包目录指向文件之外，文件被截断或已损坏 (the zip directory points past the end of the file: truncated or corrupt)"

            // The end of central directory record: 22 bytes and a comment of up to 65,535.
            guard n >= 22 else { return "文件太短，不是完整的压缩包 (too short to be a zip archive)" }
            var end = -1
            var at = n - 22
            while at >= max(0, n - 22 - 65_535) {
                if b[at] == 0x50 && signature(at, 0x0605_4b50) { end = at; break }
                at -= 1
            }
            guard end >= 0 else { return "找不到压缩包目录 (no zip end-of-directory record)" }
            let zip64 = "是ZIP64格式的压缩包，不支持 (a ZIP64 archive: not supported)"
            if signature(end - 20, 0x0706_4b50) { return zip64 }
            let entries = u16(end + 10), size = u32(end + 12), offset = u32(end + 16)
            if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
                return zip64
            }
            guard offset + size <= end else { return truncated }

            var pos = offset
            var total: UInt64 = 0
            for _ in 0..<entries {
                guard pos + 46 <= offset + size, signature(pos, 0x0201_4b50) else { return truncated }
                let flags = u16(pos + 8), method = u16(pos + 10)
                let compressed = u32(pos + 20), uncompressed = u32(pos + 24)
                let nameLength = u16(pos + 28), extraLength = u16(pos + 30), commentLength = u16(pos + 32)
                let local = u32(pos + 42)
                if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                    return zip64
                }
                pos += 46 + nameLength + extraLength + commentLength
                guard pos <= offset + size else { return truncated }
                // The local header and the entry's data.
                guard signature(local, 0x0403_4b50), local + 30 <= n else { return truncated }
                let dataStart = local + 30 + u16(local + 26) + u16(local + 28)
                // ZIPFoundation reads a stored entry (method 0) by its uncompressed size.
                let dataEnd = dataStart + (method == 0 ? max(compressed, uncompressed) : compressed)
                guard dataEnd <= n else { return truncated }
                // Bit 3: a data descriptor follows the data (12 to 24 bytes; it must at least start inside).
                if flags & 0x8 != 0, dataEnd + 12 > n { return truncated }
                total += UInt64(uncompressed)
                guard total <= maxUncompressed else {
                    return "解压后超过2 GB，不是正常的工作簿 (over 2 GB uncompressed: not an ordinary workbook)"
                }
            }
            return nil
        }
    }
}

import Foundation
import XCTest

/// Reads a zip's central directory (names, DOS timestamps) without decompressing,
/// and extracts entries with /usr/bin/unzip when it is installed.
struct ZipInspector {
    struct Entry: Equatable {
        let name: String
        let dosTime: UInt16
        let dosDate: UInt16
        let method: UInt16
    }

    let path: String
    let entries: [Entry]

    init(path: String) throws {
        self.path = path
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        guard bytes.count >= 22, u32(0) == 0x0403_4B50 else { throw Failure("\(path) is not a zip file") }
        // End of central directory: 22 bytes plus a comment of at most 65,535.
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while end >= lowest, u32(end) != 0x0605_4B50 { end -= 1 }
        guard end >= lowest else { throw Failure("\(path): no end-of-central-directory record") }
        let count = Int(u16(end + 10))
        var offset = Int(u32(end + 16))
        var entries: [Entry] = []
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, u32(offset) == 0x0201_4B50 else {
                throw Failure("\(path): bad central directory header at \(offset)")
            }
            let nameLength = Int(u16(offset + 28))
            let extraLength = Int(u16(offset + 30))
            let commentLength = Int(u16(offset + 32))
            let nameBytes = bytes[(offset + 46)..<(offset + 46 + nameLength)]
            entries.append(Entry(name: String(decoding: nameBytes, as: UTF8.self),
                                 dosTime: u16(offset + 12), dosDate: u16(offset + 14), method: u16(offset + 10)))
            offset += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    var names: [String] { entries.map(\.name) }

    static var unzipAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") }

    /// The entry's text, via `unzip -p`; skips the test when unzip is missing.
    func text(of entry: String) throws -> String {
        guard Self.unzipAvailable else { throw MissingTool(name: "/usr/bin/unzip (Debian unzip)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-p", path, entry]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure("unzip -p \(path) \(entry) exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// A tool a test needs is missing: the test fails (it never skips in silence); `bash .ci/setup`
/// installs it.
struct MissingTool: Error, CustomStringConvertible {
    let name: String
    var description: String { "\(name) is needed by this test and is not installed: run bash .ci/setup" }
}

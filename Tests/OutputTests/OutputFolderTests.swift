import Foundation
import XCTest
@testable import Output

/// `OutputFolder` as a library user (a server, say) sees it: one lock per target, a swap that
/// leaves nothing of the old folder, and recovery from a run killed between the two renames.
final class OutputFolderTests: XCTestCase {
    var dir: String!
    override func setUp() {
        dir = NSTemporaryDirectory() + "output-folder-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func entries(_ p: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: p).sorted() }

    func testCommitReplacesTheWholeFolderAndLeavesNothingBeside() throws {
        let target = dir + "/out"
        let first = try OutputFolder.open(target)
        try Data("a".utf8).write(to: URL(fileURLWithPath: first.staging + "/a.txt"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "nothing at the target before the commit")
        try first.commit()
        XCTAssertEqual(try entries(target), [".planner-output", "a.txt"])

        let second = try OutputFolder.open(target)
        try Data("b".utf8).write(to: URL(fileURLWithPath: second.staging + "/b.txt"))
        XCTAssertEqual(try entries(target), [".planner-output", "a.txt"], "the old folder whole until the swap")
        try second.commit()
        XCTAssertEqual(try entries(target), [".planner-output", "b.txt"], "no file of the earlier output left")
        XCTAssertEqual(try entries(dir), [".out.lock", "out"])
    }

    func testASecondOpenOfTheSameTargetIsBusyUntilTheFirstEnds() throws {
        let target = dir + "/out"
        let first = try OutputFolder.open(target)
        XCTAssertThrowsError(try OutputFolder.open(target)) { e in
            XCTAssertEqual((e as? OutputError)?.code, .busy, "\(e)")
        }
        first.discard()
        XCTAssertEqual(try entries(dir), [".out.lock"], "discarding removes the staging folder")
        let again = try OutputFolder.open(target)
        again.discard()
    }

    func testAnOldFolderLeftAsideByAKilledSwapIsPutBackAndStagingRemoved() throws {
        let target = dir + "/out"
        // As a run killed between "old folder aside" and "new folder in" leaves it.
        try FileManager.default.createDirectory(atPath: dir + "/.out.old-1234", withIntermediateDirectories: true)
        try Data("plan".utf8).write(to: URL(fileURLWithPath: dir + "/.out.old-1234/plan.json"))
        try FileManager.default.createDirectory(atPath: dir + "/.out.staging-1-abc", withIntermediateDirectories: true)
        let folder = try OutputFolder.open(target, recognises: { $0 == "plan.json" })
        XCTAssertEqual(try entries(target), ["plan.json"], "the previous output is back")
        XCTAssertEqual(try entries(dir).filter { $0.hasPrefix(".out.") && $0 != ".out.lock" }, [(folder.staging as NSString).lastPathComponent])
        folder.discard()
    }

    func testRefusedTargetsAreLeftUntouched() throws {
        let file = dir + "/file"
        try Data("keep".utf8).write(to: URL(fileURLWithPath: file))
        let foreign = dir + "/mine"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: foreign + "/notes.txt"))
        for (p, reason) in [(file, "已存在的文件"), (foreign, "notes.txt"), ("/dev/null", "设备文件"), (dir + "/.", "文件夹名")] {
            XCTAssertThrowsError(try OutputFolder.open(p)) { e in
                XCTAssertEqual((e as? OutputError)?.code, .refused, "\(e)")
                XCTAssertTrue("\(e)".contains(reason), "\(e)")
            }
        }
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep")
        XCTAssertEqual(try entries(foreign), ["notes.txt"])
        XCTAssertThrowsError(try OutputFolder.checkFileTarget(foreign))
        // A regular file (replaced) and a new name are fine targets, and checking changes neither.
        XCTAssertNoThrow(try OutputFolder.checkFileTarget(file))
        XCTAssertNoThrow(try OutputFolder.checkFileTarget(dir + "/new.json"))
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/new.json"))
    }
}

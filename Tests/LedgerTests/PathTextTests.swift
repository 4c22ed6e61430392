import XCTest
import Ledger

/// `PathText.parent` is `deletingLastPathComponent` without its trap on one-character names.
final class PathTextTests: XCTestCase {
    func testParentAsFoundationDefinesIt() {
        XCTAssertEqual(PathText.parent("a"), "")
        XCTAssertEqual(PathText.parent("a/"), "")
        XCTAssertEqual(PathText.parent("x/a"), "x")
        XCTAssertEqual(PathText.parent("x//a/"), "x")
        XCTAssertEqual(PathText.parent("/a"), "/")
        XCTAssertEqual(PathText.parent("/"), "/")
        XCTAssertEqual(PathText.parent("/srv/plans/2027"), "/srv/plans")
        XCTAssertEqual(PathText.parent("计划/二〇二七"), "计划")
    }
}

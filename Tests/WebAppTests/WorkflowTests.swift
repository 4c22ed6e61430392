import Foundation
import XCTest
import Accounts
import Ledger
import LedgerStore
import PostgresHarness

/// A plan's way from draft to published (PLAN-ANNUAL) over a real SQLite file: who may take
/// which step, the approval's number and date, filing with the level above (which then sees
/// the plan and may return it), and a step taken twice at once happening once.
final class WorkflowTests: XCTestCase {
    var folder = ""
    override func setUp() {
        folder = NSTemporaryDirectory() + "workflow-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func account(_ name: String, _ authority: String, _ role: AccountRole, id: Int) -> Account {
        Account(id: id, name: name, authority: authority, role: role)
    }

    func testTheWholeWayAndWhoMayTakeEachStep() throws {
        let store = try LedgerStore.open("sqlite:\(folder)/w.sqlite", create: true)
        defer { store.close() }
        try wholeWay(store)
    }

    /// The same on PostgreSQL (a throwaway cluster; fails, never skips, when it cannot start).
    func testTheWholeWayOnPostgres() throws {
        let store = try LedgerStore.open(try ThrowawayPostgres.freshDatabase(prefix: "workflow"))
        defer { store.close() }
        try wholeWay(store)
    }

    func wholeWay(_ store: LedgerStore) throws {
        let id = try WebFixture.storeRealisticPlan(store, authority: WebFixture.pudong, district: "浦东新区")
        let town = try WebFixture.storeRealisticPlan(store, authority: "唐镇人民政府", district: "浦东新区", level: "town")
        let w = Workflow(store)
        let planner = account("p", WebFixture.pudong, .planner, id: 1)
        let reviewer = account("r", WebFixture.pudong, .reviewer, id: 2)
        let cityReviewer = account("c", WebFixture.city, .reviewer, id: 3)
        let otherPlanner = account("j", WebFixture.jiading, .planner, id: 4)
        let admin = account("a", WebFixture.city, .admin, id: 5)

        func fails(_ a: WorkflowAction, _ who: Account, _ kind: WorkflowError.Kind, details: Workflow.Details = .init(),
                   line: UInt = #line) {
            XCTAssertThrowsError(try w.take(a, plan: id, by: who, details: details), line: line) { e in
                XCTAssertEqual((e as? WorkflowError)?.kind, kind, "\(e)", line: line)
            }
        }
        // Another district's planner cannot even tell the plan exists.
        fails(.submit, otherPlanner, .notFound)
        fails(.approve, planner, .forbidden)
        fails(.publish, planner, .conflict)
        XCTAssertEqual(w.actions(on: try XCTUnwrap(store.db.document(id: id)), by: planner), [.submit])
        XCTAssertEqual(try w.take(.submit, plan: id, by: planner, at: "2027-01-06T09:00:00+08:00").status, .submitted)
        fails(.submit, planner, .conflict)
        fails(.approve, reviewer, .invalid, details: .init(approvalNumber: "浦府〔2027〕5号", approvalDate: "2027-02-30"))
        fails(.approve, reviewer, .invalid, details: .init(approvalNumber: " ", approvalDate: "2027-01-10"))
        fails(.approve, reviewer, .invalid, details: .init(approvalNumber: "浦府〔2027〕5号", approvalDate: "2025-12-31"))
        let approved = try w.take(.approve, plan: id, by: reviewer, details: .init(approvalNumber: "浦府〔2027〕5号", approvalDate: "2027-01-10"),
                                  at: "2027-01-10T10:00:00+08:00")
        XCTAssertEqual(approved.status, .approved)
        XCTAssertEqual(approved.workflow.approvalNumber, "浦府〔2027〕5号")
        XCTAssertEqual(approved.workflow.approvalDate, "2027-01-10")
        // Not yet filed: the city's reviewer does not see it.
        XCTAssertFalse(cityReviewer.maySee(approved))
        fails(.file, reviewer, .forbidden)
        let filed = try w.take(.file, plan: id, by: planner, at: "2027-01-11T09:00:00+08:00")
        XCTAssertEqual(filed.workflow.filedTo, WebFixture.city, "a district bureau files with the city bureau")
        XCTAssertTrue(cityReviewer.maySee(filed))
        XCTAssertEqual(try PlanCatalogue(store).filedPlans(with: cityReviewer).map(\.id), [id])
        XCTAssertEqual(try PlanCatalogue(store).plans(visibleTo: cityReviewer).map(\.id), [id])
        // The level above returns it, with a comment it must give.
        XCTAssertThrowsError(try w.take(.return, plan: id, by: cityReviewer, details: .init(comment: "  "))) { e in
            XCTAssertEqual((e as? WorkflowError)?.kind, .invalid)
        }
        XCTAssertThrowsError(try w.take(.return, plan: id, by: planner, details: .init(comment: "x"))) { e in
            XCTAssertEqual((e as? WorkflowError)?.kind, .forbidden, "a filed plan is returned by the level above, not its own planner")
        }
        let back = try w.take(.return, plan: id, by: cityReviewer, details: .init(comment: "重点单位清单缺少 KEY-D2 单位"), at: "2027-01-12T09:00:00+08:00")
        XCTAssertEqual(back.status, .draft)
        XCTAssertEqual(back.workflow, DocumentWorkflowFields(), "a returned plan is approved and filed anew")
        XCTAssertFalse(cityReviewer.maySee(back))
        // Round two, then published.
        try w.take(.submit, plan: id, by: planner)
        try w.take(.approve, plan: id, by: reviewer, details: .init(approvalNumber: "浦府〔2027〕8号", approvalDate: "2027-01-20"))
        try w.take(.file, plan: id, by: planner)
        let published = try w.take(.publish, plan: id, by: planner, at: "2027-01-25T09:00:00+08:00")
        XCTAssertEqual(published.status, .published)
        let events = try store.db.events(document: id)
        XCTAssertEqual(events.map(\.status), [.draft, .submitted, .approved, .filed, .draft, .submitted, .approved, .filed, .published])
        XCTAssertEqual(events.map(\.by), ["test", "p", "r", "p", "c", "p", "r", "p", "p"])
        XCTAssertEqual(events[2].comment, "批准文号 浦府〔2027〕5号，批准日期 2027-01-10")
        XCTAssertEqual(events[3].comment, "报送 \(WebFixture.city)")
        XCTAssertEqual(events[4].comment, "重点单位清单缺少 KEY-D2 单位")
        XCTAssertEqual(events[4].at, "2027-01-12T09:00:00+08:00")

        // A town files with its district bureau; the city's admin may return what is filed anywhere.
        let townPlanner = account("t", "唐镇人民政府", .planner, id: 6), townReviewer = account("tr", "唐镇人民政府", .reviewer, id: 7)
        try w.take(.submit, plan: town, by: townPlanner)
        try w.take(.approve, plan: town, by: townReviewer, details: .init(approvalNumber: "唐府〔2027〕1号", approvalDate: "2027-01-08"))
        XCTAssertEqual(try w.take(.file, plan: town, by: townPlanner).workflow.filedTo, WebFixture.pudong)
        XCTAssertEqual(try PlanCatalogue(store).filedPlans(with: reviewer).map(\.id), [town])
        XCTAssertEqual(try w.take(.return, plan: town, by: admin, details: .init(comment: "请补充")).status, .draft)
        XCTAssertEqual(Workflow.levelAbove(level: .city, district: nil), "应急管理部")
    }

    /// Two reviewers approve at the same moment: one step is recorded, the other is told the
    /// status changed.
    func testAStepTakenTwiceAtOnceHappensOnce() throws {
        let store = try LedgerStore.open("sqlite:\(folder)/w.sqlite", create: true)
        defer { store.close() }
        let id = try WebFixture.storeRealisticPlan(store, authority: WebFixture.pudong, district: "浦东新区")
        let w = Workflow(store)
        try w.take(.submit, plan: id, by: account("p", WebFixture.pudong, .planner, id: 1))
        let results = LockedList()
        DispatchQueue.concurrentPerform(iterations: 6) { k in
            do {
                try w.take(.approve, plan: id, by: Account(id: 10 + k, name: "r\(k)", authority: WebFixture.pudong, role: .reviewer),
                           details: .init(approvalNumber: "浦府〔2027〕\(k)号", approvalDate: "2027-01-10"))
                results.add("ok")
            } catch let e as WorkflowError {
                results.add(e.kind == .conflict ? "conflict" : "\(e)")
            } catch { results.add("\(error)") }
        }
        XCTAssertEqual(results.items.sorted(), ["conflict", "conflict", "conflict", "conflict", "conflict", "ok"])
        XCTAssertEqual(try store.db.events(document: id).filter { $0.status == .approved }.count, 1)
    }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return list }
}

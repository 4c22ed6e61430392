import Foundation
import Ledger
import LedgerStore

/// A step of a plan's way from draft to published (PLAN-ANNUAL): drafted by a planner,
/// submitted for approval (报批), approved by the government with the approval document's
/// number and date (批准), filed with the level above (备案), which may return it with a
/// comment (退回), and published (公开).
public enum WorkflowAction: String, Sendable, CaseIterable, Codable {
    case submit, approve, file, `return`, publish

    /// The status the step starts from and the one it leads to. `return` starts from
    /// `submitted` (the own reviewer) or `filed` (the level above): `from(_:)` decides.
    public var to: DocumentStatus {
        switch self {
        case .submit: return .submitted
        case .approve: return .approved
        case .file: return .filed
        case .return: return .draft
        case .publish: return .published
        }
    }

    public var zh: String {
        switch self {
        case .submit: return "报批"
        case .approve: return "批准"
        case .file: return "备案"
        case .return: return "退回"
        case .publish: return "公开"
        }
    }
}

/// Why a step cannot be taken. `status` is the HTTP answer a route gives.
public struct WorkflowError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable { case notFound, forbidden, conflict, invalid }
    public let kind: Kind
    public let description: String
    init(_ kind: Kind, _ description: String) { self.kind = kind; self.description = description }

    static let notFound = WorkflowError(.notFound, "没有这份计划 (no such plan)")
}

extension AccountRole {
    /// 编制人员, 审核人员, 市局管理员.
    public var zh: String {
        switch self {
        case .planner: return "编制人员"
        case .reviewer: return "审核人员"
        case .admin: return "市局管理员"
        }
    }
}

extension DocumentStatus {
    public var zh: String {
        switch self {
        case .draft: return "草稿"
        case .submitted: return "已报批"
        case .approved: return "已批准"
        case .filed: return "已备案"
        case .published: return "已公开"
        }
    }
}

/// Who may take which step of a plan, and the steps themselves (over
/// `LedgerDatabase.moveDocument`: a step taken twice at once happens once). Routes and pages
/// ask here; no access rule lives in them.
public struct Workflow: Sendable {
    public let store: LedgerStore
    public init(_ store: LedgerStore) { self.store = store }

    /// What a step needs besides the plan: the approval's number and date (approve), a
    /// comment (return; optional otherwise).
    public struct Details: Sendable, Codable, Equatable {
        public var comment: String?
        public var approvalNumber: String?
        /// yyyy-MM-dd.
        public var approvalDate: String?
        public init(comment: String? = nil, approvalNumber: String? = nil, approvalDate: String? = nil) {
            self.comment = comment; self.approvalNumber = approvalNumber; self.approvalDate = approvalDate
        }
    }

    /// The authority a plan is filed with (PLAN-ANNUAL): a township, street or zone office
    /// files with its district bureau, a district bureau with the city bureau, the city bureau
    /// with the Ministry (outside this system). Read from the stored `plan.json`'s authority.
    public static func levelAbove(level: AuthorityLevel, district: String?) -> String {
        switch level {
        case .city: return AuthorityNames.ministry
        case .district: return AuthorityNames.city
        case .town, .zone: return AuthorityNames.name(level: .district, district: district, town: nil, zone: nil)
        }
    }

    /// The steps `account` may take on `d` now: what a page offers as buttons.
    public func actions(on d: StoredDocument, by account: Account) -> [WorkflowAction] {
        WorkflowAction.allCases.filter { (try? check($0, on: d, by: account)) != nil }
    }

    /// Nil when `account` may take `action` on `d` in its present status; the reason otherwise.
    func check(_ action: WorkflowAction, on d: StoredDocument, by a: Account) throws {
        guard d.kind == .plan, a.maySee(d) else { throw WorkflowError.notFound }
        let own = d.authority == a.authority
        let above = d.workflow.filedTo == a.authority || a.role == .admin
        let allowed: Bool
        switch action {
        case .submit, .file, .publish: allowed = own && a.role == .planner
        case .approve: allowed = own && a.role == .reviewer
        // A submitted plan goes back from its own reviewer; a filed one from the level above
        // (its reviewer, or the city bureau's admin).
        case .return: allowed = d.status == .filed ? above && a.role != .planner : own && a.role == .reviewer
        }
        guard allowed else {
            throw WorkflowError(.forbidden, "\(a.role.zh)不能对这份计划执行“\(action.zh)” (a \(a.role.rawValue) may not \(action.rawValue) this plan)")
        }
        guard Self.from(action, d.status) != nil else {
            throw WorkflowError(.conflict, "计划当前状态为“\(d.status.zh)”，不能\(action.zh) (the plan is \(d.status.rawValue): it cannot be \(action.rawValue)ed now)")
        }
    }

    /// The status `action` starts from, when `status` is one it may start from.
    static func from(_ action: WorkflowAction, _ status: DocumentStatus) -> DocumentStatus? {
        let starts: [DocumentStatus]
        switch action {
        case .submit: starts = [.draft]
        case .approve: starts = [.submitted]
        case .file: starts = [.approved]
        case .return: starts = [.submitted, .filed]
        case .publish: starts = [.filed]
        }
        return starts.contains(status) ? status : nil
    }


    /// Takes `action` on plan `id` for `account`: the plan as it now stands. Throws
    /// `WorkflowError` (not found, forbidden, conflict, invalid details).
    @discardableResult
    public func take(_ action: WorkflowAction, plan id: Int, by account: Account, details: Details = Details(),
                     at: String = LedgerClock.now()) throws -> StoredDocument {
        guard let d = try store.db.document(id: id) else { throw WorkflowError.notFound }
        try check(action, on: d, by: account)
        let comment = (details.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard comment.count <= 500 else { throw WorkflowError(.invalid, "意见不能超过 500 字 (the comment must be at most 500 characters)") }
        var fields = d.workflow
        var note = comment
        switch action {
        case .approve:
            let number = (details.approvalNumber ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let date = (details.approvalDate ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !number.isEmpty, number.count <= 100 else {
                throw WorkflowError(.invalid, "请填写批准文号（100 字以内） (the approval document's number is required, at most 100 characters)")
            }
            guard let day = CivilDate(date), day.year >= d.year - 1, day.year <= d.year else {
                throw WorkflowError(.invalid, "批准日期 \(date) 无效：应为 \(d.year - 1) 或 \(d.year) 年的日期，如 \(d.year)-01-15 (the approval date must be a date of \(d.year - 1) or \(d.year), yyyy-MM-dd)")
            }
            fields.approvalNumber = number
            fields.approvalDate = day.description
            note = "批准文号 \(number)，批准日期 \(day)" + (comment.isEmpty ? "" : "；\(comment)")
        case .file:
            fields.filedTo = try levelAbove(of: d)
            note = "报送 \(fields.filedTo ?? "")" + (comment.isEmpty ? "" : "；\(comment)")
        case .return:
            guard !comment.isEmpty else { throw WorkflowError(.invalid, "退回须填写意见 (a return needs a comment saying what to change)") }
            fields = DocumentWorkflowFields()
        case .submit, .publish:
            break
        }
        guard let from = Self.from(action, d.status),
              try store.db.moveDocument(id, from: from, to: action.to, fields: fields, by: account.name, comment: note, at: at) else {
            throw WorkflowError(.conflict, "计划状态已被他人改变，请刷新后重试 (the plan's status has just changed: reload and try again)")
        }
        guard let now = try store.db.document(id: id) else { throw WorkflowError.notFound }
        return now
    }

    /// The authority above a stored plan's own, from its `plan.json`.
    func levelAbove(of d: StoredDocument) throws -> String {
        struct PlanAuthority: Decodable {
            struct A: Decodable { var level: String; var district: String? }
            var authority: A
        }
        guard let data = try store.db.documentFile(id: d.id, name: "plan.json"),
              let a = try? JSONDecoder().decode(PlanAuthority.self, from: data).authority,
              let level = AuthorityLevel(rawValue: a.level) else {
            throw WorkflowError(.invalid, "这份计划没有可读的 plan.json，无法确定备案机关 (the plan has no readable plan.json: whom to file it with is unknown)")
        }
        return Self.levelAbove(level: level, district: a.district)
    }
}

import Foundation

/// An error thrown by the GLPK module instead of letting GLPK abort the process.
///
/// Match on ``code`` (``GLPKError/Code``) and show ``message`` to people:
///
/// ```swift
/// do { try model.addRow(name: "bad name", coefficients: [], bounds: .free) }
/// catch let error as GLPKError where error.code == .invalidName { print(error) }
/// ```
public struct GLPKError: Error, CustomStringConvertible, Equatable {
    /// A stable, comparable identifier of the error's kind.
    public struct Code: Hashable, CustomStringConvertible, Sendable {
        private let raw: String
        private init(_ raw: String) { self.raw = raw }
        public var description: String { raw }

        /// A row, column or problem name is empty, too long, or contains forbidden characters.
        public static let invalidName = Code("invalidName")
        /// Two columns (or two rows) of one model were given the same name.
        public static let duplicateName = Code("duplicateName")
        /// A column or row handle does not belong to this model or is out of range.
        public static let invalidIndex = Code("invalidIndex")
        /// A bound is NaN, lower > upper, or otherwise unusable.
        public static let invalidBounds = Code("invalidBounds")
        /// A coefficient is not finite, or a column appears twice in one row.
        public static let invalidCoefficient = Code("invalidCoefficient")
        /// A solve option (time limit, gap, ...) is out of range.
        public static let invalidOption = Code("invalidOption")
        /// The model was used from a thread other than the one that created it.
        public static let wrongThread = Code("wrongThread")
        /// A GLPK fatal error freed this thread's GLPK environment; the model is gone.
        public static let environmentLost = Code("environmentLost")
        /// GLPK reported a fatal error (caught by the last-resort guard).
        public static let glpkFatalError = Code("glpkFatalError")
        /// The MathProg translator rejected the model or data (syntax, data or check error).
        public static let mathProgError = Code("mathProgError")
        /// A file could not be read or written, or an export is impossible for this model.
        public static let exportFailed = Code("exportFailed")
        /// The operation is not allowed in the object's current state.
        public static let invalidState = Code("invalidState")
        /// A solution value was requested but the solve produced no solution.
        public static let noSolution = Code("noSolution")
        /// A variable or constraint was asked for by a name the solved problem does not have
        /// (for example a MathProg variable renamed in the `.mod` file).
        public static let unknownName = Code("unknownName")
    }

    private enum Kind: Equatable {
        case invalidName
        case duplicateName
        case invalidIndex
        case invalidBounds
        case invalidCoefficient
        case invalidOption
        case wrongThread
        case environmentLost
        case glpkFatalError(glpkOutput: String)
        case mathProgError(glpkOutput: String)
        case exportFailed
        case invalidState
        case noSolution
        case unknownName
    }

    private let kind: Kind
    /// A readable sentence saying what was wrong and, where it helps, what to do.
    public let message: String

    private init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var code: Code {
        switch kind {
        case .invalidName: return .invalidName
        case .duplicateName: return .duplicateName
        case .invalidIndex: return .invalidIndex
        case .invalidBounds: return .invalidBounds
        case .invalidCoefficient: return .invalidCoefficient
        case .invalidOption: return .invalidOption
        case .wrongThread: return .wrongThread
        case .environmentLost: return .environmentLost
        case .glpkFatalError: return .glpkFatalError
        case .mathProgError: return .mathProgError
        case .exportFailed: return .exportFailed
        case .invalidState: return .invalidState
        case .noSolution: return .noSolution
        case .unknownName: return .unknownName
        }
    }

    /// GLPK's own terminal text for errors that came from GLPK (MathProg
    /// translator errors, fatal errors), otherwise nil.
    public var glpkOutput: String? {
        switch kind {
        case .glpkFatalError(let text), .mathProgError(let text): return text
        default: return nil
        }
    }

    public var description: String { message }

    // MARK: - Internal constructors

    static func invalidName(_ message: String) -> GLPKError { GLPKError(.invalidName, message) }
    static func duplicateName(_ message: String) -> GLPKError { GLPKError(.duplicateName, message) }
    static func invalidIndex(_ message: String) -> GLPKError { GLPKError(.invalidIndex, message) }
    static func invalidBounds(_ message: String) -> GLPKError { GLPKError(.invalidBounds, message) }
    static func invalidCoefficient(_ message: String) -> GLPKError { GLPKError(.invalidCoefficient, message) }
    static func invalidOption(_ message: String) -> GLPKError { GLPKError(.invalidOption, message) }
    static func wrongThread(_ message: String) -> GLPKError { GLPKError(.wrongThread, message) }
    static func environmentLost(_ message: String) -> GLPKError { GLPKError(.environmentLost, message) }
    static func exportFailed(_ message: String) -> GLPKError { GLPKError(.exportFailed, message) }
    static func invalidState(_ message: String) -> GLPKError { GLPKError(.invalidState, message) }
    static func noSolution(_ message: String) -> GLPKError { GLPKError(.noSolution, message) }
    static func unknownName(_ message: String) -> GLPKError { GLPKError(.unknownName, message) }

    static func glpkFatal(during operation: String, output: String) -> GLPKError {
        let detail = GLPKError.lastLines(of: output, count: 4)
        let text = "GLPK hit a fatal internal error during \(operation)"
            + (detail.isEmpty ? "" : ": \(detail)")
            + ". The error was contained, but GLPK's environment on this thread was reset:"
            + " every GLPK model created on this thread is now unusable."
        return GLPKError(.glpkFatalError(glpkOutput: output), text)
    }

    static func mathProg(_ summary: String, output: String) -> GLPKError {
        let detail = GLPKError.translatorMessage(from: output)
        let text = detail.isEmpty ? summary : "\(summary): \(detail)"
        return GLPKError(.mathProgError(glpkOutput: output), text)
    }

    /// The last non-empty lines of GLPK's terminal text, joined by "; ".
    static func lastLines(of output: String, count: Int) -> String {
        let lines = output.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return lines.suffix(count).joined(separator: "; ")
    }

    /// Picks the translator's diagnostic out of its chatter: the lines that
    /// are not progress reports ("Reading model section from ...", "42 lines
    /// were read", "Generating ...", "Model has been successfully ...").
    static func translatorMessage(from output: String) -> String {
        let noise = ["Reading ", "Generating ", "Model has been successfully", "Writing ", "Display statement"]
        let lines = output.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { line in
                !line.isEmpty
                    && !noise.contains(where: { line.hasPrefix($0) })
                    && !(line.hasSuffix(" lines were read") || line.hasSuffix(" line was read"))
            }
        return lines.joined(separator: "; ")
    }
}

import Foundation
import XCTest

@testable import GLPK

/// Thread affinity and the last-resort guard around GLPK's fatal errors.
final class SafetyTests: XCTestCase {
    func testUsingAModelFromAnotherThreadThrows() throws {
        let (model, _, _) = try makeReferenceIntegerProgram()
        var codes: [GLPKError.Code?] = []
        // Hand the model over through a variable we clear afterwards, so that the
        // last reference is dropped here and deinit runs on the creating thread
        // (otherwise the model would be leaked, by design, with a note on stderr).
        var borrowed: LinearProgram? = model
        onFreshThread {
            guard let model = borrowed else { return }
            for attempt in [
                { _ = try model.solve() },
                { _ = try model.addColumn(name: "w") },
                { try model.write(to: "/tmp/never.lp", format: .cplexLP) },
            ] as [() throws -> Void] {
                do {
                    try attempt()
                    codes.append(nil)
                } catch {
                    codes.append((error as? GLPKError)?.code)
                }
            }
        }
        borrowed = nil
        XCTAssertEqual(codes, [.wrongThread, .wrongThread, .wrongThread])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/never.lp"))
        XCTAssertEqual(try model.solve().objectiveValue, 13, "still fine on its own thread")
    }

    func testThreadsSolveTheirOwnModelsInParallel() throws {
        let lock = NSLock()
        // Appended to under `lock` only.
        nonisolated(unsafe) var objectives: [Double] = []
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            // Each worker builds, solves and releases its model on its own thread.
            let value = (try? makeReferenceIntegerProgram().0.solve().objectiveValue) ?? nil
            lock.lock()
            objectives.append(value ?? .nan)
            lock.unlock()
        }
        XCTAssertEqual(objectives, [13, 13, 13, 13])
    }

    func testGenuineGLPKFatalErrorIsContainedAndInvalidatesOnlyThatThread() throws {
        let (mainModel, _, _) = try makeReferenceIntegerProgram()
        var outcome: [String] = []
        onFreshThread {
            do {
                let (doomed, _, _) = try makeReferenceIntegerProgram()
                XCTAssertEqual(try doomed.solve().objectiveValue, 13)
                // An invalid message level makes glp_intopt call glp_error (abort() without the guard).
                var options = SolveOptions()
                options.rawMessageLevelOverride = 99
                do {
                    _ = try doomed.solve(options)
                    outcome.append("no error")
                } catch let error as GLPKError {
                    outcome.append(error.code.description)
                    XCTAssertTrue(error.message.contains("glp_intopt: msg_lev = 99; invalid parameter"), error.message)
                    XCTAssertTrue(error.glpkOutput?.contains("Error detected in file") ?? false)
                }
                // The environment was freed: the old model refuses to work (and its deinit skips the free).
                do {
                    _ = try doomed.solve()
                    outcome.append("old model still usable")
                } catch let error as GLPKError {
                    outcome.append(error.code.description)
                }
                // A new model on the same thread works.
                let (fresh, _, _) = try makeReferenceIntegerProgram()
                outcome.append("fresh \(try fresh.solve().objectiveValue ?? .nan)")
            } catch {
                outcome.append("unexpected \(error)")
            }
        }
        XCTAssertEqual(outcome, ["glpkFatalError", "environmentLost", "fresh 13.0"])
        XCTAssertEqual(try mainModel.solve().objectiveValue, 13, "other threads' GLPK state is untouched")
    }

    func testProvokedFatalErrorOutsideSolverIsContained() throws {
        var message = ""
        onFreshThread {
            do {
                try GLPKDiagnostics.provokeFatalErrorForTesting()
                message = "no error"
            } catch {
                message = "\(error)"
            }
        }
        XCTAssertTrue(message.contains("glp_set_col_name: j = 2; column number out of range"), message)
    }

    func testGLPKVersionIsReported() {
        XCTAssertEqual(GLPKDiagnostics.version.split(separator: ".").first, "5")
        XCTAssertTrue(GLPKDiagnostics.isThreadLocal)
    }
}

import Foundation
import XCTest

@testable import GLPK

final class MathProgTests: XCTestCase {
    /// The reference integer program written in MathProg, data kept separate.
    static let model = """
        # Reference integer program: optimum 13 at x[1] = 2, x[2] = 0, x[3] = 1.
        set J;
        set I;
        param value{J};
        param use{I, J};
        param cap{I};
        var x{J} integer >= 0;
        maximize total: sum{j in J} value[j] * x[j];
        s.t. capacity{i in I}: sum{j in J} use[i, j] * x[j] <= cap[i];
        solve;
        printf "chosen:";
        printf{j in J} " %s=%d", j, x[j];
        printf "\\n";
        end;
        """

    static let data = """
        data;
        set J := 1 2 3;
        set I := a b c;
        param value := 1 5  2 4  3 3;
        param use:  1  2  3 :=
               a    2  3  1
               b    4  1  2
               c    3  4  2 ;
        param cap := a 5  b 11  c 8;
        end;
        """

    func testModelAndDataSolveToKnownOptimum() throws {
        let directory = try makeTemporaryDirectory(self)
        let modPath = try writeFile(Self.model, named: "reference.mod", in: directory)
        let datPath = try writeFile(Self.data, named: "reference.dat", in: directory)

        let model = try MathProgModel(modelFile: modPath, dataFiles: [datPath])
        XCTAssertEqual(model.problem.columnCount, 3)
        XCTAssertEqual(model.problem.rowCount, 4, "three capacity rows plus the objective row GLPK keeps as a free row")
        XCTAssertTrue(model.problem.isMIP)
        XCTAssertEqual(model.problem.direction, .maximize)
        XCTAssertTrue(model.translatorOutput.contains("Reading model section"), model.translatorOutput)

        let result = try model.solve()
        XCTAssertEqual(result.status, .optimal)
        XCTAssertEqual(try XCTUnwrap(result.objectiveValue), 13, accuracy: 1e-9)
        XCTAssertEqual(result.value(named: "x[1]"), 2)
        XCTAssertEqual(result.value(named: "x[2]"), 0)
        XCTAssertEqual(result.value(named: "x[3]"), 1)
        let x3 = try XCTUnwrap(model.column(named: "x[3]"))
        XCTAssertEqual(try result.value(of: x3), 1)
        XCTAssertEqual(result.activity(named: "capacity[b]"), 10)
        XCTAssertEqual(result.activity(named: "capacity[c]"), 8)
        XCTAssertNotNil(model.row(named: "capacity[a]"))
        XCTAssertEqual(model.displayOutput.trimmingCharacters(in: .whitespacesAndNewlines), "chosen: 1=2 2=0 3=1")

        // The generated problem may not gain rows or columns (post-solve would break) ...
        XCTAssertThrowsError(try model.problem.addColumn(name: "extra")) { error in
            XCTAssertEqual((error as? GLPKError)?.code, .invalidState)
        }
        // ... but bounds may change and it can be solved again: with x[1] ≤ 1 the
        // optimum is 12 at x = (0, 0, 4).
        let x1 = try XCTUnwrap(model.column(named: "x[1]"))
        try model.problem.setBounds(of: x1, lower: 0, upper: 1)
        let again = try model.solve()
        XCTAssertEqual(again.status, .optimal)
        XCTAssertEqual(try XCTUnwrap(again.objectiveValue), 12, accuracy: 1e-9)
        XCTAssertEqual(again.value(named: "x[3]"), 4)
        XCTAssertEqual(model.displayOutput.trimmingCharacters(in: .whitespacesAndNewlines), "chosen: 1=2 2=0 3=1",
                       "post-solve runs once per translation")

        // The one-call form gives the same answer.
        let oneCall = try MathProgModel.solve(modelFile: modPath, dataFiles: [datPath])
        XCTAssertEqual(oneCall.objectiveValue, 13)
        XCTAssertTrue(oneCall.glpkOutput.contains("chosen: 1=2 2=0 3=1"), oneCall.glpkOutput)
    }

    func testSyntaxErrorIsThrownWithFileAndLine() throws {
        let directory = try makeTemporaryDirectory(self)
        let broken = Self.model.replacingOccurrences(of: "var x{J} integer >= 0;", with: "var x{J} integer >= 0")
        let modPath = try writeFile(broken, named: "broken.mod", in: directory)
        let datPath = try writeFile(Self.data, named: "reference.dat", in: directory)
        XCTAssertThrowsError(try MathProgModel(modelFile: modPath, dataFiles: [datPath])) { error in
            guard let error = error as? GLPKError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .mathProgError)
            XCTAssertTrue(error.message.contains("broken.mod:8: syntax error in variable statement"), error.message)
            XCTAssertTrue(error.glpkOutput?.contains("Context:") ?? false)
        }
    }

    func testDataErrorsAreThrown() throws {
        let directory = try makeTemporaryDirectory(self)
        let modPath = try writeFile(Self.model, named: "reference.mod", in: directory)
        // Missing value for cap[c]: reported while generating.
        let incomplete = Self.data.replacingOccurrences(of: "b 11  c 8", with: "b 11")
        let datPath = try writeFile(incomplete, named: "incomplete.dat", in: directory)
        XCTAssertThrowsError(try MathProgModel(modelFile: modPath, dataFiles: [datPath])) { error in
            guard let error = error as? GLPKError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .mathProgError)
            XCTAssertTrue(error.message.contains("no value for cap[c]"), error.message)
        }
        // A data-file syntax error names the data file and line.
        let garbled = try writeFile("data;\nset J := 1 2 3;\nparam value := 1 5 2;\nend;\n", named: "garbled.dat", in: directory)
        XCTAssertThrowsError(try MathProgModel(modelFile: modPath, dataFiles: [garbled])) { error in
            guard let error = error as? GLPKError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .mathProgError)
            XCTAssertTrue(error.message.contains("garbled.dat:3"), error.message)
        }
        // Missing files are caught before GLPK sees them.
        XCTAssertThrowsError(try MathProgModel(modelFile: directory.appendingPathComponent("missing.mod").path)) { error in
            XCTAssertEqual((error as? GLPKError)?.code, .mathProgError)
        }
    }

    func testInfeasibleMathProgModelSkipsPostsolve() throws {
        let directory = try makeTemporaryDirectory(self)
        let modPath = try writeFile("""
            var y >= 0;
            minimize cost: y;
            s.t. low: y >= 5;
            s.t. high: y <= 3;
            solve;
            display y;
            end;
            """, named: "infeasible.mod", in: directory)
        let model = try MathProgModel(modelFile: modPath)
        XCTAssertFalse(model.problem.isMIP)
        let result = try model.solve()
        XCTAssertEqual(result.status, .infeasible)
        XCTAssertEqual(model.displayOutput, "")
    }
}

import Foundation
import XCTest

@testable import GLPK

/// The typed data writer (`MathProgData`) and the reader by MathProg name (`SolveResult.variable`).
final class MathProgDataTests: XCTestCase {
    /// A small model over symbols that need quoting: which districts get a visit.
    static let model = """
        set D;
        set DP within {D, D};
        param need{D} >= 0;
        param cost{D} >= 0;
        param w{DP} default 0;
        param budget;
        param label symbolic;
        var x{D} >= 0;
        var y{DP} >= 0;
        minimize total: sum{d in D} cost[d] * x[d] + sum{(a, b) in DP} w[a, b] * y[a, b];
        s.t. cover{d in D}: x[d] + sum{(a, d) in DP} y[a, d] >= need[d];
        s.t. limit: sum{d in D} x[d] <= budget;
        check: label = 'north side';
        end;
        """

    func data(renaming: Bool = false) -> MathProgData {
        var d = MathProgData()
        let districts: [MathProgSymbol] = ["north", "O'Brien", "浦东", "a b", 7]
        d.set("D", districts)
        d.set("DP", tuples: [["north", "O'Brien"], ["浦东", 7]])
        d.table(["need", "cost"], rows: districts.enumerated().map { ($0.element, [Double($0.offset + 1), 1]) })
        d.param("w", indexed: [(["north", "O'Brien"], 0.5), (["浦东", 7], 0.25)], layout: .lines)
        d.param("budget", 100)
        d.param("label", symbol: "north side")
        return d
    }

    func testDataTextIsExactAndQuotesSymbolsThatNeedIt() {
        XCTAssertEqual(data().text, """
            data;

            set D := north 'O''Brien' '浦东' 'a b' 7;
            set DP := (north,'O''Brien') ('浦东',7);
            param: need cost :=
              north 1 1
              'O''Brien' 2 1
              '浦东' 3 1
              'a b' 4 1
              7 5 1
            ;
            param w :=
              north 'O''Brien' 0.500000
              '浦东' 7 0.250000
            ;
            param budget := 100;
            param label := 'north side';

            end;

            """)
    }

    func testSymbolSpellings() {
        XCTAssertEqual(MathProgSymbol("red_2").dataText, "red_2")
        XCTAssertEqual(MathProgSymbol("p1").glpkText, "p1")
        XCTAssertEqual(MathProgSymbol("2x").dataText, "'2x'", "a name starts with a letter or _")
        XCTAssertEqual(MathProgSymbol("a-b").dataText, "'a-b'")
        XCTAssertEqual(MathProgSymbol("a-b").glpkText, "a-b", "GLPK's names keep + - . unquoted")
        XCTAssertEqual(MathProgSymbol("").dataText, "''")
        XCTAssertEqual(MathProgSymbol(12).dataText, "12")
        XCTAssertEqual(mathProgName("S", ["p1", 3]), "S[p1,3]")
        XCTAssertEqual(mathProgName("R", []), "R")
    }

    func testNumberFormats() {
        XCTAssertEqual(MathProgNumberFormat.sixDecimals.text(3), "3")
        XCTAssertEqual(MathProgNumberFormat.sixDecimals.text(-2), "-2")
        XCTAssertEqual(MathProgNumberFormat.sixDecimals.text(0.7 / 1.5), "0.466667")
        XCTAssertEqual(MathProgNumberFormat.exact.text(0.4753), "0.4753")
        XCTAssertEqual(MathProgNumberFormat.exact.text(0.001), "0.001")
        var d = MathProgData(numberFormat: .exact)
        d.param("rate", 0.1234567)
        d.param("other", 0.1234567, format: .sixDecimals)
        XCTAssertEqual(d.text, "data;\n\nparam rate := 0.1234567;\nparam other := 0.123457;\n\nend;\n")
    }

    /// The data GLPK reads is the data written: every quoted symbol round-trips, and the
    /// reader finds each variable and row by its symbols.
    func testGLPKReadsTheDataAndTheReaderFindsEveryName() throws {
        let directory = try makeTemporaryDirectory(self)
        let mod = try writeFile(Self.model, named: "districts.mod", in: directory)
        let dat = try writeFile(data().text, named: "districts.dat", in: directory)
        let r = try MathProgModel(modelFile: mod, dataFiles: [dat]).solve()
        XCTAssertEqual(r.status, .optimal)
        XCTAssertEqual(try r.variable("x", "north"), 1, accuracy: 1e-9)
        XCTAssertEqual(try r.variable("x", "浦东"), 3, accuracy: 1e-9)
        XCTAssertEqual(try r.variable("x", "a b"), 4, accuracy: 1e-9)
        XCTAssertEqual(try r.variable("x", 7), 0, accuracy: 1e-9, "covered by y['浦东',7] at 0.25")
        XCTAssertEqual(try r.variable("y", "浦东", 7), 5, accuracy: 1e-9)
        XCTAssertEqual(try r.variable("y", "north", "O'Brien"), 2, accuracy: 1e-9)
        XCTAssertEqual(try r.integer("x", "O'Brien"), 0)
        XCTAssertEqual(try r.constraint("cover", "O'Brien"), 2, accuracy: 1e-9)
        XCTAssertEqual(try r.constraint("limit"), 8, accuracy: 1e-9)
        XCTAssertTrue(r.rowNames.contains("cover['浦东']"), "\(r.rowNames)")
    }

    /// A variable renamed in the model (x → visits) no longer reads as zero: the reader throws,
    /// naming the model and the variable it looked for.
    func testRenamedVariableThrowsNamingModelAndVariable() throws {
        let directory = try makeTemporaryDirectory(self)
        let renamed = Self.model.replacingOccurrences(of: "x[", with: "visits[").replacingOccurrences(of: "var x{", with: "var visits{")
        let mod = try writeFile(renamed, named: "renamed.mod", in: directory)
        let dat = try writeFile(data().text, named: "districts.dat", in: directory)
        let r = try MathProgModel(modelFile: mod, dataFiles: [dat]).solve()
        XCTAssertEqual(r.status, .optimal)
        XCTAssertEqual(try r.variable("visits", "north"), 1, accuracy: 1e-9)
        XCTAssertNil(r.value(named: "x[north]"), "the old lookup gives nil, which callers turned into 0")
        XCTAssertThrowsError(try r.variable("x", "north")) { error in
            let e = error as? GLPKError
            XCTAssertEqual(e?.code, .unknownName)
            XCTAssertEqual(e?.message, "model 'renamed' has no variable x[north]")
        }
        XCTAssertThrowsError(try r.constraint("capacity", "north")) { error in
            XCTAssertEqual((error as? GLPKError)?.message, "model 'renamed' has no constraint capacity[north]")
        }
        XCTAssertThrowsError(try r.variable("visits", "south"), "a subscript that is not in the set") { error in
            XCTAssertEqual((error as? GLPKError)?.code, .unknownName)
        }
    }

    /// Without a solution the reader says so instead of giving a value.
    func testNoSolutionThrows() throws {
        let directory = try makeTemporaryDirectory(self)
        let mod = try writeFile(Self.model, named: "districts.mod", in: directory)
        var d = MathProgData()
        d.set("D", ["north"])
        d.set("DP", tuples: [])
        d.table(["need", "cost"], rows: [("north", [5, 1])])
        d.param("budget", 1)
        d.param("label", symbol: "north side")
        let dat = try writeFile(d.text, named: "infeasible.dat", in: directory)
        let r = try MathProgModel(modelFile: mod, dataFiles: [dat]).solve()
        XCTAssertEqual(r.status, .infeasible)
        XCTAssertThrowsError(try r.variable("x", "north")) { error in
            XCTAssertEqual((error as? GLPKError)?.code, .noSolution)
        }
    }
}

import Foundation
import XCTest

@testable import GLPK

/// Each of these inputs would make GLPK call abort() if passed through; the
/// wrapper must throw instead, and leave the model unchanged.
final class ValidationTests: XCTestCase {
    private func assertThrows<T>(_ code: GLPKError.Code, _ expression: @autoclosure () throws -> T,
                                 mentioning fragment: String? = nil,
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            guard let glpkError = error as? GLPKError else {
                return XCTFail("not a GLPKError: \(error)", file: file, line: line)
            }
            XCTAssertEqual(glpkError.code, code, glpkError.message, file: file, line: line)
            XCTAssertFalse(glpkError.message.isEmpty, file: file, line: line)
            if let fragment {
                XCTAssertTrue(glpkError.message.contains(fragment), "'\(glpkError.message)' lacks '\(fragment)'",
                              file: file, line: line)
            }
        }
    }

    func testBadColumnIndexThrows() throws {
        let (model, cols, _) = try makeReferenceIntegerProgram()
        assertThrows(.invalidIndex, try model.column(at: 99), mentioning: "out of range")
        assertThrows(.invalidIndex, try model.column(at: -1))
        assertThrows(.invalidIndex, try model.row(at: 3))

        // A handle from another (bigger) model: index 3 does not exist here,
        // and even index 0 belongs to someone else.
        let other = try LinearProgram(name: "other")
        let foreign = try other.addColumns((0..<5).map { ColumnSpec(name: "f\($0)") })
        assertThrows(.invalidIndex,
                     try model.addRow(name: "bad", coefficients: [(foreign[4], 1)], bounds: .upper(1)),
                     mentioning: "different model")
        assertThrows(.invalidIndex, try model.setObjectiveCoefficient(1, for: foreign[0]))
        assertThrows(.invalidIndex, try model.setBounds(of: foreign[0], lower: 0, upper: 1))
        XCTAssertEqual(model.rowCount, 3, "nothing was added")

        let result = try model.solve()
        assertThrows(.invalidIndex, try result.value(of: foreign[0]))
        XCTAssertEqual(try result.value(of: cols[0]), 2)
    }

    func testOverlongAndMalformedNamesThrow() throws {
        let model = try LinearProgram(name: "names")
        let longName = String(repeating: "n", count: 256)
        assertThrows(.invalidName, try model.addColumn(name: longName), mentioning: "256 bytes")
        // 86 three-byte characters = 258 bytes although only 86 characters.
        assertThrows(.invalidName, try model.addColumn(name: String(repeating: "检", count: 86)))
        XCTAssertNoThrow(try model.addColumn(name: String(repeating: "n", count: 255)))
        XCTAssertNoThrow(try model.addColumn(name: "检查_企业A"))
        assertThrows(.invalidName, try model.addColumn(name: ""))
        assertThrows(.invalidName, try model.addColumn(name: "two words"), mentioning: "whitespace")
        assertThrows(.invalidName, try model.addColumn(name: "tab\there"))
        assertThrows(.invalidName, try model.addColumn(name: "bell\u{7}"))
        assertThrows(.invalidName, try model.addRow(name: longName, coefficients: [], bounds: .free))
        assertThrows(.invalidName, try LinearProgram(name: longName))
        assertThrows(.invalidName, try LinearProgram(name: "p", objectiveName: "my objective"))

        try model.addColumn(name: "dup")
        assertThrows(.duplicateName, try model.addColumn(name: "dup"))
        assertThrows(.duplicateName,
                     try model.addColumns([ColumnSpec(name: "twice"), ColumnSpec(name: "twice")]))
        try model.addRow(name: "r", coefficients: [], bounds: .free)
        assertThrows(.duplicateName, try model.addRow(name: "r", coefficients: [], bounds: .free))
        XCTAssertEqual(model.columnCount, 3)
        XCTAssertEqual(model.rowCount, 1)
    }

    func testBadBoundsThrow() throws {
        let model = try LinearProgram(name: "bounds")
        assertThrows(.invalidBounds, try model.addColumn(name: "x", lower: 5, upper: 1), mentioning: "greater than")
        assertThrows(.invalidBounds, try model.addColumn(name: "x", lower: .nan))
        assertThrows(.invalidBounds, try model.addColumn(name: "x", lower: .infinity))
        assertThrows(.invalidBounds, try model.addColumn(name: "x", lower: nil, upper: -.infinity))
        assertThrows(.invalidBounds, try model.addColumn(name: "k", kind: .integer, lower: 0, upper: 2.5),
                     mentioning: "whole number")
        assertThrows(.invalidBounds, try model.addColumn(name: "b", kind: .binary, lower: 0, upper: 2))
        let x = try model.addColumn(name: "x", lower: -.infinity, upper: .infinity)
        assertThrows(.invalidBounds, try model.addRow(name: "r", coefficients: [(x, 1)], bounds: .range(3, 2)))
        assertThrows(.invalidBounds, try model.addRow(name: "r", coefficients: [(x, 1)], bounds: .upper(.nan)))
        assertThrows(.invalidBounds, try model.addRow(name: "r", coefficients: [(x, 1)], bounds: .lower(.infinity)))
        let r = try model.addRow(name: "r", coefficients: [(x, 1)], bounds: .range(1, 1))
        assertThrows(.invalidBounds, try model.setBounds(of: r, .range(2, 1)))
        assertThrows(.invalidBounds, try model.setBounds(of: x, lower: 1, upper: 0))

        // The accepted infinite bounds mean "free": min x with x = 1 row → 1.
        let result = try model.solve()
        XCTAssertEqual(result.status, .optimal)
        XCTAssertEqual(try result.value(of: x), 1)
    }

    func testBadCoefficientsThrowAndNothingIsAdded() throws {
        let model = try LinearProgram(name: "coefficients")
        let x = try model.addColumn(name: "x")
        let y = try model.addColumn(name: "y")
        assertThrows(.invalidCoefficient,
                     try model.addRow(name: "r", coefficients: [(x, 1), (y, 2), (x, 3)], bounds: .upper(1)),
                     mentioning: "more than once")
        assertThrows(.invalidCoefficient, try model.addRow(name: "r", coefficients: [(x, .nan)], bounds: .upper(1)))
        assertThrows(.invalidCoefficient, try model.addRow(name: "r", coefficients: [(x, .infinity)], bounds: .upper(1)))
        assertThrows(.invalidCoefficient, try model.addColumn(name: "z", objective: .nan))
        assertThrows(.invalidCoefficient, try model.setObjectiveCoefficient(.infinity, for: x))
        assertThrows(.invalidCoefficient, try model.setObjectiveConstant(.nan))

        // All-or-nothing bulk calls: the bad second row keeps the good first one out.
        assertThrows(.invalidCoefficient, try model.addRows([
            RowSpec(name: "good", coefficients: [(x, 1)], bounds: .upper(1)),
            RowSpec(name: "bad", coefficients: [(y, .nan)], bounds: .upper(1)),
        ]))
        assertThrows(.invalidBounds, try model.addColumns([
            ColumnSpec(name: "fine"), ColumnSpec(name: "broken", lower: 2, upper: 1),
        ]))
        XCTAssertEqual(model.rowCount, 0)
        XCTAssertEqual(model.columnCount, 2)
        XCTAssertNil(model.row(named: "good"))
        XCTAssertEqual(try model.nonZeroCount(), 0)

        // Zero coefficients are dropped, the same column may appear in different rows.
        try model.addRow(name: "sparse", coefficients: [(x, 0), (y, 4)], bounds: .upper(8))
        try model.addRow(name: "again", coefficients: [(x, 1), (y, 1)], bounds: .upper(8))
        XCTAssertEqual(try model.nonZeroCount(), 3)
    }

    func testBadOptionsThrow() throws {
        let (model, _, _) = try makeReferenceIntegerProgram()
        assertThrows(.invalidOption, try model.solve(SolveOptions(timeLimit: 0)))
        assertThrows(.invalidOption, try model.solve(SolveOptions(timeLimit: .nan)))
        assertThrows(.invalidOption, try model.solve(SolveOptions(timeLimit: .infinity)))
        assertThrows(.invalidOption, try model.solve(SolveOptions(relativeMIPGap: -1)))
        XCTAssertEqual(try model.solve(SolveOptions(timeLimit: 1e12)).status, .optimal, "huge limits are clamped")
    }

    func testExportsOfEmptyModelsThrowInsteadOfAborting() throws {
        // GLPK's MPS writer fails an assertion (abort) on a model with no rows.
        let directory = try makeTemporaryDirectory(self)
        let model = try LinearProgram(name: "no_rows")
        try model.addColumn(name: "x")
        assertThrows(.exportFailed, try model.write(to: directory.appendingPathComponent("m.mps").path, format: .freeMPS))
        assertThrows(.exportFailed, try model.write(to: directory.appendingPathComponent("m.lp").path, format: .cplexLP))
        try model.addRow(name: "r", coefficients: [], bounds: .free)
        assertThrows(.exportFailed, try model.write(to: "/nonexistent-dir/m.lp", format: .cplexLP),
                     mentioning: "nonexistent-dir")
    }
}

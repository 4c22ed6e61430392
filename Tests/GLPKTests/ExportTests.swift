import Foundation
import XCTest

@testable import GLPK

final class ExportTests: XCTestCase {
    func testMaximisationExportsSolveToSameOptimumInGlpsol() throws {
        guard glpsolPath != nil else { throw MissingTool(name: "glpsol (Debian glpk-utils)") }
        let directory = try makeTemporaryDirectory(self)
        let (model, _, _) = try makeReferenceIntegerProgram()

        let mpsPath = directory.appendingPathComponent("reference.mps").path
        let mps = try model.write(to: mpsPath, format: .freeMPS)
        XCTAssertTrue(mps.objectiveNegated, "free MPS cannot say 'maximise'")
        let mpsText = try String(contentsOfFile: mpsPath, encoding: .utf8)
        XCTAssertTrue(mpsText.hasPrefix("* NOTE: model 'reference_ip' MAXIMISES"), mpsText)
        let fromMPS = try runGlpsol(["--freemps", mpsPath], in: directory)
        XCTAssertEqual(fromMPS.status, "INTEGER OPTIMAL")
        XCTAssertEqual(fromMPS.objective, -13, accuracy: 1e-9, "the file minimises the negated objective")

        let lpPath = directory.appendingPathComponent("reference.lp").path
        let lp = try model.write(to: lpPath, format: .cplexLP)
        XCTAssertFalse(lp.objectiveNegated)
        XCTAssertNil(lp.constantColumnName)
        let lpText = try String(contentsOfFile: lpPath, encoding: .utf8)
        XCTAssertTrue(lpText.contains("Maximize"), lpText)
        let fromLP = try runGlpsol(["--lp", lpPath], in: directory)
        XCTAssertEqual(fromLP.status, "INTEGER OPTIMAL")
        XCTAssertEqual(fromLP.objective, 13, accuracy: 1e-9)

        // The model itself is untouched by the negated export copy.
        XCTAssertEqual(model.direction, .maximize)
        XCTAssertEqual(try model.solve().objectiveValue, 13)
    }

    func testMinimisationWithConstantExportsKeepTheObjectiveValue() throws {
        guard glpsolPath != nil else { throw MissingTool(name: "glpsol (Debian glpk-utils)") }
        let directory = try makeTemporaryDirectory(self)
        // min 2a + 3b + 10  s.t.  a + b ≥ 4,  a ≤ 3,  b integer  →  19.
        let model = try LinearProgram(name: "with_constant")
        let a = try model.addColumn(name: "a", lower: 0, upper: 3, objective: 2)
        let b = try model.addColumn(name: "b", kind: .integer, objective: 3)
        try model.addRow(name: "demand", coefficients: [(a, 1), (b, 1)], bounds: .lower(4))
        try model.setObjectiveConstant(10)
        XCTAssertEqual(try model.solve().objectiveValue, 19)

        let mpsPath = directory.appendingPathComponent("c.mps").path
        XCTAssertFalse(try model.write(to: mpsPath, format: .freeMPS).objectiveNegated)
        XCTAssertEqual(try runGlpsol(["--freemps", mpsPath], in: directory).objective, 19, accuracy: 1e-9)

        let lpPath = directory.appendingPathComponent("c.lp").path
        let export = try model.write(to: lpPath, format: .cplexLP)
        XCTAssertEqual(export.constantColumnName, "objective_constant")
        XCTAssertEqual(try runGlpsol(["--lp", lpPath], in: directory).objective, 19, accuracy: 1e-9)
        XCTAssertEqual(model.columnCount, 2, "the constant column lives only in the export copy")
    }

    func testMaximisationWithConstantInMPSNegatesTheConstantToo() throws {
        guard glpsolPath != nil else { throw MissingTool(name: "glpsol (Debian glpk-utils)") }
        let directory = try makeTemporaryDirectory(self)
        let (model, _, _) = try makeReferenceIntegerProgram()
        try model.setObjectiveConstant(7)
        let path = directory.appendingPathComponent("k.mps").path
        try model.write(to: path, format: .freeMPS)
        XCTAssertEqual(try runGlpsol(["--freemps", path], in: directory).objective, -20, accuracy: 1e-9)
        XCTAssertEqual(try runGlpsol(["--freemps", path, "--min"], in: directory).objective, -20, accuracy: 1e-9)
    }
}

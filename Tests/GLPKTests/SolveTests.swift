import Foundation
import XCTest

@testable import GLPK

final class SolveTests: XCTestCase {
    func testReferenceIntegerProgramReachesKnownOptimum() throws {
        for presolve in [true, false] {
            let (model, cols, rows) = try makeReferenceIntegerProgram()
            XCTAssertTrue(model.isMIP)
            XCTAssertEqual(try model.nonZeroCount(), 9)
            let result = try model.solve(SolveOptions(presolve: presolve, branching: presolve ? .driebeckTomlin : .mostFractional))
            XCTAssertEqual(result.status, .optimal, "presolve \(presolve): \(result.status)")
            XCTAssertTrue(result.isMIP)
            XCTAssertEqual(try XCTUnwrap(result.objectiveValue), 13, accuracy: 1e-9)
            XCTAssertEqual(try result.value(of: cols[0]), 2)
            XCTAssertEqual(try result.value(of: cols[1]), 0)
            XCTAssertEqual(try result.value(of: cols[2]), 1)
            XCTAssertEqual(result.value(named: "x"), 2)
            XCTAssertEqual(result.value(named: "z"), 1)
            XCTAssertNil(result.value(named: "nope"))
            XCTAssertEqual(try result.activity(of: rows[0]), 5, accuracy: 1e-9)
            XCTAssertEqual(try result.activity(of: rows[1]), 10, accuracy: 1e-9)
            XCTAssertEqual(result.activity(named: "c3"), 8)
            XCTAssertEqual(result.mipGap, 0)
            XCTAssertEqual(try XCTUnwrap(result.bestBound), 13, accuracy: 1e-9)
            XCTAssertGreaterThanOrEqual(result.solveSeconds, 0)
            XCTAssertLessThan(result.solveSeconds, 5)
            XCTAssertNil(result.rowDuals, "duals are for LPs only")
            XCTAssertEqual(result.glpkOutput, "", "message level off prints nothing")
        }
    }

    func testLinearProgramOptimumWithDualsAndReducedCosts() throws {
        // max 3x + 5y  s.t.  x ≤ 4,  2y ≤ 12,  3x + 2y ≤ 18,  x, y ≥ 0  →  36 at (2, 6);
        // duals (0, 1.5, 1).
        for (presolve, method) in [(true, SimplexMethod.dualThenPrimal), (false, .dualThenPrimal), (false, .primal)] {
            let lp = try LinearProgram(name: "wyndor", direction: .maximize)
            let x = try lp.addColumn(name: "x", objective: 3)
            let y = try lp.addColumn(name: "y", objective: 5)
            let plant1 = try lp.addRow(name: "plant1", coefficients: [(x, 1)], bounds: .upper(4))
            let plant2 = try lp.addRow(name: "plant2", coefficients: [(y, 2)], bounds: .upper(12))
            let plant3 = try lp.addRow(name: "plant3", coefficients: [(x, 3), (y, 2)], bounds: .upper(18))
            XCTAssertFalse(lp.isMIP)
            let result = try lp.solve(SolveOptions(presolve: presolve, simplexMethod: method))
            XCTAssertEqual(result.status, .optimal)
            XCTAssertFalse(result.isMIP)
            XCTAssertNil(result.mipGap)
            XCTAssertEqual(try XCTUnwrap(result.objectiveValue), 36, accuracy: 1e-9)
            XCTAssertEqual(try result.value(of: x), 2, accuracy: 1e-9)
            XCTAssertEqual(try result.value(of: y), 6, accuracy: 1e-9)
            XCTAssertEqual(try result.dual(of: plant1), 0, accuracy: 1e-9)
            XCTAssertEqual(try result.dual(of: plant2), 1.5, accuracy: 1e-9)
            XCTAssertEqual(try result.dual(of: plant3), 1, accuracy: 1e-9)
            XCTAssertEqual(try result.activity(of: plant3), 18, accuracy: 1e-9)
            let reduced = try XCTUnwrap(result.reducedCosts)
            XCTAssertEqual(reduced.count, 2)
            XCTAssertEqual(reduced.map { abs($0) }.max() ?? 1, 0, accuracy: 1e-9, "both columns are basic")
        }
    }

    func testAColumnJoinsExistingRowsAfterASolveAndTheNextSolveUsesIt() throws {
        // min 3x  s.t.  x ≥ 2 (demand), x ≤ 5: 6. Then y (price 1) joins demand and a new row
        // y ≤ 1: the optimum becomes x = 1, y = 1 → 4, from the last basis (no presolve).
        let lp = try LinearProgram(name: "grow")
        let x = try lp.addColumn(name: "x", upper: 5, objective: 3)
        let demand = try lp.addRow(name: "demand", coefficients: [(x, 1)], bounds: .lower(2))
        var options = SolveOptions(presolve: false)
        options.simplexMethod = .primal
        var result = try lp.solve(options)
        XCTAssertEqual(try XCTUnwrap(result.objectiveValue), 6, accuracy: 1e-9)
        XCTAssertEqual(try result.dual(of: demand), 3, accuracy: 1e-9, "y prices to 1 − 3 < 0: it would help")
        let y = try lp.addColumn(name: "y", objective: 1)
        let cap = try lp.addRow(name: "cap", coefficients: [], bounds: .upper(1))
        try lp.setCoefficients(of: y, [(demand, 1), (cap, 1), (demand, 0)].filter { $0.1 != 0 })
        XCTAssertEqual(try lp.nonZeroCount(), 3)
        result = try lp.solve(options)
        XCTAssertEqual(result.status, .optimal)
        XCTAssertEqual(try XCTUnwrap(result.objectiveValue), 4, accuracy: 1e-9)
        XCTAssertEqual(try result.value(of: y), 1, accuracy: 1e-9)
        XCTAssertEqual(try result.activity(of: demand), 2, accuracy: 1e-9)
        // A repeated row or a number that is not finite is refused, naming the column.
        XCTAssertThrowsError(try lp.setCoefficients(of: y, [(demand, 1), (demand, 2)])) { XCTAssertTrue("\($0)".contains("'y'"), "\($0)") }
        XCTAssertThrowsError(try lp.setCoefficients(of: y, [(cap, .nan)])) { XCTAssertTrue("\($0)".contains("cap"), "\($0)") }
        let other = try LinearProgram(name: "other")
        let foreign = try other.addRow(name: "r", coefficients: [], bounds: .free)
        XCTAssertThrowsError(try lp.setCoefficients(of: y, [(foreign, 1)]))
        XCTAssertEqual(try lp.nonZeroCount(), 3, "a refused change changes nothing")
    }

    func testARelaxationMadeBinaryIsBranchedOnFromItsBasis() throws {
        // max x + y  s.t.  x + y ≤ 1.5, x, y in [0, 1]: the LP gives 1.5; made binary, 1.
        let lp = try LinearProgram(name: "relaxed", direction: .maximize)
        let x = try lp.addColumn(name: "x", upper: 1, objective: 1)
        let y = try lp.addColumn(name: "y", upper: 1, objective: 1)
        let wide = try lp.addColumn(name: "w", upper: 5)
        try lp.addRow(name: "cap", coefficients: [(x, 1), (y, 1)], bounds: .upper(1.5))
        let options = SolveOptions(presolve: false)
        XCTAssertEqual(try XCTUnwrap(try lp.solve(options).objectiveValue), 1.5, accuracy: 1e-9)
        XCTAssertThrowsError(try lp.makeBinary([x, wide])) { XCTAssertTrue("\($0)".contains("'w'"), "\($0)") }
        XCTAssertFalse(lp.isMIP, "a refused change changes nothing")
        try lp.makeBinary([x, y])
        XCTAssertTrue(lp.isMIP)
        XCTAssertEqual(try lp.kind(of: x), .binary)
        let r = try lp.solve(options)
        XCTAssertEqual(r.status, .optimal)
        XCTAssertEqual(try XCTUnwrap(r.objectiveValue), 1, accuracy: 1e-9)
        XCTAssertThrowsError(try lp.makeBinary([x]), "already binary")
    }

    func testObjectiveConstantBoundsChangesAndResolve() throws {
        // min 2a + 3b + 10  s.t.  a + b ≥ 4,  a ≤ 3  →  a = 3, b = 1, objective 19.
        let lp = try LinearProgram(name: "resolve")
        let a = try lp.addColumn(name: "a", lower: 0, upper: 3, objective: 2)
        let b = try lp.addColumn(name: "b", objective: 3)
        let demand = try lp.addRow(name: "demand", coefficients: [(a, 1), (b, 1)], bounds: .lower(4))
        try lp.setObjectiveConstant(10)
        XCTAssertEqual(try lp.objectiveConstant(), 10)
        var result = try lp.solve()
        XCTAssertEqual(try XCTUnwrap(result.objectiveValue), 19, accuracy: 1e-9)

        // Fix b to 0: a alone cannot cover demand 4 → infeasible.
        try lp.setBounds(of: b, lower: 0, upper: 0)
        result = try lp.solve()
        XCTAssertEqual(result.status, .infeasible)
        XCTAssertFalse(result.hasSolution)
        XCTAssertNil(result.objectiveValue)
        XCTAssertThrowsError(try result.value(of: a)) { error in
            XCTAssertEqual((error as? GLPKError)?.code, .noSolution)
        }

        // Relax demand to a range and make b free again.
        try lp.setBounds(of: b, lower: 0, upper: nil)
        try lp.setBounds(of: demand, .range(2, 10))
        try lp.setObjectiveCoefficient(-1, for: b)
        result = try lp.solve()   // min 2a - b + 10 with a + b ≤ 10 → b = 10, objective 0
        XCTAssertEqual(try XCTUnwrap(result.objectiveValue), 0, accuracy: 1e-9)
        XCTAssertEqual(try result.value(of: b), 10, accuracy: 1e-9)

        try lp.setDirection(.maximize)   // max 2a - b + 10 → a = 3, b = 0 (a + b ≥ 2) → 16
        result = try lp.solve()
        XCTAssertEqual(try XCTUnwrap(result.objectiveValue), 16, accuracy: 1e-9)
    }

    func testInfeasibleModelsReportInfeasible() throws {
        for presolve in [true, false] {
            // LP: x + y ≥ 5 and x + y ≤ 3.
            let lp = try LinearProgram(name: "infeasible_lp")
            let x = try lp.addColumn(name: "x", objective: 1)
            let y = try lp.addColumn(name: "y", objective: 1)
            try lp.addRow(name: "atLeast5", coefficients: [(x, 1), (y, 1)], bounds: .lower(5))
            try lp.addRow(name: "atMost3", coefficients: [(x, 1), (y, 1)], bounds: .upper(3))
            let r1 = try lp.solve(SolveOptions(presolve: presolve))
            XCTAssertEqual(r1.status, .infeasible, "LP presolve \(presolve)")
            XCTAssertTrue(r1.columnValues.isEmpty)

            // MIP whose LP relaxation is feasible but which has no integer point: 2k = 1.
            let mip = try LinearProgram(name: "infeasible_mip")
            let k = try mip.addColumn(name: "k", kind: .integer, lower: 0, upper: 10, objective: 1)
            try mip.addRow(name: "odd", coefficients: [(k, 2)], bounds: .fixed(1))
            let r2 = try mip.solve(SolveOptions(presolve: presolve))
            XCTAssertEqual(r2.status, .infeasible, "MIP presolve \(presolve)")

            // MIP whose LP relaxation is already infeasible.
            let mip2 = try LinearProgram(name: "infeasible_relaxation")
            let b = try mip2.addColumn(name: "b", kind: .binary, objective: 1)
            try mip2.addRow(name: "impossible", coefficients: [(b, 1)], bounds: .lower(2))
            let r3 = try mip2.solve(SolveOptions(presolve: presolve))
            XCTAssertEqual(r3.status, .infeasible, "relaxation presolve \(presolve)")
            XCTAssertTrue(r3.status.description.contains("infeasible"))
        }
    }

    func testUnboundedModelsReportUnbounded() throws {
        for presolve in [true, false] {
            let lp = try LinearProgram(name: "unbounded", direction: .maximize)
            let x = try lp.addColumn(name: "x", objective: 1)
            let y = try lp.addColumn(name: "y")
            try lp.addRow(name: "r", coefficients: [(x, 1), (y, -1)], bounds: .upper(1))
            XCTAssertEqual(try lp.solve(SolveOptions(presolve: presolve)).status, .unbounded, "LP presolve \(presolve)")

            let mip = try LinearProgram(name: "unbounded_mip", direction: .maximize)
            let n = try mip.addColumn(name: "n", kind: .integer, objective: 1)
            let m = try mip.addColumn(name: "m", kind: .integer)
            try mip.addRow(name: "r", coefficients: [(n, 1), (m, -1)], bounds: .upper(1))
            XCTAssertEqual(try mip.solve(SolveOptions(presolve: presolve)).status, .unbounded, "MIP presolve \(presolve)")
        }
    }

    func testModelsWithoutRowsSolve() throws {
        let lp = try LinearProgram(name: "no_rows", direction: .maximize)
        let x = try lp.addColumn(name: "x", kind: .integer, lower: 0, upper: 3, objective: 2)
        let result = try lp.solve()
        XCTAssertEqual(result.status, .optimal)
        XCTAssertEqual(try result.value(of: x), 3)
        XCTAssertEqual(result.objectiveValue, 6)

        let empty = try LinearProgram(name: "empty")
        XCTAssertEqual(try empty.solve().status, .optimal)
    }

    func testBinaryColumnsAndFixings() throws {
        // Choose at most 2 of 4 items, maximise value; item 3 forced in, item 0 forced out.
        let model = try LinearProgram(name: "pick", direction: .maximize)
        let values: [Double] = [10, 7, 5, 1]
        let items = try model.addColumns(values.enumerated().map {
            ColumnSpec(name: "item\($0.offset)", kind: .binary, objective: $0.element)
        })
        try model.addRow(name: "atMost2", coefficients: items.map { ($0, 1) }, bounds: .upper(2))
        XCTAssertEqual(try model.kind(of: items[0]), .binary)
        try model.setBounds(of: items[0], lower: 0, upper: 0)
        try model.setBounds(of: items[3], lower: 1, upper: 1)
        let result = try model.solve()
        XCTAssertEqual(result.status, .optimal)
        XCTAssertEqual(result.columnValues, [0, 1, 0, 1])
        XCTAssertEqual(result.objectiveValue, 8)
    }

    func testTimeLimitWithIncumbentReportsGapAndBound() throws {
        let model = try makeMarketSplit(rows: 4, columns: 30, seed: 7, slack: true)
        let wall = ContinuousClock().measure {
            do {
                let result = try model.solve(SolveOptions(timeLimit: 1))
                XCTAssertEqual(result.status, .timeLimit(bestFound: true), "\(result.status)")
                XCTAssertTrue(result.hasSolution)
                let objective = try XCTUnwrap(result.objectiveValue)
                let bound = try XCTUnwrap(result.bestBound)
                let gap = try XCTUnwrap(result.mipGap)
                XCTAssertLessThanOrEqual(bound, objective + 1e-9)
                XCTAssertGreaterThan(gap, 0)
                XCTAssertEqual(result.columnValues.count, model.columnCount)
                // The incumbent survives GLPK's MIP postprocessing intact: the
                // objective is the total slack, and every split row holds.
                let slack = model.columns.filter { (try? model.name(of: $0).hasPrefix("s_")) == true }
                XCTAssertEqual(slack.count, 8)
                XCTAssertEqual(try slack.map { try result.value(of: $0) }.reduce(0, +), objective, accuracy: 1e-6)
                for value in result.columnValues.prefix(30) {
                    XCTAssertTrue(value == 0 || value == 1, "binary value \(value)")
                }
                XCTAssertGreaterThanOrEqual(result.solveSeconds, 0.9)
                print("market split with slack: objective \(objective), bound \(bound), gap \(gap), "
                        + "GLPK seconds \(result.solveSeconds)")
            } catch {
                XCTFail("\(error)")
            }
        }
        XCTAssertLessThan(wall, .seconds(10))
    }

    func testLooseGapToleranceStopsWithinGap() throws {
        // Multi-dimensional knapsack (max): the first good incumbent is within 20 % of the bound.
        var state: UInt64 = 3
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double((state >> 33) % 100 + 1)
        }
        let n = 60
        let model = try LinearProgram(name: "knapsack", direction: .maximize)
        let items = try model.addColumns((0..<n).map { ColumnSpec(name: "take\($0)", kind: .binary, objective: next()) })
        for i in 0..<5 {
            let weights = (0..<n).map { _ in next() }
            try model.addRow(name: "dim\(i)", coefficients: zip(items, weights).map { ($0, $1) },
                             bounds: .upper((weights.reduce(0, +) / 3).rounded()))
        }
        let result = try model.solve(SolveOptions(timeLimit: 20, relativeMIPGap: 0.2))
        guard case .withinGap(let gap) = result.status else {
            return XCTFail("expected withinGap, got \(result.status)")
        }
        XCTAssertGreaterThan(gap, 0)
        XCTAssertLessThanOrEqual(gap, 0.2)
        XCTAssertEqual(result.mipGap, gap)
        let objective = try XCTUnwrap(result.objectiveValue)
        let bound = try XCTUnwrap(result.bestBound)
        XCTAssertGreaterThanOrEqual(bound, objective - 1e-9, "for a maximisation the bound is above the incumbent")
        XCTAssertTrue(result.hasSolution)
        XCTAssertTrue(result.status.description.contains("within the requested relative gap"))
        print("knapsack: objective \(objective), bound \(bound), gap \(gap)")
    }

    func testTimeLimitWithoutIncumbent() throws {
        let model = try makeMarketSplit(rows: 4, columns: 30, seed: 11, slack: false)
        let result = try model.solve(SolveOptions(timeLimit: 1))
        XCTAssertEqual(result.status, .timeLimit(bestFound: false), "\(result.status)")
        XCTAssertFalse(result.hasSolution)
        XCTAssertNil(result.objectiveValue)
        XCTAssertTrue(result.status.description.contains("before any feasible solution"))
        print("market split without slack: GLPK seconds \(result.solveSeconds) for a 1 s limit")
    }

    func testMessageLevelCapturesLog() throws {
        let (model, _, _) = try makeReferenceIntegerProgram()
        // .normal: progress lines only (GLPK 5 prints its banner and verdict only at .all).
        let normal = try model.solve(SolveOptions(messageLevel: .normal))
        XCTAssertEqual(normal.status, .optimal)
        XCTAssertTrue(normal.glpkOutput.contains("tree is empty"), normal.glpkOutput)
        let all = try model.solve(SolveOptions(messageLevel: .all))
        XCTAssertTrue(all.glpkOutput.contains("INTEGER OPTIMAL SOLUTION FOUND"), all.glpkOutput)
        // Back to quiet.
        XCTAssertEqual(try model.solve().glpkOutput, "")
    }

    func testBulkLoadingAssignmentProblem() throws {
        // n × n assignment with cost |i − j| + 1: optimum n (the identity).
        let n = 120
        let clock = ContinuousClock()
        let start = clock.now
        let model = try LinearProgram(name: "assignment")
        var specs: [ColumnSpec] = []
        specs.reserveCapacity(n * n)
        for i in 0..<n {
            for j in 0..<n {
                specs.append(ColumnSpec(name: "x_\(i)_\(j)", kind: .binary, objective: Double(abs(i - j) + 1)))
            }
        }
        let x = try model.addColumns(specs)
        var rows: [RowSpec] = []
        for i in 0..<n {
            rows.append(RowSpec(name: "worker\(i)", coefficients: (0..<n).map { (x[i * n + $0], 1) }, bounds: .fixed(1)))
        }
        for j in 0..<n {
            try model.addRow(name: "task\(j)", coefficients: (0..<n).map { (x[$0 * n + j], 1) }, bounds: .fixed(1))
        }
        try model.addRows(rows)
        let built = clock.now
        XCTAssertEqual(try model.nonZeroCount(), 2 * n * n)
        let result = try model.solve()
        XCTAssertEqual(result.status, .optimal)
        XCTAssertEqual(try XCTUnwrap(result.objectiveValue), Double(n), accuracy: 1e-9)
        XCTAssertEqual(try result.value(of: x[5 * n + 5]), 1)
        print("assignment \(n)x\(n): \(model.columnCount) columns, \(2 * n * n) non-zeros; "
                + "built in \(start.duration(to: built)), solved in \(result.solveSeconds) s")
    }
}

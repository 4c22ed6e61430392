import CGLPK
import CGLPKGuard
import Foundation

/// What ``LinearProgram/write(to:format:)`` wrote, including any rewriting
/// done to keep the file faithful to the model.
public struct ModelExport: Sendable, Equatable {
    public let path: String
    public let format: ModelFileFormat
    /// True when the model maximises and the file is free MPS: the file
    /// minimises the negated objective, so its optimal value is −1 × the
    /// model's. A comment at the top of the file says so.
    public let objectiveNegated: Bool
    /// For CPLEX LP files of models with a non-zero objective constant: the
    /// name of the extra column, fixed at 1, that carries the constant
    /// (GLPK's LP writer would otherwise drop the constant into a comment).
    public let constantColumnName: String?
    /// GLPK's terminal text while writing.
    public let glpkOutput: String
}

extension LinearProgram {
    /// Writes the model to a file for inspection or for other solvers
    /// (`planner --write-model`).
    ///
    /// Faithfulness fixes, all applied to a temporary copy (this model is unchanged):
    /// - **Free MPS + maximisation.** GLPK 5.0's MPS writer has no objective-sense
    ///   record and readers assume minimisation, so a maximisation would silently
    ///   become a minimisation. The copy minimises `−objective` instead (same
    ///   optimal point, objective value negated) and the file starts with a
    ///   comment saying so; ``ModelExport/objectiveNegated`` is true.
    /// - **CPLEX LP + objective constant.** GLPK's LP writer drops the constant
    ///   term into a comment; the copy carries it as an extra column fixed at 1
    ///   (see ``ModelExport/constantColumnName``), so solvers report the same objective value.
    ///
    /// GLPK's LP writer replaces names the CPLEX LP syntax does not allow
    /// (for example non-ASCII names) with generic ones (`r_1`, `x_1`).
    ///
    /// - Throws: ``GLPKError/Code/exportFailed`` if the model has no rows or no
    ///   columns (GLPK's MPS writer aborts on zero rows; its LP writer writes an
    ///   empty problem) or if GLPK cannot create the file (with GLPK's message).
    @discardableResult
    public func write(to path: String, format: ModelFileFormat) throws -> ModelExport {
        try checkUsable()
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw GLPKError.exportFailed("'\(path)' is not a usable file path")
        }
        guard rowCount > 0, columnCount > 0 else {
            throw GLPKError.exportFailed(
                "model '\(name)' has \(rowCount) rows and \(columnCount) columns; GLPK can only write "
                    + "a model with at least one row and one column")
        }

        var negate = false
        var constantColumn: String?
        var target: LinearProgram = self
        switch format {
        case .freeMPS:
            if direction == .maximize {
                let copy = try exportCopy()
                let n = Int32(columnCount)
                for j in 0...n {
                    glp_set_obj_coef(copy.prob, j, -glp_get_obj_coef(copy.prob, j))
                }
                glp_set_obj_dir(copy.prob, GLP_MIN)
                negate = true
                target = copy
            }
        case .cplexLP:
            let constant = glp_get_obj_coef(prob, 0)
            if constant != 0 {
                let copy = try exportCopy()
                var candidate = "objective_constant"
                var suffix = 1
                while columnIndexByName[candidate] != nil {
                    suffix += 1
                    candidate = "objective_constant_\(suffix)"
                }
                let j = glp_add_cols(copy.prob, 1)
                glp_set_col_name(copy.prob, j, candidate)
                glp_set_col_bnds(copy.prob, j, GLP_FX, 1, 1)
                glp_set_obj_coef(copy.prob, j, constant)
                glp_set_obj_coef(copy.prob, 0, 0)
                constantColumn = candidate
                target = copy
            }
        }

        let (code, output) = try guarded("writing \(format) file '\(path)'") { fatal in
            switch format {
            case .freeMPS: return cglpk_write_mps(target.prob, GLP_MPS_FILE, path, fatal)
            case .cplexLP: return cglpk_write_lp(target.prob, path, fatal)
            }
        }
        guard code == 0 else {
            let detail = GLPKError.lastLines(of: output, count: 2)
            throw GLPKError.exportFailed(
                "GLPK could not write \(format) file '\(path)'" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        if negate {
            try prependComment(
                "* NOTE: model '\(name)' MAXIMISES its objective. Free MPS has no objective sense,\n"
                    + "* so this file MINIMISES the negated objective: its optimal value is -1 x the model's.\n",
                to: path)
        }
        return ModelExport(path: path, format: format, objectiveNegated: negate,
                           constantColumnName: constantColumn, glpkOutput: output)
    }

    /// A full copy (names included) owned by a new `LinearProgram` on this thread.
    func exportCopy() throws -> LinearProgram {
        let copy = LinearProgram(unfilledNamed: name)
        _ = try guarded("copying the problem") { fatal in cglpk_copy_prob(copy.prob, prob, GLP_ON, fatal) }
        copy.reloadFromGLPK(freezeStructure: false)
        return copy
    }

    private func prependComment(_ comment: String, to path: String) throws {
        do {
            let url = URL(fileURLWithPath: path)
            let body = try Data(contentsOf: url)
            var data = Data(comment.utf8)
            data.append(body)
            try data.write(to: url, options: .atomic)
        } catch {
            throw GLPKError.exportFailed("could not add the objective-sense note to '\(path)': \(error)")
        }
    }
}

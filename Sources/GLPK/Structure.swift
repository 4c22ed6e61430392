import CGLPK
import Foundation

extension LinearProgram {
    /// Everything GLPK holds of the problem's structure, as text: the objective's name, sense
    /// and constant; every row (name, bound type and bounds, its elements in GLPK's own row-list
    /// order); every column (name, kind, bound type and bounds, objective coefficient, its
    /// elements in GLPK's column-list order). Numbers are written so that they read back as the
    /// same `Double`.
    ///
    /// Two problems with equal texts are the same problem to every GLPK routine, down to the
    /// order in which the simplex and the cut generators meet the elements: it is how a problem
    /// built through this API is checked against the MathProg translation of the same model
    /// (`Planning`'s roster teams model).
    public func structureText() throws -> String {
        try checkUsable()
        func num(_ v: Double) -> String { "\(v)" }
        func bounds(_ type: Int32, _ lb: Double, _ ub: Double) -> String {
            switch type {
            case GLP_FR: return "free"
            case GLP_LO: return ">= \(num(lb))"
            case GLP_UP: return "<= \(num(ub))"
            case GLP_DB: return "[\(num(lb)), \(num(ub))]"
            case GLP_FX: return "= \(num(lb))"
            default: return "type \(type)"
            }
        }
        func cName(_ s: UnsafePointer<CChar>?) -> String { s.map { String(cString: $0) } ?? "" }
        var out = "objective \(cName(glp_get_obj_name(prob))) \(glp_get_obj_dir(prob) == GLP_MIN ? "min" : "max")"
            + " constant \(num(glp_get_obj_coef(prob, 0)))\n"
        let m = glp_get_num_rows(prob), n = glp_get_num_cols(prob)
        var ind = [Int32](repeating: 0, count: Int(max(m, n)) + 1)
        var val = [Double](repeating: 0, count: Int(max(m, n)) + 1)
        if m > 0 {
            for i in 1...m {
                out += "row \(i) \(cName(glp_get_row_name(prob, i))) "
                    + bounds(glp_get_row_type(prob, i), glp_get_row_lb(prob, i), glp_get_row_ub(prob, i)) + ":"
                let len = glp_get_mat_row(prob, i, &ind, &val)
                if len > 0 { for k in 1...Int(len) { out += " \(ind[k])*\(num(val[k]))" } }
                out += "\n"
            }
        }
        if n > 0 {
            for j in 1...n {
                let kind = glp_get_col_kind(prob, j)
                out += "col \(j) \(cName(glp_get_col_name(prob, j))) \(kind == GLP_CV ? "continuous" : kind == GLP_BV ? "binary" : "integer") "
                    + bounds(glp_get_col_type(prob, j), glp_get_col_lb(prob, j), glp_get_col_ub(prob, j))
                    + " obj \(num(glp_get_obj_coef(prob, j))):"
                let len = glp_get_mat_col(prob, j, &ind, &val)
                if len > 0 { for k in 1...Int(len) { out += " \(ind[k])*\(num(val[k]))" } }
                out += "\n"
            }
        }
        return out
    }
}

import CGLPK
import LinearProgramming

/// Conversions between `Model` and GLPK's problem object. Callers validate the
/// model first: these functions assume every number is one GLPK accepts.
enum GLPKProblem {
  static func boundType(_ lo: Double, _ up: Double) -> Int32 {
    switch (lo.isFinite, up.isFinite) {
    case (false, false): return GLP_FR
    case (true, false): return GLP_LO
    case (false, true): return GLP_UP
    case (true, true): return lo == up ? GLP_FX : GLP_DB
    }
  }

  /// A new, empty GLPK problem object.
  static func create() throws(LPError) -> OpaquePointer {
    guard let p = glp_create_prob() else { throw .solverFailure("GLPK could not allocate a problem object") }
    return p
  }

  /// Builds a GLPK problem holding `model`. Rows go in with glp_set_mat_row, one
  /// row at a time, so no second copy of the whole matrix is made.
  static func load(_ model: Model) throws(LPError) -> OpaquePointer {
    let p = try create()
    model.name.withCString { glp_set_prob_name(p, $0) }
    model.objectiveName.withCString { glp_set_obj_name(p, $0) }
    glp_set_obj_dir(p, model.sense == .maximize ? GLP_MAX : GLP_MIN)
    glp_set_obj_coef(p, 0, model.objectiveConstant)

    let n = model.variableCount
    if n > 0 { glp_add_cols(p, Int32(n)) }
    for j in 0..<n {
      let col = Int32(j + 1)
      if !model.variableNames[j].isEmpty {
        model.variableNames[j].withCString { glp_set_col_name(p, col, $0) }
      }
      let lo = model.variableLower[j]
      let up = model.variableUpper[j]
      glp_set_col_bnds(p, col, boundType(lo, up), lo.isFinite ? lo : 0, up.isFinite ? up : 0)
      switch model.variableKinds[j] {
      case .continuous: break
      case .integer: glp_set_col_kind(p, col, GLP_IV)
      case .binary: glp_set_col_kind(p, col, GLP_BV)
      }
      let c = model.objectiveCoefficients[j]
      if c != 0 { glp_set_obj_coef(p, col, c) }
    }

    let m = model.constraintCount
    if m > 0 { glp_add_rows(p, Int32(m)) }
    for i in 0..<m {
      let row = Int32(i + 1)
      if !model.constraintNames[i].isEmpty {
        model.constraintNames[i].withCString { glp_set_row_name(p, row, $0) }
      }
      let lo = model.constraintLower[i]
      let up = model.constraintUpper[i]
      glp_set_row_bnds(p, row, boundType(lo, up), lo.isFinite ? lo : 0, up.isFinite ? up : 0)
    }
    // One glp_load_matrix call: row by row (glp_set_mat_row) costs GLPK about
    // twice as much. The 1-based triplets are a temporary 16 bytes per non-zero.
    let nz = model.nonzeroCount
    if nz > 0 {
      var ia = [Int32](repeating: 0, count: nz + 1)
      var ja = [Int32](repeating: 0, count: nz + 1)
      var ar = [Double](repeating: 0, count: nz + 1)
      ia.withUnsafeMutableBufferPointer { ia in
        ja.withUnsafeMutableBufferPointer { ja in
          ar.withUnsafeMutableBufferPointer { ar in
            model.entryColumn.withUnsafeBufferPointer { cols in
              model.entryValue.withUnsafeBufferPointer { vals in
                for i in 0..<m {
                  for k in model.rowStart[i]..<model.rowStart[i + 1] {
                    ia[k + 1] = Int32(i + 1)
                    ja[k + 1] = cols[k] + 1
                    ar[k + 1] = vals[k]
                  }
                }
              }
            }
          }
        }
      }
      glp_load_matrix(p, Int32(nz), ia, ja, ar)
    }
    return p
  }

  /// Reads a GLPK problem (from a file or MathProg) back into a `Model`.
  static func extract(_ p: OpaquePointer) -> Model {
    var model = Model(name: glp_get_prob_name(p).map { String(cString: $0) } ?? "model")
    if let s = glp_get_obj_name(p) { model.objectiveName = String(cString: s) }
    let n = Int(glp_get_num_cols(p))
    let m = Int(glp_get_num_rows(p))
    func bounds(_ type: Int32, _ lb: Double, _ ub: Double) -> (Double, Double) {
      switch type {
      case GLP_FR: return (-.infinity, .infinity)
      case GLP_LO: return (lb, .infinity)
      case GLP_UP: return (-.infinity, ub)
      case GLP_FX: return (lb, lb)
      default: return (lb, ub)
      }
    }
    for j in 1...max(n, 1) where n > 0 {
      let name = glp_get_col_name(p, Int32(j)).map { String(cString: $0) } ?? ""
      let (lo, up) = bounds(
        glp_get_col_type(p, Int32(j)), glp_get_col_lb(p, Int32(j)), glp_get_col_ub(p, Int32(j)))
      let kind: VariableKind
      switch glp_get_col_kind(p, Int32(j)) {
      case GLP_BV: kind = .binary
      case GLP_IV: kind = .integer
      default: kind = .continuous
      }
      let v = model.addVariable(name, kind: kind, lower: lo, upper: up)
      if kind == .binary { model.setBounds(v, lower: lo, upper: up) }
      model.setObjectiveCoefficient(v, glp_get_obj_coef(p, Int32(j)))
    }
    model.sense = glp_get_obj_dir(p) == GLP_MAX ? .maximize : .minimize
    model.objectiveConstant = glp_get_obj_coef(p, 0)
    var ind = [Int32](repeating: 0, count: n + 1)
    var val = [Double](repeating: 0, count: n + 1)
    for i in 1...max(m, 1) where m > 0 {
      let name = glp_get_row_name(p, Int32(i)).map { String(cString: $0) } ?? ""
      let (lo, up) = bounds(
        glp_get_row_type(p, Int32(i)), glp_get_row_lb(p, Int32(i)), glp_get_row_ub(p, Int32(i)))
      let len = Int(glp_get_mat_row(p, Int32(i), &ind, &val))
      var expr = LinearExpression()
      expr.terms.reserveCapacity(len)
      for k in 1...max(len, 1) where len > 0 { expr.add(val[k], Variable(index: Int(ind[k]) - 1)) }
      model.addConstraint(expr, lower: lo, upper: up, name: name)
    }
    return model
  }
}

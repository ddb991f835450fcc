import CGLPK
import CGLPKGuard
import LinearProgramming

extension GLPKSolver {
  /// Finds an irreducible infeasible subset of `model`'s LP relaxation with a
  /// deletion filter: each row and each bounded column is relaxed in turn (in
  /// blocks, halved when a block cannot go whole) and stays relaxed if the rest
  /// is still infeasible. Returns nil when the LP relaxation is feasible (an
  /// infeasible MIP whose relaxation is feasible has no LP subset to show).
  public func infeasibleSubset(_ model: Model, options: SolveOptions = SolveOptions()) throws(LPError)
    -> InfeasibleSubset?
  {
    try model.validate()
    return try withGLPKSession(captureLog: false, logLevel: options.logLevel) {
      (s: inout GLPKSession) throws(LPError) -> InfeasibleSubset? in
      var relaxation = model
      for j in 0..<model.variableCount where model.variableKinds[j] != .continuous {
        relaxation.variableKinds[j] = .continuous
      }
      // Feasibility is all that matters: a zero objective can never be unbounded.
      relaxation.objectiveCoefficients = Array(repeating: 0, count: model.variableCount)
      let p = try GLPKProblem.load(relaxation)
      defer { s.deleteProblem(p) }
      var filter = DeletionFilter(p: p, model: relaxation, options: options)
      guard try filter.isInfeasible(session: &s) else { return nil }
      var elements: [DeletionFilter.Element] = (0..<model.constraintCount).map { .row($0) }
      elements += (0..<model.variableCount).filter {
        model.variableLower[$0].isFinite || model.variableUpper[$0].isFinite
      }.map { .column($0) }
      var kept: [DeletionFilter.Element] = []
      try filter.process(elements[...], keeping: &kept, session: &s)
      return InfeasibleSubset(
        constraints: kept.compactMap { if case .row(let i) = $0 { Constraint(index: i) } else { nil } },
        boundedVariables: kept.compactMap { if case .column(let j) = $0 { Variable(index: j) } else { nil } },
        solves: filter.solves)
    }
  }
}

struct DeletionFilter {
  enum Element { case row(Int), column(Int) }
  let p: OpaquePointer
  let model: Model
  var options: SolveOptions
  var solves = 0

  init(p: OpaquePointer, model: Model, options: SolveOptions) {
    self.p = p
    self.model = model
    self.options = options
    self.options.presolve = false
    self.options.timeLimitSeconds = nil
  }

  mutating func isInfeasible(session s: inout GLPKSession) throws(LPError) -> Bool {
    solves += 1
    // Start from the current basis: each step changes a few bounds only.
    var ret = try GLPKSolver.runSimplex(p, session: &s, options: options, basis: nil)
    if ret != 0 {
      glp_std_basis(p)
      ret = try GLPKSolver.runSimplex(p, session: &s, options: options, basis: nil)
    }
    guard ret == 0 else {
      throw .solverFailure("the simplex failed (GLPK code \(ret)) while isolating infeasibility")
    }
    return glp_get_status(p) == GLP_NOFEAS
  }

  func set(_ e: Element, relaxed: Bool) {
    switch e {
    case .row(let i):
      let lo = model.constraintLower[i]
      let up = model.constraintUpper[i]
      let type = relaxed ? GLP_FR : GLPKProblem.boundType(lo, up)
      glp_set_row_bnds(p, Int32(i + 1), type, lo.isFinite ? lo : 0, up.isFinite ? up : 0)
    case .column(let j):
      let lo = model.variableLower[j]
      let up = model.variableUpper[j]
      let type = relaxed ? GLP_FR : GLPKProblem.boundType(lo, up)
      glp_set_col_bnds(p, Int32(j + 1), type, lo.isFinite ? lo : 0, up.isFinite ? up : 0)
    }
  }

  /// Relaxes `block`; keeps it relaxed if still infeasible, else restores it
  /// and splits it, down to single elements that must stay.
  mutating func process(
    _ block: ArraySlice<Element>, keeping kept: inout [Element], session s: inout GLPKSession
  )
    throws(LPError)
  {
    guard !block.isEmpty else { return }
    for e in block { set(e, relaxed: true) }
    if try isInfeasible(session: &s) { return }
    for e in block { set(e, relaxed: false) }
    if block.count == 1 {
      kept.append(block[block.startIndex])
      return
    }
    let mid = block.startIndex + block.count / 2
    try process(block[..<mid], keeping: &kept, session: &s)
    try process(block[mid...], keeping: &kept, session: &s)
  }
}

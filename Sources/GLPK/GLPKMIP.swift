import CGLPK
import CGLPKGuard
import Foundation
import LinearProgramming

/// State shared with GLPK's branch-and-cut callback, on the solving thread only.
final class MIPSearch {
  let progress: (@Sendable (MIPProgress) -> Bool)?
  var bestBound: Double?
  var nodes = 0
  var stopped = false
  let clock = ContinuousClock()
  let start: ContinuousClock.Instant
  var lastReport: ContinuousClock.Instant

  init(progress: (@Sendable (MIPProgress) -> Bool)?) {
    self.progress = progress
    start = clock.now
    lastReport = start
  }

  func observe(_ tree: OpaquePointer) {
    let reason = glp_ios_reason(tree)
    guard reason == GLP_ISELECT || reason == GLP_IBINGO || reason == GLP_IPREPRO else { return }
    let best = glp_ios_best_node(tree)
    // Before the root LP is solved GLPK reports +/-DBL_MAX: no bound yet.
    if best != 0 {
      let bound = glp_ios_node_bound(tree, best)
      if abs(bound) < Double.greatestFiniteMagnitude { bestBound = bound }
    }
    var active: Int32 = 0
    var current: Int32 = 0
    var total: Int32 = 0
    glp_ios_tree_size(tree, &active, &current, &total)
    nodes = max(nodes, Int(total))
    guard let progress else { return }
    let now = clock.now
    guard reason == GLP_IBINGO || now - lastReport > .milliseconds(250) else { return }
    lastReport = now
    let prob = glp_ios_get_prob(tree)
    let hasIncumbent = glp_mip_status(prob) == GLP_FEAS || glp_mip_status(prob) == GLP_OPT
    let report = MIPProgress(
      incumbent: hasIncumbent ? glp_mip_obj_val(prob) : nil, bestBound: bestBound,
      relativeGap: hasIncumbent ? glp_ios_mip_gap(tree) : nil, nodes: nodes,
      elapsedSeconds: GLPKSolver.seconds(now - start))
    if !progress(report) {
      stopped = true
      glp_ios_terminate(tree)
    }
  }
}

extension GLPKSolver {
  static func solveMIP(
    _ p: OpaquePointer, session s: inout GLPKSession, options: SolveOptions,
    clock: ContinuousClock, start: ContinuousClock.Instant
  ) throws(LPError) -> Solution {
    // A starting solution is handed over as GLPK's stored MIP solution (use_sol),
    // which works on the original columns: GLPK's MIP presolver goes off, and
    // the root LP is then ours to solve.
    let presolve = options.presolve && options.initialSolution == nil
    if !presolve {
      let ret = try runSimplex(p, session: &s, options: options, basis: options.warmStartBasis)
      if ret != 0 || glp_get_status(p) != GLP_OPT {
        var relaxation = lpOutcome(p, ret: ret, isMIP: true)
        relaxation.values = []
        relaxation.rowActivities = []
        relaxation.duals = nil
        relaxation.reducedCosts = nil
        return relaxation
      }
    }
    var parm = glp_iocp()
    glp_init_iocp(&parm)
    parm.msg_lev = options.logLevel.glpk
    parm.presolve = presolve ? GLP_ON : GLP_OFF
    if let t = options.timeLimitSeconds { parm.tm_lim = milliseconds(t - seconds(clock.now - start)) }
    if let g = options.relativeGap { parm.mip_gap = g }
    if options.cuts {
      parm.mir_cuts = GLP_ON
      parm.gmi_cuts = GLP_ON
      parm.cov_cuts = GLP_ON
      parm.clq_cuts = GLP_ON
    }
    if options.feasibilityPump { parm.fp_heur = GLP_ON }
    if let seconds = options.proximitySearchSeconds {
      parm.ps_heur = GLP_ON
      parm.ps_tm_lim = milliseconds(seconds)
    }
    if let start = options.initialSolution {
      parm.use_sol = try storeStart(start, in: p) ? GLP_ON : GLP_OFF
    }
    let search = MIPSearch(progress: options.progress)
    let info = Unmanaged.passRetained(search)
    defer { info.release() }
    parm.cb_info = info.toOpaque()
    parm.cb_func = { tree, info in
      guard let tree, let info else { return }
      Unmanaged<MIPSearch>.fromOpaque(info).takeUnretainedValue().observe(tree)
    }
    var ret: Int32 = 0
    try s.guarded("branch-and-cut") { cg_intopt(p, &parm, &ret) }

    let status = glp_mip_status(p)
    let feasible = status == GLP_OPT || status == GLP_FEAS
    var termination: TerminationReason
    var message: String?
    switch ret {
    case 0:
      switch status {
      case GLP_OPT: termination = .optimal
      case GLP_NOFEAS: termination = .infeasible
      case GLP_FEAS: termination = .gapLimit
      default:
        termination = .error
        message = "branch-and-cut ended without a definite status"
      }
    case GLP_ENOPFS: termination = .infeasible
    case GLP_ENODFS: termination = .infeasibleOrUnbounded
    case GLP_EMIPGAP: termination = .gapLimit
    case GLP_ETMLIM: termination = .timeLimit
    case GLP_ESTOP: termination = .interrupted
    default:
      termination = .error
      message = "branch-and-cut failed (GLPK code \(ret))"
    }
    let m = Int(glp_get_num_rows(p))
    let n = Int(glp_get_num_cols(p))
    let objective = feasible ? glp_mip_obj_val(p) : nil
    var bound = search.bestBound
    if termination == .optimal { bound = objective }
    // The bound seen last in the callback can be older than the one GLPK stopped on: a stop at
    // the requested gap proves the bound within that gap of the objective.
    if termination == .gapLimit, let objective, let g = options.relativeGap {
      let within = g * (abs(objective) + Double.ulpOfOne)
      if glp_get_obj_dir(p) == GLP_MAX {
        bound = min(bound ?? objective + within, objective + within)
      } else {
        bound = max(bound ?? objective - within, objective - within)
      }
    }
    var gap: Double?
    if let objective, let bound { gap = abs(objective - bound) / (abs(objective) + Double.ulpOfOne) }
    var solution = Solution(
      termination: termination, hasFeasibleSolution: feasible, isMIP: true,
      objectiveValue: objective, bestBound: bound, relativeGap: gap,
      values: feasible ? (0..<n).map { glp_mip_col_val(p, Int32($0 + 1)) } : [],
      rowActivities: feasible ? (0..<m).map { glp_mip_row_val(p, Int32($0 + 1)) } : [],
      duals: nil, reducedCosts: nil, basis: nil, ranging: nil,
      statistics: SolveStatistics(), log: "", message: message)
    solution.statistics.nodes = search.nodes
    if options.initialSolution != nil { solution.initialSolutionAccepted = parm.use_sol == GLP_ON }
    if feasible && options.mipDuals {
      try fixedLPDuals(p, into: &solution, session: &s, options: options)
    }
    return solution
  }

  /// Loads `start` as the problem's MIP solution through a GLPK solution file
  /// (glp_read_mip is the only way in). The caller has checked feasibility.
  static func storeStart(_ start: [Double], in p: OpaquePointer) throws(LPError) -> Bool {
    let m = Int(glp_get_num_rows(p))
    let n = Int(glp_get_num_cols(p))
    var rows = [Double](repeating: 0, count: m)
    var ind = [Int32](repeating: 0, count: n + 1)
    var val = [Double](repeating: 0, count: n + 1)
    for i in 0..<m {
      let len = Int(glp_get_mat_row(p, Int32(i + 1), &ind, &val))
      for k in 0..<len { rows[i] += val[k + 1] * start[Int(ind[k + 1]) - 1] }
    }
    var objective = glp_get_obj_coef(p, 0)
    for j in 0..<n { objective += glp_get_obj_coef(p, Int32(j + 1)) * start[j] }
    var text = "s mip \(m) \(n) f \(objective.description)\n"
    for i in 0..<m { text += "i \(i + 1) \(rows[i].description)\n" }
    for j in 0..<n { text += "j \(j + 1) \(start[j].description)\n" }
    text += "e o f\n"
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "capplan-start-\(UUID().uuidString).sol"
    ).path
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
      throw .fileNotWritable(path: path, reason: "cannot stage the starting solution")
    }
    defer { try? FileManager.default.removeItem(atPath: path) }
    return glp_read_mip(p, path) == 0
  }

  /// Duals and reduced costs of the LP with every integer column fixed at its
  /// value in the MIP solution.
  static func fixedLPDuals(
    _ p: OpaquePointer, into solution: inout Solution, session s: inout GLPKSession, options: SolveOptions
  ) throws(LPError) {
    let q = try GLPKProblem.create()
    glp_copy_prob(q, p, GLP_OFF)
    let n = Int(glp_get_num_cols(p))
    for j in 0..<n where glp_get_col_kind(p, Int32(j + 1)) != GLP_CV {
      let v = solution.values[j].rounded()
      glp_set_col_kind(q, Int32(j + 1), GLP_CV)
      glp_set_col_bnds(q, Int32(j + 1), GLP_FX, v, v)
    }
    var fixedOptions = options
    fixedOptions.timeLimitSeconds = nil
    fixedOptions.iterationLimit = nil
    // A basis of the relaxation (the root's warm start) stays dual feasible when the integer
    // columns are fixed: the dual simplex from it is much faster than a cold solve of a large LP.
    if options.warmStartBasis != nil { fixedOptions.method = .dualSimplex }
    let ret = try runSimplex(q, session: &s, options: fixedOptions, basis: options.warmStartBasis)
    if ret == 0, glp_get_status(q) == GLP_OPT {
      let fixed = lpOutcome(q, ret: ret, isMIP: false)
      solution.duals = fixed.duals
      solution.reducedCosts = fixed.reducedCosts
      if options.ranging { solution.ranging = try ranging(q, session: &s) }
    }
    s.deleteProblem(q)
  }

  /// Objective-coefficient ranges for every column and right-hand-side ranges
  /// for every non-basic row of an optimal basic solution.
  static func ranging(_ p: OpaquePointer, session s: inout GLPKSession) throws(LPError) -> Ranging? {
    guard glp_get_status(p) == GLP_OPT else { return nil }
    if glp_bf_exists(p) == 0 {
      var ret: Int32 = 0
      try s.guarded("factorize") { cg_factorize(p, &ret) }
      if ret != 0 { return nil }
    }
    func finite(_ x: Double) -> Double {
      x <= -Double.greatestFiniteMagnitude ? -.infinity : x >= Double.greatestFiniteMagnitude ? .infinity : x
    }
    let m = Int(glp_get_num_rows(p))
    let n = Int(glp_get_num_cols(p))
    var rhs: [SensitivityRange?] = []
    rhs.reserveCapacity(m)
    for i in 1...max(m, 1) where m > 0 {
      if glp_get_row_stat(p, Int32(i)) == GLP_BS {
        rhs.append(nil)
        continue
      }
      var v1 = 0.0, v2 = 0.0
      var k1: Int32 = 0, k2: Int32 = 0
      try s.guarded("bound ranging") { cg_analyze_bound(p, Int32(i), &v1, &k1, &v2, &k2) }
      rhs.append(SensitivityRange(lower: finite(v1), upper: finite(v2)))
    }
    var coef: [SensitivityRange?] = []
    coef.reserveCapacity(n)
    for j in 1...max(n, 1) where n > 0 {
      var c1 = 0.0, c2 = 0.0, z1 = 0.0, z2 = 0.0
      var k1: Int32 = 0, k2: Int32 = 0
      try s.guarded("cost ranging") { cg_analyze_coef(p, Int32(m + j), &c1, &k1, &z1, &c2, &k2, &z2) }
      coef.append(SensitivityRange(lower: finite(c1), upper: finite(c2)))
    }
    return Ranging(objectiveCoefficient: coef, rightHandSide: rhs)
  }
}

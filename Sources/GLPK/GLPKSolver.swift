import CGLPK
import CGLPKGuard
import LinearProgramming

/// Solves `Model`s with GLPK. Stateless and `Sendable`: any thread may call
/// `solve`, and several threads may solve at once. Each call makes its GLPK
/// objects on the calling thread and frees them before returning.
public struct GLPKSolver: LPSolver {
  public init() {}

  public func solve(_ model: Model, options: SolveOptions = SolveOptions()) throws(LPError) -> Solution {
    try model.validate()
    try options.validate()
    if let basis = options.warmStartBasis,
      basis.rows.count != model.constraintCount || basis.columns.count != model.variableCount
    {
      throw .invalidOption(
        "warm-start basis has \(basis.rows.count) rows and \(basis.columns.count) columns; "
          + "the model has \(model.constraintCount) and \(model.variableCount)")
    }
    if let x = options.initialSolution {
      guard x.count == model.variableCount else {
        throw .invalidOption("initial solution has \(x.count) values for \(model.variableCount) variables")
      }
      if let bad = x.firstIndex(where: { !$0.isFinite }) {
        throw .invalidNumber(
          location: "initial value of \(model.name(of: Variable(index: bad)))", value: x[bad])
      }
    }
    var options = options
    var startRefused = false
    if let x = options.initialSolution, model.isMIP, !model.isFeasible(x) {
      options.initialSolution = nil
      startRefused = true
    }
    return try withGLPKSession(captureLog: options.captureLog, logLevel: options.logLevel) {
      (s: inout GLPKSession) throws(LPError) -> Solution in
      let p = try GLPKProblem.load(model)
      var solution = try Self.solveLoaded(p, session: &s, options: options)
      s.deleteProblem(p)
      if startRefused { solution.initialSolutionAccepted = false }
      // A limit hit before branch-and-cut got going still leaves the (checked) start as the incumbent.
      if let x = options.initialSolution, model.isMIP, !solution.hasFeasibleSolution,
        [.timeLimit, .iterationLimit, .interrupted].contains(solution.termination)
      {
        solution.hasFeasibleSolution = true
        solution.values = x
        solution.rowActivities = model.rowActivities(at: x)
        solution.objectiveValue = model.objectiveValue(at: x)
        solution.initialSolutionAccepted = true
      }
      return solution
    }
  }

  /// Validates `model` and loads it into GLPK without solving, then frees it:
  /// what GLPK would see (rows, columns, non-zeros, integer columns).
  public func load(_ model: Model) throws(LPError) -> SolveStatistics {
    try model.validate()
    return try withGLPKSession { (s: inout GLPKSession) throws(LPError) -> SolveStatistics in
      let p = try GLPKProblem.load(model)
      var st = SolveStatistics()
      st.rows = Int(glp_get_num_rows(p))
      st.columns = Int(glp_get_num_cols(p))
      st.nonzeros = Int(glp_get_num_nz(p))
      st.integerColumns = Int(glp_get_num_int(p))
      s.deleteProblem(p)
      return st
    }
  }

  // MARK: the core, shared with MathProg

  /// `racing`: this solve is one of a race's two (see `race`).
  static func solveLoaded(
    _ p: OpaquePointer, session s: inout GLPKSession, options: SolveOptions, racing: Bool = false
  )
    throws(LPError)
    -> Solution
  {
    let clock = ContinuousClock()
    let start = clock.now
    // Read before solving: a stopped LP leaves GLPK's objects unusable.
    var statistics = SolveStatistics()
    statistics.rows = Int(glp_get_num_rows(p))
    statistics.columns = Int(glp_get_num_cols(p))
    statistics.nonzeros = Int(glp_get_num_nz(p))
    statistics.integerColumns = Int(glp_get_num_int(p))
    let deadline = options.timeLimitSeconds.map { start + .milliseconds(Int64(($0 * 1000).rounded(.up))) }
    let nonEmpty = statistics.rows > 0 && statistics.columns > 0
    var solution: Solution
    if statistics.integerColumns > 0 {
      solution = try solveMIP(p, session: &s, options: options, clock: clock, start: start)
    } else if options.method == .race && options.warmStartBasis == nil && nonEmpty {
      solution = try race(p, session: &s, options: options, statistics: statistics, deadline: deadline)
    } else if options.method == .interiorPoint && nonEmpty {
      solution = try solveInterior(p, session: &s, options: options, statistics: statistics)
    } else if options.method == .interiorCrossover && options.warmStartBasis == nil && nonEmpty {
      solution = try interiorCrossover(
        p, session: &s, options: options, statistics: statistics, deadline: deadline, racing: racing)
    } else {
      let poll = options.shouldStop.map { StopPoll(stop: $0, deadline: nil) }
      let ret = try runSimplex(p, session: &s, options: options, basis: options.warmStartBasis, poll: poll)
      if s.poisoned {
        solution = stopped(statistics, timedOut: false)
      } else {
        solution = lpOutcome(p, ret: ret, isMIP: false)
        if options.ranging, solution.termination == .optimal {
          solution.ranging = try ranging(p, session: &s)
        }
      }
    }
    solution.statistics.rows = statistics.rows
    solution.statistics.columns = statistics.columns
    solution.statistics.nonzeros = statistics.nonzeros
    solution.statistics.integerColumns = statistics.integerColumns
    // A race's iterations are its winner's, counted on its own thread.
    if !s.poisoned && solution.statistics.winningMethod == nil {
      solution.statistics.iterations = Int(glp_get_it_cnt(p))
    }
    solution.statistics.seconds = seconds(clock.now - start)
    solution.log = options.captureLog ? s.output.text : ""
    return solution
  }

  static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  /// Runs the simplex; with a basis, starts from it (falling back to a fresh
  /// basis if GLPK finds it unusable). Presolve is only used without a basis,
  /// and an inconclusive presolve is repeated without it, so the result always
  /// carries a basis and a definite status.
  static func runSimplex(
    _ p: OpaquePointer, session s: inout GLPKSession, options: SolveOptions, basis: Basis?,
    timeLimit: Double? = nil, poll: StopPoll? = nil
  ) throws(LPError) -> Int32 {
    var parm = glp_smcp()
    glp_init_smcp(&parm)
    parm.msg_lev = options.logLevel.glpk
    if poll != nil { stoppable(&parm) }
    switch options.method {
    case .primalSimplex, .race: parm.meth = GLP_PRIMAL
    case .dualSimplex: parm.meth = GLP_DUAL
    case .dualPrimalSimplex, .interiorPoint, .interiorCrossover: parm.meth = GLP_DUALP
    }
    if let t = timeLimit ?? options.timeLimitSeconds { parm.tm_lim = milliseconds(t) }
    if let n = options.iterationLimit { parm.it_lim = Int32(clamping: n) }
    if let basis {
      for (i, st) in basis.rows.enumerated() { glp_set_row_stat(p, Int32(i + 1), st.glpk) }
      for (j, st) in basis.columns.enumerated() { glp_set_col_stat(p, Int32(j + 1), st.glpk) }
      parm.presolve = GLP_OFF
    } else {
      parm.presolve = options.presolve ? GLP_ON : GLP_OFF
    }
    var ret: Int32 = 0
    if try s.stoppable("simplex", poll: poll, { cg_simplex(p, &parm, &ret) }) { return Int32(CG_STOPPED) }
    if basis != nil, ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND {
      glp_std_basis(p)
      if try s.stoppable("simplex", poll: poll, { cg_simplex(p, &parm, &ret) }) { return Int32(CG_STOPPED) }
    }
    if parm.presolve == GLP_ON, ret == GLP_ENOPFS || ret == GLP_ENODFS {
      parm.presolve = GLP_OFF
      if try s.stoppable("simplex", poll: poll, { cg_simplex(p, &parm, &ret) }) { return Int32(CG_STOPPED) }
    }
    // The dual simplex can prove dual infeasibility without settling whether the
    // primal is infeasible or unbounded; the primal simplex, from here, settles it.
    let status = glp_get_status(p)
    if ret == 0, status != GLP_OPT, status != GLP_NOFEAS, status != GLP_UNBND, parm.meth != GLP_PRIMAL {
      parm.meth = GLP_PRIMAL
      parm.presolve = GLP_OFF
      if try s.stoppable("simplex", poll: poll, { cg_simplex(p, &parm, &ret) }) { return Int32(CG_STOPPED) }
    }
    return ret
  }

  /// GLPK asks a stop poll only when it prints: the simplex then prints (into the session's
  /// collector) every 250 ms, so a stop is seen within about a quarter second.
  static func stoppable(_ parm: inout glp_smcp) {
    parm.msg_lev = max(parm.msg_lev, GLP_MSG_ON)
    parm.out_frq = 250
    parm.out_dly = 0
  }

  /// An LP stopped by its poll: GLPK's objects are gone, so there are no values.
  static func stopped(_ statistics: SolveStatistics, timedOut: Bool) -> Solution {
    Solution(
      termination: timedOut ? .timeLimit : .interrupted, hasFeasibleSolution: false, isMIP: false,
      objectiveValue: nil, bestBound: nil, relativeGap: nil,
      values: Array(repeating: 0, count: statistics.columns),
      rowActivities: Array(repeating: 0, count: statistics.rows), duals: nil, reducedCosts: nil,
      basis: nil, ranging: nil, statistics: statistics, log: "",
      message: timedOut ? "the time limit stopped the LP" : "the LP was stopped")
  }

  static func milliseconds(_ t: Double) -> Int32 { Int32(clamping: Int64(min(max(t * 1000, 1), 2e9))) }

  /// Reads the basic solution and maps GLPK's return code and status.
  static func lpOutcome(_ p: OpaquePointer, ret: Int32, isMIP: Bool) -> Solution {
    let termination: TerminationReason
    var message: String?
    switch ret {
    case 0:
      switch glp_get_status(p) {
      case GLP_OPT: termination = .optimal
      case GLP_NOFEAS: termination = .infeasible
      case GLP_UNBND: termination = .unbounded
      default:
        termination = .error
        message = "the simplex ended without a definite status"
      }
    case GLP_ENOPFS: termination = .infeasible
    case GLP_ENODFS: termination = .infeasibleOrUnbounded
    case GLP_ETMLIM: termination = .timeLimit
    case GLP_EITLIM: termination = .iterationLimit
    case GLP_EBADB, GLP_ESING, GLP_ECOND, GLP_EFAIL:
      termination = .numericalError
      message = "the simplex met a singular or ill-conditioned basis (GLPK code \(ret))"
    default:
      termination = .error
      message = "the simplex failed (GLPK code \(ret))"
    }
    let m = Int(glp_get_num_rows(p))
    let n = Int(glp_get_num_cols(p))
    let feasible = glp_get_prim_stat(p) == GLP_FEAS && !isMIP
    let optimal = termination == .optimal
    var rowStats: [BasisStatus] = []
    var colStats: [BasisStatus] = []
    rowStats.reserveCapacity(m)
    colStats.reserveCapacity(n)
    for i in 0..<m { rowStats.append(BasisStatus(glpk: glp_get_row_stat(p, Int32(i + 1)))) }
    for j in 0..<n { colStats.append(BasisStatus(glpk: glp_get_col_stat(p, Int32(j + 1)))) }
    return Solution(
      termination: termination, hasFeasibleSolution: feasible, isMIP: isMIP,
      objectiveValue: feasible ? glp_get_obj_val(p) : nil, bestBound: nil, relativeGap: nil,
      values: (0..<n).map { glp_get_col_prim(p, Int32($0 + 1)) },
      rowActivities: (0..<m).map { glp_get_row_prim(p, Int32($0 + 1)) },
      duals: optimal ? (0..<m).map { glp_get_row_dual(p, Int32($0 + 1)) } : nil,
      reducedCosts: optimal ? (0..<n).map { glp_get_col_dual(p, Int32($0 + 1)) } : nil,
      basis: Basis(rows: rowStats, columns: colStats), ranging: nil,
      statistics: SolveStatistics(), log: "", message: message)
  }

  static func solveInterior(
    _ p: OpaquePointer, session s: inout GLPKSession, options: SolveOptions, statistics: SolveStatistics
  )
    throws(LPError)
    -> Solution
  {
    var parm = glp_iptcp()
    glp_init_iptcp(&parm)
    parm.msg_lev = options.logLevel.glpk
    // With a stop asked for, it prints (into the session's log) once per iteration, when the
    // stop is looked at.
    let poll = options.shouldStop.map { StopPoll(stop: $0, deadline: nil) }
    if poll != nil { parm.msg_lev = max(parm.msg_lev, GLP_MSG_ON) }
    var ret: Int32 = 0
    if try s.stoppable("interior point", poll: poll, { cg_interior(p, &parm, &ret) }) {
      return stopped(statistics, timedOut: false)
    }
    let termination: TerminationReason
    switch ret {
    case 0:
      switch glp_ipt_status(p) {
      case GLP_OPT: termination = .optimal
      case GLP_NOFEAS: termination = .infeasible
      default: termination = .infeasibleOrUnbounded
      }
    case GLP_EITLIM: termination = .iterationLimit
    case GLP_ENOCVG, GLP_EINSTAB: termination = .numericalError
    default: termination = .error
    }
    let m = Int(glp_get_num_rows(p))
    let n = Int(glp_get_num_cols(p))
    let optimal = termination == .optimal
    return Solution(
      termination: termination, hasFeasibleSolution: optimal, isMIP: false,
      objectiveValue: optimal ? glp_ipt_obj_val(p) : nil, bestBound: nil, relativeGap: nil,
      values: (0..<n).map { glp_ipt_col_prim(p, Int32($0 + 1)) },
      rowActivities: (0..<m).map { glp_ipt_row_prim(p, Int32($0 + 1)) },
      duals: optimal ? (0..<m).map { glp_ipt_row_dual(p, Int32($0 + 1)) } : nil,
      reducedCosts: optimal ? (0..<n).map { glp_ipt_col_dual(p, Int32($0 + 1)) } : nil,
      basis: nil, ranging: nil, statistics: SolveStatistics(), log: "",
      message: termination == .optimal ? nil : "interior point stopped (GLPK code \(ret))")
  }
}

extension BasisStatus {
  init(glpk: Int32) {
    switch glpk {
    case GLP_BS: self = .basic
    case GLP_NL: self = .atLower
    case GLP_NU: self = .atUpper
    case GLP_NF: self = .free
    default: self = .fixed
    }
  }
  var glpk: Int32 {
    switch self {
    case .basic: return GLP_BS
    case .atLower: return GLP_NL
    case .atUpper: return GLP_NU
    case .free: return GLP_NF
    case .fixed: return GLP_NS
    }
  }
}

import LinearProgramming

/// How a MIP's first plan was found, for the plan's solver record.
public struct FirstPlan: Codable, Sendable, Equatable {
  /// The rounding of the LP relaxation that gave it: nearest, down, up or relax-and-fix.
  public var rule: String
  public var seconds: Double
  public var objective: Double
  /// The LP relaxation's objective: no plan can do better.
  public var relaxationBound: Double
  /// |bound - objective| / |objective|, when the first plan was found.
  public var gap: Double

  enum CodingKeys: String, CodingKey {
    case rule, seconds, objective, relaxationBound = "relaxation_bound", gap
  }
}

/// A capacity MIP solved so that a plan exists early: the rounding heuristic's plan first,
/// then branch-and-cut started from it (GLPK's MIP presolver off, since GLPK 5.0 drops a start
/// given with it on, and the root LP warm-started from the relaxation's basis).
struct MIPSolve {
  let formulation: Formulation
  let options: PlanOptions
  let solve: SolveOptions

  func run() throws(LPError) -> (Solution, FirstPlan?) {
    let deadline = SolveDeadline(limitSeconds: options.timeLimitSeconds)
    let progress = options.progress
    let log = options.log
    let heuristic = RoundingHeuristic(
      formulation: formulation, method: options.method, deadline: deadline, report: { log?($0) })
    let outcome = try heuristic.run(warmBasis: nil)
    let relaxation = outcome.relaxation
    guard relaxation.termination == .optimal, let bound = relaxation.objectiveValue else {
      return (noPlan(relaxation, deadline: deadline), nil)
    }
    var first: FirstPlan?
    if let z = outcome.startObjective, let rule = outcome.rule {
      let gap = relativeGap(z, bound)
      first = FirstPlan(rule: rule, seconds: deadline.elapsed, objective: z, relaxationBound: bound, gap: gap)
      let report = MIPProgress(
        incumbent: z, bestBound: bound, relativeGap: gap, nodes: 0, elapsedSeconds: deadline.elapsed)
      if progress?(report) == false, let start = outcome.start {
        return (
          startOnly(start, outcome: outcome, bound: bound, deadline: deadline, why: .interrupted), first
        )
      }
    }
    if deadline.passed {
      guard let start = outcome.start else { return (noPlan(relaxation, deadline: deadline), nil) }
      return (startOnly(start, outcome: outcome, bound: bound, deadline: deadline, why: .timeLimit), first)
    }
    var search = solve
    search.initialSolution = outcome.start
    search.warmStartBasis = relaxation.basis
    search.timeLimitSeconds = deadline.remaining
    // GLPK counts its own time from its start; progress reports the whole solve's.
    let offset = deadline.elapsed
    search.progress = progress.map { callback in
      { @Sendable p in
        var p = p
        p.elapsedSeconds += offset
        if let b = p.bestBound { p.bestBound = min(b, bound) } else { p.bestBound = bound }
        return callback(p)
      }
    }
    var solution = try GLPKSolver().solve(formulation.model, options: search)
    // Branch-and-cut's bound is never worse than the relaxation's, but GLPK reports none when
    // it stopped before its root; the relaxation's bound then stands.
    if solution.hasFeasibleSolution, let z = solution.objectiveValue {
      let b = min(solution.bestBound ?? bound, bound)
      solution.bestBound = solution.termination == .optimal ? z : b
      solution.relativeGap = relativeGap(z, solution.bestBound ?? b)
    }
    if let start = outcome.start, !solution.hasFeasibleSolution {
      switch solution.termination {
      case .timeLimit, .iterationLimit, .interrupted:
        return (
          startOnly(start, outcome: outcome, bound: bound, deadline: deadline, why: solution.termination),
          first
        )
      case .numericalError, .error:
        var s = startOnly(start, outcome: outcome, bound: bound, deadline: deadline, why: .interrupted)
        s.message =
          "branch-and-cut failed (\(solution.message ?? solution.termination.rawValue)); "
          + "the plan is the rounding heuristic's, with its gap to the LP bound"
        return (s, first)
      default: break
      }
    }
    solution.statistics.seconds = deadline.elapsed
    return (solution, first)
  }

  /// The heuristic's plan as the answer, when branch-and-cut had no time or failed.
  func startOnly(
    _ start: [Double], outcome: RoundingHeuristic.Outcome, bound: Double, deadline: SolveDeadline,
    why: TerminationReason
  ) -> Solution {
    let model = formulation.model
    let z = model.objectiveValue(at: start)
    var s = Solution(
      termination: why, hasFeasibleSolution: true, isMIP: true, objectiveValue: z, bestBound: bound,
      relativeGap: relativeGap(z, bound), values: start, rowActivities: model.rowActivities(at: start),
      duals: outcome.startDuals, reducedCosts: outcome.startReducedCosts, basis: nil, ranging: nil,
      statistics: SolveStatistics(), log: "", message: nil)
    s.statistics = outcome.relaxation.statistics
    s.statistics.integerColumns = model.integerCount
    s.statistics.seconds = deadline.elapsed
    return s
  }

  /// No plan: the relaxation's verdict (infeasible, unbounded) stands for the MIP, or time ran out.
  func noPlan(_ relaxation: Solution, deadline: SolveDeadline) -> Solution {
    var s = relaxation
    s.isMIP = true
    s.hasFeasibleSolution = false
    s.values = []
    s.rowActivities = []
    s.duals = nil
    s.reducedCosts = nil
    s.basis = nil
    if relaxation.termination == .optimal { s.termination = .timeLimit }
    s.bestBound = relaxation.termination == .optimal ? relaxation.objectiveValue : nil
    s.objectiveValue = nil
    s.statistics.integerColumns = formulation.model.integerCount
    s.statistics.seconds = deadline.elapsed
    return s
  }

  func relativeGap(_ objective: Double, _ bound: Double) -> Double {
    abs(bound - objective) / (abs(objective) + Double.ulpOfOne)
  }
}

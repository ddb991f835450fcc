import Foundation
import LinearProgramming
import Synchronization

/// How a MIP's first plan was found, for the plan's solver record.
public struct FirstPlan: Codable, Sendable, Equatable {
  /// The rounding of the LP relaxation that gave it: fitted, nearest, down, up or relax-and-fix.
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

/// A capacity MIP solved so that a plan exists early, on both cores: GLPK's branch-and-cut
/// (with its MIP presolver, which it needs: measured without it, the 50-site MIP took over 300 s
/// instead of 36 s) on the calling thread, and beside it on a thread of its own the rounding
/// heuristic, whose plan is reported as soon as it exists. GLPK 5.0 takes a starting plan only
/// with its presolver off, so the heuristic's plan is not handed over: the answer is the better
/// of the two plans, with the tighter of the two bounds.
///
/// The MIP is a ``RoundingTarget``: one case's model, or the joint model over demand cases.
struct MIPSolve {
  let target: RoundingTarget
  let options: PlanOptions
  let solve: SolveOptions

  /// What the heuristic has found so far, for progress reports from either thread.
  struct Found: Sendable {
    var relaxationBound: Double?
    var objective: Double?
  }

  func run() throws(LPError) -> (Solution, FirstPlan?) {
    let deadline = SolveDeadline(limitSeconds: options.settings.timeLimitSeconds)
    let progress = options.progress
    let log = options.log
    let found = Mutex(Found())
    let stop = StopFlag()
    let userStopped = StopFlag()
    var heuristic = RoundingHeuristic(
      target: target,
      method: Self.heuristicMethod(options, model: target.model, acrossCases: target.caseCount > 1),
      deadline: deadline, stop: stop, cancel: userStopped, solver: options.solver, report: { log?($0) })
    heuristic.onPlan = { z, bound in
      found.withLock { $0 = Found(relaxationBound: bound, objective: z) }
      let report = MIPProgress(
        incumbent: z, bestBound: bound, relativeGap: Self.gap(z, bound), nodes: 0,
        elapsedSeconds: deadline.elapsed)
      if progress?(report) == false { userStopped.set() }
    }
    let side = SideThread("the heuristic") { [heuristic] () throws(LPError) -> RoundingHeuristic.Outcome in
      let outcome = try heuristic.run(warmBasis: nil)
      if outcome.relaxation.termination == .optimal, let bound = outcome.relaxation.objectiveValue {
        found.withLock { $0.relaxationBound = bound }
      }
      return outcome
    }

    var search = solve
    search.initialSolution = nil
    search.mipDuals = false
    search.timeLimitSeconds = deadline.remaining
    // Branch-and-cut stops once the two searches together prove the requested gap: the
    // heuristic's plan against the relaxation's bound, or GLPK's plan against it. An exact solve
    // (gap 0) is left to GLPK to prove, so that its answer does not depend on which thread ran
    // faster.
    let wanted = solve.relativeGap ?? 0
    search.progress = { @Sendable p in
      if userStopped.isSet { return false }
      let merged = Self.merged(p, with: found.withLock { $0 })
      if wanted > 0, let g = merged.relativeGap, g <= wanted { return false }
      guard let progress else { return true }
      let goOn = progress(merged)
      if !goOn { userStopped.set() }
      return goOn
    }
    let glpk: Result<Solution, LPError>
    do {
      glpk = .success(try options.solver.solve(target.model, options: search))
    } catch {
      glpk = .failure(error)
    }
    stop.set()
    let heuristicOutcome = side.wait()
    let outcome = try? heuristicOutcome.get()

    var solution: Solution
    switch glpk {
    case .success(let s): solution = s
    case .failure(let error):
      // Branch-and-cut failed; the heuristic's plan, if any, is still an answer.
      guard let outcome, let start = outcome.start, let bound = outcome.relaxation.objectiveValue else {
        throw error
      }
      var s = startOnly(start, outcome: outcome, bound: bound, deadline: deadline, why: .interrupted)
      s.message =
        "branch-and-cut failed (\(error)); the plan is the rounding heuristic's, with its gap to the LP bound"
      return (s, firstPlan(outcome))
    }
    guard let outcome, outcome.relaxation.termination == .optimal,
      let bound = outcome.relaxation.objectiveValue
    else {
      // No relaxation (time ran out, or it is infeasible): GLPK's answer stands, duals as before.
      if solution.hasFeasibleSolution { try attachDuals(&solution, basis: nil, heuristic: heuristic) }
      return (solution, nil)
    }
    let first = firstPlan(outcome)
    // A plan GLPK proved optimal stands, so an exact solve's answer is GLPK's, whichever thread
    // was faster; otherwise the better plan wins.
    if let start = outcome.start, let z = outcome.startObjective, solution.termination != .optimal,
      !solution.hasFeasibleSolution || z > (solution.objectiveValue ?? -.infinity) + 1e-9 * max(1, abs(z))
    {
      let why: TerminationReason =
        solution.hasFeasibleSolution
          || [.timeLimit, .iterationLimit, .interrupted].contains(solution.termination)
        ? solution.termination : .interrupted
      var s = startOnly(
        start, outcome: outcome, bound: min(solution.bestBound ?? bound, bound), deadline: deadline, why: why)
      s.statistics.nodes = solution.statistics.nodes
      s.statistics.iterations = solution.statistics.iterations
      Self.settle(&s, wanted: wanted)
      return (s, first)
    }
    if solution.hasFeasibleSolution, let z = solution.objectiveValue {
      let b = min(solution.bestBound ?? bound, bound)
      solution.bestBound = solution.termination == .optimal ? z : b
      solution.relativeGap = Self.gap(z, solution.bestBound ?? b)
      try attachDuals(&solution, basis: outcome.relaxation.basis, heuristic: heuristic)
    }
    solution.statistics.seconds = deadline.elapsed
    Self.settle(&solution, wanted: wanted)
    return (solution, first)
  }

  /// A search stopped (by the time limit, its caller, or the proof above) with a plan whose gap is
  /// within the requested one ended at the gap, as GLPK's own stop at the gap does.
  static func settle(_ s: inout Solution, wanted: Double) {
    guard wanted > 0, s.hasFeasibleSolution, let g = s.relativeGap, g <= wanted,
      [.timeLimit, .iterationLimit, .interrupted].contains(s.termination)
    else { return }
    s.termination = .gapLimit
  }

  /// The heuristic's LP method: the plan's, except that GLPK's interior point solves large
  /// relaxations several times faster than its simplex (0.23x the dual simplex's time at 200 sites,
  /// but 1.23x at 50: BENCHMARKS.md), so it is taken above 10,000 rows unless asked otherwise.
  /// Not `interior-crossover`: measured at 200 sites, the crossover's basis left the fixed LPs to
  /// a dual simplex that took longer than the interior point solving them afresh (first plan at
  /// 120.9 s against 33.9 s, same load, same plan).
  ///
  /// Never for a joint model over several demand cases (`acrossCases`): its install columns sit in
  /// the rows of every case, which makes the interior point's normal matrix dense across the cases.
  /// Measured on the 50-site MIP with 3 cases (10,193 rows), glpsol's interior point had done 9 of
  /// its iterations after 150 s, where the primal simplex solves the relaxation in about 25 s.
  static func heuristicMethod(_ options: PlanOptions, model: Model, acrossCases: Bool = false) -> LPMethod {
    if let chosen = options.settings.glpk.heuristicMethod { return chosen }
    return model.constraintCount > 10_000 && !acrossCases ? .interiorPoint : options.settings.method
  }

  /// Duals and reduced costs of a MIP plan: the LP with its integers fixed, warm from `basis`.
  func attachDuals(_ solution: inout Solution, basis: Basis?, heuristic: RoundingHeuristic) throws(LPError) {
    guard solve.mipDuals, let fixed = try heuristic.fixedLP(at: solution.values, basis: basis) else { return }
    solution.duals = fixed.duals
    solution.reducedCosts = fixed.reducedCosts
  }

  func firstPlan(_ outcome: RoundingHeuristic.Outcome) -> FirstPlan? {
    guard let z = outcome.startObjective, let rule = outcome.rule,
      let bound = outcome.relaxation.objectiveValue,
      let seconds = outcome.seconds
    else { return nil }
    return FirstPlan(
      rule: rule, seconds: seconds, objective: z, relaxationBound: bound, gap: Self.gap(z, bound))
  }

  /// GLPK's progress with the heuristic's plan and bound folded in.
  static func merged(_ p: MIPProgress, with found: Found) -> MIPProgress {
    var p = p
    if let z = found.objective, z > (p.incumbent ?? -.infinity) { p.incumbent = z }
    if let b = found.relaxationBound { p.bestBound = min(p.bestBound ?? b, b) }
    if let z = p.incumbent, let b = p.bestBound { p.relativeGap = gap(z, b) }
    return p
  }

  /// The heuristic's plan as the answer, when branch-and-cut had no time or failed.
  func startOnly(
    _ start: [Double], outcome: RoundingHeuristic.Outcome, bound: Double, deadline: SolveDeadline,
    why: TerminationReason
  ) -> Solution {
    let model = target.model
    let z = model.objectiveValue(at: start)
    var s = Solution(
      termination: why, hasFeasibleSolution: true, isMIP: true, objectiveValue: z, bestBound: bound,
      relativeGap: Self.gap(z, bound), values: start, rowActivities: model.rowActivities(at: start),
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
    s.statistics.integerColumns = target.model.integerCount
    s.statistics.seconds = deadline.elapsed
    return s
  }

  static func gap(_ objective: Double, _ bound: Double) -> Double {
    abs(bound - objective) / (abs(objective) + Double.ulpOfOne)
  }
}

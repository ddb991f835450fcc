import GLPK
import LinearProgramming

/// How to solve a scenario: the settings a person chose, and what exists only while this solve
/// runs (the plan to stay close to, callbacks).
public struct PlanOptions: Sendable {
  public var settings: SolveSettings
  /// The plan the stability move cost compares against.
  public var previous: PreviousAllocations?
  /// A previous plan over demand cases: each case's allocations, by case id. A case of the same
  /// id is compared with them; other cases with `previous` (the expected MW).
  public var previousByCase: [String: PreviousAllocations]?
  /// Where to start the solve from (the previous plan's `warmStart`).
  public var warmStart: Plan.WarmStart?
  /// When the scenario is infeasible, return the plan of its elastic version (status
  /// `infeasible_relaxed`) instead of a plan without a solution. The shortfalls are reported
  /// either way.
  public var elastic = false
  /// With a previous plan and a move cost, solve again without the move cost to report the
  /// price of stability (`stability.price_of_stability`).
  public var priceOfStability = true
  /// With demand cases, solve each case alone and the expected-demand plan across the cases to
  /// report EVPI and VSS (one extra solve per case, and two more).
  public var valueOfInformation = true
  /// Called as a MIP search moves (from the solving thread); return false to stop it.
  public var progress: (@Sendable (MIPProgress) -> Bool)?
  /// Lines for a person about the solve's phases (the LP relaxation, the first plan).
  public var log: (@Sendable (String) -> Void)?
  /// What solves the formulation's LPs and MIPs. GLPK's is the one there is; the settings'
  /// `glpk` part is its own.
  public var solver: any LPSolver = GLPKSolver()

  public init(settings: SolveSettings = SolveSettings()) {
    self.settings = settings
  }

  /// Stay close to `previous`: the scenario's move cost compares against its allocations, and
  /// unless `warmStart` is false the solve starts from its solution or basis.
  public mutating func stayClose(to previous: Plan, warmStart: Bool = true) {
    self.previous = previous.previousAllocations
    previousByCase = previous.previousAllocationsByCase
    self.warmStart = warmStart ? previous.warmStart : nil
  }
}

public struct PlanningError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public var description: String { message }
}

public enum Planner {
  /// Formulates, solves and explains `scenario`. Infeasible scenarios come back
  /// as plans with status `infeasible` and the conflicting limits named.
  public static func plan(_ scenario: ValidScenario, options: PlanOptions = PlanOptions())
    throws(PlanningError) -> Plan
  {
    do {
      try options.settings.check(for: scenario)
    } catch {
      throw PlanningError(message: error.message)
    }
    if let cases = scenario.demandCases {
      return try StochasticPlanner.plan(scenario, cases: cases, options: options)
    }
    let formulation = Formulation(
      scenario, previous: options.previous, objective: options.settings.objective)
    let (solution, first) = try solveRecording(formulation, options: options)
    var plan = explain(formulation, solution: solution, options: options)
    record(first, in: &plan, options: options)
    if plan.stability != nil, options.priceOfStability {
      let price = priceOfStability(plan, scenario: scenario, options: options)
      plan.stability?.price = price
    }
    plan.warnings = plan.plausibilityWarnings.isEmpty ? nil : plan.plausibilityWarnings
    guard plan.status == .infeasible, var infeasibility = plan.infeasibility,
      let relaxed = relaxedPlan(formulation, options: options)
    else { return plan }
    infeasibility.shortfalls = relaxed.infeasibility?.shortfalls
    infeasibility.relaxedEbit = relaxed.infeasibility?.relaxedEbit
    plan.infeasibility = infeasibility
    guard options.elastic else { return plan }
    var elasticPlan = relaxed
    elasticPlan.infeasibility = infeasibility
    let count = infeasibility.shortfalls?.count ?? 0
    elasticPlan.message =
      "infeasible: this is the elastic plan, where \(count) limit\(count == 1 ? "" : "s") gave way "
      + "(see the shortfalls)"
    return elasticPlan
  }

  /// The middle step of ``plan(_:options:)``: loads the formulation's model into GLPK and solves
  /// it with `options`' method and limits. `plan` is these three steps; they are public so a
  /// benchmark can time our code and GLPK's apart.
  public static func solve(
    _ formulation: Formulation, options: PlanOptions = PlanOptions()
  ) throws(PlanningError) -> Solution {
    try solveRecording(formulation, options: options).0
  }

  /// ``solve(_:options:)``, with how a MIP's first plan was found.
  public static func solveRecording(
    _ formulation: Formulation, options: PlanOptions = PlanOptions()
  ) throws(PlanningError) -> (Solution, FirstPlan?) {
    var solve = options.settings.solveOptions
    solve.progress = options.progress
    if let warm = options.warmStart {
      WarmStartMapping.apply(warm, to: formulation.model, options: &solve)
      if let x = solve.initialSolution {
        solve.initialSolution = WarmStartMapping.recomputingMoves(x, in: formulation)
      }
    }
    return try solveRecording(formulation.roundingTarget, solve: solve, options: options)
  }

  /// Puts how a MIP's first plan was found on the plan's solver record, and says the start was
  /// the rounding's (a previous plan's start that no longer held was dropped for it).
  static func record(_ first: FirstPlan?, in plan: inout Plan, options: PlanOptions) {
    guard let first else { return }
    plan.solver.firstPlan = first
    plan.solver.start =
      options.warmStart == nil ? "rounding" : "rounding (previous solution no longer feasible)"
  }

  /// The solve of a capacity model (one case's, or the joint model over demand cases) with its
  /// solve options set, a previous plan's start included: a MIP goes to ``MIPSolve``, branch-and-cut
  /// with the rounding heuristic beside it, unless that is turned off or the start still holds.
  static func solveRecording(
    _ target: RoundingTarget, solve: SolveOptions, options: PlanOptions
  ) throws(PlanningError) -> (Solution, FirstPlan?) {
    var solve = solve
    do {
      // A previous plan's solution that still holds is a better start than any rounding.
      let model = target.model
      let startHolds = solve.initialSolution.map { model.isFeasible($0) } ?? false
      if model.isMIP, options.settings.glpk.roundingHeuristic, !startHolds {
        solve.initialSolution = nil
        return try MIPSolve(target: target, options: options, solve: solve).run()
      }
      if !model.isMIP, let progress = options.progress {
        // An LP has no plan until it ends; it reports that it runs, and with which method, from
        // the solver's stop poll (the simplex four times a second, the crossover's interior
        // point once per iteration); the reporter decides how often to pass it on.
        let clock = ContinuousClock()
        let start = clock.now
        let method = options.settings.method.rawValue
        solve.shouldStop = {
          let d = clock.now - start
          let elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
          return !progress(
            MIPProgress(
              incumbent: nil, bestBound: nil, relativeGap: nil, nodes: 0, elapsedSeconds: elapsed,
              lpMethod: method))
        }
      }
      return (try options.solver.solve(model, options: solve), nil)
    } catch {
      throw PlanningError(message: "the solver refused the model: \(error)")
    }
  }

  /// The last step of ``plan(_:options:)``: the plan of `solution`, a solution of
  /// `formulation.model` solved with `options` (and the formulation built with `options.previous`).
  public static func explain(
    _ formulation: Formulation, solution: Solution, options: PlanOptions = PlanOptions()
  ) -> Plan {
    let scenario = formulation.scenario
    let status = Self.status(solution)
    let explanation = PlanExplanation(f: formulation, solution: solution)
    var plan = explanation.explain(status: status, method: options.settings.method)
    plan.message = solution.message
    plan.solver.start = WarmStartMapping.label(
      options.warmStart, model: formulation.model, solution: solution)
    if status.hasSolution { plan.warmStart = WarmStartMapping.record(solution, model: formulation.model) }
    if status.hasSolution, let previous = options.previous, let cost = scenario.moveCost, cost > 0 {
      plan.stability = explanation.stabilityReport(previous: previous, moveCost: cost)
    }
    if status == .infeasible {
      plan.infeasibility = diagnose(formulation, solver: options.solver)
      plan.message = plan.infeasibility?.summary
    }
    return plan
  }

  static func status(_ s: Solution) -> PlanStatus {
    switch s.termination {
    case .optimal: return .optimal
    case .gapLimit: return .feasibleWithGap
    case .infeasible: return .infeasible
    case .unbounded, .infeasibleOrUnbounded: return .unbounded
    case .timeLimit, .iterationLimit, .interrupted:
      return s.hasFeasibleSolution ? .timeLimitWithSolution : .timeLimitWithoutSolution
    case .numericalError, .error: return .error
    }
  }

  /// Names the limits that cannot hold together, from an irreducible
  /// infeasible subset of the LP relaxation.
  static func diagnose(_ f: Formulation, solver: any LPSolver) -> Plan.Infeasibility {
    let sc = f.scenario
    do {
      guard let subset = try solver.infeasibleSubset(f.model, options: SolveOptions()) else {
        return Plan.Infeasibility(
          summary: "infeasible only with whole install blocks or whole expansions: "
            + "the limits can be met with fractional ones", conflicts: [])
      }
      var conflicts = subset.constraints.map { sc.describe(f.constraintKeys[$0.index]) }
      // MW >= 0 is never news; upper bounds (supply per period, tier widths) are.
      for v in subset.boundedVariables where f.model.variableUpper[v.index].isFinite {
        conflicts.append("upper bound of \(sc.describe(f.variableKeys[v.index]))")
      }
      let n = conflicts.count
      return Plan.Infeasibility(
        summary: "infeasible: \(n == 1 ? "this limit cannot" : "these \(n) limits cannot all") hold: "
          + conflicts.joined(separator: "; "), conflicts: conflicts)
    } catch {
      return Plan.Infeasibility(summary: "infeasible (the diagnosis failed: \(error))", conflicts: [])
    }
  }
}

import LinearProgramming

/// Plans for scenarios with demand cases (``StochasticFormulation``): one install and expansion
/// plan for all cases, allocations per case, and the extra solves behind EVPI and VSS.
enum StochasticPlanner {
  static func plan(_ scenario: ValidScenario, cases: DemandCases, options: PlanOptions)
    throws(PlanningError) -> Plan
  {
    // One case is the deterministic model (its risk term equals its EBIT at the optimum): solved
    // as such, with the MIP's rounding start and the previous plan's moves, it is the same plan.
    let single = cases.ids.count == 1
    let sf = StochasticFormulation(
      cases, previous: options.previous, previousByCase: options.previousByCase,
      objective: options.settings.objective)
    // Several cases are one joint MIP when they have install blocks or expansions: it gets the same
    // rounding start, on the first stage the cases share.
    let (solution, first) =
      single
      ? try Planner.solveRecording(sf.formulations[0], options: options)
      : try solve(sf, options: options)
    let status = Planner.status(solution)
    guard status.hasSolution else {
      return try unsolved(sf, solution: solution, status: status, options: options)
    }
    let method = options.settings.method
    // With CVaR in the objective, a case outside the tail has nothing pushing its allocations to
    // its best: they are re-solved with the installs fixed, each case for its own EBIT.
    var (explained, explainedSolution) = (sf, solution)
    if sf.cases.riskWeight > 0 {
      let polish = StochasticFormulation(
        cases.expectedOnly, previous: options.previous, previousByCase: options.previousByCase,
        objective: options.settings.objective, fixed: sf.firstStage(of: solution))
      var polishOptions = options
      polishOptions.warmStart = nil
      // Its first stage is fixed: an LP, unless tier indicators make it a (small) MIP.
      if let s = try? solve(polish, options: polishOptions).0, Planner.status(s).hasSolution {
        (explained, explainedSolution) = (polish, s)
      }
    }
    var casePlans: [Plan] = []
    for k in cases.ids.indices {
      let s = explained.caseSolution(k, of: explainedSolution)
      casePlans.append(
        PlanExplanation(f: explained.formulations[k], solution: s).explain(status: status, method: method))
    }
    var expectedSolution = explained.expectedSolution(of: explainedSolution)
    // The polish holds the installs fixed, so its duals price nothing shared: the joint solve's do.
    expectedSolution.duals = sf.expectedSolution(of: solution).duals
    let expected = PlanExplanation(f: explained.formulations[0], solution: expectedSolution)
    var plan = expected.explain(status: status, method: method)
    plan.objective = solution.objectiveValue
    plan.solver = PlanExplanation(f: sf.formulations[0], solution: solution).record(method: method)
    plan.message = solution.message
    plan.warmStart = WarmStartMapping.record(solution, model: sf.model)
    plan.solver.start = WarmStartMapping.label(options.warmStart, model: sf.model, solution: solution)
    Planner.record(first, in: &plan, options: options)
    if let previous = options.previous, let cost = scenario.moveCost, cost > 0 {
      plan.stability = expected.stabilityReport(previous: previous, moveCost: cost)
    }
    averageFinancials(into: &plan, casePlans: casePlans, cases: cases, scenario: cases.scenarios[0])
    plan.uncertainty = report(casePlans, cases: cases)
    if options.valueOfInformation {
      addValueOfInformation(to: &plan.uncertainty, scenario: scenario, cases: cases, options: options)
    }
    plan.warnings = plan.plausibilityWarnings.isEmpty ? nil : plan.plausibilityWarnings
    return plan
  }

  /// The joint model solved as ``Planner/solveRecording(_:options:)`` solves one case's: a MIP
  /// with the rounding heuristic beside branch-and-cut, with how its first plan was found.
  static func solve(_ sf: StochasticFormulation, options: PlanOptions) throws(PlanningError) -> (
    Solution, FirstPlan?
  ) {
    var solve = options.settings.solveOptions
    solve.progress = options.progress
    if let warm = options.warmStart { _ = WarmStartMapping.apply(warm, to: sf.model, options: &solve) }
    return try Planner.solveRecording(sf.roundingTarget, solve: solve, options: options)
  }

  /// A plan without a solution. An infeasible joint model has an infeasible case (the cases share
  /// only installs and expansions, which no case's limits force down): the plan names that case
  /// and its limits, found on the case formulations already built. It stays a plan over the cases,
  /// without allocations: with `--elastic` too, as relaxing one case gives no plan for the others
  /// (the case's shortfalls are reported, as for any infeasible plan).
  static func unsolved(
    _ sf: StochasticFormulation, solution: Solution, status: PlanStatus, options: PlanOptions
  ) throws(PlanningError) -> Plan {
    var empty = solution
    empty.values = []
    empty.rowActivities = []
    var plan = PlanExplanation(f: sf.formulations[0], solution: empty).explain(
      status: status, method: options.settings.method)
    plan.message = solution.message ?? (status == .infeasible ? "infeasible across the demand cases" : nil)
    guard status == .infeasible else { return plan }
    var alone = options
    alone.warmStart = nil
    alone.progress = nil
    for (k, f) in sf.formulations.enumerated() {
      // One case's joint model is its own: it is the infeasible one without another solve.
      if sf.formulations.count > 1 {
        guard Planner.status(try Planner.solveRecording(f, options: alone).0) == .infeasible else { continue }
      }
      let id = sf.cases.ids[k]
      var infeasibility = Planner.diagnose(f, solver: options.solver)
      let why = infeasibility.summary
      if let relaxed = Planner.relaxedPlan(f, options: alone) {
        infeasibility.shortfalls = relaxed.infeasibility?.shortfalls
        infeasibility.relaxedEbit = relaxed.infeasibility?.relaxedEbit
      }
      infeasibility.summary = "demand case \(id): \(why)"
      plan.infeasibility = infeasibility
      plan.message =
        "demand case \(id) is infeasible: \(why)"
        + (options.elastic
          ? " (no elastic plan over demand cases: relaxing one case's limits plans nothing for the others; "
            + "the shortfalls are case \(id)'s)" : "")
      return plan
    }
    return plan
  }

  /// The plan's totals and period figures as the probability-weighted mean over the cases (each
  /// figure is computed with its case's prices). Economics and the lab side are kept only when
  /// they are linear in the allocations (no tiers, no price changes), where the mean allocation's
  /// figures are the mean figures.
  static func averageFinancials(
    into plan: inout Plan, casePlans: [Plan], cases: DemandCases, scenario: ValidScenario
  ) {
    let p = cases.probabilities
    plan.periods = casePlans[0].periods.indices.map { t in
      .weightedMean(of: casePlans.map { $0.periods[t] }, weights: p)
    }
    if casePlans[0].totals != nil {
      let totals = casePlans.indices.compactMap { k in casePlans[k].totals.map { (k, $0) } }
      plan.totals = .weightedMean(of: totals.map(\.1), weights: totals.map { p[$0.0] })
    }
    // Cleared before the cash flows are built, which read the lab side for its payout.
    let linear = !cases.changesPrices && scenario.offerings.allSatisfy { $0.tiers == nil }
    if !linear {
      plan.economics = nil
      plan.lab = []
    }
    plan.cashFlows = Plan.CashFlows(plan: plan, scenario: scenario)
  }

  static func report(_ casePlans: [Plan], cases: DemandCases) -> Plan.Uncertainty {
    let results = cases.ids.indices.map {
      Plan.DemandCaseResult(id: cases.ids[$0], probability: cases.probabilities[$0], plan: casePlans[$0])
    }
    let ebit = results.map(\.ebit)
    let expected = zip(ebit, cases.probabilities).reduce(0) { $0 + $1.0 * $1.1 }
    return Plan.Uncertainty(
      cases: results, expectedEbit: expected,
      cvar: Plan.Uncertainty.cvar(ebit, probabilities: cases.probabilities, alpha: cases.cvarAlpha),
      cvarAlpha: cases.cvarAlpha, riskWeight: cases.riskWeight)
  }

  /// EVPI from each case solved alone; VSS from the expected-demand plan's installs and
  /// expansions, fixed, with allocations re-solved in every case. A solve that fails leaves its
  /// figure out, with the reason in `note`.
  static func addValueOfInformation(
    to report: inout Plan.Uncertainty?, scenario: ValidScenario, cases: DemandCases, options: PlanOptions
  ) {
    guard var r = report else { return }
    if cases.ids.count == 1 {
      // One case is the deterministic plan: solving it alone or for its (own) expected demand
      // gives the same plan, so EVPI = VSS = 0 without the three extra solves.
      r.cases[0].aloneEbit = r.cases[0].ebit
      r.cases[0].expectedDemandPlanEbit = r.cases[0].ebit
      (r.waitAndSeeEbit, r.expectedDemandPlanEbit) = (r.expectedEbit, r.expectedEbit)
      (r.evpi, r.vss) = (0, 0)
      report = r
      return
    }
    var alone = options
    alone.valueOfInformation = false
    alone.priceOfStability = false
    alone.elastic = false
    alone.warmStart = nil
    var notes: [String] = []
    var waitAndSee = 0.0
    var solvedAll = true
    for (k, caseScenario) in cases.scenarios.enumerated() {
      var caseOptions = alone
      caseOptions.previous = options.previousByCase?[cases.ids[k]] ?? options.previous
      guard let plan = try? Planner.plan(caseScenario, options: caseOptions), plan.status.hasSolution,
        let ebit = plan.totals?.ebit
      else {
        notes.append("EVPI: demand case \(cases.ids[k]) alone has no solution")
        solvedAll = false
        break
      }
      r.cases[k].aloneEbit = ebit
      waitAndSee += cases.probabilities[k] * ebit
    }
    if solvedAll {
      r.waitAndSeeEbit = waitAndSee
      r.evpi = waitAndSee - r.expectedEbit
    }
    if let evaluated = expectedDemandPlanEbits(scenario: scenario, cases: cases, options: alone) {
      switch evaluated {
      case .success(let ebits):
        for k in ebits.indices { r.cases[k].expectedDemandPlanEbit = ebits[k] }
        let eev = zip(ebits, cases.probabilities).reduce(0) { $0 + $1.0 * $1.1 }
        r.expectedDemandPlanEbit = eev
        r.vss = r.expectedEbit - eev
      case .failure(let why): notes.append("VSS: \(why.message)")
      }
    }
    r.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
    report = r
  }

  /// Each case's EBIT with the expected-demand plan's first stage held fixed.
  static func expectedDemandPlanEbits(
    scenario: ValidScenario, cases: DemandCases, options: PlanOptions
  ) -> Result<[Double], PlanningError>? {
    guard let mean = scenario.expectedDemandScenario else { return nil }
    let f = Formulation(mean, previous: options.previous, objective: options.settings.objective)
    let solution: Solution
    do {
      solution = try Planner.solveRecording(f, options: options).0
    } catch {
      return .failure(error)
    }
    guard Planner.status(solution).hasSolution else {
      return .failure(PlanningError(message: "the expected-demand plan has no solution"))
    }
    let fixed = StochasticFormulation.firstStage(of: f) { solution.values[$0] }
    let sf = StochasticFormulation(
      cases.expectedOnly, previous: options.previous, previousByCase: options.previousByCase,
      objective: options.settings.objective, fixed: fixed)
    let evaluated: Solution
    do {
      evaluated = try solve(sf, options: options).0
    } catch {
      return .failure(error)
    }
    let status = Planner.status(evaluated)
    guard status.hasSolution else {
      return .failure(
        PlanningError(
          message: "the expected-demand plan's installs leave a demand case \(status.rawValue)"))
    }
    return .success(
      cases.ids.indices.map { k in
        PlanExplanation(f: sf.formulations[k], solution: sf.caseSolution(k, of: evaluated))
          .explain(status: status, method: options.settings.method).totals?.ebit ?? 0
      })
  }
}

/// The money figures a plan has per period and in total, which a plan over demand cases
/// reports as the probability-weighted mean of its cases'.
protocol CaseWeightedFigures {
  var revenue: Double { get set }
  var opex: Double { get set }
  var depreciation: Double { get set }
  var fixed: Double { get set }
  var ebit: Double { get set }
  var ebitMargin: Double? { get set }
  var revenueByUse: [String: Double] { get set }
  var revenueByOffering: [String: Double] { get set }
}

extension Plan.Totals: CaseWeightedFigures {}
extension Plan.PeriodFinancials: CaseWeightedFigures {}

extension CaseWeightedFigures {
  /// `Σ weights[k] · items[k]` figure by figure, other fields (a period's id and years) from
  /// the first item; the margin is the mean EBIT over the mean revenue.
  static func weightedMean(of items: [Self], weights: [Double]) -> Self {
    var mean = items[0]
    (mean.revenue, mean.opex, mean.depreciation, mean.fixed, mean.ebit) = (0, 0, 0, 0, 0)
    mean.revenueByUse = [:]
    mean.revenueByOffering = [:]
    for (q, w) in zip(items, weights) {
      mean.revenue += w * q.revenue
      mean.opex += w * q.opex
      mean.depreciation += w * q.depreciation
      mean.fixed += w * q.fixed
      mean.ebit += w * q.ebit
      for (u, v) in q.revenueByUse { mean.revenueByUse[u, default: 0] += w * v }
      for (o, v) in q.revenueByOffering { mean.revenueByOffering[o, default: 0] += w * v }
    }
    mean.ebitMargin = mean.revenue != 0 ? mean.ebit / mean.revenue : nil
    return mean
  }
}

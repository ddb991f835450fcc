import LinearProgramming
import Testing

@testable import CapacityModel

/// Branch-and-cut that finds no plan before its limit: it answers the MIP with `integerCount`
/// integer columns (the joint model) with "time limit, no solution", as GLPK does when its limit
/// comes before its first plan, and passes every other solve (the heuristic's LPs) to GLPK. So the
/// path a long search takes is tested without timing anything.
struct NoPlanInTimeSolver: LPSolver {
  let integerCount: Int
  let inner: any LPSolver = PlanOptions().solver

  func solve(_ model: Model, options: SolveOptions) throws(LPError) -> Solution {
    guard model.isMIP, model.integerCount == integerCount else {
      return try inner.solve(model, options: options)
    }
    return Solution(
      termination: .timeLimit, hasFeasibleSolution: false, isMIP: true, objectiveValue: nil, bestBound: nil,
      relativeGap: nil, values: [], rowActivities: [], duals: nil, reducedCosts: nil, basis: nil,
      ranging: nil, statistics: SolveStatistics(), log: "", message: nil)
  }

  func infeasibleSubset(_ model: Model, options: SolveOptions) throws(LPError) -> InfeasibleSubset? {
    try inner.infeasibleSubset(model, options: options)
  }
}

@Suite("A first plan for MIPs over demand cases")
struct DemandCasesRoundingTests {
  /// A generated MIP (install blocks, expansions) with three demand cases: demand x0.7, x1, x1.3.
  static func generatedMIPWithCases(sites: Int = 6, periods: Int = 6) throws -> ValidScenario {
    try ScenarioValidator.validate(
      ScenarioGenerator(sites: sites, periods: periods, hardware: 5, offerings: 8, seed: 2, integers: true)
        .generate().withDemandCases(3))
  }

  static func options(rounding: Bool = true) -> PlanOptions {
    var options = PlanOptions()
    options.valueOfInformation = false
    options.settings.glpk.roundingHeuristic = rounding
    return options
  }

  @Test func theRoundingDecidesEveryIntegerOfTheJointModelOnceForAllCases() throws {
    let valid = try Self.generatedMIPWithCases()
    let sf = StochasticFormulation(try #require(valid.demandCases))
    let target = sf.roundingTarget
    let single = sf.formulations[0].roundingTarget
    #expect(sf.model.isMIP)
    // Installs and expansions are shared: the joint model has one case's integers, not three.
    #expect(sf.model.integerCount == sf.formulations[0].model.integerCount)
    #expect(target.decisions.count == single.decisions.count)
    #expect(target.caseCount == 3 && single.caseCount == 1)
    // Every integer column of the joint model is rounded, so the fixed LPs are LPs.
    let integers = Set(sf.model.variableKinds.indices.filter { sf.model.variableKinds[$0] != .continuous })
    #expect(Set(target.decisions.map(\.column)) == integers)
    // Power rows are found in the joint model: same limits as case 0's own rows.
    for (s, rows) in target.powerRows.enumerated() {
      for (t, row) in rows.enumerated() {
        #expect(
          row.map { sf.model.constraintUpper[$0] }
            == single.powerRows[s][t].map {
              sf.formulations[0].model.constraintUpper[$0]
            })
      }
    }

    let heuristic = RoundingHeuristic(
      target: target, method: .primalSimplex, deadline: SolveDeadline(limitSeconds: nil), report: { _ in })
    let outcome = try heuristic.run(warmBasis: nil)
    let start = try #require(outcome.start)
    let bound = try #require(outcome.relaxation.objectiveValue)
    #expect(sf.model.isFeasible(start))
    #expect(try #require(outcome.startObjective) <= bound + 1e-6)
    for j in integers { #expect(start[j] == start[j].rounded()) }
  }

  @Test func aPlanOverCasesRecordsItsFirstPlanAndKeepsTheBetterPlan() throws {
    let valid = try Self.generatedMIPWithCases()
    let plan = try Planner.plan(valid, options: Self.options())
    #expect(plan.status.hasSolution)
    let first = try #require(plan.solver.firstPlan, "the joint MIP's solver record has its first plan")
    #expect(["fitted", "nearest", "down", "up", "relax-and-fix"].contains(first.rule))
    #expect(first.objective <= first.relaxationBound + 1e-6)
    expectClose(
      first.gap, (first.relaxationBound - first.objective) / abs(first.objective), "first gap",
      tolerance: 1e-12)
    #expect(plan.solver.start == "rounding")
    // The answer is at least as good as the first plan, and within the requested gap of the bound.
    let objective = try #require(plan.objective)
    #expect(objective >= first.objective - 1e-9 * abs(first.objective))
    #expect(try #require(plan.solver.bestBound) <= first.relaxationBound + 1e-6)
    #expect(try #require(plan.uncertainty).cases.count == 3)

    // GLPK alone: no first plan on the record, and the same plan's value to the requested gap.
    let alone = try Planner.plan(valid, options: Self.options(rounding: false))
    #expect(alone.solver.firstPlan == nil)
    #expect(alone.solver.start == "cold")
    let gap = SolveSettings().relativeGap
    expectClose(alone.objective, objective, "same optimum", tolerance: 2 * gap * abs(objective))
  }

  @Test func whenBranchAndCutFindsNoPlanInTimeTheRoundingIsThePlan() throws {
    let valid = try Self.generatedMIPWithCases()
    let sf = StochasticFormulation(try #require(valid.demandCases))
    var options = Self.options()
    options.solver = NoPlanInTimeSolver(integerCount: sf.model.integerCount)
    let plan = try Planner.plan(valid, options: options)
    #expect(plan.status == .timeLimitWithSolution)
    let first = try #require(plan.solver.firstPlan)
    let objective = try #require(plan.objective)
    expectClose(objective, first.objective, "the plan is the first plan", tolerance: 1e-9 * abs(objective))
    expectClose(
      plan.solver.bestBound, first.relaxationBound, "bound from the joint relaxation",
      tolerance: 1e-9 * abs(objective))
    let gap = try #require(plan.solver.gap)
    #expect(gap.isFinite && gap > 0)
    expectClose(gap, (first.relaxationBound - objective) / abs(objective), "gap", tolerance: 1e-12)
    // Every case has its allocations and EBIT; their probability-weighted mean is the plan's.
    let u = try #require(plan.uncertainty)
    #expect(u.cases.count == 3)
    #expect(u.cases.allSatisfy { !$0.allocations.isEmpty })
    expectClose(
      u.expectedEbit, objective, "expected EBIT is the objective (no risk term)",
      tolerance: 1e-6 * abs(objective))
    #expect(!plan.installs.isEmpty)

    // Without the rounding, the same search leaves no plan at all.
    var alone = Self.options(rounding: false)
    alone.solver = options.solver
    #expect(try Planner.plan(valid, options: alone).status == .timeLimitWithoutSolution)
  }
}

import LinearProgramming
import Testing

@testable import CapacityModel

@Suite("A first plan before branch-and-cut")
struct RoundingHeuristicTests {
  static func generatedMIP(sites: Int = 6, periods: Int = 6, seed: UInt64 = 2) throws -> ValidScenario {
    try ScenarioValidator.validate(
      ScenarioGenerator(sites: sites, periods: periods, hardware: 5, offerings: 8, seed: seed, integers: true)
        .generate())
  }

  @Test func roundingsKeepExpansionsBuiltAndBlocksWithinTheirBounds() {
    typealias D = RoundingHeuristic.Decision
    // Blocks in columns 0 and 1 (upper bounds 3 and 2); expansion 0 over quarters 1..3 in columns 2..4.
    let decisions = [
      D(column: 0, period: 0, isExpansion: false, expansion: -1),
      D(column: 1, period: 1, isExpansion: false, expansion: -1),
      D(column: 2, period: 1, isExpansion: true, expansion: 0),
      D(column: 3, period: 2, isExpansion: true, expansion: 0),
      D(column: 4, period: 3, isExpansion: true, expansion: 0),
    ]
    let lp = [2.4, 1.6, 0.2, 0.6, 0.6]
    let upper = [3.0, 2.0, 1, 1, 1]
    let nearest = Rounding.nearest.round(decisions, lp: lp, upper: upper)
    #expect(nearest == [0: 2, 1: 2, 2: 0, 3: 1, 4: 1])
    let down = Rounding.down.round(decisions, lp: lp, upper: upper)
    // Down: fewer blocks; the expansion from the first quarter the LP builds any of it.
    #expect(down == [0: 2, 1: 1, 2: 1, 3: 1, 4: 1])
    let up = Rounding.up.round(decisions, lp: [2.4, 1.6, 0, 0, 0.3], upper: upper)
    #expect(up == [0: 3, 1: 2, 2: 0, 3: 0, 4: 1])
    // A value a hair above a whole number is that number, up or down.
    #expect(Rounding.up.round([decisions[0]], lp: [2.0000001], upper: upper) == [0: 2])
    #expect(Rounding.down.round([decisions[0]], lp: [1.9999999], upper: upper) == [0: 2])
  }

  @Test func theFirstPlanIsFeasibleAndWithinTheRelaxationBound() throws {
    let f = Formulation(try Self.generatedMIP())
    #expect(f.model.isMIP)
    let heuristic = RoundingHeuristic(
      target: f.roundingTarget, method: .primalSimplex, deadline: SolveDeadline(limitSeconds: nil),
      report: { _ in })
    let outcome = try heuristic.run(warmBasis: nil)
    let start = try #require(outcome.start)
    let bound = try #require(outcome.relaxation.objectiveValue)
    #expect(f.model.isFeasible(start))
    #expect(outcome.startObjective == f.model.objectiveValue(at: start))
    #expect(try #require(outcome.startObjective) <= bound + 1e-6)
    #expect(outcome.startDuals?.count == f.model.constraintCount)
    // Every install block count and expansion is whole.
    for (j, kind) in f.model.variableKinds.enumerated() where kind != .continuous {
      #expect(start[j] == start[j].rounded())
    }
  }

  @Test func relaxAndFixFindsAPlanQuarterByQuarter() throws {
    let f = Formulation(try Self.generatedMIP(sites: 4, periods: 4))
    let heuristic = RoundingHeuristic(
      target: f.roundingTarget, method: .primalSimplex, deadline: SolveDeadline(limitSeconds: nil),
      report: { _ in })
    let outcome = try heuristic.run(warmBasis: nil)
    var options = heuristic.lpOptions(method: .dualSimplex, basis: outcome.relaxation.basis)
    options.timeLimitSeconds = nil
    let (x, z, _, solves) = try #require(
      try heuristic.relaxAndFix(heuristic.decisions, relaxation: outcome.relaxation, options: options))
    #expect(f.model.isFeasible(x))
    #expect(z <= (outcome.relaxation.objectiveValue ?? 0) + 1e-6)
    // At least one LP per quarter with a decision, and the final fixed one.
    #expect(solves >= 5)
  }

  @Test func aPlanSolvedThroughThePlannerRecordsItsFirstPlan() throws {
    let valid = try Self.generatedMIP()
    var options = PlanOptions()
    options.settings.relativeGap = 1e-4
    let plan = try Planner.plan(valid, options: options)
    #expect(plan.status == .optimal || plan.status == .feasibleWithGap)
    let first = try #require(plan.solver.firstPlan)
    #expect(plan.solver.start == "rounding")
    #expect(["nearest", "fitted", "down", "up", "relax-and-fix"].contains(first.rule))
    // Branch-and-cut starts from the first plan: it can only improve on it, and no plan beats the LP bound.
    let objective = try #require(plan.objective)
    #expect(objective >= first.objective - 1e-6)
    #expect(objective <= first.relaxationBound + 1e-6)
    #expect(abs(first.gap - (first.relaxationBound - first.objective) / abs(first.objective)) < 1e-9)
    // The same MIP without the heuristic reaches the same optimum within the gap.
    options.settings.glpk.roundingHeuristic = false
    let alone = try Planner.plan(valid, options: options)
    #expect(alone.solver.firstPlan == nil)
    #expect(abs(try #require(alone.objective) - objective) <= 2e-4 * abs(objective))
  }

  @Test func whenTheSearchEndsWithoutAPlanTheFirstPlanIsTheAnswerWithItsGap() throws {
    let valid = try Self.generatedMIP()
    let f = Formulation(valid)
    let deadline = SolveDeadline(limitSeconds: nil)
    let heuristic = RoundingHeuristic(
      target: f.roundingTarget, method: .primalSimplex, deadline: deadline, report: { _ in })
    let outcome = try heuristic.run(warmBasis: nil)
    let start = try #require(outcome.start)
    let bound = try #require(outcome.relaxation.objectiveValue)
    let solve = MIPSolve(target: f.roundingTarget, options: PlanOptions(), solve: SolveOptions())
    let solution = solve.startOnly(start, outcome: outcome, bound: bound, deadline: deadline, why: .timeLimit)
    let plan = Planner.explain(f, solution: solution)
    #expect(plan.status == .timeLimitWithSolution)
    expectClose(plan.objective, try #require(outcome.startObjective), "the answer is the first plan")
    expectClose(plan.solver.bestBound, bound, "bound from the LP relaxation")
    expectClose(
      plan.solver.gap, (bound - (plan.objective ?? 0)) / abs(plan.objective ?? 1), "gap", tolerance: 1e-12)
    #expect(!plan.allocations.isEmpty)
    #expect(!plan.marginals.supply.isEmpty, "marginals from the LP with the first plan's integers fixed")
  }

  @Test func largeRelaxationsGoToTheInteriorPointUnlessAMethodIsChosen() {
    var model = Model()
    let x = model.addVariable("x", kind: .integer, upper: 10)
    for _ in 0..<10_001 { model.addConstraint(LinearExpression(x), lower: 0, upper: 10) }
    var options = PlanOptions()
    #expect(MIPSolve.heuristicMethod(options, model: model) == .interiorPoint)
    #expect(MIPSolve.heuristicMethod(options, model: Model()) == .primalSimplex)
    // A joint model over demand cases stays with the plan's simplex, however large.
    #expect(MIPSolve.heuristicMethod(options, model: model, acrossCases: true) == .primalSimplex)
    options.settings.glpk.heuristicMethod = .dualSimplex
    #expect(MIPSolve.heuristicMethod(options, model: model) == .dualSimplex)
  }

  @Test func aStoppedSearchWithinTheRequestedGapEndsAtTheGap() {
    func stopped(_ why: TerminationReason, gap: Double?, feasible: Bool = true) -> Solution {
      Solution(
        termination: why, hasFeasibleSolution: feasible, isMIP: true, objectiveValue: 100, bestBound: 100.005,
        relativeGap: gap, values: [], rowActivities: [], duals: nil, reducedCosts: nil, basis: nil,
        ranging: nil,
        statistics: SolveStatistics(), log: "", message: nil)
    }
    var proven = stopped(.timeLimit, gap: 5e-5)
    MIPSolve.settle(&proven, wanted: 1e-4)
    #expect(proven.termination == .gapLimit)
    var open = stopped(.interrupted, gap: 2e-4)
    MIPSolve.settle(&open, wanted: 1e-4)
    #expect(open.termination == .interrupted)
    // An exact solve (gap 0) is GLPK's to prove.
    var exact = stopped(.timeLimit, gap: 0)
    MIPSolve.settle(&exact, wanted: 0)
    #expect(exact.termination == .timeLimit)
    var noPlan = stopped(.timeLimit, gap: nil, feasible: false)
    MIPSolve.settle(&noPlan, wanted: 1e-4)
    #expect(noPlan.termination == .timeLimit)
  }

  @Test func progressFoldsTheFirstPlanAndTheRelaxationBoundIntoBranchAndCuts() {
    let glpk = MIPProgress(incumbent: 95, bestBound: 110, relativeGap: 15.0 / 95, nodes: 7, elapsedSeconds: 3)
    // The heuristic's plan is better and its bound tighter: both win, the gap follows.
    let merged = MIPSolve.merged(glpk, with: .init(relaxationBound: 105, objective: 100))
    #expect(merged.incumbent == 100)
    #expect(merged.bestBound == 105)
    #expect(merged.relativeGap == 5.0 / 100)
    #expect(merged.nodes == 7)
    // Before branch-and-cut has a plan, the heuristic's is the plan.
    let early = MIPSolve.merged(
      MIPProgress(incumbent: nil, bestBound: nil, relativeGap: nil, nodes: 0, elapsedSeconds: 1),
      with: .init(relaxationBound: 105, objective: 100))
    #expect(early.incumbent == 100 && early.bestBound == 105 && early.relativeGap == 0.05)
    // A worse heuristic plan and a looser bound change nothing.
    let later = MIPSolve.merged(glpk, with: .init(relaxationBound: 120, objective: 90))
    #expect(later.incumbent == 95 && later.bestBound == 110)
  }

  @Test func aSearchStoppedByItsCallerEndsWithAConsistentAnswer() throws {
    var options = PlanOptions()
    options.progress = { $0.incumbent == nil }
    let plan = try Planner.plan(try Self.generatedMIP(), options: options)
    // Stopped as soon as either thread had a plan: that plan, never a lost one.
    #expect(
      plan.status == .timeLimitWithSolution || plan.status == .optimal || plan.status == .feasibleWithGap)
    let objective = try #require(plan.objective)
    let bound = try #require(plan.solver.bestBound)
    #expect(objective <= bound + 1e-6)
  }

  @Test func anInfeasibleRelaxationEndsAsAnInfeasiblePlan() throws {
    // Commit more MW than the power could ever hold: the relaxation is infeasible already.
    var scenario = ScenarioGenerator(sites: 2, periods: 3, hardware: 5, offerings: 8, seed: 2, integers: true)
      .generate()
    scenario.offerings[1].demandMW = nil
    scenario.offerings[1].committedMW = .constant(1e6)
    let plan = try Planner.plan(ScenarioValidator.validate(scenario))
    #expect(plan.status == .infeasible)
    #expect(plan.solver.firstPlan == nil)
    #expect(plan.infeasibility?.conflicts.contains { $0.contains("committed_mw of gpu-rental") } == true)
  }
}

import Foundation
import GLPK
import LinearProgramming
import Synchronization
import Testing

@testable import CapacityModel

/// GLPK behind the solver protocol, counting what the planner asks of it.
final class CountingSolver: LPSolver {
  let solves = Atomic<Int>(0)
  let subsets = Atomic<Int>(0)

  func solve(_ model: Model, options: SolveOptions) throws(LPError) -> Solution {
    solves.add(1, ordering: .relaxed)
    return try GLPKSolver().solve(model, options: options)
  }

  func infeasibleSubset(_ model: Model, options: SolveOptions) throws(LPError) -> InfeasibleSubset? {
    subsets.add(1, ordering: .relaxed)
    return try GLPKSolver().infeasibleSubset(model, options: options)
  }
}

/// The planner solves through `PlanOptions.solver` only: every LP and MIP it solves (the MIP,
/// the rounding heuristic's LPs, the diagnosis and the elastic re-solve) goes to it.
@Suite struct SolverProtocolTests {
  @Test func aMIPIsSolvedThroughTheGivenSolver() throws {
    let scenario = try RoundingHeuristicTests.generatedMIP()
    let counting = CountingSolver()
    var options = PlanOptions()
    options.solver = counting
    let plan = try Planner.plan(scenario, options: options)
    let direct = try Planner.plan(scenario)
    #expect(plan.status.hasSolution && direct.status.hasSolution)
    // Both within the requested gap (1e-4) of the optimum, whichever search finished first.
    let ebit = try #require(direct.totals?.ebit)
    expectClose(plan.totals?.ebit, ebit, "the same plan's EBIT", tolerance: 2e-4 * abs(ebit))
    // At least branch-and-cut and the rounding heuristic's LP relaxation.
    #expect(counting.solves.load(ordering: .relaxed) >= 2)
  }

  @Test func anInfeasibleScenarioIsDiagnosedThroughTheGivenSolver() throws {
    let counting = CountingSolver()
    var options = PlanOptions()
    options.solver = counting
    options.elastic = true
    let plan = try solvedPlan(ShortfallTests.powerYAML, options: options)
    #expect(plan.status == .infeasibleRelaxed)
    #expect(plan.infeasibility?.shortfalls?.count == 1)
    #expect(counting.subsets.load(ordering: .relaxed) == 1)
    // The scenario, then the elastic model's two stages.
    #expect(counting.solves.load(ordering: .relaxed) == 3)
  }
}

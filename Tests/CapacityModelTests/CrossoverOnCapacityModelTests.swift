import GLPK
import LinearProgramming
import Testing

@testable import CapacityModel

@Suite("Interior point with crossover on generated capacity models")
struct CrossoverOnCapacityModelTests {
  @Test func aGeneratedCapacityLPGetsTheSimplexOptimumAsAVertex() throws {
    let valid = try ScenarioValidator.validate(
      ScenarioGenerator(sites: 12, periods: 8, hardware: 5, offerings: 8, seed: 3, integers: false).generate()
    )
    let model = Formulation(valid).model
    #expect(!model.isMIP)
    var o = SolveOptions()
    o.method = .primalSimplex
    let primal = try GLPKSolver().solve(model, options: o)
    let z = try #require(primal.objectiveValue)
    for method in [LPMethod.interiorCrossover, .race] {
      o.method = method
      let s = try GLPKSolver().solve(model, options: o)
      #expect(s.termination == .optimal, "\(method)")
      let w = try #require(s.objectiveValue)
      #expect(abs(w - z) <= 1e-7 * abs(z), "\(method): \(w) against the primal simplex's \(z)")
      let basis = try #require(s.basis, "\(method): no basis")
      let basic = basis.rows.filter { $0 == .basic }.count + basis.columns.filter { $0 == .basic }.count
      #expect(basic == model.constraintCount, "\(method)")
      #expect(model.isFeasible(s.values))
      // The vertex warm-starts: the dual simplex from its basis needs no iteration.
      var warm = SolveOptions()
      warm.method = .dualSimplex
      warm.warmStartBasis = basis
      #expect(try GLPKSolver().solve(model, options: warm).statistics.iterations == 0, "\(method)")
    }
  }

  @Test func theHeuristicWithTheCrossoverWarmStartsItsFixedLPs() throws {
    let f = Formulation(
      try ScenarioValidator.validate(
        ScenarioGenerator(sites: 6, periods: 6, hardware: 5, offerings: 8, seed: 2, integers: true).generate()
      ))
    let heuristic = RoundingHeuristic(
      target: f.roundingTarget, method: .interiorCrossover, deadline: SolveDeadline(limitSeconds: nil),
      report: { _ in }
    )
    let outcome = try heuristic.run(warmBasis: nil)
    // The relaxation has a basis now, which the roundings' fixed LPs start from.
    #expect(outcome.relaxation.basis != nil)
    let start = try #require(outcome.start)
    #expect(f.model.isFeasible(start))
    let bound = try #require(outcome.relaxation.objectiveValue)
    #expect(try #require(outcome.startObjective) <= bound + 1e-6)
  }
}

import Foundation
import GLPK
import LinearProgramming
import Testing

@Suite("Interior point with crossover, and the race of two methods")
struct CrossoverAndRaceTests {
  static let netlib = Fixtures.optima("netlib")

  /// A vertex: exactly one basic variable per row, and the values satisfy every bound and row.
  static func expectVertex(_ s: Solution, of model: Model, _ what: String) {
    guard let basis = s.basis else {
      Issue.record("\(what): no basis")
      return
    }
    let basic = basis.rows.filter { $0 == .basic }.count + basis.columns.filter { $0 == .basic }.count
    #expect(basic == model.constraintCount, "\(what): \(basic) basic for \(model.constraintCount) rows")
    #expect(model.isFeasible(s.values, tolerance: 1e-6), "\(what): not primal feasible")
  }

  @Test(arguments: netlib)
  func crossoverGivesTheSimplexObjectiveAndAnOptimalBasis(_ problem: Fixtures.Optimum) throws {
    let model = try Model.read(contentsOf: problem.path, format: .mps)
    var o = SolveOptions()
    o.method = .interiorCrossover
    let s = try GLPKSolver().solve(model, options: o)
    #expect(s.termination == .optimal, "\(problem)")
    let z = try #require(s.objectiveValue)
    #expect(relativeError(z, problem.objective) < 1e-6, "\(problem): \(z) against \(problem.objective)")
    Self.expectVertex(s, of: model, "\(problem)")
    // The basis is optimal: the primal simplex started from it makes no further iteration.
    var warm = SolveOptions()
    warm.method = .primalSimplex
    warm.warmStartBasis = s.basis
    let again = try GLPKSolver().solve(model, options: warm)
    #expect(again.termination == .optimal)
    #expect(
      again.statistics.iterations == 0, "\(problem): \(again.statistics.iterations) iterations from the basis"
    )
  }

  @Test(arguments: netlib)
  func theRaceGivesTheOptimum(_ problem: Fixtures.Optimum) throws {
    let model = try Model.read(contentsOf: problem.path, format: .mps)
    var o = SolveOptions()
    o.method = .race
    let s = try GLPKSolver().solve(model, options: o)
    #expect(s.termination == .optimal, "\(problem)")
    let z = try #require(s.objectiveValue)
    #expect(relativeError(z, problem.objective) < 1e-6, "\(problem): \(z) against \(problem.objective)")
    #expect([LPMethod.primalSimplex, .interiorCrossover].contains(s.statistics.winningMethod))
    Self.expectVertex(s, of: model, "\(problem)")
  }

  /// x + y >= 5 with x + y <= 3: no plan.
  static func infeasibleLP() -> Model {
    var m = Model(name: "infeasible")
    let x = m.addVariable("x")
    let y = m.addVariable("y")
    m.addConstraint(x + y >= 5, name: "at_least")
    m.addConstraint(x + y <= 3, name: "at_most")
    m.setObjective(.maximize, x + 2 * y)
    return m
  }

  /// max x + y with x - y <= 1: y grows without end.
  static func unboundedLP() -> Model {
    var m = Model(name: "unbounded")
    let x = m.addVariable("x")
    let y = m.addVariable("y")
    m.addConstraint(x - y <= 1, name: "c")
    m.setObjective(.maximize, x + y)
    return m
  }

  @Test(arguments: [LPMethod.race, .interiorCrossover])
  func infeasibleAndUnboundedAreToldApart(_ method: LPMethod) throws {
    var o = SolveOptions()
    o.method = method
    let infeasible = try GLPKSolver().solve(Self.infeasibleLP(), options: o)
    #expect(infeasible.termination == .infeasible, "\(method): \(infeasible.termination)")
    #expect(!infeasible.hasFeasibleSolution)
    let unbounded = try GLPKSolver().solve(Self.unboundedLP(), options: o)
    #expect(unbounded.termination == .unbounded, "\(method): \(unbounded.termination)")
  }

  @Test(arguments: [LPMethod.primalSimplex, .interiorPoint, .interiorCrossover, .race])
  func aStopEndsTheLPAndGLPKStaysUsable(_ method: LPMethod) throws {
    let model = try Model.read(contentsOf: Self.netlib.first { $0.name == "boeing1" }!.path, format: .mps)
    var o = SolveOptions()
    o.method = method
    o.presolve = false
    o.shouldStop = { true }
    let s = try GLPKSolver().solve(model, options: o)
    // The stop is seen at GLPK's first output line, which it prints before its first iteration.
    #expect(s.termination == .interrupted, "\(method): \(s.termination)")
    #expect(!s.hasFeasibleSolution)
    #expect(s.objectiveValue == nil)
    // The same thread solves again, in a fresh GLPK environment.
    o.shouldStop = nil
    let again = try GLPKSolver().solve(model, options: o)
    #expect(again.termination == .optimal)
    #expect(relativeError(again.objectiveValue ?? 0, -3.3521356751E+02) < 1e-6)
  }

  @Test func theCrossoverTakesATimeLimitThePlainInteriorPointRefuses() throws {
    let (model, _, _, _) = smallLP()
    var o = SolveOptions()
    o.method = .interiorCrossover
    o.timeLimitSeconds = 60
    let s = try GLPKSolver().solve(model, options: o)
    #expect(s.termination == .optimal)
    #expect(s.objectiveValue == 11)
    #expect(s.basis?.columns == [.basic, .basic])
    o.method = .interiorPoint
    #expect(throws: LPError.self) { try GLPKSolver().solve(model, options: o) }
  }
}

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

  /// The crossover alone and the race: the optimum, at a vertex whose basis is optimal (the
  /// primal simplex started from it makes no further iteration).
  @Test(arguments: netlib, [LPMethod.interiorCrossover, .race])
  func crossoverAndRaceGiveTheSimplexObjectiveAndAnOptimalBasis(
    _ problem: Fixtures.Optimum, _ method: LPMethod
  ) throws {
    let model = try Model.read(contentsOf: problem.path, format: .mps)
    var o = SolveOptions()
    o.method = method
    let s = try GLPKSolver().solve(model, options: o)
    #expect(s.termination == .optimal, "\(problem) \(method)")
    let z = try #require(s.objectiveValue)
    #expect(relativeError(z, problem.objective) < 1e-6, "\(problem): \(z) against \(problem.objective)")
    Self.expectVertex(s, of: model, "\(problem) \(method)")
    var warm = SolveOptions()
    warm.method = .primalSimplex
    warm.warmStartBasis = s.basis
    let again = try GLPKSolver().solve(model, options: warm)
    #expect(again.termination == .optimal)
    #expect(
      again.statistics.iterations == 0,
      "\(problem) \(method): \(again.statistics.iterations) iterations from the basis")
    if method == .race {
      #expect([LPMethod.primalSimplex, .interiorCrossover].contains(s.statistics.winningMethod))
      Self.expectTheWinnersOwnAnswer(s, "\(problem)")
    } else {
      #expect(s.statistics.winningMethod == nil)
      #expect(s.interiorValues?.count == model.variableCount)
    }
  }

  /// The winner reported is the racer whose answer came back: only the crossover's answer carries
  /// the interior point's values and times; and the other racer had stopped (or ended) after it.
  static func expectTheWinnersOwnAnswer(_ s: Solution, _ what: String) {
    switch s.statistics.winningMethod {
    case .interiorCrossover:
      #expect(s.interiorValues != nil, "\(what): the crossover won but its interior point is missing")
      #expect(s.statistics.interiorSeconds != nil, "\(what)")
      #expect(s.statistics.crossoverSeconds != nil, "\(what)")
    case .primalSimplex:
      #expect(s.interiorValues == nil, "\(what): the primal simplex won but an interior point came back")
      #expect(s.statistics.crossoverSeconds == nil, "\(what)")
    default:
      Issue.record("\(what): no winner reported: \(String(describing: s.statistics.winningMethod))")
    }
    if s.termination == .optimal {
      #expect((s.statistics.raceStopSeconds ?? -1) >= 0, "\(what): no stop time for the loser")
    }
  }

  /// After a race, whatever its loser went through (stopped mid-solve on its own thread), the
  /// calling thread's GLPK is untouched: it solves again, by the same and by other methods.
  @Test(arguments: netlib)
  func afterARaceTheSameThreadSolvesAgain(_ problem: Fixtures.Optimum) throws {
    let model = try Model.read(contentsOf: problem.path, format: .mps)
    var o = SolveOptions()
    o.method = .race
    for method in [LPMethod.race, .primalSimplex, .interiorCrossover, .race] {
      o.method = method
      let s = try GLPKSolver().solve(model, options: o)
      #expect(s.termination == .optimal, "\(problem) \(method)")
      #expect(relativeError(s.objectiveValue ?? .nan, problem.objective) < 1e-6, "\(problem) \(method)")
    }
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

  /// A transportation LP of `n` plants and `n` markets: big enough that no method ends in 1 ms.
  static func transportLP(_ n: Int) -> Model {
    var m = Model(name: "transport")
    var x: [[Variable]] = []
    for i in 0..<n { x.append((0..<n).map { j in m.addVariable("x_\(i)_\(j)") }) }
    for i in 0..<n {
      let row = LinearExpression(terms: (0..<n).map { Term(x[i][$0], 1) })
      m.addConstraint(row <= Double(100 + i % 7), name: "supply_\(i)")
    }
    for j in 0..<n {
      let column = LinearExpression(terms: (0..<n).map { Term(x[$0][j], 1) })
      m.addConstraint(column >= Double(90 + j % 5), name: "demand_\(j)")
    }
    var cost = LinearExpression()
    for i in 0..<n { for j in 0..<n { cost.add(Double(1 + (i * 31 + j * 17) % 23), x[i][j]) } }
    m.setObjective(.minimize, cost)
    return m
  }

  @Test(arguments: [LPMethod.interiorCrossover, .race])
  func aTinyTimeLimitEndsTheLPAndGLPKStaysUsable(_ method: LPMethod) throws {
    let model = Self.transportLP(120)
    var o = SolveOptions()
    o.method = method
    o.timeLimitSeconds = 0.001
    let s = try GLPKSolver().solve(model, options: o)
    #expect(s.termination == .timeLimit, "\(method): \(s.termination) \(s.message ?? "")")
    #expect(s.termination != .optimal)
    if method == .race { #expect(s.statistics.winningMethod != nil) }
    // The same thread solves again, in a fresh GLPK environment.
    o.timeLimitSeconds = nil
    let (small, _, _, _) = smallLP()
    let again = try GLPKSolver().solve(small, options: o)
    #expect(again.termination == .optimal)
    #expect(again.objectiveValue == 11)
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

import Foundation
import GLPK
import LinearProgramming
import Testing

@Suite struct ModelBuildingTests {
  @Test func repeatedVariablesMergeAndConstantsMoveToBounds() {
    var m = Model()
    let x = m.addVariable("x")
    let y = m.addVariable("y")
    let c = m.addConstraint(2 * x + y + 3 * x - y + 5 <= 20, name: "c")
    #expect(m.terms(of: c) == [Term(x, 5)])  // y cancels out and is dropped
    #expect(m.constraintUpper[c.index] == 15)
    #expect(m.constraintLower[c.index] == -.infinity)
    #expect(m.nonzeroCount == 1)
  }

  @Test func sumsOverSequences() {
    var m = Model()
    let xs = (0..<5).map { m.addVariable("x\($0)") }
    let e = xs.linearSum() + xs.linearSum { Double($0.index) * $0 }
    let c = m.addConstraint(e >= 1)
    #expect(m.terms(of: c).map(\.coefficient) == [1, 2, 3, 4, 5])
  }

  @Test func rangedEqualityAndVariableBounds() throws {
    var m = Model()
    let x = m.addVariable("x", lower: -.infinity, upper: .infinity)
    let y = m.addVariable("y", kind: .integer, lower: -2, upper: 7)
    let b = m.addVariable("b", kind: .binary, lower: -5, upper: 9)
    #expect(m.variableLower[b.index] == 0 && m.variableUpper[b.index] == 1)
    m.addConstraint(x + y, lower: 1, upper: 3, name: "range")
    m.addConstraint(x - y == 0.5, name: "eq")
    m.setObjective(.maximize, x + 10 * b + LinearExpression(constant: 100))
    let s = try GLPKSolver().solve(m)
    // x - y = 0.5 and x + y <= 3 with y integer: y = 1, x = 1.5.
    #expect(s.termination == .optimal)
    #expect(s[x] == 1.5)
    #expect(s[y] == 1)
    #expect(s[b] == 1)
    #expect(s.objectiveValue == 111.5)
  }

  @Test func buildsAMillionNonzeros() {
    var m = Model()
    let n = 100_000
    let xs = (0..<n).map { m.addVariable("x\($0)") }
    for i in 0..<100_000 {
      var e = LinearExpression()
      for k in 0..<10 { e.add(Double(k + 1), xs[(i * 7 + k * 13) % n]) }
      m.addConstraint(e <= 100)
    }
    #expect(m.nonzeroCount == 1_000_000)
    #expect(m.constraintCount == 100_000)
  }
}

@Suite struct SolutionDetailTests {
  @Test func dualsReducedCostsAndActivities() throws {
    let (m, x, y, c) = smallLP()
    let s = try GLPKSolver().solve(m)
    #expect(s.termination == .optimal && s.hasFeasibleSolution)
    #expect(s.objectiveValue == 11)
    #expect(s[x] == 3 && s[y] == 1)
    #expect(s.activity(c[0]) == 4 && s.activity(c[1]) == 6 && s.activity(c[2]) == 3)
    #expect(s.dual(c[0]) == 2)
    #expect(s.dual(c[1]) == 0)
    #expect(s.dual(c[2]) == 1)
    #expect(s.reducedCost(x) == 0 && s.reducedCost(y) == 0)
  }

  @Test func rangingOfCostsAndRightHandSides() throws {
    let (m, x, y, c) = smallLP()
    var options = SolveOptions()
    options.ranging = true
    let r = try #require(try GLPKSolver().solve(m, options: options).ranging)
    // x stays optimal at 3 for any cost >= 2 (the cost of y); y for costs in [0, 3].
    #expect(r.objectiveCoefficient[x.index] == SensitivityRange(lower: 2, upper: .infinity))
    #expect(r.objectiveCoefficient[y.index] == SensitivityRange(lower: 0, upper: 3))
    // With x held at 3 by c3, y = rhs1 - 3: y >= 0 needs rhs1 >= 3, and c2 (3 + 3y <= 7) rhs1 <= 13/3.
    let c1 = try #require(r.rightHandSide[c[0].index])
    #expect(c1.lower == 3)
    #expect(abs(c1.upper - 13.0 / 3) < 1e-12)
    #expect(r.rightHandSide[c[1].index] == nil)  // c2 is slack: basic row
  }

  @Test func statusTellsInfeasibleFromUnbounded() throws {
    var m = Model()
    let x = m.addVariable("x")
    m.addConstraint(LinearExpression(x) >= 5)
    m.addConstraint(LinearExpression(x) <= 3)
    m.setObjective(.minimize, LinearExpression(x))
    let infeasible = try GLPKSolver().solve(m)
    #expect(infeasible.termination == .infeasible)
    #expect(!infeasible.hasFeasibleSolution)
    #expect(infeasible.objectiveValue == nil)

    var u = Model()
    let z = u.addVariable("z")
    u.addConstraint(LinearExpression(z) >= 1)
    u.setObjective(.maximize, LinearExpression(z))
    let unbounded = try GLPKSolver().solve(u)
    #expect(unbounded.termination == .unbounded, "\(unbounded.termination) \(unbounded.message ?? "")")
  }

  @Test func iterationLimitStopsTheSimplex() throws {
    let problem = try #require(Fixtures.optima("netlib").first { $0.name == "boeing1" })
    let model = try Model.read(contentsOf: problem.path, format: .mps)
    var options = SolveOptions()
    options.iterationLimit = 3
    options.presolve = false
    let s = try GLPKSolver().solve(model, options: options)
    #expect(s.termination == .iterationLimit)
    #expect(s.statistics.iterations == 3)
  }

  @Test func mipReportsBoundGapNodesAndFixedLPDuals() throws {
    // max 5a + 4b + 3c  s.t.  2a + 3b + c <= 5,  4a + b + 2c <= 11,  3a + 4b + 2c <= 8, a,b,c integer >= 0.
    var m = Model()
    let a = m.addVariable("a", kind: .integer)
    let b = m.addVariable("b", kind: .integer)
    let c = m.addVariable("c", kind: .integer)
    let d = m.addVariable("d")
    m.addConstraint(2 * a + 3 * b + c <= 5)
    m.addConstraint(4 * a + b + 2 * c <= 11)
    let r3 = m.addConstraint(3 * a + 4 * b + 2 * c + d <= 8.5)
    m.setObjective(.maximize, 5 * a + 4 * b + 3 * c + 0.5 * d)
    let s = try GLPKSolver().solve(m)
    #expect(s.termination == .optimal)
    #expect(s.objectiveValue == 13.25)  // a = 2, c = 1, d = 0.5
    #expect(s[a] == 2 && s[b] == 0 && s[c] == 1 && s[d] == 0.5)
    #expect(s.bestBound == 13.25)
    #expect(s.relativeGap == 0)
    #expect(s.statistics.integerColumns == 3)
    // With integers fixed, only d moves: the third row's dual is d's cost.
    #expect(s.dual(r3) == 0.5)
  }
}

import Foundation
import GLPK
import LinearProgramming
import Testing

@Suite struct FileRoundTripTests {
  func builtModel() -> Model {
    var m = Model(name: "roundtrip")
    let xs = (0..<6).map { m.addVariable("x\($0)", upper: 10) }
    let k = m.addVariable("k", kind: .integer, upper: 4)
    let b = m.addVariable("b", kind: .binary)
    for i in 0..<4 {
      m.addConstraint(
        xs.linearSum { Double(($0.index * 3 + i) % 5 + 1) * $0 } + 2 * k <= Double(20 + i), name: "cap\(i)")
    }
    m.addConstraint(xs[0] + xs[1], lower: 2, upper: 8, name: "band")
    m.addConstraint(xs[2] - 10 * b <= 0, name: "link")
    m.setObjective(
      .maximize, xs.linearSum { Double($0.index + 1) * $0 } + 3 * k - 4 * b + LinearExpression(constant: 7))
    return m
  }

  @Test(arguments: [ModelFileFormat.mps, .freeMPS, .lp])
  func writesAndReadsBackTheSameOptimum(_ format: ModelFileFormat) throws {
    let m = builtModel()
    let direct = try GLPKSolver().solve(m)
    #expect(direct.termination == .optimal)
    for suffix in ["", ".gz"] {
      let path = Fixtures.temporaryPath("model.\(format.rawValue)\(suffix)")
      defer { try? FileManager.default.removeItem(atPath: path) }
      try m.write(to: path, format: format)
      let back = try Model.read(contentsOf: path, format: format)
      // GLPK's LP writer turns the ranged row into an equality plus a bounded column.
      #expect(back.variableCount == m.variableCount + (format == .lp ? 1 : 0))
      #expect(back.constraintCount == m.constraintCount)
      #expect(back.sense == .maximize)
      #expect(back.objectiveConstant == 7)
      #expect(back.integerCount == 2)
      let z = try #require(try GLPKSolver().solve(back).objectiveValue)
      #expect(abs(z - (direct.objectiveValue ?? .nan)) < 1e-9, "\(format)\(suffix)")
    }
  }
}

@Suite struct FreeRowFileTests {
  /// GLPK's MPS writer would take a free row for the objective; capplan leaves
  /// free rows out of MPS files, so objective and constant survive.
  @Test func mpsWithAFreeRowKeepsTheObjective() throws {
    var m = Model(name: "free")
    let x = m.addVariable("x", upper: 4)
    let y = m.addVariable("y", upper: 3)
    m.addConstraint(x + y, lower: -.infinity, upper: .infinity, name: "tally")
    m.addConstraint(x + y <= 6, name: "cap")
    m.setObjective(.maximize, 3 * x + 2 * y + LinearExpression(constant: 7.25))
    let z = try #require(try GLPKSolver().solve(m).objectiveValue)
    #expect(z == 23.25)  // 3 * 4 + 2 * 2 + 7.25
    for format in [ModelFileFormat.mps, .freeMPS, .lp] {
      let path = Fixtures.temporaryPath("free.\(format.rawValue)")
      defer { try? FileManager.default.removeItem(atPath: path) }
      try m.write(to: path, format: format)
      let back = try Model.read(contentsOf: path, format: format)
      #expect(try GLPKSolver().solve(back).objectiveValue == z, "\(format)")
    }
  }
}

@Suite struct WarmStartTests {
  /// Re-solving a perturbed LP from the previous basis takes fewer iterations.
  @Test func perturbedResolveReusesTheBasis() throws {
    let problem = try #require(Fixtures.optima("netlib").first { $0.name == "scagr7" })
    var model = try Model.read(contentsOf: problem.path, format: .mps)
    var options = SolveOptions()
    options.presolve = false
    let first = try GLPKSolver().solve(model, options: options)
    #expect(first.termination == .optimal)
    // Perturb every finite right-hand side by 1%.
    for c in model.constraints {
      let lo = model.constraintLower[c.index]
      let up = model.constraintUpper[c.index]
      model.setBounds(c, lower: lo.isFinite ? lo * 1.01 : lo, upper: up.isFinite ? up * 1.01 : up)
    }
    let cold = try GLPKSolver().solve(model, options: options)
    options.warmStartBasis = first.basis
    let warm = try GLPKSolver().solve(model, options: options)
    #expect(cold.termination == .optimal && warm.termination == .optimal)
    #expect(
      abs((cold.objectiveValue ?? 0) - (warm.objectiveValue ?? 1)) < 1e-6 * abs(cold.objectiveValue ?? 1))
    #expect(
      warm.statistics.iterations < cold.statistics.iterations / 2,
      "warm \(warm.statistics.iterations) vs cold \(cold.statistics.iterations)")
  }

  /// A MIP given a feasible starting solution takes it as its first
  /// incumbent; an infeasible one is refused, and the optimum is the same.
  @Test func mipStartsFromAGivenSolution() throws {
    var m = Model()
    let xs = (0..<12).map { m.addVariable("x\($0)", kind: .binary) }
    m.addConstraint(xs.linearSum { Double(3 + $0.index % 5) * $0 } <= 20, name: "knapsack")
    m.setObjective(.maximize, xs.linearSum { Double(5 + ($0.index * 7) % 11) * $0 })
    let optimum = try GLPKSolver().solve(m)
    let z = try #require(optimum.objectiveValue)
    #expect(optimum.initialSolutionAccepted == nil)

    var options = SolveOptions()
    options.initialSolution = optimum.values
    let warm = try GLPKSolver().solve(m, options: options)
    #expect(warm.initialSolutionAccepted == true)
    #expect(warm.objectiveValue == z)

    // A limit that stops the root LP still leaves the checked start as the incumbent.
    var limited = SolveOptions()
    limited.initialSolution = optimum.values
    limited.iterationLimit = 1
    limited.presolve = false
    let stopped = try GLPKSolver().solve(m, options: limited)
    #expect(stopped.termination == .iterationLimit)
    #expect(stopped.hasFeasibleSolution && stopped.objectiveValue == z)

    options.initialSolution = Array(repeating: 1, count: 12)  // far over capacity
    let refused = try GLPKSolver().solve(m, options: options)
    #expect(refused.initialSolutionAccepted == false)
    #expect(refused.objectiveValue == z)
  }
}

@Suite struct InfeasibleSubsetTests {
  @Test func findsTheConflictingRowsByName() throws {
    var m = Model()
    let x = m.addVariable("x")
    let y = m.addVariable("y")
    let z = m.addVariable("z")
    m.addConstraint(x + y >= 10, name: "demand")
    m.addConstraint(LinearExpression(x) <= 3, name: "cap_x")
    m.addConstraint(LinearExpression(y) <= 4, name: "cap_y")
    m.addConstraint(x + z <= 100, name: "unrelated")
    m.addConstraint(LinearExpression(z) >= 1, name: "z_min")
    m.setObjective(.minimize, x + y + z)
    #expect(try GLPKSolver().solve(m).termination == .infeasible)
    let iis = try #require(try GLPKSolver().infeasibleSubset(m))
    #expect(iis.constraints.map { m.name(of: $0) } == ["demand", "cap_x", "cap_y"])
    #expect(iis.boundedVariables.isEmpty)
  }

  @Test func boundsCanBePartOfTheSubset() throws {
    var m = Model()
    let x = m.addVariable("x", upper: 3)
    let y = m.addVariable("y")
    m.addConstraint(x - y >= 5, name: "gap")
    m.setObjective(.minimize, LinearExpression(x))
    let iis = try #require(try GLPKSolver().infeasibleSubset(m))
    #expect(iis.constraints.map { m.name(of: $0) } == ["gap"])
    #expect(iis.boundedVariables == [x, y])  // x <= 3 and y >= 0
  }

  @Test func feasibleModelHasNoSubset() throws {
    #expect(try GLPKSolver().infeasibleSubset(smallLP().0) == nil)
  }
}

import Foundation
import GLPK
import LinearProgramming
import Testing

/// The public test problems of ../shared/data, copied into Fixtures, each
/// solved to its published optimum within 1e-6 relative.
@Suite struct PublicTestSetTests {
  @Test func fixturesArePresent() {
    #expect(Fixtures.optima("netlib").count == 15)
    #expect(Fixtures.optima("miplib3").count == 11)
  }

  @Test(arguments: Fixtures.optima("netlib"))
  func netlibLP(_ problem: Fixtures.Optimum) throws {
    let model = try Model.read(contentsOf: problem.path, format: .mps)
    #expect(!model.isMIP)
    let solution = try GLPKSolver().solve(model)
    #expect(solution.termination == .optimal)
    let z = try #require(solution.objectiveValue)
    #expect(relativeError(z, problem.objective) < 1e-6, "\(problem): \(z) vs \(problem.objective)")
  }

  @Test(arguments: Fixtures.optima("miplib3"))
  func miplibMIP(_ problem: Fixtures.Optimum) throws {
    let model = try Model.read(contentsOf: problem.path, format: .mps)
    #expect(model.isMIP)
    let solution = try GLPKSolver().solve(model)
    #expect(solution.termination == .optimal)
    let z = try #require(solution.objectiveValue)
    #expect(relativeError(z, problem.objective) < 1e-6, "\(problem): \(z) vs \(problem.objective)")
    #expect(solution.bestBound == z)
    #expect(solution.relativeGap == 0)
  }

  @Test func dualSimplexPrimalSimplexAndInteriorPointAgree() throws {
    for name in ["afiro", "sc50a", "blend"] {
      guard let problem = Fixtures.optima("netlib").first(where: { $0.name == name }) else {
        Issue.record("missing \(name)")
        continue
      }
      let model = try Model.read(contentsOf: problem.path, format: .mps)
      for method in LPMethod.allCases {
        var options = SolveOptions()
        options.method = method
        let z = try #require(try GLPKSolver().solve(model, options: options).objectiveValue)
        #expect(relativeError(z, problem.objective) < 1e-6, "\(name) by \(method)")
      }
    }
  }

  @Test func solvesSeveralModelsAtOnceOnDifferentThreads() throws {
    let problems =
      Fixtures.optima("miplib3").filter { ["p0033", "lseu", "stein27", "flugpl"].contains($0.name) }
      + Fixtures.optima("netlib").filter { ["afiro", "sc105", "kb2", "recipe"].contains($0.name) }
    let models = try problems.map { try Model.read(contentsOf: $0.path, format: .mps) }
    let results = Results(count: problems.count * 3)
    // Threads, not tasks: each solve makes its GLPK objects on its own thread.
    DispatchQueue.concurrentPerform(iterations: problems.count * 3) { k in
      let i = k % problems.count
      results.set(k, (try? GLPKSolver().solve(models[i]))?.objectiveValue)
    }
    for k in 0..<(problems.count * 3) {
      let p = problems[k % problems.count]
      let z = try #require(results.get(k), "\(p) solved on thread \(k)")
      #expect(relativeError(z, p.objective) < 1e-6, "\(p)")
    }
  }
}

/// A lock-guarded slot array for results written from several threads.
final class Results: @unchecked Sendable {
  // Safe: every access to `values` holds `lock`.
  private var values: [Double?]
  private let lock = NSLock()
  init(count: Int) { values = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ v: Double?) { lock.withLock { values[i] = v } }
  func get(_ i: Int) -> Double? { lock.withLock { values[i] } }
}

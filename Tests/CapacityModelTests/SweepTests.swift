import Foundation
import Synchronization
import Testing

@testable import CapacityModel

@Suite struct SweepTests {
  @Test func axesParseToTheValuesTheyName() throws {
    let axis = try #require(
      SweepAxis(parsing: "offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5"))
    #expect(axis.path == "offerings.claude.gross_revenue_per_mw_year.trainium2")
    #expect(axis.values == [10, 15, 20, 25, 30, 35, 40])
    // Computed from the count, so tenths land on their values rather than drifting.
    #expect(SweepAxis(parsing: "x=0:1:0.1")?.values.count == 11)
    #expect(SweepAxis(parsing: "x=0:1:0.1")?.values.last == 1.0)
    #expect(SweepAxis(parsing: "x=40:10:-10")?.values == [40, 30, 20, 10])
    #expect(SweepAxis(parsing: "a=b=3:3:1")?.path == "a=b")
  }

  @Test(arguments: [
    "x=1:2", "=1:2:1", "x=1:2:0", "x=2:1:1", "x=0:nan:1", "x=0:inf:1", "x=0:1e300:1e-300", "x=0:10000:1",
    "no-equals",
  ])
  func badAxesAreRefused(_ text: String) {
    #expect(SweepAxis(parsing: text) == nil)
  }

  @Test func pointsSpanTheGridFirstAxisSlowest() {
    let sweep = Sweep(axes: [
      SweepAxis(path: "a", values: [1, 2]), SweepAxis(path: "b", values: [10, 20, 30]),
    ])
    #expect(sweep.size == 6)
    #expect(sweep.points == [[1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30]])
    #expect(sweep.label([2, 30]) == "a=2.0, b=30.0")
  }

  /// The seed deal swept over R = 10..40 on two threads: each point's EBIT is 7.5 + 0.25 R - 6.5
  /// on the one MW installed, in the order of the points, whatever thread finished first.
  @Test func parallelSolvesKeepThePointsOrderAndTheirFigures() throws {
    let base = try parsedScenario(seedDealYAML)
    let sweep = Sweep(axes: [
      try #require(SweepAxis(parsing: "offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5"))
    ])
    let scenarios = try sweep.points.map { point in
      try ScenarioValidator.validate(try sweep.scenario(base, at: point), file: "seed.yaml")
    }
    let counts = Counter()
    let results = Sweep.solve(scenarios, options: PlanOptions(), parallel: 2) { _ in counts.add() }
    #expect(counts.value == 7)
    for (point, result) in zip(sweep.points, results) {
      let plan = try result.get()
      let r = point[0]
      expectClose(try #require(plan.totals?.ebit), 7.5 + 0.25 * r - 6.5, "EBIT at R = \(r)")
    }
  }

  @Test func anUnknownPathSaysWhich() throws {
    let base = try parsedScenario(seedDealYAML)
    let sweep = Sweep(axes: [SweepAxis(path: "offerings.nobody.revenue_share", values: [0.3])])
    #expect(throws: ScenarioEditError.self) { try sweep.scenario(base, at: [0.3]) }
  }
}

final class Counter: Sendable {
  let count = Mutex(0)
  func add() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}

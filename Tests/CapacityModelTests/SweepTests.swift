import Foundation
import Synchronization
import Testing

@testable import CapacityModel

@Suite struct SweepTests {
  @Test func axesParseToTheValuesTheyName() throws {
    let axis = try SweepAxis(parsing: "offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5")
    #expect(axis.path == "offerings.claude.gross_revenue_per_mw_year.trainium2")
    #expect(axis.values == [10, 15, 20, 25, 30, 35, 40])
    // Computed from the count, so tenths land on their values rather than drifting.
    #expect(try SweepAxis(parsing: "x=0:1:0.1").values.count == 11)
    #expect(try SweepAxis(parsing: "x=0:1:0.1").values.last == 1.0)
    #expect(try SweepAxis(parsing: "x=40:10:-10").values == [40, 30, 20, 10])
    #expect(try SweepAxis(parsing: "a=b=3:3:1").path == "a=b")
    #expect(try SweepAxis(parsing: "x=0.2,0.25, 0.3").values == [0.2, 0.25, 0.3])
    #expect(try SweepAxis(parsing: "x=7").values == [7])
  }

  /// 0.1 * 3 is 0.30000000000000004 in binary; a range's values are rounded to the decimals
  /// its numbers were written with, so labels and JSON read 0.3.
  @Test func rangeValuesCarryNoFloatNoise() throws {
    #expect(try SweepAxis(parsing: "x=0:1:0.1").values[3] == 0.3)
    #expect(try SweepAxis(parsing: "x=0:1:0.1").values[7] == 0.7)
    #expect(
      try SweepAxis(parsing: "x=0.1:0.4:0.05").values == [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4])
    #expect(try SweepAxis(parsing: "x=0:0.003:1e-3").values == [0, 0.001, 0.002, 0.003])
    let sweep = try Sweep(axes: [try SweepAxis(parsing: "x=0:1:0.1")])
    #expect(sweep.label(sweep.points[3]) == "x=0.3")
  }

  @Test(arguments: [
    ("x=1:2", "FROM:TO:STEP"), ("=1:2:1", "path before '=' is empty"), ("x=1:2:0", "the step is 0"),
    ("x=2:1:1", "never reaches 1 from 2"), ("x=0:nan:1", "'nan' is not a finite number"),
    ("x=0:inf:1", "'inf' is not a finite number"), ("x=0:1e300:1e-300", "more than 10000 values"),
    ("x=0:10000:1", "more than 10000 values"), ("no-equals", "no '=' found"), ("x=", "no values after '='"),
    ("x=1,,2", "'' is not a finite number"), ("x=1,two", "'two' is not a finite number"),
  ])
  func badAxesAreRefusedWithTheReason(_ text: String, _ reason: String) {
    #expect {
      try SweepAxis(parsing: text)
    } throws: { error in
      "\(error)".contains(reason) && "\(error)".hasPrefix("--set \(text):")
    }
  }

  @Test func theSamePathTwiceIsRefused() throws {
    #expect {
      try Sweep(axes: [SweepAxis(path: "a", values: [1]), SweepAxis(path: "a", values: [2])])
    } throws: { error in
      "\(error)".contains("--set a is given twice")
    }
  }

  @Test func pointsSpanTheGridFirstAxisSlowest() throws {
    let sweep = try Sweep(axes: [
      SweepAxis(path: "a", values: [1, 2]), SweepAxis(path: "b", values: [10, 20, 30]),
    ])
    #expect(sweep.size == 6)
    #expect(sweep.points == [[1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30]])
    #expect(sweep.label([2, 30]) == "a=2, b=30")
  }

  /// The seed's margin table extended to a grid of lab revenue R (10..40 $M per MW-year) by
  /// revenue share s (10%..40%): on the one MW installed, platform revenue is 7.5 + s R and
  /// EBIT 7.5 + s R - 6.5, so the EBIT margin is (1 + s R) / (7.5 + s R) and the lab keeps
  /// R - 7.5 - s R per MW. At s = 25% the row is the seed's: 35% 42% 48% 53% 57% 60% 63%.
  @Test func aSevenBySevenGridReproducesTheSeedMarginTableCellByCell() throws {
    let base = try parsedScenario(seedDealYAML)
    let sweep = try Sweep(axes: [
      try SweepAxis(parsing: "offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5"),
      try SweepAxis(parsing: "offerings.claude.revenue_share=0.1:0.4:0.05"),
    ])
    let points = sweep.run(base, file: "seed.yaml", options: PlanOptions(), parallel: 2)
    #expect(points.count == 49)
    var seedRow: [Int] = []
    for point in points {
      let (r, s) = (point.values[0], point.values[1])
      let plan = try #require(point.plan, "R = \(r), s = \(s): \(point.status)")
      #expect(point.message == nil)
      expectClose(plan.value(of: .revenuePerMW), 7.5 + s * r, "revenue at R = \(r), s = \(s)")
      expectClose(plan.value(of: .ebitPerMW), 1 + s * r, "EBIT at R = \(r), s = \(s)")
      expectClose(
        plan.value(of: .ebitMargin), (1 + s * r) / (7.5 + s * r), "margin at R = \(r), s = \(s)"
      )
      expectClose(
        plan.value(of: .labGrossMarginPerMW), r - 7.5 - s * r, "lab at R = \(r), s = \(s)")
      if s == 0.25 {
        seedRow.append(
          Int((100 * (try #require(plan.value(of: .ebitMargin)))).rounded(.toNearestOrAwayFromZero)))
      }
    }
    #expect(seedRow == [35, 42, 48, 53, 57, 60, 63])
  }

  /// A value out of range makes its point invalid; the other points still solve.
  @Test func aFailingPointKeepsItsRowAndTheOthersGoOn() throws {
    let base = try parsedScenario(seedDealYAML)
    let sweep = try Sweep(axes: [SweepAxis(path: "offerings.claude.revenue_share", values: [0.2, 1.5, 0.3])])
    let points = sweep.run(base, file: "seed.yaml", options: PlanOptions(), parallel: 2)
    #expect(points.map(\.status) == ["optimal", "invalid", "optimal"])
    #expect(points[1].didFail)
    #expect(points[1].message?.contains("seed.yaml with offerings.claude.revenue_share=1.5") == true)
    expectClose(try #require(points[2].plan?.totals?.ebit), 1 + 0.3 * 26, "EBIT at s = 0.3")
  }

  /// The seed deal swept over R = 10..40 on two threads: each point's EBIT is 7.5 + 0.25 R - 6.5
  /// on the one MW installed, in the order of the points, whatever thread finished first.
  @Test func parallelSolvesKeepThePointsOrderAndTheirFigures() throws {
    let base = try parsedScenario(seedDealYAML)
    let sweep = try Sweep(axes: [
      try SweepAxis(parsing: "offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5")
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
    let sweep = try Sweep(axes: [SweepAxis(path: "offerings.nobody.revenue_share", values: [0.3])])
    #expect(throws: ScenarioEditError.self) { try sweep.scenario(base, at: [0.3]) }
  }
}

final class Counter: Sendable {
  let count = Mutex(0)
  func add() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}

/// A study's point is stored as JSON text made from the edited scenario; the worker loads it
/// as a scenario file. Every model in Models/ must come back field for field.
@Suite struct ScenarioJSONTextTests {
  static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Models")

  @Test func everyModelRoundTripsThroughItsJSONText() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.models.path).filter {
      $0.hasSuffix(".yaml")
    }
    #expect(files.count >= 4)
    for name in files {
      let original = try ScenarioLoader.load(contentsOf: Self.models.appendingPathComponent(name).path)
        .scenario
      let text = try original.jsonText()
      let reloaded = try ScenarioLoader.parse(yaml: text, file: "\(name).json").scenario
      #expect(reloaded == original, "\(name)")
      _ = try ScenarioValidator.validate(reloaded, file: "\(name).json")
    }
  }
}

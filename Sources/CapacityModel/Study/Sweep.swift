import Foundation
import Synchronization

/// A grid of scenarios: every combination of its axes' values, solved in
/// parallel, each on a thread of its own (GLPK objects stay on the thread that
/// made them).
public struct Sweep: Sendable {
  public static let maxPoints = 10_000

  public var axes: [SweepAxis]

  /// The axes as given; the same path twice is refused (its rows would say one value and
  /// solve another, since the later one wins).
  public init(axes: [SweepAxis]) throws(SweepError) {
    var seen = Set<String>()
    for axis in axes where !seen.insert(axis.path).inserted {
      throw SweepError(
        "--set \(Excerpt.of(axis.path, limit: 120)) is given twice; give each field once (a list or range of values)"
      )
    }
    self.axes = axes
  }

  /// The number of points, as a Double so a huge grid is reported rather than overflowing.
  public var size: Double { axes.reduce(1.0) { $0 * Double($1.values.count) } }

  /// Every combination of the axes' values, the first axis slowest.
  public var points: [[Double]] {
    axes.reduce([[]]) { partial, axis in partial.flatMap { p in axis.values.map { p + [$0] } } }
  }

  /// "path=value, path=value": where a point's errors come from.
  public func label(_ point: [Double]) -> String {
    zip(axes, point).map { "\($0.path)=\(NumberText.plain($1))" }.joined(separator: ", ")
  }

  /// `base` with each axis's field set to the point's value.
  public func scenario(_ base: Scenario, at point: [Double]) throws(ScenarioEditError) -> Scenario {
    var scenario = base
    for (axis, value) in zip(axes, point) {
      scenario = try scenario.setting(axis.path, to: value)
    }
    return scenario
  }

  /// Solves each scenario, at most `parallel` at once; results keep the input
  /// order. `solved` is called with the count done so far, from the solving threads.
  public static func solve(
    _ scenarios: [ValidScenario], options: PlanOptions, parallel: Int,
    solved: @escaping @Sendable (Int) -> Void = { _ in }
  ) -> [Result<Plan, PlanningError>] {
    let results = Results(count: scenarios.count)
    let queue = OperationQueue()
    queue.maxConcurrentOperationCount = max(1, parallel)
    for (i, scenario) in scenarios.enumerated() {
      queue.addOperation {
        let result = Result { () throws(PlanningError) in try Planner.plan(scenario, options: options) }
        solved(results.set(i, result))
      }
    }
    queue.waitUntilAllOperationsAreFinished()
    return results.all
  }

  final class Results: Sendable {
    let state: Mutex<(results: [Result<Plan, PlanningError>?], done: Int)>
    init(count: Int) { state = Mutex((Array(repeating: nil, count: count), 0)) }
    /// Stores result `i` and returns how many are done.
    func set(_ i: Int, _ r: Result<Plan, PlanningError>) -> Int {
      state.withLock {
        $0.results[i] = r
        $0.done += 1
        return $0.done
      }
    }
    /// After every operation finished, each slot holds its result.
    var all: [Result<Plan, PlanningError>] {
      state.withLock { s in
        s.results.map { $0 ?? .failure(PlanningError(message: "the point was not solved")) }
      }
    }
  }
}

import Foundation
import Synchronization

/// One field a sweep varies and the values it takes, from `PATH=FROM:TO:STEP`
/// (e.g. `offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5`).
public struct SweepAxis: Sendable, Equatable {
  public var path: String
  public var values: [Double]

  public init(path: String, values: [Double]) {
    self.path = path
    self.values = values
  }

  /// Nil when the text is not `PATH=FROM:TO:STEP` with finite numbers, a step
  /// that moves from FROM towards TO, and at most `Sweep.maxPoints` values.
  public init?(parsing text: String) {
    guard let eq = text.lastIndex(of: "=") else { return nil }
    path = String(text[..<eq])
    let range = text[text.index(after: eq)...].split(separator: ":").map { Double($0) }
    guard !path.isEmpty, range.count == 3, let from = range[0], let to = range[1], let step = range[2],
      from.isFinite, to.isFinite, step.isFinite, step != 0, (to - from) / step >= 0
    else { return nil }
    // From the count, not by repeated addition, so 0.1 steps land on their values.
    // The quotient is checked before Int(...): 0:1e300:1e-300 would trap there.
    let steps = ((to - from) / step + 1e-9).rounded(.down)
    guard steps.isFinite, steps < Double(Sweep.maxPoints) else { return nil }
    values = (0..<(Int(steps) + 1)).map { from + Double($0) * step }
  }
}

/// A grid of scenarios: every combination of its axes' values, solved in
/// parallel, each on a thread of its own (GLPK objects stay on the thread that
/// made them).
public struct Sweep: Sendable {
  public static let maxPoints = 10_000

  public var axes: [SweepAxis]

  public init(axes: [SweepAxis]) {
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
    zip(axes, point).map { "\($0.path)=\($1)" }.joined(separator: ", ")
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

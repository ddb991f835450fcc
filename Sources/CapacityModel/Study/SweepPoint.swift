import Foundation

/// Why a sweep's axes cannot be run as given.
public struct SweepError: Error, Sendable, Equatable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// One point of a sweep and what became of it. A point that fails (a value out of range, an
/// infeasible scenario, a solver error) stays in the results with its reason, so one bad
/// corner of a grid does not cost the other points.
public struct SweepPoint: Sendable {
  public enum Outcome: Sendable {
    /// Solved: a plan, which may itself be infeasible or without a solution.
    case plan(Plan)
    /// The point's scenario is not valid (the value steps out of a field's range).
    case invalid(String)
    /// The solve failed.
    case failed(String)
    /// Not finished yet (a study point waiting in the queue): the job's state.
    case waiting(String)
  }

  public var values: [Double]
  public var outcome: Outcome
  /// The stored plan, for a point of a study solved by the workers.
  public var planID: Int64?

  public init(values: [Double], outcome: Outcome, planID: Int64? = nil) {
    self.values = values
    self.outcome = outcome
    self.planID = planID
  }

  public var plan: Plan? {
    if case .plan(let plan) = outcome { return plan }
    return nil
  }

  /// The plan's status, or `invalid`, `error`, or the waiting job's state.
  public var status: String {
    switch outcome {
    case .plan(let plan): return plan.status.rawValue
    case .invalid: return "invalid"
    case .failed: return "error"
    case .waiting(let state): return state
    }
  }

  /// Why the point has no figures; nil when its plan has a solution.
  public var message: String? {
    switch outcome {
    case .plan(let plan):
      if plan.status.hasSolution, plan.status != .infeasibleRelaxed { return nil }
      return plan.infeasibility?.summary ?? plan.message ?? plan.status.rawValue
    case .invalid(let m), .failed(let m): return m
    case .waiting: return nil
    }
  }

  /// True when the point ended without a plan that has a solution.
  public var didFail: Bool {
    if case .waiting = outcome { return false }
    return message != nil
  }
}

extension Sweep {
  /// Each point's scenario, validated, and checked against `settings` (a sweep may set the
  /// discount rate `--objective npv` needs); an invalid point keeps its errors (labelled with
  /// `file` and the point) instead of stopping the others.
  public func scenarios(
    _ base: Scenario, file: String, settings: SolveSettings = SolveSettings(),
    naming: (SolveSettings.Setting) -> String? = { _ in nil }
  ) -> [Result<ValidScenario, SweepError>] {
    points.map { point in
      let where_ = "\(file) with \(label(point))"
      do {
        let valid = try ScenarioValidator.validate(try self.scenario(base, at: point), file: where_)
        try settings.check(for: valid, naming: naming)
        return .success(valid)
      } catch let error as InvalidSolveSettings {
        return .failure(SweepError("\(where_): \(error.message)"))
      } catch {
        return .failure(SweepError(String(describing: error)))
      }
    }
  }

  /// Solves every valid point, at most `parallel` at once, in the grid's order.
  public func run(
    _ base: Scenario, file: String, options: PlanOptions, parallel: Int,
    naming: (SolveSettings.Setting) -> String? = { _ in nil },
    solved: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
  ) -> [SweepPoint] {
    let prepared = scenarios(base, file: file, settings: options.settings, naming: naming)
    let valid = prepared.compactMap { try? $0.get() }
    let total = valid.count
    var results = Self.solve(valid, options: options, parallel: parallel) { solved($0, total) }.makeIterator()
    return zip(points, prepared).map { point, scenario in
      switch scenario {
      case .failure(let error): return SweepPoint(values: point, outcome: .invalid(error.description))
      case .success:
        switch results.next() {
        case .success(let plan): return SweepPoint(values: point, outcome: .plan(plan))
        case .failure(let error): return SweepPoint(values: point, outcome: .failed(error.description))
        case nil: return SweepPoint(values: point, outcome: .failed("the point was not solved"))
        }
      }
    }
  }
}

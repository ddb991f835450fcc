import Foundation
import Testing

@testable import CapacityModel

// Helpers for the hand-checked formulation tests: load an inline scenario, solve it
// through the real planner, and read the figures a planner would check.

/// Parses inline scenario YAML (no validation yet), for tests that edit it with `setting`.
func parsedScenario(_ yaml: String) throws -> Scenario {
  try ScenarioLoader.parse(yaml: yaml, file: "test.yaml").scenario
}

/// Loads, validates and solves inline scenario YAML.
func solvedPlan(
  _ yaml: String, options: PlanOptions = PlanOptions(), sourceLocation: SourceLocation = #_sourceLocation
) throws -> Plan {
  let document = try ScenarioLoader.parse(yaml: yaml, file: "test.yaml")
  return try solvedPlan(document.scenario, options: options, sourceLocation: sourceLocation)
}

/// Validates and solves an (edited) scenario. Every plan with a solution is also checked for
/// the invariant that the solver's objective is the EBIT the plan reports (recomputed from the
/// MW) less the move cost: a term the formulation weighs differently from the report shows here.
func solvedPlan(
  _ scenario: Scenario, options: PlanOptions = PlanOptions(),
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> Plan {
  let plan = try Planner.plan(ScenarioValidator.validate(scenario, file: "test.yaml"), options: options)
  if plan.status.hasSolution, plan.solvedFor == .npv {
    // Solved for NPV: the objective is the cash-flow view's NPV (residual value included).
    expectClose(
      plan.objective, (plan.cashFlows?.npv ?? .nan) - (plan.stability?.moveCost ?? 0),
      "objective = NPV - move cost", sourceLocation: sourceLocation)
  } else if plan.status.hasSolution, let ebit = plan.totals?.ebit {
    expectClose(
      plan.objective, ebit - (plan.stability?.moveCost ?? 0), "objective = EBIT - move cost",
      sourceLocation: sourceLocation)
  }
  expectEconomicsAddUp(plan, sourceLocation: sourceLocation)
  return plan
}

/// Every plan with a solution: the offering lines, idle capacity and fixed costs add up to the
/// plan's EBIT in every period and over the horizon, and so do the use, hardware and site views.
func expectEconomicsAddUp(_ plan: Plan, sourceLocation: SourceLocation = #_sourceLocation) {
  guard plan.status.hasSolution, let ebit = plan.totals?.ebit else { return }
  guard let residual = plan.economicsResidual else {
    Issue.record("a plan with a solution has no economics", sourceLocation: sourceLocation)
    return
  }
  #expect(
    residual <= 1e-7 * max(1, abs(ebit)), "economics lines miss EBIT by \(residual)",
    sourceLocation: sourceLocation)
}

/// Options for a MIP whose optimum must be proven exactly (no relative gap).
func exactMIP() -> PlanOptions {
  var options = PlanOptions()
  options.settings.relativeGap = 0
  return options
}

/// Expects `actual` within `tolerance` of `expected` (GLPK's floats against exact hand arithmetic).
func expectClose(
  _ actual: Double?, _ expected: Double, _ what: String = "", tolerance: Double = 1e-6,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let actual else {
    Issue.record("\(what): nil, expected \(expected)", sourceLocation: sourceLocation)
    return
  }
  #expect(
    abs(actual - expected) <= tolerance, "\(what): got \(actual), expected \(expected)",
    sourceLocation: sourceLocation)
}

/// Rounds as the reference tables do: to the nearest whole number, halves away from zero.
func tableRounded(_ value: Double) -> Double { value.rounded(.toNearestOrAwayFromZero) }

extension Plan {
  /// MW allocated to `offering` on `hardware` at `site` in `period` (0 when not listed).
  func mw(_ offering: String, _ hardware: String, _ site: String, _ period: String) -> Double {
    allocations.filter {
      $0.offering == offering && $0.hardware == hardware && $0.site == site && $0.period == period
    }.reduce(0) { $0 + $1.mw }
  }

  /// MW allocated to `offering` in `period`, over all hardware and sites.
  func mw(offering: String, period: String) -> Double {
    allocations.filter { $0.offering == offering && $0.period == period }.reduce(0) { $0 + $1.mw }
  }

  /// New MW installed at `site` of `hardware` in `period` (0 when none).
  func newMW(_ site: String, _ hardware: String, _ period: String) -> Double {
    installs.filter { $0.site == site && $0.hardware == hardware && $0.period == period }.reduce(0) {
      $0 + $1.mw
    }
  }

  func period(_ id: String) throws -> PeriodFinancials {
    try #require(periods.first { $0.id == id }, "no period \(id) in the plan")
  }

  func power(_ site: String, _ period: String) throws -> SitePower {
    try #require(
      marginals.power.first { $0.site == site && $0.period == period }, "no power row \(site) \(period)")
  }

  func supplyMarginal(_ hardware: String, _ period: String) throws -> Marginal {
    try #require(
      marginals.supply.first { $0.subject == hardware && $0.period == period },
      "no supply row \(hardware) \(period)")
  }

  func demandMarginal(_ offering: String, _ period: String, kind: String) throws -> Marginal {
    try #require(
      marginals.demand.first { $0.subject == offering && $0.period == period && $0.kind.rawValue == kind },
      "no \(kind) row \(offering) \(period)")
  }

  func labSide(_ offering: String, _ period: String) throws -> LabSide {
    try #require(
      lab.first { $0.offering == offering && $0.period == period }, "no lab side \(offering) \(period)")
  }
}

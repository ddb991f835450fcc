import Foundation
import Testing

@testable import CapacityModel

/// Near-optimal alternatives on a model small enough to work by hand.
@Suite struct AlternativesTests {
  /// One year, one site with power to spare, no capex. Hardware a and b rent at $5M per
  /// MW-year, a costs $1M and b $1.1M of opex; 10 MW of rental demand and 10 MW of supply of
  /// each. Internal work needs 5 MW that only c serves (opex $0.5M, no value), supply 5.
  ///
  /// Optimum: 10 MW of a (EBIT 10 x 4 = 40) and 5 MW of c (-2.5): EBIT 37.5.
  /// Slack 5%: every alternative keeps EBIT >= 37.5 - 0.05 x 37.5 = 35.625.
  /// Alternative 1 avoids a and c (each used once, weighted 1/10 and 1/5 per MW). c cannot be
  /// avoided (required_mw). Without a, 10 MW of b give 39 - 2.5 = 36.5 >= 35.625: EBIT 36.5.
  /// Alternative 2 avoids a, b (once each) and c (twice): it needs 4a + 3.9b >= 38.125 with
  /// the least a + b, so a = 38.125 / 4 = 9.53125 MW and no b: EBIT exactly 35.625.
  /// In every plan: 5 MW of new c (forced); neither a nor b is.
  static let yaml = """
    scenario: mga
    periods:
      - {id: Y1, years: 1}
    hardware:
      - {id: a, opex_per_mw_year: 1, capex_per_mw: 0, life_years: 5, supply_mw: 10}
      - {id: b, opex_per_mw_year: 1.1, capex_per_mw: 0, life_years: 5, supply_mw: 10}
      - {id: c, opex_per_mw_year: 0.5, capex_per_mw: 0, life_years: 5, supply_mw: 5}
    sites:
      - {id: s, pue: 1, power_mw: 100}
    offerings:
      - id: rent
        use: iaas
        pricing: rental
        price_per_mw_year: {a: 5, b: 5}
        demand_mw: 10
      - id: training
        use: internal
        pricing: internal
        value_per_mw_year: {c: 0}
        required_mw: 5
    """

  func newMW(_ plan: Plan, _ hardware: String) -> Double {
    plan.installs.filter { $0.hardware == hardware }.reduce(0) { $0 + $1.mw }
  }

  @Test func eachAlternativeAvoidsEarlierChoicesWithinTheSlack() throws {
    let scenario = try ScenarioValidator.validate(try parsedScenario(Self.yaml), file: "mga.yaml")
    let result = try Alternatives.find(scenario, slack: 0.05, count: 2)
    #expect(result.stoppedEarly == nil)
    #expect(result.plans.count == 3)
    expectClose(result.ebitFloor, 35.625, "floor")
    let (optimum, first, second) = (result.plans[0], result.plans[1], result.plans[2])
    expectClose(optimum.totals?.ebit, 37.5, "optimum EBIT")
    expectClose(newMW(optimum, "a"), 10, "optimum a")
    expectClose(newMW(optimum, "b"), 0, "optimum b")
    expectClose(first.totals?.ebit, 36.5, "alternative 1 EBIT")
    expectClose(newMW(first, "a"), 0, "alternative 1 a")
    expectClose(newMW(first, "b"), 10, "alternative 1 b")
    expectClose(second.totals?.ebit, 35.625, "alternative 2 EBIT")
    expectClose(newMW(second, "a"), 9.53125, "alternative 2 a")
    expectClose(newMW(second, "b"), 0, "alternative 2 b")
    for plan in result.plans { expectClose(newMW(plan, "c"), 5, "c in every plan") }
    #expect(first.message?.hasPrefix("near-optimal alternative 1") == true)

    let comparison = AlternativesComparison(result.plans)
    #expect(comparison.forcedNewMW.keys.sorted() == ["c"])
    expectClose(comparison.forcedNewMW["c"], 5, "forced c")
    // |0 - 10| of a and |10 - 0| of b; then |9.53125 - 10| of a.
    expectClose(comparison.columns[1].installMWFromOptimum, 20, "alternative 1 distance")
    expectClose(comparison.columns[2].installMWFromOptimum, 0.46875, "alternative 2 distance")
    expectClose(comparison.columns[1].ebitChange, (36.5 - 37.5) / 37.5, "alternative 1 change")
  }

  @Test func aSlackOutsideZeroToOneIsRefused() throws {
    let scenario = try ScenarioValidator.validate(try parsedScenario(Self.yaml), file: "mga.yaml")
    #expect(throws: PlanningError.self) { try Alternatives.find(scenario, slack: -0.1, count: 1) }
    #expect(throws: PlanningError.self) { try Alternatives.find(scenario, slack: .nan, count: 1) }
  }
}

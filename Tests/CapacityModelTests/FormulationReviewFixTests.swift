import CapacityModel
import Foundation
import Testing

/// Defects found in review, each pinned by the case that showed it.
@Suite struct FormulationReviewFixTests {
  func plan(_ yaml: String, _ configure: (inout PlanOptions) -> Void = { _ in }) throws -> Plan {
    let valid = try ScenarioValidator.validate(ScenarioLoader.parse(yaml: yaml, file: "fix.yaml"))
    var options = PlanOptions()
    options.settings.relativeGap = 0
    configure(&options)
    let plan = try Planner.plan(valid, options: options)
    expectEconomicsAddUp(plan)
    return plan
  }

  /// One site takes the whole supply: the supply row, not a column bound that
  /// repeats it, must carry the value. A new MW earns 5 - 1 (opex) - 1 (capex 5 / 5 years) = 3.
  @Test func bindingSupplyHasItsMarginalValue() throws {
    let p = try plan(
      """
      scenario: supply-value
      periods: [{id: P1, years: 1}]
      hardware: [{id: a, opex_per_mw_year: 1, capex_per_mw: 5, life_years: 5, supply_mw: 5}]
      sites: [{id: s, power_mw: 100}]
      offerings: [{id: rent, use: iaas, pricing: rental, price_per_mw_year: {a: 5}}]
      """)
    let supply = try #require(p.marginals.supply.first)
    #expect(supply.binding)
    #expect(abs((supply.value ?? 0) - 3) < 1e-9, "\(supply)")
    #expect(p.totals?.ebit == 15)
  }

  static let chain = """
    scenario: chain
    periods: [{id: P1, years: 1}]
    hardware:
      - {id: a, opex_per_mw_year: 1}
      - {id: b, opex_per_mw_year: 1}
    sites:
      - id: s
        power_mw: 10
        installed_mw: {a: 10, b: 10}
        expansions: [{id: grow, power_mw: 10, cost_per_year: 1}]
    offerings:
      - {id: rent, use: iaas, pricing: rental, price_per_mw_year: {a: PRICE_A, b: PRICE_B}, demand_mw: 15}
    stability: {move_cost: 0.1}
    """

  /// In a stability chain the MIP start stays usable: its move columns are
  /// measured against the plan being followed, not the one before it.
  @Test func warmStartSurvivesAChainOfReplans() throws {
    let first = Self.chain.replacingOccurrences(of: "PRICE_A", with: "5").replacingOccurrences(
      of: "PRICE_B", with: "4")
    let second = Self.chain.replacingOccurrences(of: "PRICE_A", with: "4").replacingOccurrences(
      of: "PRICE_B", with: "5")
    let p0 = try plan(first)
    let p1 = try plan(second) {
      $0.previous = p0.previousAllocations
      $0.warmStart = p0.warmStart
    }
    #expect((p1.stability?.mwMoved ?? 0) > 0, "the second plan moved MW")
    let p2 = try plan(second) {
      $0.previous = p1.previousAllocations
      $0.warmStart = p1.warmStart
    }
    #expect(p2.solver.integerColumns > 0)
    #expect(p2.solver.start == "solution", "\(p2.solver.start)")
    #expect(p2.objective == p1.totals?.ebit, "nothing moves against p1, so no move cost")
  }
}

import Foundation
import Testing

@testable import CapacityModel

/// The cost side of the objective: depreciation of installed and new MW, fixed costs of
/// expansions with their build decision, and whole install blocks.
@Suite("Formulation: depreciation, expansions, install blocks")
struct FormulationCostTests {
  /// capex 10 with the default life of 5 years: depreciation 2 per installed MW-year.
  /// 4 MW installed; 3 MW of supply in p2 only. p1 lasts a year, p2 and p3 half a year each.
  static let depreciationYAML = """
    scenario: depreciation
    periods:
      - {id: p1, years: 1}
      - {id: p2, years: 0.5}
      - {id: p3, years: 0.5}
    hardware:
      - {id: trn, opex_per_mw_year: 1, capex_per_mw: 10, supply_mw: {p1: 0, p2: 3, p3: 0}}
    sites:
      - id: east
        power_mw: 100
        installed_mw: {trn: 4}
    offerings:
      - id: lease
        use: iaas
        pricing: rental
        price_per_mw_year: {trn: 10}
    """

  @Test func depreciationOfInstalledAndNewMWInEveryLaterPeriod() throws {
    // A MW installed in p2 earns 10 - 1 - 2 = 7 per year for p2 and p3 (1 year): install all 3.
    //        MW  revenue  opex  depreciation  EBIT   (annual rates)
    //   p1    4       40     4       8          28
    //   p2    7       70     7      14          49   (the new 3 MW depreciate from p2 on)
    //   p3    7       70     7      14          49
    // Totals: revenue 40 + 35 + 35 = 110; opex 4 + 3.5 + 3.5 = 11; depreciation 8 + 7 + 7 = 22;
    // EBIT 28 + 24.5 + 24.5 = 77.
    let plan = try solvedPlan(Self.depreciationYAML)
    #expect(plan.status == .optimal)
    #expect(plan.installs.count == 1)
    expectClose(plan.newMW("east", "trn", "p2"), 3, "new MW in p2")
    for (id, mw, depreciation, ebit) in [("p1", 4.0, 8.0, 28.0), ("p2", 7, 14, 49), ("p3", 7, 14, 49)] {
      let p = try plan.period(id)
      expectClose(plan.mw("lease", "trn", "east", id), mw, "\(id) MW")
      expectClose(p.depreciation, depreciation, "\(id) depreciation")
      expectClose(p.ebit, ebit, "\(id) EBIT")
    }
    let totals = try #require(plan.totals)
    expectClose(totals.revenue, 110, "revenue")
    expectClose(totals.opex, 11, "opex")
    expectClose(totals.depreciation, 22, "depreciation")
    expectClose(totals.ebit, 77, "EBIT")
  }

  @Test func installedMWDepreciatesEvenWhenNewMWWouldNotPay() throws {
    // Price 2.5: a used MW earns 2.5 - 1 = 1.5 < 2 of depreciation, so nothing new is
    // installed; the 4 MW already there depreciate anyway (sunk) and are still worth using.
    // Each period: revenue 10, opex 4, depreciation 8, EBIT -2; over 2 years: -4.
    let scenario = try parsedScenario(Self.depreciationYAML).setting(
      "offerings.lease.price_per_mw_year.trn", to: 2.5)
    let plan = try solvedPlan(scenario)
    #expect(plan.status == .optimal)
    #expect(plan.installs.isEmpty)
    for id in ["p1", "p2", "p3"] {
      expectClose(plan.mw("lease", "trn", "east", id), 4, "\(id) MW")
      expectClose(try plan.period(id).depreciation, 8, "\(id) depreciation")
      expectClose(try plan.period(id).ebit, -2, "\(id) EBIT")
    }
    expectClose(plan.totals?.depreciation, 16, "depreciation")
    expectClose(plan.totals?.ebit, -4, "EBIT")

    // Price 0.5 is below opex: the installed MW stand idle and still depreciate: EBIT -8 a year.
    let idle = try solvedPlan(
      parsedScenario(Self.depreciationYAML).setting("offerings.lease.price_per_mw_year.trn", to: 0.5))
    #expect(idle.allocations.isEmpty)
    expectClose(idle.totals?.depreciation, 16, "idle depreciation")
    expectClose(idle.totals?.ebit, -16, "idle EBIT")
    #expect(idle.totals?.ebitMargin == nil, "no revenue, no margin")
  }

  /// 10 MW of power; an expansion of 5 MW costing 6 a year, from p2 on. Supply is ample; each
  /// MW in use earns 3 - 1 = 2 a year. Three one-year periods.
  static let expansionYAML = """
    scenario: expansion
    periods:
      - {id: p1, years: 1}
      - {id: p2, years: 1}
      - {id: p3, years: 1}
    hardware:
      - {id: trn, opex_per_mw_year: 1, supply_mw: 100}
    sites:
      - id: east
        power_mw: 10
        expansions:
          - {id: east-x, power_mw: 5, cost_per_year: 6, earliest: p2}
    offerings:
      - id: lease
        use: iaas
        pricing: rental
        price_per_mw_year: {trn: 3}
        demand_mw: 100
    """

  @Test func expansionIsBuiltWhenItPaysAndNotBeforeEarliest() throws {
    // Built, the expansion adds 5 MW worth 5 * 2 = 10 a year for 6: +4 a year. It would pay in
    // p1 too, but may not stand before p2.
    //        power  MW  revenue  opex  fixed  EBIT
    //   p1      10  10       30    10      0    20
    //   p2      15  15       45    15      6    24
    //   p3      15  15       45    15      6    24
    // Total EBIT 68. New installs: 10 MW in p1, 5 in p2.
    let plan = try solvedPlan(Self.expansionYAML, options: exactMIP())
    #expect(plan.status == .optimal)
    #expect(
      plan.expansions.map { "\($0.id) \($0.site) \($0.period) \($0.powerMW) \($0.costPerYear)" }
        == ["east-x east p2 5.0 6.0"])
    expectClose(plan.newMW("east", "trn", "p1"), 10, "new in p1")
    expectClose(plan.newMW("east", "trn", "p2"), 5, "new in p2")
    for (id, limit, fixed, ebit) in [("p1", 10.0, 0.0, 20.0), ("p2", 15, 6, 24), ("p3", 15, 6, 24)] {
      expectClose(try plan.power("east", id).limitMW, limit, "\(id) power limit")
      expectClose(try plan.power("east", id).usedMW, limit, "\(id) power used")
      expectClose(try plan.period(id).fixed, fixed, "\(id) fixed cost")
      expectClose(try plan.period(id).ebit, ebit, "\(id) EBIT")
    }
    expectClose(plan.totals?.fixed, 12, "fixed")
    expectClose(plan.totals?.ebit, 68, "EBIT")
  }

  @Test func anExpansionThatDoesNotPayOverTheRestOfTheHorizonIsNotBuilt() throws {
    // demand_mw falls to 10 in p3. Built in p2, the expansion gains 5 * 2 - 6 = 4 there, but the
    // 5 MW installed for it never retire and need its power in p3 too, where demand leaves
    // them idle: another 6. 4 - 6 = -2, so it is never built. EBIT 3 * 20 = 60.
    let scenario = try parsedScenario(Self.expansionYAML)
      .setting("offerings.lease.demand_mw.p3", to: 10)
    let plan = try solvedPlan(scenario, options: exactMIP())
    #expect(plan.status == .optimal)
    #expect(plan.expansions.isEmpty)
    for id in ["p1", "p2", "p3"] {
      expectClose(try plan.power("east", id).limitMW, 10, "\(id) power limit")
      expectClose(try plan.period(id).ebit, 20, "\(id) EBIT")
    }
    expectClose(plan.totals?.fixed, 0, "fixed")
    expectClose(plan.totals?.ebit, 60, "EBIT")
  }

  @Test func aBuiltExpansionStaysBuilt() throws {
    // 15 MW installed; the site's own power dips to 10 in p2 and comes back to 15 in p3.
    // Capacity never retires, so p2 needs the expansion (10 + 5 = 15). In p3 the site's own 15
    // would do, but built stays built: it stands, and costs 6, in p3 too.
    //        power  MW  revenue  opex  fixed  EBIT
    //   p1      15  15       45    15      0    30
    //   p2   10+ 5  15       45    15      6    24
    //   p3   15+ 5  15       45    15      6    24
    // EBIT 78 (an expansion that could be torn down after p2 would make 84).
    let yaml = """
      scenario: expansion-dip
      periods:
        - {id: p1, years: 1}
        - {id: p2, years: 1}
        - {id: p3, years: 1}
      hardware:
        - {id: trn, opex_per_mw_year: 1}
      sites:
        - id: east
          power_mw: {p1: 15, p2: 10, p3: 15}
          installed_mw: {trn: 15}
          expansions:
            - {id: east-x, power_mw: 5, cost_per_year: 6, earliest: p2}
      offerings:
        - id: lease
          use: iaas
          pricing: rental
          price_per_mw_year: {trn: 3}
      """
    let plan = try solvedPlan(yaml, options: exactMIP())
    #expect(plan.status == .optimal)
    #expect(plan.expansions.map { "\($0.id) \($0.period)" } == ["east-x p2"])
    for (id, limit, fixed, ebit) in [("p1", 15.0, 0.0, 30.0), ("p2", 15, 6, 24), ("p3", 20, 6, 24)] {
      expectClose(try plan.power("east", id).limitMW, limit, "\(id) power limit")
      expectClose(try plan.power("east", id).usedMW, 15, "\(id) power used")
      expectClose(try plan.period(id).fixed, fixed, "\(id) fixed cost")
      expectClose(try plan.period(id).ebit, ebit, "\(id) EBIT")
    }
    expectClose(plan.totals?.ebit, 78, "EBIT")

    // Not available before p3, nothing can carry the 15 MW through p2: infeasible, and the
    // diagnosis names p2's power.
    let late = try solvedPlan(
      yaml.replacingOccurrences(of: "earliest: p2", with: "earliest: p3"), options: exactMIP())
    #expect(late.status == .infeasible)
    #expect(
      late.infeasibility?.conflicts.contains("power at site east in p2") == true,
      "\(String(describing: late.infeasibility))")
  }

  /// Blocks of 4 MW; capex 5 (life 5: depreciation 1 per MW-year), opex 1, price 5, demand 10 MW.
  static let blocksYAML = """
    scenario: blocks
    periods:
      - {id: fy, years: 1}
    hardware:
      - {id: trn, opex_per_mw_year: 1, capex_per_mw: 5, life_years: 5, install_block_mw: 4, supply_mw: 100}
    sites:
      - {id: east, power_mw: 100}
    offerings:
      - id: lease
        use: iaas
        pricing: rental
        price_per_mw_year: {trn: 5}
        demand_mw: 10
    """

  @Test func installBlocksAreWholeMultiples() throws {
    // n blocks install 4n MW and serve min(4n, 10): EBIT = 4 * min(4n, 10) - 1 * 4n.
    //   n = 2: 32 - 8 = 24;  n = 3: 40 - 12 = 28;  n = 4: 40 - 16 = 24.
    // So 3 blocks (12 MW, 2 idle): revenue 50, opex 10, depreciation 12, EBIT 28.
    // (Continuous installs would take exactly 10 MW: 40 - 10 = 30.)
    let plan = try solvedPlan(Self.blocksYAML, options: exactMIP())
    #expect(plan.status == .optimal)
    #expect(plan.solver.integerColumns > 0)
    expectClose(plan.newMW("east", "trn", "fy"), 12, "new MW")
    expectClose(plan.mw("lease", "trn", "east", "fy"), 10, "MW in use")
    let p = try plan.period("fy")
    expectClose(p.revenue, 50, "revenue")
    expectClose(p.opex, 10, "opex")
    expectClose(p.depreciation, 12, "depreciation (idle MW included)")
    expectClose(p.ebit, 28, "EBIT")

    // With 10 MW of power, 3 blocks no longer fit: 2 blocks, 8 MW, EBIT 32 - 8 = 24.
    let tight = try solvedPlan(
      parsedScenario(Self.blocksYAML).setting("sites.east.power_mw", to: 10), options: exactMIP())
    expectClose(tight.newMW("east", "trn", "fy"), 8, "new MW under 10 MW of power")
    expectClose(tight.totals?.ebit, 24, "EBIT under 10 MW of power")
  }
}

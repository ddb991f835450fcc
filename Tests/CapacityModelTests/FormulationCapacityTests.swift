import Foundation
import Testing

@testable import CapacityModel

/// Constraints 1-3 of the model spec: hardware capacity (with companions), site power, and
/// fleet-wide supply. Every optimum below is worked by hand in the comments.
@Suite("Formulation: hardware, power and supply")
struct FormulationCapacityTests {
  /// trainium3 needs 0.25 MW of graviton4 beside each MW (a companion rule), so x_trn draws
  /// 0.25 x_trn on graviton4's capacity, and pays graviton4's opex on that MW.
  static func companionYAML(graviton: Double) -> String {
    """
    scenario: companions
    periods:
      - {id: fy, years: 1}
    hardware:
      - {id: trainium3, opex_per_mw_year: 2}
      - {id: graviton4, opex_per_mw_year: 1}
    companions:
      - {hardware: trainium3, requires: graviton4, mw_per_mw: 0.25}
    sites:
      - id: east
        power_mw: 100
        installed_mw: {trainium3: 8, graviton4: \(graviton)}
    offerings:
      - id: claude
        use: first-party
        pricing: first_party
        gross_revenue_per_mw_year: {trainium3: 10}
      - id: cpu
        use: iaas
        pricing: rental
        price_per_mw_year: {graviton4: 4}
    """
  }

  @Test func hardwareCapacityWithCompanionDrawAndOpex() throws {
    // Rows: x_claude <= 8 (trainium3); x_cpu + 0.25 x_claude <= 3 (graviton4).
    // Per MW-year: claude 10 - 2 - 0.25 * 1 (companion opex) = 7.75; cpu 4 - 1 = 3.
    // A MW of claude displaces 0.25 MW of cpu (0.75), so claude takes all 8 MW of trainium3,
    // which holds 0.25 * 8 = 2 MW of graviton4; cpu gets the other 1 MW.
    // Revenue 8 * 10 + 1 * 4 = 84; opex 8 * 2 + 2 * 1 + 1 * 1 = 19; EBIT 65.
    let plan = try solvedPlan(Self.companionYAML(graviton: 3))
    #expect(plan.status == .optimal)
    expectClose(plan.mw("claude", "trainium3", "east", "fy"), 8, "claude MW")
    expectClose(plan.mw("cpu", "graviton4", "east", "fy"), 1, "cpu MW")
    let p = try plan.period("fy")
    expectClose(p.revenue, 84, "revenue")
    expectClose(p.opex, 19, "opex (companion opex 2 included)")
    expectClose(p.ebit, 65, "EBIT")
    expectClose(p.revenueByOffering["claude"], 80)
    expectClose(p.revenueByOffering["cpu"], 4)
    expectClose(plan.totals?.ebit, 65, "total EBIT")
    // Companion MW is not an allocation of its own.
    #expect(plan.allocations.count == 2)
  }

  @Test func companionCapacityLimitsTheHardwareItStandsBeside() throws {
    // With 1 MW of graviton4: 0.25 x_claude <= 1 - x_cpu. Per MW of graviton4, claude earns
    // 7.75 / 0.25 = 31 against cpu's 3, so x_cpu = 0 and x_claude = 4 (4 MW of trainium3 idle).
    // Revenue 40; opex 4 * 2 + 1 * 1 = 9; EBIT 31.
    let plan = try solvedPlan(Self.companionYAML(graviton: 1))
    expectClose(plan.mw("claude", "trainium3", "east", "fy"), 4, "claude MW")
    expectClose(plan.mw("cpu", "graviton4", "east", "fy"), 0, "cpu MW")
    let p = try plan.period("fy")
    expectClose(p.revenue, 40, "revenue")
    expectClose(p.opex, 9, "opex")
    expectClose(p.ebit, 31, "EBIT")
  }

  @Test func companionOpexCanMakeHardwareNotWorthRunning() throws {
    // trainium3 opex 9.8: a MW of claude earns 10 - 9.8 = 0.2 before its companion and
    // 0.2 - 0.25 * 1 = -0.05 with it, so claude is not served at all; cpu takes all 3 MW of
    // graviton4 (margin 3): EBIT 9. (Without the companion's opex claude would take 8 MW.)
    let scenario = try parsedScenario(Self.companionYAML(graviton: 3))
      .setting("hardware.trainium3.opex_per_mw_year", to: 9.8)
    let plan = try solvedPlan(scenario)
    #expect(plan.status == .optimal)
    expectClose(plan.mw(offering: "claude", period: "fy"), 0, "claude MW")
    expectClose(plan.mw("cpu", "graviton4", "east", "fy"), 3, "cpu MW")
    expectClose(plan.totals?.ebit, 9, "EBIT")
  }

  @Test func companionsAreInstalledAndPoweredBesideTheirHardware() throws {
    // Nothing installed; ample supply of both. Each MW of trainium3 needs 0.25 MW of graviton4
    // installed beside it, and both draw power: x + 0.25 x <= 10 facility MW, so x = 8 and
    // 2 MW of graviton4 go in with it. graviton4 costs capex 5 (depreciation 1 per MW-year).
    // Revenue 8 * 10 = 80; opex 8 * 2 + 2 * 1 = 18; depreciation 2 * 1 = 2; EBIT 60.
    // Power's value: a facility MW holds 0.8 MW of trainium3 with its 0.2 of graviton4, worth
    // 0.8 * 7.75 - 0.2 * 1 = 6 a year.
    let yaml = """
      scenario: companion-installs
      periods:
        - {id: fy, years: 1}
      hardware:
        - {id: trainium3, opex_per_mw_year: 2, supply_mw: 100}
        - {id: graviton4, opex_per_mw_year: 1, capex_per_mw: 5, supply_mw: 100}
      companions:
        - {hardware: trainium3, requires: graviton4, mw_per_mw: 0.25}
      sites:
        - {id: east, power_mw: 10}
      offerings:
        - id: claude
          use: first-party
          pricing: first_party
          gross_revenue_per_mw_year: {trainium3: 10}
      """
    let plan = try solvedPlan(yaml)
    #expect(plan.status == .optimal)
    expectClose(plan.mw("claude", "trainium3", "east", "fy"), 8, "claude MW")
    expectClose(plan.newMW("east", "trainium3", "fy"), 8, "new trainium3")
    expectClose(plan.newMW("east", "graviton4", "fy"), 2, "new graviton4 (companion)")
    let p = try plan.period("fy")
    expectClose(p.revenue, 80, "revenue")
    expectClose(p.opex, 18, "opex")
    expectClose(p.depreciation, 2, "depreciation of the companion")
    expectClose(p.ebit, 60, "EBIT")
    let power = try plan.power("east", "fy")
    expectClose(power.usedMW, 10, "facility MW used")
    expectClose(power.value, 6, "power value")
  }

  static let powerYAML = """
    scenario: power
    periods:
      - {id: h1, years: 0.5}
    hardware:
      - {id: trn, opex_per_mw_year: 4, supply_mw: 1000}
    sites:
      - id: east
        pue: 1.25
        power_mw: 100
        installed_mw: {trn: 40}
    offerings:
      - id: rent
        use: iaas
        pricing: rental
        price_per_mw_year: {trn: 10}
    """

  @Test func powerWithPUEBoundsNewInstallsAndHasAMarginalValue() throws {
    // Facility MW = 1.25 x IT MW, so 100 facility MW hold 80 IT MW: 40 installed + 40 new
    // (supply 1000 is slack). Each IT MW earns 10 - 4 = 6 per year: EBIT rate 80 * 6 = 480,
    // over half a year 240.
    // Power's value: one more facility MW holds 1 / 1.25 = 0.8 IT MW, worth 0.8 * 6 = 4.8 $M per
    // facility MW-year. The horizon dual is 0.5 * 4.8 = 2.4; the plan reports 2.4 / 0.5 = 4.8.
    let plan = try solvedPlan(Self.powerYAML)
    #expect(plan.status == .optimal)
    expectClose(plan.newMW("east", "trn", "h1"), 40, "new MW")
    expectClose(plan.mw("rent", "trn", "east", "h1"), 80, "allocated IT MW")
    let p = try plan.period("h1")
    expectClose(p.revenue, 800, "revenue rate")
    expectClose(p.opex, 320, "opex rate")
    expectClose(p.ebit, 480, "EBIT rate")
    expectClose(plan.totals?.ebit, 240, "EBIT over 0.5 years")
    let power = try plan.power("east", "h1")
    expectClose(power.usedMW, 100, "facility MW used = 1.25 * 80")
    expectClose(power.limitMW, 100, "facility MW available")
    expectClose(power.value, 4.8, "power value per facility MW-year")
    // Supply is not binding: its value is 0.
    let supply = try plan.supplyMarginal("trn", "h1")
    #expect(!supply.binding)
    expectClose(supply.value, 0, "supply value")
  }

  @Test func powerFallingBelowInstalledIsInfeasibleAndNamed() throws {
    // 40 IT MW installed at PUE 1.25 need 50 facility MW; q2 offers 40. Capacity never
    // retires, so no plan exists, and the diagnosis names q2's power row.
    let yaml = """
      scenario: power-drop
      periods:
        - {id: q1, years: 0.25}
        - {id: q2, years: 0.25}
      hardware:
        - {id: trn, opex_per_mw_year: 4, supply_mw: 10}
      sites:
        - id: east
          pue: 1.25
          power_mw: {q1: 100, q2: 40}
          installed_mw: {trn: 40}
      offerings:
        - id: rent
          use: iaas
          pricing: rental
          price_per_mw_year: {trn: 10}
      """
    let plan = try solvedPlan(yaml)
    #expect(plan.status == .infeasible)
    #expect(plan.totals == nil)
    #expect(plan.allocations.isEmpty)
    let conflicts = try #require(plan.infeasibility?.conflicts)
    #expect(conflicts.contains("power at site east in q2"), "conflicts: \(conflicts)")
    #expect(!conflicts.contains("power at site east in q1"), "conflicts: \(conflicts)")
  }

  @Test func supplyIsFleetWideAcrossSitesAndValuedOverTheRestOfTheHorizon() throws {
    // Supply 30 MW of trn in q1 (0 in q2), shared by east (20 MW of power) and west (12).
    // The sites could hold 32, but new_east + new_west <= 30. Each MW earns 10 - 2 = 8 per
    // year in q1 and again in q2 (installed MW stays): EBIT rate 30 * 8 = 240 in each quarter,
    // total 0.25 * 240 + 0.25 * 240 = 120.
    // Supply's value in q1: one more MW earns 8 for 0.25 + 0.25 years = 4 $M (a one-time value
    // per MW of supply, not divided by years). q2 has no supply, so no row and no marginal.
    let yaml = """
      scenario: supply
      periods:
        - {id: q1, years: 0.25}
        - {id: q2, years: 0.25}
      hardware:
        - {id: trn, opex_per_mw_year: 2, supply_mw: {q1: 30, q2: 0}}
      sites:
        - {id: east, power_mw: 20}
        - {id: west, power_mw: 12}
      offerings:
        - id: rent
          use: iaas
          pricing: rental
          price_per_mw_year: {trn: 10}
      """
    let plan = try solvedPlan(yaml)
    #expect(plan.status == .optimal)
    let east = plan.newMW("east", "trn", "q1")
    let west = plan.newMW("west", "trn", "q1")
    expectClose(east + west, 30, "new MW in q1, fleet-wide")
    #expect(east <= 20 + 1e-6 && west <= 12 + 1e-6, "east \(east), west \(west)")
    #expect(plan.installs.allSatisfy { $0.period == "q1" })
    expectClose(plan.mw(offering: "rent", period: "q1"), 30, "q1 MW")
    expectClose(plan.mw(offering: "rent", period: "q2"), 30, "q2 MW")
    expectClose(try plan.period("q1").ebit, 240, "q1 EBIT rate")
    expectClose(try plan.period("q2").ebit, 240, "q2 EBIT rate")
    expectClose(plan.totals?.ebit, 120, "total EBIT")
    let supply = try plan.supplyMarginal("trn", "q1")
    #expect(supply.binding)
    expectClose(supply.value, 4, "supply value in q1")
    #expect(plan.marginals.supply.count == 1)
  }
}

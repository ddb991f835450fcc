import Foundation
import Testing

@testable import CapacityModel

/// The elastic re-solve of an infeasible scenario: the soft limits give by the least total
/// amount, reported in the user's units, and `elastic` returns that plan.
@Suite("Shortfalls of infeasible scenarios, worked by hand")
struct ShortfallTests {
  /// Models/infeasible-power.yaml: 250 MW of gb200 committed in 2026Q4 at a site whose 250
  /// facility MW (PUE 1.25) host at most 200 IT MW that quarter.
  static let powerYAML = """
    scenario: infeasible-power
    periods:
      - {id: 2026Q3, years: 0.25}
      - {id: 2026Q4, years: 0.25}
      - {id: 2027Q1, years: 0.25}
    hardware:
      - {id: gb200, opex_per_mw_year: 3.0, capex_per_mw: 30, life_years: 5, supply_mw: 100}
    sites:
      - id: virginia
        pue: 1.25
        power_mw: {2026Q3: 250, 2027Q1: 400}
        installed_mw: {gb200: 150}
    offerings:
      - id: gpu-rental
        use: iaas
        pricing: rental
        price_per_mw_year: {gb200: 15.5}
        committed_mw: {2026Q3: 150, 2026Q4: 250}
        demand_mw: 300
    """

  /// Least slack: 50 MW short on the 2026Q4 commitment (giving on power instead would take
  /// 62.5 facility MW). The elastic plan then maximizes EBIT: 200 MW in 2026Q3 (50 installed,
  /// power-bound) and 2026Q4, and 300 MW in 2027Q1 (100 more installed, the demand cap), each
  /// MW earning 15.5 - 3 = 12.5 against depreciation of 6 per installed MW-year:
  /// 0.25 x (200 x 6.5) x 2 + 0.25 x (300 x 6.5) = 325 + 325 + 487.5 = 1,137.5.
  @Test func aCommitmentPowerCannotHostIsShortByItsExcess() throws {
    let plan = try solvedPlan(Self.powerYAML)
    #expect(plan.status == .infeasible)
    let inf = try #require(plan.infeasibility)
    #expect(Set(inf.conflicts).contains("committed_mw of gpu-rental in 2026Q4"))
    let shortfalls = try #require(inf.shortfalls)
    #expect(shortfalls.count == 1, "\(shortfalls)")
    let s = try #require(shortfalls.first)
    #expect(s.kind.rawValue == "committed_mw" && s.subject == "gpu-rental" && s.period == "2026Q4")
    expectClose(s.amount, 50, "MW short")
    expectClose(s.limit, 250, "the commitment")
    #expect(s.text == "committed_mw of gpu-rental in 2026Q4: short 50 MW of 250 MW")
    expectClose(inf.relaxedEbit, 1137.5, "EBIT of the elastic plan")
    #expect(plan.allocations.isEmpty && plan.totals == nil, "no plan without --elastic")

    var options = PlanOptions()
    options.elastic = true
    let relaxed = try solvedPlan(Self.powerYAML, options: options)
    #expect(relaxed.status == .infeasibleRelaxed)
    #expect(relaxed.infeasibility?.shortfalls == shortfalls)
    #expect(relaxed.infeasibility?.conflicts == inf.conflicts)
    expectClose(relaxed.mw(offering: "gpu-rental", period: "2026Q3"), 200, "2026Q3")
    expectClose(relaxed.mw(offering: "gpu-rental", period: "2026Q4"), 200, "2026Q4: 50 short")
    expectClose(relaxed.mw(offering: "gpu-rental", period: "2027Q1"), 300, "2027Q1")
    expectClose(relaxed.newMW("virginia", "gb200", "2026Q3"), 50, "installs 2026Q3")
    expectClose(relaxed.newMW("virginia", "gb200", "2027Q1"), 100, "installs 2027Q1")
    expectClose(relaxed.totals?.ebit, 1137.5, "EBIT")
  }

  /// Internal work needs 40 MW but may run on trainium2 (10 MW installed) and gb200 (30 MW)
  /// under a policy that at least half its MW be trainium2: at most 20 MW meet both. Giving
  /// on the requirement costs 20 MW; giving on the policy row (0.5 trn - 0.5 gpu >= -slack)
  /// costs 10 (trn 10, gpu 30), so the policy gives: 25% of the MW on trainium2.
  @Test func aPolicyThatCannotHoldReportsTheShareReached() throws {
    let yaml = """
      scenario: policy-short
      periods: [{id: P1, years: 1}]
      hardware: [{id: trainium2}, {id: gb200}]
      sites: [{id: s, power_mw: 100, installed_mw: {trainium2: 10, gb200: 30}}]
      offerings:
        - {id: training, use: internal, pricing: internal, value_per_mw_year: {trainium2: 1, gb200: 1}, required_mw: 40}
      policies:
        - {id: trn-half, kind: min_share, use: internal, hardware: [trainium2], share: 0.5}
      """
    var options = PlanOptions()
    options.elastic = true
    let plan = try solvedPlan(yaml, options: options)
    #expect(plan.status == .infeasibleRelaxed)
    let s = try #require(plan.infeasibility?.shortfalls?.first)
    #expect(plan.infeasibility?.shortfalls?.count == 1)
    #expect(s.kind.rawValue == "policy" && s.subject == "trn-half")
    expectClose(s.amount, 0.25, "share reached")
    #expect(s.text == "policy trn-half in P1: 25.0% of the MW on trainium2 against a minimum of 50.0%")
    expectClose(plan.mw(offering: "training", period: "P1"), 40, "the requirement holds")
  }

  /// Power below what is installed: no allocation helps, so the power row gives: 120 IT MW
  /// at PUE 1.5 need 180 facility MW against 100.
  @Test func powerBelowInstalledIsOverByTheFacilityMW() throws {
    let plan = try solvedPlan(
      """
      scenario: power-short
      periods: [{id: 2027Q3, years: 0.25}]
      hardware: [{id: gb200}]
      sites: [{id: indiana, pue: 1.5, power_mw: 100, installed_mw: {gb200: 120}}]
      offerings: [{id: rent, use: iaas, pricing: rental, price_per_mw_year: {gb200: 10}}]
      """)
    #expect(plan.status == .infeasible)
    let s = try #require(plan.infeasibility?.shortfalls?.first)
    #expect(s.text == "power at indiana in 2027Q3: 80 facility MW over the limit of 100")
    expectClose(s.amount, 80, "facility MW over")
  }

  /// 10 MW of trainium3 installed need 5 MW of graviton4 head nodes (0.5 per MW), of which only
  /// 2 may be installed: meeting the requirement takes 3 MW over the supply, while giving on the
  /// requirement would take 6 MW (4 MW of trainium3 fit beside 2 MW of graviton4). Supply gives.
  @Test func companionsBeyondTheSupplyAreOverBySoMuch() throws {
    var options = PlanOptions()
    options.elastic = true
    let plan = try solvedPlan(
      """
      scenario: supply-short
      periods: [{id: P1, years: 1}]
      hardware: [{id: trainium3}, {id: graviton4, supply_mw: 2}]
      companions: [{hardware: trainium3, requires: graviton4, mw_per_mw: 0.5}]
      sites: [{id: s, power_mw: 100, installed_mw: {trainium3: 10}}]
      offerings:
        - {id: rl, use: internal, pricing: internal, value_per_mw_year: {trainium3: 1}, required_mw: 10}
      """, options: options)
    #expect(plan.status == .infeasibleRelaxed)
    let shortfalls = try #require(plan.infeasibility?.shortfalls)
    #expect(
      shortfalls.map(\.text) == ["supply_mw of graviton4 in P1: 3 MW installed over the supply of 2 MW"])
    expectClose(plan.newMW("s", "graviton4", "P1"), 5, "graviton4 installed")
    expectClose(plan.mw(offering: "rl", period: "P1"), 10, "the requirement holds")
  }
}

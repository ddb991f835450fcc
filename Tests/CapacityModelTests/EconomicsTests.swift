import Foundation
import Testing

@testable import CapacityModel

/// The seed's Bedrock deal beside an IaaS rental on GPUs that need Graviton head nodes, a GPU
/// left idle, and a power expansion that must be built: the Bedrock line must still read the
/// seed's figures, and the other lines carry what the rule gives them.
///
/// Worked by hand for one year (R = claude's gross revenue per MW-year):
/// - claude: 1 MW trainium2, revenue 7.5 + 0.25 R, opex 6.5, no capex: EBIT 1 + 0.25 R.
/// - gpu-rental: 2 MW gb200 (demand cap 2) and the 1 MW graviton4 they need (0.5 per MW):
///   revenue 2 x 14 = 28, opex 2 x 8 + 1 x 2 = 18, depreciation 2 x 30/5 + 1 x 10/5 = 14, EBIT -4.
/// - idle capacity: the third gb200 MW, depreciation 6: EBIT -6.
/// - fixed costs: the expansion, which the 5 MW installed need (power 4 + 2): EBIT -1.
/// Plan EBIT: (35.5 + 0.25 R) - 24.5 - 20 - 1 = 0.25 R - 10 = the four lines' sum.
let economicsYAML = """
  scenario: seed-deal-beside-iaas
  periods:
    - {id: fy2026, years: 1}
  hardware:
    - {id: trainium2, opex_per_mw_year: 6.5, capex_per_mw: 0}
    - {id: gb200, opex_per_mw_year: 8, capex_per_mw: 30}
    - {id: graviton4, opex_per_mw_year: 2, capex_per_mw: 10}
  companions:
    - {hardware: gb200, requires: graviton4, mw_per_mw: 0.5}
  sites:
    - id: indiana
      power_mw: 4
      installed_mw: {trainium2: 1, gb200: 3, graviton4: 1}
      expansions:
        - {id: indiana-p2, power_mw: 2, cost_per_year: 1}
  offerings:
    - id: claude
      use: bedrock
      pricing: revenue_share
      revenue_share: 0.25
      iaas_fee_per_mw_year: 7.5
      gross_revenue_per_mw_year: {trainium2: 26}
    - id: gpu-rental
      use: iaas
      pricing: rental
      price_per_mw_year: {gb200: 14}
      demand_mw: 2
  """

@Suite("Economics by offering: the attribution rule, worked by hand")
struct EconomicsTests {
  func line(_ lines: [Plan.Line], _ id: String) throws -> Plan.Line {
    try #require(lines.first { $0.id == id }, "no line \(id) in \(lines.map(\.id))")
  }

  @Test(arguments: seedColumns)
  func bedrockLineReadsTheSeedBesideOtherBusiness(_ column: SeedColumn) throws {
    let R = column.grossPerMW
    let scenario = try parsedScenario(economicsYAML)
      .setting("offerings.claude.gross_revenue_per_mw_year.trainium2", to: R)
    let plan = try solvedPlan(scenario)
    #expect(plan.status == .optimal)
    let e = try #require(plan.economics)

    let claude = try line(e.offerings, "claude")
    #expect(claude.use == "bedrock")
    let net = 7.5 + 0.25 * R
    expectClose(claude.total.revenue, net, "claude revenue")
    expectClose(claude.total.opex, 6.5, "claude opex")
    expectClose(claude.total.depreciation, 0, "claude depreciation")
    expectClose(claude.total.ebit, net - 6.5, "claude EBIT")
    expectClose(claude.total.mw, 1, "claude MW-years")
    expectClose(claude.total.ebitPerMWYear, net - 6.5, "claude EBIT per MW-year")
    let margin = try #require(claude.total.ebitMargin)
    #expect(tableRounded(margin * 100) == column.ebitMarginPercent, "claude margin \(margin)")
    #expect(tableRounded(net - 6.5) == column.ebitPerMW)
    let bedrock = try line(e.uses, "bedrock")
    #expect(tableRounded((bedrock.total.ebitMargin ?? 0) * 100) == column.ebitMarginPercent)
    #expect(bedrock.total == claude.total)

    let rental = try line(e.offerings, "gpu-rental")
    expectClose(rental.total.revenue, 28, "rental revenue")
    expectClose(rental.total.opex, 18, "rental opex, graviton4 included")
    expectClose(rental.total.depreciation, 14, "rental depreciation, graviton4 included")
    expectClose(rental.total.ebit, -4, "rental EBIT")
    expectClose(rental.total.ebitPerMWYear, -2, "rental EBIT per MW-year")
    expectClose(rental.total.ebitMargin, -4.0 / 28, "rental margin")

    expectClose(e.idle.periods[0].mw, 1, "one gb200 MW idle")
    expectClose(e.idle.total.mw, 1, "idle MW-years")
    #expect(e.idle.total.ebitPerMWYear == nil, "idle MW earn nothing per MW-year")
    expectClose(e.idle.total.depreciation, 6, "idle depreciation")
    expectClose(e.idle.total.ebit, -6, "idle EBIT")
    expectClose(e.fixed.total.ebit, -1, "fixed costs")

    let ebit = try #require(plan.totals?.ebit)
    expectClose(ebit, 0.25 * R - 10, "plan EBIT")
    expectClose(e.ebitLines.reduce(0) { $0 + $1.total.ebit }, ebit, "lines add up")

    // Hardware: the companion's costs sit on the GPU line; graviton4 serves nobody directly.
    #expect(e.hardware.map(\.id) == ["trainium2", "gb200"])
    #expect(try line(e.hardware, "gb200").total == rental.total)
    #expect(e.sites.map(\.id) == ["indiana"])
    expectClose(try line(e.sites, "indiana").total.ebit, ebit + 7, "site line: all but idle and fixed")

    let gb200 = try #require(e.capacity.first { $0.hardware == "gb200" })
    #expect(gb200.installedMW == 3 && gb200.usedMW == 2 && gb200.idleMW == 1)
    let graviton = try #require(e.capacity.first { $0.hardware == "graviton4" })
    #expect(graviton.usedMW == 1 && graviton.idleMW == 0)
  }

  /// Tier revenue depends on the offering's whole gross: it is split over its allocations in
  /// proportion to the gross each serves. 10 MW trainium2 (gross 100) and 10 MW gb200 (gross
  /// 300) = gross 4,000 per year; tiers 10% up to 1,000 and 20% above: 100 + 600 = 700, a
  /// quarter (1,000 of 4,000 gross) on trainium2 = 175, three quarters on gb200 = 525.
  @Test func tierRevenueFollowsGross() throws {
    let plan = try solvedPlan(
      """
      scenario: tiers
      periods: [{id: P1, years: 1}]
      hardware: [{id: trainium2}, {id: gb200}]
      sites: [{id: s, power_mw: 100, installed_mw: {trainium2: 10, gb200: 10}}]
      offerings:
        - id: lab
          use: bedrock
          pricing: revenue_share
          tiers: [{up_to: 1000, share: 0.1}, {share: 0.2}]
          gross_revenue_per_mw_year: {trainium2: 100, gb200: 300}
      """)
    let e = try #require(plan.economics)
    expectClose(try line(e.hardware, "trainium2").total.revenue, 175, "trainium2 share of tier revenue")
    expectClose(try line(e.hardware, "gb200").total.revenue, 525, "gb200 share of tier revenue")
    expectClose(try line(e.offerings, "lab").total.revenue, 700, "offering revenue")
  }

  /// Installs in the second period are depreciated from then on; capacity installed before the
  /// first allocation is idle. Two half-year periods, 1 MW installed, supply 4 MW in P2 only,
  /// capex 10 (2 per MW-year), rental at 5 with demand 0 in P1 and 4 MW in P2: 3 MW are
  /// installed in P2 (each earns 5 - 2); a fourth would only stand idle.
  @Test func installsAndIdleOverPeriods() throws {
    let plan = try solvedPlan(
      """
      scenario: installs
      periods: [{id: P1, years: 0.5}, {id: P2, years: 0.5}]
      hardware: [{id: a, capex_per_mw: 10, supply_mw: {P2: 4}}]
      sites: [{id: s, power_mw: 100, installed_mw: {a: 1}}]
      offerings: [{id: rent, use: iaas, pricing: rental, price_per_mw_year: {a: 5}, demand_mw: {P2: 4}}]
      """)
    let e = try #require(plan.economics)
    let rent = try line(e.offerings, "rent")
    // P1: nothing may be allocated (demand 0), the installed MW is idle: -2 per year.
    expectClose(e.idle.periods[0].ebit, -2, "P1 idle")
    expectClose(rent.periods[0].ebit, 0, "P1 rent")
    // P2: 3 MW installed + 1 = 4 MW, all rented: 20 - 8 = 12 per year.
    expectClose(rent.periods[1].mw, 4, "P2 MW")
    expectClose(rent.periods[1].ebit, 12, "P2 rent EBIT")
    expectClose(e.idle.periods[1].ebit, 0, "P2 idle")
    expectClose(rent.total.ebit, 6, "horizon: half a year of 12")
    expectClose(rent.total.ebitPerMWYear, 3, "6 over 2 MW-years")
    expectClose(plan.totals?.ebit, 5, "6 - 1 idle")
  }
}

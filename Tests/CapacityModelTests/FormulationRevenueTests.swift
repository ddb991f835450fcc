import Foundation
import Testing

@testable import CapacityModel

/// The revenue side of the objective: unit revenue by pricing, and which hardware, sites and
/// periods may serve an offering (its map, `available_from`, `sites`).
@Suite("Formulation: revenue terms")
struct FormulationRevenueTests {
  @Test func unitRevenueOfEachPricing() throws {
    // Four offerings, each on its own 1 MW (opex 1 each), one year:
    //   claude revenue_share: 7.5 + 0.25 * 30 = 15 (the lab keeps 30 - 15 = 15)
    //   chat first_party: the platform keeps the whole gross, 30
    //   lease rental: price 12
    //   train internal: value 4, counted as revenue
    // Revenue 15 + 30 + 12 + 4 = 61; opex 4; EBIT 57.
    let yaml = """
      scenario: pricing
      periods:
        - {id: fy, years: 1}
      hardware:
        - {id: trn, opex_per_mw_year: 1}
        - {id: gb, opex_per_mw_year: 1}
        - {id: gpu, opex_per_mw_year: 1}
        - {id: cpu, opex_per_mw_year: 1}
      sites:
        - id: east
          power_mw: 100
          installed_mw: {trn: 1, gb: 1, gpu: 1, cpu: 1}
      offerings:
        - id: claude
          use: bedrock
          pricing: revenue_share
          revenue_share: 0.25
          iaas_fee_per_mw_year: 7.5
          gross_revenue_per_mw_year: {trn: 30}
        - id: chat
          use: first-party
          pricing: first_party
          gross_revenue_per_mw_year: {gb: 30}
        - id: lease
          use: iaas
          pricing: rental
          price_per_mw_year: {gpu: 12}
        - id: train
          use: internal
          pricing: internal
          value_per_mw_year: {cpu: 4}
      """
    let plan = try solvedPlan(yaml)
    #expect(plan.status == .optimal)
    let p = try plan.period("fy")
    expectClose(p.revenueByOffering["claude"], 15, "revenue_share: fee + share * gross")
    expectClose(p.revenueByOffering["chat"], 30, "first_party: all of gross")
    expectClose(p.revenueByOffering["lease"], 12, "rental: price")
    expectClose(p.revenueByOffering["train"], 4, "internal: value")
    expectClose(p.revenueByUse["bedrock"], 15)
    expectClose(p.revenueByUse["first-party"], 30)
    expectClose(p.revenueByUse["iaas"], 12)
    expectClose(p.revenueByUse["internal"], 4)
    expectClose(p.revenue, 61, "revenue")
    expectClose(p.opex, 4, "opex")
    expectClose(p.ebit, 57, "EBIT")
    expectClose(p.ebitMargin, 57.0 / 61.0, "EBIT margin")
    // Only the revenue_share offering has a lab side.
    #expect(plan.lab.map(\.offering) == ["claude"])
    let lab = try plan.labSide("claude", "fy")
    expectClose(lab.grossRevenue, 30)
    expectClose(lab.platformRevenue, 15)
    expectClose(lab.grossMargin, 0.5)
  }

  @Test func availableFromKeepsHardwareOutUntilItsPeriod() throws {
    // chat may run on `new` (30/MW) only from q2 on; `old` (10/MW) always. 2 MW of each, no
    // opex. q1: only old serves, revenue rate 20; q2 and q3: 20 + 60 = 80.
    // Totals over three quarters: 0.25 * (20 + 80 + 80) = 45.
    let yaml = """
      scenario: porting
      periods:
        - {id: q1, years: 0.25}
        - {id: q2, years: 0.25}
        - {id: q3, years: 0.25}
      hardware:
        - {id: old}
        - {id: new}
      sites:
        - id: east
          power_mw: 100
          installed_mw: {old: 2, new: 2}
      offerings:
        - id: chat
          use: first-party
          pricing: first_party
          gross_revenue_per_mw_year: {old: 10, new: 30}
          available_from: {new: q2}
      """
    let plan = try solvedPlan(yaml)
    #expect(plan.status == .optimal)
    #expect(!plan.allocations.contains { $0.hardware == "new" && $0.period == "q1" })
    expectClose(plan.mw("chat", "old", "east", "q1"), 2)
    expectClose(plan.mw("chat", "new", "east", "q2"), 2)
    expectClose(plan.mw("chat", "new", "east", "q3"), 2)
    expectClose(try plan.period("q1").revenue, 20, "q1 revenue rate")
    expectClose(try plan.period("q2").revenue, 80, "q2 revenue rate")
    expectClose(try plan.period("q3").revenue, 80, "q3 revenue rate")
    expectClose(plan.totals?.revenue, 45, "total revenue")
    expectClose(plan.totals?.ebit, 45, "total EBIT")
  }

  static let sitesYAML = """
    scenario: sites
    periods:
      - {id: fy, years: 1}
    hardware:
      - {id: trn}
    sites:
      - id: east
        power_mw: 100
        installed_mw: {trn: 5}
      - id: west
        power_mw: 100
        installed_mw: {trn: 5}
    offerings:
      - id: chat
        use: first-party
        pricing: first_party
        gross_revenue_per_mw_year: {trn: 10}
        sites: [west]
      - id: lease
        use: iaas
        pricing: rental
        price_per_mw_year: {trn: 4}
    """

  @Test func sitesRestrictWhereAnOfferingRuns() throws {
    // chat (10/MW) may run only at west; lease (4/MW) anywhere; 5 MW at each site, no opex.
    // chat takes west's 5 MW (50), lease east's 5 (20): EBIT 70. Unrestricted, chat would take
    // all 10 MW: EBIT 100.
    let plan = try solvedPlan(Self.sitesYAML)
    #expect(plan.status == .optimal)
    #expect(!plan.allocations.contains { $0.offering == "chat" && $0.site == "east" })
    expectClose(plan.mw("chat", "trn", "west", "fy"), 5, "chat at west")
    expectClose(plan.mw("lease", "trn", "east", "fy"), 5, "lease at east")
    expectClose(plan.mw("lease", "trn", "west", "fy"), 0, "lease at west")
    expectClose(plan.totals?.ebit, 70, "EBIT")

    let open = try solvedPlan(Self.sitesYAML.replacingOccurrences(of: "    sites: [west]\n", with: ""))
    expectClose(open.mw(offering: "chat", period: "fy"), 10, "chat unrestricted")
    expectClose(open.totals?.ebit, 100, "EBIT unrestricted")
  }
}

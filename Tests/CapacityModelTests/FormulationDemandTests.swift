import Foundation
import Testing

@testable import CapacityModel

/// Constraints 4 and 5 of the model spec: demand caps (gross revenue for revenue_share and
/// first_party, MW for rental and internal) with their marginal values, and commitments
/// (rental committed_mw, internal required_mw).
@Suite("Formulation: demand and commitments")
struct FormulationDemandTests {
  @Test func grossRevenueDemandCapsRevenueShareAndFirstParty() throws {
    // 10 MW of trn installed (opex 5), half a year.
    // claude (revenue_share 0.25, fee 2, gross 40/MW): unit 2 + 0.25 * 40 = 12, margin 7/MW.
    //   Cap 200 of gross per year: 40 x <= 200, x = 5.
    // chat (first_party, gross 20/MW): unit 20, margin 15/MW. Cap 60: 20 x <= 60, x = 3.
    // 5 + 3 = 8 <= 10, so capacity is slack and both caps bind.
    // Revenue rate 5 * 12 + 3 * 20 = 120; opex 8 * 5 = 40; EBIT rate 35 + 45 = 80; total 40.
    // Marginal values, $ of EBIT (per year) per $ of gross revenue rate:
    //   claude: 1 more $ of gross is 1/40 MW worth 7: 7/40 = 0.175.
    //   chat: 1/20 MW worth 15: 15/20 = 0.75.
    let yaml = """
      scenario: gross-demand
      periods:
        - {id: h1, years: 0.5}
      hardware:
        - {id: trn, opex_per_mw_year: 5}
      sites:
        - id: east
          power_mw: 100
          installed_mw: {trn: 10}
      offerings:
        - id: claude
          use: bedrock
          pricing: revenue_share
          revenue_share: 0.25
          iaas_fee_per_mw_year: 2
          gross_revenue_per_mw_year: {trn: 40}
          demand_gross_revenue_per_year: 200
        - id: chat
          use: first-party
          pricing: first_party
          gross_revenue_per_mw_year: {trn: 20}
          demand_gross_revenue_per_year: 60
      """
    let plan = try solvedPlan(yaml)
    #expect(plan.status == .optimal)
    expectClose(plan.mw("claude", "trn", "east", "h1"), 5, "claude MW")
    expectClose(plan.mw("chat", "trn", "east", "h1"), 3, "chat MW")
    let p = try plan.period("h1")
    expectClose(p.revenue, 120, "revenue rate")
    expectClose(p.revenueByOffering["claude"], 60)
    expectClose(p.revenueByOffering["chat"], 60, "first_party keeps all gross")
    expectClose(p.opex, 40, "opex rate")
    expectClose(p.ebit, 80, "EBIT rate")
    expectClose(plan.totals?.ebit, 40, "EBIT over half a year")

    let claude = try plan.demandMarginal("claude", "h1", kind: "demand_gross_revenue")
    #expect(claude.binding)
    expectClose(claude.value, 0.175, "claude demand value")
    let chat = try plan.demandMarginal("chat", "h1", kind: "demand_gross_revenue")
    #expect(chat.binding)
    expectClose(chat.value, 0.75, "chat demand value")

    // The lab's side exists for the revenue_share offering only.
    let lab = try plan.labSide("claude", "h1")
    expectClose(lab.grossRevenue, 200)
    expectClose(lab.platformRevenue, 60)
    expectClose(lab.grossMargin, 0.7, "(200 - 60) / 200")
    #expect(plan.lab.count == 1)
  }

  @Test func mwDemandCapsRentalAndInternal() throws {
    // 8 MW of trn (opex 5), one year.
    // gpu (rental 9): margin 4/MW, demand_mw 6. train (internal 7): margin 2/MW, demand_mw 3.
    // gpu takes its 6 first; train gets the 2 MW left, below its cap of 3.
    // Revenue 6 * 9 + 2 * 7 = 68; opex 8 * 5 = 40; EBIT 28.
    // Marginals ($M per MW-year): one more MW of gpu demand displaces 1 MW of train: 4 - 2 = 2.
    // train's cap is slack: 0, not binding.
    let yaml = """
      scenario: mw-demand
      periods:
        - {id: fy, years: 1}
      hardware:
        - {id: trn, opex_per_mw_year: 5}
      sites:
        - id: east
          power_mw: 100
          installed_mw: {trn: 8}
      offerings:
        - id: gpu
          use: iaas
          pricing: rental
          price_per_mw_year: {trn: 9}
          demand_mw: 6
        - id: train
          use: internal
          pricing: internal
          value_per_mw_year: {trn: 7}
          demand_mw: 3
      """
    let plan = try solvedPlan(yaml)
    #expect(plan.status == .optimal)
    expectClose(plan.mw("gpu", "trn", "east", "fy"), 6, "gpu MW")
    expectClose(plan.mw("train", "trn", "east", "fy"), 2, "train MW")
    let p = try plan.period("fy")
    expectClose(p.revenue, 68, "revenue")
    expectClose(p.revenueByUse["iaas"], 54)
    expectClose(p.revenueByUse["internal"], 14, "internal value counts as revenue")
    expectClose(p.ebit, 28, "EBIT")
    let gpu = try plan.demandMarginal("gpu", "fy", kind: "demand_mw")
    #expect(gpu.binding)
    expectClose(gpu.value, 2, "gpu demand value")
    let train = try plan.demandMarginal("train", "fy", kind: "demand_mw")
    #expect(!train.binding)
    expectClose(train.value, 0, "train demand value")
  }

  static let commitmentsYAML = """
    scenario: commitments
    periods:
      - {id: fy, years: 1}
    hardware:
      - {id: trn, opex_per_mw_year: 5}
    sites:
      - id: east
        power_mw: 100
        installed_mw: {trn: 10}
    offerings:
      - id: chat
        use: first-party
        pricing: first_party
        gross_revenue_per_mw_year: {trn: 10}
      - id: gpu
        use: iaas
        pricing: rental
        price_per_mw_year: {trn: 3}
        committed_mw: 4
      - id: train
        use: internal
        pricing: internal
        value_per_mw_year: {trn: 1}
        required_mw: 2
    """

  @Test func commitmentsForceLossMakingAllocations() throws {
    // Margins per MW-year: chat 10 - 5 = 5, gpu 3 - 5 = -2, train 1 - 5 = -4.
    // Unforced, chat would take all 10 MW (EBIT 50). gpu must have 4 MW (take-or-pay) and
    // train 2 MW, so chat gets the 4 MW left.
    // Revenue 4 * 10 + 4 * 3 + 2 * 1 = 54; opex 10 * 5 = 50; EBIT 20 - 8 - 8 = 4.
    let plan = try solvedPlan(Self.commitmentsYAML)
    #expect(plan.status == .optimal)
    expectClose(plan.mw("chat", "trn", "east", "fy"), 4, "chat MW")
    expectClose(plan.mw("gpu", "trn", "east", "fy"), 4, "gpu MW (committed)")
    expectClose(plan.mw("train", "trn", "east", "fy"), 2, "train MW (required)")
    let p = try plan.period("fy")
    expectClose(p.revenue, 54, "revenue")
    expectClose(p.revenueByUse["first-party"], 40)
    expectClose(p.revenueByUse["iaas"], 12)
    expectClose(p.revenueByUse["internal"], 2)
    expectClose(p.opex, 50, "opex")
    expectClose(p.ebit, 4, "EBIT")

    // Without the commitments: chat 10 MW, EBIT 10 * 5 = 50, nothing for gpu or train.
    let free = try parsedScenario(Self.commitmentsYAML)
      .setting("offerings.gpu.committed_mw", to: 0)
      .setting("offerings.train.required_mw", to: 0)
    let unforced = try solvedPlan(free)
    expectClose(unforced.mw("chat", "trn", "east", "fy"), 10, "chat MW unforced")
    expectClose(unforced.mw(offering: "gpu", period: "fy"), 0)
    expectClose(unforced.mw(offering: "train", period: "fy"), 0)
    expectClose(unforced.totals?.ebit, 50, "EBIT unforced")
  }

  @Test func commitmentBeyondCapacityIsInfeasibleAndNamed() throws {
    // 12 MW committed on 10 MW installed (no supply): the commitment and the capacity clash.
    let scenario = try parsedScenario(Self.commitmentsYAML).setting("offerings.gpu.committed_mw", to: 12)
    let plan = try solvedPlan(scenario)
    #expect(plan.status == .infeasible)
    let conflicts = try #require(plan.infeasibility?.conflicts)
    #expect(conflicts.contains("committed_mw of gpu in fy"), "conflicts: \(conflicts)")
    #expect(conflicts.contains("installed trn capacity at site east in fy"), "conflicts: \(conflicts)")
  }
}

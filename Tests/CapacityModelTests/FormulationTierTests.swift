import Foundation
import Testing

@testable import CapacityModel

/// Tiered revenue shares: bands of the gross revenue rate G fill in order. Falling shares stay
/// an LP; a rising share needs binaries over the whole chain, or the LP would fill the richer
/// later band first.
///
/// One offering, claude (revenue_share, tiered), on trn earning gross 20 per MW-year; 10 MW
/// installed (G at most 200). The period lasts half a year: G and the figures in the comments
/// are annual rates; totals and the objective are half of them.
@Suite("Formulation: revenue-share tiers")
struct FormulationTierTests {
  static func yaml(tiers: String, opex: Double, extra: String = "") -> String {
    """
    scenario: tiers
    periods:
      - {id: h1, years: 0.5}
    hardware:
      - {id: trn, opex_per_mw_year: \(opex)}
    sites:
      - id: east
        power_mw: 100
        installed_mw: {trn: 10}
    offerings:
      - id: claude
        use: bedrock
        pricing: revenue_share
        tiers: \(tiers)
        gross_revenue_per_mw_year: {trn: 20}
    \(extra)
    """
  }

  static let falling = "[{up_to: 100, share: 0.3}, {share: 0.2}]"
  static let rising = "[{up_to: 100, share: 0.1}, {share: 0.5}]"

  @Test func fallingSharesStayLinearAndPayEachBand() throws {
    // No opex: all 10 MW, G = 200. Band 1 (0, 100] pays 0.3 * 100 = 30, band 2 (100, 200]
    // pays 0.2 * 100 = 20: platform revenue 50, EBIT 50; the lab keeps 150 (75%).
    let plan = try solvedPlan(Self.yaml(tiers: Self.falling, opex: 0))
    #expect(plan.status == .optimal)
    #expect(plan.solver.integerColumns == 0)
    expectClose(plan.mw("claude", "trn", "east", "h1"), 10)
    let lab = try plan.labSide("claude", "h1")
    expectClose(lab.grossRevenue, 200, "G")
    expectClose(lab.platformRevenue, 30 + 20, "0.3 * 100 + 0.2 * 100")
    expectClose(lab.grossMargin, 0.75, "lab gross margin")
    expectClose(plan.totals?.ebit, 0.5 * 50, "EBIT")
    expectClose(plan.objective, 0.5 * 50, "objective")

    // 4 MW: G = 80 stays in band 1: 0.3 * 80 = 24.
    let small = try solvedPlan(
      parsedScenario(Self.yaml(tiers: Self.falling, opex: 0)).setting("sites.east.installed_mw.trn", to: 4))
    expectClose(try small.labSide("claude", "h1").platformRevenue, 24, "0.3 * 80")

    // A fee comes on top of the tiers: 10 MW * 1 + 50 = 60.
    let fee = try solvedPlan(
      parsedScenario(Self.yaml(tiers: Self.falling, opex: 0)).setting(
        "offerings.claude.iaas_fee_per_mw_year", to: 1))
    expectClose(fee.totals?.revenue, 0.5 * 60, "fee + tier revenue")
  }

  @Test func fallingSharesStopAtTheBandWhereAMWStopsPaying() throws {
    // opex 5: a MW in band 1 earns 0.3 * 20 - 5 = 1, in band 2 0.2 * 20 - 5 = -1. So G stops at
    // the band edge, 100: x = 5, revenue 30, opex 25, EBIT 5.
    let plan = try solvedPlan(Self.yaml(tiers: Self.falling, opex: 5))
    #expect(plan.status == .optimal)
    expectClose(plan.mw("claude", "trn", "east", "h1"), 5, "MW")
    expectClose(try plan.labSide("claude", "h1").grossRevenue, 100, "G")
    expectClose(plan.totals?.revenue, 0.5 * 30, "revenue")
    expectClose(plan.totals?.ebit, 0.5 * 5, "EBIT")
  }

  @Test func risingSharesFillInOrderWithBinaries() throws {
    // 0.1 up to 100, 0.5 above; opex 4. Platform revenue on G = 20x:
    //   x <= 5: 0.1 * 20x = 2x, EBIT 2x - 4x = -2x (a loss);
    //   x >= 5: 10 + 0.5 (20x - 100) = 10x - 40, EBIT 6x - 40.
    // Best of x = 0 (0) and x = 10 (20): all 10 MW, revenue 10 + 50 = 60, opex 40, EBIT 20.
    // An LP without the fill order would put all 200 in band 2: 0.5 * 200 - 40 = 60.
    let plan = try solvedPlan(Self.yaml(tiers: Self.rising, opex: 4), options: exactMIP())
    #expect(plan.status == .optimal)
    #expect(plan.solver.integerColumns > 0)
    expectClose(plan.mw("claude", "trn", "east", "h1"), 10, "MW")
    let lab = try plan.labSide("claude", "h1")
    expectClose(lab.grossRevenue, 200, "G")
    expectClose(lab.platformRevenue, 60, "0.1 * 100 + 0.5 * 100")
    expectClose(lab.grossMargin, 0.7, "(200 - 60) / 200")
    expectClose(plan.totals?.opex, 0.5 * 40)
    expectClose(try plan.period("h1").ebit, 20, "EBIT rate")
    expectClose(plan.totals?.ebit, 0.5 * 20, "EBIT")
    expectClose(plan.objective, 0.5 * 20, "the solver's objective, not the LP's 60")
  }

  @Test func risingSharesCanMakeServingNothingBest() throws {
    // opex 7: x >= 5 gives 10x - 40 - 7x = 3x - 40, at most -10 at x = 10; x <= 5 gives -5x.
    // So x = 0 and EBIT 0 (an LP without the fill order: (0.5 * 20 - 7) * 10 = 30).
    // With no gross, the lab's margin and the EBIT margin are null.
    let plan = try solvedPlan(Self.yaml(tiers: Self.rising, opex: 7), options: exactMIP())
    #expect(plan.status == .optimal)
    #expect(plan.allocations.isEmpty)
    expectClose(plan.totals?.ebit, 0, "EBIT")
    expectClose(plan.objective, 0, "objective")
    #expect(plan.totals?.ebitMargin == nil)
    let lab = try plan.labSide("claude", "h1")
    expectClose(lab.grossRevenue, 0)
    #expect(lab.grossMargin == nil)
  }

  @Test func risingSharesUnderAGrossDemandCap() throws {
    // opex 4, G capped at 150: x <= 7.5. Revenue 10 + 0.5 * 50 = 35, opex 30, EBIT 5 (> 0, so
    // better than nothing). The last band's big-M comes from the cap: 150 - 100 = 50.
    let plan = try solvedPlan(
      Self.yaml(tiers: Self.rising, opex: 4, extra: "    demand_gross_revenue_per_year: 150"),
      options: exactMIP())
    #expect(plan.status == .optimal)
    expectClose(plan.mw("claude", "trn", "east", "h1"), 7.5, "MW")
    expectClose(try plan.labSide("claude", "h1").platformRevenue, 35, "0.1 * 100 + 0.5 * 50")
    expectClose(plan.totals?.ebit, 0.5 * 5, "EBIT")
    expectClose(plan.objective, 0.5 * 5, "objective")
  }

  @Test func theFillOrderHoldsOverTheWholeChain() throws {
    // 0.3 up to 50, 0.1 up to 100, 0.5 above; opex 4, G = 20x up to 200.
    //   f(G) = 0.3 G (G <= 50); 15 + 0.1 (G - 50) (G <= 100); 20 + 0.5 (G - 100) above.
    //   x = 2.5: 15 - 10 = 5; x = 5: 20 - 20 = 0; x = 10: 70 - 40 = 30 (best).
    // An LP would skip the poor middle band: 0.3 * 50 + 0.5 * 150 - 40 = 50.
    // Binaries: one per band edge (2), though only the second edge has a rise.
    let tiers = "[{up_to: 50, share: 0.3}, {up_to: 100, share: 0.1}, {share: 0.5}]"
    let plan = try solvedPlan(Self.yaml(tiers: tiers, opex: 4), options: exactMIP())
    #expect(plan.status == .optimal)
    #expect(plan.solver.integerColumns == 2)
    expectClose(plan.mw("claude", "trn", "east", "h1"), 10, "MW")
    expectClose(try plan.labSide("claude", "h1").platformRevenue, 70, "15 + 5 + 50")
    expectClose(plan.totals?.ebit, 0.5 * 30, "EBIT")
    expectClose(plan.objective, 0.5 * 30, "objective")
  }
}

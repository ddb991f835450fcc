import Foundation
import Testing

@testable import CapacityModel

/// The spec's worked check: one site with 1 MW of trainium2 installed and power to spare, one
/// period of one year, opex 6.5, capex 0, a revenue_share offering with share 0.25 and fee 7.5.
/// There is no supply, so the plan can only allocate the 1 MW installed; it always does, since
/// every MW earns 7.5 + 0.25 R >= 10 against 6.5 of opex.
let seedDealYAML = """
  scenario: seed-bedrock-deal
  periods:
    - {id: fy2026, years: 1}
  hardware:
    - {id: trainium2, opex_per_mw_year: 6.5, capex_per_mw: 0}
  sites:
    - id: indiana
      power_mw: 10
      installed_mw: {trainium2: 1}
  offerings:
    - id: claude
      use: bedrock
      pricing: revenue_share
      revenue_share: 0.25
      iaas_fee_per_mw_year: 7.5
      gross_revenue_per_mw_year: {trainium2: 26}
  """

/// One column of the reference tables in shared/reference/seed-figures.md, as printed (whole $M
/// and whole percent).
struct SeedColumn: Sendable, CustomTestStringConvertible {
  var grossPerMW: Double
  var netRevenuePerMW, ebitPerMW, ebitMarginPercent: Double
  var labGrossMarginPerMW, labGrossMarginPercent: Double
  var testDescription: String { "R = \(Int(grossPerMW))" }
}

/// Exact values behind each column, worked by hand (net = 7.5 + 0.25 R, EBIT = net - 6.5,
/// lab = R - net), and the table's rounding (half away from zero):
///
/// | R  | net         | EBIT        | EBIT/net          | lab = R - net | lab / R          |
/// |----|-------------|-------------|-------------------|---------------|------------------|
/// | 10 | 10    -> 10 | 3.5  -> 4   | 0.35     -> 35%   | 0     -> 0    | 0       -> 0%    |
/// | 15 | 11.25 -> 11 | 4.75 -> 5   | 0.4222.. -> 42%   | 3.75  -> 4    | 0.25    -> 25%   |
/// | 20 | 12.5  -> 13 | 6    -> 6   | 0.48     -> 48%   | 7.5   -> 8    | 0.375   -> 38%   |
/// | 25 | 13.75 -> 14 | 7.25 -> 7   | 0.5272.. -> 53%   | 11.25 -> 11   | 0.45    -> 45%   |
/// | 30 | 15    -> 15 | 8.5  -> 9   | 0.5666.. -> 57%   | 15    -> 15   | 0.5     -> 50%   |
/// | 35 | 16.25 -> 16 | 9.75 -> 10  | 0.6      -> 60%   | 18.75 -> 19   | 0.5357.. -> 54%  |
/// | 40 | 17.5  -> 18 | 11   -> 11  | 0.6285.. -> 63%   | 22.5  -> 23   | 0.5625  -> 56%   |
let seedColumns: [SeedColumn] = {
  // The tables' rows, as printed in shared/reference/seed-figures.md.
  let gross: [Double] = [10, 15, 20, 25, 30, 35, 40]
  let netRevenuePerMW: [Double] = [10, 11, 13, 14, 15, 16, 18]
  let ebitPerMW: [Double] = [4, 5, 6, 7, 9, 10, 11]
  let ebitMargin: [Double] = [35, 42, 48, 53, 57, 60, 63]
  let labGrossMarginPerMW: [Double] = [0, 4, 8, 11, 15, 19, 23]
  let labGrossMargin: [Double] = [0, 25, 38, 45, 50, 54, 56]
  return gross.indices.map {
    SeedColumn(
      grossPerMW: gross[$0], netRevenuePerMW: netRevenuePerMW[$0], ebitPerMW: ebitPerMW[$0],
      ebitMarginPercent: ebitMargin[$0], labGrossMarginPerMW: labGrossMarginPerMW[$0],
      labGrossMarginPercent: labGrossMargin[$0])
  }
}()

@Suite("Seed figures: the spec's worked check, cell by cell")
struct SeedFiguresTests {
  @Test(arguments: seedColumns)
  func bedrockDealColumn(_ column: SeedColumn) throws {
    let R = column.grossPerMW
    let scenario = try parsedScenario(seedDealYAML)
      .setting("offerings.claude.gross_revenue_per_mw_year.trainium2", to: R)
    let plan = try solvedPlan(scenario)
    #expect(plan.status == .optimal)

    // The whole 1 MW serves claude for the one year.
    expectClose(plan.mw("claude", "trainium2", "indiana", "fy2026"), 1, "MW")
    expectClose(plan.value(of: .allocatedMW), 1, "MW-years")

    // Exact figures: platform revenue 7.5 + 0.25 R, EBIT = revenue - 6.5.
    let net = 7.5 + 0.25 * R
    let ebit = net - 6.5
    let totals = try #require(plan.totals)
    expectClose(totals.revenue, net, "revenue")
    expectClose(totals.opex, 6.5, "opex")
    expectClose(totals.depreciation, 0, "depreciation")
    expectClose(totals.ebit, ebit, "EBIT")
    expectClose(totals.ebitMargin, ebit / net, "EBIT margin")
    expectClose(plan.objective, ebit, "objective")
    expectClose(totals.revenueByUse["bedrock"], net, "bedrock revenue")

    let lab = try plan.labSide("claude", "fy2026")
    expectClose(lab.grossRevenue, R, "lab gross")
    expectClose(lab.platformRevenue, net, "lab pays platform")
    expectClose(lab.grossMargin, (R - net) / R, "lab gross margin")

    // The reference tables' cells, rounded as printed.
    let revenuePerMW = try #require(plan.value(of: .revenuePerMW))
    let ebitPerMW = try #require(plan.value(of: .ebitPerMW))
    let margin = try #require(plan.value(of: .ebitMargin))
    let labPerMW = try #require(plan.value(of: .labGrossMarginPerMW))
    let labMargin = try #require(plan.value(of: .labGrossMargin))
    #expect(tableRounded(revenuePerMW) == column.netRevenuePerMW, "net revenue per MW \(revenuePerMW)")
    #expect(tableRounded(ebitPerMW) == column.ebitPerMW, "EBIT per MW \(ebitPerMW)")
    #expect(tableRounded(margin * 100) == column.ebitMarginPercent, "EBIT margin \(margin)")
    #expect(tableRounded(labPerMW) == column.labGrossMarginPerMW, "lab gross margin per MW \(labPerMW)")
    #expect(tableRounded(labMargin * 100) == column.labGrossMarginPercent, "lab gross margin \(labMargin)")

    // The same cells follow from the exact formulas, so the table and the model agree.
    #expect(tableRounded(net) == column.netRevenuePerMW)
    #expect(tableRounded(ebit) == column.ebitPerMW)
    #expect(tableRounded(100 * ebit / net) == column.ebitMarginPercent)
    #expect(tableRounded(R - net) == column.labGrossMarginPerMW)
    #expect(tableRounded(100 * (R - net) / R) == column.labGrossMarginPercent)
  }

  /// The tables' rounding: half away from zero, so 12.5 -> 13, 17.5 -> 18, 37.5% -> 38%
  /// (banker's rounding would print 12, 18 and 38; plain truncation 12, 17, 37).
  @Test func roundingIsHalfAwayFromZero() {
    #expect(tableRounded(12.5) == 13)
    #expect(tableRounded(17.5) == 18)
    #expect(tableRounded(37.5) == 38)
    #expect(tableRounded(3.5) == 4)
    #expect(tableRounded(-3.5) == -4)
  }
}

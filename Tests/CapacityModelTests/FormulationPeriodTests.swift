import Foundation
import Testing

@testable import CapacityModel

/// Multi-period weighting: per-period figures are annual rates, totals are sum years * rate,
/// and a margin on zero revenue is null.
@Suite("Formulation: periods and weighting")
struct FormulationPeriodTests {
  /// Four quarters; 4 MW installed, capex 5 (default life 5: depreciation 1 per MW-year), opex 1,
  /// price 3; demand 0 in q1, 2 in q2, 4 from q3 on (held into q4).
  static let quartersYAML = """
    scenario: quarters
    periods:
      - {id: q1, years: 0.25}
      - {id: q2, years: 0.25}
      - {id: q3, years: 0.25}
      - {id: q4, years: 0.25}
    hardware:
      - {id: trn, opex_per_mw_year: 1, capex_per_mw: 5}
    sites:
      - id: east
        power_mw: 100
        installed_mw: {trn: 4}
    offerings:
      - id: lease
        use: iaas
        pricing: rental
        price_per_mw_year: {trn: 3}
        demand_mw: {q1: 0, q2: 2, q3: 4}
    """

  @Test func totalsWeightAnnualRatesByYears() throws {
    //        MW  revenue  opex  depreciation  EBIT  margin
    //   q1    0        0     0             4    -4  null (no revenue)
    //   q2    2        6     2             4     0  0
    //   q3    4       12     4             4     4  1/3
    //   q4    4       12     4             4     4  1/3
    // Totals, 0.25 * each: revenue 7.5, opex 2.5, depreciation 4, EBIT 1, margin 1 / 7.5.
    // MW-years 0.25 * (0 + 2 + 4 + 4) = 2.5: revenue per MW 3, EBIT per MW 0.4.
    let plan = try solvedPlan(Self.quartersYAML)
    #expect(plan.status == .optimal)
    let rows: [(String, Double, Double, Double, Double, Double?)] = [
      ("q1", 0, 0, 0, -4, nil), ("q2", 2, 6, 2, 0, 0), ("q3", 4, 12, 4, 4, 1.0 / 3),
      ("q4", 4, 12, 4, 4, 1.0 / 3),
    ]
    for (id, mw, revenue, opex, ebit, margin) in rows {
      let p = try plan.period(id)
      #expect(p.years == 0.25)
      expectClose(plan.mw(offering: "lease", period: id), mw, "\(id) MW")
      expectClose(p.revenue, revenue, "\(id) revenue rate")
      expectClose(p.opex, opex, "\(id) opex rate")
      expectClose(p.depreciation, 4, "\(id) depreciation rate")
      expectClose(p.ebit, ebit, "\(id) EBIT rate")
      if let margin {
        expectClose(p.ebitMargin, margin, "\(id) margin")
      } else {
        #expect(p.ebitMargin == nil, "\(id) margin on zero revenue")
      }
    }
    let totals = try #require(plan.totals)
    expectClose(totals.revenue, 7.5, "revenue")
    expectClose(totals.opex, 2.5, "opex")
    expectClose(totals.depreciation, 4, "depreciation")
    expectClose(totals.fixed, 0, "fixed")
    expectClose(totals.ebit, 1, "EBIT")
    expectClose(totals.ebitMargin, 1 / 7.5, "margin")
    expectClose(totals.revenueByUse["iaas"], 7.5)
    expectClose(totals.revenueByOffering["lease"], 7.5)
    expectClose(plan.objective, 1, "objective = EBIT")
    expectClose(plan.value(of: .allocatedMW), 2.5, "MW-years")
    expectClose(plan.value(of: .revenuePerMW), 3, "revenue per MW-year")
    expectClose(plan.value(of: .ebitPerMW), 0.4, "EBIT per MW-year")

    // The null margin is written as null in the plan's JSON.
    let json = try JSONSerialization.jsonObject(with: plan.jsonData()) as? [String: Any]
    let periods = try #require(json?["periods"] as? [[String: Any]])
    #expect(periods[0]["ebit_margin"] is NSNull)
    #expect(periods[1]["ebit_margin"] as? Double == 0)
  }

  @Test func aHorizonWithoutRevenueHasNullMargins() throws {
    // No demand at all: nothing allocated; the 4 MW still depreciate: EBIT -4 a year, -4 over
    // the year. Revenue 0, so every margin is null, and per-MW figures have no MW to divide by.
    let plan = try solvedPlan(parsedScenario(Self.quartersYAML).setting("offerings.lease.demand_mw", to: 0))
    #expect(plan.status == .optimal)
    #expect(plan.allocations.isEmpty)
    let totals = try #require(plan.totals)
    expectClose(totals.revenue, 0)
    expectClose(totals.ebit, -4, "EBIT")
    #expect(totals.ebitMargin == nil)
    #expect(plan.periods.allSatisfy { $0.ebitMargin == nil })
    #expect(plan.value(of: .ebitMargin) == nil)
    #expect(plan.value(of: .ebitPerMW) == nil)
  }
}

import Foundation
import Testing

@testable import CapacityModel

/// The plan's cash flows, NPV and payback worked by hand, `finance.discount_rate` validation,
/// and a scenario where `--objective npv` installs later than `--objective ebit`.
@Suite("Cash flows, NPV and the NPV objective")
struct CashFlowTests {
  /// 10 MW can be installed in y1 only (capex 10 per MW, life 5, opex 1); rental at 7 per
  /// MW-year, at most 10 MW. Three periods of a year each, discounted at 10% a year.
  static let cashYAML = """
    scenario: cash
    periods:
      - {id: y1, years: 1}
      - {id: y2, years: 1}
      - {id: y3, years: 1}
    hardware:
      - {id: trn, opex_per_mw_year: 1, capex_per_mw: 10, life_years: 5, supply_mw: {y1: 10, y2: 0}}
    sites:
      - {id: east, power_mw: 100}
    offerings:
      - id: lease
        use: iaas
        pricing: rental
        price_per_mw_year: {trn: 7}
        demand_mw: 10
    finance: {discount_rate: 0.10}
    """

  @Test func cashFlowsNPVAndPaybackByHand() throws {
    // EBIT installs all 10 MW in y1 (7 - 1 - 10/5 = 4 per MW-year > 0): EBIT 40 a year, 120 in all.
    // Cash ($M in the period):
    //        revenue  opex  capex   net   cumulative
    //   y1        70    10    100   -40          -40
    //   y2        70    10      0    60           20   <- payback: -40 + 60 * t = 0 at t = 2/3
    //   y3        70    10      0    60           80
    // Residual value: 100 x (1 - 3 years / 5) = 40 at the end of y3 (net 80 + residual 40 = EBIT 120).
    // Discount factors at 10%: capex at y1's start 1; flows at the middles 1.1^-0.5 = 0.953463,
    // 1.1^-1.5 = 0.866784, 1.1^-2.5 = 0.787986; the residual at year 3: 1.1^-3 = 0.751315.
    //   PV y1 = 60 x 0.953463 - 100 = -42.792245
    //   PV y2 = 60 x 0.866784       =  52.007050
    //   PV y3 = 60 x 0.787986       =  47.279137
    //   PV residual = 40 x 0.751315 =  30.052592
    //   NPV = 86.546534, $86.55M to the cent.
    let plan = try solvedPlan(Self.cashYAML)
    #expect(plan.status == .optimal)
    #expect(plan.solvedFor == .ebit)
    expectClose(plan.totals?.ebit, 120, "EBIT")
    expectClose(plan.newMW("east", "trn", "y1"), 10, "new MW in y1")
    let cash = try #require(plan.cashFlows)
    #expect(cash.periods.map(\.id) == ["y1", "y2", "y3"])
    for (row, expected) in zip(
      cash.periods,
      [
        (70.0, 10.0, 100.0, -40.0, -40.0, -42.792245), (70, 10, 0, 60, 20, 52.007050),
        (70, 10, 0, 60, 80, 47.279137),
      ])
    {
      expectClose(row.revenue, expected.0, "\(row.id) revenue")
      expectClose(row.opex, expected.1, "\(row.id) opex")
      expectClose(row.capex, expected.2, "\(row.id) capex")
      expectClose(row.net, expected.3, "\(row.id) net")
      expectClose(row.cumulative, expected.4, "\(row.id) cumulative")
      expectClose(row.presentValue, expected.5, "\(row.id) present value")
    }
    expectClose(cash.periods[0].capexByHardware["trn"], 100, "y1 capex of trn")
    expectClose(cash.total.capex, 100, "total capex")
    expectClose(cash.total.net, 80, "total net")
    expectClose(cash.residualValue, 40, "residual value")
    expectClose(cash.residualPresentValue, 30.052592, "residual PV")
    expectClose(cash.npv, 86.546534, "NPV")
    #expect((cash.npv.map { ($0 * 100).rounded() / 100 }) == 86.55)
    #expect(cash.paybackPeriod == "y2")
    expectClose(cash.paybackYears, 1 + 2.0 / 3, "payback years")
    #expect(cash.discountRate == 0.10)
  }

  @Test func withoutARateThereIsNoNPVAndNoPaybackWhenNeverPaidBack() throws {
    // Price 2: each MW earns 2 - 1 = 1 a year on capex 10: the 30 of operating cash never repays
    // the 100 of capex (EBIT solves install nothing then: 2 - 1 - 2 < 0), so force the MW in
    // with a take-or-pay commitment.
    var scenario = try parsedScenario(Self.cashYAML)
    scenario.finance = nil
    scenario.offerings[0].pricePerMWYear = IDMap(["trn": 2])
    scenario.offerings[0].committedMW = .constant(10)
    let plan = try solvedPlan(scenario)
    let cash = try #require(plan.cashFlows)
    #expect(cash.npv == nil && cash.discountRate == nil && cash.periods[0].presentValue == nil)
    // Net: 20 - 10 - 100 = -90, then +10, +10: cumulative -90, -80, -70.
    #expect(near(cash.periods.map(\.cumulative), [-90, -80, -70]))
    #expect(cash.paybackPeriod == nil && cash.paybackYears == nil)
    expectClose(cash.residualValue, 40, "residual value")
  }

  /// 1 MW must serve from y2 on (take-or-pay); supply allows it in y1 or y2. capex 100, life 5
  /// (depreciation 20 a year), price 27, opex 2: the MW earns 25 a year in cash. 20% a year.
  static let timingYAML = """
    scenario: timing
    periods:
      - {id: y1, years: 1}
      - {id: y2, years: 1}
      - {id: y3, years: 1}
    hardware:
      - {id: gpu, opex_per_mw_year: 2, capex_per_mw: 100, life_years: 5, supply_mw: {y1: 1, y2: 1, y3: 0}}
    sites:
      - {id: east, power_mw: 10}
    offerings:
      - id: rent
        use: iaas
        pricing: rental
        price_per_mw_year: {gpu: 27}
        demand_mw: 1
        committed_mw: {y1: 0, y2: 1}
    finance: {discount_rate: 0.2}
    """

  @Test func npvInstallsLaterThanEBIT() throws {
    // EBIT: a MW-year earns 27 - 2 - 20 = 5 of EBIT, so installing in y1 adds a year of it:
    //   install in y1: EBIT 3 x 5 = 15;  install in y2: 2 x 5 = 10.  EBIT picks y1.
    // NPV at 20% (factors 1.2^-y: 0.5 -> 0.912871, 1 -> 0.833333, 1.5 -> 0.760726,
    // 2.5 -> 0.633938, 3 -> 0.578704), residual 100 x (1 - years in service / 5) at year 3:
    //   y1: -100 + 25 x (0.912871 + 0.760726 + 0.633938) + 40 x 0.578704 = -19.163481
    //   y2: -100 x 0.833333 + 25 x (0.760726 + 0.633938) + 60 x 0.578704 = -13.744513
    // NPV picks y2: paying the 100 a year later is worth 16.67, and a year's less depreciation
    // leaves 20 more residual (11.57 today), against 25 x 0.912871 = 22.82 of y1 cash.
    let ebitPlan = try solvedPlan(Self.timingYAML)
    var options = PlanOptions()
    options.settings.objective = .npv
    let npvPlan = try solvedPlan(Self.timingYAML, options: options)
    #expect(ebitPlan.installs.map(\.period) == ["y1"])
    #expect(npvPlan.installs.map(\.period) == ["y2"])
    #expect(ebitPlan.solvedFor == .ebit && npvPlan.solvedFor == .npv)
    expectClose(ebitPlan.totals?.ebit, 15, "EBIT plan's EBIT")
    expectClose(npvPlan.totals?.ebit, 10, "NPV plan's EBIT")
    expectClose(ebitPlan.cashFlows?.npv, -19.163481, "EBIT plan's NPV")
    expectClose(npvPlan.cashFlows?.npv, -13.744513, "NPV plan's NPV")
    expectClose(npvPlan.objective, -13.744513, "NPV plan's objective")
    expectClose(ebitPlan.objective, 15, "EBIT plan's objective")
    #expect(near(ebitPlan.cashFlows?.periods.map(\.capex), [100, 0, 0]))
    #expect(near(npvPlan.cashFlows?.periods.map(\.capex), [0, 100, 0]))
    // Cumulative cash: EBIT plan -75, -50, -25; NPV plan 0, -75, -50: neither pays back.
    #expect(near(ebitPlan.cashFlows?.periods.map(\.cumulative), [-75, -50, -25]))
    #expect(near(npvPlan.cashFlows?.periods.map(\.cumulative), [0, -75, -50]))
    #expect(npvPlan.cashFlows?.paybackPeriod == nil)
  }

  @Test func stabilityUnderNPVIsPricedInNPV() throws {
    // The previous plan is the EBIT plan (1 MW in y1, y2, y3). Moving the install to y2 leaves
    // y1's MW unallocated: 1 MW moved at 10, paid at y1's start (factor 1). NPV y2 - 10 =
    // -23.744513 < -19.163481: the NPV solve keeps the y1 install. Free of the move cost it
    // would pick y2: 5.419 of NPV given up (-13.744513 - -19.163481 = 5.418968) to keep 1 MW.
    let previous = try solvedPlan(Self.timingYAML)
    var scenario = try parsedScenario(Self.timingYAML)
    scenario.stability = Scenario.Stability(moveCost: 10)
    var options = PlanOptions()
    options.settings.objective = .npv
    options.stayClose(to: previous)
    let plan = try solvedPlan(scenario, options: options)
    #expect(plan.installs.map(\.period) == ["y1"])
    let price = try #require(plan.stability?.price)
    expectClose(price.ebitWithoutMoveCost, -13.744513, "NPV without the move cost", tolerance: 1e-5)
    expectClose(price.ebitGivenUp, 5.418968, "NPV given up", tolerance: 1e-5)
    expectClose(price.mwKept, 1, "MW kept")
    #expect(price.text.contains("of NPV given up to avoid moving 1 MW"), "\(price.text)")
  }

  @Test func npvNeedsADiscountRate() throws {
    var scenario = try parsedScenario(Self.timingYAML)
    scenario.finance = nil
    var options = PlanOptions()
    options.settings.objective = .npv
    let valid = try ScenarioValidator.validate(scenario)
    #expect(throws: PlanningError.self) { try Planner.plan(valid, options: options) }
    do {
      _ = try Planner.plan(valid, options: options)
    } catch {
      #expect(error.message.contains("no finance.discount_rate"), "\(error.message)")
    }
  }

  @Test(arguments: [
    ("-0.05", "cannot be negative"), ("1", "below 1"), ("1.5", "below 1"), (".nan", "finite"),
  ])
  func discountRateIsValidatedWithPathAndLine(value: String, message: String) {
    let yaml = scenarioYAML() + "finance:\n  discount_rate: \(value)\n"
    expectOnly(
      issues(yaml), path: "finance.discount_rate", line: line(of: "discount_rate", in: yaml),
      message: message)
  }

  @Test func financeRejectsUnknownFieldsAndAcceptsZero() {
    let typo = scenarioYAML() + "finance:\n  discount: 0.08\n"
    #expect(issues(typo).count == 1)
    #expect(issues(typo).first?.path.hasPrefix("finance") == true)
    #expect(issues(typo).first?.line == line(of: "discount:", in: typo))
    #expect(issues(scenarioYAML() + "finance: {discount_rate: 0}\n") == [])
  }

  @Test func aSweepCanSetTheDiscountRate() throws {
    var scenario = try parsedScenario(Self.cashYAML)
    scenario.finance = nil
    let edited = try scenario.setting("finance.discount_rate", to: 0.1)
    #expect(edited.finance?.discountRate == 0.1)
    let plan = try solvedPlan(edited)
    expectClose(plan.cashFlows?.npv, 86.546534, "NPV")
  }

  @Test func sweepMetricsReadTheCashFlows() throws {
    // At a rate of 0 the NPV is EBIT (no installed_mw): net -25 + residual 40 = 15.
    var scenario = try parsedScenario(Self.timingYAML)
    for (rate, npv) in [(0.0, 15.0), (0.2, -19.163481)] {
      scenario = try scenario.setting("finance.discount_rate", to: rate)
      let plan = try solvedPlan(scenario)
      expectClose(plan.value(of: .npv), npv, "NPV at \(rate)")
      expectClose(plan.value(of: .capex), 100, "capex")
      #expect(plan.value(of: .paybackYears) == nil)
    }
  }

  @Test func aPlanStoredBeforeCashFlowsStillDecodes() throws {
    // A plan as stored before cash_flows and solved_for existed: both are absent.
    var json =
      try JSONSerialization.jsonObject(with: try solvedPlan(Self.cashYAML).jsonData()) as? [String: Any]
    #expect(json?["cash_flows"] != nil && json?["solved_for"] as? String == "ebit")
    json?["cash_flows"] = nil
    json?["solved_for"] = nil
    let old = try JSONSerialization.data(withJSONObject: json ?? [:])
    let plan = try Plan.decoder().decode(Plan.self, from: old)
    #expect(plan.cashFlows == nil && plan.solvedFor == nil)
    expectClose(plan.totals?.ebit, 120, "EBIT")
  }

  @Test func objectiveIsStoredOnlyWhenNotTheDefault() throws {
    let plain = String(decoding: try JSONEncoder().encode(SolveSettings()), as: UTF8.self)
    #expect(!plain.contains("objective"))
    let npv = SolveSettings(objective: .npv)
    let text = String(decoding: try JSONEncoder().encode(npv), as: UTF8.self)
    #expect(text.contains("\"objective\":\"npv\""))
    #expect(try JSONDecoder().decode(SolveSettings.self, from: Data(text.utf8)) == npv)
    #expect(try JSONDecoder().decode(SolveSettings.self, from: Data("{}".utf8)).objective == .ebit)
  }
}

/// Each value within 1e-6 of the hand-worked one.
private func near(_ actual: [Double]?, _ expected: [Double]) -> Bool {
  guard let actual, actual.count == expected.count else { return false }
  return zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-6 }
}

@Suite("Payback period")
struct PaybackTests {
  static func rows(_ flows: [(capex: Double, operating: Double)]) -> [Plan.CashFlowPeriod] {
    var cumulative = 0.0
    return flows.enumerated().map { i, f in
      cumulative += f.operating - f.capex
      return Plan.CashFlowPeriod(
        id: "p\(i + 1)", years: 0.5, revenue: f.operating, labPayout: 0, opex: 0, fixed: 0, capex: f.capex,
        capexByHardware: [:], net: f.operating - f.capex, cumulative: cumulative)
    }
  }

  @Test func paybackIsWhenCumulativeCashTurnsNonNegativeForGood() {
    // Net -40, +20, +40: cumulative -40, -20, 20. Paid back in p3 (periods of half a year),
    // 20 of its 40 in: 0.5 + 0.5 + 0.5 x (20 / 40) = 1.25 years.
    let (period, years) = Plan.CashFlows.payback(Self.rows([(60, 20), (0, 20), (0, 40)]))
    #expect(period == "p3")
    #expect(years == 1.25)
  }

  @Test func aSecondInstallWaveMovesPaybackAfterIt() {
    // Cumulative 10, -20 (a second install), 5: paid back for good in p3 (before: -20, +25).
    let (period, years) = Plan.CashFlows.payback(Self.rows([(0, 10), (40, 10), (0, 25)]))
    #expect(period == "p3")
    #expect(years == 1.4)
  }

  @Test func nothingSpentBeforeAnInstallIsNotPayback() {
    let (period, years) = Plan.CashFlows.payback(Self.rows([(0, 0), (100, 25), (0, 25)]))
    #expect(period == nil)
    #expect(years == nil)
  }

  @Test func aPlanThatNeverSpendsPaysBackAtOnce() {
    let (period, years) = Plan.CashFlows.payback(Self.rows([(0, 10), (0, 10)]))
    #expect(period == "p1" && years == 0)
  }
}

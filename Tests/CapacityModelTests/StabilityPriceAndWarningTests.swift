import Foundation
import Testing

@testable import CapacityModel

@Suite("Price of stability and plausibility warnings, worked by hand")
struct StabilityPriceAndWarningTests {
  /// FormulationStabilityTests' scenario: a move cost of 0.08 keeps chat's 10 MW at east (EBIT
  /// 25); without it all 10 MW go to west (EBIT 26), moving 10 MW down at east and 10 up at west.
  /// So stability costs $1.0M of EBIT and keeps 20 MW of moves from happening.
  @Test func theSecondSolveWithoutTheMoveCostPricesStability() throws {
    var options = PlanOptions()
    options.previous = try FormulationStabilityTests.previousPlan().previousAllocations
    let plan = try solvedPlan(
      FormulationStabilityTests.yaml(periods: ["p1"], moveCost: 0.08), options: options)
    expectClose(plan.totals?.ebit, 25, "stable EBIT")
    let price = try #require(plan.stability?.price)
    expectClose(price.ebitWithoutMoveCost, 26, "EBIT without the move cost")
    expectClose(price.ebitGivenUp, 1, "EBIT given up")
    expectClose(price.mwMovedWithoutMoveCost, 20, "MW the free plan moves")
    expectClose(price.mwKept, 20, "MW kept in place")
    #expect(price.text == "$1.0M of EBIT given up to avoid moving 20 MW")
  }

  /// A low move cost (0.02 < break-even 0.05) moves everything anyway: nothing given up.
  @Test func aLowMoveCostGivesUpNothing() throws {
    var options = PlanOptions()
    options.previous = try FormulationStabilityTests.previousPlan().previousAllocations
    let plan = try solvedPlan(
      FormulationStabilityTests.yaml(periods: ["p1"], moveCost: 0.02), options: options)
    let price = try #require(plan.stability?.price)
    expectClose(price.ebitGivenUp, 0, "EBIT given up")
    expectClose(price.mwKept, 0, "MW kept")
    expectClose(plan.stability?.mwMoved, 20, "moved")
  }

  func warnings(_ yaml: String) throws -> [ScenarioIssue] {
    let document = try ScenarioLoader.parse(yaml: yaml, file: "test.yaml")
    return ScenarioWarnings.check(
      try ScenarioValidator.validate(document), file: "test.yaml", sourceMap: document.sourceMap)
  }

  static let twoQuarters = """
    periods:
      - {id: 2026Q3, years: 0.25}
      - {id: 2026Q4, years: 0.25}
    """

  @Test func aCommitmentAboveItsOwnDemandCapNamesBothFields() throws {
    let yaml = scenarioYAML(
      periods: Self.twoQuarters,
      offerings: """
        offerings:
          - id: gpu-rental
            use: iaas
            pricing: rental
            price_per_mw_year: {gb200: 14}
            demand_mw: {2026Q3: 300, 2026Q4: 200}
            committed_mw: {2026Q3: 100, 2026Q4: 250}
        """)
    let found = try warnings(yaml)
    #expect(found.count == 1, "\(found)")
    let w = try #require(found.first)
    #expect(w.path == "offerings[0].committed_mw.2026Q4")
    #expect(w.line == line(of: "committed_mw:", in: yaml))
    #expect(w.message.contains("offerings[0].demand_mw.2026Q4"), "\(w.message)")
    #expect(w.message.contains("250 MW") && w.message.contains("200 MW"), "\(w.message)")
  }

  /// Indiana has 100 facility MW and a 20 MW expansion at PUE 1.2: at most 100 IT MW, below 150.
  @Test func aRequirementAboveAllThePowerOfItsSites() throws {
    let yaml = scenarioYAML(
      periods: Self.twoQuarters,
      sites: """
        sites:
          - id: indiana
            pue: 1.2
            power_mw: 100
            expansions: [{id: p2, power_mw: 20}]
        """,
      offerings: """
        offerings:
          - {id: train, use: internal, pricing: internal, value_per_mw_year: {trainium2: 0}, required_mw: {2026Q4: 150}}
        """)
    let found = try warnings(yaml)
    #expect(found.count == 1, "\(found)")
    let w = try #require(found.first)
    #expect(w.path == "offerings[0].required_mw.2026Q4")
    #expect(w.message.contains("sites[0].power_mw") && w.message.contains("100 IT MW"), "\(w.message)")
  }

  @Test func moneyInDollarsAndPeriodsOfTheWrongLengthAreWarned() throws {
    let yaml = scenarioYAML(
      periods: """
        periods:
          - {id: 2026Q3, years: 0.25}
          - {id: 2026Q4, years: 1}
        """,
      hardware: """
        hardware:
          - {id: trainium2, opex_per_mw_year: 6500000}
          - {id: gb200, capex_per_mw: 0.03}
        """)
    let found = try warnings(yaml)
    #expect(
      found.map(\.path) == ["hardware[0].opex_per_mw_year", "hardware[1].capex_per_mw", "periods[1].years"],
      "\(found)")
    #expect(found[0].message.contains("more than 100x above"))
    #expect(found[1].message.contains("less than 1/100"))
    #expect(found[2].message.contains("reads as 0.25 years"))
  }

  @Test func periodIDsReadAsTheirLength() {
    #expect(ScenarioWarnings.expectedYears("2026Q3") == 0.25)
    #expect(ScenarioWarnings.expectedYears("fy2026") == 1)
    #expect(ScenarioWarnings.expectedYears("2026H2") == 0.5)
    #expect(ScenarioWarnings.expectedYears("2026-03") == 1.0 / 12)
    #expect(ScenarioWarnings.expectedYears("P1") == nil)
  }

  /// The seed has none; the tests' base scenario has one real slip: 2027Q1 lasts half a year.
  @Test func theSeedHasNoWarningsAndTheBaseScenarioOne() throws {
    #expect(try warnings(seedDealYAML).isEmpty)
    #expect(try warnings(scenarioYAML()).map(\.path) == ["periods[2].years"])
  }

  /// Rental at 1 per MW-year on hardware with opex 3: forced by a commitment of 10 MW, revenue
  /// 10 against opex 30, margin -200%.
  @Test func aMarginBelowMinus100PercentIsWarned() throws {
    let plan = try solvedPlan(
      """
      scenario: loss
      periods: [{id: P1, years: 1}]
      hardware: [{id: a, opex_per_mw_year: 3}]
      sites: [{id: s, power_mw: 100, installed_mw: {a: 10}}]
      offerings: [{id: rent, use: iaas, pricing: rental, price_per_mw_year: {a: 1}, committed_mw: 10}]
      """)
    expectClose(plan.totals?.ebitMargin, -2, "margin")
    #expect(plan.warnings?.count == 1)
    #expect(plan.warnings?.first?.contains("-200%") == true)
  }
}

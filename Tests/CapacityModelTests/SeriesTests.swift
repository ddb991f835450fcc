import Foundation
import Testing

@testable import CapacityModel

@Suite("Period series")
struct SeriesTests {
  let periods = ["2026Q3", "2026Q4", "2027Q1", "2027Q2"]

  @Test func aNumberIsTheSameInEveryPeriod() {
    #expect(Series.constant(3.5).values(over: periods) == [3.5, 3.5, 3.5, 3.5])
  }

  @Test func aMapValueHoldsUntilTheNextListedPeriod() {
    let series: Series = ["2026Q4": 5, "2027Q2": 2]
    // Before the first listed period: 0. Then held until changed.
    #expect(series.values(over: periods) == [0, 5, 5, 2])
  }

  @Test func theMapsKeyOrderDoesNotMatterOnlyThePeriodOrder() {
    let series: Series = ["2027Q2": 2, "2026Q4": 5]
    #expect(series.values(over: periods) == [0, 5, 5, 2])
  }

  @Test func anEntryForTheFirstPeriodCoversTheHorizon() {
    let series: Series = ["2026Q3": 100]
    #expect(series.values(over: periods) == [100, 100, 100, 100])
  }

  @Test func anEmptyMapIsZeroEverywhere() {
    #expect(Series.byPeriod(IDMap()).values(over: periods) == [0, 0, 0, 0])
  }

  @Test func theRuleIsLiteralForCapsAndAbsentMeansNoCap() throws {
    let scenario = try valid(
      scenarioYAML(
        offerings: """
          offerings:
            - id: rent
              use: iaas
              pricing: rental
              price_per_mw_year: {gb200: 14}
              demand_mw: {2027Q1: 50}
            - id: rent-uncapped
              use: iaas
              pricing: rental
              price_per_mw_year: {gb200: 14}
          """))
    #expect(scenario.offerings[0].demandMW == [0, 0, 50])
    #expect(scenario.offerings[1].demandMW == nil)
  }

  @Test func encodesBackToTheSameShapeThroughJSON() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let constant = Series.constant(7.5)
    let map: Series = ["2027Q1": 2, "2026Q3": 1]
    #expect(String(decoding: try encoder.encode(constant), as: UTF8.self) == "7.5")
    #expect(String(decoding: try encoder.encode(map), as: UTF8.self) == #"{"2026Q3":1,"2027Q1":2}"#)
    #expect(try JSONDecoder().decode(Series.self, from: encoder.encode(constant)) == constant)
    #expect(try JSONDecoder().decode(Series.self, from: encoder.encode(map)) == map)
  }

  @Test func aWholeScenarioRoundTripsThroughJSON() throws {
    let scenario = try ScenarioLoader.parse(yaml: completedSpecExample, file: "aws.yaml").scenario
    let data = try JSONEncoder().encode(scenario)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains(#""gross_revenue_per_mw_year":{"#))
    #expect(text.contains(#""committed_mw":{"2026Q3":500}"#))
    #expect(text.contains(#""demand_mw":2000"#))
    #expect(!text.contains("tiers"), "absent fields stay absent")
    #expect(try JSONDecoder().decode(Scenario.self, from: data) == scenario)
  }

  @Test func mapsCompareWithoutOrderButKeepIt() throws {
    let written = IDMap<Double>(["trainium2": 26, "gb200": 30])
    let reversed = IDMap<Double>(["gb200": 30, "trainium2": 26])
    #expect(written == reversed)
    #expect(written != IDMap(["gb200": 30, "trainium2": 27]))
    #expect(written.keys == ["trainium2", "gb200"])
    // Foundation's decoder reports no key order, so decoding sorts (deterministic).
    let decoded = try JSONDecoder().decode(
      IDMap<Double>.self, from: Data(#"{"zeta":1,"alpha":2,"mid":3}"#.utf8))
    #expect(decoded.keys == ["alpha", "mid", "zeta"])
  }
}

import Foundation
import Testing

@testable import CapacityModel

@Suite("The spec's example scenario")
struct SpecExampleTests {
  @Test func loadsEveryFieldAsWritten() throws {
    let document = try ScenarioLoader.parse(yaml: specExample, file: "aws.yaml")
    let scenario = document.scenario
    #expect(scenario.id == "aws-bedrock-2026")
    #expect(scenario.description == "free text")
    #expect(
      scenario.periods == [
        Scenario.Period(id: "2026Q3", years: 0.25), Scenario.Period(id: "2026Q4", years: 0.25),
      ])
    #expect(
      scenario.hardware == [
        Scenario.Hardware(
          id: "trainium2", opexPerMWYear: 6.5, capexPerMW: 0, lifeYears: 5, installBlockMW: 0,
          supplyMW: ["2026Q3": 100])
      ])
    #expect(
      scenario.companions == [
        Scenario.CompanionRule(hardware: "trainium3", requires: "graviton4", mwPerMW: 0.08)
      ])
    #expect(
      scenario.sites == [
        Scenario.Site(
          id: "indiana", pue: 1.15, powerMW: 1000, installedMW: IDMap(["trainium2": 400, "graviton4": 60]),
          expansions: [
            Scenario.Expansion(id: "indiana-p3", powerMW: 300, costPerYear: 45, earliest: "2026Q4")
          ])
      ])
    #expect(scenario.offerings.count == 3)
    #expect(
      scenario.offerings[0]
        == Scenario.Offering(
          id: "claude", use: "bedrock", pricing: .revenueShare, revenueShare: 0.25, iaasFeePerMWYear: 7.5,
          grossRevenuePerMWYear: IDMap(["trainium2": 26, "gb200": 30]), demandGrossRevenuePerYear: 9000,
          availableFrom: IDMap(["trainium3": "2027Q1"]), sites: ["indiana"]))
    #expect(
      scenario.offerings[1]
        == Scenario.Offering(
          id: "gpu-rental", use: "iaas", pricing: .rental, pricePerMWYear: IDMap(["gb200": 14]),
          demandMW: 2000,
          committedMW: ["2026Q3": 500]))
    #expect(
      scenario.offerings[2]
        == Scenario.Offering(
          id: "internal-training", use: "internal", pricing: .internal,
          valuePerMWYear: IDMap(["trainium2": 0]),
          demandMW: 500, requiredMW: 200))
    #expect(
      scenario.policies == [
        Scenario.Policy(
          id: "trn-majority", kind: .minShare, use: "bedrock", hardware: ["trainium2", "trainium3"],
          share: 0.5,
          measure: .mw)
      ])
    #expect(scenario.stability == Scenario.Stability(moveCost: 0.2))
    // File order is kept, though equality ignores it.
    #expect(scenario.offerings[0].grossRevenuePerMWYear?.keys == ["trainium2", "gb200"])
  }

  @Test func recordsTheLineOfEachField() throws {
    let map = try ScenarioLoader.parse(yaml: specExample, file: "aws.yaml").sourceMap
    #expect(map.line(for: "periods[1]") == line(of: "{id: 2026Q4", in: specExample))
    #expect(
      map.line(for: "offerings[0].gross_revenue_per_mw_year.gb200") == line(of: "gb200: 30", in: specExample))
    #expect(map.line(for: "sites[0].expansions[0].earliest") == line(of: "indiana-p3", in: specExample))
    #expect(map.line(for: "offerings[2].required_mw") == line(of: "required_mw: 200", in: specExample))
    // A field that is not written takes its enclosing entry's line.
    #expect(map.line(for: "offerings[1].tiers") == line(of: "id: gpu-rental", in: specExample))
  }

  /// As printed in the spec, the example refers to hardware and a period it never defines;
  /// validation lists each such reference, with its line.
  @Test func asPrintedItsUndefinedReferencesAreReported() throws {
    let found = issues(specExample, file: "aws.yaml").map(\.description)
    let at = { (needle: String) in line(of: needle, in: specExample) ?? 0 }
    #expect(
      found == [
        "aws.yaml:\(at("requires: graviton4")): companions[0].hardware: unknown hardware 'trainium3' (known: trainium2)",
        "aws.yaml:\(at("requires: graviton4")): companions[0].requires: unknown hardware 'graviton4' (known: trainium2)",
        "aws.yaml:\(at("installed_mw:")): sites[0].installed_mw.graviton4: unknown hardware 'graviton4' (known: trainium2)",
        "aws.yaml:\(at("gb200: 30")): offerings[0].gross_revenue_per_mw_year.gb200: unknown hardware 'gb200' (known: trainium2)",
        "aws.yaml:\(at("available_from:")): offerings[0].available_from.trainium3: unknown hardware 'trainium3' (known: trainium2)",
        "aws.yaml:\(at("{gb200: 14}")): offerings[1].price_per_mw_year.gb200: unknown hardware 'gb200' (known: trainium2)",
        "aws.yaml:\(at("id: trn-majority")): policies[0].hardware[1]: unknown hardware 'trainium3' (known: trainium2)",
      ])
  }

  @Test func completedItValidatesAndResolves() throws {
    let scenario = try valid(completedSpecExample)
    #expect(scenario.periods.map(\.id) == ["2026Q3", "2026Q4", "2027Q1"])
    #expect(scenario.years == [0.25, 0.25, 0.5])
    #expect(scenario.hardware.map(\.id) == ["trainium2", "trainium3", "graviton4", "gb200"])
    let trn3 = try #require(scenario.hardwareIndex("trainium3"))
    #expect(scenario.hardware[trn3].supplyMW == [0, 0, 50])
    #expect(scenario.hardware[trn3].installBlockMW == 10)
    #expect(scenario.hardware[trn3].lifeYears == 5)
    #expect(scenario.hardware[trn3].depreciationPerMWYear == 8)
    // {2026Q3: 100} holds until changed: every period.
    #expect(scenario.hardware[0].supplyMW == [100, 100, 100])

    let site = scenario.sites[0]
    #expect(site.pue == 1.15)
    #expect(site.powerMW == [1000, 1000, 1000])
    #expect(site.installedMW == [400, 0, 60, 0])
    #expect(site.expansions == [0])
    #expect(scenario.expansions[0].earliestPeriod == 1)
    #expect(scenario.expansions[0].costPerYear == 45)
    #expect(scenario.expansionIndex("indiana-p3") == 0)

    #expect(scenario.companions == [.init(hardware: trn3, requires: 2, mwPerMW: 0.08)])
    #expect(scenario.companions(requiring: 2).count == 1)
    #expect(scenario.companions(requiring: trn3).isEmpty)

    let claude = scenario.offerings[0]
    // Scenario.Hardware-list order, not the map's.
    #expect(claude.servedBy.map(\.hardware) == [0, 1, 3])
    #expect(
      claude.servedBy.map(\.unitRevenuePerMWYear) == [7.5 + 0.25 * 26, 7.5 + 0.25 * 28, 7.5 + 0.25 * 30])
    #expect(claude.servedBy.map(\.grossRevenuePerMWYear) == [26, 28, 30])
    #expect(claude.servedBy.map(\.firstPeriod) == [0, 2, 0])
    #expect(scenario.canServe(offering: 0, hardware: trn3, site: 0, period: 1) == false)
    #expect(scenario.canServe(offering: 0, hardware: trn3, site: 0, period: 2))
    #expect(scenario.canServe(offering: 1, hardware: 0, site: 0, period: 0) == false)
    #expect(claude.demandGrossRevenuePerYear == [9000, 9000, 9000])
    #expect(claude.demandMW == nil)
    #expect(claude.sites == [0])

    let rental = scenario.offerings[1]
    #expect(rental.servedBy.map(\.unitRevenuePerMWYear) == [14])
    #expect(rental.servedBy[0].grossRevenuePerMWYear == nil)
    #expect(rental.committedMW == [500, 500, 500])
    #expect(rental.demandMW == [2000, 2000, 2000])
    #expect(rental.demandGrossRevenuePerYear == nil)
    #expect(rental.iaasFeePerMWYear == 0)

    let training = scenario.offerings[2]
    #expect(training.requiredMW == [200, 200, 200])
    #expect(training.committedMW == nil)

    #expect(
      scenario.policies == [
        .init(
          id: "trn-majority", kind: .minShare, measure: .mw, share: 0.5, offerings: [0], hardware: [0, 1])
      ])
    #expect(scenario.moveCost == 0.2)
    #expect(scenario.uses == ["bedrock", "iaas", "internal"])
  }
}

import Testing

@testable import CapacityModel

@Suite("The scenario generator")
struct ScenarioGeneratorTests {
  @Test func theSameSeedGivesTheSameScenario() {
    let a = ScenarioGenerator(sites: 12, periods: 6, hardware: 5, offerings: 8, seed: 7).generate()
    let b = ScenarioGenerator(sites: 12, periods: 6, hardware: 5, offerings: 8, seed: 7).generate()
    let c = ScenarioGenerator(sites: 12, periods: 6, hardware: 5, offerings: 8, seed: 8).generate()
    #expect(a == b)
    #expect(a.sites != c.sites)
    #expect(a.id == "generated-12x6x5x8-s7")
  }

  @Test func aSmallScenarioValidatesAndSolvesOptimal() throws {
    let scenario = ScenarioGenerator(sites: 6, periods: 4, hardware: 5, offerings: 8, seed: 1).generate()
    #expect(scenario.sites.count == 6)
    #expect(scenario.periods.map(\.id) == ["2026Q3", "2026Q4", "2027Q1", "2027Q2"])
    #expect(scenario.hardware.map(\.id) == ["trainium2", "gb200", "graviton4", "trainium3", "gb300"])
    #expect(scenario.offerings.count == 8)
    let valid = try ScenarioValidator.validate(scenario)
    let formulation = Formulation(valid)
    #expect(!formulation.model.isMIP)
    let plan = try Planner.plan(valid)
    #expect(plan.status == .optimal)
    #expect((plan.totals?.ebit ?? 0) > 0)
    // Not trivial: something is installed, and the commitments are met.
    #expect(plan.installs.contains { $0.mw > 0 })
  }

  @Test(arguments: [(1, 1, 1, 1), (2, 3, 2, 3), (3, 5, 7, 17), (9, 2, 4, 11)])
  func anySizeIsValidAndFeasible(size: (Int, Int, Int, Int)) throws {
    let scenario = ScenarioGenerator(
      sites: size.0, periods: size.1, hardware: size.2, offerings: size.3, seed: 3
    ).generate()
    let valid = try ScenarioValidator.validate(scenario)
    #expect(try Planner.plan(valid).status == .optimal)
  }

  @Test func integersMakeAMIPThatSolves() throws {
    let scenario = ScenarioGenerator(sites: 3, periods: 3, hardware: 5, offerings: 8, seed: 2, integers: true)
      .generate()
    #expect(scenario.hardware.contains { ($0.installBlockMW ?? 0) > 0 })
    #expect(scenario.sites.contains { !($0.expansions ?? []).isEmpty })
    let valid = try ScenarioValidator.validate(scenario)
    #expect(Formulation(valid).model.isMIP)
    var options = PlanOptions()
    options.settings.timeLimitSeconds = 30
    let plan = try Planner.plan(valid, options: options)
    #expect(plan.status == .optimal || plan.status == .feasibleWithGap)
  }

  @Test func itsYAMLLoadsBackAsTheSameScenario() throws {
    let scenario = ScenarioGenerator(sites: 4, periods: 5, hardware: 6, offerings: 9, seed: 5, integers: true)
      .generate()
    let document = try ScenarioLoader.parse(yaml: try scenario.yamlText(), file: "generated.yaml")
    #expect(document.scenario == scenario)
  }
}

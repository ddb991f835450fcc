import Testing

@testable import CapacityModel

/// One test per validation rule on ids, periods, hardware, companions and sites.
@Suite("Validation: ids, periods, hardware, companions, sites")
struct ValidationSupplyTests {
  @Test func theBaseScenarioIsValid() {
    #expect(issues(scenarioYAML()) == [])
  }

  @Test func atLeastOnePeriod() {
    let yaml = scenarioYAML(periods: "periods: []")
    expectOnly(issues(yaml), path: "periods", line: 2, message: "a scenario needs at least one period")
  }

  @Test func periodIdsAreUnique() {
    let yaml = scenarioYAML(
      periods: "periods:\n  - {id: 2026Q3, years: 0.25}\n  - {id: 2026Q3, years: 0.5}\n")
    expectOnly(
      issues(yaml), path: "periods[1].id", line: 4,
      message: "duplicate period id '2026Q3' (also at periods[0].id, line 3)")
  }

  @Test func hardwareIdsAreUnique() {
    let yaml = scenarioYAML(hardware: "hardware:\n  - id: trainium2\n  - id: gb200\n  - id: trainium2\n")
    expectOnly(
      issues(yaml), path: "hardware[2].id", line: 9,
      message: "duplicate hardware id 'trainium2' (also at hardware[0].id, line 7)")
  }

  @Test func siteIdsAreUnique() {
    let yaml = scenarioYAML(
      sites: "sites:\n  - {id: indiana, power_mw: 10}\n  - {id: indiana, power_mw: 20}\n")
    expectOnly(
      issues(yaml), path: "sites[1].id", line: line(of: "power_mw: 20", in: yaml),
      message:
        "duplicate site id 'indiana' (also at sites[0].id, line \(line(of: "power_mw: 10", in: yaml) ?? 0))")
  }

  @Test func offeringIdsAreUnique() {
    let yaml = scenarioYAML(
      offerings: Base.offerings
        + "\n  - {id: claude, use: x, pricing: first_party, gross_revenue_per_mw_year: {gb200: 1}}")
    expectOnly(
      issues(yaml), path: "offerings[1].id", line: line(of: "use: x", in: yaml),
      message:
        "duplicate offering id 'claude' (also at offerings[0].id, line \(line(of: "id: claude", in: yaml) ?? 0))"
    )
  }

  @Test func expansionIdsAreUniqueAcrossTheScenario() {
    let yaml = scenarioYAML(
      sites: """
        sites:
          - id: indiana
            power_mw: 100
            expansions: [{id: phase-3, power_mw: 50}]
          - id: mississippi
            power_mw: 100
            expansions:
              - {id: phase-3, power_mw: 80}
        """)
    expectOnly(
      issues(yaml), path: "sites[1].expansions[0].id", line: line(of: "power_mw: 80", in: yaml),
      message: "duplicate expansion id 'phase-3' (also at sites[0].expansions[0].id")
  }

  @Test func idsUseLettersDigitsDashUnderscoreDot() {
    let yaml = scenarioYAML(sites: "sites:\n  - id: indiana east\n    power_mw: 10\n")
    expectOnly(
      issues(yaml), path: "sites[0].id", line: line(of: "indiana east", in: yaml),
      message: "'indiana east' is not a valid id: use only letters, digits, '-', '_' and '.'")
  }

  @Test func theScenarioIdFollowsTheSameCharset() {
    let yaml = scenarioYAML().replacingOccurrences(of: "scenario: test", with: "scenario: aws/bedrock")
    expectOnly(issues(yaml), path: "scenario", line: 1, message: "'aws/bedrock' is not a valid id")
  }

  @Test func anIdCannotBeEmpty() {
    let yaml = scenarioYAML(hardware: "hardware:\n  - {id: ''}\n")
    let found = issues(yaml)
    #expect(found.first?.path == "hardware[0].id")
    #expect(found.first?.line == line(of: "id: ''", in: yaml))
    #expect(found.first?.message == "an id cannot be empty")
  }

  @Test func yearsMustBeAboveZero() {
    let yaml = scenarioYAML(periods: "periods:\n  - {id: 2026Q3, years: 0}\n")
    expectOnly(issues(yaml), path: "periods[0].years", line: 3, message: "must be above 0, found 0")
  }

  @Test func lifeYearsMustBeAboveZero() {
    let yaml = scenarioYAML(hardware: "hardware:\n  - {id: trainium2, capex_per_mw: 30, life_years: -2}\n")
    expectOnly(
      issues(yaml), path: "hardware[0].life_years", line: line(of: "life_years", in: yaml),
      message: "must be above 0, found -2")
  }

  @Test func moneyCannotBeNegative() {
    let yaml = scenarioYAML(hardware: "hardware:\n  - id: trainium2\n    opex_per_mw_year: -6.5\n")
    expectOnly(
      issues(yaml), path: "hardware[0].opex_per_mw_year", line: line(of: "-6.5", in: yaml),
      message: "money cannot be negative, found -6.5")
  }

  @Test func installBlockCannotBeNegative() {
    let yaml = scenarioYAML(hardware: "hardware:\n  - id: trainium2\n    install_block_mw: -10\n")
    expectOnly(
      issues(yaml), path: "hardware[0].install_block_mw", line: line(of: "install_block_mw", in: yaml),
      message: "MW cannot be negative, found -10")
  }

  @Test func seriesValuesCannotBeNegative() {
    let yaml = scenarioYAML(
      hardware: "hardware:\n  - id: trainium2\n    supply_mw:\n      2026Q3: 10\n      2026Q4: -3\n")
    expectOnly(
      issues(yaml), path: "hardware[0].supply_mw.2026Q4", line: line(of: "2026Q4: -3", in: yaml),
      message: "MW cannot be negative, found -3")
  }

  @Test func seriesKeysMustBePeriods() {
    let yaml = scenarioYAML(
      sites: "sites:\n  - id: indiana\n    power_mw:\n      2026Q3: 100\n      2028Q1: 200\n")
    expectOnly(
      issues(yaml), path: "sites[0].power_mw.2028Q1", line: line(of: "2028Q1", in: yaml),
      message: "unknown period '2028Q1' (periods: 2026Q3, 2026Q4, 2027Q1)")
  }

  /// Magnitudes no plan has: a block of 1e-300 MW (GLPK's scaling refused the model) and
  /// prices of 1e308 (their products overflowed to infinity) are refused where they are written.
  @Test func numbersMustBeOfAPlannableSize() {
    let yaml = scenarioYAML(
      hardware: "hardware:\n  - {id: trainium2, capex_per_mw: 1e308, install_block_mw: 1e-300}\n",
      sites: "sites:\n  - id: indiana\n    power_mw: {2026Q3: 2e9, 2026Q4: 0}\n")
    let found = issues(yaml)
    #expect(
      found.map(\.path) == [
        "hardware[0].capex_per_mw", "hardware[0].install_block_mw", "sites[0].power_mw.2026Q3",
      ])
    #expect(
      found.map(\.message) == [
        "1e+308 is too large to plan with (at most 1e9: is the unit right?)",
        "1e-300 is too small to plan with (write 0, or at least 1e-9)",
        "2000000000 is too large to plan with (at most 1e9: is the unit right?)",
      ])
    let hardwareLine = line(of: "1e308", in: yaml)
    #expect(found.map(\.line) == [hardwareLine, hardwareLine, line(of: "2e9", in: yaml)])
  }

  @Test func numbersMustBeFinite() {
    let yaml = scenarioYAML(
      hardware: "hardware:\n  - {id: trainium2, capex_per_mw: .inf}\n",
      sites: "sites:\n  - id: indiana\n    power_mw: {2026Q3: .nan}\n")
    let found = issues(yaml)
    #expect(found.map(\.path) == ["hardware[0].capex_per_mw", "sites[0].power_mw.2026Q3"])
    #expect(found.map(\.line) == [line(of: ".inf", in: yaml), line(of: ".nan", in: yaml)])
    #expect(
      found.map(\.message) == ["must be a finite number, found .inf", "must be a finite number, found .nan"])
  }

  @Test func pueIsAtLeastOne() {
    let yaml = scenarioYAML(sites: "sites:\n  - id: indiana\n    power_mw: 100\n    pue: 0.9\n")
    expectOnly(
      issues(yaml), path: "sites[0].pue", line: line(of: "pue", in: yaml),
      message: "must be at least 1, found 0.9")
  }

  @Test func installedHardwareMustExist() {
    let yaml = scenarioYAML(
      sites: "sites:\n  - id: indiana\n    power_mw: 100\n    installed_mw: {h100: 5}\n")
    expectOnly(
      issues(yaml), path: "sites[0].installed_mw.h100", line: line(of: "h100", in: yaml),
      message: "unknown hardware 'h100' (known: trainium2, gb200)")
  }

  @Test func installedMWCannotBeNegative() {
    let yaml = scenarioYAML(
      sites: "sites:\n  - id: indiana\n    power_mw: 100\n    installed_mw:\n      gb200: -1\n")
    expectOnly(
      issues(yaml), path: "sites[0].installed_mw.gb200", line: line(of: "gb200: -1", in: yaml),
      message: "MW cannot be negative, found -1")
  }

  @Test func expansionEarliestMustBeAPeriod() {
    let yaml = scenarioYAML(
      sites:
        "sites:\n  - id: indiana\n    power_mw: 100\n    expansions:\n      - id: p3\n        power_mw: 50\n        earliest: 2029Q1\n"
    )
    expectOnly(
      issues(yaml), path: "sites[0].expansions[0].earliest", line: line(of: "2029Q1", in: yaml),
      message: "unknown period '2029Q1' (periods: 2026Q3, 2026Q4, 2027Q1)")
  }

  @Test func expansionPowerAndCostCannotBeNegative() {
    let yaml = scenarioYAML(
      sites:
        "sites:\n  - id: indiana\n    power_mw: 100\n    expansions:\n      - {id: p3, power_mw: -50, cost_per_year: -1}\n"
    )
    let found = issues(yaml)
    #expect(found.map(\.path) == ["sites[0].expansions[0].power_mw", "sites[0].expansions[0].cost_per_year"])
    #expect(found.allSatisfy { $0.line == line(of: "p3", in: yaml) })
  }

  @Test func companionHardwareMustExist() {
    let yaml = scenarioYAML(
      companions: "companions:\n  - {hardware: trainium3, requires: gb200, mw_per_mw: 0.08}\n")
    expectOnly(
      issues(yaml), path: "companions[0].hardware", line: line(of: "trainium3", in: yaml),
      message: "unknown hardware 'trainium3' (known: trainium2, gb200)")
  }

  @Test func hardwareCannotBeItsOwnCompanion() {
    let yaml = scenarioYAML(
      companions: "companions:\n  - {hardware: gb200, requires: gb200, mw_per_mw: 0.1}\n")
    expectOnly(
      issues(yaml), path: "companions[0].requires", line: line(of: "requires: gb200", in: yaml),
      message: "'gb200' cannot be its own companion")
  }

  @Test func aCompanionPairIsGivenOnce() {
    let yaml = scenarioYAML(
      companions: """
        companions:
          - {hardware: trainium2, requires: gb200, mw_per_mw: 0.1}
          - {hardware: gb200, requires: trainium2, mw_per_mw: 0.1}
          - {hardware: trainium2, requires: gb200, mw_per_mw: 0.2}
        """)
    expectOnly(
      issues(yaml), path: "companions[2]", line: line(of: "mw_per_mw: 0.2", in: yaml),
      message: "the rule trainium2 -> gb200 is already given in companions[0]")
  }

  @Test func companionRatioCannotBeNegative() {
    let yaml = scenarioYAML(
      companions: "companions:\n  - {hardware: trainium2, requires: gb200, mw_per_mw: -0.1}\n")
    expectOnly(
      issues(yaml), path: "companions[0].mw_per_mw", line: 10, message: "MW cannot be negative, found -0.1")
  }

  @Test func moveCostCannotBeNegative() {
    let yaml = scenarioYAML(stability: "stability:\n  move_cost: -0.2\n")
    expectOnly(
      issues(yaml), path: "stability.move_cost", line: line(of: "move_cost", in: yaml),
      message: "money cannot be negative, found -0.2")
  }

  @Test func everyIssueIsReportedInFileOrderWithItsLine() {
    let yaml = scenarioYAML(
      periods: "periods:\n  - {id: 2026Q3, years: -1}\n",
      sites: "sites:\n  - {id: indiana, power_mw: 100, pue: 0.5}\n",
      offerings: Base.offerings.replacingOccurrences(of: "0.25", with: "2.5"))
    #expect(
      issues(yaml).map(\.description) == [
        "test.yaml:3: periods[0].years: must be above 0, found -1",
        "test.yaml:9: sites[0].pue: must be at least 1, found 0.5",
        "test.yaml:15: offerings[0].revenue_share: a share must be between 0 and 1, found 2.5",
      ])
  }
}

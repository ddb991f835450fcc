import Foundation
import Testing

@testable import CapacityModel

/// What the loader rejects before any meaning is checked: syntax, structure, types.
@Suite("Loading scenario files")
struct LoaderTests {
  @Test func jsonIsAcceptedAsYAML() throws {
    let json = """
      {"scenario": "json-case", "periods": [{"id": "2026Q3", "years": 0.25}, {"id": "2026Q4", "years": 2.5e-1}],
       "hardware": [{"id": "trainium2", "supply_mw": {"2026Q4": 10}}],
       "sites": [{"id": "indiana", "power_mw": 100, "installed_mw": {"trainium2": 5}}],
       "offerings": [{"id": "claude", "use": "bedrock", "pricing": "first_party",
                      "gross_revenue_per_mw_year": {"trainium2": 26}}]}
      """
    let scenario = try valid(json)
    #expect(scenario.asWritten.id == "json-case")
    #expect(scenario.years == [0.25, 0.25])
    #expect(scenario.hardware[0].supplyMW == [0, 10])
    #expect(scenario.sites[0].installedMW == [5])
    #expect(scenario.offerings[0].servedBy.map(\.unitRevenuePerMWYear) == [26])
  }

  @Test func loadsFromAFileAndNamesItInIssues() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("capplan-\(UUID()).yaml").path
    try scenarioYAML(sites: "sites:\n  - id: indiana\n    power_mw: -5\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let document = try ScenarioLoader.load(contentsOf: path)
    #expect(document.file == path)
    let error = #expect(throws: ScenarioError.self) { try ScenarioValidator.validate(document) }
    #expect(error?.description == "\(path):11: sites[0].power_mw: MW cannot be negative, found -5")
  }

  @Test func aMissingFileIsOneIssue() {
    let error = #expect(throws: ScenarioError.self) {
      try ScenarioLoader.load(contentsOf: "/nonexistent/x.yaml")
    }
    #expect(error?.issues.count == 1)
    #expect(error?.issues.first?.message.contains("cannot read the file") == true)
  }

  @Test func yamlSyntaxErrorsGiveTheLine() {
    let yaml = "scenario: test\nperiods:\n  - {id: 2026Q3, years: 0.25\nhardware: []\n"
    let found = issues(yaml)
    #expect(found.count == 1)
    #expect(found.first?.path == "")
    #expect(found.first?.line == 4)
    #expect(found.first?.message.hasPrefix("YAML syntax error:") == true)
    #expect(found.first?.message.contains("line 3") == true, "names where the flow mapping began")
  }

  @Test func anEmptyFileIsAnIssue() {
    expectOnly(issues("# only a comment\n"), path: "", line: nil, message: "the file holds no scenario")
  }

  @Test func theTopLevelMustBeAMapping() {
    expectOnly(
      issues("- a\n- b\n"), path: "", line: 1,
      message: "this is not a scenario file: it holds a list of 2 items")
  }

  @Test func unknownFieldsAreErrorsListingTheAllowedOnes() {
    let yaml = scenarioYAML(sites: "sites:\n  - id: indiana\n    power_mw: 100\n    pue_: 1.2\n")
    expectOnly(
      issues(yaml), path: "sites[0].pue_", line: line(of: "pue_", in: yaml),
      message: "unknown field 'pue_' in a site (allowed: id, pue, power_mw, installed_mw, expansions)")
  }

  @Test func anUnknownTopLevelFieldIsAnError() {
    let yaml = scenarioYAML() + "ofering: []\n"
    expectOnly(
      issues(yaml), path: "ofering", line: line(of: "ofering", in: yaml), message: "unknown field 'ofering'")
  }

  @Test func aRepeatedKeyIsAnErrorAtItsSecondOccurrence() {
    let yaml = scenarioYAML(sites: "sites:\n  - id: indiana\n    pue: 1.1\n    power_mw: 100\n    pue: 1.2\n")
    let first = line(of: "pue: 1.1", in: yaml) ?? 0
    let second = line(of: "pue: 1.2", in: yaml) ?? 0
    expectOnly(
      issues(yaml), path: "sites[0].pue", line: second,
      message: "'pue' is given 2 times in one mapping (lines \(first), \(second))")
  }

  @Test func aKeyRepeatedOnOneLineIsNamedWithThatLine() {
    let yaml = scenarioYAML(periods: "periods:\n  - {id: 2026Q3, years: 0.25, years: 0.5}\n")
    expectOnly(
      issues(yaml), path: "periods[0].years", line: 3,
      message: "'years' is given 2 times in one mapping (all on line 3); a key may appear only once")
  }

  @Test func repeatedKeysInFlowMapsAndSeveralMappingsAreAllNamed() {
    let yaml = scenarioYAML(
      hardware: "hardware:\n  - {id: trainium2, supply_mw: {2026Q3: 5, 2026Q3: 6}}\n",
      offerings: Base.offerings.replacingOccurrences(
        of: "{trainium2: 26}", with: "{trainium2: 26, 'trainium2': 27}"))
    let found = issues(yaml)
    #expect(
      found.map(\.path) == [
        "hardware[0].supply_mw.2026Q3", "offerings[0].gross_revenue_per_mw_year.trainium2",
      ])
    #expect(found.map(\.line) == [line(of: "supply_mw", in: yaml), line(of: "'trainium2': 27", in: yaml)])
  }

  @Test func aStringWhereANumberBelongsIsAnError() {
    let yaml = scenarioYAML(periods: "periods:\n  - {id: 2026Q3, years: quarter}\n")
    expectOnly(
      issues(yaml), path: "periods[0].years", line: line(of: "quarter", in: yaml),
      message: "expected a number, found 'quarter'")
  }

  @Test func aQuotedNumberIsTextAndTheMessageSaysSo() {
    let yaml = scenarioYAML(periods: "periods:\n  - {id: 2026Q3, years: \"0.25\"}\n")
    expectOnly(
      issues(yaml), path: "periods[0].years", line: 3,
      message: "expected a number, found the quoted text \"0.25\" (remove the quotes)")
  }

  @Test func aListWhereASeriesBelongsIsAnError() {
    let yaml = scenarioYAML(sites: "sites:\n  - id: indiana\n    power_mw: [100, 200]\n")
    expectOnly(
      issues(yaml), path: "sites[0].power_mw", line: line(of: "[100, 200]", in: yaml),
      message: "expected a number or a map {PERIOD: number}, found a list")
  }

  @Test func anExpansionsPowerIsANumberNotASeries() {
    let yaml = scenarioYAML(
      sites:
        "sites:\n  - id: indiana\n    power_mw: 100\n    expansions:\n      - {id: p3, power_mw: {2026Q3: 5}}\n"
    )
    expectOnly(
      issues(yaml), path: "sites[0].expansions[0].power_mw", line: line(of: "p3", in: yaml),
      message: "expected a number, found a mapping")
  }

  @Test func aValueMustBeOneOfItsWords() {
    let yaml = scenarioYAML(
      offerings: Base.offerings.replacingOccurrences(of: "revenue_share\n", with: "revshare\n"))
    expectOnly(
      issues(yaml), path: "offerings[0].pricing", line: line(of: "revshare", in: yaml),
      message: "unknown pricing 'revshare' (allowed: revenue_share, first_party, rental, internal)")
  }

  @Test func anEmptyValueIsAnErrorNotAnAbsence() {
    let yaml = scenarioYAML(sites: "sites:\n  - id: indiana\n    power_mw: 100\n    pue:\n")
    expectOnly(
      issues(yaml), path: "sites[0].pue", line: line(of: "pue:", in: yaml),
      message: "'pue' has no value; give one or leave the field out")
  }

  @Test func anEmptyOptionalListIsTheSameAsLeavingItOut() throws {
    let yaml = scenarioYAML(companions: "companions:\n  # none yet\n", policies: "policies:")
    let document = try ScenarioLoader.parse(yaml: yaml, file: "test.yaml")
    #expect(document.scenario.companions == nil)
    #expect(document.scenario.policies == nil)
  }

  @Test(arguments: ["scenario", "periods", "hardware", "sites", "offerings"])
  func requiredTopLevelFields(field: String) {
    // Drop the section (its header and indented body) from the file.
    var lines = scenarioYAML().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let header = lines.firstIndex(where: { $0.hasPrefix(field + ":") }) {
      var end = header + 1
      while end < lines.count, lines[end].hasPrefix(" ") { end += 1 }
      lines.removeSubrange(header..<end)
    }
    let yaml = lines.joined(separator: "\n")
    expectOnly(issues(yaml), path: field, line: 1, message: "missing required field '\(field)'")
  }

  @Test func missingRequiredFieldsAreNamedAtTheirEntry() {
    let yaml = scenarioYAML(
      periods: "periods:\n  - {id: 2026Q3}\n",
      companions: "companions:\n  - {hardware: trainium2, requires: gb200}\n",
      sites: "sites:\n  - id: indiana\n    expansions:\n      - {id: p3}\n",
      offerings: "offerings:\n  - {id: claude, use: bedrock}\n",
      policies: "policies:\n  - {id: p, kind: min_share, use: bedrock}\n",
      stability: "stability: {}\n")
    let found = issues(yaml)
    let at = { (needle: String) in line(of: needle, in: yaml) }
    #expect(
      found.map(\.path) == [
        "periods[0].years", "companions[0].mw_per_mw", "sites[0].power_mw", "sites[0].expansions[0].power_mw",
        "offerings[0].pricing", "policies[0].hardware", "policies[0].share", "stability.move_cost",
      ])
    #expect(
      found.map(\.line) == [
        at("{id: 2026Q3}"), at("requires: gb200"), at("id: indiana"), at("{id: p3}"), at("{id: claude"),
        at("{id: p, kind"), at("{id: p, kind"), at("stability"),
      ])
    #expect(found.allSatisfy { $0.message.hasPrefix("missing required field '") })
  }

  @Test func everyStructuralIssueInAFileIsReportedAtOnce() {
    let yaml = scenarioYAML(
      periods: "periods:\n  - {id: 2026Q3, years: x}\n  - {id: 2026Q4, yeras: 1}\n",
      sites: "sites:\n  - {id: indiana, power_mw: lots}\n")
    #expect(
      issues(yaml).map(\.path) == [
        "periods[0].years", "periods[1].yeras", "periods[1].years", "sites[0].power_mw",
      ])
  }

  @Test func yamlNumberFormsAreRead() throws {
    let yaml = scenarioYAML(
      hardware: "hardware:\n  - {id: trainium2, opex_per_mw_year: .5, capex_per_mw: 1e3, supply_mw: 1000}\n")
    let hardware = try valid(yaml).hardware[0]
    #expect(hardware.opexPerMWYear == 0.5)
    #expect(hardware.capexPerMW == 1000)
    #expect(hardware.supplyMW == [1000, 1000, 1000])
  }

  @Test func aFileHoldsOneDocument() {
    let yaml = scenarioYAML() + "---\nscenario: second\n"
    let found = issues(yaml)
    #expect(found.count == 1)
    #expect(found.first?.line == line(of: "---", in: yaml))
    #expect(found.first?.message.contains("but found another document") == true)
  }

  @Test func mergeKeysAreRefusedWithAReason() {
    let yaml = scenarioYAML(
      hardware:
        "hardware:\n  - &base {id: trainium2, opex_per_mw_year: 6.5}\n  - {<<: *base, id: trainium3}\n")
    expectOnly(
      issues(yaml), path: "hardware[1]", line: line(of: "<<", in: yaml),
      message: "YAML merge keys ('<<') are not supported")
  }
}

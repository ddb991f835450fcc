import Testing

@testable import CapacityModel

/// The `uncertainty` section is checked like the rest of a scenario: field paths, lines, and a
/// message that says what to do.
@Suite struct DemandUncertaintyValidationTests {
  /// A valid base with `section` appended (indented as the top level).
  func scenario(_ section: String) -> String {
    twoCaseExample.components(separatedBy: "uncertainty:")[0] + section
  }

  @Test func theExampleIsValid() {
    #expect(issues(twoCaseExample).isEmpty)
  }

  @Test func probabilitiesMustAddUpToOne() {
    let yaml = scenario(
      """
      uncertainty:
        cases:
          - {id: low, probability: 0.5}
          - {id: high, probability: 0.6}
      """)
    expectOnly(
      issues(yaml), path: "uncertainty.cases", line: line(of: "cases:", in: yaml), message: "add up to 1.1")
  }

  @Test func hostileProbabilitiesAreRefused() {
    let yaml = scenario(
      """
      uncertainty:
        cases:
          - {id: low, probability: -0.5}
          - {id: high, probability: .nan}
          - {id: mid, probability: 1.5}
      """)
    let found = issues(yaml)
    #expect(
      found.map(\.path) == [
        "uncertainty.cases[0].probability", "uncertainty.cases[1].probability",
        "uncertainty.cases[2].probability",
      ])
    #expect(found.allSatisfy { $0.message.contains("between 0 and 1") })
    #expect(found.first?.line == line(of: "id: low", in: yaml))
  }

  @Test func unknownOfferingsAndHardwareAreNamed() {
    let yaml = scenario(
      """
      uncertainty:
        cases:
          - id: only
            probability: 1
            demand_scale: {claude: 0.8, api: -1}
            offerings:
              - {id: api, price_per_mw_year: {tpu: 3}}
              - {id: nobody, demand_mw: 3}
              - {id: batch, demand_gross_revenue_per_year: 3}
      """)
    let found = issues(yaml)
    let byPath = Dictionary(found.map { ($0.path, $0.message) }, uniquingKeysWith: { a, _ in a })
    #expect(byPath["uncertainty.cases[0].demand_scale.claude"]?.contains("unknown offering 'claude'") == true)
    #expect(byPath["uncertainty.cases[0].demand_scale.api"]?.contains("cannot be negative") == true)
    #expect(
      byPath["uncertainty.cases[0].offerings[0].price_per_mw_year.tpu"]?.contains("not in the offering's")
        == true)
    #expect(byPath["uncertainty.cases[0].offerings[1].id"]?.contains("unknown offering 'nobody'") == true)
    #expect(
      byPath["uncertainty.cases[0].offerings[2].demand_gross_revenue_per_year"]?.contains("does not fit")
        == true)
    #expect(found.count == 5)
  }

  @Test func aScaleNeedsADemandSeries() {
    var yaml = scenario(
      """
      uncertainty:
        cases:
          - {id: only, probability: 1, demand_scale: {batch: 2}}
      """)
    yaml = yaml.replacingOccurrences(of: "    demand_mw: 5\n", with: "")
    expectOnly(
      issues(yaml), path: "uncertainty.cases[0].demand_scale.batch", line: line(of: "id: only", in: yaml),
      message: "no demand_mw or demand_gross_revenue_per_year to scale")
  }

  @Test func thousandsOfCasesAreRefusedInOneIssue() {
    let cases = (0..<2000).map { "    - {id: c\($0), probability: 0.0005}" }.joined(separator: "\n")
    let yaml = scenario("uncertainty:\n  cases:\n" + cases + "\n")
    expectOnly(
      issues(yaml), path: "uncertainty.cases", line: line(of: "cases:", in: yaml), message: "at most 50")
  }

  @Test func riskIsChecked() {
    let yaml = scenario(
      """
      uncertainty:
        cases:
          - {id: only, probability: 1}
        risk: {cvar_alpha: 1, weight: 2}
      """)
    let found = issues(yaml)
    #expect(found.map(\.path) == ["uncertainty.risk.cvar_alpha", "uncertainty.risk.weight"])
    #expect(found.first?.message.contains("[0, 1)") == true)
  }

  @Test func unknownFieldsAndDuplicateIdsAreReported() {
    let yaml = scenario(
      """
      uncertainty:
        cases:
          - {id: a, probability: 0.5, demand_scales: {api: 2}}
          - {id: a, probability: 0.5}
      """)
    let found = issues(yaml)
    #expect(
      found.contains {
        $0.path == "uncertainty.cases[0].demand_scales" && $0.message.contains("unknown field")
      })
  }

  @Test func anEmptyListOfCasesIsRefused() {
    let yaml = scenario("uncertainty:\n  cases: []\n")
    expectOnly(
      issues(yaml), path: "uncertainty.cases", line: line(of: "cases:", in: yaml), message: "at least one")
  }
}

import Foundation
import Testing

@testable import CapacityModel

/// The seed's Bedrock deal over three one-year periods: 1 MW of Trainium2 at $6.5M opex serving
/// Claude at 25% of $26M plus $7.5M per MW-year, so each MW-year earns EBIT 1 + 0.25 x 26 = 7.5.
/// A 1 MW of GPU at $4M opex is there for the policy tests.
let overrideBase = """
  scenario: base
  periods:
    - {id: P1, years: 1}
    - {id: P2, years: 1}
    - {id: P3, years: 1}
  hardware:
    - id: trn
      opex_per_mw_year: 6.5
    - id: cpu
      opex_per_mw_year: 1
  companions:
    - {hardware: trn, requires: cpu, mw_per_mw: 0}
  sites:
    - id: a
      power_mw: 100
      installed_mw: {trn: 1}
      expansions:
        - {id: a-x, power_mw: 20, cost_per_year: 5}
  offerings:
    - id: claude
      use: bedrock
      pricing: revenue_share
      revenue_share: 0.25
      iaas_fee_per_mw_year: 7.5
      gross_revenue_per_mw_year: {trn: 26}
      demand_gross_revenue_per_year: {P1: 130, P3: 208}
  """

/// The base with `overrides` (text, file) applied in order.
func composed(
  _ overrides: [(String, String)], base: String = overrideBase, caseName: String? = nil
) throws -> ComposedScenario {
  try ScenarioComposer.compose(
    baseText: base, file: "base.yaml", overrides: overrides.map { (text: $0.0, file: $0.1) },
    caseName: caseName)
}

/// The issues of composing (or of validating the result).
func composeIssues(_ overrides: [(String, String)], base: String = overrideBase, caseName: String? = nil)
  -> [ScenarioIssue]
{
  do {
    let c = try ScenarioComposer.compose(
      baseText: base, file: "base.yaml", overrides: overrides.map { (text: $0.0, file: $0.1) },
      caseName: caseName)
    return ScenarioValidator.issues(
      in: c.document.scenario, file: c.document.file, sourceMap: c.document.sourceMap)
  } catch {
    return error.issues
  }
}

/// Expects exactly one issue, in `file` at `path` and `line`, whose message contains `message`.
func expectOne(
  _ issues: [ScenarioIssue], file: String = "o.yaml", path: String, line: Int?, message: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(issues.count == 1, "issues: \(issues)", sourceLocation: sourceLocation)
  guard let issue = issues.first else { return }
  #expect(issue.file == file, sourceLocation: sourceLocation)
  #expect(issue.path == path, sourceLocation: sourceLocation)
  #expect(issue.line == line, "\(issue)", sourceLocation: sourceLocation)
  #expect(issue.message.contains(message), "message: \(issue.message)", sourceLocation: sourceLocation)
}

@Suite("Overrides: merge rules")
struct OverrideMergeTests {
  @Test("a scalar replaces the base's, and the plan's EBIT follows: 3 x (7.5 + 0.3 x 26 - 6.5) = 26.4")
  func scalarReplaces() throws {
    let base = try composed([])
    #expect(base.document.scenario.offerings[0].revenueShare == 0.25)
    // The second entry for claude merges into the same offering.
    let c = try composed([
      (
        "offerings:\n  - {id: claude, revenue_share: 0.3}\n  - {id: claude, demand_gross_revenue_per_year: 26}\n",
        "o.yaml"
      )
    ])
    let claude = try #require(c.document.scenario.offerings.first)
    #expect(claude.revenueShare == 0.3)
    #expect(claude.demandGrossRevenuePerYear == .constant(26))
    let plan = try solvedPlan(c.document.scenario)
    expectClose(try #require(plan.totals?.ebit), 3 * (7.5 + 0.3 * 26 - 6.5), "EBIT")
  }

  @Test("an entry matched by id is merged field by field; a map such as a price map merges key by key")
  func entryMergedFieldByField() throws {
    let c = try composed([
      (
        """
        offerings:
          - id: claude
            gross_revenue_per_mw_year: {cpu: 3}
        hardware:
          - {id: trn, capex_per_mw: 12}
        """, "o.yaml"
      )
    ])
    let s = c.document.scenario
    let claude = try #require(s.offerings.first)
    #expect(claude.revenueShare == 0.25)
    #expect(claude.iaasFeePerMWYear == 7.5)
    #expect(claude.grossRevenuePerMWYear?["trn"] == 26)
    #expect(claude.grossRevenuePerMWYear?["cpu"] == 3)
    #expect(s.hardware[0] == Scenario.Hardware(id: "trn", opexPerMWYear: 6.5, capexPerMW: 12))
    #expect(s.hardware.count == 2)
  }

  @Test("an entry with a new id is added: a second site with 1 MW installed doubles the plan")
  func newSiteAdded() throws {
    let c = try composed([
      ("sites:\n  - id: b\n    power_mw: 5\n    installed_mw: {trn: 1}\n", "site.yaml"),
      ("offerings:\n  - {id: claude, demand_gross_revenue_per_year: null}\n", "nocap.yaml"),
    ])
    #expect(c.document.scenario.sites.map(\.id) == ["a", "b"])
    #expect(c.document.scenario.sites[1].powerMW == .constant(5))
    #expect(c.document.scenario.offerings[0].demandGrossRevenuePerYear == nil)
    let plan = try solvedPlan(c.document.scenario)
    // 2 MW in each of three years at 7.5 per MW-year.
    expectClose(try #require(plan.totals?.ebit), 2 * 3 * 7.5, "EBIT")
  }

  @Test("remove: true deletes an entry: without the policy, Claude moves to the cheaper GPU")
  func removePolicy() throws {
    let base =
      overrideBase.replacingOccurrences(
        of: "  - id: cpu\n", with: "  - id: gpu\n    opex_per_mw_year: 4\n  - id: cpu\n"
      )
      .replacingOccurrences(of: "installed_mw: {trn: 1}", with: "installed_mw: {trn: 1, gpu: 1}")
      .replacingOccurrences(of: "{trn: 26}", with: "{trn: 26, gpu: 26}")
      .replacingOccurrences(of: "{P1: 130, P3: 208}", with: "26")
      + "\npolicies:\n  - {id: trn-majority, kind: min_share, use: bedrock, hardware: [trn], share: 0.9}\n"
    let kept = try solvedPlan(try composed([], base: base).document.scenario)
    // 0.9 MW on trn and 0.1 on gpu: 14 - 0.9 x 6.5 - 0.1 x 4 = 7.75 a year.
    expectClose(try #require(kept.totals?.ebit), 3 * 7.75, "EBIT with the policy")
    let c = try composed(
      [("policies:\n  - id: trn-majority\n    remove: true\n", "nopolicy.yaml")], base: base)
    #expect(c.document.scenario.policies == [])
    let plan = try solvedPlan(c.document.scenario)
    expectClose(try #require(plan.totals?.ebit), 3 * (14 - 4), "EBIT without the policy")
  }

  @Test("removing an id the scenario does not have is an error at the override's file and line")
  func removeUnknown() {
    let found = composeIssues([("policies:\n  - id: trn-majority\n    remove: true\n", "nopolicy.yaml")])
    expectOne(
      found, file: "nopolicy.yaml", path: "policies", line: 3, message: "cannot remove 'trn-majority'")
    let sites = composeIssues([("sites:\n  - {id: z, remove: true}\n", "o.yaml")])
    #expect(sites.first?.message.contains("(it has: a)") == true)
  }

  @Test("one field of one entry given twice in an override is an error at the second, not a silent last-wins")
  func sameFieldTwiceInOneOverride() throws {
    let twice = composeIssues([
      ("hardware:\n  - id: trn\n    capex_per_mw: 1\n  - id: trn\n    capex_per_mw: 2\n", "o.yaml")
    ])
    expectOne(twice, path: "hardware", line: 5, message: "'capex_per_mw' of 'trn' is given twice")
    #expect(twice.first?.message.contains("first at line 3") == true, "\(twice)")
    // The same for an entry the override adds.
    let added = composeIssues([("sites:\n  - {id: b, power_mw: 5}\n  - {id: b, power_mw: 6}\n", "o.yaml")])
    expectOne(added, path: "sites", line: 3, message: "'power_mw' of 'b' is given twice")
    // Different fields of one entry in two entries still merge, and remove then add replaces.
    let c = try composed([
      (
        "hardware:\n  - {id: trn, capex_per_mw: 1}\n  - {id: trn, life_years: 4}\n"
          + "  - {id: cpu, remove: true}\n  - {id: cpu, opex_per_mw_year: 2}\n",
        "o.yaml"
      )
    ])
    let hardware = c.document.scenario.hardware
    #expect(hardware.first { $0.id == "trn" }?.capexPerMW == 1)
    #expect(hardware.first { $0.id == "trn" }?.lifeYears == 4)
    #expect(hardware.first { $0.id == "cpu" }?.opexPerMWYear == 2)
  }

  @Test("remove takes only true and only the entry's id")
  func removeSyntax() {
    let extra = composeIssues([("sites:\n  - id: a\n    remove: true\n    pue: 2\n", "o.yaml")])
    expectOne(extra, path: "sites", line: 4, message: "takes only its 'id'")
    let notTrue = composeIssues([("sites:\n  - id: a\n    remove: no\n", "o.yaml")])
    expectOne(notTrue, path: "sites", line: 3, message: "'remove' takes only true")
    let noID = composeIssues([("sites:\n  - pue: 2\n", "o.yaml")])
    expectOne(noID, path: "sites", line: 2, message: "has no 'id'")
  }

  @Test("a series map replaces only the periods it lists; each value holds until the next listed period")
  func seriesByPeriod() throws {
    let c = try composed([
      ("offerings:\n  - id: claude\n    demand_gross_revenue_per_year: {P2: 156}\n", "o.yaml")
    ])
    let demand = try #require(c.document.scenario.offerings[0].demandGrossRevenuePerYear)
    #expect(demand.values(over: ["P1", "P2", "P3"]) == [130, 156, 208])
  }

  @Test("a map onto a constant series keeps the constant before its first period: 1, 2, 2 MW of demand")
  func seriesMapOntoConstant() throws {
    let base = overrideBase.replacingOccurrences(of: "{P1: 130, P3: 208}", with: "26")
      .replacingOccurrences(of: "installed_mw: {trn: 1}", with: "installed_mw: {trn: 3}")
    let c = try composed(
      [("offerings:\n  - id: claude\n    demand_gross_revenue_per_year: {P2: 52}\n", "o.yaml")], base: base)
    let demand = try #require(c.document.scenario.offerings[0].demandGrossRevenuePerYear)
    // $26M of gross revenue a year is 1 MW at $26M per MW-year.
    #expect(demand.values(over: ["P1", "P2", "P3"]) == [26, 52, 52])
    let plan = try solvedPlan(c.document.scenario)
    expectClose(try #require(plan.totals?.ebit), (1 + 2 + 2) * 7.5, "EBIT")
  }

  @Test("a constant replaces a whole series")
  func seriesConstant() throws {
    let c = try composed([
      (
        "offerings:\n  - {id: claude, demand_gross_revenue_per_year: 104}\nsites:\n  - {id: a, power_mw: {P3: 50}}\n",
        "o.yaml"
      )
    ])
    #expect(c.document.scenario.offerings[0].demandGrossRevenuePerYear == .constant(104))
    // A constant base turned into a map: 100 until P3, then 50.
    #expect(c.document.scenario.sites[0].powerMW.values(over: ["P1", "P2", "P3"]) == [100, 100, 50])
  }

  @Test("a site's expansions are matched by id: changed, added and removed")
  func expansions() throws {
    let changed = try composed([
      (
        "sites:\n  - id: a\n    expansions:\n      - {id: a-x, cost_per_year: 7}\n      - {id: a-y, power_mw: 10}\n",
        "o.yaml"
      )
    ])
    let expansions = try #require(changed.document.scenario.sites[0].expansions)
    #expect(expansions == [.init(id: "a-x", powerMW: 20, costPerYear: 7), .init(id: "a-y", powerMW: 10)])
    let removed = try composed([
      ("sites:\n  - id: a\n    expansions:\n      - {id: a-x, remove: true}\n", "o.yaml")
    ])
    #expect(removed.document.scenario.sites[0].expansions == [])
  }

  @Test("companion rules are matched by hardware and requires")
  func companions() throws {
    let c = try composed([
      (
        "companions:\n  - {hardware: trn, requires: cpu, mw_per_mw: 0.08}\n  - {hardware: cpu, requires: trn, mw_per_mw: 0}\n",
        "o.yaml"
      )
    ])
    #expect(
      c.document.scenario.companions == [
        .init(hardware: "trn", requires: "cpu", mwPerMW: 0.08),
        .init(hardware: "cpu", requires: "trn", mwPerMW: 0),
      ])
    let gone = try composed([("companions:\n  - {hardware: trn, requires: cpu, remove: true}\n", "o.yaml")])
    #expect(gone.document.scenario.companions == [])
  }

  @Test("periods are matched by id; a new period is added at the end")
  func periods() throws {
    let c = try composed([("periods:\n  - {id: P2, years: 0.5}\n  - {id: P4, years: 1}\n", "o.yaml")])
    #expect(c.document.scenario.periods.map(\.years) == [1, 0.5, 1, 1])
    // The added period takes the held value of a map series: 8 from P3 on.
    #expect(
      c.document.scenario.offerings[0].demandGrossRevenuePerYear?.values(over: ["P1", "P2", "P3", "P4"])
        == [130, 130, 208, 208])
  }

  @Test("unknown fields and wrong types name the override's file and line, base errors the base's")
  func errorsNameTheirFile() {
    let base = overrideBase.replacingOccurrences(of: "cost_per_year: 5", with: "cost_per_year: five")
    let found = composeIssues(
      [("sites:\n  - id: a\n    pue: high\noffering:\n  - id: claude\n", "over.yaml")], base: base)
    #expect(found.count == 3)
    let byPath = Dictionary(found.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    #expect(byPath["sites[0].pue"].map { "\($0.file):\($0.line ?? 0)" } == "over.yaml:3")
    #expect(byPath["offering"].map { "\($0.file):\($0.line ?? 0)" } == "over.yaml:4")
    #expect(byPath["offering"]?.message.contains("unknown field 'offering'") == true)
    #expect(
      byPath["sites[0].expansions[0].cost_per_year"].map { "\($0.file):\($0.line ?? 0)" }
        == "base.yaml:\(line(of: "cost_per_year", in: base) ?? 0)")
  }

  @Test("a value from an override that fails validation names the override's line")
  func validationNamesOverride() {
    let found = composeIssues([
      ("# a comment\nofferings:\n  - id: claude\n    revenue_share: 1.5\n", "share.yaml")
    ])
    #expect(found.count == 1)
    #expect(found.first?.file == "share.yaml")
    #expect(found.first?.line == 4)
    #expect(found.first?.path == "offerings[0].revenue_share")
    // The base's own fields still point at the base.
    let addSite = composeIssues([("sites:\n  - {id: b, power_mw: 1, installed_mw: {nope: 1}}\n", "site.yaml")]
    )
    #expect(addSite.map(\.file) == ["site.yaml"])
    #expect(addSite.first?.path == "sites[1].installed_mw.nope")
  }

  @Test("an override is a mapping, and holds no cases")
  func overrideShape() {
    expectOne(composeIssues([("- 1\n", "o.yaml")]), path: "", line: 1, message: "must be a mapping")
    expectOne(
      composeIssues([("cases:\n  x: {}\n", "o.yaml")]), path: "cases", line: 1, message: "cannot hold cases")
  }
}

@Suite("Overrides: stored text and named cases")
struct OverrideCaseTests {
  static let withCases =
    overrideBase + """

      cases:
        rich:
          offerings:
            - {id: claude, gross_revenue_per_mw_year: {trn: 30}}
        broken:
          sites:
            - {id: a, pue: 0.5}
      """

  @Test("the merged text parses back to the same scenario")
  func storedTextRoundTrips() throws {
    let c = try composed(
      [
        ("sites:\n  - {id: b, power_mw: {P2: 7.25}, installed_mw: {trn: 1}}\n", "o.yaml"),
        (
          "offerings:\n  - {id: claude, demand_gross_revenue_per_year: {P2: 156}}\ndescription: \"x: y # not a comment\"\n",
          "p.yaml"
        ),
      ], base: Self.withCases, caseName: "rich")
    let back = try ScenarioLoader.parse(yaml: c.text, file: "job 1")
    #expect(back.scenario == c.document.scenario)
    #expect(!c.text.contains("cases"))
    #expect(c.source == "base.yaml case rich + o.yaml + p.yaml")
    // Without a case or overrides, the file's own text is what is stored.
    #expect(try composed([], base: Self.withCases).text == Self.withCases)
  }

  @Test("a case applies its override; the base ignores cases; overrides come after the case")
  func cases() throws {
    let base = try composed([], base: Self.withCases)
    #expect(base.document.scenario.offerings[0].grossRevenuePerMWYear?["trn"] == 26)
    let rich = try composed([], base: Self.withCases, caseName: "rich")
    #expect(rich.document.scenario.offerings[0].grossRevenuePerMWYear?["trn"] == 30)
    // EBIT per MW-year 1 + 0.25 x 30 = 8.5, capped by demand 5, 5, 8 but 1 MW installed.
    expectClose(try #require(try solvedPlan(rich.document.scenario).totals?.ebit), 3 * 8.5, "EBIT")
    let later = try composed(
      [("offerings:\n  - {id: claude, gross_revenue_per_mw_year: {trn: 34}}\n", "o.yaml")],
      base: Self.withCases,
      caseName: "rich")
    #expect(later.document.scenario.offerings[0].grossRevenuePerMWYear?["trn"] == 34)
    #expect(
      try ScenarioComposer.caseNames(baseText: Self.withCases, file: "base.yaml") == ["rich", "broken"])
  }

  @Test("a cases section written wrongly is named at its line; the base still reads without it")
  func casesWrittenWrongly() throws {
    let notAMap = overrideBase + "\ncases: [rich]\n"
    #expect(throws: ScenarioError.self) {
      try ScenarioComposer.caseNames(baseText: notAMap, file: "base.yaml")
    }
    #expect(try composed([], base: notAMap).document.scenario.id == "base")
    let notAnOverride = overrideBase + "\ncases:\n  rich: 5\n"
    do {
      _ = try ScenarioComposer.caseNames(baseText: notAnOverride, file: "base.yaml")
      Issue.record("a case that is a number was taken")
    } catch {
      expectOne(
        error.issues, file: "base.yaml", path: "cases.rich", line: line(of: "rich: 5", in: notAnOverride),
        message: "case 'rich' must be a mapping")
    }
  }

  @Test("an unknown case is an error listing the known ones; a case's error names its line in the base")
  func caseErrors() {
    let unknown = composeIssues([], base: Self.withCases, caseName: "poor")
    expectOne(
      unknown, file: "base.yaml", path: "cases", line: line(of: "cases:", in: Self.withCases),
      message: "no case named 'poor': its cases are rich, broken")
    let broken = composeIssues([], base: Self.withCases, caseName: "broken")
    #expect(broken.count == 1)
    #expect(broken.first?.file == "base.yaml")
    #expect(broken.first?.line == line(of: "pue: 0.5", in: Self.withCases))
    #expect(broken.first?.path == "sites[0].pue")
  }
}

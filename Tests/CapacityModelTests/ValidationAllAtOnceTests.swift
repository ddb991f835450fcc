import Foundation
import Testing

@testable import CapacityModel

/// Validation keeps going after structural errors (unknown fields, unknown enum values) and
/// reports the semantic errors of everything it could read, at the file's indices.
@Suite("Validation lists every error at once")
struct ValidationAllAtOnceTests {
  /// Ten errors of mixed kinds, one per marked line.
  static let tenErrors = """
    scenario: mixed
    periods:
      - {id: 2026Q3, years: 0.25}
      - {id: 2026Q4, years: 0}
    hardware:
      - {id: trainium2, opex_per_mw_year: -6.5}
      - {id: gb200, capex_per_mw: 30, lifetime: 5}
    sites:
      - id: indiana
        power_mw: 1000
        pue: 0.9
    offerings:
      - id: gpu-rental
        use: iaas
        pricing: rentl
        price_per_mw_year: {gb200: 14}
      - id: claude
        use: bedrock
        pricing: revenue_share
        revenue_share: 0.25
        gross_revenue_per_mw_year: {trainium2: 26, h100: 30}
        colour: blue
      - id: tiered
        use: bedrock
        pricing: revenue_share
        tiers: [{up_to: 100, share: 0.2}, {share: 1.5}]
        gross_revenue_per_mw_year: {gb200: 20}
    policies:
      - {id: gpu, kind: most, use: iaas, hardware: [gb200], share: 0.5}
      - {id: trn, kind: min_share, use: bedrock, hardware: [trainium2], share: 0.5, measure: cost}
    """

  @Test func tenMixedErrorsInOneRun() throws {
    let found = issues(Self.tenErrors)
    let expected: [(path: String, needle: String, message: String)] = [
      ("hardware[1].lifetime", "lifetime: 5", "unknown field 'lifetime'"),
      ("offerings[0].pricing", "pricing: rentl", "unknown pricing 'rentl'"),
      ("offerings[1].colour", "colour: blue", "unknown field 'colour'"),
      ("policies[0].kind", "kind: most", "unknown policy kind 'most'"),
      ("policies[1].measure", "measure: cost", "unknown measure 'cost'"),
      ("periods[1].years", "years: 0}", "must be above 0"),
      ("hardware[0].opex_per_mw_year", "opex_per_mw_year: -6.5", "money cannot be negative"),
      ("sites[0].pue", "pue: 0.9", "must be at least 1"),
      ("offerings[1].gross_revenue_per_mw_year.h100", "h100: 30", "unknown hardware 'h100'"),
      ("offerings[2].tiers[1].share", "share: 1.5", "between 0 and 1"),
    ]
    for e in expected {
      let issue = found.first { $0.path == e.path }
      #expect(issue != nil, "no issue at \(e.path) in \(found.map(\.description))")
      guard let issue else { continue }
      #expect(issue.message.contains(e.message), "\(issue)")
      #expect(issue.line == line(of: e.needle, in: Self.tenErrors), "\(issue)")
    }
    #expect(expected.count == 10)
    #expect(found.count == expected.count, "\(found.map(\.description).joined(separator: "\n"))")
  }

  /// An offering that could not be read is not also reported as unknown where it is named.
  @Test func aDroppedOfferingIsNotAlsoUnknown() throws {
    let yaml = scenarioYAML(
      offerings: """
        offerings:
          - {id: claude, use: bedrock, pricing: revenue_sharing, gross_revenue_per_mw_year: {trainium2: 26}}
          - {id: nova, use: first, pricing: first_party, gross_revenue_per_mw_year: {trainium2: -1}}
        """,
      policies: """
        policies:
          - {id: p, kind: min_share, offering: claude, hardware: [trainium2], share: 0.5}
        """)
    let found = issues(yaml)
    #expect(
      found.map(\.path) == ["offerings[0].pricing", "offerings[1].gross_revenue_per_mw_year.trainium2"],
      "\(found)")
  }

  @Test func filePathsPutDecodedIndicesBack() {
    let survivors = ["offerings": [1, 3], "offerings[3].tiers": [0, 2]]
    #expect(
      ScenarioLoader.filePath("offerings[1].tiers[1].share", survivors: survivors)
        == "offerings[3].tiers[2].share")
    #expect(ScenarioLoader.filePath("offerings[0].id", survivors: survivors) == "offerings[1].id")
    #expect(ScenarioLoader.filePath("sites[0].pue", survivors: survivors) == "sites[0].pue")
    #expect(
      ScenarioLoader.filePaths(in: "duplicate (also at offerings[0].id, line 3)", survivors: survivors)
        == "duplicate (also at offerings[1].id, line 3)")
  }
}

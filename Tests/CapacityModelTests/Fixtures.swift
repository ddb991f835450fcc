import Foundation
import Testing

@testable import CapacityModel

/// The example scenario from docs/model-spec.md, copied verbatim (comments included).
/// As written it names hardware (trainium3, graviton4, gb200) and a period (2027Q1) that it
/// does not define, so it loads but does not validate; see `completedSpecExample`.
let specExample = """
  scenario: aws-bedrock-2026        # id: letters, digits, '-', '_', '.'
  description: free text
  periods:                          # ordered, at least one, ids unique
    - {id: 2026Q3, years: 0.25}
    - {id: 2026Q4, years: 0.25}
  hardware:
    - id: trainium2
      opex_per_mw_year: 6.5         # $M per allocated IT MW-year (power, operations). default 0
      capex_per_mw: 0               # $M per IT MW. default 0
      life_years: 5                 # default 5. depreciation/MW-year = capex_per_mw / life_years
      install_block_mw: 0           # > 0: new installs are whole multiples of it (integer). default 0 = continuous
      supply_mw: {2026Q3: 100}      # series: fleet-wide max NEW IT MW installed in each period. absent = 0
  companions:                       # optional: hardware that must stand beside other hardware
    - {hardware: trainium3, requires: graviton4, mw_per_mw: 0.08}
  sites:
    - id: indiana
      pue: 1.15                     # >= 1, default 1
      power_mw: 1000                # series: facility MW available (required)
      installed_mw: {trainium2: 400, graviton4: 60}   # IT MW installed before the first period. default none
      expansions:                   # optional discrete power additions
        - {id: indiana-p3, power_mw: 300, cost_per_year: 45, earliest: 2026Q4}
  offerings:
    - id: claude
      use: bedrock                  # label used to group reports (bedrock, iaas, internal, ...)
      pricing: revenue_share        # revenue_share | first_party | rental | internal
      revenue_share: 0.25           # revenue_share only: platform's share of the lab's gross revenue
      iaas_fee_per_mw_year: 7.5     # revenue_share only: flat fee the platform earns per allocated MW-year. default 0
      # tiers:                      # revenue_share only: instead of revenue_share, never beside it (see Tiers)
      #   - {up_to: 20000, share: 0.25}
      #   - {share: 0.30}              # the last band has no up_to
      gross_revenue_per_mw_year: {trainium2: 26, gb200: 30}   # revenue_share/first_party: lab gross token revenue 1 MW of that hardware serves per year
      demand_gross_revenue_per_year: 9000     # series, optional: cap on the offering's total gross revenue rate
      available_from: {trainium3: 2027Q1}     # optional: that hardware may serve from that period on (porting)
      sites: [indiana]                        # optional: only these sites may serve it
    - id: gpu-rental
      use: iaas
      pricing: rental
      price_per_mw_year: {gb200: 14}          # rental: platform revenue per allocated MW-year
      demand_mw: 2000                         # series, optional: max MW allocated
      committed_mw: {2026Q3: 500}             # series, optional: MW that must be allocated (take-or-pay)
    - id: internal-training
      use: internal
      pricing: internal
      value_per_mw_year: {trainium2: 0}       # internal: transfer value per MW-year, counted as revenue
      required_mw: 200                        # series, optional: MW that must be allocated
      demand_mw: 500                          # series, optional: max MW allocated
  policies:                         # optional
    - {id: trn-majority, kind: min_share, use: bedrock, hardware: [trainium2, trainium3], share: 0.5, measure: mw}
  stability:                        # optional; used only when a previous plan is given
    move_cost: 0.2                  # $M per IT MW of allocation changed against the previous plan
  """

/// The spec's example with the hardware and period it refers to added, and trainium3 in
/// claude's map (the example ports it with `available_from`, which may name only hardware in
/// the map), so it is valid.
let completedSpecExample =
  specExample
  .replacingOccurrences(of: "{trainium2: 26, gb200: 30}", with: "{trainium2: 26, gb200: 30, trainium3: 28}")
  .replacingOccurrences(
    of: "  - {id: 2026Q4, years: 0.25}\n",
    with: "  - {id: 2026Q4, years: 0.25}\n  - {id: 2027Q1, years: 0.5}\n"
  )
  .replacingOccurrences(
    of: "companions:",
    with: """
        - {id: trainium3, capex_per_mw: 40, install_block_mw: 10, supply_mw: {2027Q1: 50}}
        - {id: graviton4, opex_per_mw_year: 3}
        - {id: gb200, opex_per_mw_year: 9}
      companions:
      """)

// MARK: - A small valid scenario, built from sections a test can replace

enum Base {
  static let periods = """
    periods:
      - {id: 2026Q3, years: 0.25}
      - {id: 2026Q4, years: 0.25}
      - {id: 2027Q1, years: 0.5}
    """
  static let hardware = """
    hardware:
      - {id: trainium2, opex_per_mw_year: 6.5}
      - {id: gb200, opex_per_mw_year: 8, capex_per_mw: 30}
    """
  static let sites = """
    sites:
      - id: indiana
        power_mw: 1000
    """
  static let offerings = """
    offerings:
      - id: claude
        use: bedrock
        pricing: revenue_share
        revenue_share: 0.25
        gross_revenue_per_mw_year: {trainium2: 26}
    """
}

/// A scenario file from sections; each section includes its own top-level key.
func scenarioYAML(
  periods: String = Base.periods, hardware: String = Base.hardware, companions: String = "",
  sites: String = Base.sites, offerings: String = Base.offerings, policies: String = "",
  stability: String = ""
) -> String {
  (["scenario: test", periods, hardware, companions, sites, offerings, policies, stability]
    .filter { !$0.isEmpty }).joined(separator: "\n") + "\n"
}

/// What a user would see for `yaml`: the load issues, or else the validation issues.
func issues(_ yaml: String, file: String = "test.yaml") -> [ScenarioIssue] {
  do {
    let document = try ScenarioLoader.parse(yaml: yaml, file: file)
    return ScenarioValidator.issues(
      in: document.scenario, file: document.file, sourceMap: document.sourceMap)
  } catch {
    return error.issues
  }
}

/// The 1-based line of the first line of `text` that contains `needle`.
func line(of needle: String, in text: String) -> Int? {
  text.split(separator: "\n", omittingEmptySubsequences: false)
    .firstIndex { $0.contains(needle) }
    .map { $0 + 1 }
}

/// Expects exactly one issue, at `path` and `line`, whose message contains `message`.
func expectOnly(
  _ issues: [ScenarioIssue], path: String, line: Int?, message: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(issues.count == 1, "issues: \(issues)", sourceLocation: sourceLocation)
  guard let issue = issues.first else { return }
  #expect(issue.path == path, sourceLocation: sourceLocation)
  #expect(issue.line == line, "\(issue)", sourceLocation: sourceLocation)
  #expect(issue.message.contains(message), "message: \(issue.message)", sourceLocation: sourceLocation)
  #expect(issue.file == "test.yaml", sourceLocation: sourceLocation)
}

/// Loads `yaml` and validates it, for tests that need a valid scenario.
func valid(_ yaml: String) throws -> ValidScenario {
  try ScenarioValidator.validate(ScenarioLoader.parse(yaml: yaml, file: "test.yaml"))
}

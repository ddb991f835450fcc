import Testing

@testable import CapacityModel

/// A scenario whose only offering is `body` (indented as an offering's fields, without `- `).
private func withOffering(_ body: String) -> String {
  let fields = body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
  return scenarioYAML(offerings: "offerings:\n  - id: o\n" + fields + "\n")
}

/// One test per validation rule on offerings: pricing fit, hardware maps, tiers, sites.
@Suite("Validation: offerings")
struct ValidationOfferingTests {
  @Test(arguments: [
    (
      "pricing: rental\nprice_per_mw_year: {gb200: 14}\nrevenue_share: 0.2", "revenue_share", "revenue_share",
      "rental"
    ),
    (
      "pricing: internal\nvalue_per_mw_year: {gb200: 1}\nprice_per_mw_year: {gb200: 14}", "price_per_mw_year",
      "rental", "internal"
    ),
    (
      "pricing: first_party\ngross_revenue_per_mw_year: {gb200: 30}\ncommitted_mw: 5", "committed_mw",
      "rental", "first_party"
    ),
    ("pricing: rental\nprice_per_mw_year: {gb200: 14}\nrequired_mw: 5", "required_mw", "internal", "rental"),
    (
      "pricing: internal\nvalue_per_mw_year: {gb200: 1}\ndemand_gross_revenue_per_year: 9",
      "demand_gross_revenue_per_year", "revenue_share or first_party", "internal"
    ),
    (
      "pricing: revenue_share\nrevenue_share: 0.2\ngross_revenue_per_mw_year: {gb200: 30}\ndemand_mw: 5",
      "demand_mw", "rental or internal", "revenue_share"
    ),
    (
      "pricing: first_party\ngross_revenue_per_mw_year: {gb200: 30}\ntiers: [{share: 0.2}]", "tiers",
      "revenue_share", "first_party"
    ),
    (
      "pricing: internal\nvalue_per_mw_year: {gb200: 1}\niaas_fee_per_mw_year: 7.5", "iaas_fee_per_mw_year",
      "revenue_share", "internal"
    ),
    (
      "pricing: rental\nprice_per_mw_year: {gb200: 14}\ngross_revenue_per_mw_year: {gb200: 30}",
      "gross_revenue_per_mw_year", "revenue_share or first_party", "rental"
    ),
  ])
  func aPricingFieldMustFitItsPricing(body: String, field: String, fitsFor: String, pricing: String) {
    let yaml = withOffering("use: u\n" + body)
    expectOnly(
      issues(yaml), path: "offerings[0].\(field)", line: line(of: "\(field):", in: yaml),
      message: "'\(field)' does not fit \(pricing) pricing (it is for \(fitsFor))")
  }

  @Test func thePricingsHardwareMapIsRequired() {
    let yaml = withOffering("use: iaas\npricing: rental\ndemand_mw: 10")
    expectOnly(
      issues(yaml), path: "offerings[0].price_per_mw_year", line: line(of: "- id: o", in: yaml),
      message:
        "missing required field 'price_per_mw_year': it names the hardware that can serve a rental offering")
  }

  @Test func aHardwareMapNamesKnownHardware() {
    let yaml = withOffering("use: iaas\npricing: rental\nprice_per_mw_year:\n  gb200: 14\n  h100: 9")
    expectOnly(
      issues(yaml), path: "offerings[0].price_per_mw_year.h100", line: line(of: "h100", in: yaml),
      message: "unknown hardware 'h100' (known: trainium2, gb200)")
    #expect(
      issues(yaml, file: "aws.yaml").first?.description
        == "aws.yaml:\(line(of: "h100", in: yaml) ?? 0): offerings[0].price_per_mw_year.h100: unknown hardware 'h100' (known: trainium2, gb200)"
    )
  }

  @Test func hardwareMapValuesCannotBeNegative() {
    let yaml = withOffering("use: b\npricing: first_party\ngross_revenue_per_mw_year: {trainium2: -26}")
    expectOnly(
      issues(yaml), path: "offerings[0].gross_revenue_per_mw_year.trainium2", line: line(of: "-26", in: yaml),
      message: "money cannot be negative, found -26")
  }

  @Test func anOfferingNoHardwareCanServeIsInvalid() {
    let yaml = withOffering("use: internal\npricing: internal\nvalue_per_mw_year: {}")
    expectOnly(
      issues(yaml), path: "offerings[0].value_per_mw_year", line: line(of: "value_per_mw_year", in: yaml),
      message: "names no hardware, so nothing can serve this offering")
  }

  @Test func anOfferingNoSiteCanServeIsInvalid() {
    let yaml = scenarioYAML(sites: "sites: []")
    expectOnly(
      issues(yaml), path: "offerings[0]", line: line(of: "- id: claude", in: yaml),
      message: "no site can serve this offering: the scenario has no sites")
  }

  @Test func revenueShareAndTiersAreNeverBothGiven() {
    let yaml = withOffering(
      "use: b\npricing: revenue_share\nrevenue_share: 0.25\ngross_revenue_per_mw_year: {trainium2: 26}\ntiers:\n  - {share: 0.3}"
    )
    expectOnly(
      issues(yaml), path: "offerings[0].tiers", line: line(of: "tiers:", in: yaml),
      message: "give either 'revenue_share' or 'tiers', not both")
  }

  @Test func revenueSharePricingNeedsAShareOrTiers() {
    let yaml = withOffering("use: b\npricing: revenue_share\ngross_revenue_per_mw_year: {trainium2: 26}")
    expectOnly(
      issues(yaml), path: "offerings[0].revenue_share", line: line(of: "- id: o", in: yaml),
      message: "revenue_share pricing needs 'revenue_share' or 'tiers'")
  }

  @Test func aShareLiesBetweenZeroAndOne() {
    let yaml = withOffering(
      "use: b\npricing: revenue_share\nrevenue_share: -0.1\ngross_revenue_per_mw_year: {trainium2: 26}")
    expectOnly(
      issues(yaml), path: "offerings[0].revenue_share", line: line(of: "-0.1", in: yaml),
      message: "a share must be between 0 and 1, found -0.1")
  }

  private func tiered(_ bands: String) -> String {
    withOffering(
      "use: b\npricing: revenue_share\ngross_revenue_per_mw_year: {trainium2: 26}\ntiers:\n" + bands)
  }

  @Test func tierUpToRisesStrictly() {
    let yaml = tiered("  - {up_to: 20000, share: 0.25}\n  - {up_to: 20000, share: 0.3}\n  - {share: 0.35}")
    expectOnly(
      issues(yaml), path: "offerings[0].tiers[1].up_to", line: line(of: "share: 0.3}", in: yaml),
      message: "'up_to' must rise strictly: 20000 is not above the previous band's 20000")
  }

  @Test func theFirstTierEdgeIsAboveZero() {
    let yaml = tiered("  - {up_to: 0, share: 0.25}\n  - {share: 0.3}")
    expectOnly(
      issues(yaml), path: "offerings[0].tiers[0].up_to", line: line(of: "up_to: 0", in: yaml),
      message: "0 is not above 0 (bands start at 0)")
  }

  @Test func onlyTheLastTierIsUnbounded() {
    let yaml = tiered("  - {share: 0.25}\n  - {share: 0.3}")
    expectOnly(
      issues(yaml), path: "offerings[0].tiers[0].up_to", line: line(of: "share: 0.25", in: yaml),
      message: "only the last band may be unbounded; this band needs an 'up_to'")
  }

  @Test func theLastTierIsUnbounded() {
    let yaml = tiered("  - {up_to: 100, share: 0.25}\n  - {up_to: 200, share: 0.3}")
    expectOnly(
      issues(yaml), path: "offerings[0].tiers[1].up_to", line: line(of: "up_to: 200", in: yaml),
      message: "the last band must be unbounded")
  }

  @Test func tiersHaveAtLeastOneBand() {
    let yaml = withOffering(
      "use: b\npricing: revenue_share\ngross_revenue_per_mw_year: {trainium2: 26}\ntiers: []")
    expectOnly(
      issues(yaml), path: "offerings[0].tiers", line: line(of: "tiers", in: yaml),
      message: "tiers needs at least one band")
  }

  @Test func tierSharesLieBetweenZeroAndOne() {
    let yaml = tiered("  - {up_to: 100, share: 0.25}\n  - {share: 1.3}")
    expectOnly(
      issues(yaml), path: "offerings[0].tiers[1].share", line: line(of: "share: 1.3", in: yaml),
      message: "a share must be between 0 and 1, found 1.3")
  }

  @Test func validTiersResolveAndSayWhetherTheyStayLinear() throws {
    let falling = try valid(tiered("  - {up_to: 100, share: 0.3}\n  - {share: 0.25}"))
    #expect(falling.offerings[0].tiers == [Tier(upTo: 100, share: 0.3), Tier(share: 0.25)])
    #expect(falling.offerings[0].revenueShare == nil)
    #expect(falling.offerings[0].servedBy[0].unitRevenuePerMWYear == 0, "the share part is tier revenue")
    #expect(falling.offerings[0].tierSharesNeverRise)
    let rising = try valid(tiered("  - {up_to: 100, share: 0.25}\n  - {share: 0.3}"))
    #expect(!rising.offerings[0].tierSharesNeverRise)
  }

  @Test func demandSeriesCannotBeNegative() {
    let yaml = withOffering(
      "use: iaas\npricing: rental\nprice_per_mw_year: {gb200: 14}\ncommitted_mw: {2026Q4: -5}")
    expectOnly(
      issues(yaml), path: "offerings[0].committed_mw.2026Q4", line: line(of: "committed_mw", in: yaml),
      message: "MW cannot be negative, found -5")
  }

  @Test func demandSeriesKeysArePeriods() {
    let yaml = withOffering(
      "use: b\npricing: first_party\ngross_revenue_per_mw_year: {gb200: 30}\ndemand_gross_revenue_per_year: {2030Q1: 9000}"
    )
    expectOnly(
      issues(yaml), path: "offerings[0].demand_gross_revenue_per_year.2030Q1",
      line: line(of: "2030Q1", in: yaml),
      message: "unknown period '2030Q1'")
  }

  @Test func availableFromNamesOnlyHardwareInTheMap() {
    let yaml = withOffering(
      "use: b\npricing: first_party\ngross_revenue_per_mw_year: {trainium2: 26}\navailable_from: {gb200: 2027Q1}"
    )
    expectOnly(
      issues(yaml), path: "offerings[0].available_from.gb200", line: line(of: "available_from", in: yaml),
      message:
        "'gb200' is not in this offering's gross_revenue_per_mw_year (trainium2), so it never serves it")
  }

  @Test func availableFromNamesAPeriod() {
    let yaml = withOffering(
      "use: b\npricing: first_party\ngross_revenue_per_mw_year: {trainium2: 26}\navailable_from:\n  trainium2: 2027Q3"
    )
    expectOnly(
      issues(yaml), path: "offerings[0].available_from.trainium2", line: line(of: "2027Q3", in: yaml),
      message: "unknown period '2027Q3' (periods: 2026Q3, 2026Q4, 2027Q1)")
  }

  @Test func offeringSitesMustExist() {
    let yaml = withOffering(
      "use: b\npricing: first_party\ngross_revenue_per_mw_year: {trainium2: 26}\nsites:\n  - indiana\n  - ohio"
    )
    expectOnly(
      issues(yaml), path: "offerings[0].sites[1]", line: line(of: "- ohio", in: yaml),
      message: "unknown site 'ohio' (sites: indiana)")
  }

  @Test func anEmptySiteListIsInvalid() {
    let yaml = withOffering(
      "use: b\npricing: first_party\ngross_revenue_per_mw_year: {trainium2: 26}\nsites: []")
    expectOnly(
      issues(yaml), path: "offerings[0].sites", line: line(of: "sites: []", in: yaml),
      message: "an empty site list leaves no site to serve the offering")
  }

  @Test func aSiteIsListedOnce() {
    let yaml = withOffering(
      "use: b\npricing: first_party\ngross_revenue_per_mw_year: {trainium2: 26}\nsites: [indiana, indiana]")
    expectOnly(
      issues(yaml), path: "offerings[0].sites[1]", line: line(of: "sites: [", in: yaml),
      message: "site 'indiana' is listed twice")
  }

  @Test func useCannotBeEmpty() {
    let yaml = withOffering("use: ''\npricing: first_party\ngross_revenue_per_mw_year: {trainium2: 26}")
    expectOnly(
      issues(yaml), path: "offerings[0].use", line: line(of: "use: ''", in: yaml),
      message: "'use' cannot be empty")
  }

  @Test func theSeedDealResolvesToTheSpecsUnitRevenue() throws {
    // Model spec, "Worked check": platform revenue per MW-year = 7.5 + 0.25 R.
    for gross in stride(from: 10.0, through: 40, by: 5) {
      let scenario = try valid(
        withOffering(
          "use: bedrock\npricing: revenue_share\nrevenue_share: 0.25\niaas_fee_per_mw_year: 7.5\n"
            + "gross_revenue_per_mw_year: {trainium2: \(gross)}"))
      #expect(scenario.offerings[0].servedBy[0].unitRevenuePerMWYear == 7.5 + 0.25 * gross)
      #expect(scenario.offerings[0].servedBy[0].grossRevenuePerMWYear == gross)
    }
  }
}

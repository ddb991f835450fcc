import Testing

@testable import CapacityModel

private let twoOfferings = """
  offerings:
    - id: claude
      use: bedrock
      pricing: revenue_share
      revenue_share: 0.25
      gross_revenue_per_mw_year: {trainium2: 26, gb200: 30}
    - id: gpu-rental
      use: iaas
      pricing: rental
      price_per_mw_year: {gb200: 14}
  """

private func withPolicy(_ policy: String) -> String {
  scenarioYAML(offerings: twoOfferings, policies: "policies:\n  - " + policy + "\n")
}

/// One test per validation rule on policies.
@Suite("Validation: policies")
struct ValidationPolicyTests {
  @Test func aValidPolicyResolvesItsGroup() throws {
    let scenario = try valid(
      withPolicy("{id: trn, kind: max_share, use: iaas, hardware: [gb200], share: 0.5}"))
    #expect(
      scenario.policies == [
        .init(id: "trn", kind: .maxShare, measure: .mw, share: 0.5, offerings: [1], hardware: [1])
      ])
    let single = try valid(
      withPolicy(
        "{id: trn, kind: min_share, offering: claude, hardware: [trainium2], share: 0.5, measure: gross_revenue}"
      ))
    #expect(single.policies[0].offerings == [0])
    #expect(single.policies[0].measure == .grossRevenue)
  }

  @Test func policyHardwareMustExist() {
    let yaml = withPolicy(
      "{id: trn, kind: min_share, use: bedrock, hardware: [trainium2, trainium3], share: 0.5}")
    expectOnly(
      issues(yaml), path: "policies[0].hardware[1]", line: line(of: "id: trn", in: yaml),
      message: "unknown hardware 'trainium3' (known: trainium2, gb200)")
  }

  @Test func anEmptyPolicyHardwareListIsInvalid() {
    let yaml = withPolicy("{id: trn, kind: min_share, use: bedrock, hardware: [], share: 0.5}")
    expectOnly(
      issues(yaml), path: "policies[0].hardware", line: line(of: "id: trn", in: yaml),
      message: "an empty hardware list is invalid")
  }

  @Test func policyHardwareIsListedOnce() {
    let yaml = withPolicy("{id: trn, kind: min_share, use: bedrock, hardware: [gb200, gb200], share: 0.5}")
    expectOnly(
      issues(yaml), path: "policies[0].hardware[1]", line: line(of: "id: trn", in: yaml),
      message: "hardware 'gb200' is listed twice")
  }

  @Test func aPolicysUseMustBeOneSomeOfferingHas() {
    let yaml = withPolicy("{id: trn, kind: min_share, use: bedrok, hardware: [trainium2], share: 0.5}")
    expectOnly(
      issues(yaml), path: "policies[0].use", line: line(of: "id: trn", in: yaml),
      message: "no offering has use 'bedrok' (uses: bedrock, iaas)")
  }

  @Test func aPolicysOfferingMustExist() {
    let yaml = withPolicy("{id: trn, kind: min_share, offering: claud, hardware: [trainium2], share: 0.5}")
    expectOnly(
      issues(yaml), path: "policies[0].offering", line: line(of: "id: trn", in: yaml),
      message: "unknown offering 'claud' (offerings: claude, gpu-rental)")
  }

  @Test func aPolicyNamesUseOrOfferingNotBoth() {
    let yaml = withPolicy(
      "{id: trn, kind: min_share, use: bedrock, offering: claude, hardware: [trainium2], share: 0.5}")
    expectOnly(
      issues(yaml), path: "policies[0].offering", line: line(of: "id: trn", in: yaml),
      message: "name either 'use' or 'offering', not both")
  }

  @Test func aPolicyNamesUseOrOffering() {
    let yaml = withPolicy("{id: trn, kind: min_share, hardware: [trainium2], share: 0.5}")
    expectOnly(
      issues(yaml), path: "policies[0].use", line: line(of: "id: trn", in: yaml),
      message: "missing required field 'use' (or 'offering')")
  }

  @Test func aGrossRevenuePolicyCannotCoverRentalOrInternalOfferings() {
    let yaml = withPolicy(
      "id: trn\n    kind: max_share\n    offering: gpu-rental\n    hardware: [gb200]\n    share: 0.5\n    measure: gross_revenue"
    )
    expectOnly(
      issues(yaml), path: "policies[0].measure", line: line(of: "measure:", in: yaml),
      message: "a gross_revenue policy covers only offerings with gross revenue, but 'gpu-rental' is rental")
  }

  @Test func aPolicyShareLiesBetweenZeroAndOne() {
    let yaml = withPolicy(
      "id: trn\n    kind: min_share\n    use: bedrock\n    hardware: [trainium2]\n    share: 50")
    expectOnly(
      issues(yaml), path: "policies[0].share", line: line(of: "share: 50", in: yaml),
      message: "a share must be between 0 and 1, found 50")
  }

  @Test func policyIdsAreUnique() {
    let yaml = scenarioYAML(
      offerings: twoOfferings,
      policies: """
        policies:
          - {id: trn, kind: min_share, use: bedrock, hardware: [trainium2], share: 0.5}
          - {id: trn, kind: max_share, use: bedrock, hardware: [gb200], share: 0.4}
        """)
    expectOnly(
      issues(yaml), path: "policies[1].id", line: line(of: "share: 0.4", in: yaml),
      message:
        "duplicate policy id 'trn' (also at policies[0].id, line \(line(of: "share: 0.5", in: yaml) ?? 0))")
  }

  @Test func aPolicyKindIsMinShareOrMaxShare() {
    let yaml = withPolicy("{id: trn, kind: at_least, use: bedrock, hardware: [trainium2], share: 0.5}")
    expectOnly(
      issues(yaml), path: "policies[0].kind", line: line(of: "id: trn", in: yaml),
      message: "unknown policy kind 'at_least' (allowed: min_share, max_share)")
  }
}

import Foundation
import Testing

@testable import CapacityModel

/// Constraint 6 of the model spec: min_share and max_share policies, measured in MW or gross
/// revenue, over a `use` group or a single offering.
///
/// One site with 14 MW of power (PUE 1), nothing installed, ample supply of trn and gpu (both
/// opex 4, capex 0), one year. Margins per MW-year:
///   claude (first_party, use bedrock): trn 10 - 4 = 6, gpu 20 - 4 = 16
///   trn-lease (rental, use bedrock):   trn 12 - 4 = 8
///   gpu-lease (rental, use iaas):      gpu 30 - 4 = 26, demand_mw 2
/// gpu-lease always takes its 2 MW (26 beats any blend of the rest, at most 16), earning 52;
/// the bedrock group shares the other 12 MW. Without a policy claude takes all 12 on gpu:
/// EBIT 52 + 12 * 16 = 244.
@Suite("Formulation: share policies")
struct FormulationPolicyTests {
  static func yaml(policy: String?) -> String {
    var text = """
      scenario: policies
      periods:
        - {id: fy, years: 1}
      hardware:
        - {id: trn, opex_per_mw_year: 4, supply_mw: 100}
        - {id: gpu, opex_per_mw_year: 4, supply_mw: 100}
      sites:
        - {id: east, power_mw: 14}
      offerings:
        - id: claude
          use: bedrock
          pricing: first_party
          gross_revenue_per_mw_year: {trn: 10, gpu: 20}
        - id: trn-lease
          use: bedrock
          pricing: rental
          price_per_mw_year: {trn: 12}
        - id: gpu-lease
          use: iaas
          pricing: rental
          price_per_mw_year: {gpu: 30}
          demand_mw: 2

      """
    if let policy { text += "policies:\n  - \(policy)\n" }
    return text
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var policy: String?
    var claudeTrn, claudeGpu, leaseTrn: Double
    var ebit: Double
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    // No policy: claude on gpu, 12 MW: 52 + 192 = 244.
    Case(name: "no policy", policy: nil, claudeTrn: 0, claudeGpu: 12, leaseTrn: 0, ebit: 244),
    // trn >= 50% of the bedrock group's MW (default measure mw), group = claude + trn-lease:
    // claude_trn + lease_trn >= claude_gpu. trn-lease (8) beats claude on trn (6), so the
    // group runs lease_trn = claude_gpu = 6: 6 * 8 + 6 * 16 = 144, plus 52 = 196.
    // (gpu-lease is use iaas and out of the group; counted in, trn would need 50% of 14.)
    Case(
      name: "min_share, use, mw",
      policy: "{id: trn-half, kind: min_share, use: bedrock, hardware: [trn], share: 0.5}",
      claudeTrn: 0, claudeGpu: 6, leaseTrn: 6, ebit: 196),
    // The same rule on offering claude alone: claude_trn >= claude_gpu, trn-lease free.
    // A claude pair earns (6 + 16) / 2 = 11 per MW against trn-lease's 8: claude 6 + 6,
    // 36 + 96 = 132, plus 52 = 184.
    Case(
      name: "min_share, offering, mw",
      policy: "{id: trn-half, kind: min_share, offering: claude, hardware: [trn], share: 0.5, measure: mw}",
      claudeTrn: 6, claudeGpu: 6, leaseTrn: 0, ebit: 184),
    // Measured in gross revenue: 10 claude_trn >= 0.5 (10 claude_trn + 20 claude_gpu), i.e.
    // claude_trn >= 2 claude_gpu. A claude triple earns (2 * 6 + 16) / 3 = 9.33 per MW > 8:
    // claude_gpu = 4, claude_trn = 8: 48 + 64 = 112, plus 52 = 164.
    Case(
      name: "min_share, offering, gross_revenue",
      policy:
        "{id: trn-half, kind: min_share, offering: claude, hardware: [trn], share: 0.5, measure: gross_revenue}",
      claudeTrn: 8, claudeGpu: 4, leaseTrn: 0, ebit: 164),
    // gpu at most 25% of the bedrock group's MW: claude_gpu <= 0.25 (claude_trn + claude_gpu +
    // lease_trn), so 3 claude_gpu <= trn MW. trn via trn-lease (8 > 6): claude_gpu = 3,
    // lease_trn = 9: 48 + 72 = 120, plus 52 = 172.
    Case(
      name: "max_share, use, mw",
      policy: "{id: gpu-quarter, kind: max_share, use: bedrock, hardware: [gpu], share: 0.25}",
      claudeTrn: 0, claudeGpu: 3, leaseTrn: 9, ebit: 172),
    // gpu at most half of claude's gross revenue: 20 claude_gpu <= 0.5 (10 claude_trn +
    // 20 claude_gpu), i.e. claude_trn >= 2 claude_gpu, the same as the min_share above: 164.
    Case(
      name: "max_share, offering, gross_revenue",
      policy:
        "{id: gpu-half, kind: max_share, offering: claude, hardware: [gpu], share: 0.5, measure: gross_revenue}",
      claudeTrn: 8, claudeGpu: 4, leaseTrn: 0, ebit: 164),
  ]

  @Test(arguments: cases)
  func policyOptimum(_ c: Case) throws {
    let plan = try solvedPlan(Self.yaml(policy: c.policy))
    #expect(plan.status == .optimal)
    expectClose(plan.mw("claude", "trn", "east", "fy"), c.claudeTrn, "claude on trn")
    expectClose(plan.mw("claude", "gpu", "east", "fy"), c.claudeGpu, "claude on gpu")
    expectClose(plan.mw("trn-lease", "trn", "east", "fy"), c.leaseTrn, "trn-lease on trn")
    expectClose(plan.mw("gpu-lease", "gpu", "east", "fy"), 2, "gpu-lease (outside every group)")
    expectClose(plan.totals?.ebit, c.ebit, "EBIT")
    // Power is full in every case: 14 MW installed, all in use.
    expectClose(try plan.power("east", "fy").usedMW, 14, "facility MW used")
  }
}

import Foundation
import Testing

@testable import CapacityModel

/// Demand cases where the two-stage plan meets the rest of capplan: the model written for one
/// case, an infeasible case, non-linear pricing's cash flows, and `alternatives`.
@Suite struct DemandCaseEdgeTests {
  static func model(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Models/\(name)").path
  }

  /// `solve --write` builds the model with `StochasticFormulation` as the solve does: one case
  /// with a risk weight is written as the deterministic model, without CVaR columns.
  @Test func oneCaseWithARiskWeightIsTheDeterministicModel() throws {
    var scenario = try ScenarioLoader.load(contentsOf: Self.model("aws-2026.yaml")).scenario
    scenario.uncertainty = nil
    let deterministic = Formulation(try ScenarioValidator.validate(scenario)).model
    scenario.uncertainty = Scenario.Uncertainty(
      cases: [Scenario.DemandCase(id: "only", probability: 1)],
      risk: Scenario.Risk(cvarAlpha: 0.9, weight: 0.3))
    let cases = try #require(try ScenarioValidator.validate(scenario).demandCases)
    let written = StochasticFormulation(cases).model
    #expect(!written.variableNames.contains("cvar_eta"))
    #expect(written.variableNames == deterministic.variableNames)
    #expect(written.constraintNames == deterministic.constraintNames)
    #expect(written.objectiveCoefficients == deterministic.objectiveCoefficients)
    #expect(written.nonzeroCount == deterministic.nonzeroCount)
  }

  /// The two-case example with `batch` required at its full 5 MW: the low case halves batch's
  /// demand to 2.5 MW, so it cannot meet the requirement and the plan over both cases has none.
  static let infeasibleLow = twoCaseExample.replacingOccurrences(
    of: "    demand_mw: 5\n", with: "    demand_mw: 5\n    required_mw: 5\n"
  ).replacingOccurrences(of: "demand_scale: {api: 0.5}", with: "demand_scale: {api: 0.5, batch: 0.5}")

  @Test(arguments: [false, true])
  func anInfeasibleCaseIsNamedAndNoCasePlanStandsForThePlan(elastic: Bool) throws {
    #expect(Self.infeasibleLow.contains("required_mw: 5"))
    var options = PlanOptions()
    options.elastic = elastic
    let plan = try solvedPlan(Self.infeasibleLow, options: options)
    #expect(plan.status == .infeasible)
    #expect(plan.message?.hasPrefix("demand case low is infeasible: ") == true, "\(plan.message ?? "")")
    #expect(plan.infeasibility?.summary.hasPrefix("demand case low: ") == true)
    #expect(plan.infeasibility?.conflicts.isEmpty == false)
    #expect(plan.allocations.isEmpty)
    #expect(plan.installs.isEmpty)
    // What would have to give in the low case: 2.5 of batch's 5 required MW.
    let short = try #require(plan.infeasibility?.shortfalls?.first { $0.subject == "batch" })
    #expect(short.kind == .required)
    expectClose(short.amount, 2.5, "batch's shortfall")
    #expect(plan.message?.contains("no elastic plan over demand cases") == elastic)
  }

  /// With tiers the lab side is not linear in the allocations, so the plan over cases leaves it
  /// out; its cash flows must not pay the labs what its lab section does not show.
  @Test func tieredCasesPayTheLabsWhatTheLabSectionShows() throws {
    var scenario = try ScenarioLoader.load(contentsOf: Self.model("tiered-deal.yaml")).scenario
    scenario.uncertainty = Scenario.Uncertainty(cases: [
      Scenario.DemandCase(id: "low", probability: 0.5, demandScale: IDMap(["claude": 0.8])),
      Scenario.DemandCase(id: "high", probability: 0.5, demandScale: IDMap(["claude": 1.2])),
    ])
    var options = PlanOptions()
    options.valueOfInformation = false
    let plan = try Planner.plan(ScenarioValidator.validate(scenario), options: options)
    #expect(plan.status.hasSolution)
    #expect(plan.uncertainty?.cases.count == 2)
    let labPayout = plan.lab.reduce(0) { $0 + $1.grossRevenue - $1.platformRevenue }
    let flows = try #require(plan.cashFlows)
    expectClose(flows.total.labPayout, labPayout, "total lab payout")
    for row in flows.periods { #expect(row.labPayout == 0, "\(row.id)") }
    #expect(plan.lab.isEmpty)
    #expect(plan.economics == nil)
  }

  @Test func alternativesRefusesDemandCases() throws {
    let scenario = try ScenarioValidator.validate(
      ScenarioLoader.load(contentsOf: Self.model("aws-2026-uncertain.yaml")).scenario)
    do {
      _ = try Alternatives.find(scenario, slack: 0.02, count: 1)
      Issue.record("alternatives planned over demand cases")
    } catch {
      #expect(error.message.contains("uncertainty section has 3 demand cases"), "\(error.message)")
    }
  }
}

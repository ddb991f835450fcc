import Foundation
import Testing

@testable import CapacityModel

/// The hand-worked two-case example. One site, one hardware (capex 30, life 5: depreciation
/// d = 6 per MW-year), one year. `api` rents at P = 10 per MW-year with demand 10 MW (low) or
/// 30 MW (high), probability 1/2 each; `batch` (internal) is worth V = 4 per MW-year, up to 5 MW,
/// in both cases. The first stage is y, the MW installed; allocations follow the case.
///
/// EBIT_low(y) = 10 min(y, 10) + 4 min(max(y - 10, 0), 5) - 6y, EBIT_high(y) = 10 min(y, 30) - 6y.
/// - Each case alone: the first 10 (30) MW earn P - d = 4 each; batch MW earn V - d = -2, so
///   low alone installs 10 (EBIT 40) and high alone 30 (EBIT 120): wait-and-see 80.
/// - Together, the expected EBIT rises by P - d = 4 per MW up to 10; from 10 to 15 by
///   (P + V)/2 - d = 1 (high rents it, low runs batch on it); from 15 to 30 by P/2 - d = -1.
///   So y = 15: low 100 + 20 - 90 = 30, high 150 - 90 = 60, expected 45, EVPI 80 - 45 = 35.
/// - The expected demand is 20 MW: planned alone it installs 20 (batch's -2 keeps it there).
///   Across the cases: low 100 + 20 - 120 = 0, high 200 - 120 = 80, expected 40, VSS 45 - 40 = 5.
/// - CVaR at 0.5 is the low case's EBIT (30 at y = 15). Low's EBIT peaks at y = 10 (40), where
///   the expected EBIT is 40: with weight w, y = 15 scores (1 - w) 45 + w 30 and y = 10 scores
///   40, so y = 15 for w < 1/3 and y = 10 above.
/// Read from Tests/Fixtures/two-demand-cases.yaml, which the CLI tests solve too.
let twoCaseExample = testFixture("two-demand-cases.yaml")

/// A file of Tests/Fixtures (shared by the test targets, read through the package root); a
/// missing file gives text that fails to parse with the path in it.
func testFixture(_ name: String) -> String {
  let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent(name).path
  return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "missing test fixture: \(path)"
}

@Suite struct DemandUncertaintyTests {
  @Test func twoCaseExampleMatchesTheHandWorkedAnswer() throws {
    let plan = try solvedPlan(twoCaseExample)
    #expect(plan.status == .optimal)
    let u = try #require(plan.uncertainty)
    #expect(plan.installs.map(\.mw) == [15])
    expectClose(u.expectedEbit, 45, "expected EBIT")
    expectClose(plan.totals?.ebit, 45, "the plan's EBIT is the expected one")
    expectClose(u.cases[0].ebit, 30, "low")
    expectClose(u.cases[1].ebit, 60, "high")
    expectClose(u.cases[0].aloneEbit, 40, "low alone")
    expectClose(u.cases[1].aloneEbit, 120, "high alone")
    expectClose(u.waitAndSeeEbit, 80, "wait and see")
    expectClose(u.evpi, 35, "EVPI")
    expectClose(u.cases[0].expectedDemandPlanEbit, 0, "low under the expected-demand installs")
    expectClose(u.cases[1].expectedDemandPlanEbit, 80, "high under the expected-demand installs")
    expectClose(u.expectedDemandPlanEbit, 40, "EEV")
    expectClose(u.vss, 5, "VSS")
    expectClose(u.cvar, 30, "CVaR at 0.5 is the low case")
    #expect(u.cases.map(\.id) == ["low", "high"])
    #expect(plan.mw(offering: "api", period: "Y1") == 12.5)
    #expect(u.cases[0].allocations.contains { $0.offering == "batch" && $0.mw == 5 })
  }

  @Test func riskWeightAboveAThirdInstallsForTheLowCase() throws {
    for (weight, install, expected, cvar) in [(0.25, 15.0, 45.0, 30.0), (0.5, 10, 40, 40), (1, 10, 40, 40)] {
      let scenario = try parsedScenario(twoCaseExample).setting("uncertainty.risk.weight", to: weight)
      let plan = try Planner.plan(ScenarioValidator.validate(scenario))
      let u = try #require(plan.uncertainty)
      #expect(plan.installs.map(\.mw) == [install], "weight \(weight)")
      expectClose(u.expectedEbit, expected, "expected EBIT at weight \(weight)")
      expectClose(u.cvar, cvar, "CVaR at weight \(weight)")
      // The objective is the weighted mix: (1 - w) E + w CVaR.
      expectClose(plan.objective, (1 - weight) * expected + weight * cvar, "objective at weight \(weight)")
      // Allocations are each case's best under the installs, even where CVaR alone would not ask.
      expectClose(u.cases[1].ebit, install == 10 ? 40 : 60, "high at weight \(weight)")
    }
  }

  @Test func skippingTheExtraSolvesLeavesEVPIAndVSSOut() throws {
    var options = PlanOptions()
    options.valueOfInformation = false
    let plan = try solvedPlan(twoCaseExample, options: options)
    #expect(plan.uncertainty?.evpi == nil)
    #expect(plan.uncertainty?.vss == nil)
    expectClose(plan.uncertainty?.expectedEbit, 45)
  }

  @Test func theTwoStageModelNamesEveryRowAndColumnOnceWithItsCase() throws {
    let valid = try ScenarioValidator.validate(
      parsedScenario(twoCaseExample).setting("uncertainty.risk.weight", to: 0.3))
    let cases = try #require(valid.demandCases)
    let model = StochasticFormulation(cases).model
    #expect(Set(model.variableNames).count == model.variableCount)
    #expect(Set(model.constraintNames).count == model.constraintCount)
    #expect(model.variableNames.contains("new[s1,gpu,Y1]"))
    #expect(model.variableNames.contains("x[api,gpu,s1,Y1]@1"))
    #expect(model.variableNames.contains("x[api,gpu,s1,Y1]@2"))
    #expect(model.variableNames.contains("cvar_eta"))
    #expect(model.constraintNames.contains("demand_mw[api,Y1]@2"))
    #expect(model.constraintNames.filter { $0.hasPrefix("power[") }.count == 1)
  }

  @Test func aSweepOverTheRiskWeightTracesTheFrontier() throws {
    let sweep = try Sweep(axes: [SweepAxis(parsing: "uncertainty.risk.weight=0:1:0.25")])
    let points = sweep.run(
      try parsedScenario(twoCaseExample), file: "two.yaml", options: PlanOptions(), parallel: 2)
    func figures(_ metric: PlanMetric) -> [Double?] {
      points.map { $0.plan?.value(of: metric).map { ($0 * 1e6).rounded() / 1e6 } }
    }
    #expect(figures(.ebit) == [45, 45, 40, 40, 40])
    #expect(figures(.cvar) == [30, 30, 40, 40, 40])
    #expect(figures(.vss) == [5, 5, 0, 0, 0])
    #expect(figures(.evpi) == [35, 35, 40, 40, 40])
  }

  @Test func editingNamesWhatExists() throws {
    let base = try parsedScenario(twoCaseExample)
    #expect(
      try base.setting("uncertainty.cases.low.probability", to: 0.4).uncertainty?.cases[0].probability == 0.4)
    #expect(
      try base.setting("uncertainty.cases.low.demand_scale.api", to: 0.7).uncertainty?.cases[0].demandScale?[
        "api"]
        == 0.7)
    #expect(throws: ScenarioEditError.self) { try base.setting("uncertainty.cases.mid.probability", to: 1) }
    #expect(throws: ScenarioEditError.self) {
      try base.setting("uncertainty.cases.high.demand_scale.api", to: 1)
    }
  }
}

/// One demand case of probability 1 is the deterministic scenario: the same plan, every model.
@Suite struct SingleDemandCaseTests {
  static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Models")

  @Test(arguments: [
    "aws-2026.yaml", "aws-2026-uncertain.yaml", "infeasible-power.yaml", "seed-bedrock-deal.yaml",
    "tiered-deal.yaml",
  ])
  func aSingleCaseGivesTheDeterministicPlan(_ name: String) throws {
    var scenario = try ScenarioLoader.load(contentsOf: Self.models.appendingPathComponent(name).path).scenario
    scenario.uncertainty = nil
    var options = PlanOptions()
    options.settings.relativeGap = 0
    let deterministic = try Planner.plan(ScenarioValidator.validate(scenario), options: options)
    for weight in [0.0, 0.3] {
      scenario.uncertainty = Scenario.Uncertainty(
        cases: [Scenario.DemandCase(id: "only", probability: 1)],
        risk: Scenario.Risk(cvarAlpha: 0.9, weight: weight))
      let plan = try Planner.plan(ScenarioValidator.validate(scenario), options: options)
      #expect(plan.status == deterministic.status, "\(name)")
      guard deterministic.status.hasSolution else {
        #expect(plan.infeasibility?.conflicts == deterministic.infeasibility?.conflicts, "\(name)")
        continue
      }
      let ebit = try #require(deterministic.totals?.ebit)
      let tolerance = 1e-9 * max(1, abs(ebit))
      expectClose(plan.totals?.ebit, ebit, "\(name) EBIT", tolerance: tolerance)
      expectClose(plan.uncertainty?.expectedEbit, ebit, "\(name) expected EBIT", tolerance: tolerance)
      expectClose(plan.uncertainty?.cvar, ebit, "\(name) CVaR", tolerance: tolerance)
      expectClose(
        plan.objective, deterministic.objective ?? .nan, "\(name) objective",
        tolerance: 1e-6 * max(1, abs(ebit)))
      expectClose(plan.uncertainty?.evpi, 0, "\(name) EVPI", tolerance: 1e-6 * max(1, abs(ebit)))
      expectClose(plan.uncertainty?.vss, 0, "\(name) VSS", tolerance: 1e-6 * max(1, abs(ebit)))
      // One case needs no extra solves: both figures are 0 exactly, and its case is the plan.
      #expect(plan.uncertainty?.evpi == 0, "\(name)")
      #expect(plan.uncertainty?.vss == 0, "\(name)")
      #expect(plan.uncertainty?.cases.first?.allocations == deterministic.allocations, "\(name)")
      #expect(plan.installs == deterministic.installs, "\(name)")
      #expect(plan.expansions == deterministic.expansions, "\(name)")
      // A single case is modelled without its risk term whatever the weight (CVaR of one outcome
      // is that outcome), so it is the deterministic model and its allocations are the same.
      #expect(plan.allocations == deterministic.allocations, "\(name)")
    }
  }
}

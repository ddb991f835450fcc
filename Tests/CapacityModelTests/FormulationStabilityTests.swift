import Foundation
import Testing

@testable import CapacityModel

/// The stability move cost: with a previous plan, the solver maximizes
/// EBIT - move_cost * sum |x - x_prev| over the periods the previous plan covers; EBIT is
/// reported without it.
///
/// chat (first_party, gross 10 per MW-year, capped at 100 a year, so 10 MW) can run on `old`
/// at east (opex 5, margin 5) or on `new` at west (opex 4.8, margin 5.2): west is slightly
/// better, by 0.2 per MW-year. Periods last half a year.
@Suite("Formulation: stability against a previous plan")
struct FormulationStabilityTests {
  static func yaml(periods: [String], moveCost: Double, westNew: Double = 10) -> String {
    """
    scenario: stability
    periods:
    \(periods.map { "  - {id: \($0), years: 0.5}" }.joined(separator: "\n"))
    hardware:
      - {id: old, opex_per_mw_year: 5}
      - {id: new, opex_per_mw_year: 4.8}
    sites:
      - id: east
        power_mw: 100
        installed_mw: {old: 10}
      - id: west
        power_mw: 100
        installed_mw: {new: \(westNew)}
    offerings:
      - id: chat
        use: first-party
        pricing: first_party
        gross_revenue_per_mw_year: {old: 10, new: 10}
        demand_gross_revenue_per_year: 100
    stability:
      move_cost: \(moveCost)
    """
  }

  /// The previous plan: the same scenario before west had any `new`, so chat ran at east.
  static func previousPlan() throws -> Plan {
    let plan = try solvedPlan(yaml(periods: ["p1"], moveCost: 0.08, westNew: 0))
    expectClose(plan.mw("chat", "old", "east", "p1"), 10, "previous plan at east")
    return plan
  }

  @Test func theFirstPlanGivesItsAllocationsAndPeriods() throws {
    let previous = try Self.previousPlan().previousAllocations
    #expect(previous.periods == ["p1"])
    #expect(
      previous.mw == [
        PreviousAllocations.Entry(offering: "chat", hardware: "old", site: "east", period: "p1"): 10
      ])
  }

  @Test func withoutAPreviousPlanTheBetterSiteWins() throws {
    // 10 MW at west: EBIT rate 10 * 5.2 = 52, over half a year 26. No stability report.
    let plan = try solvedPlan(Self.yaml(periods: ["p1"], moveCost: 0.08))
    expectClose(plan.mw("chat", "new", "west", "p1"), 10)
    expectClose(plan.totals?.ebit, 26)
    #expect(plan.stability == nil)
  }

  @Test func aHighMoveCostKeepsThePreviousAllocation() throws {
    // Moving 1 MW from east to west gains 0.2 * 0.5 year = 0.1 of EBIT and changes two
    // allocations by 1 MW each (down at east, up at west): 2 * 0.08 = 0.16 > 0.1. Keep all 10
    // at east: EBIT 10 * 5 * 0.5 = 25 = objective, nothing moved.
    // (The move cost is one-time, not weighted by years: weighted, 2 * 0.08 * 0.5 = 0.08 < 0.1
    // and chat would move. Break-even is move_cost = 0.05.)
    var options = PlanOptions()
    options.previous = try Self.previousPlan().previousAllocations
    let plan = try solvedPlan(Self.yaml(periods: ["p1"], moveCost: 0.08), options: options)
    #expect(plan.status == .optimal)
    expectClose(plan.mw("chat", "old", "east", "p1"), 10, "kept at east")
    expectClose(plan.mw("chat", "new", "west", "p1"), 0, "nothing at west")
    let stability = try #require(plan.stability)
    #expect(stability.previousPeriods == ["p1"])
    expectClose(stability.mwMoved, 0, "MW moved")
    expectClose(stability.moveCost, 0, "move cost")
    expectClose(stability.unmatchedMW, 0, "unmatched")
    expectClose(plan.totals?.ebit, 25, "EBIT")
    expectClose(plan.objective, 25, "objective")
  }

  @Test func aLowMoveCostMovesAndIsReportedBesideEBIT() throws {
    // move_cost 0.02: 2 * 0.02 = 0.04 < 0.1 per MW, so all 10 MW move: 10 down at east and 10 up
    // at west, sum |x - x_prev| = 20 MW, cost 20 * 0.02 = 0.4. EBIT (without the move cost)
    // 26; objective = 26 - 0.4 = 25.6.
    var options = PlanOptions()
    options.previous = try Self.previousPlan().previousAllocations
    let plan = try solvedPlan(Self.yaml(periods: ["p1"], moveCost: 0.02), options: options)
    #expect(plan.status == .optimal)
    expectClose(plan.mw("chat", "new", "west", "p1"), 10, "moved to west")
    expectClose(plan.mw("chat", "old", "east", "p1"), 0, "nothing left at east")
    let stability = try #require(plan.stability)
    expectClose(stability.mwMoved, 20, "MW moved: 10 down + 10 up")
    expectClose(stability.moveCost, 0.4, "move cost")
    expectClose(plan.totals?.ebit, 26, "EBIT excludes the move cost")
    expectClose(try plan.period("p1").ebit, 52, "EBIT rate")
    expectClose(plan.objective, 25.6, "objective = EBIT - move cost")
    expectClose(plan.objective, (plan.totals?.ebit ?? 0) - stability.moveCost, "objective = EBIT - move cost")
  }

  @Test func previousEntriesThatMatchNothingAreReportedAsUnmatched() throws {
    // A hand-built previous plan: chat at east as before, plus 3 MW of an offering this
    // scenario no longer has and 2 MW in a period (p0) it does not plan. Those 5 MW match no
    // x and change nothing: the plan is the one of the high-move-cost test.
    var options = PlanOptions()
    options.previous = PreviousAllocations(
      periods: ["p0", "p1"],
      mw: [
        .init(offering: "chat", hardware: "old", site: "east", period: "p1"): 10,
        .init(offering: "retired", hardware: "old", site: "east", period: "p1"): 3,
        .init(offering: "chat", hardware: "old", site: "east", period: "p0"): 2,
      ])
    let plan = try solvedPlan(Self.yaml(periods: ["p1"], moveCost: 0.08), options: options)
    #expect(plan.status == .optimal)
    let stability = try #require(plan.stability)
    expectClose(stability.unmatchedMW, 5, "unmatched MW")
    #expect(stability.previousPeriods == ["p1"], "only the covered periods this scenario has")
    expectClose(stability.mwMoved, 0, "MW moved")
    expectClose(plan.mw("chat", "old", "east", "p1"), 10)
    expectClose(plan.objective, 25)
  }

  @Test func aRollingHorizonChargesNothingInPeriodsThePreviousPlanDoesNotCover() throws {
    // The previous plan covers p1 only. With move_cost 0.08, p1 keeps chat at east (EBIT rate
    // 50); p2 is new, so chat goes straight to west (rate 52) at no cost.
    // EBIT 0.5 * 50 + 0.5 * 52 = 51 = objective; nothing moved, nothing charged.
    var options = PlanOptions()
    options.previous = try Self.previousPlan().previousAllocations
    let plan = try solvedPlan(Self.yaml(periods: ["p1", "p2"], moveCost: 0.08), options: options)
    #expect(plan.status == .optimal)
    expectClose(plan.mw("chat", "old", "east", "p1"), 10, "p1 kept at east")
    expectClose(plan.mw("chat", "new", "west", "p2"), 10, "p2 at west")
    let stability = try #require(plan.stability)
    #expect(stability.previousPeriods == ["p1"])
    expectClose(stability.mwMoved, 0, "MW moved")
    expectClose(stability.moveCost, 0, "move cost")
    expectClose(try plan.period("p1").ebit, 50, "p1 EBIT rate")
    expectClose(try plan.period("p2").ebit, 52, "p2 EBIT rate")
    expectClose(plan.totals?.ebit, 51, "EBIT")
    expectClose(plan.objective, 51, "objective: no charge in p2")
  }
}

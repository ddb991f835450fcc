import Foundation

extension Planner {
  /// A move cost small enough never to outweigh EBIT ($1 per MW), that only breaks ties: an LP
  /// has many optimal plans, and without it the one GLPK returns may move thousands of MW for no
  /// EBIT at all, which would overstate the MW the real move cost keeps in place.
  static let tieBreakingMoveCost = 1e-6

  /// The price of stability of `plan`, solved with `options.previous` and a move cost: the same
  /// scenario solved again as if moves were free (warm-started from `plan`; ties between equally
  /// good plans go to the one that moves least), the EBIT that gives, and the MW it would move.
  /// Nil when that solve has no solution.
  static func priceOfStability(_ plan: Plan, scenario: ValidScenario, options: PlanOptions)
    -> Plan.PriceOfStability?
  {
    // What the solve maximized is what stability gives up: EBIT, or NPV for `--objective npv`.
    let measure = options.settings.objective
    func value(_ p: Plan) -> Double? { measure == .npv ? p.cashFlows?.npv : p.totals?.ebit }
    guard let previous = options.previous, let ebit = value(plan) else { return nil }
    var raw = scenario.asWritten
    raw.stability = Scenario.Stability(moveCost: tieBreakingMoveCost)
    let free = ValidScenario(resolving: raw)
    var freeOptions = options
    freeOptions.warmStart = plan.warmStart
    freeOptions.progress = nil
    let formulation = Formulation(free, previous: previous, objective: options.settings.objective)
    guard let solution = try? solve(formulation, options: freeOptions) else { return nil }
    let freePlan = explain(formulation, solution: solution, options: freeOptions)
    guard freePlan.status.hasSolution, let freeEBIT = value(freePlan) else { return nil }
    let movedFree = freePlan.stability?.mwMoved ?? mwMoved(freePlan, against: previous, scenario: scenario)
    let movedStable = plan.stability?.mwMoved ?? mwMoved(plan, against: previous, scenario: scenario)
    // Float noise (and a MIP's gap) can make the free plan a hair worse: nothing was given up then.
    let givenUp = max(0, freeEBIT - ebit)
    let kept = max(0, movedFree - movedStable)
    return Plan.PriceOfStability(
      ebitWithoutMoveCost: freeEBIT, ebitGivenUp: givenUp, mwMovedWithoutMoveCost: movedFree, mwKept: kept,
      text:
        "$\(NumberText.grouped(givenUp))M of \(measure == .npv ? "NPV" : "EBIT") given up to avoid moving "
        + "\(NumberText.mw(kept)) MW")
  }

  /// Sum of |x - x_prev| over this scenario's allocation columns in the periods `previous`
  /// covers: what the move cost charges for (previous MW that match no column are not counted).
  static func mwMoved(_ plan: Plan, against previous: PreviousAllocations, scenario sc: ValidScenario)
    -> Double
  {
    let covered = Set(previous.periods)
    var x: [PreviousAllocations.Entry: Double] = [:]
    for a in plan.allocations where covered.contains(a.period) {
      x[
        PreviousAllocations.Entry(offering: a.offering, hardware: a.hardware, site: a.site, period: a.period),
        default: 0] += a.mw
    }
    var moved = 0.0
    for (key, mw) in x { moved += abs(mw - (previous.mw[key] ?? 0)) }
    for (key, mw) in previous.mw where x[key] == nil && covered.contains(key.period) {
      guard let o = sc.offeringIndex(key.offering), let h = sc.hardwareIndex(key.hardware),
        let s = sc.siteIndex(key.site), let t = sc.periodIndex(key.period),
        sc.canServe(offering: o, hardware: h, site: s, period: t)
      else { continue }
      moved += abs(mw)
    }
    return moved
  }

  /// The share of `previous`'s MW that matches an allocation column of `scenario`.
  public static func matchedShare(of previous: PreviousAllocations, in sc: ValidScenario) -> Double? {
    var total = 0.0
    var matched = 0.0
    for (key, mw) in previous.mw {
      total += abs(mw)
      if let o = sc.offeringIndex(key.offering), let h = sc.hardwareIndex(key.hardware),
        let s = sc.siteIndex(key.site), let t = sc.periodIndex(key.period),
        sc.canServe(offering: o, hardware: h, site: s, period: t)
      {
        matched += abs(mw)
      }
    }
    return total > 0 ? matched / total : nil
  }
}

import Foundation

extension Planner {
  /// The price of stability of `plan`, solved with `options.previous` and a move cost: the same
  /// scenario solved again without the move cost (warm-started from `plan`), the EBIT that gives,
  /// and the MW it would move. Nil when that solve has no solution.
  static func priceOfStability(_ plan: Plan, scenario: ValidScenario, options: PlanOptions)
    -> Plan.PriceOfStability?
  {
    guard let previous = options.previous, let ebit = plan.totals?.ebit else { return nil }
    var free = options
    free.previous = nil
    free.warmStart = plan.warmStart
    free.progress = nil
    let formulation = Formulation(scenario)
    guard let solution = try? solve(formulation, options: free) else { return nil }
    let freePlan = explain(formulation, solution: solution, options: free)
    guard freePlan.status.hasSolution, let freeEBIT = freePlan.totals?.ebit else { return nil }
    let movedFree = mwMoved(freePlan, against: previous, scenario: scenario)
    let movedStable = plan.stability?.mwMoved ?? mwMoved(plan, against: previous, scenario: scenario)
    let givenUp = freeEBIT - ebit
    let kept = max(0, movedFree - movedStable)
    return Plan.PriceOfStability(
      ebitWithoutMoveCost: freeEBIT, ebitGivenUp: givenUp, mwMovedWithoutMoveCost: movedFree, mwKept: kept,
      text: "$\(moneyText(givenUp))M of EBIT given up to avoid moving \(mwText(kept)) MW")
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

  /// 35.0, 1,180.5: one decimal with thousands separators.
  static func moneyText(_ x: Double) -> String {
    let f = NumberFormatter()
    f.numberStyle = .decimal
    f.minimumFractionDigits = 1
    f.maximumFractionDigits = 1
    f.locale = Locale(identifier: "en_US_POSIX")
    f.usesGroupingSeparator = true
    f.groupingSeparator = ","
    f.groupingSize = 3
    return f.string(from: NSNumber(value: abs(x) < 0.05 ? 0 : x)) ?? String(format: "%.1f", x)
  }

  /// 1,180 or 12.5: whole MW without decimals.
  static func mwText(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    if r == r.rounded() {
      let f = NumberFormatter()
      f.numberStyle = .decimal
      f.maximumFractionDigits = 0
      f.groupingSeparator = ","
      f.usesGroupingSeparator = true
      f.groupingSize = 3
      return f.string(from: NSNumber(value: r)) ?? String(format: "%.0f", r)
    }
    return moneyText(r)
  }
}

import CapacityModel

/// The demand-case sections of a two-stage plan: EBIT by case, what the uncertainty is worth,
/// and each case's allocations (the installs and expansions tables are shared by every case).
extension PlanTables {
  /// One line for the headline: expected EBIT, CVaR, EVPI and VSS.
  var uncertaintyHeadline: String? {
    guard let u = plan.uncertainty else { return nil }
    var s =
      "Over \(u.cases.count) demand case\(u.cases.count == 1 ? "" : "s"): expected EBIT $\(money(u.expectedEbit))M"
    s += ", CVaR at \(NumberText.plain(u.cvarAlpha)) $\(money(u.cvar))M"
    if let evpi = u.evpi { s += ", EVPI $\(money(evpi))M" }
    if let vss = u.vss { s += ", VSS $\(money(vss))M" }
    return s + " (installs and expansions shared by every case)"
  }

  var demandCases: Table? {
    guard let u = plan.uncertainty else { return nil }
    var t = Table(
      "EBIT by demand case ($M over the horizon; installs and expansions shared by every case)",
      columns: [
        "case", "probability", "revenue", "EBIT", "EBIT case alone", "EBIT with expected-demand installs",
      ])
    for c in u.cases {
      t.add([
        c.id, percent(c.probability), money(c.revenue), money(c.ebit), c.aloneEbit.map { money($0) } ?? "-",
        c.expectedDemandPlanEbit.map { money($0) } ?? "-",
      ])
    }
    t.add([
      "expected", percent(1), money(plan.totals?.revenue ?? 0), money(u.expectedEbit),
      u.waitAndSeeEbit.map { money($0) } ?? "-", u.expectedDemandPlanEbit.map { money($0) } ?? "-",
    ])
    return t
  }

  var uncertaintyValues: Table? {
    guard let u = plan.uncertainty else { return nil }
    var t = Table("What the demand uncertainty is worth ($M over the horizon)", columns: ["figure", "value"])
    t.add(["expected EBIT", money(u.expectedEbit, 2)])
    t.add([
      "CVaR of EBIT at \(NumberText.plain(u.cvarAlpha)) (worst \(percent(1 - u.cvarAlpha)))",
      money(u.cvar, 2),
    ])
    t.add(["CVaR weight in the objective", NumberText.plain(u.riskWeight)])
    t.add(["EBIT with perfect foresight (each case alone)", u.waitAndSeeEbit.map { money($0, 2) } ?? "-"])
    t.add(["EVPI: what a perfect forecast is worth", u.evpi.map { money($0, 2) } ?? "-"])
    t.add([
      "EBIT of the expected-demand plan across the cases",
      u.expectedDemandPlanEbit.map { money($0, 2) } ?? "-",
    ])
    t.add(["VSS: what planning for the cases gains", u.vss.map { money($0, 2) } ?? "-"])
    if let note = u.note { t.add(["note", note]) }
    return t
  }

  /// Allocated MW by offering and case, summed over hardware and sites.
  var caseAllocations: Table? {
    guard let u = plan.uncertainty else { return nil }
    var t = Table(
      "Allocated MW by demand case (summed over hardware and sites)",
      columns: ["offering", "case"] + periodIDs)
    t.firstNumeric = 2
    var offerings: [String] = []
    for c in u.cases {
      for a in c.allocations where !offerings.contains(a.offering) { offerings.append(a.offering) }
    }
    for o in offerings {
      for c in u.cases {
        var mw: [String: Double] = [:]
        for a in c.allocations where a.offering == o { mw[a.period, default: 0] += a.mw }
        t.add([o, c.id] + periodIDs.map { fixed(mw[$0] ?? 0, 1) })
      }
    }
    return t
  }

  /// Appended to the titles of tables that show a two-stage plan's probability-weighted figures.
  var expectedNote: String {
    plan.uncertainty == nil ? "" : ", expected over the demand cases"
  }

  var uncertaintyTables: [Table] { [demandCases, uncertaintyValues, caseAllocations].compactMap { $0 } }
}

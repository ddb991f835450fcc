import CapacityModel
import Foundation
import JobQueue

/// `capplan plans show`: a stored plan as a planner reads it. Sections:
/// summary, per-period financials, allocations pivoted offering x hardware per
/// period, installs and expansions, site power against its limit with the
/// marginal value of power, the binding constraints, all marginal values, and
/// the solver record.
struct PlanShowTables {
  let stored: StoredPlan
  var plan: Plan { stored.plan }
  var base: PlanTables { PlanTables(plan: plan) }

  var summary: Table {
    // `plans show` reads stored plans only; a plan file has no store record to list.
    let s = stored.summary
    var t = Table(stored.title, columns: ["field", "value"], firstNumeric: 2)
    t.add(["scenario", plan.scenario])
    t.add(["status", plan.status.rawValue])
    if let s {
      t.add(["created", isoDate(s.createdAt)])
      t.add(["job (attempt)", "\(s.jobID) (\(s.attempt))"])
      t.add(["scenario SHA-256", String(s.scenarioSHA256.prefix(16)) + "..."])
    }
    if let totals = plan.totals {
      let years = plan.periods.reduce(0) { $0 + $1.years }
      t.add(["horizon", "\(plan.periods.count) periods, \(fixed(years, 2)) years"])
      t.add(["EBIT ($M over the horizon)", money(totals.ebit)])
      t.add(["revenue ($M over the horizon)", money(totals.revenue)])
      t.add(["EBIT margin", percent(totals.ebitMargin)])
    }
    t.add([plan.objectiveLabel, plan.objective.map { fixed($0, 4) } ?? "-"])
    if let cash = plan.cashFlows {
      t.add(["solved for", plan.solvedFor?.rawValue ?? "ebit"])
      t.add(["NPV ($M)", cash.npv.map { money($0) } ?? "- (no finance.discount_rate)"])
      t.add(["payback", PlanTables.payback(cash)])
    }
    if plan.status.hasSolution {
      let pivot = AllocationPivot(plan, row: { _ in "" }, column: { _ in "" })
      let peak = pivot.periods.map { pivot.total(period: $0) }.max() ?? 0
      t.add(["allocation rows", "\(plan.allocations.count)"])
      t.add(["allocated IT MW (horizon average / peak)", "\(mwText(pivot.averageRow(""))) / \(mwText(peak))"])
      t.add(["installs / expansions built", "\(plan.installs.count) / \(plan.expansions.count)"])
    }
    if let price = plan.stability?.price { t.add(["price of stability", price.text]) }
    t.add(["solve time", String(format: "%.3f s", s?.solveSeconds ?? plan.solver.seconds)])
    t.add(["previous plan", s?.previousPlanID.map { "\($0)" } ?? "-"])
    t.add(["schedule", s?.scheduleID.map { "\($0)" } ?? "-"])
    if let m = plan.message {
      // A diagnosis lists its limits in a table of their own, one a line.
      t.add(["message", plan.infeasibility != nil ? plan.infeasibility.map(\.headline) ?? m : m])
    }
    return t
  }

  /// Offering x hardware per period; a total column and a total row per period.
  var allocationPivot: Table {
    let pivot = AllocationPivot.offeringByHardware(plan)
    var t = Table(
      "Allocations by offering x hardware, per period (IT MW, summed over sites)",
      columns: ["period", "offering"] + pivot.columns + ["total"], firstNumeric: 2)
    for period in pivot.periods where pivot.total(period: period) != 0 {
      for offering in pivot.rows where pivot.rowTotal(period: period, row: offering) != 0 {
        t.add(
          [period, offering]
            + pivot.columns.map { h in
              pivot.has(period: period, row: offering, column: h)
                ? fixed(pivot.mw(period: period, row: offering, column: h), 1) : ""
            } + [fixed(pivot.rowTotal(period: period, row: offering), 1)])
      }
      t.add(
        [period, "total"] + pivot.columns.map { fixed(pivot.columnTotal(period: period, column: $0), 1) }
          + [fixed(pivot.total(period: period), 1)])
    }
    return t
  }

  /// Facility MW used against the limit, site by site, with the marginal value of power.
  var power: Table {
    var t = Table(
      "Site power against its limit (facility MW; value: $M of EBIT per extra facility MW-year)",
      columns: ["site", "period", "used", "limit", "headroom", "use", "value", "at limit"], firstNumeric: 2)
    let order = plan.marginals.power.map(\.site).uniqued()
    let bySite = Dictionary(grouping: plan.marginals.power, by: \.site)
    for site in order {
      for p in bySite[site] ?? [] {
        t.add([
          site, p.period, fixed(p.usedMW, 1), fixed(p.limitMW, 1), fixed(p.limitMW - p.usedMW, 1),
          p.limitMW > 0 ? percent(p.usedMW / p.limitMW) : "-", p.value.map { fixed($0, 3) } ?? "-",
          p.isAtLimit ? "yes" : "",
        ])
      }
    }
    return t
  }

  var bindings: Table {
    BindingTable.pivot(stored.bindings, periods: plan.periods.map(\.id), note: stored.scenarioNote)
  }

  /// Every section, in reading order; empty sections are left out.
  func all(siteDetail: Bool) -> [Table] {
    let diagnosis = [base.warnings, base.infeasibility, base.shortfalls].compactMap { $0 }
    guard plan.status.hasSolution else { return [summary] + diagnosis + [base.solver] }
    var tables =
      [summary] + diagnosis + [base.financials] + base.uncertaintyTables + [base.cashFlows].compactMap { $0 }
      + base.economicsTables
      + [base.lab, allocationPivot]
    if siteDetail { tables.append(base.allocations) }
    tables += [base.installs, power, bindings, base.marginals]
    return tables.filter { !$0.rows.isEmpty || $0.title.hasPrefix("Binding") } + [base.solver]
  }
}

/// Binding constraints, one row per constraint, a column per period: the
/// marginal value where it binds ("met" for a commitment met exactly), blank where it does not.
enum BindingTable {
  static func pivot(_ list: [BindingConstraint], periods: [String], note: String?) -> Table {
    var title =
      "Binding constraints: marginal value where the limit binds (blank: not binding; met: commitment met exactly)"
    if let note { title += "; commitments not checked: \(note)" }
    var t = Table(title, columns: ["constraint", "value unit"] + periods, firstNumeric: 2)
    var order: [String] = []
    var rows: [String: (unit: String, cells: [String: String])] = [:]
    for b in list {
      let key = b.what
      if rows[key] == nil {
        order.append(key)
        rows[key] = (b.valueUnit ?? "", [:])
      }
      rows[key]?.cells[b.period] =
        b.value.map { fixed($0, 3) } ?? (b.kind == .committed || b.kind == .required ? "met" : "-")
    }
    for key in order {
      guard let row = rows[key] else { continue }
      t.add([key, row.unit] + periods.map { row.cells[$0] ?? "" })
    }
    return t
  }
}

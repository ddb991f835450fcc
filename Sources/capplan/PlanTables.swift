import CapacityModel
import Foundation

/// The sections of a plan as tables, for `solve`, `plans show` and exports.
/// Money in $M; per-period figures are annual rates ($M/yr).
struct PlanTables {
  let plan: Plan

  var periodIDs: [String] { plan.periods.map(\.id) }

  var headline: String {
    var s = "Plan for \(plan.scenario): \(plan.status.rawValue.replacingOccurrences(of: "_", with: " "))"
    if let t = plan.totals {
      let years = plan.periods.reduce(0) { $0 + $1.years }
      s +=
        "\n\(plan.uncertainty == nil ? "" : "Expected ")EBIT $\(money(t.ebit))M over \(fixed(years, 2)) years on revenue $\(money(t.revenue))M"
      s += " (EBIT margin \(percent(t.ebitMargin)))"
    }
    if let cash = cashHeadline { s += "\n\(cash)" }
    if let cases = uncertaintyHeadline { s += "\n\(cases)" }
    if plan.status == .infeasibleRelaxed {
      s += "\nNOT A FEASIBLE PLAN: the scenario is infeasible; this is its elastic plan, where the limits "
      s += "under Shortfalls gave way by the least total amount"
    } else if let inf = plan.infeasibility {
      s += "\n\(inf.headline)"
    } else if let m = plan.message {
      s += "\n\(m)"
    }
    if let price = plan.stability?.price { s += "\nPrice of stability: \(price.text)" }
    if let list = plan.infeasibility?.shortfalls, !list.isEmpty {
      s += "\nShortfalls:" + list.map { "\n  - \($0.text)" }.joined()
    }
    return s + "\n"
  }

  var financials: Table {
    var t = Table(
      "Financials ($M per year; total column in $M over the horizon)\(expectedNote)",
      columns: ["line"] + periodIDs + ["total"])
    func line(_ name: String, _ value: (Plan.PeriodFinancials) -> Double, total: Double?) {
      t.add([name] + plan.periods.map { fixed(value($0)) } + [total.map { fixed($0) } ?? ""])
    }
    func offeringLine(_ o: String, indent: String) {
      line(indent + o, { $0.revenueByOffering[o] ?? 0 }, total: plan.totals?.revenueByOffering[o])
    }
    line("revenue", \.revenue, total: plan.totals?.revenue)
    let grouped = offeringsByUse
    if !grouped.isEmpty {
      // Each offering under its own use.
      for (u, offerings) in grouped {
        line("  use \(u)", { $0.revenueByUse[u] ?? 0 }, total: plan.totals?.revenueByUse[u])
        for o in offerings { offeringLine(o.id, indent: "    ") }
      }
    } else {
      // A plan stored before offerings knew their use: uses and offerings as two flat lists.
      let uses = plan.totals.map { Array($0.revenueByUse.keys).sorted() } ?? []
      for u in uses { line("  use \(u)", { $0.revenueByUse[u] ?? 0 }, total: plan.totals?.revenueByUse[u]) }
      for o in plan.totals.map({ Array($0.revenueByOffering.keys).sorted() }) ?? [] {
        offeringLine(o, indent: "  offering ")
      }
    }
    line("opex", \.opex, total: plan.totals?.opex)
    line("depreciation", \.depreciation, total: plan.totals?.depreciation)
    line("fixed costs", \.fixed, total: plan.totals?.fixed)
    line("EBIT", \.ebit, total: plan.totals?.ebit)
    t.add(["EBIT margin"] + plan.periods.map { percent($0.ebitMargin) } + [percent(plan.totals?.ebitMargin)])
    return t
  }

  var lab: Table {
    var t = Table(
      "Lab side of revenue-share offerings ($M per year)", columns: ["offering", "line"] + periodIDs,
      firstNumeric: 2)
    let offerings = plan.lab.map(\.offering).uniqued()
    for o in offerings {
      let rows = Dictionary(
        plan.lab.filter { $0.offering == o }.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
      t.add([o, "gross revenue"] + periodIDs.map { fixed(rows[$0]?.grossRevenue ?? 0) })
      t.add([o, "paid to platform"] + periodIDs.map { fixed(rows[$0]?.platformRevenue ?? 0) })
      t.add([o, "lab gross margin"] + periodIDs.map { percent(rows[$0]?.grossMargin) })
    }
    return t
  }

  var allocations: Table {
    var t = Table(
      "Allocations (IT MW)\(expectedNote)", columns: ["offering", "hardware", "site"] + periodIDs,
      firstNumeric: 3)
    var grid: [[String]: [String: Double]] = [:]
    var order: [[String]] = []
    for a in plan.allocations {
      let key = [a.offering, a.hardware, a.site]
      if grid[key] == nil { order.append(key) }
      grid[key, default: [:]][a.period, default: 0] += a.mw
    }
    for key in order.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
      t.add(key + periodIDs.map { p in grid[key]?[p].map { fixed($0, 1) } ?? "" })
    }
    return t
  }

  var installs: Table {
    var t = Table(
      "New installs (IT MW) and expansions built", columns: ["site", "what", "period", "MW"], firstNumeric: 3)
    for i in plan.installs { t.add([i.site, i.hardware, i.period, fixed(i.mw, 1)]) }
    for e in plan.expansions {
      t.add([e.site, "expansion \(e.id) (\(money(e.costPerYear))/yr)", e.period, fixed(e.powerMW, 1)])
    }
    return t
  }

  var power: Table {
    var t = Table(
      "Site power: facility MW used / limit, and marginal value ($M per facility MW-year)",
      columns: ["site"] + periodIDs, firstNumeric: 1)
    for site in plan.marginals.power.map(\.site).uniqued() {
      let rows = Dictionary(
        plan.marginals.power.filter { $0.site == site }.map { ($0.period, $0) },
        uniquingKeysWith: { a, _ in a })
      t.add(
        [site] + periodIDs.map { p in rows[p].map { "\(fixed($0.usedMW, 0))/\(fixed($0.limitMW, 0))" } ?? "" }
      )
      t.add(["  value"] + periodIDs.map { p in rows[p]?.value.map { fixed($0, 3) } ?? "" })
    }
    return t
  }

  var marginals: Table {
    var t = Table(
      "Marginal values (supply: $M per MW; demand_gross_revenue: $ EBIT per $ gross/yr; demand_mw: $M per MW-year)",
      columns: ["kind", "subject"] + periodIDs, firstNumeric: 2)
    for kind: ConstraintKey.Kind in [.supply, .demandGrossRevenue, .demandMW] {
      let rows = (plan.marginals.supply + plan.marginals.demand).filter { $0.kind == kind }
      for subject in rows.map(\.subject).uniqued() {
        let byPeriod = Dictionary(
          rows.filter { $0.subject == subject }.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
        t.add(
          [kind.rawValue, subject]
            + periodIDs.map { p in
              byPeriod[p].map { ($0.value.map { fixed($0, 3) } ?? "-") + ($0.binding ? "*" : "") } ?? ""
            })
      }
    }
    return t
  }

  var solver: Table {
    let r = plan.solver
    var t = Table("Solver", columns: ["field", "value"], firstNumeric: 2)
    t.add(["status", r.status])
    t.add(["method", r.method])
    t.add([plan.objectiveLabel, r.objective.map { fixed($0, 4) } ?? "-"])
    if r.integerColumns > 0 {
      t.add(["best bound", r.bestBound.map { fixed($0, 4) } ?? "-"])
      t.add(["relative gap", r.gap.map { String(format: "%.2e", $0) } ?? "-"])
    }
    t.add(["rows x columns (integer)", "\(r.rows) x \(r.columns) (\(r.integerColumns))"])
    t.add(["non-zeros", "\(r.nonzeros)"])
    t.add(["iterations / nodes", "\(r.iterations) / \(r.nodes)"])
    t.add(["time", String(format: "%.3f s", r.seconds)])
    if let s = plan.stability {
      t.add(["MW moved vs previous plan", fixed(s.mwMoved, 2)])
      t.add(["move cost ($M)", fixed(s.moveCost, 2)])
      t.add(["previous MW unmatched", fixed(s.unmatchedMW, 2)])
      if let p = s.price {
        t.add(["EBIT without the move cost ($M)", fixed(p.ebitWithoutMoveCost, 2)])
        t.add(["EBIT given up for stability ($M)", fixed(p.ebitGivenUp, 2)])
        t.add(["MW moved without the move cost", fixed(p.mwMovedWithoutMoveCost, 2)])
        t.add(["MW kept in place", fixed(p.mwKept, 2)])
      }
    }
    return t
  }

  var warnings: Table? {
    guard let list = plan.warnings, !list.isEmpty else { return nil }
    var t = Table("Warnings", columns: ["warning"], firstNumeric: 1)
    for w in list { t.add([w]) }
    return t
  }

  var infeasibility: Table? {
    guard let inf = plan.infeasibility else { return nil }
    var t = Table(
      "Why it is infeasible: these limits cannot all hold", columns: ["conflicting limit"], firstNumeric: 1)
    for c in inf.conflicts { t.add([c]) }
    return t
  }

  /// The least the soft limits must give for a plan to exist, one limit a line.
  var shortfalls: Table? {
    guard let list = plan.infeasibility?.shortfalls, !list.isEmpty else { return nil }
    var title = "Shortfalls: the least the soft limits must give (the elastic plan"
    if let ebit = plan.infeasibility?.relaxedEbit { title += ", EBIT $\(money(ebit))M over the horizon" }
    title += plan.status == .infeasibleRelaxed ? ", shown below)" : "; solve --elastic shows it)"
    var t = Table(
      title, columns: ["limit", "period", "gives", "unit", "limit value", "what"], firstNumeric: 2)
    for s in list {
      let isShare = s.unit == "share"
      t.add([
        "\(s.kind) \(s.subject)", s.period, isShare ? percent(s.amount) : fixed(s.amount, 2),
        isShare ? "share reached" : s.unit, isShare ? percent(s.limit) : fixed(s.limit, 2), s.text,
      ])
    }
    return t
  }

  var all: [Table] {
    let diagnosis = [warnings, infeasibility, shortfalls].compactMap { $0 }
    guard plan.status.hasSolution else { return diagnosis + [solver] }
    let tables =
      [financials] + uncertaintyTables + [cashFlows].compactMap { $0 } + economicsTables + [
        lab, allocations, installs, power, marginals,
      ]
    return diagnosis + tables.filter { !$0.rows.isEmpty } + [solver]
  }
}

extension Plan.Infeasibility {
  /// One short line for a summary cell: the limits themselves are listed one a line elsewhere.
  var headline: String {
    var s = "infeasible: \(conflicts.count) conflicting limit\(conflicts.count == 1 ? "" : "s")"
    if let n = shortfalls?.count, n > 0 { s += ", \(n) shortfall\(n == 1 ? "" : "s")" }
    return s + " (listed below)"
  }
}

extension Plan {
  /// "objective ($M, EBIT less move cost)", or NPV for a plan solved for it.
  var objectiveLabel: String {
    "objective ($M, \(solvedFor == .npv ? "NPV" : "EBIT") less move cost)"
  }
}

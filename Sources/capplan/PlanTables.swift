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
      s += "\nEBIT $\(money(t.ebit))M over \(fixed(years, 2)) years on revenue $\(money(t.revenue))M"
      s += " (EBIT margin \(percent(t.ebitMargin)))"
    }
    if let m = plan.message { s += "\n\(m)" }
    return s + "\n"
  }

  var financials: Table {
    var t = Table(
      "Financials ($M per year; total column in $M over the horizon)",
      columns: ["line"] + periodIDs + ["total"])
    let uses = plan.totals.map { Array($0.revenueByUse.keys).sorted() } ?? []
    let offerings = plan.totals.map { Array($0.revenueByOffering.keys).sorted() } ?? []
    func line(_ name: String, _ value: (Plan.PeriodFinancials) -> Double, total: Double?) {
      t.add([name] + plan.periods.map { fixed(value($0)) } + [total.map { fixed($0) } ?? ""])
    }
    line("revenue", \.revenue, total: plan.totals?.revenue)
    for u in uses { line("  use \(u)", { $0.revenueByUse[u] ?? 0 }, total: plan.totals?.revenueByUse[u]) }
    for o in offerings {
      line("    \(o)", { $0.revenueByOffering[o] ?? 0 }, total: plan.totals?.revenueByOffering[o])
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
      "Allocations (IT MW)", columns: ["offering", "hardware", "site"] + periodIDs, firstNumeric: 3)
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
      t.add([e.site, "expansion \(e.id) (\(money(e.costPerYear))/yr)", e.period, fixed(e.powerMw, 1)])
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
        [site] + periodIDs.map { p in rows[p].map { "\(fixed($0.usedMw, 0))/\(fixed($0.limitMw, 0))" } ?? "" }
      )
      t.add(["  value"] + periodIDs.map { p in rows[p]?.value.map { fixed($0, 3) } ?? "" })
    }
    return t
  }

  var marginals: Table {
    var t = Table(
      "Marginal values (supply: $M per MW; demand_gross_revenue: $ EBIT per $ gross/yr; demand_mw: $M per MW-year)",
      columns: ["kind", "subject"] + periodIDs, firstNumeric: 2)
    for kind in ["supply", "demand_gross_revenue", "demand_mw"] {
      let rows = (plan.marginals.supply + plan.marginals.demand).filter { $0.kind == kind }
      for subject in rows.map(\.subject).uniqued() {
        let byPeriod = Dictionary(
          rows.filter { $0.subject == subject }.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
        t.add(
          [kind, subject]
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
    t.add(["objective ($M, EBIT less move cost)", r.objective.map { fixed($0, 4) } ?? "-"])
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
      t.add(["previous MW unmatched", fixed(s.unmatchedMw, 2)])
    }
    return t
  }

  var infeasibility: Table? {
    guard let inf = plan.infeasibility else { return nil }
    var t = Table(
      "Why it is infeasible: these limits cannot all hold", columns: ["conflicting limit"], firstNumeric: 1)
    for c in inf.conflicts { t.add([c]) }
    return t
  }

  var all: [Table] {
    guard plan.status.hasSolution else { return [infeasibility, solver].compactMap { $0 } }
    let tables = [financials, lab, allocations, installs, power, marginals]
    return tables.filter { !$0.rows.isEmpty } + [solver]
  }
}

/// $M with thousands separators and one decimal (or `decimals`): 80,943.3.
func money(_ x: Double, _ decimals: Int = 1) -> String {
  let s = fixed(abs(x), decimals)
  let parts = s.split(separator: ".")
  var whole = String(parts[0])
  var grouped = ""
  while whole.count > 3 {
    grouped = "," + whole.suffix(3) + grouped
    whole.removeLast(3)
  }
  let isZero = Double(s) == 0
  return (x < 0 && !isZero ? "-" : "") + whole + grouped + (parts.count > 1 ? "." + parts[1] : "")
}

func percent(_ x: Double?) -> String { x.map { fixed($0 * 100, 1) + "%" } ?? "-" }

extension Array where Element: Hashable {
  func uniqued() -> [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}

import CapacityModel
import Foundation

/// `capplan plans diff A B` as tables: what moved from plan A to plan B.
struct PlanDiffTables {
  let diff: PlanDiff
  /// "plan 12", or a plan file's path.
  let nameA: String
  let nameB: String
  /// How many single allocation changes to list (0: all).
  var top: Int = 30

  var headline: String {
    var s =
      "\(capitalized(nameB)) (\(diff.b.scenario), \(diff.b.status)) against \(nameA) (\(diff.a.scenario), \(diff.a.status))\n"
    if let x = diff.a.ebit, let y = diff.b.ebit {
      s += "EBIT $\(money(x))M -> $\(money(y))M over the horizon (\(signedMoney(y - x)) $M)"
      s += "; EBIT margin \(percent(diff.a.ebitMargin)) -> \(percent(diff.b.ebitMargin))\n"
    }
    s += "MW moved: \(mwText(diff.mwMoved)) IT MW (sum of |B - A|) over \(diff.allocations.count) allocation"
    s += diff.allocations.count == 1 ? "" : "s"
    s += "; \(diff.marginals.count) marginal value\(diff.marginals.count == 1 ? "" : "s"), "
    s += "\(diff.installs.count) install\(diff.installs.count == 1 ? "" : "s") and "
    s += "\(diff.expansions.count) expansion\(diff.expansions.count == 1 ? "" : "s") differ\n"
    if let d = diff.demandCases {
      s += "Over demand cases: expected EBIT $\(money(d.expectedEbit.a))M -> $\(money(d.expectedEbit.b))M, "
      s += "CVaR $\(money(d.cvar.a))M -> $\(money(d.cvar.b))M"
      if let evpi = d.evpi { s += ", EVPI $\(money(evpi.a))M -> $\(money(evpi.b))M" }
      if let vss = d.vss { s += ", VSS $\(money(vss.a))M -> $\(money(vss.b))M" }
      s += "; installs and expansions below are the decisions shared by every case\n"
    }
    for w in diff.warnings { s += "Warning: \(w)\n" }
    if diff.isEmpty {
      s += "The plans are the same: no MW, money, marginal value, install or expansion differs.\n"
    }
    return s
  }

  var financials: Table {
    var t = Table(
      "EBIT change by period ($M per year, B - A; total row in $M over the horizon)",
      columns: [
        "period", "revenue", "opex", "depreciation", "fixed costs", "EBIT A", "EBIT B", "EBIT change",
      ],
      firstNumeric: 1)
    func row(_ f: PlanDiff.FinancialChange) -> [String] {
      [
        f.period, signed(f.revenue.delta, 2), signed(f.opex.delta, 2), signed(f.depreciation.delta, 2),
        signed(f.fixed.delta, 2), fixed(f.ebit.a, 2), fixed(f.ebit.b, 2), signed(f.ebit.delta, 2),
      ]
    }
    for f in diff.financials { t.add(row(f)) }
    if let total = diff.totals { t.add(row(total)) }
    return t
  }

  /// EBIT per offering (and idle capacity, fixed costs), B - A: where the EBIT change came from.
  var ebitLines: Table {
    var t = Table(
      "EBIT change by offering ($M per year, B - A; total in $M over the horizon; lines add up to the EBIT change)",
      columns: ["line"] + diff.periods + ["total A", "total B", "total change"], firstNumeric: 1)
    for l in diff.ebitLines where l.total.isChange || l.periods.values.contains(where: \.isChange) {
      t.add(
        [l.line] + diff.periods.map { signed(l.periods[$0]?.delta ?? 0, 2) } + [
          fixed(l.total.a, 2), fixed(l.total.b, 2), signed(l.total.delta, 2),
        ])
    }
    return t
  }

  var byPeriod: Table {
    var t = Table(
      "Allocated MW by period (IT MW; moved: sum of |B - A| over allocations)",
      columns: ["period", "A", "B", "net change", "moved"], firstNumeric: 1)
    for p in diff.byPeriod {
      t.add([p.period, fixed(p.mw.a, 1), fixed(p.mw.b, 1), signed(p.mw.delta), fixed(p.moved, 1)])
    }
    return t
  }

  func groups(_ title: String, _ label: String, _ groups: [PlanDiff.GroupChange]) -> Table {
    var t = Table(
      "MW change by \(title) (IT MW, B - A per period; net: IT MW-years; moved: sum of |B - A|, IT MW)",
      columns: [label] + diff.periods + ["net MW-yr", "moved MW"], firstNumeric: 1)
    for g in groups where g.moved > 0 || abs(g.netMWYears) > PlanDiff.tolerance {
      t.add(
        [g.key] + g.periods.map { $0.mw.isChange ? signed($0.mw.delta) : "" } + [
          signed(g.netMWYears), fixed(g.moved, 1),
        ])
    }
    return t
  }

  var allocations: Table {
    let shown = top > 0 ? Array(diff.allocations.prefix(top)) : diff.allocations
    var title = "Allocation changes, largest first (IT MW)"
    if shown.count < diff.allocations.count {
      title += ": \(shown.count) of \(diff.allocations.count) (--top 0 lists all)"
    }
    var t = Table(
      title, columns: ["offering", "hardware", "site", "period", "A", "B", "change"], firstNumeric: 4)
    for c in shown {
      t.add([
        c.offering, c.hardware, c.site, c.period, fixed(c.mw.a, 1), fixed(c.mw.b, 1), signed(c.mw.delta),
      ])
    }
    return t
  }

  var marginals: Table {
    var t = Table(
      "Marginal values that changed (* binding)",
      columns: ["kind", "subject", "period", "A", "B", "change", "unit"],
      firstNumeric: 3)
    func v(_ x: Double?, _ binding: Bool?) -> String {
      guard binding != nil || x != nil else { return "none" }
      return (x.map { fixed($0, 3) } ?? "-") + (binding == true ? "*" : "")
    }
    for m in diff.marginals {
      t.add([
        m.kind.rawValue, m.subject, m.period, v(m.a, m.bindingA), v(m.b, m.bindingB), signed(m.delta, 3),
        PlanBindings.valueUnit(of: m.kind),
      ])
    }
    return t
  }

  var power: Table {
    var t = Table(
      "Site power that changed (facility MW)",
      columns: ["site", "period", "used A", "used B", "limit A", "limit B"],
      firstNumeric: 2)
    for p in diff.power {
      t.add([
        p.site, p.period, fixed(p.usedMW.a, 1), fixed(p.usedMW.b, 1), fixed(p.limitMW.a, 1),
        fixed(p.limitMW.b, 1),
      ])
    }
    return t
  }

  var installs: Table {
    var t = Table(
      "New installs that differ (IT MW)", columns: ["site", "hardware", "period", "A", "B", "change"],
      firstNumeric: 3)
    for i in diff.installs {
      t.add([i.site, i.hardware, i.period, fixed(i.mw.a, 1), fixed(i.mw.b, 1), signed(i.mw.delta)])
    }
    return t
  }

  var expansions: Table {
    var t = Table(
      "Expansions that differ (first period built)",
      columns: ["expansion", "site", "A", "B", "facility MW", "$M per year"], firstNumeric: 4)
    for e in diff.expansions {
      t.add([
        e.id, e.site, e.periodA ?? "not built", e.periodB ?? "not built", fixed(e.powerMW, 1),
        money(e.costPerYear),
      ])
    }
    return t
  }

  var all: [Table] {
    if diff.isEmpty { return [] }
    var tables = [financials, ebitLines, byPeriod]
    tables += [
      groups("offering", "offering", diff.byOffering), groups("hardware", "hardware", diff.byHardware),
      groups("site", "site", diff.bySite), allocations, marginals, power, installs, expansions,
    ]
    return tables.filter { !$0.rows.isEmpty }
  }
}

/// "plan 12" -> "Plan 12"; a file name as given.
private func capitalized(_ name: String) -> String {
  name.hasPrefix("plan ") ? "P" + name.dropFirst() : name
}

/// The JSON of `plans diff --format json`: the plan ids (or plan files) and the complete diff.
struct PlanDiffDocument: Encodable {
  var planA: Int64?
  var planB: Int64?
  var fileA: String?
  var fileB: String?
  var diff: PlanDiff
  enum CodingKeys: String, CodingKey {
    case planA = "plan_a", planB = "plan_b", fileA = "file_a", fileB = "file_b", diff
  }

  init(_ a: StoredPlan, _ b: StoredPlan, diff: PlanDiff) {
    (planA, planB, fileA, fileB, self.diff) = (a.id, b.id, a.file, b.file, diff)
  }
}

import CapacityModel
import Foundation

/// The plan's cash flows (PlanCashFlows.swift) as a table for `solve`, `plans show` and the report,
/// and as a sheet for `plans export`.
extension PlanTables {
  /// One line a person reads first: what the plan was solved for, its NPV and payback.
  var cashHeadline: String? {
    guard let c = plan.cashFlows else { return nil }
    var s = "Solved for \(plan.solvedFor?.rawValue ?? "ebit")"
    if let npv = c.npv, let rate = c.discountRate {
      s += "; NPV $\(money(npv))M at \(NumberText.percent(rate)) a year"
    } else {
      s += "; no NPV (the scenario has no finance.discount_rate)"
    }
    s += "; payback " + Self.payback(c)
    return s
  }

  static func payback(_ c: Plan.CashFlows) -> String {
    guard let period = c.paybackPeriod else { return "not within the horizon" }
    return "in \(period)" + (c.paybackYears.map { " (\(fixed($0, 2)) years in)" } ?? "")
  }

  /// Cash per period ($M in the period, not per year): capex when paid, the operating flows,
  /// net and cumulative, and with a discount rate the present values and NPV.
  var cashFlows: Table? {
    guard let c = plan.cashFlows else { return nil }
    var title = "Cash flows ($M in each period; total column in $M over the horizon)"
    if let rate = c.discountRate { title += ", discounted at \(NumberText.percent(rate)) a year" }
    var t = Table(title, columns: ["line"] + c.periods.map(\.id) + ["total"])
    func line(_ name: String, _ value: (Plan.CashFlowPeriod) -> Double?, total: Double?, decimals: Int = 2) {
      t.add(
        [name] + c.periods.map { value($0).map { fixed($0, decimals) } ?? "-" }
          + [total.map { fixed($0, decimals) } ?? ""])
    }
    line("revenue", \.revenue, total: c.total.revenue)
    if c.total.labPayout != 0 {
      line("  (lab payout, not in revenue)", \.labPayout, total: c.total.labPayout)
    }
    line("opex", { -$0.opex }, total: -c.total.opex)
    line("fixed costs", { -$0.fixed }, total: -c.total.fixed)
    line("capex", { -$0.capex }, total: -c.total.capex)
    let hardware = c.periods.flatMap { $0.capexByHardware.keys }.uniqued().sorted()
    if hardware.count > 1 {
      for h in hardware {
        line(
          "  capex \(h)", { -($0.capexByHardware[h] ?? 0) },
          total: -c.periods.reduce(0) {
            $0 + ($1.capexByHardware[h] ?? 0)
          })
      }
    }
    line("net cash flow", \.net, total: c.total.net)
    line("cumulative", \.cumulative, total: c.periods.last?.cumulative)
    if c.discountRate != nil {
      line("discount factor (flows)", \.discountFactor, total: nil, decimals: 4)
      line("discount factor (capex)", \.capexDiscountFactor, total: nil, decimals: 4)
      line("present value", \.presentValue, total: c.total.presentValue)
      t.add(
        ["residual value at horizon end (present value)"] + c.periods.map { _ in "" }
          + ["\(fixed(c.residualValue)) (\(c.residualPresentValue.map { fixed($0) } ?? "-"))"])
      t.add(["NPV"] + c.periods.map { _ in "" } + [c.npv.map { fixed($0) } ?? "-"])
    } else {
      t.add(["residual value at horizon end"] + c.periods.map { _ in "" } + [fixed(c.residualValue)])
    }
    t.add(["payback"] + c.periods.map { _ in "" } + [Self.payback(c)])
    return t
  }
}

extension PlanExport {
  /// One row per period and a `total` row, money in $M in the period (not per year); NPV,
  /// residual value and payback on the total row.
  var cashFlows: Sheet {
    var s = Sheet(
      name: "cash_flows",
      columns: [
        "period", "period_years", "revenue_musd", "lab_payout_musd", "opex_musd", "fixed_costs_musd",
        "capex_musd", "net_cash_flow_musd", "cumulative_cash_flow_musd", "discount_factor",
        "capex_discount_factor", "present_value_musd", "residual_value_musd", "npv_musd", "discount_rate",
        "payback_period", "payback_years", "solved_for",
      ])
    guard let c = plan.cashFlows else { return s }
    let blank = [Cell](repeating: .text(""), count: 4)
    for p in c.periods {
      s.rows.append(
        [
          .text(p.id), .number(p.years), .number(p.revenue), .number(p.labPayout), .number(p.opex),
          .number(p.fixed), .number(p.capex), .number(p.net), .number(p.cumulative),
          .number(p.discountFactor),
          .number(p.capexDiscountFactor), .number(p.presentValue), .text(""), .text(""),
        ] + blank)
    }
    s.rows.append([
      .text("total"), .number(c.periods.reduce(0) { $0 + $1.years }), .number(c.total.revenue),
      .number(c.total.labPayout), .number(c.total.opex), .number(c.total.fixed), .number(c.total.capex),
      .number(c.total.net), .number(c.periods.last?.cumulative), .text(""), .text(""),
      .number(c.total.presentValue), .number(c.residualValue), .number(c.npv), .number(c.discountRate),
      .text(c.paybackPeriod ?? "not within the horizon"), .number(c.paybackYears),
      .text(plan.solvedFor?.rawValue ?? "ebit"),
    ])
    return s
  }
}

/// Named figures of a plan, for sensitivity sweeps. Per-MW figures divide by
/// the MW-years allocated over the horizon (for the lab: to revenue-share
/// offerings), so a 1 MW, 1 year scenario reads them as $M per MW-year.
public enum PlanMetric: String, CaseIterable, Sendable {
  case status, objective, revenue, opex, depreciation, fixed, ebit
  case ebitMargin = "ebit_margin"
  case allocatedMW = "allocated_mw"
  case revenuePerMW = "revenue_per_mw"
  case ebitPerMW = "ebit_per_mw"
  case labGrossRevenue = "lab_gross_revenue"
  case labPlatformRevenue = "lab_platform_revenue"
  case labGrossMarginPerMW = "lab_gross_margin_per_mw"
  case labGrossMargin = "lab_gross_margin"
  case mwMoved = "mw_moved"
  case capex, npv
  case paybackYears = "payback_years"
  /// Demand cases: CVaR of EBIT, EVPI and VSS (the `ebit` of such a plan is already expected).
  case cvar, evpi, vss

  public var label: String {
    switch self {
    case .status: return "status"
    case .objective: return "objective ($M)"
    case .revenue: return "revenue ($M)"
    case .opex: return "opex ($M)"
    case .depreciation: return "depreciation ($M)"
    case .fixed: return "fixed costs ($M)"
    case .ebit: return "EBIT ($M)"
    case .ebitMargin: return "EBIT margin"
    case .allocatedMW: return "allocated (MW-years)"
    case .revenuePerMW: return "platform net revenue per MW ($M)"
    case .ebitPerMW: return "platform EBIT per MW ($M)"
    case .labGrossRevenue: return "lab gross revenue ($M)"
    case .labPlatformRevenue: return "lab pays platform ($M)"
    case .labGrossMarginPerMW: return "lab gross margin per MW ($M)"
    case .labGrossMargin: return "lab gross margin"
    case .mwMoved: return "MW moved"
    case .capex: return "capex paid ($M)"
    case .npv: return "NPV ($M)"
    case .paybackYears: return "payback (years)"
    case .cvar: return "CVaR of EBIT ($M)"
    case .evpi: return "EVPI ($M)"
    case .vss: return "VSS ($M)"
    }
  }

  public var isPercentage: Bool { self == .ebitMargin || self == .labGrossMargin }
}

extension Plan {
  /// MW-years allocated over the horizon, optionally only to some offerings.
  func allocatedMWYears(_ include: (String) -> Bool = { _ in true }) -> Double {
    let years = Dictionary(periods.map { ($0.id, $0.years) }, uniquingKeysWith: { a, _ in a })
    return allocations.filter { include($0.offering) }.reduce(0) { $0 + $1.mw * (years[$1.period] ?? 0) }
  }

  /// The value of `metric`; nil where it has no meaning (no solution, no revenue).
  public func value(of metric: PlanMetric) -> Double? {
    guard let totals else { return metric == .objective ? objective : nil }
    let years = Dictionary(periods.map { ($0.id, $0.years) }, uniquingKeysWith: { a, _ in a })
    let labOfferings = Set(lab.map(\.offering))
    let labGross = lab.reduce(0) { $0 + $1.grossRevenue * (years[$1.period] ?? 0) }
    let labPaid = lab.reduce(0) { $0 + $1.platformRevenue * (years[$1.period] ?? 0) }
    let mwYears = allocatedMWYears()
    let labMWYears = allocatedMWYears { labOfferings.contains($0) }
    switch metric {
    case .status: return nil
    case .objective: return objective
    case .revenue: return totals.revenue
    case .opex: return totals.opex
    case .depreciation: return totals.depreciation
    case .fixed: return totals.fixed
    case .ebit: return totals.ebit
    case .ebitMargin: return totals.ebitMargin
    case .allocatedMW: return mwYears
    case .revenuePerMW: return mwYears > 0 ? totals.revenue / mwYears : nil
    case .ebitPerMW: return mwYears > 0 ? totals.ebit / mwYears : nil
    case .labGrossRevenue: return labGross
    case .labPlatformRevenue: return labPaid
    case .labGrossMarginPerMW: return labMWYears > 0 ? (labGross - labPaid) / labMWYears : nil
    case .labGrossMargin: return labGross > 0 ? (labGross - labPaid) / labGross : nil
    case .mwMoved: return stability?.mwMoved
    case .capex: return cashFlows?.total.capex
    case .npv: return cashFlows?.npv
    case .paybackYears: return cashFlows?.paybackYears
    case .cvar: return uncertainty?.cvar
    case .evpi: return uncertainty?.evpi
    case .vss: return uncertainty?.vss
    }
  }
}

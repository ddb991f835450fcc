/// The plan as cash: capex paid when hardware is installed instead of depreciated, the
/// operating flows of each period, the cumulative position, the NPV at the scenario's
/// `finance.discount_rate` and the payback period (docs/formulation.md, "Cash flows and NPV").
///
/// Amounts are $M in the period (an annual rate times the period's `years`), not annual rates as
/// in `Plan.periods`: cash adds up over time, and the cumulative line is what payback reads.
extension Plan {
  public struct CashFlows: Codable, Sendable, Equatable {
    /// The annual rate the NPV is computed at; nil when the scenario has none (no NPV then).
    public var discountRate: Double?
    public var periods: [CashFlowPeriod]
    /// The sums over the horizon (`cumulative` is the last period's).
    public var total: CashFlowTotals
    /// Capex of hardware installed in the horizon not yet depreciated at its end ($M then):
    /// straight line over `life_years` from the start of the install's period, as EBIT charges it.
    public var residualValue: Double
    /// `residualValue` discounted from the horizon's end (nil without a rate).
    public var residualPresentValue: Double?
    /// The present value of the periods' net cash flows plus that of the residual value (nil
    /// without a rate). What `--objective npv` maximizes (less any move cost).
    public var npv: Double?
    /// The first period from whose end on the cumulative cash flow stays non-negative to the
    /// horizon's end; nil: not within the horizon.
    public var paybackPeriod: String?
    /// Years from the horizon's start until the cumulative cash flow reaches 0, with capex at its
    /// period's start and the operating flows spread evenly over the period; nil as above.
    public var paybackYears: Double?

    enum CodingKeys: String, CodingKey {
      case discountRate = "discount_rate", periods, total, residualValue = "residual_value"
      case residualPresentValue = "residual_present_value", npv, paybackPeriod = "payback_period"
      case paybackYears = "payback_years"
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(discountRate, forKey: .discountRate)
      try c.encode(periods, forKey: .periods)
      try c.encode(total, forKey: .total)
      try c.encode(residualValue, forKey: .residualValue)
      try c.encode(residualPresentValue, forKey: .residualPresentValue)
      try c.encode(npv, forKey: .npv)
      try c.encode(paybackPeriod, forKey: .paybackPeriod)  // null: not within the horizon
      try c.encode(paybackYears, forKey: .paybackYears)
    }
  }

  /// One period's cash, $M in the period.
  public struct CashFlowPeriod: Codable, Sendable, Equatable {
    public var id: String
    public var years: Double
    /// The platform's revenue, as in EBIT (a revenue-share offering's lab payout already left out).
    public var revenue: Double
    /// What the labs keep of the gross revenue of revenue-share offerings: not the platform's
    /// cash, shown beside it.
    public var labPayout: Double
    public var opex: Double
    /// Expansion costs.
    public var fixed: Double
    /// capex_per_mw x the MW installed in this period, all hardware.
    public var capex: Double
    /// The same by hardware id (only hardware installed in the period).
    public var capexByHardware: [String: Double]
    /// revenue - opex - fixed - capex.
    public var net: Double
    /// The net cash flows of the horizon up to and including this period.
    public var cumulative: Double
    /// The factor the operating flows are discounted by (from the period's middle), and the one
    /// for its capex (from its start); nil without a rate.
    public var discountFactor: Double?
    public var capexDiscountFactor: Double?
    /// This period's net cash flow discounted to the horizon's start; nil without a rate.
    public var presentValue: Double?

    enum CodingKeys: String, CodingKey {
      case id, years, revenue, labPayout = "lab_payout", opex, fixed, capex
      case capexByHardware = "capex_by_hardware", net, cumulative, discountFactor = "discount_factor"
      case capexDiscountFactor = "capex_discount_factor", presentValue = "present_value"
    }
  }

  public struct CashFlowTotals: Codable, Sendable, Equatable {
    public var revenue, labPayout, opex, fixed, capex, net: Double
    /// Net cash flows discounted to the horizon's start, without the residual value.
    public var presentValue: Double?

    enum CodingKeys: String, CodingKey {
      case revenue, labPayout = "lab_payout", opex, fixed, capex, net, presentValue = "present_value"
    }
  }
}

extension Plan.CashFlows {
  /// The cash flows of `plan`, a solved plan of `scenario`.
  public init(plan: Plan, scenario: ValidScenario) {
    let discounting = Discounting(scenario)
    discountRate = discounting?.rate
    var hardware: [String: ValidScenario.Hardware] = [:]
    for hw in scenario.hardware { hardware[hw.id] = hw }
    let periodIndex = Dictionary(
      scenario.periods.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    var payout: [String: Double] = [:]
    for side in plan.lab { payout[side.period, default: 0] += side.grossRevenue - side.platformRevenue }
    var capex: [String: [String: Double]] = [:]
    var residual = 0.0
    for install in plan.installs {
      guard let hw = hardware[install.hardware], let t = periodIndex[install.period] else { continue }
      let paid = hw.capexPerMW * install.mw
      guard paid != 0 else { continue }
      capex[install.period, default: [:]][hw.id, default: 0] += paid
      let horizon = discounting ?? Discounting(rate: 0, years: scenario.years)
      residual += paid * horizon.residualShare(installedIn: t, lifeYears: hw.lifeYears)
    }
    var total = Plan.CashFlowTotals(
      revenue: 0, labPayout: 0, opex: 0, fixed: 0, capex: 0, net: 0,
      presentValue: discounting == nil ? nil : 0)
    var rows: [Plan.CashFlowPeriod] = []
    for p in plan.periods {
      let byHardware = capex[p.id] ?? [:]
      let paid = byHardware.values.reduce(0, +)
      let operating = p.years * (p.revenue - p.opex - p.fixed)
      let net = operating - paid
      var row = Plan.CashFlowPeriod(
        id: p.id, years: p.years, revenue: p.years * p.revenue, labPayout: p.years * (payout[p.id] ?? 0),
        opex: p.years * p.opex, fixed: p.years * p.fixed, capex: paid, capexByHardware: byHardware,
        net: net, cumulative: total.net + net)
      if let d = discounting, let t = periodIndex[p.id] {
        row.discountFactor = d.middleFactor(t)
        row.capexDiscountFactor = d.startFactor(t)
        row.presentValue = operating * d.middleFactor(t) - paid * d.startFactor(t)
      }
      total.revenue += row.revenue
      total.labPayout += row.labPayout
      total.opex += row.opex
      total.fixed += row.fixed
      total.capex += paid
      total.net += net
      if let pv = row.presentValue { total.presentValue? += pv }
      rows.append(row)
    }
    periods = rows
    self.total = total
    residualValue = residual
    residualPresentValue = discounting.map { residual * $0.endFactor }
    npv = total.presentValue.map { $0 + (residualPresentValue ?? 0) }
    (paybackPeriod, paybackYears) = Self.payback(rows)
  }

  /// The payback period: the first period from whose end on the cumulative cash flow stays
  /// non-negative to the horizon's end (a later install wave that takes it below 0 again moves
  /// payback after it; a plan that spends nothing in its first period does not "pay back" there
  /// before its spending). And when within that period the cumulative crosses 0: capex at the
  /// period's start, the operating flows evenly over it.
  static func payback(_ rows: [Plan.CashFlowPeriod]) -> (String?, Double?) {
    // Cents of float noise on a plan that exactly pays back do not delay it a period.
    let tolerance = -1e-9
    guard let last = rows.last, last.cumulative >= tolerance else { return (nil, nil) }
    var t = rows.count - 1
    while t > 0, rows[t - 1].cumulative >= tolerance { t -= 1 }
    let before = t > 0 ? rows[t - 1].cumulative : 0
    let start = rows[..<t].reduce(0) { $0 + $1.years }
    let row = rows[t]
    let afterCapex = before - row.capex
    let operating = row.net + row.capex
    let within = afterCapex >= 0 || operating <= 0 ? 0 : min(1, -afterCapex / operating)
    return (row.id, start + row.years * within)
  }
}

/// What a two-stage plan over demand cases adds to a plan (`uncertainty` in its JSON): each
/// case's EBIT and allocations under the shared installs and expansions, the expected EBIT, its
/// CVaR, and what knowing the demand (EVPI) and planning for the cases (VSS) are worth.
extension Plan {
  public struct Uncertainty: Codable, Sendable, Equatable {
    public var cases: [DemandCaseResult]
    /// sum_k p_k EBIT_k, $M over the horizon.
    public var expectedEbit: Double
    /// The expected EBIT of the worst `1 - cvarAlpha` of the probability.
    public var cvar: Double
    public var cvarAlpha: Double
    /// The weight of CVaR in the objective (0: expected EBIT only).
    public var riskWeight: Double
    /// The expected EBIT with perfect foresight: each case solved alone (nil when skipped).
    public var waitAndSeeEbit: Double?
    /// waitAndSeeEbit - expectedEbit: the most a perfect demand forecast is worth.
    public var evpi: Double?
    /// The expected EBIT of the plan made for the expected demand, its installs and expansions
    /// held fixed and its allocations re-solved in each case.
    public var expectedDemandPlanEbit: Double?
    /// expectedEbit - expectedDemandPlanEbit: what planning for the cases gains over planning
    /// for their mean.
    public var vss: Double?
    /// Why EVPI or VSS is missing, when it is.
    public var note: String?

    public init(
      cases: [DemandCaseResult], expectedEbit: Double, cvar: Double, cvarAlpha: Double, riskWeight: Double
    ) {
      self.cases = cases
      self.expectedEbit = expectedEbit
      self.cvar = cvar
      self.cvarAlpha = cvarAlpha
      self.riskWeight = riskWeight
    }

    enum CodingKeys: String, CodingKey {
      case cases
      case expectedEbit = "expected_ebit", cvar, cvarAlpha = "cvar_alpha", riskWeight = "risk_weight"
      case waitAndSeeEbit = "wait_and_see_ebit", evpi
      case expectedDemandPlanEbit = "expected_demand_plan_ebit", vss, note
    }

    /// CVaR_alpha of outcomes `ebit` with probabilities `p`: max over eta of
    /// eta - 1/(1 - alpha) sum p_k max(0, eta - ebit_k). Concave and piecewise linear in eta, so
    /// the maximum sits at one of the outcomes.
    public static func cvar(_ ebit: [Double], probabilities p: [Double], alpha: Double) -> Double {
      var best = -Double.infinity
      for eta in ebit {
        var shortfall = 0.0
        for (k, e) in ebit.enumerated() { shortfall += p[k] * max(0, eta - e) }
        best = max(best, eta - shortfall / (1 - alpha))
      }
      return best
    }
  }

  /// One demand case under the plan's shared installs and expansions.
  public struct DemandCaseResult: Codable, Sendable, Equatable {
    public var id: String
    public var probability: Double
    public var ebit: Double
    public var revenue: Double
    public var periods: [PeriodFinancials]
    public var allocations: [Allocation]
    /// EBIT of this case solved alone, with its own installs (nil when skipped).
    public var aloneEbit: Double?
    /// EBIT of this case under the expected-demand plan's installs (nil when skipped).
    public var expectedDemandPlanEbit: Double?

    public init(id: String, probability: Double, plan: Plan) {
      self.id = id
      self.probability = probability
      ebit = plan.totals?.ebit ?? 0
      revenue = plan.totals?.revenue ?? 0
      periods = plan.periods
      allocations = plan.allocations
    }

    enum CodingKeys: String, CodingKey {
      case id, probability, ebit, revenue, periods, allocations
      case aloneEbit = "alone_ebit", expectedDemandPlanEbit = "expected_demand_plan_ebit"
    }
  }
}

extension Plan {
  /// Each demand case's allocations, for a move cost per case (nil for a plan of one demand).
  public var previousAllocationsByCase: [String: PreviousAllocations]? {
    guard let u = uncertainty else { return nil }
    let covered = previousAllocations.periods
    var out: [String: PreviousAllocations] = [:]
    for c in u.cases { out[c.id] = PreviousAllocations(c.allocations, periods: covered) }
    return out
  }
}

extension PreviousAllocations {
  /// `allocations` summed by offering, hardware, site and period, as the move cost compares them;
  /// moves are charged in `periods` only.
  init(_ allocations: [Plan.Allocation], periods: [String]) {
    var mw: [Entry: Double] = [:]
    for a in allocations {
      mw[Entry(offering: a.offering, hardware: a.hardware, site: a.site, period: a.period), default: 0] +=
        a.mw
    }
    self.init(periods: periods, mw: mw)
  }
}

/// The `uncertainty` section: demand cases the two-stage plan must do well across, and how much
/// weight the bad cases get (docs/scenario-format.md, "Demand uncertainty").
///
/// These are not the `cases:` of ``ScenarioComposer`` (named what-if variants solved one at a
/// time): demand cases are solved together, with one install and expansion plan for all of them.
extension Scenario {
  public struct Uncertainty: Sendable, Equatable, Codable {
    /// At least one; probabilities add up to 1.
    public var cases: [DemandCase]
    /// Risk aversion: maximize (1 - weight) E[EBIT] + weight CVaR_alpha[EBIT]. Absent: weight 0.
    public var risk: Risk?

    public init(cases: [DemandCase], risk: Risk? = nil) {
      self.cases = cases
      self.risk = risk
    }

    /// More cases multiply the model's size (every allocation column and row per case).
    public static let maxCases = 50
    /// How far the probabilities may add up from 1.
    public static let probabilityTolerance = 1e-6

    enum CodingKeys: String, CodingKey, CaseIterable {
      case cases, risk
    }
  }

  /// One demand case: the base scenario with some offerings' demand (and prices) changed.
  public struct DemandCase: Sendable, Equatable, Codable {
    public var id: String
    public var probability: Double
    /// Multiplies the offering's demand series (`demand_gross_revenue_per_year` and `demand_mw`),
    /// after the case's own replacements.
    public var demandScale: IDMap<Double>?
    /// Per-offering replacements of demand series and prices, written as in `offerings`.
    public var offerings: [OfferingChange]?

    public init(
      id: String, probability: Double, demandScale: IDMap<Double>? = nil, offerings: [OfferingChange]? = nil
    ) {
      self.id = id
      self.probability = probability
      self.demandScale = demandScale
      self.offerings = offerings
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case id, probability
      case demandScale = "demand_scale"
      case offerings
    }
  }

  /// What a demand case may change in one offering. A price map changes values of hardware
  /// already in the base map (which hardware can serve is a first-stage fact, the same in every
  /// case); entries left out keep the base value.
  public struct OfferingChange: Sendable, Equatable, Codable {
    public var id: String
    public var demandGrossRevenuePerYear: Series?
    public var demandMW: Series?
    public var grossRevenuePerMWYear: IDMap<Double>?
    public var pricePerMWYear: IDMap<Double>?
    public var valuePerMWYear: IDMap<Double>?

    public init(
      id: String, demandGrossRevenuePerYear: Series? = nil, demandMW: Series? = nil,
      grossRevenuePerMWYear: IDMap<Double>? = nil, pricePerMWYear: IDMap<Double>? = nil,
      valuePerMWYear: IDMap<Double>? = nil
    ) {
      self.id = id
      self.demandGrossRevenuePerYear = demandGrossRevenuePerYear
      self.demandMW = demandMW
      self.grossRevenuePerMWYear = grossRevenuePerMWYear
      self.pricePerMWYear = pricePerMWYear
      self.valuePerMWYear = valuePerMWYear
    }

    /// Whether the change touches a price (then per-case EBIT tables use the case's prices).
    public var changesPrices: Bool {
      grossRevenuePerMWYear != nil || pricePerMWYear != nil || valuePerMWYear != nil
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case id
      case demandGrossRevenuePerYear = "demand_gross_revenue_per_year"
      case demandMW = "demand_mw"
      case grossRevenuePerMWYear = "gross_revenue_per_mw_year"
      case pricePerMWYear = "price_per_mw_year"
      case valuePerMWYear = "value_per_mw_year"
    }
  }

  /// CVaR at level `cvarAlpha`: the expected EBIT of the worst (1 - alpha) of the probability.
  public struct Risk: Sendable, Equatable, Codable {
    /// In [0, 1). Default 0.9.
    public var cvarAlpha: Double?
    /// In [0, 1]. Default 0.
    public var weight: Double?

    public init(cvarAlpha: Double? = nil, weight: Double? = nil) {
      self.cvarAlpha = cvarAlpha
      self.weight = weight
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case cvarAlpha = "cvar_alpha"
      case weight
    }
  }
}

extension Scenario {
  /// The scenario demand case `c` describes: the base without its `uncertainty`, with the case's
  /// replacements, then its scales, applied. Validation has checked the ids; an unknown one is
  /// skipped here.
  public func applying(_ demandCase: DemandCase) -> Scenario {
    var copy = self
    copy.uncertainty = nil
    for change in demandCase.offerings ?? [] {
      guard let o = copy.offerings.firstIndex(where: { $0.id == change.id }) else { continue }
      if let s = change.demandGrossRevenuePerYear { copy.offerings[o].demandGrossRevenuePerYear = s }
      if let s = change.demandMW { copy.offerings[o].demandMW = s }
      copy.offerings[o].grossRevenuePerMWYear = Self.merge(
        copy.offerings[o].grossRevenuePerMWYear, change.grossRevenuePerMWYear)
      copy.offerings[o].pricePerMWYear = Self.merge(copy.offerings[o].pricePerMWYear, change.pricePerMWYear)
      copy.offerings[o].valuePerMWYear = Self.merge(copy.offerings[o].valuePerMWYear, change.valuePerMWYear)
    }
    for entry in demandCase.demandScale?.entries ?? [] {
      guard let o = copy.offerings.firstIndex(where: { $0.id == entry.key }) else { continue }
      copy.offerings[o].demandGrossRevenuePerYear = copy.offerings[o].demandGrossRevenuePerYear?.scaled(
        by: entry.value)
      copy.offerings[o].demandMW = copy.offerings[o].demandMW?.scaled(by: entry.value)
    }
    return copy
  }

  /// `base` with the values of `change` where it names the same key; keys only in `change` are
  /// left out (validation refuses them).
  static func merge(_ base: IDMap<Double>?, _ change: IDMap<Double>?) -> IDMap<Double>? {
    guard let base, let change else { return base }
    return IDMap(base.entries.map { IDMap.Entry(key: $0.key, value: change[$0.key] ?? $0.value) })
  }
}

extension Series {
  /// Every value times `factor`.
  func scaled(by factor: Double) -> Series {
    switch self {
    case .constant(let v): return .constant(v * factor)
    case .byPeriod(let map):
      return .byPeriod(IDMap(map.entries.map { IDMap.Entry(key: $0.key, value: $0.value * factor) }))
    }
  }
}

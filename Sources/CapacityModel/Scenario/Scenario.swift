/// A scenario file, field for field (model spec, "The scenario file").
///
/// These types hold what was written, not what it means: optional fields stay `nil` when the file
/// leaves them out (a missing `demand_mw` is "no cap", not 0) and defaults are applied only in
/// ``ValidScenario``. Load files with ``ScenarioLoader``, which rejects unknown fields and reports
/// lines; `Codable` is for round trips through JSON (a plan, `--previous`).
public struct Scenario: Sendable, Equatable, Codable {
  /// The scenario's id (`scenario:` in the file).
  public var id: String
  public var description: String?
  /// At least one; their order is the planning horizon's order.
  public var periods: [Period]
  public var hardware: [Hardware]
  public var companions: [CompanionRule]?
  public var sites: [Site]
  public var offerings: [Offering]
  public var policies: [Policy]?
  /// Used only when a previous plan is given.
  public var stability: Stability?
  /// The discount rate of the cash-flow view and of `--objective npv`.
  public var finance: Finance?
  /// Demand cases for a two-stage plan (Uncertainty.swift); nil: one deterministic demand.
  public var uncertainty: Uncertainty?

  public init(
    id: String, description: String? = nil, periods: [Period], hardware: [Hardware] = [],
    companions: [CompanionRule]? = nil, sites: [Site] = [], offerings: [Offering] = [],
    policies: [Policy]? = nil, stability: Stability? = nil, finance: Finance? = nil,
    uncertainty: Uncertainty? = nil
  ) {
    self.id = id
    self.description = description
    self.periods = periods
    self.hardware = hardware
    self.companions = companions
    self.sites = sites
    self.offerings = offerings
    self.policies = policies
    self.stability = stability
    self.finance = finance
    self.uncertainty = uncertainty
  }
}

// The file's parts as written, nested in `Scenario` so that they read apart from the
// resolved `ValidScenario.Site`, `ValidScenario.Offering` and the rest.
extension Scenario {
  /// One planning period; rates are per year and a period lasts `years`.
  public struct Period: Sendable, Equatable, Codable {
    public var id: String
    public var years: Double

    public init(id: String, years: Double) {
      self.id = id
      self.years = years
    }
  }

  /// A kind of hardware, priced per IT MW.
  public struct Hardware: Sendable, Equatable, Codable {
    public var id: String
    /// $M per allocated IT MW-year. Default 0.
    public var opexPerMWYear: Double?
    /// $M per installed IT MW. Default 0.
    public var capexPerMW: Double?
    /// Default 5. Depreciation per MW-year is `capex_per_mw / life_years`.
    public var lifeYears: Double?
    /// When > 0, new installs come in whole multiples of it. Default 0 (continuous).
    public var installBlockMW: Double?
    /// Fleet-wide cap on new IT MW installed in each period. Absent means 0: nothing new.
    public var supplyMW: Series?

    public init(
      id: String, opexPerMWYear: Double? = nil, capexPerMW: Double? = nil, lifeYears: Double? = nil,
      installBlockMW: Double? = nil, supplyMW: Series? = nil
    ) {
      self.id = id
      self.opexPerMWYear = opexPerMWYear
      self.capexPerMW = capexPerMW
      self.lifeYears = lifeYears
      self.installBlockMW = installBlockMW
      self.supplyMW = supplyMW
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case id
      case opexPerMWYear = "opex_per_mw_year"
      case capexPerMW = "capex_per_mw"
      case lifeYears = "life_years"
      case installBlockMW = "install_block_mw"
      case supplyMW = "supply_mw"
    }
  }

  /// `hardware` must stand beside `requires`: each MW of it takes `mw_per_mw` MW of `requires`
  /// at the same site. Not transitive.
  public struct CompanionRule: Sendable, Equatable, Codable {
    public var hardware: String
    public var requires: String
    public var mwPerMW: Double

    public init(hardware: String, requires: String, mwPerMW: Double) {
      self.hardware = hardware
      self.requires = requires
      self.mwPerMW = mwPerMW
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case hardware, requires
      case mwPerMW = "mw_per_mw"
    }
  }

  /// A data-center site.
  public struct Site: Sendable, Equatable, Codable {
    public var id: String
    /// Facility MW per IT MW, at least 1. Default 1.
    public var pue: Double?
    /// Facility MW available in each period.
    public var powerMW: Series
    /// IT MW installed before the first period, by hardware id.
    public var installedMW: IDMap<Double>?
    public var expansions: [Expansion]?

    public init(
      id: String, pue: Double? = nil, powerMW: Series, installedMW: IDMap<Double>? = nil,
      expansions: [Expansion]? = nil
    ) {
      self.id = id
      self.pue = pue
      self.powerMW = powerMW
      self.installedMW = installedMW
      self.expansions = expansions
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case id, pue
      case powerMW = "power_mw"
      case installedMW = "installed_mw"
      case expansions
    }
  }

  /// A discrete power addition at a site: once built it stays built.
  public struct Expansion: Sendable, Equatable, Codable {
    /// Unique across the whole scenario, not only within its site.
    public var id: String
    /// Facility MW it adds (a number, not a series).
    public var powerMW: Double
    /// $M per year once built. Default 0.
    public var costPerYear: Double?
    /// The first period it may be built in. Default: the first period.
    public var earliest: String?

    public init(id: String, powerMW: Double, costPerYear: Double? = nil, earliest: String? = nil) {
      self.id = id
      self.powerMW = powerMW
      self.costPerYear = costPerYear
      self.earliest = earliest
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case id
      case powerMW = "power_mw"
      case costPerYear = "cost_per_year"
      case earliest
    }
  }

  /// Stability against a previous plan.
  public struct Stability: Sendable, Equatable, Codable {
    /// $M per IT MW of allocation changed against the previous plan (one-time, not per year).
    public var moveCost: Double

    public init(moveCost: Double) { self.moveCost = moveCost }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case moveCost = "move_cost"
    }
  }
}

extension Scenario {
  /// Money over time: how a plan's cash flows are discounted.
  public struct Finance: Sendable, Equatable, Codable {
    /// Annual rate, in [0, 1). Nil: no NPV is reported and `--objective npv` is refused.
    public var discountRate: Double?

    public init(discountRate: Double? = nil) { self.discountRate = discountRate }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case discountRate = "discount_rate"
    }
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case id = "scenario", description, periods, hardware, companions, sites, offerings, policies, stability
    case finance, uncertainty
  }
}

extension Scenario.Period {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case id, years
  }
}

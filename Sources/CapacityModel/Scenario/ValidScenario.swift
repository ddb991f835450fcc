/// A scenario that passed ``ScenarioValidator``, resolved for the formulation.
///
/// Defaults are applied, every series is expanded to one value per period (index `t` matches
/// ``periods``), and ids are turned into indices into ``hardware``, ``sites``, ``offerings`` and
/// ``expansions``. Lists keep the scenario's order (hardware in the `hardware` list's order, not
/// the order of an offering's map), so anything built from them is deterministic. Only
/// validation creates one, so the formulation can index without checking.
public struct ValidScenario: Sendable {
  /// The scenario as written.
  public let asWritten: Scenario
  /// The planning horizon, in order.
  public let periods: [Period]
  public let hardware: [Hardware]
  public let sites: [Site]
  /// Every site's expansions, site by site; ``Site/expansions`` indexes into this.
  public let expansions: [Expansion]
  public let companions: [Companion]
  public let offerings: [Offering]
  public let policies: [Policy]
  /// `stability.move_cost`, or `nil` when the scenario has no `stability`.
  public let moveCost: Double?
  /// `finance.discount_rate` (annual), or `nil` when the scenario gives none.
  public let discountRate: Double?

  let periodIndices: [String: Int]
  let hardwareIndices: [String: Int]
  let siteIndices: [String: Int]
  let offeringIndices: [String: Int]
  let expansionIndices: [String: Int]

  public func periodIndex(_ id: String) -> Int? { periodIndices[id] }
  public func hardwareIndex(_ id: String) -> Int? { hardwareIndices[id] }
  public func siteIndex(_ id: String) -> Int? { siteIndices[id] }
  public func offeringIndex(_ id: String) -> Int? { offeringIndices[id] }
  public func expansionIndex(_ id: String) -> Int? { expansionIndices[id] }

  /// Each period's length in years.
  public var years: [Double] { periods.map(\.years) }

  /// The `use` labels in order of first appearance.
  public var uses: [String] {
    var uses: [String] = []
    for offering in offerings where !uses.contains(offering.use) { uses.append(offering.use) }
    return uses
  }

  /// Whether `x[o,h,s,t]` exists: `h` is in `o`'s map and available by `t`, and `s` may serve `o`.
  public func canServe(offering o: Int, hardware h: Int, site s: Int, period t: Int) -> Bool {
    let offering = offerings[o]
    guard let serving = offering.serving(hardware: h) else { return false }
    return t >= serving.firstPeriod && offering.sites.contains(s)
  }

  /// The companion rules whose `requires` is hardware `h` (the rules that draw on `h`'s capacity).
  public func companions(requiring h: Int) -> [Companion] {
    companions.filter { $0.requires == h }
  }
}

extension ValidScenario {
  /// A period of the horizon.
  public struct Period: Sendable, Equatable {
    public let id: String
    public let years: Double
  }

  /// A kind of hardware with its defaults applied.
  public struct Hardware: Sendable, Equatable {
    public let id: String
    /// $M per allocated IT MW-year.
    public let opexPerMWYear: Double
    /// $M per installed IT MW.
    public let capexPerMW: Double
    public let lifeYears: Double
    /// 0 when installs are continuous; otherwise new MW are whole multiples of it.
    public let installBlockMW: Double
    /// Fleet-wide cap on new IT MW in each period (0 where the file gives none).
    public let supplyMW: [Double]

    /// $M per installed IT MW-year: `capex_per_mw / life_years`.
    public var depreciationPerMWYear: Double { capexPerMW / lifeYears }
  }

  /// A site with its defaults applied.
  public struct Site: Sendable, Equatable {
    public let id: String
    /// Facility MW per IT MW (1 by default).
    public let pue: Double
    /// Facility MW available in each period, before expansions.
    public let powerMW: [Double]
    /// IT MW installed before the first period, by hardware index (0 where none).
    public let installedMW: [Double]
    /// Indices into ``ValidScenario/expansions``.
    public let expansions: [Int]
  }

  /// A discrete power addition.
  public struct Expansion: Sendable, Equatable {
    public let id: String
    /// Index of its site.
    public let site: Int
    public let powerMW: Double
    public let costPerYear: Double
    /// The first period index it may be built in.
    public let earliestPeriod: Int
  }

  /// Each MW of hardware `hardware` takes `mwPerMW` MW of hardware `requires` at the same site.
  public struct Companion: Sendable, Equatable {
    public let hardware: Int
    public let requires: Int
    public let mwPerMW: Double
  }

  /// An offering with its hardware, sites and series resolved.
  public struct Offering: Sendable, Equatable {
    public let id: String
    public let use: String
    public let pricing: Pricing
    /// The hardware that can serve it, in hardware-list order.
    public let servedBy: [ServingHardware]
    /// The site indices that may serve it, in site-list order (all sites unless `sites` is given).
    public let sites: [Int]
    /// Untiered revenue_share only.
    public let revenueShare: Double?
    /// revenue_share only; 0 otherwise.
    public let iaasFeePerMWYear: Double
    /// Tiered revenue_share only: bands in order, the last with `upTo == nil`.
    public let tiers: [Tier]?
    /// Per period; `nil` means no cap.
    public let demandGrossRevenuePerYear: [Double]?
    /// Per period; `nil` means no cap.
    public let demandMW: [Double]?
    /// Rental: MW that must be allocated in each period; `nil` when none.
    public let committedMW: [Double]?
    /// Internal: MW that must be allocated in each period; `nil` when none.
    public let requiredMW: [Double]?

    /// The server entry for hardware index `h`, if `h` can serve this offering at all.
    public func serving(hardware h: Int) -> ServingHardware? { servedBy.first { $0.hardware == h } }

    /// Whether tier shares never rise from one band to the next, so the tiers stay linear;
    /// `false` means the fill order needs binary variables (model spec, "Tiers").
    public var tierSharesNeverRise: Bool {
      guard let tiers else { return true }
      return zip(tiers, tiers.dropFirst()).allSatisfy { $1.share <= $0.share }
    }
  }

  /// One hardware that can serve an offering, with its figures per MW-year.
  public struct ServingHardware: Sendable, Equatable {
    /// Hardware index.
    public let hardware: Int
    /// The value in the offering's map: gross revenue (revenue_share, first_party), price
    /// (rental) or transfer value (internal), $M per MW-year.
    public let rate: Double
    /// The lab's gross revenue per MW-year (`gross[o,h]`); `nil` for rental and internal.
    public let grossRevenuePerMWYear: Double?
    /// `unit[o,h]` of the spec's objective: the platform's revenue per MW-year outside tiers.
    /// iaas_fee + revenue_share × gross (untiered), iaas_fee (tiered), gross (first_party),
    /// price (rental), value (internal).
    public let unitRevenuePerMWYear: Double
    /// The first period index it may serve in (`available_from`, else 0).
    public let firstPeriod: Int
  }

  /// A share policy with its group resolved.
  public struct Policy: Sendable, Equatable {
    public let id: String
    public let kind: Scenario.Policy.Kind
    public let measure: Scenario.Policy.Measure
    public let share: Double
    /// The offering indices in the group (`P`).
    public let offerings: [Int]
    /// The hardware indices whose share is bounded (`H_p`).
    public let hardware: [Int]
  }
}

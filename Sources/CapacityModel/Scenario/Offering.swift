extension Scenario {
  /// Something the platform sells or uses capacity for.
  ///
  /// Which fields apply depends on ``pricing``; validation rejects a field that does not fit it.
  public struct Offering: Sendable, Equatable, Codable {
    public var id: String
    /// A label that groups offerings in reports and policies (bedrock, iaas, internal, ...).
    public var use: String
    public var pricing: Pricing
    /// revenue_share (untiered): the platform's share of the lab's gross revenue, in [0, 1].
    public var revenueShare: Double?
    /// revenue_share: a flat fee per allocated MW-year. Default 0.
    public var iaasFeePerMWYear: Double?
    /// revenue_share: share bands instead of `revenue_share`, never beside it.
    public var tiers: [Tier]?
    /// revenue_share / first_party: the lab's gross revenue one MW of that hardware serves per year.
    public var grossRevenuePerMWYear: IDMap<Double>?
    /// rental: the platform's revenue per allocated MW-year.
    public var pricePerMWYear: IDMap<Double>?
    /// internal: transfer value per MW-year, counted as revenue.
    public var valuePerMWYear: IDMap<Double>?
    /// revenue_share / first_party: cap on the offering's gross revenue rate. Absent: no cap.
    public var demandGrossRevenuePerYear: Series?
    /// rental / internal: cap on allocated MW. Absent: no cap.
    public var demandMW: Series?
    /// rental: MW that must be allocated (take-or-pay).
    public var committedMW: Series?
    /// internal: MW that must be allocated.
    public var requiredMW: Series?
    /// Hardware (from this offering's map) that may serve only from that period on.
    public var availableFrom: IDMap<String>?
    /// When given, only these sites may serve the offering; never empty.
    public var sites: [String]?

    public init(
      id: String, use: String, pricing: Pricing, revenueShare: Double? = nil,
      iaasFeePerMWYear: Double? = nil, tiers: [Tier]? = nil,
      grossRevenuePerMWYear: IDMap<Double>? = nil, pricePerMWYear: IDMap<Double>? = nil,
      valuePerMWYear: IDMap<Double>? = nil, demandGrossRevenuePerYear: Series? = nil,
      demandMW: Series? = nil, committedMW: Series? = nil, requiredMW: Series? = nil,
      availableFrom: IDMap<String>? = nil, sites: [String]? = nil
    ) {
      self.id = id
      self.use = use
      self.pricing = pricing
      self.revenueShare = revenueShare
      self.iaasFeePerMWYear = iaasFeePerMWYear
      self.tiers = tiers
      self.grossRevenuePerMWYear = grossRevenuePerMWYear
      self.pricePerMWYear = pricePerMWYear
      self.valuePerMWYear = valuePerMWYear
      self.demandGrossRevenuePerYear = demandGrossRevenuePerYear
      self.demandMW = demandMW
      self.committedMW = committedMW
      self.requiredMW = requiredMW
      self.availableFrom = availableFrom
      self.sites = sites
    }

    /// The hardware map that names who can serve this offering under its pricing, if written.
    public var hardwareMap: IDMap<Double>? {
      switch pricing {
      case .revenueShare, .firstParty: grossRevenuePerMWYear
      case .rental: pricePerMWYear
      case .internal: valuePerMWYear
      }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case id, use, pricing
      case revenueShare = "revenue_share"
      case iaasFeePerMWYear = "iaas_fee_per_mw_year"
      case tiers
      case grossRevenuePerMWYear = "gross_revenue_per_mw_year"
      case pricePerMWYear = "price_per_mw_year"
      case valuePerMWYear = "value_per_mw_year"
      case demandGrossRevenuePerYear = "demand_gross_revenue_per_year"
      case demandMW = "demand_mw"
      case committedMW = "committed_mw"
      case requiredMW = "required_mw"
      case availableFrom = "available_from"
      case sites
    }
  }

  /// A share rule on a group of offerings: the hardware in `hardware` must carry at least
  /// (`min_share`) or at most (`max_share`) `share` of the group's MW or gross revenue.
  public struct Policy: Sendable, Equatable, Codable {
    public var id: String
    public var kind: Kind
    /// The offerings with this use form the group; exactly one of `use` and `offering` is given.
    public var use: String?
    /// A single offering forms the group.
    public var offering: String?
    public var hardware: [String]
    public var share: Double
    /// Default `mw`.
    public var measure: Measure?

    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
      case minShare = "min_share"
      case maxShare = "max_share"
    }

    public enum Measure: String, Sendable, Equatable, Codable, CaseIterable {
      case mw
      case grossRevenue = "gross_revenue"
    }

    public init(
      id: String, kind: Kind, use: String? = nil, offering: String? = nil, hardware: [String],
      share: Double, measure: Measure? = nil
    ) {
      self.id = id
      self.kind = kind
      self.use = use
      self.offering = offering
      self.hardware = hardware
      self.share = share
      self.measure = measure
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
      case id, kind, use, offering, hardware, share, measure
    }
  }
}

/// How an offering earns (model spec, "Objective").
public enum Pricing: String, Sendable, Equatable, Codable, CaseIterable {
  /// The lab pays the platform a share of its gross revenue plus a fee per MW-year.
  case revenueShare = "revenue_share"
  /// The platform keeps the whole gross revenue.
  case firstParty = "first_party"
  /// A price per allocated MW-year.
  case rental
  /// A transfer value per MW-year.
  case `internal`

  /// Whether the offering has a gross revenue (and so a gross-revenue demand and policy measure).
  public var hasGrossRevenue: Bool { self == .revenueShare || self == .firstParty }
}

/// One band of a tiered revenue share: the platform earns `share` of the gross revenue rate
/// between the previous band's `up_to` (0 for the first) and this one's.
public struct Tier: Sendable, Equatable, Codable {
  /// $M per year; `nil` only on the last band, which is unbounded.
  public var upTo: Double?
  public var share: Double

  public init(upTo: Double? = nil, share: Double) {
    self.upTo = upTo
    self.share = share
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case upTo = "up_to"
    case share
  }
}

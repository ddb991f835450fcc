/// EBIT taken apart: per offering, use, hardware and site, with idle capacity
/// and fixed costs as lines of their own, so that in every period the offering
/// lines, the idle line and the fixed line add up to the plan's EBIT.
///
/// The rule (docs/formulation.md, "Economics by offering"):
/// - revenue is counted where it is earned: an allocation earns its unit revenue; tier revenue,
///   a function of the offering's whole gross revenue rate, is split over its allocations in
///   proportion to the gross revenue each serves;
/// - opex and depreciation follow the MW an allocation uses, with the companion MW it needs
///   (and their opex and depreciation) charged to it;
/// - the depreciation of installed MW that no allocation uses is the line "idle capacity";
/// - expansion costs are the line "fixed costs".
extension Plan {
  public struct Economics: Codable, Sendable, Equatable {
    /// One line per offering in the scenario's order.
    public var offerings: [Line]
    /// The same allocations grouped by use, by the hardware they run on, and by site.
    public var uses: [Line]
    public var hardware: [Line]
    public var sites: [Line]
    /// Installed MW no allocation uses: their depreciation (opex follows allocated MW only).
    public var idle: Line
    /// Expansion costs.
    public var fixed: Line
    /// Installed, used (allocations and the companion MW they need) and idle IT MW per site,
    /// hardware and period.
    public var capacity: [Capacity]

    /// The lines that add up to the plan's EBIT: offerings, idle capacity, fixed costs.
    public var ebitLines: [Line] { offerings + [idle, fixed] }
  }

  /// One line of the breakdown: a figure per period (annual rates) and over the horizon.
  public struct EconomicsLine: Codable, Sendable, Equatable {
    /// An offering, use, hardware or site id, or "idle capacity" / "fixed costs".
    public var id: String
    /// The offering's use (offering lines only).
    public var use: String?
    public var periods: [Figures]
    public var total: Figures

    public init(id: String, use: String? = nil, periods: [Figures], total: Figures) {
      (self.id, self.use, self.periods, self.total) = (id, use, periods, total)
    }
  }
  public typealias Line = EconomicsLine

  /// Revenue, costs and EBIT of a line: $M per year in a period, $M over the horizon in a total.
  public struct Figures: Codable, Sendable, Equatable {
    /// The period id, or "total".
    public var period: String
    /// IT MW allocated (a period) or MW-years (the total); for idle capacity the idle IT MW.
    public var mw: Double
    public var revenue, opex, depreciation, fixed, ebit: Double
    public var ebitMargin: Double?
    /// EBIT per allocated IT MW-year (null without MW).
    public var ebitPerMWYear: Double?

    public init(period: String) {
      self.period = period
      (mw, revenue, opex, depreciation, fixed, ebit) = (0, 0, 0, 0, 0, 0)
    }

    enum CodingKeys: String, CodingKey {
      case period, mw, revenue, opex, depreciation, fixed, ebit
      case ebitMargin = "ebit_margin", ebitPerMWYear = "ebit_per_mw_year"
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(period, forKey: .period)
      try c.encode(mw, forKey: .mw)
      try c.encode(revenue, forKey: .revenue)
      try c.encode(opex, forKey: .opex)
      try c.encode(depreciation, forKey: .depreciation)
      try c.encode(fixed, forKey: .fixed)
      try c.encode(ebit, forKey: .ebit)
      try c.encode(ebitMargin, forKey: .ebitMargin)  // null on zero revenue
      try c.encode(ebitPerMWYear, forKey: .ebitPerMWYear)
    }

    mutating func add(_ other: Figures, weight: Double = 1) {
      mw += weight * other.mw
      revenue += weight * other.revenue
      opex += weight * other.opex
      depreciation += weight * other.depreciation
      fixed += weight * other.fixed
    }

    /// EBIT, margin and EBIT per MW-year from the parts; `mwYears` is the divisor for the last.
    mutating func close(mwYears: Double) {
      ebit = revenue - opex - depreciation - fixed
      ebitMargin = revenue != 0 ? ebit / revenue : nil
      ebitPerMWYear = mwYears > 1e-9 ? ebit / mwYears : nil
    }
  }

  public struct Capacity: Codable, Sendable, Equatable {
    public var site, hardware, period: String
    public var installedMW, usedMW, idleMW: Double
    enum CodingKeys: String, CodingKey {
      case site, hardware, period, installedMW = "installed_mw", usedMW = "used_mw", idleMW = "idle_mw"
    }
  }
}

/// Collects the facts of a solved plan (one per allocation, per site-hardware-period and per
/// expansion built) and sums them into `Plan.Economics`.
struct EconomicsLedger {
  struct AllocationFact {
    var offering, hardware, site, period: Int
    var mw, revenue, opex, depreciation: Double
  }
  let scenario: ValidScenario
  private(set) var allocations: [AllocationFact] = []
  /// The facts of the current period's offering, for splitting its tier revenue.
  private var offeringFacts: [Int] = []
  /// IT MW used per site and hardware in the current period, companion MW included.
  private var used: [SiteHardware: Double] = [:]
  private struct SiteHardware: Hashable { var site, hardware: Int }
  private var currentPeriod = -1
  /// [period][line]: idle and fixed figures per period.
  var idle: [Plan.Figures]
  var fixed: [Plan.Figures]
  var capacity: [Plan.Capacity] = []

  init(_ scenario: ValidScenario) {
    self.scenario = scenario
    idle = scenario.periods.map { Plan.Figures(period: $0.id) }
    fixed = idle
  }

  /// Starts the facts of one offering in one period; a new period starts with a new offering.
  mutating func beginOffering(period t: Int) {
    offeringFacts = []
    if t != currentPeriod { (used, currentPeriod) = ([:], t) }
  }

  mutating func add(_ fact: AllocationFact) {
    offeringFacts.append(allocations.count)
    allocations.append(fact)
    used[SiteHardware(site: fact.site, hardware: fact.hardware), default: 0] += fact.mw
    for rule in scenario.companions where rule.hardware == fact.hardware {
      used[SiteHardware(site: fact.site, hardware: rule.requires), default: 0] += rule.mwPerMW * fact.mw
    }
  }

  /// Splits the current offering's tier revenue over its allocations in proportion to gross.
  mutating func addTierRevenue(_ revenue: Double, offering o: Int, gross: Double) {
    guard revenue != 0, gross > 0 else { return }
    let offering = scenario.offerings[o]
    for i in offeringFacts {
      let a = allocations[i]
      let g = (offering.serving(hardware: a.hardware)?.grossRevenuePerMWYear ?? 0) * a.mw
      allocations[i].revenue += revenue * g / gross
    }
  }

  /// Records installed MW at a site: what allocations use of it (with companions) and the idle rest.
  /// Call after every allocation of period `t` was added.
  mutating func addCapacity(site s: Int, hardware h: Int, period t: Int, installed: Double) {
    let used = currentPeriod == t ? self.used[SiteHardware(site: s, hardware: h)] ?? 0 : 0
    var idleMW = installed - used
    if abs(idleMW) < 1e-7 { idleMW = 0 }
    guard installed != 0 || used != 0 else { return }
    let hw = scenario.hardware[h]
    idle[t].mw += idleMW
    idle[t].depreciation += hw.depreciationPerMWYear * idleMW
    capacity.append(
      Plan.Capacity(
        site: scenario.sites[s].id, hardware: hw.id, period: scenario.periods[t].id, installedMW: installed,
        usedMW: used, idleMW: idleMW))
  }

  mutating func addFixed(_ cost: Double, period t: Int) { fixed[t].fixed += cost }

  var economics: Plan.Economics {
    let sc = scenario
    func line(_ id: String, use: String? = nil, periods: [Plan.Figures], mwIsAllocated: Bool = true)
      -> Plan.Line
    {
      var total = Plan.Figures(period: "total")
      var closed = periods
      for (t, period) in sc.periods.enumerated() where t < closed.count {
        closed[t].close(mwYears: mwIsAllocated ? closed[t].mw : 0)
        total.add(closed[t], weight: period.years)
      }
      total.close(mwYears: mwIsAllocated ? total.mw : 0)
      return Plan.Line(id: id, use: use, periods: closed, total: total)
    }
    func lines(_ ids: [String], key: (AllocationFact) -> String, use: (String) -> String? = { _ in nil })
      -> [Plan.Line]
    {
      var perPeriod: [String: [Plan.Figures]] = [:]
      for id in ids { perPeriod[id] = sc.periods.map { Plan.Figures(period: $0.id) } }
      for a in allocations {
        let k = key(a)
        perPeriod[k]?[a.period].mw += a.mw
        perPeriod[k]?[a.period].revenue += a.revenue
        perPeriod[k]?[a.period].opex += a.opex
        perPeriod[k]?[a.period].depreciation += a.depreciation
      }
      return ids.map { id in line(id, use: use(id), periods: perPeriod[id] ?? []) }
    }
    let offeringUse = Dictionary(sc.offerings.map { ($0.id, $0.use) }, uniquingKeysWith: { a, _ in a })
    return Plan.Economics(
      offerings: lines(
        sc.offerings.map(\.id), key: { sc.offerings[$0.offering].id }, use: { offeringUse[$0] }),
      uses: lines(sc.offerings.map(\.use).uniqued(), key: { sc.offerings[$0.offering].use }),
      hardware: lines(
        sc.hardware.indices.filter { h in allocations.contains { $0.hardware == h } }.map {
          sc.hardware[$0].id
        },
        key: { sc.hardware[$0.hardware].id }),
      sites: lines(
        sc.sites.indices.filter { s in allocations.contains { $0.site == s } }.map { sc.sites[$0].id },
        key: { sc.sites[$0.site].id }),
      idle: line("idle capacity", periods: idle, mwIsAllocated: false),
      fixed: line("fixed costs", periods: fixed, mwIsAllocated: false),
      capacity: capacity)
  }
}

extension Plan {
  /// How far the economics lines are from the plan's EBIT: the largest difference, over the
  /// periods and the horizon, between the plan's EBIT and the sum of the offering, idle and
  /// fixed lines; and the same for the use, hardware and site views. Nil without economics.
  public var economicsResidual: Double? {
    guard let e = economics, let totals else { return nil }
    var worst = 0.0
    for view in [e.offerings, e.uses, e.hardware, e.sites] {
      let lines = view + [e.idle, e.fixed]
      for (t, p) in periods.enumerated() {
        let sum = lines.reduce(0) { $0 + ($1.periods.count > t ? $1.periods[t].ebit : 0) }
        worst = max(worst, abs(sum - p.ebit))
      }
      worst = max(worst, abs(lines.reduce(0) { $0 + $1.total.ebit } - totals.ebit))
    }
    return worst
  }
}

extension Plan.EconomicsLine {
  /// The figures of period `id` (nil when the line has none), for outputs that align lines by
  /// the plan's periods.
  public func figures(_ id: String) -> Plan.Figures? { periods.first { $0.period == id } }
}

/// What changed from plan `a` to plan `b`: MW by allocation and rolled up by
/// offering, hardware, site and period; the financials of each period; the
/// marginal values, site power, installs and expansions that differ.
///
/// Deltas are always `b - a`. A key present in only one plan counts as 0 on
/// the other side, so plans of different scenarios (other periods, offerings
/// or sites) compare too. MW are IT MW; money is $M per year for periods and
/// $M over the horizon for `totals`; marginal values keep their plan units.
public struct PlanDiff: Codable, Sendable, Equatable {
  /// Below this a difference is float noise, not a change (MW, $M or a marginal value).
  public static let tolerance = 1e-9

  public var a: Side
  public var b: Side
  /// The union of both plans' periods: `a`'s in order, then those only `b` has.
  public var periods: [String]
  /// Years of those periods (b's length where both plans have a period).
  public var horizonYears: Double
  /// Sum over every (offering, hardware, site, period) of |b - a|, IT MW.
  public var mwMoved: Double
  /// Every allocation whose MW changed, largest |delta| first.
  public var allocations: [AllocationChange]
  public var byOffering: [GroupChange]
  public var byHardware: [GroupChange]
  public var bySite: [GroupChange]
  /// Allocated MW of each period (all offerings).
  public var byPeriod: [PeriodChange]
  /// Per period, $M per year; absent periods are zeros.
  public var financials: [FinancialChange]
  /// Over the horizon, $M (nil when neither plan has totals).
  public var totals: FinancialChange?
  /// EBIT per offering, then idle capacity and fixed costs, A against B (empty where either
  /// plan has no economics).
  public var ebitLines: [EBITLineChange] = []
  /// What to keep in mind reading the diff (plans of different scenarios).
  public var warnings: [String] = []
  /// Two-stage plans (PlanUncertainty.swift): their expected EBIT, CVaR, EVPI and VSS, A against
  /// B (nil unless both plans have demand cases).
  public var demandCases: DemandCaseChange?
  /// Marginal values (power, supply, demand) whose value or binding changed.
  public var marginals: [MarginalChange]
  /// Site power rows whose use or limit changed (facility MW).
  public var power: [PowerChange]
  public var installs: [InstallChange]
  public var expansions: [ExpansionChange]

  public struct Side: Codable, Sendable, Equatable {
    public var scenario: String
    public var status: String
    public var ebit: Double?
    public var revenue: Double?
    public var ebitMargin: Double?
    public var objective: Double?
    enum CodingKeys: String, CodingKey {
      case scenario, status, ebit, revenue, ebitMargin = "ebit_margin", objective
    }
  }

  /// A figure in both plans.
  public struct Change: Codable, Sendable, Equatable {
    public var a: Double
    public var b: Double
    public var delta: Double
    public init(a: Double, b: Double) {
      self.a = a
      self.b = b
      self.delta = b - a
    }
    public var isChange: Bool { abs(delta) > PlanDiff.tolerance * max(1, abs(a), abs(b)) }
  }

  public struct AllocationChange: Codable, Sendable, Equatable {
    public var offering, hardware, site, period: String
    public var mw: Change
  }

  /// One offering, hardware or site: its MW per period and in all.
  public struct GroupChange: Codable, Sendable, Equatable {
    public var key: String
    public var periods: [PeriodChange]
    /// The net change weighted by each period's years, IT MW-years (divide by the horizon's years for average MW).
    public var netMWYears: Double
    /// Sum of |b - a| over its allocations and periods, IT MW (as a plan's `stability.mw_moved` counts):
    /// a site swap moves MW without a net change.
    public var moved: Double
    enum CodingKeys: String, CodingKey {
      case key, periods, netMWYears = "net_change_mw_years", moved = "moved_mw"
    }
  }

  public struct PeriodChange: Codable, Sendable, Equatable {
    public var period: String
    public var mw: Change
    /// Sum of |b - a| over the allocations behind this cell.
    public var moved: Double
    enum CodingKeys: String, CodingKey { case period, mw, moved = "moved_mw" }
  }

  public struct FinancialChange: Codable, Sendable, Equatable {
    public var period: String
    public var years: Change
    public var revenue, opex, depreciation, fixed, ebit: Change
  }

  public struct MarginalChange: Codable, Sendable, Equatable {
    /// power, supply, demand_gross_revenue or demand_mw.
    public var kind: ConstraintKey.Kind
    /// The site (power), hardware (supply) or offering (demand).
    public var subject: String
    public var period: String
    /// Nil where that plan has no such row (or no dual); `delta` reads a missing value as 0.
    public var a: Double?
    public var b: Double?
    public var delta: Double
    public var bindingA: Bool?
    public var bindingB: Bool?
    enum CodingKeys: String, CodingKey {
      case kind, subject, period, a, b, delta, bindingA = "binding_a", bindingB = "binding_b"
    }
  }

  public struct PowerChange: Codable, Sendable, Equatable {
    public var site, period: String
    public var usedMW: Change
    public var limitMW: Change
    enum CodingKeys: String, CodingKey { case site, period, usedMW = "used_mw", limitMW = "limit_mw" }
  }

  public struct InstallChange: Codable, Sendable, Equatable {
    public var site, hardware, period: String
    public var mw: Change
  }

  /// An expansion built in a different period, or in one plan only.
  public struct ExpansionChange: Codable, Sendable, Equatable {
    public var id: String
    public var site: String
    /// The period it is first built in; nil where that plan does not build it.
    public var periodA: String?
    public var periodB: String?
    public var powerMW: Double
    public var costPerYear: Double
    enum CodingKeys: String, CodingKey {
      case id, site, periodA = "period_a", periodB = "period_b", powerMW = "power_mw", costPerYear =
        "cost_per_year"
    }
  }

  enum CodingKeys: String, CodingKey {
    case a, b, periods, horizonYears = "horizon_years", mwMoved = "mw_moved", allocations, byOffering =
      "by_offering", byHardware = "by_hardware"
    case bySite = "by_site", byPeriod = "by_period", financials, totals, marginals, power, installs,
      expansions
    case ebitLines = "ebit_by_offering", warnings, demandCases = "demand_cases"
  }
}

extension PlanDiff {
  /// Compares `a` with `b`. Linear in the number of allocation rows.
  public init(_ a: Plan, _ b: Plan) {
    self.a = Side(a)
    self.b = Side(b)
    var periods = a.periods.map(\.id)
    var seen = Set(periods)
    for p in b.periods.map(\.id) + a.allocations.map(\.period) + b.allocations.map(\.period)
    where seen.insert(p).inserted {
      periods.append(p)
    }
    self.periods = periods

    // Allocations keyed by (offering, hardware, site, period); absent = 0.
    let mwA = a.allocationIndex
    let mwB = b.allocationIndex
    var changes: [AllocationChange] = []
    var offering = GroupAccumulator()
    var hardware = GroupAccumulator()
    var site = GroupAccumulator()
    var period = GroupAccumulator()
    var moved = 0.0
    func visit(_ key: Plan.AllocationKey, _ x: Double, _ y: Double) {
      let change = Change(a: x, b: y)
      let m = change.isChange ? abs(change.delta) : 0
      offering.add(key.offering, key.period, change, moved: m)
      hardware.add(key.hardware, key.period, change, moved: m)
      site.add(key.site, key.period, change, moved: m)
      period.add("", key.period, change, moved: m)
      guard change.isChange else { return }
      moved += m
      changes.append(
        AllocationChange(
          offering: key.offering, hardware: key.hardware, site: key.site, period: key.period, mw: change))
    }
    // In the plans' own order, so sums come out the same on every run (not in hash order).
    var visited = Set<Plan.AllocationKey>()
    visited.reserveCapacity(mwA.count + mwB.count)
    for x in a.allocations {
      let key = Plan.AllocationKey(offering: x.offering, hardware: x.hardware, site: x.site, period: x.period)
      if visited.insert(key).inserted { visit(key, mwA[key] ?? 0, mwB[key] ?? 0) }
    }
    for y in b.allocations {
      let key = Plan.AllocationKey(offering: y.offering, hardware: y.hardware, site: y.site, period: y.period)
      if visited.insert(key).inserted { visit(key, 0, mwB[key] ?? 0) }
    }
    changes.sort {
      abs($0.mw.delta) != abs($1.mw.delta)
        ? abs($0.mw.delta) > abs($1.mw.delta)
        : [$0.offering, $0.hardware, $0.site, $0.period].lexicographicallyPrecedes([
          $1.offering, $1.hardware, $1.site, $1.period,
        ])
    }
    self.allocations = changes
    self.mwMoved = moved
    // A period's length: b's (the plan under review), else a's.
    var years = Dictionary(a.periods.map { ($0.id, $0.years) }, uniquingKeysWith: { x, _ in x })
    for p in b.periods { years[p.id] = p.years }
    self.horizonYears = periods.reduce(0) { $0 + (years[$1] ?? 0) }
    self.byOffering = offering.groups(periods: periods, years: years)
    self.byHardware = hardware.groups(periods: periods, years: years)
    self.bySite = site.groups(periods: periods, years: years)
    self.byPeriod =
      period.groups(periods: periods, years: years).first?.periods
      ?? periods.map {
        PeriodChange(period: $0, mw: Change(a: 0, b: 0), moved: 0)
      }

    // Financials per period.
    let finA = Dictionary(a.periods.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
    let finB = Dictionary(b.periods.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
    self.financials = periods.map { p in
      let x = finA[p]
      let y = finB[p]
      return FinancialChange(
        period: p, years: Change(a: x?.years ?? 0, b: y?.years ?? 0),
        revenue: Change(a: x?.revenue ?? 0, b: y?.revenue ?? 0),
        opex: Change(a: x?.opex ?? 0, b: y?.opex ?? 0),
        depreciation: Change(a: x?.depreciation ?? 0, b: y?.depreciation ?? 0),
        fixed: Change(a: x?.fixed ?? 0, b: y?.fixed ?? 0), ebit: Change(a: x?.ebit ?? 0, b: y?.ebit ?? 0))
    }
    if a.totals != nil || b.totals != nil {
      let x = a.totals
      let y = b.totals
      self.totals = FinancialChange(
        period: "total",
        years: Change(a: a.periods.reduce(0) { $0 + $1.years }, b: b.periods.reduce(0) { $0 + $1.years }),
        revenue: Change(a: x?.revenue ?? 0, b: y?.revenue ?? 0),
        opex: Change(a: x?.opex ?? 0, b: y?.opex ?? 0),
        depreciation: Change(a: x?.depreciation ?? 0, b: y?.depreciation ?? 0),
        fixed: Change(a: x?.fixed ?? 0, b: y?.fixed ?? 0), ebit: Change(a: x?.ebit ?? 0, b: y?.ebit ?? 0))
    }

    self.marginals = Self.marginalChanges(a, b, periods: periods)
    self.power = Self.powerChanges(a, b, periods: periods)
    self.installs = Self.installChanges(a, b, periods: periods)
    self.expansions = Self.expansionChanges(a, b)
    self.ebitLines = Self.ebitLineChanges(a, b, periods: periods)
    demandCases = DemandCaseChange(a, b)
    if (a.uncertainty == nil) != (b.uncertainty == nil) {
      warnings.append(
        "one plan is made over demand cases and the other is not: its MW and money are expected "
          + "values over the cases; its installs and expansions are the decision shared by every case")
    }
    if a.scenario != b.scenario {
      warnings.append(
        "the plans are of different scenarios ('\(a.scenario)' and '\(b.scenario)'): offerings, sites and "
          + "periods one lacks count as 0 there, so the changes mix what the scenarios say with what the "
          + "plans chose")
    }
  }

  /// Whether the plans differ anywhere this diff looks.
  public var isEmpty: Bool {
    allocations.isEmpty && marginals.isEmpty && power.isEmpty && installs.isEmpty && expansions.isEmpty
      && financials.allSatisfy {
        !$0.revenue.isChange && !$0.opex.isChange && !$0.depreciation.isChange && !$0.fixed.isChange
          && !$0.ebit.isChange
      }
  }

  struct MarginalKey: Hashable {
    var kind: ConstraintKey.Kind
    var subject, period: String
  }

  static func marginalRows(_ plan: Plan) -> [MarginalKey: (value: Double?, binding: Bool)] {
    var rows: [MarginalKey: (value: Double?, binding: Bool)] = [:]
    for p in plan.marginals.power {
      rows[MarginalKey(kind: .power, subject: p.site, period: p.period)] = (p.value, p.isAtLimit)
    }
    for m in plan.marginals.supply + plan.marginals.demand {
      rows[MarginalKey(kind: m.kind, subject: m.subject, period: m.period)] = (m.value, m.binding)
    }
    return rows
  }

  static func marginalChanges(_ a: Plan, _ b: Plan, periods: [String]) -> [MarginalChange] {
    let rowsA = marginalRows(a)
    let rowsB = marginalRows(b)
    var keys = Array(rowsA.keys)
    keys += rowsB.keys.filter { rowsA[$0] == nil }
    let kindOrder: [ConstraintKey.Kind: Int] = [.power: 0, .supply: 1, .demandGrossRevenue: 2, .demandMW: 3]
    let periodOrder = Dictionary(periods.enumerated().map { ($1, $0) }, uniquingKeysWith: { x, _ in x })
    var subjectOrder: [String: Int] = [:]
    for plan in [a, b] {
      for s in plan.marginals.power.map(\.site)
        + (plan.marginals.supply + plan.marginals.demand).map(\.subject)
      where subjectOrder[s] == nil {
        subjectOrder[s] = subjectOrder.count
      }
    }
    var out: [MarginalChange] = []
    for key in keys {
      let x = rowsA[key]
      let y = rowsB[key]
      let va = x?.value
      let vb = y?.value
      let valueChanged: Bool
      switch (va, vb) {
      case (let p?, let q?): valueChanged = Change(a: p, b: q).isChange
      case (nil, nil): valueChanged = false
      default: valueChanged = true
      }
      guard valueChanged || x?.binding != y?.binding else { continue }
      out.append(
        MarginalChange(
          kind: key.kind, subject: key.subject, period: key.period, a: va, b: vb,
          delta: (vb ?? 0) - (va ?? 0),
          bindingA: x?.binding, bindingB: y?.binding))
    }
    out.sort {
      let l = (kindOrder[$0.kind] ?? 9, subjectOrder[$0.subject] ?? 0, periodOrder[$0.period] ?? Int.max)
      let r = (kindOrder[$1.kind] ?? 9, subjectOrder[$1.subject] ?? 0, periodOrder[$1.period] ?? Int.max)
      return l < r
    }
    return out
  }

  struct SitePeriod: Hashable {
    var site, period: String
  }

  static func powerChanges(_ a: Plan, _ b: Plan, periods: [String]) -> [PowerChange] {
    let rowsA = Dictionary(
      a.marginals.power.map { (SitePeriod(site: $0.site, period: $0.period), $0) },
      uniquingKeysWith: { x, _ in x })
    let rowsB = Dictionary(
      b.marginals.power.map { (SitePeriod(site: $0.site, period: $0.period), $0) },
      uniquingKeysWith: { x, _ in x })
    let sites = (a.marginals.power.map(\.site) + b.marginals.power.map(\.site)).uniqued()
    var out: [PowerChange] = []
    for site in sites {
      for period in periods {
        let key = SitePeriod(site: site, period: period)
        let x = rowsA[key]
        let y = rowsB[key]
        guard x != nil || y != nil else { continue }
        let used = Change(a: x?.usedMW ?? 0, b: y?.usedMW ?? 0)
        let limit = Change(a: x?.limitMW ?? 0, b: y?.limitMW ?? 0)
        if used.isChange || limit.isChange {
          out.append(PowerChange(site: site, period: period, usedMW: used, limitMW: limit))
        }
      }
    }
    return out
  }

  struct InstallKey: Hashable {
    var site, hardware, period: String
  }

  static func installChanges(_ a: Plan, _ b: Plan, periods: [String]) -> [InstallChange] {
    var mwA: [InstallKey: Double] = [:]
    var mwB: [InstallKey: Double] = [:]
    var order: [InstallKey] = []
    for i in a.installs {
      let k = InstallKey(site: i.site, hardware: i.hardware, period: i.period)
      if mwA[k] == nil && mwB[k] == nil { order.append(k) }
      mwA[k, default: 0] += i.mw
    }
    for i in b.installs {
      let k = InstallKey(site: i.site, hardware: i.hardware, period: i.period)
      if mwA[k] == nil && mwB[k] == nil { order.append(k) }
      mwB[k, default: 0] += i.mw
    }
    let periodOrder = Dictionary(periods.enumerated().map { ($1, $0) }, uniquingKeysWith: { x, _ in x })
    return order.compactMap { k in
      let c = Change(a: mwA[k] ?? 0, b: mwB[k] ?? 0)
      return c.isChange ? InstallChange(site: k.site, hardware: k.hardware, period: k.period, mw: c) : nil
    }.sorted {
      ($0.site, periodOrder[$0.period] ?? Int.max, $0.hardware) < (
        $1.site, periodOrder[$1.period] ?? Int.max, $1.hardware
      )
    }
  }

  static func expansionChanges(_ a: Plan, _ b: Plan) -> [ExpansionChange] {
    // An expansion is listed in the period it is first built (again, after a gap: keep the first).
    func first(_ plan: Plan) -> [String: Plan.ExpansionBuilt] {
      var out: [String: Plan.ExpansionBuilt] = [:]
      for e in plan.expansions where out[e.id] == nil { out[e.id] = e }
      return out
    }
    let builtA = first(a)
    let builtB = first(b)
    let ids = (a.expansions.map(\.id) + b.expansions.map(\.id)).uniqued()
    return ids.compactMap { id in
      let x = builtA[id]
      let y = builtB[id]
      guard x?.period != y?.period, let e = x ?? y else { return nil }
      return ExpansionChange(
        id: id, site: e.site, periodA: x?.period, periodB: y?.period, powerMW: e.powerMW,
        costPerYear: e.costPerYear)
    }
  }
}

extension PlanDiff.Side {
  init(_ plan: Plan) {
    self.init(
      scenario: plan.scenario, status: plan.status.rawValue, ebit: plan.totals?.ebit,
      revenue: plan.totals?.revenue,
      ebitMargin: plan.totals?.ebitMargin, objective: plan.objective)
  }
}

/// Sums changes per (group, period) without quadratic scans.
struct GroupAccumulator {
  var order: [String] = []
  var cells: [String: [String: (a: Double, b: Double, moved: Double)]] = [:]

  mutating func add(_ group: String, _ period: String, _ change: PlanDiff.Change, moved: Double) {
    if cells[group] == nil { order.append(group) }
    var cell = cells[group, default: [:]][period] ?? (0, 0, 0)
    cell.a += change.a
    cell.b += change.b
    cell.moved += moved
    cells[group, default: [:]][period] = cell
  }

  /// Every group, sorted by MW moved (largest first), then by name.
  func groups(periods: [String], years: [String: Double]) -> [PlanDiff.GroupChange] {
    order.map { key in
      let byPeriod = cells[key] ?? [:]
      let list = periods.map { p in
        let c = byPeriod[p] ?? (0, 0, 0)
        return PlanDiff.PeriodChange(period: p, mw: PlanDiff.Change(a: c.a, b: c.b), moved: c.moved)
      }
      return PlanDiff.GroupChange(
        key: key, periods: list, netMWYears: list.reduce(0) { $0 + $1.mw.delta * (years[$1.period] ?? 0) },
        moved: list.reduce(0) { $0 + $1.moved })
    }.sorted { $0.moved != $1.moved ? $0.moved > $1.moved : $0.key < $1.key }
  }
}

extension Plan {
  /// An allocation's coordinates.
  public struct AllocationKey: Hashable, Sendable {
    public var offering, hardware, site, period: String
    public init(offering: String, hardware: String, site: String, period: String) {
      (self.offering, self.hardware, self.site, self.period) = (offering, hardware, site, period)
    }
  }

  /// IT MW by (offering, hardware, site, period); repeated rows add up.
  public var allocationIndex: [AllocationKey: Double] {
    var out: [AllocationKey: Double] = [:]
    out.reserveCapacity(allocations.count)
    for a in allocations {
      out[
        AllocationKey(offering: a.offering, hardware: a.hardware, site: a.site, period: a.period), default: 0] +=
        a.mw
    }
    return out
  }
}

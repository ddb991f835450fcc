import Foundation

/// A field path that names nothing in the scenario, for `Scenario.setting(_:to:)`.
public struct ScenarioEditError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
  /// The path as given.
  public var path: String
  /// What was wrong and what exists at that level.
  public var message: String

  public var description: String { "cannot set '\(path)': \(message)" }
  public var errorDescription: String? { description }
}

extension Scenario {
  /// A copy with one number changed, for sensitivity sweeps. The path names things by id,
  /// joined with dots:
  ///
  /// - `periods.2026Q3.years`
  /// - `hardware.trainium2.opex_per_mw_year` (also `capex_per_mw`, `life_years`,
  ///   `install_block_mw`, `supply_mw[.PERIOD]`)
  /// - `companions.trainium3.graviton4.mw_per_mw` (the rule's `hardware`, then `requires`)
  /// - `sites.indiana.power_mw` (the whole series becomes that constant),
  ///   `sites.indiana.power_mw.2027Q1` (that period's entry: held until the next listed period),
  ///   `sites.indiana.pue`, `sites.indiana.installed_mw.trainium2`,
  ///   `sites.indiana.expansions.indiana-p3.power_mw` (or `cost_per_year`)
  /// - `offerings.claude.revenue_share`, `offerings.claude.gross_revenue_per_mw_year.trainium2`
  ///   (an entry already in the map: adding hardware would change who can serve, not a figure),
  ///   `offerings.claude.tiers.0.share` (bands counted from 0), any series such as
  ///   `offerings.gpu-rental.demand_mw[.PERIOD]`
  /// - `policies.trn-majority.share`, `stability.move_cost`, `finance.discount_rate`
  /// - `uncertainty.risk.weight` (the risk-return frontier), `uncertainty.risk.cvar_alpha`,
  ///   `uncertainty.cases.high.probability`, `uncertainty.cases.high.demand_scale.claude`
  ///
  /// Ids may contain dots; the longest id that matches is taken. Setting a period entry of a
  /// constant series turns it into a map that holds the old value from the first period. The
  /// result is not validated: validate it before solving (a sweep may step out of range).
  public func setting(_ path: String, to value: Double) throws(ScenarioEditError) -> Scenario {
    var cursor = EditCursor(path: path)
    var copy = self
    switch try cursor.field(in: [
      "periods", "hardware", "companions", "sites", "offerings", "policies", "stability", "finance",
      "uncertainty",
    ]) {
    case "periods":
      let p = try cursor.index(of: "period", in: periods.map(\.id))
      _ = try cursor.field(in: ["years"])
      try cursor.end()
      copy.periods[p].years = value
    case "hardware":
      let h = try cursor.index(of: "hardware", in: hardware.map(\.id))
      try copy.hardware[h].set(&cursor, value, periods: periods.map(\.id))
    case "companions":
      let rules = companions ?? []
      let first = try cursor.id(of: "companion hardware", in: rules.map(\.hardware))
      let r = try cursor.index(
        of: "required hardware", in: rules.map { $0.hardware == first ? $0.requires : "" })
      _ = try cursor.field(in: ["mw_per_mw"])
      try cursor.end()
      copy.companions?[r].mwPerMW = value
    case "sites":
      let s = try cursor.index(of: "site", in: sites.map(\.id))
      try copy.sites[s].set(&cursor, value, periods: periods.map(\.id), hardware: hardware.map(\.id))
    case "offerings":
      let o = try cursor.index(of: "offering", in: offerings.map(\.id))
      try copy.offerings[o].set(&cursor, value, periods: periods.map(\.id))
    case "policies":
      let p = try cursor.index(of: "policy", in: (policies ?? []).map(\.id))
      _ = try cursor.field(in: ["share"])
      try cursor.end()
      copy.policies?[p].share = value
    case "uncertainty":
      try copy.setUncertainty(&cursor, value)
    case "finance":
      _ = try cursor.field(in: ["discount_rate"])
      try cursor.end()
      copy.finance = Scenario.Finance(discountRate: value)
    default:  // stability
      _ = try cursor.field(in: ["move_cost"])
      try cursor.end()
      copy.stability = Scenario.Stability(moveCost: value)
    }
    return copy
  }
}

extension Scenario {
  /// `uncertainty.risk.weight` (or `cvar_alpha`), `uncertainty.cases.ID.probability`,
  /// `uncertainty.cases.ID.demand_scale.OFFERING` (an entry the case already scales).
  fileprivate mutating func setUncertainty(_ cursor: inout EditCursor, _ value: Double)
    throws(ScenarioEditError)
  {
    guard var u = uncertainty else {
      throw ScenarioEditError(path: cursor.path, message: "the scenario has no uncertainty section")
    }
    switch try cursor.field(in: ["risk", "cases"]) {
    case "risk":
      var risk = u.risk ?? Scenario.Risk()
      if try cursor.field(in: ["weight", "cvar_alpha"]) == "weight" {
        risk.weight = value
      } else {
        risk.cvarAlpha = value
      }
      try cursor.end()
      u.risk = risk
    default:
      let c = try cursor.index(of: "demand case", in: u.cases.map(\.id))
      if try cursor.field(in: ["probability", "demand_scale"]) == "probability" {
        try cursor.end()
        u.cases[c].probability = value
      } else {
        u.cases[c].demandScale = try cursor.entry(u.cases[c].demandScale, value, of: "offering")
      }
    }
    uncertainty = u
  }
}

extension Scenario.Hardware {
  fileprivate mutating func set(_ cursor: inout EditCursor, _ value: Double, periods: [String])
    throws(ScenarioEditError)
  {
    switch try cursor.field(in: CodingKeys.allCases.map(\.rawValue).filter { $0 != "id" }) {
    case "opex_per_mw_year": opexPerMWYear = value
    case "capex_per_mw": capexPerMW = value
    case "life_years": lifeYears = value
    case "install_block_mw": installBlockMW = value
    default:
      supplyMW = try cursor.series(supplyMW, value, periods: periods)
      return
    }
    try cursor.end()
  }
}

extension Scenario.Site {
  fileprivate mutating func set(
    _ cursor: inout EditCursor, _ value: Double, periods: [String], hardware: [String]
  ) throws(ScenarioEditError) {
    switch try cursor.field(in: CodingKeys.allCases.map(\.rawValue).filter { $0 != "id" }) {
    case "pue":
      pue = value
    case "power_mw":
      powerMW = try cursor.series(powerMW, value, periods: periods) ?? powerMW
      return
    case "installed_mw":
      // Installed MW of hardware the site lacks is still a figure (0 before), so any known
      // hardware may be set here.
      let id = try cursor.id(of: "hardware", in: hardware)
      var map = installedMW ?? IDMap()
      map[id] = value
      installedMW = map
    default:
      let e = try cursor.index(of: "expansion", in: (expansions ?? []).map(\.id))
      switch try cursor.field(in: ["power_mw", "cost_per_year"]) {
      case "power_mw": expansions?[e].powerMW = value
      default: expansions?[e].costPerYear = value
      }
    }
    try cursor.end()
  }
}

extension Scenario.Offering {
  fileprivate mutating func set(_ cursor: inout EditCursor, _ value: Double, periods: [String])
    throws(ScenarioEditError)
  {
    let editable = CodingKeys.allCases.map(\.rawValue).filter {
      !["id", "use", "pricing", "available_from", "sites"].contains($0)
    }
    switch try cursor.field(in: editable) {
    case "revenue_share": revenueShare = value
    case "iaas_fee_per_mw_year": iaasFeePerMWYear = value
    case "tiers":
      let bands = (tiers ?? []).indices.map(String.init)
      let k = try cursor.index(of: "tier band", in: bands)
      switch try cursor.field(in: Tier.CodingKeys.allCases.map(\.rawValue)) {
      case "up_to": tiers?[k].upTo = value
      default: tiers?[k].share = value
      }
    case "gross_revenue_per_mw_year": grossRevenuePerMWYear = try cursor.entry(grossRevenuePerMWYear, value)
    case "price_per_mw_year": pricePerMWYear = try cursor.entry(pricePerMWYear, value)
    case "value_per_mw_year": valuePerMWYear = try cursor.entry(valuePerMWYear, value)
    case "demand_gross_revenue_per_year":
      demandGrossRevenuePerYear = try cursor.series(demandGrossRevenuePerYear, value, periods: periods)
    case "demand_mw": demandMW = try cursor.series(demandMW, value, periods: periods)
    case "committed_mw": committedMW = try cursor.series(committedMW, value, periods: periods)
    default: requiredMW = try cursor.series(requiredMW, value, periods: periods)
    }
    try cursor.end()
  }
}

/// Walks a dotted edit path, explaining what exists wherever it goes wrong.
private struct EditCursor {
  let path: String
  private var parts: ArraySlice<String>
  private var taken: [String] = []

  init(path: String) {
    self.path = path
    parts = ArraySlice(path.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
  }

  private var here: String { taken.isEmpty ? "the top level" : taken.joined(separator: ".") }

  private func fail(_ message: String) -> ScenarioEditError {
    ScenarioEditError(path: path, message: message)
  }

  /// The next part, which must be one of `names`.
  mutating func field(in names: [String]) throws(ScenarioEditError) -> String {
    guard let part = parts.first else {
      throw fail("\(here) has fields, not a value; add one of: \(names.joined(separator: ", "))")
    }
    guard names.contains(part) else {
      throw fail("no field '\(part)' at \(here) (fields: \(names.joined(separator: ", ")))")
    }
    parts = parts.dropFirst()
    taken.append(part)
    return part
  }

  /// The longest run of parts that spells one of `ids` (ids may contain dots).
  mutating func id(of kind: String, in ids: [String]) throws(ScenarioEditError) -> String {
    let known = ScenarioText.ids(ids.filter { !$0.isEmpty })
    guard !parts.isEmpty else { throw fail("name a \(kind) after \(here) (\(known))") }
    for length in stride(from: parts.count, through: 1, by: -1) {
      let candidate = parts.prefix(length).joined(separator: ".")
      if ids.contains(candidate) {
        parts = parts.dropFirst(length)
        taken.append(candidate)
        return candidate
      }
    }
    throw fail("no \(kind) '\(parts.first ?? "")' at \(here) (there is: \(known))")
  }

  mutating func index(of kind: String, in ids: [String]) throws(ScenarioEditError) -> Int {
    let id = try id(of: kind, in: ids)
    return ids.firstIndex(of: id) ?? 0
  }

  mutating func end() throws(ScenarioEditError) {
    guard parts.isEmpty else {
      throw fail("\(here) is a single number; '\(parts.joined(separator: "."))' names nothing inside it")
    }
  }

  /// A whole series set to a constant, or one period's entry set.
  mutating func series(_ series: Series?, _ value: Double, periods: [String]) throws(ScenarioEditError)
    -> Series?
  {
    if parts.isEmpty { return .constant(value) }
    let period = try id(of: "period", in: periods)
    try end()
    var map: IDMap<Double>
    switch series {
    case .byPeriod(let existing)?: map = existing
    case .constant(let constant)?: map = IDMap([.init(key: periods.first ?? period, value: constant)])
    case nil: map = IDMap()
    }
    map[period] = value
    return .byPeriod(map)
  }

  /// One existing entry of a hardware map.
  mutating func entry(_ map: IDMap<Double>?, _ value: Double, of kind: String = "hardware")
    throws(ScenarioEditError) -> IDMap<Double>?
  {
    guard var map else { throw fail("\(here) is not given in this scenario") }
    let key: String
    do {
      key = try id(of: kind, in: map.keys)
    } catch {
      throw fail(
        "no entry '\(parts.first ?? "")' in \(here) (entries: \(ScenarioText.ids(map.keys))); a sweep changes figures, "
          + (kind == "hardware" ? "not which hardware can serve" : "not which entries exist"))
    }
    try end()
    map[key] = value
    return map
  }
}

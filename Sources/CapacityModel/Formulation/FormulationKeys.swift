/// What a column of the capacity model means. Indices point into the
/// `ValidScenario` the formulation was built from.
public enum VariableKey: Hashable, Sendable {
  /// `x[o,h,s,t]`: IT MW of hardware h at site s serving offering o in period t.
  case allocation(offering: Int, hardware: Int, site: Int, period: Int)
  /// `new[s,h,t]`: IT MW installed (continuous hardware).
  case install(site: Int, hardware: Int, period: Int)
  /// `n[s,h,t]`: whole install blocks (new = block * n).
  case installBlocks(site: Int, hardware: Int, period: Int)
  /// `built[e,t]`.
  case built(expansion: Int, period: Int)
  /// Gross revenue rate of offering o in tier band k in period t.
  case tierBand(offering: Int, period: Int, band: Int)
  /// 1 when band k of offering o is full in period t (rising shares only).
  case tierFull(offering: Int, period: Int, band: Int)
  /// MW added to / removed from an allocation against the previous plan.
  case moveUp(offering: Int, hardware: Int, site: Int, period: Int)
  case moveDown(offering: Int, hardware: Int, site: Int, period: Int)
}

/// What a row of the capacity model means, in the model spec's terms.
public enum ConstraintKey: Hashable, Sendable {
  case hardware(site: Int, hardware: Int, period: Int)
  case power(site: Int, period: Int)
  case supply(hardware: Int, period: Int)
  case demandGrossRevenue(offering: Int, period: Int)
  case demandMW(offering: Int, period: Int)
  case committed(offering: Int, period: Int)
  case required(offering: Int, period: Int)
  case policy(policy: Int, period: Int)
  /// built[e,t] >= built[e,t-1].
  case expansionStaysBuilt(expansion: Int, period: Int)
  /// Bands of a tiered offering add up to its gross revenue rate.
  case tierSplit(offering: Int, period: Int)
  /// Band k is full before band k+1 takes anything (rising shares).
  case tierFillOrder(offering: Int, period: Int, band: Int)
  case tierFull(offering: Int, period: Int, band: Int)
  /// x - up + down = x_prev.
  case move(offering: Int, hardware: Int, site: Int, period: Int)
  /// EBIT at least (1 - slack) of the optimum: the floor near-optimal alternatives keep.
  case nearOptimal
}

extension ValidScenario {
  /// A constraint in the user's words: "power at site indiana in 2026Q3".
  public func describe(_ key: ConstraintKey) -> String {
    switch key {
    case .hardware(let s, let h, let t):
      return "installed \(hardware[h].id) capacity at site \(sites[s].id) in \(periods[t].id)"
    case .power(let s, let t): return "power at site \(sites[s].id) in \(periods[t].id)"
    case .supply(let h, let t): return "supply_mw of \(hardware[h].id) in \(periods[t].id)"
    case .demandGrossRevenue(let o, let t):
      return "demand_gross_revenue_per_year of \(offerings[o].id) in \(periods[t].id)"
    case .demandMW(let o, let t): return "demand_mw of \(offerings[o].id) in \(periods[t].id)"
    case .committed(let o, let t): return "committed_mw of \(offerings[o].id) in \(periods[t].id)"
    case .required(let o, let t): return "required_mw of \(offerings[o].id) in \(periods[t].id)"
    case .policy(let p, let t): return "policy \(policies[p].id) in \(periods[t].id)"
    case .expansionStaysBuilt(let e, let t):
      return "expansion \(expansions[e].id) stays built in \(periods[t].id)"
    case .tierSplit(let o, let t): return "tier bands of \(offerings[o].id) in \(periods[t].id)"
    case .tierFillOrder(let o, let t, let k), .tierFull(let o, let t, let k):
      return "tier \(k + 1) fill order of \(offerings[o].id) in \(periods[t].id)"
    case .move(let o, let h, let s, let t):
      return "move of \(offerings[o].id) on \(hardware[h].id) at \(sites[s].id) in \(periods[t].id)"
    case .nearOptimal: return "EBIT within the slack of the optimum"
    }
  }

  public func describe(_ key: VariableKey) -> String {
    switch key {
    case .allocation(let o, let h, let s, let t):
      return "MW of \(offerings[o].id) on \(hardware[h].id) at \(sites[s].id) in \(periods[t].id)"
    case .install(let s, let h, let t), .installBlocks(let s, let h, let t):
      return "new \(hardware[h].id) at \(sites[s].id) in \(periods[t].id)"
    case .built(let e, let t): return "expansion \(expansions[e].id) built by \(periods[t].id)"
    case .tierBand(let o, let t, let k), .tierFull(let o, let t, let k):
      return "tier \(k + 1) of \(offerings[o].id) in \(periods[t].id)"
    case .moveUp(let o, let h, let s, let t), .moveDown(let o, let h, let s, let t):
      return "move of \(offerings[o].id) on \(hardware[h].id) at \(sites[s].id) in \(periods[t].id)"
    }
  }

  /// A column name for model files: `x[claude,trainium2,indiana,2026Q3]`.
  func columnName(_ key: VariableKey) -> String {
    let name: String
    switch key {
    case .allocation(let o, let h, let s, let t):
      name = "x[\(offerings[o].id),\(hardware[h].id),\(sites[s].id),\(periods[t].id)]"
    case .install(let s, let h, let t): name = "new[\(sites[s].id),\(hardware[h].id),\(periods[t].id)]"
    case .installBlocks(let s, let h, let t):
      name = "blocks[\(sites[s].id),\(hardware[h].id),\(periods[t].id)]"
    case .built(let e, let t): name = "built[\(expansions[e].id),\(periods[t].id)]"
    case .tierBand(let o, let t, let k): name = "band[\(offerings[o].id),\(periods[t].id),\(k + 1)]"
    case .tierFull(let o, let t, let k): name = "full[\(offerings[o].id),\(periods[t].id),\(k + 1)]"
    case .moveUp(let o, let h, let s, let t):
      name = "up[\(offerings[o].id),\(hardware[h].id),\(sites[s].id),\(periods[t].id)]"
    case .moveDown(let o, let h, let s, let t):
      name = "down[\(offerings[o].id),\(hardware[h].id),\(sites[s].id),\(periods[t].id)]"
    }
    return name.utf8.count <= 255 ? name : ""
  }

  func rowName(_ key: ConstraintKey) -> String {
    let name: String
    switch key {
    case .hardware(let s, let h, let t): name = "hardware[\(sites[s].id),\(hardware[h].id),\(periods[t].id)]"
    case .power(let s, let t): name = "power[\(sites[s].id),\(periods[t].id)]"
    case .supply(let h, let t): name = "supply[\(hardware[h].id),\(periods[t].id)]"
    case .demandGrossRevenue(let o, let t): name = "demand_gross[\(offerings[o].id),\(periods[t].id)]"
    case .demandMW(let o, let t): name = "demand_mw[\(offerings[o].id),\(periods[t].id)]"
    case .committed(let o, let t): name = "committed[\(offerings[o].id),\(periods[t].id)]"
    case .required(let o, let t): name = "required[\(offerings[o].id),\(periods[t].id)]"
    case .policy(let p, let t): name = "policy[\(policies[p].id),\(periods[t].id)]"
    case .expansionStaysBuilt(let e, let t): name = "stays_built[\(expansions[e].id),\(periods[t].id)]"
    case .tierSplit(let o, let t): name = "tier_split[\(offerings[o].id),\(periods[t].id)]"
    case .tierFillOrder(let o, let t, let k):
      name = "tier_order[\(offerings[o].id),\(periods[t].id),\(k + 1)]"
    case .tierFull(let o, let t, let k): name = "tier_full[\(offerings[o].id),\(periods[t].id),\(k + 1)]"
    case .move(let o, let h, let s, let t):
      name = "move[\(offerings[o].id),\(hardware[h].id),\(sites[s].id),\(periods[t].id)]"
    case .nearOptimal: name = "near_optimal"
    }
    return name.utf8.count <= 255 ? name : ""
  }
}

extension ConstraintKey {
  /// A constraint's kind without its indices: the one vocabulary plans, bindings,
  /// shortfalls, diffs and the store use (stored as the raw value).
  public enum Kind: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case hardware, power, supply
    case demandGrossRevenue = "demand_gross_revenue"
    case demandMW = "demand_mw"
    case committed = "committed_mw"
    case required = "required_mw"
    case policy
    case expansionStaysBuilt = "expansion_stays_built"
    case tierSplit = "tier_split"
    case tierFillOrder = "tier_fill_order"
    case tierFull = "tier_full"
    case move
    case nearOptimal = "near_optimal"

    /// Plans stored before the kinds were typed called a supply shortfall `supply_mw`.
    public init(from decoder: any Decoder) throws {
      let text = try decoder.singleValueContainer().decode(String.self)
      guard let kind = Kind(rawValue: text == "supply_mw" ? "supply" : text) else {
        throw DecodingError.dataCorrupted(
          DecodingError.Context(
            codingPath: decoder.codingPath, debugDescription: "unknown constraint kind \(text)"))
      }
      self = kind
    }

    /// As stored and printed: `demand_mw`.
    public var description: String { rawValue }

    /// "power at indiana", "supply of trainium3": the constraint in a planner's words.
    public func describe(_ subject: String) -> String {
      switch self {
      case .power: return "power at \(subject)"
      case .supply: return "supply of \(subject)"
      case .demandGrossRevenue: return "gross revenue demand of \(subject)"
      case .demandMW: return "MW demand of \(subject)"
      case .committed: return "committed MW of \(subject)"
      case .required: return "required MW of \(subject)"
      default: return "\(rawValue) \(subject)"
      }
    }
  }

  public var kind: Kind {
    switch self {
    case .hardware: return .hardware
    case .power: return .power
    case .supply: return .supply
    case .demandGrossRevenue: return .demandGrossRevenue
    case .demandMW: return .demandMW
    case .committed: return .committed
    case .required: return .required
    case .policy: return .policy
    case .expansionStaysBuilt: return .expansionStaysBuilt
    case .tierSplit: return .tierSplit
    case .tierFillOrder: return .tierFillOrder
    case .tierFull: return .tierFull
    case .move: return .move
    case .nearOptimal: return .nearOptimal
    }
  }
}

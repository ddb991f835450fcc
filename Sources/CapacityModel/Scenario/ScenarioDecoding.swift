import Yams

/// The scenario file's structure: which fields each part has, which are required, their types.
/// Meaning (references, ranges, pricing fit) is checked later by ``ScenarioValidator``.
extension NodeReader {
  func decodeScenario(_ node: Node) -> Scenario? {
    let allowed = names(Scenario.CodingKeys.self)
    // A file that is not a scenario at all (a password file behind a symlink, a
    // config file) is described, never quoted: its text may be a secret.
    if let notScenario = notAScenario(node, allowed: allowed) {
      report(
        "", node,
        "this is not a scenario file: it holds \(notScenario), not a mapping with the fields "
          + "\(allowed.joined(separator: ", "))")
      return nil
    }
    guard let f = fields(node, at: "", what: "a scenario", allowed: names(Scenario.CodingKeys.self)) else {
      return nil
    }
    let id = required(f, "scenario", string)
    let description = optional(f, "description", string)
    let periods = required(f, "periods") { list($0, at: $1, decodePeriod) }
    let hardware = required(f, "hardware") { list($0, at: $1, decodeHardware) }
    let companions = optional(f, "companions", nullMeansAbsent: true) { list($0, at: $1, decodeCompanion) }
    let sites = required(f, "sites") { list($0, at: $1, decodeSite) }
    let offerings = required(f, "offerings") { list($0, at: $1, decodeOffering) }
    let policies = optional(f, "policies", nullMeansAbsent: true) { list($0, at: $1, decodePolicy) }
    let stability = optional(f, "stability", decodeStability)
    let finance = optional(f, "finance", decodeFinance)
    let uncertainty = optional(f, "uncertainty", decodeUncertainty)
    guard let id, let periods, let hardware, let sites, let offerings else { return nil }
    return Scenario(
      id: id, description: description, periods: periods, hardware: hardware,
      companions: companions, sites: sites, offerings: offerings, policies: policies, stability: stability,
      finance: finance, uncertainty: uncertainty)
  }

  func decodePeriod(_ node: Node, at path: String) -> Scenario.Period? {
    guard let f = fields(node, at: path, what: "a period", allowed: names(Scenario.Period.CodingKeys.self))
    else {
      return nil
    }
    let id = required(f, "id", string)
    let years = required(f, "years", number)
    guard let id, let years else { return nil }
    return Scenario.Period(id: id, years: years)
  }

  func decodeHardware(_ node: Node, at path: String) -> Scenario.Hardware? {
    guard
      let f = fields(
        node, at: path, what: "a hardware entry", allowed: names(Scenario.Hardware.CodingKeys.self))
    else { return nil }
    let id = required(f, "id", string)
    let opex = optional(f, "opex_per_mw_year", number)
    let capex = optional(f, "capex_per_mw", number)
    let life = optional(f, "life_years", number)
    let block = optional(f, "install_block_mw", number)
    let supply = optional(f, "supply_mw", series)
    guard let id else { return nil }
    return Scenario.Hardware(
      id: id, opexPerMWYear: opex, capexPerMW: capex, lifeYears: life, installBlockMW: block, supplyMW: supply
    )
  }

  func decodeCompanion(_ node: Node, at path: String) -> Scenario.CompanionRule? {
    guard
      let f = fields(
        node, at: path, what: "a companion rule", allowed: names(Scenario.CompanionRule.CodingKeys.self))
    else { return nil }
    let hardware = required(f, "hardware", string)
    let requires = required(f, "requires", string)
    let ratio = required(f, "mw_per_mw", number)
    guard let hardware, let requires, let ratio else { return nil }
    return Scenario.CompanionRule(hardware: hardware, requires: requires, mwPerMW: ratio)
  }

  func decodeSite(_ node: Node, at path: String) -> Scenario.Site? {
    guard let f = fields(node, at: path, what: "a site", allowed: names(Scenario.Site.CodingKeys.self)) else {
      return nil
    }
    let id = required(f, "id", string)
    let pue = optional(f, "pue", number)
    let power = required(f, "power_mw", series)
    let installed = optional(f, "installed_mw", nullMeansAbsent: true) {
      idMap($0, at: $1, what: "HARDWARE", number)
    }
    let expansions = optional(f, "expansions", nullMeansAbsent: true) { list($0, at: $1, decodeExpansion) }
    guard let id, let power else { return nil }
    return Scenario.Site(id: id, pue: pue, powerMW: power, installedMW: installed, expansions: expansions)
  }

  func decodeExpansion(_ node: Node, at path: String) -> Scenario.Expansion? {
    guard
      let f = fields(node, at: path, what: "an expansion", allowed: names(Scenario.Expansion.CodingKeys.self))
    else { return nil }
    let id = required(f, "id", string)
    let power = required(f, "power_mw", number)
    let cost = optional(f, "cost_per_year", number)
    let earliest = optional(f, "earliest", string)
    guard let id, let power else { return nil }
    return Scenario.Expansion(id: id, powerMW: power, costPerYear: cost, earliest: earliest)
  }

  func decodeOffering(_ node: Node, at path: String) -> Scenario.Offering? {
    guard
      let f = fields(node, at: path, what: "an offering", allowed: names(Scenario.Offering.CodingKeys.self))
    else {
      return nil
    }
    let id = required(f, "id", string)
    let use = required(f, "use", string)
    let pricing: Pricing? = required(f, "pricing") { choice($0, at: $1, what: "pricing") }
    let hardwareMap = { (node: Node, path: String) in
      self.idMap(node, at: path, what: "HARDWARE", self.number)
    }
    let offering = Scenario.Offering(
      id: id ?? "", use: use ?? "", pricing: pricing ?? .revenueShare,
      revenueShare: optional(f, "revenue_share", number),
      iaasFeePerMWYear: optional(f, "iaas_fee_per_mw_year", number),
      tiers: optional(f, "tiers") { list($0, at: $1, decodeTier) },
      grossRevenuePerMWYear: optional(f, "gross_revenue_per_mw_year", hardwareMap),
      pricePerMWYear: optional(f, "price_per_mw_year", hardwareMap),
      valuePerMWYear: optional(f, "value_per_mw_year", hardwareMap),
      demandGrossRevenuePerYear: optional(f, "demand_gross_revenue_per_year", series),
      demandMW: optional(f, "demand_mw", series),
      committedMW: optional(f, "committed_mw", series),
      requiredMW: optional(f, "required_mw", series),
      availableFrom: optional(f, "available_from", nullMeansAbsent: true) {
        idMap($0, at: $1, what: "HARDWARE", string)
      },
      sites: optional(f, "sites", stringList))
    guard id != nil, use != nil, pricing != nil else { return nil }
    return offering
  }

  func decodeTier(_ node: Node, at path: String) -> Tier? {
    guard let f = fields(node, at: path, what: "a tier", allowed: names(Tier.CodingKeys.self)) else {
      return nil
    }
    let upTo = optional(f, "up_to", number)
    let share = required(f, "share", number)
    guard let share else { return nil }
    return Tier(upTo: upTo, share: share)
  }

  func decodePolicy(_ node: Node, at path: String) -> Scenario.Policy? {
    guard let f = fields(node, at: path, what: "a policy", allowed: names(Scenario.Policy.CodingKeys.self))
    else {
      return nil
    }
    let id = required(f, "id", string)
    let kind: Scenario.Policy.Kind? = required(f, "kind") { choice($0, at: $1, what: "policy kind") }
    let use = optional(f, "use", string)
    let offering = optional(f, "offering", string)
    let hardware = required(f, "hardware", stringList)
    let share = required(f, "share", number)
    let measure: Scenario.Policy.Measure? = optional(f, "measure") { choice($0, at: $1, what: "measure") }
    guard let id, let kind, let hardware, let share else { return nil }
    return Scenario.Policy(
      id: id, kind: kind, use: use, offering: offering, hardware: hardware, share: share, measure: measure)
  }

  func decodeStability(_ node: Node, at path: String) -> Scenario.Stability? {
    guard
      let f = fields(node, at: path, what: "stability", allowed: names(Scenario.Stability.CodingKeys.self))
    else {
      return nil
    }
    return required(f, "move_cost", number).map(Scenario.Stability.init)
  }

  func decodeFinance(_ node: Node, at path: String) -> Scenario.Finance? {
    guard
      let f = fields(node, at: path, what: "finance", allowed: names(Scenario.Finance.CodingKeys.self))
    else {
      return nil
    }
    return Scenario.Finance(discountRate: optional(f, "discount_rate", number))
  }

  func names<K: CodingKey & CaseIterable>(_: K.Type) -> [String] {
    K.allCases.map(\.stringValue)
  }
}

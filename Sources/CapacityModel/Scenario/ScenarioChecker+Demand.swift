/// Checks for the demand side: offerings, their pricing and tiers, and policies.
extension ScenarioChecker {
  /// Which pricings each pricing-specific field fits (model spec, "The scenario file").
  static let fieldPricings: [(field: String, pricings: [Pricing])] = [
    ("revenue_share", [.revenueShare]),
    ("iaas_fee_per_mw_year", [.revenueShare]),
    ("tiers", [.revenueShare]),
    ("gross_revenue_per_mw_year", [.revenueShare, .firstParty]),
    ("price_per_mw_year", [.rental]),
    ("value_per_mw_year", [.internal]),
    ("demand_gross_revenue_per_year", [.revenueShare, .firstParty]),
    ("demand_mw", [.rental, .internal]),
    ("committed_mw", [.rental]),
    ("required_mw", [.internal]),
  ]

  func checkOfferings() {
    checkIDs(scenario.offerings.enumerated().map { ($1.id, "offerings[\($0)].id") }, kind: "offering")
    for (index, offering) in scenario.offerings.enumerated() {
      checkOffering(offering, at: "offerings[\(index)]")
    }
  }

  private func checkOffering(_ offering: Scenario.Offering, at path: String) {
    if offering.use.isEmpty { report("\(path).use", "'use' cannot be empty") }
    let fitting = fittingFields(presentFields(offering), pricing: offering.pricing, at: path)
    checkHardwareMap(offering, at: path)
    if offering.pricing == .revenueShare { checkShareTerms(offering, at: path) }
    if fitting.contains("iaas_fee_per_mw_year"), let fee = offering.iaasFeePerMWYear {
      checkNumber(fee, at: "\(path).iaas_fee_per_mw_year", .money)
    }
    let seriesFields: [(String, Series?, NumberRule)] = [
      ("demand_gross_revenue_per_year", offering.demandGrossRevenuePerYear, .money),
      ("demand_mw", offering.demandMW, .mw),
      ("committed_mw", offering.committedMW, .mw),
      ("required_mw", offering.requiredMW, .mw),
    ]
    checkSeriesFields(seriesFields, fitting: fitting, at: path)
    checkAvailableFrom(offering, at: path)
    checkSites(of: offering, at: path)
  }

  /// The fields of `present` that fit `pricing`; each one that does not is reported at
  /// `path.field` (`offering`, when given, names the offering the fields change).
  func fittingFields(
    _ present: Set<String>, pricing: Pricing, at path: String, offering: String? = nil
  ) -> Set<String> {
    var fitting: Set<String> = []
    for (field, pricings) in Self.fieldPricings where present.contains(field) {
      if pricings.contains(pricing) {
        fitting.insert(field)
      } else {
        let fits = pricings.map(\.rawValue).joined(separator: " or ")
        let of = offering.map { " of offering '\($0)'" } ?? ""
        report(
          "\(path).\(field)", "'\(field)' does not fit \(pricing.rawValue) pricing\(of) (it is for \(fits))")
      }
    }
    return fitting
  }

  /// Each series of `fields` present and fitting its offering's pricing, checked by its rule.
  func checkSeriesFields(_ fields: [(String, Series?, NumberRule)], fitting: Set<String>, at path: String) {
    for case let (field, series?, rule) in fields where fitting.contains(field) {
      checkSeries(series, at: "\(path).\(field)", rule)
    }
  }

  private func presentFields(_ offering: Scenario.Offering) -> Set<String> {
    let optionals: [(String, Bool)] = [
      ("revenue_share", offering.revenueShare != nil),
      ("iaas_fee_per_mw_year", offering.iaasFeePerMWYear != nil),
      ("tiers", offering.tiers != nil),
      ("gross_revenue_per_mw_year", offering.grossRevenuePerMWYear != nil),
      ("price_per_mw_year", offering.pricePerMWYear != nil),
      ("value_per_mw_year", offering.valuePerMWYear != nil),
      ("demand_gross_revenue_per_year", offering.demandGrossRevenuePerYear != nil),
      ("demand_mw", offering.demandMW != nil),
      ("committed_mw", offering.committedMW != nil),
      ("required_mw", offering.requiredMW != nil),
    ]
    return Set(optionals.filter(\.1).map(\.0))
  }

  /// The pricing's own hardware map: present, naming known hardware, not empty.
  private func checkHardwareMap(_ offering: Scenario.Offering, at path: String) {
    let field = mapField(offering.pricing)
    let mapPath = "\(path).\(field)"
    guard let map = offering.hardwareMap else {
      report(
        mapPath,
        "missing required field '\(field)': it names the hardware that can serve "
          + "a \(offering.pricing.rawValue) offering")
      return
    }
    for entry in map.entries {
      let entryPath = "\(mapPath).\(entry.key)"
      if checkReference(entry.key, at: entryPath, kind: "hardware", known: hardwareIDs) {
        checkNumber(entry.value, at: entryPath, .money)
      }
    }
    if map.isEmpty {
      report(mapPath, "names no hardware, so nothing can serve this offering")
    } else if scenario.sites.isEmpty {
      report(path, "no site can serve this offering: the scenario has no sites")
    }
  }

  func mapField(_ pricing: Pricing) -> String {
    switch pricing {
    case .revenueShare, .firstParty: "gross_revenue_per_mw_year"
    case .rental: "price_per_mw_year"
    case .internal: "value_per_mw_year"
    }
  }

  /// revenue_share pricing takes exactly one of `revenue_share` and `tiers`.
  private func checkShareTerms(_ offering: Scenario.Offering, at path: String) {
    switch (offering.revenueShare, offering.tiers) {
    case (let share?, nil):
      checkNumber(share, at: "\(path).revenue_share", .share)
    case (nil, let tiers?):
      checkTiers(tiers, at: "\(path).tiers")
    case (_?, _?):
      report("\(path).tiers", "give either 'revenue_share' or 'tiers', not both")
    case (nil, nil):
      report(
        "\(path).revenue_share",
        "missing required field 'revenue_share': revenue_share pricing needs 'revenue_share' or 'tiers'")
    }
  }

  /// Bands start at 0, `up_to` rises strictly, and only the last band (always) is unbounded.
  private func checkTiers(_ tiers: [Tier], at path: String) {
    if tiers.isEmpty {
      report(path, "tiers needs at least one band; the last band has no 'up_to'")
      return
    }
    var previous = 0.0
    for (index, tier) in tiers.enumerated() {
      let bandPath = "\(path)[\(index)]"
      checkNumber(tier.share, at: "\(bandPath).share", .share)
      let isLast = index == tiers.count - 1
      guard let upTo = tier.upTo else {
        if !isLast {
          report("\(bandPath).up_to", "only the last band may be unbounded; this band needs an 'up_to'")
        }
        continue
      }
      let upToPath = "\(bandPath).up_to"
      if isLast {
        report(
          upToPath, "the last band must be unbounded: remove its 'up_to' so every revenue falls in a band")
      } else if !upTo.isFinite {
        checkNumber(upTo, at: upToPath, .money)
      } else if upTo <= previous {
        let edge =
          index == 0
          ? "above 0 (bands start at 0)" : "above the previous band's \(ScenarioText.number(previous))"
        report(upToPath, "'up_to' must rise strictly: \(ScenarioText.number(upTo)) is not \(edge)")
      }
      if upTo.isFinite { previous = max(previous, upTo) }
    }
  }

  /// `available_from` may name only hardware in the offering's map, and a period.
  private func checkAvailableFrom(_ offering: Scenario.Offering, at path: String) {
    let field = mapField(offering.pricing)
    for entry in offering.availableFrom?.entries ?? [] {
      let entryPath = "\(path).available_from.\(entry.key)"
      guard checkReference(entry.key, at: entryPath, kind: "hardware", known: hardwareIDs) else { continue }
      if let map = offering.hardwareMap, map[entry.key] == nil {
        report(
          entryPath,
          "'\(entry.key)' is not in this offering's \(field) (\(ScenarioText.ids(map.keys))), "
            + "so it never serves it")
      }
      checkReference(entry.value, at: entryPath, kind: "period", known: periodIDs)
    }
  }

  private func checkSites(of offering: Scenario.Offering, at path: String) {
    guard let sites = offering.sites else { return }
    if sites.isEmpty {
      report(
        "\(path).sites",
        "an empty site list leaves no site to serve the offering; "
          + "leave 'sites' out to allow every site")
    }
    for (index, site) in sites.enumerated() {
      checkReference(site, at: "\(path).sites[\(index)]", kind: "site", known: siteIDs)
    }
    checkNoRepeats(sites, at: "\(path).sites", what: "site")
  }

  // MARK: Policies

  func checkPolicies() {
    let policies = scenario.policies ?? []
    checkIDs(policies.enumerated().map { ($1.id, "policies[\($0)].id") }, kind: "policy")
    for (index, policy) in policies.enumerated() {
      checkPolicy(policy, at: "policies[\(index)]")
    }
  }

  private func checkPolicy(_ policy: Scenario.Policy, at path: String) {
    var group: [Scenario.Offering] = []
    switch (policy.use, policy.offering) {
    case (let use?, nil):
      let uses = orderedUses()
      group = scenario.offerings.filter { $0.use == use }
      if group.isEmpty {
        report("\(path).use", "no offering has use '\(use)' (uses: \(ScenarioText.ids(uses)))")
      }
    case (nil, let id?):
      if checkReference(id, at: "\(path).offering", kind: "offering", known: offeringIDs) {
        group = scenario.offerings.filter { $0.id == id }.prefix(1).map { $0 }
      }
    case (_?, _?):
      report("\(path).offering", "name either 'use' or 'offering', not both")
    case (nil, nil):
      report("\(path).use", "missing required field 'use' (or 'offering'): the offerings the policy covers")
    }
    if policy.hardware.isEmpty {
      report("\(path).hardware", "an empty hardware list is invalid: name the hardware the share is about")
    }
    for (index, hardware) in policy.hardware.enumerated() {
      checkReference(hardware, at: "\(path).hardware[\(index)]", kind: "hardware", known: hardwareIDs)
    }
    checkNoRepeats(policy.hardware, at: "\(path).hardware", what: "hardware")
    checkNumber(policy.share, at: "\(path).share", .share)
    if policy.measure == .grossRevenue, let without = group.first(where: { !$0.pricing.hasGrossRevenue }) {
      report(
        "\(path).measure",
        "a gross_revenue policy covers only offerings with gross revenue, "
          + "but '\(without.id)' is \(without.pricing.rawValue)")
    }
  }

  func orderedUses() -> [String] {
    var uses: [String] = []
    for offering in scenario.offerings where !uses.contains(offering.use) { uses.append(offering.use) }
    return uses
  }
}

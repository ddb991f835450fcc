/// Turning a validated ``Scenario`` into a ``ValidScenario``: defaults, series, indices.
extension ValidScenario {
  /// Call only on a scenario without issues: an id that resolves to nothing is skipped here
  /// rather than trapped on, but validation is what guarantees there is none.
  init(resolving scenario: Scenario) {
    self.asWritten = scenario
    let periodIDs = scenario.periods.map(\.id)
    let periodIndices = Self.indices(periodIDs)
    let hardwareIndices = Self.indices(scenario.hardware.map(\.id))
    let siteIndices = Self.indices(scenario.sites.map(\.id))
    let offeringIndices = Self.indices(scenario.offerings.map(\.id))

    periods = scenario.periods.map { Period(id: $0.id, years: $0.years) }
    hardware = scenario.hardware.map {
      Hardware(
        id: $0.id, opexPerMWYear: $0.opexPerMWYear ?? 0, capexPerMW: $0.capexPerMW ?? 0,
        lifeYears: $0.lifeYears ?? 5, installBlockMW: $0.installBlockMW ?? 0,
        supplyMW: $0.supplyMW?.values(over: periodIDs) ?? Array(repeating: 0, count: periodIDs.count))
    }

    var expansions: [Expansion] = []
    var sites: [Site] = []
    for (siteIndex, site) in scenario.sites.enumerated() {
      var installed = Array(repeating: 0.0, count: scenario.hardware.count)
      for entry in site.installedMW?.entries ?? [] {
        if let h = hardwareIndices[entry.key] { installed[h] = entry.value }
      }
      var own: [Int] = []
      for expansion in site.expansions ?? [] {
        own.append(expansions.count)
        expansions.append(
          Expansion(
            id: expansion.id, site: siteIndex, powerMW: expansion.powerMW,
            costPerYear: expansion.costPerYear ?? 0,
            earliestPeriod: expansion.earliest.flatMap { periodIndices[$0] } ?? 0))
      }
      sites.append(
        Site(
          id: site.id, pue: site.pue ?? 1, powerMW: site.powerMW.values(over: periodIDs),
          installedMW: installed, expansions: own))
    }
    self.sites = sites
    self.expansions = expansions

    companions = (scenario.companions ?? []).compactMap { rule in
      guard let g = hardwareIndices[rule.hardware], let h = hardwareIndices[rule.requires] else { return nil }
      return Companion(hardware: g, requires: h, mwPerMW: rule.mwPerMW)
    }
    offerings = scenario.offerings.map {
      Self.resolve($0, periodIDs: periodIDs, periods: periodIndices, sites: siteIndices, scenario: scenario)
    }
    policies = (scenario.policies ?? []).map { policy in
      let group = scenario.offerings.indices.filter { o in
        if let id = policy.offering { return scenario.offerings[o].id == id }
        return scenario.offerings[o].use == policy.use
      }
      let covered = Set(policy.hardware)
      return Policy(
        id: policy.id, kind: policy.kind, measure: policy.measure ?? .mw, share: policy.share,
        offerings: group,
        hardware: scenario.hardware.indices.filter { covered.contains(scenario.hardware[$0].id) })
    }
    moveCost = scenario.stability?.moveCost
    discountRate = scenario.finance?.discountRate

    self.periodIndices = periodIndices
    self.hardwareIndices = hardwareIndices
    self.siteIndices = siteIndices
    self.offeringIndices = offeringIndices
    expansionIndices = Self.indices(expansions.map(\.id))
  }

  private static func resolve(
    _ offering: Scenario.Offering, periodIDs: [String], periods: [String: Int], sites: [String: Int],
    scenario: Scenario
  ) -> Offering {
    let isRevenueShare = offering.pricing == .revenueShare
    let fee = isRevenueShare ? offering.iaasFeePerMWYear ?? 0 : 0
    let share = isRevenueShare && offering.tiers == nil ? offering.revenueShare : nil
    let map = offering.hardwareMap ?? IDMap()
    let servedBy = scenario.hardware.indices.compactMap { h -> ServingHardware? in
      let id = scenario.hardware[h].id
      guard let rate = map[id] else { return nil }
      let gross = offering.pricing.hasGrossRevenue ? rate : nil
      let unit: Double =
        switch offering.pricing {
        case .revenueShare: fee + (share ?? 0) * rate
        case .firstParty, .rental, .internal: rate
        }
      let first = offering.availableFrom?[id].flatMap { periods[$0] } ?? 0
      return ServingHardware(
        hardware: h, rate: rate, grossRevenuePerMWYear: gross, unitRevenuePerMWYear: unit, firstPeriod: first)
    }
    let allowed = offering.sites.map(Set.init)
    let siteList = scenario.sites.indices.filter { allowed?.contains(scenario.sites[$0].id) ?? true }
    let hasGross = offering.pricing.hasGrossRevenue
    return Offering(
      id: offering.id, use: offering.use, pricing: offering.pricing, servedBy: servedBy, sites: siteList,
      revenueShare: share, iaasFeePerMWYear: fee, tiers: isRevenueShare ? offering.tiers : nil,
      demandGrossRevenuePerYear: hasGross ? offering.demandGrossRevenuePerYear?.values(over: periodIDs) : nil,
      demandMW: hasGross ? nil : offering.demandMW?.values(over: periodIDs),
      committedMW: offering.pricing == .rental ? offering.committedMW?.values(over: periodIDs) : nil,
      requiredMW: offering.pricing == .internal ? offering.requiredMW?.values(over: periodIDs) : nil)
  }

  private static func indices(_ ids: [String]) -> [String: Int] {
    var indices: [String: Int] = [:]
    for (index, id) in ids.enumerated() where indices[id] == nil { indices[id] = index }
    return indices
  }
}

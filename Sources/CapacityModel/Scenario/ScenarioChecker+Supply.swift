/// Checks for the supply side: periods, hardware, companion rules and sites.
extension ScenarioChecker {
  func checkPeriods() {
    if scenario.periods.isEmpty {
      report("periods", "a scenario needs at least one period")
    }
    checkIDs(scenario.periods.enumerated().map { ($1.id, "periods[\($0)].id") }, kind: "period")
    for (index, period) in scenario.periods.enumerated() {
      checkNumber(period.years, at: "periods[\(index)].years", .positive)
    }
  }

  func checkHardware() {
    checkIDs(scenario.hardware.enumerated().map { ($1.id, "hardware[\($0)].id") }, kind: "hardware")
    for (index, hardware) in scenario.hardware.enumerated() {
      let path = "hardware[\(index)]"
      if let opex = hardware.opexPerMWYear { checkNumber(opex, at: "\(path).opex_per_mw_year", .money) }
      if let capex = hardware.capexPerMW { checkNumber(capex, at: "\(path).capex_per_mw", .money) }
      if let life = hardware.lifeYears { checkNumber(life, at: "\(path).life_years", .positive) }
      if let block = hardware.installBlockMW { checkNumber(block, at: "\(path).install_block_mw", .mw) }
      if let supply = hardware.supplyMW { checkSeries(supply, at: "\(path).supply_mw", .mw) }
    }
  }

  /// Companion rules: known hardware, never a hardware beside itself, each pair once.
  /// `a -> b` beside `b -> a` is allowed: companions are not transitive, so the two rules do
  /// not feed each other.
  func checkCompanions() {
    var seen: [String: Int] = [:]
    for (index, rule) in (scenario.companions ?? []).enumerated() {
      let path = "companions[\(index)]"
      let knownHardware = checkReference(
        rule.hardware, at: "\(path).hardware", kind: "hardware", known: hardwareIDs)
      let knownRequires = checkReference(
        rule.requires, at: "\(path).requires", kind: "hardware", known: hardwareIDs)
      checkNumber(rule.mwPerMW, at: "\(path).mw_per_mw", .mw)
      guard knownHardware, knownRequires else { continue }
      if rule.hardware == rule.requires {
        report("\(path).requires", "'\(rule.hardware)' cannot be its own companion")
        continue
      }
      let pair = "\(rule.hardware) -> \(rule.requires)"
      if let earlier = seen[pair] {
        report(path, "the rule \(pair) is already given in companions[\(earlier)]; give each pair once")
      } else {
        seen[pair] = index
      }
    }
  }

  func checkSites() {
    checkIDs(scenario.sites.enumerated().map { ($1.id, "sites[\($0)].id") }, kind: "site")
    var expansionIDs: [(id: String, path: String)] = []
    for (index, site) in scenario.sites.enumerated() {
      let path = "sites[\(index)]"
      if let pue = site.pue { checkNumber(pue, at: "\(path).pue", .atLeastOne) }
      checkSeries(site.powerMW, at: "\(path).power_mw", .mw)
      for entry in site.installedMW?.entries ?? [] {
        let entryPath = "\(path).installed_mw.\(entry.key)"
        if checkReference(entry.key, at: entryPath, kind: "hardware", known: hardwareIDs) {
          checkNumber(entry.value, at: entryPath, .mw)
        }
      }
      for (number, expansion) in (site.expansions ?? []).enumerated() {
        let expansionPath = "\(path).expansions[\(number)]"
        expansionIDs.append((expansion.id, "\(expansionPath).id"))
        checkNumber(expansion.powerMW, at: "\(expansionPath).power_mw", .mw)
        if let cost = expansion.costPerYear {
          checkNumber(cost, at: "\(expansionPath).cost_per_year", .money)
        }
        if let earliest = expansion.earliest {
          checkReference(earliest, at: "\(expansionPath).earliest", kind: "period", known: periodIDs)
        }
      }
    }
    // Expansion ids are unique across the scenario: plans and diffs name them without their site.
    checkIDs(expansionIDs, kind: "expansion")
  }
}

import Foundation

/// What a valid scenario may have wrong without being invalid: limits that contradict each
/// other in the data (the scenario is infeasible before any solve), and figures that look like
/// a unit mistake. The spec says infeasible is not invalid, so these are warnings: `validate`
/// prints them and `validate --strict` fails on them; `solve` prints them and keeps them in the
/// plan's `warnings`.
public enum ScenarioWarnings {
  /// The seed's money per MW figures run from $6.5M (opex per MW-year) to $42M (lab revenue per
  /// MW-year); a figure more than 100x outside that range is most likely in $ or $B, not $M.
  public static let plausibleMoneyPerMW: ClosedRange<Double> = (6.5 / 100)...(42 * 100)

  public static func check(_ sc: ValidScenario, file: String, sourceMap: SourceMap = SourceMap())
    -> [ScenarioIssue]
  {
    var out: [ScenarioIssue] = []
    func warn(_ path: String, _ message: String) {
      out.append(
        ScenarioIssue(
          file: sourceMap.file(for: path) ?? file, path: path, line: sourceMap.line(for: path),
          message: message))
    }
    let raw = sc.asWritten
    let periodIDs = sc.periods.map(\.id)

    // Contradictions: a floor above its own cap, or above all the power its sites have.
    for (o, offering) in sc.offerings.enumerated() {
      let path = "offerings[\(o)]"
      let floors: [(String, [Double]?, Series?)] = [
        ("committed_mw", offering.committedMW, raw.offerings[o].committedMW),
        ("required_mw", offering.requiredMW, raw.offerings[o].requiredMW),
      ]
      for case let (field, floor?, floorSeries?) in floors {
        if let cap = offering.demandMW, let capSeries = raw.offerings[o].demandMW,
          let t = floor.indices.first(where: { floor[$0] > cap[$0] + 1e-9 })
        {
          warn(
            seriesPath("\(path).\(field)", floorSeries, period: t, periods: periodIDs),
            "contradiction: \(field) of \(offering.id) in \(periodIDs[t]) is \(ScenarioText.number(floor[t])) MW, "
              + "above its own demand cap \(seriesPath("\(path).demand_mw", capSeries, period: t, periods: periodIDs))"
              + " of \(ScenarioText.number(cap[t])) MW: no plan can meet both")
        }
        // IT MW at a site can never exceed its facility power (with every expansion) / PUE.
        for t in floor.indices where floor[t] > 0 {
          var most = 0.0
          for s in offering.sites {
            let site = sc.sites[s]
            var power = site.powerMW[t]
            for e in site.expansions where sc.expansions[e].earliestPeriod <= t {
              power += sc.expansions[e].powerMW
            }
            most += power / site.pue
          }
          guard floor[t] > most + 1e-9 else { continue }
          let sitesPath =
            raw.offerings[o].sites != nil
            ? "\(path).sites" : offering.sites.map { "sites[\($0)].power_mw" }.joined(separator: ", ")
          warn(
            seriesPath("\(path).\(field)", floorSeries, period: t, periods: periodIDs),
            "contradiction: \(field) of \(offering.id) in \(periodIDs[t]) is \(ScenarioText.number(floor[t])) MW, "
              + "above the \(ScenarioText.number(most)) IT MW that all the power of its sites (\(sitesPath), "
              + "with every expansion, over PUE) can ever host")
          break
        }
      }
    }

    // Money per MW that looks like the wrong unit.
    func money(_ value: Double, at path: String, what: String) {
      guard value > 0, !plausibleMoneyPerMW.contains(value) else { return }
      let factor = value > plausibleMoneyPerMW.upperBound ? "more than 100x above" : "less than 1/100 of"
      warn(
        path,
        "\(what) \(ScenarioText.number(value)) is \(factor) the seed's range of $6.5M-$42M per MW: "
          + "money is in $M (millions), is this in another unit?")
    }
    for (h, hw) in raw.hardware.enumerated() {
      if let v = hw.opexPerMWYear {
        money(v, at: "hardware[\(h)].opex_per_mw_year", what: "opex per MW-year")
      }
      if let v = hw.capexPerMW { money(v, at: "hardware[\(h)].capex_per_mw", what: "capex per MW") }
    }
    for (o, offering) in raw.offerings.enumerated() {
      let path = "offerings[\(o)]"
      if let v = offering.iaasFeePerMWYear {
        money(v, at: "\(path).iaas_fee_per_mw_year", what: "IaaS fee per MW-year")
      }
      for (field, map) in [
        ("gross_revenue_per_mw_year", offering.grossRevenuePerMWYear),
        ("price_per_mw_year", offering.pricePerMWYear), ("value_per_mw_year", offering.valuePerMWYear),
      ] {
        for entry in map?.entries ?? [] {
          money(entry.value, at: "\(path).\(field).\(entry.key)", what: "\(field) of \(entry.key)")
        }
      }
    }

    // A period whose length disagrees with its id.
    for (t, period) in sc.periods.enumerated() {
      if let expected = expectedYears(period.id), abs(expected - period.years) > 1e-3 {
        warn(
          "periods[\(t)].years",
          "period \(period.id) lasts \(ScenarioText.number(period.years)) years, but its id reads as "
            + "\(ScenarioText.number(expected)) years")
      }
    }
    return out
  }

  /// The length an id like 2026Q3 (0.25), 2026H1 (0.5), 2026 or FY2026 (1) or 2026-03 (1/12) implies.
  public static func expectedYears(_ id: String) -> Double? {
    let upper = id.uppercased()
    func matches(_ pattern: String) -> Bool { upper.range(of: pattern, options: .regularExpression) != nil }
    if matches("^(FY|CY)?[0-9]{4}Q[1-4]$") { return 0.25 }
    if matches("^(FY|CY)?[0-9]{4}H[12]$") { return 0.5 }
    if matches("^(FY|CY)?[0-9]{4}$") { return 1 }
    if matches("^[0-9]{4}-(0[1-9]|1[0-2])$") { return 1.0 / 12 }
    return nil
  }

  /// The path of the value a series holds in period `t`: the field for a constant, else the
  /// map key it is held from.
  static func seriesPath(_ field: String, _ series: Series, period t: Int, periods: [String]) -> String {
    guard case .byPeriod(let map) = series else { return field }
    let keys = Set(map.entries.map(\.key))
    for tau in stride(from: t, through: 0, by: -1) where keys.contains(periods[tau]) {
      return "\(field).\(periods[tau])"
    }
    return field
  }
}

extension Plan {
  /// Warnings about a solved plan itself: an EBIT margin below -100% (costs more than twice the
  /// revenue) most often means a unit mistake.
  public var plausibilityWarnings: [String] {
    guard let margin = totals?.ebitMargin, margin < -1 else { return [] }
    return [
      "EBIT margin \(String(format: "%.0f", margin * 100))% is below -100%: costs are more than twice the "
        + "revenue; check the units of opex, capex and prices ($M per MW-year, $M per MW)"
    ]
  }
}

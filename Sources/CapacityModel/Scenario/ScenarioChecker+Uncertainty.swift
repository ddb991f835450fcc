/// Checks the `uncertainty` section: demand cases and risk (Uncertainty.swift).
extension ScenarioChecker {
  func checkUncertainty(_ u: Scenario.Uncertainty) {
    let path = "uncertainty.cases"
    guard !u.cases.isEmpty else {
      report(path, "give at least one demand case")
      return
    }
    // Each case copies every allocation column and row: thousands would be a model no one can
    // solve, and thousands of issues a report no one can read.
    guard u.cases.count <= Scenario.Uncertainty.maxCases else {
      report(
        path,
        "\(u.cases.count) demand cases; at most \(Scenario.Uncertainty.maxCases) are allowed "
          + "(each one repeats every allocation of the model)")
      return
    }
    checkIDs(u.cases.enumerated().map { ($1.id, "\(path)[\($0)].id") }, kind: "demand case")
    var total = 0.0
    for (index, demandCase) in u.cases.enumerated() {
      let casePath = "\(path)[\(index)]"
      let p = demandCase.probability
      if !p.isFinite || p < 0 || p > 1 {
        report("\(casePath).probability", "a probability is between 0 and 1, found \(ScenarioText.number(p))")
      } else {
        total += p
      }
      checkDemandScale(demandCase.demandScale, at: "\(casePath).demand_scale")
      checkOfferingChanges(demandCase.offerings ?? [], at: "\(casePath).offerings")
    }
    let allFinite = u.cases.allSatisfy { $0.probability.isFinite && $0.probability >= 0 }
    if allFinite, abs(total - 1) > Scenario.Uncertainty.probabilityTolerance {
      report(
        path,
        "the demand cases' probabilities add up to \(ScenarioText.number(total)); they must add up to 1")
    }
    if let risk = u.risk {
      if let alpha = risk.cvarAlpha, !alpha.isFinite || alpha < 0 || alpha >= 1 {
        report(
          "uncertainty.risk.cvar_alpha",
          "cvar_alpha is a level in [0, 1) (0.9: the worst 10%), found \(ScenarioText.number(alpha))")
      }
      if let weight = risk.weight { checkNumber(weight, at: "uncertainty.risk.weight", .share) }
    }
  }

  private func checkDemandScale(_ scale: IDMap<Double>?, at path: String) {
    for entry in scale?.entries ?? [] {
      let entryPath = "\(path).\(entry.key)"
      guard checkReference(entry.key, at: entryPath, kind: "offering", known: offeringIDs) else { continue }
      // A factor of the demand, not MW: checkNumber's units would say the wrong thing.
      let factor = entry.value
      if !factor.isFinite || factor < 0 {
        report(
          entryPath,
          "a demand scale is a factor of the offering's demand (0.8: 80%) and cannot be negative, found "
            + ScenarioText.number(factor))
      }
      if let offering = scenario.offerings.first(where: { $0.id == entry.key }),
        offering.demandMW == nil, offering.demandGrossRevenuePerYear == nil
      {
        report(
          entryPath,
          "offering '\(entry.key)' has no demand_mw or demand_gross_revenue_per_year to scale "
            + "(no demand series means no cap)")
      }
    }
  }

  private func checkOfferingChanges(_ changes: [Scenario.OfferingChange], at path: String) {
    checkNoRepeats(changes.map(\.id), at: path, what: "offering")
    for (index, change) in changes.enumerated() {
      let changePath = "\(path)[\(index)]"
      guard checkReference(change.id, at: "\(changePath).id", kind: "offering", known: offeringIDs),
        let offering = scenario.offerings.first(where: { $0.id == change.id })
      else { continue }
      let series: [(String, Series?, NumberRule)] = [
        ("demand_gross_revenue_per_year", change.demandGrossRevenuePerYear, .money),
        ("demand_mw", change.demandMW, .mw),
      ]
      let maps: [(String, IDMap<Double>?, IDMap<Double>?)] = [
        ("gross_revenue_per_mw_year", change.grossRevenuePerMWYear, offering.grossRevenuePerMWYear),
        ("price_per_mw_year", change.pricePerMWYear, offering.pricePerMWYear),
        ("value_per_mw_year", change.valuePerMWYear, offering.valuePerMWYear),
      ]
      let present = Set(series.filter { $0.1 != nil }.map(\.0) + maps.filter { $0.1 != nil }.map(\.0))
      let fitting = fittingFields(present, pricing: offering.pricing, at: changePath, offering: offering.id)
      checkSeriesFields(series, fitting: fitting, at: changePath)
      for case let (field, value?, base) in maps where fitting.contains(field) {
        let known = base?.keys ?? []
        for entry in value.entries {
          let entryPath = "\(changePath).\(field).\(entry.key)"
          if !known.contains(entry.key) {
            report(
              entryPath,
              "hardware '\(entry.key)' is not in the offering's \(field) "
                + "(a demand case changes prices; which hardware serves is the same in every case; "
                + "known: \(ScenarioText.ids(known)))")
          } else {
            checkNumber(entry.value, at: entryPath, .money)
          }
        }
      }
    }
  }
}

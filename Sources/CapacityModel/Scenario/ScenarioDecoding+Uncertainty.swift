import Yams

/// The `uncertainty` section's structure (Uncertainty.swift); meaning is checked by
/// ScenarioChecker+Uncertainty.swift.
extension NodeReader {
  func decodeUncertainty(_ node: Node, at path: String) -> Scenario.Uncertainty? {
    guard
      let f = fields(
        node, at: path, what: "the uncertainty section", allowed: names(Scenario.Uncertainty.CodingKeys.self))
    else { return nil }
    let cases = required(f, "cases") { list($0, at: $1, decodeDemandCase) }
    let risk = optional(f, "risk", decodeRisk)
    guard let cases else { return nil }
    return Scenario.Uncertainty(cases: cases, risk: risk)
  }

  func decodeDemandCase(_ node: Node, at path: String) -> Scenario.DemandCase? {
    guard
      let f = fields(
        node, at: path, what: "a demand case", allowed: names(Scenario.DemandCase.CodingKeys.self))
    else { return nil }
    let id = required(f, "id", string)
    let probability = required(f, "probability", number)
    let scale = optional(f, "demand_scale", nullMeansAbsent: true) {
      idMap($0, at: $1, what: "OFFERING", number)
    }
    let offerings = optional(f, "offerings", nullMeansAbsent: true) { list($0, at: $1, decodeOfferingChange) }
    guard let id, let probability else { return nil }
    return Scenario.DemandCase(id: id, probability: probability, demandScale: scale, offerings: offerings)
  }

  func decodeOfferingChange(_ node: Node, at path: String) -> Scenario.OfferingChange? {
    guard
      let f = fields(
        node, at: path, what: "a demand case's offering change",
        allowed: names(Scenario.OfferingChange.CodingKeys.self))
    else { return nil }
    let hardwareMap = { (node: Node, path: String) in
      self.idMap(node, at: path, what: "HARDWARE", self.number)
    }
    let id = required(f, "id", string)
    let change = Scenario.OfferingChange(
      id: id ?? "",
      demandGrossRevenuePerYear: optional(f, "demand_gross_revenue_per_year", series),
      demandMW: optional(f, "demand_mw", series),
      grossRevenuePerMWYear: optional(f, "gross_revenue_per_mw_year", hardwareMap),
      pricePerMWYear: optional(f, "price_per_mw_year", hardwareMap),
      valuePerMWYear: optional(f, "value_per_mw_year", hardwareMap))
    return id == nil ? nil : change
  }

  func decodeRisk(_ node: Node, at path: String) -> Scenario.Risk? {
    guard let f = fields(node, at: path, what: "risk", allowed: names(Scenario.Risk.CodingKeys.self)) else {
      return nil
    }
    return Scenario.Risk(cvarAlpha: optional(f, "cvar_alpha", number), weight: optional(f, "weight", number))
  }
}

import LinearProgramming

/// The NPV objective (docs/formulation.md, "The NPV objective"): the plan's cash flows
/// discounted to the horizon's start, with ``Discounting``'s timing.
extension Formulation {
  /// What an annual rate in period `t` is worth in the objective: its years, discounted from the
  /// period's middle under NPV.
  func flowWeight(_ t: Int) -> Double {
    scenario.periods[t].years * (discounting?.middleFactor(t) ?? 1)
  }

  /// What a one-time payment at the start of period `t` (a move) is worth in the objective.
  func paymentWeight(_ t: Int) -> Double { discounting?.startFactor(t) ?? 1 }

  /// Revenue less opex (with companions') and expansion costs, discounted per period as flows;
  /// each install's capex paid in full at the start of its period; the part of that capex not
  /// depreciated by the horizon's end counted back there. MW installed before the horizon cost
  /// nothing: their capex was paid before it (sunk), so no constant is added.
  mutating func addDiscountedObjective() {
    guard let d = discounting else { return }
    let sc = scenario
    for t in 0..<periodCount {
      let weight = flowWeight(t)
      for (o, offering) in sc.offerings.enumerated() {
        for (h, _, v) in allocationsByOffering[o][t] {
          addObjective(v, weight * operatingMarginPerMWYear(offering, hardware: h), into: &model)
        }
      }
      for (e, expansion) in sc.expansions.enumerated() where expansion.costPerYear != 0 {
        if let built = variables[.built(expansion: e, period: t)] {
          addObjective(built, -weight * expansion.costPerYear, into: &model)
        }
      }
      for s in sc.sites.indices {
        for (h, hw) in sc.hardware.enumerated() where hw.capexPerMW != 0 {
          guard let (v, mw) = installColumn(site: s, hardware: h, period: t) else { continue }
          let residual = d.residualShare(installedIn: t, lifeYears: hw.lifeYears) * d.endFactor
          addObjective(v, -hw.capexPerMW * mw * (d.startFactor(t) - residual), into: &model)
        }
      }
    }
  }
}

extension Scenario {
  /// The scenario with `count` demand cases for a two-stage plan (benchmarks, `capplan generate
  /// --demand-cases`): every offering with a demand series scaled by factors spread evenly from
  /// 0.7 to 1.3 (1 for a single case), with equal probabilities. Replaces any `uncertainty`.
  public func withDemandCases(_ count: Int) -> Scenario {
    var copy = self
    guard count >= 1 else {
      copy.uncertainty = nil
      return copy
    }
    let demanded = offerings.filter { $0.demandMW != nil || $0.demandGrossRevenuePerYear != nil }.map(\.id)
    var cases: [DemandCase] = []
    var assigned = 0.0
    for k in 0..<count {
      let factor = count == 1 ? 1 : 0.7 + 0.6 * Double(k) / Double(count - 1)
      // Rounded to four decimals so the file reads plainly; the last case takes what is left.
      let probability = k == count - 1 ? 1 - assigned : (1 / Double(count) * 1e4).rounded() / 1e4
      assigned += probability
      cases.append(
        DemandCase(
          id: "demand-\(k + 1)", probability: probability,
          demandScale: IDMap(demanded.map { IDMap.Entry(key: $0, value: (factor * 1e4).rounded() / 1e4) })))
    }
    copy.uncertainty = Uncertainty(cases: cases)
    return copy
  }
}

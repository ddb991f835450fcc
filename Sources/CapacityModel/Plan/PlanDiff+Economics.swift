extension PlanDiff {
  /// One line of the EBIT breakdown in both plans: an offering, "idle capacity" or "fixed costs".
  public struct EBITLineChange: Codable, Sendable, Equatable {
    public var line: String
    /// $M per year in each period (absent in a plan: 0).
    public var periods: [String: Change]
    /// $M over each plan's horizon.
    public var total: Change
  }

  static func ebitLineChanges(_ a: Plan, _ b: Plan, periods: [String]) -> [EBITLineChange] {
    guard let ea = a.economics, let eb = b.economics else { return [] }
    let linesA = Dictionary(ea.ebitLines.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
    let linesB = Dictionary(eb.ebitLines.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
    var ids = eb.offerings.map(\.id)
    for id in ea.offerings.map(\.id) where !ids.contains(id) { ids.append(id) }
    ids += ["idle capacity", "fixed costs"]
    return ids.map { id in
      let x = linesA[id]
      let y = linesB[id]
      func byPeriod(_ line: Plan.Line?) -> [String: Double] {
        Dictionary((line?.periods ?? []).map { ($0.period, $0.ebit) }, uniquingKeysWith: { v, _ in v })
      }
      let pa = byPeriod(x)
      let pb = byPeriod(y)
      return EBITLineChange(
        line: id,
        periods: Dictionary(
          periods.map { ($0, Change(a: pa[$0] ?? 0, b: pb[$0] ?? 0)) }, uniquingKeysWith: { v, _ in v }),
        total: Change(a: x?.total.ebit ?? 0, b: y?.total.ebit ?? 0))
    }
  }
}

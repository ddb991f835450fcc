extension PlanDiff {
  /// Two plans over demand cases, side by side. Their installs and expansions (the first-stage
  /// decision) are compared as in any diff; their allocations are expected MW.
  public struct DemandCaseChange: Codable, Sendable, Equatable {
    public var expectedEbit: Change
    public var cvar: Change
    public var evpi: Change?
    public var vss: Change?

    init?(_ a: Plan, _ b: Plan) {
      guard let x = a.uncertainty, let y = b.uncertainty else { return nil }
      expectedEbit = Change(a: x.expectedEbit, b: y.expectedEbit)
      cvar = Change(a: x.cvar, b: y.cvar)
      if let p = x.evpi, let q = y.evpi { evpi = Change(a: p, b: q) }
      if let p = x.vss, let q = y.vss { vss = Change(a: p, b: q) }
    }

    enum CodingKeys: String, CodingKey {
      case expectedEbit = "expected_ebit", cvar, evpi, vss
    }
  }
}

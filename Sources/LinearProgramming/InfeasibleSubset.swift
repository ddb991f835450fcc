/// An irreducible infeasible subset (IIS) of an LP: the listed constraints and
/// variable bounds cannot hold together, and dropping any one of them makes
/// the rest feasible.
public struct InfeasibleSubset: Sendable, Equatable {
  public var constraints: [Constraint]
  /// Variables whose bounds (lower, upper or both) belong to the subset.
  public var boundedVariables: [Variable]
  /// How many LP solves the filter took.
  public var solves: Int

  package init(constraints: [Constraint], boundedVariables: [Variable], solves: Int) {
    self.constraints = constraints
    self.boundedVariables = boundedVariables
    self.solves = solves
  }
}

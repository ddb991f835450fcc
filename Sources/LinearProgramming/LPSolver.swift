/// What the capacity model asks of a solver, so that it talks to this and not to GLPK.
/// `GLPKSolver` (module GLPK) is the one implementation; a solve's objects live on the calling thread.
public protocol LPSolver: Sendable {
  /// Solves `model` (an LP, or a MIP by branch-and-cut) within `options`' limits.
  func solve(_ model: Model, options: SolveOptions) throws(LPError) -> Solution
  /// An irreducible infeasible subset of `model`'s LP relaxation; nil when the relaxation is
  /// feasible.
  func infeasibleSubset(_ model: Model, options: SolveOptions) throws(LPError) -> InfeasibleSubset?
}

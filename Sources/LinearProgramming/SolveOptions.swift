/// How to solve an LP: GLPK's primal or dual simplex, or its interior point.
public enum LPMethod: String, Sendable, Codable, CaseIterable {
  case primalSimplex = "primal"
  case dualSimplex = "dual"
  /// Falls back to the dual simplex if primal fails. GLPK's own default.
  case dualPrimalSimplex = "dualp"
  /// Has no basis: no warm start, ranging or basis-based duals in integer fixing.
  case interiorPoint = "interior"
  /// The interior point, then a crossover to an optimal vertex with its basis: the columns the
  /// interior point leaves at a bound are held there while the simplex solves the rest, then
  /// released for a few primal simplex iterations. Warm-startable, and its plan is a vertex.
  case interiorCrossover = "interior-crossover"
  /// Primal simplex and interior point with crossover at once, on two threads: the first
  /// definite answer (optimal, infeasible, unbounded) wins and the other is stopped.
  case race

  /// GLPK's interior point method takes no time limit: it runs to its end once started. The
  /// crossover and race variants stop it between its iterations.
  public var stopsAtTimeLimit: Bool { self != .interiorPoint }
}

public enum SolverLogLevel: String, Sendable, Codable {
  case off, errors, normal, all
}

/// Progress of a running MIP search, given to `SolveOptions.progress`.
public struct MIPProgress: Sendable {
  public var incumbent: Double?
  public var bestBound: Double?
  public var relativeGap: Double?
  public var nodes: Int
  public var elapsedSeconds: Double
  /// Set when an LP (not a MIP search) reports that it runs: its method. `nodes` is then 0.
  public var lpMethod: String?

  public init(
    incumbent: Double?, bestBound: Double?, relativeGap: Double?, nodes: Int, elapsedSeconds: Double,
    lpMethod: String? = nil
  ) {
    self.incumbent = incumbent
    self.bestBound = bestBound
    self.relativeGap = relativeGap
    self.nodes = nodes
    self.elapsedSeconds = elapsedSeconds
    self.lpMethod = lpMethod
  }
}

/// Options for one solve. Every limit is off unless set.
public struct SolveOptions: Sendable {
  public var method: LPMethod = .dualPrimalSimplex
  public var timeLimitSeconds: Double?
  public var iterationLimit: Int?
  /// Relative MIP gap at which branch-and-cut stops.
  public var relativeGap: Double?
  public var presolve: Bool = true
  /// GLPK's MIR, Gomory, cover and clique cuts, for MIPs.
  public var cuts: Bool = true
  public var logLevel: SolverLogLevel = .off
  /// Compute objective-coefficient and right-hand-side ranging (LP only, or the
  /// fixed LP of a MIP). Costs extra work per row and column.
  public var ranging: Bool = false
  /// Start the simplex from this basis (from an earlier `Solution.basis`).
  public var warmStartBasis: Basis?
  /// A feasible MIP solution (indexed by variable) to start branch-and-cut from.
  public var initialSolution: [Double]?
  /// Called from the solving thread as a MIP search moves; return false to stop it.
  public var progress: (@Sendable (MIPProgress) -> Bool)?
  /// Asked from the solving thread while an LP runs (the simplex about four times a second, the
  /// interior point once per iteration); true stops the LP, which then ends `interrupted` with no
  /// values. Not asked during branch-and-cut (use `progress` there).
  public var shouldStop: (@Sendable () -> Bool)?
  /// Keep GLPK's terminal output in `Solution.log`.
  public var captureLog: Bool = false
  /// After a MIP, solve the LP with integers fixed to get duals. On by default.
  public var mipDuals: Bool = true
  /// GLPK's feasibility pump before branching (MIP). Off by default: measured
  /// against capplan's own rounding heuristic in BENCHMARKS.md.
  public var feasibilityPump: Bool = false
  /// GLPK's proximity search, for this many seconds once an incumbent exists (MIP).
  public var proximitySearchSeconds: Double?

  public init() {}

  package func validate() throws(LPError) {
    if let t = timeLimitSeconds, !(t.isFinite && t > 0) {
      throw .invalidOption("time limit must be a positive number of seconds, got \(t)")
    }
    if timeLimitSeconds != nil, !method.stopsAtTimeLimit {
      throw .invalidOption(
        "GLPK's interior point method cannot stop at a time limit; use a simplex method with a time limit")
    }
    if let g = relativeGap, !(g.isFinite && g >= 0) {
      throw .invalidOption("relative gap must be a non-negative number, got \(g)")
    }
    if let p = proximitySearchSeconds, !(p.isFinite && p > 0) {
      throw .invalidOption("proximity search time must be a positive number of seconds, got \(p)")
    }
    if let n = iterationLimit, n <= 0 {
      throw .invalidOption("iteration limit must be positive, got \(n)")
    }
  }
}

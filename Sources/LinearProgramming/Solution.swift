/// Why the solver stopped. Whether a feasible point exists is told apart by
/// `Solution.hasFeasibleSolution`: a time limit may come with or without one.
public enum TerminationReason: String, Sendable, Codable {
  case optimal
  /// A MIP stopped because its relative gap fell under the requested one.
  case gapLimit = "gap_limit"
  case infeasible
  case unbounded
  /// The presolver proved there is no optimum without telling which.
  case infeasibleOrUnbounded = "infeasible_or_unbounded"
  case timeLimit = "time_limit"
  case iterationLimit = "iteration_limit"
  /// Stopped by the progress callback.
  case interrupted
  /// Numerical trouble or a singular basis.
  case numericalError = "numerical_error"
  case error
}

public enum BasisStatus: Int8, Sendable, Codable {
  case basic = 1, atLower = 2, atUpper = 3, free = 4, fixed = 5
}

/// A simplex basis, for warm starts. It belongs to a model of the same shape.
public struct Basis: Sendable, Codable, Equatable {
  public var rows: [BasisStatus]
  public var columns: [BasisStatus]
  public init(rows: [BasisStatus], columns: [BasisStatus]) {
    self.rows = rows
    self.columns = columns
  }
}

/// The range over which one number may move while the basis stays optimal.
public struct SensitivityRange: Sendable, Codable, Equatable {
  public var lower: Double
  public var upper: Double
  public init(lower: Double, upper: Double) {
    self.lower = lower
    self.upper = upper
  }
}

/// Objective-coefficient ranges per column and right-hand-side ranges per row.
/// A right-hand-side range is given for rows whose constraint is active (non-basic);
/// for basic rows it is nil, since any change inside their slack leaves the solution as is.
public struct Ranging: Sendable, Codable, Equatable {
  public var objectiveCoefficient: [SensitivityRange?]
  public var rightHandSide: [SensitivityRange?]

  package init(objectiveCoefficient: [SensitivityRange?], rightHandSide: [SensitivityRange?]) {
    self.objectiveCoefficient = objectiveCoefficient
    self.rightHandSide = rightHandSide
  }
}

public struct SolveStatistics: Sendable, Codable, Equatable {
  public var rows = 0
  public var columns = 0
  public var nonzeros = 0
  public var integerColumns = 0
  public var iterations = 0
  public var nodes = 0
  public var seconds = 0.0
  /// The LP method that gave the answer, when it was not simply the one asked for: a race's
  /// winner (`primal` or `interior-crossover`). Nil otherwise.
  public var winningMethod: LPMethod?
  /// Interior point with crossover: seconds in the interior point, and in the crossover's simplex.
  public var interiorSeconds: Double?
  public var crossoverSeconds: Double?
  /// A race: seconds from the winner's answer until the other method had stopped.
  public var raceStopSeconds: Double?
  public init() {}
}

/// The result of a solve. Values are indexed by variable and row; they are
/// present whenever `hasFeasibleSolution` (and for LPs, also the last point the
/// simplex reached, for inspection).
public struct Solution: Sendable {
  public var termination: TerminationReason
  public var hasFeasibleSolution: Bool
  public var isMIP: Bool
  public var objectiveValue: Double?
  /// MIP: the best bound proven; equal to the objective when optimal.
  public var bestBound: Double?
  /// MIP: |objective - bound| / (|objective| + eps), GLPK's definition.
  public var relativeGap: Double?
  public var values: [Double]
  public var rowActivities: [Double]
  /// Duals of the rows (for a MIP: of the LP with integers fixed). Nil when unavailable.
  public var duals: [Double]?
  public var reducedCosts: [Double]?
  public var basis: Basis?
  /// `interior-crossover`: the interior point's own values, before the crossover moved them to a
  /// vertex. Inside the optimal face they spread fractional amounts over equivalent choices, which
  /// a rounding heuristic rounds far better than a vertex's few large fractions.
  public var interiorValues: [Double]?
  public var ranging: Ranging?
  public var statistics: SolveStatistics
  /// GLPK's terminal output, when `captureLog` was set.
  public var log: String
  /// A sentence for a person when `termination` is an error.
  public var message: String?
  /// MIP with `SolveOptions.initialSolution`: whether GLPK took it as an
  /// incumbent (false when it was infeasible or the search never asked).
  public var initialSolutionAccepted: Bool?

  /// A MIP's feasible point found outside the solver (a heuristic's), with its bound.
  public init(
    termination: TerminationReason, hasFeasibleSolution: Bool, isMIP: Bool, objectiveValue: Double?,
    bestBound: Double?, relativeGap: Double?, values: [Double], rowActivities: [Double],
    duals: [Double]?, reducedCosts: [Double]?, basis: Basis?, ranging: Ranging?,
    statistics: SolveStatistics, log: String, message: String?
  ) {
    self.termination = termination
    self.hasFeasibleSolution = hasFeasibleSolution
    self.isMIP = isMIP
    self.objectiveValue = objectiveValue
    self.bestBound = bestBound
    self.relativeGap = relativeGap
    self.values = values
    self.rowActivities = rowActivities
    self.duals = duals
    self.reducedCosts = reducedCosts
    self.basis = basis
    self.ranging = ranging
    self.statistics = statistics
    self.log = log
    self.message = message
  }

  public subscript(_ v: Variable) -> Double { values[v.index] }
  public func value(_ e: LinearExpression) -> Double {
    e.terms.reduce(e.constant) { $0 + $1.coefficient * values[$1.variable.index] }
  }
  public func activity(_ c: Constraint) -> Double { rowActivities[c.index] }
  public func dual(_ c: Constraint) -> Double? { duals?[c.index] }
  public func reducedCost(_ v: Variable) -> Double? { reducedCosts?[v.index] }
}

import LinearProgramming

/// How to solve a scenario: what a person asks for on the command line, stored with a queued
/// job and handed to the process that solves it, so `solve`, `submit` and `schedule add` mean
/// the same thing. Checked in one place, ``check(naming:)``.
///
/// What any LP/MIP solver understands (a time limit, a gap, the LP method) is kept apart from
/// what only GLPK and capplan's search around it do (``GLPKSettings``), as MathOptInterface
/// keeps `TimeLimitSec` apart from a solver's raw attributes. There is no thread count: GLPK
/// solves on one thread (a MIP's rounding heuristic takes a second of its own).
///
/// What exists only while a solve runs (a progress callback, the previous plan's allocations
/// and warm start) is ``PlanOptions``'s, not this value's.
public struct SolveSettings: Codable, Sendable, Equatable {
  /// Stop after this many seconds; the best plan found by then is kept. Nil: no limit of its
  /// own (a queued job then gets its worker's).
  public var timeLimitSeconds: Double?
  /// Relative MIP gap at which to stop; the model spec's default is 1e-4.
  public var relativeGap: Double
  /// Primal simplex by default: measured fastest on capacity LPs, cold and warm (BENCHMARKS.md).
  public var method: LPMethod
  public var glpk: GLPKSettings
  /// What the solve maximizes: horizon EBIT (the default) or the NPV of the cash flows.
  public var objective: SolveObjective

  public init(
    timeLimitSeconds: Double? = nil, relativeGap: Double = 1e-4, method: LPMethod = .primalSimplex,
    glpk: GLPKSettings = GLPKSettings(), objective: SolveObjective = .ebit
  ) {
    self.timeLimitSeconds = timeLimitSeconds
    self.relativeGap = relativeGap
    self.method = method
    self.glpk = glpk
    self.objective = objective
  }

  enum CodingKeys: String, CodingKey {
    case timeLimitSeconds = "time_limit_seconds", relativeGap = "relative_gap", method, glpk, objective
  }

  /// Only what differs from the defaults is written: a stored job's options stay short to
  /// read, and cheap to write and read back on every submit and claim (a whole nested GLPK
  /// object made SQLite submits measurably slower).
  public func encode(to encoder: any Encoder) throws {
    let defaults = SolveSettings()
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(timeLimitSeconds, forKey: .timeLimitSeconds)
    if relativeGap != defaults.relativeGap { try c.encode(relativeGap, forKey: .relativeGap) }
    if method != defaults.method { try c.encode(method, forKey: .method) }
    if glpk != defaults.glpk { try c.encode(glpk, forKey: .glpk) }
    if objective != defaults.objective { try c.encode(objective, forKey: .objective) }
  }

  /// Every key may be missing: a job stored before a setting existed gets its default.
  public init(from decoder: any Decoder) throws {
    let defaults = SolveSettings()
    let c = try decoder.container(keyedBy: CodingKeys.self)
    timeLimitSeconds = try c.decodeIfPresent(Double.self, forKey: .timeLimitSeconds)
    relativeGap = try c.decodeIfPresent(Double.self, forKey: .relativeGap) ?? defaults.relativeGap
    method = try c.decodeIfPresent(LPMethod.self, forKey: .method) ?? defaults.method
    glpk = try c.decodeIfPresent(GLPKSettings.self, forKey: .glpk) ?? defaults.glpk
    objective = try c.decodeIfPresent(SolveObjective.self, forKey: .objective) ?? defaults.objective
  }

  /// These settings with `seconds` as the time limit when they set none. GLPK's interior point
  /// cannot stop at one, so it gets none: whoever gave the default (a worker) enforces it.
  public func withDefaultTimeLimit(_ seconds: Double?) -> SolveSettings {
    var settings = self
    if settings.timeLimitSeconds == nil, method.stopsAtTimeLimit { settings.timeLimitSeconds = seconds }
    return settings
  }
}

/// What a solve maximizes (docs/formulation.md, "Objective" and "The NPV objective").
public enum SolveObjective: String, Codable, Sendable, CaseIterable {
  /// EBIT over the horizon: capex charged as straight-line depreciation.
  case ebit
  /// The net present value of the plan's cash flows at `finance.discount_rate`: capex paid when
  /// installed, the undepreciated part of new hardware counted back at the horizon's end.
  case npv
}

/// GLPK's own switches, and capplan's rounding heuristic that runs beside GLPK's branch-and-cut
/// because GLPK can take minutes to find a first plan. Another solver would have its own.
public struct GLPKSettings: Codable, Sendable, Equatable {
  /// GLPK's LP and MIP presolvers.
  public var presolve: Bool
  /// GLPK's MIR, Gomory, cover and clique cuts, for MIPs.
  public var cuts: Bool
  /// GLPK's feasibility pump before branching (MIP). Off by default: measured against the
  /// rounding heuristic in BENCHMARKS.md.
  public var feasibilityPump: Bool
  /// GLPK's proximity search, for this many seconds once a plan exists (MIP).
  public var proximitySearchSeconds: Double?
  /// MIPs: find a first plan by rounding the LP relaxation beside branch-and-cut (off leaves the
  /// search to GLPK alone, for comparison).
  public var roundingHeuristic: Bool
  /// The rounding heuristic's LP method; nil: the interior point above 10,000 rows, else the
  /// settings' `method`.
  public var heuristicMethod: LPMethod?

  public init(
    presolve: Bool = true, cuts: Bool = true, feasibilityPump: Bool = false,
    proximitySearchSeconds: Double? = nil, roundingHeuristic: Bool = true, heuristicMethod: LPMethod? = nil
  ) {
    self.presolve = presolve
    self.cuts = cuts
    self.feasibilityPump = feasibilityPump
    self.proximitySearchSeconds = proximitySearchSeconds
    self.roundingHeuristic = roundingHeuristic
    self.heuristicMethod = heuristicMethod
  }

  enum CodingKeys: String, CodingKey {
    case presolve, cuts, feasibilityPump = "feasibility_pump", proximitySearchSeconds =
      "proximity_search_seconds"
    case roundingHeuristic = "rounding_heuristic", heuristicMethod = "heuristic_method"
  }

  public init(from decoder: any Decoder) throws {
    let defaults = GLPKSettings()
    let c = try decoder.container(keyedBy: CodingKeys.self)
    presolve = try c.decodeIfPresent(Bool.self, forKey: .presolve) ?? defaults.presolve
    cuts = try c.decodeIfPresent(Bool.self, forKey: .cuts) ?? defaults.cuts
    feasibilityPump = try c.decodeIfPresent(Bool.self, forKey: .feasibilityPump) ?? defaults.feasibilityPump
    proximitySearchSeconds = try c.decodeIfPresent(Double.self, forKey: .proximitySearchSeconds)
    roundingHeuristic =
      try c.decodeIfPresent(Bool.self, forKey: .roundingHeuristic) ?? defaults.roundingHeuristic
    heuristicMethod = try c.decodeIfPresent(LPMethod.self, forKey: .heuristicMethod)
  }
}

/// Settings no solve can honour, with the first problem worded for a person.
public struct InvalidSolveSettings: Error, CustomStringConvertible, Sendable, Equatable {
  public var setting: SolveSettings.Setting
  public var message: String
  public var description: String { message }
}

extension SolveSettings {
  /// The settings that can be wrong, for naming them as the caller's user wrote them.
  public enum Setting: Sendable, Equatable, CaseIterable {
    case timeLimit, relativeGap, method, proximitySearch, objective
  }

  public static let timeLimitRange = Limit("time limit", 0.001...31_536_000, unit: "seconds")
  public static let relativeGapRange = Limit("relative gap", 0...1e6, unit: "(a fraction)")
  public static let proximitySearchRange = Limit("proximity search", 0.001...31_536_000, unit: "seconds")

  /// Refuses settings no solve can honour. The command line, both stores on every submit and
  /// schedule, and the worker on every row it claims all check here. `name` says how the caller's
  /// user wrote a setting ("--time-limit"); nil keeps its plain name ("time limit").
  public func check(naming name: (Setting) -> String? = { _ in nil }) throws(InvalidSolveSettings) {
    func inRange(_ value: Double, _ limit: Limit, _ setting: Setting) throws(InvalidSolveSettings) {
      guard limit.contains(value) else {
        throw InvalidSolveSettings(setting: setting, message: limit.refusal(value, label: name(setting)))
      }
    }
    if let t = timeLimitSeconds { try inRange(t, Self.timeLimitRange, .timeLimit) }
    try inRange(relativeGap, Self.relativeGapRange, .relativeGap)
    if let p = glpk.proximitySearchSeconds { try inRange(p, Self.proximitySearchRange, .proximitySearch) }
    if timeLimitSeconds != nil, !method.stopsAtTimeLimit {
      throw InvalidSolveSettings(
        setting: .method,
        message: "\(name(.method) ?? "method") \(method.rawValue) cannot stop at a time limit (GLPK's "
          + "interior point runs to its end): drop \(name(.timeLimit) ?? "the time limit") or use a simplex method"
      )
    }
  }

  /// Refuses settings this scenario cannot be solved with: `--objective npv` needs the
  /// scenario's `finance.discount_rate`. Checked where the scenario is known (the command line
  /// before solving or queueing, and the solve itself).
  public func check(for scenario: ValidScenario, naming name: (Setting) -> String? = { _ in nil })
    throws(InvalidSolveSettings)
  {
    if objective == .npv, scenario.discountRate == nil {
      throw InvalidSolveSettings(
        setting: .objective,
        message: "\(name(.objective) ?? "objective") npv needs a discount rate: scenario "
          + "'\(scenario.asWritten.id)' has no finance.discount_rate (add `finance: {discount_rate: 0.08}` "
          + "for 8% a year, or solve for ebit)")
    }
  }

  /// The options of GLPK's main solve of a scenario. The rounding heuristic makes its own.
  var solveOptions: SolveOptions {
    var o = SolveOptions()
    o.timeLimitSeconds = timeLimitSeconds
    o.relativeGap = relativeGap
    o.method = method
    o.presolve = glpk.presolve
    o.cuts = glpk.cuts
    o.feasibilityPump = glpk.feasibilityPump
    o.proximitySearchSeconds = glpk.proximitySearchSeconds
    return o
  }
}

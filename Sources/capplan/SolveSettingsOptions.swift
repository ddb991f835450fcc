import ArgumentParser
import CapacityModel
import LinearProgramming

/// How to solve, as `solve`, `sweep`, `submit` and `schedule add` all take it: the same flags,
/// the same checks (``SolveSettings/check(naming:)``) and the same messages.
struct SolveSettingsOptions: ParsableArguments {
  @Option(
    name: .customLong("time-limit"),
    help:
      "Stop the solve after this many seconds (a plan with an incumbent is kept). A queued job without one gets its worker's --time-limit."
  )
  var timeLimit: Double?

  @Option(help: "Relative MIP gap at which to stop.")
  var gap: Double = SolveSettings().relativeGap

  @Option(help: ArgumentHelp("LP method: \(LPMethod.helpList)."))
  var method: LPMethod = SolveSettings().method

  @Flag(
    inversion: .prefixedNo,
    help:
      "MIPs: find a first plan by rounding the LP relaxation before branch-and-cut, so a time limit still gives a plan."
  )
  var rounding = GLPKSettings().roundingHeuristic

  @Flag(help: "MIPs: also run GLPK's feasibility pump.")
  var feasibilityPump = GLPKSettings().feasibilityPump

  @Option(help: "MIPs: run GLPK's proximity search for up to this many seconds once a plan exists.")
  var proximitySearch: Double?

  @Option(
    help:
      "What to maximize: ebit (horizon EBIT, the default) or npv (the NPV of the plan's cash flows at the scenario's finance.discount_rate)."
  )
  var objective: SolveObjective = SolveSettings().objective

  var settings: SolveSettings {
    SolveSettings.with(
      timeLimit: timeLimit, gap: gap, method: method, rounding: rounding, feasibilityPump: feasibilityPump,
      proximitySearch: proximitySearch, objective: objective)
  }

  /// Refuses settings `scenario` cannot be solved with (`--objective npv` without a discount
  /// rate), as invalid input.
  func check(for scenario: ValidScenario, file: String) throws(CommandFailure) {
    do {
      try settings.check(for: scenario, naming: Self.flag)
    } catch {
      throw CommandFailure(message: "\(file): \(error.message)", outcome: .invalidInput)
    }
  }

  func validate() throws {
    do {
      try settings.check(naming: Self.flag)
    } catch {
      throw ValidationError(error.message)
    }
  }

  /// How a setting is written on the command line.
  static func flag(_ setting: SolveSettings.Setting) -> String {
    SubmissionSpelling.commandLine.name(setting)
  }
}

extension SolveObjective: ExpressibleByArgument {}

extension SolveSettings {
  /// The settings that differ from the defaults, for `jobs show` and `schedule show`:
  /// "method dual, no rounding"; "defaults" when none do.
  var differencesFromDefaults: String {
    let defaults = SolveSettings()
    var parts: [String] = []
    if method != defaults.method { parts.append("method \(method.rawValue)") }
    if relativeGap != defaults.relativeGap { parts.append("gap \(relativeGap)") }
    if glpk.presolve != defaults.glpk.presolve { parts.append("no presolve") }
    if glpk.cuts != defaults.glpk.cuts { parts.append("no cuts") }
    if glpk.roundingHeuristic != defaults.glpk.roundingHeuristic { parts.append("no rounding") }
    if glpk.heuristicMethod != nil { parts.append("rounding method \(glpk.heuristicMethod?.rawValue ?? "")") }
    if glpk.feasibilityPump { parts.append("feasibility pump") }
    if let p = glpk.proximitySearchSeconds { parts.append("proximity search \(Limit.number(p)) s") }
    if objective != defaults.objective { parts.append("objective \(objective.rawValue)") }
    return parts.isEmpty ? "defaults" : parts.joined(separator: ", ")
  }
}

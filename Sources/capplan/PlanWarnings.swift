import CapacityModel

/// The warnings a solve attaches to its plan (`warnings`) and prints on stderr: the scenario's
/// contradictions and unit slips (`ScenarioWarnings`), a previous plan that does not fit, and the
/// plan's own plausibility.
enum PlanWarnings {
  /// What is off about using `previous` as the previous plan of `scenario`.
  static func previous(_ previous: Plan, for scenario: ValidScenario) -> [String] {
    var out: [String] = []
    if (scenario.moveCost ?? 0) <= 0 {
      out.append(
        "--previous is given but the scenario has no stability.move_cost: the previous plan only warm-starts "
          + "the solve, and nothing keeps the plan close to it")
    }
    let id = scenario.asWritten.id
    if previous.scenario != id {
      out.append("the previous plan is for scenario '\(previous.scenario)', not '\(id)'")
    }
    if let share = Planner.matchedShare(of: previous.previousAllocations, in: scenario), share < 0.5 {
      out.append(
        "only \(percent(share)) of the previous plan's MW matches an allocation this scenario can make "
          + "(offering, hardware, site and period): the move cost compares against little of it")
    }
    return out
  }

  /// The scenario's warnings, one line each as `file:line: path: message`.
  static func scenario(_ document: ScenarioDocument, _ scenario: ValidScenario) -> [String] {
    ScenarioWarnings.check(scenario, file: document.file, sourceMap: document.sourceMap).map(\.description)
  }

  /// Adds `extra` in front of the plan's own warnings and prints them all on stderr.
  static func attach(_ extra: [String], to plan: inout Plan, print: Bool = true) {
    let all = extra + (plan.warnings ?? [])
    plan.warnings = all.isEmpty ? nil : all
    if print { for w in all { printError("warning: \(w)") } }
  }
}

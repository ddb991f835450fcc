import CapacityModel

/// Loading and validating a scenario file for a command, with errors that
/// exit with the invalid-input code.
enum ScenarioInput {
  static func load(_ path: String) throws(CommandFailure) -> (ScenarioDocument, ValidScenario) {
    do {
      let document = try ScenarioLoader.load(contentsOf: path)
      return (document, try ScenarioValidator.validate(document))
    } catch {
      throw CommandFailure(
        message: "\(path) is not a valid scenario:\n" + error.description, outcome: .invalidInput)
    }
  }
}

extension PlanStatus {
  var outcome: Outcome {
    switch self {
    case .optimal, .feasibleWithGap, .timeLimitWithSolution: return .solved
    case .infeasible, .infeasibleRelaxed: return .infeasible
    case .unbounded: return .unbounded
    case .timeLimitWithoutSolution: return .noSolution
    case .error: return .error
    }
  }
}

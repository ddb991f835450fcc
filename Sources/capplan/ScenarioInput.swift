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

  /// Parses and validates `text` (read once by the caller, so what is checked is what is stored).
  static func load(text: String, file: String) throws(CommandFailure) -> (ScenarioDocument, ValidScenario) {
    do {
      let document = try ScenarioLoader.parse(yaml: text, file: file)
      return (document, try ScenarioValidator.validate(document))
    } catch {
      throw CommandFailure(
        message: "\(file) is not a valid scenario:\n" + error.description, outcome: .invalidInput)
    }
  }

  static func validate(_ scenario: Scenario, file: String) throws(CommandFailure) -> ValidScenario {
    do {
      return try ScenarioValidator.validate(scenario, file: file)
    } catch {
      throw CommandFailure(message: error.description, outcome: .invalidInput)
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

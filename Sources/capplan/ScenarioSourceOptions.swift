import ArgumentParser
import CapacityModel

/// `--override` and `--case`: which variant of a scenario file a command reads. Shared by the
/// commands that take a scenario file (validate, solve, submit, schedule add, sweep).
struct ScenarioSourceOptions: ParsableArguments {
  @Option(
    name: .customLong("override"),
    help: ArgumentHelp(
      "A partial scenario merged onto the file (entries matched by id); repeat to apply several in order.",
      valueName: "file"))
  var overrides: [String] = []

  @Option(
    name: .customLong("case"),
    help: ArgumentHelp(
      "A case from the file's cases: section, applied before any --override.", valueName: "name"))
  var caseName: String?

  /// True when the file is read as written.
  var isPlain: Bool { overrides.isEmpty && caseName == nil }

  /// Reads `file` with the case and overrides applied, and validates the result.
  func load(_ file: String) throws(CommandFailure) -> LoadedScenario {
    do {
      let composed = try ScenarioComposer.load(file, overrides: overrides, caseName: caseName)
      return LoadedScenario(composed: composed, scenario: try ScenarioValidator.validate(composed.document))
    } catch {
      throw CommandFailure(
        message: "\(describe(file)) is not a valid scenario:\n" + error.description, outcome: .invalidInput)
    }
  }

  /// The file and what is applied to it, for messages.
  func describe(_ file: String) -> String {
    ([caseName.map { "\(file) case \($0)" } ?? file] + overrides).joined(separator: " + ")
  }
}

/// A scenario read for a command: the document (for lines in warnings), the valid scenario, and
/// the exact text a job stores (the file's own text, or the merged scenario as YAML).
struct LoadedScenario {
  var composed: ComposedScenario
  var scenario: ValidScenario

  var document: ScenarioDocument { composed.document }
  /// What a job stores and what its SHA-256 is taken of; parses back to `document`'s scenario.
  var text: String { composed.text }
  /// `base.yaml`, or `base.yaml case NAME + over.yaml`.
  var source: String { composed.source }
}

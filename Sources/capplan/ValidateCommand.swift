import ArgumentParser
import CapacityModel

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check scenario files and list every error, with file, line and field path.",
    discussion:
      "Exit status 0 when every file is valid, 2 otherwise. Infeasible is not invalid: use `solve` for that. "
      + "Warnings (limits that contradict each other in the data, money per MW that looks like the wrong unit, "
      + "a period whose years disagree with its id) are printed but leave a file valid unless --strict.")

  @Argument(help: "Scenario files (YAML or JSON).")
  var files: [String]

  @Flag(help: "Treat warnings as errors: a file with warnings is invalid.")
  var strict = false

  func run() throws {
    var invalid = 0
    for file in files {
      do {
        let document = try ScenarioLoader.load(contentsOf: file)
        let scenario = try ScenarioValidator.validate(document)
        let warnings = ScenarioWarnings.check(scenario, file: document.file, sourceMap: document.sourceMap)
        for w in warnings {
          var shown = w
          shown.message = (strict ? "error (--strict): " : "warning: ") + w.message
          print(shown.description)
        }
        if strict && !warnings.isEmpty {
          invalid += 1
        } else {
          print(
            "\(file): valid"
              + (warnings.isEmpty ? "" : " (\(warnings.count) warning\(warnings.count == 1 ? "" : "s"))"))
        }
      } catch {
        invalid += 1
        print(error.description)
      }
    }
    if invalid > 0 {
      printError("\(invalid) of \(files.count) file\(files.count == 1 ? "" : "s") invalid")
      throw Outcome.invalidInput.exitCode
    }
  }
}

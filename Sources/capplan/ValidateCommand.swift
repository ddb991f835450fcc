import ArgumentParser
import CapacityModel

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check scenario files and list every error, with file, line and field path.",
    discussion:
      "Exit status 0 when every file is valid, 2 otherwise. Infeasible is not invalid: use `solve` for that.")

  @Argument(help: "Scenario files (YAML or JSON).")
  var files: [String]

  func run() throws {
    var invalid = 0
    for file in files {
      do {
        let document = try ScenarioLoader.load(contentsOf: file)
        _ = try ScenarioValidator.validate(document)
        print("\(file): valid")
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

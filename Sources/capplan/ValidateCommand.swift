import ArgumentParser
import CapacityModel

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check scenario files and list every error, with file, line and field path.",
    discussion:
      "Exit status 0 when every file is valid, 2 otherwise. Infeasible is not invalid: use `solve` for that. "
      + "Warnings (limits that contradict each other in the data, money per MW that looks like the wrong unit, "
      + "a period whose years disagree with its id) are printed but leave a file valid unless --strict. "
      + "A file with a cases: section is checked as written and with each of its cases applied "
      + "(only the one named by --case, if given); --override files apply to every one of them.")

  @Argument(help: "Scenario files (YAML or JSON).")
  var files: [String]

  @OptionGroup var source: ScenarioSourceOptions

  @Flag(help: "Treat warnings as errors: a file with warnings is invalid.")
  var strict = false

  func run() throws {
    var checked = 0
    var invalid = 0
    for file in files {
      let (cases, casesError) = variants(of: file)
      for caseName in cases {
        checked += 1
        let casesProblem = caseName == nil ? casesError : nil
        if !check(file, caseName: caseName, casesError: casesProblem) { invalid += 1 }
      }
    }
    if invalid > 0 {
      let what = checked == files.count ? "file\(files.count == 1 ? "" : "s")" : "scenarios (files and cases)"
      printError("\(invalid) of \(checked) \(what) invalid")
      throw Outcome.invalidInput.exitCode
    }
  }

  /// The cases to check in `file`: the base (nil) and each of its cases, or only --case; and
  /// the errors of a cases section written wrongly (reported with the base).
  func variants(of file: String) -> (cases: [String?], casesError: ScenarioError?) {
    if let caseName = source.caseName { return ([caseName], nil) }
    // A file that cannot be read is reported when the base is checked.
    guard let text = try? ScenarioFile.read(file) else { return ([nil], nil) }
    do {
      return ([nil] + (try ScenarioComposer.caseNames(baseText: text, file: file)).map(Optional.some), nil)
    } catch {
      return ([nil], error)
    }
  }

  /// Prints the scenario's warnings and errors and whether it is valid; returns whether it is.
  func check(_ file: String, caseName: String?, casesError: ScenarioError?) -> Bool {
    var options = source
    options.caseName = caseName
    let name = options.describe(file)
    // Lines saying which case or overrides an error belongs to; a plain file reads as before.
    let labelled = !options.isPlain
    do {
      let composed = try ScenarioComposer.load(file, overrides: source.overrides, caseName: caseName)
      let scenario = try ScenarioValidator.validate(composed.document)
      let warnings = ScenarioWarnings.check(
        scenario, file: composed.document.file, sourceMap: composed.document.sourceMap)
      for w in warnings {
        var shown = w
        shown.message = (strict ? "error (--strict): " : "warning: ") + w.message
        print(shown.description)
      }
      if let casesError {
        print(casesError.description)
        print("\(name): invalid (its cases section)")
        return false
      }
      if strict && !warnings.isEmpty {
        if labelled { print("\(name): invalid (warnings with --strict)") }
        return false
      }
      let count = warnings.isEmpty ? "" : " (\(warnings.count) warning\(warnings.count == 1 ? "" : "s"))"
      print("\(name): valid" + count)
      return true
    } catch {
      print(error.description)
      // A base that does not read (a YAML syntax error) fails its cases check the same way;
      // each issue is printed once.
      let shown = error.issues
      let more = (casesError?.issues ?? []).filter { !shown.contains($0) }
      if !more.isEmpty { print(ScenarioError(issues: more).description) }
      if labelled { print("\(name): invalid") }
      return false
    }
  }
}

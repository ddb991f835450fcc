import CapacityModel
import Foundation
import JobQueue
import LinearProgramming

/// The upload form's fields as typed, and their checking: ``SubmissionRequest``'s, as `capplan
/// submit` and `POST /v1/jobs` check them (the fields and solve settings alone, the previous
/// plan looked up, the scenario composed with its case and validated, then the settings against
/// it). Field names in messages are the form's labels.
struct ConsoleSubmitForm: Equatable {
  var fileName = ""
  var caseName = ""
  var priority = "0"
  var maxAttempts = "3"
  var idempotencyKey = ""
  var previousPlan = ""
  var timeLimit = ""
  var gap = Limit.number(SolveSettings().relativeGap)
  var method = SolveSettings().method.rawValue
  var rounding = GLPKSettings().roundingHeuristic
  var feasibilityPump = GLPKSettings().feasibilityPump
  var proximitySearch = ""
  var objective = SolveSettings().objective.rawValue

  /// The largest scenario file the form takes.
  static let maxScenarioBytes = 16 << 20

  init() {}

  /// The fields of a submitted form; checkboxes are sent only when ticked.
  init(_ form: ConsoleForm) {
    fileName = form.files["scenario"]?.fileName ?? ""
    func text(_ f: SubmissionField) -> String? { form[f.parameterName] }
    caseName = text(.caseName) ?? ""
    priority = text(.priority) ?? priority
    maxAttempts = text(.maxAttempts) ?? maxAttempts
    idempotencyKey = text(.idempotencyKey) ?? ""
    previousPlan = text(.previousPlan) ?? ""
    timeLimit = text(.timeLimit) ?? ""
    gap = text(.gap) ?? gap
    method = text(.method) ?? method
    rounding = text(.rounding) != nil
    feasibilityPump = text(.feasibilityPump) != nil
    proximitySearch = text(.proximitySearch) ?? ""
    objective = text(.objective) ?? objective
  }

  /// What is wrong with a submission: the form's fields, or the scenario's issues (each with its
  /// file, field path and line).
  enum Problem: Error, Equatable {
    case fields([String])
    case scenario([ScenarioIssue])
  }

  /// A job ready for the store, or every problem found. `planExists` looks up a previous plan.
  func submission(scenario file: ConsoleForm.File?, planExists: (Int64) -> Bool) -> Result<
    JobSubmission, Problem
  > {
    guard let file, !file.data.isEmpty else { return .failure(.fields(["choose a scenario file to upload"])) }
    guard file.data.count <= Self.maxScenarioBytes else {
      return .failure(
        .fields(["the scenario file has \(file.data.count) bytes; the most is \(Self.maxScenarioBytes)"]))
    }
    var problems: [String] = []
    let fields = SubmissionRequest(reading: raw, .console, problems: &problems)
    if let id = fields.previousPlan, !planExists(id) {
      problems.append("\(SubmissionSpelling.console.name(.previousPlan)): no plan \(id)")
    }

    // The scenario, composed with its case as `capplan submit --case` does.
    let label = fileName.isEmpty ? "upload" : fileName
    guard let text = String(data: file.data, encoding: .utf8) else {
      return .failure(
        .scenario([ScenarioIssue(file: label, path: "", line: nil, message: "the file is not UTF-8 text")]))
    }
    let composed: ComposedScenario
    let valid: ValidScenario
    do {
      composed = try ScenarioComposer.compose(baseText: text, file: label, caseName: raw[.caseName])
      valid = try ScenarioValidator.validate(composed.document)
    } catch {
      return .failure(.scenario(error.issues))
    }
    if problems.isEmpty {
      do {
        try fields.settings.check(for: valid, naming: SubmissionSpelling.console.name)
      } catch {
        problems.append("\(label): \(error.message)")
      }
    }
    guard problems.isEmpty else { return .failure(.fields(problems)) }
    return .success(fields.submission(composed))
  }

  /// The fields as typed, trimmed; a blank one is left out (it keeps its default), and the
  /// checkboxes say true or false.
  var raw: [SubmissionField: String] {
    var raw: [SubmissionField: String] = [:]
    let texts: [(SubmissionField, String)] = [
      (.caseName, caseName), (.priority, priority), (.maxAttempts, maxAttempts),
      (.idempotencyKey, idempotencyKey), (.previousPlan, previousPlan), (.timeLimit, timeLimit), (.gap, gap),
      (.method, method), (.proximitySearch, proximitySearch), (.objective, objective),
    ]
    for (field, text) in texts {
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      if !trimmed.isEmpty { raw[field] = trimmed }
    }
    raw[.rounding] = "\(rounding)"
    raw[.feasibilityPump] = "\(feasibilityPump)"
    return raw
  }
}

import CapacityModel
import Foundation
import JobQueue
import LinearProgramming

/// The upload form's fields as typed, and their checking: the same checks, in the same order and
/// with the same messages, as `capplan submit` (the scenario composed with its case and
/// validated, the solve settings checked alone and then against the scenario, the previous plan
/// looked up). Field names in messages are the form's labels.
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
    caseName = form["case"] ?? ""
    priority = form["priority"] ?? priority
    maxAttempts = form["max_attempts"] ?? maxAttempts
    idempotencyKey = form["idempotency_key"] ?? ""
    previousPlan = form["previous_plan"] ?? ""
    timeLimit = form["time_limit"] ?? ""
    gap = form["gap"] ?? gap
    method = form["method"] ?? method
    rounding = form["rounding"] != nil
    feasibilityPump = form["feasibility_pump"] != nil
    proximitySearch = form["proximity_search"] ?? ""
    objective = form["objective"] ?? objective
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
    var problems: [String] = []
    guard let file, !file.data.isEmpty else { return .failure(.fields(["choose a scenario file to upload"])) }
    guard file.data.count <= Self.maxScenarioBytes else {
      return .failure(
        .fields(["the scenario file has \(file.data.count) bytes; the most is \(Self.maxScenarioBytes)"]))
    }
    func integer(_ text: String, _ label: String) -> Int? {
      let t = text.trimmingCharacters(in: .whitespaces)
      guard let v = Int(t) else {
        problems.append("\(label): '\(t)' is not a whole number")
        return nil
      }
      return v
    }
    func number(_ text: String, _ label: String) -> Double? {
      let t = text.trimmingCharacters(in: .whitespaces)
      if t.isEmpty { return nil }
      guard let v = Double(t), v.isFinite else {
        problems.append("\(label): '\(t)' is not a number")
        return nil
      }
      return v
    }
    let priority = integer(priority, "priority") ?? 0
    if !Limits.priority.contains(Double(priority)) {
      problems.append(Limits.priority.refusal(Double(priority), label: "priority"))
    }
    let maxAttempts = integer(maxAttempts, "max attempts") ?? 3
    if !Limits.maxAttempts.contains(Double(maxAttempts)) {
      problems.append(Limits.maxAttempts.refusal(Double(maxAttempts), label: "max attempts"))
    }
    var previous: Int64?
    let previousText = previousPlan.trimmingCharacters(in: .whitespaces)
    if !previousText.isEmpty {
      if let id = Int64(previousText), id > 0 {
        previous = id
        if !planExists(id) { problems.append("previous plan: no plan \(id)") }
      } else {
        problems.append("previous plan: '\(previousText)' is not a plan id")
      }
    }
    var settings = SolveSettings()
    settings.timeLimitSeconds = number(timeLimit, "time limit")
    settings.relativeGap = number(gap, "gap") ?? settings.relativeGap
    if let m = LPMethod(rawValue: method) {
      settings.method = m
    } else {
      problems.append(
        "method: '\(method)' is not one of \(LPMethod.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    if let o = SolveObjective(rawValue: objective) {
      settings.objective = o
    } else {
      problems.append("objective: '\(objective)' is not one of ebit, npv")
    }
    settings.glpk.roundingHeuristic = rounding
    settings.glpk.feasibilityPump = feasibilityPump
    settings.glpk.proximitySearchSeconds = number(proximitySearch, "proximity search")
    do {
      try settings.check(naming: Self.label)
    } catch {
      problems.append(error.message)
    }

    // The scenario, composed with its case as `capplan submit --case` does.
    let label = fileName.isEmpty ? "upload" : fileName
    guard let text = String(data: file.data, encoding: .utf8) else {
      return .failure(
        .scenario([ScenarioIssue(file: label, path: "", line: nil, message: "the file is not UTF-8 text")]))
    }
    let trimmedCase = caseName.trimmingCharacters(in: .whitespaces)
    let composed: ComposedScenario
    let valid: ValidScenario
    do {
      composed = try ScenarioComposer.compose(
        baseText: text, file: label, caseName: trimmedCase.isEmpty ? nil : trimmedCase)
      valid = try ScenarioValidator.validate(composed.document)
    } catch {
      return .failure(.scenario(error.issues))
    }
    if problems.isEmpty {
      do {
        try settings.check(for: valid, naming: Self.label)
      } catch {
        problems.append("\(label): \(error.message)")
      }
    }
    guard problems.isEmpty else { return .failure(.fields(problems)) }
    let key = idempotencyKey.trimmingCharacters(in: .whitespaces)
    return .success(
      JobSubmission(
        scenarioID: composed.document.scenario.id, source: composed.source, scenarioText: composed.text,
        options: JobOptions(settings: settings, previousPlanID: previous), priority: priority,
        idempotencyKey: key.isEmpty ? nil : key, maxAttempts: maxAttempts))
  }

  /// How the form labels a setting in a message.
  static func label(_ setting: SolveSettings.Setting) -> String {
    switch setting {
    case .timeLimit: "time limit"
    case .relativeGap: "gap"
    case .method: "method"
    case .proximitySearch: "proximity search"
    case .objective: "objective"
    }
  }
}

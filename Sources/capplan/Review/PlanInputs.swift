import CapacityModel
import Foundation
import JobQueue

/// The plans a review command reads: stored plan ids (`--db`) and plan files
/// (`--file`, the JSON `capplan solve --format json` prints), so a local solve
/// needs no queue to be diffed, compared or reported.
enum PlanInputs {
  /// Stored ids first, then files, each in the order given. The store is opened only when an
  /// id is given, so a review of files alone needs no database.
  static func load(
    ids: [Int64], files: [String], store: StoreOptions, withScenario: Bool = false
  ) throws(CommandFailure) -> [StoredPlan] {
    var plans: [StoredPlan] = []
    if !ids.isEmpty {
      let db = try store.openExisting()
      for id in ids { plans.append(try StoredPlan.load(id, from: db, withScenario: withScenario)) }
    }
    for file in files { plans.append(try loadFile(file)) }
    return plans
  }

  /// A plan file, with the scenario it was solved from when `scenarioFile` is given and is
  /// that scenario (a plan file keeps no hash, so the check is the scenario id).
  static func loadFile(_ path: String, scenarioFile: String? = nil) throws(CommandFailure) -> StoredPlan {
    let plan = try readPlan(path)
    var scenario: ValidScenario?
    var note: String? = "\(path) is a plan file; give --scenario-file for the scenario it was solved from"
    if let scenarioFile {
      let (_, valid) = try ScenarioInput.load(scenarioFile)
      guard valid.asWritten.id == plan.scenario else {
        throw CommandFailure(
          message:
            "--scenario-file \(scenarioFile) is scenario \(valid.asWritten.id), but the plan in \(path) was solved from scenario \(plan.scenario)",
          outcome: .invalidInput)
      }
      (scenario, note) = (valid, nil)
    }
    return StoredPlan(
      id: nil, plan: plan, summary: nil, file: path, scenario: scenario, scenarioNote: note)
  }

  /// Decodes a plan file, with an error that names the file and says what it holds instead.
  static func readPlan(_ path: String) throws(CommandFailure) -> Plan {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw CommandFailure(message: "--file \(path): no such file", outcome: .invalidInput)
    }
    if isFolder.boolValue {
      throw CommandFailure(
        message: "--file \(path) is a folder; give the plan's JSON file (from `capplan solve --format json`)",
        outcome: .invalidInput)
    }
    do {
      return try Plan.read(contentsOf: path)
    } catch let error as PlanFileError {
      throw CommandFailure(message: error.description + hint(path), outcome: .invalidInput)
    } catch {
      throw CommandFailure(message: "--file \(path): \(error)", outcome: .invalidInput)
    }
  }

  /// What a JSON file that is not a plan seems to be, when its shape tells.
  static func hint(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path) else { return "" }
    if data.isEmpty { return " (the file is empty)" }
    guard let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
      return " (the file is not complete JSON: cut short, or not JSON at all)"
    }
    if value is [Any] {
      return " (the file holds a JSON list, as `plans list --format json` prints, not one plan)"
    }
    guard let object = value as? [String: Any] else {
      return " (the file holds a single JSON value, not a plan)"
    }
    if object["diff"] != nil { return " (the file is a diff, from `plans diff --format json`)" }
    if object["rows"] != nil, object["plans"] != nil {
      return " (the file is a comparison, from `plans compare --format json`)"
    }
    if object["status"] == nil || object["solver"] == nil {
      return " (the file is JSON from another command: a plan has status, periods, allocations and solver)"
    }
    return ""
  }
}

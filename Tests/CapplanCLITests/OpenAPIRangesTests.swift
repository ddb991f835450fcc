import CapacityModel
import Foundation
import JobQueue
import LinearProgramming
import Testing
import Yams

@testable import capplan

/// The ranges and choices openapi.yaml promises are the ones the server enforces, read from
/// the same constants (schemathesis sends values just outside each documented range, and a
/// document that says less than the code, like a method enum without `race`, misleads clients).
@Suite struct OpenAPIRangesTests {
  let document: [String: Any]

  init() throws {
    let text = try String(
      contentsOf: CLI.packageRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
    document = try #require(try Yams.load(yaml: text) as? [String: Any])
  }

  func operation(_ path: String, _ method: String) throws -> [String: Any] {
    let paths = try #require(document["paths"] as? [String: Any])
    let item = try #require(paths[path] as? [String: Any], "\(path)")
    return try #require(item[method] as? [String: Any], "\(method) \(path)")
  }

  /// A query parameter's schema, following `$ref`s into components.
  func parameter(_ name: String, of path: String, _ method: String = "get") throws -> [String: Any] {
    let parameters = try #require(try operation(path, method)["parameters"] as? [[String: Any]])
    let components = try #require(
      (document["components"] as? [String: Any])?["parameters"] as? [String: Any])
    for entry in parameters {
      var resolved = entry
      if let ref = entry["$ref"] as? String {
        resolved = try #require(components[String(ref.split(separator: "/").last ?? "")] as? [String: Any])
      }
      if resolved["name"] as? String == name { return try #require(resolved["schema"] as? [String: Any]) }
    }
    Issue.record("\(method) \(path) has no parameter \(name)")
    return [:]
  }

  func schema(_ name: String) throws -> [String: Any] {
    let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
    return try #require(schemas[name] as? [String: Any], "\(name)")
  }

  static func number(_ any: Any?) -> Double? {
    if let i = any as? Int { return Double(i) }
    return any as? Double
  }

  func expectRange(_ schema: [String: Any], _ limit: Limit, _ what: String) {
    #expect(Self.number(schema["minimum"]) == limit.range.lowerBound, "\(what) minimum")
    #expect(Self.number(schema["maximum"]) == limit.range.upperBound, "\(what) maximum")
  }

  func expectChoices<T: RawRepresentable & CaseIterable>(
    _ schema: [String: Any], _ type: T.Type, _ what: String
  )
  where T.RawValue == String {
    let documented = schema["enum"] as? [String] ?? (schema["items"] as? [String: Any])?["enum"] as? [String]
    #expect(Set(documented ?? []) == Set(T.allCases.map(\.rawValue)), "\(what)")
  }

  @Test func submitParametersAreTheCLIRanges() throws {
    let submit = { (name: String) throws in try self.parameter(name, of: "/v1/jobs", "post") }
    expectRange(try submit("priority"), Limits.priority, "priority")
    expectRange(try submit("max_attempts"), Limits.maxAttempts, "max_attempts")
    expectRange(try submit("time_limit"), Limits.timeLimit, "time_limit")
    expectRange(try submit("gap"), Limits.relativeGap, "gap")
    expectChoices(try submit("method"), LPMethod.self, "method")
    expectChoices(try submit("objective"), SolveObjective.self, "objective")
    expectRange(try submit("proximity_search"), Limits.proximitySearch, "proximity_search")
    #expect(try submit("rounding")["type"] as? String == "boolean")
    #expect(try submit("feasibility_pump")["type"] as? String == "boolean")
    #expect(Self.number(try submit("case")["minLength"]) == 1)
    #expect(
      Self.number(try submit("Idempotency-Key")["maxLength"]) == Double(Limits.idempotencyKeyCharacters))
    // Every field a submission takes is a parameter (or the Idempotency-Key header).
    for field in SubmissionField.allCases {
      _ = try submit(SubmissionSpelling.api.name(field))
    }
  }

  @Test func scheduleSettingsAreTheCLIRanges() throws {
    let properties = try #require(try schema("ScheduleAddition")["properties"] as? [String: [String: Any]])
    expectRange(try #require(properties["time_limit"]), Limits.timeLimit, "schedule time_limit")
    expectRange(try #require(properties["gap"]), Limits.relativeGap, "schedule gap")
    expectChoices(try #require(properties["method"]), LPMethod.self, "schedule method")
    expectChoices(try #require(properties["objective"]), SolveObjective.self, "schedule objective")
    expectRange(
      try #require(properties["proximity_search"]), Limits.proximitySearch, "schedule proximity_search")
    #expect(properties["rounding"]?["type"] as? String == "boolean")
    #expect(properties["feasibility_pump"]?["type"] as? String == "boolean")
  }

  @Test func listAndReviewParametersAreTheServersChoices() throws {
    expectChoices(try parameter("state", of: "/v1/jobs"), JobState.self, "job state")
    let limit = try parameter("limit", of: "/v1/jobs")
    #expect(Self.number(limit["minimum"]) == 1 && Self.number(limit["maximum"]) == 1000)
    let ids = try parameter("ids", of: "/v1/plans/compare")
    #expect(Self.number(ids["minItems"]) == 2)
    #expect(Self.number(ids["maxItems"]) == Double(PlansCommand.Compare.most))
    expectChoices(
      try parameter("format", of: "/v1/plans/compare"), PlansCommand.Compare.CompareFormat.self,
      "compare format")
    expectChoices(
      try parameter("format", of: "/v1/plans/{id}/diff/{other}"), PlansCommand.Diff.DiffFormat.self,
      "diff format")
    expectChoices(
      try parameter("format", of: "/v1/plans/{id}/export"), PlanExport.Format.self, "export format")
    for name in ["schedule", "scenario", "status", "since"] {
      #expect(Self.number(try parameter(name, of: "/v1/plans")["minLength"]) == 1, "\(name)")
    }
  }
}

import CapacityModel
import Foundation
import HTTPTypes
import Hummingbird
import JobQueue
import LinearProgramming

/// `/v1/jobs`: submit, list, show, cancel and retry, as `capplan submit` and `capplan jobs` do.
enum JobRoutes: RouteGroupProvider {
  static func addRoutes(to router: Router<APIRequestContext>, server: APIServer) {
    let v1 = server.apiGroup(router)

    v1.post("jobs") { request, context in
      try context.requireRole(.submit)
      let body = try await request.body.collect(upTo: context.maxUploadSize)
      let request = try SubmitRequest(request, body: String(decoding: body.readableBytesView, as: UTF8.self))
      let (job, created) = try await server.store { db throws in try request.submit(to: db) }
      var response = try APIJSON.response(job, status: created ? .created : .ok)
      response.headers[.location] = "/v1/jobs/\(job.id)"
      return response
    }

    v1.get("jobs") { request, context in
      try context.requireRole(.read)
      let query = QueryParameters(request)
      var states: [JobState] = []
      for text in query.all("state") {
        guard let state = JobState(rawValue: text) else {
          throw APIProblem.badRequest(
            "state '\(text)' is not one of: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        states.append(state)
      }
      let filter = JobFilter(states: states.isEmpty ? nil : states, limit: try query.limit(default: 50))
      return try APIJSON.response(try await server.store { db throws in try db.jobs(filter) })
    }

    v1.get("jobs/:id") { _, context in
      try context.requireRole(.read)
      let id = try context.parameters.id("id", what: "job")
      return try APIJSON.response(try await server.store { db throws in try db.job(id) })
    }

    v1.post("jobs/:id/cancel") { _, context in
      try context.requireRole(.submit)
      let id = try context.parameters.id("id", what: "job")
      return try APIJSON.response(try await server.store { db throws in try db.cancel(id, now: Date()) })
    }

    v1.post("jobs/:id/retry") { _, context in
      try context.requireRole(.submit)
      let id = try context.parameters.id("id", what: "job")
      return try APIJSON.response(try await server.store { db throws in try db.retry(id, now: Date()) })
    }
  }
}

/// `POST /v1/jobs`: the scenario (YAML or JSON) in the body, the rest as in
/// `capplan submit`: query parameters priority, max_attempts, time_limit, gap,
/// method, objective, previous_plan and case, and the Idempotency-Key header.
/// Checked as the CLI checks them, with the CLI's messages.
struct SubmitRequest: Sendable {
  let loaded: LoadedScenario
  let settings: SolveSettings
  let priority: Int
  let maxAttempts: Int
  let previousPlan: Int64?
  let idempotencyKey: String?

  /// What issues name as the file.
  static let label = "request body"

  init(_ request: Request, body: String) throws(APIProblem) {
    let query = QueryParameters(request)
    priority = try query.int("priority") ?? 0
    guard Limits.priority.contains(Double(priority)) else {
      throw APIProblem.badRequest(Limits.priority.refusal(Double(priority), label: "priority"))
    }
    maxAttempts = try query.int("max_attempts") ?? 3
    guard Limits.maxAttempts.contains(Double(maxAttempts)) else {
      throw APIProblem.badRequest(Limits.maxAttempts.refusal(Double(maxAttempts), label: "max_attempts"))
    }
    previousPlan = try query.id("previous_plan")
    idempotencyKey = request.headers.first { $0.name.canonicalName == "idempotency-key" }.map(\.value).flatMap
    { $0.isEmpty ? nil : $0 }
    if let key = idempotencyKey, key.count > 200 {
      throw APIProblem.badRequest("the Idempotency-Key is at most 200 characters (this one has \(key.count))")
    }
    var settings = SolveSettings()
    settings.timeLimitSeconds = try query.double("time_limit")
    if let gap = try query.double("gap") { settings.relativeGap = gap }
    if let method = try query.choice("method", LPMethod.self) { settings.method = method }
    if let objective = try query.choice("objective", SolveObjective.self) { settings.objective = objective }
    do {
      try settings.check(naming: Self.parameter)
    } catch {
      throw APIProblem.badRequest(error.message)
    }
    self.settings = settings
    loaded = try Self.scenario(body, caseName: query.string("case"))
    do {
      try settings.check(for: loaded.scenario, naming: Self.parameter)
    } catch {
      throw APIProblem.badRequest("\(loaded.source): \(error.message)")
    }
  }

  /// The body as a scenario, validated; every issue comes back with its field path and line.
  static func scenario(_ text: String, caseName: String?) throws(APIProblem) -> LoadedScenario {
    guard !text.isEmpty else {
      throw APIProblem(
        status: .unprocessableContent, title: "Invalid Scenario",
        detail: "the request body is empty; send the scenario file (YAML or JSON) as the body")
    }
    do {
      let composed = try ScenarioComposer.compose(baseText: text, file: label, caseName: caseName)
      return LoadedScenario(composed: composed, scenario: try ScenarioValidator.validate(composed.document))
    } catch {
      let source = caseName.map { "\(label) case \($0)" } ?? label
      throw APIProblem(
        status: .unprocessableContent, title: "Invalid Scenario",
        detail: "\(source) is not a valid scenario:\n" + error.description,
        errors: error.issues.map { .init(path: $0.path, line: $0.line, message: $0.message) })
    }
  }

  static func parameter(_ setting: SolveSettings.Setting) -> String {
    switch setting {
    case .timeLimit: "time_limit"
    case .relativeGap: "gap"
    case .method: "method"
    case .proximitySearch: "proximity_search"
    case .objective: "objective"
    }
  }

  func submit(to db: any PlanDatabase) throws(StoreError) -> (job: Job, created: Bool) {
    if let previousPlan { _ = try db.planSummary(previousPlan) }
    let submission = JobSubmission(
      scenarioID: loaded.document.scenario.id, source: loaded.source, scenarioText: loaded.text,
      options: JobOptions(settings: settings, previousPlanID: previousPlan),
      priority: priority, idempotencyKey: idempotencyKey, maxAttempts: maxAttempts)
    return try db.submit(submission, now: Date())
  }
}

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
        do throws(FieldText.Refusal) {
          states.append(try FieldText.choice("state", text, JobState.self))
        } catch {
          throw APIProblem.badRequest(error.message)
        }
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

/// `POST /v1/jobs`: the scenario (YAML or JSON) in the body, the rest as in `capplan submit`:
/// query parameters priority, max_attempts, previous_plan, case, time_limit, gap, method,
/// rounding, feasibility_pump, proximity_search and objective, and the Idempotency-Key header.
/// Checked by ``SubmissionRequest``, as the CLI and the console check them, with the same
/// messages naming the parameters.
struct SubmitRequest: Sendable {
  let loaded: LoadedScenario
  let fields: SubmissionRequest

  /// What issues name as the file.
  static let label = "request body"

  /// Each field's query parameter (the idempotency key comes as a header).
  static let queryFields: [SubmissionField] = SubmissionField.allCases.filter { $0 != .idempotencyKey }

  init(_ request: Request, body: String) throws(APIProblem) {
    let query = QueryParameters(request)
    var raw: [SubmissionField: String] = [:]
    for field in Self.queryFields {
      raw[field] = try query.string(SubmissionSpelling.api.name(field))
    }
    raw[.idempotencyKey] = request.headers.first { $0.name.canonicalName == "idempotency-key" }.map(\.value)
      .flatMap { $0.isEmpty ? nil : $0 }
    do {
      fields = try SubmissionRequest.checked(reading: raw, .api)
    } catch {
      throw APIProblem.badRequest(error.description)
    }
    loaded = try Self.scenario(body, caseName: fields.caseName)
    do {
      try fields.settings.check(for: loaded.scenario, naming: SubmissionSpelling.api.name)
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

  func submit(to db: any PlanDatabase) throws(StoreError) -> (job: Job, created: Bool) {
    if let previousPlan = fields.previousPlan { _ = try db.planSummary(previousPlan) }
    return try db.submit(fields.submission(loaded.composed), now: Date())
  }
}

import CapacityModel
import Foundation
import Hummingbird
import JobQueue
import LinearProgramming

/// `/v1/schedules`: list and show for `read`; add, pause, resume, remove and
/// run-now for `admin`, as `capplan schedule` does them.
enum ScheduleRoutes: RouteGroupProvider {
  /// The body of `POST /v1/schedules`, the fields of `capplan schedule add`.
  struct Addition: Decodable, Sendable {
    var name: String
    var scenarioPath: String
    var cron: String?
    var every: String?
    var timeZone: String?
    var skipUnchanged: Bool?
    var caseName: String?
    var overrides: [String]?
    var timeLimit: Double?
    var gap: Double?
    var method: LPMethod?
    var rounding: Bool?
    var feasibilityPump: Bool?
    var proximitySearch: Double?
    var objective: SolveObjective?

    enum CodingKeys: String, CodingKey {
      case name, cron, every, overrides, gap, method, objective, rounding
      case scenarioPath = "scenario_path", timeZone = "time_zone", skipUnchanged = "skip_unchanged"
      case caseName = "case", timeLimit = "time_limit", feasibilityPump = "feasibility_pump"
      case proximitySearch = "proximity_search"
    }

    /// The solve settings, as `POST /v1/jobs` and `capplan schedule add` read them.
    var settings: SolveSettings {
      SolveSettings.with(
        timeLimit: timeLimit, gap: gap, method: method, rounding: rounding, feasibilityPump: feasibilityPump,
        proximitySearch: proximitySearch, objective: objective)
    }

    func definition() throws(CommandFailure) -> ScheduleDefinition {
      let settings = settings
      do {
        try settings.check(naming: SubmissionSpelling.api.name)
      } catch {
        throw CommandFailure(message: error.message, outcome: .invalidInput)
      }
      var source = ScenarioSourceOptions()
      source.overrides = overrides ?? []
      source.caseName = caseName
      return try ScheduleAddition.definition(
        name: name, file: scenarioPath, source: source, cron: cron, every: every, timeZone: timeZone ?? "UTC",
        skipUnchanged: skipUnchanged ?? false, settings: settings, option: { $0 == "tz" ? "time_zone" : $0 }
      ) { (scenario: ValidScenario, file: String) throws(CommandFailure) in
        try Self.check(settings, for: scenario, file: file)
      }
    }

    static func check(_ settings: SolveSettings, for scenario: ValidScenario, file: String)
      throws(CommandFailure)
    {
      do {
        try settings.check(for: scenario, naming: SubmissionSpelling.api.name)
      } catch {
        throw CommandFailure(message: "\(file): \(error.message)", outcome: .invalidInput)
      }
    }
  }

  /// What run-now answers: the job it queued, or why none.
  struct Fired: Codable, Sendable {
    var schedule: String
    var jobID: Int64?
    var note: String?
    enum CodingKeys: String, CodingKey { case schedule, jobID = "job_id", note }
  }

  static func addRoutes(to router: Router<APIRequestContext>, server: APIServer) {
    let v1 = server.apiGroup(router)

    v1.get("schedules") { _, context in
      try context.requireRole(.read)
      return try APIJSON.response(try await server.store { db throws in try db.schedules() })
    }

    v1.get("schedules/:name") { _, context in
      try context.requireRole(.read)
      let name = context.parameters.get("name") ?? ""
      return try APIJSON.response(try await server.store { db throws in try db.schedule(named: name) })
    }

    v1.post("schedules") { request, context in
      try context.requireRole(.admin)
      let body = try await request.body.collect(upTo: context.maxUploadSize)
      let addition: Addition
      do {
        addition = try JSONDecoder().decode(Addition.self, from: Data(body.readableBytesView))
      } catch {
        throw APIProblem.badRequest(
          "the body is not a schedule (JSON with name, scenario_path, cron or every): \(Self.describe(error))"
        )
      }
      let schedule = try await server.store { db throws in
        try db.addSchedule(try addition.definition(), now: Date())
      }
      var response = try APIJSON.response(schedule, status: .created)
      response.headers[.location] = "/v1/schedules/\(schedule.name)"
      return response
    }

    v1.post("schedules/:name/pause") { _, context in
      try context.requireRole(.admin)
      let name = context.parameters.get("name") ?? ""
      return try APIJSON.response(
        try await server.store { db throws in try db.setPaused(name, true, now: Date()) })
    }

    v1.post("schedules/:name/resume") { _, context in
      try context.requireRole(.admin)
      let name = context.parameters.get("name") ?? ""
      return try APIJSON.response(
        try await server.store { db throws in try db.setPaused(name, false, now: Date()) })
    }

    v1.post("schedules/:name/run") { _, context in
      try context.requireRole(.admin)
      let name = context.parameters.get("name") ?? ""
      let fire = try await server.store { db throws in try Scheduler(store: db).fireNow(name) }
      return try APIJSON.response(Fired(schedule: fire.schedule, jobID: fire.jobID, note: fire.note))
    }

    v1.delete("schedules/:name") { _, context in
      try context.requireRole(.admin)
      let name = context.parameters.get("name") ?? ""
      try await server.store { db throws in try db.removeSchedule(name) }
      return Response(status: .noContent)
    }
  }

  /// A decoding error in words: which field and why, not Swift's dump of the coding path.
  static func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "'\(key.stringValue)' is missing"
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c),
      DecodingError.dataCorrupted(let c):
      let path = c.codingPath.map(\.stringValue).joined(separator: ".")
      return (path.isEmpty ? "" : "\(path): ") + c.debugDescription
    default: return "\(error)"
    }
  }
}

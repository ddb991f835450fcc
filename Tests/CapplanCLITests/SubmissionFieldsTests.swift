import ArgumentParser
import CapacityModel
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import LinearProgramming
import SQLiteBackend
import Testing

@testable import capplan

/// One submission, checked once: `capplan submit`, `POST /v1/jobs` and the console's upload
/// form refuse the same value with the same range text, each naming the field its own way, and
/// the API takes the CLI's MIP settings.
@Suite struct SubmissionFieldsTests {
  static let seedPath = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path

  /// A store with a token of each role, and the API over it.
  final class API: Sendable {
    let db: String
    let store: SQLiteStore
    let secrets: [APIRole: String]

    init() throws {
      let dir = try CLI.temporaryDirectory()
      db = dir.appendingPathComponent("fields.sqlite").path
      store = try SQLiteStore(path: db)
      var secrets: [APIRole: String] = [:]
      for role in [APIRole.submit, .admin] {
        let secret = APITokenSecret.generate()
        _ = try store.createToken(
          name: role.rawValue, role: role, secretSHA256: APITokenSecret.hash(secret), now: Date())
        secrets[role] = secret
      }
      self.secrets = secrets
    }

    var application: some ApplicationProtocol {
      Application(
        router: APIServer(
          store: store, threads: StoreThreads(threads: 2), maxBodyBytes: 1 << 20,
          tokenCacheLifetime: .seconds(60)
        ).makeRouter())
    }

    func headers(_ role: APIRole, _ extra: HTTPFields = [:]) -> HTTPFields {
      var fields: HTTPFields = [.authorization: "Bearer \(secrets[role] ?? "")"]
      fields.append(contentsOf: extra)
      return fields
    }
  }

  struct BadValue: Sendable, CustomStringConvertible {
    var field: SubmissionField
    var value: String
    var limit: Limit
    var description: String { "\(field) \(value)" }
  }

  static let badValues: [BadValue] = [
    BadValue(field: .maxAttempts, value: "0", limit: Limits.maxAttempts),
    BadValue(field: .priority, value: "2000000", limit: Limits.priority),
    BadValue(field: .gap, value: "-1", limit: Limits.relativeGap),
    BadValue(field: .timeLimit, value: "1e21", limit: Limits.timeLimit),
    BadValue(field: .proximitySearch, value: "0", limit: Limits.proximitySearch),
  ]

  /// The refusal each front end must give: its name for the field, then the range text.
  static func refusal(_ bad: BadValue, _ spelling: SubmissionSpelling) -> String {
    "\(spelling.name(bad.field)) \(Limit.number(Double(bad.value) ?? .nan)) is out of range: \(bad.limit.accepted)"
  }

  @Test(arguments: badValues)
  func theSameBadValueGetsTheSameRangeTextEverywhere(_ bad: BadValue) async throws {
    let api = try API()
    // The command line.
    // `--gap=-1`: written as one argument, a negative value is not read as a flag.
    let cli = try CLI.run([
      "submit", Self.seedPath, "\(SubmissionSpelling.commandLine.name(bad.field))=\(bad.value)", "--db",
      api.db,
    ])
    #expect(cli.status != 0)
    #expect(cli.stderr.contains(Self.refusal(bad, .commandLine)), "\(cli.stderr)")
    // The API.
    let parameter = SubmissionSpelling.api.name(bad.field)
    try await api.application.test(.router) { client in
      let r = try await client.execute(
        uri: "/v1/jobs?\(parameter)=\(bad.value)", method: .post, headers: api.headers(.submit),
        body: ByteBuffer(string: HTTPAPITests.seedText))
      #expect(r.status == .badRequest)
      let problem = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]
      #expect(problem?["detail"] as? String == Self.refusal(bad, .api), "\(String(buffer: r.body))")
    }
    // The console's upload form.
    var form = ConsoleSubmitForm()
    switch bad.field {
    case .maxAttempts: form.maxAttempts = bad.value
    case .priority: form.priority = bad.value
    case .gap: form.gap = bad.value
    case .timeLimit: form.timeLimit = bad.value
    case .proximitySearch: form.proximitySearch = bad.value
    default: Issue.record("no form field for \(bad.field)")
    }
    let result = form.submission(scenario: try ConsoleFormTests.seed, planExists: { _ in true })
    guard case .failure(let problem) = result else {
      Issue.record("the console queued \(bad)")
      return
    }
    #expect(problem == .fields([Self.refusal(bad, .console)]), "\(problem)")
    // Nothing was queued by any of them.
    #expect(try api.store.jobs(JobFilter(limit: 10)).isEmpty)
  }

  @Test func spellingsNameEachFieldAsItsFrontEndWritesIt() {
    #expect(SubmissionSpelling.commandLine.name(.maxAttempts) == "--max-attempts")
    #expect(SubmissionSpelling.api.name(.maxAttempts) == "max_attempts")
    #expect(SubmissionSpelling.console.name(.maxAttempts) == "max attempts")
    #expect(SubmissionSpelling.commandLine.name(.feasibilityPump) == "--feasibility-pump")
    #expect(SubmissionSpelling.api.name(.idempotencyKey) == "Idempotency-Key")
    #expect(SubmissionSpelling.commandLine.name(.caseName) == "--case")
    #expect(SubmissionSpelling.api.name(SubmissionField.proximitySearch) == "proximity_search")
    // The API's query parameters are the console form's field names.
    let form = ConsoleSubmitForm()
    #expect(Set(form.raw.keys).isSubset(of: Set(SubmissionField.allCases)))
  }

  @Test func aJobSubmittedThroughTheAPIKeepsItsMIPSettings() async throws {
    let api = try API()
    try await api.application.test(.router) { client in
      let r = try await client.execute(
        uri: "/v1/jobs?rounding=false&feasibility_pump=true&proximity_search=7.5&method=dual&max_attempts=5",
        method: .post, headers: api.headers(.submit), body: ByteBuffer(string: HTTPAPITests.seedText))
      #expect(r.status == .created, "\(String(buffer: r.body))")
      let answer = try #require(
        try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
      let id = try #require(answer["id"] as? Int)
      // The answer shows them as docs/http-api.md says.
      let glpk = (answer["options"] as? [String: Any])?["glpk"] as? [String: Any]
      #expect(glpk?["rounding_heuristic"] as? Bool == false && glpk?["feasibility_pump"] as? Bool == true)
      #expect(glpk?["proximity_search_seconds"] as? Double == 7.5)
      // Read back from the store, not from the answer.
      let job = try api.store.job(Int64(id))
      #expect(job.options.settings.glpk.roundingHeuristic == false)
      #expect(job.options.settings.glpk.feasibilityPump == true)
      #expect(job.options.settings.glpk.proximitySearchSeconds == 7.5)
      #expect(job.options.settings.method == .dualSimplex)
      #expect(job.maxAttempts == 5)
      #expect(job.options.settings.differencesFromDefaults.contains("no rounding, feasibility pump"))

      // Without them, the defaults: rounding on, no pump, no proximity search.
      let plain = try await client.execute(
        uri: "/v1/jobs", method: .post, headers: api.headers(.submit),
        body: ByteBuffer(string: HTTPAPITests.seedText))
      let plainID = try #require(
        (try JSONSerialization.jsonObject(with: Data(buffer: plain.body)) as? [String: Any])?["id"] as? Int)
      #expect(try api.store.job(Int64(plainID)).options.settings == SolveSettings())

      // A value that is no boolean is refused by name.
      let bad = try await client.execute(
        uri: "/v1/jobs?rounding=maybe", method: .post, headers: api.headers(.submit),
        body: ByteBuffer(string: HTTPAPITests.seedText))
      #expect(bad.status == .badRequest)
      #expect(String(buffer: bad.body).contains("rounding 'maybe' is not true or false"))

      // A schedule takes the same settings in its JSON body.
      let schedule = """
        {"name": "mip", "scenario_path": "\(Self.seedPath)", "every": "1d", "rounding": false,
         "feasibility_pump": true, "proximity_search": 3}
        """
      let added = try await client.execute(
        uri: "/v1/schedules", method: .post, headers: api.headers(.admin), body: ByteBuffer(string: schedule))
      #expect(added.status == .created, "\(String(buffer: added.body))")
      let stored = try api.store.schedule(named: "mip").options.settings.glpk
      #expect(!stored.roundingHeuristic && stored.feasibilityPump && stored.proximitySearchSeconds == 3)
      let zero = schedule.replacingOccurrences(of: "\"mip\"", with: "\"zero\"")
        .replacingOccurrences(of: "\"proximity_search\": 3", with: "\"proximity_search\": 0")
      let refused = try await client.execute(
        uri: "/v1/schedules", method: .post, headers: api.headers(.admin), body: ByteBuffer(string: zero))
      #expect(
        String(buffer: refused.body).contains(
          "proximity_search 0 is out of range: \(Limits.proximitySearch.accepted)"),
        "\(String(buffer: refused.body))")
    }
  }

  @Test func aKeyOf201CharactersIsRefusedByTheCLITheAPIAndTheStores() async throws {
    let api = try API()
    let long = String(repeating: "k", count: Limits.idempotencyKeyCharacters + 1)
    let cli = try CLI.run(["submit", Self.seedPath, "--idempotency-key", long, "--db", api.db])
    #expect(cli.status != 0)
    #expect(cli.stderr.contains("--idempotency-key has 201 characters: give at most 200"), "\(cli.stderr)")
    try await api.application.test(.router) { client in
      let r = try await client.execute(
        uri: "/v1/jobs", method: .post,
        headers: api.headers(.submit, [HTTPField.Name("Idempotency-Key")!: long]),
        body: ByteBuffer(string: HTTPAPITests.seedText))
      #expect(r.status == .badRequest)
      #expect(String(buffer: r.body).contains("Idempotency-Key has 201 characters: give at most 200"))
    }
    var form = ConsoleSubmitForm()
    form.idempotencyKey = long
    let result = form.submission(scenario: try ConsoleFormTests.seed, planExists: { _ in true })
    guard case .failure(let problem) = result else {
      Issue.record("the console queued a 201-character key")
      return
    }
    #expect(problem == .fields(["idempotency key has 201 characters: give at most 200"]), "\(problem)")
    // The store refuses it whoever submits, and takes 200.
    let text = HTTPAPITests.seedText
    #expect(throws: StoreError(.invalid, "idempotency key has 201 characters: give at most 200")) {
      try api.store.submit(
        JobSubmission(scenarioID: "s", source: "s", scenarioText: text, idempotencyKey: long), now: Date())
    }
    let (job, created) = try api.store.submit(
      JobSubmission(
        scenarioID: "s", source: "s", scenarioText: text, idempotencyKey: String(long.dropLast())),
      now: Date())
    #expect(created && job.idempotencyKey?.count == 200)
    #expect(try api.store.jobs(JobFilter(limit: 10)).count == 1)
  }

  @Test func methodHelpListsEveryMethod() {
    let help = SubmitCommand.helpMessage(columns: 2000)
    for method in LPMethod.allCases {
      #expect(help.contains(method.helpSummary), "\(method.rawValue) missing from --method's help")
    }
  }
}

/// The console's job page and `capplan jobs show` render the same rows.
@Suite struct JobDetailRowsTests {
  static func job() -> Job {
    let created = Date(timeIntervalSince1970: 1_800_000_000)
    return Job(
      id: 7, state: .running, scenarioID: "seed", source: "seed.yaml", scenarioSHA256: "abc",
      options: JobOptions(
        settings: SolveSettings.with(method: .dualSimplex, rounding: false), memoryLimitMB: 512,
        previousPlanID: 3),
      priority: 4, idempotencyKey: "key-1", attempt: 1, failures: 0, maxAttempts: 3, runAfter: created,
      leaseOwner: "w1", leaseExpiresAt: created.addingTimeInterval(60), cancelRequested: false,
      lastError: nil,
      planID: nil, scheduleID: nil, createdAt: created, startedAt: created.addingTimeInterval(1),
      finishedAt: nil,
      progress: JobProgress(
        reportedAt: created.addingTimeInterval(5), elapsedSeconds: 4, objective: "ebit", method: "dual"))
  }

  @Test func theConsoleJobPageShowsEveryRowOfJobsShowWithTheLPMethod() {
    let j = Self.job()
    let now = Date(timeIntervalSince1970: 1_800_000_010)
    let page = ConsoleQueuePages.job(j, viewer: ConsoleEscapingTests.viewer, now: now)
    let table = JobTables.detail(j, now: now).text
    let rows =
      JobDetailRow.rows(j, now: now) + JobDetailRow.progressRows(j.progress!, running: true, now: now)
    for row in rows {
      #expect(page.contains("<td>\(html(row.label))</td>"), "console misses \(row.label)")
      #expect(table.contains(row.label), "jobs show misses \(row.label)")
    }
    #expect(page.contains("<td>LP method</td><td>dual (no plan until the LP ends)</td>"), "\(page)")
    #expect(page.contains("<td>method</td><td>dual</td>"))
    #expect(page.contains("<td>solve settings</td><td>method dual, no rounding</td>"))
    #expect(page.contains("<td>memory limit</td><td>512 MB</td>"))
    #expect(page.contains("<a href=\"\(ConsolePaths.plan(3))\">3</a>"), "the previous plan is linked")
    #expect(table.contains("method dual, no rounding") && table.contains("512 MB"))
  }
}

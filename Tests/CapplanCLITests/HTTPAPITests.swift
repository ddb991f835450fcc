import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import SQLiteBackend
import Testing

@testable import capplan

/// The API in process, through Hummingbird's router test client: every route
/// with no token, a role too low and the right one; escaping; the OpenAPI
/// document against the router.
@Suite struct HTTPAPITests {
  /// A store with one solved plan of the seed model (plan 1, job 1), a second queued job,
  /// a schedule, and a token of each role.
  final class Fixture: Sendable {
    let dir: URL
    let db: String
    let store: SQLiteStore
    let secrets: [APIRole: String]

    init() throws {
      dir = try CLI.temporaryDirectory()
      db = dir.appendingPathComponent("api.sqlite").path
      let seed = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path
      #expect(try CLI.run(["submit", seed, "--db", db]).status == 0)
      #expect(try CLI.run(["worker", "--once", "--db", db]).status == 0)
      #expect(
        try CLI.run(["schedule", "add", "nightly", seed, "--cron", "0 2 * * *", "--db", db]).status == 0)
      store = try SQLiteStore(path: db)
      var secrets: [APIRole: String] = [:]
      for role in APIRole.allCases {
        let secret = APITokenSecret.generate()
        _ = try store.createToken(
          name: "\(role.rawValue) <script>\"'", role: role, secretSHA256: APITokenSecret.hash(secret),
          now: Date())
        secrets[role] = secret
      }
      self.secrets = secrets
    }

    func server(tokenCacheLifetime: Duration = APIServer.defaultTokenCacheLifetime) -> APIServer {
      APIServer(
        store: store, threads: StoreThreads(threads: 2), maxBodyBytes: 1 << 20,
        tokenCacheLifetime: tokenCacheLifetime)
    }
    func headers(_ role: APIRole?) -> HTTPFields {
      guard let role, let secret = secrets[role] else { return [:] }
      return [.authorization: "Bearer \(secret)"]
    }
  }

  struct Case: Sendable, CustomStringConvertible {
    var method: HTTPRequest.Method
    var uri: String
    /// The route as the router names it, to check the table covers them all.
    var route: String
    var role: APIRole
    var body: String? = nil
    var description: String { "\(method) \(uri)" }
  }

  static let seedText: String = {
    (try? String(
      contentsOf: CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml"), encoding: .utf8))
      ?? ""
  }()

  /// Every /v1 route, with a request that succeeds for its role. Order matters where a
  /// route changes what a later one sees (pause before resume, remove last).
  static let cases: [Case] = [
    Case(method: .get, uri: "/v1/jobs?state=succeeded&limit=5", route: "/v1/jobs", role: .read),
    Case(
      method: .post, uri: "/v1/jobs?priority=1&gap=0.001", route: "/v1/jobs", role: .submit, body: seedText),
    Case(method: .get, uri: "/v1/jobs/1", route: "/v1/jobs/{id}", role: .read),
    Case(method: .post, uri: "/v1/jobs/2/cancel", route: "/v1/jobs/{id}/cancel", role: .submit),
    Case(method: .post, uri: "/v1/jobs/2/retry", route: "/v1/jobs/{id}/retry", role: .submit),
    Case(method: .get, uri: "/v1/plans?limit=5", route: "/v1/plans", role: .read),
    Case(method: .get, uri: "/v1/plans/compare?ids=1,1&format=json", route: "/v1/plans/compare", role: .read),
    Case(method: .get, uri: "/v1/plans/1", route: "/v1/plans/{id}", role: .read),
    Case(method: .get, uri: "/v1/plans/1/diff/1", route: "/v1/plans/{id}/diff/{other}", role: .read),
    Case(method: .get, uri: "/v1/plans/1/export?format=csv", route: "/v1/plans/{id}/export", role: .read),
    Case(method: .get, uri: "/v1/plans/1/report", route: "/v1/plans/{id}/report", role: .read),
    Case(method: .get, uri: "/v1/schedules", route: "/v1/schedules", role: .read),
    Case(method: .get, uri: "/v1/schedules/nightly", route: "/v1/schedules/{name}", role: .read),
    Case(
      method: .post, uri: "/v1/schedules", route: "/v1/schedules", role: .admin,
      body: #"{"name": "weekly", "scenario_path": "SEED", "every": "7d"}"#),
    Case(
      method: .post, uri: "/v1/schedules/nightly/pause", route: "/v1/schedules/{name}/pause", role: .admin),
    Case(
      method: .post, uri: "/v1/schedules/nightly/resume", route: "/v1/schedules/{name}/resume", role: .admin),
    Case(method: .post, uri: "/v1/schedules/nightly/run", route: "/v1/schedules/{name}/run", role: .admin),
    Case(method: .delete, uri: "/v1/schedules/weekly", route: "/v1/schedules/{name}", role: .admin),
  ]

  @Test func everyRouteRefusesNoTokenAndATooLowRoleAndServesTheRightOne() async throws {
    let fixture = try Fixture()
    let server = fixture.server()
    let app = Application(router: server.makeRouter())
    let seed = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path
    // Every /v1 route of the router is in the table.
    let routed = Set(
      server.routeTable().filter { $0.path.hasPrefix("/v1") }.map { "\($0.method) \($0.path)" })
    #expect(routed == Set(Self.cases.map { "\($0.method) \($0.route)" }))
    try await app.test(.router) { client in
      for c in Self.cases {
        let body = c.body.map { ByteBuffer(string: $0.replacingOccurrences(of: "SEED", with: seed)) }
        let none = try await client.execute(uri: c.uri, method: c.method, body: body)
        #expect(none.status == .unauthorized, "\(c) without a token")
        #expect(none.headers[.contentType] == "application/problem+json")
        let bad = try await client.execute(
          uri: c.uri, method: c.method, headers: [.authorization: "Bearer cpl_not-a-token"], body: body)
        #expect(bad.status == .unauthorized, "\(c) with a wrong token")
        if let lower = APIRole.allCases.last(where: { $0 < c.role }) {
          let low = try await client.execute(
            uri: c.uri, method: c.method, headers: fixture.headers(lower), body: body)
          #expect(low.status == .forbidden, "\(c) as \(lower)")
        }
        let ok = try await client.execute(
          uri: c.uri, method: c.method, headers: fixture.headers(c.role), body: body)
        #expect((200..<300).contains(Int(ok.status.code)), "\(c) as \(c.role): \(String(buffer: ok.body))")
      }
    }
  }

  @Test func aRevokedTokenIsRefusedAndHealthNeedsNone() async throws {
    let fixture = try Fixture()
    // A server trusts an accepted secret for its cache's lifetime (docs/http-api.md): one
    // with a minute's cache still takes the revoked token; one with 0.3 s refuses it after.
    let slow = Application(router: fixture.server(tokenCacheLifetime: .seconds(60)).makeRouter())
    let app = Application(router: fixture.server(tokenCacheLifetime: .milliseconds(300)).makeRouter())
    try await slow.test(.router) { slowClient in
      try await app.test(.router) { client in
        #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
        let ok = try await client.execute(uri: "/v1/jobs", method: .get, headers: fixture.headers(.read))
        #expect(ok.status == .ok)
        let cachedOK = try await slowClient.execute(
          uri: "/v1/jobs", method: .get, headers: fixture.headers(.read))
        #expect(cachedOK.status == .ok)
        let readID = try fixture.store.tokens().first { $0.role == .read }?.id ?? 0
        _ = try fixture.store.revokeToken(readID, now: Date())
        let cached = try await slowClient.execute(
          uri: "/v1/jobs", method: .get, headers: fixture.headers(.read))
        #expect(cached.status == .ok, "within the cache's lifetime")
        try await Task.sleep(for: .milliseconds(400))
        let revoked = try await client.execute(uri: "/v1/jobs", method: .get, headers: fixture.headers(.read))
        #expect(revoked.status == .unauthorized)
        #expect(String(buffer: revoked.body).contains("the API token was revoked"))
        let wrongMethod = try await client.execute(
          uri: "/v1/jobs/1", method: .put, headers: fixture.headers(.admin))
        #expect(wrongMethod.status == .methodNotAllowed)
        #expect(wrongMethod.headers[.allow] == "GET")
      }
    }
  }

  /// An empty value is refused by name, not read as "no filter" or "the default"
  /// (schemathesis found `?state=` answered 200 with every job, then `diff?top=`).
  @Test func emptyParameterValuesAreRefusedByName() async throws {
    let fixture = try Fixture()
    let app = Application(router: fixture.server().makeRouter())
    try await app.test(.router) { client in
      let cases: [(uri: String, parameter: String)] = [
        ("/v1/jobs?state=", "state"), ("/v1/jobs?state=queued,", "state"),
        ("/v1/plans/compare?ids=1,,2", "ids"), ("/v1/plans/2/diff/1?top=", "top"),
        ("/v1/jobs?limit=", "limit"), ("/v1/plans?scenario=", "scenario"),
        ("/v1/plans?since=", "since"), ("/v1/plans/1/export?format=", "format"),
      ]
      for (uri, parameter) in cases {
        let r = try await client.execute(uri: uri, method: .get, headers: fixture.headers(.read))
        let body = String(buffer: r.body)
        #expect(r.status == .badRequest, "\(uri): \(body)")
        #expect(body.contains(parameter), "\(uri): \(body)")
      }
      // A parameter the document does not give the route is a typo, refused by name.
      let typo = try await client.execute(
        uri: "/v1/jobs?time_limt=600", method: .post, headers: fixture.headers(.submit),
        body: ByteBuffer(string: Self.seedText))
      #expect(typo.status == .badRequest)
      #expect(String(buffer: typo.body).contains("unknown query parameter 'time_limt'; POST /v1/jobs takes:"))
      #expect(String(buffer: typo.body).contains("time_limit"))
      let none = try await client.execute(
        uri: "/v1/jobs/1?x=1", method: .get, headers: fixture.headers(.read))
      #expect(String(buffer: none.body).contains("GET /v1/jobs/{id} takes no query parameters"))
      // The document's ranges hold: schemathesis sends values just outside them.
      for (uri, parameter) in [
        ("/v1/jobs?priority=1000001", "priority"), ("/v1/jobs?max_attempts=0", "max_attempts"),
        ("/v1/jobs?priority=", "priority"), ("/v1/jobs?gap=-0.5", "gap"),
      ] {
        let r = try await client.execute(
          uri: uri, method: .post, headers: fixture.headers(.submit), body: ByteBuffer(string: Self.seedText))
        let body = String(buffer: r.body)
        #expect(r.status == .badRequest, "\(uri): \(body)")
        #expect(body.contains(parameter), "\(uri): \(body)")
      }
      let ok = try await client.execute(
        uri: "/v1/jobs?state=queued,running", method: .get, headers: fixture.headers(.read))
      #expect(ok.status == .ok)
    }
  }

  /// HEAD is answered wherever GET is, with the GET's status and headers and no body.
  @Test func headIsAnsweredAsGetWithoutABody() async throws {
    let fixture = try Fixture()
    let app = Application(router: HeadAsGet(router: fixture.server().makeRouter()))
    try await app.test(.router) { client in
      for (uri, role, status) in [
        ("/healthz", nil, HTTPResponse.Status.ok), ("/v1/jobs", .read, .ok), ("/v1/plans/1", .read, .ok),
        ("/v1/jobs", nil, .unauthorized), ("/v1/plans/999", .read, .notFound), ("/nowhere", nil, .notFound),
      ] as [(String, APIRole?, HTTPResponse.Status)] {
        let r = try await client.execute(uri: uri, method: .head, headers: fixture.headers(role))
        #expect(r.status == status, "HEAD \(uri)")
        #expect(r.body.readableBytes == 0, "HEAD \(uri): \(String(buffer: r.body))")
        let get = try await client.execute(uri: uri, method: .get, headers: fixture.headers(role))
        #expect(get.status == status && r.headers[.contentType] == get.headers[.contentType], "GET \(uri)")
      }
    }
  }

  /// User-written text (ids, names) comes back intact in JSON, never as markup.
  @Test func hostileScenarioIDsComeBackIntactAndInvalidScenariosListEveryError() async throws {
    let fixture = try Fixture()
    let app = Application(router: fixture.server().makeRouter())
    let hostile = #"<script>alert("x")</script>'"#
    let text = Self.seedText.replacingOccurrences(
      of: "scenario: seed-bedrock-deal",
      with: "scenario: '\(hostile.replacingOccurrences(of: "'", with: "''"))'")
    #expect(text != Self.seedText)
    try await app.test(.router) { client in
      // Scenario ids refuse markup; the refusal quotes it back intact, as JSON text.
      let refused = try await client.execute(
        uri: "/v1/jobs", method: .post, headers: fixture.headers(.submit), body: ByteBuffer(string: text))
      #expect(refused.status == .unprocessableContent)
      let refusal = try JSONSerialization.jsonObject(with: Data(buffer: refused.body)) as? [String: Any]
      #expect((refusal?["detail"] as? String)?.contains(hostile) == true, "\(String(buffer: refused.body))")
      // An idempotency key is free text: it comes back exactly as sent.
      var headers = fixture.headers(.submit)
      headers[HTTPField.Name("Idempotency-Key")!] = hostile
      let created = try await client.execute(
        uri: "/v1/jobs", method: .post, headers: headers, body: ByteBuffer(string: Self.seedText))
      #expect(created.status == .created, "\(String(buffer: created.body))")
      let job = try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: Any]
      #expect(job?["idempotency_key"] as? String == hostile)
      let again = try await client.execute(
        uri: "/v1/jobs", method: .post, headers: headers, body: ByteBuffer(string: Self.seedText))
      #expect(again.status == .ok)
      // Token names with markup and quotes are stored as written.
      #expect(try fixture.store.tokens().allSatisfy { $0.name.hasSuffix(" <script>\"'") })
      // A scenario with two errors: both come back, with their paths and lines.
      let broken = Self.seedText.replacingOccurrences(of: "periods:", with: "periodz:")
      let invalid = try await client.execute(
        uri: "/v1/jobs", method: .post, headers: fixture.headers(.submit),
        body: ByteBuffer(string: broken + "\nbogus: 1\n"))
      #expect(invalid.status == .unprocessableContent)
      let problem = try JSONSerialization.jsonObject(with: Data(buffer: invalid.body)) as? [String: Any]
      let errors = problem?["errors"] as? [[String: Any]] ?? []
      let paths = Set(errors.compactMap { $0["path"] as? String })
      #expect(paths.isSuperset(of: ["periodz", "bogus", "periods"]), "\(errors)")
      #expect(errors.allSatisfy { $0["line"] is Int })
      #expect((problem?["detail"] as? String)?.hasPrefix("request body is not a valid scenario:") == true)
    }
  }

  /// Every route the router serves is in openapi.yaml and the reverse; the served
  /// document is the committed file byte for byte.
  @Test func openAPIDocumentMatchesTheRouterAndTheCommittedFile() async throws {
    let fixture = try Fixture()
    let committed = try String(
      contentsOf: CLI.packageRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
    #expect(committed == OpenAPIDocument.yaml, "run make openapi after editing openapi.yaml")
    var documented: Set<String> = []
    var path: String?
    for line in committed.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
      if line.hasPrefix("components:") { path = nil }
      if let path,
        let method = ["get", "post", "put", "delete", "patch"].first(where: { line == "    \($0):" })
      {
        documented.insert("\(method.uppercased()) \(path)")
      }
    }
    // The console's HTML pages (and the favicon browsers ask for) are not API:
    // docs/console.md describes them.
    let routed = Set(
      fixture.server().routeTable().map { route in
        "\(route.method) \(route.path)"
      }
      .filter { !$0.contains(" /console") && !$0.hasSuffix(" /favicon.ico") })
    #expect(routed.contains("GET /metrics"))
    #expect(routed == documented)
    let app = Application(router: fixture.server().makeRouter())
    try await app.test(.router) { client in
      let served = try await client.execute(uri: "/openapi.yaml", method: .get)
      #expect(String(buffer: served.body) == committed)
    }
  }
}

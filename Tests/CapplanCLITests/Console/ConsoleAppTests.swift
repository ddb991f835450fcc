import CapacityModel
import Foundation
import JobQueue
import SQLiteBackend
import Synchronization
import Testing

@testable import capplan

/// The console as a browser uses it, without a network: sign-in, sessions, CSRF, the role of
/// every action, and submitting by upload, over a real SQLite store.
@Suite struct ConsoleAppTests {
  /// Tokens by secret; revocable.
  final class Tokens: ConsoleTokenDirectory {
    let table = Mutex<[String: (ConsoleIdentity, revoked: Bool)]>([
      "cpl_read": (ConsoleIdentity(tokenID: "1", name: "reader", role: .read), false),
      "cpl_submit": (ConsoleIdentity(tokenID: "2", name: "submitter", role: .submit), false),
      "cpl_admin": (ConsoleIdentity(tokenID: "3", name: "administrator", role: .admin), false),
    ])
    func identity(secret: String) async -> ConsoleIdentity? {
      table.withLock { $0[secret].flatMap { $0.revoked ? nil : $0.0 } }
    }
    func identity(tokenID: String) async -> ConsoleIdentity? {
      table.withLock { t in t.values.first { $0.0.tokenID == tokenID && !$0.revoked }?.0 }
    }
    func revoke(_ secret: String) { table.withLock { $0[secret]?.revoked = true } }
  }

  /// Keeps the cookie between requests, as a browser does.
  struct Browser {
    let app: ConsoleApp
    var cookie: String?

    mutating func send(
      _ method: String, _ target: String, body: Data = Data(), contentType: String? = nil
    ) async -> ConsoleResponse {
      let parts = target.split(separator: "?", maxSplits: 1)
      var headers: [String: String] = [:]
      if let cookie { headers["cookie"] = "\(ConsoleCookie.name)=\(cookie)" }
      if let contentType { headers["content-type"] = contentType }
      let response = await app.handle(
        ConsoleRequest(
          method: method, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : "",
          headers: headers, body: body))
      if let set = response.headers["Set-Cookie"] {
        let value = set.split(separator: ";")[0].dropFirst(ConsoleCookie.name.count + 1)
        cookie = set.contains("Max-Age=0") ? nil : String(value)
      }
      return response
    }

    mutating func get(_ target: String) async -> ConsoleResponse { await send("GET", target) }

    mutating func post(_ target: String, _ fields: [(String, String)]) async -> ConsoleResponse {
      let body = fields.map {
        "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
      }
      .joined(separator: "&")
      return await send(
        "POST", target, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    /// Signs in through the form; returns the CSRF token of the signed-in session.
    mutating func signIn(_ secret: String) async throws -> String {
      let page = await get(ConsolePaths.signIn)
      let signedIn = await post(
        ConsolePaths.signIn, [("csrf", try ConsoleAppTests.csrf(in: page.body)), ("token", secret)])
      #expect(signedIn.status == 303, "\(signedIn.body)")
      return try ConsoleAppTests.csrf(in: await get(ConsolePaths.submit).body)
    }
  }

  static func csrf(in page: String) throws -> String {
    let match = try #require(page.firstMatch(of: /name="csrf" value="([^"]+)"/), "no CSRF field in the page")
    return String(match.output.1)
  }

  let tokens = Tokens()
  let store: SQLiteStore
  let app: ConsoleApp

  init() throws {
    let dir = try CLI.temporaryDirectory()
    store = try SQLiteStore(path: dir.appendingPathComponent("console.sqlite").path)
    app = ConsoleApp(
      store: store, tokens: tokens, keys: ConsoleSessionKeys(secret: Data(repeating: 1, count: 32)),
      threads: StoreThreads(threads: 2))
  }

  func seedText() throws -> String {
    try String(
      contentsOf: CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml"), encoding: .utf8)
  }

  /// A job of the seed scenario, solved in-process and stored with its plan.
  func solvedPlan(key: String) throws -> Int64 {
    let text = try seedText()
    let (job, _) = try store.submit(
      JobSubmission(
        scenarioID: "seed-bedrock-deal", source: "seed.yaml", scenarioText: text, idempotencyKey: key),
      now: Date())
    let lease = try #require(try store.claim(owner: "test", leaseSeconds: 60, now: Date()))
    #expect(lease.jobID == job.id)
    let plan = try Planner.plan(
      try ScenarioValidator.validate(try ScenarioLoader.parse(yaml: text, file: "seed.yaml")))
    return try #require(try store.complete(lease, plan: plan, now: Date()))
  }

  @Test func withoutASessionEveryPageGoesToSignIn() async {
    var browser = Browser(app: app)
    for path in ["/console", "/console/jobs?state=failed", "/console/plans/1", "/console/schedules"] {
      let r = await browser.get(path)
      #expect(r.status == 303)
      let next = path.addingPercentEncoding(
        withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~")))
      #expect(r.headers["Location"] == "/console/sign-in?next=\(next ?? "")", "\(path)")
    }
    let post = await browser.post("/console/jobs/1/cancel", [("csrf", "x")])
    #expect(post.status == 303 && post.headers["Location"]?.hasPrefix("/console/sign-in") == true)
  }

  @Test func signingInSetsASessionCookieAndComesBack() async throws {
    var browser = Browser(app: app)
    let page = await browser.get("/console/sign-in?next=%2Fconsole%2Fschedules")
    #expect(page.status == 200)
    let cookie = try #require(page.headers["Set-Cookie"])
    #expect(
      cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"))
    let pageSession = browser.cookie
    let csrf = try Self.csrf(in: page.body)
    // Without the page's CSRF token: refused.
    var stranger = Browser(app: app, cookie: browser.cookie)
    #expect(await stranger.post("/console/sign-in", [("token", "cpl_admin")]).status == 403)
    // A wrong token: 401, the form again.
    let wrong = await browser.post("/console/sign-in", [("csrf", csrf), ("token", "cpl_nope")])
    #expect(wrong.status == 401 && wrong.body.contains("not valid"))
    let ok = await browser.post(
      "/console/sign-in", [("csrf", csrf), ("token", "cpl_admin"), ("next", "/console/schedules")])
    #expect(ok.status == 303 && ok.headers["Location"] == "/console/schedules")
    #expect(browser.cookie != nil && browser.cookie != pageSession, "a new session after signing in")
    #expect(browser.cookie?.contains("cpl_admin") == false, "the secret is not in the cookie")
    let payload = try ConsoleSessionTests.payload(ofCookie: try #require(browser.cookie))
    #expect(
      payload.contains("\"tid\"") && !payload.contains("cpl_admin"), "nor in its decoded payload: \(payload)")
    let schedules = await browser.get("/console/schedules")
    #expect(schedules.status == 200 && schedules.body.contains("administrator (admin)"))
    // An open redirect is not followed.
    var other = Browser(app: app)
    let csrf2 = try Self.csrf(in: await other.get("/console/sign-in").body)
    let away = await other.post(
      "/console/sign-in", [("csrf", csrf2), ("token", "cpl_read"), ("next", "https://evil.example/")])
    #expect(away.headers["Location"] == "/console")
  }

  @Test func everyActionChecksItsRoleAndCSRF() async throws {
    // Jobs to act on: queued ones to cancel, and a schedule to pause.
    for key in ["a", "b", "c", "d"] {
      _ = try store.submit(
        JobSubmission(scenarioID: "s", source: "s.yaml", scenarioText: try seedText(), idempotencyKey: key),
        now: Date())
    }
    let dir = try CLI.temporaryDirectory()
    let path = dir.appendingPathComponent("seed.yaml").path
    try seedText().write(toFile: path, atomically: true, encoding: .utf8)
    _ = try store.addSchedule(
      ScheduleDefinition(name: "weekly", scenarioPath: path, cron: "0 6 * * 1"), now: Date())

    var reader = Browser(app: app)
    var submitter = Browser(app: app)
    var admin = Browser(app: app)
    let readCSRF = try await reader.signIn("cpl_read")
    let submitCSRF = try await submitter.signIn("cpl_submit")
    let adminCSRF = try await admin.signIn("cpl_admin")

    // (who, action, expected status)
    let cases: [(String, String, Int)] = [
      ("read", "/console/jobs/1/cancel", 403), ("submit", "/console/jobs/1/cancel", 303),
      ("admin", "/console/jobs/2/cancel", 303),
      ("read", "/console/jobs/1/retry", 403), ("submit", "/console/jobs/1/retry", 303),
      ("read", "/console/schedules/weekly/pause", 403), ("submit", "/console/schedules/weekly/pause", 403),
      ("admin", "/console/schedules/weekly/pause", 303), ("admin", "/console/schedules/weekly/resume", 303),
      ("admin", "/console/schedules/weekly/run-now", 303), ("read", "/console/submit", 403),
    ]
    for (who, action, expected) in cases {
      let r: ConsoleResponse
      switch who {
      case "read": r = await reader.post(action, [("csrf", readCSRF)])
      case "submit": r = await submitter.post(action, [("csrf", submitCSRF)])
      default: r = await admin.post(action, [("csrf", adminCSRF)])
      }
      #expect(r.status == expected, "\(who) \(action): \(r.status)")
      if expected == 403 { #expect(r.body.contains("Not allowed")) }
    }
    #expect(try store.job(1).state == .queued, "cancelled, then retried")
    #expect(try store.job(2).state == .cancelled)
    #expect(try store.schedule(named: "weekly").paused == false)
    #expect(try store.jobs(JobFilter()).contains { $0.scheduleID != nil }, "run-now made a job")

    // Another session's CSRF token, or none: refused, nothing done.
    for fields in [[("csrf", readCSRF)], [("csrf", "")], []] as [[(String, String)]] {
      let r = await admin.post("/console/jobs/3/cancel", fields)
      #expect(r.status == 403 && r.body.contains("Form expired"))
    }
    #expect(try store.job(3).state == .queued)
    // Every page answers a reader.
    for page in [
      "/console", "/console/jobs", "/console/jobs/1", "/console/schedules", "/console/plans",
      "/console/submit",
    ] {
      let r = await reader.get(page)
      #expect(r.status == 200, "\(page): \(r.status)")
      #expect(r.headers["Content-Security-Policy"]?.contains("default-src 'none'") == true)
    }
    #expect(await reader.get("/console/jobs/999").status == 404)
    #expect(await reader.get("/console/nowhere").status == 404)
  }

  @Test func signingOutOrRevokingTheTokenEndsTheSession() async throws {
    var browser = Browser(app: app)
    let csrf = try await browser.signIn("cpl_submit")
    let copied = browser.cookie
    let out = await browser.post("/console/sign-out", [("csrf", csrf)])
    #expect(out.status == 303 && browser.cookie == nil)
    var replay = Browser(app: app, cookie: copied)
    #expect(await replay.get("/console").status == 303, "a copy of the signed-out cookie")

    var other = Browser(app: app)
    _ = try await other.signIn("cpl_read")
    #expect(await other.get("/console").status == 200)
    tokens.revoke("cpl_read")
    #expect(await other.get("/console").status == 303, "revoked token")
  }

  @Test func submittingByUploadQueuesTheJobOrListsEveryError() async throws {
    var browser = Browser(app: app)
    let csrf = try await browser.signIn("cpl_submit")
    let boundary = "----capplanTest"
    func upload(_ text: String, name: String) async -> ConsoleResponse {
      let body = ConsoleFormTests.multipart(
        boundary: boundary, fields: [("csrf", csrf), ("gap", "0.001"), ("priority", "4"), ("rounding", "1")],
        file: ("scenario", name, Data(text.utf8)))
      return await browser.send(
        "POST", "/console/submit", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
    let queued = await upload(try seedText(), name: "seed-bedrock-deal.yaml")
    #expect(queued.status == 303, "\(queued.body)")
    #expect(queued.headers["Location"] == "/console/jobs/1?notice=queued")
    let job = try store.job(1)
    #expect(
      job.scenarioID == "seed-bedrock-deal" && job.priority == 4 && job.options.settings.relativeGap == 0.001)
    #expect(job.source == "seed-bedrock-deal.yaml")
    let page = await browser.get("/console/jobs/1?notice=queued")
    #expect(page.body.contains("Scenario queued."))
    let overview = await browser.get("/console")
    #expect(
      overview.body.contains("?state=queued\">1</a>"), "the queued count, from the store's grouped count")
    #expect(overview.body.contains("?state=succeeded\">0</a>"))

    let bad = try seedText().replacingOccurrences(of: "opex_per_mw_year: 6.5", with: "opex_per_mw_year: -6.5")
      .replacingOccurrences(of: "life_years: 5", with: "life_years: five")
    let refused = await upload(bad, name: "bad <b>.yaml")
    #expect(refused.status == 422)
    #expect(refused.body.contains("is not a valid scenario (2 errors)"), "\(refused.body)")
    #expect(refused.body.contains("bad &lt;b&gt;.yaml") && !refused.body.contains("<b>"))
    #expect(try store.jobs(JobFilter()).count == 1, "nothing queued")
  }

  @Test func planPagesShowTheReport() async throws {
    let first = try solvedPlan(key: "one")
    let second = try solvedPlan(key: "two")
    var browser = Browser(app: app)
    _ = try await browser.signIn("cpl_read")
    let list = await browser.get("/console/plans?scenario=seed-bedrock-deal")
    #expect(list.status == 200 && list.body.contains("href=\"/console/plans/\(first)\""))
    let none = await browser.get("/console/plans?scenario=other")
    #expect(none.body.contains("No plan matches."))
    #expect(await browser.get("/console/plans?since=yesterday").status == 400)
    #expect(await browser.get("/console/plans?schedule=nope").status == 400)
    let plan = await browser.get("/console/plans/\(second)?compare=\(first)")
    #expect(plan.status == 200)
    #expect(plan.body.contains("<div class=\"label\">EBIT</div><div class=\"value\">7.5</div>"))
    #expect(plan.body.contains("What changed since plan \(first)"))
    let alone = await browser.get("/console/plans/\(second)/report")
    #expect(alone.body.hasPrefix("<!DOCTYPE html>") && !alone.body.contains("nav class=\"console\""))
    let compare = await browser.get("/console/compare?plan=\(first)&plan=\(second)")
    #expect(compare.status == 200 && compare.body.contains("Comparison of 2 plans"))
    #expect(await browser.get("/console/compare?plan=\(first)").status == 400)
    #expect(await browser.get("/console/plans/999").status == 404)
  }
}

import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `GET /metrics` of a real `capplan serve --http` process, and `capplan healthcheck` against it.
@Suite struct MetricsRouteTests {
  /// Starts `serve --http ADDRESS --no-worker --no-scheduler` and returns it with its base URL.
  static func serve(_ fixture: QueueFixture, address: String, extra: [String] = []) throws -> (
    Background, String
  ) {
    let server = try Background(
      ["serve", "--db", fixture.db, "--http", address, "--no-worker", "--no-scheduler"] + extra,
      log: fixture.dir.appendingPathComponent("serve-\(UUID().uuidString.prefix(4)).log"))
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      if let line = server.output.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
        return (server, String(line.dropFirst("listening on ".count)))
      }
      if !server.process.isRunning { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    Issue.record("the server did not start: \(server.output)")
    throw CancellationError()
  }

  static func get(_ url: String, token: String? = nil) async throws -> (Int, String, String) {
    var request = URLRequest(url: try #require(URL(string: url)))
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = try #require(response as? HTTPURLResponse)
    return (
      http.statusCode, String(decoding: data, as: UTF8.self),
      http.value(forHTTPHeaderField: "Content-Type") ?? ""
    )
  }

  @Test func loopbackServesMetricsWithoutAToken() async throws {
    let fixture = try QueueFixture()
    for _ in 0..<2 { _ = try fixture.submit() }
    let (server, base) = try Self.serve(fixture, address: "127.0.0.1:0")
    defer { server.signal(SIGKILL) }
    let (status, body, type) = try await Self.get(base + "/metrics")
    #expect(status == 200, "\(body)")
    #expect(type.hasPrefix("text/plain; version=0.0.4"), "\(type)")
    let scrape = try PrometheusText(body)
    #expect(scrape.value("capplan_jobs", ["state": "queued"]) == 2)
    #expect(scrape.value("capplan_store_up") == 1)
    #expect(scrape.value("capplan_jobs_submitted_total", ["backend": "sqlite", "outcome": "created"]) == 0)

    // The health check the deploy files use: 0 on /healthz, 1 with the reason elsewhere.
    let healthy = try CLI.run(["healthcheck", base + "/healthz"])
    #expect(healthy.status == 0 && healthy.stderr.isEmpty, "\(healthy.stderr)")
    let missing = try CLI.run(["healthcheck", base + "/no-such-page"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("404"), "\(missing.stderr)")
  }

  /// A serving process's own counters: its worker's claims, completions and solve seconds.
  @Test func theServingProcessCountsItsWorkersJobs() async throws {
    let fixture = try QueueFixture()
    let ids = try (0..<2).map { _ in try fixture.submit() }
    let server = try Background(
      ["serve", "--db", fixture.db, "--http", "127.0.0.1:0", "--poll", "0.1", "--log-format", "json"],
      log: fixture.dir.appendingPathComponent("serve.log"))
    defer { server.signal(SIGKILL) }
    #expect(try fixture.until(120) { try ids.allSatisfy { try fixture.store.job($0).state == .succeeded } })
    let line = try #require(server.output.split(separator: "\n").first { $0.hasPrefix("listening on ") })
    let (status, body, _) = try await Self.get(line.dropFirst("listening on ".count) + "/metrics")
    #expect(status == 200)
    let scrape = try PrometheusText(body)
    #expect(scrape.value("capplan_jobs_claimed_total", ["backend": "sqlite"]) == 2, "\(body)")
    let plan = try fixture.store.plan(try #require(try fixture.store.job(ids[0]).planID))
    #expect(scrape.value("capplan_jobs_completed_total", ["status": plan.status.rawValue]) == 2)
    #expect(scrape.value("capplan_solve_seconds_count", ["outcome": "exited"]) == 2)
    #expect(scrape.value("capplan_jobs", ["state": "succeeded"]) == 2)
    // The log lines (all but the listening line, which is plain stderr) are JSON objects.
    let logLines = server.output.split(separator: "\n").filter { !$0.hasPrefix("listening on ") }
    #expect(!logLines.isEmpty, "serve logs at info: at least its start")
    for logLine in logLines {
      #expect((try? CLI.json(String(logLine)))?["level"] is String, "\(logLine)")
    }
  }

  /// Reachable from other machines, /metrics needs a token with the read role.
  @Test func otherAddressesNeedAReadToken() async throws {
    let fixture = try QueueFixture()
    let created = try CLI.run([
      "tokens", "create", "--name", "prometheus", "--role", "read", "--db", fixture.db,
    ])
    #expect(created.status == 0, "\(created.stderr)")
    let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let (server, base) = try Self.serve(fixture, address: "0.0.0.0:0")
    defer { server.signal(SIGKILL) }
    let local = base.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")
    #expect(try await Self.get(local + "/metrics").0 == 401)
    #expect(try await Self.get(local + "/metrics", token: "wrong").0 == 401)
    let (status, body, _) = try await Self.get(local + "/metrics", token: token)
    #expect(status == 200)
    #expect(try PrometheusText(body).value("capplan_jobs", ["state": "queued"]) == 0)
  }

  @Test func theHealthCheckSaysWhyItFailed() throws {
    // A port nothing listens on: bound and closed at once, so it is free.
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    close(fd)
    let port = UInt16(bigEndian: address.sin_port)
    let refused = try CLI.run(["healthcheck", "http://127.0.0.1:\(port)/healthz", "--timeout", "2"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("cannot connect"), "\(refused.stderr)")
    let https = try CLI.run(["healthcheck", "https://127.0.0.1/healthz"])
    #expect(https.status != 0 && https.stderr.contains("only http://"), "\(https.stderr)")
  }
}

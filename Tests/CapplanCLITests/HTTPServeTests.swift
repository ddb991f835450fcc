import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `capplan serve --http` as a real process: a job submitted over HTTP is
/// solved by the process's worker, and its plan's EBIT is the one `capplan solve` finds.
@Suite struct HTTPServeTests {
  func request(_ url: String, method: String = "GET", token: String?, body: Data? = nil) throws -> (Int, Data)
  {
    let r = try HTTPTestClient.request(url, method: method, token: token, body: body)
    return (r.status, Data(r.body.utf8))
  }

  @Test func aJobSubmittedOverHTTPIsSolvedAndItsPlanMatchesSolve() throws {
    let dir = try CLI.temporaryDirectory()
    let db = dir.appendingPathComponent("serve.sqlite").path
    let seed = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml")
    let token = try CLI.run(["tokens", "create", "--name", "ci", "--role", "submit", "--db", db]).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(token.hasPrefix("cpl_"))
    let serve = try Background(
      ["serve", "--http", "127.0.0.1:0", "--no-scheduler", "--max-body-mb", "16", "--db", db],
      log: dir.appendingPathComponent("serve.log"))
    defer {
      serve.signal(SIGTERM)
      serve.wait(seconds: 30)
    }
    let url = try HTTPTestClient.address(of: serve)
    #expect(try request(url + "/healthz", token: nil).0 == 200)
    #expect(try request(url + "/readyz", token: nil).0 == 200)

    let (status, body) = try request(
      url + "/v1/jobs", method: "POST", token: token, body: try Data(contentsOf: seed))
    #expect(status == 201, "\(String(decoding: body, as: UTF8.self))")
    let id = try #require(try CLI.json(String(decoding: body, as: UTF8.self))["id"] as? Int)
    var job: [String: Any] = [:]
    for _ in 0..<600 {
      job = try CLI.json(String(decoding: try request(url + "/v1/jobs/\(id)", token: token).1, as: UTF8.self))
      if job["state"] as? String == "succeeded" || job["state"] as? String == "failed" { break }
      Thread.sleep(forTimeInterval: 0.1)
    }
    #expect(job["state"] as? String == "succeeded", "\(job) \(serve.output)")
    let planID = try #require(job["plan_id"] as? Int)
    let plan = try CLI.json(
      String(decoding: try request(url + "/v1/plans/\(planID)", token: token).1, as: UTF8.self))
    let solved = try CLI.json(try CLI.run(["solve", seed.path, "--format", "json"]).stdout)
    let ebit = (plan["totals"] as? [String: Any])?["ebit"] as? Double
    let expected = (solved["totals"] as? [String: Any])?["ebit"] as? Double
    #expect(ebit != nil && ebit == expected, "plan \(plan.keys.sorted())")
    // The seed's worked check: $7.5M EBIT.
    #expect(abs((ebit ?? 0) - 7.5) < 1e-9)

    // A 100 MB body is refused with 413 and the server goes on serving.
    let huge = Data(repeating: UInt8(ascii: "a"), count: 100 << 20)
    #expect(try request(url + "/v1/jobs", method: "POST", token: token, body: huge).0 == 413)
    #expect(try request(url + "/healthz", token: nil).0 == 200)
    #expect(try request(url + "/v1/jobs/\(id)", token: token).0 == 200)
  }
}

/// `serve`'s HTTP options refuse values out of range before anything starts.
@Suite struct ServeHTTPOptionTests {
  @Test(arguments: [
    (["--token-cache=-1"], "--token-cache -1 is out of range: give 0 to 60 s"),
    (["--token-cache", "nan"], "--token-cache nan is out of range: give 0 to 60 s"),
    (["--token-cache", "61"], "--token-cache 61 is out of range: give 0 to 60 s"),
    (["--max-body-mb", "0"], "--max-body-mb 0 is out of range"),
  ])
  func outOfRangeOptionsAreRefused(_ options: [String], _ message: String) throws {
    let db = try CLI.temporaryDirectory().appendingPathComponent("q.sqlite").path
    let r = try CLI.run(["serve", "--http", "127.0.0.1:0", "--db", db] + options)
    #expect(r.status == 64)
    #expect(r.stderr.contains(message), "\(r.stderr)")
  }
}

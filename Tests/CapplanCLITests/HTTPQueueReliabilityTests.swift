import Foundation
import JobQueue
import Testing

/// The queue's promises when jobs come in over HTTP: a front end (`serve --http
/// --no-worker --no-scheduler`) takes the submissions, separate worker processes
/// solve them, and kill -9 hits both.
@Suite(.serialized) struct HTTPQueueReliabilityTests {
  /// 12 scenarios submitted over HTTP (one of them twice with the same
  /// Idempotency-Key), the front end killed with -9 right after the last
  /// acknowledgement, a worker killed with -9 in the middle of a solve: every
  /// acknowledged job is in the store once, and each ends succeeded with exactly
  /// one plan.
  @Test(arguments: Backend.available) func jobsSubmittedOverHTTPSurviveKillNineOfServerAndWorker(
    _ backend: Backend
  ) throws {
    let q = try QueueFixture(backend)
    let token = try CLI.run(["tokens", "create", "--name", "reliability", "--role", "submit", "--db", q.db])
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let front = try Background(
      ["serve", "--http", "127.0.0.1:0", "--no-worker", "--no-scheduler", "--db", q.db],
      log: q.dir.appendingPathComponent("front.log"))
    let url = try HTTPTestClient.address(of: front)
    let scenario = try Data(contentsOf: URL(fileURLWithPath: q.model("seed-bedrock-deal.yaml")))

    var acknowledged: [Int64] = []
    for i in 0..<12 {
      let r = try HTTPTestClient.request(
        url + "/v1/jobs", method: "POST", token: token, body: scenario,
        headers: ["Idempotency-Key: reliability-\(i)", "Content-Type: application/yaml"])
      #expect(r.status == 201, "\(r.body)")
      acknowledged.append(Int64(try #require(try CLI.json(r.body)["id"] as? Int)))
    }
    // The same key again names the same job and queues nothing new.
    let replay = try HTTPTestClient.request(
      url + "/v1/jobs", method: "POST", token: token, body: scenario,
      headers: ["Idempotency-Key: reliability-0", "Content-Type: application/yaml"])
    #expect((200..<300).contains(replay.status), "\(replay.body)")
    #expect((try CLI.json(replay.body)["id"] as? Int).map(Int64.init) == acknowledged[0])
    front.signal(SIGKILL)
    front.wait(seconds: 5)

    let reopened = try backend.open(q.db)
    let stored = try reopened.jobs(JobFilter(limit: 100))
    #expect(stored.count == 12)
    #expect(Set(stored.map(\.id)) == Set(acknowledged))

    // A worker whose solves hang is killed in the middle of one; another finishes the queue.
    let slow = try q.worker(["--lease", "2"], environment: ["CAPPLAN_TEST_SOLVE_DELAY": "30"], name: "slow")
    #expect(q.until(20) { slow.children.count == 1 }, "one solve running: \(slow.output)")
    slow.signal(SIGKILL)
    slow.wait(seconds: 5)
    let rescuer = try q.worker(["--lease", "2"], name: "rescuer")
    #expect(
      try q.until(90) { try reopened.jobs(JobFilter(limit: 100)).allSatisfy { $0.state == .succeeded } },
      "\(rescuer.output.suffix(500))")
    rescuer.signal(SIGTERM)
    #expect(rescuer.wait(seconds: 10) == 0)
    for id in acknowledged { #expect(try q.plansOfJob(id) == 1, "job \(id)") }
    #expect(
      try reopened.jobs(JobFilter(limit: 100)).filter { $0.attempt == 2 }.count == 1, "the killed solve's job"
    )
  }
}

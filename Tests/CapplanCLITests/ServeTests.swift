import Foundation
import JobQueue
import Testing

@Suite(.serialized) struct ServeTests {
  func seedCopy(_ q: QueueFixture) throws -> String {
    let path = q.dir.appendingPathComponent("forecast.yaml").path
    try FileManager.default.copyItem(atPath: q.model("seed-bedrock-deal.yaml"), toPath: path)
    return path
  }

  func serve(_ q: QueueFixture, _ name: String) throws -> Background {
    try Background(
      ["serve", "--db", q.db, "--tick", "0.2", "--poll", "0.1"],
      log: q.dir.appendingPathComponent("\(name).log"))
  }

  /// A schedule every second: plans whose previous_plan_id chain is right.
  @Test(arguments: Backend.available) func everySecondMakesAChainOfPlans(_ backend: Backend) throws {
    let q = try QueueFixture(backend)
    let file = try seedCopy(q)
    #expect(try CLI.run(["schedule", "add", "fast", file, "--every", "1s", "--db", q.db]).status == 0)
    let s = try serve(q, "serve")
    var filter = PlanFilter()
    filter.limit = 100
    #expect(try q.until(30) { try q.store.plans(filter).count >= 4 }, "\(s.output)")
    s.signal(SIGTERM)
    #expect(s.wait(seconds: 20) == 0, "\(s.output)")
    let plans = try q.store.plans(filter).sorted { $0.id < $1.id }
    #expect(plans.first?.previousPlanID == nil)
    for (earlier, later) in zip(plans, plans.dropFirst()) {
      #expect(later.previousPlanID == earlier.id, "plan \(later.id) follows \(earlier.id)")
    }
    #expect(plans.allSatisfy { $0.scheduleID == 1 && $0.status == "optimal" })
    // The listing shows the chain too.
    let listed = try CLI.run(["schedule", "show", "fast", "--db", q.db]).stdout
    #expect(listed.contains("every 1s") && listed.contains("seed-bedrock-deal"))
  }

  /// With --skip-unchanged only the first run solves until the file changes.
  @Test func skipUnchangedSolvesOnceUntilTheFileChanges() throws {
    let q = try QueueFixture()
    let file = try seedCopy(q)
    #expect(
      try CLI.run(["schedule", "add", "skip", file, "--every", "1s", "--skip-unchanged", "--db", q.db]).status
        == 0)
    let s = try serve(q, "skip")
    #expect(try q.until(20) { try q.store.jobs(JobFilter()).count == 1 })
    Thread.sleep(forTimeInterval: 2.5)  // two more fires, both unchanged
    #expect(try q.store.jobs(JobFilter()).count == 1)
    #expect(try q.store.schedule(named: "skip").lastNote == "scenario unchanged since the last job; no job")
    let changed = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(
      of: "trainium2: 26", with: "trainium2: 30")
    try changed.write(toFile: file, atomically: true, encoding: .utf8)
    #expect(try q.until(20) { try q.store.plans(PlanFilter()).count == 2 }, "\(s.output)")
    s.signal(SIGTERM)
    #expect(s.wait(seconds: 20) == 0)
    let plans = try q.store.plans(PlanFilter()).sorted { $0.id < $1.id }
    #expect(plans.map(\.ebit) == [7.5, 8.5])  // 7.5 + 0.25 * 30 - 6.5
    #expect(plans[1].previousPlanID == plans[0].id)
  }

  /// serve: the first signal lets the running solve finish; a second one
  /// stops at once and gives the job back.
  @Test func serveDrainsOnTheFirstSignalAndReleasesOnTheSecond() throws {
    let q = try QueueFixture()
    let first = try q.submit()
    let s = try Background(
      ["serve", "--db", q.db, "--tick", "0.2", "--poll", "0.1"],
      environment: ["CAPPLAN_TEST_SOLVE_DELAY": "2"],
      log: q.dir.appendingPathComponent("drain.log"))
    #expect(try q.until(10) { try q.store.job(first).state == .running })
    s.signal(SIGTERM)
    #expect(s.wait(seconds: 20) == 0, "\(s.output)")
    #expect(try q.store.job(first).state == .succeeded)

    let second = try q.submit()
    let t = try Background(
      ["serve", "--db", q.db, "--tick", "0.2", "--poll", "0.1"],
      environment: ["CAPPLAN_TEST_SOLVE_DELAY": "60"],
      log: q.dir.appendingPathComponent("stop.log"))
    #expect(try q.until(10) { try q.store.job(second).state == .running })
    t.signal(SIGTERM)
    Thread.sleep(forTimeInterval: 0.5)
    t.signal(SIGTERM)
    #expect(t.wait(seconds: 20) == 0, "\(t.output)")
    let released = try q.store.job(second)
    #expect(released.state == .queued && released.failures == 0, "\(released)")
  }

  /// Two services on one database: one job per due time.
  @Test(arguments: Backend.available) func twoServicesFireEachDueTimeOnce(_ backend: Backend) throws {
    let q = try QueueFixture(backend)
    let file = try seedCopy(q)
    #expect(try CLI.run(["schedule", "add", "shared", file, "--every", "1s", "--db", q.db]).status == 0)
    let a = try serve(q, "a")
    let b = try serve(q, "b")
    Thread.sleep(forTimeInterval: 4.2)
    a.signal(SIGTERM)
    b.signal(SIGTERM)
    #expect(a.wait(seconds: 20) == 0 && b.wait(seconds: 20) == 0)
    let jobs = try q.store.jobs(JobFilter(limit: 100))
    let keys = jobs.compactMap(\.idempotencyKey)
    #expect(keys.count == jobs.count && Set(keys).count == jobs.count)
    // About one fire per second for ~4 s, not two.
    #expect(jobs.count >= 3 && jobs.count <= 6, "\(jobs.count) jobs")
    #expect(a.output.contains("fired") || b.output.contains("fired"))
  }
}

@Suite struct DeployTests {
  /// The unit files (the service, its liveness check and the check's timer) pass
  /// `systemd-analyze verify` (with ExecStart pointed at the built binary).
  @Test func systemdUnitVerifies() throws {
    let analyze = "/usr/bin/systemd-analyze"
    guard FileManager.default.isExecutableFile(atPath: analyze) else {
      print("systemd-analyze not installed: skipping the unit check")
      return
    }
    let dir = try CLI.temporaryDirectory()
    var paths: [String] = []
    for name in ["capplan.service", "capplan-healthcheck.service", "capplan-healthcheck.timer"] {
      let unit = try String(
        contentsOf: CLI.packageRoot.appendingPathComponent("Deploy/\(name)"), encoding: .utf8
      )
      .replacingOccurrences(of: "/usr/local/bin/capplan", with: CLI.binary.path)
      .replacingOccurrences(
        of: "EnvironmentFile=/etc/capplan/capplan.env",
        with: "EnvironmentFile=\(CLI.packageRoot.path)/Deploy/capplan.env")
      let path = dir.appendingPathComponent(name).path
      try unit.write(toFile: path, atomically: true, encoding: .utf8)
      paths.append(path)
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: analyze)
    p.arguments = ["verify"] + paths
    let err = Pipe()
    p.standardError = err
    p.standardOutput = err
    try p.run()
    let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    // Without a running systemd (containers, CI) verify still checks the unit's syntax and
    // binaries; messages about the missing system manager are not the unit's fault.
    let problems = output.split(separator: "\n").filter {
      !$0.contains("System has not been booted with systemd") && !$0.contains("Failed to connect to bus")
        && !$0.contains("network-online.target") && !$0.contains("multi-user.target")
        && !$0.contains("timers.target") && !$0.isEmpty
    }
    #expect(problems.isEmpty, "\(output)")
  }
}

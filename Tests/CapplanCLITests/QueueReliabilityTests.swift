import Foundation
import JobQueue
import Testing

/// The queue's promises, checked with real worker processes.
@Suite(.serialized) struct QueueReliabilityTests {
  /// kill -9 a worker in the middle of a solve: another worker completes the
  /// job once the lease expires, and the job has exactly one plan.
  @Test(arguments: Backend.available) func killedWorkerLosesItsJobToAnother(_ backend: Backend) throws {
    let q = try QueueFixture(backend)
    let id = try q.submit()
    let slow = try q.worker(["--lease", "2"], environment: ["CAPPLAN_TEST_SOLVE_DELAY": "30"], name: "slow")
    #expect(try q.until(10) { try q.store.job(id).state == .running }, "\(slow.output)")
    // The solve starts a moment after the claim.
    #expect(q.until(10) { slow.children.count == 1 }, "one solve running")
    let orphans = slow.children
    slow.signal(SIGKILL)
    slow.wait(seconds: 5)
    // The orphaned solve notices its worker is gone and exits.
    #expect(
      q.until(10) { orphans.allSatisfy(Background.hasExited) },
      "orphaned solve still running: \(orphans.map { (try? String(contentsOfFile: "/proc/\($0)/stat", encoding: .utf8)) ?? "gone" })"
    )
    let rescuer = try q.worker(["--lease", "2"], name: "rescuer")
    #expect(try q.until(20) { try q.store.job(id).state == .succeeded }, "\(rescuer.output)")
    rescuer.signal(SIGTERM)
    #expect(rescuer.wait(seconds: 10) == 0)
    let job = try q.store.job(id)
    #expect(job.attempt == 2)
    #expect(job.failures == 1)
    #expect(try q.plansOfJob(id) == 1)
    #expect(try q.store.planSummary(try #require(job.planID)).attempt == 2)
  }

  /// 4 workers in separate processes and 500 small jobs: each succeeds once.
  @Test(arguments: Backend.available) func fourWorkersFiveHundredJobs(_ backend: Backend) throws {
    try QueueFixture(backend).drain(500, workers: 4, seconds: 240)
  }

  /// A child that aborts costs its job a try; after the last it fails with the
  /// reason, and the worker goes on to solve the next job.
  @Test(arguments: Backend.available) func abortingSolveIsRetriedThenFailedAndTheWorkerGoesOn(
    _ backend: Backend
  ) throws {
    let q = try QueueFixture(backend)
    let doomed = try q.submit(maxAttempts: 2)
    let fine = try q.submit()
    let w = try q.worker(
      ["--retry-base", "0.2"], environment: ["CAPPLAN_TEST_ABORT_JOBS": "\(doomed)"], name: "abort")
    #expect(
      try q.until(30) { try q.store.job(doomed).state == .failed && q.store.job(fine).state == .succeeded })
    w.signal(SIGTERM)
    #expect(w.wait(seconds: 10) == 0)
    let job = try q.store.job(doomed)
    #expect(job.failures == 2 && job.attempt == 2)
    #expect(job.lastError?.contains("SIGABRT") == true, "\(job.lastError ?? "")")
    #expect(try q.plansOfJob(doomed) == 0)
    #expect(try q.plansOfJob(fine) == 1)
  }

  /// Another process holds the write lock for seconds: submits wait and succeed.
  @Test func submitsWaitForAWriteLockHeldElsewhere() throws {
    let q = try QueueFixture(.sqlite)
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    holder.arguments = [
      "python3", "-c",
      "import sqlite3,time,sys; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE');"
        + " c.execute('UPDATE jobs SET priority = priority'); print('locked', flush=True); time.sleep(3); c.execute('COMMIT')",
      q.db,
    ]
    let out = Pipe()
    holder.standardOutput = out
    try holder.run()
    _ = out.fileHandleForReading.availableData  // "locked"
    let start = Date()
    let submits = try (0..<4).map { i in
      try Background(
        ["submit", q.model("seed-bedrock-deal.yaml"), "--db", q.db, "--idempotency-key", "lock-\(i)"],
        log: q.dir.appendingPathComponent("submit-\(i).log"))
    }
    for s in submits { #expect(s.wait(seconds: 60) == 0, "\(s.output)") }
    #expect(Date().timeIntervalSince(start) >= 2, "the submits really waited for the lock")
    holder.waitUntilExit()
    #expect(try q.store.jobs(JobFilter()).count == 4)
  }

  /// A submit that was acknowledged survives kill -9 of its process.
  @Test(arguments: Backend.available) func acknowledgedSubmitSurvivesKillNine(_ backend: Backend) throws {
    let q = try QueueFixture(backend)
    // --wait keeps the process (and its database connection) alive after the ack.
    let submit = try Background(
      ["submit", q.model("aws-2026.yaml"), "--db", q.db, "--wait"],
      log: q.dir.appendingPathComponent("submit.log"))
    #expect(q.until(20) { submit.output.contains("queued; waiting") }, "\(submit.output)")
    submit.signal(SIGKILL)
    submit.wait(seconds: 5)
    let reopened = try backend.open(q.db)
    let jobs = try reopened.jobs(JobFilter())
    #expect(jobs.count == 1)
    #expect(jobs.first?.scenarioID == "aws-2026")
    #expect(submit.output.contains("job \(jobs.first?.id ?? -1) queued"))
  }

  /// Cancelling a running job stops its solve.
  @Test(arguments: Backend.available) func cancelStopsARunningSolve(_ backend: Backend) throws {
    let q = try QueueFixture(backend)
    let id = try q.submit()
    let w = try q.worker(["--lease", "3"], environment: ["CAPPLAN_TEST_SOLVE_DELAY": "60"], name: "cancel")
    #expect(try q.until(10) { try q.store.job(id).state == .running })
    let r = try CLI.run(["jobs", "cancel", "\(id)", "--db", q.db])
    #expect(r.stdout == "job \(id) is running; its worker will stop it\n")
    #expect(try q.until(10) { try q.store.job(id).state == .cancelled }, "\(w.output)")
    #expect(try q.plansOfJob(id) == 0)
    w.signal(SIGTERM)
    #expect(w.wait(seconds: 10) == 0)
  }

  /// A cancel reaches a running solve without waiting for a heartbeat: with a
  /// 60 s lease (heartbeats every 20 s) and a 4 s solve, the job used to finish
  /// as succeeded with a plan. Now the worker reads the cancel within a second,
  /// kills the solve, and the job ends cancelled with no plan.
  @Test(arguments: Backend.available) func cancelStopsASolveBeforeTheNextHeartbeat(_ backend: Backend) throws
  {
    let q = try QueueFixture(backend)
    let id = try q.submit()
    let w = try q.worker(
      ["--lease", "60"], environment: ["CAPPLAN_TEST_SOLVE_DELAY": "4"], name: "cancel-fast")
    #expect(try q.until(10) { try q.store.job(id).state == .running })
    #expect(q.until(10) { w.children.count == 1 }, "the solve started")
    let solve = w.children
    #expect(try CLI.run(["jobs", "cancel", "\(id)", "--db", q.db]).status == 0)
    #expect(try q.until(20) { try q.store.job(id).state.isFinal }, "\(w.output)")
    let job = try q.store.job(id)
    #expect(job.state == .cancelled, "\(w.output)")
    #expect(job.planID == nil)
    #expect(try q.plansOfJob(id) == 0)
    #expect(solve.allSatisfy(Background.hasExited), "the solve was stopped")
    w.signal(SIGTERM)
    #expect(w.wait(seconds: 10) == 0)
  }

  /// SIGTERM drains: the running job finishes and is recorded; a second
  /// signal gives the job back to the queue instead.
  @Test(arguments: Backend.available) func sigtermDrainsAndASecondSignalReleases(_ backend: Backend) throws {
    let q = try QueueFixture(backend)
    let first = try q.submit()
    let w = try q.worker(environment: ["CAPPLAN_TEST_SOLVE_DELAY": "2"], name: "drain")
    #expect(try q.until(10) { try q.store.job(first).state == .running })
    let queuedBehind = try q.submit()
    w.signal(SIGTERM)
    #expect(w.wait(seconds: 20) == 0, "\(w.output)")
    #expect(try q.store.job(first).state == .succeeded)
    #expect(try q.store.job(queuedBehind).state == .queued, "no new job after SIGTERM")

    let w2 = try q.worker(environment: ["CAPPLAN_TEST_SOLVE_DELAY": "60"], name: "stop")
    #expect(try q.until(10) { try q.store.job(queuedBehind).state == .running })
    w2.signal(SIGTERM)
    Thread.sleep(forTimeInterval: 0.3)
    w2.signal(SIGTERM)
    #expect(w2.wait(seconds: 20) == 0, "\(w2.output)")
    let released = try q.store.job(queuedBehind)
    #expect(released.state == .queued && released.failures == 0, "\(released)")
  }

  /// A SIGTERM that reaches a solve (a terminal's Ctrl-C, a service manager
  /// signalling the group) does not end it: stopping is the worker's call.
  @Test(arguments: Backend.available) func solvesIgnoreStopSignalsMeantForTheWorker(_ backend: Backend) throws
  {
    let q = try QueueFixture(backend)
    let id = try q.submit()
    let w = try q.worker(environment: ["CAPPLAN_TEST_SOLVE_DELAY": "2"], name: "ignore")
    #expect(try q.until(10) { try q.store.job(id).state == .running && !w.children.isEmpty })
    Thread.sleep(forTimeInterval: 0.5)  // past the solve's start-up, where it sets its signal handling
    for child in w.children { kill(child, SIGTERM) }
    #expect(try q.until(20) { try q.store.job(id).state == .succeeded }, "\(w.output)")
    #expect(try q.store.job(id).failures == 0)
    w.signal(SIGTERM)
    #expect(w.wait(seconds: 10) == 0)
  }

  @Test(arguments: Backend.available) func invalidScenarioIsRefusedAndNothingIsQueued(_ backend: Backend)
    throws
  {
    let q = try QueueFixture(backend)
    let bad = q.dir.appendingPathComponent("bad.yaml").path
    try "scenario: bad\nperiods: []\nhardware: []\nsites: []\nofferings: []\n".write(
      toFile: bad, atomically: true, encoding: .utf8)
    let r = try CLI.run(["submit", bad, "--db", q.db])
    #expect(r.status == 2)
    #expect(r.stderr.contains("periods"))
    #expect(try q.store.jobs(JobFilter()).isEmpty)
  }
}

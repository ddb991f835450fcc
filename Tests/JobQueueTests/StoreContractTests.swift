import CapacityModel
import Foundation
import JobQueue
import SQLiteBackend
import Testing

func temporaryStore(_ name: String = "store") throws -> SQLiteStore {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
    "capplan-store-\(UUID().uuidString)")
  return try SQLiteStore(path: dir.appendingPathComponent("\(name).sqlite").path)
}

let t0 = Date(timeIntervalSince1970: 1_800_000_000)

func submission(_ id: String = "s", priority: Int = 0, key: String? = nil, maxAttempts: Int = 3)
  -> JobSubmission
{
  JobSubmission(
    scenarioID: id, source: "\(id).yaml", scenarioText: "scenario: \(id)\n", priority: priority,
    idempotencyKey: key,
    maxAttempts: maxAttempts)
}

func emptyPlan(_ scenario: String = "s") -> Plan {
  Plan(
    scenario: scenario, status: .optimal, message: nil, objective: 1, totals: nil, periods: [],
    allocations: [
      Plan.Allocation(offering: "o", hardware: "h", site: "x", period: "p", mw: 2.5)
    ], installs: [], expansions: [], lab: [], marginals: Plan.Marginals(), stability: nil, infeasibility: nil,
    solver: Plan.SolverRecord(
      status: "optimal", objective: 1, bestBound: nil, gap: nil, rows: 1, columns: 1, nonzeros: 1,
      integerColumns: 0,
      iterations: 1, nodes: 0, seconds: 0.01, method: "dualp"))
}

@Suite struct SQLiteStoreTests {
  @Test func databaseFileIsPrivateToItsOwner() throws {
    let store = try temporaryStore()
    let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let folder = URL(fileURLWithPath: store.path).deletingLastPathComponent().path
    #expect(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int == 0o700)
  }
}

/// The queue's rules, held to by every backend.
@Suite struct StoreContractTests {
  @Test(arguments: Backend.available) func submitStoresTextHashAndIdempotencyKey(_ backend: Backend) throws {
    let store = try backend.makeStore()
    let (job, created) = try store.submit(submission(key: "k"), now: t0)
    #expect(created && job.state == .queued && job.attempt == 0)
    #expect(job.scenarioSHA256 == ScenarioHash.sha256("scenario: s\n"))
    #expect(job.scenarioSHA256.count == 64)
    let (again, createdAgain) = try store.submit(submission(key: "k"), now: t0)
    #expect(!createdAgain && again.id == job.id)
    #expect(try store.jobs(JobFilter()).count == 1)
    #expect(try store.scenarioText(ofJob: job.id) == "scenario: s\n")
  }

  @Test(arguments: Backend.available) func claimsByPriorityThenAge(_ backend: Backend) throws {
    let store = try backend.makeStore()
    let low = try store.submit(submission("low"), now: t0).job
    let high = try store.submit(submission("high", priority: 5), now: t0).job
    let low2 = try store.submit(submission("low2"), now: t0).job
    let order = try (0..<3).map { _ in try store.claim(owner: "w", leaseSeconds: 30, now: t0)?.jobID }
    #expect(order == [high.id, low.id, low2.id])
    #expect(try store.claim(owner: "w", leaseSeconds: 30, now: t0) == nil)
  }

  @Test(arguments: Backend.available) func completeRecordsOnePlanInItsTables(_ backend: Backend) throws {
    let store = try backend.makeStore()
    let job = try store.submit(submission(), now: t0).job
    let lease = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    #expect(lease.attempt == 1 && lease.scenarioText == "scenario: s\n")
    let planID = try #require(try store.complete(lease, plan: emptyPlan(), now: t0 + 1))
    let done = try store.job(job.id)
    #expect(done.state == .succeeded && done.planID == planID && done.finishedAt == t0 + 1)
    #expect(try store.plan(planID) == emptyPlan())
    let summary = try store.planSummary(planID)
    #expect(summary.jobID == job.id && summary.attempt == 1 && summary.status == "optimal")
    // The same lease cannot record twice.
    #expect(try store.complete(lease, plan: emptyPlan(), now: t0 + 2) == nil)
    #expect(try store.plans(PlanFilter()).count == 1)
  }

  /// A worker whose lease expired and was taken over cannot record a result.
  @Test(arguments: Backend.available) func expiredLeaseIsRescuedAndTheOldAttemptIsFencedOff(
    _ backend: Backend
  ) throws {
    let store = try backend.makeStore()
    let job = try store.submit(submission(), now: t0).job
    let first = try #require(try store.claim(owner: "a", leaseSeconds: 10, now: t0))
    #expect(try store.heartbeat(first, leaseSeconds: 10, now: t0 + 5) == .held(cancelRequested: false))
    // Still held at t0 + 14 (renewed at t0 + 5); expired by t0 + 16.
    #expect(try store.claim(owner: "b", leaseSeconds: 10, now: t0 + 14) == nil)
    let second = try #require(try store.claim(owner: "b", leaseSeconds: 10, now: t0 + 16))
    #expect(second.jobID == job.id && second.attempt == 2)
    #expect(try store.job(job.id).failures == 1)
    #expect(try store.job(job.id).lastError?.contains("stopped renewing its lease") == true)
    #expect(try store.heartbeat(first, leaseSeconds: 10, now: t0 + 17) == .lost)
    #expect(try store.complete(first, plan: emptyPlan(), now: t0 + 17) == nil)
    #expect(try store.fail(first, reason: "late", retryable: true, retryAfter: 0, now: t0 + 17) == nil)
    #expect(try store.complete(second, plan: emptyPlan(), now: t0 + 18) != nil)
    #expect(try store.plans(PlanFilter()).count == 1)
  }

  @Test(arguments: Backend.available) func failuresRetryAfterBackoffThenFailWithTheReason(_ backend: Backend)
    throws
  {
    let store = try backend.makeStore()
    let job = try store.submit(submission(maxAttempts: 2), now: t0).job
    let a1 = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    #expect(try store.fail(a1, reason: "boom", retryable: true, retryAfter: 8, now: t0) == .queued)
    #expect(try store.claim(owner: "w", leaseSeconds: 30, now: t0 + 7) == nil)  // backing off
    let a2 = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0 + 8))
    #expect(a2.attempt == 2)
    #expect(try store.fail(a2, reason: "boom again", retryable: true, retryAfter: 8, now: t0 + 9) == .failed)
    let failed = try store.job(job.id)
    #expect(failed.state == .failed && failed.failures == 2 && failed.lastError == "attempt 2: boom again")
    #expect(try store.claim(owner: "w", leaseSeconds: 30, now: t0 + 100) == nil)
    // retry starts a fresh count of tries.
    #expect(try store.retry(job.id, now: t0 + 100).state == .queued)
    #expect(try store.claim(owner: "w", leaseSeconds: 30, now: t0 + 100)?.attempt == 3)
  }

  @Test(arguments: Backend.available) func nonRetryableFailureFailsAtOnce(_ backend: Backend) throws {
    let store = try backend.makeStore()
    let job = try store.submit(submission(), now: t0).job
    let lease = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    #expect(try store.fail(lease, reason: "invalid", retryable: false, retryAfter: 0, now: t0) == .failed)
    #expect(try store.job(job.id).failures == 1)
  }

  @Test(arguments: Backend.available) func leaseLostOnTheLastTryFailsTheJob(_ backend: Backend) throws {
    let store = try backend.makeStore()
    let job = try store.submit(submission(maxAttempts: 1), now: t0).job
    _ = try store.claim(owner: "a", leaseSeconds: 5, now: t0)
    #expect(try store.claim(owner: "b", leaseSeconds: 5, now: t0 + 6) == nil)
    let failed = try store.job(job.id)
    #expect(failed.state == .failed)
    #expect(failed.lastError?.contains("no tries left") == true)
  }

  @Test(arguments: Backend.available) func cancelQueuedAndRunningJobs(_ backend: Backend) throws {
    let store = try backend.makeStore()
    let queued = try store.submit(submission("q"), now: t0).job
    #expect(try store.cancel(queued.id, now: t0).state == .cancelled)
    #expect(try store.claim(owner: "w", leaseSeconds: 30, now: t0) == nil)

    let running = try store.submit(submission("r"), now: t0).job
    let lease = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    #expect(try store.cancel(running.id, now: t0).state == .running)
    #expect(try store.heartbeat(lease, leaseSeconds: 30, now: t0 + 1) == .held(cancelRequested: true))
    #expect(try store.markCancelled(lease, now: t0 + 2))
    #expect(try store.job(running.id).state == .cancelled)
    #expect(throws: StoreError.self) { try store.cancel(running.id, now: t0 + 3) }
    #expect(throws: StoreError.self) {
      try store.retry(try store.submit(submission("x"), now: t0).job.id, now: t0)
    }
  }

  /// A complete racing a cancel has one winner: whichever commits first. A
  /// cancel recorded first closes the job as cancelled and the plan is not
  /// stored; a complete recorded first makes the cancel a refused no-op.
  @Test(arguments: Backend.available) func cancelBeforeCompleteWinsAndCompleteBeforeCancelWins(
    _ backend: Backend
  ) throws {
    let store = try backend.makeStore()
    let a = try store.submit(submission("a"), now: t0).job
    let la = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    #expect(try store.cancel(a.id, now: t0 + 1).state == .running)
    #expect(try store.complete(la, plan: emptyPlan("a"), now: t0 + 2) == nil)
    let cancelled = try store.job(a.id)
    #expect(cancelled.state == .cancelled && cancelled.planID == nil)
    #expect(cancelled.lastError == CancelNotes.planDiscarded)
    #expect(try store.plans(PlanFilter()).isEmpty)

    let b = try store.submit(submission("b"), now: t0).job
    let lb = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    let planID = try #require(try store.complete(lb, plan: emptyPlan("b"), now: t0 + 1))
    let refused = #expect(throws: StoreError.self) { try store.cancel(b.id, now: t0 + 2) }
    #expect(refused?.message == "job \(b.id) has already succeeded; nothing to cancel")
    #expect(try store.job(b.id).state == .succeeded && store.job(b.id).planID == planID)
  }

  /// Durations and counts are range-checked by the store too, whoever calls it.
  @Test(arguments: Backend.available) func storesRefuseOutOfRangeOptions(_ backend: Backend) throws {
    let store = try backend.makeStore()
    var s = submission()
    s.options = JobOptions(settings: SolveSettings(timeLimitSeconds: 1e21))
    let error = #expect(throws: StoreError.self) { try store.submit(s, now: t0) }
    #expect(error?.message == "time limit 1e+21 is out of range: give 0.001 to 31536000 seconds (365 days)")
    #expect(throws: StoreError.self) { try store.submit(submission(maxAttempts: 1_000_000), now: t0) }
    let schedule = #expect(throws: StoreError.self) {
      try store.addSchedule(
        ScheduleDefinition(name: "h", scenarioPath: "/x.yaml", intervalSeconds: 1e21), now: t0)
    }
    #expect(schedule?.message == "interval 1e+21 is out of range: give 1 to 315360000 seconds (3650 days)")
    #expect(try store.jobs(JobFilter()).isEmpty && store.schedules().isEmpty)
  }

  @Test func durationConversionsCannotTrap() {
    #expect(Duration.clampedSeconds(1e21) == .seconds(1_000_000_000))
    #expect(Duration.clampedSeconds(.nan) == .zero)
    #expect(Duration.clampedSeconds(-5) == .zero)
    #expect(Duration.clampedSeconds(1.5) == .milliseconds(1500))
    #expect(Cadence.interval(seconds: 1e21, anchor: t0).description == "every 1e+21s")
  }

  /// A cancel asked for while the job ran is honoured even when its try then
  /// fails or its worker stops: the job is not queued again.
  @Test(arguments: Backend.available) func cancelRequestedSurvivesAFailureOrARelease(_ backend: Backend)
    throws
  {
    let store = try backend.makeStore()
    let a = try store.submit(submission("a"), now: t0).job
    let b = try store.submit(submission("b"), now: t0).job
    let la = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    let lb = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    _ = try store.cancel(a.id, now: t0)
    _ = try store.cancel(b.id, now: t0)
    #expect(try store.fail(la, reason: "crash", retryable: true, retryAfter: 0, now: t0 + 1) == .cancelled)
    try store.release(lb, now: t0 + 1)
    #expect(try store.job(a.id).state == .cancelled)
    #expect(try store.job(b.id).state == .cancelled)
    #expect(try store.claim(owner: "w", leaseSeconds: 30, now: t0 + 2) == nil)
  }

  @Test(arguments: Backend.available) func releaseGivesTheJobBackWithoutCountingAFailure(_ backend: Backend)
    throws
  {
    let store = try backend.makeStore()
    let job = try store.submit(submission(), now: t0).job
    let lease = try #require(try store.claim(owner: "a", leaseSeconds: 30, now: t0))
    try store.release(lease, now: t0 + 1)
    let back = try store.job(job.id)
    #expect(back.state == .queued && back.failures == 0 && back.leaseOwner == nil)
    #expect(try store.claim(owner: "b", leaseSeconds: 30, now: t0 + 1)?.attempt == 2)
  }

  @Test(arguments: Backend.available) func missingRowsAreNamed(_ backend: Backend) throws {
    let store = try backend.makeStore()
    #expect(throws: StoreError(.notFound, "no job 42")) { try store.job(42) }
    #expect(throws: StoreError(.notFound, "no plan 7")) { try store.plan(7) }
  }

  /// Many threads, each with its own connection, claim from one file: every
  /// job is claimed exactly once.
  @Test(arguments: Backend.available)
  func concurrentClaimsFromSeparateConnectionsNeverShareAJob(_ backend: Backend) throws {
    let location = try backend.newLocation()
    let first = try backend.open(location)
    for i in 0..<200 { _ = try first.submit(submission("s\(i)"), now: t0) }
    let claimed = ClaimLog()
    DispatchQueue.concurrentPerform(iterations: 8) { w in
      guard let store = try? backend.open(location) else { return }
      while let lease = try? store.claim(owner: "w\(w)", leaseSeconds: 60, now: t0) {
        claimed.add(lease.jobID)
        _ = try? store.complete(lease, plan: emptyPlan(), now: t0)
      }
    }
    #expect(claimed.ids.count == 200)
    #expect(Set(claimed.ids).count == 200)
    #expect(try first.plans(PlanFilter()).count == 50)  // limit
    var filter = PlanFilter()
    filter.limit = 1000
    #expect(try first.plans(filter).count == 200)
  }
}

final class ClaimLog: @unchecked Sendable {
  // Safe: `ids` is only touched while holding `lock`.
  private var list: [Int64] = []
  private let lock = NSLock()
  func add(_ id: Int64) { lock.withLock { list.append(id) } }
  var ids: [Int64] { lock.withLock { list } }
}

/// What a copy must keep, and what it refuses.
@Suite struct StoreCopyTests {
  /// Jobs in every state, plans with their tables, and a schedule go across
  /// with their ids; the copy checks itself, and new rows take fresh ids.
  @Test(arguments: Backend.available) func copiesEverythingFromSQLite(_ destination: Backend) throws {
    let source = try Backend.sqlite.makeStore()
    // A real plan: periods, allocations and marginals, some of them empty.
    let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Models/seed-bedrock-deal.yaml").path
    let plan = try Planner.plan(try ScenarioValidator.validate(try ScenarioLoader.load(contentsOf: seed)))
    #expect(!plan.periods.isEmpty && !plan.allocations.isEmpty)
    let done = try source.submit(submission("done", key: "k1"), now: t0).job
    let lease = try #require(try source.claim(owner: "w", leaseSeconds: 30, now: t0))
    let planID = try #require(try source.complete(lease, plan: plan, now: t0 + 1))
    let running = try source.submit(submission("running"), now: t0 + 2).job
    let l2 = try #require(try source.claim(owner: "w", leaseSeconds: 30, now: t0 + 2))
    let progress = JobProgress(reportedAt: t0 + 2.5, elapsedSeconds: 0.4, bestPlan: 12.5, gap: 0.25, nodes: 9)
    _ = try source.heartbeat(l2, leaseSeconds: 30, progress: progress, now: t0 + 2.5)
    let failed = try source.submit(submission("failed", maxAttempts: 1), now: t0 + 3).job
    let l3 = try #require(try source.claim(owner: "w", leaseSeconds: 30, now: t0 + 3))
    _ = try source.fail(l3, reason: "it broke", retryable: false, retryAfter: 0, now: t0 + 4)
    _ = try source.submit(submission("queued", priority: 3), now: t0 + 5)
    _ = try source.addSchedule(
      ScheduleDefinition(
        name: "hourly", scenarioPath: "/srv/x.yaml", intervalSeconds: 3600,
        overridePaths: ["/srv/over 1.yaml", "/srv/o\"2.yaml"], caseName: "rich"), now: t0)
    let study = try source.submit(
      StudySubmission(
        scenarioID: "s", source: "s.yaml", axes: [SweepAxis(path: "x", values: [1, 2])], metrics: ["ebit"],
        points: [
          .init(values: [1], job: .success(submission("point"))),
          .init(values: [2], job: .failure(SweepError("x=2 is out of range"))),
        ]), now: t0 + 6)

    let target = try destination.makeStore()
    let report = try StoreCopy.copy(from: source, to: target, batchSize: 2)
    #expect(report.copied == StoreCounts(jobs: 5, plans: 1, schedules: 1, studies: 1))
    #expect(try target.study(study.id) == study)
    #expect(report.runningJobs == 1)
    #expect(try target.plan(planID) == plan)
    #expect(try target.job(done.id).planID == planID)
    #expect(try target.job(failed.id).lastError == "attempt 1: it broke")
    #expect(
      try target.job(running.id).progress == progress, "the progress column (migration v5) comes across")
    #expect(try target.schedule(named: "hourly").intervalSeconds == 3600)
    // The schedule's case and overrides (migration v3) come across, in order.
    #expect(try target.schedule(named: "hourly").overridePaths == ["/srv/over 1.yaml", "/srv/o\"2.yaml"])
    #expect(try target.schedule(named: "hourly").caseName == "rich")
    #expect(
      try target.schedule(named: "hourly").scenarioSource
        == "/srv/x.yaml case rich + /srv/over 1.yaml + /srv/o\"2.yaml")
    // The copy's own check, run again from outside.
    try StoreCopy.verify(source, target)
    // The queued job is claimable in the new store; new ids follow the copied ones.
    #expect(
      try target.claim(owner: "x", leaseSeconds: 30, now: t0 + 10)?.scenarioText == "scenario: queued\n")
    #expect(try target.submit(submission("new"), now: t0 + 11).job.id == 6)
    #expect(try target.counts() == StoreCounts(jobs: 6, plans: 1, schedules: 1, studies: 1))

    // A store with rows in it is not a destination.
    #expect(throws: StoreError.self) { try StoreCopy.copy(from: source, to: target) }
  }
}

@Suite struct StudyStoreTests {
  /// A study and its jobs are one write: the valid points become queued jobs in order, an
  /// invalid point keeps its reason, and the study reads back as written.
  @Test(arguments: Backend.available) func aStudyIsStoredWithAJobPerValidPoint(_ backend: Backend) throws {
    let store = try backend.makeStore()
    let axes = [SweepAxis(path: "x", values: [1, 2, 3])]
    let study = try store.submit(
      StudySubmission(
        scenarioID: "s", source: "s.yaml", axes: axes, metrics: ["status", "ebit"],
        points: [
          .init(values: [1], job: .success(submission("p1"))),
          .init(values: [2], job: .failure(SweepError("x=2: too big"))),
          .init(values: [3], job: .success(submission("p3", priority: 4))),
        ]), now: t0)
    #expect(study.definition.points.map(\.values) == [[1], [2], [3]])
    #expect(study.definition.points[1].error == "x=2: too big")
    #expect(study.definition.points[1].jobID == nil)
    let ids = study.definition.points.compactMap(\.jobID)
    #expect(ids.count == 2)
    #expect(try ids.map { id throws(StoreError) in try store.job(id).state } == [.queued, .queued])
    #expect(try store.job(ids[1]).priority == 4)
    #expect(try store.study(study.id) == study)
    #expect(try store.studies(limit: 10).map(\.id) == [study.id])
    #expect(throws: StoreError.self) { try store.study(study.id + 1) }
  }

  /// One point whose options no store accepts (too many tries) refuses the whole study: no job
  /// of it is left behind.
  @Test(arguments: Backend.available) func aRefusedStudyLeavesNothing(_ backend: Backend) throws {
    let store = try backend.makeStore()
    #expect(throws: StoreError.self) {
      try store.submit(
        StudySubmission(
          scenarioID: "s", source: "s.yaml", axes: [SweepAxis(path: "x", values: [1, 2])], metrics: [],
          points: [
            .init(values: [1], job: .success(submission("p1"))),
            .init(values: [2], job: .success(submission("p2", maxAttempts: 1_000_000))),
          ]), now: t0)
    }
    #expect(try store.counts() == StoreCounts(jobs: 0, plans: 0, schedules: 0))
  }
}

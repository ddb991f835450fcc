import CapacityModel
import Foundation
import JobQueue
import PostgresBackend
import Testing

/// The server goes away right after a COMMIT, so the call cannot know
/// whether it took: it runs its transaction again on a new connection. Each
/// write must then do what one run does: no second job, claim or plan, and
/// the answer the first run would have given.
@Suite struct LostCommitTests {
  func store() throws -> PostgresStore {
    try #require(try Backend.postgres.makeStore() as? PostgresStore)
  }

  @Test(arguments: Backend.postgresOnly) func submitClaimHeartbeatComplete(_ backend: Backend) throws {
    let store = try store()
    store.loseAnswersToNextCommits(1)
    let (job, created) = try store.submit(submission(), now: t0)
    #expect(created && job.state == .queued)
    #expect(try store.jobs(JobFilter()).count == 1)

    _ = try store.submit(submission("other"), now: t0)
    store.loseAnswersToNextCommits(1)
    let lease = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    #expect(lease.jobID == job.id && lease.attempt == 1)
    #expect(try store.job(job.id).state == .running)
    #expect(try store.jobs(JobFilter(states: [.queued])).count == 1, "the retry took back its own job")

    store.loseAnswersToNextCommits(1)
    #expect(try store.heartbeat(lease, leaseSeconds: 30, now: t0 + 1) == .held(cancelRequested: false))
    store.loseAnswersToNextCommits(1)
    let planID = try #require(try store.complete(lease, plan: emptyPlan(), now: t0 + 2))
    #expect(try store.job(job.id).planID == planID)
    #expect(try store.plans(PlanFilter()).count == 1)
  }

  @Test(arguments: Backend.postgresOnly) func failCancelRetryAndMarkCancelled(_ backend: Backend) throws {
    let store = try store()
    let a = try store.submit(submission("a"), now: t0).job
    let la = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    store.loseAnswersToNextCommits(1)
    #expect(try store.fail(la, reason: "boom", retryable: true, retryAfter: 0, now: t0) == .queued)
    #expect(try store.job(a.id).failures == 1)

    store.loseAnswersToNextCommits(1)
    #expect(try store.cancel(a.id, now: t0).state == .cancelled)
    store.loseAnswersToNextCommits(1)
    #expect(try store.retry(a.id, now: t0).state == .queued)

    let lb = try #require(try store.claim(owner: "w", leaseSeconds: 30, now: t0))
    _ = try store.cancel(lb.jobID, now: t0)
    store.loseAnswersToNextCommits(1)
    #expect(try store.markCancelled(lb, now: t0 + 1))
  }

  @Test(arguments: Backend.postgresOnly) func schedulesAndCopies(_ backend: Backend) throws {
    let store = try store()
    let definition = ScheduleDefinition(name: "hourly", scenarioPath: "/srv/x.yaml", intervalSeconds: 3600)
    store.loseAnswersToNextCommits(1)
    let schedule = try store.addSchedule(definition, now: t0)
    #expect(schedule.name == "hourly")
    store.loseAnswersToNextCommits(1)
    #expect(
      try store.advance(schedule.id, from: schedule.nextFireAt, to: t0 + 7200, firedAt: t0 + 3600, note: nil))
    store.loseAnswersToNextCommits(1)
    try store.removeSchedule("hourly")
    #expect(try store.schedules().isEmpty)

    let source = try Backend.sqlite.makeStore()
    for i in 0..<5 { _ = try source.submit(submission("s\(i)"), now: t0) }
    let target = try self.store()
    target.loseAnswersToNextCommits(2)
    let report = try StoreCopy.copy(from: source, to: target, batchSize: 2)
    #expect(report.copied.jobs == 5)
  }
}

import Foundation
import JobQueue
import Testing

/// What each backend's claim does (rescue of expired leases, then the most
/// urgent runnable job; PostgreSQL's claim is one statement of its own) is
/// what `JobStateMachine` says, on a store holding jobs in every state.
@Suite struct StoreAgreesWithStateMachineTests {
  static let firstClaim = t0 + 10

  /// One job in each state and case a claim must tell apart, made through
  /// the store's own calls. The queued, runnable ones come last, so the
  /// setting up claims nothing but what it means to.
  static func fill(_ store: any JobStore) throws {
    func add(_ id: String, priority: Int = 0, maxAttempts: Int = 3) throws -> Int64 {
      try store.submit(submission(id, priority: priority, maxAttempts: maxAttempts), now: t0).job.id
    }
    func claim(_ lease: Double, at time: Date = t0) throws -> Lease {
      try #require(try store.claim(owner: "setup", leaseSeconds: lease, now: time))
    }
    _ = try add("succeeded")
    _ = try store.complete(try claim(1000), plan: emptyPlan(), now: t0 + 1)
    _ = try add("failed", maxAttempts: 1)
    _ = try store.fail(try claim(1000), reason: "broken", retryable: false, retryAfter: 0, now: t0 + 1)
    _ = try store.cancel(try add("cancelled"), now: t0 + 1)
    _ = try add("backing off")
    _ = try store.fail(try claim(1000), reason: "flaky", retryable: true, retryAfter: 1000, now: t0 + 1)
    _ = try add("running, lease held")
    _ = try claim(1000)
    _ = try add("running, lease expires between claims", priority: 9)
    _ = try claim(5.5, at: t0 + 5)
    _ = try add("running, lease expired")
    _ = try claim(5)
    let asked = try add("running, lease expired, cancel asked")
    _ = try claim(5)
    _ = try store.cancel(asked, now: t0 + 2)
    _ = try add("running, lease expired on its last try", maxAttempts: 1)
    _ = try claim(5)
    _ = try add("queued")
    _ = try add("queued, urgent", priority: 1)
  }

  /// Claims a second apart until nothing is left, checking each against the
  /// state machine's own rescue and claim applied to the jobs read before it.
  /// (Claims share no instant: PostgreSQL moves a call's time on by the
  /// microseconds since the call began.)
  @Test(arguments: Backend.available) func claimsRescueAndTakeAsTheStateMachineSays(_ backend: Backend)
    throws
  {
    let store = try backend.makeStore()
    try Self.fill(store)
    var claims = 0
    while true {
      let now = Self.firstClaim + Double(claims)
      let before = try Self.allJobs(store)
      var expected = before.map { job in
        (try? JobStateMachine.apply(.rescue, to: job, now: now).get())?.after ?? job
      }
      let next = expected.indices.filter { expected[$0].state == .queued && expected[$0].runAfter <= now }
        .min { (-expected[$0].priority, expected[$0].id) < (-expected[$1].priority, expected[$1].id) }
      let owner = "claimer \(claims)"
      if let next {
        expected[next] = try JobStateMachine.apply(
          .claim(owner: owner, leaseSeconds: 30), to: expected[next], now: now
        ).get().after
      }
      let lease = try store.claim(owner: owner, leaseSeconds: 30, now: now)
      #expect(lease?.jobID == next.map { expected[$0].id })
      #expect(lease?.attempt == next.map { expected[$0].attempt })
      let after = try Self.allJobs(store)
      #expect(after.count == expected.count)
      for (stored, said) in zip(after, expected) {
        #expect(Self.toTheSecond(stored) == Self.toTheSecond(said), "claim \(claims): \(said.scenarioID)")
      }
      guard lease != nil else { break }
      claims += 1
    }
    // The urgent one, then the one rescued at the second claim, the one
    // rescued at the first and the plain queued one.
    #expect(claims == 4)
    let states = try Self.allJobs(store).map { "\($0.scenarioID): \($0.state.rawValue)" }
    #expect(
      states == [
        "succeeded: succeeded", "failed: failed", "cancelled: cancelled", "backing off: queued",
        "running, lease held: running", "running, lease expires between claims: running",
        "running, lease expired: running", "running, lease expired, cancel asked: cancelled",
        "running, lease expired on its last try: failed", "queued: running", "queued, urgent: running",
      ])
  }

  static func allJobs(_ store: any JobStore) throws -> [Job] {
    try store.jobs(JobFilter(limit: 1000)).sorted { $0.id < $1.id }
  }

  /// PostgreSQL moves the times a call writes on by how long the call has
  /// been retried (microseconds on a first run), so times compare to the second.
  static func toTheSecond(_ job: Job) -> Job {
    func round(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded()) }
    var job = job
    job.runAfter = round(job.runAfter)
    job.leaseExpiresAt = job.leaseExpiresAt.map(round)
    job.startedAt = job.startedAt.map(round)
    job.finishedAt = job.finishedAt.map(round)
    job.createdAt = round(job.createdAt)
    return job
  }
}

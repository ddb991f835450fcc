import CapacityModel
import Foundation
import JobQueue
import Testing

/// The state machine on its own: every state against every event, with the
/// job it leaves or the refusal it gives, and the cases where a flag (a
/// cancel asked for, the last try, a lease that ran out) changes the answer.
@Suite struct JobStateMachineTests {
  static let now = Date(timeIntervalSince1970: 1_800_000_100)
  static let started = Date(timeIntervalSince1970: 1_800_000_000)
  static let fence = LeaseFence(jobID: 7, attempt: 2, owner: "w")

  /// A job as each state leaves it: queued for its second try, running its
  /// second try (held by `fence`), and closed each way.
  static func job(_ state: JobState) -> Job {
    var job = Job(
      id: 7, state: state, scenarioID: "s", source: "s.yaml", scenarioSHA256: "abc",
      options: JobOptions(settings: SolveSettings(timeLimitSeconds: 60)), priority: 2, idempotencyKey: "k",
      attempt: 1, failures: 1,
      maxAttempts: 3, runAfter: now - 10, leaseOwner: nil, leaseExpiresAt: nil, cancelRequested: false,
      lastError: "attempt 1: boom", planID: nil, scheduleID: 4, createdAt: started - 100,
      startedAt: started, finishedAt: nil)
    switch state {
    case .queued: break
    case .running:
      job.attempt = 2
      job.leaseOwner = "w"
      job.leaseExpiresAt = now + 20
    case .succeeded:
      job.planID = 3
      job.lastError = nil
      job.finishedAt = now - 5
    case .failed:
      job.failures = 3
      job.finishedAt = now - 5
    case .cancelled:
      job.lastError = "cancelled before it ran"
      job.finishedAt = now - 5
    }
    return job
  }

  static func apply(_ event: JobEvent, _ job: Job) -> Result<JobChange, JobRefusal> {
    JobStateMachine.apply(event, to: job, now: now)
  }

  /// The job after `event`, or nil (recording the refusal) when refused.
  static func after(_ event: JobEvent, _ job: Job) -> (job: Job?, refusal: JobRefusal?) {
    switch apply(event, job) {
    case .success(let change):
      #expect(change.before == job)
      return (change.after, nil)
    case .failure(let refusal): return (nil, refusal)
    }
  }

  static func fencedOff(_ event: JobEvent, _ state: JobState) {
    #expect(after(event, job(state)).refusal == .fencedOff(fence))
    #expect(
      after(event, job(state)).refusal?.message
        == "job 7 is no longer held by w at attempt 2; its result is not recorded")
  }

  @Test(arguments: JobState.allCases) func claim(_ state: JobState) {
    let event = JobEvent.claim(owner: "v", leaseSeconds: 30)
    guard state == .queued else {
      let refused = Self.after(event, Self.job(state)).refusal
      #expect(refused == .notRunnable(jobID: 7, state: state, runAfter: Self.now - 10))
      #expect(refused?.message == "job 7 is \(state.rawValue); only queued jobs can be claimed")
      return
    }
    var expected = Self.job(.queued)
    expected.state = .running
    expected.attempt = 2
    expected.leaseOwner = "v"
    expected.leaseExpiresAt = Self.now + 30
    #expect(Self.after(event, Self.job(.queued)).job == expected, "startedAt kept from the first try")

    var fresh = Self.job(.queued)
    (fresh.attempt, fresh.startedAt, fresh.runAfter) = (0, nil, Self.now)
    let first = Self.after(event, fresh).job
    #expect(first?.attempt == 1 && first?.startedAt == Self.now, "due at now exactly, first start now")

    var backingOff = Self.job(.queued)
    backingOff.runAfter = Self.now + 1
    let refused = Self.after(event, backingOff).refusal
    #expect(refused == .notRunnable(jobID: 7, state: .queued, runAfter: Self.now + 1))
    #expect(refused?.message.hasPrefix("job 7 is queued to run after ") == true)
  }

  @Test(arguments: JobState.allCases) func heartbeat(_ state: JobState) {
    let event = JobEvent.heartbeat(Self.fence, leaseSeconds: 45)
    guard state == .running else { return Self.fencedOff(event, state) }
    var expected = Self.job(.running)
    expected.leaseExpiresAt = Self.now + 45
    #expect(Self.after(event, Self.job(.running)).job == expected)
    var asked = Self.job(.running)
    asked.cancelRequested = true
    #expect(Self.after(event, asked).job?.cancelRequested == true, "the worker learns of the cancel")
    // A lease past its expiry that no claimer rescued yet is still this worker's.
    var late = Self.job(.running)
    late.leaseExpiresAt = Self.now - 1
    #expect(Self.after(event, late).job?.leaseExpiresAt == Self.now + 45)
  }

  /// Fencing is (job, attempt, owner, running): any one of them wrong refuses.
  @Test func fencingChecksJobAttemptOwnerAndState() {
    let running = Self.job(.running)
    let fences = [
      LeaseFence(jobID: 8, attempt: 2, owner: "w"), LeaseFence(jobID: 7, attempt: 1, owner: "w"),
      LeaseFence(jobID: 7, attempt: 2, owner: "x"),
    ]
    for fence in fences {
      for event in [
        JobEvent.heartbeat(fence, leaseSeconds: 30), .complete(fence),
        .fail(fence, reason: "r", retryable: true, retryAfter: 0), .release(fence), .markCancelled(fence),
      ] {
        #expect(Self.after(event, running).refusal == .fencedOff(fence))
      }
    }
    #expect(running.holds(Self.fence))
    var closed = running
    closed.state = .succeeded
    #expect(!closed.holds(Self.fence), "a closed job keeping its owner is not held")
  }

  @Test(arguments: JobState.allCases) func complete(_ state: JobState) throws {
    let event = JobEvent.complete(Self.fence)
    guard state == .running else { return Self.fencedOff(event, state) }
    let change = try Self.apply(event, Self.job(.running)).get()
    var expected = Self.job(.running)
    expected.state = .succeeded
    expected.finishedAt = Self.now
    expected.lastError = nil
    (expected.leaseOwner, expected.leaseExpiresAt) = (nil, nil)
    #expect(change.after == expected && change.storesPlan)
    #expect(change.fields == [.state, .leaseOwner, .leaseExpiresAt, .lastError, .finishedAt])

    var asked = Self.job(.running)
    asked.cancelRequested = true
    let discarded = try Self.apply(event, asked).get()
    #expect(!discarded.storesPlan)
    #expect(discarded.after.state == .cancelled && discarded.after.lastError == CancelNotes.planDiscarded)
    #expect(discarded.after.finishedAt == Self.now && discarded.after.leaseOwner == nil)
    #expect(discarded.after.failures == 1, "a cancel counts no failure")
  }

  @Test(arguments: JobState.allCases) func fail(_ state: JobState) {
    let event = JobEvent.fail(Self.fence, reason: "boom", retryable: true, retryAfter: 8)
    guard state == .running else { return Self.fencedOff(event, state) }
    var queued = Self.job(.running)
    queued.state = .queued
    queued.failures = 2
    queued.runAfter = Self.now + 8
    queued.lastError = "attempt 2: boom"
    (queued.leaseOwner, queued.leaseExpiresAt) = (nil, nil)
    #expect(Self.after(event, Self.job(.running)).job == queued)

    var failed = queued
    failed.state = .failed
    failed.runAfter = Self.job(.running).runAfter
    failed.finishedAt = Self.now
    let notRetryable = JobEvent.fail(Self.fence, reason: "boom", retryable: false, retryAfter: 8)
    #expect(Self.after(notRetryable, Self.job(.running)).job == failed)

    var lastTry = Self.job(.running)
    lastTry.failures = 2
    failed.failures = 3
    #expect(Self.after(event, lastTry).job == failed, "the third failure of three tries is final")

    var asked = Self.job(.running)
    asked.cancelRequested = true
    let cancelled = Self.after(event, asked).job
    #expect(cancelled?.state == .cancelled && cancelled?.failures == 1)
    #expect(cancelled?.lastError == "cancelled (its last try had failed: boom)")
  }

  @Test(arguments: JobState.allCases) func release(_ state: JobState) {
    let event = JobEvent.release(Self.fence)
    guard state == .running else { return Self.fencedOff(event, state) }
    var expected = Self.job(.running)
    expected.state = .queued
    expected.runAfter = Self.now
    (expected.leaseOwner, expected.leaseExpiresAt) = (nil, nil)
    #expect(Self.after(event, Self.job(.running)).job == expected, "no failure counted, attempt kept")

    var asked = Self.job(.running)
    asked.cancelRequested = true
    let cancelled = Self.after(event, asked).job
    #expect(cancelled?.state == .cancelled && cancelled?.lastError == "cancelled while its worker stopped")
    #expect(cancelled?.finishedAt == Self.now)
  }

  @Test(arguments: JobState.allCases) func markCancelled(_ state: JobState) {
    let event = JobEvent.markCancelled(Self.fence)
    guard state == .running else { return Self.fencedOff(event, state) }
    var expected = Self.job(.running)
    expected.state = .cancelled
    expected.finishedAt = Self.now
    expected.lastError = "cancelled while running"
    (expected.leaseOwner, expected.leaseExpiresAt) = (nil, nil)
    #expect(Self.after(event, Self.job(.running)).job == expected)
  }

  @Test(arguments: JobState.allCases) func rescue(_ state: JobState) {
    guard state == .running else {
      let refused = Self.after(.rescue, Self.job(state)).refusal
      #expect(refused == .leaseNotExpired(jobID: 7, state: state))
      #expect(refused?.message == "job 7 is \(state.rawValue); only running jobs have a lease to rescue")
      return
    }
    let live = Self.after(.rescue, Self.job(.running)).refusal
    #expect(live?.message == "job 7 is running and its lease has not expired; nothing to rescue")
    var atExpiry = Self.job(.running)
    atExpiry.leaseExpiresAt = Self.now
    #expect(Self.after(.rescue, atExpiry).refusal != nil, "a lease is rescued only after it expires")

    var expired = Self.job(.running)
    expired.leaseExpiresAt = Self.now - 1
    var queued = expired
    queued.state = .queued
    queued.failures = 2
    queued.runAfter = Self.now
    queued.lastError = "attempt 2: the worker stopped renewing its lease (it crashed or was killed)"
    (queued.leaseOwner, queued.leaseExpiresAt) = (nil, nil)
    #expect(Self.after(.rescue, expired).job == queued)

    var lastTry = expired
    lastTry.failures = 2
    var failed = queued
    failed.state = .failed
    failed.failures = 3
    failed.runAfter = expired.runAfter
    failed.finishedAt = Self.now
    failed.lastError = LeaseNotes.expired(attempt: 2, lastTry: true)
    #expect(Self.after(.rescue, lastTry).job == failed)
    #expect(failed.lastError?.hasSuffix("(it crashed or was killed); no tries left") == true)

    var asked = expired
    asked.cancelRequested = true
    var cancelled = asked
    cancelled.state = .cancelled
    cancelled.finishedAt = Self.now
    (cancelled.leaseOwner, cancelled.leaseExpiresAt) = (nil, nil)
    #expect(Self.after(.rescue, asked).job == cancelled, "closed as asked; its note and failures kept")
  }

  @Test(arguments: JobState.allCases) func cancel(_ state: JobState) {
    let result = Self.after(.cancel, Self.job(state))
    switch state {
    case .queued:
      var expected = Self.job(.queued)
      expected.state = .cancelled
      expected.finishedAt = Self.now
      expected.lastError = "cancelled before it ran"
      #expect(result.job == expected)
    case .running:
      var expected = Self.job(.running)
      expected.cancelRequested = true
      #expect(result.job == expected, "a running job is asked to stop; its worker closes it")
    case .succeeded, .failed, .cancelled:
      #expect(result.refusal?.message == "job 7 has already \(state.rawValue); nothing to cancel")
      #expect(result.refusal?.storeError.kind == .conflict)
    }
  }

  @Test(arguments: JobState.allCases) func retry(_ state: JobState) {
    let result = Self.after(.retry, Self.job(state))
    switch state {
    case .failed, .cancelled:
      var expected = Self.job(state)
      expected.state = .queued
      expected.failures = 0
      expected.runAfter = Self.now
      expected.finishedAt = nil
      #expect(result.job == expected, "a fresh count of tries; attempt and note kept")
    case .succeeded:
      #expect(
        result.refusal?.message
          == "job 7 is succeeded; only failed or cancelled jobs can be retried (submit the scenario again for a new plan)"
      )
    case .queued, .running:
      #expect(
        result.refusal?.message == "job 7 is \(state.rawValue); only failed or cancelled jobs can be retried")
    }
    var askedThenFailed = Self.job(.failed)
    askedThenFailed.cancelRequested = true
    #expect(Self.after(.retry, askedThenFailed).job?.cancelRequested == false)
  }

  /// A backend writes exactly the columns that differ, with their new values.
  @Test func fieldsAreTheColumnsThatDiffer() throws {
    let claim = try Self.apply(.claim(owner: "v", leaseSeconds: 30), Self.job(.queued)).get()
    #expect(claim.fields == [.state, .attempt, .leaseOwner, .leaseExpiresAt])
    #expect(claim.fields.map(\.column) == ["state", "attempt", "lease_owner", "lease_expires_at"])
    #expect(JobField.leaseExpiresAt.value(in: claim.after) == .time(Self.now + 30))
    #expect(JobField.state.value(in: claim.after) == .text("running"))
    let retry = try Self.apply(.retry, Self.job(.cancelled)).get()
    #expect(retry.fields == [.state, .failures, .runAfter, .finishedAt])
    #expect(JobField.finishedAt.value(in: retry.after) == .time(nil))
    let asked = try Self.apply(.cancel, Self.job(.running)).get()
    #expect(asked.fields == [.cancelRequested] && !asked.storesPlan)
  }
}

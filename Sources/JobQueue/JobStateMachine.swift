import Foundation

/// The one place a job's state changes. Every backend locks the job's row,
/// reads it, asks `JobStateMachine.apply` what the event does to it and
/// writes the answer in its own SQL; none of them decides anything itself.
/// docs/stores.md has the table of states and events.
public enum JobStateMachine {
  /// What `event` at `now` does to `job`: the job as it is to be written, or
  /// why the event does not apply (the job is then left as it is).
  public static func apply(_ event: JobEvent, to job: Job, now: Date) -> Result<JobChange, JobRefusal> {
    // A worker's event counts only while its lease still holds the job.
    if let fence = event.fence, !job.holds(fence) { return .failure(.fencedOff(fence)) }
    switch event {
    case .claim(let owner, let leaseSeconds):
      guard job.state == .queued, job.runAfter <= now else {
        return .failure(.notRunnable(jobID: job.id, state: job.state, runAfter: job.runAfter))
      }
      return change(job) {
        $0.state = .running
        $0.attempt += 1
        $0.leaseOwner = owner
        $0.leaseExpiresAt = now.addingTimeInterval(leaseSeconds)
        $0.startedAt = $0.startedAt ?? now
        // A new attempt starts its own solve; an earlier attempt's progress would mislead.
        $0.progress = nil
      }
    case .heartbeat(_, let leaseSeconds, let progress):
      return change(job) {
        $0.leaseExpiresAt = now.addingTimeInterval(leaseSeconds)
        // No report since the last beat keeps the last one (its age shows how old it is).
        if let progress { $0.progress = progress }
      }
    case .complete:
      // A cancel that committed before the plan wins over it (docs/stores.md).
      if job.cancelRequested { return close(job, now: now, note: CancelNotes.planDiscarded) }
      return change(job, storesPlan: true) {
        $0.state = .succeeded
        $0.finishedAt = now
        $0.lastError = nil
        $0.clearLease()
      }
    case .fail(_, let reason, let retryable, let retryAfter):
      if job.cancelRequested { return close(job, now: now, note: CancelNotes.lastTryFailed(reason)) }
      let note = "attempt \(job.attempt): \(reason)"
      if retryable && job.failures + 1 < job.maxAttempts {
        return requeue(job, after: now.addingTimeInterval(retryAfter), note: note)
      }
      return finishFailed(job, now: now, note: note)
    case .release:
      if job.cancelRequested { return close(job, now: now, note: CancelNotes.workerStopped) }
      return change(job) {
        $0.state = .queued
        $0.runAfter = now
        $0.clearLease()
        $0.progress = nil
      }
    case .markCancelled:
      return close(job, now: now, note: CancelNotes.whileRunning)
    case .rescue:
      guard job.state == .running, let expiry = job.leaseExpiresAt, expiry < now else {
        return .failure(.leaseNotExpired(jobID: job.id, state: job.state))
      }
      // Closed as asked, keeping the last try's note: no failure is counted.
      if job.cancelRequested {
        return change(job) {
          $0.state = .cancelled
          $0.finishedAt = now
          $0.clearLease()
        }
      }
      if job.failures + 1 >= job.maxAttempts {
        return finishFailed(job, now: now, note: LeaseNotes.expired(attempt: job.attempt, lastTry: true))
      }
      return requeue(job, after: now, note: LeaseNotes.expired(attempt: job.attempt, lastTry: false))
    case .cancel:
      switch job.state {
      case .queued: return close(job, now: now, note: CancelNotes.beforeItRan)
      case .running: return change(job) { $0.cancelRequested = true }
      case .succeeded, .failed, .cancelled: return .failure(.nothingToCancel(jobID: job.id, state: job.state))
      }
    case .retry:
      guard job.state == .failed || job.state == .cancelled else {
        return .failure(.notRetryable(jobID: job.id, state: job.state))
      }
      return change(job) {
        $0.state = .queued
        $0.failures = 0
        $0.cancelRequested = false
        $0.runAfter = now
        $0.finishedAt = nil
        $0.clearLease()
        $0.progress = nil
      }
    }
  }

  private static func change(_ job: Job, storesPlan: Bool = false, _ edit: (inout Job) -> Void)
    -> Result<JobChange, JobRefusal>
  {
    var after = job
    edit(&after)
    return .success(JobChange(before: job, after: after, storesPlan: storesPlan))
  }

  /// Closes a job as cancelled, with no failure counted.
  private static func close(_ job: Job, now: Date, note: String) -> Result<JobChange, JobRefusal> {
    change(job) {
      $0.state = .cancelled
      $0.finishedAt = now
      $0.lastError = note
      $0.clearLease()
    }
  }

  /// Counts a failed try and queues the job for another.
  private static func requeue(_ job: Job, after runAfter: Date, note: String) -> Result<JobChange, JobRefusal>
  {
    change(job) {
      $0.state = .queued
      $0.failures += 1
      $0.runAfter = runAfter
      $0.lastError = note
      $0.clearLease()
      $0.progress = nil
    }
  }

  /// Counts a failed try and fails the job for good.
  private static func finishFailed(_ job: Job, now: Date, note: String) -> Result<JobChange, JobRefusal> {
    change(job) {
      $0.state = .failed
      $0.failures += 1
      $0.finishedAt = now
      $0.lastError = note
      $0.clearLease()
    }
  }
}

/// Something that happens to a job. The time comes with `apply`.
public enum JobEvent: Sendable, Equatable {
  /// A worker takes the job for `leaseSeconds`.
  case claim(owner: String, leaseSeconds: Double)
  /// The worker holding the job renews its lease, with its solve's latest progress if any.
  case heartbeat(LeaseFence, leaseSeconds: Double, progress: JobProgress? = nil)
  /// The worker holding the job has its plan.
  case complete(LeaseFence)
  /// The worker holding the job failed to solve it.
  case fail(LeaseFence, reason: String, retryable: Bool, retryAfter: Double)
  /// The worker holding the job gives it back (it is shutting down).
  case release(LeaseFence)
  /// The worker holding the job stopped it because a cancel was asked for.
  case markCancelled(LeaseFence)
  /// A claimer finds the job's lease expired: its worker is gone.
  case rescue
  /// Someone asks for the job to be cancelled.
  case cancel
  /// Someone puts a failed or cancelled job back in the queue.
  case retry

  /// The lease a worker's event is fenced by; nil for events from anyone else.
  var fence: LeaseFence? {
    switch self {
    case .heartbeat(let fence, _, _), .complete(let fence), .fail(let fence, _, _, _), .release(let fence),
      .markCancelled(let fence):
      return fence
    case .claim, .rescue, .cancel, .retry:
      return nil
    }
  }
}

/// What proves a worker still holds its job: a result counts only from the
/// owner of the job's current attempt while the job runs.
public struct LeaseFence: Sendable, Equatable {
  public var jobID: Int64
  public var attempt: Int
  public var owner: String

  public init(jobID: Int64, attempt: Int, owner: String) {
    self.jobID = jobID
    self.attempt = attempt
    self.owner = owner
  }
}

extension Lease {
  public var fence: LeaseFence { LeaseFence(jobID: jobID, attempt: attempt, owner: owner) }
}

extension Job {
  /// Whether `fence` still holds this job: same job, same attempt, same owner, running.
  public func holds(_ fence: LeaseFence) -> Bool {
    id == fence.jobID && attempt == fence.attempt && leaseOwner == fence.owner && state == .running
  }

  mutating func clearLease() {
    leaseOwner = nil
    leaseExpiresAt = nil
  }
}

/// An event that does not apply to the job as it is; the job stays unchanged.
public enum JobRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  /// The lease was taken over, or the job closed: the worker records nothing.
  case fencedOff(LeaseFence)
  /// Only a queued job whose back-off has run out can be claimed.
  case notRunnable(jobID: Int64, state: JobState, runAfter: Date)
  /// Only a running job whose lease has expired can be rescued.
  case leaseNotExpired(jobID: Int64, state: JobState)
  case nothingToCancel(jobID: Int64, state: JobState)
  case notRetryable(jobID: Int64, state: JobState)

  public var message: String {
    switch self {
    case .fencedOff(let f):
      return
        "job \(f.jobID) is no longer held by \(f.owner) at attempt \(f.attempt); its result is not recorded"
    case .notRunnable(let id, let state, let runAfter):
      return state == .queued
        ? "job \(id) is queued to run after \(runAfter); it cannot be claimed before"
        : "job \(id) is \(state.rawValue); only queued jobs can be claimed"
    case .leaseNotExpired(let id, let state):
      return state == .running
        ? "job \(id) is running and its lease has not expired; nothing to rescue"
        : "job \(id) is \(state.rawValue); only running jobs have a lease to rescue"
    case .nothingToCancel(let id, let state):
      return "job \(id) has already \(state.rawValue); nothing to cancel"
    case .notRetryable(let id, let state):
      return "job \(id) is \(state.rawValue); only failed or cancelled jobs can be retried"
        + (state == .succeeded ? " (submit the scenario again for a new plan)" : "")
    }
  }

  public var description: String { message }

  /// The refusal as the store reports it to a person (cancel and retry).
  public var storeError: StoreError { StoreError(.conflict, message) }
}

/// What an event does to a job: the job before and after. Backends write
/// the `fields` that differ, and nothing else.
public struct JobChange: Sendable, Equatable {
  public var before: Job
  public var after: Job
  /// Set by `complete` when the plan is to be stored: the backend stores it
  /// and sets `plan_id` in the same transaction as this change.
  public var storesPlan: Bool

  /// The columns to write, in a fixed order.
  public var fields: [JobField] { JobField.allCases.filter { $0.value(in: before) != $0.value(in: after) } }
}

/// A column of `jobs` that the state machine changes, with its stored name.
/// (`plan_id` is the backend's to set with a stored plan; `options` with a
/// scheduled job's previous plan, at claim.)
public enum JobField: String, CaseIterable, Sendable {
  case state, attempt, failures
  case runAfter = "run_after", leaseOwner = "lease_owner", leaseExpiresAt = "lease_expires_at"
  case cancelRequested = "cancel_requested", lastError = "last_error", startedAt = "started_at"
  case finishedAt = "finished_at", progress

  public var column: String { rawValue }

  public func value(in job: Job) -> JobFieldValue {
    switch self {
    case .state: .text(job.state.rawValue)
    case .attempt: .int(job.attempt)
    case .failures: .int(job.failures)
    case .runAfter: .time(job.runAfter)
    case .leaseOwner: .text(job.leaseOwner)
    case .leaseExpiresAt: .time(job.leaseExpiresAt)
    case .cancelRequested: .flag(job.cancelRequested)
    case .lastError: .text(job.lastError)
    case .startedAt: .time(job.startedAt)
    case .finishedAt: .time(job.finishedAt)
    case .progress: .text(job.progress?.storedText)
    }
  }
}

/// A column's new value, for a backend to bind. Times are stored as Unix seconds.
public enum JobFieldValue: Sendable, Equatable {
  case text(String?)
  case int(Int)
  case time(Date?)
  case flag(Bool)
}

/// What a job's `last_error` says when its lease ran out.
public enum LeaseNotes {
  public static func expired(attempt: Int, lastTry: Bool) -> String {
    "attempt \(attempt): the worker stopped renewing its lease (it crashed or was killed)"
      + (lastTry ? "; no tries left" : "")
  }
}

/// What a cancelled job's `last_error` says, the same on every backend.
public enum CancelNotes {
  /// The solve finished, but a cancel had been recorded first.
  public static let planDiscarded = "cancelled while running; its plan was discarded"
  public static let beforeItRan = "cancelled before it ran"
  public static let whileRunning = "cancelled while running"
  public static let workerStopped = "cancelled while its worker stopped"
  public static func lastTryFailed(_ reason: String) -> String {
    "cancelled (its last try had failed: \(reason))"
  }
}

import Foundation
import JobQueue
import PropertyBased
import Testing

/// Random runs of events against one job, from workers that hold it and
/// workers that lost it: whatever the order, the rules that the queue's
/// guarantees rest on hold after every step.
@Suite struct JobStateMachinePropertyTests {
  /// One step of a run, decoded from a number: which event, from which of
  /// two workers (and which of their attempts), and how far the clock moves.
  struct Step: CustomStringConvertible {
    var event: JobEvent
    var advance: Double

    init(_ n: Int, job: Job, owners: [String: Int]) {
      let owner = n / 11 % 2 == 0 ? "a" : "b"
      // A worker reports for the attempt it claimed, which may be stale.
      let fence = LeaseFence(jobID: job.id, attempt: owners[owner] ?? 0, owner: owner)
      let retryable = n / 22 % 2 == 0
      switch n % 11 {
      case 0, 1: event = .claim(owner: owner, leaseSeconds: 10)
      case 2:
        // Every other beat carries a report, so progress comes and goes over a run.
        let report = JobProgress(
          reportedAt: Date(timeIntervalSince1970: Double(n)), elapsedSeconds: 1, gap: 0.1)
        event = .heartbeat(fence, leaseSeconds: 10, progress: retryable ? report : nil)
      case 3: event = .complete(fence)
      case 4: event = .fail(fence, reason: "boom", retryable: retryable, retryAfter: Double(n % 3 * 5))
      case 5: event = .release(fence)
      case 6: event = .markCancelled(fence)
      case 7, 8: event = .rescue
      case 9: event = .cancel
      default: event = .retry
      }
      advance = Double(n / 44 % 4 * 4)
    }

    var description: String { "\(event) after \(advance) s" }
  }

  static let start = Date(timeIntervalSince1970: 1_800_000_000)

  static func newJob(maxAttempts: Int) -> Job {
    Job(
      id: 1, state: .queued, scenarioID: "s", source: "s.yaml", scenarioSHA256: "abc", options: JobOptions(),
      priority: 0, idempotencyKey: nil, attempt: 0, failures: 0, maxAttempts: maxAttempts, runAfter: start,
      leaseOwner: nil, leaseExpiresAt: nil, cancelRequested: false, lastError: nil, planID: nil,
      scheduleID: nil, createdAt: start, startedAt: nil, finishedAt: nil)
  }

  @Test func invariantsHoldOverAnyRunOfEvents() async {
    let runs = Gen.int(in: 0...175).array(of: 1...60)
    await propertyCheck(count: 1000, input: runs, Gen.int(in: 1...4)) { numbers, maxAttempts in
      var job = Self.newJob(maxAttempts: maxAttempts)
      var now = Self.start
      var owners: [String: Int] = [:]
      var plans = 0
      for n in numbers {
        let step = Step(n, job: job, owners: owners)
        now += step.advance
        let before = job
        switch JobStateMachine.apply(step.event, to: job, now: now) {
        case .failure:
          continue
        case .success(let change):
          #expect(change.before == before)
          job = change.after
          if change.storesPlan { plans += 1 }
        }
        if case .claim(let owner, _) = step.event { owners[owner] = job.attempt }
        Self.checkStep(from: before, to: job, by: step.event)
      }
      #expect(plans <= 1, "a job has at most one plan")
      #expect(plans == (job.state == .succeeded ? 1 : 0))
    }
  }

  static func checkStep(from before: Job, to after: Job, by event: JobEvent) {
    // A lease exactly while running. A cancel asked for is pending while the
    // job runs and stays on record once it closed it; only retry clears it.
    #expect((after.leaseOwner != nil) == (after.state == .running), "\(event)")
    #expect((after.leaseExpiresAt != nil) == (after.state == .running), "\(event)")
    #expect(!after.cancelRequested || after.state == .running || after.state == .cancelled, "\(event)")
    if before.cancelRequested && before.state == .running && !after.state.isFinal {
      #expect(
        after.state == .running && after.cancelRequested, "a running job asked to stop never runs again")
    }
    // The fencing token only rises, and only a claim raises it, by one.
    if case .claim = event {
      #expect(after.attempt == before.attempt + 1)
    } else {
      #expect(after.attempt == before.attempt, "\(event)")
    }
    // Failures stay within the tries allowed; only retry starts the count again.
    #expect(after.failures <= after.maxAttempts)
    if event != .retry { #expect(after.failures >= before.failures, "\(event)") }
    // A closed job leaves its state only through retry, and stays stamped while closed.
    if before.state.isFinal && after.state != before.state {
      #expect(event == .retry && after.state == .queued)
    }
    #expect(after.state.isFinal == (after.finishedAt != nil), "\(event)")
    // Progress belongs to an attempt: a queued job has none, and only a beat from the holder sets it.
    #expect(after.state != .queued || after.progress == nil, "\(event)")
    if after.progress != before.progress, after.progress != nil {
      guard case .heartbeat = event else {
        Issue.record("\(event) set progress")
        return
      }
    }
    // Nothing but the state machine's columns changes.
    var kept = after
    for field in JobField.allCases { field.copy(from: before, to: &kept) }
    #expect(kept == before)
  }
}

extension JobField {
  /// Sets this column of `job` to its value in `source`.
  func copy(from source: Job, to job: inout Job) {
    switch self {
    case .state: job.state = source.state
    case .attempt: job.attempt = source.attempt
    case .failures: job.failures = source.failures
    case .runAfter: job.runAfter = source.runAfter
    case .leaseOwner: job.leaseOwner = source.leaseOwner
    case .leaseExpiresAt: job.leaseExpiresAt = source.leaseExpiresAt
    case .cancelRequested: job.cancelRequested = source.cancelRequested
    case .lastError: job.lastError = source.lastError
    case .startedAt: job.startedAt = source.startedAt
    case .finishedAt: job.finishedAt = source.finishedAt
    case .progress: job.progress = source.progress
    }
  }
}

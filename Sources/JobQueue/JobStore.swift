import CapacityModel
import Foundation

/// Filters for listing jobs and plans. Nil means any.
public struct JobFilter: Sendable {
  public var states: [JobState]?
  public var limit: Int = 100
  public init(states: [JobState]? = nil, limit: Int = 100) {
    self.states = states
    self.limit = limit
  }
}

public struct PlanFilter: Sendable {
  public var scenarioID: String?
  public var status: String?
  public var scheduleID: Int64?
  public var since: Date?
  public var limit: Int = 50
  public init() {}
}

/// Everything the queue, the worker and the plan commands need from storage.
/// SQLite (`SQLiteStore`) is the default and PostgreSQL (`PostgresStore`, in
/// its own module) serves many machines; both give the same guarantees:
/// claims are atomic, results are fenced by (job, attempt, owner), and a job
/// has at most one plan. Times come from the caller, so tests control the clock.
public protocol JobStore: Sendable {
  /// Where the store lives, for messages: a path, or a URL without its password.
  var location: String { get }
  /// "sqlite" or "postgres": the `backend` label of the store's metrics.
  var backendName: String { get }
  /// Signalled when work may have arrived (see `WorkSignal`).
  var workSignal: WorkSignal { get }
  /// Seconds an idle worker waits between looks when nothing signals it:
  /// short where nothing can (SQLite), long where NOTIFY does (PostgreSQL).
  var idlePollSeconds: Double { get }
  /// Returns when work may have arrived since `generation` (read from
  /// `workSignal` before the last look), or after `timeout` seconds.
  func waitForWork(since generation: UInt64, timeout: Double) async

  /// Enqueues a job, or returns the existing one with the same idempotency key
  /// (`created` false).
  func submit(_ submission: JobSubmission, now: Date) throws(StoreError) -> (job: Job, created: Bool)
  func job(_ id: Int64) throws(StoreError) -> Job
  /// The scenario file's text as submitted.
  func scenarioText(ofJob id: Int64) throws(StoreError) -> String
  func jobs(_ filter: JobFilter) throws(StoreError) -> [Job]
  /// A queued job is cancelled at once; a running one is asked to stop.
  func cancel(_ id: Int64, now: Date) throws(StoreError) -> Job
  /// Puts a failed or cancelled job back in the queue with a fresh count of tries.
  func retry(_ id: Int64, now: Date) throws(StoreError) -> Job

  /// Takes the most urgent runnable job for `owner`, first returning jobs whose
  /// lease expired to the queue (or failing them when out of tries).
  func claim(owner: String, leaseSeconds: Double, now: Date) throws(StoreError) -> Lease?
  /// Renews the lease and stores `progress` on the job (nil keeps the last), in one write.
  func heartbeat(_ lease: Lease, leaseSeconds: Double, progress: JobProgress?, now: Date) throws(StoreError)
    -> HeartbeatResult
  /// Records the plan and closes the job, if `lease` still holds it. Returns
  /// the plan id, or nil when fenced off (the plan is then not stored). A
  /// cancel recorded before this call wins: the job is closed as cancelled,
  /// no plan is stored, and nil is returned. A cancel after it finds the job
  /// succeeded and is refused.
  func complete(_ lease: Lease, plan: Plan, now: Date) throws(StoreError) -> Int64?
  /// Records a failed try: queued again after `retryAfter` while tries remain
  /// and `retryable`, else failed for good. Returns the job's new state, or nil if fenced off.
  func fail(_ lease: Lease, reason: String, retryable: Bool, retryAfter: Double, now: Date) throws(StoreError)
    -> JobState?
  /// Closes a job whose cancel was honoured.
  func markCancelled(_ lease: Lease, now: Date) throws(StoreError) -> Bool
  /// Gives a job back without counting a failure (a worker shutting down).
  func release(_ lease: Lease, now: Date) throws(StoreError)

  func plan(_ id: Int64) throws(StoreError) -> Plan
  func planSummary(_ id: Int64) throws(StoreError) -> PlanSummary
  func plans(_ filter: PlanFilter) throws(StoreError) -> [PlanSummary]

  /// How many jobs are in each state, from one grouped count (not by reading
  /// jobs): every state is present, zero when none. Read when metrics are scraped.
  func jobCountsByState() throws(StoreError) -> [JobState: Int]
}

extension JobStore {
  public func heartbeat(_ lease: Lease, leaseSeconds: Double, now: Date) throws(StoreError) -> HeartbeatResult
  {
    try heartbeat(lease, leaseSeconds: leaseSeconds, progress: nil, now: now)
  }

  public func waitForWork(since generation: UInt64, timeout: Double) async {
    await workSignal.wait(since: generation, timeout: timeout)
  }
}

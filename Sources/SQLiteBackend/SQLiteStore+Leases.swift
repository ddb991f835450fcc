import CapacityModel
import Foundation
import GRDB
import JobQueue

extension SQLiteStore {
  public func claim(owner: String, leaseSeconds: Double, now: Date) throws(StoreError) -> Lease? {
    let now = now.asStored
    // Counted once the transaction committed.
    let (lease, rescued) = try writeImmediate { db -> (Lease?, Int) in
      let rescued = try Self.rescueExpiredLeases(db, now: now)
      return (try Self.claimNext(db, owner: owner, leaseSeconds: leaseSeconds, now: now), rescued)
    }
    metrics.leasesExpired(backend: backendName, count: rescued)
    if lease != nil { metrics.claimed(backend: backendName) }
    return lease
  }

  static func claimNext(_ db: Database, owner: String, leaseSeconds: Double, now: Date) throws -> Lease? {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT \(Self.jobColumns), scenario_text FROM jobs WHERE state = 'queued' AND run_after <= ?
          ORDER BY priority DESC, id LIMIT 1
          """,
        arguments: [now.unix]),
      case .success(let change) = JobStateMachine.apply(
        .claim(owner: owner, leaseSeconds: leaseSeconds), to: try Self.job(from: row), now: now)
    else { return nil }
    try Self.write(db, change)
    let job = change.after
    var options = job.options
    // A scheduled job stays close to its schedule's newest plan, looked up now
    // rather than when it fired, so a backlog still starts from the freshest.
    if let schedule = job.scheduleID, options.previousPlanID == nil, options.unreadable == nil,
      let latest = try Int64.fetchOne(
        db,
        sql: """
          SELECT id FROM plans WHERE schedule_id = ? AND status IN (\(PlanStatus.withSolutionSQLList))
          ORDER BY id DESC LIMIT 1
          """,
        arguments: [schedule])
    {
      options.previousPlanID = latest
      try db.execute(
        sql: "UPDATE jobs SET options = ? WHERE id = ?",
        arguments: [try options.storedText(), job.id])
    }
    var previous: Data?
    if let planID = options.previousPlanID {
      previous = try String.fetchOne(
        db, sql: "SELECT plan_json FROM plans WHERE id = ?", arguments: [planID]
      )
      .map { Data($0.utf8) }
    }
    return Lease(
      jobID: job.id, attempt: job.attempt, owner: owner, scenarioText: row["scenario_text"],
      options: options, previousPlanJSON: previous)
  }

  /// Jobs whose worker stopped renewing its lease, each as the state machine
  /// rescues it (cancelled if asked to be, else queued again, or failed when
  /// that was its last try).
  @discardableResult
  static func rescueExpiredLeases(_ db: Database, now: Date) throws -> Int {
    let expired = try Row.fetchAll(
      db, sql: "SELECT \(jobColumns) FROM jobs WHERE state = 'running' AND lease_expires_at < ?",
      arguments: [now.unix])
    var rescued = 0
    for row in expired {
      if case .success(let change) = JobStateMachine.apply(.rescue, to: try job(from: row), now: now) {
        try write(db, change)
        rescued += 1
      }
    }
    return rescued
  }

  /// Applies a worker's event to the job its lease names; a job that is gone
  /// is as fenced off as one another worker holds.
  static func apply(_ event: JobEvent, to lease: Lease, _ db: Database, now: Date) throws -> JobChange? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT \(jobColumns) FROM jobs WHERE id = ?", arguments: [lease.jobID]),
      case .success(let change) = JobStateMachine.apply(event, to: try job(from: row), now: now)
    else { return nil }
    if !change.storesPlan { try write(db, change) }
    return change
  }

  public func heartbeat(_ lease: Lease, leaseSeconds: Double, progress: JobProgress?, now: Date)
    throws(StoreError) -> HeartbeatResult
  {
    try writeImmediate { db in
      guard
        let change = try Self.apply(
          .heartbeat(lease.fence, leaseSeconds: leaseSeconds, progress: progress), to: lease, db, now: now)
      else { return .lost }
      return .held(cancelRequested: change.after.cancelRequested)
    }
  }

  public func complete(_ lease: Lease, plan: Plan, now: Date) throws(StoreError) -> Int64? {
    let json = try plan.storedJSONText()
    return try writeImmediate { db -> Int64? in
      // Without `storesPlan`, a cancel came first: the job is closed and the plan discarded.
      guard let change = try Self.apply(.complete(lease.fence), to: lease, db, now: now), change.storesPlan
      else { return nil }
      let planID = try Self.insertPlan(
        db, plan, json: json, job: change.before, attempt: lease.attempt, now: now)
      try Self.write(db, change, planID: planID)
      return planID
    }
  }

  public func fail(_ lease: Lease, reason: String, retryable: Bool, retryAfter: Double, now: Date)
    throws(StoreError)
    -> JobState?
  {
    try writeImmediate { db -> JobState? in
      let event = JobEvent.fail(lease.fence, reason: reason, retryable: retryable, retryAfter: retryAfter)
      return try Self.apply(event, to: lease, db, now: now)?.after.state
    }
  }

  public func markCancelled(_ lease: Lease, now: Date) throws(StoreError) -> Bool {
    try writeImmediate { db in try Self.apply(.markCancelled(lease.fence), to: lease, db, now: now) != nil }
  }

  public func release(_ lease: Lease, now: Date) throws(StoreError) {
    try writeImmediate { db in _ = try Self.apply(.release(lease.fence), to: lease, db, now: now) }
  }
}

import CapacityModel
import Foundation
import JobQueue

extension PostgresStore {
  public func claim(owner: String, leaseSeconds: Double, now: Date) throws(StoreError) -> Lease? {
    // Marks this call's claim, so a try after an unanswered COMMIT takes back
    // the job its predecessor claimed instead of leaving it to expire.
    let token = UUID().uuidString
    // Counted once the transaction committed, not per try.
    let (lease, rescued) = try transaction("claiming a job") { tx -> (Lease?, Int) in
      let now = now.addingTimeInterval(tx.delay).asStored
      var rescued = 0
      var claimed =
        !tx.isRetry
        ? nil
        // Taken back with its lease renewed: the retries may have outlasted it.
        : try tx.one(
          """
          UPDATE jobs SET lease_expires_at = $3
          WHERE claim_token = $1 AND state = 'running' AND lease_owner = $2
          RETURNING id, attempt, scenario_text, options, schedule_id
          """, [.text(token), .text(owner), .double(now.unix + leaseSeconds)])
      if claimed == nil {
        rescued = try Self.rescueExpiredLeases(tx, now: now)
        if rescued > 0 { try Self.notifyWorkers(tx) }
        // The state machine's `.claim`, in one statement so that claimers skip
        // each other's rows in one round trip. `StoreAgreesWithStateMachineTests`
        // holds its outcome to `JobStateMachine.apply` on jobs in every state.
        claimed = try tx.one(
          """
          WITH next AS (
            SELECT id FROM jobs WHERE state = 'queued' AND run_after <= $1
            ORDER BY priority DESC, id LIMIT 1
            FOR UPDATE SKIP LOCKED)
          UPDATE jobs SET state = 'running', attempt = jobs.attempt + 1, lease_owner = $2,
            lease_expires_at = $3, started_at = COALESCE(jobs.started_at, $1), claim_token = $4
          FROM next WHERE jobs.id = next.id
          RETURNING jobs.id, jobs.attempt, jobs.scenario_text, jobs.options, jobs.schedule_id
          """,
          [.double(now.unix), .text(owner), .double(now.unix + leaseSeconds), .text(token)])
      }
      guard let row = claimed else { return (nil, rescued) }
      let id = try row.get("id", as: Int64.self)
      var options = JobOptions(storedText: try row.get("options", as: String.self))
      // As in SQLite: a scheduled job starts from its schedule's newest plan as of now.
      if let schedule = try row.get("schedule_id", as: Int64?.self), options.previousPlanID == nil,
        options.unreadable == nil,
        let latest = try tx.one(
          """
          SELECT id FROM plans WHERE schedule_id = $1 AND status IN (\(PlanStatus.withSolutionSQLList))
          ORDER BY id DESC LIMIT 1
          """, [.int(schedule)])
      {
        options.previousPlanID = try latest.get("id", as: Int64.self)
        try tx.execute(
          "UPDATE jobs SET options = $1 WHERE id = $2",
          [.text(try options.storedText()), .int(id)])
      }
      var previous: Data?
      if let planID = options.previousPlanID {
        previous = try tx.one("SELECT plan_json FROM plans WHERE id = $1", [.int(planID)])
          .map { Data(try $0.get("plan_json", as: String.self).utf8) }
      }
      let lease = Lease(
        jobID: id, attempt: Int(try row.get("attempt", as: Int64.self)), owner: owner,
        scenarioText: try row.get("scenario_text"), options: options, previousPlanJSON: previous)
      return (lease, rescued)
    }
    metrics.leasesExpired(backend: backendName, count: rescued)
    if lease != nil { metrics.claimed(backend: backendName) }
    return lease
  }

  /// Jobs whose worker stopped renewing its lease, each as the state machine
  /// rescues it. Rows another claimer is rescuing are skipped, not waited
  /// for; with no lease expired (the usual case) this is one round trip.
  static func rescueExpiredLeases(_ tx: Transaction, now: Date) throws -> Int {
    let expired = try tx.rows(
      "SELECT \(jobColumns) FROM jobs WHERE state = 'running' AND lease_expires_at < $1 FOR UPDATE SKIP LOCKED",
      [.double(now.unix)])
    var rescued = 0
    for row in expired {
      if case .success(let change) = JobStateMachine.apply(.rescue, to: try job(from: row), now: now) {
        try write(tx, change)
        rescued += 1
      }
    }
    return rescued
  }

  /// After an unanswered COMMIT: the state this attempt left its job in, if
  /// the job is still at this attempt and no longer leased.
  static func closedByThisAttempt(_ tx: Transaction, _ lease: Lease) throws -> JobState? {
    guard
      let row = try tx.one(
        "SELECT state FROM jobs WHERE id = $1 AND attempt = $2 AND lease_owner IS NULL AND state <> 'running'",
        [.int(lease.jobID), .int(lease.attempt)])
    else { return nil }
    return JobState(rawValue: try row.get("state"))
  }

  /// Locks the job its lease names and applies a worker's event to it; a
  /// job that is gone is as fenced off as one another worker holds.
  static func apply(_ event: JobEvent, to lease: Lease, _ tx: Transaction, now: Date) throws -> JobChange? {
    guard
      let row = try tx.one("SELECT \(jobColumns) FROM jobs WHERE id = $1 FOR UPDATE", [.int(lease.jobID)]),
      case .success(let change) = JobStateMachine.apply(event, to: try job(from: row), now: now)
    else { return nil }
    if !change.storesPlan { try write(tx, change) }
    return change
  }

  public func heartbeat(_ lease: Lease, leaseSeconds: Double, progress: JobProgress?, now: Date)
    throws(StoreError) -> HeartbeatResult
  {
    try transaction("renewing the lease of job \(lease.jobID)") { tx in
      let now = now.addingTimeInterval(tx.delay)
      let event = JobEvent.heartbeat(lease.fence, leaseSeconds: leaseSeconds, progress: progress)
      guard let change = try Self.apply(event, to: lease, tx, now: now) else { return .lost }
      return .held(cancelRequested: change.after.cancelRequested)
    }
  }

  public func complete(_ lease: Lease, plan: Plan, now: Date) throws(StoreError) -> Int64? {
    let json = try plan.storedJSONText()
    return try transaction("recording the plan of job \(lease.jobID)") { tx -> Int64? in
      guard let change = try Self.apply(.complete(lease.fence), to: lease, tx, now: now) else {
        // Fenced off, unless this is a try after an unanswered COMMIT: then the
        // plan of this attempt is the one the first try stored.
        guard tx.isRetry else { return nil }
        return try tx.one(
          "SELECT id FROM plans WHERE job_id = $1 AND attempt = $2", [.int(lease.jobID), .int(lease.attempt)]
        )?.get("id", as: Int64.self)
      }
      // Without `storesPlan`, a cancel came first: the job is closed and the plan discarded.
      guard change.storesPlan else { return nil }
      return try Self.insertPlan(
        tx, plan, json: json, job: change.before, attempt: lease.attempt, now: now, closing: change)
    }
  }

  public func fail(_ lease: Lease, reason: String, retryable: Bool, retryAfter: Double, now: Date)
    throws(StoreError) -> JobState?
  {
    try transaction("recording a failure of job \(lease.jobID)") { tx -> JobState? in
      let event = JobEvent.fail(lease.fence, reason: reason, retryable: retryable, retryAfter: retryAfter)
      guard let change = try Self.apply(event, to: lease, tx, now: now) else {
        return tx.isRetry ? try Self.closedByThisAttempt(tx, lease) : nil
      }
      return change.after.state
    }
  }

  public func markCancelled(_ lease: Lease, now: Date) throws(StoreError) -> Bool {
    try transaction("closing cancelled job \(lease.jobID)") { tx in
      guard try Self.apply(.markCancelled(lease.fence), to: lease, tx, now: now) != nil else {
        return try tx.isRetry && Self.closedByThisAttempt(tx, lease) == .cancelled
      }
      return true
    }
  }

  public func release(_ lease: Lease, now: Date) throws(StoreError) {
    try transaction("releasing job \(lease.jobID)") { tx in
      guard let change = try Self.apply(.release(lease.fence), to: lease, tx, now: now) else { return }
      if change.after.state == .queued { try Self.notifyWorkers(tx) }
    }
  }
}

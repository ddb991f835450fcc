import CapacityModel
import Foundation
import JobQueue

extension PostgresStore {
  public func claim(owner: String, leaseSeconds: Double, now: Date) throws(StoreError) -> Lease? {
    // Marks this call's claim, so a try after an unanswered COMMIT takes back
    // the job its predecessor claimed instead of leaving it to expire.
    let token = UUID().uuidString
    return try transaction("claiming a job") { tx -> Lease? in
      let now = now.addingTimeInterval(tx.delay)
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
        if try Self.rescueExpiredLeases(tx, now: now) > 0 { try Self.notifyWorkers(tx) }
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
      guard let row = claimed else { return nil }
      let id = try row.get("id", as: Int64.self)
      var options = try JSONDecoder().decode(
        JobOptions.self, from: Data(try row.get("options", as: String.self).utf8))
      // As in SQLite: a scheduled job starts from its schedule's newest plan as of now.
      if let schedule = try row.get("schedule_id", as: Int64?.self), options.previousPlanID == nil,
        let latest = try tx.one(
          """
          SELECT id FROM plans WHERE schedule_id = $1
            AND status IN ('optimal', 'feasible_with_gap', 'time_limit_with_solution')
          ORDER BY id DESC LIMIT 1
          """, [.int(schedule)])
      {
        options.previousPlanID = try latest.get("id", as: Int64.self)
        try tx.execute(
          "UPDATE jobs SET options = $1 WHERE id = $2",
          [.text(String(decoding: try JSONEncoder().encode(options), as: UTF8.self)), .int(id)])
      }
      var previous: Data?
      if let planID = options.previousPlanID {
        previous = try tx.one("SELECT plan_json FROM plans WHERE id = $1", [.int(planID)])
          .map { Data(try $0.get("plan_json", as: String.self).utf8) }
      }
      return Lease(
        jobID: id, attempt: Int(try row.get("attempt", as: Int64.self)), owner: owner,
        scenarioText: try row.get("scenario_text"), options: options, previousPlanJSON: previous)
    }
  }

  /// SQLite's three rescue statements as one: cancelled if asked to be, else
  /// failed when out of tries, else queued again. Rows another claimer is
  /// rescuing are skipped, not waited for.
  static func rescueExpiredLeases(_ tx: Transaction, now: Date) throws -> Int {
    try tx.changes(
      """
      WITH expired AS (
        SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at < $1 FOR UPDATE SKIP LOCKED)
      UPDATE jobs SET
        state = CASE WHEN jobs.cancel_requested THEN 'cancelled'
                     WHEN jobs.failures + 1 >= jobs.max_attempts THEN 'failed' ELSE 'queued' END,
        failures = CASE WHEN jobs.cancel_requested THEN jobs.failures ELSE jobs.failures + 1 END,
        finished_at = CASE WHEN jobs.cancel_requested OR jobs.failures + 1 >= jobs.max_attempts THEN $1
                           ELSE jobs.finished_at END,
        run_after = CASE WHEN jobs.cancel_requested OR jobs.failures + 1 >= jobs.max_attempts THEN jobs.run_after
                         ELSE $1 END,
        last_error = CASE
          WHEN jobs.cancel_requested THEN jobs.last_error
          WHEN jobs.failures + 1 >= jobs.max_attempts THEN 'attempt ' || jobs.attempt
            || ': the worker stopped renewing its lease (it crashed or was killed); no tries left'
          ELSE 'attempt ' || jobs.attempt || ': the worker stopped renewing its lease (it crashed or was killed)'
        END,
        lease_owner = NULL, lease_expires_at = NULL
      FROM expired WHERE jobs.id = expired.id
      """, [.double(now.unix)])
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

  /// Locks the job's row and returns the job if `lease` still holds it.
  static func held(_ tx: Transaction, _ lease: Lease) throws -> Job? {
    guard
      let row = try tx.one(
        """
        SELECT \(jobColumns) FROM jobs
        WHERE id = $1 AND attempt = $2 AND lease_owner = $3 AND state = 'running'
        FOR UPDATE
        """, [.int(lease.jobID), .int(lease.attempt), .text(lease.owner)])
    else { return nil }
    return try job(from: row)
  }

  public func heartbeat(_ lease: Lease, leaseSeconds: Double, now: Date) throws(StoreError) -> HeartbeatResult
  {
    try transaction("renewing the lease of job \(lease.jobID)") { tx in
      let now = now.addingTimeInterval(tx.delay)
      guard
        let row = try tx.one(
          """
          UPDATE jobs SET lease_expires_at = $1
          WHERE id = $2 AND attempt = $3 AND lease_owner = $4 AND state = 'running'
          RETURNING cancel_requested
          """,
          [.double(now.unix + leaseSeconds), .int(lease.jobID), .int(lease.attempt), .text(lease.owner)])
      else { return .lost }
      return .held(cancelRequested: try row.get("cancel_requested"))
    }
  }

  public func complete(_ lease: Lease, plan: Plan, now: Date) throws(StoreError) -> Int64? {
    let json: String
    do {
      json = String(decoding: try plan.jsonData(), as: UTF8.self)
    } catch {
      throw StoreError(.invalid, "cannot encode the plan: \(error)")
    }
    return try transaction("recording the plan of job \(lease.jobID)") { tx -> Int64? in
      guard let job = try Self.held(tx, lease) else {
        // Fenced off, unless this is a try after an unanswered COMMIT: then the
        // plan of this attempt is the one the first try stored.
        guard tx.isRetry else { return nil }
        return try tx.one(
          "SELECT id FROM plans WHERE job_id = $1 AND attempt = $2", [.int(lease.jobID), .int(lease.attempt)]
        )?.get("id", as: Int64.self)
      }
      // A cancel that committed first wins over the plan (docs/stores.md).
      if job.cancelRequested {
        try Self.closeCancelled(tx, lease.jobID, now: now, note: CancelNotes.planDiscarded)
        return nil
      }
      return try Self.insertPlan(tx, plan, json: json, job: job, attempt: lease.attempt, now: now)
    }
  }

  public func fail(_ lease: Lease, reason: String, retryable: Bool, retryAfter: Double, now: Date)
    throws(StoreError) -> JobState?
  {
    try transaction("recording a failure of job \(lease.jobID)") { tx -> JobState? in
      guard let job = try Self.held(tx, lease) else {
        return tx.isRetry ? try Self.closedByThisAttempt(tx, lease) : nil
      }
      let message = "attempt \(lease.attempt): \(reason)"
      if job.cancelRequested {
        try Self.closeCancelled(
          tx, lease.jobID, now: now, note: "cancelled (its last try had failed: \(reason))")
        return .cancelled
      }
      if retryable && job.failures + 1 < job.maxAttempts {
        try tx.execute(
          """
          UPDATE jobs SET state = 'queued', failures = failures + 1, run_after = $1, last_error = $2,
            lease_owner = NULL, lease_expires_at = NULL
          WHERE id = $3
          """, [.double(now.unix + retryAfter), .text(message), .int(lease.jobID)])
        return .queued
      }
      try tx.execute(
        """
        UPDATE jobs SET state = 'failed', failures = failures + 1, finished_at = $1, last_error = $2,
          lease_owner = NULL, lease_expires_at = NULL
        WHERE id = $3
        """, [.double(now.unix), .text(message), .int(lease.jobID)])
      return .failed
    }
  }

  public func markCancelled(_ lease: Lease, now: Date) throws(StoreError) -> Bool {
    try transaction("closing cancelled job \(lease.jobID)") { tx in
      guard try Self.held(tx, lease) != nil else {
        return try tx.isRetry && Self.closedByThisAttempt(tx, lease) == .cancelled
      }
      try Self.closeCancelled(tx, lease.jobID, now: now, note: "cancelled while running")
      return true
    }
  }

  static func closeCancelled(_ tx: Transaction, _ id: Int64, now: Date, note: String) throws {
    try tx.execute(
      """
      UPDATE jobs SET state = 'cancelled', finished_at = $1, last_error = $2, lease_owner = NULL,
        lease_expires_at = NULL
      WHERE id = $3
      """, [.double(now.unix), .text(note), .int(id)])
  }

  public func release(_ lease: Lease, now: Date) throws(StoreError) {
    try transaction("releasing job \(lease.jobID)") { tx in
      guard let job = try Self.held(tx, lease) else { return }
      if job.cancelRequested {
        try Self.closeCancelled(tx, lease.jobID, now: now, note: "cancelled while its worker stopped")
        return
      }
      try tx.execute(
        """
        UPDATE jobs SET state = 'queued', run_after = $1, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = $2
        """, [.double(now.unix), .int(lease.jobID)])
      try Self.notifyWorkers(tx)
    }
  }
}

import CapacityModel
import Foundation
import GRDB
import JobQueue

extension SQLiteStore {
  public func claim(owner: String, leaseSeconds: Double, now: Date) throws(StoreError) -> Lease? {
    try writeImmediate { db in
      try Self.rescueExpiredLeases(db, now: now)
      guard
        let id = try Int64.fetchOne(
          db,
          sql:
            "SELECT id FROM jobs WHERE state = 'queued' AND run_after <= ? ORDER BY priority DESC, id LIMIT 1",
          arguments: [now.unix])
      else { return nil }
      try db.execute(
        sql: """
          UPDATE jobs SET state = 'running', attempt = attempt + 1, lease_owner = ?, lease_expires_at = ?,
            started_at = COALESCE(started_at, ?)
          WHERE id = ?
          """,
        arguments: [owner, now.unix + leaseSeconds, now.unix, id])
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT attempt, scenario_text, options, schedule_id FROM jobs WHERE id = ?",
          arguments: [id])
      else { return nil }
      var options = try JSONDecoder().decode(JobOptions.self, from: Data((row["options"] as String).utf8))
      // A scheduled job stays close to its schedule's newest plan, looked up now
      // rather than when it fired, so a backlog still starts from the freshest.
      if let schedule = row["schedule_id"] as Int64?, options.previousPlanID == nil,
        let latest = try Int64.fetchOne(
          db,
          sql: """
            SELECT id FROM plans WHERE schedule_id = ?
              AND status IN ('optimal', 'feasible_with_gap', 'time_limit_with_solution')
            ORDER BY id DESC LIMIT 1
            """,
          arguments: [schedule])
      {
        options.previousPlanID = latest
        try db.execute(
          sql: "UPDATE jobs SET options = ? WHERE id = ?",
          arguments: [String(decoding: try JSONEncoder().encode(options), as: UTF8.self), id])
      }
      var previous: Data?
      if let planID = options.previousPlanID {
        previous = try String.fetchOne(
          db, sql: "SELECT plan_json FROM plans WHERE id = ?", arguments: [planID]
        )
        .map { Data($0.utf8) }
      }
      return Lease(
        jobID: id, attempt: row["attempt"], owner: owner, scenarioText: row["scenario_text"],
        options: options,
        previousPlanJSON: previous)
    }
  }

  /// Jobs whose worker stopped renewing its lease: cancelled if asked to be,
  /// else queued again, or failed when that was their last try.
  static func rescueExpiredLeases(_ db: Database, now: Date) throws {
    let expired = "state = 'running' AND lease_expires_at < ?"
    try db.execute(
      sql: """
        UPDATE jobs SET state = 'cancelled', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
        WHERE \(expired) AND cancel_requested = 1
        """,
      arguments: [now.unix, now.unix])
    try db.execute(
      sql: """
        UPDATE jobs SET state = 'failed', failures = failures + 1, finished_at = ?,
          last_error = 'attempt ' || attempt || ': the worker stopped renewing its lease (it crashed or was killed); no tries left',
          lease_owner = NULL, lease_expires_at = NULL
        WHERE \(expired) AND failures + 1 >= max_attempts
        """,
      arguments: [now.unix, now.unix])
    try db.execute(
      sql: """
        UPDATE jobs SET state = 'queued', failures = failures + 1, run_after = ?,
          last_error = 'attempt ' || attempt || ': the worker stopped renewing its lease (it crashed or was killed)',
          lease_owner = NULL, lease_expires_at = NULL
        WHERE \(expired)
        """,
      arguments: [now.unix, now.unix])
  }

  /// Whether `lease` still holds its job: same attempt, same owner, running.
  static func holds(_ db: Database, _ lease: Lease) throws -> Bool {
    try Bool.fetchOne(
      db, sql: "SELECT 1 FROM jobs WHERE id = ? AND attempt = ? AND lease_owner = ? AND state = 'running'",
      arguments: [lease.jobID, lease.attempt, lease.owner]) ?? false
  }

  public func heartbeat(_ lease: Lease, leaseSeconds: Double, now: Date) throws(StoreError) -> HeartbeatResult
  {
    try writeImmediate { db in
      try db.execute(
        sql: """
          UPDATE jobs SET lease_expires_at = ?
          WHERE id = ? AND attempt = ? AND lease_owner = ? AND state = 'running'
          """,
        arguments: [now.unix + leaseSeconds, lease.jobID, lease.attempt, lease.owner])
      guard db.changesCount > 0 else { return .lost }
      let cancel = try Bool.fetchOne(
        db, sql: "SELECT cancel_requested FROM jobs WHERE id = ?", arguments: [lease.jobID])
      return .held(cancelRequested: cancel ?? false)
    }
  }

  public func complete(_ lease: Lease, plan: Plan, now: Date) throws(StoreError) -> Int64? {
    let json: String
    do {
      json = String(decoding: try plan.jsonData(), as: UTF8.self)
    } catch {
      throw StoreError(.invalid, "cannot encode the plan: \(error)")
    }
    return try writeImmediate { db -> Int64? in
      guard try Self.holds(db, lease) else { return nil }
      let job = try Self.fetchJob(db, lease.jobID)
      // A cancel that committed first wins over the plan (docs/stores.md).
      if job.cancelRequested {
        try Self.closeCancelled(db, lease.jobID, now: now, note: CancelNotes.planDiscarded)
        return nil
      }
      let planID = try Self.insertPlan(db, plan, json: json, job: job, attempt: lease.attempt, now: now)
      try db.execute(
        sql: """
          UPDATE jobs SET state = 'succeeded', plan_id = ?, finished_at = ?, lease_owner = NULL,
            lease_expires_at = NULL, last_error = NULL
          WHERE id = ?
          """,
        arguments: [planID, now.unix, lease.jobID])
      return planID
    }
  }

  public func fail(_ lease: Lease, reason: String, retryable: Bool, retryAfter: Double, now: Date)
    throws(StoreError)
    -> JobState?
  {
    try writeImmediate { db -> JobState? in
      guard try Self.holds(db, lease) else { return nil }
      let job = try Self.fetchJob(db, lease.jobID)
      let message = "attempt \(lease.attempt): \(reason)"
      if job.cancelRequested {
        try Self.closeCancelled(
          db, lease.jobID, now: now, note: "cancelled (its last try had failed: \(reason))")
        return .cancelled
      }
      if retryable && job.failures + 1 < job.maxAttempts {
        try db.execute(
          sql: """
            UPDATE jobs SET state = 'queued', failures = failures + 1, run_after = ?, last_error = ?,
              lease_owner = NULL, lease_expires_at = NULL
            WHERE id = ?
            """,
          arguments: [now.unix + retryAfter, message, lease.jobID])
        return .queued
      }
      try db.execute(
        sql: """
          UPDATE jobs SET state = 'failed', failures = failures + 1, finished_at = ?, last_error = ?,
            lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ?
          """,
        arguments: [now.unix, message, lease.jobID])
      return .failed
    }
  }

  public func markCancelled(_ lease: Lease, now: Date) throws(StoreError) -> Bool {
    try writeImmediate { db in
      guard try Self.holds(db, lease) else { return false }
      try db.execute(
        sql: """
          UPDATE jobs SET state = 'cancelled', finished_at = ?, last_error = 'cancelled while running',
            lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ?
          """,
        arguments: [now.unix, lease.jobID])
      return true
    }
  }

  /// Closes a job whose cancel arrived while it was running.
  static func closeCancelled(_ db: Database, _ id: Int64, now: Date, note: String) throws {
    try db.execute(
      sql: """
        UPDATE jobs SET state = 'cancelled', finished_at = ?, last_error = ?, lease_owner = NULL,
          lease_expires_at = NULL
        WHERE id = ?
        """,
      arguments: [now.unix, note, id])
  }

  public func release(_ lease: Lease, now: Date) throws(StoreError) {
    try writeImmediate { db in
      guard try Self.holds(db, lease) else { return }
      if try Self.fetchJob(db, lease.jobID).cancelRequested {
        try Self.closeCancelled(db, lease.jobID, now: now, note: "cancelled while its worker stopped")
        return
      }
      try db.execute(
        sql: """
          UPDATE jobs SET state = 'queued', run_after = ?, lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ?
          """,
        arguments: [now.unix, lease.jobID])
    }
  }
}

import Foundation
import GRDB
import JobQueue

extension SQLiteStore {
  static let jobColumns = StoreColumns.job

  static func job(from row: Row) throws -> Job {
    let optionsText: String = row["options"]
    let options = try JSONDecoder().decode(JobOptions.self, from: Data(optionsText.utf8))
    guard let state = JobState(rawValue: row["state"]) else {
      throw StoreError(.database, "job \(row["id"] as Int64) has an unknown state")
    }
    return Job(
      id: row["id"], state: state, scenarioID: row["scenario_id"], source: row["source"],
      scenarioSHA256: row["scenario_sha256"], options: options, priority: row["priority"],
      idempotencyKey: row["idempotency_key"], attempt: row["attempt"], failures: row["failures"],
      maxAttempts: row["max_attempts"], runAfter: Date(unix: row["run_after"]),
      leaseOwner: row["lease_owner"],
      leaseExpiresAt: (row["lease_expires_at"] as Double?).map(Date.init(unix:)),
      cancelRequested: row["cancel_requested"], lastError: row["last_error"], planID: row["plan_id"],
      scheduleID: row["schedule_id"], createdAt: Date(unix: row["created_at"]),
      startedAt: (row["started_at"] as Double?).map(Date.init(unix:)),
      finishedAt: (row["finished_at"] as Double?).map(Date.init(unix:)))
  }

  static func fetchJob(_ db: Database, _ id: Int64) throws -> Job {
    guard let row = try Row.fetchOne(db, sql: "SELECT \(jobColumns) FROM jobs WHERE id = ?", arguments: [id])
    else {
      throw StoreError(.notFound, "no job \(id)")
    }
    return try job(from: row)
  }

  public func submit(_ s: JobSubmission, now: Date) throws(StoreError) -> (job: Job, created: Bool) {
    let options = try s.validatedOptionsText()
    let result = try writeImmediate { db -> (job: Job, created: Bool) in
      if let key = s.idempotencyKey,
        let id = try Int64.fetchOne(
          db, sql: "SELECT id FROM jobs WHERE idempotency_key = ?", arguments: [key])
      {
        return (try Self.fetchJob(db, id), false)
      }
      try db.execute(
        sql: """
          INSERT INTO jobs (state, scenario_id, source, scenario_text, scenario_sha256, options, priority,
            idempotency_key, max_attempts, run_after, schedule_id, created_at)
          VALUES ('queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          s.scenarioID, s.source, s.scenarioText, s.scenarioSHA256, options, s.priority, s.idempotencyKey,
          s.maxAttempts, now.unix, s.scheduleID, now.unix,
        ])
      return (try Self.fetchJob(db, db.lastInsertedRowID), true)
    }
    // A worker in this process (capplan serve) starts it without waiting for a poll.
    if result.created { workSignal.signal() }
    return result
  }

  public func job(_ id: Int64) throws(StoreError) -> Job {
    try read { db in try Self.fetchJob(db, id) }
  }

  public func scenarioText(ofJob id: Int64) throws(StoreError) -> String {
    try read { db in
      guard
        let text = try String.fetchOne(
          db, sql: "SELECT scenario_text FROM jobs WHERE id = ?", arguments: [id])
      else { throw StoreError(.notFound, "no job \(id)") }
      return text
    }
  }

  public func jobs(_ filter: JobFilter) throws(StoreError) -> [Job] {
    try read { db in
      var sql = "SELECT \(Self.jobColumns) FROM jobs"
      var arguments = StatementArguments()
      if let states = filter.states, !states.isEmpty {
        sql += " WHERE state IN (\(states.map { _ in "?" }.joined(separator: ", ")))"
        for s in states { _ = arguments.append(contentsOf: [s.rawValue]) }
      }
      sql += " ORDER BY id DESC LIMIT ?"
      _ = arguments.append(contentsOf: [filter.limit])
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.job(from:))
    }
  }

  public func cancel(_ id: Int64, now: Date) throws(StoreError) -> Job {
    try writeImmediate { db in
      let job = try Self.fetchJob(db, id)
      switch job.state {
      case .queued:
        try db.execute(
          sql:
            "UPDATE jobs SET state = 'cancelled', finished_at = ?, last_error = 'cancelled before it ran' WHERE id = ?",
          arguments: [now.unix, id])
      case .running:
        try db.execute(sql: "UPDATE jobs SET cancel_requested = 1 WHERE id = ?", arguments: [id])
      case .succeeded, .failed, .cancelled:
        throw StoreError(.conflict, "job \(id) has already \(job.state.rawValue); nothing to cancel")
      }
      return try Self.fetchJob(db, id)
    }
  }

  public func retry(_ id: Int64, now: Date) throws(StoreError) -> Job {
    try writeImmediate { db in
      let job = try Self.fetchJob(db, id)
      guard job.state == .failed || job.state == .cancelled else {
        throw StoreError(
          .conflict,
          "job \(id) is \(job.state.rawValue); only failed or cancelled jobs can be retried"
            + (job.state == .succeeded ? " (submit the scenario again for a new plan)" : ""))
      }
      try db.execute(
        sql: """
          UPDATE jobs SET state = 'queued', failures = 0, cancel_requested = 0, run_after = ?, finished_at = NULL,
            lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ?
          """,
        arguments: [now.unix, id])
      return try Self.fetchJob(db, id)
    }
  }
}

import Foundation
import GRDB
import JobQueue

extension SQLiteStore {
  static let jobColumns = StoreColumns.job

  static func job(from row: Row) throws -> Job {
    let options = JobOptions(storedText: row["options"])
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
      finishedAt: (row["finished_at"] as Double?).map(Date.init(unix:)),
      progress: JobProgress(storedText: row["progress"]))
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
      return (try Self.fetchJob(db, try Self.insertJob(db, s, options: options, now: now)), true)
    }
    // A worker in this process (capplan serve) starts it without waiting for a poll.
    if result.created { workSignal.signal() }
    metrics.submitted(backend: backendName, created: result.created)
    return result
  }

  /// Inserts a queued job (options already checked) and returns its id.
  static func insertJob(_ db: Database, _ s: JobSubmission, options: String, now: Date) throws -> Int64 {
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
    return db.lastInsertedRowID
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
    try writeImmediate { db in try Self.apply(.cancel, toJob: id, db, now: now) }
  }

  public func retry(_ id: Int64, now: Date) throws(StoreError) -> Job {
    try writeImmediate { db in try Self.apply(.retry, toJob: id, db, now: now) }
  }

  /// Applies a person's request (cancel, retry) to a job: its new state, or
  /// the refusal as an error.
  static func apply(_ event: JobEvent, toJob id: Int64, _ db: Database, now: Date) throws -> Job {
    switch JobStateMachine.apply(event, to: try fetchJob(db, id), now: now) {
    case .success(let change):
      try write(db, change)
      return try fetchJob(db, id)
    case .failure(let refusal):
      throw refusal.storeError
    }
  }

  /// Writes the columns `change` changes (and `plan_id`, for a stored plan).
  /// The caller's IMMEDIATE transaction holds the write lock since the row was read.
  static func write(_ db: Database, _ change: JobChange, planID: Int64? = nil) throws {
    var assignments: [String] = []
    var arguments = StatementArguments()
    for field in change.fields {
      assignments.append("\(field.column) = ?")
      _ = arguments.append(contentsOf: [field.value(in: change.after).databaseValue])
    }
    if let planID {
      assignments.append("plan_id = ?")
      _ = arguments.append(contentsOf: [planID])
    }
    guard !assignments.isEmpty else { return }
    _ = arguments.append(contentsOf: [change.after.id])
    try db.execute(
      sql: "UPDATE jobs SET \(assignments.joined(separator: ", ")) WHERE id = ?", arguments: arguments)
  }
}

extension JobFieldValue {
  var databaseValue: DatabaseValue {
    switch self {
    case .text(let v): v?.databaseValue ?? .null
    case .int(let v): v.databaseValue
    case .time(let v): v?.unix.databaseValue ?? .null
    case .flag(let v): v.databaseValue
    }
  }
}

import Foundation
import JobQueue

extension PostgresStore {
  static let jobColumns = StoreColumns.job

  static func job(from r: Row) throws -> Job {
    let id = try r.get("id", as: Int64.self)
    let options = JobOptions(storedText: try r.get("options", as: String.self))
    guard let state = JobState(rawValue: try r.get("state")) else {
      throw StoreError(.database, "job \(id) has an unknown state")
    }
    return Job(
      id: id, state: state, scenarioID: try r.get("scenario_id"), source: try r.get("source"),
      scenarioSHA256: try r.get("scenario_sha256"), options: options,
      priority: Int(try r.get("priority", as: Int64.self)), idempotencyKey: try r.get("idempotency_key"),
      attempt: Int(try r.get("attempt", as: Int64.self)),
      failures: Int(try r.get("failures", as: Int64.self)),
      maxAttempts: Int(try r.get("max_attempts", as: Int64.self)),
      runAfter: Date(unix: try r.get("run_after")), leaseOwner: try r.get("lease_owner"),
      leaseExpiresAt: (try r.get("lease_expires_at", as: Double?.self)).map(Date.init(unix:)),
      cancelRequested: try r.get("cancel_requested"), lastError: try r.get("last_error"),
      planID: try r.get("plan_id"), scheduleID: try r.get("schedule_id"),
      createdAt: Date(unix: try r.get("created_at")),
      startedAt: (try r.get("started_at", as: Double?.self)).map(Date.init(unix:)),
      finishedAt: (try r.get("finished_at", as: Double?.self)).map(Date.init(unix:)),
      progress: JobProgress(storedText: try r.get("progress", as: String?.self)))
  }

  static func fetchJob(_ tx: Transaction, _ id: Int64, lock: Bool = false) throws -> Job {
    guard
      let row = try tx.one(
        "SELECT \(jobColumns) FROM jobs WHERE id = $1\(lock ? " FOR UPDATE" : "")", [.int(id)])
    else { throw StoreError(.notFound, "no job \(id)") }
    return try job(from: row)
  }

  public func submit(_ s: JobSubmission, now: Date) throws(StoreError) -> (job: Job, created: Bool) {
    let options = try s.validatedOptionsText()
    // The same token on every try of this call: a try that follows an
    // unanswered COMMIT finds the job its predecessor made.
    let token = UUID().uuidString
    let result = try transaction("submitting a job") { tx -> (job: Job, created: Bool) in
      if tx.isRetry,
        let ours = try tx.one("SELECT \(Self.jobColumns) FROM jobs WHERE submit_token = $1", [.text(token)])
      {
        return (try Self.job(from: ours), true)
      }
      // Only a duplicate idempotency key is expected; any other conflict is an error.
      if let inserted = try Self.insertJob(tx, s, options: options, now: now, token: token) {
        try Self.notifyWorkers(tx)
        return (try Self.job(from: inserted), true)
      }
      guard
        let existing = try tx.one(
          "SELECT \(Self.jobColumns) FROM jobs WHERE idempotency_key = $1", [.text(s.idempotencyKey)])
      else {
        throw StoreError(.database, "the job was neither inserted nor found; submit it again")
      }
      return (try Self.job(from: existing), false)
    }
    metrics.submitted(backend: backendName, created: result.created)
    return result
  }

  /// Inserts a queued job (options already checked); nil when its idempotency key is taken.
  static func insertJob(_ tx: Transaction, _ s: JobSubmission, options: String, now: Date, token: String?)
    throws -> Row?
  {
    try tx.one(
      """
      INSERT INTO jobs (state, scenario_id, source, scenario_text, scenario_sha256, options, priority,
        idempotency_key, max_attempts, run_after, schedule_id, created_at, submit_token)
      VALUES ('queued', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $11)
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING \(Self.jobColumns)
      """,
      [
        .text(s.scenarioID), .text(s.source), .text(s.scenarioText), .text(s.scenarioSHA256), .text(options),
        .int(s.priority), .text(s.idempotencyKey), .int(s.maxAttempts), .double(now.unix),
        .int(s.scheduleID), .text(token),
      ])
  }

  public func job(_ id: Int64) throws(StoreError) -> Job {
    try read("reading job \(id)") { tx in try Self.fetchJob(tx, id) }
  }

  public func scenarioText(ofJob id: Int64) throws(StoreError) -> String {
    try read("reading job \(id)") { tx in
      guard let row = try tx.one("SELECT scenario_text FROM jobs WHERE id = $1", [.int(id)]) else {
        throw StoreError(.notFound, "no job \(id)")
      }
      return try row.get("scenario_text")
    }
  }

  public func jobs(_ filter: JobFilter) throws(StoreError) -> [Job] {
    try read("listing jobs") { tx in
      var sql = "SELECT \(Self.jobColumns) FROM jobs"
      var values: [SQLValue] = []
      if let states = filter.states, !states.isEmpty {
        sql += " WHERE state = ANY($1)"
        values.append(.texts(states.map(\.rawValue)))
      }
      sql += " ORDER BY id DESC LIMIT $\(values.count + 1)"
      // As in SQLite, a negative limit means none (LIMIT NULL).
      values.append(.int(filter.limit < 0 ? nil : Int64(filter.limit)))
      return try tx.rows(sql, values).map(Self.job(from:))
    }
  }

  public func cancel(_ id: Int64, now: Date) throws(StoreError) -> Job {
    try transaction("cancelling job \(id)") { tx in
      let job = try Self.fetchJob(tx, id, lock: true)
      // A run after an unanswered COMMIT finds its own work done.
      if tx.isRetry && (job.state == .cancelled || (job.state == .running && job.cancelRequested)) {
        return job
      }
      return try Self.apply(.cancel, to: job, tx, now: now)
    }
  }

  public func retry(_ id: Int64, now: Date) throws(StoreError) -> Job {
    try transaction("retrying job \(id)") { tx in
      let job = try Self.fetchJob(tx, id, lock: true)
      if tx.isRetry && job.state == .queued && job.failures == 0 { return job }
      let retried = try Self.apply(.retry, to: job, tx, now: now)
      try Self.notifyWorkers(tx)
      return retried
    }
  }

  /// Applies a person's request (cancel, retry) to a job whose row the
  /// caller locked: its new state, or the refusal as an error.
  static func apply(_ event: JobEvent, to job: Job, _ tx: Transaction, now: Date) throws -> Job {
    switch JobStateMachine.apply(event, to: job, now: now) {
    case .success(let change):
      try write(tx, change)
      return try fetchJob(tx, job.id)
    case .failure(let refusal):
      throw refusal.storeError
    }
  }

  /// Writes the columns `change` changes, to a row the caller locked.
  static func write(_ tx: Transaction, _ change: JobChange) throws {
    var values: [SQLValue] = []
    let assignments = assignments(of: change, into: &values)
    guard !assignments.isEmpty else { return }
    values.append(.int(change.after.id))
    try tx.execute(
      "UPDATE jobs SET \(assignments.joined(separator: ", ")) WHERE id = $\(values.count)", values)
  }

  /// `column = $n` for each column `change` changes, its value appended to `values`.
  static func assignments(of change: JobChange, into values: inout [SQLValue]) -> [String] {
    change.fields.map { field in
      values.append(field.value(in: change.after).sqlValue)
      return "\(field.column) = $\(values.count)"
    }
  }
}

extension JobFieldValue {
  var sqlValue: SQLValue {
    switch self {
    case .text(let v): .text(v)
    case .int(let v): .int(Int64(v))
    case .time(let v): .double(v?.unix)
    case .flag(let v): .bool(v)
    }
  }
}

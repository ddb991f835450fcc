import Foundation
import JobQueue

extension PostgresStore {
  static func schedule(from r: Row) throws -> Schedule {
    let options = JobOptions(storedText: try r.get("options", as: String.self))
    return Schedule(
      id: try r.get("id"), name: try r.get("name"), scenarioPath: try r.get("scenario_path"),
      cron: try r.get("cron"), intervalSeconds: try r.get("interval_seconds"),
      timeZone: try r.get("time_zone"),
      options: options, skipUnchanged: try r.get("skip_unchanged"), paused: try r.get("paused"),
      nextFireAt: Date(unix: try r.get("next_fire_at")),
      lastFiredAt: (try r.get("last_fired_at", as: Double?.self)).map(Date.init(unix:)),
      lastNote: try r.get("last_note"), createdAt: Date(unix: try r.get("created_at")),
      overridePaths: try StoredPaths.paths(try r.get("override_paths")), caseName: try r.get("case_name"))
  }

  static func fetchSchedule(_ tx: Transaction, name: String, lock: Bool = false) throws -> Schedule {
    guard
      let row = try tx.one(
        "SELECT * FROM schedules WHERE name = $1\(lock ? " FOR UPDATE" : "")", [.text(name)])
    else { throw StoreError(.notFound, "no schedule named '\(name)'") }
    return try schedule(from: row)
  }

  public func addSchedule(_ d: ScheduleDefinition, now: Date) throws(StoreError) -> Schedule {
    let first = try ScheduleDefinition.validatedFirstFire(d, now: now)
    let options = try d.options.storedText()
    let overrides = try StoredPaths.text(d.overridePaths)
    return try transaction("adding schedule \(d.name)") { tx in
      guard
        try tx.one(
          """
          INSERT INTO schedules (name, scenario_path, cron, interval_seconds, time_zone, options, skip_unchanged,
            next_fire_at, created_at, override_paths, case_name)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
          ON CONFLICT (name) DO NOTHING
          RETURNING id
          """,
          [
            .text(d.name), .text(d.scenarioPath), .text(d.cron), .double(d.intervalSeconds),
            .text(d.timeZone),
            .text(options), .bool(d.skipUnchanged), .double(first.unix), .double(now.unix),
            .text(overrides), .text(d.caseName),
          ]) != nil
      else {
        // A run after an unanswered COMMIT finds the schedule its first run added.
        if tx.isRetry, let mine = try? Self.fetchSchedule(tx, name: d.name), mine.createdAt == now,
          mine.scenarioPath == d.scenarioPath
        {
          return mine
        }
        throw StoreError(.conflict, "a schedule named '\(d.name)' exists already")
      }
      return try Self.fetchSchedule(tx, name: d.name)
    }
  }

  public func schedule(named name: String) throws(StoreError) -> Schedule {
    try read("reading schedule \(name)") { tx in try Self.fetchSchedule(tx, name: name) }
  }

  public func schedules() throws(StoreError) -> [Schedule] {
    try read("listing schedules") { tx in
      // Byte order, as SQLite sorts.
      try tx.rows("SELECT * FROM schedules ORDER BY name COLLATE \"C\"").map(Self.schedule(from:))
    }
  }

  public func setPaused(_ name: String, _ paused: Bool, now: Date) throws(StoreError) -> Schedule {
    try transaction("\(paused ? "pausing" : "resuming") schedule \(name)") { tx in
      let s = try Self.fetchSchedule(tx, name: name, lock: true)
      var next = s.nextFireAt
      if !paused, s.paused, next <= now, let upcoming = try s.cadence().next(after: now) { next = upcoming }
      try tx.execute(
        "UPDATE schedules SET paused = $1, next_fire_at = $2 WHERE id = $3",
        [.bool(paused), .double(next.unix), .int(s.id)])
      return try Self.fetchSchedule(tx, name: name)
    }
  }

  public func removeSchedule(_ name: String) throws(StoreError) {
    try transaction("removing schedule \(name)") { tx in
      guard try tx.changes("DELETE FROM schedules WHERE name = $1", [.text(name)]) > 0 || tx.isRetry else {
        throw StoreError(.notFound, "no schedule named '\(name)'")
      }
    }
  }

  public func dueSchedules(now: Date) throws(StoreError) -> [Schedule] {
    try read("reading due schedules") { tx in
      try tx.rows(
        "SELECT * FROM schedules WHERE NOT paused AND next_fire_at <= $1 ORDER BY next_fire_at",
        [.double(now.unix)]
      ).map(Self.schedule(from:))
    }
  }

  public func advance(_ id: Int64, from due: Date, to next: Date, firedAt: Date?, note: String?)
    throws(StoreError) -> Bool
  {
    try transaction("advancing schedule \(id)") { tx in
      if try tx.changes(
        """
        UPDATE schedules SET next_fire_at = $1, last_fired_at = COALESCE($2, last_fired_at), last_note = $3
        WHERE id = $4 AND next_fire_at = $5
        """,
        [.double(next.unix), .double(firedAt?.unix), .text(note), .int(id), .double(due.unix)]) > 0
      {
        return true
      }
      // After an unanswered COMMIT: moved, by this call's first run.
      guard tx.isRetry else { return false }
      guard let firedAt else {
        return try tx.one(
          "SELECT 1 FROM schedules WHERE id = $1 AND next_fire_at = $2", [.int(id), .double(next.unix)])
          != nil
      }
      return try tx.one(
        "SELECT 1 FROM schedules WHERE id = $1 AND next_fire_at = $2 AND last_fired_at = $3",
        [.int(id), .double(next.unix), .double(firedAt.unix)]) != nil
    }
  }

  public func lastScenarioSHA256(schedule id: Int64) throws(StoreError) -> String? {
    try read("reading the jobs of schedule \(id)") { tx in
      try tx.one(
        """
        SELECT scenario_sha256 FROM jobs
        WHERE schedule_id = $1 AND state IN ('queued', 'running', 'succeeded') ORDER BY id DESC LIMIT 1
        """, [.int(id)]
      )?.get("scenario_sha256", as: String.self)
    }
  }
}

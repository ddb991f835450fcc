import Foundation
import GRDB
import JobQueue

extension SQLiteStore {
  static func registerScheduleMigration(_ m: inout DatabaseMigrator) {
    m.registerMigration("v2: schedules") { db in
      try db.execute(
        sql: """
          CREATE TABLE schedules (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            scenario_path TEXT NOT NULL,
            cron TEXT,
            interval_seconds REAL,
            time_zone TEXT NOT NULL DEFAULT 'UTC',
            options TEXT NOT NULL,
            skip_unchanged INTEGER NOT NULL DEFAULT 0,
            paused INTEGER NOT NULL DEFAULT 0,
            next_fire_at REAL NOT NULL,
            last_fired_at REAL,
            last_note TEXT,
            created_at REAL NOT NULL,
            CHECK ((cron IS NULL) != (interval_seconds IS NULL))
          );
          CREATE INDEX jobs_by_schedule ON jobs (schedule_id, id);
          """)
    }
  }

  /// A schedule's case and override files (`schedule add --case/--override`), re-read at each fire.
  static func registerScheduleSourceMigration(_ m: inout DatabaseMigrator) {
    m.registerMigration(Schedule.sourceMigrationName) { db in
      try db.execute(
        sql: """
          ALTER TABLE schedules ADD COLUMN override_paths TEXT NOT NULL DEFAULT '[]';
          ALTER TABLE schedules ADD COLUMN case_name TEXT;
          """)
    }
  }

  static func schedule(from row: Row) throws -> Schedule {
    let options = JobOptions(storedText: row["options"])
    return Schedule(
      id: row["id"], name: row["name"], scenarioPath: row["scenario_path"], cron: row["cron"],
      intervalSeconds: row["interval_seconds"], timeZone: row["time_zone"], options: options,
      skipUnchanged: row["skip_unchanged"], paused: row["paused"],
      nextFireAt: Date(unix: row["next_fire_at"]),
      lastFiredAt: (row["last_fired_at"] as Double?).map(Date.init(unix:)), lastNote: row["last_note"],
      createdAt: Date(unix: row["created_at"]),
      overridePaths: try StoredPaths.paths(row["override_paths"]), caseName: row["case_name"])
  }

  static func fetchSchedule(_ db: Database, name: String) throws -> Schedule {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM schedules WHERE name = ?", arguments: [name])
    else {
      throw StoreError(.notFound, "no schedule named '\(name)'")
    }
    return try schedule(from: row)
  }

  public func addSchedule(_ d: ScheduleDefinition, now: Date) throws(StoreError) -> Schedule {
    let first = try ScheduleDefinition.validatedFirstFire(d, now: now)
    let options = try d.options.storedText()
    let overrides = try StoredPaths.text(d.overridePaths)
    return try writeImmediate { db in
      if try Bool.fetchOne(db, sql: "SELECT 1 FROM schedules WHERE name = ?", arguments: [d.name]) == true {
        throw StoreError(.conflict, "a schedule named '\(d.name)' exists already")
      }
      try db.execute(
        sql: """
          INSERT INTO schedules (name, scenario_path, cron, interval_seconds, time_zone, options, skip_unchanged,
            next_fire_at, created_at, override_paths, case_name)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          d.name, d.scenarioPath, d.cron, d.intervalSeconds, d.timeZone, options, d.skipUnchanged, first.unix,
          now.unix, overrides, d.caseName,
        ])
      return try Self.fetchSchedule(db, name: d.name)
    }
  }

  public func schedule(named name: String) throws(StoreError) -> Schedule {
    try read { db in try Self.fetchSchedule(db, name: name) }
  }

  public func schedules() throws(StoreError) -> [Schedule] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM schedules ORDER BY name").map(Self.schedule(from:))
    }
  }

  public func setPaused(_ name: String, _ paused: Bool, now: Date) throws(StoreError) -> Schedule {
    try writeImmediate { db in
      let s = try Self.fetchSchedule(db, name: name)
      var next = s.nextFireAt
      // Resuming does not fire for the paused time: the next fire is in the future.
      if !paused, s.paused, next <= now, let upcoming = try s.cadence().next(after: now) { next = upcoming }
      try db.execute(
        sql: "UPDATE schedules SET paused = ?, next_fire_at = ? WHERE id = ?",
        arguments: [paused, next.unix, s.id])
      return try Self.fetchSchedule(db, name: name)
    }
  }

  public func removeSchedule(_ name: String) throws(StoreError) {
    try writeImmediate { db in
      let s = try Self.fetchSchedule(db, name: name)
      try db.execute(sql: "DELETE FROM schedules WHERE id = ?", arguments: [s.id])
    }
  }

  public func dueSchedules(now: Date) throws(StoreError) -> [Schedule] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM schedules WHERE paused = 0 AND next_fire_at <= ? ORDER BY next_fire_at",
        arguments: [now.unix]
      ).map(Self.schedule(from:))
    }
  }

  public func advance(_ id: Int64, from due: Date, to next: Date, firedAt: Date?, note: String?)
    throws(StoreError) -> Bool
  {
    try writeImmediate { db in
      try db.execute(
        sql: """
          UPDATE schedules SET next_fire_at = ?, last_fired_at = COALESCE(?, last_fired_at), last_note = ?
          WHERE id = ? AND next_fire_at = ?
          """,
        arguments: [next.unix, firedAt?.unix, note, id, due.unix])
      return db.changesCount > 0
    }
  }

  public func lastScenarioSHA256(schedule id: Int64) throws(StoreError) -> String? {
    try read { db in
      try String.fetchOne(
        db,
        sql: """
          SELECT scenario_sha256 FROM jobs
          WHERE schedule_id = ? AND state IN ('queued', 'running', 'succeeded') ORDER BY id DESC LIMIT 1
          """,
        arguments: [id])
    }
  }
}

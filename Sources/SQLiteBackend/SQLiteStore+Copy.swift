import Foundation
import GRDB
import JobQueue

/// `capplan migrate` and `capplan copy` over SQLite.
extension SQLiteStore {
  public func migrate() throws(StoreError) -> [String] {
    do {
      let before = Set(try pool.read { try Self.migrator.appliedIdentifiers($0) })
      try Self.applyMigrations(pool)
      return Self.migrator.migrations.filter { !before.contains($0) }
    } catch {
      throw StoreError(.database, "cannot migrate \(path): \(error)")
    }
  }

  public func migrationStates() throws(StoreError) -> [MigrationState] {
    let applied = try read { db in Set(try Self.migrator.appliedIdentifiers(db)) }
    return Self.migrator.migrations.map { MigrationState(name: $0, applied: applied.contains($0)) }
  }

  public func counts() throws(StoreError) -> StoreCounts {
    try read { db in
      StoreCounts(
        jobs: try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs") ?? 0,
        plans: try Int.fetchOne(db, sql: "SELECT count(*) FROM plans") ?? 0,
        schedules: try Int.fetchOne(db, sql: "SELECT count(*) FROM schedules") ?? 0,
        studies: try Int.fetchOne(db, sql: "SELECT count(*) FROM studies") ?? 0,
        tokens: try Int.fetchOne(db, sql: "SELECT count(*) FROM api_tokens") ?? 0)
    }
  }

  public func exportJobs(afterID: Int64, limit: Int) throws(StoreError) -> [JobRecord] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM jobs WHERE id > ? ORDER BY id LIMIT ?", arguments: [afterID, limit]
      ).map { r in
        JobRecord(
          id: r["id"], state: r["state"], scenarioID: r["scenario_id"], source: r["source"],
          scenarioText: r["scenario_text"], scenarioSHA256: r["scenario_sha256"], options: r["options"],
          priority: r["priority"], idempotencyKey: r["idempotency_key"], attempt: r["attempt"],
          failures: r["failures"], maxAttempts: r["max_attempts"], runAfter: r["run_after"],
          leaseOwner: r["lease_owner"], leaseExpiresAt: r["lease_expires_at"],
          cancelRequested: r["cancel_requested"], lastError: r["last_error"], planID: r["plan_id"],
          scheduleID: r["schedule_id"], createdAt: r["created_at"], startedAt: r["started_at"],
          finishedAt: r["finished_at"], progress: r["progress"])
      }
    }
  }

  public func exportPlans(afterID: Int64, limit: Int) throws(StoreError) -> [PlanRecord] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM plans WHERE id > ? ORDER BY id LIMIT ?", arguments: [afterID, limit]
      ).map { r in
        var p = PlanRecord(
          id: r["id"], jobID: r["job_id"], attempt: r["attempt"], scenarioID: r["scenario_id"],
          scenarioSHA256: r["scenario_sha256"], status: r["status"], objective: r["objective"],
          ebit: r["ebit"], revenue: r["revenue"], ebitMargin: r["ebit_margin"],
          solveSeconds: r["solve_seconds"], solver: r["solver"], previousPlanID: r["previous_plan_id"],
          scheduleID: r["schedule_id"], planJSON: r["plan_json"], createdAt: r["created_at"])
        // rowid order is insertion order: the plan's own order of its rows.
        p.allocations = try Row.fetchAll(
          db, sql: "SELECT * FROM plan_allocations WHERE plan_id = ? ORDER BY rowid", arguments: [p.id]
        ).map {
          PlanRecord.Allocation(
            offering: $0["offering"], hardware: $0["hardware"], site: $0["site"], period: $0["period"],
            mw: $0["mw"])
        }
        p.periods = try Row.fetchAll(
          db, sql: "SELECT * FROM plan_periods WHERE plan_id = ? ORDER BY rowid", arguments: [p.id]
        ).map {
          PlanRecord.Period(
            period: $0["period"], years: $0["years"], revenue: $0["revenue"], opex: $0["opex"],
            depreciation: $0["depreciation"], fixed: $0["fixed"], ebit: $0["ebit"],
            ebitMargin: $0["ebit_margin"])
        }
        p.marginals = try Row.fetchAll(
          db, sql: "SELECT * FROM plan_marginals WHERE plan_id = ? ORDER BY rowid", arguments: [p.id]
        ).map {
          PlanRecord.Marginal(
            kind: $0["kind"], subject: $0["subject"], period: $0["period"], value: $0["value"],
            binding: $0["binding"])
        }
        return p
      }
    }
  }

  public func exportSchedules() throws(StoreError) -> [ScheduleRecord] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM schedules ORDER BY id").map { r in
        ScheduleRecord(
          id: r["id"], name: r["name"], scenarioPath: r["scenario_path"], cron: r["cron"],
          intervalSeconds: r["interval_seconds"], timeZone: r["time_zone"], options: r["options"],
          skipUnchanged: r["skip_unchanged"], paused: r["paused"], nextFireAt: r["next_fire_at"],
          lastFiredAt: r["last_fired_at"], lastNote: r["last_note"], createdAt: r["created_at"],
          overridePaths: r["override_paths"], caseName: r["case_name"])
      }
    }
  }

  public func importRecords(schedules: [ScheduleRecord], jobs: [JobRecord], plans: [PlanRecord])
    throws(StoreError)
  {
    try writeImmediate { db in
      for s in schedules {
        try db.execute(
          sql: """
            INSERT INTO schedules (id, name, scenario_path, cron, interval_seconds, time_zone, options,
              skip_unchanged, paused, next_fire_at, last_fired_at, last_note, created_at, override_paths, case_name)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            s.id, s.name, s.scenarioPath, s.cron, s.intervalSeconds, s.timeZone, s.options, s.skipUnchanged,
            s.paused, s.nextFireAt, s.lastFiredAt, s.lastNote, s.createdAt, s.overridePaths, s.caseName,
          ])
      }
      for j in jobs {
        try db.execute(
          sql: """
            INSERT INTO jobs (id, state, scenario_id, source, scenario_text, scenario_sha256, options, priority,
              idempotency_key, attempt, failures, max_attempts, run_after, lease_owner, lease_expires_at,
              cancel_requested, last_error, plan_id, schedule_id, created_at, started_at, finished_at,
              progress)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            j.id, j.state, j.scenarioID, j.source, j.scenarioText, j.scenarioSHA256, j.options, j.priority,
            j.idempotencyKey, j.attempt, j.failures, j.maxAttempts, j.runAfter, j.leaseOwner,
            j.leaseExpiresAt, j.cancelRequested, j.lastError, j.planID, j.scheduleID, j.createdAt,
            j.startedAt, j.finishedAt, j.progress,
          ])
      }
      for p in plans {
        try db.execute(
          sql: """
            INSERT INTO plans (id, job_id, attempt, scenario_id, scenario_sha256, status, objective, ebit,
              revenue, ebit_margin, solve_seconds, solver, previous_plan_id, schedule_id, plan_json, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            p.id, p.jobID, p.attempt, p.scenarioID, p.scenarioSHA256, p.status, p.objective, p.ebit,
            p.revenue, p.ebitMargin, p.solveSeconds, p.solver, p.previousPlanID, p.scheduleID, p.planJSON,
            p.createdAt,
          ])
        try Self.insertRows(db, planID: p.id, p.allocations, p.periods, p.marginals)
      }
    }
  }

  /// AUTOINCREMENT moves past explicit ids by itself; ids the rows refer to
  /// (a removed schedule's, say) it does not know of.
  public func finishImport() throws(StoreError) {
    try writeImmediate { db in
      for (table, next) in StoreCopy.nextIDQueries {
        let last = (try Int64.fetchOne(db, sql: next) ?? 1) - 1
        try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = ?", arguments: [table])
        try db.execute(
          sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [table, last])
      }
    }
  }
}

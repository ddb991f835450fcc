import Foundation
import JobQueue

/// `capplan copy` over PostgreSQL.
extension PostgresStore {
  public func counts() throws(StoreError) -> StoreCounts {
    try read("counting rows") { tx in
      guard
        let r = try tx.one(
          """
          SELECT (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM plans) AS plans,
            (SELECT count(*) FROM schedules) AS schedules, (SELECT count(*) FROM studies) AS studies,
            (SELECT count(*) FROM api_tokens) AS tokens
          """)
      else { return StoreCounts(jobs: 0, plans: 0, schedules: 0) }
      return StoreCounts(
        jobs: Int(try r.get("jobs", as: Int64.self)), plans: Int(try r.get("plans", as: Int64.self)),
        schedules: Int(try r.get("schedules", as: Int64.self)),
        studies: Int(try r.get("studies", as: Int64.self)), tokens: Int(try r.get("tokens", as: Int64.self)))
    }
  }

  public func exportJobs(afterID: Int64, limit: Int) throws(StoreError) -> [JobRecord] {
    try read("reading jobs") { tx in
      try tx.rows("SELECT * FROM jobs WHERE id > $1 ORDER BY id LIMIT $2", [.int(afterID), .int(limit)]).map {
        r in
        JobRecord(
          id: try r.get("id"), state: try r.get("state"), scenarioID: try r.get("scenario_id"),
          source: try r.get("source"), scenarioText: try r.get("scenario_text"),
          scenarioSHA256: try r.get("scenario_sha256"), options: try r.get("options"),
          priority: try r.get("priority"), idempotencyKey: try r.get("idempotency_key"),
          attempt: try r.get("attempt"), failures: try r.get("failures"),
          maxAttempts: try r.get("max_attempts"),
          runAfter: try r.get("run_after"), leaseOwner: try r.get("lease_owner"),
          leaseExpiresAt: try r.get("lease_expires_at"), cancelRequested: try r.get("cancel_requested"),
          lastError: try r.get("last_error"), planID: try r.get("plan_id"),
          scheduleID: try r.get("schedule_id"),
          createdAt: try r.get("created_at"), startedAt: try r.get("started_at"),
          finishedAt: try r.get("finished_at"), progress: try r.get("progress"))
      }
    }
  }

  public func exportPlans(afterID: Int64, limit: Int) throws(StoreError) -> [PlanRecord] {
    try read("reading plans") { tx in
      try tx.rows("SELECT * FROM plans WHERE id > $1 ORDER BY id LIMIT $2", [.int(afterID), .int(limit)]).map
      {
        r in
        var p = PlanRecord(
          id: try r.get("id"), jobID: try r.get("job_id"), attempt: try r.get("attempt"),
          scenarioID: try r.get("scenario_id"), scenarioSHA256: try r.get("scenario_sha256"),
          status: try r.get("status"), objective: try r.get("objective"), ebit: try r.get("ebit"),
          revenue: try r.get("revenue"), ebitMargin: try r.get("ebit_margin"),
          solveSeconds: try r.get("solve_seconds"), solver: try r.get("solver"),
          previousPlanID: try r.get("previous_plan_id"), scheduleID: try r.get("schedule_id"),
          planJSON: try r.get("plan_json"), createdAt: try r.get("created_at"))
        p.allocations = try tx.rows(
          "SELECT * FROM plan_allocations WHERE plan_id = $1 ORDER BY position", [.int(p.id)]
        ).map {
          PlanRecord.Allocation(
            offering: try $0.get("offering"), hardware: try $0.get("hardware"), site: try $0.get("site"),
            period: try $0.get("period"), mw: try $0.get("mw"))
        }
        p.periods = try tx.rows(
          "SELECT * FROM plan_periods WHERE plan_id = $1 ORDER BY position", [.int(p.id)]
        )
        .map {
          PlanRecord.Period(
            period: try $0.get("period"), years: try $0.get("years"), revenue: try $0.get("revenue"),
            opex: try $0.get("opex"), depreciation: try $0.get("depreciation"), fixed: try $0.get("fixed"),
            ebit: try $0.get("ebit"), ebitMargin: try $0.get("ebit_margin"))
        }
        p.marginals = try tx.rows(
          "SELECT * FROM plan_marginals WHERE plan_id = $1 ORDER BY position", [.int(p.id)]
        ).map {
          PlanRecord.Marginal(
            kind: try $0.get("kind"), subject: try $0.get("subject"), period: try $0.get("period"),
            value: try $0.get("value"), binding: try $0.get("binding"))
        }
        return p
      }
    }
  }

  public func exportSchedules() throws(StoreError) -> [ScheduleRecord] {
    try read("reading schedules") { tx in
      try tx.rows("SELECT * FROM schedules ORDER BY id").map { r in
        ScheduleRecord(
          id: try r.get("id"), name: try r.get("name"), scenarioPath: try r.get("scenario_path"),
          cron: try r.get("cron"), intervalSeconds: try r.get("interval_seconds"),
          timeZone: try r.get("time_zone"), options: try r.get("options"),
          skipUnchanged: try r.get("skip_unchanged"), paused: try r.get("paused"),
          nextFireAt: try r.get("next_fire_at"), lastFiredAt: try r.get("last_fired_at"),
          lastNote: try r.get("last_note"), createdAt: try r.get("created_at"),
          overridePaths: try r.get("override_paths"), caseName: try r.get("case_name"))
      }
    }
  }

  public func importRecords(schedules: [ScheduleRecord], jobs: [JobRecord], plans: [PlanRecord])
    throws(StoreError)
  {
    try transaction("copying rows in") { tx in
      // A batch is one transaction: a run after an unanswered COMMIT that finds
      // the batch's first row finds all of it.
      if tx.isRetry {
        let probe: (String, Int64)? =
          schedules.first.map { ("schedules", $0.id) } ?? jobs.first.map { ("jobs", $0.id) }
          ?? plans.first.map { ("plans", $0.id) }
        if let (table, id) = probe, try tx.one("SELECT 1 FROM \(table) WHERE id = $1", [.int(id)]) != nil {
          return
        }
      }
      for s in schedules {
        try tx.execute(
          """
          INSERT INTO schedules (id, name, scenario_path, cron, interval_seconds, time_zone, options,
            skip_unchanged, paused, next_fire_at, last_fired_at, last_note, created_at, override_paths, case_name)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
          """,
          [
            .int(s.id), .text(s.name), .text(s.scenarioPath), .text(s.cron), .double(s.intervalSeconds),
            .text(s.timeZone), .text(s.options), .bool(s.skipUnchanged), .bool(s.paused),
            .double(s.nextFireAt), .double(s.lastFiredAt), .text(s.lastNote), .double(s.createdAt),
            .text(s.overridePaths), .text(s.caseName),
          ])
      }
      for j in jobs {
        try tx.execute(
          """
          INSERT INTO jobs (id, state, scenario_id, source, scenario_text, scenario_sha256, options, priority,
            idempotency_key, attempt, failures, max_attempts, run_after, lease_owner, lease_expires_at,
            cancel_requested, last_error, plan_id, schedule_id, created_at, started_at, finished_at,
            progress)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
            $21, $22, $23)
          """,
          [
            .int(j.id), .text(j.state), .text(j.scenarioID), .text(j.source), .text(j.scenarioText),
            .text(j.scenarioSHA256), .text(j.options), .int(j.priority), .text(j.idempotencyKey),
            .int(j.attempt), .int(j.failures), .int(j.maxAttempts), .double(j.runAfter), .text(j.leaseOwner),
            .double(j.leaseExpiresAt), .bool(j.cancelRequested), .text(j.lastError), .int(j.planID),
            .int(j.scheduleID), .double(j.createdAt), .double(j.startedAt), .double(j.finishedAt),
            .text(j.progress),
          ])
      }
      for p in plans { _ = try Self.insert(tx, p, keepingID: true) }
    }
  }

  public func finishImport() throws(StoreError) {
    try transaction("moving id sequences past the copied rows") { tx in
      for (table, next) in StoreCopy.nextIDQueries {
        try tx.execute("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), (\(next)), false)")
      }
    }
  }
}

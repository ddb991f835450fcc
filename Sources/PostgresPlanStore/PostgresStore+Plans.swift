import CapacityModel
import Foundation
import PlanStore

extension PostgresStore {
  static func insertPlan(_ tx: Transaction, _ plan: Plan, json: String, job: Job, attempt: Int, now: Date)
    throws
    -> Int64
  {
    let solver = String(decoding: try JSONEncoder().encode(plan.solver), as: UTF8.self)
    var record = PlanRecord(
      id: 0, jobID: job.id, attempt: Int64(attempt), scenarioID: job.scenarioID,
      scenarioSHA256: job.scenarioSHA256, status: plan.status.rawValue, objective: plan.objective,
      ebit: plan.totals?.ebit, revenue: plan.totals?.revenue, ebitMargin: plan.totals?.ebitMargin,
      solveSeconds: plan.solver.seconds, solver: solver, previousPlanID: job.options.previousPlanID,
      scheduleID: job.scheduleID, planJSON: json, createdAt: now.unix)
    (record.allocations, record.periods, record.marginals) = PlanRecord.tableRows(of: plan)
    return try insert(tx, record, keepingID: false)
  }

  /// Inserts a plan row and its table rows; `keepingID` for copies.
  static func insert(_ tx: Transaction, _ p: PlanRecord, keepingID: Bool) throws -> Int64 {
    var values: [SQLValue] = [
      .int(p.jobID), .int(p.attempt), .text(p.scenarioID), .text(p.scenarioSHA256), .text(p.status),
      .double(p.objective), .double(p.ebit), .double(p.revenue), .double(p.ebitMargin),
      .double(p.solveSeconds), .text(p.solver), .int(p.previousPlanID), .int(p.scheduleID), .text(p.planJSON),
      .double(p.createdAt),
    ]
    if keepingID { values.append(.int(p.id)) }
    guard
      let row = try tx.one(
        """
        INSERT INTO plans (job_id, attempt, scenario_id, scenario_sha256, status, objective, ebit, revenue,
          ebit_margin, solve_seconds, solver, previous_plan_id, schedule_id, plan_json, created_at\(keepingID ? ", id" : ""))
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15\(keepingID ? ", $16" : ""))
        RETURNING id
        """, values)
    else { throw StoreError(.database, "the plan was not inserted") }
    let id = try row.get("id", as: Int64.self)
    // One statement a table, whatever the plan's size: the rows travel as arrays.
    if !p.allocations.isEmpty {
      let a = p.allocations
      try tx.execute(
        """
        INSERT INTO plan_allocations (plan_id, position, offering, hardware, site, period, mw)
        SELECT $1, n, o, h, s, p, mw
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[]) WITH ORDINALITY AS t(o, h, s, p, mw, n)
        """,
        [
          .int(id), .texts(a.map(\.offering)), .texts(a.map(\.hardware)), .texts(a.map(\.site)),
          .texts(a.map(\.period)), .doubles(a.map(\.mw)),
        ])
    }
    if !p.periods.isEmpty {
      let r = p.periods
      try tx.execute(
        """
        INSERT INTO plan_periods (plan_id, position, period, years, revenue, opex, depreciation, fixed, ebit,
          ebit_margin)
        SELECT $1, n, p, y, r, o, d, f, e, CASE WHEN has_m THEN m END
        FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
          $8::float8[], $9::float8[], $10::bool[]) WITH ORDINALITY AS t(p, y, r, o, d, f, e, m, has_m, n)
        """,
        [
          .int(id), .texts(r.map(\.period)), .doubles(r.map(\.years)), .doubles(r.map(\.revenue)),
          .doubles(r.map(\.opex)), .doubles(r.map(\.depreciation)), .doubles(r.map(\.fixed)),
          .doubles(r.map(\.ebit)), .doubles(r.map { $0.ebitMargin ?? 0 }),
          .bools(r.map { $0.ebitMargin != nil }),
        ])
    }
    if !p.marginals.isEmpty {
      let m = p.marginals
      // NULLs cannot travel in these arrays: a flag beside each nullable value says whether it is there.
      try tx.execute(
        """
        INSERT INTO plan_marginals (plan_id, position, kind, subject, period, value, binding)
        SELECT $1, n, k, s, p, CASE WHEN has_v THEN v END, CASE WHEN has_b THEN b END
        FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::bool[], $7::bool[], $8::bool[])
          WITH ORDINALITY AS t(k, s, p, v, has_v, b, has_b, n)
        """,
        [
          .int(id), .texts(m.map(\.kind)), .texts(m.map(\.subject)), .texts(m.map(\.period)),
          .doubles(m.map { $0.value ?? 0 }), .bools(m.map { $0.value != nil }),
          .bools(m.map { $0.binding ?? false }), .bools(m.map { $0.binding != nil }),
        ])
    }
    return id
  }

  static let summaryColumns = """
    id, job_id, attempt, scenario_id, scenario_sha256, status, objective, ebit, revenue, ebit_margin,
    solve_seconds, previous_plan_id, schedule_id, created_at
    """

  static func summary(from r: Row) throws -> PlanSummary {
    PlanSummary(
      id: try r.get("id"), jobID: try r.get("job_id"), attempt: Int(try r.get("attempt", as: Int64.self)),
      scenarioID: try r.get("scenario_id"), scenarioSHA256: try r.get("scenario_sha256"),
      status: try r.get("status"), objective: try r.get("objective"), ebit: try r.get("ebit"),
      revenue: try r.get("revenue"), ebitMargin: try r.get("ebit_margin"),
      solveSeconds: try r.get("solve_seconds"), previousPlanID: try r.get("previous_plan_id"),
      scheduleID: try r.get("schedule_id"), createdAt: Date(unix: try r.get("created_at")))
  }

  public func plan(_ id: Int64) throws(StoreError) -> Plan {
    let json = try read("reading plan \(id)") { tx -> String in
      guard let row = try tx.one("SELECT plan_json FROM plans WHERE id = $1", [.int(id)]) else {
        throw StoreError(.notFound, "no plan \(id)")
      }
      return try row.get("plan_json")
    }
    do {
      return try Plan.decoder().decode(Plan.self, from: Data(json.utf8))
    } catch {
      throw StoreError(.database, "plan \(id) is stored but cannot be read: \(error)")
    }
  }

  public func planSummary(_ id: Int64) throws(StoreError) -> PlanSummary {
    try read("reading plan \(id)") { tx in
      guard let row = try tx.one("SELECT \(Self.summaryColumns) FROM plans WHERE id = $1", [.int(id)]) else {
        throw StoreError(.notFound, "no plan \(id)")
      }
      return try Self.summary(from: row)
    }
  }

  public func plans(_ filter: PlanFilter) throws(StoreError) -> [PlanSummary] {
    try read("listing plans") { tx in
      var clauses: [String] = []
      var values: [SQLValue] = []
      func add(_ clause: String, _ value: SQLValue) {
        values.append(value)
        clauses.append(clause.replacingOccurrences(of: "?", with: "$\(values.count)"))
      }
      if let s = filter.scenarioID { add("scenario_id = ?", .text(s)) }
      if let s = filter.status { add("status = ?", .text(s)) }
      if let s = filter.scheduleID { add("schedule_id = ?", .int(s)) }
      if let s = filter.since { add("created_at >= ?", .double(s.unix)) }
      var sql = "SELECT \(Self.summaryColumns) FROM plans"
      if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
      values.append(.int(filter.limit))
      sql += " ORDER BY id DESC LIMIT $\(values.count)"
      return try tx.rows(sql, values).map(Self.summary(from:))
    }
  }
}

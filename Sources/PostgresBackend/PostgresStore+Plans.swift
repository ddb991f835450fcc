import CapacityModel
import Foundation
import JobQueue

extension PostgresStore {
  /// Stores a finished job's plan and closes the job, in one statement.
  static func insertPlan(
    _ tx: Transaction, _ plan: Plan, json: String, job: Job, attempt: Int, now: Date, closing: JobChange
  ) throws -> Int64 {
    let solver = String(decoding: try JSONEncoder().encode(plan.solver), as: UTF8.self)
    var record = PlanRecord(
      id: 0, jobID: job.id, attempt: Int64(attempt), scenarioID: job.scenarioID,
      scenarioSHA256: job.scenarioSHA256, status: plan.status.rawValue, objective: plan.objective,
      ebit: plan.totals?.ebit, revenue: plan.totals?.revenue, ebitMargin: plan.totals?.ebitMargin,
      solveSeconds: plan.solver.seconds, solver: solver, previousPlanID: job.options.previousPlanID,
      scheduleID: job.scheduleID, planJSON: json, createdAt: now.unix)
    (record.allocations, record.periods, record.marginals) = PlanRecord.tableRows(of: plan)
    return try insert(tx, record, keepingID: false, closing: closing)
  }

  /// Inserts a plan row and its table rows (`keepingID` for copies), and with
  /// `closing` writes that change to its job, with the plan's id. One
  /// statement, whatever the plan's size: the table rows travel as arrays,
  /// and NULLs, which cannot travel in them, as a flag beside each nullable value.
  static func insert(_ tx: Transaction, _ p: PlanRecord, keepingID: Bool, closing: JobChange? = nil) throws
    -> Int64
  {
    let (a, r, m) = (p.allocations, p.periods, p.marginals)
    var values: [SQLValue] = [
      .int(p.jobID), .int(p.attempt), .text(p.scenarioID), .text(p.scenarioSHA256), .text(p.status),
      .double(p.objective), .double(p.ebit), .double(p.revenue), .double(p.ebitMargin),
      .double(p.solveSeconds), .text(p.solver), .int(p.previousPlanID), .int(p.scheduleID), .text(p.planJSON),
      .double(p.createdAt), .int(keepingID ? p.id : nil),
      // $17...$21: allocations
      .texts(a.map(\.offering)), .texts(a.map(\.hardware)), .texts(a.map(\.site)), .texts(a.map(\.period)),
      .doubles(a.map(\.mw)),
      // $22...$30: periods
      .texts(r.map(\.period)), .doubles(r.map(\.years)), .doubles(r.map(\.revenue)), .doubles(r.map(\.opex)),
      .doubles(r.map(\.depreciation)), .doubles(r.map(\.fixed)), .doubles(r.map(\.ebit)),
      .doubles(r.map { $0.ebitMargin ?? 0 }), .bools(r.map { $0.ebitMargin != nil }),
      // $31...$37: marginals
      .texts(m.map(\.kind)), .texts(m.map(\.subject)), .texts(m.map(\.period)),
      .doubles(m.map { $0.value ?? 0 }), .bools(m.map { $0.value != nil }),
      .bools(m.map { $0.binding ?? false }), .bools(m.map { $0.binding != nil }),
      // $38: closing the job
      .bool(closing != nil),
    ]
    // $39...: the job's columns the closing change writes
    let closingAssignments = closing.map { assignments(of: $0, into: &values) } ?? []
    guard
      let row = try tx.one(
        """
        WITH plan AS (
          INSERT INTO plans (id, job_id, attempt, scenario_id, scenario_sha256, status, objective, ebit, revenue,
            ebit_margin, solve_seconds, solver, previous_plan_id, schedule_id, plan_json, created_at)
          VALUES (COALESCE($16, nextval(pg_get_serial_sequence('plans', 'id'))), $1, $2, $3, $4, $5, $6, $7, $8,
            $9, $10, $11, $12, $13, $14, $15)
          RETURNING id),
        allocations AS (
          INSERT INTO plan_allocations (plan_id, position, offering, hardware, site, period, mw)
          SELECT plan.id, n, o, h, s, p, mw
          FROM plan, unnest($17::text[], $18::text[], $19::text[], $20::text[], $21::float8[])
            WITH ORDINALITY AS t(o, h, s, p, mw, n)),
        periods AS (
          INSERT INTO plan_periods (plan_id, position, period, years, revenue, opex, depreciation, fixed, ebit,
            ebit_margin)
          SELECT plan.id, n, p, y, r, o, d, f, e, CASE WHEN has_m THEN m END
          FROM plan, unnest($22::text[], $23::float8[], $24::float8[], $25::float8[], $26::float8[],
            $27::float8[], $28::float8[], $29::float8[], $30::bool[]) WITH ORDINALITY AS t(p, y, r, o, d, f, e, m,
            has_m, n)),
        marginals AS (
          INSERT INTO plan_marginals (plan_id, position, kind, subject, period, value, binding)
          SELECT plan.id, n, k, s, p, CASE WHEN has_v THEN v END, CASE WHEN has_b THEN b END
          FROM plan, unnest($31::text[], $32::text[], $33::text[], $34::float8[], $35::bool[], $36::bool[],
            $37::bool[]) WITH ORDINALITY AS t(k, s, p, v, has_v, b, has_b, n)),
        closed AS (
          UPDATE jobs SET \((closingAssignments + ["plan_id = plan.id"]).joined(separator: ", "))
          FROM plan WHERE $38 AND jobs.id = $1)
        SELECT id FROM plan
        """, values)
    else { throw StoreError(.database, "the plan was not inserted") }
    return try row.get("id", as: Int64.self)
  }

  static let summaryColumns = StoreColumns.planSummary

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
      values.append(.int(filter.limit < 0 ? nil : Int64(filter.limit)))
      sql += " ORDER BY id DESC LIMIT $\(values.count)"
      return try tx.rows(sql, values).map(Self.summary(from:))
    }
  }
}

import CapacityModel
import Foundation
import GRDB
import JobQueue

extension SQLiteStore {
  /// Stores the plan's JSON and its allocations, per-period financials and
  /// marginal values in tables of their own, for SQL.
  static func insertPlan(_ db: Database, _ plan: Plan, json: String, job: Job, attempt: Int, now: Date) throws
    -> Int64
  {
    let solver = String(decoding: try JSONEncoder().encode(plan.solver), as: UTF8.self)
    try db.execute(
      sql: """
        INSERT INTO plans (job_id, attempt, scenario_id, scenario_sha256, status, objective, ebit, revenue,
          ebit_margin, solve_seconds, solver, previous_plan_id, schedule_id, plan_json, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        job.id, attempt, job.scenarioID, job.scenarioSHA256, plan.status.rawValue, plan.objective,
        plan.totals?.ebit, plan.totals?.revenue, plan.totals?.ebitMargin, plan.solver.seconds, solver,
        job.options.previousPlanID, job.scheduleID, json, now.unix,
      ])
    let id = db.lastInsertedRowID
    let rows = PlanRecord.tableRows(of: plan)
    try insertRows(db, planID: id, rows.allocations, rows.periods, rows.marginals)
    return id
  }

  static func insertRows(
    _ db: Database, planID id: Int64, _ allocations: [PlanRecord.Allocation], _ periods: [PlanRecord.Period],
    _ marginals: [PlanRecord.Marginal]
  ) throws {
    let allocation = try db.makeStatement(
      sql:
        "INSERT INTO plan_allocations (plan_id, offering, hardware, site, period, mw) VALUES (?, ?, ?, ?, ?, ?)"
    )
    for a in allocations {
      try allocation.execute(arguments: [id, a.offering, a.hardware, a.site, a.period, a.mw])
    }
    let period = try db.makeStatement(
      sql: """
        INSERT INTO plan_periods (plan_id, period, years, revenue, opex, depreciation, fixed, ebit, ebit_margin)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for p in periods {
      try period.execute(arguments: [
        id, p.period, p.years, p.revenue, p.opex, p.depreciation, p.fixed, p.ebit, p.ebitMargin,
      ])
    }
    let marginal = try db.makeStatement(
      sql:
        "INSERT INTO plan_marginals (plan_id, kind, subject, period, value, binding) VALUES (?, ?, ?, ?, ?, ?)"
    )
    for m in marginals {
      try marginal.execute(arguments: [id, m.kind, m.subject, m.period, m.value, m.binding])
    }
  }

  static let summaryColumns = StoreColumns.planSummary

  static func summary(from row: Row) -> PlanSummary {
    PlanSummary(
      id: row["id"], jobID: row["job_id"], attempt: row["attempt"], scenarioID: row["scenario_id"],
      scenarioSHA256: row["scenario_sha256"], status: row["status"], objective: row["objective"],
      ebit: row["ebit"],
      revenue: row["revenue"], ebitMargin: row["ebit_margin"], solveSeconds: row["solve_seconds"],
      previousPlanID: row["previous_plan_id"], scheduleID: row["schedule_id"],
      createdAt: Date(unix: row["created_at"]))
  }

  public func plan(_ id: Int64) throws(StoreError) -> Plan {
    let json = try read { db in
      guard
        let json = try String.fetchOne(db, sql: "SELECT plan_json FROM plans WHERE id = ?", arguments: [id])
      else {
        throw StoreError(.notFound, "no plan \(id)")
      }
      return json
    }
    do {
      return try Plan.decoder().decode(Plan.self, from: Data(json.utf8))
    } catch {
      throw StoreError(.database, "plan \(id) is stored but cannot be read: \(error)")
    }
  }

  public func planSummary(_ id: Int64) throws(StoreError) -> PlanSummary {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT \(Self.summaryColumns) FROM plans WHERE id = ?", arguments: [id])
      else { throw StoreError(.notFound, "no plan \(id)") }
      return Self.summary(from: row)
    }
  }

  public func plans(_ filter: PlanFilter) throws(StoreError) -> [PlanSummary] {
    try read { db in
      var clauses: [String] = []
      var arguments = StatementArguments()
      if let s = filter.scenarioID {
        clauses.append("scenario_id = ?")
        _ = arguments.append(contentsOf: [s])
      }
      if let s = filter.status {
        clauses.append("status = ?")
        _ = arguments.append(contentsOf: [s])
      }
      if let s = filter.scheduleID {
        clauses.append("schedule_id = ?")
        _ = arguments.append(contentsOf: [s])
      }
      if let s = filter.since {
        clauses.append("created_at >= ?")
        _ = arguments.append(contentsOf: [s.unix])
      }
      var sql = "SELECT \(Self.summaryColumns) FROM plans"
      if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
      sql += " ORDER BY id DESC LIMIT ?"
      _ = arguments.append(contentsOf: [filter.limit])
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.summary(from:))
    }
  }
}

import CapacityModel
import Foundation

/// A job row exactly as stored, for copying between stores: every column,
/// the options as their stored JSON text and times as Unix seconds, so that
/// a copy can be compared with its source field by field.
public struct JobRecord: Sendable, Equatable {
  public var id: Int64
  public var state: String
  public var scenarioID: String
  public var source: String
  public var scenarioText: String
  public var scenarioSHA256: String
  public var options: String
  public var priority: Int64
  public var idempotencyKey: String?
  public var attempt: Int64
  public var failures: Int64
  public var maxAttempts: Int64
  public var runAfter: Double
  public var leaseOwner: String?
  public var leaseExpiresAt: Double?
  public var cancelRequested: Bool
  public var lastError: String?
  public var planID: Int64?
  public var scheduleID: Int64?
  public var createdAt: Double
  public var startedAt: Double?
  public var finishedAt: Double?
  /// The stored progress JSON text, as it is.
  public var progress: String?

  public init(
    id: Int64, state: String, scenarioID: String, source: String, scenarioText: String,
    scenarioSHA256: String, options: String, priority: Int64, idempotencyKey: String?, attempt: Int64,
    failures: Int64, maxAttempts: Int64, runAfter: Double, leaseOwner: String?, leaseExpiresAt: Double?,
    cancelRequested: Bool, lastError: String?, planID: Int64?, scheduleID: Int64?, createdAt: Double,
    startedAt: Double?, finishedAt: Double?, progress: String? = nil
  ) {
    self.id = id
    self.state = state
    self.scenarioID = scenarioID
    self.source = source
    self.scenarioText = scenarioText
    self.scenarioSHA256 = scenarioSHA256
    self.options = options
    self.priority = priority
    self.idempotencyKey = idempotencyKey
    self.attempt = attempt
    self.failures = failures
    self.maxAttempts = maxAttempts
    self.runAfter = runAfter
    self.leaseOwner = leaseOwner
    self.leaseExpiresAt = leaseExpiresAt
    self.cancelRequested = cancelRequested
    self.lastError = lastError
    self.planID = planID
    self.scheduleID = scheduleID
    self.createdAt = createdAt
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.progress = progress
  }
}

/// A plan row and its rows in the allocation, period and marginal tables.
public struct PlanRecord: Sendable, Equatable {
  public struct Allocation: Sendable, Equatable {
    public var offering, hardware, site, period: String
    public var mw: Double
    public init(offering: String, hardware: String, site: String, period: String, mw: Double) {
      self.offering = offering
      self.hardware = hardware
      self.site = site
      self.period = period
      self.mw = mw
    }
  }
  public struct Period: Sendable, Equatable {
    public var period: String
    public var years, revenue, opex, depreciation, fixed, ebit: Double
    public var ebitMargin: Double?
    public init(
      period: String, years: Double, revenue: Double, opex: Double, depreciation: Double, fixed: Double,
      ebit: Double, ebitMargin: Double?
    ) {
      self.period = period
      self.years = years
      self.revenue = revenue
      self.opex = opex
      self.depreciation = depreciation
      self.fixed = fixed
      self.ebit = ebit
      self.ebitMargin = ebitMargin
    }
  }
  public struct Marginal: Sendable, Equatable {
    public var kind, subject, period: String
    public var value: Double?
    public var binding: Bool?
    public init(kind: String, subject: String, period: String, value: Double?, binding: Bool?) {
      self.kind = kind
      self.subject = subject
      self.period = period
      self.value = value
      self.binding = binding
    }
  }

  public var id: Int64
  public var jobID: Int64
  public var attempt: Int64
  public var scenarioID: String
  public var scenarioSHA256: String
  public var status: String
  public var objective: Double?
  public var ebit: Double?
  public var revenue: Double?
  public var ebitMargin: Double?
  public var solveSeconds: Double
  public var solver: String
  public var previousPlanID: Int64?
  public var scheduleID: Int64?
  public var planJSON: String
  public var createdAt: Double
  public var allocations: [Allocation] = []
  public var periods: [Period] = []
  public var marginals: [Marginal] = []

  public init(
    id: Int64, jobID: Int64, attempt: Int64, scenarioID: String, scenarioSHA256: String, status: String,
    objective: Double?, ebit: Double?, revenue: Double?, ebitMargin: Double?, solveSeconds: Double,
    solver: String, previousPlanID: Int64?, scheduleID: Int64?, planJSON: String, createdAt: Double
  ) {
    self.id = id
    self.jobID = jobID
    self.attempt = attempt
    self.scenarioID = scenarioID
    self.scenarioSHA256 = scenarioSHA256
    self.status = status
    self.objective = objective
    self.ebit = ebit
    self.revenue = revenue
    self.ebitMargin = ebitMargin
    self.solveSeconds = solveSeconds
    self.solver = solver
    self.previousPlanID = previousPlanID
    self.scheduleID = scheduleID
    self.planJSON = planJSON
    self.createdAt = createdAt
  }
}

/// A schedule row as stored.
public struct ScheduleRecord: Sendable, Equatable {
  public var id: Int64
  public var name: String
  public var scenarioPath: String
  public var cron: String?
  public var intervalSeconds: Double?
  public var timeZone: String
  public var options: String
  public var skipUnchanged: Bool
  public var paused: Bool
  public var nextFireAt: Double
  public var lastFiredAt: Double?
  public var lastNote: String?
  public var createdAt: Double
  /// As stored: a JSON array of paths.
  public var overridePaths: String
  public var caseName: String?

  public init(
    id: Int64, name: String, scenarioPath: String, cron: String?, intervalSeconds: Double?, timeZone: String,
    options: String, skipUnchanged: Bool, paused: Bool, nextFireAt: Double, lastFiredAt: Double?,
    lastNote: String?, createdAt: Double, overridePaths: String = "[]", caseName: String? = nil
  ) {
    self.overridePaths = overridePaths
    self.caseName = caseName
    self.id = id
    self.name = name
    self.scenarioPath = scenarioPath
    self.cron = cron
    self.intervalSeconds = intervalSeconds
    self.timeZone = timeZone
    self.options = options
    self.skipUnchanged = skipUnchanged
    self.paused = paused
    self.nextFireAt = nextFireAt
    self.lastFiredAt = lastFiredAt
    self.lastNote = lastNote
    self.createdAt = createdAt
  }
}

public struct StoreCounts: Sendable, Equatable, CustomStringConvertible {
  public var jobs: Int
  public var plans: Int
  public var schedules: Int
  public var studies: Int
  public var tokens: Int
  public init(jobs: Int, plans: Int, schedules: Int, studies: Int = 0, tokens: Int = 0) {
    self.jobs = jobs
    self.plans = plans
    self.schedules = schedules
    self.studies = studies
    self.tokens = tokens
  }
  public var isEmpty: Bool { jobs == 0 && plans == 0 && schedules == 0 && studies == 0 && tokens == 0 }
  public var description: String {
    "\(jobs) job(s), \(plans) plan(s), \(schedules) schedule(s)"
      + (studies > 0 ? ", \(studies) study(ies)" : "") + (tokens > 0 ? ", \(tokens) API token(s)" : "")
  }
}

/// A named schema change and whether this database has it.
public struct MigrationState: Sendable, Equatable {
  public var name: String
  public var applied: Bool
  public init(name: String, applied: Bool) {
    self.name = name
    self.applied = applied
  }
}

/// A whole store: the queue, schedules, and what `capplan migrate` and
/// `capplan copy` need. Both backends implement it.
public protocol PlanDatabase: ScheduleStore, StudyStore, TokenStore {
  /// Applies the migrations this database lacks; returns their names.
  func migrate() throws(StoreError) -> [String]
  func migrationStates() throws(StoreError) -> [MigrationState]

  func counts() throws(StoreError) -> StoreCounts
  /// Rows with ids above `afterID`, in id order, at most `limit`.
  func exportJobs(afterID: Int64, limit: Int) throws(StoreError) -> [JobRecord]
  func exportPlans(afterID: Int64, limit: Int) throws(StoreError) -> [PlanRecord]
  func exportSchedules() throws(StoreError) -> [ScheduleRecord]
  /// Inserts the rows with their ids, in one transaction.
  func importRecords(schedules: [ScheduleRecord], jobs: [JobRecord], plans: [PlanRecord]) throws(StoreError)
  /// Moves id generators past the imported ids, so new rows do not collide.
  func finishImport() throws(StoreError)
}

extension PlanRecord {
  /// The rows a plan gets in the allocation, period and marginal tables.
  public static func tableRows(of plan: Plan) -> (
    allocations: [Allocation], periods: [Period], marginals: [Marginal]
  ) {
    let allocations = plan.allocations.map {
      Allocation(offering: $0.offering, hardware: $0.hardware, site: $0.site, period: $0.period, mw: $0.mw)
    }
    let periods = plan.periods.map {
      Period(
        period: $0.id, years: $0.years, revenue: $0.revenue, opex: $0.opex, depreciation: $0.depreciation,
        fixed: $0.fixed, ebit: $0.ebit, ebitMargin: $0.ebitMargin)
    }
    var marginals = plan.marginals.power.map {
      Marginal(
        kind: "power", subject: $0.site, period: $0.period, value: $0.value,
        binding: $0.isAtLimit)
    }
    for m in plan.marginals.supply + plan.marginals.demand {
      marginals.append(
        Marginal(
          kind: m.kind.rawValue, subject: m.subject, period: m.period, value: m.value, binding: m.binding))
    }
    return (allocations, periods, marginals)
  }
}

/// The columns a `Job` and a `PlanSummary` are read from: the same names in
/// every backend's schema.
public enum StoreColumns {
  public static let job = """
    id, state, scenario_id, source, scenario_sha256, options, priority, idempotency_key, attempt, failures,
    max_attempts, run_after, lease_owner, lease_expires_at, cancel_requested, last_error, plan_id, schedule_id,
    created_at, started_at, finished_at, progress
    """
  public static let planSummary = """
    id, job_id, attempt, scenario_id, scenario_sha256, status, objective, ebit, revenue, ebit_margin,
    solve_seconds, previous_plan_id, schedule_id, created_at
    """
}

extension PlanStatus {
  /// The statuses whose plans carry a solution (`hasSolution`), as an SQL
  /// list of literals for `status IN (...)`: a scheduled job starts from
  /// its schedule's newest such plan.
  public static let withSolutionSQLList = allCases.filter(\.hasSolution).map { "'\($0.rawValue)'" }
    .joined(separator: ", ")
}

extension Plan {
  /// The plan as the stores keep it: its JSON text.
  public func storedJSONText() throws(StoreError) -> String {
    do {
      return String(decoding: try jsonData(), as: UTF8.self)
    } catch {
      throw StoreError(.invalid, "cannot encode the plan: \(error)")
    }
  }
}

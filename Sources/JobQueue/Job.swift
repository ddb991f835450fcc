import CapacityModel
import Crypto
import Foundation

public enum JobState: String, Codable, Sendable, CaseIterable {
  case queued, running, succeeded, failed, cancelled

  public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// How a job is to be solved; stored with it as JSON text. The solve settings' keys sit at the
/// top level beside the queue's own, as they did before there were more than two of them, so a
/// row written by any version decodes: a missing key takes its default.
public struct JobOptions: Codable, Sendable, Equatable {
  public var settings: SolveSettings
  /// The child process's address-space limit, in MB.
  public var memoryLimitMB: Int?
  /// A stored plan whose allocations the stability move cost compares against.
  public var previousPlanID: Int64?
  /// Why a stored row's options could not be read (a hand edit, a newer version), or nil. Such a
  /// job is listed with default options and fails as invalid options when claimed, rather than
  /// stopping every claim and every listing. Never stored.
  public var unreadable: String?

  public init(
    settings: SolveSettings = SolveSettings(), memoryLimitMB: Int? = nil, previousPlanID: Int64? = nil
  ) {
    self.settings = settings
    self.memoryLimitMB = memoryLimitMB
    self.previousPlanID = previousPlanID
  }

  enum CodingKeys: String, CodingKey {
    case memoryLimitMB = "memory_limit_mb", previousPlanID = "previous_plan_id"
  }

  public init(from decoder: any Decoder) throws {
    settings = try SolveSettings(from: decoder)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    memoryLimitMB = try c.decodeIfPresent(Int.self, forKey: .memoryLimitMB)
    previousPlanID = try c.decodeIfPresent(Int64.self, forKey: .previousPlanID)
  }

  public func encode(to encoder: any Encoder) throws {
    try settings.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(memoryLimitMB, forKey: .memoryLimitMB)
    try c.encodeIfPresent(previousPlanID, forKey: .previousPlanID)
  }
}

extension JobOptions {
  /// The options as every store keeps them: JSON text.
  public func storedText() throws(StoreError) -> String {
    do {
      return String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    } catch {
      throw StoreError(.invalid, "cannot encode the job options: \(error)")
    }
  }

  /// Options read back from a stored job or schedule row; unreadable ones are defaults marked
  /// ``unreadable``, which ``checkRanges()`` refuses.
  public init(storedText text: String) {
    do {
      self = try JSONDecoder().decode(JobOptions.self, from: Data(text.utf8))
    } catch {
      self.init()
      unreadable = "not readable (\(Self.describe(error))): \(text.prefix(200))"
    }
  }

  static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
      let path = c.codingPath.map(\.stringValue).joined(separator: ".")
      return (path.isEmpty ? "" : "\(path): ") + c.debugDescription
    @unknown default: return "\(error)"
    }
  }
}

/// What `submit` hands to the store.
public struct JobSubmission: Sendable {
  public var scenarioID: String
  /// Where the scenario came from (a path), for people reading the job list.
  public var source: String
  /// The scenario file's text, stored whole: the job does not depend on the file afterwards.
  public var scenarioText: String
  public var options: JobOptions
  public var priority: Int
  public var idempotencyKey: String?
  public var maxAttempts: Int
  public var scheduleID: Int64?

  public init(
    scenarioID: String, source: String, scenarioText: String, options: JobOptions = JobOptions(),
    priority: Int = 0,
    idempotencyKey: String? = nil, maxAttempts: Int = 3, scheduleID: Int64? = nil
  ) {
    self.scenarioID = scenarioID
    self.source = source
    self.scenarioText = scenarioText
    self.options = options
    self.priority = priority
    self.idempotencyKey = idempotencyKey
    self.maxAttempts = maxAttempts
    self.scheduleID = scheduleID
  }

  public var scenarioSHA256: String { ScenarioHash.sha256(scenarioText) }

  /// Checks what every store checks before it enqueues, and returns the
  /// options as the JSON text the stores keep.
  public func validatedOptionsText() throws(StoreError) -> String {
    try Limits.maxAttempts.check(maxAttempts)
    try Limits.priority.check(priority)
    try Limits.checkIdempotencyKey(idempotencyKey)
    try options.checkRanges()
    return try options.storedText()
  }
}

/// A job as stored.
public struct Job: Codable, Sendable, Equatable {
  public var id: Int64
  public var state: JobState
  public var scenarioID: String
  public var source: String
  public var scenarioSHA256: String
  public var options: JobOptions
  public var priority: Int
  public var idempotencyKey: String?
  /// Fencing token: raised on every claim, so only the latest claimant can record a result.
  public var attempt: Int
  /// Tries that failed (crash, abort, timeout); retries stop at `maxAttempts`.
  public var failures: Int
  public var maxAttempts: Int
  public var runAfter: Date
  public var leaseOwner: String?
  public var leaseExpiresAt: Date?
  public var cancelRequested: Bool
  public var lastError: String?
  public var planID: Int64?
  public var scheduleID: Int64?
  public var createdAt: Date
  public var startedAt: Date?
  public var finishedAt: Date?
  /// The latest progress of the solve, from its worker's heartbeats: the running attempt's, or
  /// for a finished job the last one reported (docs/stores.md says when it is cleared).
  public var progress: JobProgress?

  enum CodingKeys: String, CodingKey {
    case id, state, source, options, priority, attempt, failures, progress
    case scenarioID = "scenario_id", scenarioSHA256 = "scenario_sha256", idempotencyKey = "idempotency_key"
    case maxAttempts = "max_attempts", runAfter = "run_after", leaseOwner = "lease_owner"
    case leaseExpiresAt = "lease_expires_at", cancelRequested = "cancel_requested", lastError = "last_error"
    case planID = "plan_id", scheduleID = "schedule_id", createdAt = "created_at", startedAt = "started_at"
    case finishedAt = "finished_at"
  }

  public init(
    id: Int64,
    state: JobState,
    scenarioID: String,
    source: String,
    scenarioSHA256: String,
    options: JobOptions,
    priority: Int,
    idempotencyKey: String?,
    attempt: Int,
    failures: Int,
    maxAttempts: Int,
    runAfter: Date,
    leaseOwner: String?,
    leaseExpiresAt: Date?,
    cancelRequested: Bool,
    lastError: String?,
    planID: Int64?,
    scheduleID: Int64?,
    createdAt: Date,
    startedAt: Date?,
    finishedAt: Date?,
    progress: JobProgress? = nil
  ) {
    self.id = id
    self.state = state
    self.scenarioID = scenarioID
    self.source = source
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

/// A claimed job: what a worker needs to run it and to prove it still holds it.
public struct Lease: Sendable, Equatable {
  public var jobID: Int64
  public var attempt: Int
  public var owner: String
  public var scenarioText: String
  public var options: JobOptions
  public var previousPlanJSON: Data?

  public init(
    jobID: Int64,
    attempt: Int,
    owner: String,
    scenarioText: String,
    options: JobOptions,
    previousPlanJSON: Data?
  ) {
    self.jobID = jobID
    self.attempt = attempt
    self.owner = owner
    self.scenarioText = scenarioText
    self.options = options
    self.previousPlanJSON = previousPlanJSON
  }
}

public enum HeartbeatResult: Sendable, Equatable {
  case held(cancelRequested: Bool)
  /// The lease expired and another worker took the job, or it was cancelled and
  /// closed: this worker must stop and record nothing.
  case lost
}

/// A plan as listed.
public struct PlanSummary: Codable, Sendable, Equatable {
  public var id: Int64
  public var jobID: Int64
  public var attempt: Int
  public var scenarioID: String
  public var scenarioSHA256: String
  public var status: String
  public var objective: Double?
  public var ebit: Double?
  public var revenue: Double?
  public var ebitMargin: Double?
  public var solveSeconds: Double
  public var previousPlanID: Int64?
  public var scheduleID: Int64?
  public var createdAt: Date

  enum CodingKeys: String, CodingKey {
    case id, attempt, status, objective, ebit, revenue
    case jobID = "job_id", scenarioID = "scenario_id", scenarioSHA256 = "scenario_sha256"
    case ebitMargin = "ebit_margin", solveSeconds = "solve_seconds", previousPlanID = "previous_plan_id"
    case scheduleID = "schedule_id", createdAt = "created_at"
  }

  public init(
    id: Int64,
    jobID: Int64,
    attempt: Int,
    scenarioID: String,
    scenarioSHA256: String,
    status: String,
    objective: Double?,
    ebit: Double?,
    revenue: Double?,
    ebitMargin: Double?,
    solveSeconds: Double,
    previousPlanID: Int64?,
    scheduleID: Int64?,
    createdAt: Date
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
    self.previousPlanID = previousPlanID
    self.scheduleID = scheduleID
    self.createdAt = createdAt
  }
}

public enum ScenarioHash {
  public static func sha256(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
  }
}

public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Kind: Sendable, Equatable { case notFound, conflict, invalid, database }
  public var kind: Kind
  public var message: String
  public var description: String { message }
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }
}

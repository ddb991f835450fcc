import CapacityModel
import Foundation

/// What a worker sends its child process on stdin. The child prints the plan
/// as JSON on stdout and exits 0; it exits `JobPayload.invalidInputExit` for
/// input no retry can fix.
public struct JobPayload: Codable, Sendable {
  public var jobID: Int64
  public var attempt: Int
  public var scenarioText: String
  /// The job's settings, with the worker's default time limit when the job sets none.
  public var settings: SolveSettings
  /// How long the worker lets the child run before it kills it: the job's time limit, else the
  /// worker's default (which the settings leave out for a method that cannot stop at one).
  public var timeLimitSeconds: Double?
  public var memoryLimitMB: Int?
  public var previousPlanJSON: String?

  public static let invalidInputExit: Int32 = 2

  public init(lease: Lease, defaultTimeLimit: Double?, defaultMemoryLimitMB: Int?) {
    jobID = lease.jobID
    attempt = lease.attempt
    scenarioText = lease.scenarioText
    settings = lease.options.settings.withDefaultTimeLimit(defaultTimeLimit)
    timeLimitSeconds = lease.options.settings.timeLimitSeconds ?? defaultTimeLimit
    memoryLimitMB = lease.options.memoryLimitMB ?? defaultMemoryLimitMB
    previousPlanJSON = lease.previousPlanJSON.map { String(decoding: $0, as: UTF8.self) }
  }
}

/// Capped exponential backoff with jitter: base * 2^(failures-1), at most
/// `cap`, times a random factor in [0.5, 1] so retries of many jobs spread out.
public struct Backoff: Sendable {
  public var base: Double = 2
  public var cap: Double = 300
  public init(base: Double = 2, cap: Double = 300) {
    self.base = base
    self.cap = cap
  }
  public func delay(afterFailures failures: Int, jitter: Double = Double.random(in: 0.5...1)) -> Double {
    min(cap, base * pow(2, Double(max(failures, 1) - 1))) * jitter
  }
}

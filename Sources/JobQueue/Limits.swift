import CapacityModel
import Foundation

extension Limit {
  public func check(_ value: Double, label: String? = nil) throws(StoreError) {
    guard contains(value) else { throw StoreError(.invalid, refusal(value, label: label)) }
  }

  public func check(_ value: Int, label: String? = nil) throws(StoreError) {
    try check(Double(value), label: label)
  }
}

/// Every range in one place, so the CLI, the stores and the worker agree.
public enum Limits {
  public static let timeLimit = SolveSettings.timeLimitRange
  public static let lease = Limit("lease", 1...86_400, unit: "seconds")
  public static let poll = Limit("poll interval", 0.01...3600, unit: "seconds")
  public static let tick = Limit("tick", 0.01...3600, unit: "seconds")
  public static let retryBase = Limit("retry base", 0...3600, unit: "seconds")
  public static let interval = Limit("interval", 1...315_360_000, unit: "seconds")
  public static let concurrency = Limit("concurrency", 1...256, unit: "slots")
  public static let memoryLimit = Limit("memory limit", 64...4_194_304, unit: "MB")
  public static let maxAttempts = Limit("max attempts", 1...1000, unit: "tries")
  public static let priority = Limit("priority", -1_000_000...1_000_000, unit: "(higher runs first)")
  public static let relativeGap = SolveSettings.relativeGapRange
  public static let proximitySearch = SolveSettings.proximitySearchRange
  /// An idempotency key's length, in characters: long enough for a UUID or a content hash with a
  /// prefix, short enough that an index on it stays small.
  public static let idempotencyKeyCharacters = 200

  /// Refuses an idempotency key longer than ``idempotencyKeyCharacters``; `label` is how the
  /// caller's user writes the field (`--idempotency-key`, `Idempotency-Key`).
  public static func checkIdempotencyKey(_ key: String?, label: String = "idempotency key")
    throws(StoreError)
  {
    guard let key, key.count > idempotencyKeyCharacters else { return }
    throw StoreError(
      .invalid, "\(label) has \(key.count) characters: give at most \(idempotencyKeyCharacters)")
  }
  /// `capplan generate`: far past the benchmarks' 200 sites, short of exhausting memory.
  public static let generatedSites = Limit("sites", 1...10_000, unit: "sites")
  public static let generatedPeriods = Limit("periods", 1...400, unit: "quarters")
  public static let generatedHardware = Limit("hardware kinds", 1...100, unit: "kinds")
  public static let generatedOfferings = Limit("offerings", 1...1000, unit: "offerings")
}

extension JobOptions {
  /// Refuses options no worker can honour; run by both stores on every submit
  /// and schedule, and by the worker on every row it claims.
  public func checkRanges() throws(StoreError) {
    if let unreadable { throw StoreError(.invalid, unreadable) }
    do {
      try settings.check()
    } catch {
      throw StoreError(.invalid, error.message)
    }
    if let m = memoryLimitMB { try Limits.memoryLimit.check(m) }
  }
}

extension Duration {
  /// A `Duration` of `seconds`, clamped to 0 s ... about 31 years (NaN is 0), so
  /// no value can overflow `Duration`'s attosecond arithmetic and trap.
  public static func clampedSeconds(_ seconds: Double) -> Duration {
    guard seconds.isFinite, seconds > 0 else { return .zero }
    return .milliseconds(Int64(min(seconds, 1e9) * 1000))
  }
}

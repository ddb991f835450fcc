import CapacityModel
import Foundation

/// The accepted range of one duration or count, checked where the value enters:
/// the command line, a stored job or schedule row. Values outside it are
/// refused with the range in the message, so no later arithmetic (a deadline,
/// a `Duration`, a date) has to survive 1e21 seconds.
public struct Limit: Sendable {
  public let name: String
  public let range: ClosedRange<Double>
  public let unit: String

  public init(_ name: String, _ range: ClosedRange<Double>, unit: String) {
    self.name = name
    self.range = range
    self.unit = unit
  }

  public func contains(_ value: Double) -> Bool { range.contains(value) }

  /// "give 1 to 86400 seconds (1 day)"
  public var accepted: String {
    let low = Self.number(range.lowerBound)
    let high = Self.number(range.upperBound)
    var text = "give \(low) to \(high) \(unit)"
    if unit == "seconds", range.upperBound >= 3600 { text += " (\(Self.human(range.upperBound)))" }
    return text
  }

  /// The message for a value outside the range; `label` is how the user wrote the name.
  public func refusal(_ value: Double, label: String? = nil) -> String {
    "\(label ?? name) \(Self.number(value)) is out of range: \(accepted)"
  }

  public func check(_ value: Double, label: String? = nil) throws(StoreError) {
    guard contains(value) else { throw StoreError(.invalid, refusal(value, label: label)) }
  }

  public func check(_ value: Int, label: String? = nil) throws(StoreError) {
    try check(Double(value), label: label)
  }

  public static func number(_ x: Double) -> String { NumberText.plain(x) }

  static func human(_ seconds: Double) -> String {
    if seconds >= 86400 {
      return "\(number((seconds / 86400).rounded())) days".replacing(/^1 days/, with: "1 day")
    }
    return "\(number((seconds / 3600).rounded())) hours".replacing(/^1 hours/, with: "1 hour")
  }
}

/// Every range in one place, so the CLI, the stores and the worker agree.
public enum Limits {
  public static let timeLimit = Limit("time limit", 0.001...31_536_000, unit: "seconds")
  public static let lease = Limit("lease", 1...86_400, unit: "seconds")
  public static let poll = Limit("poll interval", 0.01...3600, unit: "seconds")
  public static let tick = Limit("tick", 0.01...3600, unit: "seconds")
  public static let retryBase = Limit("retry base", 0...3600, unit: "seconds")
  public static let interval = Limit("interval", 1...315_360_000, unit: "seconds")
  public static let concurrency = Limit("concurrency", 1...256, unit: "slots")
  public static let memoryLimit = Limit("memory limit", 64...4_194_304, unit: "MB")
  public static let maxAttempts = Limit("max attempts", 1...1000, unit: "tries")
  public static let relativeGap = Limit("relative gap", 0...1e6, unit: "(a fraction)")
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
    if let t = timeLimitSeconds { try Limits.timeLimit.check(t) }
    if let g = relativeGap { try Limits.relativeGap.check(g) }
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

import Foundation

/// The accepted range of one duration or count, checked where the value enters:
/// the command line, a stored job or schedule row. Values outside it are
/// refused with the range in the message, so no later arithmetic (a deadline,
/// a `Duration`, a date) has to survive 1e21 seconds.
///
/// It lives here, below the queue, because the solve settings' ranges are the
/// capacity model's: the queue and the command line take theirs from it.
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

  public static func number(_ x: Double) -> String { NumberText.plain(x) }

  static func human(_ seconds: Double) -> String {
    if seconds >= 86400 {
      return "\(number((seconds / 86400).rounded())) days".replacing(/^1 days/, with: "1 day")
    }
    return "\(number((seconds / 3600).rounded())) hours".replacing(/^1 hours/, with: "1 hour")
  }
}

import Foundation

/// How numbers read in tables, messages and logs, in one place: the CLI's
/// tables, the plan's notes and the solver's log lines all format through it.
public enum NumberText {
  /// Fixed decimals, never "-0": `12.50`, `0.00`.
  public static func fixed(_ x: Double, _ decimals: Int = 2) -> String {
    let s = String(format: "%.\(decimals)f", x)
    if s.hasPrefix("-"), Double(s) == 0 { return String(s.dropFirst()) }
    return s
  }

  /// Thousands separators and `decimals` decimals, never "-0": `80,943.3`.
  public static func grouped(_ x: Double, _ decimals: Int = 1) -> String {
    let s = fixed(abs(x), decimals)
    let parts = s.split(separator: ".")
    var whole = String(parts[0])
    var groups = ""
    while whole.count > 3 {
      groups = "," + whole.suffix(3) + groups
      whole.removeLast(3)
    }
    let isZero = Double(s) == 0
    return (x < 0 && !isZero ? "-" : "") + whole + groups + (parts.count > 1 ? "." + parts[1] : "")
  }

  /// MW to a tenth, without decimals when whole: `1,180`, `12.5`.
  public static func mw(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return grouped(r, r == r.rounded() ? 0 : 1)
  }

  /// To at most 2 decimals, none when whole: `340`, `12.5`, `0.25`.
  public static func quantity(_ x: Double) -> String {
    let r = (x * 100).rounded() / 100
    if r == r.rounded() { return fixed(r, 0) }
    return fixed(r, 2).replacingOccurrences(of: "0$", with: "", options: .regularExpression)
  }

  /// A fraction as a percentage: `0.123` reads `12.3%`.
  public static func percent(_ fraction: Double, _ decimals: Int = 1) -> String {
    fixed(fraction * 100, decimals) + "%"
  }

  /// As a person writes it: `5`, `0.25`, `1e+300`, `inf`.
  public static func plain(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
  }
}

extension Array where Element: Hashable {
  /// The elements in order, each kept at its first place.
  public func uniqued() -> [Element] {
    var seen = Set<Element>()
    return filter { seen.insert($0).inserted }
  }
}

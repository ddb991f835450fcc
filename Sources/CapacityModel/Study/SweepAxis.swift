import Foundation

/// One field a sweep varies and the values it takes: `PATH=FROM:TO:STEP`
/// (`offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5`), a list
/// `PATH=0.2,0.25,0.3`, or one value `PATH=0.25`.
public struct SweepAxis: Sendable, Equatable, Codable {
  public var path: String
  public var values: [Double]

  public init(path: String, values: [Double]) {
    self.path = path
    self.values = values
  }

  /// Why a `--set` text is not an axis, in words for the person who typed it.
  public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var reason: String
    /// The text is escaped and cut short: it comes from a command line (a 10,000-value list, an
    /// escape sequence) and the message goes to a terminal.
    public var description: String { "--set \(Excerpt.of(text, limit: 120)): \(reason)" }
  }

  public init(parsing text: String) throws(ParseError) {
    func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
    guard let eq = text.lastIndex(of: "=") else {
      throw fail("expected PATH=FROM:TO:STEP or PATH=V1,V2,... (no '=' found)")
    }
    path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
    let spec = text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
    guard !path.isEmpty else { throw fail("the field path before '=' is empty") }
    guard !spec.isEmpty else { throw fail("no values after '='") }
    if spec.contains(":") {
      values = try Self.range(spec, fail)
    } else {
      values = try spec.split(separator: ",", omittingEmptySubsequences: false).map {
        item throws(ParseError) in
        let word = item.trimmingCharacters(in: .whitespaces)
        guard let x = Double(word), x.isFinite else {
          throw fail("'\(Excerpt.of(word))' is not a finite number")
        }
        return x
      }
    }
    guard values.count <= Sweep.maxPoints else {
      throw fail("\(values.count) values; a sweep is limited to \(Sweep.maxPoints) points")
    }
  }

  /// FROM:TO:STEP, each value computed from its index (not by repeated addition) and rounded to
  /// the decimals the numbers were written with, so `0:1:0.1` gives 0.3, not 0.30000000000000004.
  static func range(_ spec: String, _ fail: (String) -> ParseError) throws(ParseError) -> [Double] {
    let words = spec.split(separator: ":", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard words.count == 3 else { throw fail("a range is FROM:TO:STEP (three numbers)") }
    var numbers: [Double] = []
    for word in words {
      guard let x = Double(word), x.isFinite else {
        throw fail("'\(Excerpt.of(word))' is not a finite number")
      }
      numbers.append(x)
    }
    let (from, to, step) = (numbers[0], numbers[1], numbers[2])
    guard step != 0 else { throw fail("the step is 0") }
    guard (to - from) / step >= 0 else {
      throw fail(
        "a step of \(NumberText.plain(step)) never reaches \(NumberText.plain(to)) from \(NumberText.plain(from))"
      )
    }
    // The quotient is checked before Int(...): 0:1e300:1e-300 would trap there.
    let steps = ((to - from) / step + 1e-9).rounded(.down)
    guard steps.isFinite, steps < Double(Sweep.maxPoints) else {
      throw fail("more than \(Sweep.maxPoints) values; a sweep is limited to \(Sweep.maxPoints) points")
    }
    let decimals = words.map(Self.decimals).max() ?? 0
    return (0..<(Int(steps) + 1)).map { Self.rounded(from + Double($0) * step, decimals: decimals) }
  }

  /// Decimal places `word` is written with: `0.05` has 2, `1e-3` has 3, `40` none.
  static func decimals(_ word: String) -> Int {
    guard let d = Decimal(string: word) else { return 0 }
    return min(15, max(0, -d.exponent))
  }

  static func rounded(_ x: Double, decimals: Int) -> Double {
    guard decimals < 15 else { return x }
    let scale = pow(10, Double(decimals))
    let r = (x * scale).rounded() / scale
    return r.isFinite ? r : x
  }
}

import Foundation

/// A five-field cron expression: minute, hour, day of month, month, day of week.
///
/// Fields take `*`, numbers, ranges `a-b`, steps `*/n`, `a-b/n`, `a/n`, lists
/// `a,b`, month names JAN-DEC and day names SUN-SAT (0 and 7 are Sunday).
/// `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly` are accepted. As in
/// Vixie cron, when both day fields are restricted a day matches if either does.
///
/// Next fire times are computed in a time zone. A local time skipped by a DST
/// change fires as far past the gap as it fell into it (02:30 on a spring-forward
/// night fires at 03:30), once; a local time repeated by a DST change fires
/// once, at its first occurrence.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
  public let source: String
  let minutes: [Int]
  let hours: [Int]
  let daysOfMonth: Set<Int>
  let months: Set<Int>
  let daysOfWeek: Set<Int>
  let dayOfMonthRestricted: Bool
  let dayOfWeekRestricted: Bool

  public var description: String { source }

  public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public var description: String { message }
  }

  static let macros = [
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
  ]
  static let monthNames = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
  ]
  static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

  public init(_ text: String) throws(ParseError) {
    source = text.trimmingCharacters(in: .whitespaces)
    let expanded = Self.macros[source.lowercased()] ?? source
    let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    guard fields.count == 5 else {
      throw ParseError(
        message:
          "'\(text)' has \(fields.count) fields; a cron expression has 5: minute hour day-of-month month day-of-week"
      )
    }
    minutes = try Self.field(fields[0], name: "minute", range: 0...59, names: [:]).sorted()
    hours = try Self.field(fields[1], name: "hour", range: 0...23, names: [:]).sorted()
    daysOfMonth = try Self.field(fields[2], name: "day of month", range: 1...31, names: [:])
    let monthMap = Dictionary(uniqueKeysWithValues: Self.monthNames.enumerated().map { ($1, $0 + 1) })
    months = try Self.field(fields[3], name: "month", range: 1...12, names: monthMap)
    let dayMap = Dictionary(uniqueKeysWithValues: Self.dayNames.enumerated().map { ($1, $0) })
    daysOfWeek = Set(
      try Self.field(fields[4], name: "day of week", range: 0...7, names: dayMap).map { $0 % 7 })
    dayOfMonthRestricted = !fields[2].hasPrefix("*")
    dayOfWeekRestricted = !fields[4].hasPrefix("*")
    // A day of month no listed month has (31 in February only) never fires.
    let longest =
      months.map {
        [1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31][$0] ?? 31
      }.max() ?? 31
    if dayOfMonthRestricted && !dayOfWeekRestricted && (daysOfMonth.min() ?? 1) > longest {
      throw ParseError(message: "'\(text)' never fires: no chosen month has day \(daysOfMonth.min() ?? 0)")
    }
  }

  static func field(_ text: String, name: String, range: ClosedRange<Int>, names: [String: Int])
    throws(ParseError)
    -> Set<Int>
  {
    func number(_ s: Substring) throws(ParseError) -> Int {
      if let n = Int(s), range.contains(n) { return n }
      if let n = names[s.uppercased()] { return n }
      throw ParseError(
        message:
          "\(name) '\(s)' is not in \(range.lowerBound)-\(range.upperBound)\(names.isEmpty ? "" : " or a name")"
      )
    }
    var values = Set<Int>()
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard !part.isEmpty else { throw ParseError(message: "\(name) field '\(text)' has an empty list item") }
      let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
      guard pieces.count <= 2 else {
        throw ParseError(message: "\(name) field '\(part)' has more than one '/'")
      }
      var step = 1
      if pieces.count == 2 {
        guard let s = Int(pieces[1]), s > 0 else {
          throw ParseError(message: "\(name) step '\(pieces[1])' must be a positive number")
        }
        step = s
      }
      var low = range.lowerBound
      var high = range.upperBound
      if pieces[0] != "*" {
        let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2, !bounds.contains(where: \.isEmpty) else {
          throw ParseError(message: "\(name) field '\(part)' is not a number, range or step")
        }
        low = try number(bounds[0])
        high = bounds.count == 2 ? try number(bounds[1]) : (pieces.count == 2 ? range.upperBound : low)
        guard low <= high else { throw ParseError(message: "\(name) range '\(pieces[0])' runs backwards") }
      }
      values.formUnion(stride(from: low, through: high, by: step))
    }
    return values
  }

  func matchesDay(_ c: DateComponents) -> Bool {
    guard let month = c.month, months.contains(month), let day = c.day, let weekday = c.weekday else {
      return false
    }
    let dom = daysOfMonth.contains(day)
    let dow = daysOfWeek.contains(weekday - 1)  // Calendar: 1 = Sunday
    switch (dayOfMonthRestricted, dayOfWeekRestricted) {
    case (true, true): return dom || dow
    case (true, false): return dom
    case (false, true): return dow
    case (false, false): return true
    }
  }

  /// The first fire time strictly after `date`, or nil within ten years.
  public func next(after date: Date, in timeZone: TimeZone) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    var day = calendar.startOfDay(for: date)
    for _ in 0..<(366 * 10) {
      let c = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
      if matchesDay(c) {
        for hour in hours {
          for minute in minutes {
            var wanted = DateComponents()
            (wanted.year, wanted.month, wanted.day, wanted.hour, wanted.minute) = (
              c.year, c.month, c.day, hour, minute
            )
            // In a DST gap Calendar moves the time forward by the gap's length.
            guard let candidate = calendar.date(from: wanted), candidate > date else { continue }
            return candidate
          }
        }
      }
      guard let nextDay = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
      day = nextDay
    }
    return nil
  }
}

/// `30s`, `15m`, `2h`, `1d`, `1h30m`: a schedule's interval, in seconds.
public enum IntervalParser {
  public static func seconds(_ text: String) -> Double? {
    var total = 0.0
    var digits = ""
    var sawUnit = false
    for ch in text.trimmingCharacters(in: .whitespaces).lowercased() {
      if ch.isNumber || ch == "." {
        digits.append(ch)
        continue
      }
      guard let n = Double(digits) else { return nil }
      switch ch {
      case "s": total += n
      case "m": total += n * 60
      case "h": total += n * 3600
      case "d": total += n * 86400
      case "w": total += n * 604_800
      default: return nil
      }
      digits = ""
      sawUnit = true
    }
    guard digits.isEmpty, sawUnit, total > 0 else { return nil }
    return total
  }
}

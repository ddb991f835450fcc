import Foundation

/// When a schedule fires: a cron expression in a time zone, or a fixed interval.
public enum Cadence: Sendable, Equatable, CustomStringConvertible {
  case cron(CronExpression, timeZone: TimeZone)
  /// Every `seconds`, counted from `anchor` (the schedule's creation).
  case interval(seconds: Double, anchor: Date)

  /// The first fire time strictly after `date`.
  public func next(after date: Date) -> Date? {
    switch self {
    case .cron(let expression, let zone): return expression.next(after: date, in: zone)
    case .interval(let seconds, let anchor):
      guard date >= anchor else { return anchor }
      let k = ((date.timeIntervalSince(anchor)) / seconds).rounded(.down) + 1
      return anchor.addingTimeInterval(k * seconds)
    }
  }

  public var description: String {
    switch self {
    case .cron(let e, let z): return "cron '\(e.source)' (\(z.identifier))"
    case .interval(let s, _): return "every \(Self.format(seconds: s))"
    }
  }

  static func format(seconds: Double) -> String {
    // Integer conversions below trap past Int's range; cadences that long are refused anyway.
    guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds)s" }
    if seconds.truncatingRemainder(dividingBy: 86400) == 0 { return "\(Int(seconds / 86400))d" }
    if seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
    if seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
    return seconds.rounded() == seconds ? "\(Int(seconds))s" : "\(seconds)s"
  }
}

/// A stored re-planning schedule.
public struct Schedule: Sendable, Equatable, Codable {
  public var id: Int64
  public var name: String
  /// Read when the schedule fires, so an updated forecast file is picked up.
  public var scenarioPath: String
  /// Override files (absolute paths) applied to the scenario in order, re-read at each fire.
  public var overridePaths: [String]
  /// A case of the scenario file's `cases:` section, applied before the overrides.
  public var caseName: String?
  public var cron: String?
  public var intervalSeconds: Double?
  public var timeZone: String
  public var options: JobOptions
  public var skipUnchanged: Bool
  public var paused: Bool
  public var nextFireAt: Date
  public var lastFiredAt: Date?
  /// Why the last fire made no job (unreadable or invalid file, unchanged scenario).
  public var lastNote: String?
  public var createdAt: Date

  enum CodingKeys: String, CodingKey {
    case id, name, cron, options, paused
    case scenarioPath = "scenario_path", intervalSeconds = "interval_seconds", timeZone = "time_zone"
    case overridePaths = "override_paths", caseName = "case"
    case skipUnchanged = "skip_unchanged", nextFireAt = "next_fire_at", lastFiredAt = "last_fired_at"
    case lastNote = "last_note", createdAt = "created_at"
  }

  /// The migration that adds `override_paths` and `case_name` to schedules, the same name in
  /// every backend.
  public static let sourceMigrationName = "v4: schedule overrides and case"

  /// The scenario as the schedule reads it: the file, its case, its overrides.
  public var scenarioSource: String {
    ([caseName.map { "\(scenarioPath) case \($0)" } ?? scenarioPath] + overridePaths).joined(separator: " + ")
  }

  public func cadence() throws(StoreError) -> Cadence {
    if let cron {
      guard let zone = TimeZone(identifier: timeZone) else {
        throw StoreError(.invalid, "unknown time zone '\(timeZone)'")
      }
      do {
        return .cron(try CronExpression(cron), timeZone: zone)
      } catch {
        throw StoreError(.invalid, "schedule \(name): \(error.message)")
      }
    }
    guard let intervalSeconds else { throw StoreError(.invalid, "schedule \(name) has no cadence") }
    try Limits.interval.check(intervalSeconds)
    return .interval(seconds: intervalSeconds, anchor: createdAt)
  }

  public init(
    id: Int64,
    name: String,
    scenarioPath: String,
    cron: String?,
    intervalSeconds: Double?,
    timeZone: String,
    options: JobOptions,
    skipUnchanged: Bool,
    paused: Bool,
    nextFireAt: Date,
    lastFiredAt: Date?,
    lastNote: String?,
    createdAt: Date,
    overridePaths: [String] = [],
    caseName: String? = nil
  ) {
    self.id = id
    self.name = name
    self.scenarioPath = scenarioPath
    self.overridePaths = overridePaths
    self.caseName = caseName
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

/// What `schedule add` hands the store.
public struct ScheduleDefinition: Sendable {
  public var name: String
  public var scenarioPath: String
  /// Override files (absolute paths), applied in order at each fire.
  public var overridePaths: [String]
  public var caseName: String?
  public var cron: String?
  public var intervalSeconds: Double?
  public var timeZone: String
  public var options: JobOptions
  public var skipUnchanged: Bool

  public init(
    name: String, scenarioPath: String, cron: String? = nil, intervalSeconds: Double? = nil,
    timeZone: String = "UTC",
    options: JobOptions = JobOptions(), skipUnchanged: Bool = false, overridePaths: [String] = [],
    caseName: String? = nil
  ) {
    self.name = name
    self.scenarioPath = scenarioPath
    self.overridePaths = overridePaths
    self.caseName = caseName
    self.cron = cron
    self.intervalSeconds = intervalSeconds
    self.timeZone = timeZone
    self.options = options
    self.skipUnchanged = skipUnchanged
  }
}

/// Schedules, beside jobs and plans.
public protocol ScheduleStore: JobStore {
  func addSchedule(_ definition: ScheduleDefinition, now: Date) throws(StoreError) -> Schedule
  func schedule(named name: String) throws(StoreError) -> Schedule
  func schedules() throws(StoreError) -> [Schedule]
  func setPaused(_ name: String, _ paused: Bool, now: Date) throws(StoreError) -> Schedule
  func removeSchedule(_ name: String) throws(StoreError)
  /// Schedules due at `now` (next fire time reached, not paused).
  func dueSchedules(now: Date) throws(StoreError) -> [Schedule]
  /// Moves the next fire time from `due` to `next`, unless another process did
  /// first. Records `note` (nil clears it) and `firedAt` (nil keeps the last
  /// fire time). Returns whether this call moved it.
  func advance(_ id: Int64, from due: Date, to next: Date, firedAt: Date?, note: String?) throws(StoreError)
    -> Bool
  /// The SHA-256 of the newest job of the schedule that is queued, running or succeeded.
  func lastScenarioSHA256(schedule id: Int64) throws(StoreError) -> String?
}

extension ScheduleDefinition {
  /// Checks the name and cadence; returns the first fire time after `now`.
  public static func validatedFirstFire(_ d: ScheduleDefinition, now: Date) throws(StoreError) -> Date {
    guard !d.name.isEmpty, d.name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
      throw StoreError(.invalid, "schedule name '\(d.name)' must use letters, digits, '-', '_' or '.'")
    }
    try d.options.checkRanges()
    let probe = Schedule(
      id: 0, name: d.name, scenarioPath: d.scenarioPath, cron: d.cron, intervalSeconds: d.intervalSeconds,
      timeZone: d.timeZone, options: d.options, skipUnchanged: d.skipUnchanged, paused: false,
      nextFireAt: now,
      lastFiredAt: nil, lastNote: nil, createdAt: now)
    guard let first = try probe.cadence().next(after: now) else {
      throw StoreError(.invalid, "schedule \(d.name) never fires")
    }
    return first
  }
}

/// How a schedule's override paths are stored: a JSON array of strings in one text column.
public enum StoredPaths {
  public static func text(_ paths: [String]) throws(StoreError) -> String {
    do {
      return String(decoding: try JSONEncoder().encode(paths), as: UTF8.self)
    } catch {
      throw StoreError(.invalid, "cannot store the override paths: \(error)")
    }
  }

  public static func paths(_ text: String) throws(StoreError) -> [String] {
    do {
      return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    } catch {
      throw StoreError(.database, "a schedule's stored override paths are not a JSON list of paths: \(error)")
    }
  }
}

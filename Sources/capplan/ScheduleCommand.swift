import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

struct ScheduleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schedule",
    abstract: "Re-plan on a cadence: schedules that `capplan serve` fires.",
    discussion: """
      A schedule names a scenario file, read afresh each time it fires, so an updated forecast \
      is picked up; its --case and --override files are stored too and re-read and applied at \
      each fire. Each re-plan stays close to the schedule's last plan (the scenario's \
      stability.move_cost) and starts warm from it.
      """,
    subcommands: [Add.self, List.self, Show.self, Pause.self, Resume.self, Remove.self, RunNow.self],
    defaultSubcommand: List.self)

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add a schedule.")
    @Argument(help: "The schedule's name.") var name: String
    @Argument(help: "The scenario file (its absolute path is stored).") var file: String
    @OptionGroup var source: ScenarioSourceOptions
    @Option(help: "Five-field cron expression, e.g. '0 6 * * MON' (or @daily, @hourly, ...).") var cron:
      String?
    @Option(help: "An interval instead of cron: 30s, 15m, 6h, 1d, 1h30m.") var every: String?
    @Option(help: "Time zone of the cron expression (IANA name).") var tz: String = "UTC"
    @Flag(
      name: .customLong("skip-unchanged"), help: "Make no job when the file is unchanged since the last one.")
    var skipUnchanged = false
    @OptionGroup var settings: SolveSettingsOptions
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions

    func validate() throws {
      if (cron == nil) == (every == nil) { throw ValidationError("give exactly one of --cron and --every") }
      if let every {
        guard let seconds = IntervalParser.seconds(every) else {
          throw ValidationError("--every '\(every)' is not a duration like 30s, 15m, 6h, 1d or 1h30m")
        }
        try checkRange(seconds, Limits.interval, "--every '\(every)' =")
      }
      if let cron {
        do { _ = try CronExpression(cron) } catch { throw ValidationError("--cron: \(error.message)") }
      }
      if TimeZone(identifier: tz) == nil { throw ValidationError("--tz '\(tz)' is not a known time zone") }
    }

    func run() throws {
      try reportingFailures {
        let definition = try ScheduleAddition.definition(
          name: name, file: file, source: source, cron: cron, every: every, timeZone: tz,
          skipUnchanged: skipUnchanged, settings: settings.settings, check: settings.check)
        let schedule = try store.open().addSchedule(definition, now: Date())
        if format == .json {
          try JSONOutput.print(schedule)
        } else {
          print(
            "schedule \(schedule.name) added: \(try schedule.cadence()); next fire \(isoDate(schedule.nextFireAt))"
          )
        }
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "All schedules.")
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        let schedules = try store.openExisting().schedules()
        if format == .json {
          try JSONOutput.print(schedules)
          return
        }
        var t = Table(
          "Schedules", columns: ["name", "cadence", "next fire", "last fired", "state", "scenario", "note"],
          firstNumeric: 7)
        for s in schedules {
          t.add([
            s.name, cadenceText(s), isoDate(s.nextFireAt), isoDate(s.lastFiredAt),
            s.paused ? "paused" : "active", s.scenarioSource, s.lastNote ?? "",
          ])
        }
        print(t.text, terminator: "")
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "One schedule, with its recent jobs.")
    @Argument var name: String
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        let db = try store.openExisting()
        let s = try db.schedule(named: name)
        if format == .json {
          try JSONOutput.print(s)
          return
        }
        var t = Table("Schedule \(s.name)", columns: ["field", "value"], firstNumeric: 2)
        t.add(["cadence", cadenceText(s)])
        t.add(["scenario file", s.scenarioPath])
        if let caseName = s.caseName { t.add(["case", caseName]) }
        for (index, path) in s.overridePaths.enumerated() { t.add(["override \(index + 1)", path]) }
        t.add(["state", s.paused ? "paused" : "active"])
        t.add(["skip unchanged", s.skipUnchanged ? "yes" : "no"])
        t.add(["time limit", s.options.settings.timeLimitSeconds.map { "\($0) s" } ?? "worker default"])
        t.add(["solve settings", s.options.settings.differencesFromDefaults])
        t.add(["next fire", isoDate(s.nextFireAt)])
        t.add(["last fired", isoDate(s.lastFiredAt)])
        if let note = s.lastNote { t.add(["last note", note]) }
        print(t.text)
        var filter = PlanFilter()
        filter.scheduleID = s.id
        filter.limit = 10
        print(PlanListTable.table(try db.plans(filter)).text, terminator: "")
      }
    }
  }

  struct Pause: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop firing a schedule.")
    @Argument var name: String
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        _ = try store.openExisting().setPaused(name, true, now: Date())
        print("schedule \(name) paused")
      }
    }
  }

  struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Fire a paused schedule again (from its next time after now).")
    @Argument var name: String
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        let s = try store.openExisting().setPaused(name, false, now: Date())
        print("schedule \(name) resumed; next fire \(isoDate(s.nextFireAt))")
      }
    }
  }

  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete a schedule (its jobs and plans stay).")
    @Argument var name: String
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        try store.openExisting().removeSchedule(name)
        print("schedule \(name) removed")
      }
    }
  }

  struct RunNow: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "run-now",
      abstract: "Fire a schedule now, outside its cadence (a worker or serve solves it).")
    @Argument var name: String
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        let fire = try Scheduler(store: try store.openExisting()).fireNow(name)
        if let id = fire.jobID {
          print("schedule \(name): job \(id) queued")
        } else {
          print("schedule \(name): \(fire.note ?? "no job")")
        }
      }
    }
  }
}

/// What `schedule add` and `POST /v1/schedules` share: the cadence and time zone checked, the
/// scenario file read with its case and overrides and validated, paths made absolute.
/// `option` writes a setting's name as the caller's user knows it (--cron, or cron).
enum ScheduleAddition {
  static func definition(
    name: String, file: String, source: ScenarioSourceOptions, cron: String?, every: String?,
    timeZone: String,
    skipUnchanged: Bool, settings: SolveSettings, option: (String) -> String = { "--" + $0 },
    check: (ValidScenario, String) throws(CommandFailure) -> Void
  ) throws(CommandFailure) -> ScheduleDefinition {
    func invalid(_ message: String) -> CommandFailure {
      CommandFailure(message: message, outcome: .invalidInput)
    }
    if (cron == nil) == (every == nil) {
      throw invalid("give exactly one of \(option("cron")) and \(option("every"))")
    }
    var interval: Double?
    if let every {
      guard let seconds = IntervalParser.seconds(every) else {
        throw invalid("\(option("every")) '\(every)' is not a duration like 30s, 15m, 6h, 1d or 1h30m")
      }
      guard Limits.interval.contains(seconds) else {
        throw invalid(Limits.interval.refusal(seconds, label: "\(option("every")) '\(every)' ="))
      }
      interval = seconds
    }
    if let cron {
      do { _ = try CronExpression(cron) } catch { throw invalid("\(option("cron")): \(error.message)") }
    }
    if TimeZone(identifier: timeZone) == nil {
      throw invalid("\(option("tz")) '\(timeZone)' is not a known time zone")
    }
    for path in [file] + source.overrides {
      do {
        try ScenarioFile.requireRegular(path)
      } catch {
        throw invalid(error.description)
      }
    }
    let loaded = try source.load(file)
    try check(loaded.scenario, loaded.source)
    func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
    return ScheduleDefinition(
      name: name, scenarioPath: absolute(file), cron: cron, intervalSeconds: interval,
      timeZone: timeZone, options: JobOptions(settings: settings), skipUnchanged: skipUnchanged,
      overridePaths: source.overrides.map(absolute), caseName: source.caseName)
  }
}

/// The cadence, or why a stored row has none that can be used.
func cadenceText(_ s: Schedule) -> String {
  do {
    return try s.cadence().description
  } catch {
    return "invalid: \(error.message)"
  }
}

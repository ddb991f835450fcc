import CapacityModel
import Foundation
import JobQueue

/// A plan under review with what the review commands print beside it: a
/// stored plan (`--db`), or a plan file from `capplan solve --format json`
/// (`--file`), which has no store record.
struct StoredPlan {
  /// The store's id; nil for a plan file.
  let id: Int64?
  let plan: Plan
  /// The store's record; nil for a plan file.
  let summary: PlanSummary?
  /// The plan file as given on the command line; nil for a stored plan.
  var file: String? = nil
  /// The scenario the plan was solved from, when it can still be read and matches the stored hash.
  let scenario: ValidScenario?
  /// Why `scenario` is nil, for a note in the output.
  let scenarioNote: String?

  /// Reads plan `id`. The scenario is looked up only when `withScenario` (it
  /// is needed for commitments and the use of each offering).
  static func load(
    _ id: Int64, from store: any PlanDatabase, withScenario: Bool = true, scenarioFile: String? = nil
  ) throws(CommandFailure) -> StoredPlan {
    do {
      return try read(id, from: store, withScenario: withScenario, scenarioFile: scenarioFile)
    } catch {
      throw error.failure
    }
  }

  /// `load` with the store's own error, whose kind the HTTP API and the console answer
  /// with (a missing plan is 404 there).
  static func read(
    _ id: Int64, from store: any PlanDatabase, withScenario: Bool = true, scenarioFile: String? = nil
  ) throws(StoreError) -> StoredPlan {
    let plan = try store.plan(id)
    let summary = try store.planSummary(id)
    guard withScenario else {
      return StoredPlan(id: id, plan: plan, summary: summary, scenario: nil, scenarioNote: nil)
    }
    let (scenario, note) = ScenarioOfPlan.find(summary: summary, store: store, file: scenarioFile)
    return StoredPlan(id: id, plan: plan, summary: summary, scenario: scenario, scenarioNote: note)
  }

  /// "plan 12", or the plan file's path as given.
  var name: String { file ?? "plan \(id ?? 0)" }
  /// "Plan 12", or the plan file's path: the start of a title.
  var title: String { file ?? "Plan \(id ?? 0)" }

  /// Offering id -> its `use`, from the scenario; without one, from the plan's own economics
  /// lines (a plan file carries them); nil when neither knows.
  var uses: [String: String]? {
    if let scenario {
      return Dictionary(scenario.offerings.map { ($0.id, $0.use) }, uniquingKeysWith: { a, _ in a })
    }
    guard file != nil, let lines = plan.economics?.offerings, !lines.isEmpty else { return nil }
    return Dictionary(lines.compactMap { l in l.use.map { (l.id, $0) } }, uniquingKeysWith: { a, _ in a })
  }

  var bindings: [BindingConstraint] { PlanBindings.derive(plan, scenario: scenario) }
}

/// The scenario a plan was solved from: the text stored with its job (the
/// store keeps it, so it always matches the plan's SHA-256), or a file given
/// with --scenario-file, used only when its hash matches.
enum ScenarioOfPlan {
  static func find(summary: PlanSummary, store: any PlanDatabase, file: String?) -> (ValidScenario?, String?)
  {
    let text: String
    let label: String
    if let file {
      guard let read = try? ScenarioFile.read(file) else {
        return (nil, "scenario file \(file) not readable")
      }
      if ScenarioHash.sha256(read) != summary.scenarioSHA256 {
        return (nil, "\(file) is not the scenario of plan \(summary.id) (SHA-256 differs)")
      }
      (text, label) = (read, file)
    } else {
      guard let stored = try? store.scenarioText(ofJob: summary.jobID) else {
        return (nil, "job \(summary.jobID) not found")
      }
      (text, label) = (stored, "job \(summary.jobID)")
    }
    do {
      let document = try ScenarioLoader.parse(yaml: text, file: label)
      return (try ScenarioValidator.validate(document), nil)
    } catch {
      return (nil, "the scenario of \(label) no longer validates")
    }
  }
}

/// `--schedule NAME`: the schedule of that name (`capplan schedule`), else a
/// numeric schedule id as given. The one place that turns the option into the
/// id that `PlanFilter.scheduleID` matches.
enum ScheduleLookup {
  static func resolve(_ name: String, in store: any PlanDatabase) throws(CommandFailure) -> Int64 {
    let trimmed = name.trimmingCharacters(in: .whitespaces)
    do {
      return try store.schedule(named: trimmed).id
    } catch let error where error.kind == .notFound {
      if let id = Int64(trimmed), id > 0 { return id }
      let known = (try? store.schedules().map(\.name)) ?? []
      throw CommandFailure(
        message: "--schedule \(name): no schedule of that name"
          + (known.isEmpty ? " (there are none yet)" : "; schedules: \(known.joined(separator: ", "))")
          + ". A schedule's numeric id is accepted too.",
        outcome: .invalidInput)
    } catch {
      throw error.failure
    }
  }
}

/// `--since`: YYYY-MM-DD (midnight UTC) or ISO 8601 with a time (UTC when no zone is given).
enum SinceDate {
  static func parse(_ text: String) -> Date? {
    let s = text.trimmingCharacters(in: .whitespaces)
    let day = try? Regex(#"^(\d{4})-(\d{2})-(\d{2})$"#)
    if let day, let m = s.wholeMatch(of: day), let y = Int(m.output[1].substring ?? ""),
      let mo = Int(m.output[2].substring ?? ""), let d = Int(m.output[3].substring ?? "")
    {
      var c = DateComponents()
      (c.year, c.month, c.day) = (y, mo, d)
      var cal = Calendar(identifier: .gregorian)
      cal.timeZone = TimeZone(secondsFromGMT: 0) ?? cal.timeZone
      guard let date = cal.date(from: c), cal.component(.day, from: date) == d,
        cal.component(.month, from: date) == mo
      else { return nil }
      return date
    }
    let formatter = ISO8601DateFormatter()
    for options: ISO8601DateFormatter.Options in [
      [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
    ] {
      formatter.formatOptions = options
      if let d = formatter.date(from: s) { return d }
    }
    // A local-looking time without a zone: read as UTC.
    formatter.timeZone = TimeZone(identifier: "UTC")
    for options: ISO8601DateFormatter.Options in [
      [.withFullDate, .withFullTime, .withDashSeparatorInDate, .withColonSeparatorInTime],
      [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime],
    ] {
      formatter.formatOptions = options
      if let d = formatter.date(from: s) { return d }
      if let d = formatter.date(from: s + "Z") { return d }
    }
    return nil
  }
}

/// Full-precision numbers for files meant for other programs: the shortest text that reads back as the same Double.
func exact(_ x: Double) -> String {
  if x == 0 { return "0" }
  if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
  return "\(x)"
}

func exact(_ x: Double?) -> String { x.map { exact($0) } ?? "" }

/// A signed figure: +1.5, -0.3, 0.0.
func signed(_ x: Double, _ decimals: Int = 1) -> String {
  let s = fixed(x, decimals)
  return x > 0 && Double(s) != 0 ? "+" + s : s
}

/// $M with separators and a sign.
func signedMoney(_ x: Double) -> String {
  let s = money(x)
  return x > 0 && s != "0.0" ? "+" + s : s
}

/// MW with separators and one decimal: 1,234.5.
func mwText(_ x: Double) -> String { money(x) }

/// Writes `text` to `url` (creating folders), as a command failure when it cannot.
func writeFile(_ text: String, to url: URL) throws(CommandFailure) {
  do {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try OutputFile.write(Data(text.utf8), to: url.path)
  } catch let error as OutputFile.Failure {
    throw CommandFailure(message: error.description, outcome: .error)
  } catch {
    throw CommandFailure(message: "cannot write \(url.path): \(error.localizedDescription)", outcome: .error)
  }
}

extension Plan {
  /// Years per period id.
  var yearsByPeriod: [String: Double] {
    Dictionary(periods.map { ($0.id, $0.years) }, uniquingKeysWith: { a, _ in a })
  }
}

import ArgumentParser
import Foundation
import JobQueue

struct JobsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "jobs", abstract: "List, inspect, cancel and retry queued jobs.",
    subcommands: [List.self, Show.self, Cancel.self, Retry.self], defaultSubcommand: List.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
    @Option(help: "Only jobs in this state: queued, running, succeeded, failed or cancelled.")
    var state: [JobState] = []
    @Option(help: "At most this many.") var limit: Int = 50
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions

    func run() throws {
      try reportingFailures {
        let jobs = try store.open().jobs(JobFilter(states: state.isEmpty ? nil : state, limit: limit))
        if format == .json {
          try JSONOutput.print(jobs)
        } else {
          print(JobTables.list(jobs).text, terminator: "")
        }
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "One job in full.")
    @Argument var id: Int64
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        let job = try store.open().job(id)
        if format == .json {
          try JSONOutput.print(job)
        } else {
          print(JobTables.detail(job, now: Date()).text, terminator: "")
        }
      }
    }
  }

  struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Cancel a job: a queued one never runs; a running one is stopped.")
    @Argument var id: Int64
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        let job = try store.open().cancel(id, now: Date())
        if format == .json {
          try JSONOutput.print(job)
        } else {
          print(
            job.state == .cancelled ? "job \(id) cancelled" : "job \(id) is running; its worker will stop it")
        }
      }
    }
  }

  struct Retry: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Queue a failed or cancelled job again.")
    @Argument var id: Int64
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions
    func run() throws {
      try reportingFailures {
        let job = try store.open().retry(id, now: Date())
        if format == .json { try JSONOutput.print(job) } else { print("job \(id) queued again") }
      }
    }
  }
}

extension JobState: ExpressibleByArgument {}

enum JobTables {
  static func list(_ jobs: [Job]) -> Table {
    var t = Table(
      "Jobs", columns: ["id", "state", "scenario", "priority", "attempt", "created", "plan", "last error"],
      firstNumeric: 9)
    for j in jobs {
      t.add([
        "\(j.id)", stateText(j), j.scenarioID, "\(j.priority)", "\(j.attempt)", isoDate(j.createdAt),
        j.planID.map { "\($0)" } ?? "-", String((j.lastError ?? "").prefix(60)),
      ])
    }
    return t
  }

  /// A running job's state with its solve's latest gap, when one is known.
  static func stateText(_ j: Job) -> String {
    guard j.state == .running, let gap = j.progress?.gap else { return j.state.rawValue }
    return "running, gap " + String(format: "%.3f%%", 100 * gap)
  }

  static func detail(_ j: Job, now: Date = Date()) -> Table {
    var t = Table("Job \(j.id)", columns: ["field", "value"], firstNumeric: 2)
    t.add([
      "state", j.state.rawValue + (j.cancelRequested && j.state == .running ? " (cancel requested)" : ""),
    ])
    t.add(["scenario", "\(j.scenarioID) from \(j.source)"])
    t.add(["scenario sha256", j.scenarioSHA256])
    t.add(["priority", "\(j.priority)"])
    t.add(["attempt / failures / max", "\(j.attempt) / \(j.failures) / \(j.maxAttempts)"])
    t.add(["time limit", j.options.settings.timeLimitSeconds.map { "\($0) s" } ?? "worker default"])
    t.add(["solve settings", j.options.settings.differencesFromDefaults])
    if let key = j.idempotencyKey { t.add(["idempotency key", key]) }
    if let p = j.options.previousPlanID { t.add(["previous plan", "\(p)"]) }
    t.add(["created", isoDate(j.createdAt)])
    t.add(["started", isoDate(j.startedAt)])
    t.add(["finished", isoDate(j.finishedAt)])
    if let owner = j.leaseOwner { t.add(["lease", "\(owner) until \(isoDate(j.leaseExpiresAt))"]) }
    if j.state == .queued, j.runAfter > Date() { t.add(["runs after", isoDate(j.runAfter)]) }
    t.add(["plan", j.planID.map { "\($0)" } ?? "-"])
    if let e = j.lastError { t.add(["last error", e]) }
    if let p = j.progress { progressRows(p, running: j.state == .running, now: now, into: &t) }
    return t
  }

  /// The solve's latest progress, as far as it is known; for a finished job, its last report.
  static func progressRows(_ p: JobProgress, running: Bool, now: Date, into t: inout Table) {
    let age = max(0, now.timeIntervalSince(p.reportedAt))
    t.add([
      running ? "progress reported" : "last progress",
      String(format: "%.0f s ago", age) + " (\(isoDate(p.reportedAt)))",
    ])
    t.add(["solve time", String(format: "%.1f s", p.elapsedSeconds)])
    if let m = p.method { t.add(["LP method", "\(m) (no plan until the LP ends)"]) }
    let name = p.objective == "npv" ? "NPV" : "EBIT"
    t.add(["best plan \(name)", p.bestPlan.map { "$\(money($0, 2))M" } ?? "no plan yet"])
    if let b = p.bound { t.add(["bound", "$\(money(b, 2))M"]) }
    if let g = p.gap { t.add(["gap", String(format: "%.3f%%", 100 * g)]) }
    if let n = p.nodes { t.add(["nodes", "\(n)"]) }
  }
}

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
          print(JobTables.detail(job).text, terminator: "")
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
        "\(j.id)", j.state.rawValue, j.scenarioID, "\(j.priority)", "\(j.attempt)", isoDate(j.createdAt),
        j.planID.map { "\($0)" } ?? "-", String((j.lastError ?? "").prefix(60)),
      ])
    }
    return t
  }

  static func detail(_ j: Job) -> Table {
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
    return t
  }
}

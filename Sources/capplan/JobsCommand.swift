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
        let jobs = try store.openExisting().jobs(JobFilter(states: state.isEmpty ? nil : state, limit: limit))
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
        let job = try store.openExisting().job(id)
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
        let job = try store.openExisting().cancel(id, now: Date())
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
        let job = try store.openExisting().retry(id, now: Date())
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
    var rows = JobDetailRow.rows(j, now: now)
    if let p = j.progress { rows += JobDetailRow.progressRows(p, running: j.state == .running, now: now) }
    for row in rows { t.add([row.label, row.value]) }
    return t
  }
}

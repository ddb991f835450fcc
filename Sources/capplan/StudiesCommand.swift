import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

struct StudiesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "studies",
    abstract: "Sweeps sent to the queue with `capplan sweep --submit`: list them, gather their results.",
    subcommands: [List.self, Show.self], defaultSubcommand: List.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Studies, newest first: id, time, scenario, axes, points and how many are done.")
    @Option(help: "At most this many.") var limit: Int = 50
    @Option(help: "table or json.") var format: ListFormat = .table
    @OptionGroup var store: StoreOptions

    func validate() throws {
      if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
      try reportingFailures {
        let db = try store.openExisting()
        let studies = try db.studies(limit: limit)
        if format == .json {
          try JSONOutput.print(studies)
          return
        }
        var table = Table(
          "Studies", columns: ["id", "created", "scenario", "varies", "points", "done"], firstNumeric: 4)
        for study in studies {
          let jobs = study.definition.points.compactMap(\.jobID)
          let done = try jobs.filter { id throws(StoreError) in try db.job(id).state.isFinal }.count
          table.add([
            String(study.id), isoDate(study.createdAt), study.scenarioID,
            study.definition.axes.map(\.path).joined(separator: " x "), String(study.definition.points.count),
            "\(done + study.definition.points.count - jobs.count)",
          ])
        }
        print(table.text, terminator: "")
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "A study's table, as `capplan sweep` prints it, from the points solved so far.",
      discussion: """
        Points still in the queue show their job's state (queued, running). Every solved point \
        names its stored plan, for `capplan plans show` and `plans compare`. The exit status is \
        that of the first failed point, as for `capplan sweep`.
        """)
    @Argument(help: "The study id (printed by sweep --submit).") var id: Int64
    @Option(help: "Comma-separated metrics (default: those the sweep asked for).") var metric: String?
    @Option(help: "table, json, csv or markdown.") var format: TableFormat = .table
    @OptionGroup var store: StoreOptions

    func validate() throws {
      if let metric, case .failure(let error) = SweepResults.metrics(metric) {
        throw ValidationError(error.description)
      }
    }

    func run() throws {
      try reportingFailures {
        let db = try store.openExisting()
        let study = try db.study(id)
        var results = try StudyResults.gather(study, db)
        if let metric { results.metrics = try SweepResults.metrics(metric).get() }
        try results.print(format)
        let waiting = results.points.filter { if case .waiting = $0.outcome { true } else { false } }.count
        if waiting > 0 {
          FileHandleStderr.write("\(waiting) of \(results.points.count) points not finished yet\n")
        }
        if let failure = results.failure { throw failure }
      }
    }
  }
}

/// A study's points read back from the store: each job's plan, failure or state.
enum StudyResults {
  static func gather(_ study: Study, _ db: any PlanDatabase) throws(StoreError) -> SweepResults {
    var points: [SweepPoint] = []
    for point in study.definition.points {
      guard let jobID = point.jobID else {
        points.append(SweepPoint(values: point.values, outcome: .invalid(point.error ?? "not submitted")))
        continue
      }
      let job = try db.job(jobID)
      switch job.state {
      case .succeeded:
        guard let planID = job.planID else {
          points.append(SweepPoint(values: point.values, outcome: .failed("job \(jobID) has no plan")))
          continue
        }
        points.append(SweepPoint(values: point.values, outcome: .plan(try db.plan(planID)), planID: planID))
      case .failed:
        points.append(
          SweepPoint(values: point.values, outcome: .failed("job \(jobID) failed: \(job.lastError ?? "")")))
      case .cancelled:
        points.append(SweepPoint(values: point.values, outcome: .failed("job \(jobID) was cancelled")))
      case .queued, .running:
        points.append(SweepPoint(values: point.values, outcome: .waiting(job.state.rawValue)))
      }
    }
    let metrics = study.definition.metrics.compactMap(PlanMetric.init(rawValue:))
    return SweepResults(
      title: "Study \(study.id): \(study.source)", axes: study.definition.axes,
      metrics: metrics.isEmpty ? [.status, .ebit] : metrics, points: points, showsPlanIDs: true)
  }

  /// Polls the study's jobs until none is queued or running, then gathers it.
  static func waitForAll(_ study: Study, _ db: any PlanDatabase) async throws -> SweepResults {
    var open = study.definition.points.compactMap(\.jobID)
    while !open.isEmpty {
      open = try open.filter { id throws(StoreError) in try !db.job(id).state.isFinal }
      if !open.isEmpty { try await Task.sleep(for: .milliseconds(500)) }
    }
    return try gather(study, db)
  }
}

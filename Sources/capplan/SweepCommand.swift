import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

struct SweepCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Solve a scenario at many values of its fields and print one row per point.",
    discussion: """
      Each --set PATH=VALUES varies one field, addressed by ids (offerings.claude.revenue_share, \
      sites.indiana.power_mw, sites.indiana.power_mw.2027Q1, hardware.trainium2.opex_per_mw_year, \
      periods.2026Q3.years). VALUES is a range FROM:TO:STEP (10:40:5), a list (0.2,0.25,0.3) or one \
      value. Several --set options make a grid: every combination, the first option slowest.

      A point that fails (a value out of range, an infeasible scenario) keeps its row with its \
      status and the reason; the others go on. The exit status is then that of the first failed \
      point (2 invalid, 3 infeasible, 5 no solution in time, 1 other errors).

      With --submit, every point becomes a job in the queue (--db) under one study id, for \
      workers on many machines; `capplan studies show ID` gathers the same table as they finish.

      Metrics: \(PlanMetric.allCases.map(\.rawValue).joined(separator: ", ")).

      Examples (the seed's Bedrock tables, then lab revenue x revenue share):
        capplan sweep Models/seed-bedrock-deal.yaml \\
          --set offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5
        capplan sweep Models/seed-bedrock-deal.yaml --metric ebit_margin \\
          --set offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5 \\
          --set offerings.claude.revenue_share=0.1,0.15,0.2,0.25,0.3
      """)

  @Argument(help: "The scenario file.")
  var file: String

  @OptionGroup var source: ScenarioSourceOptions

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp(
      "A field and its values: PATH=FROM:TO:STEP or PATH=V1,V2,...", valueName: "path=values"))
  var sets: [String] = []

  @Option(help: "Comma-separated metrics to report.")
  var metric: String = SweepResults.defaultMetrics

  @Option(help: "table, json, csv or markdown.")
  var format: TableFormat = .table

  @Option(help: "Points solved at once (default: the number of cores).")
  var parallel: Int = ProcessInfo.processInfo.activeProcessorCount

  @OptionGroup var settings: SolveSettingsOptions

  @Flag(help: "Progress lines on stderr (points solved) even when stderr is not a terminal.")
  var progress = false

  @Flag(help: "Queue every point as a job under one study id instead of solving here (see --db).")
  var submit = false

  @Option(help: "With --submit: the jobs' priority (higher runs first).")
  var priority: Int = 0

  @Flag(help: "With --submit: wait for every point to finish and print the table.")
  var wait = false

  @OptionGroup var store: StoreOptions
  @OptionGroup var global: GlobalOptions

  func validate() throws {
    if sets.isEmpty { throw ValidationError("give at least one --set PATH=FROM:TO:STEP or PATH=V1,V2,...") }
    let sweep = try makeSweep()
    try checkRange(parallel, Limits.concurrency, "--parallel")
    if sweep.size > Double(Sweep.maxPoints) {
      throw ValidationError(
        "the --set axes span \(Limit.number(sweep.size)) points; a sweep is limited to \(Sweep.maxPoints)")
    }
    if case .failure(let error) = SweepResults.metrics(metric) { throw ValidationError(error.description) }
    if !submit, wait { throw ValidationError("--wait goes with --submit") }
  }

  func makeSweep() throws -> Sweep {
    do {
      return try Sweep(axes: sets.map { text throws(SweepAxis.ParseError) in try SweepAxis(parsing: text) })
    } catch let error as SweepAxis.ParseError {
      throw ValidationError(error.description)
    } catch let error as SweepError {
      throw ValidationError(error.description)
    }
  }

  func run() async throws {
    global.bootstrapLogging()
    try await reportingFailuresAsync {
      let sweep = try makeSweep()
      let metrics = try SweepResults.metrics(metric).get()
      let loaded = try source.load(file)
      let base = loaded.document.scenario
      let label = loaded.source
      if submit {
        try await submitStudy(sweep, base, label: label, metrics: metrics)
        return
      }
      let progress = Progress.start(label: "sweep", forced: self.progress)
      let points = sweep.run(
        base, file: label, options: PlanOptions(settings: settings.settings), parallel: parallel,
        naming: SolveSettingsOptions.flag
      ) { done, total in progress?.line("\(done) of \(total) points solved") }
      progress?.finish()
      let results = SweepResults(
        title: "Sensitivity of \(label)", axes: sweep.axes, metrics: metrics, points: points)
      try results.print(format)
      if let failure = results.failure { throw failure }
    }
  }

  func submitStudy(_ sweep: Sweep, _ base: Scenario, label: String, metrics: [PlanMetric]) async throws {
    let options = JobOptions(settings: settings.settings)
    var points: [StudySubmission.PointSubmission] = []
    for (point, scenario) in zip(
      sweep.points,
      sweep.scenarios(
        base, file: label, settings: settings.settings, naming: SolveSettingsOptions.flag))
    {
      switch scenario {
      case .failure(let error):
        points.append(StudySubmission.PointSubmission(values: point, job: .failure(error)))
      case .success(let valid):
        let text: String
        do {
          text = try valid.asWritten.jsonText()
        } catch {
          throw CommandFailure(message: error.description, outcome: .error)
        }
        let job = JobSubmission(
          scenarioID: valid.asWritten.id, source: "\(label) with \(sweep.label(point))", scenarioText: text,
          options: options, priority: priority)
        points.append(StudySubmission.PointSubmission(values: point, job: .success(job)))
      }
    }
    let db = try store.open()
    let study = try db.submit(
      StudySubmission(
        scenarioID: base.id, source: label, axes: sweep.axes, metrics: metrics.map(\.rawValue), points: points
      ),
      now: Date())
    let queued = study.definition.points.compactMap(\.jobID)
    let invalid = study.definition.points.count - queued.count
    FileHandleStderr.write(
      "study \(study.id): \(queued.count) point(s) queued"
        + (queued.isEmpty ? "" : " as jobs \(queued.first ?? 0)-\(queued.last ?? 0)")
        + (invalid > 0 ? "; \(invalid) invalid point(s) kept with their errors" : "")
        + (wait ? "; waiting for workers\n" : "; `capplan studies show \(study.id)` gathers the results\n"))
    if !wait {
      if format == .json { try JSONOutput.print(study) } else { print("study \(study.id)") }
      return
    }
    let results = try await StudyResults.waitForAll(study, db)
    try results.print(format)
    if let failure = results.failure { throw failure }
  }
}

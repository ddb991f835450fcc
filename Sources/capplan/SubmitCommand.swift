import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

struct SubmitCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "submit",
    abstract: "Queue a scenario for solving by `capplan worker`; prints the job id.",
    discussion: """
      The scenario is validated first: an invalid file is refused with its errors and nothing is \
      queued. The job keeps the file's text and its SHA-256, so later edits of the file do not \
      change it; with --case or --override it keeps the merged scenario, written as YAML, and its \
      source reads like 'base.yaml case NAME + over.yaml'. The same --idempotency-key returns the existing job instead of a new one.
      """)

  @Argument(help: "The scenario file.")
  var file: String

  @OptionGroup var source: ScenarioSourceOptions

  @Option(help: "Higher runs first.")
  var priority: Int = 0

  @Option(name: .customLong("idempotency-key"), help: "Submitting the same key again returns the first job.")
  var idempotencyKey: String?

  @Option(name: .customLong("max-attempts"), help: "Tries before the job fails (crashes, aborts, timeouts).")
  var maxAttempts: Int = 3

  @Option(
    name: .customLong("previous-plan"), help: "A stored plan id to stay close to (stability move cost).")
  var previousPlan: Int64?

  @OptionGroup var settings: SolveSettingsOptions

  @Flag(help: "Wait for the job to finish and print its plan summary.")
  var wait = false

  @Option(help: "table or json.")
  var format: ListFormat = .table

  @OptionGroup var store: StoreOptions
  @OptionGroup var global: GlobalOptions

  /// The flags as every front end's submission is checked (``SubmissionRequest``).
  var request: SubmissionRequest {
    SubmissionRequest(
      priority: priority, maxAttempts: maxAttempts, idempotencyKey: idempotencyKey,
      previousPlan: previousPlan,
      caseName: source.caseName, settings: settings.settings)
  }

  func validate() throws {
    do {
      _ = try request.checked(.commandLine)
    } catch {
      throw ValidationError(error.description)
    }
  }

  func run() async throws {
    global.bootstrapLogging()
    try await reportingFailuresAsync {
      // Read once: the text validated is the text stored (with a case or overrides, the merged
      // scenario as YAML).
      let loaded = try source.load(file)
      try settings.check(for: loaded.scenario, file: loaded.source)
      let db = try store.open()
      if let previousPlan { _ = try db.planSummary(previousPlan) }
      let (job, created) = try db.submit(request.submission(loaded.composed), now: Date())
      guard wait else {
        if format == .json {
          try JSONOutput.print(job)
        } else if created {
          print("job \(job.id) queued")
        } else {
          print(
            "job \(job.id) already exists for idempotency key '\(idempotencyKey ?? "")' (\(job.state.rawValue))"
          )
        }
        return
      }
      FileHandleStderr.write("job \(job.id) \(created ? "queued" : "exists"); waiting for a worker\n")
      let finished = try await waitForJob(db, job.id)
      if format == .json {
        try JSONOutput.print(finished)
      } else {
        print(JobTables.detail(finished).text)
      }
      guard finished.state == .succeeded, let planID = finished.planID else {
        throw CommandFailure(
          message: "job \(finished.id) \(finished.state.rawValue): \(finished.lastError ?? "")",
          outcome: .error)
      }
      let plan = try db.plan(planID)
      if format == .table {
        print(OutputEscaping.lines(PlanTables(plan: plan).headline, markdown: false), terminator: "")
      }
      if plan.status.outcome != .solved { throw plan.status.outcome.exitCode }
    }
  }

  func waitForJob(_ db: any PlanDatabase, _ id: Int64) async throws -> Job {
    while true {
      let job = try db.job(id)
      if job.state.isFinal { return job }
      try await Task.sleep(for: .milliseconds(200))
    }
  }
}

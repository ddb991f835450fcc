import ArgumentParser
import Foundation
import JobQueue
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the scheduler and a worker pool in one long-running process.",
    discussion: """
      Fires due schedules every --tick seconds and solves queued jobs with --concurrency \
      child processes. Several serve processes may share one database: each (schedule, due time) \
      makes one job. SIGTERM or SIGINT shuts down gracefully: no new fires or jobs, running \
      solves finish; a second signal stops at once and gives running jobs back to the queue.
      """)

  @Option(help: "Seconds between scheduler ticks.") var tick: Double = 1
  @OptionGroup var pool: WorkerOptions
  @OptionGroup var store: StoreOptions
  @OptionGroup var log: LogFormatOption
  @OptionGroup var global: GlobalOptions

  func validate() throws {
    try checkRange(tick, Limits.tick, "--tick")
  }

  func run() async throws {
    signal(SIGPIPE, SIG_IGN)
    EarlyStopSignals.install()
    LoggingBootstrap.once(global.logLevel == .warning ? .info : global.logLevel, format: log.format)
    let logger = Logger(label: "capplan.serve")
    try await reportingFailuresAsync {
      let db = try store.open()
      MetricsExposition.start(for: db)
      let worker = Worker(store: db, configuration: pool.configuration())
      let scheduler = Scheduler(store: db, tickInterval: .clampedSeconds(tick))
      logger.info("serving \(db.location) with \(pool.concurrency) worker slot(s)")
      try await ServiceRunner.run([worker, scheduler], logger: logger)
      logger.info("stopped")
    }
  }
}

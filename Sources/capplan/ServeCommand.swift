import ArgumentParser
import Foundation
import Logging
import PlanStore
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the scheduler and a worker pool in one long-running process.",
    discussion: """
      Fires due schedules every --tick seconds and solves queued jobs with --concurrency \
      child processes. Several serve processes may share one database: each (schedule, due time) \
      makes one job. SIGTERM or SIGINT shuts down gracefully: no new fires or jobs, running \
      solves finish.
      """)

  @Option(help: "Jobs solved at once.") var concurrency: Int = 1
  @Option(help: "Seconds between scheduler ticks.") var tick: Double = 1
  @Option(help: "Lease length in seconds.") var lease: Double = 30
  @Option(name: .customLong("time-limit"), help: "Seconds a job may solve when it sets no limit.")
  var timeLimit: Double = 3600
  @Option(name: .customLong("memory-limit"), help: "Address-space limit of each solve, in MB.")
  var memoryLimit: Int = 8192
  @Option(help: "Seconds between looks for work when idle.") var poll: Double = 0.5
  @OptionGroup var store: StoreOptions
  @OptionGroup var global: GlobalOptions

  func validate() throws {
    if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    if !(tick > 0) { throw ValidationError("--tick must be positive") }
    if !(lease >= 1) { throw ValidationError("--lease must be at least 1 second") }
  }

  func run() async throws {
    LoggingBootstrap.once(global.logLevel == .warning ? .info : global.logLevel)
    let logger = Logger(label: "capplan.serve")
    try await reportingFailuresAsync {
      let db = try store.open()
      var config = WorkerConfiguration(childCommand: [currentExecutablePath(), "run-job"])
      config.concurrency = concurrency
      config.leaseSeconds = lease
      config.heartbeatSeconds = lease / 3
      config.defaultTimeLimitSeconds = timeLimit
      config.memoryLimitMB = memoryLimit
      config.pollSeconds = poll
      let group = ServiceGroup(
        services: [
          SchedulerService(scheduler: Scheduler(store: db), tick: tick),
          WorkerService(worker: Worker(store: db, configuration: config)),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
      logger.info("serving \(db.path) with \(concurrency) worker slot(s)")
      try await group.run()
      logger.info("stopped")
    }
  }
}

/// Ticks the scheduler until graceful shutdown.
struct SchedulerService: Service {
  let scheduler: Scheduler
  let tick: Double

  func run() async throws {
    try await cancelWhenGracefulShutdown {
      await scheduler.run(every: .milliseconds(Int(tick * 1000)))
    }
  }
}

/// The worker pool; graceful shutdown drains it (running solves finish).
struct WorkerService: Service {
  let worker: Worker

  func run() async throws {
    await withGracefulShutdownHandler {
      await worker.run()
    } onGracefulShutdown: {
      worker.drain()
    }
  }
}

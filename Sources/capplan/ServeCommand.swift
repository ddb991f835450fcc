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
  @OptionGroup var global: GlobalOptions

  func validate() throws {
    try checkRange(tick, Limits.tick, "--tick")
  }

  func run() async throws {
    signal(SIGPIPE, SIG_IGN)
    SignalHandling.install()
    LoggingBootstrap.once(global.logLevel == .warning ? .info : global.logLevel)
    let logger = Logger(label: "capplan.serve")
    try await reportingFailuresAsync {
      let db = try store.open()
      let worker = Worker(store: db, configuration: pool.configuration())
      // Graceful shutdown runs in reverse order: the scheduler (last) stops
      // firing before the worker drains. Signals are counted here rather than
      // by the group, so a second one can stop the worker at once.
      let group = ServiceGroup(
        services: [
          WorkerService(worker: worker), SchedulerService(scheduler: Scheduler(store: db), tick: tick),
        ],
        gracefulShutdownSignals: [], cancellationSignals: [], logger: logger)
      let signals = SignalHandling.watch { count in
        // The group always shuts down gracefully (a service ending otherwise is an
        // error to it); a second signal also stops the worker's solves at once.
        if count == 1 {
          logger.notice(
            "shutting down: no new fires or jobs; running solves finish (signal again to stop now)")
        }
        if count >= 2 { worker.stop() }
        Task { await group.triggerGracefulShutdown() }
      }
      logger.info("serving \(db.location) with \(pool.concurrency) worker slot(s)")
      try await group.run()
      signals.cancel()
      logger.info("stopped")
    }
  }
}

/// Ticks the scheduler until graceful shutdown.
struct SchedulerService: Service {
  let scheduler: Scheduler
  let tick: Double

  func run() async throws {
    await cancelWhenGracefulShutdown {
      await scheduler.run(every: .clampedSeconds(tick))
    }
  }
}

/// The worker pool; graceful shutdown drains it (running solves finish).
struct WorkerService: Service {
  let worker: Worker

  func run() async throws {
    await withTaskCancellationHandler {
      await withGracefulShutdownHandler {
        await worker.run()
      } onGracefulShutdown: {
        worker.drain()
      }
    } onCancel: {
      worker.stop()
    }
    // A second signal can end the pool before the group reaches this service in
    // its shutdown order; a service that returns before then counts as failed.
    try? await gracefulShutdown()
  }
}

import ArgumentParser
import Dispatch
import Foundation
import JobQueue
import Logging
import Synchronization

struct WorkerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker",
    abstract: "Solve queued jobs, each in a child process with a time and memory limit.",
    discussion: """
      Several workers, in one or many processes, may share a database: a job is claimed by one \
      of them under a lease that heartbeats renew; a worker that dies loses its jobs to the others \
      when the lease expires. SIGTERM or SIGINT drains (running jobs finish, no new ones start); \
      a second signal stops at once and gives running jobs back to the queue.
      """)

  @Flag(help: "Exit when no job is waiting instead of polling for more.")
  var once = false

  @OptionGroup var pool: WorkerOptions
  @OptionGroup var store: StoreOptions
  @OptionGroup var log: LogFormatOption
  @OptionGroup var global: GlobalOptions

  func run() async throws {
    // A child that dies before reading its payload must not take the worker with it.
    signal(SIGPIPE, SIG_IGN)
    EarlyStopSignals.install()
    LoggingBootstrap.once(global.logLevel == .warning ? .info : global.logLevel, format: log.format)
    try await reportingFailuresAsync {
      let db = try store.open()
      MetricsExposition.start(for: db)
      let worker = Worker(store: db, configuration: pool.configuration(once: once))
      try await ServiceRunner.run([worker], logger: Logger(label: "capplan.worker"))
    }
  }
}

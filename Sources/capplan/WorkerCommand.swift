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
  @OptionGroup var global: GlobalOptions

  func run() async throws {
    // A child that dies before reading its payload must not take the worker with it.
    signal(SIGPIPE, SIG_IGN)
    SignalHandling.install()
    LoggingBootstrap.once(global.logLevel == .warning ? .info : global.logLevel)
    try await reportingFailuresAsync {
      let db = try store.open()
      let worker = Worker(store: db, configuration: pool.configuration(once: once))
      let signals = SignalHandling.watch { count in
        if count == 1 { worker.drain() } else { worker.stop() }
      }
      await worker.run()
      signals.cancel()
    }
  }
}

/// SIGTERM and SIGINT received so far. The handler only bumps this counter,
/// which is async-signal-safe; a task watches it and acts.
let receivedStopSignals = Atomic<Int>(0)

enum SignalHandling {
  /// Calls `handler` with the running count after SIGTERM or SIGINT. Two
  /// signals close together may arrive as one call with count 2. The watch
  /// runs on a thread of its own, so a busy task pool cannot delay it.
  static func watch(_ handler: @escaping @Sendable (Int) -> Void) -> Watch {
    install()
    let watch = Watch()
    let thread = Thread {
      // From zero, not from the count when this thread starts: a signal that
      // arrived since `install` (while the store opened, or before this thread
      // ran) is acted on, not absorbed into the starting count.
      var seen = 0
      while !watch.cancelled.load(ordering: .relaxed) {
        let now = receivedStopSignals.load(ordering: .relaxed)
        if now != seen {
          seen = now
          handler(now)
        }
        usleep(50_000)
      }
    }
    thread.start()
    return watch
  }

  /// Counts SIGTERM and SIGINT from here on instead of dying of them; the
  /// first thing `serve` and `worker` do, so no signal falls between the
  /// default action and the watch.
  static func install() {
    for sig in [SIGTERM, SIGINT] {
      signal(sig) { _ in receivedStopSignals.add(1, ordering: .relaxed) }
    }
  }

  final class Watch: Sendable {
    let cancelled = Atomic<Bool>(false)
    func cancel() { cancelled.store(true, ordering: .relaxed) }
  }
}

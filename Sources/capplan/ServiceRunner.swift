import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Runs `serve`'s and `worker`'s services in one `ServiceGroup`. The first
/// SIGTERM or SIGINT shuts the group down gracefully (in reverse order of
/// `services`: the scheduler stops firing before the worker drains); a second
/// one cancels it (the worker kills its solves and gives their jobs back).
///
/// The group is not given the signals itself: it refuses one signal in both its
/// graceful and its cancellation set (a precondition in ServiceGroup), so it
/// cannot escalate on a repeated SIGTERM. The signals are read here instead,
/// from the same `UnixSignalsSequence` the group would use.
enum ServiceRunner {
  static func run(_ services: [any Service], logger: Logger) async throws {
    // A service that ends on its own (a worker with --once) shuts the rest down gracefully.
    let configurations = services.map {
      ServiceGroupConfiguration.ServiceConfiguration(
        service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
    }
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(services: configurations, logger: logger))
    let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
    let running = Task { try await group.run() }
    let early = Task {
      // Signals that came while the store opened, before the sequence trapped them.
      // Dispatch registers the sequence's sources on its own queue, so the counting
      // handler is looked at for a moment longer, until they surely replaced it.
      for _ in 0..<20 {
        if stopSignalsBeforeStart.load(ordering: .relaxed) > 0 {
          await group.triggerGracefulShutdown()
          return
        }
        try? await Task.sleep(for: .milliseconds(100))
      }
    }
    let watch = Task {
      var count = 0
      for await _ in signals {
        count += 1
        if count == 1 {
          logger.notice("stop signal: shutting down gracefully (signal again to stop now)")
          await group.triggerGracefulShutdown()
        } else {
          running.cancel()
        }
      }
    }
    defer {
      early.cancel()
      watch.cancel()
    }
    try await running.value
  }
}

/// SIGTERM and SIGINT received before `ServiceRunner` trapped them.
let stopSignalsBeforeStart = Atomic<Int>(0)

enum EarlyStopSignals {
  /// The first thing `serve` and `worker` do: a stop signal that arrives while
  /// the store opens is counted, not fatal, and `ServiceRunner` acts on it.
  static func install() {
    for sig in [SIGTERM, SIGINT] {
      signal(sig) { _ in stopSignalsBeforeStart.add(1, ordering: .relaxed) }
    }
  }
}

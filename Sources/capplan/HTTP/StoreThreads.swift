import JobQueue
import NIOPosix

/// Where request handlers run store calls. The calls are synchronous and wait
/// on the database (up to a minute while PostgreSQL restarts), so they must
/// not run on Swift's cooperative pool, whose few threads every request and
/// the worker's watchdogs share; and a thread per call (what `Blocking` does
/// for the worker's rare calls) costs more than a fast SQLite read when every
/// request makes one. A small pool of long-lived threads serves both needs.
final class StoreThreads: Sendable {
  let pool: NIOThreadPool

  /// Eight threads: enough to overlap store calls that wait on the database
  /// with ones that do not; more would only queue on SQLite's one writer.
  init(threads: Int = 8) {
    pool = NIOThreadPool(numberOfThreads: threads)
    pool.start()
  }

  /// Runs a store call on the pool; a store error comes back as itself.
  func run<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws -> T {
    try await pool.runIfActive { () throws -> T in try body() }
  }

  func shutdown() async {
    try? await pool.shutdownGracefully()
  }
}

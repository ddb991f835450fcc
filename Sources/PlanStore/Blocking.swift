import Dispatch

/// Runs a synchronous store call on a Dispatch thread, off Swift's
/// cooperative pool. Store calls wait on the database (for up to a minute
/// while PostgreSQL restarts); waiting on the pool's few threads would stall
/// every task that shares them, the watchdogs of running solves among them.
enum Blocking {
  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
  }

  static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(returning: body()) }
    }
  }
}

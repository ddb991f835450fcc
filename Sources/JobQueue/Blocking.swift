import Foundation

/// Runs a synchronous store call on a thread of its own, off Swift's
/// cooperative pool. Store calls wait on the database (for up to a minute
/// while PostgreSQL restarts); waiting on the pool's few threads would stall
/// every task that shares them, the watchdogs of running solves among them.
/// Not Dispatch's global queue either: it adds threads slowly when they
/// block, so a heartbeat could queue behind claims that wait on the server.
/// A thread costs tens of microseconds against a store call's milliseconds.
enum Blocking {
  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread { continuation.resume(with: Result { try body() }) }.start()
    }
  }

  static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      Thread { continuation.resume(returning: body()) }.start()
    }
  }
}

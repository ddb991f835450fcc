import Foundation
import Synchronization

/// Wakes idle workers when work may have arrived: PostgreSQL's NOTIFY, a
/// submit in the same process, or the worker's own drain or stop. Callers
/// read `generation` before they look for work and wait `since` it, so a
/// signal that lands between the look and the wait is not missed.
public final class WorkSignal: Sendable {
  struct State {
    var generation: UInt64 = 0
    var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// Waits whose timeout fired before their continuation was registered.
    var expired: Set<UUID> = []
  }
  let state = Mutex(State())

  public init() {}

  public var generation: UInt64 { state.withLock { $0.generation } }

  /// Wakes every waiter.
  public func signal() {
    let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
      s.generation &+= 1
      defer { s.waiters.removeAll() }
      return Array(s.waiters.values)
    }
    for c in woken { c.resume() }
  }

  /// Returns when `signal()` has been called since `generation` was read, or
  /// after `timeout` seconds, whichever comes first; true when signalled.
  @discardableResult
  public func wait(since generation: UInt64, timeout: Double) async -> Bool {
    let id = UUID()
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
          let resumeNow = self.state.withLock { s -> Bool in
            if s.generation != generation || s.expired.remove(id) != nil { return true }
            s.waiters[id] = c
            return false
          }
          if resumeNow { c.resume() }
        }
      }
      group.addTask {
        try? await Task.sleep(for: .clampedSeconds(timeout))
        self.expire(id)
      }
      await group.next()
      group.cancelAll()
      // Whichever finished second may still be pending: settle it before leaving.
      self.expire(id)
      await group.waitForAll()
      _ = state.withLock { $0.expired.remove(id) }
    }
    return self.generation != generation
  }

  private func expire(_ id: UUID) {
    let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
      if let c = s.waiters.removeValue(forKey: id) { return c }
      s.expired.insert(id)
      return nil
    }
    waiter?.resume()
  }
}

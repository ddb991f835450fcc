import Foundation
import Synchronization

/// Work on a thread of its own, whose result the caller waits for: GLPK runs one solve per
/// thread, each in its own environment, so two solves (a race's two methods, the rounding
/// heuristic beside branch-and-cut) run side by side, and every GLPK object of one is made, used
/// and freed on its thread, whatever happens to the other.
package final class SideThread<T: Sendable>: Sendable {
  private let result = Mutex<Result<T, LPError>?>(nil)
  private let done = DispatchSemaphore(value: 0)
  private let what: String

  /// `what` names the work in the error if the thread ended without a result.
  package init(_ what: String, _ body: @escaping @Sendable () throws(LPError) -> T) {
    self.what = what
    let thread = Thread { [self] in
      let r: Result<T, LPError>
      do throws(LPError) { r = .success(try body()) } catch { r = .failure(error) }
      result.withLock { $0 = r }
      done.signal()
    }
    // The main thread's stack size: GLPK runs here with the stack it is tested with there.
    thread.stackSize = 8 << 20
    thread.start()
  }

  package func wait() -> Result<T, LPError> {
    done.wait()
    return result.withLock { $0 } ?? .failure(.solverFailure("\(what)'s thread ended without a result"))
  }
}

/// A flag one thread sets and another reads.
package final class StopFlag: Sendable {
  private let flag = Atomic<Bool>(false)
  package init() {}
  package var isSet: Bool { flag.load(ordering: .acquiring) }
  package func set() { flag.store(true, ordering: .releasing) }
}

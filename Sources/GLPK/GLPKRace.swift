import Foundation
import LinearProgramming
import Synchronization

/// `--method race`: the primal simplex on the calling thread and the interior point with
/// crossover on a thread of its own, each with its own GLPK environment and its own copy of the
/// problem. The first definite answer (optimal, infeasible, unbounded) wins; the other is stopped
/// through its stop poll (the simplex within about 250 ms, the interior point after its current
/// iteration) and its thread's GLPK environment freed there, on its own thread. If neither is
/// definite (a time limit, numerical trouble), the primal simplex's answer is returned.
extension GLPKSolver {
  static func race(_ model: Model, options: SolveOptions) throws(LPError) -> Solution {
    let clock = ContinuousClock()
    let start = clock.now
    let stopPrimal = RaceFlag()
    let stopInterior = RaceFlag()
    let winner = Mutex<LPMethod?>(nil)
    let user = options.shouldStop

    var interiorOptions = options
    interiorOptions.method = .interiorCrossover
    interiorOptions.shouldStop = { stopInterior.isSet || user?() == true }
    let racerOptions = interiorOptions
    let side = RaceThread { () throws(LPError) -> Solution in
      let s = try GLPKSolver().solve(model, options: racerOptions)
      if s.isDefinite,
        winner.withLock({ w in
          if w == nil { w = .interiorCrossover; return true }
          return false
        })
      {
        stopPrimal.set()
      }
      return s
    }

    var primalOptions = options
    primalOptions.method = .primalSimplex
    primalOptions.shouldStop = { stopPrimal.isSet || user?() == true }
    let primal: Result<Solution, LPError>
    do throws(LPError) {
      let s = try GLPKSolver().solve(model, options: primalOptions)
      if s.isDefinite,
        winner.withLock({ w in
          if w == nil { w = .primalSimplex; return true }
          return false
        })
      {
        stopInterior.set()
      }
      primal = .success(s)
    } catch {
      primal = .failure(error)
    }
    let primalEnd = clock.now
    let interior = side.wait()
    let interiorEnd = clock.now
    var solution: Solution
    switch (winner.withLock { $0 }, primal, interior) {
    case (.interiorCrossover, _, .success(let s)): solution = s
    case (_, .success(let s), _): solution = s
    case (_, .failure, .success(let s)): solution = s
    case (_, .failure(let e), .failure): throw e
    }
    let won = winner.withLock { $0 } ?? .primalSimplex
    solution.statistics.winningMethod = won
    // How long the loser took to stop once the winner had finished (the interior point's end is
    // only known to the caller here, so it is measured from the primal's end when primal won).
    if won == .primalSimplex, winner.withLock({ $0 }) != nil {
      solution.statistics.raceStopSeconds = seconds(interiorEnd - primalEnd)
    } else if case .success(let s) = interior, won == .interiorCrossover {
      solution.statistics.raceStopSeconds = max(0, seconds(primalEnd - start) - s.statistics.seconds)
    }
    solution.statistics.seconds = seconds(clock.now - start)
    return solution
  }
}

extension Solution {
  /// An answer that ends the race: the LP's status is settled.
  var isDefinite: Bool {
    [.optimal, .infeasible, .unbounded, .infeasibleOrUnbounded].contains(termination)
  }
}

/// A flag one thread sets and another reads.
final class RaceFlag: Sendable {
  private let flag = Atomic<Bool>(false)
  var isSet: Bool { flag.load(ordering: .acquiring) }
  func set() { flag.store(true, ordering: .releasing) }
}

/// One racer on a thread of its own: every GLPK object of its solve is made, used and freed on
/// that thread, inside its own session.
final class RaceThread: Sendable {
  private let result = Mutex<Result<Solution, LPError>?>(nil)
  private let done = DispatchSemaphore(value: 0)

  init(_ body: @escaping @Sendable () throws(LPError) -> Solution) {
    let thread = Thread { [self] in
      let r: Result<Solution, LPError>
      do throws(LPError) { r = .success(try body()) } catch { r = .failure(error) }
      result.withLock { $0 = r }
      done.signal()
    }
    // The main thread's stack size: GLPK runs here with the stack it is tested with there.
    thread.stackSize = 8 << 20
    thread.start()
  }

  func wait() -> Result<Solution, LPError> {
    done.wait()
    return result.withLock { $0 }
      ?? .failure(.solverFailure("the interior point's thread ended without a result"))
  }
}

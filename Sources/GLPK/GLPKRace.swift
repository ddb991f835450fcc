import CGLPK
import CGLPKGuard
import Foundation
import LinearProgramming
import Synchronization

/// `--method race`: the primal simplex and the interior point with crossover, each on a side
/// thread of its own with its own GLPK environment and its own copy of the problem; the calling
/// thread only waits. The first definite answer (optimal, infeasible, unbounded) wins; the other
/// is stopped through its stop poll (the simplex within about 250 ms, the interior point after its
/// current iteration), and its GLPK environment is freed on its own thread, so a stopped loser
/// never leaves GLPK unusable on the caller's thread. The winner's basis is then loaded into the
/// caller's problem and the primal simplex finishes it there (no iteration when the basis is
/// optimal): the caller's problem is solved, so MathProg's postsolve, ranging and duals read it.
/// If neither answer is definite (a time limit, numerical trouble), the primal simplex's is
/// returned and its basic solution loaded into the caller's problem.
extension GLPKSolver {
  static func race(
    _ p: OpaquePointer, session s: inout GLPKSession, options: SolveOptions, statistics: SolveStatistics,
    deadline: ContinuousClock.Instant?
  ) throws(LPError) -> Solution {
    let model = GLPKProblem.extract(p)
    let clock = ContinuousClock()
    let finish = RaceFinish()
    let stopPrimal = StopFlag()
    let stopInterior = StopFlag()
    let user = options.shouldStop
    var racing = options
    racing.ranging = false  // computed once, on the caller's problem
    var primalOptions = racing
    primalOptions.method = .primalSimplex
    primalOptions.shouldStop = { stopPrimal.isSet || user?() == true }
    var interiorOptions = racing
    interiorOptions.method = .interiorCrossover
    interiorOptions.shouldStop = { stopInterior.isSet || user?() == true }
    let po = primalOptions
    let io = interiorOptions
    let primalThread = SideThread("the primal simplex") { () throws(LPError) -> RaceAnswer in
      let answer = try racer(model, options: po)
      if answer.isDefinite { finish.claim(.primalSimplex, at: clock.now, stopping: stopInterior) }
      return RaceAnswer(solution: answer, end: clock.now)
    }
    let interiorThread = SideThread("the interior point") { () throws(LPError) -> RaceAnswer in
      let answer = try racer(model, options: io)
      if answer.isDefinite { finish.claim(.interiorCrossover, at: clock.now, stopping: stopPrimal) }
      return RaceAnswer(solution: answer, end: clock.now)
    }
    let primal = primalThread.wait()
    let interior = interiorThread.wait()
    let winner = finish.first
    let method: LPMethod
    let answer: RaceAnswer
    let loser: Result<RaceAnswer, LPError>
    switch (winner?.method, primal, interior) {
    case (.interiorCrossover, _, .success(let a)): (method, answer, loser) = (.interiorCrossover, a, primal)
    case (_, .success(let a), _): (method, answer, loser) = (.primalSimplex, a, interior)
    case (_, .failure, .success(let a)): (method, answer, loser) = (.interiorCrossover, a, primal)
    case (_, .failure(let e), .failure): throw e
    }
    var solution = answer.solution
    solution.statistics.winningMethod = method
    if let winner, case .success(let other) = loser {
      solution.statistics.raceStopSeconds = max(0, seconds(other.end - winner.at))
    }
    if options.captureLog { s.output.text += solution.log }
    guard let basis = solution.basis else { return solution }
    return try finishFromBasis(
      p, session: &s, answer: solution, basis: basis, options: options, statistics: statistics,
      deadline: deadline)
  }

  /// One racer: its own session (the outermost on its thread, so GLPK's environment is freed
  /// there when it ends) and its own copy of the problem. The model was validated by the caller.
  static func racer(_ model: Model, options: SolveOptions) throws(LPError) -> Solution {
    try withGLPKSession(captureLog: options.captureLog, logLevel: options.logLevel) {
      (s: inout GLPKSession) throws(LPError) -> Solution in
      let p = try GLPKProblem.load(model)
      let solution: Solution
      do throws(LPError) {
        solution = try solveLoaded(p, session: &s, options: options, racing: true)
      } catch {
        s.deleteProblem(p)  // nothing after a fatal error: the session is poisoned
        throw error
      }
      s.deleteProblem(p)
      return solution
    }
  }

  /// Loads the race's basis into the caller's problem. A definite answer is finished there by the
  /// primal simplex from that basis (no iteration for an optimal one), so `p` is solved and what
  /// is returned is read from it; otherwise `p` gets the basis' solution without an iteration.
  static func finishFromBasis(
    _ p: OpaquePointer, session s: inout GLPKSession, answer: Solution, basis: Basis,
    options: SolveOptions, statistics: SolveStatistics, deadline: ContinuousClock.Instant?
  ) throws(LPError) -> Solution {
    guard answer.isDefinite else {
      for (i, st) in basis.rows.enumerated() { glp_set_row_stat(p, Int32(i + 1), st.glpk) }
      for (j, st) in basis.columns.enumerated() { glp_set_col_stat(p, Int32(j + 1), st.glpk) }
      var ret: Int32 = 0
      try s.guarded("basic solution") { cg_warm_up(p, &ret) }
      return answer
    }
    var primal = options
    primal.method = .primalSimplex
    let poll = options.shouldStop.map { StopPoll(stop: $0, deadline: nil) }
    let ret = try runSimplex(
      p, session: &s, options: primal, basis: basis, timeLimit: remaining(deadline), poll: poll)
    if s.poisoned { return stopped(statistics, timedOut: false) }
    var solution = lpOutcome(p, ret: ret, isMIP: false)
    // The race's own figures: its winner's iterations and times, its interior point's values.
    solution.statistics = answer.statistics
    solution.interiorValues = answer.interiorValues
    if options.ranging, solution.termination == .optimal { solution.ranging = try ranging(p, session: &s) }
    return solution
  }
}

/// A racer's answer and when its thread was done with it.
struct RaceAnswer: Sendable {
  var solution: Solution
  var end: ContinuousClock.Instant
}

/// Who finished first with a definite answer, and when: written once, by the winner.
final class RaceFinish: Sendable {
  private let state = Mutex<(method: LPMethod, at: ContinuousClock.Instant)?>(nil)

  /// Claims the win if no one has yet, and then stops the other racer.
  func claim(_ method: LPMethod, at: ContinuousClock.Instant, stopping other: StopFlag) {
    let won = state.withLock { first in
      guard first == nil else { return false }
      first = (method, at)
      return true
    }
    if won { other.set() }
  }

  var first: (method: LPMethod, at: ContinuousClock.Instant)? { state.withLock { $0 } }
}

extension Solution {
  /// An answer that ends the race: the LP's status is settled.
  var isDefinite: Bool {
    [.optimal, .infeasible, .unbounded, .infeasibleOrUnbounded].contains(termination)
  }
}

import CGLPK
import CGLPKGuard
import LinearProgramming
import Logging

/// Collects GLPK's terminal output for one session on one thread.
final class GLPKOutput {
  var text = ""
  var pending = ""
  /// The last lines, whatever was kept: a fatal error's message is taken from here.
  var recent = ""
  /// Set while GLPK prints only so that a stop poll is asked (a level above the one asked for):
  /// that output is neither logged nor kept in the captured log.
  var pollOnly = false
  let capture: Bool
  let logger: Logger?

  init(capture: Bool, logger: Logger?) {
    self.capture = capture
    self.logger = logger
  }

  func append(_ s: String) {
    recent += s
    if recent.utf8.count > 8 * 1024 { recent = String(recent.suffix(2 * 1024)) }
    if pollOnly { return }
    if capture || text.utf8.count < 64 * 1024 { text += s } else { text = String(text.suffix(16 * 1024)) + s }
    guard let logger else { return }
    pending += s
    while let nl = pending.firstIndex(of: "\n") {
      let line = pending[..<nl]
      if !line.isEmpty { logger.info("\(line)") }
      pending = String(pending[pending.index(after: nl)...])
    }
  }

  /// Logs a last line that had no newline yet.
  func flush() {
    guard let logger, !pending.isEmpty else { return }
    logger.info("\(pending)")
    pending = ""
  }

  /// The last few non-empty lines, for an error message.
  var tail: String {
    recent.split(separator: "\n").suffix(4).joined(separator: " / ")
  }
}

/// One use of GLPK on the current thread. Every GLPK object made in the
/// session lives and dies on this thread, inside `withGLPKSession`: the solver
/// API is synchronous, so a Swift task never carries a GLPK pointer across an
/// await. When the outermost session ends, the thread's GLPK environment is
/// freed, so idle threads hold no GLPK memory.
struct GLPKSession: ~Copyable {
  let output: GLPKOutput
  /// GLPK's message level for what the caller asked.
  let messageLevel: Int32
  /// Set after a guarded call reported a fatal error: GLPK's state on this
  /// thread is then undefined, and only `glp_free_env` may follow.
  private(set) var poisoned = false

  static let logger = Logger(label: "capplan.glpk")

  init(captureLog: Bool, logLevel: SolverLogLevel) {
    output = GLPKOutput(capture: captureLog, logger: logLevel == .off ? nil : Self.logger)
    messageLevel = logLevel.glpk
  }

  /// Runs a guarded GLPK call; on GLPK's fatal error throws with its message.
  mutating func guarded(_ what: String, _ call: () -> Int32) throws(LPError) {
    if poisoned { throw .solverFailure("GLPK is unusable after an earlier fatal error") }
    if call() != CG_OK {
      poisoned = true
      throw .solverFailure("\(what): \(output.tail)")
    }
  }

  /// Runs a guarded GLPK call that `poll` may stop (see cg_set_poll); returns true if it was
  /// stopped. A stopped call leaves GLPK's state on this thread as a fatal error does.
  mutating func stoppable(_ what: String, poll: StopPoll?, _ call: () -> Int32) throws(LPError) -> Bool {
    if poisoned { throw .solverFailure("GLPK is unusable after an earlier fatal error") }
    guard let poll else {
      try guarded(what, call)
      return false
    }
    // The poll forces GLPK_MSG_ON (see GLPKSolver.stoppable): below that level, what it prints
    // only drives the poll.
    output.pollOnly = messageLevel < GLP_MSG_ON
    let box = Unmanaged.passRetained(poll)
    cg_set_poll(
      { info in
        guard let info else { return 0 }
        return Unmanaged<StopPoll>.fromOpaque(info).takeUnretainedValue().shouldStop() ? 1 : 0
      }, box.toOpaque())
    defer {
      cg_set_poll(nil, nil)
      box.release()
      output.pollOnly = false
    }
    switch call() {
    case Int32(CG_OK): return false
    case Int32(CG_STOPPED):
      poisoned = true
      return true
    default:
      poisoned = true
      throw .solverFailure("\(what): \(output.tail)")
    }
  }

  func deleteProblem(_ p: OpaquePointer) {
    if !poisoned { glp_delete_prob(p) }
  }
}

/// Runs `body` in a GLPK session on the current thread.
func withGLPKSession<T>(
  captureLog: Bool = false, logLevel: SolverLogLevel = .off,
  _ body: (inout GLPKSession) throws(LPError) -> T
) throws(LPError) -> T {
  var session = GLPKSession(captureLog: captureLog, logLevel: logLevel)
  let depth = cg_session_depth(1)
  let sink = Unmanaged.passRetained(session.output)
  // Only the outermost session hooks GLPK's output: an inner one must not
  // leave the hook pointing at its own, released, collector.
  if depth == 1 {
    cg_term_hook(
      { info, s in
        guard let info, let s else { return 1 }
        Unmanaged<GLPKOutput>.fromOpaque(info).takeUnretainedValue().append(String(cString: s))
        return 1  // handled: nothing reaches stdout
      }, sink.toOpaque())
  }
  defer {
    session.output.flush()
    if depth == 1 {
      cg_term_hook(nil, nil)
      glp_free_env()
    }
    _ = cg_session_depth(-1)
    sink.release()
  }
  return try body(&session)
}

/// Maps GLPK message levels.
extension SolverLogLevel {
  var glpk: Int32 {
    switch self {
    case .off: return GLP_MSG_OFF
    case .errors: return GLP_MSG_ERR
    case .normal: return GLP_MSG_ON
    case .all: return GLP_MSG_ALL
    }
  }
}

/// What a stoppable LP asks between its steps: the caller's stop, or a deadline passed.
final class StopPoll {
  let stop: (@Sendable () -> Bool)?
  let deadline: ContinuousClock.Instant?
  private(set) var timedOut = false

  init(stop: (@Sendable () -> Bool)?, deadline: ContinuousClock.Instant?) {
    self.stop = stop
    self.deadline = deadline
  }

  func shouldStop() -> Bool {
    if let deadline, ContinuousClock.now >= deadline {
      timedOut = true
      return true
    }
    return stop?() ?? false
  }
}

import CapacityModel
import Foundation

/// Names what ended a try in words a person can act on, instead of the tail
/// of a backtrace or a generic "worker crashed".
enum FailureReasons {
  /// A store error while recording a plan: a full disk says so.
  static func storingPlan(_ error: any Error) -> String {
    let text = String(describing: error)
    let lower = text.lowercased()
    // SQLite: "database or disk is full" (SQLITE_FULL); PostgreSQL: SQLSTATE 53100
    // disk_full, "could not extend file ...: No space left on device".
    if lower.contains("disk is full") || lower.contains("no space left") || lower.contains("53100")
      || lower.contains("disk_full")
    {
      return "no space left on device while storing the plan"
    }
    return "cannot store the plan: \(Excerpt.of(text, limit: 200))"
  }

  /// Whether a child's stderr shows it died for want of memory under its
  /// address-space limit: an allocation the runtime, the C library or GLPK
  /// could not make.
  static func ranOutOfMemory(stderr: Data) -> Bool {
    let text = String(decoding: stderr.suffix(64 << 10), as: UTF8.self).lowercased()
    return [
      "out of memory", "cannot allocate memory", "bad_alloc", "failed to allocate", "allocation failed",
      "memory allocation failed", "could not allocate", "insufficient memory", "memory exhausted",
    ].contains { text.contains($0) }
  }
}

/// What kind of failure ended a try: a closed set, for metrics labels and
/// alerts, beside the reason's full text (which names files, limits and
/// stderr, and so cannot be a label).
public enum FailureClass: String, Sendable, CaseIterable {
  /// The scenario or its settings were refused by the solver process (not retried).
  case invalidInput = "invalid_input"
  /// The job's stored options are out of range (not retried).
  case invalidOptions = "invalid_options"
  /// The solve ran past its time limit and was killed.
  case timeLimit = "time_limit"
  /// The solve ran out of memory under its address-space limit.
  case memoryLimit = "memory_limit"
  /// The solver process died of a signal.
  case crashed
  /// The solver process exited with a non-zero status.
  case exitStatus = "exit_status"
  /// The solver process exited 0 but printed no readable plan.
  case unreadablePlan = "unreadable_plan"
  /// The solver process could not be started.
  case spawnFailed = "spawn_failed"
  /// The store refused to record the plan (a full disk, a lost server).
  case storingPlan = "storing_plan"
}

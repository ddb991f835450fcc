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

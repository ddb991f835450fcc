import Foundation
import LinearProgramming
import Synchronization

/// Progress of a running command on stderr, so machine-readable stdout never sees it: on a
/// terminal by default, elsewhere (a log, CI) when asked with `--progress`.
///
/// A solve prints whole lines, not a line rewritten in place, so that a log keeps them: one for
/// each phase (the LP relaxation, the first plan), one whenever branch-and-cut finds a better
/// plan, and one every few seconds while it searches.
final class Progress: Sendable {
  let label: String
  /// Rewrites one line in place (a terminal) instead of appending lines.
  let inPlace: Bool
  static let interval = 5.0
  private let lastLine = Mutex<(seconds: Double, incumbent: Double?)>((-.infinity, nil))

  static func start(label: String, forced: Bool = false) -> Progress? {
    let terminal = isatty(STDERR_FILENO) == 1
    return terminal || forced ? Progress(label: label, inPlace: terminal) : nil
  }

  private init(label: String, inPlace: Bool) {
    self.label = label
    self.inPlace = inPlace
  }

  var mipCallback: @Sendable (MIPProgress) -> Bool {
    { [self] p in
      let due = lastLine.withLock { last in
        let better = p.incumbent.map { z in last.incumbent.map { abs(z - $0) > 1e-9 * max(1, abs(z)) } ?? true
        }
        guard better == true || p.elapsedSeconds - last.seconds >= Self.interval else { return false }
        last = (p.elapsedSeconds, p.incumbent)
        return true
      }
      if due { solveLine(Self.describe(p)) }
      return true
    }
  }

  var logCallback: @Sendable (String) -> Void { { [self] text in solveLine(text) } }

  /// "12.3 s  plan EBIT $1,234.56M  bound $1,240.00M  gap 0.43%  nodes 120".
  static func describe(_ p: MIPProgress) -> String {
    if let method = p.lpMethod {
      return String(format: "%.1f s  ", p.elapsedSeconds) + "LP running (\(method))"
    }
    let plan = p.incumbent.map { "plan EBIT $\(money($0, 2))M" } ?? "no plan yet"
    let bound = p.bestBound.map { "  bound $\(money($0, 2))M" } ?? ""
    let gap = p.relativeGap.map { "  gap " + String(format: "%.3f%%", 100 * $0) } ?? ""
    return String(format: "%.1f s  ", p.elapsedSeconds) + plan + bound + gap + "  nodes \(p.nodes)"
  }

  func solveLine(_ text: String) {
    FileHandleStderr.write((inPlace ? "\r\u{1B}[K" : "") + "\(label): \(text)\n")
  }

  /// A status line that the next one replaces on a terminal (sweeps count their points so).
  func line(_ text: String) {
    FileHandleStderr.write(inPlace ? "\r\u{1B}[K\(label): \(text)" : "\(label): \(text)\n")
  }

  func finish() { if inPlace { FileHandleStderr.write("\r\u{1B}[K") } }
}

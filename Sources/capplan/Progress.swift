import Foundation
import LinearProgramming

/// Progress lines on stderr while a solve runs, only when stderr is a
/// terminal: machine-readable stdout never sees them.
final class Progress: Sendable {
  let label: String

  static func start(label: String) -> Progress? {
    isatty(STDERR_FILENO) == 1 ? Progress(label: label) : nil
  }

  private init(label: String) { self.label = label }

  var mipCallback: @Sendable (MIPProgress) -> Bool {
    { [label] p in
      let incumbent = p.incumbent.map { String(format: "%.2f", $0) } ?? "-"
      let bound = p.bestBound.map { String(format: "%.2f", $0) } ?? "-"
      let gap = p.relativeGap.map { String(format: "%.2e", $0) } ?? "-"
      FileHandleStderr.write(
        "\r\u{1B}[K\(label): incumbent \(incumbent)  bound \(bound)  gap \(gap)  nodes \(p.nodes)  \(String(format: "%.1f", p.elapsedSeconds))s"
      )
      return true
    }
  }

  func line(_ text: String) { FileHandleStderr.write("\r\u{1B}[K\(label): \(text)") }

  func finish() { FileHandleStderr.write("\r\u{1B}[K") }
}

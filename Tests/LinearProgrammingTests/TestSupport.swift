import Foundation
import GLPK
import LinearProgramming

enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  struct Optimum: Sendable, CustomStringConvertible {
    let set: String
    let name: String
    let objective: Double
    var path: String { directory.appendingPathComponent("\(set)/\(name).mps.gz").path }
    var description: String { "\(set)/\(name)" }
  }

  /// The rows of a test set's optima.csv: name, mps_format, sense, optimal_objective.
  static func optima(_ set: String) -> [Optimum] {
    let url = directory.appendingPathComponent("\(set)/optima.csv")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").dropFirst().compactMap { line in
      let f = line.split(separator: ",").map(String.init)
      guard f.count == 4, let z = Double(f[3]) else { return nil }
      return Optimum(set: set, name: f[0], objective: z)
    }
  }

  static func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("capplan-test-\(UUID().uuidString)-\(name)")
      .path
  }
}

func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(1, abs(b)) }

/// max 3x + 2y  s.t.  c1: x + y <= 4,  c2: x + 3y <= 7,  c3: x <= 3,  x, y >= 0.
/// Optimum x = 3, y = 1, objective 11 (c2 has slack 1); duals c1 = 2, c2 = 0, c3 = 1.
func smallLP() -> (Model, Variable, Variable, [Constraint]) {
  var m = Model(name: "small")
  let x = m.addVariable("x")
  let y = m.addVariable("y")
  let c1 = m.addConstraint(x + y <= 4, name: "c1")
  let c2 = m.addConstraint(x + 3 * y <= 7, name: "c2")
  let c3 = m.addConstraint(LinearExpression(x) <= 3, name: "c3")
  m.setObjective(.maximize, 3 * x + 2 * y)
  return (m, x, y, [c1, c2, c3])
}

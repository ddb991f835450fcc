import Foundation
import Testing

/// MathProg text that GLPK cannot survive (glibc's buffer checks in printf,
/// a stack overflow on deep nesting) ends `capplan lp` with an error message
/// and status 1, not a signal: the model runs in a child process.
@Suite struct CraftedMathProgTests {
  static let models: [(String, String)] = [
    ("huge width", "var x >= 0;\nminimize z: x;\nsolve;\nprintf \"%10000d\\n\", 1;\nend;\n"),
    ("huge precision", "var x >= 0;\nminimize z: x;\nsolve;\nprintf \"%.999999999f\\n\", 1;\nend;\n"),
    (
      "10,000 nested parentheses",
      "var x >= 0;\nminimize z: " + String(repeating: "(", count: 10_000) + "x"
        + String(repeating: ")", count: 10_000) + ";\nend;\n"
    ),
  ]

  @Test(arguments: models) func craftedModelsEndInAnErrorNotASignal(_ name: String, _ text: String) throws {
    let dir = try CLI.temporaryDirectory()
    let path = dir.appendingPathComponent("crafted.mod").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let r = try CLI.run(["lp", path])
    // A signal would show as a status above 128 through a shell, or the test
    // process's Process reporting an uncaught signal; capplan itself must exit 1 or 2.
    #expect(r.status == 1 || r.status == 2, "\(name): status \(r.status), stderr \(r.stderr.suffix(400))")
    #expect(r.stderr.hasPrefix("capplan: "), "\(name): \(r.stderr.suffix(400))")
  }

  @Test func anOrdinaryModelStillSolvesThroughTheChild() throws {
    let dir = try CLI.temporaryDirectory()
    let path = dir.appendingPathComponent("ok.mod").path
    try "var x >= 2;\nminimize z: 3 * x;\nsolve;\nprintf \"x = %g\\n\", x;\nend;\n".write(
      toFile: path, atomically: true, encoding: .utf8)
    let r = try CLI.run(["lp", path, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try CLI.json(r.stdout)["objective"] as? Double == 6)
  }
}

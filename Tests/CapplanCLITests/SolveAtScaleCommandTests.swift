import Foundation
import GLPK
import LinearProgramming
import Testing

/// `capplan solve` on MIPs: the model written for other solvers, progress lines, the first plan.
@Suite("solve: model files, progress and the first plan")
struct SolveAtScaleCommandTests {
  static func generatedMIP(in dir: URL, sites: Int = 5) throws -> String {
    let path = dir.appendingPathComponent("g.yaml").path
    let r = try CLI.run(["generate", "--sites", "\(sites)", "--periods", "6", "--integers", "--out", path])
    #expect(r.status == 0, "\(r.stderr)")
    return path
  }

  @Test func writeGivesTheModelThatSolvesToThePlansEBIT() throws {
    let dir = try CLI.temporaryDirectory()
    let scenario = try Self.generatedMIP(in: dir)
    let mps = dir.appendingPathComponent("model.mps").path
    let lp = dir.appendingPathComponent("model.lp").path
    let written = try CLI.run(["solve", scenario, "--write", mps, "--no-solve"])
    #expect(written.status == 0, "\(written.stderr)")
    #expect(written.stdout.isEmpty)
    #expect(written.stderr.contains("rows") && written.stderr.contains("integer"))
    #expect(try CLI.run(["solve", scenario, "--write", lp, "--no-solve"]).status == 0)
    // The written model, solved by the LP layer alone, has the plan's optimum.
    let solved = try CLI.run(["solve", scenario, "--gap", "0", "--format", "json"])
    #expect(solved.status == 0, "\(solved.stderr)")
    let plan = try CLI.json(solved.stdout)
    let solver = try #require(plan["solver"] as? [String: Any])
    let objective = try #require(solver["objective"] as? Double)
    for path in [mps, lp] {
      let model = try Model.read(contentsOf: path, format: ModelFileFormat.guess(path: path) ?? .mps)
      #expect(model.isMIP)
      var options = SolveOptions()
      options.relativeGap = 0
      let s = try GLPKSolver().solve(model, options: options)
      #expect(abs((s.objectiveValue ?? 0) - objective) <= 1e-6 * abs(objective), "\(path)")
    }
  }

  @Test func writeRefusesAFileNameWithoutAModelFormat() throws {
    let r = try CLI.run(["solve", "Models/aws-2026.yaml", "--write", "/tmp/model.txt", "--no-solve"])
    #expect(r.status != 0)
    #expect(r.stderr.contains("--write needs a file name ending in .mps or .lp"))
    let s = try CLI.run(["solve", "Models/aws-2026.yaml", "--no-solve"])
    #expect(s.stderr.contains("--no-solve needs --write"))
  }

  @Test func progressLinesReportTheFirstPlanAndItsGap() throws {
    let dir = try CLI.temporaryDirectory()
    let scenario = try Self.generatedMIP(in: dir)
    let r = try CLI.run(["solve", scenario, "--progress", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stderr.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.contains("LP relaxation solved in") && $0.contains("EBIT at most $") })
    #expect(lines.contains { $0.contains("first plan (") && $0.contains("of the bound") })
    let plan = try CLI.json(r.stdout)
    let solver = try #require(plan["solver"] as? [String: Any])
    let first = try #require(solver["first_plan"] as? [String: Any])
    #expect(["nearest", "fitted", "down", "up", "relax-and-fix"].contains(first["rule"] as? String ?? ""))
    #expect(solver["start"] as? String == "rounding")
    // A progress line carries the first plan's EBIT as the plan's, with bound and gap.
    let firstEBIT = try #require(first["objective"] as? Double)
    let shown = String(format: "%.2f", firstEBIT)
    #expect(
      lines.contains { line in
        line.contains("plan EBIT $") && line.contains("bound $") && line.contains("gap ")
          && line.replacingOccurrences(of: ",", with: "").contains(shown)
      }, "\(lines)")
    // Without --progress and off a terminal: nothing on stderr.
    let quiet = try CLI.run(["solve", scenario, "--format", "json"])
    #expect(quiet.stderr.isEmpty)
  }

  @Test func noRoundingLeavesTheSearchToGLPK() throws {
    let dir = try CLI.temporaryDirectory()
    let scenario = try Self.generatedMIP(in: dir)
    let r = try CLI.run(["solve", scenario, "--no-rounding", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let solver = try #require(try CLI.json(r.stdout)["solver"] as? [String: Any])
    #expect(solver["first_plan"] == nil)
    #expect(solver["start"] as? String == "cold")
  }
}

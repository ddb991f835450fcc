import Foundation
import Testing

/// `capplan solve` on MIPs over demand cases: the joint model gets the rounding start that a single
/// case gets, and a time limit still returns a plan.
@Suite("solve: the first plan of a MIP over demand cases")
struct DemandCasesFirstPlanCommandTests {
  static func generated(in dir: URL, sites: Int, periods: Int, cases: Int) throws -> String {
    let path = dir.appendingPathComponent("g\(sites)-c\(cases).yaml").path
    let r = try CLI.run([
      "generate", "--sites", "\(sites)", "--periods", "\(periods)", "--integers", "--demand-cases",
      "\(cases)",
      "--out", path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    return path
  }

  static func solver(_ r: CLI.Result) throws -> [String: Any] {
    try #require(try CLI.json(r.stdout)["solver"] as? [String: Any])
  }

  @Test func theJointMIPReportsItsFirstPlanUnlessRoundingIsOff() throws {
    let dir = try CLI.temporaryDirectory()
    let scenario = try Self.generated(in: dir, sites: 5, periods: 6, cases: 3)
    let r = try CLI.run(["solve", scenario, "--skip-evpi-vss", "--progress", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("first plan ("), "the heuristic's line: \(r.stderr)")
    let solver = try Self.solver(r)
    let first = try #require(solver["first_plan"] as? [String: Any])
    let firstObjective = try #require(first["objective"] as? Double)
    let bound = try #require(first["relaxation_bound"] as? Double)
    let objective = try #require(solver["objective"] as? Double)
    #expect(firstObjective <= bound + 1e-6)
    #expect(objective >= firstObjective - 1e-9 * abs(firstObjective), "the better plan wins")
    #expect(solver["start"] as? String == "rounding")
    let plan = try CLI.json(r.stdout)
    #expect((plan["uncertainty"] as? [String: Any])?["cases"] as? [Any] != nil)

    let alone = try CLI.run(["solve", scenario, "--skip-evpi-vss", "--no-rounding", "--format", "json"])
    #expect(alone.status == 0, "\(alone.stderr)")
    let aloneSolver = try Self.solver(alone)
    #expect(aloneSolver["first_plan"] == nil)
    let aloneObjective = try #require(aloneSolver["objective"] as? Double)
    #expect(abs(aloneObjective - objective) <= 2e-4 * abs(objective), "both to gap 1e-4")
  }

  /// A 50-site portfolio (12 quarters, install blocks, expansions) with three demand cases, given
  /// less time than GLPK's branch-and-cut needs for its first plan of the joint model: with the
  /// rounding the solve has a plan, found within the limit, with a finite gap. GLPK alone has none
  /// within the limit: measured here, its root cut rounds do not look at the clock, so it either
  /// ends without a plan or finds one only after running past the limit (30 s limit: its solve
  /// ended at 43 s with a plan). Minutes of solving: `make long-check` (CAPPLAN_LONG=1), CAPPLAN_LONG_LIMIT to
  /// change the limit; the window depends on the machine's load (BENCHMARKS.md, "The rounding
  /// start on MIPs over demand cases"): 30 s fits the 2-core machine, where the heuristic's
  /// relaxation takes about 20 s idle.
  @Test(
    .enabled(
      if: ProcessInfo.processInfo.environment["CAPPLAN_LONG"] == "1", "set CAPPLAN_LONG=1 (make long-check)"))
  func aTimeLimitedPortfolioOverCasesStillGetsAPlan() throws {
    let env = ProcessInfo.processInfo.environment
    let limit = env["CAPPLAN_LONG_LIMIT"] ?? "30"
    let seconds = try #require(Double(limit), "CAPPLAN_LONG_LIMIT is a number of seconds")
    let dir = try CLI.temporaryDirectory()
    let scenario = try Self.generated(in: dir, sites: 50, periods: 12, cases: 3)
    let common = ["solve", scenario, "--skip-evpi-vss", "--time-limit", limit, "--format", "json"]
    let r = try CLI.run(common)
    let plan = try CLI.json(r.stdout)
    let status = try #require(plan["status"] as? String)
    #expect(["time_limit_with_solution", "feasible_with_gap", "optimal"].contains(status), "\(r.stderr)")
    let solver = try Self.solver(r)
    let gap = try #require(solver["gap"] as? Double)
    #expect(gap.isFinite && gap < 0.05, "gap \(gap)")
    let first = try #require(solver["first_plan"] as? [String: Any])
    #expect(try #require(first["seconds"] as? Double) <= seconds, "the rounding's plan within the limit")

    let alone = try CLI.run(common + ["--no-rounding"])
    let aloneStatus = try #require(try CLI.json(alone.stdout)["status"] as? String)
    if aloneStatus == "time_limit_without_solution" {
      #expect(alone.status == 5)
    } else {
      // A plan only from running past the limit.
      #expect(aloneStatus == "time_limit_with_solution", "GLPK alone in \(limit) s: \(alone.stderr)")
      let aloneSeconds = try #require(try Self.solver(alone)["seconds"] as? Double)
      #expect(aloneSeconds > seconds, "GLPK alone's solve took \(aloneSeconds) s")
    }
  }
}

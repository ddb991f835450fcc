import CapacityModel
import Foundation
import JobQueue
import Testing

/// How to solve, said once: `solve`, `submit` and `schedule add` take the same flags with the
/// same checks, and what `submit` stored is what the worker's child process solved with.
@Suite struct SolveSettingsCommandTests {
  @Test(arguments: Backend.available) func submittedSettingsReachTheStoredJobAndThePlan(_ backend: Backend)
    throws
  {
    let q = try QueueFixture(backend)
    let submitted = try CLI.run([
      "submit", q.model("seed-bedrock-deal.yaml"), "--db", q.db, "--format", "json", "--method", "dual",
      "--no-rounding", "--gap", "0.001", "--proximity-search", "5",
    ])
    #expect(submitted.status == 0, "\(submitted.stderr)")
    let id = try #require(try CLI.json(submitted.stdout)["id"] as? Int)
    let options = try #require(try CLI.json(submitted.stdout)["options"] as? [String: Any])
    #expect(options["method"] as? String == "dual")
    #expect(options["relative_gap"] as? Double == 0.001)
    #expect(options["time_limit_seconds"] == nil, "no limit of its own: the worker's applies")
    let glpk = try #require(options["glpk"] as? [String: Any])
    #expect(glpk["rounding_heuristic"] as? Bool == false)
    #expect(glpk["proximity_search_seconds"] as? Double == 5)

    let stored = try q.store.job(Int64(id)).options.settings
    #expect(stored.method == .dualSimplex)
    #expect(stored.glpk.roundingHeuristic == false)
    #expect(stored.relativeGap == 0.001)
    let shown = try CLI.run(["jobs", "show", "\(id)", "--db", q.db])
    #expect(
      shown.stdout.contains("method dual, gap 0.001, no rounding, proximity search 5 s"), "\(shown.stdout)")

    let worker = try CLI.run(["worker", "--once", "--db", q.db])
    #expect(worker.status == 0, "\(worker.stderr)")
    let planID = try #require(try q.store.job(Int64(id)).planID)
    let plan = try CLI.json(
      try CLI.run(["plans", "show", "\(planID)", "--db", q.db, "--format", "json"]).stdout)
    let solver = try #require(plan["solver"] as? [String: Any])
    // The seed is an LP: the plan records the LP method the child process solved with.
    #expect(solver["method"] as? String == "dual")
    #expect((plan["totals"] as? [String: Any])?["ebit"] as? Double == 7.5)
  }

  /// The worker's default time limit is not handed to GLPK's interior point, which cannot stop
  /// at one; the worker still kills a child that runs past it.
  @Test func anInteriorPointJobSolvesUnderTheWorkersDefaultTimeLimit() throws {
    let q = try QueueFixture()
    let submitted = try CLI.run([
      "submit", q.model("seed-bedrock-deal.yaml"), "--db", q.db, "--format", "json", "--method", "interior",
    ])
    #expect(submitted.status == 0, "\(submitted.stderr)")
    let id = Int64(try #require(try CLI.json(submitted.stdout)["id"] as? Int))
    let worker = try CLI.run(["worker", "--once", "--time-limit", "600", "--db", q.db])
    #expect(worker.status == 0, "\(worker.stderr)")
    let job = try q.store.job(id)
    #expect(job.state == .succeeded, "\(job.lastError ?? "")")
    let plan = try q.store.plan(try #require(job.planID))
    #expect(plan.solver.method == "interior")
    #expect(plan.status == .optimal)
  }

  /// The same refusal, word for word, from every command that takes the settings.
  @Test(arguments: [
    (["--time-limit", "inf"], "--time-limit inf is out of range: give 0.001 to 31536000 seconds (365 days)"),
    (["--gap=-1"], "--gap -1 is out of range: give 0 to 1000000 (a fraction)"),
    (["--proximity-search", "0"], "--proximity-search 0 is out of range: give 0.001 to 31536000 seconds"),
    (
      ["--method", "interior", "--time-limit", "5"],
      "--method interior cannot stop at a time limit (GLPK's interior point runs to its end): drop "
        + "--time-limit or use a simplex method"
    ),
  ])
  func everyCommandRefusesBadSettingsAlike(_ flags: [String], _ message: String) throws {
    let q = try QueueFixture()
    let seed = q.model("seed-bedrock-deal.yaml")
    let commands: [[String]] = [
      ["solve", seed],
      ["sweep", seed, "--set", "sites.seed-site.power_mw=10:20:10"],
      ["submit", seed, "--db", q.db],
      ["schedule", "add", "nightly", seed, "--every", "1d", "--db", q.db],
    ]
    for command in commands {
      let r = try CLI.run(command + flags)
      #expect(r.status == 64, "\(command[0]): \(r.stderr)")
      #expect(r.stderr.contains("Error: \(message)"), "\(command[0]): \(r.stderr)")
    }
    #expect(try q.store.jobs(JobFilter()).isEmpty)
    #expect(try q.store.schedules().isEmpty)
  }

  /// A schedule keeps the settings it was added with, and every job it fires carries them.
  @Test func aScheduleFiresJobsWithItsSettings() throws {
    let q = try QueueFixture()
    let add = try CLI.run([
      "schedule", "add", "weekly", q.model("seed-bedrock-deal.yaml"), "--every", "7d", "--method", "dual",
      "--feasibility-pump", "--time-limit", "90", "--db", q.db,
    ])
    #expect(add.status == 0, "\(add.stderr)")
    let show = try CLI.run(["schedule", "show", "weekly", "--db", q.db])
    #expect(show.stdout.contains("method dual, feasibility pump"), "\(show.stdout)")
    #expect(try CLI.run(["schedule", "run-now", "weekly", "--db", q.db]).status == 0)
    let job = try #require(try q.store.jobs(JobFilter()).first)
    #expect(job.options.settings.method == .dualSimplex)
    #expect(job.options.settings.glpk.feasibilityPump)
    #expect(job.options.settings.timeLimitSeconds == 90)
  }

  /// A job row written before the settings were one value (only the four old keys) is solved
  /// with them, and the new settings take their defaults.
  @Test(arguments: Backend.available) func aJobStoredInTheOldFormatIsSolved(_ backend: Backend) throws {
    let q = try QueueFixture(backend)
    let id = try q.submit()
    try rawSQL(
      q,
      "UPDATE jobs SET options = '{\"time_limit_seconds\":120,\"relative_gap\":0.01,\"memory_limit_mb\":4096}' "
        + "WHERE id = \(id)")
    let options = try q.store.job(id).options
    #expect(options.settings.timeLimitSeconds == 120)
    #expect(options.settings.relativeGap == 0.01)
    #expect(options.settings.method == .primalSimplex)
    #expect(options.settings.glpk.roundingHeuristic)
    #expect(options.memoryLimitMB == 4096)
    let w = try q.worker(["--once"])
    #expect(w.wait(seconds: 60) == 0, "\(w.output)")
    let job = try q.store.job(id)
    #expect(job.state == .succeeded, "\(job.lastError ?? "")")
    #expect(try q.store.plan(try #require(job.planID)).solver.method == "primal")
  }
}

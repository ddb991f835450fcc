import Foundation
import JobQueue
import Testing

/// A worker solving a MIP that takes several seconds stores its progress with each heartbeat,
/// and `capplan jobs show` prints it while the job runs and as its last progress afterwards.
@Suite("jobs show: the progress of a running solve")
struct JobProgressCommandTests {
  @Test(arguments: Backend.available) func jobsShowPrintsTheProgressOfARunningSolve(_ backend: Backend) throws
  {
    let q = try QueueFixture(backend)
    let scenario = q.dir.appendingPathComponent("g30.yaml").path
    let generated = try CLI.run(["generate", "--sites", "30", "--integers", "--out", scenario])
    #expect(generated.status == 0, "\(generated.stderr)")
    // Gap 0 with a time limit: the search runs its full 8 s, long enough to report several times.
    let submitted = try CLI.run([
      "submit", scenario, "--time-limit", "8", "--gap", "0", "--format", "json", "--db", q.db,
    ])
    #expect(submitted.status == 0, "\(submitted.stderr)")
    let id = try #require(try CLI.json(submitted.stdout)["id"] as? Int)
    // A 3 s lease renews every second, so progress reaches the store soon after it is reported.
    let worker = try q.worker(["--once", "--lease", "3"])

    var shown: [String: Any] = [:]
    let sawGap = try q.until(60) {
      let r = try CLI.run(["jobs", "show", "\(id)", "--format", "json", "--db", q.db])
      guard r.status == 0, let job = try? CLI.json(r.stdout) else { return false }
      guard job["state"] as? String == "running", let p = job["progress"] as? [String: Any], p["gap"] != nil
      else { return job["state"] as? String != "queued" && job["state"] as? String != "running" }
      shown = p
      return true
    }
    #expect(sawGap && !shown.isEmpty, "no progress with a gap while the job ran: \(worker.output)")
    let gap = try #require(shown["gap"] as? Double)
    let best = try #require(shown["best_plan"] as? Double)
    let bound = try #require(shown["bound"] as? Double)
    #expect(gap >= 0 && gap < 0.05, "the first plan is within a few percent of the bound")
    #expect(best <= bound + 1e-6 * abs(bound))
    #expect(abs((bound - best) / abs(bound) - gap) < 1e-3, "the gap is the best plan's against the bound")
    #expect((shown["elapsed_seconds"] as? Double ?? -1) > 0)
    #expect(shown["objective"] as? String == "ebit")
    #expect(shown["reported_at"] is String)

    // The table a person reads says the same, with the report's age.
    // The list adds the gap to a running job's state (unless the job has finished since).
    let listed = try CLI.run(["jobs", "list", "--db", q.db]).stdout
    let row = try #require(listed.split(separator: "\n").first { $0.hasPrefix("\(id) ") })
    #expect(!row.contains("running") || row.contains("running, gap "), "\(row)")
    let table = try CLI.run(["jobs", "show", "\(id)", "--db", q.db])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("best plan EBIT") && table.stdout.contains("bound"))
    #expect(table.stdout.contains(" s ago"))

    #expect(worker.wait(seconds: 90) == 0, "\(worker.output)")
    // Finished, the job keeps its last report; the plan is at least as good as any reported.
    let done = try CLI.json(try CLI.run(["jobs", "show", "\(id)", "--format", "json", "--db", q.db]).stdout)
    #expect(done["state"] as? String == "succeeded")
    let last = try #require(done["progress"] as? [String: Any])
    let lastBest = try #require(last["best_plan"] as? Double)
    #expect(lastBest >= best - 1e-6 * abs(best), "progress only improves")
    let planID = try #require(done["plan_id"] as? Int)
    let plan = try CLI.json(
      try CLI.run(["plans", "show", "\(planID)", "--format", "json", "--db", q.db]).stdout)
    let objective = try #require((plan["solver"] as? [String: Any])?["objective"] as? Double)
    #expect(objective >= lastBest - 1e-6 * abs(lastBest))
    let after = try CLI.run(["jobs", "show", "\(id)", "--db", q.db]).stdout
    #expect(after.contains("last progress") && !after.contains("progress reported"))
    // The progress lines never reach the worker's log or the job's messages.
    #expect(!worker.output.contains(ChildProgressReport.prefix))
  }
}

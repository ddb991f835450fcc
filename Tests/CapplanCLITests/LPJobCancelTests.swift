import Foundation
import JobQueue
import Testing

/// A real LP job, long enough to cancel in the middle of its solve: it reports that it runs (and
/// with which method) while it has no plan yet, and a cancel ends its solve process promptly.
@Suite("An LP job: progress while it runs, and a cancel that stops it")
struct LPJobCancelTests {
  @Test(arguments: ["primal", "race"])
  func anLPJobShowsItsMethodAndACancelKillsItsSolve(_ method: String) throws {
    let q = try QueueFixture(.sqlite)
    let scenario = q.dir.appendingPathComponent("g150.yaml").path
    // 150 sites: the LP takes the primal simplex well over 10 s.
    let generated = try CLI.run(["generate", "--sites", "150", "--out", scenario])
    #expect(generated.status == 0, "\(generated.stderr)")
    let submitted = try CLI.run(["submit", scenario, "--method", method, "--format", "json", "--db", q.db])
    #expect(submitted.status == 0, "\(submitted.stderr)")
    let id = Int64(try #require(try CLI.json(submitted.stdout)["id"] as? Int))
    let worker = try q.worker(["--lease", "3"], name: "lp-\(method)")

    var shown: [String: Any] = [:]
    let sawProgress = try q.until(90) {
      let r = try CLI.run(["jobs", "show", "\(id)", "--format", "json", "--db", q.db])
      guard r.status == 0, let job = try? CLI.json(r.stdout) else { return false }
      guard job["state"] as? String == "running", let p = job["progress"] as? [String: Any] else {
        return job["state"] as? String != "queued" && job["state"] as? String != "running"
      }
      shown = p
      return true
    }
    #expect(sawProgress && !shown.isEmpty, "no progress while the LP ran: \(worker.output)")
    #expect(shown["method"] as? String == method)
    #expect((shown["elapsed_seconds"] as? Double ?? -1) > 0)
    #expect(shown["nodes"] == nil, "an LP has no nodes")
    let table = try CLI.run(["jobs", "show", "\(id)", "--db", q.db]).stdout
    #expect(table.contains("LP method") && table.contains(method), "\(table)")

    let solves = worker.children
    #expect(solves.count == 1, "one solve running")
    let clock = ContinuousClock()
    let asked = clock.now
    #expect(try CLI.run(["jobs", "cancel", "\(id)", "--db", q.db]).status == 0)
    // Measured loosely: the worker reads the cancel every half second and kills the solve; the
    // bound is generous for a loaded machine, the figure is logged.
    let stopped = try q.until(10) {
      try q.store.job(id).state == .cancelled && solves.allSatisfy(Background.hasExited)
    }
    let took = clock.now - asked
    print("LP job (\(method)) cancelled and its solve gone \(took) after the cancel")
    #expect(stopped, "still running 10 s after the cancel: \(worker.output)")
    #expect(try q.plansOfJob(id) == 0)
    worker.signal(SIGTERM)
    #expect(worker.wait(seconds: 10) == 0)
  }
}

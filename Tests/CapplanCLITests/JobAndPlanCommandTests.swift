import Foundation
import JobQueue
import Testing

@Suite struct JobAndPlanCommandTests {
  @Test func submitWorkListAndShowThroughTheCLI() throws {
    let q = try QueueFixture()
    let seed = q.model("seed-bedrock-deal.yaml")
    let submitted = try CLI.run([
      "submit", seed, "--db", q.db, "--format", "json", "--priority", "3", "--time-limit", "60",
    ])
    #expect(submitted.status == 0, "\(submitted.stderr)")
    let job = try CLI.json(submitted.stdout)
    let id = try #require(job["id"] as? Int)
    #expect(job["state"] as? String == "queued")
    #expect(job["priority"] as? Int == 3)
    #expect((job["scenario_sha256"] as? String)?.count == 64)
    #expect((job["options"] as? [String: Any])?["time_limit_seconds"] as? Double == 60)

    let worker = try CLI.run(["worker", "--once", "--db", q.db])
    #expect(worker.status == 0, "\(worker.stderr)")
    #expect(
      worker.stderr.contains("job \(id) attempt 1: plan 1 (optimal)"),
      "logs through swift-log: \(worker.stderr)")

    let list = try CLI.run(["jobs", "list", "--db", q.db, "--format", "json"])
    let jobs = try #require(
      try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    #expect(jobs.count == 1 && jobs[0]["state"] as? String == "succeeded" && jobs[0]["plan_id"] as? Int == 1)
    #expect(try CLI.run(["jobs", "show", "\(id)", "--db", q.db]).stdout.contains("succeeded"))

    let plans = try CLI.run(["plans", "list", "--db", q.db, "--format", "json"])
    let rows = try #require(
      try JSONSerialization.jsonObject(with: Data(plans.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 1)
    #expect(rows[0]["ebit"] as? Double == 7.5)
    #expect(rows[0]["status"] as? String == "optimal")
    let table = try CLI.run(["plans", "list", "--db", q.db]).stdout
    #expect(table.contains("seed-bedrock-deal") && table.contains("53.6%"))

    let shown = try CLI.json(try CLI.run(["plans", "show", "1", "--db", q.db, "--format", "json"]).stdout)
    #expect((shown["totals"] as? [String: Any])?["revenue"] as? Double == 14)
    let text = try CLI.run(["plans", "show", "1", "--db", q.db]).stdout
    #expect(text.contains("Plan 1 of job \(id)") && text.contains("EBIT margin"))

    let missing = try CLI.run(["plans", "show", "99", "--db", q.db])
    #expect(missing.status == 2 && missing.stderr == "capplan: no plan 99\n")
  }

  @Test func cancelAndRetryThroughTheCLI() throws {
    let q = try QueueFixture()
    let id = try q.submit()
    #expect(try CLI.run(["jobs", "cancel", "\(id)", "--db", q.db]).stdout == "job \(id) cancelled\n")
    let again = try CLI.run(["jobs", "cancel", "\(id)", "--db", q.db])
    #expect(again.status == 2 && again.stderr.contains("already cancelled"))
    #expect(try CLI.run(["jobs", "retry", "\(id)", "--db", q.db]).stdout == "job \(id) queued again\n")
    #expect(try q.store.job(id).state == .queued)
  }

  @Test func databaseComesFromTheEnvironment() throws {
    let q = try QueueFixture()
    let r = try CLI.run(["submit", q.model("seed-bedrock-deal.yaml")], environment: ["CAPPLAN_DB": q.db])
    #expect(r.status == 0)
    #expect(try q.store.jobs(JobFilter()).count == 1)
  }
}

import Foundation
import JobQueue
import PostgresBackend
import Prometheus
import SQLiteBackend
import Testing

@testable import capplan

/// The queue's metrics as a Prometheus scrape shows them, after real work: a
/// worker in this process solving jobs in `capplan run-job` children, a lease
/// left to expire, a crashing solve, an invalid scenario, a late schedule.
/// Each test counts into a registry of its own, so parallel tests do not mix.
@Suite struct MetricsTests {
  @Test(arguments: Backend.available) func theExpositionCountsWhatTheQueueDid(_ backend: Backend) async throws
  {
    let registry = PrometheusCollectorRegistry()
    let metrics = QueueMetrics(factory: MetricsBootstrap.factory(registry: registry))
    let dir = try CLI.temporaryDirectory()
    let location = try backend.newLocation(in: dir)
    let store: any PlanDatabase =
      backend == .sqlite
      ? try SQLiteStore(path: location, metrics: metrics) : try PostgresStore(url: location, metrics: metrics)
    let name = backend == .sqlite ? "sqlite" : "postgres"
    metrics.registerKnownSeries(backend: name)
    let seedPath = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path
    let seed = try String(contentsOfFile: seedPath, encoding: .utf8)
    func submit(_ text: String, key: String? = nil, maxAttempts: Int = 3, now: Date = Date()) throws -> (
      Job, Bool
    ) {
      try store.submit(
        JobSubmission(
          scenarioID: "m", source: seedPath, scenarioText: text, idempotencyKey: key, maxAttempts: maxAttempts
        ),
        now: now)
    }
    // A worker that died holding this job: its lease ran out 99 s ago.
    let orphan = try submit(seed, now: Date().addingTimeInterval(-200)).0
    let ghost = try #require(
      try store.claim(owner: "ghost", leaseSeconds: 1, now: Date().addingTimeInterval(-100)))
    #expect(ghost.jobID == orphan.id)
    let valid = try submit(seed, key: "metrics-test").0
    let replay = try submit(seed, key: "metrics-test")
    #expect(replay.0.id == valid.id && !replay.1)
    let invalid = try submit("scenario: {id: broken}\n").0
    let crashing = try submit(seed, maxAttempts: 2).0

    // The crashing job aborts in run-job (its test hook), twice: one retry, then failed.
    var configuration = WorkerConfiguration(childCommand: [
      "/usr/bin/env", "CAPPLAN_TEST_ABORT_JOBS=\(crashing.id)", CLI.binary.path, "run-job",
    ])
    configuration.once = true
    configuration.pollSeconds = 0.1
    configuration.backoff = Backoff(base: 0, cap: 0)
    let worker = Worker(store: store, configuration: configuration, metrics: metrics)
    await worker.run()

    #expect(try store.job(orphan.id).state == .succeeded)
    #expect(try store.job(valid.id).state == .succeeded)
    #expect(try store.job(invalid.id).state == .failed)
    #expect(try store.job(crashing.id).state == .failed)
    let status = try store.plan(try #require(try store.job(valid.id).planID)).status

    // A schedule due 60 s after it was added, ticked 90 s after: 30 s late.
    let added = Date()
    _ = try store.addSchedule(
      ScheduleDefinition(name: "late", scenarioPath: seedPath, intervalSeconds: 60), now: added)
    let scheduler = Scheduler(store: store, clock: { added.addingTimeInterval(90) }, metrics: metrics)
    #expect(scheduler.tick().count == 1)

    let text = MetricsExposition.render(store: store, registry: registry)
    let scrape = try PrometheusText(text)
    let n = QueueMetrics.Name.self
    #expect(scrape.value(n.submitted, ["backend": name, "outcome": "created"]) == 5, "\(text)")
    #expect(scrape.value(n.submitted, ["backend": name, "outcome": "replayed"]) == 1)
    // The ghost's claim, the orphan's rescue, the valid and invalid jobs, the crashing job twice.
    #expect(scrape.value(n.claimed, ["backend": name]) == 6)
    #expect(scrape.value(n.leasesExpired, ["backend": name]) == 1)
    #expect(scrape.value(n.completed, ["status": status.rawValue]) == 2)
    #expect(scrape.value(n.failures, ["reason": "invalid_input"]) == 1)
    #expect(scrape.value(n.failures, ["reason": "crashed"]) == 2)
    #expect(scrape.value(n.retries, ["reason": "crashed"]) == 1)
    #expect(scrape.value(n.retries, ["reason": "invalid_input"]) == 0)
    #expect(scrape.value(n.failures, ["reason": "time_limit"]) == 0, "known reasons show at zero")
    #expect(scrape.value(n.solveSeconds + "_count", ["outcome": "exited"]) == 2)
    #expect(scrape.value(n.solveSeconds + "_count", ["outcome": "failed"]) == 3)
    #expect(scrape.value(n.solveSeconds + "_bucket", ["outcome": "exited", "le": "3600.0"]) == 2)
    #expect(scrape.types[n.solveSeconds] == "histogram")
    #expect(scrape.value(n.scheduleFires, ["outcome": "job"]) == 1)
    #expect(scrape.value(n.scheduleLagSeconds + "_count") == 1)
    // PostgreSQL stores times as float seconds: the lag is 30 s to a microsecond.
    #expect(abs((scrape.value(n.scheduleLagSeconds + "_sum") ?? 0) - 30) < 0.001)
    #expect(scrape.value(n.scheduleLagSeconds + "_bucket", ["le": "10.0"]) == 0)
    #expect(scrape.value(n.scheduleLagSeconds + "_bucket", ["le": "60.0"]) == 1)

    // Jobs by state: the store's grouped count, every state present.
    let counts = try store.jobCountsByState()
    #expect(counts == [.queued: 1, .running: 0, .succeeded: 2, .failed: 2, .cancelled: 0])
    let listed = try store.jobs(JobFilter(limit: 100))
    for state in JobState.allCases {
      #expect(scrape.value("capplan_jobs", ["state": state.rawValue]) == Double(counts[state] ?? -1))
      #expect(counts[state] == listed.filter { $0.state == state }.count)
    }
    #expect(scrape.types["capplan_jobs"] == "gauge")
    #expect(scrape.value("capplan_store_up") == 1)
  }

  @Test func aStoreThatCannotAnswerIsReportedNotFatal() throws {
    let dir = try CLI.temporaryDirectory()
    // Opened without its schema: the count fails as on a store that lost its tables.
    let store = try SQLiteStore(path: dir.appendingPathComponent("empty.sqlite").path, migrate: false)
    let text = MetricsExposition.render(store: store, registry: PrometheusCollectorRegistry())
    let scrape = try PrometheusText(text)
    #expect(scrape.value("capplan_store_up") == 0, "\(text)")
    #expect(!text.contains("capplan_jobs{"))
  }

  @Test func theGrammarCheckRefusesWhatPrometheusWould() {
    for bad in [
      "capplan_x{state=\"a} 1\n", "capplan x 1\n", "capplan_x{1a=\"v\"} 1\n", "capplan_x one\n",
      "capplan_x{a=\"v\"} 1\ncapplan_x{a=\"v\"} 2\n", "# TYPE capplan_x countr\n",
    ] {
      #expect(throws: PrometheusText.Malformed.self, "\(bad)") { try PrometheusText(bad) }
    }
  }

  /// `capplan metrics`: the store's counts in a process of its own; counters at zero.
  @Test func theMetricsCommandPrintsTheStoresCounts() throws {
    let fixture = try QueueFixture()
    for _ in 0..<3 { _ = try fixture.submit() }
    let result = try CLI.run(["metrics", "--db", fixture.db])
    #expect(result.status == 0, "\(result.stderr)")
    let scrape = try PrometheusText(result.stdout)
    #expect(scrape.value("capplan_jobs", ["state": "queued"]) == 3)
    #expect(scrape.value("capplan_jobs", ["state": "succeeded"]) == 0)
    #expect(scrape.value(QueueMetrics.Name.submitted, ["backend": "sqlite", "outcome": "created"]) == 0)
    #expect(scrape.value("capplan_build_info", ["version": Capplan.version]) == 1)
  }
}

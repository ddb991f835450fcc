import Foundation
import JobQueue
import Testing

/// Runs SQL on a test store behind the store's back, as a hand edit or an
/// older version would: `sqlite3` for SQLite, `psql` for PostgreSQL.
func rawSQL(_ q: QueueFixture, _ sql: String) throws {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments =
    q.backend == .sqlite ? ["sqlite3", q.db, sql] : ["psql", "-q", "-v", "ON_ERROR_STOP=1", q.db, "-c", sql]
  let err = Pipe()
  p.standardError = err
  p.standardOutput = FileHandle.nullDevice
  try p.run()
  let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  p.waitUntilExit()
  #expect(p.terminationStatus == 0, "\(sql): \(message)")
}

/// Durations and counts far out of range: refused where they enter, with the
/// range in the message, and never a crash (before: "Overflow in multiplication").
@Suite(.serialized) struct HugeValueTests {
  static let refusals: [([String], String)] = [
    (
      ["submit", "SEED", "--time-limit", "1e21"],
      "--time-limit 1e+21 is out of range: give 0.001 to 31536000 seconds (365 days)"
    ),
    (
      ["submit", "SEED", "--max-attempts", "100000000"],
      "--max-attempts 100000000 is out of range: give 1 to 1000 tries"
    ),
    (["submit", "SEED", "--gap", "nan"], "--gap nan is out of range"),
    (
      ["submit", "SEED", "--priority", "2000000"],
      "--priority 2000000 is out of range: give -1000000 to 1000000 (higher runs first)"
    ),
    (["worker", "--time-limit", "1e21"], "--time-limit 1e+21 is out of range"),
    (["worker", "--lease", "1e21"], "--lease 1e+21 is out of range: give 1 to 86400 seconds (1 day)"),
    (["worker", "--poll", "1e21"], "--poll 1e+21 is out of range: give 0.01 to 3600 seconds (1 hour)"),
    (["worker", "--concurrency", "1000000"], "--concurrency 1000000 is out of range: give 1 to 256 slots"),
    (["worker", "--memory-limit", "99999999999"], "--memory-limit 99999999999 is out of range"),
    (["worker", "--retry-base", "1e300"], "--retry-base 1e+300 is out of range"),
    (["serve", "--tick", "1e21"], "--tick 1e+21 is out of range: give 0.01 to 3600 seconds (1 hour)"),
    (["serve", "--lease", "inf"], "--lease inf is out of range"),
    (
      ["schedule", "add", "x", "SEED", "--every", "99999999999999999999d"],
      "is out of range: give 1 to 315360000 seconds (3650 days)"
    ),
    (
      ["schedule", "add", "x", "SEED", "--every", "1h", "--time-limit", "1e40"],
      "--time-limit 1e+40 is out of range"
    ),
    (["solve", "SEED", "--time-limit", "1e21"], "--time-limit 1e+21 is out of range"),
    // Before, Int((to - from) / step) trapped on an infinite quotient.
    (
      ["sweep", "SEED", "--set", "sites.seed-site.power_mw=0:1e300:1e-300"],
      "--set sites.seed-site.power_mw=0:1e300:1e-300: more than 10000 values"
    ),
    (
      [
        "sweep", "SEED", "--set", "sites.seed-site.power_mw=0:999:1", "--set",
        "sites.seed-site.pue=1:1.999:0.001",
      ],
      "a sweep is limited to 10000"
    ),
    (
      ["sweep", "SEED", "--set", "sites.seed-site.power_mw=0:9:1", "--parallel", "100000000"],
      "--parallel 100000000 is out of range"
    ),
    (["generate", "--sites", "100000000000"], "--sites 100000000000 is out of range: give 1 to 10000 sites"),
    (["generate", "--sites", "2", "--periods", "99999999"], "--periods 99999999 is out of range"),
  ]

  @Test(arguments: refusals) func outOfRangeOptionsAreRefusedWithTheRange(
    _ arguments: [String], _ message: String
  )
    throws
  {
    let q = try QueueFixture()
    let args = arguments.map { $0 == "SEED" ? q.model("seed-bedrock-deal.yaml") : $0 } + ["--db", q.db]
    let withoutStore = ["solve", "sweep", "generate"].contains(args.first ?? "")
    let r = try CLI.run(withoutStore ? Array(args.dropLast(2)) : args)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
    #expect(try q.store.jobs(JobFilter()).isEmpty)
    #expect(try q.store.schedules().isEmpty)
  }

  /// A job row whose time limit is 1e21 s (written before these checks, or by
  /// hand) fails on its own; the worker lives on and solves the next job.
  @Test(arguments: Backend.available) func storedHugeTimeLimitFailsItsJobNotTheWorker(_ backend: Backend)
    throws
  {
    let q = try QueueFixture(backend)
    let bad = try q.submit()
    let fine = try q.submit()
    try rawSQL(q, "UPDATE jobs SET options = '{\"time_limit_seconds\":1e21}' WHERE id = \(bad)")
    let w = try q.worker(["--once"])
    #expect(w.wait(seconds: 60) == 0, "\(w.output)")
    let failed = try q.store.job(bad)
    #expect(failed.state == .failed)
    #expect(failed.attempt == 1)
    #expect(
      failed.lastError
        == "attempt 1: stored job options: time limit 1e+21 is out of range: give 0.001 to 31536000 seconds (365 days)"
    )
    #expect(try q.store.job(fine).state == .succeeded)
    #expect(!w.output.contains("Overflow"))
  }

  /// `schedule add` (CLI and API) refuses a pipe or folder as the scenario, without opening it.
  @Test func scheduleAddRefusesAPipeAsItsScenario() throws {
    let q = try QueueFixture(.sqlite)
    let fifo = q.dir.appendingPathComponent("pipe.yaml").path
    #expect(mkfifo(fifo, 0o600) == 0)
    for path in [fifo, q.dir.path] {
      let r = try CLI.run(["schedule", "add", "p", path, "--every", "1h", "--db", q.db])
      #expect(r.status == 2, "\(path): \(r.stderr)")
      #expect(r.stderr.contains("a schedule reads a plain scenario file at each fire"), "\(r.stderr)")
    }
    #expect(try q.store.schedules().isEmpty)
  }

  /// Job rows whose options cannot be read at all (not JSON, an unknown method, a gap that is
  /// text) fail on their own as invalid options; listings still work and the worker solves the
  /// next job (before, every claim and `jobs list` failed on the first such row).
  @Test(arguments: Backend.available) func unreadableStoredOptionsFailTheirJobNotTheQueue(_ backend: Backend)
    throws
  {
    let q = try QueueFixture(backend)
    let rows = [
      ("not json", "The given data was not valid JSON"),
      (#"{"method":"bogus"}"#, "method: Cannot initialize"),
      (#"{"relative_gap":"x"}"#, "relative_gap: Expected to decode Double"),
    ]
    var bad: [Int64] = []
    for (options, _) in rows {
      let id = try q.submit()
      try rawSQL(q, "UPDATE jobs SET options = '\(options)' WHERE id = \(id)")
      bad.append(id)
    }
    let fine = try q.submit()
    let listed = try CLI.run(["jobs", "list", "--db", q.db])
    #expect(listed.status == 0, "\(listed.stderr)")
    let shown = try CLI.run(["jobs", "show", "\(bad[1])", "--db", q.db])
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(
      shown.stdout.contains("stored options") && shown.stdout.contains("not readable ("), "\(shown.stdout)")
    let w = try q.worker(["--once"])
    #expect(w.wait(seconds: 60) == 0, "\(w.output)")
    for (id, (options, why)) in zip(bad, rows) {
      let failed = try q.store.job(id)
      #expect(failed.state == .failed && failed.attempt == 1, "\(options)")
      let error = failed.lastError ?? ""
      #expect(error.hasPrefix("attempt 1: stored job options: not readable ("), "\(error)")
      #expect(error.contains(why) && error.contains(options), "\(error)")
    }
    #expect(try q.store.job(fine).state == .succeeded)
  }

  /// A schedule row whose options cannot be read is listed, and fires with a note and no job,
  /// as an unreadable file does (before, reading it failed every schedule's listing and tick).
  @Test(arguments: Backend.available) func unreadableScheduleOptionsFireANoteNotAJob(_ backend: Backend)
    throws
  {
    let q = try QueueFixture(backend)
    let file = q.model("seed-bedrock-deal.yaml")
    #expect(try CLI.run(["schedule", "add", "odd", file, "--every", "1h", "--db", q.db]).status == 0)
    #expect(try CLI.run(["schedule", "add", "fine", file, "--every", "1h", "--db", q.db]).status == 0)
    try rawSQL(q, "UPDATE schedules SET options = '{\"method\":\"bogus\"}' WHERE name = 'odd'")
    #expect(try CLI.run(["schedule", "list", "--db", q.db]).status == 0)
    let odd = try CLI.run(["schedule", "run-now", "odd", "--db", q.db])
    #expect(odd.status == 0, "\(odd.stderr)")
    #expect(
      odd.stdout.contains("schedule odd: stored options not readable (method: Cannot initialize")
        && odd.stdout.hasSuffix("no job\n"), "\(odd.stdout)")
    #expect(try CLI.run(["schedule", "run-now", "fine", "--db", q.db]).stdout.contains("job 1 queued"))
  }

  /// A schedule row with an interval of 1e21 s and a next fire time in year
  /// 10^22: listed and shown with what is wrong; `serve` pauses it.
  @Test(arguments: Backend.available) func storedHugeScheduleIsListedShownAndPaused(_ backend: Backend) throws
  {
    let q = try QueueFixture(backend)
    let file = q.model("seed-bedrock-deal.yaml")
    #expect(try CLI.run(["schedule", "add", "huge", file, "--every", "1h", "--db", q.db]).status == 0)
    #expect(try CLI.run(["schedule", "add", "past", file, "--every", "1h", "--db", q.db]).status == 0)
    try rawSQL(q, "UPDATE schedules SET interval_seconds = 1e21, next_fire_at = 1e30 WHERE name = 'huge'")
    try rawSQL(q, "UPDATE schedules SET interval_seconds = 1e21, next_fire_at = -1e30 WHERE name = 'past'")
    let list = try CLI.run(["schedule", "list", "--db", q.db])
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.contains("invalid: interval 1e+21 is out of range"), "\(list.stdout)")
    let show = try CLI.run(["schedule", "show", "huge", "--db", q.db])
    #expect(show.status == 0, "\(show.stderr)")
    #expect(show.stdout.contains("(1e+30 s after 1970)"), "\(show.stdout)")
    #expect(try CLI.run(["schedule", "list", "--format", "json", "--db", q.db]).status == 0)
    // The due one ("past") is paused by the scheduler, not fired and not retried every tick.
    let s = try Background(
      ["serve", "--db", q.db, "--tick", "0.1", "--poll", "0.1"],
      log: q.dir.appendingPathComponent("serve.log"))
    #expect(try q.until(20) { try q.store.schedule(named: "past").paused }, "\(s.output)")
    s.signal(SIGTERM)
    #expect(s.wait(seconds: 20) == 0, "\(s.output)")
    #expect(s.output.contains("schedule past: interval 1e+21 is out of range"), "\(s.output)")
    #expect(try q.store.jobs(JobFilter()).isEmpty)
    #expect(try !q.store.schedule(named: "huge").paused)
  }
}

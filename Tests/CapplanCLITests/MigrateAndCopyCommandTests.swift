import Foundation
import JobQueue
import Testing

@Suite struct MigrateAndCopyCommandTests {
  /// A new database has every migration pending; migrate applies them once.
  @Test(arguments: Backend.available) func migrateAppliesOnceAndReportsStatus(_ backend: Backend) throws {
    let dir = try CLI.temporaryDirectory()
    let db = try backend.newLocation(in: dir)
    let status = try CLI.run(["migrate", "--status", "--db", db])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(
      status.stdout
        == "pending  v1: jobs and plans\npending  v2: schedules\npending  v3: studies\n"
        + "pending  v4: schedule overrides and case\npending  v5: job progress\npending  v6: api tokens\n")
    let first = try CLI.run(["migrate", "--db", db])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout.hasPrefix(
        "applied  v1: jobs and plans\napplied  v2: schedules\napplied  v3: studies\n"
          + "applied  v4: schedule overrides and case\napplied  v5: job progress\n"
          + "applied  v6: api tokens\n"))
    #expect(!first.stdout.contains("password"))
    let again = try CLI.run(["migrate", "--db", db])
    #expect(again.stdout.hasSuffix(": up to date (6 migrations)\n"), "\(again.stdout)")
    #expect(
      try CLI.run(["migrate", "--status", "--db", db]).stdout.components(separatedBy: "applied").count == 7)
  }

  /// A solved queue moves to an empty store (PostgreSQL where one is
  /// configured): the plan reads the same there, and new jobs continue the ids.
  @Test func copyMovesAQueueAndItsPlansAcross() throws {
    let q = try QueueFixture(.sqlite)
    let first = try q.submit()
    _ = try q.submit()
    let w = try q.worker(["--once"])
    #expect(w.wait(seconds: 60) == 0, "\(w.output)")
    let target: Backend = Backend.available.contains(.postgres) ? .postgres : .sqlite
    let to = try target.newLocation(in: try CLI.temporaryDirectory())

    let copy = try CLI.run(["copy", "--from", q.db, "--to", to])
    #expect(copy.status == 0, "\(copy.stderr)")
    #expect(copy.stdout.contains("copied 2 job(s), 2 plan(s), 0 schedule(s)"), "\(copy.stdout)")
    #expect(copy.stdout.contains("verified row by row"))
    let planID = try #require(try q.store.job(first).planID)
    let before = try CLI.run(["plans", "show", "\(planID)", "--db", q.db])
    let after = try CLI.run(["plans", "show", "\(planID)", "--db", to])
    #expect(after.status == 0 && after.stdout == before.stdout)
    let next = try CLI.run(["submit", q.model("seed-bedrock-deal.yaml"), "--db", to])
    #expect(next.stdout.hasPrefix("job 3 queued"), "\(next.stdout)")

    // Twice is refused: the destination is no longer empty, and nothing changes.
    let twice = try CLI.run(["copy", "--from", q.db, "--to", to])
    #expect(twice.status == 2)
    #expect(twice.stderr.contains("already holds 3 job(s), 2 plan(s)"), "\(twice.stderr)")
  }

  @Test func copyRefusesAMissingSourceAndBadURLsAreNamed() throws {
    let dir = try CLI.temporaryDirectory()
    let missing = dir.appendingPathComponent("nope.sqlite").path
    let r = try CLI.run(["copy", "--from", missing, "--to", dir.appendingPathComponent("b.sqlite").path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("nope.sqlite: no such file"))
    #expect(!FileManager.default.fileExists(atPath: missing), "no empty store was created in its place")

    let bad = try CLI.run(["jobs", "list", "--db", "postgres://u:secret@h/db?sslmode=sometimes"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("sslmode 'sometimes' is not one of"), "\(bad.stderr)")
    #expect(!bad.stderr.contains("secret"))
  }
}

import ArgumentParser
import Foundation
import JobQueue
import PostgresBackend

struct MigrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Bring a store's schema up to date, or show which migrations it has.",
    discussion: """
      Every command migrates the store it opens, so this is for deployments that want the schema \
      changed in one step of their own (before starting workers on several machines, say) and for \
      checking a database. Works on SQLite files and postgres:// URLs alike; processes that migrate \
      at once apply each migration once.
      """)

  @Flag(help: "Only list the migrations and whether each is applied.") var status = false
  @OptionGroup var store: StoreOptions

  func run() throws {
    try reportingFailures {
      let db = try store.open(migrate: false)
      if status {
        for m in try db.migrationStates() {
          print("\(m.applied ? "applied" : "pending")  \(m.name)")
        }
        return
      }
      let applied = try db.migrate()
      if applied.isEmpty {
        print("\(db.location): up to date (\(try db.migrationStates().count) migrations)")
      } else {
        for name in applied { print("applied  \(name)") }
        print("\(db.location): up to date")
      }
    }
  }
}

struct CopyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "copy",
    abstract: "Copy every job, plan and schedule from one store into an empty one.",
    discussion: """
      For moving from SQLite to PostgreSQL: capplan copy --from ~/.local/share/capplan/capplan.sqlite \
      --to postgres://capplan@db.example.com/capplan. Ids are kept, so plan and job numbers mean \
      the same afterwards; the destination must be empty. When every row is in, both stores are \
      read back and compared row by row, and any difference is an error. Stop the workers of the \
      source first: a job that was running is copied as running, and its lease then runs out \
      and it is queued again.
      """)

  @Option(
    help: ArgumentHelp("The store to read: a SQLite file or a postgres:// URL.", valueName: "path-or-url"))
  var from: String
  @Option(help: ArgumentHelp("The empty store to fill.", valueName: "path-or-url"))
  var to: String
  @Option(help: "Jobs per transaction.") var batch: Int = 200
  @Flag(help: "No progress lines on stderr.") var quiet = false

  func validate() throws {
    if batch < 1 { throw ValidationError("--batch must be at least 1") }
    if from == to { throw ValidationError("--from and --to name the same store") }
  }

  func run() throws {
    try reportingFailures {
      // Opening a SQLite path that is not there would create an empty store to copy.
      guard PostgresURL.isPostgres(from) || FileManager.default.fileExists(atPath: from) else {
        throw CommandFailure(message: "\(from): no such file", outcome: .invalidInput)
      }
      let source = try openStore(from)
      let destination = try openStore(to)
      let report = try StoreCopy.copy(from: source, to: destination, batchSize: batch) { line in
        if !quiet { printError(line) }
      }
      print("copied \(report.copied) from \(source.location) to \(destination.location); verified row by row")
      if report.runningJobs > 0 {
        print(
          "note: \(report.runningJobs) job(s) were running in the source; in the destination they are "
            + "queued again when their leases run out")
      }
    }
  }
}

import ArgumentParser
import Foundation
import JobQueue
import PostgresBackend
import SQLiteBackend

/// `--db`: the job and plan database.
struct StoreOptions: ParsableArguments {
  @Option(
    name: .customLong("db"),
    help: ArgumentHelp(
      "The store: a SQLite file, or a postgres:// URL (postgres://user:password@host:5432/capplan). "
        + "Default: $CAPPLAN_DB, else ~/.local/share/capplan/capplan.sqlite.",
      valueName: "path-or-url"))
  var path: String?

  var resolvedPath: String { path ?? SQLiteStore.defaultPath() }

  func open(migrate: Bool = true) throws(CommandFailure) -> any PlanDatabase {
    try openStore(resolvedPath, migrate: migrate)
  }

  /// For commands that only look at or change what is stored: a `--db` SQLite file that does not
  /// exist is a typo, not a new store to make (an empty list would hide the slip).
  func openExisting() throws(CommandFailure) -> any PlanDatabase {
    if let path, !PostgresURL.isPostgres(path), !FileManager.default.fileExists(atPath: path) {
      throw CommandFailure(
        message:
          "no store at \(path): check --db (a store is made by the first submit, schedule add or tokens create)",
        outcome: .invalidInput)
    }
    return try open()
  }
}

/// A SQLite file, or PostgreSQL when `location` is a postgres:// URL.
func openStore(_ location: String, migrate: Bool = true) throws(CommandFailure) -> any PlanDatabase {
  do {
    if PostgresURL.isPostgres(location) {
      return try PostgresStore(url: location, migrate: migrate)
    }
    return try SQLiteStore(path: location, migrate: migrate)
  } catch {
    throw CommandFailure(message: error.description, outcome: error.kind == .invalid ? .invalidInput : .error)
  }
}

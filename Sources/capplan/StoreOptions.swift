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

extension StoreError {
  var failure: CommandFailure {
    CommandFailure(
      message: description,
      outcome: kind == .notFound || kind == .invalid || kind == .conflict ? .invalidInput : .error)
  }
}

/// Runs `body`, printing a CommandFailure as `capplan: message` with its exit code.
func reportingFailures(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch {
    throw reported(error)
  }
}

func reportingFailuresAsync(_ body: () async throws -> Void) async throws {
  do {
    try await body()
  } catch {
    throw reported(error)
  }
}

/// Prints a failure the user should read and turns it into its exit code;
/// other errors pass through.
private func reported(_ error: any Error) -> any Error {
  switch error {
  case let failure as CommandFailure:
    printError(failure.message)
    return failure.outcome.exitCode
  case let error as StoreError:
    printError(error.description)
    return error.failure.outcome.exitCode
  default:
    return error
  }
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

func isoDate(_ d: Date?) -> String {
  guard let d else { return "-" }
  // Past year 9999 (a corrupt row) the formatter has no answer worth printing.
  guard abs(d.timeIntervalSince1970) < 253_402_300_800 else {
    return "(\(d.timeIntervalSince1970) s after 1970)"
  }
  let f = ISO8601DateFormatter()
  f.formatOptions = [.withInternetDateTime]
  return f.string(from: d)
}

/// The path of this executable, for starting child processes.
func currentExecutablePath() -> String {
  var buffer = [CChar](repeating: 0, count: 4096)
  let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
  if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
  return CommandLine.arguments[0]
}

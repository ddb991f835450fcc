import ArgumentParser
import Foundation
import PlanStore

/// `--db`: the job and plan database.
struct StoreOptions: ParsableArguments {
  @Option(
    name: .customLong("db"),
    help: ArgumentHelp(
      "The database file. Default: $CAPPLAN_DB, else ~/.local/share/capplan/capplan.sqlite.",
      valueName: "path"))
  var path: String?

  var resolvedPath: String { path ?? SQLiteStore.defaultPath() }

  func open() throws(CommandFailure) -> SQLiteStore {
    do {
      return try SQLiteStore(path: resolvedPath)
    } catch {
      throw CommandFailure(message: error.description, outcome: .error)
    }
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
  } catch let failure as CommandFailure {
    printError(failure.message)
    throw failure.outcome.exitCode
  } catch let error as StoreError {
    printError(error.description)
    throw error.failure.outcome.exitCode
  }
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

func isoDate(_ d: Date?) -> String {
  guard let d else { return "-" }
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

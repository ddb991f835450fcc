import ArgumentParser
import CapacityModel
import JobQueue

/// What the process's exit status tells a script.
enum Outcome: Int32 {
  case solved = 0
  case error = 1
  case invalidInput = 2
  case infeasible = 3
  case unbounded = 4
  case noSolution = 5

  var exitCode: ExitCode { ExitCode(rawValue) }
}

/// An error printed as `capplan: <message>` with the given outcome.
struct CommandFailure: Error, CustomStringConvertible {
  var message: String
  var outcome: Outcome
  var description: String { message }
}

func printError(_ message: String) {
  var stderr = StandardError()
  // Messages carry user text (paths, ids, stored errors): no escape sequence reaches the terminal.
  print("capplan: \(OutputEscaping.lines(message, markdown: false))", to: &stderr)
}

struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    FileHandleStderr.write(string)
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

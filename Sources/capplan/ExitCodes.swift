import ArgumentParser
import CapacityModel

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

import Foundation

/// One solve in a child process: payload on stdin, plan on stdout.
final class ChildProcess: Sendable {
  struct Outcome: Sendable {
    var status: Int32
    /// True when the child died of a signal (abort, crash, kill).
    var signaled: Bool
    var stdout: Data
    var stderr: Data
  }

  let process: Process

  init(command: [String], input: Data) throws {
    process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    // The child checks that this process is still its parent; it may start after we died.
    var environment = ProcessInfo.processInfo.environment
    environment["CAPPLAN_PARENT_PID"] = String(getpid())
    process.environment = environment
    let stdin = Pipe()
    process.standardInput = stdin
    stdoutPipe = Pipe()
    stderrPipe = Pipe()
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe
    try process.run()
    // Small payloads fit the pipe buffer; larger ones are written off the caller's thread.
    let writer = stdin.fileHandleForWriting
    DispatchQueue.global().async {
      try? writer.write(contentsOf: input)
      try? writer.close()
    }
  }

  let stdoutPipe: Pipe
  let stderrPipe: Pipe

  var pid: Int32 { process.processIdentifier }

  func kill() {
    if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
  }

  /// Waits for the child, reading both pipes so a large plan cannot block it.
  func wait() async -> Outcome {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async { [process, stdoutPipe, stderrPipe] in
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        nonisolated(unsafe) var err = Data()
        group.enter()
        DispatchQueue.global().async {
          out = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
          group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
          err = stderrPipe.fileHandleForReading.readDataToEndOfFile()
          group.leave()
        }
        group.wait()
        process.waitUntilExit()
        continuation.resume(
          returning: Outcome(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: out,
            stderr: err))
      }
    }
  }
}

extension Int32 {
  /// "SIGABRT" for 6, and so on.
  var signalName: String {
    switch self {
    case SIGABRT: return "SIGABRT (abort)"
    case SIGKILL: return "SIGKILL (killed: memory limit, timeout or an operator)"
    case SIGSEGV: return "SIGSEGV (crash)"
    case SIGBUS: return "SIGBUS (crash)"
    case SIGTERM: return "SIGTERM"
    default: return "signal \(self)"
    }
  }
}

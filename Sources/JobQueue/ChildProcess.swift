import Foundation
import Synchronization

/// One solve in a child process: payload on stdin, plan on stdout, progress lines and any
/// message on stderr (read as they come, see `ChildStderrReader`).
final class ChildProcess: Sendable {
  struct Outcome: Sendable {
    var status: Int32
    /// True when the child died of a signal (abort, crash, kill).
    var signaled: Bool
    var stdout: Data
    /// The end of what the child printed on stderr, without its progress lines.
    var stderr: Data
  }

  let process: Process
  let stderrReader = Mutex(ChildStderrReader())
  private let receivedProgress = Mutex<JobProgress?>(nil)
  private let clock: @Sendable () -> Date

  /// The child's latest progress report, stamped with when it arrived.
  var latestProgress: JobProgress? { receivedProgress.withLock { $0 } }

  init(command: [String], input: Data, clock: @escaping @Sendable () -> Date = Date.init) throws {
    self.clock = clock
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
      // Threads of their own, as in `Blocking`: Dispatch adds threads slowly when they block, and
      // a progress report read late is stored a heartbeat late.
      Thread { [process, stdoutPipe, stderrPipe, self] in
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        group.enter()
        Thread {
          out = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
          group.leave()
        }.start()
        group.enter()
        Thread {
          self.readStderr(stderrPipe.fileHandleForReading)
          group.leave()
        }.start()
        group.wait()
        process.waitUntilExit()
        continuation.resume(
          returning: Outcome(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: out,
            stderr: self.stderrReader.withLock { $0.kept }))
      }.start()
    }
  }
}

extension ChildProcess {
  /// Reads stderr as it comes until the child closes it, keeping the latest progress report.
  fileprivate func readStderr(_ handle: FileHandle) {
    while true {
      let chunk = handle.availableData
      if chunk.isEmpty { break }
      let report = stderrReader.withLock { reader -> ChildProgressReport? in
        let before = reader.reportsRead
        reader.consume(chunk)
        return reader.reportsRead == before ? nil : reader.latest
      }
      if let report { receivedProgress.withLock { $0 = report.progress(receivedAt: clock()) } }
    }
    stderrReader.withLock { $0.finish() }
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

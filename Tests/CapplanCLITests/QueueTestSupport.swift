import Foundation
import PlanStore
import Testing

/// A capplan process running in the background, its output going to files so
/// it never blocks on a full pipe.
final class Background {
  let process = Process()
  let log: URL

  init(_ arguments: [String], environment: [String: String] = [:], log: URL) throws {
    self.log = log
    process.executableURL = CLI.binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
  }

  var pid: Int32 { process.processIdentifier }
  var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

  func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

  /// Waits for exit, up to `seconds`; kills it if it overstays.
  @discardableResult
  func wait(seconds: Double) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
      signal(SIGKILL)
      process.waitUntilExit()
      return nil
    }
    return process.terminationStatus
  }

  /// Whether `pid` has exited: gone, or a zombie waiting for whoever adopted it to reap it.
  static func hasExited(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return true }
    return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
  }

  /// The process ids whose parent is this process (its solves).
  var children: [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return false }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      return fields.count > 1 && Int32(fields[1]) == process.processIdentifier
    }
  }

  deinit { if process.isRunning { signal(SIGKILL) } }
}

/// A fresh database folder for one test.
struct QueueFixture {
  let dir: URL
  var db: String { dir.appendingPathComponent("queue.sqlite").path }
  let store: SQLiteStore

  init() throws {
    dir = try CLI.temporaryDirectory()
    store = try SQLiteStore(path: dir.appendingPathComponent("queue.sqlite").path)
  }

  func model(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Models/\(name)").path }

  func submit(_ name: String = "seed-bedrock-deal.yaml", maxAttempts: Int = 3) throws -> Int64 {
    let path = model(name)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try store.submit(
      JobSubmission(scenarioID: name, source: path, scenarioText: text, maxAttempts: maxAttempts), now: Date()
    ).job.id
  }

  func worker(_ extra: [String] = [], environment: [String: String] = [:], name: String = "worker") throws
    -> Background
  {
    try Background(
      ["worker", "--db", db, "--poll", "0.1"] + extra, environment: environment,
      log: dir.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(4)).log"))
  }

  /// Polls until `condition` holds, up to `seconds`.
  func until(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try condition() { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
  }

  func plansOfJob(_ id: Int64) throws -> Int {
    var f = PlanFilter()
    f.limit = 100_000
    return try store.plans(f).filter { $0.jobID == id }.count
  }
}

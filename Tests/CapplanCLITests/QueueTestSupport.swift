import Foundation
import JobQueue
import PostgresBackend
import SQLiteBackend
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
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
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

/// The stores the queue suites run against. PostgreSQL runs when
/// CAPPLAN_TEST_POSTGRES_URL names a server (`scripts/with-postgres` starts
/// one; `make test` and CI use it); each test gets a database of its own.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case sqlite, postgres

  static let environment = ProcessInfo.processInfo.environment
  static let postgresAdminURL = environment["CAPPLAN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
  /// A script that restarts the test server (`scripts/with-postgres` writes it).
  static let postgresRestart = environment["CAPPLAN_TEST_POSTGRES_RESTART"].flatMap { $0.isEmpty ? nil : $0 }

  static var available: [Backend] { postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres] }
  static var postgresOnly: [Backend] { postgresAdminURL == nil ? [] : [.postgres] }

  var testDescription: String { rawValue }

  func newLocation(in dir: URL) throws -> String {
    switch self {
    case .sqlite:
      return dir.appendingPathComponent("queue.sqlite").path
    case .postgres:
      let admin = try #require(Self.postgresAdminURL)
      let name = "capplan_q_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
      return try PostgresAdmin.createDatabase(named: String(name.prefix(63)), using: admin)
    }
  }

  func open(_ location: String) throws -> any PlanDatabase {
    switch self {
    case .sqlite: return try SQLiteStore(path: location)
    case .postgres: return try PostgresStore(url: location)
    }
  }
}

/// A fresh database (a file in a fresh folder, or a PostgreSQL database) for one test.
struct QueueFixture {
  let dir: URL
  let backend: Backend
  /// What `--db` gets.
  let db: String
  let store: any PlanDatabase

  init(_ backend: Backend = .sqlite) throws {
    dir = try CLI.temporaryDirectory()
    self.backend = backend
    db = try backend.newLocation(in: dir)
    store = try backend.open(db)
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

  /// Submits `count` jobs, drains them with `workers` `worker --once`
  /// processes, and checks that each succeeded on its first attempt with
  /// exactly one plan, and that every worker took part.
  func drain(_ count: Int, workers: Int, seconds: Double) throws {
    let ids = try (0..<count).map { _ in try submit() }
    let processes = try (0..<workers).map { try worker(["--once"], name: "w\($0)") }
    for w in processes { #expect(w.wait(seconds: seconds) == 0, "\(w.output.suffix(500))") }
    let jobs = try store.jobs(JobFilter(limit: count * 2))
    #expect(jobs.count == count)
    #expect(jobs.allSatisfy { $0.state == .succeeded && $0.attempt == 1 })
    var f = PlanFilter()
    f.limit = count * 2
    let plans = try store.plans(f)
    #expect(plans.count == count)
    #expect(Set(plans.map(\.jobID)) == Set(ids))
    for w in processes { #expect(w.output.contains("plan "), "idle worker: \(w.output.suffix(300))") }
  }

  func plansOfJob(_ id: Int64) throws -> Int {
    var f = PlanFilter()
    f.limit = 100_000
    return try store.plans(f).filter { $0.jobID == id }.count
  }
}

// queue-bench: submit rate and claim-to-complete rate of the job queue, each
// against a baseline measured in the same run.
//   queue-bench CAPPLAN_BINARY [jobs] [--postgres ADMIN_URL]
// Submit: JobStore.submit (IMMEDIATE transaction, synchronous=FULL, idempotency
// check) against bare INSERTs of the same row with the same durability.
// Drain: N trivial jobs (the seed scenario) solved by 1, 4 and 8 `capplan
// worker --once` processes, each solve in its own child process, against the
// store alone claiming and completing the same number of jobs in-process.
// With --postgres (a role that may create databases), the same runs on
// PostgreSQL, each in a new database, beside SQLite's.

import CapacityModel
import Foundation
import GRDB
import JobQueue
import PostgresBackend
import SQLiteBackend

var args = Array(CommandLine.arguments.dropFirst())
let postgresAdmin: String? = args.firstIndex(of: "--postgres").flatMap { i in
  i + 1 < args.count ? args[i + 1] : nil
}
if let i = args.firstIndex(of: "--postgres") { args.removeSubrange(i...min(i + 1, args.count - 1)) }
guard !args.isEmpty else {
  print("usage: queue-bench CAPPLAN_BINARY [jobs] [--postgres ADMIN_URL]")
  exit(2)
}
let capplan = args[0]
let jobs = args.count > 1 ? Int(args[1]) ?? 400 : 400
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
let seedPath = root.appendingPathComponent("Models/seed-bedrock-deal.yaml").path
let seed = try String(contentsOfFile: seedPath, encoding: .utf8)
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
  "queue-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = ContinuousClock.now
  try body()
  let d = ContinuousClock.now - start
  return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

enum Backend: String { case sqlite = "SQLite", postgres = "PostgreSQL" }
var backends: [Backend] = [.sqlite]
if postgresAdmin != nil { backends.append(.postgres) }

/// A new, empty store and what `--db` takes to reach it.
func freshStore(_ name: String, _ backend: Backend = .sqlite, admin: String? = postgresAdmin) throws -> (
  store: any PlanDatabase, db: String
) {
  switch backend {
  case .sqlite:
    let path = scratch.appendingPathComponent("\(name).sqlite").path
    return (try SQLiteStore(path: path), path)
  case .postgres:
    let db =
      "capplan_bench_\(name.replacingOccurrences(of: "-", with: "_"))_\(getpid())_\(Int(Date().timeIntervalSince1970))"
    let url = try PostgresAdmin.createDatabase(named: db, using: admin ?? "")
    return (try PostgresStore(url: url), url)
  }
}

func submission(_ i: Int) -> JobSubmission {
  JobSubmission(
    scenarioID: "seed-bedrock-deal", source: seedPath, scenarioText: seed, idempotencyKey: "bench-\(i)")
}

// ---- submit ----
var submitTimes: [Backend: Double] = [:]
for backend in backends {
  let submitStore = try freshStore("submit", backend).store
  submitTimes[backend] = try seconds {
    for i in 0..<jobs { _ = try submitStore.submit(submission(i), now: Date()) }
  }
}
var config = Configuration()
config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
let raw = try DatabasePool(path: scratch.appendingPathComponent("raw.sqlite").path, configuration: config)
try raw.write { db in
  try db.execute(
    sql: "CREATE TABLE jobs (id INTEGER PRIMARY KEY, key TEXT UNIQUE, text TEXT, sha TEXT, created REAL)")
}
let rawTime = try seconds {
  for i in 0..<jobs {
    try raw.writeWithoutTransaction { db in
      try db.inTransaction(.immediate) {
        try db.execute(
          sql: "INSERT INTO jobs (key, text, sha, created) VALUES (?, ?, ?, ?)",
          arguments: ["bench-\(i)", seed, ScenarioHash.sha256(seed), Date().timeIntervalSince1970])
        return .commit
      }
    }
  }
}
print("submit: \(jobs) jobs")
print(String(format: "  bare SQLite INSERT   %8.0f jobs/s   baseline", Double(jobs) / rawTime))
for backend in backends {
  let t = submitTimes[backend] ?? 0
  print(
    String(
      format: "  %@ %8.0f jobs/s   (%.2fx the time of a bare INSERT)",
      backend.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0) as NSString,
      Double(jobs) / t, t / rawTime))
}

// ---- claim to complete ----
let scenario = try ScenarioValidator.validate(ScenarioLoader.parse(yaml: seed, file: seedPath))
let plan = try Planner.plan(scenario)
print("claim to complete: \(jobs) trivial jobs")
for backend in backends {
  let inProcess = try freshStore("inprocess", backend).store
  for i in 0..<jobs { _ = try inProcess.submit(submission(i), now: Date()) }
  let storeOnly = try seconds {
    while let lease = try inProcess.claim(owner: "bench", leaseSeconds: 30, now: Date()) {
      _ = try inProcess.complete(lease, plan: plan, now: Date())
    }
  }
  print(
    String(
      format: "  %@ store only, in-process              %8.1f jobs/s   baseline",
      (backend.rawValue + ",").padding(toLength: 12, withPad: " ", startingAt: 0) as NSString,
      Double(jobs) / storeOnly))
  for workers in [1, 4, 8] {
    let (store, db) = try freshStore("workers-\(workers)", backend)
    for i in 0..<jobs { _ = try store.submit(submission(i), now: Date()) }
    let elapsed = try seconds {
      let processes = try (0..<workers).map { _ -> Process in
        let p = Process()
        p.executableURL = URL(fileURLWithPath: capplan)
        p.arguments = ["worker", "--once", "--db", db, "--log-level", "error"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
      }
      for p in processes { p.waitUntilExit() }
    }
    var filter = PlanFilter()
    filter.limit = jobs * 2
    let done = try store.plans(filter).count
    print(
      String(
        format:
          "  %@ %d worker process%@ (child per solve) %8.1f jobs/s   (%d plans; %.1fx the store-only time)",
        (backend.rawValue + ",").padding(toLength: 12, withPad: " ", startingAt: 0) as NSString, workers,
        workers == 1 ? "  " : "es", Double(jobs) / elapsed, done,
        elapsed / storeOnly))
  }
}

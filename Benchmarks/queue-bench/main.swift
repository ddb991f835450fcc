// queue-bench: submit rate and claim-to-complete rate of the SQLite job queue,
// each against a baseline measured in the same run.
//   queue-bench CAPPLAN_BINARY [jobs]
// Submit: JobStore.submit (IMMEDIATE transaction, synchronous=FULL, idempotency
// check) against bare INSERTs of the same row with the same durability.
// Drain: N trivial jobs (the seed scenario) solved by 1, 2 and 4 `capplan
// worker --once` processes, each solve in its own child process, against the
// store alone claiming and completing the same number of jobs in-process.

import CapacityModel
import Foundation
import GRDB
import PlanStore

let args = CommandLine.arguments
guard args.count >= 2 else {
  print("usage: queue-bench CAPPLAN_BINARY [jobs]")
  exit(2)
}
let capplan = args[1]
let jobs = args.count > 2 ? Int(args[2]) ?? 400 : 400
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

func freshStore(_ name: String) throws -> SQLiteStore {
  try SQLiteStore(path: scratch.appendingPathComponent("\(name).sqlite").path)
}

func submission(_ i: Int) -> JobSubmission {
  JobSubmission(
    scenarioID: "seed-bedrock-deal", source: seedPath, scenarioText: seed, idempotencyKey: "bench-\(i)")
}

// ---- submit ----
let submitStore = try freshStore("submit")
let submitTime = try seconds {
  for i in 0..<jobs { _ = try submitStore.submit(submission(i), now: Date()) }
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
print(String(format: "  capplan store   %8.0f jobs/s", Double(jobs) / submitTime))
print(
  String(
    format: "  bare INSERT     %8.0f jobs/s   (ratio store/bare: %.2fx the time)", Double(jobs) / rawTime,
    submitTime / rawTime))

// ---- claim to complete, store only ----
let scenario = try ScenarioValidator.validate(ScenarioLoader.parse(yaml: seed, file: seedPath))
let plan = try Planner.plan(scenario)
let inProcess = try freshStore("inprocess")
for i in 0..<jobs { _ = try inProcess.submit(submission(i), now: Date()) }
let storeOnly = try seconds {
  while let lease = try inProcess.claim(owner: "bench", leaseSeconds: 30, now: Date()) {
    _ = try inProcess.complete(lease, plan: plan, now: Date())
  }
}
print("claim to complete: \(jobs) trivial jobs")
print(String(format: "  store only, in-process          %8.1f jobs/s", Double(jobs) / storeOnly))

// ---- claim to complete, worker processes ----
for workers in [1, 2, 4] {
  let store = try freshStore("workers-\(workers)")
  for i in 0..<jobs { _ = try store.submit(submission(i), now: Date()) }
  let elapsed = try seconds {
    let processes = try (0..<workers).map { _ -> Process in
      let p = Process()
      p.executableURL = URL(fileURLWithPath: capplan)
      p.arguments = ["worker", "--once", "--db", store.path, "--log-level", "error"]
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
      format: "  %d worker process%@ (child per solve) %8.1f jobs/s   (%d plans; %.1fx the store-only time)",
      workers,
      workers == 1 ? "  " : "es", Double(jobs) / elapsed, done, elapsed / storeOnly))
}

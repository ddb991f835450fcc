import Foundation
import JobQueue
import SQLiteBackend
import Testing

/// A failed try says what happened: before, a child killed under
/// --memory-limit was recorded as the tail of a backtrace, and a full disk
/// while storing the plan as "worker crashed or was killed" once the lease ran out.
@Suite(.serialized) struct FailureReasonTests {
  @Test func aSolveOverTheMemoryLimitSaysSo() throws {
    let q = try QueueFixture()
    let big = q.dir.appendingPathComponent("big.yaml").path
    let generated = try CLI.run(
      ["generate", "--sites", "300", "--periods", "16", "--hardware", "8", "--offerings", "16", "--out", big])
    #expect(generated.status == 0, "\(generated.stderr)")
    #expect(try CLI.run(["submit", big, "--max-attempts", "1", "--db", q.db]).status == 0)
    let w = try q.worker(["--once", "--memory-limit", "64"])
    #expect(w.wait(seconds: 120) == 0, "\(w.output)")
    let job = try #require(try q.store.jobs(JobFilter()).first)
    #expect(job.state == .failed)
    #expect(job.lastError == "attempt 1: the solve exceeded the 64 MB memory limit", "\(job.lastError ?? "")")
  }

  /// The store on a 4 MB tmpfs that fills up while the solve runs (root only;
  /// skipped where tmpfs cannot be mounted).
  @Test func aFullDiskWhileStoringThePlanSaysSo() throws {
    let dir = try CLI.temporaryDirectory()
    let fs = dir.appendingPathComponent("fs")
    try FileManager.default.createDirectory(at: fs, withIntermediateDirectories: true)
    guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", fs.path]) else { return }
    defer { _ = run("/bin/umount", ["-l", fs.path]) }
    let db = fs.appendingPathComponent("queue.sqlite").path
    let seed = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path
    #expect(try CLI.run(["submit", seed, "--db", db]).status == 0)
    let store = try SQLiteStore(path: db)
    let w = try Background(
      ["worker", "--db", db, "--poll", "0.1", "--retry-base", "60"],
      environment: ["CAPPLAN_TEST_SOLVE_DELAY": "3"], log: dir.appendingPathComponent("worker.log"))
    #expect(until(20) { (try? store.job(1).state) == .running }, "\(w.output)")
    // Fill the file system while the solve runs.
    let filler = fs.appendingPathComponent("filler").path
    _ = run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=64k"])
    #expect(until(30) { w.output.contains("cannot record the plan") }, "\(w.output)")
    try FileManager.default.removeItem(atPath: filler)
    #expect(until(30) { (try? store.job(1).state) == .queued }, "\(w.output)")
    let job = try store.job(1)
    #expect(
      job.lastError == "attempt 1: no space left on device while storing the plan", "\(job.lastError ?? "")")
    #expect(job.planID == nil)
    w.signal(SIGKILL)
    w.wait(seconds: 5)
  }

  func run(_ tool: String, _ arguments: [String]) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }

  func until(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition() { return true }
      Thread.sleep(forTimeInterval: 0.1)
    }
    return condition()
  }
}

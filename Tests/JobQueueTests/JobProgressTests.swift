import CapacityModel
import Foundation
import JobQueue
import Testing

/// A running solve's progress: carried by the heartbeat, kept by the stores, cleared when the
/// job goes back to the queue, and read from a child's stderr without trusting it.
@Suite struct JobProgressTests {
  static func progress(at seconds: Double, gap: Double? = 0.0123) -> JobProgress {
    JobProgress(
      reportedAt: t0 + seconds, elapsedSeconds: seconds - 0.5, objective: "ebit", bestPlan: 1234.5678,
      bound: 1249.75, gap: gap, nodes: 42)
  }

  @Test func heartbeatSetsProgressAndAnEmptyBeatKeepsIt() {
    let fence = LeaseFence(jobID: 7, attempt: 2, owner: "w")
    var running = JobStateMachineTests.job(.running)
    running.progress = Self.progress(at: 1)
    let report = Self.progress(at: 5)
    let beat = JobStateMachine.apply(
      .heartbeat(fence, leaseSeconds: 30, progress: report), to: running, now: t0)
    let change = try? beat.get()
    #expect(change?.after.progress == report)
    #expect(change?.fields == [.leaseExpiresAt, .progress], "one write: the lease and the progress")
    // No new report: the last one stays, and only the lease is written.
    let empty = try? JobStateMachine.apply(.heartbeat(fence, leaseSeconds: 30), to: running, now: t0).get()
    #expect(empty?.after.progress == Self.progress(at: 1))
    #expect(empty?.fields == [.leaseExpiresAt])
    // A fenced-off beat changes nothing.
    let other = LeaseFence(jobID: 7, attempt: 1, owner: "w")
    let refused = JobStateMachine.apply(
      .heartbeat(other, leaseSeconds: 30, progress: report), to: running, now: t0)
    #expect(refused == .failure(.fencedOff(other)))
  }

  /// Kept when the job closes (its last progress); cleared when it goes back to the queue or
  /// a new attempt starts.
  @Test func progressIsKeptWhenAJobClosesAndClearedWhenItIsQueuedAgain() throws {
    let fence = LeaseFence(jobID: 7, attempt: 2, owner: "w")
    var running = JobStateMachineTests.job(.running)
    running.progress = Self.progress(at: 1)
    func after(_ event: JobEvent, _ job: Job) throws -> Job {
      try JobStateMachine.apply(event, to: job, now: t0 + 100).get().after
    }
    #expect(try after(.complete(fence), running).progress == running.progress)
    #expect(try after(.markCancelled(fence), running).progress == running.progress)
    #expect(try after(.fail(fence, reason: "x", retryable: false, retryAfter: 0), running).progress != nil)
    let requeued = try after(.fail(fence, reason: "x", retryable: true, retryAfter: 0), running)
    #expect(requeued.state == .queued && requeued.progress == nil)
    #expect(try after(.release(fence), running).progress == nil)
    var expired = running
    expired.leaseExpiresAt = t0
    #expect(try after(.rescue, expired).progress == nil)
    var failed = JobStateMachineTests.job(.failed)
    failed.progress = running.progress
    #expect(try after(.retry, failed).progress == nil)
    var queued = JobStateMachineTests.job(.queued)
    queued.progress = running.progress  // a row written before this rule, or by hand
    #expect(try after(.claim(owner: "v", leaseSeconds: 30), queued).progress == nil)
  }

  @Test(arguments: Backend.available) func storesKeepTheProgressOfTheLeaseHolderOnly(_ backend: Backend)
    throws
  {
    let store = try backend.makeStore()
    let job = try store.submit(submission(maxAttempts: 3), now: t0).job
    let first = try #require(try store.claim(owner: "a", leaseSeconds: 10, now: t0))
    #expect(try store.job(job.id).progress == nil)
    let report = Self.progress(at: 3)
    #expect(
      try store.heartbeat(first, leaseSeconds: 10, progress: report, now: t0 + 3)
        == .held(cancelRequested: false))
    let stored = try #require(try store.job(job.id).progress)
    #expect(stored == report)
    #expect(
      stored.bestPlan == 1234.5678 && stored.bound == 1249.75 && stored.gap == 0.0123 && stored.nodes == 42)
    // A beat without a report renews the lease and keeps the progress.
    #expect(try store.heartbeat(first, leaseSeconds: 10, now: t0 + 5) == .held(cancelRequested: false))
    #expect(try store.job(job.id).progress == report)

    // The lease runs out; another worker takes the job: the new attempt starts without progress,
    // and the old worker's late beat is refused and stores nothing.
    let second = try #require(try store.claim(owner: "b", leaseSeconds: 10, now: t0 + 16))
    #expect(try store.job(job.id).progress == nil)
    #expect(
      try store.heartbeat(first, leaseSeconds: 10, progress: Self.progress(at: 17), now: t0 + 17) == .lost)
    #expect(try store.job(job.id).progress == nil)
    let latest = Self.progress(at: 18, gap: nil)
    #expect(
      try store.heartbeat(second, leaseSeconds: 10, progress: latest, now: t0 + 18)
        == .held(cancelRequested: false))
    #expect(try store.job(job.id).progress == latest)

    // Failed for good, it keeps its last progress; a retry clears it.
    #expect(try store.fail(second, reason: "bad", retryable: false, retryAfter: 0, now: t0 + 19) == .failed)
    #expect(try store.job(job.id).progress == latest)
    #expect(try store.retry(job.id, now: t0 + 20).progress == nil)
    #expect(try store.job(job.id).progress == nil)
  }

  @Test(arguments: Backend.available) func aFinishedJobKeepsItsLastProgress(_ backend: Backend) throws {
    let store = try backend.makeStore()
    let job = try store.submit(submission(), now: t0).job
    let lease = try #require(try store.claim(owner: "a", leaseSeconds: 10, now: t0))
    _ = try store.heartbeat(lease, leaseSeconds: 10, progress: Self.progress(at: 2), now: t0 + 2)
    #expect(try store.complete(lease, plan: emptyPlan(), now: t0 + 3) != nil)
    let done = try store.job(job.id)
    #expect(done.state == .succeeded && done.progress == Self.progress(at: 2))
  }

  // MARK: reading a child's stderr

  @Test func progressLinesAreTakenOutAndTheRestIsKept() {
    var reader = ChildStderrReader()
    let report = ChildProgressReport(
      elapsedSeconds: 2.5, objective: "ebit", bestPlan: 10.25, bound: 11, gap: 0.07, nodes: 3)
    let text = "warming up\n" + report.line + "scenario warning: x\n"
    // Delivered in awkward pieces: a line split across reads still reads whole.
    let bytes = Data(text.utf8)
    for start in stride(from: 0, to: bytes.count, by: 7) {
      reader.consume(bytes.subdata(in: start..<min(start + 7, bytes.count)))
    }
    reader.finish()
    #expect(reader.latest == report)
    #expect(reader.reportsRead == 1)
    #expect(String(decoding: reader.kept, as: UTF8.self) == "warming up\nscenario warning: x\n")
  }

  @Test func hostileLinesAreIgnoredAndBounded() {
    var reader = ChildStderrReader(keepBytes: 1000)
    let good = ChildProgressReport(elapsedSeconds: 1, bestPlan: 5)
    reader.consume(Data(good.line.utf8))
    let hostile = [
      ChildProgressReport.prefix + "{not json\n",
      ChildProgressReport.prefix + "{\"elapsed_seconds\": -1}\n",
      ChildProgressReport.prefix + "{\"elapsed_seconds\": \"soon\"}\n",
      ChildProgressReport.prefix + "[1, 2, 3]\n",
      ChildProgressReport.prefix + "\u{FF}\u{FE}\n",
    ]
    for line in hostile { reader.consume(Data(line.utf8)) }
    #expect(reader.latest == good && reader.reportsRead == 1, "nothing that does not parse replaces a report")

    // A progress line without end, then many megabytes of ordinary output: memory stays bounded
    // and the line is not read as progress.
    reader.consume(Data((ChildProgressReport.prefix + "{\"elapsed_seconds\": 9, \"x\": \"").utf8))
    let junk = Data(repeating: UInt8(ascii: "a"), count: 64 << 10)
    for _ in 0..<64 { reader.consume(junk) }
    reader.consume(Data("\"}\n".utf8))
    #expect(reader.latest == good)
    #expect(reader.kept.isEmpty, "lines of the progress channel are never kept, garbled or not")
    reader.consume(Data(repeating: UInt8(ascii: "z"), count: 1 << 20))
    reader.consume(Data("\nlast words\n".utf8))
    #expect(reader.kept.count == 1000 && reader.kept.suffix(11) == Data("last words\n".utf8))
    // Out-of-range numbers are dropped, the rest kept.
    reader.consume(
      Data(
        (ChildProgressReport.prefix
          + "{\"elapsed_seconds\": 3, \"gap\": -2, \"nodes\": -5, \"bound\": 1e300}\n").utf8))
    #expect(reader.latest == ChildProgressReport(elapsedSeconds: 3))
  }

  @Test func storedTextReadsBackAndAnUnreadableValueIsLeftOut() {
    let p = Self.progress(at: 4)
    #expect(JobProgress(storedText: p.storedText) == p)
    #expect(JobProgress(storedText: "{garbage") == nil)
    #expect(JobProgress(storedText: nil) == nil)
  }
}

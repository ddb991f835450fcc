import Foundation
import JobQueue
import Testing

/// A job is due from the instant it was queued, whichever way that instant rounds on its way
/// through the store (a worker with `--once` once stopped with a due job queued).
@Suite struct StoredTimeTests {
  /// Instants that read back from seconds-since-1970 a hair later than they were: the ones
  /// where the store's query and the state machine could disagree.
  static let roundingUp: [Date] = {
    var found: [Date] = []
    var t = 1_800_000_000.123_456_7
    while found.count < 3 {
      let date = Date(timeIntervalSinceReferenceDate: t)
      if date.asStored > date { found.append(date) }
      t += 0.000_001_3
    }
    return found
  }()

  @Test func theSearchFindsInstantsThatRoundUp() {
    #expect(Self.roundingUp.count == 3)
    for date in Self.roundingUp { #expect(date.asStored.asStored == date.asStored) }
  }

  @Test(arguments: Backend.available) func aJobQueuedAtAnInstantIsClaimableAtThatInstant(_ backend: Backend)
    throws
  {
    let store = try backend.makeStore()
    for now in Self.roundingUp {
      let job = try store.submit(submission(), now: now).job
      #expect(try store.claim(owner: "w", leaseSeconds: 30, now: now)?.jobID == job.id)
    }
  }

  @Test(arguments: Backend.available) func aRescuedJobIsClaimedInTheSameLook(_ backend: Backend) throws {
    let store = try backend.makeStore()
    for now in Self.roundingUp {
      let job = try store.submit(submission(), now: now.addingTimeInterval(-60)).job
      _ = try #require(try store.claim(owner: "ghost", leaseSeconds: 1, now: now.addingTimeInterval(-60)))
      // The ghost's lease ran out; the rescue queues the job again as due now.
      #expect(try store.claim(owner: "w", leaseSeconds: 30, now: now)?.jobID == job.id)
    }
  }
}

import CapacityModel
import Foundation
import JobQueue
import Synchronization
import Testing

/// A clock the test moves by hand.
final class TestClock: Sendable {
  let now: Mutex<Date>
  init(_ start: Date) { now = Mutex(start) }
  func advance(_ seconds: Double) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
  var read: @Sendable () -> Date { { self.now.withLock { $0 } } }
}

struct ScheduleFixture {
  let dir: URL
  let backend: Backend
  let location: String
  let store: any PlanDatabase
  let scenario: URL

  init(_ backend: Backend) throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("capplan-sched-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    self.backend = backend
    location = try backend.newLocation()
    store = try backend.open(location)
    scenario = dir.appendingPathComponent("seed.yaml")
    let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Models/seed-bedrock-deal.yaml")
    try FileManager.default.copyItem(at: seed, to: scenario)
  }

  func add(_ name: String, every: Double, skipUnchanged: Bool = false, now: Date) throws -> Schedule {
    try store.addSchedule(
      ScheduleDefinition(
        name: name, scenarioPath: scenario.path, intervalSeconds: every, skipUnchanged: skipUnchanged),
      now: now)
  }

  func jobs() throws -> [Job] { try store.jobs(JobFilter(limit: 1000)) }
}

@Suite struct SchedulerTests {
  @Test(arguments: Backend.available) func firesOncePerDueTimeAcrossTwoSchedulersOnOneDatabase(
    _ backend: Backend
  ) throws {
    let f = try ScheduleFixture(backend)
    let clock = TestClock(t0)
    _ = try f.add("hourly", every: 3600, now: t0)
    let other = try f.backend.open(f.location)
    let a = Scheduler(store: f.store, clock: clock.read)
    let b = Scheduler(store: other, clock: clock.read)
    #expect(a.tick().isEmpty && b.tick().isEmpty)  // not due yet
    for hour in 1...3 {
      clock.advance(3600)
      // Both see the schedule due; both try to fire it.
      let fires = DispatchQueue.concurrentPerformCollect(2) { i in i == 0 ? a.tick() : b.tick() }
      #expect(fires.flatMap { $0 }.count == 1, "hour \(hour)")
    }
    let jobs = try f.jobs()
    #expect(jobs.count == 3)
    #expect(Set(jobs.compactMap(\.idempotencyKey)).count == 3)
    #expect(jobs.allSatisfy { $0.scheduleID == 1 })
  }

  @Test(arguments: Backend.available) func catchUpAfterDowntimeFiresOnce(_ backend: Backend) throws {
    let f = try ScheduleFixture(backend)
    let clock = TestClock(t0)
    _ = try f.add("hourly", every: 3600, now: t0)
    let s = Scheduler(store: f.store, clock: clock.read)
    clock.advance(5 * 3600 + 600)  // five missed hours, then 10 minutes
    let fires = s.tick()
    #expect(fires.count == 1)
    #expect(fires.first?.due == t0.addingTimeInterval(3600))  // the oldest missed time
    #expect(try f.store.schedule(named: "hourly").nextFireAt == t0.addingTimeInterval(6 * 3600))
    #expect(s.tick().isEmpty)
    #expect(try f.jobs().count == 1)
  }

  @Test(arguments: Backend.available) func skipUnchangedMakesNoJobUntilTheFileChanges(_ backend: Backend)
    throws
  {
    let f = try ScheduleFixture(backend)
    let clock = TestClock(t0)
    _ = try f.add("s", every: 60, skipUnchanged: true, now: t0)
    let s = Scheduler(store: f.store, clock: clock.read)
    clock.advance(60)
    #expect(s.tick().first?.jobID != nil)
    clock.advance(60)
    #expect(s.tick().first?.note == "scenario unchanged since the last job; no job")
    #expect(try f.store.schedule(named: "s").lastNote == "scenario unchanged since the last job; no job")
    let text = try String(contentsOf: f.scenario, encoding: .utf8).replacingOccurrences(
      of: "trainium2: 26", with: "trainium2: 27")
    try text.write(to: f.scenario, atomically: true, encoding: .utf8)
    clock.advance(60)
    #expect(s.tick().first?.jobID != nil)
    #expect(try f.jobs().count == 2)
    #expect(try f.store.schedule(named: "s").lastNote == nil)
  }

  @Test(arguments: Backend.available) func invalidOrMissingFileMakesNoJobAndSaysWhy(_ backend: Backend) throws
  {
    let f = try ScheduleFixture(backend)
    let clock = TestClock(t0)
    _ = try f.add("s", every: 60, now: t0)
    let s = Scheduler(store: f.store, clock: clock.read)
    try "scenario: broken\n".write(to: f.scenario, atomically: true, encoding: .utf8)
    clock.advance(60)
    #expect(s.tick().first?.note?.hasPrefix("invalid scenario; no job") == true)
    try FileManager.default.removeItem(at: f.scenario)
    clock.advance(60)
    #expect(s.tick().first?.note?.hasPrefix("cannot read") == true)
    #expect(try f.jobs().isEmpty)
  }

  /// A scenario path that became a FIFO (or a device) is refused without opening it: opening a
  /// FIFO with no writer blocked the scheduler, and its server's shutdown, for good.
  @Test(arguments: Backend.available) func aFIFOInPlaceOfTheFileMakesNoJobAndDoesNotBlock(_ backend: Backend)
    throws
  {
    let f = try ScheduleFixture(backend)
    let clock = TestClock(t0)
    _ = try f.add("s", every: 60, now: t0)
    try FileManager.default.removeItem(at: f.scenario)
    #expect(mkfifo(f.scenario.path, 0o600) == 0)
    let s = Scheduler(store: f.store, clock: clock.read)
    clock.advance(60)
    let note = s.tick().first?.note ?? ""
    #expect(note.hasPrefix("cannot read \(f.scenario.path): this is not a regular file"), "\(note)")
    #expect(try f.jobs().isEmpty)
  }

  /// The schedule's file swapped for a symlink to a secrets file: the stored
  /// note describes it and quotes none of it (before, the note held the file).
  @Test(arguments: Backend.available) func aSwappedInSecretsFileIsNotQuotedInTheNote(_ backend: Backend)
    throws
  {
    let f = try ScheduleFixture(backend)
    let clock = TestClock(t0)
    _ = try f.add("s", every: 60, now: t0)
    let secrets = f.dir.appendingPathComponent(".env")
    try "DB_PASSWORD=hunter2-secret\nAPI_TOKEN=sk-live-0123456789\n".write(
      to: secrets, atomically: true, encoding: .utf8)
    try FileManager.default.removeItem(at: f.scenario)
    try FileManager.default.createSymbolicLink(at: f.scenario, withDestinationURL: secrets)
    clock.advance(60)
    let note = try #require(Scheduler(store: f.store, clock: clock.read).tick().first?.note)
    #expect(note.contains("this is not a scenario file: it holds a single text value"), "\(note)")
    #expect(!note.contains("hunter2") && !note.contains("sk-live"), "\(note)")
    #expect(try f.store.schedule(named: "s").lastNote == note)
  }

  @Test(arguments: Backend.available) func pausedSchedulesDoNotFireAndResumeWithoutCatchUp(_ backend: Backend)
    throws
  {
    let f = try ScheduleFixture(backend)
    let clock = TestClock(t0)
    _ = try f.add("s", every: 60, now: t0)
    let s = Scheduler(store: f.store, clock: clock.read)
    _ = try f.store.setPaused("s", true, now: clock.read())
    clock.advance(600)
    #expect(s.tick().isEmpty)
    let resumed = try f.store.setPaused("s", false, now: clock.read())
    #expect(resumed.nextFireAt > clock.read())
    #expect(s.tick().isEmpty)
    clock.advance(60)
    #expect(s.tick().count == 1)
  }

  /// A scheduled job takes its schedule's newest plan as its previous plan.
  @Test(arguments: Backend.available) func scheduledJobsChainTheirPreviousPlans(_ backend: Backend) throws {
    let f = try ScheduleFixture(backend)
    let clock = TestClock(t0)
    _ = try f.add("s", every: 60, now: t0)
    let s = Scheduler(store: f.store, clock: clock.read)
    var planIDs: [Int64] = []
    for _ in 0..<3 {
      clock.advance(60)
      s.tick()
      let lease = try #require(try f.store.claim(owner: "w", leaseSeconds: 30, now: clock.read()))
      #expect(lease.options.previousPlanID == planIDs.last)
      planIDs.append(try #require(try f.store.complete(lease, plan: emptyPlan(), now: clock.read())))
    }
    let summaries = try planIDs.map { try f.store.planSummary($0) }
    #expect(summaries.map(\.previousPlanID) == [nil, planIDs[0], planIDs[1]])
    #expect(summaries.allSatisfy { $0.scheduleID == 1 })
  }

  /// The plan a scheduled job starts from is the newest with a solution
  /// (`PlanStatus.hasSolution`, from which the stores' SQL list is made).
  @Test(arguments: Backend.available) func scheduledJobsStartOnlyFromPlansWithASolution(_ backend: Backend)
    throws
  {
    let f = try ScheduleFixture(backend)
    let clock = TestClock(t0)
    _ = try f.add("s", every: 60, now: t0)
    let s = Scheduler(store: f.store, clock: clock.read)
    var newestWithSolution: Int64?
    for status in PlanStatus.allCases {
      clock.advance(60)
      s.tick()
      let lease = try #require(try f.store.claim(owner: "w", leaseSeconds: 30, now: clock.read()))
      #expect(lease.options.previousPlanID == newestWithSolution, "before a plan \(status.rawValue)")
      var plan = emptyPlan()
      plan.status = status
      let id = try #require(try f.store.complete(lease, plan: plan, now: clock.read()))
      if status.hasSolution { newestWithSolution = id }
    }
    #expect(newestWithSolution != nil)
    #expect(
      PlanStatus.withSolutionSQLList
        == "'optimal', 'feasible_with_gap', 'infeasible_relaxed', 'time_limit_with_solution'")
  }

  @Test(arguments: Backend.available) func namesAndCadencesAreChecked(_ backend: Backend) throws {
    let f = try ScheduleFixture(backend)
    _ = try f.add("s", every: 60, now: t0)
    #expect(throws: StoreError.self) { try f.add("s", every: 60, now: t0) }
    #expect(throws: StoreError.self) {
      try f.store.addSchedule(
        ScheduleDefinition(name: "bad name", scenarioPath: "x", intervalSeconds: 60), now: t0)
    }
    let cron = try f.store.addSchedule(
      ScheduleDefinition(
        name: "weekly", scenarioPath: f.scenario.path, cron: "0 6 * * MON", timeZone: "America/New_York"),
      now: t0)
    #expect(cron.nextFireAt > t0)
    #expect(throws: StoreError(.notFound, "no schedule named 'nope'")) { try f.store.schedule(named: "nope") }
  }
}

/// A clock that jumped two days ahead and back: the schedules it moved are
/// pulled back to the cadence by the correct clock, not left stalled.
@Suite struct ClockJumpTests {
  @Test(arguments: Backend.available) func scheduleSetByAFastClockIsPulledBack(_ backend: Backend) throws {
    let f = try ScheduleFixture(backend)
    _ = try f.add("hourly", every: 3600, now: t0)
    // A scheduler whose clock runs two days fast fires and moves the next fire time 2 days out.
    let fast = TestClock(t0 + 2 * 86400 + 60)
    #expect(Scheduler(store: f.store, clock: fast.read).tick().count == 1)
    #expect(try f.store.schedule(named: "hourly").nextFireAt == t0 + 2 * 86400 + 3600)
    // Back on the correct clock, just after that fire: the next one is pulled back to
    // the cadence (t0 + 2 h) instead of two days out, keeping the last fire time.
    let correct = TestClock(t0 + 3600 + 1)
    #expect(Scheduler(store: f.store, clock: correct.read).tick().isEmpty)
    let schedule = try f.store.schedule(named: "hourly")
    #expect(schedule.nextFireAt == t0 + 2 * 3600)
    #expect(schedule.lastFiredAt == t0 + 2 * 86400 + 60)
    #expect(schedule.lastNote?.contains("set by a clock that ran ahead") == true)
    // And it fires on time: before, nothing fired for two days.
    correct.advance(3600)
    #expect(Scheduler(store: f.store, clock: correct.read).tick().count == 1)
    #expect(try f.store.schedule(named: "hourly").nextFireAt == t0 + 3 * 3600)
  }

  /// Two schedulers a few seconds apart are within one cadence: nothing is moved.
  @Test(arguments: Backend.available) func aSmallSkewMovesNothing(_ backend: Backend) throws {
    let f = try ScheduleFixture(backend)
    _ = try f.add("hourly", every: 3600, now: t0)
    #expect(Scheduler(store: f.store, clock: TestClock(t0 + 3600 + 2).read).tick().count == 1)
    #expect(Scheduler(store: f.store, clock: TestClock(t0 + 3600 - 1).read).tick().isEmpty)
    let schedule = try f.store.schedule(named: "hourly")
    #expect(schedule.nextFireAt == t0 + 2 * 3600)
    #expect(schedule.lastNote == nil)
  }
}

extension DispatchQueue {
  static func concurrentPerformCollect<T: Sendable>(_ n: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let out = Mutex<[Int: T]>([:])
    concurrentPerform(iterations: n) { i in
      let v = body(i)
      out.withLock { $0[i] = v }
    }
    return out.withLock { d in (0..<n).compactMap { d[$0] } }
  }
}

import CapacityModel
import Foundation
import Logging

/// Fires due schedules: reads each scenario file afresh, validates it and
/// enqueues a job. Each (schedule, due time) makes at most one job, however
/// many schedulers share the database: the job's idempotency key is
/// `schedule:<id>:<due time>`, and moving the next fire time is a
/// compare-and-set. After downtime a schedule fires once, for its oldest
/// missed time, and its next fire time moves past now.
public final class Scheduler: Sendable {
  public struct Fire: Sendable, Equatable {
    public var schedule: String
    public var due: Date
    public var jobID: Int64?
    /// Why no job was made, or nil.
    public var note: String?
  }

  let store: any ScheduleStore
  let clock: @Sendable () -> Date
  let logger: Logger

  public init(
    store: any ScheduleStore, clock: @escaping @Sendable () -> Date = Date.init,
    logger: Logger = Logger(label: "capplan.scheduler")
  ) {
    self.store = store
    self.clock = clock
    self.logger = logger
  }

  /// Fires every schedule due now.
  @discardableResult
  public func tick() -> [Fire] {
    let now = clock()
    let due: [Schedule]
    do {
      due = try store.dueSchedules(now: now)
    } catch {
      logger.error("cannot read schedules: \(error)")
      return []
    }
    return due.compactMap { schedule in
      do {
        let fire = try self.fire(schedule, due: schedule.nextFireAt, now: now)
        let next = try schedule.cadence().next(after: now) ?? now.addingTimeInterval(86400 * 365 * 10)
        guard
          try store.advance(schedule.id, from: schedule.nextFireAt, to: next, firedAt: now, note: fire.note)
        else {
          return nil  // another scheduler handled this due time
        }
        return fire
      } catch {
        logger.error("schedule \(schedule.name): \(error)")
        return nil
      }
    }
  }

  /// Fires `name` now, outside its cadence (its next fire time stays).
  public func fireNow(_ name: String) throws(StoreError) -> Fire {
    let schedule = try store.schedule(named: name)
    let now = clock()
    let fire = try self.fire(schedule, due: now, now: now)
    _ = try store.advance(
      schedule.id, from: schedule.nextFireAt, to: schedule.nextFireAt, firedAt: now, note: fire.note)
    return fire
  }

  func fire(_ schedule: Schedule, due: Date, now: Date) throws(StoreError) -> Fire {
    var fire = Fire(schedule: schedule.name, due: due, jobID: nil, note: nil)
    guard let text = try? String(contentsOfFile: schedule.scenarioPath, encoding: .utf8) else {
      fire.note = "cannot read \(schedule.scenarioPath); no job"
      logger.warning("schedule \(schedule.name): \(fire.note ?? "")")
      return fire
    }
    let document: ScenarioDocument
    do {
      document = try ScenarioLoader.parse(yaml: text, file: schedule.scenarioPath)
      _ = try ScenarioValidator.validate(document)
    } catch {
      fire.note =
        "invalid scenario; no job: "
        + error.description.split(separator: "\n").prefix(3).joined(separator: "; ")
      logger.warning("schedule \(schedule.name): \(fire.note ?? "")")
      return fire
    }
    let sha = ScenarioHash.sha256(text)
    if schedule.skipUnchanged, try store.lastScenarioSHA256(schedule: schedule.id) == sha {
      fire.note = "scenario unchanged since the last job; no job"
      logger.info("schedule \(schedule.name): \(fire.note ?? "")")
      return fire
    }
    let submission = JobSubmission(
      scenarioID: document.scenario.scenario, source: schedule.scenarioPath, scenarioText: text,
      options: schedule.options,
      idempotencyKey: "schedule:\(schedule.id):\(Int64(due.timeIntervalSince1970 * 1000))",
      scheduleID: schedule.id)
    let (job, created) = try store.submit(submission, now: now)
    fire.jobID = job.id
    if created { logger.info("schedule \(schedule.name) fired for \(due): job \(job.id)") }
    return fire
  }

  /// Ticks every `interval` until the task is cancelled.
  public func run(every interval: Duration = .seconds(1)) async {
    while !Task.isCancelled {
      _ = await Blocking.run { self.tick() }
      try? await Task.sleep(for: interval)
    }
  }
}

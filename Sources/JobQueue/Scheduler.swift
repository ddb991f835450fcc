import CapacityModel
import Foundation
import Logging
import ServiceLifecycle

/// Fires due schedules: reads each scenario file afresh, validates it and
/// enqueues a job. Each (schedule, due time) makes at most one job, however
/// many schedulers share the database: the job's idempotency key is
/// `schedule:<id>:<due time>`, and moving the next fire time is a
/// compare-and-set. After downtime a schedule fires once, for its oldest
/// missed time, and its next fire time moves past now.
public final class Scheduler: Service, Sendable {
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
  let metrics: QueueMetrics
  /// Time between ticks when run as a service.
  public let tickInterval: Duration

  public init(
    store: any ScheduleStore, tickInterval: Duration = .seconds(1),
    clock: @escaping @Sendable () -> Date = Date.init,
    logger: Logger = Logger(label: "capplan.scheduler"), metrics: QueueMetrics = .global
  ) {
    self.store = store
    self.metrics = metrics
    self.tickInterval = tickInterval
    self.clock = clock
    self.logger = logger
  }

  /// Fires every schedule due now.
  @discardableResult
  public func tick() -> [Fire] {
    let now = clock()
    pullBackFutureFireTimes(now: now)
    let due: [Schedule]
    do {
      due = try store.dueSchedules(now: now)
    } catch {
      logger.error("cannot read schedules: \(error)")
      return []
    }
    return due.compactMap { schedule in
      // A row no cadence can be read from (written by hand or by an older
      // version) is paused rather than failing again every tick.
      do {
        _ = try schedule.cadence()
      } catch {
        logger.error("schedule \(schedule.name): \(error); pausing it")
        _ = try? store.setPaused(schedule.name, true, now: now)
        return nil
      }
      do {
        let fire = try self.fire(schedule, due: schedule.nextFireAt, now: now)
        let next = try schedule.cadence().next(after: now) ?? now.addingTimeInterval(86400 * 365 * 10)
        guard
          try store.advance(schedule.id, from: schedule.nextFireAt, to: next, firedAt: now, note: fire.note)
        else {
          return nil  // another scheduler handled this due time
        }
        metrics.scheduleFired(lag: now.timeIntervalSince(fire.due), madeJob: fire.jobID != nil)
        return fire
      } catch {
        logger.error("schedule \(schedule.name): \(error)")
        return nil
      }
    }
  }

  /// A next fire time more than one cadence ahead of now (later than the
  /// cadence's second fire after now) was set by a clock that ran ahead: a
  /// scheduler whose clock was two days fast leaves every schedule two days
  /// out, and a correct clock would fire nothing until then. Such a time is
  /// moved back to the cadence's next fire after now, with a log line and a
  /// note; the compare-and-set leaves a concurrent scheduler's move alone.
  /// Schedulers a few seconds apart (within one cadence) never trigger it.
  func pullBackFutureFireTimes(now: Date) {
    let all: [Schedule]
    do {
      all = try store.schedules()
    } catch {
      logger.error("cannot read schedules: \(error)")
      return
    }
    for schedule in all where !schedule.paused && schedule.nextFireAt > now {
      guard let cadence = try? schedule.cadence(), let next = cadence.next(after: now),
        let secondNext = cadence.next(after: next), schedule.nextFireAt > secondNext
      else { continue }
      let note =
        "next fire moved back from \(schedule.nextFireAt) to \(next): it had been set by a clock that ran ahead"
      logger.warning("schedule \(schedule.name): \(note)")
      _ = try? store.advance(schedule.id, from: schedule.nextFireAt, to: next, firedAt: nil, note: note)
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
    // Noted and passed like an unreadable file: the store would refuse the job at every tick.
    if let unreadable = schedule.options.unreadable {
      fire.note = "stored options \(unreadable); no job"
      logger.warning("schedule \(schedule.name): \(fire.note ?? "")")
      return fire
    }
    var texts: [(text: String, file: String)] = []
    // The scenario file, then its override files: all re-read at each fire.
    for path in [schedule.scenarioPath] + schedule.overridePaths {
      do {
        try ScenarioFile.requireRegular(path)
        texts.append((try ScenarioFile.read(path), path))
      } catch {
        fire.note = "cannot read \(path): \(error.issues.first?.message ?? "unreadable"); no job"
        logger.warning("schedule \(schedule.name): \(fire.note ?? "")")
        return fire
      }
    }
    let composed: ComposedScenario
    do {
      composed = try ScenarioComposer.compose(
        baseText: texts[0].text, file: schedule.scenarioPath, overrides: Array(texts.dropFirst()),
        caseName: schedule.caseName)
      _ = try ScenarioValidator.validate(composed.document)
    } catch {
      fire.note =
        "invalid scenario; no job: "
        + error.description.split(separator: "\n").prefix(3).joined(separator: "; ")
      logger.warning("schedule \(schedule.name): \(fire.note ?? "")")
      return fire
    }
    let text = composed.text
    let sha = ScenarioHash.sha256(text)
    if schedule.skipUnchanged, try store.lastScenarioSHA256(schedule: schedule.id) == sha {
      fire.note = "scenario unchanged since the last job; no job"
      logger.info("schedule \(schedule.name): \(fire.note ?? "")")
      return fire
    }
    let submission = JobSubmission(
      scenarioID: composed.document.scenario.id, source: composed.source, scenarioText: text,
      options: schedule.options,
      idempotencyKey: "schedule:\(schedule.id):\(Self.milliseconds(due))",
      scheduleID: schedule.id)
    let (job, created) = try store.submit(submission, now: now)
    fire.jobID = job.id
    if created { logger.info("schedule \(schedule.name) fired for \(due): job \(job.id)") }
    return fire
  }

  /// Whole Unix milliseconds of `date`; a stored date too far out for Int64 keeps its
  /// Double text rather than trapping.
  static func milliseconds(_ date: Date) -> String {
    let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
    guard let whole = Int64(exactly: ms) else { return "\(ms)" }
    return String(whole)
  }

  /// Ticks every `tickInterval` until the task is cancelled or, in a
  /// `ServiceGroup`, the group shuts down gracefully (no fire after that).
  public func run() async {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        _ = await Blocking.run { self.tick() }
        try? await Task.sleep(for: self.tickInterval)
      }
    }
  }
}

import CapacityModel
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

public struct WorkerConfiguration: Sendable {
  /// Jobs solved at once, each in its own child process.
  public var concurrency = 1
  public var leaseSeconds = 30.0
  public var heartbeatSeconds = 10.0
  /// How often an idle slot looks for work when nothing wakes it; nil takes
  /// the store's `idlePollSeconds`.
  public var pollSeconds: Double?
  /// Applied to jobs that set none; the child is killed `timeGraceSeconds` after it.
  public var defaultTimeLimitSeconds: Double? = 3600
  public var timeGraceSeconds = 30.0
  /// How often a running job's row is read for a cancel.
  public var cancelPollSeconds = 0.5
  public var memoryLimitMB: Int? = 8192
  /// Exit when no job is runnable, instead of waiting for more.
  public var once = false
  /// The child command: the capplan executable and `run-job`.
  public var childCommand: [String]
  public var backoff = Backoff()
  public var owner: String

  public init(childCommand: [String]) {
    self.childCommand = childCommand
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, host.count)
    let hostname = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    owner = "\(hostname):\(getpid()):\(UUID().uuidString.prefix(8))"
  }
}

/// Claims jobs and solves each in a child process, so a crash, an abort or a
/// runaway solve costs one attempt of one job and never the worker. Leases are
/// renewed while a child runs; a lost lease or a cancel kills the child.
public final class Worker: Service, Sendable {
  public let store: any JobStore
  public let configuration: WorkerConfiguration
  let logger: Logger
  let clock: @Sendable () -> Date
  let metrics: QueueMetrics

  enum Mode { case running, draining, stopping }
  let state = Mutex<(mode: Mode, children: [Int64: ChildProcess], completed: Int)>((.running, [:], 0))

  public init(
    store: any JobStore, configuration: WorkerConfiguration, logger: Logger = Logger(label: "capplan.worker"),
    clock: @escaping @Sendable () -> Date = Date.init, metrics: QueueMetrics = .global
  ) {
    self.store = store
    self.configuration = configuration
    self.logger = logger
    self.clock = clock
    self.metrics = metrics
  }

  /// Jobs this worker finished (any outcome), for `--once` summaries and tests.
  public var jobsHandled: Int { state.withLock { $0.completed } }

  /// Stop claiming; jobs already running finish and are recorded.
  public func drain() {
    state.withLock { if $0.mode == .running { $0.mode = .draining } }
    store.workSignal.signal()
    logger.notice("draining: no new jobs; waiting for running ones")
  }

  /// Stop now: kill running children and give their jobs back to the queue.
  public func stop() {
    let children = state.withLock { s -> [ChildProcess] in
      s.mode = .stopping
      return Array(s.children.values)
    }
    store.workSignal.signal()
    logger.notice("stopping: releasing \(children.count) running job(s)")
    for child in children { child.kill() }
  }

  var mode: Mode { state.withLock { $0.mode } }

  /// Solves jobs until drained, stopped or (with `once`) out of work. As a
  /// `Service` in a `ServiceGroup`, the group's graceful shutdown drains and its
  /// cancellation stops; alone, `drain()` and `stop()` do.
  public func run() async {
    await withTaskCancellationHandler {
      await withGracefulShutdownHandler {
        await work()
      } onGracefulShutdown: {
        self.drain()
      }
    } onCancel: {
      self.stop()
    }
  }

  func work() async {
    logger.info("worker \(configuration.owner) started with \(configuration.concurrency) slot(s)")
    await withTaskGroup(of: Void.self) { group in
      for slot in 0..<configuration.concurrency {
        group.addTask { await self.slotLoop(slot) }
      }
    }
    logger.info("worker \(configuration.owner) stopped after \(jobsHandled) job(s)")
  }

  func slotLoop(_ slot: Int) async {
    let poll = configuration.pollSeconds ?? store.idlePollSeconds
    while mode == .running {
      // Read before looking, so work that arrives after the look still wakes the wait.
      let generation = store.workSignal.generation
      let lease: Lease?
      do {
        lease = try await Blocking.run {
          try self.store.claim(
            owner: self.configuration.owner, leaseSeconds: self.configuration.leaseSeconds, now: self.clock())
        }
      } catch {
        logger.error("claim failed: \(error)")
        lease = nil
      }
      guard let lease else {
        if configuration.once { return }
        await store.waitForWork(since: generation, timeout: poll)
        continue
      }
      await runJob(lease)
      state.withLock { $0.completed += 1 }
    }
  }

  /// What ended a child's run besides its own exit.
  final class Interruption: Sendable {
    enum Reason: Sendable { case cancelled, leaseLost, timedOut, stopping }
    let reason = Mutex<Reason?>(nil)
    func set(_ r: Reason) { reason.withLock { if $0 == nil { $0 = r } } }
    var value: Reason? { reason.withLock { $0 } }
  }

  func runJob(_ lease: Lease) async {
    let log = logger
    log.info("job \(lease.jobID) attempt \(lease.attempt): started")
    // A row written before these checks, or by hand, must cost its own job and not the worker.
    do {
      try lease.options.checkRanges()
    } catch {
      _ = await Blocking.run {
        self.record(
          lease, failure: "stored job options: \(error.message)", class: .invalidOptions, retryable: false)
      }
      return
    }
    let payload = JobPayload(
      lease: lease, defaultTimeLimit: configuration.defaultTimeLimitSeconds,
      defaultMemoryLimitMB: configuration.memoryLimitMB)
    let child: ChildProcess
    do {
      child = try ChildProcess(
        command: configuration.childCommand, input: try JSONEncoder().encode(payload), clock: clock)
    } catch {
      let reason = "cannot start the solver process: \(error)"
      _ = await Blocking.run { self.record(lease, failure: reason, class: .spawnFailed, retryable: true) }
      return
    }
    state.withLock { $0.children[lease.jobID] = child }
    let solveStart = ContinuousClock.now
    let interruption = Interruption()
    let watchdog = Task {
      let start = ContinuousClock.now
      var lastBeat = start
      var lastCancelLook = start
      let deadline = payload.timeLimitSeconds.map { $0 + configuration.timeGraceSeconds }
      // Ticks often for stop and deadline checks; renews the lease every heartbeatSeconds.
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(200))
        if Task.isCancelled { return }
        if self.mode == .stopping {
          interruption.set(.stopping)
          child.kill()
          return
        }
        if let deadline, ContinuousClock.now - start > .clampedSeconds(deadline) {
          interruption.set(.timedOut)
          child.kill()
          return
        }
        // A cancel reaches the solve within about a second, not at the next heartbeat:
        // the job row's flag is read every `cancelPollSeconds` (one indexed read).
        if ContinuousClock.now - lastCancelLook >= .clampedSeconds(configuration.cancelPollSeconds) {
          lastCancelLook = ContinuousClock.now
          let job = try? await Blocking.run { try self.store.job(lease.jobID) }
          if let job, job.cancelRequested, job.attempt == lease.attempt {
            interruption.set(.cancelled)
            child.kill()
            return
          }
        }
        guard ContinuousClock.now - lastBeat >= .clampedSeconds(configuration.heartbeatSeconds) else {
          continue
        }
        lastBeat = ContinuousClock.now
        // The solve's latest report rides on the lease renewal: one write per beat, fenced alike.
        let progress = child.latestProgress
        do {
          let beat = try await Blocking.run {
            try self.store.heartbeat(
              lease, leaseSeconds: self.configuration.leaseSeconds, progress: progress, now: self.clock())
          }
          switch beat {
          case .lost:
            interruption.set(.leaseLost)
            child.kill()
            return
          case .held(let cancelRequested):
            if cancelRequested {
              interruption.set(.cancelled)
              child.kill()
              return
            }
          }
        } catch {
          log.warning("job \(lease.jobID): heartbeat failed: \(error)")
        }
      }
    }
    let outcome = await child.wait()
    watchdog.cancel()
    state.withLock { _ = $0.children.removeValue(forKey: lease.jobID) }
    // stop() kills children itself; its kill must not count as the job's failure.
    if interruption.value == nil, mode == .stopping, outcome.signaled { interruption.set(.stopping) }
    var reason = interruption.value
    // A child that finished on its own just as a stop or deadline arrived has a plan worth keeping.
    if reason == .stopping || reason == .timedOut, !outcome.signaled, outcome.status == 0 { reason = nil }
    let (timeLimit, memoryLimit, interruptedBy) = (payload.timeLimitSeconds, payload.memoryLimitMB, reason)
    metrics.solved(
      seconds: (ContinuousClock.now - solveStart).inSeconds, outcome: Self.solveOutcome(reason, outcome))
    await Blocking.run {
      self.finish(
        lease, outcome: outcome, interruption: interruptedBy, timeLimit: timeLimit, memoryLimitMB: memoryLimit
      )
    }
  }

  static func solveOutcome(_ interruption: Interruption.Reason?, _ outcome: ChildProcess.Outcome)
    -> QueueMetrics.SolveOutcome
  {
    switch interruption {
    case .cancelled: .cancelled
    case .leaseLost: .leaseLost
    case .stopping: .released
    case .timedOut: .timeLimit
    case nil: outcome.signaled || outcome.status != 0 ? .failed : .exited
    }
  }

  func finish(
    _ lease: Lease, outcome: ChildProcess.Outcome, interruption: Interruption.Reason?, timeLimit: Double?,
    memoryLimitMB: Int? = nil
  ) {
    let stderrTail = String(decoding: outcome.stderr.suffix(600), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    switch interruption {
    case .cancelled:
      _ = try? store.markCancelled(lease, now: clock())
      logger.info("job \(lease.jobID): cancelled while running")
      return
    case .leaseLost:
      logger.warning(
        "job \(lease.jobID) attempt \(lease.attempt): lease lost to another worker; result discarded")
      return
    case .stopping:
      try? store.release(lease, now: clock())
      logger.notice("job \(lease.jobID): released for another worker")
      return
    case .timedOut:
      record(
        lease, failure: "the solve ran past its time limit of \(timeLimit ?? 0) s and was killed",
        class: .timeLimit, retryable: true)
      return
    case nil:
      break
    }
    if outcome.status != 0 || outcome.signaled, let mb = memoryLimitMB,
      FailureReasons.ranOutOfMemory(stderr: outcome.stderr)
    {
      record(
        lease, failure: "the solve exceeded the \(mb) MB memory limit", class: .memoryLimit, retryable: true)
      return
    }
    if outcome.signaled {
      record(
        lease,
        failure: "the solver process died of \(outcome.status.signalName)"
          + (stderrTail.isEmpty ? "" : ": \(stderrTail)"),
        class: .crashed, retryable: true)
      return
    }
    if outcome.status == JobPayload.invalidInputExit {
      record(
        lease, failure: stderrTail.isEmpty ? "invalid input" : stderrTail, class: .invalidInput,
        retryable: false)
      return
    }
    guard outcome.status == 0 else {
      record(
        lease, failure: "the solver process exited with status \(outcome.status): \(stderrTail)",
        class: .exitStatus, retryable: true)
      return
    }
    let plan: Plan
    do {
      plan = try Plan.decoder().decode(Plan.self, from: outcome.stdout)
    } catch {
      record(
        lease, failure: "the solver process printed no readable plan: \(error)", class: .unreadablePlan,
        retryable: true)
      return
    }
    do {
      if let id = try store.complete(lease, plan: plan, now: clock()) {
        metrics.completed(status: plan.status)
        logger.info("job \(lease.jobID) attempt \(lease.attempt): plan \(id) (\(plan.status.rawValue))")
      } else if (try? store.job(lease.jobID))?.state == .cancelled {
        logger.info("job \(lease.jobID): cancelled before its plan was stored; plan discarded")
      } else {
        logger.warning(
          "job \(lease.jobID) attempt \(lease.attempt): fenced off; another attempt owns the job")
      }
    } catch {
      // Recorded as what it is, not left for the lease to expire into "worker crashed or was killed".
      logger.error("job \(lease.jobID): cannot record the plan: \(error)")
      // The store refused a write; the failure may need a moment (space freed,
      // a server back) to be recorded at all. Tried for about 15 s.
      let reason = FailureReasons.storingPlan(error)
      for delay in [0.0, 1, 2, 4, 8] {
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        if record(lease, failure: reason, class: .storingPlan, retryable: true) { break }
      }
    }
  }

  /// Returns whether the store answered (fenced off counts as answered).
  @discardableResult
  func record(_ lease: Lease, failure reason: String, class failureClass: FailureClass, retryable: Bool)
    -> Bool
  {
    do {
      let failures = (try? store.job(lease.jobID).failures) ?? 0
      let delay = configuration.backoff.delay(afterFailures: failures + 1)
      let state = try store.fail(lease, reason: reason, retryable: retryable, retryAfter: delay, now: clock())
      // Counted once the store took it: a fenced-off try (nil) or a cancel is no failure of this worker's.
      if state == .queued || state == .failed { metrics.failed(failureClass, retried: state == .queued) }
      switch state {
      case .queued?:
        logger.warning(
          "job \(lease.jobID) attempt \(lease.attempt) failed, retry in \(Int(delay)) s: \(reason)")
      case .failed?: logger.error("job \(lease.jobID) failed: \(reason)")
      case .cancelled?: logger.info("job \(lease.jobID): cancelled (it had been asked to stop)")
      default: logger.warning("job \(lease.jobID): failure not recorded (fenced off): \(reason)")
      }
      return true
    } catch {
      logger.error("job \(lease.jobID): cannot record the failure: \(error)")
      return false
    }
  }
}

import ArgumentParser
import CapacityModel
import Foundation
import JobQueue
import LinearProgramming
import Synchronization

/// The child process a worker starts for one job: payload on stdin, plan JSON
/// on stdout. Kept apart from the worker so a crash, an abort or a memory
/// blow-up in the solver ends this process only.
struct RunJobCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run-job", abstract: "Solve one queued job (started by `capplan worker`).",
    shouldDisplay: false)

  func run() throws {
    // Stopping is the worker's call: it drains on SIGTERM and kills this process
    // with SIGKILL when it must. A terminal's Ctrl-C or systemd's stop reaching
    // the whole group must not end a solve the worker means to finish.
    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    Self.exitWhenOrphaned()
    let input = FileHandle.standardInput.readDataToEndOfFile()
    let payload: JobPayload
    do {
      payload = try JSONDecoder().decode(JobPayload.self, from: input)
    } catch {
      printError("run-job: unreadable payload: \(error)")
      throw ExitCode(JobPayload.invalidInputExit)
    }
    if let mb = payload.memoryLimitMB, mb > 0 {
      var limit = rlimit(rlim_cur: rlim_t(mb) << 20, rlim_max: rlim_t(mb) << 20)
      setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    }
    TestHooks.apply(jobID: payload.jobID)
    let scenario: ValidScenario
    var warnings: [String] = []
    do {
      let document = try ScenarioLoader.parse(yaml: payload.scenarioText, file: "job \(payload.jobID)")
      scenario = try ScenarioValidator.validate(document)
      warnings = PlanWarnings.scenario(document, scenario)
    } catch {
      printError(error.description)
      throw ExitCode(JobPayload.invalidInputExit)
    }
    do {
      try payload.settings.check(for: scenario)
    } catch {
      printError("job \(payload.jobID): \(error.message)")
      throw ExitCode(JobPayload.invalidInputExit)
    }
    var options = PlanOptions(settings: payload.settings)
    options.progress = ProgressReporter(objective: payload.settings.objective.rawValue).callback
    if let json = payload.previousPlanJSON {
      do {
        let previous = try Plan.decoder().decode(Plan.self, from: Data(json.utf8))
        options.stayClose(to: previous)
        warnings += PlanWarnings.previous(previous, for: scenario)
      } catch {
        printError("the previous plan is unreadable: \(error)")
        throw ExitCode(JobPayload.invalidInputExit)
      }
    }
    var plan = try Planner.plan(scenario, options: options)
    PlanWarnings.attach(warnings, to: &plan, print: false)
    FileHandle.standardOutput.write(try plan.jsonData())
  }

  /// A solve whose worker died has no one to report to; its job is rescued
  /// elsewhere when the lease expires. Checked every second (prctl's parent-death
  /// signal is not reachable from Swift: the call is variadic).
  static func exitWhenOrphaned() {
    // The worker names itself: it may have died before this process got here.
    let parent = ProcessInfo.processInfo.environment["CAPPLAN_PARENT_PID"].flatMap { Int32($0) } ?? getppid()
    if getppid() != parent { _exit(3) }
    let thread = Thread {
      while true {
        sleep(1)
        if getppid() != parent { _exit(3) }
      }
    }
    thread.start()
  }
}

/// Reports a solve's progress to the worker as `capplan-progress:` lines on stderr, at most
/// one a second: the worker keeps the latest and stores it with its next heartbeat.
final class ProgressReporter: Sendable {
  static let interval = 1.0
  let objective: String
  private let lastWritten = Mutex<Double>(-.infinity)

  init(objective: String) { self.objective = objective }

  var callback: @Sendable (MIPProgress) -> Bool {
    { [self] p in
      // Written under the lock: the heuristic's thread and GLPK's both report, and a line must
      // not interleave with another.
      lastWritten.withLock { last in
        guard p.elapsedSeconds - last >= Self.interval else { return }
        last = p.elapsedSeconds
        let report = ChildProgressReport(
          elapsedSeconds: p.elapsedSeconds, objective: objective, bestPlan: p.incumbent, bound: p.bestBound,
          gap: p.relativeGap, nodes: p.lpMethod == nil ? p.nodes : nil, method: p.lpMethod)
        FileHandle.standardError.write(Data(report.line.utf8))
      }
      return true
    }
  }
}

/// Failure injection for the reliability tests, read from the environment the
/// worker passes down. Inert unless those variables are set.
enum TestHooks {
  static func apply(jobID: Int64) {
    let env = ProcessInfo.processInfo.environment
    if let delay = env["CAPPLAN_TEST_SOLVE_DELAY"].flatMap(Double.init) {
      Thread.sleep(forTimeInterval: delay)
    }
    if let jobs = env["CAPPLAN_TEST_ABORT_JOBS"],
      jobs.split(separator: ",").contains(Substring(String(jobID)))
    {
      abort()
    }
  }
}

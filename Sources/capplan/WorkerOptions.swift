import ArgumentParser
import JobQueue

/// The worker pool's options, shared by `capplan worker` and `capplan serve`.
struct WorkerOptions: ParsableArguments {
  @Option(help: "Jobs solved at once.")
  var concurrency: Int = 1

  @Option(help: "Lease length in seconds; heartbeats renew it every third of it.")
  var lease: Double = 30

  @Option(name: .customLong("time-limit"), help: "Seconds a job may solve when it sets no limit.")
  var timeLimit: Double = 3600

  @Option(name: .customLong("memory-limit"), help: "Address-space limit of each solve, in MB.")
  var memoryLimit: Int = 8192

  @Option(
    help: """
      Seconds between looks for work when idle. Default: 0.5 on SQLite; 5 on PostgreSQL, where \
      NOTIFY wakes idle workers at once.
      """)
  var poll: Double?

  @Option(
    name: .customLong("retry-base"),
    help: "First retry delay in seconds after a failed try; doubles per failure, capped at 300.")
  var retryBase: Double = 2

  func validate() throws {
    try checkRange(concurrency, Limits.concurrency, "--concurrency")
    try checkRange(lease, Limits.lease, "--lease")
    try checkRange(timeLimit, Limits.timeLimit, "--time-limit")
    try checkRange(memoryLimit, Limits.memoryLimit, "--memory-limit")
    if let poll { try checkRange(poll, Limits.poll, "--poll") }
    try checkRange(retryBase, Limits.retryBase, "--retry-base")
  }

  /// Each solve runs as `capplan run-job` in a child process.
  func configuration(once: Bool = false) -> WorkerConfiguration {
    var config = WorkerConfiguration(childCommand: [currentExecutablePath(), "run-job"])
    config.concurrency = concurrency
    config.once = once
    config.leaseSeconds = lease
    config.heartbeatSeconds = lease / 3
    config.defaultTimeLimitSeconds = timeLimit
    config.memoryLimitMB = memoryLimit
    config.pollSeconds = poll
    config.backoff = Backoff(base: retryBase, cap: 300)
    return config
  }
}

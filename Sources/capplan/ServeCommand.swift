import ArgumentParser
import CapacityModel
import Foundation
import JobQueue
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the scheduler, a worker pool and (with --http) the HTTP API in one long-running process.",
    discussion: """
      Fires due schedules every --tick seconds and solves queued jobs with --concurrency \
      child processes. Several serve processes may share one database: each (schedule, due time) \
      makes one job. SIGTERM or SIGINT shuts down gracefully: no new requests or fires, running \
      solves finish; a second signal stops at once and gives running jobs back to the queue.

      --http HOST:PORT also serves the JSON API under /v1 (every route needs a token from \
      `capplan tokens create`), /healthz, /readyz and /openapi.yaml. Port 0 picks a free port; \
      the address is printed on stderr as 'listening on http://HOST:PORT'. An address other than \
      loopback is refused until at least one token exists. --no-worker --no-scheduler make a \
      front end that only serves HTTP.
      """)

  @Option(help: "Seconds between scheduler ticks.") var tick: Double = 1
  @Option(
    help: ArgumentHelp(
      "Serve the HTTP API on this address (off unless given).", valueName: "host:port"))
  var http: String?
  @Option(name: .customLong("max-body-mb"), help: "Largest request body the HTTP API accepts, in MB.")
  var maxBodyMB: Int = APIServer.defaultMaxBodyBytes / (1024 * 1024)
  @Option(
    name: .customLong("token-cache"),
    help: "Seconds an accepted API token is trusted before the store is asked again (0: every request).")
  var tokenCacheSeconds: Double = 2
  @Option(
    name: .customLong("idle-timeout"),
    help:
      "Seconds a connection may send nothing (between requests, or stalled inside one) before it is closed.")
  var idleTimeoutSeconds: Double = 30
  @Flag(name: .customLong("no-worker"), help: "Run no worker: solve nothing in this process.")
  var noWorker = false
  @Flag(name: .customLong("no-scheduler"), help: "Run no scheduler: fire no schedules in this process.")
  var noScheduler = false
  @OptionGroup var pool: WorkerOptions
  @OptionGroup var store: StoreOptions
  @OptionGroup var log: LogFormatOption
  @OptionGroup var global: GlobalOptions

  func validate() throws {
    try checkRange(tick, Limits.tick, "--tick")
    try checkRange(maxBodyMB, Limit("body limit", 1...4096, unit: "MB"), "--max-body-mb")
    try checkRange(tokenCacheSeconds, Limit("token cache", 0...60, unit: "s"), "--token-cache")
    try checkRange(idleTimeoutSeconds, Limit("idle timeout", 0.1...3600, unit: "seconds"), "--idle-timeout")
    if noWorker && noScheduler && http == nil {
      throw ValidationError("--no-worker and --no-scheduler without --http leave nothing to run")
    }
  }

  func run() async throws {
    signal(SIGPIPE, SIG_IGN)
    EarlyStopSignals.install()
    LoggingBootstrap.once(global.logLevel == .warning ? .info : global.logLevel, format: log.format)
    let logger = Logger(label: "capplan.serve")
    try await reportingFailuresAsync {
      let address = try http.map { text throws(CommandFailure) in try HTTPAddress(parsing: text) }
      let db = try store.open()
      MetricsExposition.start(for: db)
      var services: [any Service] = []
      if !noWorker { services.append(Worker(store: db, configuration: pool.configuration())) }
      if !noScheduler { services.append(Scheduler(store: db, tickInterval: .clampedSeconds(tick))) }
      var threads: StoreThreads?
      if let address {
        try Self.checkExposure(address, db)
        let consoleSecret = try ConsoleRoutes.prepare()
        logger.info("web console at /console; session secret: \(consoleSecret)")
        let storeThreads = StoreThreads()
        threads = storeThreads
        var server = APIServer(
          store: db, threads: storeThreads, maxBodyBytes: maxBodyMB * 1024 * 1024,
          tokenCacheLifetime: .milliseconds(Int64((tokenCacheSeconds * 1000).rounded())),
          idleTimeout: .milliseconds(Int64((idleTimeoutSeconds * 1000).rounded())))
        server.metricsWithoutToken = address.isLoopback
        // Last in the list, so first to stop: no new submissions while the worker drains.
        services.append(
          server.makeApplication(host: address.host, port: address.port, logger: logger) { url in
            FileHandleStderr.write("listening on \(url)\n")
          })
      }
      let parts = [
        noWorker ? "no worker" : "\(pool.concurrency) worker slot(s)",
        noScheduler ? "no scheduler" : "scheduler",
        address.map { "HTTP on \($0.host):\($0.port)" } ?? "no HTTP",
      ]
      logger.info("serving \(db.location): \(parts.joined(separator: ", "))")
      do {
        try await ServiceRunner.run(services, logger: logger)
      } catch {
        await threads?.shutdown()
        throw error
      }
      await threads?.shutdown()
      logger.info("stopped")
    }
  }

  /// A server others can reach must not be open to all: it needs a token to exist first.
  static func checkExposure(_ address: HTTPAddress, _ db: any PlanDatabase) throws(CommandFailure) {
    guard !address.isLoopback else { return }
    let active: Int
    do {
      active = try db.tokens().filter { !$0.isRevoked }.count
    } catch {
      throw error.failure
    }
    guard active > 0 else {
      throw CommandFailure(
        message:
          "refusing to serve HTTP on \(address.host):\(address.port), which other machines can reach, "
          + "while no API token exists; create one first (capplan tokens create --name NAME --role admin) "
          + "or listen on 127.0.0.1",
        outcome: .invalidInput)
    }
  }
}

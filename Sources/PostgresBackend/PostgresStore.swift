import Foundation
import JobQueue
import Logging
import PostgresNIO

/// The store for many workers on many machines: the same protocol, rules
/// and guarantees as `SQLiteStore`, over PostgreSQL.
///
/// Claims take the most urgent queued job with `FOR UPDATE SKIP LOCKED`, so
/// workers never wait on each other's rows; leases, heartbeats, rescue of
/// expired leases and fencing by attempt follow SQLite's rules. Submits
/// `NOTIFY capplan_jobs`, which wakes idle workers through `workSignal`.
/// A server restart is ridden out: transactions are retried on a new
/// connection for up to `retryWindow` seconds.
public final class PostgresStore: PlanDatabase {
  public var backendName: String { "postgres" }
  public let url: PostgresURL
  let connections: PostgresConnections
  let notifier: PostgresNotifier
  public let workSignal = WorkSignal()
  /// Where submits, claims and expired leases are counted.
  public let metrics: QueueMetrics
  let logger: Logger

  public var location: String { url.redacted }
  /// NOTIFY wakes idle workers; the poll only catches retries whose delay ran out.
  public var idlePollSeconds: Double { 5 }

  static let channel = "capplan_jobs"

  public init(
    url text: String, retryWindow: Double = 60, migrate: Bool = true,
    logger: Logger = Logger(label: "capplan.postgres"), metrics: QueueMetrics = .global
  ) throws(StoreError) {
    url = try PostgresURL(text)
    self.metrics = metrics
    self.logger = logger
    connections = try PostgresConnections(url: url, retryWindow: retryWindow, logger: logger)
    notifier = PostgresNotifier(
      connections: connections, channel: Self.channel, signal: workSignal, logger: logger)
    if migrate { _ = try self.migrate() }
  }

  deinit {
    notifier.stop()
    connections.closeAll()
  }

  func transaction<T>(_ what: String, _ body: (Transaction) throws -> T) throws(StoreError) -> T {
    try connections.transaction(what, body)
  }

  func read<T>(_ what: String, _ body: (Transaction) throws -> T) throws(StoreError) -> T {
    try connections.transaction(what, readOnly: true, body)
  }

  /// Tells idle workers everywhere to look for work, when the transaction commits.
  static func notifyWorkers(_ tx: Transaction) throws {
    try tx.execute("SELECT pg_notify($1, '')", [.text(channel)])
  }

  /// Fault injection, for tests: each of the next `count` write transactions
  /// commits, but its answer is treated as lost, as when the server goes away
  /// right after a COMMIT; the call then runs its transaction again.
  public func loseAnswersToNextCommits(_ count: Int) {
    connections.commitAnswersToLose.store(count, ordering: .relaxed)
  }

  public func migrate() throws(StoreError) -> [String] {
    try PostgresMigrations.apply(connections)
  }

  public func migrationStates() throws(StoreError) -> [MigrationState] {
    try PostgresMigrations.states(connections)
  }
}

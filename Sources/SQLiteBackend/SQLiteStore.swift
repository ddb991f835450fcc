import Foundation
import GRDB
import JobQueue

/// The default store: one SQLite file in WAL mode, opened through GRDB.
///
/// Every write is a `BEGIN IMMEDIATE` transaction, so a writer takes the
/// write lock up front (and waits for it, up to `busyTimeout`, when another
/// process holds it) instead of failing half-way on an upgrade. Commits are
/// `synchronous=FULL`: an acknowledged submit survives a crash of the process
/// and of the machine.
public final class SQLiteStore: PlanDatabase {
  public var backendName: String { "sqlite" }
  public let path: String
  let pool: DatabasePool
  public let workSignal = WorkSignal()
  /// Where submits, claims and expired leases are counted.
  public let metrics: QueueMetrics
  public var location: String { path }
  /// Nothing outside this process signals a SQLite store, so idle workers look often.
  public var idlePollSeconds: Double { 0.5 }

  /// The database named by `CAPPLAN_DB`, else `$XDG_DATA_HOME/capplan/capplan.sqlite`
  /// (by default `~/.local/share/capplan/capplan.sqlite`).
  public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    if let db = environment["CAPPLAN_DB"], !db.isEmpty { return db }
    let data =
      environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
    return data + "/capplan/capplan.sqlite"
  }

  /// Opens (creating if need be) the database; `migrate` false leaves its
  /// schema as found, for `capplan migrate` to report what it applies.
  public init(path: String, busyTimeout: Double = 60, migrate: Bool = true, metrics: QueueMetrics = .global)
    throws(StoreError)
  {
    self.path = path
    self.metrics = metrics
    do {
      try Self.createPrivately(path)
      var config = Configuration()
      config.busyMode = .timeout(busyTimeout)
      config.prepareDatabase { db in
        try db.execute(sql: "PRAGMA synchronous = FULL")
      }
      pool = try DatabasePool(path: path, configuration: config)
      if migrate { try Self.applyMigrations(pool) }
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(.database, "cannot open the database \(path): \(error)")
    }
  }

  static func applyMigrations(_ pool: DatabasePool) throws {
    do {
      try migrator.migrate(pool)
    } catch {
      // Two processes opening a new database can both try the first migration;
      // the loser's second pass sees it applied.
      try migrator.migrate(pool)
    }
  }

  /// Creates the folder (0700) and the file (0600) before SQLite does, so the
  /// database, and its -wal and -shm files which SQLite gives the same mode,
  /// are readable by their owner only.
  static func createPrivately(_ path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    if !FileManager.default.fileExists(atPath: folder) {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
    if fd >= 0 {
      close(fd)
    } else if errno != EEXIST {
      throw StoreError(.database, "cannot create \(path): \(String(cString: strerror(errno)))")
    }
    // SQLite would open a device or FIFO and leave its journal beside it (/dev/null-journal).
    var info = stat()
    if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
      let kind = (info.st_mode & S_IFMT) == S_IFDIR ? "a folder" : "not a regular file"
      throw StoreError(
        .invalid, "\(path) is \(kind); give the path of a database file (it is made if missing)")
    }
  }

  /// Runs `body` in an IMMEDIATE transaction.
  func writeImmediate<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
          return .commit
        }
        guard let result else { throw StoreError(.database, "transaction produced no result") }
        return result
      }
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(.database, "database error in \(path): \(error)")
    }
  }

  func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.read(body)
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(.database, "database error in \(path): \(error)")
    }
  }

  static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("v1: jobs and plans") { db in
      try db.execute(
        sql: """
          CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
            scenario_id TEXT NOT NULL,
            source TEXT NOT NULL,
            scenario_text TEXT NOT NULL,
            scenario_sha256 TEXT NOT NULL,
            options TEXT NOT NULL,
            priority INTEGER NOT NULL DEFAULT 0,
            idempotency_key TEXT UNIQUE,
            attempt INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            run_after REAL NOT NULL,
            lease_owner TEXT,
            lease_expires_at REAL,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            plan_id INTEGER,
            schedule_id INTEGER,
            created_at REAL NOT NULL,
            started_at REAL,
            finished_at REAL
          );
          CREATE INDEX jobs_by_queue ON jobs (state, priority DESC, id);
          CREATE TABLE plans (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id INTEGER NOT NULL UNIQUE REFERENCES jobs (id),
            attempt INTEGER NOT NULL,
            scenario_id TEXT NOT NULL,
            scenario_sha256 TEXT NOT NULL,
            status TEXT NOT NULL,
            objective REAL,
            ebit REAL,
            revenue REAL,
            ebit_margin REAL,
            solve_seconds REAL NOT NULL,
            solver TEXT NOT NULL,
            previous_plan_id INTEGER REFERENCES plans (id),
            schedule_id INTEGER,
            plan_json TEXT NOT NULL,
            created_at REAL NOT NULL
          );
          CREATE INDEX plans_by_scenario ON plans (scenario_id, id);
          CREATE INDEX plans_by_schedule ON plans (schedule_id, id);
          CREATE TABLE plan_allocations (
            plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            offering TEXT NOT NULL, hardware TEXT NOT NULL, site TEXT NOT NULL, period TEXT NOT NULL,
            mw REAL NOT NULL
          );
          CREATE INDEX plan_allocations_by_plan ON plan_allocations (plan_id);
          CREATE TABLE plan_periods (
            plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            period TEXT NOT NULL, years REAL NOT NULL, revenue REAL NOT NULL, opex REAL NOT NULL,
            depreciation REAL NOT NULL, fixed REAL NOT NULL, ebit REAL NOT NULL, ebit_margin REAL
          );
          CREATE INDEX plan_periods_by_plan ON plan_periods (plan_id);
          CREATE TABLE plan_marginals (
            plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            kind TEXT NOT NULL, subject TEXT NOT NULL, period TEXT NOT NULL, value REAL, binding INTEGER
          );
          CREATE INDEX plan_marginals_by_plan ON plan_marginals (plan_id);
          """)
    }
    registerScheduleMigration(&m)
    registerStudyMigration(&m)
    registerScheduleSourceMigration(&m)
    // The latest progress of a running solve (JSON text), written with each heartbeat.
    m.registerMigration(JobProgress.migrationName) { db in
      try db.execute(sql: "ALTER TABLE jobs ADD COLUMN progress TEXT")
    }
    registerTokenMigration(&m)
    return m
  }
}

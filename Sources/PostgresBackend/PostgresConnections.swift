import Foundation
import JobQueue
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// A value bound to a `$n` parameter.
enum SQLValue: Sendable {
  case int(Int64?)
  case double(Double?)
  case text(String?)
  case bool(Bool?)
  case ints([Int64])
  case doubles([Double])
  case texts([String])
  case bools([Bool])

  static func int(_ v: Int) -> SQLValue { .int(Int64(v)) }

  func append(to bindings: inout PostgresBindings) {
    switch self {
    case .int(let v): bindings.append(v)
    case .double(let v): bindings.append(v)
    case .text(let v): bindings.append(v)
    case .bool(let v): bindings.append(v)
    case .ints(let v): bindings.append(v)
    case .doubles(let v): bindings.append(v)
    case .texts(let v): bindings.append(v)
    case .bools(let v): bindings.append(v)
    }
  }
}

/// A row read by name.
struct Row {
  let row: PostgresRandomAccessRow
  init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }
  func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
    try row[column].decode(T.self, context: .default)
  }
}

/// One open transaction: every statement runs on its connection, blocking
/// the calling thread (never an event loop's) until PostgreSQL answers.
struct Transaction {
  let connection: PostgresConnection
  let logger: Logger
  /// 1 on the first run of a transaction body, 2 and up when it runs again
  /// after a transient failure, perhaps after a COMMIT that did commit.
  var run = 1
  /// Seconds since the first run began: a retried call moves the times it
  /// writes (lease expiries) on by this much, or its lease would start old.
  var delay = 0.0
  var isRetry: Bool { run > 1 }

  /// How long a statement may go unanswered before its connection is
  /// closed, failing the statement so the transaction is tried again on a
  /// new connection: without it, a server that vanished from the network
  /// (no reset, no answer) would hold the caller forever.
  static let answerTimeout: TimeAmount = .minutes(5)

  @discardableResult
  func execute(_ sql: String, _ values: [SQLValue] = []) throws -> PostgresQueryResult {
    var bindings = PostgresBindings(capacity: values.count)
    for v in values { v.append(to: &bindings) }
    let answer = connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
    let connection = self.connection
    let watchdog = connection.eventLoop.scheduleTask(in: Self.answerTimeout) { connection.closeQuietly() }
    defer { watchdog.cancel() }
    return try answer.wait()
  }

  func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [Row] {
    try execute(sql, values).rows.map(Row.init)
  }

  func one(_ sql: String, _ values: [SQLValue] = []) throws -> Row? {
    try rows(sql, values).first
  }

  /// Rows an UPDATE or DELETE touched.
  func changes(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
    try execute(sql, values).metadata.rows ?? 0
  }
}

/// A small pool of connections used synchronously. The store protocol is
/// synchronous (SQLite's calls are), so each call borrows a connection,
/// runs a transaction and waits on its futures; NIO's event loop threads do
/// the I/O, so waiting never starves them or the cooperative thread pool.
///
/// Transactions that fail because the server went away (a restart, a
/// failover, a dropped connection) or lost a serialization race are run
/// again, on a new connection, for up to `retryWindow` seconds. Every
/// transaction body is written so that running it twice does what running
/// it once did (see the stores' tokens for submits and claims).
final class PostgresConnections: Sendable {
  let url: PostgresURL
  let configuration: PostgresConnection.Configuration
  let retryWindow: Double
  let logger: Logger
  let idle = Mutex<[PostgresConnection]>([])
  let nextID = Atomic<Int>(1)
  /// Fault injection for tests: COMMITs whose answer is to be treated as lost.
  let commitAnswersToLose = Atomic<Int>(0)
  static let maxIdle = 4

  init(url: PostgresURL, retryWindow: Double, logger: Logger) throws(StoreError) {
    self.url = url
    self.configuration = try url.configuration()
    self.retryWindow = retryWindow
    self.logger = logger
  }

  func connect() throws -> PostgresConnection {
    try PostgresConnection.connect(
      on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
      id: nextID.add(1, ordering: .relaxed).oldValue, logger: logger
    ).wait()
  }

  func checkout() throws -> PostgresConnection {
    while let c = idle.withLock({ $0.popLast() }) {
      if !c.isClosed { return c }
    }
    return try connect()
  }

  func checkin(_ connection: PostgresConnection) {
    guard !connection.isClosed else { return }
    let extra = idle.withLock { pool -> PostgresConnection? in
      if pool.count < Self.maxIdle {
        pool.append(connection)
        return nil
      }
      return connection
    }
    extra?.closeQuietly()
  }

  func closeAll() {
    for c in idle.withLock({ pool -> [PostgresConnection] in
      defer { pool.removeAll() }
      return pool
    }) {
      c.closeQuietly()
    }
  }

  /// Runs `body` in a transaction, again after transient failures.
  func transaction<T>(_ what: String, readOnly: Bool = false, _ body: (Transaction) throws -> T)
    throws(StoreError) -> T
  {
    let start = Date()
    var deadline = start.addingTimeInterval(retryWindow)
    var delay = 0.05
    var warned = false
    var run = 0
    while true {
      run += 1
      var connection: PostgresConnection?
      let runStart = Date()
      do {
        let c = try checkout()
        connection = c
        let tx = Transaction(
          connection: c, logger: logger, run: run, delay: runStart.timeIntervalSince(start))
        try tx.execute(readOnly ? "BEGIN READ ONLY" : "BEGIN")
        let result = try body(tx)
        try tx.execute("COMMIT")
        if !readOnly, commitAnswersToLose.load(ordering: .relaxed) > 0,
          commitAnswersToLose.subtract(1, ordering: .relaxed).newValue >= 0
        {
          throw ChannelError.ioOnClosedChannel
        }
        checkin(c)
        return result
      } catch {
        if let c = connection {
          if c.isClosed || Self.isTransient(error) {
            c.closeQuietly()
          } else if (try? Transaction(connection: c, logger: logger).execute("ROLLBACK")) != nil {
            checkin(c)
          } else {
            c.closeQuietly()
          }
        }
        if let e = error as? StoreError { throw e }
        // A run that hung past the whole window (a connection the answer
        // watchdog closed) has only now found the server gone: it gets a window of its own.
        if Date().timeIntervalSince(runStart) > retryWindow {
          deadline = Date().addingTimeInterval(retryWindow)
        }
        guard Self.isTransient(error), Date() < deadline else {
          throw StoreError(.database, "\(what) failed on \(url.redacted): \(Self.describe(error))")
        }
        if !warned {
          logger.warning("\(what): \(Self.describe(error)); retrying for up to \(Int(retryWindow)) s")
          warned = true
        }
        Thread.sleep(forTimeInterval: delay)
        delay = min(delay * 2, 1)
      }
    }
  }

  /// Errors worth a second try: the server or the connection went away, or
  /// PostgreSQL chose this transaction to lose a serialization race.
  static func isTransient(_ error: any Error) -> Bool {
    if let e = error as? PSQLError {
      switch e.code {
      case .server:
        let state = e.serverInfo?[.sqlState] ?? ""
        return state.hasPrefix("08") || state.hasPrefix("57P") || state == "40001" || state == "40P01"
          || state == "53300"
      case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
        return true
      default:
        return false
      }
    }
    return error is NIOConnectionError || error is ChannelError || error is IOError
  }

  static func describe(_ error: any Error) -> String {
    if let e = error as? PSQLError {
      if let info = e.serverInfo, let message = info[.message] {
        return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
          + (info[.detail].map { ": \($0)" } ?? "")
      }
      if let underlying = e.underlying { return "\(e.code): \(underlying)" }
      return "\(e.code)"
    }
    return "\(error)"
  }
}

extension PostgresConnection {
  /// Closes without waiting: the connection is of no further use either way.
  /// The closure keeps it alive until its channel is closed, as PostgresNIO
  /// requires of a connection that goes away.
  func closeQuietly() {
    let closing: EventLoopFuture<Void> = close()
    closing.whenComplete { _ in withExtendedLifetime(self) {} }
  }
}

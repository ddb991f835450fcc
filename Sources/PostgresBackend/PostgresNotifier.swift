import Foundation
import JobQueue
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Holds one connection that LISTENs on the jobs channel and turns each
/// notification into `WorkSignal.signal()`. Started by the first idle wait;
/// when the connection drops (a server restart) it reconnects every second,
/// and signals on reconnecting, since notifications sent meanwhile are lost.
final class PostgresNotifier: Sendable {
  let connections: PostgresConnections
  let channel: String
  let signal: WorkSignal
  let logger: Logger
  let state = Mutex<(started: Bool, stopped: Bool, connection: PostgresConnection?)>((false, false, nil))

  init(connections: PostgresConnections, channel: String, signal: WorkSignal, logger: Logger) {
    self.connections = connections
    self.channel = channel
    self.signal = signal
    self.logger = logger
  }

  func start() {
    let first = state.withLock { s -> Bool in
      defer { s.started = true }
      return !s.started && !s.stopped
    }
    if first { connect() }
  }

  func stop() {
    let connection = state.withLock { s -> PostgresConnection? in
      s.stopped = true
      defer { s.connection = nil }
      return s.connection
    }
    connection?.closeQuietly()
  }

  private func connect() {
    guard !state.withLock({ $0.stopped }) else { return }
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let channel = self.channel
    let signal = self.signal
    PostgresConnection.connect(
      on: loop, configuration: connections.configuration,
      id: connections.nextID.add(1, ordering: .relaxed).oldValue, logger: logger
    ).flatMap { connection in
      connection.addListener(channel: channel) { _, _ in signal.signal() }
      return connection.query(PostgresQuery(unsafeSQL: "LISTEN \(channel)"), logger: self.logger).map { _ in
        connection
      }.flatMapErrorThrowing { error in
        // Connected but cannot listen (a standby in recovery, say): close it before trying again.
        connection.closeQuietly()
        throw error
      }
    }.whenComplete { result in
      switch result {
      case .success(let connection):
        let keep = self.state.withLock { s -> Bool in
          guard !s.stopped else { return false }
          s.connection = connection
          return true
        }
        guard keep else {
          connection.closeQuietly()
          return
        }
        signal.signal()
        connection.closeFuture.whenComplete { _ in
          self.logger.info("the LISTEN connection closed; reconnecting")
          self.retry(on: loop)
        }
      case .failure(let error):
        self.logger.debug("LISTEN connection failed: \(PostgresConnections.describe(error))")
        self.retry(on: loop)
      }
    }
  }

  private func retry(on loop: any EventLoop) {
    guard !state.withLock({ $0.stopped }) else { return }
    loop.scheduleTask(in: .seconds(1)) { self.connect() }
  }
}

extension PostgresStore {
  /// Idle workers wait here: NOTIFY wakes them at once, else the timeout does.
  public func waitForWork(since generation: UInt64, timeout: Double) async {
    notifier.start()
    await workSignal.wait(since: generation, timeout: timeout)
  }
}

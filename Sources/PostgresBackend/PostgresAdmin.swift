import Foundation
import JobQueue
import Logging
import PostgresNIO

/// Database-level chores that run outside a transaction: making a database
/// for a new deployment, or a fresh one for each test.
public enum PostgresAdmin {
  /// Creates database `name` on the server of `adminURL` (a role that may
  /// create databases) and returns `adminURL` pointing at it.
  public static func createDatabase(named name: String, using adminURL: String) throws(StoreError) -> String {
    guard !name.isEmpty, name.count <= 63,
      name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
    else {
      throw StoreError(.invalid, "database name '\(name)' must be 1 to 63 lower-case letters, digits or '_'")
    }
    let url = try PostgresURL(adminURL)
    let connections = try PostgresConnections(
      url: url, retryWindow: 10, logger: Logger(label: "capplan.postgres"))
    // Retried like the store's transactions: a test may start while the server restarts.
    let deadline = Date().addingTimeInterval(30)
    while true {
      do {
        let connection = try connections.connect()
        defer { connection.closeQuietly() }
        // CREATE DATABASE refuses to run inside a transaction block.
        try Transaction(connection: connection, logger: connections.logger).execute("CREATE DATABASE \(name)")
        break
      } catch {
        guard PostgresConnections.isTransient(error), Date() < deadline else {
          throw StoreError(
            .database,
            "cannot create database \(name) on \(url.redacted): \(PostgresConnections.describe(error))")
        }
        Thread.sleep(forTimeInterval: 0.5)
      }
    }
    guard var parts = URLComponents(string: adminURL) else {
      throw StoreError(.invalid, "cannot read the database URL \(url.redacted)")
    }
    parts.path = "/" + name
    return parts.string ?? adminURL
  }
}

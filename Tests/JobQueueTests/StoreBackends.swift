import Foundation
import JobQueue
import PostgresBackend
import SQLiteBackend
import Testing

/// The stores the shared suites run against. PostgreSQL runs when
/// CAPPLAN_TEST_POSTGRES_URL names a server (`scripts/with-postgres` starts
/// one; `make test` and CI use it); each test gets a database of its own.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case sqlite, postgres

  static let postgresAdminURL = ProcessInfo.processInfo.environment["CAPPLAN_TEST_POSTGRES_URL"]
    .flatMap { $0.isEmpty ? nil : $0 }

  static var available: [Backend] { postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres] }
  static var postgresOnly: [Backend] { postgresAdminURL == nil ? [] : [.postgres] }

  var testDescription: String { rawValue }

  /// Where a new, empty store lives: a file path or a postgres:// URL.
  func newLocation() throws -> String {
    switch self {
    case .sqlite:
      return FileManager.default.temporaryDirectory
        .appendingPathComponent("capplan-store-\(UUID().uuidString)/store.sqlite").path
    case .postgres:
      let admin = try #require(Self.postgresAdminURL)
      let name = "capplan_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
      return try PostgresAdmin.createDatabase(named: String(name.prefix(63)), using: admin)
    }
  }

  func open(_ location: String) throws -> any PlanDatabase {
    switch self {
    case .sqlite: return try SQLiteStore(path: location)
    case .postgres: return try PostgresStore(url: location)
    }
  }

  func makeStore() throws -> any PlanDatabase { try open(try newLocation()) }
}

@Suite struct BackendAvailabilityTests {
  /// CI must not pass by skipping PostgreSQL: its run sets CI=true.
  @Test func postgresIsConfiguredWhereCIRuns() {
    if ProcessInfo.processInfo.environment["CI"] == "true" {
      #expect(
        Backend.postgresAdminURL != nil,
        "CI runs without CAPPLAN_TEST_POSTGRES_URL: .ci/run must start PostgreSQL")
    }
  }
}

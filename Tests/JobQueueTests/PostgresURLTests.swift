import Foundation
import JobQueue
import PostgresBackend
import Testing

@Suite struct PostgresURLTests {
  @Test func readsEveryPartAndHidesThePassword() throws {
    let url = try PostgresURL(
      "postgres://planner:s%40cret@db.example.com:6543/capacity?sslmode=require&connect_timeout=3",
      environment: [:])
    #expect(url.user == "planner" && url.password == "s@cret")
    #expect(url.host == "db.example.com" && url.port == 6543 && url.database == "capacity")
    #expect(url.sslMode == .require && url.connectTimeout == 3)
    #expect(url.redacted == "postgres://planner@db.example.com:6543/capacity")
  }

  @Test func fillsGapsFromTheEnvironmentThenLibpqDefaults() throws {
    let env = ["PGUSER": "ops", "PGPASSWORD": "pw", "PGPORT": "5433", "PGDATABASE": "plans"]
    let url = try PostgresURL("postgresql://", environment: env)
    #expect(url.user == "ops" && url.password == "pw" && url.port == 5433 && url.database == "plans")
    #expect(url.host == "localhost" && url.sslMode == .prefer)
    let bare = try PostgresURL("postgres://me@/", environment: [:])
    #expect(bare.database == "me" && bare.port == 5432)
  }

  @Test func aHostParameterStartingWithASlashIsASocketFolder() throws {
    let url = try PostgresURL("postgres://capplan@/capplan?host=/var/run/postgresql", environment: [:])
    #expect(url.socketFolder == "/var/run/postgresql")
    #expect(url.redacted == "postgres://capplan@/capplan?host=/var/run/postgresql")
  }

  @Test(arguments: [
    (
      "postgres://u@h/db?sslmode=sometimes",
      "sslmode 'sometimes' is not one of disable, allow, prefer, require"
    ),
    ("postgres://u@h/db?colour=blue", "unknown parameter 'colour'"),
    ("postgres://u@h:99999/db", "port 99999 is out of range"),
    (
      "postgres://u@h/db?connect_timeout=-1",
      "connect_timeout '-1' is out of range: give more than 0 and at most 86400"
    ),
    // Before, 1e30 passed and the conversion to a timeout trapped.
    ("postgres://u@h/db?connect_timeout=1e30", "connect_timeout '1e30' is out of range"),
    ("postgres://u@/db?host=/tmp&sslmode=require", "sslmode require cannot be used over a Unix socket"),
  ])
  func badURLsSayWhatIsWrong(_ text: String, _ message: String) {
    let error = #expect(throws: StoreError.self) { try PostgresURL(text, environment: [:]) }
    #expect(error?.kind == .invalid)
    #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
  }

  @Test func aPasswordNeverAppearsInAnError() {
    let error = #expect(throws: StoreError.self) {
      try PostgresURL("postgres://u:hunter2@h/db?sslmode=nope", environment: [:])
    }
    #expect(error?.message.contains("hunter2") == false)
    #expect(error?.message.contains("***") == true)
  }

  /// Nothing listens on the port: the error names the server and comes
  /// within the retry window, not never.
  @Test func anUnreachableServerIsAClearErrorAfterTheRetryWindow() {
    let start = Date()
    let error = #expect(throws: StoreError.self) {
      try PostgresStore(
        url: "postgres://capplan@127.0.0.1:1/capplan?sslmode=disable&connect_timeout=1", retryWindow: 1)
    }
    #expect(
      error?.message.contains("postgres://capplan@127.0.0.1:1/capplan") == true, "\(error?.message ?? "")")
    #expect(Date().timeIntervalSince(start) < 30)
  }
}

/// No clocks: the machines are noisy. Each wait says whether a signal or
/// its timeout ended it.
@Suite struct WorkSignalTests {
  @Test func aSignalWakesAWaiter() async {
    let signal = WorkSignal()
    let generation = signal.generation
    async let woken = signal.wait(since: generation, timeout: 600)
    try? await Task.sleep(for: .milliseconds(50))
    signal.signal()
    #expect(await woken)
  }

  /// A signal between reading the generation and waiting is not lost.
  @Test func aSignalBeforeTheWaitIsNotLost() async {
    let signal = WorkSignal()
    let generation = signal.generation
    signal.signal()
    #expect(await signal.wait(since: generation, timeout: 600))
  }

  @Test func withoutASignalTheWaitEndsAtItsTimeout() async {
    let signal = WorkSignal()
    #expect(await signal.wait(since: signal.generation, timeout: 0.1) == false)
  }
}

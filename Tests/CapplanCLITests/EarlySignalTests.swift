import Foundation
import JobQueue
import Testing

/// A stop signal at any moment after `serve` or `worker` starts is honoured:
/// before, one that fell between installing the handler and the watcher
/// reading its starting count was absorbed, and the service ran on.
@Suite(.serialized) struct EarlySignalTests {
  static let offsetsMs = [0, 2, 5, 10, 20, 30, 50, 80, 120, 200, 350, 600]

  @Test(arguments: ["serve", "worker"]) func aSignalAtAnyOffsetStopsTheProcess(_ command: String) throws {
    let q = try QueueFixture()
    for offset in Self.offsetsMs {
      let p = try Background(
        [command, "--db", q.db, "--poll", "0.1"] + (command == "serve" ? ["--tick", "0.1"] : []),
        log: q.dir.appendingPathComponent("\(command)-\(offset).log"))
      Thread.sleep(forTimeInterval: Double(offset) / 1000)
      p.signal(SIGTERM)
      // Exit 0 (drained), or killed by the signal when it came before the handler: either way it stops.
      let status = p.wait(seconds: 15)
      #expect(status != nil, "\(command) still running 15 s after SIGTERM at +\(offset) ms: \(p.output)")
    }
  }
}

import Foundation
import Testing

/// A read or change of stored things with a `--db` that names no file is a typo: it fails
/// with the path, makes nothing, and the commands that create a store still do.
@Suite struct MistypedStoreTests {
  @Test func lookingAtAMissingStoreFailsAndMakesNothing() throws {
    let dir = try CLI.temporaryDirectory()
    let missing = dir.appendingPathComponent("typo/capplan.sqlite").path
    for command in [
      ["jobs", "list"], ["jobs", "show", "1"], ["plans", "list"], ["plans", "show", "1"], ["tokens", "list"],
      ["schedule", "list"], ["studies", "list"],
    ] {
      let r = try CLI.run(command + ["--db", missing])
      #expect(r.status == 2, "\(command): \(r.stderr)")
      #expect(r.stderr.contains("no store at \(missing): check --db"), "\(command): \(r.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("typo").path))
    let created = try CLI.run(["tokens", "create", "--name", "t", "--role", "read", "--db", missing])
    #expect(created.status == 0, "\(created.stderr)")
    #expect(try CLI.run(["tokens", "list", "--db", missing]).status == 0)
  }
}

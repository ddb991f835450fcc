import Foundation
import JobQueue
import SQLiteBackend
import Testing

/// `--db` names a database file: a folder, FIFO or device is refused before SQLite opens it
/// (it would leave a journal file beside /dev/null), and nothing is made next to it.
@Suite struct SQLiteStorePathTests {
  @Test func aFolderOrAFIFOIsRefusedAndLeftAsItWas() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "capplan-path-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let fifo = dir.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    for (path, kind) in [(fifo, "not a regular file"), (dir.path, "a folder")] {
      do {
        _ = try SQLiteStore(path: path)
        Issue.record("\(path) was opened as a database")
      } catch {
        #expect(error.message.contains("\(path) is \(kind)"), "\(error.message)")
      }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["pipe"])
  }
}

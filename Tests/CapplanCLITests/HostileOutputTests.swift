import Foundation
import JobQueue
import Testing

/// User text that tries to act in the outputs: a spreadsheet formula, HTML, a
/// Markdown link and a terminal escape sequence in `use`, a site id that
/// starts with '-', and a stored job error with an escape sequence.
@Suite(.serialized) struct HostileOutputTests {
  static let hostileUse =
    "=HYPERLINK(\"http://evil.example\",\"x\")<script>alert(1)</script>[a](javascript:x)\u{1B}[31m"

  func hostileScenario(in dir: URL) throws -> String {
    let seed = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path
    var text = try String(contentsOfFile: seed, encoding: .utf8)
    let escapedUse = Self.hostileUse.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\u{1B}", with: "\\e")
    text = text.replacingOccurrences(of: "use: bedrock", with: "use: \"\(escapedUse)\"")
      .replacingOccurrences(of: "seed-site", with: "-2-1")
    let path = dir.appendingPathComponent("hostile.yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Every CSV field that starts with = + - @ tab or CR is a plain number or
  /// neutralised with a leading quote.
  func expectSafeCSV(_ csv: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for line in csv.split(separator: "\n") where !line.hasPrefix("#") {
      for field in line.split(separator: ",", omittingEmptySubsequences: false) {
        let cell = field.hasPrefix("\"") ? field.dropFirst() : field
        // A lone "-" is the "not applicable" placeholder: nothing to evaluate.
        guard let first = cell.first, "=+-@\t\r".contains(first), cell != "-" else { continue }
        #expect(
          Double(cell) != nil, "formula-like CSV cell \(field) in line \(line)",
          sourceLocation: sourceLocation)
      }
    }
    #expect(!csv.contains("\u{1B}"), sourceLocation: sourceLocation)
  }

  @Test func solveOutputsInEveryFormat() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try hostileScenario(in: dir)
    #expect(try CLI.run(["validate", file]).status == 0)

    let csv = try CLI.run(["solve", file, "--format", "csv"])
    #expect(csv.status == 0, "\(csv.stderr)")
    expectSafeCSV(csv.stdout)
    #expect(csv.stdout.contains("'-2-1"), "the site id is kept, neutralised: \(csv.stdout)")
    #expect(csv.stdout.contains("revenue,14.00,14.00"), "numbers stay numbers: \(csv.stdout)")

    let markdown = try CLI.run(["solve", file, "--format", "markdown"]).stdout
    #expect(!markdown.contains("<script>") && markdown.contains("&lt;script&gt;"), "\(markdown)")
    #expect(!markdown.contains("[a](javascript"))
    #expect(!markdown.contains("\u{1B}"))

    let table = try CLI.run(["solve", file]).stdout
    #expect(!table.contains("\u{1B}") && table.contains("\\u{1B}[31m"), "\(table)")

    // The exported CSV files (typed: numbers are numbers, text is neutralised).
    let out = dir.appendingPathComponent("export")
    #expect(try CLI.run(["solve", file, "--out", out.path]).status == 0)
    let allocations = try String(contentsOf: out.appendingPathComponent("allocations.csv"), encoding: .utf8)
    expectSafeCSV(allocations)
    #expect(allocations.contains("\"'=HYPERLINK(\"\"http://evil.example\"\""), "\(allocations)")
  }

  @Test func storedPlanOutputsInEveryFormat() throws {
    let q = try QueueFixture()
    let file = try hostileScenario(in: q.dir)
    #expect(try CLI.run(["submit", file, "--db", q.db]).status == 0)
    #expect(try q.worker(["--once"]).wait(seconds: 60) == 0)
    let plan = try #require(try q.store.plans(PlanFilter()).first)

    let export = q.dir.appendingPathComponent("md")
    #expect(
      try CLI.run([
        "plans", "export", "\(plan.id)", "--format", "markdown", "--out", export.path, "--db", q.db,
      ]).status == 0)
    for name in try FileManager.default.contentsOfDirectory(atPath: export.path) where name.hasSuffix(".md") {
      let text = try String(contentsOf: export.appendingPathComponent(name), encoding: .utf8)
      #expect(
        !text.contains("<script>") && !text.contains("\u{1B}") && !text.contains("[a](javascript"), "\(name)")
    }
    let csvDir = q.dir.appendingPathComponent("csv")
    #expect(try CLI.run(["plans", "export", "\(plan.id)", "--out", csvDir.path, "--db", q.db]).status == 0)
    for name in try FileManager.default.contentsOfDirectory(atPath: csvDir.path) where name.hasSuffix(".csv")
    {
      expectSafeCSV(try String(contentsOf: csvDir.appendingPathComponent(name), encoding: .utf8))
    }
    let shown = try CLI.run(["plans", "show", "\(plan.id)", "--format", "markdown", "--db", q.db]).stdout
    #expect(!shown.contains("<script>") && !shown.contains("\u{1B}"))
    expectSafeCSV(try CLI.run(["plans", "show", "\(plan.id)", "--format", "csv", "--db", q.db]).stdout)
    let report = q.dir.appendingPathComponent("report.html")
    #expect(try CLI.run(["plans", "report", "\(plan.id)", "--out", report.path, "--db", q.db]).status == 0)
    #expect(!(try String(contentsOf: report, encoding: .utf8)).contains("<script>alert"))

    // A stored error message with an escape sequence, shown as a table.
    let id = try q.submit()
    try rawSQL(
      q, "UPDATE jobs SET state = 'failed', last_error = 'boom' || char(27) || '[2J' WHERE id = \(id)")
    let job = try CLI.run(["jobs", "show", "\(id)", "--db", q.db])
    #expect(job.stdout.contains("boom\\u{1B}[2J") && !job.stdout.contains("\u{1B}"), "\(job.stdout)")
    let listed = try CLI.run(["jobs", "list", "--db", q.db]).stdout
    #expect(!listed.contains("\u{1B}"))
  }
}

/// `--out` writes through devices and FIFOs, follows symlinks, and never
/// replaces anything that is not a regular file.
@Suite(.serialized) struct OutputTargetTests {
  @Test func generateWritesThroughAFIFOAndFollowsASymlink() throws {
    let dir = try CLI.temporaryDirectory()
    // A FIFO: read on another thread; before, the file replaced the FIFO.
    let fifo = dir.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let received = Mutexed<Data>(Data())
    let reader = Thread {
      if let h = FileHandle(forReadingAtPath: fifo) { received.set(h.readDataToEndOfFile()) }
    }
    reader.start()
    let args = ["generate", "--sites", "2", "--periods", "2"]
    #expect(try CLI.run(args + ["--out", fifo]).status == 0)
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "still a FIFO")
    for _ in 0..<100 where received.get().isEmpty { Thread.sleep(forTimeInterval: 0.05) }
    #expect(String(decoding: received.get(), as: UTF8.self).hasPrefix("scenario:"))

    // A symlink: followed; the link stays a link and its target gets the scenario.
    let target = dir.appendingPathComponent("real.yaml").path
    try "old".write(toFile: target, atomically: true, encoding: .utf8)
    #expect(chmod(target, 0o640) == 0)
    let link = dir.appendingPathComponent("link.yaml").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    #expect(try CLI.run(args + ["--out", link]).status == 0)
    #expect(lstat(link, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK, "still a symlink")
    #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("scenario:"))
    #expect(stat(target, &info) == 0 && info.st_mode & 0o777 == 0o640, "the target's permissions are kept")

    // A symlink to nothing is refused and left alone.
    let dangling = dir.appendingPathComponent("dangling.yaml").path
    try FileManager.default.createSymbolicLink(
      atPath: dangling, withDestinationPath: dir.appendingPathComponent("none").path)
    let refused = try CLI.run(args + ["--out", dangling])
    #expect(refused.status != 0 && refused.stderr.contains("is a symlink to a file that does not exist"))
    #expect(lstat(dangling, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK)
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("none").path))

    // A device: written through, still a device. A private null device, not
    // /dev/null: these tests may run as root, where the old code replaced it.
    if let device = privateNullDevice(in: dir) {
      #expect(try CLI.run(args + ["--out", device]).status == 0)
      #expect(stat(device, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "still a device")
    }
  }

  /// A character device equal to /dev/null (1, 3) in `dir`, where the process may make one (root).
  func privateNullDevice(in dir: URL) -> String? {
    let path = dir.appendingPathComponent("null").path
    return mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 ? path : nil
  }

  @Test func reportToADeviceAndAFolder() throws {
    let q = try QueueFixture()
    _ = try q.submit()
    #expect(try q.worker(["--once"]).wait(seconds: 60) == 0)
    let plan = try #require(try q.store.plans(PlanFilter()).first)
    var info = stat()
    if let device = privateNullDevice(in: q.dir) {
      #expect(try CLI.run(["plans", "report", "\(plan.id)", "--out", device, "--db", q.db]).status == 0)
      #expect(stat(device, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "still a device")
    }
    let folder = try CLI.run(["plans", "report", "\(plan.id)", "--out", q.dir.path, "--db", q.db])
    #expect(folder.status != 0 && folder.stderr.contains("is a folder"), "\(folder.stderr)")
  }
}

/// A value shared with a reader thread.
final class Mutexed<T>: @unchecked Sendable {
  // Sendable by the lock: every access to `value` holds it.
  private let lock = NSLock()
  private var value: T
  init(_ value: T) { self.value = value }
  func get() -> T { lock.withLock { value } }
  func set(_ v: T) { lock.withLock { value = v } }
}

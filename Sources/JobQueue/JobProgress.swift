import Foundation

/// How far a running job's solve has got: the child's latest report, stored on the job with
/// the worker's heartbeat. Amounts are in $M, as in a plan. Only what the solve knows is set:
/// an LP has no nodes, a search before its first plan has no best plan and no gap.
public struct JobProgress: Codable, Sendable, Equatable {
  /// When the worker received the report (the worker's clock).
  public var reportedAt: Date
  /// Seconds since the solve began, as the child measured them.
  public var elapsedSeconds: Double
  /// What the solve maximizes: "ebit" or "npv".
  public var objective: String?
  /// The best plan's objective so far.
  public var bestPlan: Double?
  /// The best bound on the objective.
  public var bound: Double?
  /// The relative gap between the best plan and the bound.
  public var gap: Double?
  /// Branch-and-cut nodes so far.
  public var nodes: Int?
  /// An LP job: the LP method running (an LP has no plan, bound or nodes until it ends).
  public var method: String?

  /// The migration that adds `jobs.progress` to both stores.
  public static let migrationName = "v5: job progress"

  enum CodingKeys: String, CodingKey {
    case objective, bound, gap, nodes, method
    case reportedAt = "reported_at", elapsedSeconds = "elapsed_seconds", bestPlan = "best_plan"
  }

  public init(
    reportedAt: Date, elapsedSeconds: Double, objective: String? = nil, bestPlan: Double? = nil,
    bound: Double? = nil, gap: Double? = nil, nodes: Int? = nil, method: String? = nil
  ) {
    self.method = method
    self.reportedAt = reportedAt
    self.elapsedSeconds = elapsedSeconds
    self.objective = objective
    self.bestPlan = bestPlan
    self.bound = bound
    self.gap = gap
    self.nodes = nodes
  }

  /// The progress as the stores keep it: JSON text with sorted keys and Unix seconds, so the
  /// same progress is the same text (the state machine compares fields by value).
  public var storedText: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .secondsSince1970
    // Every field is a finite number or short text (see `ChildProgressReport.checked`), which
    // JSONEncoder always encodes.
    return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  /// Progress read back from a job row. Progress only informs a person, so a value that does
  /// not read (written by hand, or by a later version) is left out rather than failing the job.
  public init?(storedText text: String?) {
    guard let text else { return nil }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    guard let p = try? decoder.decode(JobProgress.self, from: Data(text.utf8)) else { return nil }
    self = p
  }
}

/// One progress line a `run-job` child writes on stderr while it solves, and the worker's
/// reading of it. The line is `capplan-progress: ` and a JSON object on one line; everything
/// else on stderr is the child's ordinary output.
public struct ChildProgressReport: Codable, Sendable, Equatable {
  public var elapsedSeconds: Double
  public var objective: String?
  public var bestPlan: Double?
  public var bound: Double?
  public var gap: Double?
  public var nodes: Int?
  public var method: String?

  enum CodingKeys: String, CodingKey {
    case objective, bound, gap, nodes, method
    case elapsedSeconds = "elapsed_seconds", bestPlan = "best_plan"
  }

  public static let prefix = "capplan-progress: "
  /// Longer lines are not progress: the worker drops them unread.
  public static let maxLineBytes = 2048

  public init(
    elapsedSeconds: Double, objective: String? = nil, bestPlan: Double? = nil, bound: Double? = nil,
    gap: Double? = nil, nodes: Int? = nil, method: String? = nil
  ) {
    self.method = method
    self.elapsedSeconds = elapsedSeconds
    self.objective = objective
    self.bestPlan = bestPlan
    self.bound = bound
    self.gap = gap
    self.nodes = nodes
  }

  /// The line to write, newline included.
  public var line: String {
    let data =
      (try? JSONEncoder().encode(checked ?? ChildProgressReport(elapsedSeconds: 0))) ?? Data("{}".utf8)
    return Self.prefix + String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The report read from one stderr line (without its newline), or nil when the line is not a
  /// progress line or does not hold a sensible report. A child is not trusted: it may print
  /// anything, so nothing here can fail other than by returning nil.
  public static func parse(_ line: some Collection<UInt8>) -> ChildProgressReport? {
    guard line.count <= maxLineBytes, line.starts(with: prefix.utf8) else { return nil }
    let json = Data(line.dropFirst(prefix.utf8.count))
    return (try? JSONDecoder().decode(ChildProgressReport.self, from: json))?.checked
  }

  /// The report with what cannot be right left out: non-finite or absurd numbers, negative
  /// counts, long text. Nil when even the elapsed time is wrong.
  var checked: ChildProgressReport? {
    func sane(_ x: Double?) -> Double? { x.flatMap { $0.isFinite && abs($0) < 1e15 ? $0 : nil } }
    guard elapsedSeconds.isFinite, elapsedSeconds >= 0, elapsedSeconds < 1e9 else { return nil }
    return ChildProgressReport(
      elapsedSeconds: elapsedSeconds, objective: objective.flatMap { $0.count <= 16 ? $0 : nil },
      bestPlan: sane(bestPlan), bound: sane(bound), gap: sane(gap).flatMap { $0 >= 0 ? $0 : nil },
      nodes: nodes.flatMap { $0 >= 0 ? $0 : nil },
      method: method.flatMap { m in m.count <= 32 && m.allSatisfy { $0.isLetter || $0 == "-" } ? m : nil })
  }

  /// The report as stored on the job, stamped with when the worker received it.
  public func progress(receivedAt: Date) -> JobProgress {
    JobProgress(
      reportedAt: receivedAt, elapsedSeconds: elapsedSeconds, objective: objective, bestPlan: bestPlan,
      bound: bound, gap: gap, nodes: nodes, method: method)
  }
}

/// Splits a child's stderr into lines as it arrives, taking out progress lines and keeping
/// the rest for failure messages, both bounded: a child that prints endlessly, or one line
/// without end, costs the worker at most `keepBytes` plus one line's buffer. A line that starts
/// like a progress line is never kept, whether or not it reads as a report: it is the progress
/// channel's, and a garbled one would only bury the child's real last words.
public struct ChildStderrReader: Sendable {
  public private(set) var latest: ChildProgressReport?
  /// Progress lines read so far, so a caller can tell a new report from the last one.
  public private(set) var reportsRead = 0
  /// The most recent `keepBytes` of what was not progress.
  public var kept: Data { Data(buffer.suffix(keepBytes)) }
  public let keepBytes: Int
  /// Trimmed to `keepBytes` once it doubles, so that trimming costs little per line.
  private var buffer = Data()
  private var line = Data()

  /// What happens to the rest of a line that ran past `maxLineBytes`: it is not parsed, and
  /// only kept when it is not a progress line.
  private enum Overlong { case no, kept, dropped }
  private var overlong = Overlong.no

  public init(keepBytes: Int = 64 << 10) { self.keepBytes = keepBytes }

  public mutating func consume(_ chunk: Data) {
    var rest = chunk[...]
    while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
      append(rest[rest.startIndex..<newline])
      endLine()
      rest = rest[rest.index(after: newline)...]
    }
    append(rest)
  }

  /// The end of the stream: a last line without a newline is ordinary output.
  public mutating func finish() {
    if overlong == .no, !line.isEmpty, !Self.isProgress(line) { keep(line) }
    line = Data()
    overlong = .no
  }

  private static func isProgress(_ bytes: Data) -> Bool {
    bytes.starts(with: ChildProgressReport.prefix.utf8)
  }

  private mutating func append(_ bytes: Data.SubSequence) {
    guard !bytes.isEmpty else { return }
    switch overlong {
    case .kept: return keep(bytes)
    case .dropped: return
    case .no: break
    }
    line.append(contentsOf: bytes)
    if line.count > ChildProgressReport.maxLineBytes {
      if Self.isProgress(line) {
        overlong = .dropped
      } else {
        overlong = .kept
        keep(line)
      }
      line = Data()
    }
  }

  private mutating func endLine() {
    switch overlong {
    case .kept: keep(Data("\n".utf8))
    case .dropped: break
    case .no:
      if Self.isProgress(line) {
        if let report = ChildProgressReport.parse(line) {
          latest = report
          reportsRead += 1
        }
      } else {
        keep(line)
        keep(Data("\n".utf8))
      }
    }
    line = Data()
    overlong = .no
  }

  private mutating func keep(_ bytes: some DataProtocol) {
    buffer.append(contentsOf: bytes)
    if buffer.count > 2 * keepBytes { buffer = Data(buffer.suffix(keepBytes)) }
  }
}

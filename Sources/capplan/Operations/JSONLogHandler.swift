import ArgumentParser
import CapacityModel
import Foundation
import Logging
import Synchronization

/// `--log-format`: lines for people, or one JSON object per line for a log
/// pipeline (Loki, Elasticsearch, journald's JSON reader).
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
  case text, json
}

/// Writes each log event as one line of JSON on stderr:
/// `{"timestamp":"2026-01-02T03:04:05.678Z","level":"info","label":"capplan.worker",
/// "message":"...","source":"JobQueue", ...metadata}`. Metadata sits at the top
/// level, nested values flattened to dotted keys (`job.id`); a key that would
/// shadow one of the fixed fields is written as `metadata.<key>`.
struct JSONLogHandler: LogHandler {
  let label: String
  var logLevel: Logger.Level
  var metadata: Logger.Metadata = [:]
  var metadataProvider: Logger.MetadataProvider?
  /// Receives each finished line, newline included.
  let write: @Sendable (String) -> Void

  init(
    label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil,
    write: @escaping @Sendable (String) -> Void = JSONLogHandler.writeToStandardError
  ) {
    self.label = label
    self.logLevel = level
    self.metadataProvider = metadataProvider
    self.write = write
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  static let fixedKeys: Set<String> = ["timestamp", "level", "label", "message", "source", "error"]

  func log(event: LogEvent) {
    var merged = metadata
    if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
    if let own = event.metadata { merged.merge(own) { _, new in new } }
    var fields: [(String, String)] = [
      ("timestamp", Self.timestamp(Date())), ("level", event.level.rawValue), ("label", label),
      ("message", event.message.description), ("source", event.source),
    ]
    if let error = event.error { fields.append(("error", String(describing: error))) }
    var flat: [(String, String)] = []
    for (key, value) in merged { Self.flatten(value, key: key, into: &flat) }
    // Sorted, so that two lines with the same metadata read the same.
    for (key, value) in flat.sorted(by: { $0.0 < $1.0 }) {
      fields.append((Self.fixedKeys.contains(key) ? "metadata." + key : key, value))
    }
    var line = "{"
    for (index, (key, value)) in fields.enumerated() {
      if index > 0 { line += "," }
      line += OutputEscaping.jsonString(key) + ":" + OutputEscaping.jsonString(value)
    }
    line += "}\n"
    write(line)
  }

  static func flatten(_ value: Logger.Metadata.Value, key: String, into out: inout [(String, String)]) {
    switch value {
    case .string(let text): out.append((key, text))
    case .stringConvertible(let value): out.append((key, value.description))
    case .dictionary(let dictionary):
      for (sub, inner) in dictionary { flatten(inner, key: key + "." + sub, into: &out) }
    case .array(let array):
      for (index, inner) in array.enumerated() { flatten(inner, key: key + "." + String(index), into: &out) }
    }
  }

  /// ISO 8601 in UTC with milliseconds, as log pipelines parse by default.
  static func timestamp(_ date: Date) -> String {
    let interval = date.timeIntervalSince1970
    var seconds = time_t(interval.rounded(.down))
    let millis = min(999, Int(((interval - interval.rounded(.down)) * 1000).rounded(.down)))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
      + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
  }

  private static let stderrLock = Mutex(())

  /// One write per line under a lock, so lines from several threads never interleave.
  @Sendable static func writeToStandardError(_ line: String) {
    stderrLock.withLock { _ in
      let bytes = Array(line.utf8)
      var offset = 0
      while offset < bytes.count {
        let written = bytes.withUnsafeBytes { buffer -> Int in
          guard let base = buffer.baseAddress else { return -1 }
          return Glibc.write(2, base + offset, buffer.count - offset)
        }
        if written > 0 {
          offset += written
        } else if written < 0 && errno == EINTR {
          continue
        } else {
          return  // stderr closed or full: a log line is not worth blocking or crashing for
        }
      }
    }
  }
}

import Foundation
import Logging
import Synchronization
import Testing

@testable import capplan

/// `--log-format json`: one JSON object per line, whatever the message holds.
@Suite struct JSONLogTests {
  final class Lines: Sendable {
    let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
  }

  func object(_ line: String) throws -> [String: Any] {
    #expect(line.hasSuffix("\n") && line.dropLast().allSatisfy { $0 != "\n" }, "one line: \(line)")
    return try CLI.json(line)
  }

  @Test func hostileTextRoundTripsThroughOneLineOfJSON() throws {
    let lines = Lines()
    var logger = Logger(label: "capplan.test") { label in
      JSONLogHandler(label: label, level: .trace, write: { lines.append($0) })
    }
    logger[metadataKey: "job"] = "7"
    let invalidUTF8 = String(decoding: [0x41, 0xFF, 0xFE, 0xC3, 0x28, 0x42], as: UTF8.self)
    let hostile = [
      "plain", "quote \" and backslash \\ and slash /", "new\nline\r\nand\ttab",
      "controls \u{00}\u{01}\u{08}\u{0C}\u{1B}[31m\u{1F}\u{7F}", "separators \u{2028}\u{2029}",
      "unicode: é 漢字 🚀", invalidUTF8, "{\"injected\": true}", "",
    ]
    for message in hostile {
      logger.warning(
        "\(message)",
        metadata: [
          "detail": .string(message), "level": "shadowed",
          "nested": .dictionary(["inner": .array([.string("a"), .stringConvertible(42)])]),
        ])
    }
    let written = lines.all
    #expect(written.count == hostile.count)
    for (line, message) in zip(written, hostile) {
      let json = try object(line)
      #expect(json["message"] as? String == message)
      #expect(json["detail"] as? String == message)
      #expect(json["level"] as? String == "warning")
      #expect(json["metadata.level"] as? String == "shadowed", "metadata never overwrites a fixed field")
      #expect(json["label"] as? String == "capplan.test")
      #expect(json["job"] as? String == "7")
      #expect(json["nested.inner.0"] as? String == "a")
      #expect(json["nested.inner.1"] as? String == "42")
      #expect(json["source"] as? String == "CapplanCLITests")
      // Raw control characters never reach the line: they are escaped.
      #expect(line.dropLast().unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F })
    }
    #expect(invalidUTF8.contains("\u{FFFD}"), "bytes that are not UTF-8 arrive as U+FFFD")
  }

  @Test func timestampsAreISO8601InUTCWithMilliseconds() {
    #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    #expect(
      JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_767_323_045.678_9)) == "2026-01-02T03:04:05.678Z"
    )
  }

  @Test func theLevelFilters() {
    let lines = Lines()
    let logger = Logger(label: "x") { label in
      JSONLogHandler(label: label, level: .notice, write: { lines.append($0) })
    }
    logger.info("hidden")
    logger.notice("shown")
    #expect(lines.all.count == 1)
  }

  /// A real worker process with `--log-format json`: every stderr line is a JSON object.
  @Test func aWorkerLogsJSONLines() throws {
    let fixture = try QueueFixture()
    let id = try fixture.submit()
    let result = try CLI.run(["worker", "--db", fixture.db, "--once", "--log-format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count >= 3, "\(result.stderr)")
    var messages: [String] = []
    for line in lines {
      let json = try CLI.json(String(line))
      #expect(json["timestamp"] is String && json["level"] is String && json["label"] is String)
      messages.append(json["message"] as? String ?? "")
    }
    #expect(messages.contains { $0.hasPrefix("job \(id) attempt 1: plan") }, "\(messages)")
    #expect(try fixture.store.job(id).state == .succeeded)
  }

  @Test func textStaysTheDefaultAndABadFormatIsRefused() throws {
    let fixture = try QueueFixture()
    let text = try CLI.run(["worker", "--db", fixture.db, "--once"])
    #expect(text.status == 0)
    #expect(!text.stderr.hasPrefix("{"), "\(text.stderr)")
    let bad = try CLI.run(["serve", "--db", fixture.db, "--log-format", "xml"])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("--log-format"), "\(bad.stderr)")
  }
}

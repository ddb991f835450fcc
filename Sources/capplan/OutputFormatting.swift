import CapacityModel
import Foundation

enum FileHandleStderr {
  static func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

enum JSONOutput {
  /// Pretty, key-sorted JSON on stdout: stable for scripts and diffs.
  static func print<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
  }
}

/// The CLI's short names for `NumberText`'s rules.
/// $M with thousands separators and one decimal (or `decimals`): 80,943.3.
func money(_ x: Double, _ decimals: Int = 1) -> String { NumberText.grouped(x, decimals) }
/// Fixed decimals, no "-0".
func fixed(_ x: Double, _ decimals: Int = 2) -> String { NumberText.fixed(x, decimals) }
func percent(_ x: Double?) -> String { x.map { NumberText.percent($0) } ?? "-" }

/// One value-type style, not a formatter made per call: the console and the tables call this
/// for every row.
private let isoDateStyle = Date.ISO8601FormatStyle()

func isoDate(_ d: Date?) -> String {
  guard let d else { return "-" }
  // Past year 9999 (a corrupt row) the formatter has no answer worth printing.
  guard abs(d.timeIntervalSince1970) < 253_402_300_800 else {
    return "(\(d.timeIntervalSince1970) s after 1970)"
  }
  return isoDateStyle.format(d)
}

extension String {
  func trimmingZeros() -> String {
    guard contains(".") else { return self }
    var s = self
    while s.last == "0" { s.removeLast() }
    if s.last == "." { s.removeLast() }
    return s
  }
}

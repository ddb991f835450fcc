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

/// Formats a number for a table: fixed decimals, no "-0".
func fixed(_ x: Double, _ decimals: Int = 2) -> String {
  let s = String(format: "%.\(decimals)f", x)
  if s.hasPrefix("-"), Double(s) == 0 { return String(s.dropFirst()) }
  return s
}

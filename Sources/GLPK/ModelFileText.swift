import CSystemZlib
import Foundation
import LinearProgramming

/// What GLPK's MPS and LP writers lose, carried in the text of the file:
/// the objective sense in MPS (as the common `OBJSENSE` section, which GLPK's
/// reader does not know), and the objective constant in LP (GLPK writes it as
/// a comment `\* constant term = C *\`; no reader takes a constant there).
struct ModelFileText {
  var text: String
  var sense: ObjectiveSense?
  var constant: Double?

  /// Finds and blanks the lines GLPK cannot read. Blank comment lines keep
  /// every other line where it was, so GLPK's line numbers stay true.
  static func preparing(_ text: String, format: ModelFileFormat) -> ModelFileText {
    var out = ModelFileText(text: text)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var changed = false
    switch format {
    case .mps, .freeMPS:
      var i = 0
      while i < lines.count {
        let fields = lines[i].split(whereSeparator: { $0 == " " || $0 == "\t" })
        if lines[i].hasPrefix("OBJSENSE") {
          var value = fields.count > 1 ? String(fields[1]) : ""
          lines[i] = "*"
          if value.isEmpty, i + 1 < lines.count, lines[i + 1].first == " " || lines[i + 1].first == "\t" {
            value = lines[i + 1].trimmingCharacters(in: .whitespaces)
            lines[i + 1] = "*"
          }
          out.sense = value.uppercased().hasPrefix("MAX") ? .maximize : .minimize
          changed = true
          break
        }
        if lines[i].hasPrefix("ROWS") { break }
        i += 1
      }
    case .lp:
      for (i, line) in lines.enumerated() {
        let t = line.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("\\* constant term = "), t.hasSuffix("*\\"),
          let c = Double(
            t.dropFirst("\\* constant term = ".count).dropLast(2).trimmingCharacters(in: .whitespaces))
        {
          out.constant = c
          lines[i] = ""
          changed = true
          break
        }
        if t.lowercased().hasPrefix("subject to") || t.lowercased().hasPrefix("s.t.") { break }
      }
    case .mathProg: break
    }
    if changed { out.text = lines.joined(separator: "\n") }
    return out
  }

  /// Adds the objective sense to an MPS text GLPK wrote.
  static func addingSense(_ text: String, _ sense: ObjectiveSense) -> String {
    guard sense == .maximize, let rows = text.range(of: "\nROWS") else { return text }
    return text.replacingCharacters(in: rows, with: "\nOBJSENSE\n    MAX\nROWS")
  }
}

/// Whole-file gzip reading and writing.
enum Gzip {
  static func isCompressed(_ path: String) -> Bool { path.lowercased().hasSuffix(".gz") }

  static func read(_ path: String) -> Data? {
    guard let f = gzopen(path, "rb") else { return nil }
    defer { gzclose(f) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = gzread(f, &buffer, UInt32(buffer.count))
      if n < 0 { return nil }
      if n == 0 { break }
      data.append(buffer, count: Int(n))
    }
    return data
  }

  static func write(_ data: Data, to path: String) -> Bool {
    guard let f = gzopen(path, "wb") else { return false }
    var ok = true
    data.withUnsafeBytes { raw in
      if let base = raw.baseAddress, raw.count > 0 {
        ok = gzwrite(f, base, UInt32(raw.count)) == Int32(raw.count)
      }
    }
    return gzclose(f) == Z_OK && ok
  }
}

/// How user text (ids, `use`, names, paths, messages, anything read back from
/// a store) is written into each output format, so that it stays text there:
/// no formula a spreadsheet runs, no HTML a Markdown viewer renders, no escape
/// sequence a terminal obeys. The HTML report escapes in `ReportHTML`.
public enum OutputEscaping {
  /// A CSV field, per OWASP's CSV injection rule: text that starts with `=`,
  /// `+`, `-`, `@`, tab or carriage return is prefixed with `'` (and quoted),
  /// so spreadsheets show it instead of evaluating it. A field that is a plain
  /// decimal number (`-5`, `1.5e3`) is a number and stays as it is.
  public static func csvField(_ s: String, numeric: Bool? = nil) -> String {
    var s = s
    // A lone "-" (a placeholder for "not applicable") has nothing to evaluate.
    if let first = s.utf8.first, formulaStarts.contains(first), s != "-", !(numeric ?? isPlainNumber(s)) {
      s = "'" + s
    }
    // Control characters other than line breaks and tabs are written out, as in a terminal.
    if s.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09) || $0 == 0x7F }) {
      s = s.unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? String($0) : Excerpt.escaped($0) }
        .joined()
    }
    return s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
      ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
  }

  /// A JSON string literal: quote, backslash and every control character
  /// escaped, and U+2028/U+2029 too (some JSON readers are JavaScript). Swift
  /// strings hold only valid Unicode (bytes that were not UTF-8 became U+FFFD
  /// when decoded), so the result is valid UTF-8.
  public static func jsonString(_ text: String) -> String {
    // 0xE2 starts U+2028/U+2029 in UTF-8; text without it or an escape needs no work.
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
      return "\"" + text + "\""
    }
    var out = "\""
    out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 2)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}" {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// `=`, `+`, `-`, `@`, tab, carriage return.
  static let formulaStarts: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]

  /// Digits with an optional sign, point and exponent: what spreadsheets read as a number.
  public static func isPlainNumber(_ s: String) -> Bool {
    guard let x = Double(s), x.isFinite else { return false }
    return s.utf8.allSatisfy { (0x30...0x39).contains($0) || [0x2B, 0x2D, 0x2E, 0x65, 0x45].contains($0) }
  }

  /// A Markdown table cell (or heading text): HTML is written as entities,
  /// `|` cannot end the cell, line breaks cannot end the row, and `[`/`]`
  /// cannot make a link or image. Control characters are escaped as in a terminal.
  public static func markdown(_ s: String) -> String {
    guard s.utf8.contains(where: { markdownSpecial.contains($0) || $0 < 0x20 || $0 >= 0x7F }) else {
      return s
    }
    var out = ""
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "|": out += "\\|"
      case "[": out += "\\["
      case "]": out += "\\]"
      case "`": out += "\\`"
      case "\n", "\r": out += " "
      default: out += Excerpt.escaped(ch)
      }
    }
    return out
  }

  static let markdownSpecial: Set<UInt8> = Set("&<>|[]`".utf8)

  /// Free text of several lines (a headline) for `format`: Markdown escaping
  /// per line, terminal escaping otherwise.
  public static func lines(_ text: String, markdown: Bool) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { markdown ? Self.markdown(String($0)) : terminal(String($0)) }.joined(separator: "\n")
  }

  /// Terminal text: control characters, escape sequences and bidirectional
  /// overrides are written out (`\u{1B}`) instead of being sent to the terminal.
  public static func terminal(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F }) else { return s }
    return Excerpt.escapingAll(s)
  }
}

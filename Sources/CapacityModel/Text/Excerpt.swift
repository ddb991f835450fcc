/// A short, escaped piece of text from a file or a user, safe to put in a
/// message, a log line or a stored note: at most `limit` characters, with
/// control characters, escape sequences and bidirectional overrides written
/// as `\n`, `\u{1B}` and so on, and `…` where it was cut. A file that turned
/// out not to be what was expected (a password file behind a symlink) then
/// leaks at most a few words, and cannot drive the terminal that shows it.
public enum Excerpt {
  public static func of(_ text: some StringProtocol, limit: Int = 40) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
      if count >= limit {
        out += "…"
        break
      }
      out += escaped(scalar)
      count += 1
    }
    return out
  }

  /// Every character of `text`, with the unsafe ones escaped as `of` does.
  public static func escapingAll(_ text: some StringProtocol) -> String {
    var out = ""
    for scalar in text.unicodeScalars { out += escaped(scalar) }
    return out
  }

  public static func escaped(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\t": return "\\t"
    default:
      let v = scalar.value
      let unsafe =
        v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
        || (0x2066...0x2069).contains(v)
        || v == 0x200E || v == 0x200F || v == 0xFEFF
      return unsafe ? "\\u{\(String(v, radix: 16, uppercase: true))}" : String(scalar)
    }
  }
}

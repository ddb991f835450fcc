/// How a scenario's numbers are read: YAML 1.2's core schema in decimal,
/// with optional sign, fraction and exponent (`250`, `-1.5`, `.5`, `2e3`), and
/// `.inf`/`.nan` (refused later where a field needs a finite value).
///
/// Forms that YAML 1.1 reads as numbers and 1.2 does not, or reads differently,
/// are errors rather than guesses: a leading zero (`0250` is 168 in YAML 1.1,
/// 250 in 1.2), `0o`/`0x`/`0b` bases, `_` digit separators and sexagesimal
/// `1:30` (90 in YAML 1.1).
enum YAMLNumber: Equatable {
  case number(Double)
  /// Looks like a number, but is not one in plain decimal; says why.
  case ambiguous(String)
  case notANumber

  static func read(_ text: String) -> YAMLNumber {
    if let special = special(text) { return .number(special) }
    let bytes = Array(text.utf8)
    let body =
      bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
    if isDecimal(bytes) {
      if body.count > 1, body.first == UInt8(ascii: "0"), isDigit(body[body.startIndex + 1]) {
        return .ambiguous(
          "a leading zero makes it octal in YAML 1.1 and decimal in YAML 1.2; write it without the zero")
      }
      return Double(text).map(YAMLNumber.number) ?? .notANumber
    }
    if body.count > 2, body.first == UInt8(ascii: "0"),
      "xXoObB".utf8.contains(body[body.startIndex + 1]),
      body.dropFirst(2).allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: "_") })
    {
      return .ambiguous("write numbers in decimal (no 0x, 0o or 0b prefix)")
    }
    if body.contains(UInt8(ascii: ":")), let first = body.first, isDigit(first),
      body.allSatisfy({ isDigit($0) || ":._".utf8.contains($0) })
    {
      return .ambiguous("YAML 1.1 reads 'a:b' as a base-60 number (1:30 is 90); write the value in decimal")
    }
    if bytes.contains(UInt8(ascii: "_")), isDecimal(bytes.filter { $0 != UInt8(ascii: "_") }) {
      return .ambiguous("write it without '_' digit separators")
    }
    return .notANumber
  }

  /// `[-+]? ( \.[0-9]+ | [0-9]+ (\.[0-9]*)? ) ([eE][-+]?[0-9]+)?`
  static func isDecimal(_ bytes: [UInt8]) -> Bool {
    var i = 0
    func digits() -> Int {
      let start = i
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
      return i - start
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
    let whole = digits()
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      let fraction = digits()
      if whole == 0 && fraction == 0 { return false }
    } else if whole == 0 {
      return false
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      if digits() == 0 { return false }
    }
    return i == bytes.count
  }

  static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
  static func isHexDigit(_ b: UInt8) -> Bool {
    isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
      || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
  }

  static func special(_ text: String) -> Double? {
    switch text {
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
    case "-.inf", "-.Inf", "-.INF": return -.infinity
    case ".nan", ".NaN", ".NAN": return .nan
    default: return nil
    }
  }
}

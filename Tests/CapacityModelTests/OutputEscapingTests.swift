import Foundation
import Testing

@testable import CapacityModel

/// Hostile user text in each output format (the CLI tests run it end to end).
@Suite struct OutputEscapingTests {
  @Test(arguments: [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2-1", "'-2-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "\"'\t=1\""), ("\r=1", "\"'\r=1\""), ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
    ("a,b", "\"a,b\""), ("bell\u{7}", "bell\\u{7}"),
  ])
  func csvNeutralisesFormulas(_ cell: String, _ written: String) {
    #expect(OutputEscaping.csvField(cell) == written)
  }

  @Test(arguments: ["-6.5", "+3", "-1e3", "0.25", "-0", "-"])
  func csvNumbersStayNumbers(_ number: String) {
    #expect(OutputEscaping.csvField(number) == number)
  }

  @Test func typedTextCellsAreNeutralisedEvenWhenNumeric() {
    #expect(OutputEscaping.csvField("-5", numeric: false) == "'-5")
    #expect(OutputEscaping.csvField("-5", numeric: true) == "-5")
  }

  /// One JSON string escaper serves the exports, the HTTP zip index and the JSON log lines:
  /// whatever the text, it parses back to the same text, and line separators never stay raw.
  @Test(arguments: [
    "plain", "", "quote \" backslash \\", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}",
    "sep \u{2028} para \u{2029}", "é ✓ 😀 \u{E2}", "</script><script>alert('x')</script>",
  ])
  func jsonStringsParseBackToTheSameText(_ text: String) throws {
    let literal = OutputEscaping.jsonString(text)
    #expect(!literal.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
    let parsed = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: .fragmentsAllowed)
    #expect(parsed as? String == text)
  }

  @Test func markdownEscapesHTMLLinksPipesAndLineBreaks() {
    #expect(
      OutputEscaping.markdown("<script>a&b</script>|[x](javascript:y)\nz`c`")
        == "&lt;script&gt;a&amp;b&lt;/script&gt;\\|\\[x\\](javascript:y) z\\`c\\`")
    #expect(OutputEscaping.markdown("plain-id_1.2") == "plain-id_1.2")
  }

  @Test func terminalWritesOutControlsAndBidiOverrides() {
    #expect(OutputEscaping.terminal("a\u{1B}[2Jb\u{9B}c\u{202E}d") == "a\\u{1B}[2Jb\\u{9B}c\\u{202E}d")
    #expect(OutputEscaping.terminal("héllo wörld") == "héllo wörld")
    #expect(OutputEscaping.lines("one\u{1B}\ntwo", markdown: false) == "one\\u{1B}\ntwo")
  }
}

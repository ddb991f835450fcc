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

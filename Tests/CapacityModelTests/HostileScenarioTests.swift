import Foundation
import Testing

@testable import CapacityModel

/// Numbers read by YAML 1.2's core schema, files that are not scenarios, and
/// the size limit: what a careless or hostile file must not get past.
@Suite("Hostile scenario files")
struct HostileScenarioTests {
  /// `installed_mw: {trainium2: FORM}` in the base scenario.
  func installed(_ form: String) -> String {
    scenarioYAML(
      sites: "sites:\n  - id: indiana\n    power_mw: 1000\n    installed_mw: {trainium2: \(form)}\n")
  }

  @Test(arguments: [
    ("250", 250.0), ("+250", 250), ("0", 0), ("0.5", 0.5), (".5", 0.5), ("5.", 5), ("2.5e2", 250),
    ("25E1", 250), ("2500e-1", 250), ("0.25e3", 250), ("0e0", 0),
  ])
  func decimalFormsAreRead(_ form: String, _ expected: Double) throws {
    let scenario = try valid(installed(form))
    #expect(scenario.sites[0].installedMW == [expected, 0])
  }

  /// Each form YAML 1.1 reads as a number that is not plain decimal: refused,
  /// naming the field and showing the text as written. Before, 0250 was 168 MW
  /// and 1:30 was 90, and the file was called valid.
  @Test(arguments: [
    ("0250", "leading zero"), ("010", "leading zero"), ("-010", "leading zero"), ("00", "leading zero"),
    ("0250.5", "leading zero"), ("1:30", "base-60"), ("1:30:00", "base-60"), ("190:20:30.15", "base-60"),
    ("0x1F", "0x"), ("0o17", "0x, 0o"), ("0b101", "0b"), ("1_000", "'_'"), ("1_000.5", "'_'"),
  ])
  func yaml11NumberFormsAreErrors(_ form: String, _ why: String) {
    let yaml = installed(form)
    let found = issues(yaml)
    #expect(found.count == 1, "\(found)")
    let issue = found.first
    #expect(issue?.path == "sites[0].installed_mw.trainium2")
    #expect(issue?.line == line(of: "installed_mw", in: yaml))
    #expect(issue?.message.hasPrefix("'\(form)' is not a decimal number") == true, "\(issue?.message ?? "")")
    #expect(issue?.message.contains(why) == true, "\(issue?.message ?? "")")
  }

  /// `.inf` still reaches validation, which refuses it as before.
  @Test func infinityStillRefusedByValidation() {
    let found = issues(installed(".inf"))
    #expect(found.count == 1)
    #expect(found.first?.path == "sites[0].installed_mw.trainium2")
  }

  @Test func textIsStillNotANumber() {
    let found = issues(installed("lots"))
    #expect(found.first?.message == "expected a number, found 'lots'")
  }

  @Test func passwordFileIsDescribedNotQuoted() {
    let passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    let found = issues(passwd)
    #expect(found.count == 1)
    let message = found.first?.message ?? ""
    #expect(message.hasPrefix("this is not a scenario file: it holds a single text value of"), "\(message)")
    #expect(!message.contains("root") && !message.contains("daemon"), "\(message)")
  }

  @Test func envFileWithSecretsIsDescribedNotQuoted() {
    let found = issues("DB_PASSWORD: hunter2-secret\nAPI_KEY: sk-live-123\n")
    #expect(found.count == 1)
    #expect(found.first?.message.contains("a mapping of 2 keys, none of them a scenario field") == true)
    #expect(found.allSatisfy { !$0.description.contains("hunter2") && !$0.description.contains("sk-live") })
  }

  /// A long value of the wrong type is quoted by a short, escaped excerpt only.
  @Test func wrongTypeValuesAreExcerpted() {
    let secret = String(repeating: "s3cr3t", count: 50)
    let yaml = installed("\"\\e[31m\(secret)\"")  // YAML's \e escape: an ESC in the value
    let message = issues(yaml).first?.description ?? ""
    #expect(message.contains("\\u{1B}[31m"), "\(message)")
    #expect(!message.contains("\u{1B}"))
    #expect(!message.contains(secret))
    #expect(message.contains("…"))
  }

  @Test func excerptCutsAndEscapes() {
    #expect(Excerpt.of("a\nb\tc\u{7}d\u{202E}e") == "a\\nb\\tc\\u{7}d\\u{202E}e")
    #expect(Excerpt.of(String(repeating: "x", count: 100)) == String(repeating: "x", count: 40) + "…")
  }

  @Test func yamlSyntaxErrorQuotesAtMostAnExcerpt() {
    let secret = String(repeating: "p4ss", count: 100)
    let found = issues("scenario: test\nkey: \"\(secret)\\q\"\n")
    #expect(found.count == 1)
    #expect(found.allSatisfy { $0.description.count < 400 && !$0.description.contains(secret) }, "\(found)")
  }

  /// Seven levels of ten aliases: a few hundred bytes that expand to ten million values. It is
  /// refused at once, as the base or as an override, instead of taking a minute and gigabytes.
  static let aliasBomb =
    "a: &a [1,1,1,1,1,1,1,1,1,1]\n"
    + (1..<7).map { i -> String in
      let (name, prev) = (String(UnicodeScalar(UInt8(97 + i))), String(UnicodeScalar(UInt8(96 + i))))
      return "\(name): &\(name) [" + Array(repeating: "*\(prev)", count: 10).joined(separator: ",") + "]\n"
    }.joined()

  @Test func aliasBombsAreRefused() {
    for found in [
      issues(Self.aliasBomb, file: "bomb.yaml"),
      composeIssues([(Self.aliasBomb, "bomb.yaml")]),
    ] {
      #expect(found.count == 1, "\(found)")
      #expect(found.first?.file == "bomb.yaml")
      #expect(found.first?.message.contains("aliases (*name) expand it past") == true, "\(found)")
    }
    // A few aliases, as a person writes them, still read.
    let shared = scenarioYAML(
      hardware: "hardware:\n  - id: trainium2\n    opex_per_mw_year: &opex 3\n    capex_per_mw: *opex\n"
        + "  - {id: gb200, opex_per_mw_year: 8, capex_per_mw: 30}\n")
    #expect(issues(shared).isEmpty, "\(issues(shared))")
  }

  @Test func oversizedFilesAreRefusedBeforeReading() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capplan-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("big.yaml").path
    // A sparse file: 2 GB on paper, nothing on disk; reading it whole would take 2 GB.
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 2 << 30)
    try handle.close()
    let error = #expect(throws: ScenarioError.self) { try ScenarioLoader.load(contentsOf: path) }
    #expect(
      error?.issues.first?.message
        == "the file is 2048 MB; scenarios are limited to 64 MB (set CAPPLAN_MAX_SCENARIO_MB to change it)")
    // A device has no size: read up to one byte past the limit, then refused.
    let device = #expect(throws: ScenarioError.self) { try ScenarioFile.read("/dev/zero", maxBytes: 1 << 20) }
    #expect(device?.issues.first?.message.hasPrefix("the file is larger than 1 MB") == true)
    // Text (a stored job's) is held to the same limit.
    #expect(throws: ScenarioError.self) {
      try ScenarioFile.check(String(repeating: "a", count: 11), label: "x", maxBytes: 10)
    }
  }
}

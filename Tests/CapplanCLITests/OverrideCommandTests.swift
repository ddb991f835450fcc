import CapacityModel
import Foundation
import JobQueue
import Testing

/// `--override` and `--case` through the CLI, on the seed's Bedrock deal: 1 MW of Trainium2 at
/// $6.5M opex serving Claude at 25% of R = $26M plus $7.5M, so EBIT = 1 + 0.25 R (7.5 as written).
@Suite struct OverrideCommandTests {
  let dir: URL
  let seed = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path

  init() throws { dir = try CLI.temporaryDirectory() }

  /// Writes `text` to `name` in the test's folder; returns its path.
  func file(_ name: String, _ text: String) throws -> String {
    let path = dir.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func grossOverride(_ name: String, _ gross: Double) throws -> String {
    try file(name, "offerings:\n  - id: claude\n    gross_revenue_per_mw_year: {trainium2: \(gross)}\n")
  }

  func ebit(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Double? {
    let r = try CLI.run(["solve"] + arguments + ["--format", "json"])
    #expect(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
    return try (CLI.json(r.stdout)["totals"] as? [String: Any])?["ebit"] as? Double
  }

  @Test func solveWithAnOverrideChangesEBIT() throws {
    #expect(try ebit([seed]) == 7.5)
    // R = 30: 1 + 0.25 x 30 = 8.5.
    #expect(try ebit([seed, "--override", try grossOverride("r30.yaml", 30)]) == 8.5)
  }

  @Test func overridesApplyInOrder() throws {
    let r30 = try grossOverride("r30.yaml", 30)
    let r34 = try grossOverride("r34.yaml", 34)
    let share = try file("share.yaml", "offerings:\n  - {id: claude, revenue_share: 0.3}\n")
    // The last one given wins where two set the same field: 1 + 0.25 x 34 = 9.5, 1 + 0.25 x 30 = 8.5.
    #expect(try ebit([seed, "--override", r30, "--override", r34]) == 9.5)
    #expect(try ebit([seed, "--override", r34, "--override", r30]) == 8.5)
    // Both apply where they set different fields: 7.5 + 0.3 x 30 - 6.5 = 10.
    let both = try #require(try ebit([seed, "--override", r30, "--override", share]))
    #expect(abs(both - 10) < 1e-9)
  }

  @Test func anOverrideAddsASite() throws {
    let site = try file("site.yaml", "sites:\n  - {id: second, power_mw: 5, installed_mw: {trainium2: 1}}\n")
    // Two MW, each earning 7.5.
    #expect(try ebit([seed, "--override", site]) == 15)
  }

  /// The seed with cases: `rich` (R = 30) and `broken` (a PUE below 1).
  func seedWithCases() throws -> String {
    try file(
      "cases.yaml",
      try String(contentsOfFile: seed, encoding: .utf8) + """
        cases:
          rich:
            offerings:
              - {id: claude, gross_revenue_per_mw_year: {trainium2: 30}}
          broken:
            sites:
              - {id: seed-site, pue: 0.5}
        """)
  }

  @Test func solveACase() throws {
    let path = try seedWithCases()
    #expect(try ebit([path]) == 7.5)
    #expect(try ebit([path, "--case", "rich"]) == 8.5)
    // The case first, then the override: R = 34 wins.
    #expect(try ebit([path, "--case", "rich", "--override", try grossOverride("r34.yaml", 34)]) == 9.5)
    let unknown = try CLI.run(["solve", path, "--case", "poor"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no case named 'poor': its cases are rich, broken"), "\(unknown.stderr)")
  }

  @Test func errorsNameTheOverrideFileAndLine() throws {
    let bad = try file(
      "bad.yaml",
      "# R as text\nofferings:\n  - id: claude\n    revenue_share: lots\npolicies:\n  - {id: none, remove: true}\n"
    )
    let r = try CLI.run(["solve", seed, "--override", bad])
    #expect(r.status == 2)
    #expect(
      r.stderr.contains("\(bad):4: offerings[0].revenue_share: expected a number, found 'lots'"),
      "\(r.stderr)")
    #expect(r.stderr.contains("\(bad):6: policies: cannot remove 'none'"), "\(r.stderr)")
    // A value out of range is named at the override's line too, by validation.
    let high = try file("high.yaml", "offerings:\n  - id: claude\n    revenue_share: 1.5\n")
    let v = try CLI.run(["validate", seed, "--override", high])
    #expect(v.status == 2)
    #expect(v.stdout.contains("\(high):3: offerings[0].revenue_share:"), "\(v.stdout)")
    #expect(v.stdout.contains("\(seed) + \(high): invalid"), "\(v.stdout)")
  }

  @Test func validateListsErrorsPerCase() throws {
    let path = try seedWithCases()
    let r = try CLI.run(["validate", path])
    #expect(r.status == 2)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let pueLine =
      try #require(
        try String(contentsOfFile: path, encoding: .utf8).split(
          separator: "\n", omittingEmptySubsequences: false
        )
        .firstIndex { $0.contains("pue: 0.5") }
      ) + 1
    #expect(
      lines == [
        "\(path): valid", "\(path) case rich: valid",
        "\(path):\(pueLine): sites[0].pue: must be at least 1, found 0.5", "\(path) case broken: invalid",
      ], "\(r.stdout)")
    #expect(r.stderr.contains("1 of 3 scenarios (files and cases) invalid"))
    let one = try CLI.run(["validate", path, "--case", "rich"])
    #expect(one.status == 0)
    #expect(one.stdout == "\(path) case rich: valid\n")
  }

  /// A base that is not YAML fails its cases check with the same error; it is printed once.
  @Test func aBaseThatDoesNotReadIsReportedOnce() throws {
    let path = try file("broken.yaml", "scenario: x\n  bad: [\n")
    let r = try CLI.run(["validate", path])
    #expect(r.status == 2)
    #expect(r.stdout.components(separatedBy: "YAML syntax error").count == 2, "\(r.stdout)")
    #expect(r.stdout.hasPrefix("\(path):2: YAML syntax error"), "\(r.stdout)")
  }

  @Test func submitStoresTheMergedScenario() throws {
    let q = try QueueFixture()
    let r30 = try grossOverride("r30.yaml", 30)
    let r = try CLI.run(["submit", seed, "--override", r30, "--db", q.db, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let job = try q.store.job(try #require(try CLI.json(r.stdout)["id"] as? Int64))
    #expect(job.source == "\(seed) + \(r30)")
    let text = try q.store.scenarioText(ofJob: job.id)
    #expect(job.scenarioSHA256 == ScenarioHash.sha256(text))
    // The text stored is the merged scenario, and reads back as the scenario that was validated.
    let stored = try ScenarioLoader.parse(yaml: text, file: "job")
    let merged = try ScenarioComposer.load(seed, overrides: [r30])
    #expect(stored.scenario == merged.document.scenario)
    #expect(stored.scenario.offerings[0].grossRevenuePerMWYear?["trainium2"] == 30)
    let w = try q.worker(["--once"])
    #expect(w.wait(seconds: 60) == 0, "\(w.output)")
    let planID = try #require(try q.store.job(job.id).planID)
    #expect(try q.store.plan(planID).totals?.ebit == 8.5)
  }

  @Test(arguments: Backend.available) func aScheduleReappliesItsOverrideAtEachFire(_ backend: Backend) throws
  {
    let q = try QueueFixture(backend)
    let base = try seedWithCases()
    let over = try grossOverride("r34.yaml", 34)
    let add = try CLI.run([
      "schedule", "add", "deal", base, "--case", "rich", "--override", over, "--every", "1h", "--db", q.db,
    ])
    #expect(add.status == 0, "\(add.stderr)")
    let show = try CLI.run(["schedule", "show", "deal", "--db", q.db])
    #expect(show.stdout.contains("case") && show.stdout.contains("rich"), "\(show.stdout)")
    #expect(show.stdout.contains("override 1") && show.stdout.contains(over), "\(show.stdout)")
    let list = try CLI.run(["schedule", "list", "--db", q.db])
    #expect(list.stdout.contains("\(base) case rich + \(over)"), "\(list.stdout)")

    #expect(try CLI.run(["schedule", "run-now", "deal", "--db", q.db]).status == 0)
    let jobs = try q.store.jobs(JobFilter())
    let job = try #require(jobs.first)
    let stored = try ScenarioLoader.parse(yaml: try q.store.scenarioText(ofJob: job.id), file: "job")
    #expect(stored.scenario.offerings[0].grossRevenuePerMWYear?["trainium2"] == 34)
    #expect(job.source == "\(base) case rich + \(over)")

    // The override is re-read at each fire: R = 38 gives 1 + 0.25 x 38 = 10.5.
    _ = try grossOverride("r34.yaml", 38)
    #expect(try CLI.run(["schedule", "run-now", "deal", "--db", q.db]).status == 0)
    let w = try q.worker(["--once"])
    #expect(w.wait(seconds: 60) == 0, "\(w.output)")
    let w2 = try q.worker(["--once"])
    #expect(w2.wait(seconds: 60) == 0, "\(w2.output)")
    let ebits = try q.store.jobs(JobFilter()).sorted { $0.id < $1.id }.compactMap(\.planID).map {
      try q.store.plan($0).totals?.ebit
    }
    #expect(ebits == [9.5, 10.5])

    // A broken override at fire time makes no job and says why, at its line.
    try "offerings:\n  - id: claude\n    revenue_share: lots\n".write(
      toFile: over, atomically: true, encoding: .utf8)
    let fire = try CLI.run(["schedule", "run-now", "deal", "--db", q.db])
    #expect(fire.status == 0, "\(fire.stderr)")
    let note = try #require(try q.store.schedule(named: "deal").lastNote)
    #expect(note.contains("\(over):3: offerings[0].revenue_share: expected a number"), "\(note)")
    #expect(try q.store.jobs(JobFilter()).count == 2)
    // So does one that is gone.
    try FileManager.default.removeItem(atPath: over)
    #expect(try CLI.run(["schedule", "run-now", "deal", "--db", q.db]).status == 0)
    let gone = try #require(try q.store.schedule(named: "deal").lastNote)
    #expect(gone.hasPrefix("cannot read \(over): "), "\(gone)")
    #expect(try q.store.jobs(JobFilter()).count == 2)
  }
}

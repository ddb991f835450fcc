import CapacityModel
import Foundation
import JobQueue
import Testing

/// `capplan sweep` and `capplan studies`, run as a user runs them.
@Suite struct SweepCommandTests {
  func model(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Models/\(name)").path }

  func rows(_ stdout: String) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]])
  }

  /// A list and a range on two axes make a grid, first axis slowest; the JSON has the values as
  /// written (0.3, never 0.30000000000000004) and the seed's exact EBIT, 1 + s R.
  @Test func listsAndRangesMakeAGridWithCleanValues() throws {
    let r = try CLI.run([
      "sweep", model("seed-bedrock-deal.yaml"), "--metric", "status,ebit", "--format", "json",
      "--set", "offerings.claude.gross_revenue_per_mw_year.trainium2=20,40",
      "--set", "offerings.claude.revenue_share=0.1:0.3:0.1",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stdout.contains("0.30000000000000004") && r.stdout.contains("0.3"))
    let points = try rows(r.stdout)
    let revenue = "offerings.claude.gross_revenue_per_mw_year.trainium2"
    let share = "offerings.claude.revenue_share"
    let pairs = points.map { [$0[revenue] as? Double, $0[share] as? Double] }
    #expect(pairs == [[20, 0.1], [20, 0.2], [20, 0.3], [40, 0.1], [40, 0.2], [40, 0.3]])
    for p in points {
      let (rv, s) = (try #require(p[revenue] as? Double), try #require(p[share] as? Double))
      #expect(abs(try #require(p["ebit"] as? Double) - (1 + s * rv)) < 1e-9)
      #expect(p["status"] as? String == "optimal")
    }
  }

  /// A value out of range and an infeasible value keep their rows with the reason; the point
  /// that solves still solves; the exit status is the first failure's (2, invalid input).
  @Test func failingPointsStayInTheResults() throws {
    let r = try CLI.run([
      "sweep", model("infeasible-power.yaml"), "--set", "sites.virginia.power_mw=-1,250,400",
      "--metric", "status,ebit", "--format", "json",
    ])
    #expect(r.status == 2, "\(r.stderr)")
    let points = try rows(r.stdout)
    #expect(points.map { $0["status"] as? String } == ["invalid", "infeasible", "optimal"])
    #expect((points[0]["message"] as? String)?.contains("MW cannot be negative, found -1") == true)
    #expect((points[1]["message"] as? String)?.contains("power at site virginia") == true)
    #expect(points[2]["message"] == nil && points[2]["ebit"] is Double)
    #expect(r.stderr.contains("2 of 3 points did not solve; the first, sites.virginia.power_mw=-1"))
    // Only the infeasible point: exit 3.
    let infeasible = try CLI.run([
      "sweep", model("infeasible-power.yaml"), "--set", "sites.virginia.power_mw=250,400",
    ])
    #expect(infeasible.status == 3)
    #expect(infeasible.stdout.contains("infeasible") && infeasible.stdout.contains("note"))
  }

  /// The formats are every other command's: table rounded for people, CSV with every digit.
  @Test func formatsAreTheSameAsEveryOtherCommand() throws {
    let args = [
      "sweep", model("seed-bedrock-deal.yaml"), "--metric", "ebit_margin",
      "--set", "offerings.claude.gross_revenue_per_mw_year.trainium2=10",
    ]
    let table = try CLI.run(args)
    #expect(table.stdout.contains("35.0%"))
    let markdown = try CLI.run(args + ["--format", "markdown"])
    #expect(markdown.status == 0)
    #expect(
      markdown.stdout.contains("| offerings.claude.gross_revenue_per_mw_year.trainium2 | EBIT margin |"))
    #expect(markdown.stdout.contains("| 10 | 35.0% |"))
    let csv = try CLI.run(args + ["--format", "csv"])
    // (1 + 2.5) / (7.5 + 2.5) = 0.35 exactly as printed by Swift's shortest form.
    #expect(csv.stdout.contains("\n10,0.35"))
  }

  /// An override is merged before the sweep edits each point: with R = 30 from the override,
  /// EBIT is 1 + 30 s at each share s, and the table names the override.
  @Test func aSweepRunsOnTheScenarioWithItsOverrides() throws {
    let dir = try CLI.temporaryDirectory()
    let override = dir.appendingPathComponent("r30.yaml").path
    try """
    offerings:
      - id: claude
        gross_revenue_per_mw_year: {trainium2: 30}
    """.write(toFile: override, atomically: true, encoding: .utf8)
    let args = [
      "sweep", model("seed-bedrock-deal.yaml"), "--override", override, "--metric", "ebit",
      "--set", "offerings.claude.revenue_share=0.2,0.3",
    ]
    let r = try CLI.run(args + ["--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let ebit = try rows(r.stdout).map { try #require($0["ebit"] as? Double) }
    #expect(ebit.count == 2 && abs(ebit[0] - 7) < 1e-9 && abs(ebit[1] - 10) < 1e-9, "\(ebit)")
    #expect(
      try CLI.run(args).stdout.hasPrefix("Sensitivity of \(model("seed-bedrock-deal.yaml")) + \(override)"))
  }

  @Test func theSamePathTwiceIsAnError() throws {
    let r = try CLI.run([
      "sweep", model("seed-bedrock-deal.yaml"), "--set", "offerings.claude.revenue_share=0.1",
      "--set", "offerings.claude.revenue_share=0.2",
    ])
    #expect(r.status != 0)
    #expect(r.stderr.contains("--set offerings.claude.revenue_share is given twice"))
  }

  /// Every example in the help runs as printed.
  @Test func theHelpExamplesRunAsWritten() throws {
    let help = try CLI.run(["sweep", "--help"]).stdout
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var commands: [String] = []
    var current = ""
    for line in lines {
      let t = line.trimmingCharacters(in: .whitespaces)
      if t.hasPrefix("capplan sweep ") || !current.isEmpty {
        current += (current.isEmpty ? "" : " ") + t.replacingOccurrences(of: " \\", with: "")
        if !t.hasSuffix("\\") {
          commands.append(current)
          current = ""
        }
      }
    }
    #expect(commands.count == 2)
    for command in commands {
      let words = command.split(separator: " ").map(String.init).dropFirst()
      let r = try CLI.run(Array(words))
      #expect(r.status == 0, "\(command): \(r.stderr)")
    }
  }

  /// `sweep --submit` queues one job per valid point under one study; two workers solve each
  /// point exactly once, and `studies show` prints what the local sweep prints, with each
  /// point's stored plan. The invalid point is kept with its reason and has no job.
  @Test(arguments: Backend.available) func aSubmittedStudyMatchesTheLocalSweep(_ backend: Backend) throws {
    let q = try QueueFixture(backend)
    let sets = [
      "--set", "offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:10",
      "--set", "offerings.claude.revenue_share=0.2,0.3,1.5",
    ]
    let base = ["sweep", model("seed-bedrock-deal.yaml"), "--metric", "status,ebit,ebit_margin"] + sets
    let submitted = try CLI.run(base + ["--submit", "--db", q.db])
    #expect(submitted.status == 0, "\(submitted.stderr)")
    #expect(submitted.stdout == "study 1\n")
    #expect(submitted.stderr.contains("study 1: 8 point(s) queued as jobs 1-8; 4 invalid point(s)"))
    let pending = try CLI.run(["studies", "show", "1", "--db", q.db, "--format", "json"])
    #expect(try rows(pending.stdout).filter { $0["status"] as? String == "queued" }.count == 8)
    #expect(pending.stderr.contains("8 of 12 points not finished yet"))

    let workers = try (0..<2).map { try q.worker(["--once"], name: "w\($0)") }
    for w in workers { #expect(w.wait(seconds: 120) == 0, "\(w.output.suffix(500))") }
    for id in 1...8 { #expect(try q.plansOfJob(Int64(id)) == 1, "job \(id)") }

    let shown = try CLI.run(["studies", "show", "1", "--db", q.db, "--format", "json"])
    #expect(shown.status == 2, "\(shown.stderr)")
    let local = try CLI.run(base + ["--format", "json"])
    #expect(local.status == 2)
    var fromStudy = try rows(shown.stdout)
    let planIDs = fromStudy.compactMap { $0["plan_id"] as? Double }
    for i in fromStudy.indices { fromStudy[i]["plan_id"] = nil }
    #expect(Set(planIDs).count == 8)
    #expect(NSArray(array: fromStudy).isEqual(to: try rows(local.stdout)))

    let list = try CLI.run(["studies", "list", "--db", q.db])
    #expect(list.stdout.contains("seed-bedrock-deal"))
    #expect(list.stdout.contains(" offerings.claude.revenue_share      12    12\n"), "\(list.stdout)")
  }

  /// A study whose stored points do not match its axes (a damaged row, or one copied from a store
  /// another version wrote) is refused with its id and the point, instead of trapping the table.
  @Test(arguments: Backend.available) func aStudyWithMismatchedPointsIsRefused(_ backend: Backend) throws {
    let q = try QueueFixture(backend)
    let axis = SweepAxis(path: "offerings.claude.revenue_share", values: [0.1, 0.2])
    try q.store.importStudies([
      Study(
        id: 7, scenarioID: "seed-bedrock-deal", source: "seed.yaml", createdAt: Date(),
        definition: Study.Definition(
          axes: [axis], metrics: ["status"],
          points: [Study.Point(values: [0.1], error: "x"), Study.Point(values: [0.2, 5, 7], error: "y")]))
    ])
    for format in ["table", "markdown", "json"] {
      let r = try CLI.run(["studies", "show", "7", "--db", q.db, "--format", format])
      #expect(r.status == 1, "\(format): \(r.stderr.suffix(300))")
      #expect(r.stderr.contains("study 7 has an unreadable definition: point 2 has 3 value(s) for 1 axis"))
    }
  }

  /// A --set or --metric typed with an escape sequence is refused with the text written out, so
  /// the refusal cannot drive the terminal; a 10,000-value list is named by an excerpt.
  @Test func setAndMetricTextIsEscapedInRefusals() throws {
    let seed = model("seed-bedrock-deal.yaml")
    for args in [
      ["--set", "x\u{1B}[31mRED"], ["--set", "x=1\u{1B}[2J"],
      ["--set", "x\u{1B}]0;t\u{7}=1", "--set", "x\u{1B}]0;t\u{7}=2"],
      ["--set", "x=1", "--metric", "status,\u{1B}[31m"],
    ] {
      let r = try CLI.run(["sweep", seed] + args)
      #expect(r.status != 0)
      #expect(!r.stderr.contains("\u{1B}") && !r.stderr.contains("\u{7}"), "\(args)")
      #expect(r.stderr.contains("\\u{1B}"), "\(args): \(r.stderr)")
    }
    let many = "x=" + (0...10_000).map(String.init).joined(separator: ",")
    let r = try CLI.run(["sweep", seed, "--set", many])
    #expect(r.status != 0 && r.stderr.contains("a sweep is limited to 10000 points"))
    #expect(r.stderr.utf8.count < 1_000, "the refusal quotes an excerpt, not 50 KB of values")
  }
}

/// `capplan alternatives` on the example portfolio.
@Suite struct AlternativesCommandTests {
  @Test func alternativesStayWithinTheSlackAndAreWrittenAsPlans() throws {
    let dir = try CLI.temporaryDirectory()
    let out = dir.appendingPathComponent("alts").path
    let r = try CLI.run([
      "alternatives", CLI.packageRoot.appendingPathComponent("Models/aws-2026.yaml").path, "--slack", "0.02",
      "--count", "1", "--format", "json", "--out", out,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try CLI.json(r.stdout)
    let plans = try #require(j["plans"] as? [[String: Any]])
    #expect(plans.count == 2)
    let floor = try #require(j["ebit_floor"] as? Double)
    let ebits = try plans.map { try #require(($0["totals"] as? [String: Any])?["ebit"] as? Double) }
    #expect(abs(floor - (ebits[0] - 0.02 * abs(ebits[0]))) < 1e-6 * abs(floor))
    #expect(ebits[1] >= floor - 1e-6 * abs(floor) && ebits[1] <= ebits[0] + 1e-6 * abs(floor))
    let distance = try #require(j["install_mw_from_optimum"] as? [Double])
    #expect(distance[0] == 0 && distance[1] > 1, "the alternative installs differently: \(distance)")
    for name in ["optimum.json", "alternative-1.json"] {
      let plan = try CLI.json(try String(contentsOfFile: "\(out)/\(name)", encoding: .utf8))
      #expect(plan["scenario"] as? String == "aws-2026", "\(name)")
    }
    let table = try CLI.run([
      "alternatives", CLI.packageRoot.appendingPathComponent("Models/aws-2026.yaml").path, "--count", "1",
    ])
    #expect(table.stdout.contains("alternative 1") && table.stdout.contains("In every plan (forced)"))
  }

  @Test func aScenarioWithNothingToDecideSaysSo() throws {
    let r = try CLI.run([
      "alternatives", CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path,
    ])
    #expect(r.status == 0)
    #expect(
      r.stderr.contains("found 0 of 5 alternatives: the scenario has no install or expansion decisions"))
  }
}

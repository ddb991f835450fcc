import CapacityModel
import Foundation
import JobQueue
import Testing

/// `capplan plans compare`, and `plans diff` / `plans report` over plan files: each cell
/// checked against the plan it came from.
@Suite(.serialized) struct PlanCompareTests {
  /// The seed with the lab's revenue per MW raised from 26 to 40: EBIT 1 + 0.25 R = 11.
  static func highRevenueSeed(in dir: URL, scenarioID: String = "seed-high", use: String? = nil) throws
    -> String
  {
    var text = try String(
      contentsOfFile: CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path,
      encoding: .utf8)
    for (from, to) in [
      ("trainium2: 26 ", "trainium2: 40 "), ("scenario: seed-bedrock-deal", "scenario: \(scenarioID)"),
    ] {
      #expect(text.contains(from), "the variant edits \(from)")
      text = text.replacingOccurrences(of: from, with: to)
    }
    if let use {
      let escaped = use.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
        of: "\"", with: "\\\"")
      text = text.replacingOccurrences(of: "use: bedrock", with: "use: \"\(escaped)\"")
    }
    let path = dir.appendingPathComponent("\(scenarioID).yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// `solve FILE --format json` written to `name` in `dir`.
  static func solveToFile(_ scenario: String, _ dir: URL, _ name: String) throws -> String {
    let r = try CLI.run(["solve", scenario, "--format", "json"])
    try #require(r.status == 0, "\(r.stderr)")
    let path = dir.appendingPathComponent(name).path
    try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// `plans compare --format json`: row key -> values in column order.
  static func rows(_ stdout: String) throws -> [String: [Any]] {
    let doc = try CLI.json(stdout)
    let rows = try #require(doc["rows"] as? [[String: Any]])
    var out: [String: [Any]] = [:]
    for r in rows {
      out[try #require(r["key"] as? String)] = try #require(r["values"] as? [Any])
    }
    return out
  }

  @Test func twoStoredPlansOfDifferentScenarios() throws {
    let f = try ReviewFixture()
    let seed = try f.solve("seed-bedrock-deal.yaml")
    let high = try f.solve(try Self.highRevenueSeed(in: f.q.dir))
    let ebitSeed = try #require(try f.q.store.plan(seed).totals?.ebit)
    let ebitHigh = try #require(try f.q.store.plan(high).totals?.ebit)
    // The seed's worked check: EBIT = 1 + 0.25 R.
    #expect(abs(ebitSeed - 7.5) < 1e-9 && abs(ebitHigh - 11) < 1e-9)

    let json = try CLI.run(["plans", "compare", "\(seed)", "\(high)", "--db", f.db, "--format", "json"])
    #expect(json.status == 0, "\(json.stderr)")
    let rows = try Self.rows(json.stdout)
    let ebit = try #require(rows["ebit_musd"] as? [Double])
    #expect(ebit == [ebitSeed, ebitHigh])
    let margins = try #require(rows["ebit_margin_fraction"] as? [Double])
    #expect(abs(margins[0] - 7.5 / 14) < 1e-12 && abs(margins[1] - 11.0 / 17.5) < 1e-12)
    #expect((rows["revenue_by_use_musd.bedrock"] as? [Double]) == [14, 17.5])
    #expect((rows["ebit_by_use_musd.bedrock"] as? [Double]) == [7.5, 11])
    #expect((rows["mw_by_use_average.bedrock"] as? [Double]) == [1, 1])
    #expect((rows["mw_by_hardware_last.trainium2"] as? [Double]) == [1, 1])
    #expect((rows["scenario"] as? [String]) == ["seed-bedrock-deal", "seed-high"])
    let doc = try CLI.json(json.stdout)
    let plans = try #require(doc["plans"] as? [[String: Any]])
    #expect(plans.compactMap { $0["plan_id"] as? Int64 } == [seed, high])

    // The table: EBIT cells as people read them, the row marked as differing.
    let table = try CLI.run(["plans", "compare", "\(seed)", "\(high)", "--db", f.db])
    #expect(table.status == 0, "\(table.stderr)")
    let ebitLine = try #require(
      table.stdout.split(separator: "\n").first { $0.contains("EBIT ($M over the horizon)") })
    #expect(
      ebitLine.contains("7.50") && ebitLine.contains("11.00") && ebitLine.hasSuffix("yes"), "\(ebitLine)")
    #expect(
      table.stdout.contains("plan \(seed) (seed-bedrock-deal)")
        && table.stdout.contains("plan \(high) (seed-high)"))
    let opex = try #require(table.stdout.split(separator: "\n").first { $0.contains("opex ($M") })
    #expect(!opex.hasSuffix("yes"), "opex is 6.5 in both: \(opex)")

    // Only the differences; CSV keeps full precision.
    let only = try CLI.run(["plans", "compare", "\(seed)", "\(high)", "--db", f.db, "--only-differences"])
    #expect(only.stdout.contains("EBIT ($M over the horizon)") && !only.stdout.contains("opex ($M"))
    let csv = try CLI.run(["plans", "compare", "\(seed)", "\(high)", "--db", f.db, "--format", "csv"])
    let records = CSV.parse(csv.stdout)
    let header = try #require(records.first)
    #expect(
      header == [
        "section", "key", "figure", "plan \(seed) (seed-bedrock-deal)", "plan \(high) (seed-high)", "differs",
      ])
    let ebitRow = try #require(records.first { $0.count > 1 && $0[1] == "ebit_musd" })
    #expect(Double(ebitRow[3]) == ebitSeed && Double(ebitRow[4]) == ebitHigh && ebitRow[5] == "true")
    let markdown = try CLI.run([
      "plans", "compare", "\(seed)", "\(high)", "--db", f.db, "--format", "markdown",
    ])
    #expect(
      markdown.stdout.contains("| headline | EBIT ($M over the horizon) | 7.50 | 11.00 | yes |"),
      "\(markdown.stdout)")
  }

  @Test func storedPlanAgainstAPlanFile() throws {
    let f = try ReviewFixture()
    let seed = try f.solve("seed-bedrock-deal.yaml")
    let file = try Self.solveToFile(try Self.highRevenueSeed(in: f.q.dir), f.q.dir, "high.json")
    let r = try CLI.run(["plans", "compare", "\(seed)", "--file", file, "--db", f.db, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try Self.rows(r.stdout)
    #expect((rows["ebit_musd"] as? [Double]) == [try #require(try f.q.store.plan(seed).totals?.ebit), 11])
    let plans = try #require(try CLI.json(r.stdout)["plans"] as? [[String: Any]])
    #expect(plans[1]["file"] as? String == file && plans[1]["plan_id"] == nil)

    // Two files need no database at all.
    let noDB = f.q.dir.appendingPathComponent("never-made.sqlite").path
    let seedFile = try Self.solveToFile(
      CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path, f.q.dir, "seed.json")
    let files = try CLI.run(["plans", "compare", "--file", seedFile, "--file", file, "--db", noDB])
    #expect(files.status == 0, "\(files.stderr)")
    #expect(!FileManager.default.fileExists(atPath: noDB), "no store is opened for plan files")
  }

  /// The finance rows: aws-2026 (8% a year) solved for EBIT and for NPV. Each NPV cell is its
  /// plan's own NPV, the NPV plan's is the larger, and the objectives are named.
  @Test func financeRowsShowEachPlansNPV() throws {
    let dir = try CLI.temporaryDirectory()
    let model = CLI.packageRoot.appendingPathComponent("Models/aws-2026.yaml").path
    let ebitPlan = try Self.solveToFile(model, dir, "ebit.json")
    let r = try CLI.run(["solve", model, "--objective", "npv", "--format", "json"])
    try #require(r.status == 0, "\(r.stderr)")
    let npvPlan = dir.appendingPathComponent("npv.json").path
    try r.stdout.write(toFile: npvPlan, atomically: true, encoding: .utf8)
    let compared = try CLI.run([
      "plans", "compare", "--file", ebitPlan, "--file", npvPlan, "--format", "json",
    ])
    #expect(compared.status == 0, "\(compared.stderr)")
    let rows = try Self.rows(compared.stdout)
    func npv(_ path: String) throws -> Double {
      let plan = try CLI.json(try String(contentsOfFile: path, encoding: .utf8))
      return try #require((plan["cash_flows"] as? [String: Any])?["npv"] as? Double)
    }
    let cells = try #require(rows["npv_musd"] as? [Double])
    #expect(cells == [try npv(ebitPlan), try npv(npvPlan)])
    #expect(cells[1] >= cells[0])
    #expect(rows["solved_for"] as? [String] == ["ebit", "npv"])
    #expect(rows["discount_rate_fraction"] as? [Double] == [0.08, 0.08])
  }

  /// A plan without a solution has no figures: "-" in the table, null in JSON; its status shows.
  @Test func aPlanWithoutASolutionShowsNone() throws {
    let dir = try CLI.temporaryDirectory()
    let seed = try Self.solveToFile(
      CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path, dir, "seed.json")
    let solve = try CLI.run([
      "solve", CLI.packageRoot.appendingPathComponent("Models/infeasible-power.yaml").path, "--format",
      "json",
    ])
    #expect(solve.status == 3, "infeasible")
    let infeasible = dir.appendingPathComponent("infeasible.json").path
    try solve.stdout.write(toFile: infeasible, atomically: true, encoding: .utf8)
    let r = try CLI.run(["plans", "compare", "--file", seed, "--file", infeasible, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try Self.rows(r.stdout)
    #expect((rows["status"] as? [String]) == ["optimal", "infeasible"])
    #expect((rows["ebit_musd"]?[0] as? Double) == 7.5 && rows["ebit_musd"]?[1] is NSNull)
    #expect(
      (rows["mw_by_use_average.bedrock"]?[0] as? Double) == 1
        && rows["mw_by_use_average.bedrock"]?[1] is NSNull)
    #expect(rows["installed_mw"]?[1] is NSNull && rows["expansions_built"]?[1] is NSNull)
    let table = try CLI.run(["plans", "compare", "--file", seed, "--file", infeasible])
    let ebit = try #require(
      table.stdout.split(separator: "\n").first { $0.contains("EBIT ($M over the horizon)") })
    #expect(ebit.contains("7.50") && ebit.contains(" - ") && ebit.hasSuffix("yes"), "\(ebit)")

    // The xlsx export of a plan file: no store needed.
    let out = dir.appendingPathComponent("xlsx")
    let export = try CLI.run(["plans", "export", "--file", seed, "--format", "xlsx", "--out", out.path])
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stdout.hasPrefix("\(seed): wrote plan.json, plan.xlsx into"))
    let zip = try Data(contentsOf: out.appendingPathComponent("plan.xlsx"))
    #expect(zip.prefix(2) == Data("PK".utf8), "a zip container")
  }

  @Test func plansCountAndMissingPlansAreClearErrors() throws {
    let f = try ReviewFixture()
    let seed = try f.solve("seed-bedrock-deal.yaml")
    let one = try CLI.run(["plans", "compare", "\(seed)", "--db", f.db])
    #expect(
      one.status != 0 && one.stderr.contains("2 to 20 plans") && one.stderr.contains("got 1"), "\(one.stderr)"
    )
    let many = try CLI.run(["plans", "compare"] + (1...21).map { "\($0)" } + ["--db", f.db])
    #expect(many.status != 0 && many.stderr.contains("got 21"), "\(many.stderr)")
    let missing = try CLI.run(["plans", "compare", "\(seed)", "999", "--db", f.db])
    #expect(missing.status != 0 && missing.stderr.contains("999"), "\(missing.stderr)")
    #expect(missing.stdout.isEmpty)
    let html = try CLI.run(["plans", "compare", "\(seed)", "\(seed)", "--db", f.db, "--format", "html"])
    #expect(html.status != 0 && html.stderr.contains("--out"), "\(html.stderr)")
  }

  @Test func filesThatAreNotPlansAreNamed() throws {
    let f = try ReviewFixture()
    let seed = try f.solve("seed-bedrock-deal.yaml")
    let dir = f.q.dir
    let good = try Self.solveToFile(
      CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path, dir, "good.json")
    let goodText = try String(contentsOfFile: good, encoding: .utf8)
    let list = try CLI.run(["plans", "list", "--db", f.db, "--format", "json"]).stdout
    let diff = try CLI.run(["plans", "diff", "\(seed)", "\(seed)", "--db", f.db, "--format", "json"]).stdout
    let cases: [(name: String, text: String, says: String)] = [
      ("truncated.json", String(goodText.prefix(goodText.count / 2)), "not complete JSON"),
      ("list.json", list, "JSON list"),
      ("diff.json", diff, "a diff"),
      ("empty.json", "", "empty"),
      ("other.json", "{\"scenario\": \"x\"}", "missing field"),
    ]
    for c in cases {
      let path = dir.appendingPathComponent(c.name).path
      try c.text.write(toFile: path, atomically: true, encoding: .utf8)
      let r = try CLI.run(["plans", "compare", "--file", good, "--file", path])
      #expect(r.status != 0, "\(c.name)")
      #expect(r.stderr.contains(path) && r.stderr.contains("not a capplan plan"), "\(c.name): \(r.stderr)")
      #expect(r.stderr.contains(c.says), "\(c.name): \(r.stderr)")
    }
    let absent = try CLI.run([
      "plans", "diff", "--file", good, "--file", dir.appendingPathComponent("nope.json").path,
    ])
    #expect(absent.status != 0 && absent.stderr.contains("nope.json: no such file"), "\(absent.stderr)")
  }

  /// A plan file past 512 MB (a sparse file here: nothing on disk) is refused by its size before
  /// it is read, by compare and by solve --previous alike.
  @Test func aHugePlanFileIsRefusedBeforeReading() throws {
    let dir = try CLI.temporaryDirectory()
    let seed = CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path
    let good = try Self.solveToFile(seed, dir, "good.json")
    let huge = dir.appendingPathComponent("huge.json")
    #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
    let handle = try FileHandle(forWritingTo: huge)
    try handle.truncate(atOffset: 600 << 20)
    try handle.close()
    let compare = try CLI.run(["plans", "compare", "--file", good, "--file", huge.path])
    #expect(compare.status == 2)
    #expect(
      compare.stderr.contains("the file is 600 MB; plan files are limited to 512 MB"), "\(compare.stderr)")
    let previous = try CLI.run(["solve", seed, "--previous", huge.path])
    #expect(previous.status != 0)
    #expect(previous.stderr.contains("plan files are limited to 512 MB"), "\(previous.stderr)")
  }

  @Test func htmlComparisonEscapesNamesAndDrawsCharts() throws {
    let f = try ReviewFixture()
    let seed = try f.solve("seed-bedrock-deal.yaml")
    let hostileUse = "<script>alert(1)</script>&\"use'"
    let scenario = try Self.highRevenueSeed(in: f.q.dir, use: hostileUse)
    let file = try Self.solveToFile(scenario, f.q.dir, "case <b>&\"2\".json")
    let out = f.q.dir.appendingPathComponent("compare.html")
    let r = try CLI.run([
      "plans", "compare", "\(seed)", "--file", file, "--db", f.db, "--format", "html", "--out", out.path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let page = try String(contentsOf: out, encoding: .utf8)
    #expect(!page.contains("<script") && !page.contains("<b>"))
    #expect(page.contains("case &lt;b&gt;&amp;&quot;2&quot;.json"), "the file name, escaped")
    #expect(page.contains("plan \(seed) (seed-bedrock-deal)"))
    #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;use&#39;"), "the use, escaped")
    // EBIT by case (bars) and MW by use by case (stacked bars, two charts).
    #expect(page.contains("aria-label=\"EBIT by case, $M over the horizon\""))
    #expect(page.components(separatedBy: "aria-label=\"IT MW by use and plan").count == 3)
    #expect(page.contains(">7.5<") && page.contains(">11.0<"), "EBIT bar labels")
    #expect(page.contains("<tr class=\"differs\">"))
  }

  @Test func diffAndReportFromPlanFiles() throws {
    let f = try ReviewFixture()
    let dir = f.q.dir
    let a = try Self.solveToFile(
      CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path, dir, "a.json")
    let b = try Self.solveToFile(try Self.highRevenueSeed(in: dir), dir, "b.json")
    let text = try CLI.run(["plans", "diff", "--file", a, "--file", b])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(
      text.stdout.hasPrefix("\(b) (seed-high, optimal) against \(a) (seed-bedrock-deal, optimal)"),
      "\(text.stdout)")
    #expect(text.stdout.contains("EBIT $7.5M -> $11.0M over the horizon (+3.5 $M)"), "\(text.stdout)")
    let json = try CLI.run(["plans", "diff", "--file", a, "--file", b, "--format", "json"])
    let doc = try CLI.json(json.stdout)
    #expect(doc["file_a"] as? String == a && doc["file_b"] as? String == b && doc["plan_a"] == nil)
    let totals = try #require((doc["diff"] as? [String: Any])?["totals"] as? [String: Any])
    #expect(((totals["ebit"] as? [String: Any])?["delta"] as? Double).map { abs($0 - 3.5) < 1e-9 } == true)
    let wrongCount = try CLI.run(["plans", "diff", "--file", a])
    #expect(wrongCount.status != 0 && wrongCount.stderr.contains("two plans"), "\(wrongCount.stderr)")

    // Stored ids still read as before.
    let one = try f.solve("seed-bedrock-deal.yaml")
    let two = try f.solve(try Self.highRevenueSeed(in: dir))
    let stored = try CLI.run(["plans", "diff", "\(one)", "\(two)", "--db", f.db])
    #expect(
      stored.stdout.hasPrefix(
        "Plan \(two) (seed-high, optimal) against plan \(one) (seed-bedrock-deal, optimal)"))
    let mixed = try CLI.run(["plans", "diff", "\(one)", "--file", b, "--db", f.db])
    #expect(mixed.stdout.hasPrefix("\(b) (seed-high, optimal) against plan \(one)"), "\(mixed.stdout)")

    // A report of a local solve: no queue, no database.
    let html = dir.appendingPathComponent("a.html")
    let report = try CLI.run(["plans", "report", "--file", b, "--out", html.path, "--compare-file", a])
    #expect(report.status == 0, "\(report.stderr)")
    let page = try String(contentsOf: html, encoding: .utf8)
    #expect(page.contains("<h1>Capacity plan \(b): seed-high</h1>"))
    #expect(page.contains("What changed since \(a)"))
    #expect(page.contains(">11.0<"), "the EBIT card")
    #expect(page.contains("stacked by use"), "uses come from the plan file's economics")
    let both = try CLI.run(["plans", "report", "\(one)", "--file", b, "--out", html.path, "--db", f.db])
    #expect(both.status != 0 && both.stderr.contains("one of them"), "\(both.stderr)")
    let wrongScenario = try CLI.run([
      "plans", "report", "--file", b, "--scenario-file",
      CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path, "--out", html.path,
    ])
    #expect(
      wrongScenario.status != 0 && wrongScenario.stderr.contains("seed-high"), "\(wrongScenario.stderr)")
  }
}

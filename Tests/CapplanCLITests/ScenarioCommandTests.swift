import Foundation
import Testing

@Suite struct ScenarioCommandTests {
  func model(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Models/\(name)").path }

  @Test func everyExampleModelIsValid() throws {
    let files = ["seed-bedrock-deal.yaml", "aws-2026.yaml", "tiered-deal.yaml", "infeasible-power.yaml"].map(
      model)
    let r = try CLI.run(["validate"] + files)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    // infeasible-power.yaml is valid, with the contradiction that makes it infeasible as a warning.
    // aws-2026.yaml's three named cases are checked too, a line each.
    #expect(r.stdout.split(separator: "\n").count == 8, "\(r.stdout)")
    for name in ["no-second-lab", "early-pennsylvania", "cheaper-trainium3"] {
      #expect(r.stdout.contains("aws-2026.yaml case \(name): valid"), "\(r.stdout)")
    }
    #expect(
      r.stdout.contains("infeasible-power.yaml:45: offerings[0].committed_mw.2026Q4: warning: contradiction"))
    #expect(r.stdout.contains("infeasible-power.yaml: valid (1 warning)"))
  }

  /// `validate /etc/passwd` used to print the whole file back.
  @Test func validateDescribesAFileThatIsNotAScenario() throws {
    let r = try CLI.run(["validate", "/etc/passwd"])
    #expect(r.status == 2)
    #expect(r.stdout.contains("/etc/passwd:1: this is not a scenario file: it holds"), "\(r.stdout)")
    #expect(!r.stdout.contains("root:") && !r.stdout.contains("/bin/"), "\(r.stdout)")
  }

  @Test func validateListsEveryErrorWithLineAndPath() throws {
    let dir = try CLI.temporaryDirectory()
    let path = dir.appendingPathComponent("bad.yaml").path
    try """
    scenario: bad
    periods:
      - {id: 2026Q3, years: 0.25}
    hardware:
      - {id: trn2, opex_per_mw_year: -1}
    sites:
      - {id: s1, power_mw: 10, pue: 0.9}
    offerings:
      - id: rent
        use: iaas
        pricing: rental
        price_per_mw_year: {h100: 10}
    """.write(toFile: path, atomically: true, encoding: .utf8)
    let r = try CLI.run(["validate", path])
    #expect(r.status == 2)
    #expect(r.stdout.contains("\(path):5: hardware[0].opex_per_mw_year:"), "\(r.stdout)")
    #expect(r.stdout.contains("\(path):7: sites[0].pue:"), "\(r.stdout)")
    #expect(r.stdout.contains("\(path):12: offerings[0].price_per_mw_year.h100:"), "\(r.stdout)")
    #expect(r.stderr.contains("1 of 1 file invalid"))
    // solve refuses it with the same messages and exit code.
    let solve = try CLI.run(["solve", path])
    #expect(solve.status == 2)
    #expect(solve.stderr.contains("sites[0].pue"))
  }

  @Test func solveSeedAsJSON() throws {
    let r = try CLI.run(["solve", model("seed-bedrock-deal.yaml"), "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try CLI.json(r.stdout)
    #expect(j["status"] as? String == "optimal")
    #expect(j["objective"] as? Double == 7.5)
    let totals = try #require(j["totals"] as? [String: Any])
    #expect(totals["revenue"] as? Double == 14)  // 7.5 + 0.25 * 26
    #expect(totals["ebit"] as? Double == 7.5)
    #expect(abs((totals["ebit_margin"] as? Double ?? 0) - 7.5 / 14) < 1e-12)
    let periods = try #require(j["periods"] as? [[String: Any]])
    #expect(periods.count == 1)
    for key in ["id", "revenue", "opex", "depreciation", "fixed", "ebit", "ebit_margin"] {
      #expect(periods[0][key] != nil, "periods[0].\(key)")
    }
    #expect(periods[0]["opex"] as? Double == 6.5)
    let allocations = try #require(j["allocations"] as? [[String: Any]])
    #expect(allocations.count == 1)
    #expect(allocations[0]["offering"] as? String == "claude")
    #expect(allocations[0]["hardware"] as? String == "trainium2")
    #expect(allocations[0]["mw"] as? Double == 1)
    let lab = try #require(j["lab"] as? [[String: Any]])
    #expect(lab[0]["gross_revenue"] as? Double == 26)
    #expect(lab[0]["platform_revenue"] as? Double == 14)
    #expect(abs((lab[0]["gross_margin"] as? Double ?? 0) - 12.0 / 26) < 1e-12)
    #expect(j["marginals"] is [String: Any])
  }

  @Test func solveTableMarkdownAndCSVShowTheSameFigures() throws {
    for format in ["table", "markdown", "csv"] {
      let r = try CLI.run(["solve", model("seed-bedrock-deal.yaml"), "--format", format])
      #expect(r.status == 0)
      #expect(r.stdout.contains("14.00"), "\(format): revenue")
      #expect(r.stdout.contains("7.50"), "\(format): EBIT")
      #expect(r.stdout.contains("53.6%"), "\(format): EBIT margin")
      #expect(r.stdout.contains("46.2%"), "\(format): lab gross margin")
    }
  }

  @Test func infeasibleScenarioExitsThreeAndNamesTheConflict() throws {
    let r = try CLI.run(["solve", model("infeasible-power.yaml")])
    #expect(r.status == 3)
    #expect(r.stdout.contains("power at site virginia in 2026Q4"), "\(r.stdout)")
    #expect(r.stdout.contains("committed_mw of gpu-rental in 2026Q4"), "\(r.stdout)")
    let j = try CLI.json(try CLI.run(["solve", model("infeasible-power.yaml"), "--format", "json"]).stdout)
    #expect(j["status"] as? String == "infeasible")
    let conflicts = try #require((j["infeasibility"] as? [String: Any])?["conflicts"] as? [String])
    #expect(
      Set(conflicts) == [
        "power at site virginia in 2026Q4", "committed_mw of gpu-rental in 2026Q4",
        "installed gb200 capacity at site virginia in 2026Q4",
      ])
  }

  /// The seed's two reference tables, cell by cell, through `capplan sweep`.
  @Test func seedSweepPrintsTheReferenceTables() throws {
    let r = try CLI.run([
      "sweep", model("seed-bedrock-deal.yaml"), "--set",
      "offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5",
      "--metric", "revenue_per_mw,ebit_per_mw,ebit_margin,lab_gross_margin_per_mw,lab_gross_margin",
      "--format", "json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 7)
    func whole(_ x: Double) -> Int { Int(x.rounded(.toNearestOrAwayFromZero)) }
    let net = [10, 11, 13, 14, 15, 16, 18]
    let ebit = [4, 5, 6, 7, 9, 10, 11]
    let margin = [35, 42, 48, 53, 57, 60, 63]
    let labPerMW = [0, 4, 8, 11, 15, 19, 23]
    let labMargin = [0, 25, 38, 45, 50, 54, 56]
    for (i, row) in rows.enumerated() {
      let g = 10 + 5 * Double(i)
      #expect(row["offerings.claude.gross_revenue_per_mw_year.trainium2"] as? Double == g)
      let revenue = try #require(row["revenue_per_mw"] as? Double)
      #expect(abs(revenue - (7.5 + 0.25 * g)) < 1e-9)
      #expect(whole(revenue) == net[i], "net revenue at \(g)")
      #expect(whole(try #require(row["ebit_per_mw"] as? Double)) == ebit[i], "EBIT at \(g)")
      #expect(whole(100 * (try #require(row["ebit_margin"] as? Double))) == margin[i], "margin at \(g)")
      #expect(
        whole(try #require(row["lab_gross_margin_per_mw"] as? Double)) == labPerMW[i],
        "lab margin per MW at \(g)")
      #expect(
        whole(100 * (try #require(row["lab_gross_margin"] as? Double))) == labMargin[i], "lab margin at \(g)")
    }
    let table = try CLI.run([
      "sweep", model("seed-bedrock-deal.yaml"), "--set",
      "offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5",
    ])
    #expect(table.stdout.split(separator: "\n").count == 3 + 7)
  }

  @Test func sweepRejectsBadAxesAndPaths() throws {
    let bad = try CLI.run([
      "sweep", model("seed-bedrock-deal.yaml"), "--set", "offerings.claude.revenue_share=0:1",
    ])
    #expect(bad.status != 0)
    let unknown = try CLI.run([
      "sweep", model("seed-bedrock-deal.yaml"), "--set", "offerings.nobody.revenue_share=0:1:0.5",
    ])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("nobody"))
  }

  /// A plan read back by --previous: the same scenario re-planned moves nothing.
  @Test func previousPlanRoundTrip() throws {
    let dir = try CLI.temporaryDirectory()
    let first = try CLI.run(["solve", model("aws-2026.yaml"), "--format", "json", "--out", dir.path])
    #expect(first.status == 0, "\(first.stderr)")
    let planPath = dir.appendingPathComponent("plan.json").path
    for name in ["plan.json", "allocations.csv", "financials.csv", "marginals.csv", "power.csv"] {
      #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "\(name)")
    }
    // The same files as `plans export`: headers carry units, one row per allocation.
    let allocations = try String(contentsOf: dir.appendingPathComponent("allocations.csv"), encoding: .utf8)
    let lines = allocations.split(separator: "\n")
    #expect(lines.first == "offering,use,hardware,site,period,period_years,it_mw")
    let planJSON = try CLI.json(try String(contentsOfFile: planPath, encoding: .utf8))
    #expect(lines.count - 1 == (planJSON["allocations"] as? [Any])?.count)
    let second = try CLI.run(["solve", model("aws-2026.yaml"), "--previous", planPath, "--format", "json"])
    #expect(second.status == 0, "\(second.stderr)")
    let j = try CLI.json(second.stdout)
    let stability = try #require(j["stability"] as? [String: Any])
    #expect((stability["previous_periods"] as? [String])?.count == 8)
    #expect(stability["unmatched_mw"] as? Double == 0)
    #expect(abs(stability["mw_moved"] as? Double ?? 1) < 1e-6)
    let firstEBIT = try #require((try CLI.json(first.stdout)["totals"] as? [String: Any])?["ebit"] as? Double)
    let secondEBIT = try #require((j["totals"] as? [String: Any])?["ebit"] as? Double)
    #expect(secondEBIT >= firstEBIT - 1e-6 * abs(firstEBIT), "staying put costs nothing")

    let broken = dir.appendingPathComponent("broken.json").path
    try "{\"status\": 3}".write(toFile: broken, atomically: true, encoding: .utf8)
    let refused = try CLI.run(["solve", model("aws-2026.yaml"), "--previous", broken])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("not a capplan plan"))
  }
}

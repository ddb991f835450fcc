import CapacityModel
import Foundation
import Testing

/// Issue 12 end to end through the binary: EBIT by offering in every output, shortfalls and
/// the elastic plan, the price of stability, and warnings.
@Suite("The plan answers the planner's questions", .serialized)
struct PlannerQuestionsTests {
  func model(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Models/\(name)").path }

  /// aws-2026 through `solve --format json`: the lines add up to EBIT, per period and over the horizon.
  @Test func solveJSONHasEconomicsThatAddUp() throws {
    let r = try CLI.run(["solve", model("aws-2026.yaml"), "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let plan = try Plan.decoder().decode(Plan.self, from: Data(r.stdout.utf8))
    let e = try #require(plan.economics)
    #expect(e.offerings.map(\.id).contains("anthropic-claude"))
    #expect(e.uses.map(\.id) == ["bedrock", "iaas", "internal"])
    let ebit = try #require(plan.totals?.ebit)
    let residual = try #require(plan.economicsResidual)
    #expect(residual < 1e-6 * max(1, abs(ebit)), "residual \(residual)")
    for (t, p) in plan.periods.enumerated() {
      let sum = e.ebitLines.reduce(0) { $0 + $1.periods[t].ebit }
      #expect(abs(sum - p.ebit) < 1e-6 * max(1, abs(p.ebit)), "\(p.id)")
    }
  }

  /// The table output: each offering nested under its own use, the EBIT table, unit economics.
  @Test func solveTablesNestOfferingsUnderTheirUse() throws {
    let r = try CLI.run(["solve", model("aws-2026.yaml")])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let financials = try #require(lines.firstIndex { $0.hasPrefix("Financials") })
    let block = lines[financials...].prefix { !$0.hasPrefix("opex") }
    let bedrock = try #require(block.firstIndex { $0.hasPrefix("  use bedrock") })
    let iaas = try #require(block.firstIndex { $0.hasPrefix("  use iaas") })
    let claude = try #require(block.firstIndex { $0.hasPrefix("    anthropic-claude") })
    let rental = try #require(block.firstIndex { $0.hasPrefix("    gpu-rental") })
    #expect(bedrock < claude && claude < iaas, "claude sits under bedrock")
    #expect(iaas < rental, "gpu-rental sits under iaas")
    #expect(r.stdout.contains("EBIT by offering ($M per year"))
    #expect(r.stdout.contains("Unit economics over the horizon"))
    #expect(r.stdout.contains("EBIT by hardware and by site ($M per year"))
    #expect(lines.contains { $0.hasPrefix("idle capacity") })
    #expect(lines.contains { $0.hasPrefix("fixed costs") })
  }

  /// The seed through the CLI: the Bedrock line is the seed's platform figures at R = 26.
  @Test func seedBedrockLineInTheTable() throws {
    let r = try CLI.run(["solve", model("seed-bedrock-deal.yaml"), "--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    // 7.5 + 0.25 x 26 - 6.5 = 7.5 per MW-year, margin 7.5 / 14 = 53.6%.
    #expect(r.stdout.contains("offering,claude,1.00,14.00,6.50,0.00,0.00,7.50,53.6%,7.50"), "\(r.stdout)")
  }

  @Test func infeasibleShowsShortfallsAndElasticReturnsAPlan() throws {
    let r = try CLI.run(["solve", model("infeasible-power.yaml")])
    #expect(r.status == 3)
    #expect(
      r.stdout.contains("  - committed_mw of gpu-rental in 2026Q4: short 50 MW of 250 MW"), "\(r.stdout)")
    // The conflicts one a line, each in a row of its own.
    #expect(r.stdout.contains("\npower at site virginia in 2026Q4\n"), "\(r.stdout)")
    #expect(!r.stdout.contains(" against "), "no single long line of conflicts")

    let e = try CLI.run(["solve", model("infeasible-power.yaml"), "--elastic", "--format", "json"])
    #expect(e.status == 3)
    let j = try CLI.json(e.stdout)
    #expect(j["status"] as? String == "infeasible_relaxed")
    let totals = try #require(j["totals"] as? [String: Any])
    #expect(abs((totals["ebit"] as? Double ?? 0) - 1137.5) < 1e-6)
    let table = try CLI.run(["solve", model("infeasible-power.yaml"), "--elastic"])
    #expect(table.stdout.contains("NOT A FEASIBLE PLAN"))
    #expect(table.stdout.contains("Allocations (IT MW)"))
  }

  @Test func validateWarnsAndStrictFails() throws {
    let dir = try CLI.temporaryDirectory()
    let path = dir.appendingPathComponent("warned.yaml").path
    try """
    scenario: warned
    periods:
      - {id: 2026Q3, years: 0.5}
    hardware:
      - {id: gb200, opex_per_mw_year: 3}
    sites:
      - {id: s1, power_mw: 100}
    offerings:
      - {id: rent, use: iaas, pricing: rental, price_per_mw_year: {gb200: 14}, demand_mw: 10, committed_mw: 20}
    """.write(toFile: path, atomically: true, encoding: .utf8)
    let plain = try CLI.run(["validate", path])
    #expect(plain.status == 0, "\(plain.stdout)")
    #expect(plain.stdout.contains("\(path):3: periods[0].years: warning: period 2026Q3 lasts 0.5 years"))
    #expect(plain.stdout.contains("\(path):9: offerings[0].committed_mw: warning: contradiction"))
    #expect(plain.stdout.contains("valid (2 warnings)"))
    let strict = try CLI.run(["validate", "--strict", path])
    #expect(strict.status == 2)
    #expect(strict.stdout.contains("error (--strict): contradiction"))
    // solve prints them on stderr and keeps them in the plan.
    let solve = try CLI.run(["solve", path, "--format", "json"])
    #expect(solve.stderr.contains("warning: \(path):3: periods[0].years"), "\(solve.stderr)")
    let warnings = try #require(CLI.json(solve.stdout)["warnings"] as? [String])
    #expect(warnings.count == 2)
  }

  @Test func previousPlanWarnings() throws {
    let dir = try CLI.temporaryDirectory()
    let previous = dir.appendingPathComponent("previous.json").path
    let first = try CLI.run(["solve", model("tiered-deal.yaml"), "--format", "json"])
    try first.stdout.write(toFile: previous, atomically: true, encoding: .utf8)
    // The seed has no move cost, another scenario id, and none of tiered-deal's MW.
    let r = try CLI.run(["solve", model("seed-bedrock-deal.yaml"), "--previous", previous])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("warning: --previous is given but the scenario has no stability.move_cost"))
    #expect(r.stderr.contains("warning: the previous plan is for scenario 'tiered-deal'"), "\(r.stderr)")
    #expect(r.stderr.contains("warning: only 0.0% of the previous plan's MW matches"), "\(r.stderr)")
  }

  /// The stored plan: `plans show`, the report's new charts, the economics export, a diff.
  @Test func storedPlanShowsEconomicsEverywhere() throws {
    let f = try ReviewFixture()
    let a = try f.solve("aws-2026.yaml")
    let b = try f.solve(try f.awsVariant(), previousPlan: a)
    let show = try CLI.run(["plans", "show", "\(b)", "--db", f.db])
    #expect(show.status == 0, "\(show.stderr)")
    #expect(show.stdout.contains("EBIT by offering ($M per year"))
    #expect(show.stdout.contains("price of stability"), "\(show.stdout)")
    #expect(show.stdout.contains("of EBIT given up to avoid moving"))

    let out = f.q.dir.appendingPathComponent("r.html")
    let report = try CLI.run(["plans", "report", "\(b)", "--db", f.db, "--out", out.path])
    #expect(report.status == 0, "\(report.stderr)")
    let page = try String(contentsOf: out, encoding: .utf8)
    for section in ["EBIT by offering per quarter", "Capacity by site over time", "Installs and expansions"] {
      #expect(page.contains(section), "\(section)")
    }
    #expect(page.contains("aria-label=\"EBIT by offering per period, $M per year\""))
    #expect(page.contains("Price of stability"))

    let dir = f.q.dir.appendingPathComponent("export")
    #expect(try CLI.run(["plans", "export", "\(b)", "--db", f.db, "--out", dir.path]).status == 0)
    let rows = try CSV.records(dir.appendingPathComponent("economics.csv")).rows
    let plan = try f.q.store.plan(b)
    let ebit = try #require(plan.totals?.ebit)
    let lineTotals = rows.filter {
      ["offering", "idle_capacity", "fixed_costs"].contains($0["view"]) && $0["period"] == "total"
    }
    let sum = lineTotals.reduce(0) { $0 + (Double($1["ebit"] ?? "") ?? .nan) }
    #expect(abs(sum - ebit) < 1e-6 * max(1, abs(ebit)), "economics.csv lines \(sum) vs EBIT \(ebit)")

    let diff = try CLI.run(["plans", "diff", "\(a)", "\(b)", "--db", f.db])
    #expect(diff.status == 0, "\(diff.stderr)")
    #expect(diff.stdout.contains("EBIT change by offering"))
  }

  @Test func diffOfDifferentScenariosWarns() throws {
    let f = try ReviewFixture()
    let a = try f.solve("seed-bedrock-deal.yaml")
    let b = try f.solve("tiered-deal.yaml")
    let diff = try CLI.run(["plans", "diff", "\(a)", "\(b)", "--db", f.db])
    #expect(diff.stderr.contains("warning: the plans are of different scenarios"), "\(diff.stderr)")
  }
}

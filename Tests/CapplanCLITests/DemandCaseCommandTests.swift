import CapacityModel
import Foundation
import JobQueue
import Testing

/// Demand cases end to end: `solve` (tables, JSON, --skip-evpi-vss, --write, --out), the queue
/// (submit, worker, a previous two-stage plan's move cost), `plans show`, `report`, `export`
/// and `diff`, and `sweep` over the risk weight.
@Suite struct DemandCaseCommandTests {
  /// The hand-worked example of CapacityModelTests' DemandUncertaintyTests: installs 15 MW,
  /// expected EBIT 45 (low 30, high 60), EVPI 35, VSS 5; with risk weight 0.5, installs 10
  /// (EBIT 40 in both cases). Read from Tests/Fixtures/two-demand-cases.yaml, which
  /// CapacityModelTests solves too.
  static let yaml: String = {
    let path = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/two-demand-cases.yaml").path
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "missing test fixture: \(path)"
  }()

  static func write(_ text: String = yaml, in dir: URL, name: String = "two.yaml") throws -> String {
    let path = dir.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func solvePrintsTheCasesAndWhatTheUncertaintyIsWorth() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try Self.write(in: dir)
    let r = try CLI.run(["solve", file])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("Expected EBIT $45.0M over 1.00 years"), "\(r.stdout)")
    #expect(
      r.stdout.contains(
        "Over 2 demand cases: expected EBIT $45.0M, CVaR at 0.5 $30.0M, EVPI $35.0M, VSS $5.0M"),
      "\(r.stdout)")
    #expect(r.stdout.contains("EBIT by demand case"))
    #expect(r.stdout.contains("VSS: what planning for the cases gains              5.00"), "\(r.stdout)")

    let json = try CLI.json(try CLI.run(["solve", file, "--format", "json"]).stdout)
    let u = try #require(json["uncertainty"] as? [String: Any])
    #expect(u["expected_ebit"] as? Double == 45)
    #expect(u["evpi"] as? Double == 35)
    #expect(u["vss"] as? Double == 5)
    let cases = try #require(u["cases"] as? [[String: Any]])
    #expect(cases.map { $0["id"] as? String } == ["low", "high"])
    #expect(cases.map { $0["ebit"] as? Double } == [30, 60])

    let skipped = try CLI.json(try CLI.run(["solve", file, "--format", "json", "--skip-evpi-vss"]).stdout)
    let su = try #require(skipped["uncertainty"] as? [String: Any])
    #expect(su["evpi"] == nil && su["vss"] == nil)
    #expect(su["expected_ebit"] as? Double == 45)
  }

  @Test func writeNamesEachCasesColumnsAndOutExportsTheCases() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try Self.write(in: dir)
    let lp = dir.appendingPathComponent("model.lp").path
    let w = try CLI.run(["solve", file, "--write", lp, "--no-solve"])
    #expect(w.status == 0, "\(w.stderr)")
    let text = try String(contentsOfFile: lp, encoding: .utf8)
    #expect(text.contains("x(api,gpu,s1,Y1)@1") && text.contains("x(api,gpu,s1,Y1)@2"), "\(text)")
    // The CPLEX LP format writes brackets as parentheses; the first stage has one column.
    #expect(text.contains("new(s1,gpu,Y1)") && !text.contains("new(s1,gpu,Y1)@"))
    #expect(text.contains("demand_mw(api,Y1)@2: + x(api,gpu,s1,Y1)@2 <= 30"))
    let out = dir.appendingPathComponent("out").path
    #expect(try CLI.run(["solve", file, "--out", out]).status == 0)
    let csv = try String(contentsOfFile: out + "/demand_cases.csv", encoding: .utf8)
    #expect(csv.hasPrefix("case,probability_fraction,revenue_musd,ebit_musd,alone_ebit_musd"), "\(csv)")
    #expect(csv.contains("low,0.5,120,30,40,0"), "\(csv)")
    let values = try String(contentsOfFile: out + "/demand_case_values.csv", encoding: .utf8)
    #expect(values.contains("evpi_musd,35") && values.contains("vss_musd,5"), "\(values)")
  }

  @Test func theQueueCarriesTheCasesAndAPreviousPlanIsComparedCaseByCase() throws {
    let q = try QueueFixture()
    let file = try Self.write(in: q.dir)
    let submitted = try CLI.run(["submit", file, "--db", q.db, "--format", "json"])
    #expect(submitted.status == 0, "\(submitted.stderr)")
    let first = Int64(try #require(try CLI.json(submitted.stdout)["id"] as? Int))
    #expect(try CLI.run(["worker", "--once", "--db", q.db]).status == 0)
    let planID = try #require(try q.store.job(first).planID)
    let plan = try q.store.plan(planID)
    #expect(plan.uncertainty?.evpi == 35)
    #expect(plan.uncertainty?.cases.map(\.ebit) == [30, 60])

    // The same scenario again, staying close to the first plan: each case keeps its own
    // allocations (against the expected 12.5 MW of api, both cases would move 2.5 MW).
    let again = try CLI.run([
      "submit", file, "--db", q.db, "--format", "json", "--previous-plan", "\(planID)",
    ])
    #expect(again.status == 0, "\(again.stderr)")
    let second = Int64(try #require(try CLI.json(again.stdout)["id"] as? Int))
    #expect(try CLI.run(["worker", "--once", "--db", q.db]).status == 0)
    let secondPlan = try q.store.plan(try #require(try q.store.job(second).planID))
    #expect(secondPlan.stability?.mwMoved == 0)
    #expect(secondPlan.uncertainty?.expectedEbit == 45)

    let show = try CLI.run(["plans", "show", "\(planID)", "--db", q.db])
    #expect(show.stdout.contains("EBIT by demand case"), "\(show.stdout)")
    let report = q.dir.appendingPathComponent("report.html").path
    #expect(try CLI.run(["plans", "report", "\(planID)", "--db", q.db, "--out", report]).status == 0)
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.contains("EBIT distribution by demand case"))
    #expect(html.contains("Installs and expansions shared by every case"))

    // A risk-averse plan installs 10 MW, not 15: the diff shows the first-stage change.
    let averse = try Self.write(
      Self.yaml.replacingOccurrences(of: "weight: 0}", with: "weight: 0.5}"), in: q.dir, name: "averse.yaml")
    let averseJSON = q.dir.appendingPathComponent("averse.json").path
    try CLI.run(["solve", averse, "--format", "json"]).stdout.write(
      toFile: averseJSON, atomically: true, encoding: .utf8)
    let diff = try CLI.run(["plans", "diff", "\(planID)", "--file", averseJSON, "--db", q.db])
    #expect(diff.status == 0, "\(diff.stderr)")
    #expect(
      diff.stdout.contains("Over demand cases: expected EBIT $45.0M -> $40.0M, CVaR $30.0M -> $40.0M"),
      "\(diff.stdout)")
    #expect(diff.stdout.contains("1 install"), "\(diff.stdout)")
  }

  @Test func aSweepOverTheRiskWeightIsTheFrontier() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try Self.write(in: dir)
    let r = try CLI.run([
      "sweep", file, "--set", "uncertainty.risk.weight=0,0.5", "--metric", "ebit,cvar,vss", "--format", "csv",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("0,45,30,5"), "\(r.stdout)")
    #expect(r.stdout.contains("0.5,40,40,0"), "\(r.stdout)")
  }

  @Test func alternativesRefusesTheUncertaintySection() throws {
    let r = try CLI.run([
      "alternatives", CLI.packageRoot.appendingPathComponent("Models/aws-2026-uncertain.yaml").path,
      "--count", "1",
    ])
    #expect(r.status != 0)
    #expect(r.stderr.contains("the scenario's uncertainty section has 3 demand cases"), "\(r.stderr)")
    #expect(r.stdout.isEmpty, "\(r.stdout)")
  }

  /// A case that cannot meet a required MW: the plan over the cases is infeasible and says which
  /// case; `--elastic` does not pass that case's relaxed plan off as the plan over the cases.
  @Test func anInfeasibleCaseIsNamedWithAndWithoutElastic() throws {
    let dir = try CLI.temporaryDirectory()
    let yaml = Self.yaml.replacingOccurrences(
      of: "    demand_mw: 5\n", with: "    demand_mw: 5\n    required_mw: 5\n"
    ).replacingOccurrences(of: "demand_scale: {api: 0.5}", with: "demand_scale: {api: 0.5, batch: 0.5}")
    let file = try Self.write(yaml, in: dir, name: "short.yaml")
    for elastic in [false, true] {
      let r = try CLI.run(["solve", file, "--format", "json"] + (elastic ? ["--elastic"] : []))
      #expect(r.status != 0, "elastic \(elastic)")
      let json = try CLI.json(r.stdout)
      #expect(json["status"] as? String == "infeasible", "elastic \(elastic)")
      let message = json["message"] as? String ?? ""
      #expect(message.hasPrefix("demand case low is infeasible: "), "\(message)")
      #expect((json["allocations"] as? [Any])?.isEmpty ?? true, "elastic \(elastic)")
    }
  }

  /// One case with a risk weight is solved as the deterministic model; `--write` writes that model.
  @Test func theWrittenModelOfOneCaseIsTheSolvedOne() throws {
    let dir = try CLI.temporaryDirectory()
    let one =
      Self.yaml.components(separatedBy: "uncertainty:")[0]
      + "uncertainty:\n  cases: [{id: only, probability: 1}]\n  risk: {cvar_alpha: 0.5, weight: 0.3}\n"
    let file = try Self.write(one, in: dir, name: "one.yaml")
    let lp = dir.appendingPathComponent("one.lp").path
    let r = try CLI.run(["solve", file, "--write", lp, "--no-solve"])
    #expect(r.status == 0, "\(r.stderr)")
    let text = try String(contentsOfFile: lp, encoding: .utf8)
    #expect(!text.contains("cvar"), "\(text)")
    #expect(text.contains("x(api,gpu,s1,Y1)") && !text.contains("@1"), "\(text)")
  }
}

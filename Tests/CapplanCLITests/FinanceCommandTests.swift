import CapacityModel
import Foundation
import JobQueue
import Testing

/// The finance view and `--objective npv` from the command line: refused without a discount
/// rate by every command that takes solve settings, stored with a queued job and honoured by the
/// worker, and the cash flows shown by `solve`, `plans show`, `plans export` and `plans report`.
@Suite struct FinanceCommandTests {
  /// CashFlowTests' timing scenario: EBIT installs the MW in y1, NPV at 20% in y2.
  static let timingYAML = """
    scenario: timing
    periods:
      - {id: y1, years: 1}
      - {id: y2, years: 1}
      - {id: y3, years: 1}
    hardware:
      - {id: gpu, opex_per_mw_year: 2, capex_per_mw: 100, life_years: 5, supply_mw: {y1: 1, y2: 1, y3: 0}}
    sites:
      - {id: east, power_mw: 10}
    offerings:
      - id: rent
        use: iaas
        pricing: rental
        price_per_mw_year: {gpu: 27}
        demand_mw: 1
        committed_mw: {y1: 0, y2: 1}
    finance: {discount_rate: 0.2}

    """

  static func writeTiming(in dir: URL) throws -> String {
    let path = dir.appendingPathComponent("timing.yaml").path
    try Self.timingYAML.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func npvWithoutADiscountRateIsInvalidInputEverywhere() throws {
    let q = try QueueFixture()
    let seed = q.model("seed-bedrock-deal.yaml")
    let commands: [[String]] = [
      ["solve", seed],
      ["sweep", seed, "--set", "sites.seed-site.power_mw=10:20:10"],
      ["submit", seed, "--db", q.db],
      ["schedule", "add", "nightly", seed, "--every", "1d", "--db", q.db],
    ]
    for command in commands {
      let r = try CLI.run(command + ["--objective", "npv"])
      #expect(r.status == 2, "\(command[0]): \(r.stderr)")
      #expect(
        r.stderr.contains(
          "--objective npv needs a discount rate: scenario 'seed-bedrock-deal' has no finance.discount_rate"),
        "\(command[0]): \(r.stderr)")
    }
    #expect(try q.store.jobs(JobFilter()).isEmpty)
    #expect(try q.store.schedules().isEmpty)
    let typo = try CLI.run(["solve", seed, "--objective", "irr"])
    #expect(typo.status == 64, "\(typo.stderr)")
  }

  /// A sweep that sets the rate itself may solve for NPV from a file without one.
  @Test func aSweepThatSetsTheRateMaySolveForNPV() throws {
    let dir = try CLI.temporaryDirectory()
    let file = dir.appendingPathComponent("no-rate.yaml").path
    try Self.timingYAML.replacingOccurrences(of: "finance: {discount_rate: 0.2}\n", with: "")
      .write(toFile: file, atomically: true, encoding: .utf8)
    let r = try CLI.run([
      "sweep", file, "--set", "finance.discount_rate=0.1:0.2:0.1", "--objective", "npv", "--metric", "npv",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try CLI.run(["solve", file, "--objective", "npv"]).status == 2)
  }

  @Test func solveReportsCashFlowsAndTheObjective() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try Self.writeTiming(in: dir)
    let ebit = try CLI.run(["solve", file])
    #expect(ebit.status == 0, "\(ebit.stderr)")
    #expect(
      ebit.stdout.contains("Solved for ebit; NPV $-19.2M at 20.0% a year; payback not within the horizon"),
      "\(ebit.stdout)")
    #expect(ebit.stdout.contains("Cash flows ($M in each period"), "\(ebit.stdout)")
    let npv = try CLI.json(try CLI.run(["solve", file, "--objective", "npv", "--format", "json"]).stdout)
    #expect(npv["solved_for"] as? String == "npv")
    #expect((npv["installs"] as? [[String: Any]])?.map { $0["period"] as? String } == ["y2"])
    let cash = try #require(npv["cash_flows"] as? [String: Any])
    let value = try #require(cash["npv"] as? Double)
    #expect(abs(value - -13.744513) < 1e-5)
    #expect(abs((npv["objective"] as? Double ?? 0) - value) < 1e-6)
    #expect(cash["payback_period"] is NSNull)
  }

  @Test(arguments: Backend.available) func submitStoresTheObjectiveAndTheWorkerHonoursIt(_ backend: Backend)
    throws
  {
    let q = try QueueFixture(backend)
    let file = try Self.writeTiming(in: q.dir)
    let submitted = try CLI.run(["submit", file, "--db", q.db, "--format", "json", "--objective", "npv"])
    #expect(submitted.status == 0, "\(submitted.stderr)")
    let id = Int64(try #require(try CLI.json(submitted.stdout)["id"] as? Int))
    let options = try #require(try CLI.json(submitted.stdout)["options"] as? [String: Any])
    #expect(options["objective"] as? String == "npv")
    #expect(try q.store.job(id).options.settings.objective == .npv)
    let shown = try CLI.run(["jobs", "show", "\(id)", "--db", q.db])
    #expect(shown.stdout.contains("objective npv"), "\(shown.stdout)")

    let worker = try CLI.run(["worker", "--once", "--db", q.db])
    #expect(worker.status == 0, "\(worker.stderr)")
    let job = try q.store.job(id)
    #expect(job.state == .succeeded, "\(job.lastError ?? "")")
    let planID = try #require(job.planID)
    let plan = try q.store.plan(planID)
    #expect(plan.solvedFor == .npv)
    #expect(plan.installs.map(\.period) == ["y2"])
    #expect(abs((plan.cashFlows?.npv ?? 0) - -13.744513) < 1e-5)

    let show = try CLI.run(["plans", "show", "\(planID)", "--db", q.db])
    #expect(show.stdout.contains("solved for"), "\(show.stdout)")
    #expect(show.stdout.contains("objective ($M, NPV less move cost)"), "\(show.stdout)")
    #expect(show.stdout.contains("-13.7"), "\(show.stdout)")
    let out = q.dir.appendingPathComponent("export").path
    let export = try CLI.run(["plans", "export", "\(planID)", "--db", q.db, "--out", out])
    #expect(export.status == 0, "\(export.stderr)")
    let csv = try String(contentsOfFile: out + "/cash_flows.csv", encoding: .utf8)
    let lines = csv.split(separator: "\n")
    #expect(lines.first?.hasPrefix("period,period_years,revenue_musd,lab_payout_musd,opex_musd") == true)
    #expect(lines.count == 5, "\(csv)")
    #expect(lines.last?.hasPrefix("total,3,") == true, "\(csv)")
    #expect(lines.last?.hasSuffix(",npv") == true, "\(csv)")
    let report = q.dir.appendingPathComponent("report.html").path
    let r = try CLI.run(["plans", "report", "\(planID)", "--db", q.db, "--out", report])
    #expect(r.status == 0, "\(r.stderr)")
    let html = try String(contentsOfFile: report, encoding: .utf8)
    #expect(html.contains("Cash flows, NPV and payback"))
    #expect(html.contains("Cumulative cash flow, $M since the horizon&#39;s start"))
    #expect(html.contains("<polyline"))
    #expect(html.contains("$M at 20.0% a year"), "the NPV card")
    #expect(html.contains("$M, NPV less move cost"), "the objective card")
  }

  /// A job stored with the NPV objective whose scenario has no discount rate (written by hand:
  /// submit refuses it) fails with the reason, not a crash.
  @Test func theWorkerRefusesAnNPVJobWithoutADiscountRate() throws {
    let q = try QueueFixture()
    let text = try String(contentsOfFile: q.model("seed-bedrock-deal.yaml"), encoding: .utf8)
    let job = try q.store.submit(
      JobSubmission(
        scenarioID: "seed", source: "seed", scenarioText: text,
        options: JobOptions(settings: SolveSettings(objective: .npv)), maxAttempts: 1), now: Date()
    ).job
    let worker = try CLI.run(["worker", "--once", "--db", q.db])
    #expect(worker.status == 0, "\(worker.stderr)")
    let failed = try q.store.job(job.id)
    #expect(failed.state == .failed)
    #expect(failed.lastError?.contains("no finance.discount_rate") == true, "\(failed.lastError ?? "")")
  }
}

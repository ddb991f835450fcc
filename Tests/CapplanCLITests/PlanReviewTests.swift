import CapacityModel
import Foundation
import JobQueue
import Testing

@Suite("Plan review commands: list, show, diff, export, report", .serialized)
struct PlanReviewTests {
  @Test func listFiltersByScenarioStatusScheduleSinceAndLimit() throws {
    let f = try ReviewFixture()
    let seed = try ReviewFixture.seedPlan()
    var alpha = seed
    alpha.scenario = "alpha"
    let first = try f.store(alpha, scheduleID: 7)
    var infeasible = alpha
    infeasible.status = .infeasible
    infeasible.totals = nil
    let second = try f.store(infeasible)
    var beta = seed
    beta.scenario = "beta"
    let third = try f.store(beta, scheduleID: 8)

    func ids(_ extra: [String]) throws -> [Int] {
      let r = try CLI.run(["plans", "list", "--db", f.db, "--format", "json"] + extra)
      try #require(r.status == 0, "\(extra): \(r.stderr)")
      let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
      return rows.compactMap { $0["id"] as? Int }
    }
    #expect(try ids([]) == [third, second, first].map(Int.init), "newest first")
    #expect(try ids(["--scenario", "alpha"]) == [second, first].map(Int.init))
    #expect(try ids(["--status", "infeasible"]) == [Int(second)])
    #expect(try ids(["--schedule", "7"]) == [Int(first)])
    #expect(try ids(["--schedule", "8", "--scenario", "alpha"]) == [])
    #expect(try ids(["--limit", "1"]) == [Int(third)])
    #expect(try ids(["--since", "2000-01-01"]).count == 3)
    #expect(try ids(["--since", "2000-01-01T00:00:00Z"]).count == 3)
    #expect(try ids(["--since", "2000-01-01T00:00:00.250+02:00"]).count == 3)
    #expect(try ids(["--since", "2999-12-31"]) == [])
    #expect(try ids(["--since", "2999-12-31T23:59:59"]) == [])

    let missing = try CLI.run(["plans", "list", "--db", f.db, "--schedule", "weekly-capacity"])
    #expect(missing.status == 2)
    #expect(
      missing.stderr.contains("--schedule weekly-capacity: no schedule of that name (there are none yet)"),
      "\(missing.stderr)")

    // By name: the schedule's plans only.
    let weekly = try f.q.store.addSchedule(
      ScheduleDefinition(
        name: "weekly-capacity", scenarioPath: f.q.model("seed-bedrock-deal.yaml"), intervalSeconds: 604_800),
      now: Date())
    let scheduled = try f.store(seed, scheduleID: weekly.id)
    #expect(try ids(["--schedule", "weekly-capacity"]) == [Int(scheduled)])
    let unknown = try CLI.run(["plans", "list", "--db", f.db, "--schedule", "daily"])
    #expect(unknown.status == 2 && unknown.stderr.contains("schedules: weekly-capacity"), "\(unknown.stderr)")
    let badDate = try CLI.run(["plans", "list", "--db", f.db, "--since", "2026-02-30"])
    #expect(badDate.status != 0 && badDate.stderr.contains("YYYY-MM-DD"), "\(badDate.stderr)")

    let table = try CLI.run(["plans", "list", "--db", f.db]).stdout
    for column in ["id", "created", "scenario", "status", "EBIT", "EBIT margin", "solve s", "previous"] {
      #expect(table.contains(column))
    }
    #expect(table.contains("53.6%") && table.contains("infeasible"))
    // CSV for spreadsheets: full-precision numbers, units in the headers.
    let csv = CSV.parse(try CLI.run(["plans", "list", "--db", f.db, "--format", "csv"]).stdout)
    #expect(csv[0].contains("ebit_musd") && csv[0].contains("ebit_margin_fraction"))
    let row = try #require(csv.first { $0.first == "\(first)" })
    #expect(Double(row[4]) == seed.totals?.ebit && Double(row[5]) == seed.totals?.ebitMargin)
  }

  @Test func showPrintsEverySectionWithTheStoredNumbers() throws {
    let f = try ReviewFixture()
    let id = try f.solve("aws-2026.yaml")
    let plan = try f.q.store.plan(id)
    let r = try CLI.run(["plans", "show", "\(id)", "--db", f.db])
    #expect(r.status == 0, "\(r.stderr)")
    let out = r.stdout
    #expect(out.hasPrefix("Plan \(id) of job"))
    for section in [
      "Financials ($M per year", "Allocations by offering x hardware, per period (IT MW",
      "Site power against its limit",
      "Binding constraints", "Marginal values", "Solver", "New installs",
    ] {
      #expect(out.contains(section), "section \(section)")
    }
    // The pivot's total row of each period is the stored allocations' sum.
    var perPeriod: [String: Double] = [:]
    for a in plan.allocations { perPeriod[a.period, default: 0] += a.mw }
    let lines = out.split(separator: "\n").map(String.init)
    for p in plan.periods {
      let line = try #require(lines.first { $0.hasPrefix("\(p.id)  total ") }, "total row of \(p.id)")
      #expect(line.hasSuffix(String(format: "%.1f", perPeriod[p.id] ?? 0)), "\(line)")
    }
    // Each offering x hardware cell: the sum over sites.
    var cells: [String: Double] = [:]
    for a in plan.allocations { cells["\(a.period) \(a.offering) \(a.hardware)", default: 0] += a.mw }
    let header = try #require(lines.first { $0.hasPrefix("period  offering") })
    let hardware = header.split(separator: " ").map(String.init).dropFirst(2).dropLast()
    let claude = try #require(lines.first { $0.hasPrefix("2027Q3  anthropic-claude") })
    let figures = claude.split(separator: " ").dropFirst(2).map(String.init)
    var nonEmpty = hardware.filter { cells["2027Q3 anthropic-claude \($0)"] != nil }
    nonEmpty.append("total")
    #expect(figures.count == nonEmpty.count)
    for (h, figure) in zip(nonEmpty, figures) where h != "total" {
      #expect(figure == String(format: "%.1f", cells["2027Q3 anthropic-claude \(h)"] ?? -1), "\(h)")
    }
    // Power against the limit, with the marginal value.
    let power = try #require(
      plan.marginals.power.first { $0.usedMW >= $0.limitMW - 1e-6 && ($0.value ?? 0) > 0 })
    let powerLine = try #require(
      lines.first { $0.hasPrefix(power.site) && $0.contains(" \(power.period) ") && $0.hasSuffix("yes") })
    #expect(
      powerLine.contains(String(format: "%.1f", power.limitMW))
        && powerLine.contains(String(format: "%.3f", power.value ?? 0)))
    #expect(powerLine.hasSuffix("yes"))
    // Binding constraints: from the plan (power, demand) and from its scenario (commitments met exactly).
    #expect(out.contains("committed MW of trainium-rental") && out.contains("required MW of nova-training"))
    #expect(out.contains("gross revenue demand of nova") && out.contains("power at indiana"))
    for format in ["markdown", "csv"] {
      let other = try CLI.run(["plans", "show", "\(id)", "--db", f.db, "--format", format])
      #expect(other.status == 0 && other.stdout.contains("offering x hardware"), "\(format)")
    }
    let withSites = try CLI.run(["plans", "show", "\(id)", "--db", f.db, "--sites"]).stdout
    #expect(withSites.contains("Allocations (IT MW)") && withSites.contains("pennsylvania"))
    let json = try Plan.decoder().decode(
      Plan.self,
      from: Data(try CLI.run(["plans", "show", "\(id)", "--db", f.db, "--format", "json"]).stdout.utf8))
    #expect(json == plan, "--format json is the stored plan")
  }

  /// The scenario comes from the text stored with the job; a stored text that
  /// does not validate, or a --scenario-file that is not the plan's, is said.
  @Test func showSaysWhenTheScenarioCannotBeUsed() throws {
    let f = try ReviewFixture()
    let id = try f.store(try ReviewFixture.seedPlan(), source: "/nonexistent/scenario.yaml")
    let out = try CLI.run(["plans", "show", "\(id)", "--db", f.db]).stdout
    #expect(out.contains("commitments not checked: the scenario of job"), "\(out)")
    let other = try CLI.run([
      "plans", "show", "\(id)", "--db", f.db, "--scenario-file", f.q.model("seed-bedrock-deal.yaml"),
    ])
    #expect(other.stdout.contains("is not the scenario of plan \(id) (SHA-256 differs)"), "\(other.stdout)")
    let missing = try CLI.run(["plans", "show", "999", "--db", f.db])
    #expect(missing.status == 2 && missing.stderr == "capplan: no plan 999\n")
  }

  @Test func csvExportMatchesTheStoredPlanNumberByNumber() throws {
    let f = try ReviewFixture()
    let id = try f.solve("aws-2026.yaml")
    let plan = try f.q.store.plan(id)
    let dir = f.q.dir.appendingPathComponent("export")
    let r = try CLI.run(["plans", "export", "\(id)", "--db", f.db, "--format", "csv", "--out", dir.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("allocations.csv") && r.stdout.contains("plan.json"))

    // plan.json is the stored plan.
    #expect(try Plan.read(contentsOf: dir.appendingPathComponent("plan.json").path) == plan)

    // allocations.csv: one row per stored allocation, same order, exact MW.
    let alloc = try CSV.records(dir.appendingPathComponent("allocations.csv"))
    #expect(alloc.header == ["offering", "use", "hardware", "site", "period", "period_years", "it_mw"])
    #expect(alloc.rows.count == plan.allocations.count)
    let years = Dictionary(uniqueKeysWithValues: plan.periods.map { ($0.id, $0.years) })
    for (row, a) in zip(alloc.rows, plan.allocations) {
      #expect(
        row["offering"] == a.offering && row["hardware"] == a.hardware && row["site"] == a.site
          && row["period"] == a.period)
      #expect(Double(row["it_mw"] ?? "") == a.mw, "\(a)")
      #expect(Double(row["period_years"] ?? "") == years[a.period])
    }
    #expect(
      alloc.rows.first { $0["offering"] == "nova-training" }?["use"] == "internal",
      "uses come from the scenario")

    // financials.csv: every figure of every period.
    let fin = try CSV.records(dir.appendingPathComponent("financials.csv"))
    #expect(fin.header.contains("revenue_musd_per_year") && fin.header.contains("ebit_margin_fraction"))
    #expect(fin.rows.count == plan.periods.count)
    for (row, p) in zip(fin.rows, plan.periods) {
      #expect(row["period"] == p.id && Double(row["period_years"] ?? "") == p.years)
      #expect(Double(row["revenue_musd_per_year"] ?? "") == p.revenue)
      #expect(Double(row["opex_musd_per_year"] ?? "") == p.opex)
      #expect(Double(row["depreciation_musd_per_year"] ?? "") == p.depreciation)
      #expect(Double(row["fixed_costs_musd_per_year"] ?? "") == p.fixed)
      #expect(Double(row["ebit_musd_per_year"] ?? "") == p.ebit)
      #expect(Double(row["ebit_margin_fraction"] ?? "") == p.ebitMargin)
      #expect(Double(row["ebit_musd_in_period"] ?? "") == p.ebit * p.years)
    }
    // revenue.csv adds up to each period's revenue by offering.
    let revenue = try CSV.records(dir.appendingPathComponent("revenue.csv"))
    for row in revenue.rows {
      let p = try #require(plan.periods.first { $0.id == row["period"] })
      #expect(Double(row["revenue_musd_per_year"] ?? "") == p.revenueByOffering[row["offering"] ?? ""])
    }

    // marginals.csv: power, supply and demand rows, value and binding as stored.
    let marg = try CSV.records(dir.appendingPathComponent("marginals.csv"))
    #expect(marg.header == ["kind", "subject", "period", "value", "value_unit", "binding"])
    #expect(
      marg.rows.count == plan.marginals.power.count + plan.marginals.supply.count
        + plan.marginals.demand.count)
    for (row, p) in zip(marg.rows, plan.marginals.power) {
      #expect(row["kind"] == "power" && row["subject"] == p.site && row["period"] == p.period)
      #expect(Double(row["value"] ?? "") == p.value && row["value_unit"] == "musd_per_facility_mw_year")
      #expect(row["binding"] == (p.usedMW >= p.limitMW - 1e-6 ? "true" : "false"))
    }
    for (row, m) in zip(
      marg.rows.dropFirst(plan.marginals.power.count), plan.marginals.supply + plan.marginals.demand)
    {
      #expect(row["kind"] == m.kind.rawValue && row["subject"] == m.subject && row["period"] == m.period)
      #expect(Double(row["value"] ?? "") == m.value && row["binding"] == (m.binding ? "true" : "false"))
    }
    // power.csv: used, limit and headroom in facility MW.
    let power = try CSV.records(dir.appendingPathComponent("power.csv"))
    for (row, p) in zip(power.rows, plan.marginals.power) {
      #expect(
        Double(row["used_facility_mw"] ?? "") == p.usedMW
          && Double(row["limit_facility_mw"] ?? "") == p.limitMW)
      #expect(Double(row["headroom_facility_mw"] ?? "") == p.limitMW - p.usedMW)
      #expect(Double(row["value_musd_per_facility_mw_year"] ?? "") == p.value)
    }
    let installs = try CSV.records(dir.appendingPathComponent("installs.csv"))
    #expect(installs.rows.map { Double($0["new_it_mw"] ?? "") } == plan.installs.map(\.mw))
    let expansions = try CSV.records(dir.appendingPathComponent("expansions.csv"))
    #expect(expansions.rows.map { $0["expansion"] ?? "" } == plan.expansions.map(\.id))
    #expect(
      expansions.rows.map { Double($0["cost_musd_per_year"] ?? "") } == plan.expansions.map(\.costPerYear))
    let summary = try CSV.records(dir.appendingPathComponent("summary.csv"))
    let ebit = try #require(summary.rows.first { $0["field"] == "ebit" })
    #expect(Double(ebit["value"] ?? "") == plan.totals?.ebit && ebit["unit"] == "$M over the horizon")
    let bindings = try CSV.records(dir.appendingPathComponent("bindings.csv"))
    #expect(bindings.rows.contains { $0["kind"] == "committed_mw" && $0["subject"] == "trainium-rental" })
  }

  @Test func jsonAndMarkdownExportsCarryTheSameFigures() throws {
    let f = try ReviewFixture()
    let id = try f.solve("aws-2026.yaml")
    let plan = try f.q.store.plan(id)
    let json = f.q.dir.appendingPathComponent("json")
    #expect(
      try CLI.run(["plans", "export", "\(id)", "--db", f.db, "--format", "json", "--out", json.path]).status
        == 0)
    func read<T: Decodable>(_ name: String, as: T.Type) throws -> T {
      try JSONDecoder().decode(T.self, from: Data(contentsOf: json.appendingPathComponent(name)))
    }
    let rows = try read("allocations.json", as: [AllocationRow].self)
    #expect(rows.count == plan.allocations.count)
    for (row, a) in zip(rows, plan.allocations) {
      #expect(row.it_mw == a.mw && row.offering == a.offering && row.site == a.site && row.period == a.period)
    }
    let fin = try read("financials.json", as: [FinancialRow].self)
    #expect(fin.map(\.ebit_musd_per_year) == plan.periods.map(\.ebit))
    #expect(fin.map(\.ebit_margin_fraction) == plan.periods.map(\.ebitMargin))
    let marginals = try read("marginals.json", as: [MarginalRow].self)
    #expect(
      marginals.map(\.value) == plan.marginals.power.map(\.value)
        + (plan.marginals.supply + plan.marginals.demand).map(\.value))
    #expect(
      marginals.filter(\.binding).count
        == plan.marginals.power.filter { $0.usedMW >= $0.limitMW - 1e-6 }.count
        + (plan.marginals.supply + plan.marginals.demand).filter(\.binding).count)

    let md = f.q.dir.appendingPathComponent("md")
    #expect(
      try CLI.run(["plans", "export", "\(id)", "--db", f.db, "--format", "markdown", "--out", md.path]).status
        == 0)
    let allocations = try String(contentsOf: md.appendingPathComponent("allocations.md"), encoding: .utf8)
    #expect(allocations.hasPrefix("## Plan \(id) (aws-2026): allocations"))
    #expect(allocations.contains("| offering | use | hardware | site | period | period_years | it_mw |"))
    #expect(
      allocations.split(separator: "\n").filter { $0.hasPrefix("| ") }.count == plan.allocations.count + 1)
    for name in ["financials.md", "marginals.md", "plan.json"] {
      #expect(FileManager.default.fileExists(atPath: md.appendingPathComponent(name).path), "\(name)")
    }
  }

  @Test func diffMatchesTheStoredPlansNumberByNumber() throws {
    let f = try ReviewFixture()
    let a = try f.solve("aws-2026.yaml")
    let b = try f.solve(try f.awsVariant(), previousPlan: a)
    let planA = try f.q.store.plan(a)
    let planB = try f.q.store.plan(b)
    let r = try CLI.run(["plans", "diff", "\(a)", "\(b)", "--db", f.db, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let doc = try JSONDecoder().decode(DiffDocument.self, from: Data(r.stdout.utf8))
    #expect(doc.plan_a == a && doc.plan_b == b)
    let diff = doc.diff

    // Every allocation key in either plan: the change is B - A, absent = 0.
    var mwA: [String: Double] = [:]
    var mwB: [String: Double] = [:]
    for x in planA.allocations {
      mwA[allocationKey(x.offering, x.hardware, x.site, x.period), default: 0] += x.mw
    }
    for x in planB.allocations {
      mwB[allocationKey(x.offering, x.hardware, x.site, x.period), default: 0] += x.mw
    }
    var expected: [String: Double] = [:]
    for key in Set(mwA.keys).union(mwB.keys) {
      let d = (mwB[key] ?? 0) - (mwA[key] ?? 0)
      if abs(d) > 1e-9 { expected[key] = d }
    }
    #expect(!expected.isEmpty, "the variant moves MW")
    let listed = Dictionary(
      uniqueKeysWithValues: diff.allocations.map {
        (allocationKey($0.offering, $0.hardware, $0.site, $0.period), $0)
      })
    #expect(Set(listed.keys) == Set(expected.keys))
    for (key, d) in expected {
      let c = try #require(listed[key])
      #expect(c.mw.delta == d && c.mw.a == (mwA[key] ?? 0) && c.mw.b == (mwB[key] ?? 0), "\(key)")
    }
    #expect(abs(diff.mwMoved - expected.values.reduce(0) { $0 + abs($1) }) < 1e-9)

    // Rolled up by offering and period.
    for g in diff.byOffering {
      for cell in g.periods {
        let sumA = planA.allocations.filter { $0.offering == g.key && $0.period == cell.period }.reduce(0) {
          $0 + $1.mw
        }
        let sumB = planB.allocations.filter { $0.offering == g.key && $0.period == cell.period }.reduce(0) {
          $0 + $1.mw
        }
        #expect(abs(cell.mw.a - sumA) < 1e-9 && abs(cell.mw.b - sumB) < 1e-9, "\(g.key) \(cell.period)")
      }
    }
    // EBIT by period and over the horizon.
    for (change, (pa, pb)) in zip(diff.financials, zip(planA.periods, planB.periods)) {
      #expect(
        change.period == pa.id && change.ebit.a == pa.ebit && change.ebit.b == pb.ebit
          && change.ebit.delta == pb.ebit - pa.ebit)
      #expect(change.revenue.delta == pb.revenue - pa.revenue && change.opex.delta == pb.opex - pa.opex)
    }
    #expect(diff.totals?.ebit.delta == (planB.totals?.ebit ?? 0) - (planA.totals?.ebit ?? 0))
    // Marginal values: every listed change is real, and every power value that changed is listed.
    for m in diff.marginals where m.kind == .power {
      let x = try #require(planA.marginals.power.first { $0.site == m.subject && $0.period == m.period })
      let y = try #require(planB.marginals.power.first { $0.site == m.subject && $0.period == m.period })
      #expect(m.a == x.value && m.b == y.value)
    }
    for (x, y) in zip(planA.marginals.power, planB.marginals.power)
    where abs((x.value ?? 0) - (y.value ?? 0)) > 1e-6 {
      #expect(diff.marginals.contains { $0.kind == .power && $0.subject == x.site && $0.period == x.period })
    }
    // The Pennsylvania tranche comes a quarter later.
    let tranche = try #require(diff.expansions.first { $0.id == "pennsylvania-talen-2" })
    #expect(tranche.periodA == "2027Q3" && tranche.periodB == "2027Q4")
    #expect(diff == PlanDiff(planA, planB), "the CLI prints the library's diff")

    let text = try CLI.run(["plans", "diff", "\(a)", "\(b)", "--db", f.db])
    #expect(text.status == 0)
    #expect(text.stdout.contains("Plan \(b) (aws-2026") && text.stdout.contains("EBIT change by period"))
    #expect(text.stdout.contains("MW change by offering") && text.stdout.contains("MW change by site"))
    #expect(text.stdout.contains("Expansions that differ") && text.stdout.contains("pennsylvania-talen-2"))
    let md = try CLI.run(["plans", "diff", "\(a)", "\(b)", "--db", f.db, "--format", "markdown"])
    #expect(md.stdout.hasPrefix("## Plan \(b)") && md.stdout.contains("| period | revenue |"))
    let all = try CLI.run(["plans", "diff", "\(a)", "\(b)", "--db", f.db, "--top", "0"]).stdout
    #expect(!all.contains("--top 0 lists all"))
    let same = try CLI.run(["plans", "diff", "\(a)", "\(a)", "--db", f.db]).stdout
    #expect(same.contains("The plans are the same"))
  }

  @Test func diffAcrossScenariosCountsAbsentKeysAsZero() throws {
    let f = try ReviewFixture()
    let seed = try f.solve("seed-bedrock-deal.yaml")
    let aws = try f.solve("aws-2026.yaml")
    let planSeed = try f.q.store.plan(seed)
    let planAWS = try f.q.store.plan(aws)
    let r = try CLI.run(["plans", "diff", "\(seed)", "\(aws)", "--db", f.db, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let diff = try JSONDecoder().decode(DiffDocument.self, from: Data(r.stdout.utf8)).diff
    #expect(diff.periods == planSeed.periods.map(\.id) + planAWS.periods.map(\.id))
    #expect(diff.allocations.count == planSeed.allocations.count + planAWS.allocations.count)
    let claude = try #require(diff.byOffering.first { $0.key == "claude" })
    #expect(
      claude.periods.first { $0.period == "Y1" }?.mw.b == 0
        && claude.periods.first { $0.period == "Y1" }?.mw.a == 1)
    #expect(claude.periods.filter { $0.period != "Y1" }.allSatisfy { $0.mw.a == 0 && $0.mw.b == 0 })
    let y1 = try #require(diff.financials.first)
    #expect(y1.period == "Y1" && y1.ebit.a == 7.5 && y1.ebit.b == 0)
    #expect(diff.a.scenario == "seed-bedrock-deal" && diff.b.scenario == "aws-2026")
  }

  @Test func reportIsOneSelfContainedPageWithEverySection() throws {
    let f = try ReviewFixture()
    let a = try f.solve("aws-2026.yaml")
    let b = try f.solve(try f.awsVariant(), previousPlan: a)
    let out = f.q.dir.appendingPathComponent("report.html")
    let r = try CLI.run(["plans", "report", "\(b)", "--compare", "\(a)", "--db", f.db, "--out", out.path])
    #expect(r.status == 0, "\(r.stderr)")
    let page = try String(contentsOf: out, encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("</html>"))
    // Nothing to fetch: no scripts, stylesheets, images, fonts or links off the page.
    for forbidden in [
      "<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href=\"http", "https://",
    ] {
      #expect(!page.contains(forbidden), "\(forbidden)")
    }
    #expect(
      page.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http://")
        == false)
    for section in [
      "id=\"ebit-by-offering\"", "id=\"mw-by-use\"", "id=\"capacity\"", "id=\"allocation\"",
      "id=\"ebit-bridge\"",
      "id=\"power\"", "id=\"binding\"",
      "id=\"changes\"",
      "id=\"solver\"", "What changed since plan \(a)",
    ] {
      #expect(page.contains(section), "\(section)")
    }
    #expect(page.components(separatedBy: "<svg").count - 1 >= 10, "charts drawn as SVG")
    #expect(
      page.contains("@media print") && page.contains("break-before: page")
        && page.contains("break-inside: avoid"))
    // Headline figures with units.
    let plan = try f.q.store.plan(b)
    #expect(page.contains(">\(money(plan.totals?.ebit ?? 0))<") && page.contains("$M over 2.00 years"))
    #expect(
      page.contains("IT MW") && page.contains("facility MW") && page.contains("$M per facility MW-year"))
    // The uses of the scenario stack the MW chart.
    #expect(page.contains(">bedrock<") && page.contains(">iaas<") && page.contains(">internal<"))

    let alone = f.q.dir.appendingPathComponent("alone.html")
    #expect(try CLI.run(["plans", "report", "\(a)", "--db", f.db, "--out", alone.path]).status == 0)
    let single = try String(contentsOf: alone, encoding: .utf8)
    #expect(!single.contains("id=\"changes\"") && single.contains("id=\"ebit-bridge\""))
  }

  @Test func everyStringFromThePlanIsEscaped() throws {
    let f = try ReviewFixture()
    var plan = try ReviewFixture.seedPlan()
    let evil = "<script>alert('x')</script>"
    plan.scenario = "evil<b>\"scenario\"</b>"
    plan.allocations[0].offering = evil
    plan.allocations[0].site = "a&b, \"quoted\""
    plan.marginals.power[0].site = "<img src=x onerror=alert(1)>"
    plan.periods[0].revenueByOffering = [evil: plan.periods[0].revenue]
    plan.message = "</style><h1>owned</h1>"
    let id = try f.store(plan)
    let out = f.q.dir.appendingPathComponent("evil.html")
    let r = try CLI.run(["plans", "report", "\(id)", "--db", f.db, "--out", out.path])
    #expect(r.status == 0, "\(r.stderr)")
    let page = try String(contentsOf: out, encoding: .utf8)
    #expect(
      !page.contains("<script") && !page.contains("<img") && !page.contains("<h1>owned")
        && !page.contains("<b>"))
    #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    #expect(page.contains("evil&lt;b&gt;&quot;scenario&quot;&lt;/b&gt;"))
    #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"))
    #expect(page.contains("&lt;/style&gt;&lt;h1&gt;owned&lt;/h1&gt;"))

    // CSV quotes what needs quoting, and reads back to the same ids.
    let dir = f.q.dir.appendingPathComponent("evil")
    #expect(try CLI.run(["plans", "export", "\(id)", "--db", f.db, "--out", dir.path]).status == 0)
    let alloc = try CSV.records(dir.appendingPathComponent("allocations.csv"))
    #expect(alloc.rows[0]["offering"] == evil && alloc.rows[0]["site"] == "a&b, \"quoted\"")
    let json = f.q.dir.appendingPathComponent("evil-json")
    #expect(
      try CLI.run(["plans", "export", "\(id)", "--db", f.db, "--format", "json", "--out", json.path]).status
        == 0)
    let rows = try JSONDecoder().decode(
      [AllocationRow].self, from: Data(contentsOf: json.appendingPathComponent("allocations.json")))
    #expect(rows[0].site == "a&b, \"quoted\"" && rows[0].offering == evil)
  }

  @Test func reportOfAPlanWithoutSolution() throws {
    let f = try ReviewFixture()
    let id = try f.solve("infeasible-power.yaml")
    let out = f.q.dir.appendingPathComponent("infeasible.html")
    let r = try CLI.run(["plans", "report", "\(id)", "--db", f.db, "--out", out.path])
    #expect(r.status == 0, "\(r.stderr)")
    let page = try String(contentsOf: out, encoding: .utf8)
    #expect(page.contains("Why there is no plan") && page.contains("infeasible"))
    #expect(try CLI.run(["plans", "show", "\(id)", "--db", f.db]).stdout.contains("infeasible"))
    #expect(
      try CLI.run([
        "plans", "export", "\(id)", "--db", f.db, "--out", f.q.dir.appendingPathComponent("x").path,
      ]).status == 0)
  }
}

/// Money as the report prints it: one decimal, thousands separated by commas.
private func money(_ x: Double) -> String {
  let s = String(format: "%.1f", abs(x))
  var whole = String(s.prefix { $0 != "." })
  var grouped = ""
  while whole.count > 3 {
    grouped = "," + whole.suffix(3) + grouped
    whole.removeLast(3)
  }
  return (x < 0 ? "-" : "") + whole + grouped + "." + s.split(separator: ".")[1]
}

/// Rows of an exported JSON table, read with JSONDecoder (which reads every Double back exactly).

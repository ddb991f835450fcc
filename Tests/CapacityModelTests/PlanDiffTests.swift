import Foundation
import Testing

@testable import CapacityModel

/// Hand-built plans, so every expected figure is written out.
enum ReviewPlans {
  static func period(_ id: String, years: Double, revenue: Double, opex: Double, dep: Double, fixed: Double)
    -> Plan.PeriodFinancials
  {
    let ebit = revenue - opex - dep - fixed
    return Plan.PeriodFinancials(
      id: id, years: years, revenue: revenue, opex: opex, depreciation: dep, fixed: fixed, ebit: ebit,
      ebitMargin: revenue != 0 ? ebit / revenue : nil, revenueByUse: [:], revenueByOffering: [:])
  }

  static func plan(
    scenario: String = "s", periods: [Plan.PeriodFinancials],
    allocations: [(String, String, String, String, Double)],
    installs: [Plan.Install] = [], expansions: [Plan.ExpansionBuilt] = [], power: [Plan.SitePower] = [],
    supply: [Plan.Marginal] = [], demand: [Plan.Marginal] = []
  ) -> Plan {
    var totals = Plan.Totals(
      revenue: 0, opex: 0, depreciation: 0, fixed: 0, ebit: 0, ebitMargin: nil, revenueByUse: [:],
      revenueByOffering: [:])
    for p in periods {
      totals.revenue += p.years * p.revenue
      totals.opex += p.years * p.opex
      totals.depreciation += p.years * p.depreciation
      totals.fixed += p.years * p.fixed
      totals.ebit += p.years * p.ebit
    }
    var marginals = Plan.Marginals()
    marginals.power = power
    marginals.supply = supply
    marginals.demand = demand
    return Plan(
      scenario: scenario, status: .optimal, message: nil, objective: totals.ebit, totals: totals,
      periods: periods,
      allocations: allocations.map {
        Plan.Allocation(offering: $0.0, hardware: $0.1, site: $0.2, period: $0.3, mw: $0.4)
      },
      installs: installs, expansions: expansions, lab: [], marginals: marginals, stability: nil,
      infeasibility: nil,
      solver: Plan.SolverRecord(
        status: "optimal", objective: totals.ebit, bestBound: nil, gap: nil, rows: 1, columns: 1, nonzeros: 1,
        integerColumns: 0, iterations: 1, nodes: 0, seconds: 0.01, method: "dualp"))
  }

  /// Last week: chat on trn at east and west, gpu on h100 at east; two half-year periods.
  static var a: Plan {
    plan(
      periods: [
        period("h1", years: 0.5, revenue: 100, opex: 40, dep: 10, fixed: 0),
        period("h2", years: 0.5, revenue: 120, opex: 50, dep: 10, fixed: 5),
      ],
      allocations: [
        ("chat", "trn", "east", "h1", 10), ("chat", "trn", "west", "h1", 5), ("gpu", "h100", "east", "h1", 4),
        ("chat", "trn", "east", "h2", 12), ("gpu", "h100", "east", "h2", 4),
      ],
      installs: [Plan.Install(site: "east", hardware: "trn", period: "h1", mw: 3)],
      expansions: [
        Plan.ExpansionBuilt(id: "east-2", site: "east", period: "h2", powerMW: 50, costPerYear: 10)
      ],
      power: [
        Plan.SitePower(site: "east", period: "h1", usedMW: 14, limitMW: 14, value: 2.5),
        Plan.SitePower(site: "east", period: "h2", usedMW: 16, limitMW: 64, value: 0),
      ],
      supply: [Plan.Marginal(subject: "trn", period: "h1", kind: .supply, value: 1, binding: true)],
      demand: [Plan.Marginal(subject: "gpu", period: "h2", kind: .demandMW, value: 3, binding: true)])
  }

  /// This week: chat moves 5 MW from west to east in h1, gpu grows in h2, a new offering and a
  /// new period h3; the expansion comes a period later; trn supply stops binding.
  static var b: Plan {
    plan(
      periods: [
        period("h1", years: 0.5, revenue: 100, opex: 40, dep: 10, fixed: 0),
        period("h2", years: 0.5, revenue: 130, opex: 52, dep: 11, fixed: 0),
        period("h3", years: 1, revenue: 140, opex: 50, dep: 12, fixed: 10),
      ],
      allocations: [
        ("chat", "trn", "east", "h1", 15), ("gpu", "h100", "east", "h1", 4),
        ("chat", "trn", "east", "h2", 12),
        ("gpu", "h100", "east", "h2", 6), ("rent", "h100", "west", "h3", 2),
      ],
      installs: [
        Plan.Install(site: "east", hardware: "trn", period: "h1", mw: 3),
        Plan.Install(site: "west", hardware: "h100", period: "h3", mw: 2),
      ],
      expansions: [
        Plan.ExpansionBuilt(id: "east-2", site: "east", period: "h3", powerMW: 50, costPerYear: 10)
      ],
      power: [
        Plan.SitePower(site: "east", period: "h1", usedMW: 19, limitMW: 19, value: 2.5),
        Plan.SitePower(site: "east", period: "h2", usedMW: 18, limitMW: 18, value: 4),
      ],
      supply: [Plan.Marginal(subject: "trn", period: "h1", kind: .supply, value: 1, binding: false)],
      demand: [Plan.Marginal(subject: "gpu", period: "h2", kind: .demandMW, value: 3, binding: true)])
  }
}

@Suite("Plan review: diff, pivot and binding constraints")
struct PlanDiffTests {
  @Test func allocationsMoveKeyByKeyWithAbsentKeysAsZero() throws {
    let d = PlanDiff(ReviewPlans.a, ReviewPlans.b)
    #expect(d.periods == ["h1", "h2", "h3"], "a's periods in order, then b's new ones")
    // (chat,trn,east,h1) 10 -> 15, (chat,trn,west,h1) 5 -> 0, (gpu,h100,east,h2) 4 -> 6, (rent,h100,west,h3) 0 -> 2.
    let changes = d.allocations.map {
      "\($0.offering)/\($0.hardware)/\($0.site)/\($0.period):\($0.mw.a)->\($0.mw.b)"
    }
    #expect(
      changes == [
        "chat/trn/east/h1:10.0->15.0", "chat/trn/west/h1:5.0->0.0", "gpu/h100/east/h2:4.0->6.0",
        "rent/h100/west/h3:0.0->2.0",
      ], "largest |change| first, ties by key")
    #expect(d.mwMoved == 5 + 5 + 2 + 2)
  }

  @Test func rollupsByOfferingHardwareSiteAndPeriod() throws {
    let d = PlanDiff(ReviewPlans.a, ReviewPlans.b)
    let chat = try #require(d.byOffering.first { $0.key == "chat" })
    // The west-to-east move nets to 0 for chat in h1 but moves 10 MW.
    #expect(chat.periods.map(\.mw.delta) == [0, 0, 0])
    #expect(chat.moved == 10)
    #expect(chat.netMWYears == 0)
    let gpu = try #require(d.byOffering.first { $0.key == "gpu" })
    #expect(gpu.periods.map(\.mw.a) == [4, 4, 0] && gpu.periods.map(\.mw.b) == [4, 6, 0])
    #expect(gpu.netMWYears == 2 * 0.5)
    let rent = try #require(d.byOffering.first { $0.key == "rent" })
    #expect(rent.netMWYears == 2 * 1 && rent.moved == 2)
    #expect(d.byOffering.map(\.key) == ["chat", "gpu", "rent"], "most moved first, then by name")

    let east = try #require(d.bySite.first { $0.key == "east" })
    #expect(east.periods.map(\.mw.delta) == [5, 2, 0])
    let west = try #require(d.bySite.first { $0.key == "west" })
    #expect(west.periods.map(\.mw.delta) == [-5, 0, 2])
    let h100 = try #require(d.byHardware.first { $0.key == "h100" })
    #expect(h100.periods.map(\.mw.delta) == [0, 2, 2])
    #expect(d.byPeriod.map(\.mw.a) == [19, 16, 0] && d.byPeriod.map(\.mw.b) == [19, 18, 2])
    #expect(d.byPeriod.map(\.moved) == [10, 2, 2])
    #expect(d.horizonYears == 2)
  }

  @Test func financialsByPeriodAndOverTheHorizon() throws {
    let d = PlanDiff(ReviewPlans.a, ReviewPlans.b)
    #expect(d.financials.map(\.period) == ["h1", "h2", "h3"])
    #expect(d.financials.map(\.ebit.a) == [50, 55, 0])
    #expect(d.financials.map(\.ebit.b) == [50, 67, 68])
    #expect(d.financials.map(\.ebit.delta) == [0, 12, 68])
    #expect(d.financials[1].fixed.delta == -5 && d.financials[2].revenue.delta == 140)
    let totals = try #require(d.totals)
    // a: 0.5 * 50 + 0.5 * 55 = 52.5; b: 0.5 * 50 + 0.5 * 67 + 1 * 68 = 126.5.
    #expect(totals.ebit.a == 52.5 && totals.ebit.b == 126.5 && totals.ebit.delta == 74)
    #expect(totals.years.a == 1 && totals.years.b == 2)
  }

  @Test func marginalsPowerInstallsAndExpansionsThatDiffer() throws {
    let d = PlanDiff(ReviewPlans.a, ReviewPlans.b)
    // east h1: same value, still at its limit -> not listed. east h2: 0 -> 4 and now at the limit.
    // trn supply: same value, no longer binding. gpu demand: unchanged.
    #expect(d.marginals.count == 2)
    let power = try #require(d.marginals.first { $0.kind.rawValue == "power" })
    #expect(
      power.subject == "east" && power.period == "h2" && power.a == 0 && power.b == 4 && power.delta == 4)
    #expect(power.bindingA == false && power.bindingB == true)
    let supply = try #require(d.marginals.first { $0.kind.rawValue == "supply" })
    #expect(supply.delta == 0 && supply.bindingA == true && supply.bindingB == false)

    #expect(d.power.map { "\($0.site)/\($0.period)" } == ["east/h1", "east/h2"])
    #expect(d.power[0].usedMW.delta == 5 && d.power[1].limitMW.delta == -46)

    #expect(d.installs.count == 1)
    #expect(
      d.installs[0].site == "west" && d.installs[0].hardware == "h100" && d.installs[0].mw.b == 2
        && d.installs[0].mw.a == 0)
    #expect(d.expansions.count == 1)
    #expect(
      d.expansions[0].id == "east-2" && d.expansions[0].periodA == "h2" && d.expansions[0].periodB == "h3")
  }

  @Test func aPlanAgainstItselfIsEmptyAndSwappingNegates() throws {
    let same = PlanDiff(ReviewPlans.a, ReviewPlans.a)
    #expect(same.isEmpty)
    #expect(same.mwMoved == 0 && same.allocations.isEmpty && same.byOffering.allSatisfy { $0.moved == 0 })
    let forward = PlanDiff(ReviewPlans.a, ReviewPlans.b)
    let back = PlanDiff(ReviewPlans.b, ReviewPlans.a)
    #expect(forward.mwMoved == back.mwMoved)
    #expect(forward.totals?.ebit.delta == -(back.totals?.ebit.delta ?? 0))
    let f = Dictionary(
      uniqueKeysWithValues: forward.allocations.map { ("\($0.offering)\($0.site)\($0.period)", $0.mw.delta) })
    for c in back.allocations { #expect(f["\(c.offering)\(c.site)\(c.period)"] == -c.mw.delta) }
  }

  @Test func plansOfDifferentScenariosCompare() throws {
    // Solved plans of two real scenarios with nothing in common: everything on one side is 0 on the other.
    let seed = try solvedPlan(FormulationDemandTests.commitmentsYAML)
    let other = ReviewPlans.a
    let d = PlanDiff(seed, other)
    #expect(d.periods == ["fy", "h1", "h2"])
    #expect(d.allocations.count == seed.allocations.count + other.allocations.count)
    let seedMW = seed.allocations.reduce(0) { $0 + $1.mw }
    let otherMW = other.allocations.reduce(0) { $0 + $1.mw }
    #expect(abs(d.mwMoved - (seedMW + otherMW)) < 1e-9)
    #expect(d.financials[0].ebit.b == 0 && d.financials[0].ebit.a == seed.periods[0].ebit)
    // JSON round trip keeps every figure.
    let data = try JSONEncoder().encode(d)
    #expect(try JSONDecoder().decode(PlanDiff.self, from: data) == d)
  }

  @Test func pivotGroupsOfferingByHardwarePerPeriod() throws {
    let plan = ReviewPlans.b
    let pivot = AllocationPivot.offeringByHardware(plan)
    #expect(pivot.rows == ["chat", "gpu", "rent"] && pivot.columns == ["h100", "trn"])
    #expect(pivot.periods == ["h1", "h2", "h3"])
    #expect(pivot.mw(period: "h1", row: "chat", column: "trn") == 15)
    #expect(pivot.mw(period: "h2", row: "gpu", column: "h100") == 6)
    #expect(
      pivot.mw(period: "h2", row: "gpu", column: "trn") == 0
        && !pivot.has(period: "h2", row: "gpu", column: "trn"))
    #expect(
      pivot.rowTotal(period: "h1", row: "chat") == 15 && pivot.columnTotal(period: "h3", column: "h100") == 2)
    #expect(pivot.total(period: "h2") == 18)
    // Horizon average: chat on trn (0.5 * 15 + 0.5 * 12 + 1 * 0) / 2 = 6.75.
    #expect(pivot.average(row: "chat", column: "trn") == 6.75)
    let gpuAverage: Double = (0.5 * 4 + 0.5 * 6) / 2
    let h100Average: Double = (0.5 * 4 + 0.5 * 6 + 1 * 2) / 2
    #expect(pivot.averageRow("gpu") == gpuAverage)
    #expect(pivot.averageColumn("h100") == h100Average)
  }

  @Test func pivotOfManyRowsIsLinear() throws {
    // 120,000 allocation rows pivot in well under a second (dictionaries, one pass).
    var rows: [(String, String, String, String, Double)] = []
    for i in 0..<120_000 { rows.append(("o\(i % 300)", "h\(i % 40)", "s\(i % 10)", "p\(i % 8)", 1)) }
    let plan = ReviewPlans.plan(
      periods: (0..<8).map {
        ReviewPlans.period("p\($0)", years: 0.25, revenue: 1, opex: 0, dep: 0, fixed: 0)
      }, allocations: rows)
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      let pivot = AllocationPivot.offeringByHardware(plan)
      #expect(pivot.periods.map { pivot.total(period: $0) }.reduce(0, +) == 120_000)
      let diff = PlanDiff(plan, plan)
      #expect(diff.isEmpty)
    }
    #expect(elapsed < .seconds(10), "took \(elapsed)")
  }

  @Test func bindingConstraintsFromThePlanAndItsScenario() throws {
    let document = try ScenarioLoader.parse(yaml: FormulationDemandTests.commitmentsYAML, file: "test.yaml")
    let scenario = try ScenarioValidator.validate(document)
    let plan = try solvedPlan(FormulationDemandTests.commitmentsYAML)
    let list = PlanBindings.derive(plan, scenario: scenario)
    let committed = try #require(list.first { $0.kind.rawValue == "committed_mw" })
    #expect(
      committed.subject == "gpu" && committed.period == "fy" && committed.level == 4 && committed.limit == 4)
    let required = try #require(list.first { $0.kind.rawValue == "required_mw" })
    #expect(required.subject == "train" && required.level == 2)
    #expect(!list.contains { $0.kind.rawValue == "power" }, "10 MW used of 100: not binding")
    // Without the scenario, commitments cannot be checked.
    #expect(!PlanBindings.derive(plan).contains { $0.kind.rawValue == "committed_mw" })

    // Power at its limit, supply and demand marked binding: from the plan alone.
    let hand = PlanBindings.derive(ReviewPlans.b)
    #expect(
      hand.map { "\($0.kind) \($0.subject) \($0.period)" } == [
        "power east h1", "power east h2", "demand_mw gpu h2",
      ])
    #expect(hand[0].level == 19 && hand[0].limit == 19 && hand[0].value == 2.5)
    #expect(hand[2].level == 6, "MW demand level: the offering's MW in that period")
  }

  @Test func bindingDemandAndSupplyLevelsComeFromTheScenario() throws {
    let yaml = """
      scenario: review-binding
      periods:
        - {id: q1, years: 0.25}
      hardware:
        - {id: trn, opex_per_mw_year: 2, capex_per_mw: 5, life_years: 5, supply_mw: 8}
      sites:
        - id: east
          power_mw: 12
          installed_mw: {trn: 2}
      offerings:
        - id: chat
          use: bedrock
          pricing: first_party
          gross_revenue_per_mw_year: {trn: 10}
          demand_gross_revenue_per_year: 50
      """
    let document = try ScenarioLoader.parse(yaml: yaml, file: "test.yaml")
    let scenario = try ScenarioValidator.validate(document)
    let plan = try solvedPlan(yaml)
    // Chat earns 10 - 2 - 1 = 7 per new MW: it takes 5 MW (demand 50 / 10); 3 new MW installed, supply 8 not reached.
    let list = PlanBindings.derive(plan, scenario: scenario)
    let demand = try #require(list.first { $0.kind.rawValue == "demand_gross_revenue" })
    #expect(abs((demand.level ?? 0) - 50) < 1e-6 && demand.limit == 50)
    #expect(!list.contains { $0.kind.rawValue == "supply" })
  }
}

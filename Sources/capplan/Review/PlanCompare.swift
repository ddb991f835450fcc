import CapacityModel
import Foundation

/// `capplan plans compare`: plans side by side, one column per plan, one row per figure a
/// planner compares cases by. The rows are defined in one list (`PlanComparison.rowDefinitions`):
/// a new figure is one more entry there, and every output (table, CSV, Markdown, JSON, HTML)
/// shows it.
struct PlanComparison {
  let plans: [StoredPlan]
  let rows: [Row]

  /// One figure across the plans. Numbers are kept at full precision; `style` says how a
  /// person reads them.
  struct Row {
    /// The heading the row is listed under (headline, revenue by use, ...).
    var section: String
    /// A stable key for CSV and JSON: ebit_musd, mw_by_use_average.bedrock, ...
    var key: String
    /// What a person reads, unit included: "EBIT ($M over the horizon)".
    var label: String
    var cells: [Cell]
    var style: Style

    /// Whether the plans disagree as a person reads them: the figures as shown (rounded as the
    /// table rounds them) differ. Float noise and solve times a millisecond apart do not count.
    var differs: Bool {
      let shown = cells.map { PlanComparison.display($0, style) }
      return shown.contains { $0 != shown.first }
    }
  }

  enum Cell: Equatable {
    case number(Double)
    case text(String)
    /// The plan has no such figure (no solution, no previous plan, ...).
    case none

    var number: Double? { if case .number(let x) = self { return x } else { return nil } }
  }

  enum Style {
    case money, percent, mw, count, seconds, fraction, text
  }

  /// A row definition: from the plans being compared, the rows it contributes (a figure per use
  /// or per hardware gives a row for each use or hardware any of the plans has).
  typealias RowDefinition = @Sendable ([ComparedPlan]) -> [Row]

  init(_ plans: [StoredPlan]) {
    self.plans = plans
    let compared = plans.map(ComparedPlan.init)
    rows = Self.rowDefinitions.flatMap { $0(compared) }
  }

  var differingRows: [Row] { rows.filter(\.differs) }

  /// The rows, in reading order. Add a figure here.
  static let rowDefinitions: [RowDefinition] = [
    text("plan", "scenario", "scenario") { $0.plan.scenario },
    text("plan", "status", "status") { $0.plan.status.rawValue },
    single("headline", "ebit_musd", "EBIT ($M over the horizon)", .money) { $0.totals?.ebit },
    single("headline", "ebit_margin_fraction", "EBIT margin", .percent) { $0.totals?.ebitMargin },
    single("headline", "revenue_musd", "revenue ($M over the horizon)", .money) { $0.totals?.revenue },
    single("headline", "opex_musd", "opex ($M over the horizon)", .money) { $0.totals?.opex },
    single("headline", "depreciation_musd", "depreciation ($M over the horizon)", .money) {
      $0.totals?.depreciation
    },
    single("headline", "fixed_costs_musd", "fixed costs ($M over the horizon)", .money) { $0.totals?.fixed },
    text("finance", "solved_for", "solved for") { $0.plan.solvedFor?.rawValue ?? "ebit" },
    single("finance", "capex_musd", "capex paid ($M over the horizon)", .money) {
      $0.plan.cashFlows?.total.capex
    },
    single("finance", "npv_musd", "NPV ($M, at the scenario's discount rate)", .money) {
      $0.plan.cashFlows?.npv
    },
    single("finance", "discount_rate_fraction", "discount rate (a year)", .percent) {
      $0.plan.cashFlows?.discountRate
    },
    text("finance", "payback_period", "payback period") {
      $0.plan.cashFlows.map { $0.paybackPeriod ?? "not within the horizon" } ?? "-"
    },
    perKey(
      "revenue by use", "revenue_by_use_musd", "$M over the horizon", .money, keys: \.useOrder
    ) { p, use in p.useLine(use).map(\.total.revenue) ?? p.totals?.revenueByUse[use] },
    perKey("EBIT by use", "ebit_by_use_musd", "$M over the horizon", .money, keys: \.useOrder) { p, use in
      p.useLine(use)?.total.ebit
    },
    // With these two the EBIT by use adds up to the plan's EBIT.
    single("EBIT by use", "ebit_idle_capacity_musd", "idle capacity ($M over the horizon)", .money) {
      $0.plan.economics?.idle.total.ebit
    },
    single("EBIT by use", "ebit_fixed_costs_musd", "fixed costs ($M over the horizon)", .money) {
      $0.plan.economics?.fixed.total.ebit
    },
    perKey(
      "allocated MW by use", "mw_by_use_average", "IT MW, horizon average", .mw, keys: \.useOrder
    ) { p, use in p.horizonAverage(p.useLine(use)) },
    perKey(
      "allocated MW by use", "mw_by_use_last", "IT MW in the last period", .mw, keys: \.useOrder
    ) { p, use in p.lastPeriod(p.useLine(use)) },
    perKey(
      "allocated MW by hardware", "mw_by_hardware_average", "IT MW, horizon average", .mw,
      keys: \.hardwareOrder
    ) { p, hw in p.horizonAverage(p.hardwareLine(hw)) },
    perKey(
      "allocated MW by hardware", "mw_by_hardware_last", "IT MW in the last period", .mw,
      keys: \.hardwareOrder
    ) { p, hw in p.lastPeriod(p.hardwareLine(hw)) },
    perKey(
      "installs", "installed_mw_by_hardware", "new IT MW over the horizon", .mw, keys: \.installOrder
    ) { p, hw in p.solved ? p.plan.installs.filter { $0.hardware == hw }.reduce(0) { $0 + $1.mw } : nil },
    single("installs", "installed_mw", "new IT MW over the horizon, all hardware", .mw) {
      $0.solved ? $0.plan.installs.reduce(0) { $0 + $1.mw } : nil
    },
    single("expansions", "expansions_built", "expansions built (count)", .count) {
      $0.solved ? Double($0.plan.expansions.count) : nil
    },
    text("expansions", "expansions_built_list", "expansions built (first period)") { p in
      guard p.solved else { return "-" }
      let list = p.plan.expansions.map { "\($0.id) (\($0.period))" }
      return list.isEmpty ? "none" : list.joined(separator: ", ")
    },
    single("power", "power_at_limit_count", "site-periods with power at its limit (count)", .count) {
      $0.solved ? Double($0.plan.marginals.power.filter(\.isAtLimit).count) : nil
    },
    single("power", "site_periods", "site-periods (count)", .count) {
      $0.solved ? Double($0.plan.marginals.power.count) : nil
    },
    single("stability", "mw_moved", "IT MW moved vs the previous plan", .mw) { $0.plan.stability?.mwMoved },
    single("stability", "move_cost_musd", "move cost ($M)", .money) { $0.plan.stability?.moveCost },
    single("solver", "solve_seconds", "solve time (s)", .seconds) { $0.plan.solver.seconds },
    single("solver", "mip_gap_fraction", "MIP gap (fraction of the bound)", .fraction) { $0.plan.solver.gap },
    text("solver", "solver_method", "solver method") { $0.plan.solver.method },
  ]

  static func single(
    _ section: String, _ key: String, _ label: String, _ style: Style,
    _ value: @escaping @Sendable (ComparedPlan) -> Double?
  ) -> RowDefinition {
    { plans in
      [
        Row(
          section: section, key: key, label: label,
          cells: plans.map { p in value(p).map { .number($0) } ?? .none }, style: style)
      ]
    }
  }

  static func text(
    _ section: String, _ key: String, _ label: String, _ value: @escaping @Sendable (ComparedPlan) -> String
  ) -> RowDefinition {
    { plans in
      [Row(section: section, key: key, label: label, cells: plans.map { .text(value($0)) }, style: .text)]
    }
  }

  /// A row per key (a use, a hardware kind) that any plan has, in the order the plans list them.
  /// A plan with a solution but without the key shows 0; a plan without a solution shows none.
  static func perKey(
    _ section: String, _ key: String, _ unit: String, _ style: Style,
    keys: @escaping @Sendable (ComparedPlan) -> [String],
    _ value: @escaping @Sendable (ComparedPlan, String) -> Double?
  ) -> RowDefinition {
    { plans in
      plans.flatMap(keys).uniqued().map { k in
        Row(
          section: section, key: "\(key).\(k)", label: "\(k) (\(unit))",
          cells: plans.map { p in
            guard p.solved else { return .none }
            return .number(value(p, k) ?? 0)
          }, style: style)
      }
    }
  }
}

/// One plan's figures as the comparison reads them: the plan's own categories (its uses and
/// hardware from its economics lines), so plans of different scenarios line up by name.
struct ComparedPlan: Sendable {
  let plan: Plan

  init(_ stored: StoredPlan) { plan = stored.plan }

  var solved: Bool { plan.status.hasSolution }
  var totals: Plan.Totals? { plan.totals }
  var horizonYears: Double { plan.periods.reduce(0) { $0 + $1.years } }

  var useOrder: [String] {
    guard let e = plan.economics else { return plan.totals.map { $0.revenueByUse.keys.sorted() } ?? [] }
    return e.uses.map(\.id)
  }
  var hardwareOrder: [String] { plan.economics?.hardware.map(\.id) ?? [] }
  var installOrder: [String] { plan.installs.map(\.hardware).uniqued() }

  func useLine(_ use: String) -> Plan.Line? { plan.economics?.uses.first { $0.id == use } }
  func hardwareLine(_ hw: String) -> Plan.Line? { plan.economics?.hardware.first { $0.id == hw } }

  /// A line's MW-years over the horizon divided by the horizon's years.
  func horizonAverage(_ line: Plan.Line?) -> Double? {
    guard let line, horizonYears > 0 else { return nil }
    return line.total.mw / horizonYears
  }

  func lastPeriod(_ line: Plan.Line?) -> Double? {
    guard let line, let last = plan.periods.last else { return nil }
    return line.figures(last.id)?.mw
  }
}

import Foundation

/// How a solve ended, in a planner's terms.
public enum PlanStatus: String, Codable, Sendable, CaseIterable {
  case optimal
  /// A MIP stopped at the requested relative gap: an incumbent with a proven bound.
  case feasibleWithGap = "feasible_with_gap"
  case infeasible
  /// The scenario is infeasible; this is the plan of its elastic version, where the soft limits
  /// listed in `infeasibility.shortfalls` gave way by the least total amount.
  case infeasibleRelaxed = "infeasible_relaxed"
  case unbounded
  case timeLimitWithSolution = "time_limit_with_solution"
  case timeLimitWithoutSolution = "time_limit_without_solution"
  case error

  public var hasSolution: Bool {
    self == .optimal || self == .feasibleWithGap || self == .timeLimitWithSolution
      || self == .infeasibleRelaxed
  }
}

/// The complete result of a solve: what `capplan solve --format json` prints,
/// what `--previous` reads and what the store keeps. Money in $M; per-period
/// figures are annual rates ($M per year), totals are weighted by `years`.
public struct Plan: Codable, Sendable, Equatable {
  public var scenario: String
  public var status: PlanStatus
  public var message: String?
  /// The solver's objective, less the move cost: horizon EBIT, or NPV (see `solvedFor`).
  public var objective: Double?
  public var totals: Totals?
  /// EBIT by offering, use, hardware and site, with idle capacity and fixed costs (nil in plans
  /// stored before it was added, and without a solution).
  public var economics: Economics?
  public var periods: [PeriodFinancials]
  public var allocations: [Allocation]
  public var installs: [Install]
  public var expansions: [ExpansionBuilt]
  public var lab: [LabSide]
  public var marginals: Marginals
  public var stability: StabilityReport?
  public var infeasibility: Infeasibility?
  public var solver: SolverRecord
  /// Things a planner should look at before trusting the plan (nil in plans stored before
  /// warnings were recorded).
  public var warnings: [String]?
  /// What the next solve of a similar scenario can start from (`--previous`, schedules).
  public var warmStart: WarmStart?
  /// What `objective` measures: horizon EBIT or NPV (nil in plans stored before `--objective`
  /// existed: they were all solved for EBIT).
  public var solvedFor: SolveObjective?
  /// Capex when paid, operating cash per period, NPV and payback (PlanCashFlows.swift; nil in
  /// plans stored before it was added, and without a solution).
  public var cashFlows: CashFlows?
  /// A two-stage plan over demand cases: per-case EBIT and allocations, expected EBIT, CVaR,
  /// EVPI and VSS (PlanUncertainty.swift); nil for a plan of one demand.
  public var uncertainty: Uncertainty?

  enum CodingKeys: String, CodingKey {
    case scenario, status, message, objective, totals, economics, periods, allocations, installs, expansions,
      lab,
      marginals
    case stability, infeasibility, solver, warnings
    case warmStart = "warm_start"
    case solvedFor = "solved_for", cashFlows = "cash_flows"
    case uncertainty
  }

  /// The final simplex basis (LPs) or solution (MIPs), keyed by column and row
  /// names so it maps onto a changed scenario's model: names that no longer
  /// exist are dropped, new ones start at their defaults.
  public struct WarmStart: Codable, Sendable, Equatable {
    public var basicColumns: [String] = []
    public var columnsAtUpper: [String] = []
    /// Rows whose constraint is active: "lower", "upper", "fixed" or "free".
    public var activeRows: [String: String] = [:]
    /// MIP: the non-zero values of the solution.
    public var values: [String: Double] = [:]
    public init() {}

    enum CodingKeys: String, CodingKey {
      case basicColumns = "basic_columns", columnsAtUpper = "columns_at_upper", activeRows = "active_rows",
        values
    }
  }

  public init(
    scenario: String, status: PlanStatus, message: String?, objective: Double?, totals: Totals?,
    periods: [PeriodFinancials], allocations: [Allocation], installs: [Install], expansions: [ExpansionBuilt],
    lab: [LabSide], marginals: Marginals, stability: StabilityReport?, infeasibility: Infeasibility?,
    solver: SolverRecord
  ) {
    self.scenario = scenario
    self.status = status
    self.message = message
    self.objective = objective
    self.totals = totals
    self.periods = periods
    self.allocations = allocations
    self.installs = installs
    self.expansions = expansions
    self.lab = lab
    self.marginals = marginals
    self.stability = stability
    self.infeasibility = infeasibility
    self.solver = solver
  }

  public struct Totals: Codable, Sendable, Equatable {
    public var revenue, opex, depreciation, fixed, ebit: Double
    public var ebitMargin: Double?
    public var revenueByUse: [String: Double]
    public var revenueByOffering: [String: Double]

    enum CodingKeys: String, CodingKey {
      case revenue, opex, depreciation, fixed, ebit
      case ebitMargin = "ebit_margin", revenueByUse = "revenue_by_use", revenueByOffering =
        "revenue_by_offering"
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(revenue, forKey: .revenue)
      try c.encode(opex, forKey: .opex)
      try c.encode(depreciation, forKey: .depreciation)
      try c.encode(fixed, forKey: .fixed)
      try c.encode(ebit, forKey: .ebit)
      try c.encode(ebitMargin, forKey: .ebitMargin)  // null on zero revenue
      try c.encode(revenueByUse, forKey: .revenueByUse)
      try c.encode(revenueByOffering, forKey: .revenueByOffering)
    }
  }

  public struct PeriodFinancials: Codable, Sendable, Equatable {
    public var id: String
    public var years: Double
    public var revenue, opex, depreciation, fixed, ebit: Double
    public var ebitMargin: Double?
    public var revenueByUse: [String: Double]
    public var revenueByOffering: [String: Double]

    enum CodingKeys: String, CodingKey {
      case id, years, revenue, opex, depreciation, fixed, ebit
      case ebitMargin = "ebit_margin", revenueByUse = "revenue_by_use", revenueByOffering =
        "revenue_by_offering"
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encode(years, forKey: .years)
      try c.encode(revenue, forKey: .revenue)
      try c.encode(opex, forKey: .opex)
      try c.encode(depreciation, forKey: .depreciation)
      try c.encode(fixed, forKey: .fixed)
      try c.encode(ebit, forKey: .ebit)
      try c.encode(ebitMargin, forKey: .ebitMargin)
      try c.encode(revenueByUse, forKey: .revenueByUse)
      try c.encode(revenueByOffering, forKey: .revenueByOffering)
    }
  }

  public struct Allocation: Codable, Sendable, Equatable {
    public var offering, hardware, site, period: String
    public var mw: Double
    public init(offering: String, hardware: String, site: String, period: String, mw: Double) {
      (self.offering, self.hardware, self.site, self.period, self.mw) = (offering, hardware, site, period, mw)
    }
  }

  public struct Install: Codable, Sendable, Equatable {
    public var site, hardware, period: String
    public var mw: Double
  }

  /// An expansion built, from the first period it stands in.
  public struct ExpansionBuilt: Codable, Sendable, Equatable {
    public var id, site, period: String
    public var powerMW, costPerYear: Double
    enum CodingKeys: String, CodingKey {
      case id, site, period, powerMW = "power_mw", costPerYear = "cost_per_year"
    }
  }

  /// The lab's side of a revenue-share offering in one period (annual rates).
  public struct LabSide: Codable, Sendable, Equatable {
    public var offering, period: String
    public var grossRevenue, platformRevenue: Double
    public var grossMargin: Double?

    enum CodingKeys: String, CodingKey {
      case offering, period, grossRevenue = "gross_revenue", platformRevenue = "platform_revenue"
      case grossMargin = "gross_margin"
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(offering, forKey: .offering)
      try c.encode(period, forKey: .period)
      try c.encode(grossRevenue, forKey: .grossRevenue)
      try c.encode(platformRevenue, forKey: .platformRevenue)
      try c.encode(grossMargin, forKey: .grossMargin)
    }
  }

  public struct Marginals: Codable, Sendable, Equatable {
    /// $M of EBIT per extra facility MW-year at the site in that period.
    public var power: [SitePower] = []
    /// $M per extra MW of supply in that period.
    public var supply: [Marginal] = []
    /// Gross-revenue demand: $ of EBIT per $ of gross revenue rate; MW demand: $M per MW-year.
    public var demand: [Marginal] = []
    public init() {}
  }

  public struct SitePower: Codable, Sendable, Equatable {
    public var site, period: String
    /// Facility MW in use (PUE x installed IT MW) and available (with expansions built).
    public var usedMW, limitMW: Double
    public var value: Double?
    enum CodingKeys: String, CodingKey { case site, period, usedMW = "used_mw", limitMW = "limit_mw", value }
  }

  public struct Marginal: Codable, Sendable, Equatable {
    /// The hardware (supply) or offering (demand).
    public var subject: String
    public var period: String
    /// supply, demand_gross_revenue or demand_mw.
    public var kind: ConstraintKey.Kind
    public var value: Double?
    public var binding: Bool
  }

  public struct StabilityReport: Codable, Sendable, Equatable {
    public var previousPeriods: [String]
    public var mwMoved: Double
    public var moveCost: Double
    public var unmatchedMW: Double
    /// The price of stability, from a second solve of the same scenario without the move cost
    /// (nil when that solve found no solution, or in plans stored before it was added).
    public var price: PriceOfStability?
    enum CodingKeys: String, CodingKey {
      case previousPeriods = "previous_periods", mwMoved = "mw_moved", moveCost = "move_cost"
      case unmatchedMW = "unmatched_mw", price = "price_of_stability"
    }
  }

  /// What staying close to the previous plan cost: EBIT given up for MW not moved.
  public struct PriceOfStability: Codable, Sendable, Equatable {
    /// Horizon EBIT of the same scenario solved without the move cost.
    public var ebitWithoutMoveCost: Double
    /// That EBIT less this plan's EBIT ($M over the horizon).
    public var ebitGivenUp: Double
    /// MW the plan without the move cost would move against the previous plan.
    public var mwMovedWithoutMoveCost: Double
    /// MW kept in place by the move cost: the moves avoided.
    public var mwKept: Double
    /// "$35.0M of EBIT given up to avoid moving 1,180 MW".
    public var text: String
    enum CodingKeys: String, CodingKey {
      case ebitWithoutMoveCost = "ebit_without_move_cost", ebitGivenUp = "ebit_given_up"
      case mwMovedWithoutMoveCost = "mw_moved_without_move_cost", mwKept = "mw_kept", text
    }
  }

  /// Why a scenario cannot be met, in its own terms.
  public struct Infeasibility: Codable, Sendable, Equatable {
    public var summary: String
    public var conflicts: [String]
    /// What the least relaxation of the soft limits needs, limit by limit (nil in plans stored
    /// before it was added, or when the elastic solve failed).
    public var shortfalls: [Shortfall]?
    /// The EBIT of the elastic plan, where the shortfalls are allowed.
    public var relaxedEbit: Double?

    public init(summary: String, conflicts: [String]) {
      (self.summary, self.conflicts) = (summary, conflicts)
    }

    enum CodingKeys: String, CodingKey {
      case summary, conflicts, shortfalls, relaxedEbit = "relaxed_ebit"
    }
  }

  /// One soft limit the elastic plan had to break, in the user's units.
  public struct Shortfall: Codable, Sendable, Equatable {
    /// committed_mw, required_mw, power, supply or policy.
    public var kind: ConstraintKey.Kind
    /// The offering, site, hardware or policy.
    public var subject: String
    public var period: String
    /// How far the limit gives: MW short (committed, required), facility MW (power), MW of
    /// installs (supply), or for a policy the share reached (a fraction, against `limit`).
    public var amount: Double
    public var unit: String
    /// The limit itself: the committed or required MW, the site's facility MW, the supply, the share.
    public var limit: Double
    /// "committed_mw of gpu-rental in 2026Q4: short 340 MW".
    public var text: String
  }

  public struct SolverRecord: Codable, Sendable, Equatable {
    public var status: String
    public var objective: Double?
    public var bestBound: Double?
    public var gap: Double?
    public var rows, columns, nonzeros, integerColumns, iterations, nodes: Int
    public var seconds: Double
    public var method: String
    /// How the solve started: "cold", "basis", "solution", "solution refused", or "rounding"
    /// (a MIP started from the rounding heuristic's first plan).
    public var start: String = "cold"
    /// MIPs: the rounding heuristic's first plan, before branch-and-cut.
    public var firstPlan: FirstPlan?

    public init(
      status: String, objective: Double?, bestBound: Double?, gap: Double?, rows: Int, columns: Int,
      nonzeros: Int,
      integerColumns: Int, iterations: Int, nodes: Int, seconds: Double, method: String
    ) {
      self.status = status
      self.objective = objective
      self.bestBound = bestBound
      self.gap = gap
      self.rows = rows
      self.columns = columns
      self.nonzeros = nonzeros
      self.integerColumns = integerColumns
      self.iterations = iterations
      self.nodes = nodes
      self.seconds = seconds
      self.method = method
    }
    enum CodingKeys: String, CodingKey {
      case status, objective, bestBound = "best_bound", gap, rows, columns, nonzeros
      case integerColumns = "integer_columns", iterations, nodes, seconds, method, start
      case firstPlan = "first_plan"
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      status = try c.decode(String.self, forKey: .status)
      objective = try c.decodeIfPresent(Double.self, forKey: .objective)
      bestBound = try c.decodeIfPresent(Double.self, forKey: .bestBound)
      gap = try c.decodeIfPresent(Double.self, forKey: .gap)
      rows = try c.decode(Int.self, forKey: .rows)
      columns = try c.decode(Int.self, forKey: .columns)
      nonzeros = try c.decode(Int.self, forKey: .nonzeros)
      integerColumns = try c.decode(Int.self, forKey: .integerColumns)
      iterations = try c.decode(Int.self, forKey: .iterations)
      nodes = try c.decode(Int.self, forKey: .nodes)
      seconds = try c.decode(Double.self, forKey: .seconds)
      method = try c.decode(String.self, forKey: .method)
      start = try c.decodeIfPresent(String.self, forKey: .start) ?? "cold"
      firstPlan = try c.decodeIfPresent(FirstPlan.self, forKey: .firstPlan)
    }
  }
}

extension Plan {
  public static func encoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return e
  }

  public static func decoder() -> JSONDecoder {
    let d = JSONDecoder()
    return d
  }

  public func jsonData() throws -> Data { try Plan.encoder().encode(self) }

  /// Plan files past this size are refused before being read: a mistaken path (a disk image, a
  /// log) would otherwise be read whole into memory, and decoded at several times its size.
  /// The largest plans `capplan solve` writes are some tens of MB.
  public static let maxFileBytes = 512 << 20

  public static func read(contentsOf path: String) throws -> Plan {
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
      size > maxFileBytes
    {
      throw PlanFileError(
        path: path,
        message: "the file is \(size >> 20) MB; plan files are limited to \(maxFileBytes >> 20) MB")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PlanFileError(path: path, message: "cannot read the file")
    }
    do {
      return try decoder().decode(Plan.self, from: data)
    } catch let error as DecodingError {
      throw PlanFileError(path: path, message: PlanFileError.describe(error))
    }
  }

  /// The allocations as the stability move cost sees them.
  public var previousAllocations: PreviousAllocations {
    var covered = periods.map(\.id)
    if covered.isEmpty {
      for a in allocations where !covered.contains(a.period) { covered.append(a.period) }
    }
    return PreviousAllocations(allocations, periods: covered)
  }
}

public struct PlanFileError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var message: String
  public var description: String {
    "\(path): not a capplan plan (JSON from `capplan solve --format json`): \(message)"
  }

  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."]
      )
    }
    switch error {
    case .keyNotFound(let key, let ctx): return "missing field \(path(ctx.codingPath + [key]))"
    case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
      return "wrong type at \(path(ctx.codingPath)): \(ctx.debugDescription)"
    case .dataCorrupted(let ctx): return "invalid JSON at \(path(ctx.codingPath)): \(ctx.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}

extension Plan.SitePower {
  /// Facility MW in use reaches the limit (the power row binds): the one rule the plan
  /// tables, the diff, the report and the store all use for "at its limit".
  public var isAtLimit: Bool { usedMW >= limitMW - 1e-6 }
}

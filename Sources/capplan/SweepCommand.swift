import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

extension SweepAxis: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var defaultCompletionKind: CompletionKind { .default }
}

struct SweepCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Solve a scenario over a range of values of its fields and print a sensitivity table.",
    discussion: """
      Each --set PATH=FROM:TO:STEP varies one field, addressed by ids: \
      offerings.claude.gross_revenue_per_mw_year.trainium2, sites.indiana.power_mw, \
      sites.indiana.power_mw.2027Q1, hardware.trainium2.opex_per_mw_year, periods.2026Q3.years. \
      Several --set options span a grid. Points solve in parallel, one row per point.

      Metrics: \(PlanMetric.allCases.map(\.rawValue).joined(separator: ", ")).

      Example (the seed's Bedrock tables):
        capplan sweep Models/seed-bedrock-deal.yaml \\
          --set offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5 \\
          --metric revenue_per_mw,ebit_per_mw,ebit_margin,lab_gross_margin_per_mw,lab_gross_margin
      """)

  @Argument(help: "The scenario file.")
  var file: String

  @Option(name: .customLong("set"), help: "PATH=FROM:TO:STEP: a field and the values to solve at.")
  var axes: [SweepAxis]

  @Option(help: "Comma-separated metrics to report.")
  var metric: String =
    "status,revenue,ebit,ebit_margin,revenue_per_mw,ebit_per_mw,lab_gross_margin_per_mw,lab_gross_margin"

  @Option(help: "Output format: table, csv or json.")
  var format: TableFormat = .table

  @Option(help: "Points solved at once (default: the number of cores).")
  var parallel: Int = ProcessInfo.processInfo.activeProcessorCount

  @OptionGroup var settings: SolveSettingsOptions

  @Flag(help: "Progress lines on stderr (points solved) even when stderr is not a terminal.")
  var progress = false

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    if axes.isEmpty { throw ValidationError("give at least one --set PATH=FROM:TO:STEP") }
    if format == .markdown { throw ValidationError("sweep prints table, csv or json") }
    try checkRange(parallel, Limits.concurrency, "--parallel")
    let total = Sweep(axes: axes).size
    if total > Double(Sweep.maxPoints) {
      throw ValidationError(
        "the --set axes span \(Limit.number(total)) points; a sweep is limited to \(Sweep.maxPoints)")
    }
    for name in metrics where PlanMetric(rawValue: name) == nil {
      throw ValidationError(
        "unknown metric '\(name)'; known: \(PlanMetric.allCases.map(\.rawValue).joined(separator: ", "))")
    }
  }

  var metrics: [String] { metric.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

  func run() async throws {
    global.bootstrapLogging()
    do {
      let rows = try sweep()
      try printRows(rows)
    } catch let failure as CommandFailure {
      printError(failure.message)
      throw failure.outcome.exitCode
    }
  }

  func sweep() throws(CommandFailure) -> [(point: [Double], plan: Plan)] {
    let (document, _) = try ScenarioInput.load(file)
    let sweep = Sweep(axes: axes)
    let points = sweep.points
    var scenarios: [ValidScenario] = []
    for point in points {
      let scenario: Scenario
      do {
        scenario = try sweep.scenario(document.scenario, at: point)
      } catch {
        throw CommandFailure(message: error.description, outcome: .invalidInput)
      }
      let label = "\(file) with \(sweep.label(point))"
      let valid = try ScenarioInput.validate(scenario, file: label)
      // Per point: a sweep may set finance.discount_rate itself.
      try settings.check(for: valid, file: label)
      scenarios.append(valid)
    }
    let options = PlanOptions(settings: settings.settings)
    let progress = Progress.start(label: "sweep", forced: self.progress)
    let total = scenarios.count
    let results = Sweep.solve(scenarios, options: options, parallel: parallel) { done in
      progress?.line("\(done) of \(total) points solved")
    }
    progress?.finish()
    var rows: [(point: [Double], plan: Plan)] = []
    for (point, result) in zip(points, results) {
      switch result {
      case .success(let plan): rows.append((point, plan))
      case .failure(let error): throw CommandFailure(message: error.description, outcome: .error)
      }
    }
    return rows
  }

  func printRows(_ rows: [(point: [Double], plan: Plan)]) throws {
    let chosen = metrics.compactMap(PlanMetric.init(rawValue:))
    if format == .json {
      let objects: [[String: JSONValue]] = rows.map { row in
        var o: [String: JSONValue] = [:]
        for (axis, v) in zip(axes, row.point) { o[axis.path] = .number(v) }
        for m in chosen {
          o[m.rawValue] =
            m == .status
            ? .string(row.plan.status.rawValue) : row.plan.value(of: m).map { .number($0) } ?? .null
        }
        return o
      }
      try JSONOutput.print(objects)
      return
    }
    var table = Table(
      "Sensitivity of \(file)", columns: axes.map(\.path) + chosen.map(\.label), firstNumeric: 0)
    for row in rows {
      table.add(
        row.point.map { fixed($0, 4).trimmingZeros() }
          + chosen.map { m in
            if m == .status { return row.plan.status.rawValue }
            guard let v = row.plan.value(of: m) else { return "-" }
            return m.isPercentage ? percent(v) : fixed(v, 2)
          })
    }
    print(format == .csv ? table.csv : table.text, terminator: "")
  }
}

enum JSONValue: Encodable {
  case number(Double), string(String), null
  func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .number(let x): try c.encode(x)
    case .string(let s): try c.encode(s)
    case .null: try c.encodeNil()
    }
  }
}

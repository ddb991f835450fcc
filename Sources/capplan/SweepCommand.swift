import ArgumentParser
import CapacityModel
import Foundation
import JobQueue

/// `PATH=FROM:TO:STEP`, e.g. `offerings.claude.gross_revenue_per_mw_year.trainium2=10:40:5`.
struct SweepAxis: ExpressibleByArgument {
  var path: String
  var values: [Double]

  init?(argument: String) {
    guard let eq = argument.lastIndex(of: "=") else { return nil }
    path = String(argument[..<eq])
    let range = argument[argument.index(after: eq)...].split(separator: ":").map { Double($0) }
    guard !path.isEmpty, range.count == 3, let from = range[0], let to = range[1], let step = range[2],
      from.isFinite, to.isFinite, step.isFinite, step != 0, (to - from) / step >= 0
    else { return nil }
    // From the count, not by repeated addition, so 0.1 steps land on their values.
    // The quotient is checked before Int(...): 0:1e300:1e-300 would trap there.
    let steps = ((to - from) / step + 1e-9).rounded(.down)
    guard steps.isFinite, steps < Double(Self.maxValues) else { return nil }
    let count = Int(steps) + 1
    values = (0..<count).map { from + Double($0) * step }
  }

  static let maxValues = 10_000

  static var defaultCompletionKind: CompletionKind { .default }
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
    let total = axes.reduce(1.0) { $0 * Double($1.values.count) }
    if total > Double(SweepAxis.maxValues) {
      throw ValidationError(
        "the --set axes span \(Limit.number(total)) points; a sweep is limited to \(SweepAxis.maxValues)")
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

  /// Every combination of the axes' values, first axis slowest.
  var points: [[Double]] {
    axes.reduce([[]]) { partial, axis in partial.flatMap { p in axis.values.map { p + [$0] } } }
  }

  func sweep() throws(CommandFailure) -> [(point: [Double], plan: Plan)] {
    let (document, _) = try ScenarioInput.load(file)
    var scenarios: [ValidScenario] = []
    for point in points {
      var scenario = document.scenario
      for (axis, value) in zip(axes, point) {
        do {
          scenario = try scenario.setting(axis.path, to: value)
        } catch {
          throw CommandFailure(message: error.description, outcome: .invalidInput)
        }
      }
      let label = zip(axes, point).map { "\($0.path)=\($1)" }.joined(separator: ", ")
      scenarios.append(try ScenarioInput.validate(scenario, file: "\(file) with \(label)"))
    }
    let options = PlanOptions(settings: settings.settings)
    let results = SweepResults(count: scenarios.count)
    let progress = Progress.start(label: "sweep", forced: self.progress)
    // Threads, not tasks: each solve keeps its GLPK objects on one thread.
    let total = scenarios.count
    let queue = OperationQueue()
    queue.maxConcurrentOperationCount = parallel
    for (i, scenario) in scenarios.enumerated() {
      queue.addOperation {
        results.set(i, Result { () throws(PlanningError) in try Planner.plan(scenario, options: options) })
        progress?.line("\(results.done) of \(total) points solved")
      }
    }
    queue.waitUntilAllOperationsAreFinished()
    progress?.finish()
    var rows: [(point: [Double], plan: Plan)] = []
    for (i, point) in points.enumerated() {
      switch results.get(i) {
      case .success(let plan): rows.append((point, plan))
      case .failure(let error): throw CommandFailure(message: error.description, outcome: .error)
      case nil: throw CommandFailure(message: "point \(i + 1) was not solved", outcome: .error)
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

/// Results written by the sweep's worker threads.
final class SweepResults: @unchecked Sendable {
  // Safe: every access to `results` and `finished` holds `lock`.
  private var results: [Result<Plan, PlanningError>?]
  private var finished = 0
  private let lock = NSLock()
  init(count: Int) { results = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ r: Result<Plan, PlanningError>) {
    lock.withLock {
      results[i] = r
      finished += 1
    }
  }
  func get(_ i: Int) -> Result<Plan, PlanningError>? { lock.withLock { results[i] } }
  var done: Int { lock.withLock { finished } }
}

extension String {
  func trimmingZeros() -> String {
    guard contains(".") else { return self }
    var s = self
    while s.last == "0" { s.removeLast() }
    if s.last == "." { s.removeLast() }
    return s
  }
}

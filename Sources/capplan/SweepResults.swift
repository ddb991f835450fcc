import CapacityModel
import Foundation

/// A sweep's points as one table, the same for a local sweep and a study
/// gathered from the queue: a column per axis, a column per metric, the
/// stored plan for a study, and why a point has no figures.
struct SweepResults {
  var title: String
  var axes: [SweepAxis]
  var metrics: [PlanMetric]
  var points: [SweepPoint]
  /// A study's points each have a stored plan; a local sweep's do not.
  var showsPlanIDs = false

  static let defaultMetrics =
    "status,revenue,ebit,ebit_margin,revenue_per_mw,ebit_per_mw,lab_gross_margin_per_mw,lab_gross_margin"

  /// The metric names in `text`, or the first unknown one.
  static func metrics(_ text: String) -> Result<[PlanMetric], SweepError> {
    var chosen: [PlanMetric] = []
    for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
      guard let m = PlanMetric(rawValue: name) else {
        return .failure(
          SweepError(
            "unknown metric '\(Excerpt.of(name))'; known: \(PlanMetric.allCases.map(\.rawValue).joined(separator: ", "))"
          )
        )
      }
      chosen.append(m)
    }
    if chosen.isEmpty { return .failure(SweepError("give at least one metric")) }
    return .success(chosen)
  }

  var anyMessage: Bool { points.contains { $0.message != nil } }

  /// Rounded for people (`raw` false), or every digit for a spreadsheet (`raw`, the CSV).
  func table(raw: Bool) -> Table {
    var columns = axes.map(\.path) + metrics.map(\.label)
    if showsPlanIDs { columns.append("plan") }
    if anyMessage { columns.append("note") }
    var table = Table(title, columns: columns, firstNumeric: 0)
    table.textColumns = Set(metrics.indices.filter { metrics[$0] == .status }.map { $0 + axes.count })
    if anyMessage { table.textColumns.insert(columns.count - 1) }
    for point in points {
      var row = point.values.map { raw ? NumberText.plain($0) : fixed($0, 4).trimmingZeros() }
      row += metrics.map { m in
        if m == .status { return point.status }
        guard let v = point.plan?.value(of: m) else { return "-" }
        if raw { return NumberText.plain(v) }
        return m.isPercentage ? percent(v) : fixed(v, 2)
      }
      if showsPlanIDs { row.append(point.planID.map { String($0) } ?? "-") }
      if anyMessage { row.append(point.message ?? "") }
      table.add(row)
    }
    return table
  }

  /// One object per point: the axes' values and the metrics at full precision.
  var json: [[String: JSONValue]] {
    points.map { point in
      var o: [String: JSONValue] = [:]
      for (axis, v) in zip(axes, point.values) { o[axis.path] = .number(v) }
      o["status"] = .string(point.status)
      for m in metrics where m != .status {
        o[m.rawValue] = point.plan?.value(of: m).map { .number($0) } ?? .null
      }
      if let message = point.message { o["message"] = .string(message) }
      if showsPlanIDs { o["plan_id"] = point.planID.map { .number(Double($0)) } ?? .null }
      return o
    }
  }

  func print(_ format: TableFormat) throws {
    switch format {
    case .json: try JSONOutput.print(json)
    case .table: Swift.print(table(raw: false).text, terminator: "")
    case .markdown: Swift.print(table(raw: false).markdown, terminator: "")
    case .csv: Swift.print(table(raw: true).csv, terminator: "")
    }
  }

  /// Points that ended without a solution, as the failure a script sees: the
  /// table is printed first, then this names how many and the first one.
  var failure: CommandFailure? {
    let failed = points.filter(\.didFail)
    guard let first = failed.first else { return nil }
    let label = zip(axes, first.values).map { "\($0.path)=\(NumberText.plain($1))" }.joined(separator: ", ")
    let outcome: Outcome
    switch first.outcome {
    case .plan(let plan): outcome = plan.status.outcome
    case .invalid: outcome = .invalidInput
    case .failed, .waiting: outcome = .error
    }
    return CommandFailure(
      message: "\(failed.count) of \(points.count) points did not solve; the first, \(label): "
        + (first.message ?? first.status),
      outcome: outcome)
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

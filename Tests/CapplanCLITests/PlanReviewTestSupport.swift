import CapacityModel
import Foundation
import JobQueue
import Testing

/// A database with plans for the review commands: real solves of the example
/// scenarios through `capplan worker`, and hand-made plans stored through the
/// store's own submit, claim and complete.
struct ReviewFixture {
  let q: QueueFixture
  init() throws { q = try QueueFixture() }
  var db: String { q.db }

  /// Queues `model` (a file under Models/, or a path) and solves it with `capplan worker --once`; returns the plan id.
  func solve(_ model: String, previousPlan: Int64? = nil) throws -> Int64 {
    let path = model.hasPrefix("/") ? model : q.model(model)
    var args = ["submit", path, "--db", db]
    if let previousPlan { args += ["--previous-plan", "\(previousPlan)"] }
    let submitted = try CLI.run(args)
    try #require(submitted.status == 0, "\(submitted.stderr)")
    let worker = try CLI.run(["worker", "--once", "--db", db])
    try #require(worker.status == 0, "\(worker.stderr)")
    var filter = PlanFilter()
    filter.limit = 1
    let id = try #require(try q.store.plans(filter).first?.id)
    // Every solve: the economics lines add up to the plan's EBIT (docs/formulation.md).
    let plan = try q.store.plan(id)
    if plan.status.hasSolution, let ebit = plan.totals?.ebit {
      let residual = try #require(plan.economicsResidual, "a plan with a solution has economics")
      #expect(residual <= 1e-7 * max(1, abs(ebit)), "economics lines miss EBIT by \(residual)")
    }
    return id
  }

  /// Stores `plan` as the result of a fresh job; returns its id.
  func store(
    _ plan: Plan, scenarioID: String? = nil, scheduleID: Int64? = nil, source: String = "/nonexistent.yaml"
  ) throws
    -> Int64
  {
    let submission = JobSubmission(
      scenarioID: scenarioID ?? plan.scenario, source: source, scenarioText: "hand-made \(UUID().uuidString)",
      scheduleID: scheduleID)
    _ = try q.store.submit(submission, now: Date())
    let lease = try #require(try q.store.claim(owner: "review-test", leaseSeconds: 600, now: Date()))
    return try #require(try q.store.complete(lease, plan: plan, now: Date()))
  }

  /// A variant of aws-2026 that moves MW: more Oregon power, more GPU demand, a later Pennsylvania tranche.
  func awsVariant() throws -> String {
    var text = try String(contentsOfFile: q.model("aws-2026.yaml"), encoding: .utf8)
    for (from, to) in [
      ("    power_mw: 500   ", "    power_mw: 560   "),
      ("2027Q3: 900, 2028Q1: 1100}", "2027Q3: 1000, 2028Q1: 1100}"),
      ("earliest: 2027Q3 ", "earliest: 2027Q4 "),
    ] {
      #expect(text.contains(from), "the variant edits \(from)")
      text = text.replacingOccurrences(of: from, with: to)
    }
    let path = q.dir.appendingPathComponent("aws-variant.yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The plan the seed scenario solves to, read back from `capplan solve --format json`.
  static func seedPlan() throws -> Plan {
    let r = try CLI.run([
      "solve", CLI.packageRoot.appendingPathComponent("Models/seed-bedrock-deal.yaml").path, "--format",
      "json",
    ])
    try #require(r.status == 0, "\(r.stderr)")
    return try Plan.decoder().decode(Plan.self, from: Data(r.stdout.utf8))
  }
}

/// RFC 4180 CSV, as a spreadsheet reads it: rows of fields keyed by the header.
enum CSV {
  static func parse(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
      if quoted {
        if c == "\"" {
          if chars.first == "\"" {
            field.append("\"")
            chars.removeFirst()
          } else {
            quoted = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        row.append(field)
        field = ""
      } else if c == "\n" {
        row.append(field)
        rows.append(row)
        row = []
        field = ""
      } else {
        field.append(c)
      }
    }
    if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
    return rows
  }

  static func records(_ url: URL) throws -> (header: [String], rows: [[String: String]]) {
    let rows = parse(try String(contentsOf: url, encoding: .utf8))
    let header = try #require(rows.first)
    return (header, rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
  }
}

/// The same key an allocation has in every output.
func allocationKey(_ offering: String, _ hardware: String, _ site: String, _ period: String) -> String {
  "\(offering)|\(hardware)|\(site)|\(period)"
}

struct AllocationRow: Decodable {
  var offering, use, hardware, site, period: String
  var period_years: Double?
  var it_mw: Double
}

struct FinancialRow: Decodable {
  var period: String
  var ebit_musd_per_year: Double
  var ebit_margin_fraction: Double?
}

struct MarginalRow: Decodable {
  var kind, subject, period, value_unit: String
  var value: Double?
  var binding: Bool
}

struct DiffDocument: Decodable {
  var plan_a: Int64
  var plan_b: Int64
  var diff: PlanDiff
}

/// A plan with 100,000 allocation rows (40 offerings x 10 hardware x 25 sites x
/// 10 periods) lists, shows, exports, diffs and reports in seconds. Timings go
/// to stdout; with CAPPLAN_BIN pointing at a release build they are the figures
/// in BENCHMARKS.md ("Plan review at scale").

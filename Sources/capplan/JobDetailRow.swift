import CapacityModel
import Foundation
import JobQueue

/// One line of a job's details: `capplan jobs show` prints these rows as a table and the
/// console's job page renders the same rows as HTML, so neither shows what the other leaves out.
struct JobDetailRow: Equatable {
  var label: String
  var value: String
  /// A stored plan the value names, which the console links to.
  var plan: Int64?

  init(_ label: String, _ value: String, plan: Int64? = nil) {
    self.label = label
    self.value = value
    self.plan = plan
  }

  /// What the job is and how it is to be solved, its tries and its times.
  static func rows(_ j: Job, now: Date) -> [JobDetailRow] {
    let settings = j.options.settings
    var rows = [
      JobDetailRow(
        "state", j.state.rawValue + (j.cancelRequested && j.state == .running ? " (cancel requested)" : "")),
      JobDetailRow("scenario", "\(j.scenarioID) from \(j.source)"),
      JobDetailRow("scenario sha256", j.scenarioSHA256),
      JobDetailRow("priority", "\(j.priority)"),
      JobDetailRow("attempt / failures / max", "\(j.attempt) / \(j.failures) / \(j.maxAttempts)"),
      JobDetailRow(
        "time limit", settings.timeLimitSeconds.map { "\(Limit.number($0)) s" } ?? "worker default"),
      JobDetailRow("method", settings.method.rawValue),
      JobDetailRow("gap", Limit.number(settings.relativeGap)),
      JobDetailRow("solve settings", settings.differencesFromDefaults),
    ]
    // The settings above are then defaults, not what was asked for.
    if let unreadable = j.options.unreadable { rows.append(JobDetailRow("stored options", unreadable)) }
    rows.append(JobDetailRow("memory limit", j.options.memoryLimitMB.map { "\($0) MB" } ?? "worker default"))
    if let key = j.idempotencyKey { rows.append(JobDetailRow("idempotency key", key)) }
    if let p = j.options.previousPlanID { rows.append(JobDetailRow("previous plan", "\(p)", plan: p)) }
    if let s = j.scheduleID { rows.append(JobDetailRow("schedule", "\(s)")) }
    rows += [
      JobDetailRow("created", isoDate(j.createdAt)),
      JobDetailRow("started", isoDate(j.startedAt)),
      JobDetailRow("finished", isoDate(j.finishedAt)),
    ]
    if let owner = j.leaseOwner {
      rows.append(JobDetailRow("lease", "\(owner) until \(isoDate(j.leaseExpiresAt))"))
    }
    if j.state == .queued, j.runAfter > now { rows.append(JobDetailRow("runs after", isoDate(j.runAfter))) }
    rows.append(JobDetailRow("plan", j.planID.map { "\($0)" } ?? "-", plan: j.planID))
    if let e = j.lastError { rows.append(JobDetailRow("last error", e)) }
    return rows
  }

  /// The solve's latest progress, as far as it is known; for a finished job, its last report.
  static func progressRows(_ p: JobProgress, running: Bool, now: Date) -> [JobDetailRow] {
    let age = max(0, now.timeIntervalSince(p.reportedAt))
    var rows = [
      JobDetailRow(
        running ? "progress reported" : "last progress",
        String(format: "%.0f s ago", age) + " (\(isoDate(p.reportedAt)))"),
      JobDetailRow("solve time", String(format: "%.1f s", p.elapsedSeconds)),
    ]
    if let m = p.method { rows.append(JobDetailRow("LP method", "\(m) (no plan until the LP ends)")) }
    let name = p.objective == "npv" ? "NPV" : "EBIT"
    rows.append(JobDetailRow("best plan \(name)", p.bestPlan.map { "$\(money($0, 2))M" } ?? "no plan yet"))
    if let b = p.bound { rows.append(JobDetailRow("bound", "$\(money(b, 2))M")) }
    if let g = p.gap { rows.append(JobDetailRow("gap", String(format: "%.3f%%", 100 * g))) }
    if let n = p.nodes { rows.append(JobDetailRow("nodes", "\(n)")) }
    return rows
  }
}
